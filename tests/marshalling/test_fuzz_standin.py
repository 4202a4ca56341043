"""The generated fuzz harness against the stand-in runtime, anywhere (no ../shared).

fuzz/spec.yaml asks for the harness; its generated host handlers, the harness and the stand-in's
host runtime are built with AddressSanitizer and UBSan and driven by cpp/fuzz_driver.cpp, seeded with
the requests the generated guest stubs make (fuzz/seeds_standin.cpp).  No finding is allowed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from apir_codegen import load_spec, render

from . import fuzzing
from .standin_build import GXX, build

SPEC = fuzzing.FUZZ / "spec.yaml"
HARNESS = "backend/backend-fuzz.gen.cpp"

pytestmark = pytest.mark.skipif(GXX is None, reason="g++ is not installed")


@pytest.fixture(scope="module")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fuzz-gen")
    for relpath, text in render(load_spec(SPEC)).items():
        (out / relpath).parent.mkdir(parents=True, exist_ok=True)
        (out / relpath).write_text(text)
    return out


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-build")


@pytest.fixture(scope="module")
def seeds(gen: Path, work: Path) -> Path:
    exe = build(gen, [gen / "virtgpu-forward.marshal.gen.cpp", fuzzing.FUZZ / "seeds_standin.cpp"],
                [gen / "backend/backend-dispatched.marshal.gen.cpp"], work, name="seeds")
    path = work / "seeds.txt"
    subprocess.run([str(exe), str(path)], check=True, timeout=60)
    return path


def fuzzer(gen: Path, work: Path, name: str, host: list[Path]) -> Path:
    return build(gen, [fuzzing.DRIVER], host + [fuzzing.FUZZ / "hooks_standin.cpp"], work, name=name,
                 flags=fuzzing.SANITIZE)


@pytest.fixture(scope="module")
def fuzz_exe(gen: Path, work: Path) -> Path:
    return fuzzer(gen, work, "fuzz", [gen / "backend/backend-dispatched.marshal.gen.cpp", gen / HARNESS])


def test_seeds_cover_every_generated_command(gen: Path, seeds: Path) -> None:
    spec = load_spec(SPEC)
    assert fuzzing.seed_commands(seeds) == {cmd.number for cmd in spec.commands if cmd.marshal is not None}


def test_every_seed_is_accepted(fuzz_exe: Path, seeds: Path) -> None:
    """The seeds mean something: the first of each command is accepted by the generated handler."""
    run = fuzzing.run_driver(fuzz_exe, seeds, 1)
    assert run.finished, run.explain()
    assert run.counts and all(counts == (1, 1) for counts in run.counts.values()), run.counts


def test_no_finding(fuzz_exe: Path, seeds: Path) -> None:
    runs = fuzzing.executions()
    run = fuzzing.run_driver(fuzz_exe, seeds, runs)
    assert run.finished, run.explain()
    assert set(run.counts) == fuzzing.seed_commands(seeds)
    for cmd, (executed, accepted) in run.counts.items():
        assert executed == runs
        assert 0 < accepted < executed, (cmd, accepted)  # mutations reach both the accepted and rejected paths
