#!/usr/bin/env python3
"""Benchmark apir-codegen against the interpreter's floor.

The floor is ``python -c "import yaml"`` in the same environment: no tool that
reads a YAML spec with PyYAML can start faster.  Every case runs as a fresh
process, several times, interleaved with the floor so that both see the same
machine; the script prints medians, the ratio to the floor's median and the
peak memory (max RSS) of each case.

Cases:

* ggml's spec (from ../shared when present, else the example spec):
  ``generate`` into an empty directory, ``generate`` when everything is up to
  date, and ``check``;
* synthetic specs of 1,000 to 10,000 functions (groups of 100, up to 5
  parameters each): ``generate`` into an empty directory and ``check``, to see
  that the cost grows linearly.

Usage::

    python benchmarks/bench.py [--repeat N] [--sizes 1000,2000,5000,10000] [--python PY]

By default the script installs apir-codegen (and PyYAML) into a fresh virtual
environment with a regular, non-editable ``pip install``, which compiles the
modules' bytecode, as users install it: an editable install on a machine with
PYTHONDONTWRITEBYTECODE set would recompile apir-codegen's sources on every run
and measure that instead.  ``--python`` uses an existing interpreter instead.

Targets (issue "Speed and robustness"): ggml's spec at most 1.5x the floor for
each case; the 10,000-function spec at most 30x, linear from 1,000 to 10,000,
peak memory under 100 MiB.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_SPEC = ROOT.parent / "shared" / "upstream" / "ggml-7cfc6a52" / "ggmlremoting_functions.yaml"
EXAMPLE_SPEC = ROOT / "examples" / "ggml-virtgpu" / "ggmlremoting_functions.yaml"

TYPES = ["size_t", "uint32_t", "const char *", "bool *", "const ggml_tensor *", "apir_buffer_context_t *", "void *"]
RETURNS = ["void", "int", "size_t", "bool", "char *", "ggml_status", "apir_buffer_context_t"]


def synthetic_spec(functions: int, seed: int = 1) -> str:
    """A spec of ``functions`` functions in groups of 100, written as YAML text."""
    rng = random.Random(seed)
    lines = ["functions:"]
    groups = max(1, functions // 100)
    for g in range(groups):
        lines += [f"  group_{g:03d}:", f'    group_description: "group {g}"', "    functions:"]
        for f in range(min(100, functions - g * 100)):
            lines.append(f"      function_{f:03d}_{rng.choice(['get', 'set', 'copy', 'sync'])}:")
            lines.append(f'        frontend_return: "{rng.choice(RETURNS)}"')
            count = rng.randint(0, 5)
            if count:
                lines.append("        frontend_extra_params:")
                for p in range(count):
                    lines.append(f'        - "{rng.choice(TYPES)} param_{p}"')
    lines += [
        "naming_patterns:",
        '  enum_prefix: "APIR_COMMAND_TYPE_"',
        '  backend_function_prefix: "backend_"',
        '  frontend_function_prefix: "apir_"',
        '  frontend_base_param: "struct virtgpu *gpu"',
    ]
    return "\n".join(lines) + "\n"


def run(argv: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        if code not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{err.read().decode()}")
    return elapsed, usage.ru_maxrss


class Bench:
    def __init__(self, repeat: int, work: Path, python: str):
        self.repeat = repeat
        self.work = work
        self.python = python
        self.floor_times: list[float] = []
        self.rows: list[tuple[str, float, float, int]] = []

    def floor(self) -> float:
        elapsed, _ = run([self.python, "-c", "import yaml"], self.work)
        self.floor_times.append(elapsed)
        return elapsed

    def case(self, label: str, argv: list[str], prepare: "callable[[], None] | None" = None) -> float:
        times: list[float] = []
        floors: list[float] = []
        rss = 0
        for _ in range(self.repeat):
            floors.append(self.floor())
            if prepare is not None:
                prepare()
            elapsed, peak = run([self.python, "-m", "apir_codegen", *argv], self.work)
            times.append(elapsed)
            rss = max(rss, peak)
        median = statistics.median(times)
        floor = statistics.median(floors)
        self.rows.append((label, median, median / floor, rss))
        return median

    def report(self) -> None:
        floor = statistics.median(self.floor_times)
        print(f"floor (python -c 'import yaml'): median {floor * 1000:.1f} ms over {len(self.floor_times)} runs")
        print(f"{'case':<44} {'median':>10} {'x floor':>8} {'peak RSS':>10}")
        for label, median, ratio, rss in self.rows:
            print(f"{label:<44} {median * 1000:>8.1f}ms {ratio:>8.2f} {rss / 1024:>8.1f}MiB")


def install(venv: Path) -> str:
    """A fresh virtual environment with apir-codegen installed from this checkout."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT)], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="runs per case (default 7)")
    parser.add_argument("--sizes", default="1000,2000,5000,10000", help="synthetic spec sizes")
    parser.add_argument("--python", help="an interpreter with apir-codegen installed (default: a fresh venv)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="apir-bench-"))
    try:
        python = args.python or install(work / "venv")
        print(f"interpreter: {python}")
        bench = Bench(args.repeat, work, python)
        ggml = work / "ggml"
        ggml.mkdir()
        spec = ggml / "ggmlremoting_functions.yaml"
        shutil.copy(SHARED_SPEC if SHARED_SPEC.is_file() else EXAMPLE_SPEC, spec)
        out = work / "ggml-out"

        def empty() -> None:
            shutil.rmtree(out, ignore_errors=True)

        bench.case("ggml spec: generate into an empty dir", ["generate", "-q", str(spec), "-o", str(out)], empty)
        bench.case("ggml spec: generate, up to date", ["generate", "-q", str(spec), "-o", str(out)])
        bench.case("ggml spec: check", ["check", "-q", str(spec), "-o", str(out)])
        per_function: list[tuple[int, float]] = []
        for size in [int(s) for s in args.sizes.split(",") if s]:
            big = work / f"spec-{size}.yaml"
            big.write_text(synthetic_spec(size))
            big_out = work / f"out-{size}"

            def empty_big(path: Path = big_out) -> None:
                shutil.rmtree(path, ignore_errors=True)

            t = bench.case(f"{size} functions: generate into an empty dir", ["generate", "-q", str(big), "-o", str(big_out)], empty_big)
            bench.case(f"{size} functions: check", ["check", "-q", str(big), "-o", str(big_out)])
            per_function.append((size, t))
        bench.report()
        if len(per_function) >= 2:
            floor = statistics.median(bench.floor_times)
            print("linearity (generate, time above the floor per 1,000 functions):")
            for size, t in per_function:
                print(f"  {size:>6} functions: {(t - floor) / size * 1000 * 1000:.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
