"""The generated fuzz harness against ggml's real host code and CPU backend (needs ../shared).

The example spec with ``fuzz_output`` added is regenerated; ggml's host is built with the generated
handlers in place of its hand-written ones, the generated harness, the example's fuzz hooks
(``examples/ggml-virtgpu/backend/backend-fuzz-hooks.cpp``) and the deterministic driver, under
AddressSanitizer and UBSan (leaks checked at exit).  Seeds are the requests the generated guest
stubs make in the harness's scenario, host addresses replaced by the harness's tokens.

No finding is allowed, but for the defect inside ggml's CPU backend (supports_op dereferences the
sources an op needs), whose inputs are counted and skipped (fuzz/known_defects_ggml.cpp) and whose
minimal request stays a strict xfail here.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from apir_codegen import load_spec
from apir_codegen.emit.marshalling import request_slots

from ..clangformat import GGML_STYLE, clang_format_binary, needs_clang_format
from ..conftest import EXAMPLE_SPEC
from . import fuzzing
from .annotated import generate, generated_sides
from .ggml_build import GgmlBuild, GgmlBuildError, build_ggml, find_cmake, find_compilers
from .harness import Harness, Side
from .test_ggml_generated import GGML_CPU_SUPPORTS_OP

HOOKS = EXAMPLE_SPEC.parent / "backend" / "backend-dispatched-impl.cpp"
FUZZ_HOOKS = EXAMPLE_SPEC.parent / "backend" / "backend-fuzz-hooks.cpp"
KNOWN_DEFECTS = fuzzing.FUZZ / "known_defects_ggml.cpp"
FUZZ_OUTPUT = "backend/backend-fuzz.gen.cpp"


def with_fuzz_output(text: str) -> str:
    assert text.count("\nmarshalling:\n") == 1
    return text.replace("\nmarshalling:\n", f"\nmarshalling:\n  fuzz_output: {FUZZ_OUTPUT}\n")


@pytest.fixture(scope="module")
def fuzz_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Side, Side]:
    out = tmp_path_factory.mktemp("fuzz-example")
    spec = out / EXAMPLE_SPEC.name
    spec.write_text(with_fuzz_output(EXAMPLE_SPEC.read_text()))
    generate(spec, out)
    guest, host = generated_sides(spec, out, (HOOKS, FUZZ_HOOKS))
    return spec, guest, host


@pytest.fixture(scope="module")
def generated_commands(fuzz_build: tuple[Path, Side, Side]) -> dict[str, int]:
    spec = load_spec(fuzz_build[0])
    return {cmd.handler_name: cmd.number for cmd in spec.commands if cmd.marshal is not None and cmd.marshal.host}


@pytest.fixture(scope="module")
def without_parameters(fuzz_build: tuple[Path, Side, Side]) -> set[int]:
    """Commands whose request is empty: they ignore the body, any input is accepted."""
    spec = load_spec(fuzz_build[0])
    return {cmd.number for cmd in spec.commands if cmd.marshal is not None and not request_slots(cmd.marshal)}


@pytest.fixture(scope="module")
def seeds(
    harness: Harness,
    fuzz_build: tuple[Path, Side, Side],
    generated_commands: dict[str, int],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    _, guest, host = fuzz_build
    run = harness.run_scenario(harness.scenario(guest, host))
    assert run.returncode == 0, run.stderr
    found = fuzzing.scenario_seeds(run.raw, set(generated_commands.values()), buffer_type_token=True)
    return fuzzing.write_seeds(tmp_path_factory.mktemp("fuzz-seeds") / "seeds.txt", found)


@pytest.fixture(scope="module")
def sanitized_harness(ggml: GgmlBuild, tmp_path_factory: pytest.TempPathFactory) -> Harness:
    """A harness over ggml built with AddressSanitizer and UBSan itself (cached like the plain build), so that
    what the generated handlers make ggml do is checked too."""
    cmake, compilers = find_cmake(), find_compilers()
    assert cmake is not None and compilers is not None  # the plain build needed them
    try:
        build = build_ggml(ggml.source, cmake, *compilers, sanitize=True)
    except GgmlBuildError as exc:
        pytest.fail(str(exc))
    return Harness(build, tmp_path_factory.mktemp("marshalling-sanitized-ggml"))


@pytest.fixture(scope="module")
def fuzz_exe(sanitized_harness: Harness, fuzz_build: tuple[Path, Side, Side]) -> Path:
    spec, _, host = fuzz_build
    side = Side(
        generated=(*host.generated, spec.parent / FUZZ_OUTPUT),
        remove=host.remove,
        extra=(*host.extra, KNOWN_DEFECTS),
        include_dirs=host.include_dirs,
    )
    return sanitized_harness.host_program("fuzz", side, fuzzing.DRIVER, sanitize=True)


def fuzz_env(harness: Harness) -> dict[str, str]:
    """ggml's variables for the example's fuzz hooks, with ``harness``'s CPU backend."""
    return {
        "APIR_LLAMA_CPP_GGML_LIBRARY_PATH": str(harness.ggml.cpu_lib),
        "GGML_NO_BACKTRACE": "1",
        "OMP_NUM_THREADS": "1",
    }


