"""RemotingCodebaseGenerator: ggml's generator class, on apir-codegen's model.

With ../shared, each method and attribute is compared with ggml's own class
(imported from ggml's script where it lies, never copied) on ggml's four
specs and the conformance sample; without it, on the example spec against
values written out here and the example's committed headers.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml

import apir_codegen
from apir_codegen import OUTPUT_FILES, RemotingCodebaseGenerator, SpecError, load_spec, render

from .conftest import EXAMPLE_SPEC, PLAIN_EXAMPLE_SPEC, UPSTREAM, conformance_cases, needs_shared, upstream_revisions
from .helpers import copy_spec, edit_file, read_tree

GGML_SCRIPT = UPSTREAM / "ggml-48f38694" / "source" / "src" / "ggml-virtgpu" / "regenerate_remoting.py"
HEADER_METHODS = {
    "backend/shared/apir_backend.gen.h": "generate_apir_backend_header",
    "backend/backend-dispatched.gen.h": "generate_backend_dispatched_header",
    "virtgpu-forward.gen.h": "generate_virtgpu_forward_header",
}
ATTRIBUTES = ("yaml_path", "config", "functions", "naming_patterns", "config_data")


def _ggml_class() -> Any:
    spec = importlib.util.spec_from_file_location("ggml_regenerate_remoting", GGML_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RemotingCodebaseGenerator


def _names(generator: Any) -> list[tuple[str, str]]:
    """Every (group, function) of the spec, and some the spec does not have."""
    pairs = [(group, function) for group, data in generator.functions.items() for function in data["functions"]]
    return pairs + [("device", "get_nothing"), ("new_group", "x"), ("", "")]


def _reference_specs() -> list[Path]:
    return [r / "ggmlremoting_functions.yaml" for r in upstream_revisions()] + [
        c / "spec.yaml" for c in conformance_cases()
    ]


@needs_shared
@pytest.mark.parametrize("spec", _reference_specs(), ids=lambda p: p.parent.name)
def test_same_as_ggmls_class(spec: Path) -> None:
    theirs = _ggml_class()(str(spec))
    ours = RemotingCodebaseGenerator(str(spec))
    unformatted = RemotingCodebaseGenerator(str(spec), formatted=False)
    for attribute in ATTRIBUTES:
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    assert ours.get_enabled_functions() == theirs.get_enabled_functions()
    for group, function in _names(theirs):
        for method in ("generate_enum_name", "generate_backend_function_name", "generate_frontend_function_name"):
            assert getattr(ours, method)(group, function) == getattr(theirs, method)(group, function), method
    for method in HEADER_METHODS.values():
        assert getattr(unformatted, method)() == getattr(theirs, method)(), method


@needs_shared
@pytest.mark.parametrize("revision", upstream_revisions(), ids=lambda p: p.name)
def test_formatted_headers_are_what_ggml_commits(revision: Path) -> None:
    ours = RemotingCodebaseGenerator(revision / "ggmlremoting_functions.yaml")
    for relpath, method in HEADER_METHODS.items():
        assert getattr(ours, method)() == (revision / "expected" / relpath).read_text(), relpath


def test_importable_from_the_package() -> None:
    assert "RemotingCodebaseGenerator" in apir_codegen.__all__
    assert apir_codegen.RemotingCodebaseGenerator is RemotingCodebaseGenerator


def test_example_spec_commands() -> None:
    enabled = RemotingCodebaseGenerator(PLAIN_EXAMPLE_SPEC).get_enabled_functions()
    assert [entry["enum_value"] for entry in enabled] == list(range(23))
    assert enabled[0] == {
        "group_name": "device",
        "function_name": "get_device_count",
        "enum_name": "APIR_COMMAND_TYPE_DEVICE_GET_DEVICE_COUNT",
        "enum_value": 0,
        "backend_function": "backend_device_get_device_count",
        "frontend_function": "apir_device_get_device_count",
        "frontend_return": "void",
        "frontend_extra_params": [],
        "group_description": "device",
        "deprecated": False,
    }
    by_name = {entry["frontend_function"]: entry for entry in enabled}
    assert by_name["apir_device_get_memory"]["frontend_extra_params"] == ["size_t *free", "size_t *total"]
    assert by_name["apir_device_get_name"]["frontend_return"] == "char *"
    is_host = by_name["apir_buffer_type_is_host"]
    assert (is_host["enum_value"], is_host["deprecated"], is_host["group_description"]) == (13, True, "buffer-type")
    assert "apir_backend_graph_optimize" not in by_name, "disabled functions take no number"


def test_example_spec_names_and_attributes() -> None:
    ours = RemotingCodebaseGenerator(PLAIN_EXAMPLE_SPEC)
    assert ours.generate_enum_name("device", "get_count") == "APIR_COMMAND_TYPE_DEVICE_GET_COUNT"
    assert ours.generate_backend_function_name("buffer_type", "x") == "backend_buffer_type_x"
    assert ours.generate_frontend_function_name("buffer_type", "x") == "apir_buffer_type_x"
    data = yaml.safe_load(PLAIN_EXAMPLE_SPEC.read_text())
    assert ours.yaml_path == PLAIN_EXAMPLE_SPEC
    assert ours.config == data
    assert ours.functions == data["functions"] and ours.naming_patterns == data["naming_patterns"]
    assert ours.functions["device"]["functions"]["get_device_count"] is None
    assert ours.config_data == {}, "the example spec has no legacy 'config' section"


def test_overrides_anchors_and_merges(tmp_path: Path) -> None:
    """Values as yaml.safe_load gives them, aliases and merge keys included; overrides name handlers."""
    spec = copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path)
    edit_file(
        spec,
        '      get_count:\n        frontend_return: "int"\n',
        '      get_count: &int\n        frontend_return: "int"\n',
    )
    edit_file(spec, "      get_type:\n", "      get_type:\n        <<: *int\n")
    edit_file(
        spec,
        '  frontend_base_param: "struct virtgpu *gpu"',
        '  frontend_base_param: "struct virtgpu *gpu"\n  backend_function_overrides:\n    device_get_count: my_count\n'
        "config:\n  base_path: ggml/src\n",
    )
    ours = RemotingCodebaseGenerator(spec)
    assert ours.config == yaml.safe_load(spec.read_text())
    assert ours.config_data == {"base_path": "ggml/src"}
    assert ours.generate_backend_function_name("device", "get_count") == "my_count"
    assert ours.generate_backend_function_name("device", "get_name") == "backend_device_get_name"
    get_type = next(e for e in ours.get_enabled_functions() if e["function_name"] == "get_type")
    assert get_type["frontend_return"] == "uint32_t", "an explicit key wins over a merged one, as in PyYAML"


def test_unformatted_headers_are_the_scripts_text() -> None:
    raw = RemotingCodebaseGenerator(PLAIN_EXAMPLE_SPEC, formatted=False)
    assert "  APIR_COMMAND_TYPE_DEVICE_GET_COUNT = 1,\n" in raw.generate_apir_backend_header()
    dispatched = raw.generate_backend_dispatched_header()
    assert "  /* APIR_COMMAND_TYPE_DEVICE_GET_COUNT  = */ backend_device_get_count,\n" in dispatched
    assert (
        "uint32_t backend_device_get_count(apir_encoder *enc, apir_decoder *dec, virgl_apir_context *ctx);"
        in dispatched
    )
    forward = raw.generate_virtgpu_forward_header()
    assert "void apir_device_get_memory(struct virtgpu *gpu, size_t *free, size_t *total);\n" in forward
    assert "/* apir_buffer_type_is_host is deprecated. */\n" in forward


def test_formatted_headers_are_the_committed_example_headers() -> None:
    ours = RemotingCodebaseGenerator(EXAMPLE_SPEC)
    committed = read_tree(EXAMPLE_SPEC.parent, OUTPUT_FILES)
    assert {relpath: getattr(ours, method)() for relpath, method in HEADER_METHODS.items()} == committed


def test_regenerate_codebase_writes_beside_the_spec(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    spec = copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path / "virtgpu")
    caplog.set_level(logging.INFO, logger="apir_codegen")
    results = RemotingCodebaseGenerator(str(spec)).regenerate_codebase()
    assert [r.status for r in results] == ["missing"] * 3
    assert read_tree(spec.parent, OUTPUT_FILES) == read_tree(EXAMPLE_SPEC.parent, OUTPUT_FILES)
    assert caplog.messages[-1] == "apir-codegen: 23 commands in 4 groups; 3 files written, 0 unchanged."
    again = RemotingCodebaseGenerator(str(spec)).regenerate_codebase()
    assert [r.status for r in again] == ["unchanged"] * 3
    RemotingCodebaseGenerator(str(spec), formatted=False).regenerate_codebase()
    assert read_tree(spec.parent, OUTPUT_FILES) == render(load_spec(spec), "unformatted")


def test_a_bad_spec_raises_the_products_diagnostics(tmp_path: Path) -> None:
    spec = tmp_path / "ggmlremoting_functions.yaml"
    spec.write_text(PLAIN_EXAMPLE_SPEC.read_text().replace("naming_patterns:", "naming_patterns_:"))
    with pytest.raises(SpecError) as info:
        RemotingCodebaseGenerator(str(spec))
    messages = [d.format() for d in info.value.diagnostics]
    assert any("missing required key 'naming_patterns'" in m for m in messages), messages
    with pytest.raises(SpecError, match="spec not found"):
        RemotingCodebaseGenerator(str(tmp_path / "missing.yaml"))


def test_retired_commands_are_not_listed(tmp_path: Path) -> None:
    spec = copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path)
    assert RemotingCodebaseGenerator(spec).get_enabled_functions()[20]["function_name"] == "clear"
    from apir_codegen.cli import main

    assert main(["lock", "-q", str(spec)]) == 0
    edit_file(
        spec,
        "      clear:\n        frontend_extra_params:",
        "      clear:\n        retired: true\n        frontend_extra_params:",
    )
    enabled = RemotingCodebaseGenerator(spec).get_enabled_functions()
    assert [e["enum_value"] for e in enabled] == [n for n in range(23) if n != 20]
