"""Robustness: concurrent writers, failing writes, unwritable outputs, Ctrl-C."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from apir_codegen import OUTPUT_FILES, load_spec, render
from apir_codegen.cli import main

from .conftest import EXAMPLE_SPEC, ROOT
from .helpers import copy_spec, edit_file, run_cli


def _stray_files(directory: Path) -> list[str]:
    return [str(p) for p in directory.rglob("*") if p.is_file() and p.name.endswith(".tmp")]


def _two_specs(tmp_path: Path) -> tuple[Path, Path]:
    a = copy_spec(EXAMPLE_SPEC, tmp_path / "a")
    b = copy_spec(EXAMPLE_SPEC, tmp_path / "b")
    edit_file(b, 'frontend_return: "int"', 'frontend_return: "int64_t"')
    edit_file(b, '  buffer:\n    group_description: "buffer"', '  buffer:\n    group_description: "buffers"')
    return a, b


def test_concurrent_writers_of_two_specs_leave_whole_headers(tmp_path: Path) -> None:
    a, b = _two_specs(tmp_path)
    expected = [render(load_spec(a)), render(load_spec(b))]
    for relpath in OUTPUT_FILES:
        assert expected[0][relpath] != expected[1][relpath], relpath
    out = tmp_path / "shared-out"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    for _round in range(3):
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "apir_codegen", "generate", "-q", str(spec), "-o", str(out)],
                env=env,
                stderr=subprocess.PIPE,
            )
            for spec in [a, b] * 6
        ]
        for proc in procs:
            _, err = proc.communicate()
            assert proc.returncode == 0, err.decode()
        for relpath in OUTPUT_FILES:
            text = (out / relpath).read_text()
            assert text in (expected[0][relpath], expected[1][relpath]), f"{relpath} is torn"
        assert _stray_files(out) == []


def _fail_after(monkeypatch: pytest.MonkeyPatch, name: str, error: OSError, calls: int = 0) -> None:
    real = getattr(os, name)
    count = {"n": 0}

    def failing(*args: object, **kwargs: object) -> object:
        count["n"] += 1
        if count["n"] > calls:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, failing)


@pytest.mark.parametrize(
    ("function", "error"),
    [
        ("write", OSError(errno.ENOSPC, "No space left on device")),
        ("replace", OSError(errno.EACCES, "Permission denied")),
        ("open", PermissionError(errno.EACCES, "Permission denied")),
    ],
    ids=["disk-full", "rename-refused", "permission-lost"],
)
def test_failing_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], function: str, error: OSError
) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path / "spec")
    assert main(["generate", "-q", str(spec)]) == 0
    before = {rel: (spec.parent / rel).read_bytes() for rel in OUTPUT_FILES}
    edit_file(spec, 'frontend_return: "int"', 'frontend_return: "int64_t"')
    _fail_after(monkeypatch, function, error)
    assert main(["generate", "-q", str(spec)]) == 1
    err = capsys.readouterr().err
    assert "error: cannot write" in err and "virtgpu-forward.gen.h" in err
    assert "Traceback" not in err
    monkeypatch.undo()
    for rel, data in before.items():
        assert (spec.parent / rel).read_bytes() == data, f"{rel} changed"
    assert _stray_files(spec.parent) == []


def test_output_path_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("file")
    result = run_cli("generate", EXAMPLE_SPEC, "-o", blocker / "sub")
    assert result.returncode == 1
    assert "error: cannot create directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_in_a_directory_that_cannot_be_created() -> None:
    # /proc refuses new directories, even to root.
    result = run_cli("generate", EXAMPLE_SPEC, "-o", "/proc/self/apir-codegen-out")
    assert result.returncode == 1
    assert "error: cannot create directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A directory without write permission (simulated: tests may run as root, which ignores modes)."""
    out = tmp_path / "ro"
    out.mkdir()
    _fail_after(monkeypatch, "open", PermissionError(errno.EACCES, "Permission denied"))
    assert main(["generate", "-q", str(EXAMPLE_SPEC), "-o", str(out)]) == 1
    monkeypatch.undo()
    assert "Permission denied" in capsys.readouterr().err
    assert list(out.rglob("*.h")) == []


def _big_spec(path: Path, functions: int = 4000) -> None:
    lines = ["functions:"]
    for g in range(functions // 100):
        lines += [f"  group_{g}:", f"    group_description: group {g}", "    functions:"]
        for f in range(100):
            lines += [f"      function_{f}:", "        frontend_extra_params:", "        - size_t *size", "        - bool *flag"]
    lines += [
        "naming_patterns:",
        "  enum_prefix: APIR_COMMAND_TYPE_",
        "  backend_function_prefix: backend_",
        "  frontend_function_prefix: apir_",
        "  frontend_base_param: struct virtgpu *gpu",
    ]
    path.write_text("\n".join(lines) + "\n")


def test_ctrl_c_exits_130_and_leaves_no_partial_file(tmp_path: Path) -> None:
    spec = tmp_path / "big" / "ggmlremoting_functions.yaml"
    spec.parent.mkdir()
    _big_spec(spec)
    expected = render(load_spec(spec))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    outcomes = set()
    for delay in (0.05, 0.15, 0.25, 0.35, 0.45, 0.6, 0.8):
        out = tmp_path / f"out-{delay}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "apir_codegen", "generate", "-q", str(spec), "-o", str(out)],
            env=env,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate()
        outcomes.add(proc.returncode)
        assert proc.returncode in (0, 130), err.decode()
        assert b"Traceback" not in err
        if proc.returncode == 130:
            assert b"interrupted" in err
        if out.exists():
            assert _stray_files(out) == []
            for path in out.rglob("*.h"):
                rel = str(path.relative_to(out))
                assert path.read_text() == expected[rel], f"{rel} is partial"
    assert 130 in outcomes