@needs_clang_format
def test_fuzz_hooks_file_is_formatted_as_ggml_formats() -> None:
    import subprocess

    binary = clang_format_binary()
    assert binary is not None
    formatted = subprocess.run(
        [binary, f"--style=file:{GGML_STYLE}", str(FUZZ_HOOKS)], capture_output=True, text=True, check=True
    ).stdout
    assert formatted == FUZZ_HOOKS.read_text()


def test_seeds_cover_every_generated_command(seeds: Path, generated_commands: dict[str, int]) -> None:
    assert fuzzing.seed_commands(seeds) == set(generated_commands.values())


def test_seeds_are_accepted(sanitized_harness: Harness, fuzz_exe: Path, seeds: Path) -> None:
    """Every command has a seed its generated handler accepts (the tokens stand for real host objects)."""
    first = {}
    for line in seeds.read_text().splitlines():
        first.setdefault(line.split()[0], line)
    single = fuzzing.write_seeds(
        seeds.with_name("first-seeds.txt"),
        [(int(c), bytes.fromhex(b) if b != "-" else b"") for c, b in (line.split() for line in first.values())],
    )
    run = fuzzing.run_driver(fuzz_exe, single, 1, env=fuzz_env(sanitized_harness))
    assert run.finished, run.explain()
    assert {cmd: counts for cmd, counts in run.counts.items() if counts != (1, 1)} == {}


def test_no_finding(
    sanitized_harness: Harness,
    fuzz_exe: Path,
    seeds: Path,
    generated_commands: dict[str, int],
    without_parameters: set[int],
) -> None:
    runs = fuzzing.executions()
    run = fuzzing.run_driver(fuzz_exe, seeds, runs, env=fuzz_env(sanitized_harness), timeout=24 * 3600)
    print(run.process.stdout)
    assert run.finished, run.explain()
    assert set(run.counts) == set(generated_commands.values())
    for cmd, (executed, accepted) in run.counts.items():
        assert executed == runs
        if cmd in without_parameters:
            assert accepted == executed
        else:  # mutations reach both paths
            assert 0 < accepted < executed - run.skipped[cmd], (cmd, accepted)
    supports_op = generated_commands["backend_device_supports_op"]
    assert {cmd for cmd, n in run.skipped.items() if n} <= {supports_op}


# ---- the defect left inside ggml ----

#: ggml_tensor at 48f38694 on x86-64 (336 bytes): where the fields the minimal request sets are.
TENSOR_SIZE, BUFFER_AT, OP_AT, SRC_AT, VIEW_SRC_AT = 336, 8, 80, 152, 232


