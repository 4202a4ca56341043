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
* generated marshalling: the annotated example spec (18 of 23 commands
  generated) as ggml's spec above; and a synthetic spec whose functions all
  have a codec (1,000 and 10,000 functions), every one annotated vs the same
  spec without annotations (``generate`` and ``check``).

Usage::

    python benchmarks/bench.py [--repeat N] [--sizes 1000,2000,5000,10000] [--marshal-sizes 1000,10000] [--python PY]

By default the script installs apir-codegen (and PyYAML) into a fresh virtual
environment with a regular, non-editable ``pip install``, which compiles the
modules' bytecode, as users install it: an editable install on a machine with
PYTHONDONTWRITEBYTECODE set would recompile apir-codegen's sources on every run
and measure that instead.  ``--python`` uses an existing interpreter instead.

Targets (issue "Speed and robustness"): ggml's spec at most 1.5x the floor for
each case; the 10,000-function spec at most 30x, linear from 1,000 to 10,000,
peak memory under 100 MiB.
Targets (issue 12, generated marshalling): the annotated example at most 1.5x
the floor; the annotated 10,000-function spec at most twice the unannotated one.
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


NAMING = [
    "naming_patterns:",
    '  enum_prefix: "APIR_COMMAND_TYPE_"',
    '  backend_function_prefix: "backend_"',
    '  frontend_function_prefix: "apir_"',
    '  frontend_base_param: "struct virtgpu *gpu"',
]


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
    return "\n".join(lines + NAMING) + "\n"


#: Types and return types that all have a codec, with the annotation each needs (None: none).
MARSHAL_TYPES: dict[str, str | None] = {
    "size_t": None,
    "uint32_t": None,
    "int32_t": None,
    "bool *": "out",
    "uint64_t *": "{dir: in}",
    "ggml_tensor *": None,
    "const ggml_tensor *": "{as: tensor_inline, mutable: true}",
    "apir_buffer_context_t *": None,
    "const void *": "{as: shmem, dir: in, len: size}",
    "void *": "{as: shmem, dir: out, len: size}",
}
MARSHAL_RETURNS = ["void", "int", "size_t", "bool", "char *", "ggml_status", "void *", "apir_buffer_type_host_handle_t"]


