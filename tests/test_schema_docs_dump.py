"""`schema`, `docs` and `dump`: the spec format for editors, the protocol for readers and tools."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from apir_codegen import load_spec
from apir_codegen.schema import json_schema, json_schema_text

from .conftest import (
    EXAMPLE_SPEC,
    FIXTURES,
    PLAIN_EXAMPLE_SPEC,
    ROOT,
    conformance_cases,
    needs_shared,
    upstream_revisions,
)
from .helpers import copy_spec, edit_file, run_cli

COMMITTED_SCHEMA = ROOT / "schema" / "spec.schema.json"

#: Diagnostic fixtures whose problem is structural: the JSON Schema must reject them too.
STRUCTURAL = [
    "missing-functions",
    "missing-naming-patterns",
    "missing-enum-prefix",
    "missing-backend-function-prefix",
    "missing-frontend-function-prefix",
    "missing-frontend-base-param",
    "missing-group-description",
    "missing-group-functions",
    "group-is-a-list",
    "group-is-null",
    "functions-is-a-number",
    "group-functions-is-null",
    "group-functions-is-a-list",
    "function-is-a-list",
    "function-is-a-string",
    "params-is-a-string",
    "params-is-null",
    "param-is-a-number",
    "param-is-a-mapping",
    "enabled-maybe",
    "deprecated-one",
    "enabled-quoted-true",
    "return-is-a-number",
    "return-is-null",
    "description-is-a-number",
    "naming-patterns-is-a-list",
    "prefix-is-a-number",
    "overrides-is-a-list",
    "config-files-is-a-list",
    "unknown-key-frontend-retrun",
    "unknown-key-naming-pattern",
    "unknown-key-group",
    "unknown-key-naming",
    "unknown-key-config",
    "unknown-key-no-close-match",
    "group-name-not-identifier",
    "function-name-not-identifier",
    "function-name-starts-with-digit",
    "prefix-not-identifier",
    "prefix-starts-with-digit",
    "override-key-not-identifier",
    "override-handler-not-identifier",
    "description-ends-comment",
    "description-newline",
    "description-block-scalar",
    "description-clang-format-directive",
    "fingerprint-not-boolean",
    "root-is-a-list",
    "root-is-a-string",
]


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(COMMITTED_SCHEMA.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_committed_schema_is_current() -> None:
    assert COMMITTED_SCHEMA.read_text() == json_schema_text()
    result = run_cli("schema")
    assert result.returncode == 0
    assert result.stdout == COMMITTED_SCHEMA.read_text()


def test_schema_is_draft_2020_12() -> None:
    assert json_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(json_schema())


def _valid_specs() -> list[Path]:
    return (
        [EXAMPLE_SPEC]
        + [r / "ggmlremoting_functions.yaml" for r in upstream_revisions()]
        + [c / "spec.yaml" for c in conformance_cases()]
    )


@pytest.mark.parametrize("spec", _valid_specs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_accepts_valid_specs(spec: Path) -> None:
    _validator().validate(yaml.safe_load(spec.read_text()))


@needs_shared
def test_schema_accepts_ggml_specs() -> None:
    assert len(upstream_revisions()) == 4
    for revision in upstream_revisions():
        _validator().validate(yaml.safe_load((revision / "ggmlremoting_functions.yaml").read_text()))


@pytest.mark.parametrize("name", STRUCTURAL)
def test_schema_rejects_structurally_wrong_specs(name: str) -> None:
    data = yaml.safe_load((FIXTURES / "diagnostics" / f"{name}.yaml").read_text())
    assert not _validator().is_valid(data), f"the schema accepts {name}, the validator does not"


def test_structural_fixtures_exist() -> None:
    for name in STRUCTURAL:
        assert (FIXTURES / "diagnostics" / f"{name}.yaml").is_file(), name


def test_docs_lists_every_command_with_its_number_on_one_line() -> None:
    spec_path = EXAMPLE_SPEC
    result = run_cli("docs", spec_path)
    assert result.returncode == 0, result.stderr
    spec = load_spec(spec_path)
    lines = result.stdout.splitlines()
    for cmd in spec.commands:
        rows = [line for line in lines if line.startswith(f"| {cmd.number} | `{cmd.key}` |")]
        assert len(rows) == 1, cmd.key
    assert "23 commands (numbers 0 to 22): 22 active, 1 deprecated, 0 retired; 1 disabled function" in result.stdout
    assert "| – | `backend_graph_optimize` | – | – | disabled | – |" in result.stdout
    assert "| 13 | `buffer_type_is_host` | – (deprecated) | `backend_buffer_type_is_host` | deprecated | – |" in lines
    # The marshalling column: generated, with a hook, or hand-written.
    assert any(
        line.startswith("| 1 | `device_get_count` |") and line.endswith("| active | generated |") for line in lines
    )
    assert any(line.endswith("| generated, with hook `backend_device_get_props_impl` |") for line in lines)
    assert any(
        line.startswith("| 22 | `backend_graph_compute` |") and line.endswith("| hand-written |") for line in lines
    )
    assert "- Marshalling: 18 of 23 commands generated (1 with a hand-written hook)" in result.stdout


def test_docs_says_which_side_is_generated_when_one_stays_hand_written(tmp_path: Path) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    edit_file(
        spec,
        'host_call: "buffer->iface.clear(buffer, value)"',
        'host_call: "buffer->iface.clear(buffer, value)"\n          host: false',
    )
    edit_file(spec, "params: {async: out,", "guest: false\n          params: {async: out,")
    result = run_cli("docs", spec)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("| 20 | `buffer_clear` |") and line.endswith("| guest generated, host hand-written |")
        for line in lines
    )
    assert any(
        line.startswith("| 8 | `device_get_props` |")
        and line.endswith("| host generated, guest hand-written, with hook `backend_device_get_props_impl` |")
        for line in lines
    )


def test_docs_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "PROTOCOL.md"
    result = run_cli("docs", EXAMPLE_SPEC, "-o", out)
    assert result.returncode == 0
    assert out.read_text().startswith("# Remoting protocol of ")
    assert (
        "| 8 | `device_get_props` | `void apir_device_get_props(struct virtgpu * gpu, bool * async," in out.read_text()
    )


def test_dump_is_the_resolved_model() -> None:
    result = run_cli("dump", EXAMPLE_SPEC)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["format"] == 1
    commands = data["commands"]
    assert [c["number"] for c in commands] == list(range(23))
    memory = next(c for c in commands if c["name"] == "device_get_memory")
    assert memory["enum"] == "APIR_COMMAND_TYPE_DEVICE_GET_MEMORY"
    assert memory["host_handler"] == "backend_device_get_memory"
    assert memory["guest_function"] == "apir_device_get_memory"
    assert memory["params"][0] == {
        "name": "free",
        "type": {"spelling": "size_t *", "base": "size_t", "qualifiers": [], "pointers": [[]]},
        "source": "size_t *free",
    }
    assert memory["location"]["line"] > 1
    is_host = next(c for c in commands if c["name"] == "buffer_type_is_host")
    assert is_host["status"] == "deprecated"
    optimize = [f for g in data["groups"] if g["name"] == "backend" for f in g["functions"]]
    assert {"name": "graph_optimize", "enabled": False}.items() <= optimize[-1].items()


def test_docs_and_dump_print_canonical_types(tmp_path: Path) -> None:
    """The model keeps canonical types: docs and dump put qualifiers first, whatever order
    the spec wrote (how ggml's style spells a type is the formatter's, not the model's)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        PLAIN_EXAMPLE_SPEC.read_text().replace('"const ggml_tensor *op"', '"struct ggml_tensor const * op"', 1)
    )
    dumped = json.loads(run_cli("dump", spec).stdout)
    op = next(p for c in dumped["commands"] for p in c["params"] if p["source"] == "struct ggml_tensor const * op")
    assert op["type"]["spelling"] == "const struct ggml_tensor *"  # ggml's style writes 'struct ggml_tensor const *'
    docs = run_cli("docs", spec).stdout
    assert "const struct ggml_tensor * op" in docs and "ggml_tensor const" not in docs


def test_docs_and_dump_report_spec_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("functions: {}\n")
    for command in ("docs", "dump"):
        result = run_cli(command, bad)
        assert result.returncode == 1
        assert "bad.yaml:1:1: error:" in result.stderr