def ggml_op_value(name: str) -> int:
    """The value of GGML_OP_<name> in ggml's ggml.h (the enum counts from GGML_OP_NONE = 0)."""
    from .conftest import GGML_SOURCE

    text = (GGML_SOURCE / "include" / "ggml.h").read_text()
    body = text[text.index("enum ggml_op {") :]
    names = re.findall(r"^\s*(GGML_OP_\w+)", body[: body.index("};")], re.M)
    return names.index(f"GGML_OP_{name}")


def lone_tensor(seed: bytes, op: int) -> bytes:
    """The first tensor of a supports_op request alone: no buffer, no view, no sources, the given op."""
    body = bytearray(seed[:TENSOR_SIZE])
    body[BUFFER_AT : BUFFER_AT + 8] = bytes(8)
    body[SRC_AT : VIEW_SRC_AT + 8] = bytes(VIEW_SRC_AT + 8 - SRC_AT)
    body[OP_AT : OP_AT + 4] = op.to_bytes(4, "little")
    return bytes(body)


@pytest.fixture(scope="module")
def fuzz_exe_unfiltered(harness: Harness, fuzz_build: tuple[Path, Side, Side]) -> Path:
    """The harness without the known-defect filter: what libFuzzer would run."""
    spec, _, host = fuzz_build
    side = Side(
        generated=(*host.generated, spec.parent / FUZZ_OUTPUT),
        remove=host.remove,
        extra=host.extra,
        include_dirs=host.include_dirs,
    )
    return harness.host_program("fuzz-unfiltered", side, fuzzing.DRIVER, sanitize=True)


