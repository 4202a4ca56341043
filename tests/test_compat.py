"""`apir-codegen compat OLD NEW` on ggml's history and on edited copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLE_SPEC, UPSTREAM, needs_shared
from .helpers import copy_spec, edit_file, run_cli


def _copy(tmp_path: Path, name: str = "new") -> Path:
    return copy_spec(EXAMPLE_SPEC, tmp_path / name)


@needs_shared
def test_ggml_2e2ec9cc_to_7cfc6a52_renumbers_nothing_and_changes_signatures() -> None:
    old = UPSTREAM / "ggml-2e2ec9cc" / "ggmlremoting_functions.yaml"
    new = UPSTREAM / "ggml-7cfc6a52" / "ggmlremoting_functions.yaml"
    result = run_cli("compat", old, new)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BREAKING" not in result.stdout
    out = result.stdout
    assert (
        "API change: 'buffer_type_alloc_buffer' (number 14): parameter 2 changed: "
        "ggml_backend_buffer_type_t buffer_buft -> apir_buffer_type_host_handle_t host_handle"
    ) in out
    assert "API change: 'device_get_name' (number 2): return type changed: const char * -> char *" in out
    assert "API change: 'buffer_type_is_host' (number 13): now deprecated (was active)" in out
    assert "parameter removed: ggml_backend_buffer_type_t buft" in out


@needs_shared
@pytest.mark.parametrize("old_rev,new_rev", [("ggml-7cfc6a52", "ggml-48f38694"), ("ggml-b0e0d352", "ggml-7cfc6a52")])
def test_ggml_revisions_with_the_same_spec_are_compatible(old_rev: str, new_rev: str) -> None:
    result = run_cli(
        "compat", UPSTREAM / old_rev / "ggmlremoting_functions.yaml", UPSTREAM / new_rev / "ggmlremoting_functions.yaml"
    )
    assert result.returncode == 0
    assert result.stdout.strip() == "no changes to the protocol"


def test_removal_breaks_and_names_the_shifted_commands(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, '''      clear:
        frontend_extra_params:
          - "apir_buffer_context_t *buffer_context"
          - "uint8_t value"
''', "")
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 1
    assert "'buffer_clear' (number 20) is removed in the new spec" in result.stdout
    assert "later commands shift: buffer_free_buffer, backend_graph_compute" in result.stdout
    assert "'buffer_free_buffer' was number 21, is now 20" in result.stdout


def test_disable_breaks(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, "      get_count:\n", "      get_count:\n        enabled: false\n")
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 1
    assert "'device_get_count' (number 1) is disabled in the new spec" in result.stdout


def test_reorder_breaks(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    text = new.read_text()
    a = text.index("      get_name:\n        frontend_return: \"char *\"\n      get_description:")
    b = text.index("      get_description:")
    block = text[a:b]
    text = text[:a] + text[b:]
    anchor = text.index("      get_type:")
    text = text[:anchor] + block + text[anchor:]
    new.write_text(text)
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 1
    assert "'device_get_name' was number 2, is now 3" in result.stdout
    assert "'device_get_description' was number 3, is now 2" in result.stdout


def test_insertion_in_the_middle_breaks(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, "      get_memory:\n", "      get_limits:\n        frontend_return: \"size_t\"\n      get_memory:\n")
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 1
    assert "'device_get_memory' was number 5, is now 6" in result.stdout
    assert "added: 'device_get_limits' as number 5" in result.stdout


def test_append_is_compatible(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, "      graph_optimize:\n", "      graph_reserve:\n        frontend_return: \"bool\"\n      graph_optimize:\n")
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "added: 'backend_graph_reserve' as number 23"


def test_signature_change_is_an_api_change(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, '''      get_memory:
        frontend_extra_params:
          - "size_t *free"
          - "size_t *total"
''', '''      get_memory:
        frontend_return: "bool"
        frontend_extra_params:
          - "size_t *free"
''')
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 0
    assert "API change: 'device_get_memory' (number 5): return type changed: void -> bool" in result.stdout
    assert "API change: 'device_get_memory' (number 5): parameter removed: size_t * total" in result.stdout


def test_same_type_spelled_differently_is_no_change(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, '"const ggml_tensor *op"', '"ggml_tensor const* op"')
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 0
    assert result.stdout.strip() == "no changes to the protocol"


def test_locked_specs_compare_by_their_locked_numbers(tmp_path: Path) -> None:
    old = _copy(tmp_path, "old")
    assert run_cli("lock", old).returncode == 0
    new = _copy(tmp_path, "new")
    shutil.copy(old.with_suffix(".lock"), new.with_suffix(".lock"))
    edit_file(new, "      get_memory:\n", "      get_limits:\n        frontend_return: \"size_t\"\n      get_memory:\n")
    result = run_cli("compat", old, new)
    assert result.returncode == 0, result.stdout
    assert "added: 'device_get_limits' as number 23" in result.stdout


def test_invalid_spec_is_a_diagnostic(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("functions: 5\n")
    result = run_cli("compat", EXAMPLE_SPEC, bad)
    assert result.returncode == 1
    assert "bad.yaml:1:" in result.stderr
