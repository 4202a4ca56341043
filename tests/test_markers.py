"""The slow marker selects; it never leaves tests out of a plain run (what CI does)."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from .conftest import ROOT


def test_plain_pytest_deselects_nothing() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "slow" in " ".join(options["markers"])
    assert "-m" not in options.get("addopts", "").split(), "a plain run must run the slow tests too"


def test_precommit_and_cmake_tests_are_marked_slow() -> None:
    def collected(*marker: str) -> set[str]:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
                *marker,
                "tests/test_precommit.py",
                "tests/test_cmake.py",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}

    everything = collected()  # test_precommit.py is skipped whole without pre-commit installed
    assert "tests/test_cmake.py" in everything
    assert collected("-m", "slow") == everything
    assert collected("-m", "not slow") == set()
