"""Constructs accepted so that apir-codegen matches the reference pipeline also compile.

The formatting fixtures for them (names after ``volatile``, letterless type
names, ``_Bool``, a block scalar's line break) give headers that g++ compiles
warning-free and whose dispatch table works.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT
from .cxx import compile_and_run, dispatch_program, needs_gxx

CASES = ["volatile-before-name", "letterless-identifiers", "bool-type", "trailing-line-break"]


@needs_gxx
@pytest.mark.parametrize("name", CASES)
def test_fixture_headers_compile_and_dispatch(name: str, tmp_path: Path) -> None:
    spec = FIXTURES / "formatting" / name / "spec.yaml"
    out = tmp_path / "gen"
    subprocess.run(
        [sys.executable, "-m", "apir_codegen", "generate", str(spec), "-o", str(out), "-q"],
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
    )
    run = compile_and_run(dispatch_program(spec, out), tmp_path)
    assert run.returncode == 0, run.stdout
