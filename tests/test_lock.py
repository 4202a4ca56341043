"""Lock files: locked commands keep their numbers; removals are refused or retired explicitly."""

from __future__ import annotations

from pathlib import Path

import pytest

from apir_codegen import load_spec, render
from apir_codegen.lockfile import lock_path

from .conftest import PLAIN_EXAMPLE_SPEC
from .cxx import ExpectedCommand, compile_and_run, dispatch_program, expected_commands, needs_gxx
from .helpers import copy_spec, edit_file, run_cli, snapshot

NEW_FUNCTION = """      get_graph_limits:
        frontend_return: "size_t"
        frontend_extra_params:
        - "size_t *max_nodes"

"""


CLEAR = """      clear:
        frontend_extra_params:
          - "apir_buffer_context_t *buffer_context"
          - "uint8_t value"
"""


def _ggml_spec(tmp_path: Path) -> Path:
    """The example spec: ggml's commands (as of 7cfc6a52), so these tests run without ../shared."""
    return copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path / "virtgpu")


def _insert_in_middle_of_device_group(spec: Path) -> None:
    text = spec.read_text()
    anchor = "      get_memory:\n"
    assert anchor in text
    spec.write_text(text.replace(anchor, NEW_FUNCTION + anchor, 1))


def test_lock_file_format_and_identity(tmp_path: Path) -> None:
    spec = _ggml_spec(tmp_path)
    result = run_cli("lock", spec)
    assert result.returncode == 0, result.stderr
    lines = [line for line in Path(lock_path(spec)).read_text().splitlines() if not line.startswith("#")]
    assert lines[0] == "0 device.get_device_count"
    assert "13 buffer_type.is_host" in lines
    assert len(lines) == len(expected_commands(spec))
    # With a lock that matches the spec, output is exactly what it is without one.
    assert render(load_spec(spec)) == render(load_spec(spec, use_lock=False))
    before = snapshot(spec.parent)
    assert run_cli("lock", spec).returncode == 0
    assert snapshot(spec.parent) == before, "re-locking an unchanged spec rewrites nothing"


@needs_gxx
def test_insertion_keeps_old_numbers_and_appends_the_new_command(tmp_path: Path) -> None:
    spec = _ggml_spec(tmp_path)
    old = expected_commands(spec)
    assert run_cli("lock", spec).returncode == 0
    _insert_in_middle_of_device_group(spec)
    result = run_cli("generate", spec)
    assert result.returncode == 0, result.stderr
    assert "not in the lock file yet; it gets number" in result.stderr
    new_number = len(old)
    text = (spec.parent / "backend/shared/apir_backend.gen.h").read_text()
    assert f"APIR_COMMAND_TYPE_DEVICE_GET_GRAPH_LIMITS = {new_number}," in text
    expected = old + [
        ExpectedCommand(
            new_number,
            "device_get_graph_limits",
            "APIR_COMMAND_TYPE_DEVICE_GET_GRAPH_LIMITS",
            "backend_device_get_graph_limits",
        )
    ]
    run = compile_and_run(dispatch_program(spec, spec.parent, expected), tmp_path)
    assert run.returncode == 0, run.stdout


def test_without_lock_insertion_renumbers(tmp_path: Path) -> None:
    """The failure mode the lock file exists for, for contrast."""
    spec = _ggml_spec(tmp_path)
    _insert_in_middle_of_device_group(spec)
    assert run_cli("generate", spec).returncode == 0
    text = (spec.parent / "backend/shared/apir_backend.gen.h").read_text()
    assert "APIR_COMMAND_TYPE_DEVICE_GET_MEMORY       = 6," in text


def test_removing_a_locked_command_is_refused(tmp_path: Path) -> None:
    spec = _ggml_spec(tmp_path)
    assert run_cli("lock", spec).returncode == 0
    assert run_cli("generate", spec).returncode == 0
    edit_file(spec, CLEAR, "")
    before = snapshot(spec.parent)
    for command in ("generate", "check"):
        result = run_cli(command, spec)
        assert result.returncode == 1
        assert "'buffer_clear' (APIR_COMMAND_TYPE_BUFFER_CLEAR, buffer.clear) has number 20" in result.stderr
        assert "ggmlremoting_functions.lock:" in result.stderr
        assert "retired: true" in result.stderr
    assert snapshot(spec.parent) == before


def test_disabling_a_locked_command_is_refused(tmp_path: Path) -> None:
    spec = _ggml_spec(tmp_path)
    assert run_cli("lock", spec).returncode == 0
    edit_file(spec, "      clear:\n", "      clear:\n        enabled: false\n")
    result = run_cli("generate", spec)
    assert result.returncode == 1
    assert "command 'buffer_clear' (APIR_COMMAND_TYPE_BUFFER_CLEAR, buffer.clear) is disabled" in result.stderr
    assert "lock file gives it number 20" in result.stderr
    assert not (spec.parent / "virtgpu-forward.gen.h").exists()


