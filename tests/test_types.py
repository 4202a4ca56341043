"""Type hints are checked: mypy on the package (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


def test_mypy_passes() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


HEAVY = {
    "typing",
    "pathlib",
    "dataclasses",
    "argparse",
    "tempfile",
    "hashlib",
    "difflib",
    "subprocess",
    "json",
    "inspect",
}


def test_start_up_imports_stay_light() -> None:
    """generate/check run on every build: their import path must not pull in heavy modules."""
    script = (
        "import sys, yaml; before = set(sys.modules); import apir_codegen.cli; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    env_path = str(ROOT / "src")
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": env_path, "PATH": ""}
    )
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert not (loaded & HEAVY), loaded & HEAVY
