"""Fixtures of the marshalling harness: ggml's build, the harness, the crafted-request driver.

Everything here needs ../shared (ggml's sources), g++ and cmake, and skips
cleanly without them. ggml's core and CPU backend are built once per machine
(see ggml_build.py); the harness's objects once per session.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from ..conftest import SHARED
from . import crafted
from .ggml_build import GgmlBuild, GgmlBuildError, build_ggml, find_cmake, find_compilers
from .harness import HANDWRITTEN, SANITIZE, Harness, ScenarioRun

GGML_SOURCE = SHARED / "upstream" / "ggml-48f38694" / "source"


@pytest.fixture(scope="session")
def ggml() -> GgmlBuild:
    if not GGML_SOURCE.is_dir():
        pytest.skip("../shared (ggml's sources) is absent")
    compilers = find_compilers()
    if compilers is None:
        pytest.skip("gcc/g++ are not installed")
    cmake = find_cmake()
    if cmake is None:
        pytest.skip("cmake is not installed (pip install -e '.[test]' provides one)")
    try:
        build = build_ggml(GGML_SOURCE, cmake, *compilers)
    except GgmlBuildError as exc:
        pytest.fail(str(exc))
    print(f"\nggml build: {'reused' if build.reused else 'built'} in {build.seconds:.1f} s at {build.lib_dir}")
    return build


@pytest.fixture(scope="session")
def harness(ggml: GgmlBuild, tmp_path_factory: pytest.TempPathFactory) -> Harness:
    return Harness(ggml, tmp_path_factory.mktemp("marshalling"))


@pytest.fixture(scope="session")
def handwritten_run(harness: Harness) -> ScenarioRun:
    """ggml's hand-written guest and host: the reference log."""
    return harness.run_scenario(harness.scenario(HANDWRITTEN, HANDWRITTEN))


def _sanitizer_works(cxx: str, work: Path) -> bool:
    probe = work / "sanitizer_probe"
    run = subprocess.run(
        [cxx, *SANITIZE, "-x", "c++", "-", "-o", str(probe)], input="int main() {}\n", capture_output=True, text=True
    )
    return run.returncode == 0 and subprocess.run([str(probe)]).returncode == 0


@pytest.fixture(scope="session")
def sanitize(harness: Harness) -> bool:
    """Whether drivers are built with the sanitizers (AddressSanitizer and UBSan): when the compiler has them."""
    return _sanitizer_works(harness.ggml.cxx, harness.work)


@pytest.fixture(scope="session")
def host_driver(harness: Harness, sanitize: bool) -> Path:
    """ggml's hand-written handlers in the crafted-request driver (with the sanitizers when available)."""
    return harness.host_driver(HANDWRITTEN, sanitize=sanitize)


@pytest.fixture(scope="session")
def layouts(harness: Harness, host_driver: Path) -> dict[str, crafted.Layout]:
    return crafted.describe(host_driver, harness.env())


class CraftedResults:
    """Each command's crafted cases, run on first use and kept for the session."""

    def __init__(
        self, harness: Harness, driver: Path, layouts: dict[str, crafted.Layout], name: str = "crafted"
    ) -> None:
        self.harness, self.driver, self.layouts = harness, driver, layouts
        self.work = harness.work / name  # where the case files go
        self._done: dict[str, list[crafted.Outcome]] = {}
        self.seconds: dict[str, float] = {}

    def __call__(self, command: str) -> list[crafted.Outcome]:
        if command not in self._done:
            began = time.monotonic()
            self._done[command] = crafted.run(
                self.driver, self.harness.env(), crafted.cases(self.layouts[command]), self.work
            )
            self.seconds[command] = time.monotonic() - began
        return self._done[command]


@pytest.fixture(scope="session")
def crafted_results(harness: Harness, host_driver: Path, layouts: dict[str, crafted.Layout]) -> CraftedResults:
    return CraftedResults(harness, host_driver, layouts)
