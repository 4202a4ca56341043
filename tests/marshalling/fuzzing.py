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
    """What one driver run reported: per command, executions, accepted and skipped inputs."""

    def __init__(self, process: subprocess.CompletedProcess[str]) -> None:
        self.process = process
        self.counts: dict[int, tuple[int, int]] = {}
        self.skipped: dict[int, int] = {}
        for m in re.finditer(r"^command (\d+) executions (\d+) accepted (\d+) skipped (\d+)$", process.stdout, re.M):
            self.counts[int(m.group(1))] = (int(m.group(2)), int(m.group(3)))
            self.skipped[int(m.group(1))] = int(m.group(4))
        self.finished = process.returncode == 0 and process.stdout.endswith("done\n")

    def crashing_input(self) -> str | None:
        match = re.search(r"^fuzz: crashing input: (.*)$", self.process.stderr, re.M)
        return match.group(1) if match else None

    def explain(self) -> str:
        return f"exit {self.process.returncode}\n{self.process.stderr[-6000:]}"


def run_driver(
    exe: Path, seeds: Path, runs: int, random_seed: int = 1, env: dict[str, str] | None = None, timeout: float = 3600
) -> FuzzRun:
    full_env = {**os.environ, **SANITIZER_ENV, **(env or {})}
    process = subprocess.run(
        [str(exe), str(seeds), str(runs), str(random_seed)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )
    return FuzzRun(process)


def seed_commands(seeds: Path) -> set[int]:
    return {int(line.split()[0]) for line in seeds.read_text().splitlines() if line.strip()}


TOKEN = 0x7A7A754600000000
BUFFERS = 2  # the harness's pool (emit/fuzz_harness.py BUFFERS)


def scenario_seeds(raw: str, commands: set[int], buffer_type_token: bool) -> list[tuple[int, bytes]]:
    """Seeds from a harness scenario's raw log: the request bodies of ``commands``, host addresses as tokens.

    The scenario's first host buffer becomes token 0, every later one token 1 (the pool has two), the
    device's buffer type token 2 (when the harness has that token); a word that points into the guest's
    stack becomes token 0 too: it is the buffer handle of an inline tensor as ggml's guest sends it (the
    address of the handle, apir_encode_ggml_buffer_handle's bug), which a fixed guest sends as the handle.
    Other words stay as they were.
    """
    live: dict[str, int] = {}
    stack = range(0)
    seeds: list[tuple[int, bytes]] = []
    for line in raw.splitlines():
        parts = line.split(" ")
        if parts[0] == "region+" and len(parts) >= 4:
            live[parts[3]] = int(parts[1], 16)
            if parts[3] == "<stack>":
                stack = range(int(parts[1], 16), int(parts[1], 16) + int(parts[2], 16))
        elif parts[0] == "region-" and len(parts) >= 3:
            live.pop(parts[2], None)
        elif parts[0] == "req" and len(parts) == 3:
            request = bytes.fromhex(parts[2])
            cmd = int.from_bytes(request[4:8], "little")
            if cmd not in commands:
                continue
            tokens: dict[int, int] = {}
            for name, start in live.items():
                if re.fullmatch(r"host\.buffer#\d+", name):
                    number = int(name.split("#")[1])
                    tokens[start] = TOKEN + min(number - 1, BUFFERS - 1)
                elif name.startswith("host.buft:") and buffer_type_token:
                    tokens.setdefault(start, TOKEN + BUFFERS)
            original = request[12:]
            body = bytearray(original)
            for at in range(len(body) - 7):
                word = int.from_bytes(original[at : at + 8], "little")
                if word in tokens or word in stack:
                    body[at : at + 8] = tokens.get(word, TOKEN).to_bytes(8, "little")
            seeds.append((cmd, bytes(body)))
    return seeds


def write_seeds(path: Path, seeds: list[tuple[int, bytes]]) -> Path:
    path.write_text("".join(f"{cmd} {body.hex() or '-'}\n" for cmd, body in seeds))
    return path


#: libFuzzer with clang (Debian: clang and libclang-rt-dev); tests that need it skip without it.
LIBFUZZER = ("-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer")


def write_corpus(directory: Path, seeds: Path) -> Path:
    """libFuzzer's corpus from a seeds file: one input per seed (the command number, then the body)."""
    directory.mkdir(parents=True, exist_ok=True)
    for index, line in enumerate(seeds.read_text().splitlines()):
        cmd, body = line.split()
        data = int(cmd).to_bytes(4, "little") + (b"" if body == "-" else bytes.fromhex(body))
        (directory / f"seed-{index:04d}").write_bytes(data)
    return directory


def run_libfuzzer(
    exe: Path, corpus: Path, runs: int, env: dict[str, str] | None = None, timeout: float = 3600
) -> subprocess.CompletedProcess[str]:
    """``runs`` inputs from ``corpus`` (not written back: a scratch copy is fuzzed), seed 1."""
    scratch = corpus.with_name(corpus.name + "-scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(corpus, scratch)
    artifacts = corpus.with_name(corpus.name + "-artifacts")
    artifacts.mkdir(exist_ok=True)
    return subprocess.run(
        [
            str(exe),
            f"-runs={runs}",
            "-seed=1",
            "-max_len=4096",
            "-print_final_stats=1",
            f"-artifact_prefix={artifacts}/",
            str(scratch),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **SANITIZER_ENV, **(env or {})},
        timeout=timeout,
    )
