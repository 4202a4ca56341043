"""One fixture per diagnostic: a small bad spec and the exact messages it must produce.

Each ``fixtures/diagnostics/NAME.yaml`` has its expected standard error in
``NAME.err`` (and extra command-line arguments, if any, in ``NAME.args``).
Every fixture must exit 1, show no traceback and write nothing.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apir_codegen import OUTPUT_FILES
from apir_codegen.diagnostics import Diagnostic, Location, report

from .conftest import FIXTURES, ROOT
from .helpers import run_cli

CASES = sorted((FIXTURES / "diagnostics").glob("*.yaml"))


def _args(spec: Path) -> list[str]:
    extra = spec.with_suffix(".args")
    return extra.read_text().split() if extra.exists() else []


@pytest.mark.parametrize("spec", CASES, ids=lambda p: p.stem)
def test_fixture_gives_expected_diagnostics(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("generate", spec.name, "--output-dir", out, *_args(spec), cwd=spec.parent, env={"NO_COLOR": "1"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == spec.with_suffix(".err").read_text()
    assert not out.exists(), "nothing may be written when the spec has errors"


@pytest.mark.parametrize("spec", CASES, ids=lambda p: p.stem)
def test_every_diagnostic_names_the_spec_and_a_line(spec: Path) -> None:
    first = spec.with_suffix(".err").read_text().splitlines()[0]
    assert first.startswith(f"{spec.name}:")
    line = int(first.split(":")[1])
    assert 1 <= line <= max(1, len(spec.read_bytes().splitlines()))


def test_there_is_a_fixture_per_check() -> None:
    assert len(CASES) >= 100


@pytest.mark.parametrize("name", ["warning-disabled-and-deprecated", "warning-nested-comment-opener"])
def test_warnings_do_not_fail_without_werror(name: str, tmp_path: Path) -> None:
    spec = FIXTURES / "diagnostics" / f"{name}.yaml"
    out = tmp_path / "out"
    result = run_cli("generate", spec.name, "--output-dir", out, cwd=spec.parent, env={"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert ": warning: " in result.stderr
    assert all((out / rel).is_file() for rel in OUTPUT_FILES)


def test_color_only_on_request_of_a_terminal(tmp_path: Path) -> None:
    spec = FIXTURES / "diagnostics" / "enabled-maybe.yaml"
    piped = run_cli("check", spec.name, cwd=spec.parent)
    assert piped.returncode == 1
    assert piped.stderr.startswith("enabled-maybe.yaml:"), piped.stderr
    assert ": error: " in piped.stderr
    assert "\033[" not in piped.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_color_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    diag = Diagnostic("error", "bad", Location("s.yaml", 1, 2), hint="fix it")
    monkeypatch.delenv("NO_COLOR", raising=False)
    tty = _Terminal()
    report([diag], tty)
    assert "\033[1;31merror\033[0m" in tty.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _Terminal()
    report([diag], plain)
    assert "\033[" not in plain.getvalue()
    assert plain.getvalue().startswith("s.yaml:1:2: error: bad\n  hint: fix it\n")


@pytest.mark.parametrize("no_color", [None, "1"], ids=["colors", "NO_COLOR"])
def test_color_through_a_real_terminal(no_color: str | None) -> None:
    """End to end: the command on a pseudo-terminal colors its diagnostics, unless NO_COLOR is set."""
    pty = pytest.importorskip("pty")
    spec = FIXTURES / "diagnostics" / "enabled-maybe.yaml"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("NO_COLOR", None)
    if no_color is not None:
        env["NO_COLOR"] = no_color
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "apir_codegen", "check", str(spec)], stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    output = b"".join(chunks)
    assert proc.returncode == 1
    if no_color is None:
        assert b"\033[1;31merror" in output
    else:
        assert b"\033[" not in output
        assert b"enabled-maybe.yaml:" in output and b": error: " in output, output