@needs_gxx
def test_retired_command_keeps_its_slot_and_rejects_calls(tmp_path: Path) -> None:
    spec = _ggml_spec(tmp_path)
    old = expected_commands(spec)
    assert run_cli("lock", spec).returncode == 0
    edit_file(spec, CLEAR, "      clear:\n        retired: true\n")
    result = run_cli("generate", spec)
    assert result.returncode == 0, result.stderr
    forward = (spec.parent / "virtgpu-forward.gen.h").read_text()
    assert "apir_buffer_clear(" not in forward
    dispatched = (spec.parent / "backend/backend-dispatched.gen.h").read_text()
    assert "backend_buffer_clear(" not in dispatched
    expected = [
        ExpectedCommand(c.number, c.key, c.enum_name, "" if c.key == "buffer_clear" else c.handler) for c in old
    ]
    run = compile_and_run(dispatch_program(spec, spec.parent, expected), tmp_path)
    assert run.returncode == 0, run.stdout
    # Locking again records the retirement; removing the entry afterwards keeps the slot reserved.
    assert run_cli("lock", spec).returncode == 0
    assert "20 buffer.clear retired" in Path(lock_path(spec)).read_text()
    edit_file(spec, "      clear:\n        retired: true\n", "")
    assert run_cli("generate", spec).returncode == 0
    run = compile_and_run(dispatch_program(spec, spec.parent, expected), tmp_path)
    assert run.returncode == 0, run.stdout


def test_reordering_keeps_locked_numbers(tmp_path: Path) -> None:
    spec = _ggml_spec(tmp_path)
    old = {c.key: c.number for c in expected_commands(spec)}
    assert run_cli("lock", spec).returncode == 0
    text = spec.read_text()
    device_start = text.index("  device:\n")
    backend_start = text.index("  backend:\n")
    naming = text.index("naming_patterns:")
    text = text[:device_start] + text[backend_start:naming] + text[device_start:backend_start] + text[naming:]
    spec.write_text(text)
    model = load_spec(spec)
    assert {c.key: c.number for c in model.commands} == old


def test_accept_breaking_renumbers_knowingly(tmp_path: Path) -> None:
    spec = _ggml_spec(tmp_path)
    assert run_cli("lock", spec).returncode == 0
    edit_file(spec, "      clear:\n", "      clear:\n        enabled: false\n")
    refused = run_cli("lock", spec)
    assert refused.returncode == 1
    accepted = run_cli("lock", spec, "--accept-breaking")
    assert accepted.returncode == 0, accepted.stderr
    assert "BREAKING" in accepted.stderr and "buffer.clear" in accepted.stderr
    assert "20 buffer.free_buffer" in Path(lock_path(spec)).read_text()
    assert run_cli("generate", spec).returncode == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("0 device.get_count\n0 device.get_name\n", "number 0 is locked twice"),
        (
            "0 device.get_count\n2 device.get_name\n",
            "number 1 is missing from the lock file\n  hint: a lock file lists every number from 0 up; "
            "'apir-codegen lock --accept-breaking' rebuilds it from the spec's order",
        ),
        ("zero device.get_count\n", "malformed lock file line"),
        ("0 device.get_count\n1 device.get_count\n", "'device.get_count' is locked twice"),
        ("0 device.get_count gone\n", "malformed lock file line"),
    ],
)
def test_bad_lock_file_is_a_located_diagnostic(tmp_path: Path, content: str, message: str) -> None:
    spec = _ggml_spec(tmp_path)
    Path(lock_path(spec)).write_text("# comment\n" + content)
    result = run_cli("generate", spec)
    assert result.returncode == 1
    assert message in result.stderr
    assert "ggmlremoting_functions.lock:" in result.stderr
    assert not (spec.parent / "virtgpu-forward.gen.h").exists()
    # Plain 'lock' reads the lock file too, so it fails the same way; the way out is a rebuild (as hinted).
    assert run_cli("lock", spec).returncode == 1
    assert run_cli("lock", spec, "--accept-breaking").returncode == 0
    assert run_cli("generate", spec).returncode == 0


def test_accept_breaking_reports_what_is_wrong_with_the_lock_it_replaces(tmp_path: Path) -> None:
    """Rebuilding mends a broken lock file, and says what was broken and that renumbering cannot be listed."""
    spec = _ggml_spec(tmp_path)
    lock = Path(lock_path(spec))
    lock.write_text("# comment\n0 device.get_count\nzero device.get_name\n")
    result = run_cli("lock", spec, "--accept-breaking", env={"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert f"{lock}:3:1: warning: malformed lock file line: 'zero device.get_name'" in result.stderr
    assert f"{lock}:1:1: warning: the previous lock file is not valid: the commands this rebuild renumbers " in (
        result.stderr
    )
    assert "2 warnings generated." in result.stderr
    assert "0 device.get_device_count" in lock.read_text()
    # With --werror those warnings are errors, and the broken lock file stays.
    lock.write_text("0 device.get_count\n0 device.get_name\n")
    strict = run_cli("lock", spec, "--accept-breaking", "--werror", env={"NO_COLOR": "1"})
    assert strict.returncode == 1
    assert f"{lock}:2:1: error: number 0 is locked twice (first at line 1)" in strict.stderr
    assert lock.read_text() == "0 device.get_count\n0 device.get_name\n"
