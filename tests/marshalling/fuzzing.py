"""Running the generated fuzz harness (``marshalling.fuzz_output``) with the deterministic driver.

The harness is one generated file (``LLVMFuzzerTestOneInput``); ``cpp/fuzz_driver.cpp`` calls it on
seeds (recorded from the generated guest stubs, host addresses replaced by tokens) and on mutations
of them, so that it runs under g++'s sanitizers without libFuzzer.  How many runs per command follows
the suite's profiles: a few thousand in CI, 200,000 in the long profile (``HYPOTHESIS_PROFILE=long``);
``APIR_FUZZ_EXECUTIONS`` overrides both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

CPP = Path(__file__).resolve().parent / "cpp"
DRIVER = CPP / "fuzz_driver.cpp"
FUZZ = Path(__file__).resolve().parent / "fuzz"
SANITIZE = ("-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer")
#: Every sanitizer report is fatal; leaks are checked at exit.
SANITIZER_ENV = {
    "ASAN_OPTIONS": "abort_on_error=1:detect_leaks=1:halt_on_error=1",
    "UBSAN_OPTIONS": "halt_on_error=1:abort_on_error=1:print_stacktrace=1",
}
CI_EXECUTIONS = 3000
LONG_EXECUTIONS = 200_000
CLANG = shutil.which("clang++") or shutil.which("clang++-14")


def executions() -> int:
    """Runs per command: APIR_FUZZ_EXECUTIONS, else the profile's."""
    explicit = os.environ.get("APIR_FUZZ_EXECUTIONS")
    if explicit:
        return int(explicit)
    return LONG_EXECUTIONS if os.environ.get("HYPOTHESIS_PROFILE") == "long" else CI_EXECUTIONS


class FuzzRun:
    """What one driver run reported: per command, executions and accepted inputs."""

    def __init__(self, process: subprocess.CompletedProcess[str]) -> None:
        self.process = process
        self.counts = {
            int(m.group(1)): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^command (\d+) executions (\d+) accepted (\d+)$", process.stdout, re.M)
        }
        self.finished = process.returncode == 0 and process.stdout.endswith("done\n")

    def crashing_input(self) -> str | None:
        match = re.search(r"^fuzz: crashing input: (.*)$", self.process.stderr, re.M)
        return match.group(1) if match else None

    def explain(self) -> str:
        return f"exit {self.process.returncode}\n{self.process.stderr[-6000:]}"


def run_driver(exe: Path, seeds: Path, runs: int, random_seed: int = 1, env: dict[str, str] | None = None,
               timeout: float = 3600) -> FuzzRun:
    full_env = {**os.environ, **SANITIZER_ENV, **(env or {})}
    process = subprocess.run([str(exe), str(seeds), str(runs), str(random_seed)], capture_output=True, text=True,
                             env=full_env, timeout=timeout)
    return FuzzRun(process)


def seed_commands(seeds: Path) -> set[int]:
    return {int(line.split()[0]) for line in seeds.read_text().splitlines() if line.strip()}
