"""Robustness: concurrent writers, failing writes, unwritable outputs, Ctrl-C."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from apir_codegen import OUTPUT_FILES, load_spec, render
from apir_codegen.cli import main

from .conftest import PLAIN_EXAMPLE_SPEC, ROOT
from .helpers import copy_spec, edit_file, run_cli
from .interrupts import Interrupter, Outcome, python_m


def _stray_files(directory: Path) -> list[str]:
    return [str(p) for p in directory.rglob("*") if p.is_file() and p.name.endswith(".tmp")]


def _two_specs(tmp_path: Path) -> tuple[Path, Path]:
    a = copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path / "a")
    b = copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path / "b")
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


def _creates(path: object, flags: int, *args: object, **kwargs: object) -> bool:
    return bool(flags & os.O_CREAT)


#: Which calls fail: opening files for reading (the spec) still works when permission to write is lost.
_FAILING_CALLS = {"open": _creates}


def _fail_after(monkeypatch: pytest.MonkeyPatch, name: str, error: OSError, calls: int = 0) -> None:
    real = getattr(os, name)
    count = {"n": 0}
    applies = _FAILING_CALLS.get(name)

    def failing(*args: object, **kwargs: object) -> object:
        if applies is not None and not applies(*args, **kwargs):
            return real(*args, **kwargs)
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
    spec = copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path / "spec")
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
    result = run_cli("generate", PLAIN_EXAMPLE_SPEC, "-o", blocker / "sub")
    assert result.returncode == 1
    assert "error: cannot create directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_in_a_directory_that_cannot_be_created() -> None:
    # /proc refuses new directories, even to root.
    result = run_cli("generate", PLAIN_EXAMPLE_SPEC, "-o", "/proc/self/apir-codegen-out")
    assert result.returncode == 1
    assert "error: cannot create directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A directory without write permission (simulated: tests may run as root, which ignores modes)."""
    out = tmp_path / "ro"
    out.mkdir()
    _fail_after(monkeypatch, "open", PermissionError(errno.EACCES, "Permission denied"))
    assert main(["generate", "-q", str(PLAIN_EXAMPLE_SPEC), "-o", str(out)]) == 1
    monkeypatch.undo()
    assert "Permission denied" in capsys.readouterr().err
    assert list(out.rglob("*.h")) == []


def _big_spec(path: Path, functions: int = 4000) -> None:
    lines = ["functions:"]
    for g in range(functions // 100):
        lines += [f"  group_{g}:", f"    group_description: group {g}", "    functions:"]
        for f in range(100):
            lines += [
                f"      function_{f}:",
                "        frontend_extra_params:",
                "        - size_t *size",
                "        - bool *flag",
            ]
    lines += [
        "naming_patterns:",
        "  enum_prefix: APIR_COMMAND_TYPE_",
        "  backend_function_prefix: backend_",
        "  frontend_function_prefix: apir_",
        "  frontend_base_param: struct virtgpu *gpu",
    ]
    path.write_text("\n".join(lines) + "\n")


def _assert_interrupted_cleanly(outcome: Outcome, out: Path, expected: dict[str, str], where: str) -> None:
    assert outcome.returncode == 130, f"{where}: exit {outcome.returncode}\n{outcome.stderr}"
    assert "Traceback" not in outcome.stderr, f"{where}\n{outcome.stderr}"
    assert outcome.stderr.endswith("apir-codegen: interrupted\n"), f"{where}\n{outcome.stderr}"
    if out.exists():
        assert _stray_files(out) == [], where
        for path in out.rglob("*.h"):
            rel = str(path.relative_to(out))
            assert path.read_text() == expected[rel], f"{where}: {rel} is partial"


def _entry_points() -> list[list[str]]:
    """``python -m apir_codegen``, and the console script when it is installed beside this Python."""
    script = Path(sys.executable).parent / "apir-codegen"
    return [python_m()] + ([[str(script)]] if script.is_file() else [])


def test_ctrl_c_exits_130_and_leaves_no_partial_file(tmp_path: Path) -> None:
    """Ctrl-C at every point of a run: each import of start-up, each write; by the process and from outside.

    The points are reached deterministically (see tests/interrupts.py).  Only
    the interpreter's own start-up, before the first line of the package runs,
    is out of reach of any code of ours.
    """
    spec = copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path / "spec")
    expected = render(load_spec(spec))
    runs = 0
    for index, command in enumerate(_entry_points()):
        interrupter = Interrupter(tmp_path / f"hook{index}", command)

        def args(out: Path) -> list[str]:
            return ["generate", "-q", str(spec), "-o", str(out)]

        imports = interrupter.imported_modules(args(tmp_path / f"record{index}"))
        # The package is looked up (more than once, by runpy), then its first line runs.
        ours = imports[len(imports) - imports[::-1].index("apir_codegen") :]
        assert "apir_codegen.cli" in ours and "yaml" in ours, ours
        if index > 0:  # after the entry module, both entry points run the same imports: ours suffice
            ours = [name for name in ours if name.startswith("apir_codegen")]
        points = [f"import:{name}" for name in ours]
        points += [f"call:{name}:{n}" for name in ("open", "replace") for n in (1, 2, 3)]
        for point in points:
            out = tmp_path / f"out{runs}"
            runs += 1
            _assert_interrupted_cleanly(interrupter.run(args(out), point), out, expected, f"{command} at {point}")
        # A real Ctrl-C from outside, once the run has reached a known point.
        for point in ("import:apir_codegen.cli", "import:yaml", "call:replace:2"):
            out = tmp_path / f"out{runs}"
            runs += 1
            outcome = interrupter.run(args(out), point, by="parent")
            _assert_interrupted_cleanly(outcome, out, expected, f"{command}, SIGINT from outside at {point}")
            if point.startswith("call:replace"):
                # Held back until the header being renamed is whole, then the run stops.
                assert len(list(out.rglob("*.h"))) == 2


def test_ctrl_c_ignored_by_the_parent_stays_ignored(tmp_path: Path) -> None:
    """Under nohup or in a background job SIGINT is ignored: the command keeps it so."""
    spec = copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path / "spec")
    interrupter = Interrupter(tmp_path / "hook", python_m())
    env = interrupter.env("import:apir_codegen.cli", "self")
    proc = subprocess.run(
        [*python_m(), "generate", "-q", str(spec)],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert all((spec.parent / rel).is_file() for rel in OUTPUT_FILES)


def test_importing_the_library_leaves_sigint_alone() -> None:
    script = "import signal, apir_codegen.cli; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    )
    assert proc.stdout == "True\n", proc.stderr