def test_an_op_without_the_sources_it_needs(
    harness: Harness,
    fuzz_exe_unfiltered: Path,
    seeds: Path,
    generated_commands: dict[str, int],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """The minimal request, through the generated harness: supports_op of one F32 tensor without sources
    whose op is MUL_MAT crashes the host inside ggml's CPU backend; the same tensor as an ADD is served."""
    cmd = generated_commands["backend_device_supports_op"]
    seed = next(
        bytes.fromhex(line.split()[1]) for line in seeds.read_text().splitlines() if int(line.split()[0]) == cmd
    )
    control = fuzzing.write_seeds(tmp_path / "add.txt", [(cmd, lone_tensor(seed, ggml_op_value("ADD")))])
    run = fuzzing.run_driver(fuzz_exe_unfiltered, control, 1, env=fuzz_env(harness))
    assert run.finished and run.counts == {cmd: (1, 1)}, run.explain()
    mul_mat = fuzzing.write_seeds(tmp_path / "mul_mat.txt", [(cmd, lone_tensor(seed, ggml_op_value("MUL_MAT")))])
    run = fuzzing.run_driver(fuzz_exe_unfiltered, mul_mat, 1, env=fuzz_env(harness))
    if not run.finished:  # the crash is ggml's, and the driver names the input
        assert re.search(r"SEGV.*\n(.*\n)*.*#0 .* in ggml_backend_cpu_device_supports_op", run.process.stderr), (
            run.explain()
        )
        assert run.crashing_input() == f"{cmd} {lone_tensor(seed, ggml_op_value('MUL_MAT')).hex()}"
    request.applymarker(pytest.mark.xfail(strict=True, reason=GGML_CPU_SUPPORTS_OP))
    assert run.finished, run.explain()


# ---- the same file as a libFuzzer target ----


@pytest.mark.skipif(fuzzing.CLANG is None, reason="clang is not installed (Debian: clang, libclang-rt-dev)")
def test_libfuzzer_target(
    harness: Harness,
    fuzz_build: tuple[Path, Side, Side],
    seeds: Path,
    generated_commands: dict[str, int],
    tmp_path: Path,
) -> None:
    """ggml's host sources, the generated handlers and harness and ggml's fuzz hooks, built by clang with
    -fsanitize=fuzzer,address,undefined (the ggml libraries as they are): libFuzzer finds nothing."""
    assert fuzzing.CLANG is not None
    clang = Harness(
        dataclasses.replace(harness.ggml, cxx=fuzzing.CLANG),
        harness.work / "libfuzzer",
        sanitize_flags=fuzzing.LIBFUZZER,
    )
    spec, _, host = fuzz_build
    side = Side(
        generated=(*host.generated, spec.parent / FUZZ_OUTPUT),
        remove=host.remove,
        extra=host.extra,
        include_dirs=host.include_dirs,
    )
    exe = clang.host_program("libfuzzer", side, KNOWN_DEFECTS, sanitize=True)
    corpus = fuzzing.write_corpus(tmp_path / "corpus", seeds)
    runs = fuzzing.executions() * len(generated_commands)
    run = fuzzing.run_libfuzzer(exe, corpus, runs, env=fuzz_env(harness), timeout=24 * 3600)
    assert run.returncode == 0, run.stderr[-6000:]
    assert re.search(rf"^stat::number_of_executed_units: {runs}$", run.stderr, re.M), run.stderr[-3000:]


# ---- regressions: findings in generated code ----


def test_an_inline_tensor_whose_op_is_out_of_range_is_rejected(
    sanitized_harness: Harness, fuzz_exe: Path, seeds: Path, generated_commands: dict[str, int], tmp_path: Path
) -> None:
    """Found by this harness against ggml under UBSan: the generated inline-tensor guard checked the type, not
    the op, and the CPU backend's supports_op loaded an op outside ggml_op (load of value 8060957, which is
    not a valid value for type 'ggml_op'). The same tensor with a valid op is served."""
    cmd = generated_commands["backend_device_supports_op"]
    seed = next(
        bytes.fromhex(line.split()[1]) for line in seeds.read_text().splitlines() if int(line.split()[0]) == cmd
    )
    ops = (ggml_op_value("ADD"), 8060957, 0xFFFFFFFF)
    inputs = fuzzing.write_seeds(tmp_path / "ops.txt", [(cmd, lone_tensor(seed, op)) for op in ops])
    run = fuzzing.run_driver(fuzz_exe, inputs, len(ops), env=fuzz_env(sanitized_harness))
    assert run.finished, run.explain()
    assert run.counts == {cmd: (len(ops), 1)}


#: Found by libFuzzer: supports_op of a SOFT_MAX_BACK whose first source pointer is cut to NULL by the
#: substitution of a token that overlaps it (so only the request as the handler sees it shows ggml's defect).
SOFT_MAX_BACK_CUT = (
    "060000000000000000000000a005b700f7a6550010000000000000000d000000000000000100000000000000010000000000"
    "000001000000000000000400000000110000000000000046757a7a2071b8f7a655002f0000000000003f0000000000004675"
    "7a7a000000000000000000000000000000000000000000000100b50100000000000000000000000000000000000010000000"
    "0000000046757a7a000000000000800000000000000000000000000100000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000110000000000000046757a7a2071b8f7a655000000000000000000000000000046757a7a2900000001"
    "00000001000000010000000400490040000000400000004000000000000000000000000000000000000000000000000000a8"
    "0000000000000097"
)


def test_known_defects_are_judged_on_the_request_the_handler_sees(
    sanitized_harness: Harness, fuzz_exe: Path, generated_commands: dict[str, int], tmp_path: Path
) -> None:
    data = bytes.fromhex(SOFT_MAX_BACK_CUT)
    cmd = int.from_bytes(data[:4], "little")
    assert cmd == generated_commands["backend_device_supports_op"]
    inputs = fuzzing.write_seeds(tmp_path / "cut.txt", [(cmd, data[4:])])
    run = fuzzing.run_driver(fuzz_exe, inputs, 1, env=fuzz_env(sanitized_harness))
    assert run.finished, run.explain()
    assert run.skipped == {cmd: 1}