def synthetic_marshal_spec(functions: int, annotated: bool, seed: int = 1) -> str:
    """A spec of ``functions`` functions (groups of 100, up to 5 parameters plus a size), every one
    generatable; with ``annotated``, every one has a ``marshal:`` block (every codec, directions, checks,
    host calls and hooks).  Without, the same spec with the annotations left out."""
    rng = random.Random(seed)
    lines = []
    if annotated:
        lines += [
            "marshalling:",
            "  types:",
            '    "apir_buffer_type_host_handle_t": buffer_type_handle',
            '    "apir_buffer_context_t *": buffer_handle',
            '    "ggml_tensor *": tensor_rpc',
        ]
    lines.append("functions:")
    names = list(MARSHAL_TYPES)
    for g in range(max(1, functions // 100)):
        lines += [f"  group_{g:03d}:", f'    group_description: "group {g}"', "    functions:"]
        for f in range(min(100, functions - g * 100)):
            lines.append(f"      function_{f:03d}_{rng.choice(['get', 'set', 'copy', 'sync'])}:")
            lines.append(f'        frontend_return: "{rng.choice(MARSHAL_RETURNS)}"')
            params = [(rng.choice(names), f"param_{p}") for p in range(rng.randint(0, 5))]
            if any(MARSHAL_TYPES[t] is not None and "shmem" in MARSHAL_TYPES[t] for t, _ in params):
                params.append(("size_t", "size"))
            if params:
                lines.append("        frontend_extra_params:")
                lines += [f'        - "{t} {name}"' for t, name in params]
            if not annotated:
                continue
            lines.append("        marshal:")
            words = {name: MARSHAL_TYPES[t] for t, name in params if MARSHAL_TYPES[t] is not None}
            if words:
                lines.append("          params: {" + ", ".join(f"{k}: {v}" for k, v in words.items()) + "}")
            if "size" in words or any(name == "size" for _, name in params):
                lines.append('          checks: ["size <= 65536"]')
            if f % 2:  # every other one calls a hand-written hook
                args = ", ".join(name for _, name in params)
                lines.append(f'          host_call: "synthetic_{g}_{f}({args})"')
    return "\n".join(lines + NAMING) + "\n"


def run(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall time (s), CPU time (user + system, s) and peak RSS (KiB) of one process."""
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
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


class Bench:
    def __init__(self, repeat: int, work: Path, python: str):
        self.repeat = repeat
        self.work = work
        self.python = python
        self.floor_times: list[float] = []
        self.floor_cpu: list[float] = []
        self.rows: list[tuple[str, float, float, float, float, int]] = []
        #: Per case label: median wall time and median CPU time.
        self.medians: dict[str, tuple[float, float]] = {}

    def floor(self) -> tuple[float, float]:
        elapsed, cpu, _ = run([self.python, "-c", "import yaml"], self.work)
        self.floor_times.append(elapsed)
        self.floor_cpu.append(cpu)
        return elapsed, cpu

    def case(self, label: str, argv: list[str], prepare: callable[[], None] | None = None) -> float:
        """Run a case ``repeat`` times, each after a run of the floor; its median wall time.

        CPU time (user + system) is recorded beside wall time: on a shared
        machine it is the steadier measure, as waiting for a core does not count.
        """
        times: list[float] = []
        cpus: list[float] = []
        floors: list[float] = []
        floor_cpus: list[float] = []
        rss = 0
        for _ in range(self.repeat):
            floor, floor_cpu = self.floor()
            floors.append(floor)
            floor_cpus.append(floor_cpu)
            if prepare is not None:
                prepare()
            elapsed, cpu, peak = run([self.python, "-m", "apir_codegen", *argv], self.work)
            times.append(elapsed)
            cpus.append(cpu)
            rss = max(rss, peak)
        median, cpu = statistics.median(times), statistics.median(cpus)
        self.rows.append(
            (label, median, median / statistics.median(floors), cpu, cpu / statistics.median(floor_cpus), rss)
        )
        self.medians[label] = (median, cpu)
        return median

    def report(self) -> None:
        floor = statistics.median(self.floor_times)
        floor_cpu = statistics.median(self.floor_cpu)
        print(
            f"floor (python -c 'import yaml'): median {floor * 1000:.1f} ms wall, {floor_cpu * 1000:.1f} ms CPU "
            f"over {len(self.floor_times)} runs"
        )
        print(f"{'case':<48} {'wall':>10} {'x floor':>8} {'CPU':>10} {'x floor':>8} {'peak RSS':>10}")
        for label, median, ratio, cpu, cpu_ratio, rss in self.rows:
            print(
                f"{label:<48} {median * 1000:>8.1f}ms {ratio:>8.2f} {cpu * 1000:>8.1f}ms {cpu_ratio:>8.2f} "
                f"{rss / 1024:>8.1f}MiB"
            )


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
    parser.add_argument(
        "--marshal-sizes", default="1000,10000", help="sizes of the annotated/unannotated pair of synthetic specs"
    )
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
        annotated = work / "annotated" / "ggmlremoting_functions.yaml"
        annotated.parent.mkdir()
        shutil.copy(EXAMPLE_SPEC, annotated)
        annotated_out = work / "annotated-out"

        def empty_annotated() -> None:
            shutil.rmtree(annotated_out, ignore_errors=True)

        generate = ["generate", "-q", str(annotated), "-o", str(annotated_out)]
        bench.case("annotated example: generate into an empty dir", generate, empty_annotated)
        bench.case("annotated example: generate, up to date", generate)
        bench.case("annotated example: check", ["check", "-q", str(annotated), "-o", str(annotated_out)])
        pairs: list[tuple[int, str, str, str]] = []
        for size in [int(s) for s in args.marshal_sizes.split(",") if s]:
            labels = []
            for annotate in (False, True):
                kind = "annotated" if annotate else "plain"
                marshal_spec = work / f"marshal-{kind}-{size}.yaml"
                marshal_spec.write_text(synthetic_marshal_spec(size, annotate))
                marshal_out = work / f"marshal-{kind}-{size}-out"

                def empty_marshal(path: Path = marshal_out) -> None:
                    shutil.rmtree(path, ignore_errors=True)

                label = f"{size} generatable, {'all annotated' if annotate else 'unannotated'}"
                labels += [f"{label}: generate", f"{label}: check"]
                bench.case(labels[-2], ["generate", "-q", str(marshal_spec), "-o", str(marshal_out)], empty_marshal)
                bench.case(labels[-1], ["check", "-q", str(marshal_spec), "-o", str(marshal_out)])
            pairs += [(size, "generate", labels[0], labels[2]), (size, "check", labels[1], labels[3])]
        per_function: list[tuple[int, float]] = []
        for size in [int(s) for s in args.sizes.split(",") if s]:
            big = work / f"spec-{size}.yaml"
            big.write_text(synthetic_spec(size))
            big_out = work / f"out-{size}"

            def empty_big(path: Path = big_out) -> None:
                shutil.rmtree(path, ignore_errors=True)

            t = bench.case(
                f"{size} functions: generate into an empty dir",
                ["generate", "-q", str(big), "-o", str(big_out)],
                empty_big,
            )
            bench.case(f"{size} functions: check", ["check", "-q", str(big), "-o", str(big_out)])
            per_function.append((size, t))
        bench.report()
        if len(per_function) >= 2:
            floor = statistics.median(bench.floor_times)
            print("linearity (generate, time above the floor per 1,000 functions):")
            for size, t in per_function:
                print(f"  {size:>6} functions: {(t - floor) / size * 1000 * 1000:.1f} ms")
        if pairs:
            print("annotated / unannotated (same spec, every function annotated vs none):")
            for size, what, plain, annotated_label in pairs:
                (wall, cpu), (wall_a, cpu_a) = bench.medians[plain], bench.medians[annotated_label]
                print(f"  {size:>6} functions, {what}: {wall_a / wall:.2f}x wall, {cpu_a / cpu:.2f}x CPU")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
