"""The generated fuzz harness against the stand-in runtime, anywhere (no ../shared).

fuzz/spec.yaml asks for the harness; its generated host handlers, the harness and the stand-in's
host runtime are built with AddressSanitizer and UBSan and driven by cpp/fuzz_driver.cpp, seeded with
the requests the generated guest stubs make (fuzz/seeds_standin.cpp).  No finding is allowed.
"""

from __future__ import annotations

import re
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
    exe = build(
        gen,
        [gen / "virtgpu-forward.marshal.gen.cpp", fuzzing.FUZZ / "seeds_standin.cpp"],
        [gen / "backend/backend-dispatched.marshal.gen.cpp"],
        work,
        name="seeds",
    )
    path = work / "seeds.txt"
    subprocess.run([str(exe), str(path)], check=True, timeout=60)
    return path


def fuzzer(gen: Path, work: Path, name: str, host: list[Path]) -> Path:
    return build(
        gen, [fuzzing.DRIVER], host + [fuzzing.FUZZ / "hooks_standin.cpp"], work, name=name, flags=fuzzing.SANITIZE
    )


@pytest.fixture(scope="module")
def fuzz_exe(gen: Path, work: Path) -> Path:
    return fuzzer(gen, work, "fuzz", [gen / "backend/backend-dispatched.marshal.gen.cpp", gen / HARNESS])


def number(handler: str) -> int:
    (cmd,) = [c.number for c in load_spec(SPEC).commands if c.handler_name == handler]
    return cmd


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


# ---- the harness notices what it must ----


def variant(tmp_path: Path, replacements: list[tuple[str, str]]) -> Path:
    text = SPEC.read_text()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    out = tmp_path / "gen"
    for relpath, rendered in render(load_spec(spec)).items():
        (out / relpath).parent.mkdir(parents=True, exist_ok=True)
        (out / relpath).write_text(rendered)
    return out


def run_variant(out: Path, work: Path, seeds: Path, name: str, extra: tuple[Path, ...] = ()) -> fuzzing.FuzzRun:
    exe = fuzzer(out, work, name, [out / "backend/backend-dispatched.marshal.gen.cpp", out / HARNESS, *extra])
    return fuzzing.run_driver(exe, seeds, 2000)


def test_a_missing_check_is_found(work: Path, seeds: Path, tmp_path: Path) -> None:
    """Without its size check, 'write' copies past the buffer: AddressSanitizer reports it, the driver names the input."""
    out = variant(
        tmp_path,
        [
            (
                '            - "size <= buffer->size - offset"\n'
                '          host_call: "memcpy((char *) buffer->iface.get_base(buffer) + offset, data, size)"',
                '          host_call: "memcpy((char *) buffer->iface.get_base(buffer) + offset, data, size)"',
            )
        ],
    )
    run = run_variant(out, work, seeds, "fuzz-unchecked")
    assert not run.finished
    assert "AddressSanitizer" in run.process.stderr, run.explain()
    assert (run.crashing_input() or "").startswith(f"{number('backend_buffer_write')} "), run.explain()


def test_a_rejection_that_changed_the_host_is_found(work: Path, seeds: Path, tmp_path: Path) -> None:
    out = variant(tmp_path, [('          host_call: "buffer->iface.clear(buffer, value)"\n', "          params: {}\n")])
    run = run_variant(out, work, seeds, "fuzz-clear-hook", [fuzzing.FUZZ / "faulty_hooks_standin.cpp"])
    assert not run.finished
    clear = number("backend_buffer_clear")
    assert f"command {clear} was rejected but changed the host" in run.process.stderr, run.explain()
    assert (run.crashing_input() or "").startswith(f"{clear} ")


def test_a_reply_that_trailing_bytes_change_is_found(work: Path, seeds: Path, tmp_path: Path) -> None:
    out = variant(
        tmp_path,
        [('          host_call: "(uint32_t) a ^ (uint32_t) b ^ (c ? 1u : 0u) ^ d"\n', "          params: {}\n")],
    )
    run = run_variant(out, work, seeds, "fuzz-scalars-hook", [fuzzing.FUZZ / "faulty_hooks_standin.cpp"])
    assert not run.finished
    scalars = number("backend_demo_scalars")
    assert f"command {scalars} replies differently to trailing bytes" in run.process.stderr, run.explain()


def test_a_bool_other_than_0_or_1_is_rejected(fuzz_exe: Path, tmp_path: Path) -> None:
    """Regression (found by this harness): a bool read from the request as a bool was UB for any byte but 0 or 1."""
    body = (-5).to_bytes(4, "little", signed=True) + (7).to_bytes(8, "little")
    scalars = number("backend_demo_scalars")
    seeds = fuzzing.write_seeds(
        tmp_path / "seeds.txt", [(scalars, body + bytes([c, 0, 0, 0]) + bytes(4)) for c in (1, 5)]
    )
    run = fuzzing.run_driver(fuzz_exe, seeds, 2)
    assert run.finished, run.explain()
    assert run.counts == {scalars: (2, 1)}  # true accepted, 5 rejected (and no UBSan report)


def test_a_ggml_status_out_of_its_range_is_rejected(fuzz_exe: Path, tmp_path: Path) -> None:
    """Regression (found by this harness): a ggml_status read from the request as one was UB for values
    outside -2..1 (UBSan: load of value 4096, which is not a valid value for type 'ggml_status')."""
    echo = number("backend_demo_echo_status")
    values = (-2, 1, -3, 2, 4096, -(2**31))
    seeds = fuzzing.write_seeds(tmp_path / "seeds.txt", [(echo, v.to_bytes(4, "little", signed=True)) for v in values])
    run = fuzzing.run_driver(fuzz_exe, seeds, len(values))
    assert run.finished, run.explain()
    assert run.counts == {echo: (len(values), 2)}


# ---- the same file as a libFuzzer target ----


@pytest.mark.skipif(fuzzing.CLANG is None, reason="clang is not installed (Debian: clang, libclang-rt-dev)")
def test_libfuzzer_target(gen: Path, work: Path, seeds: Path, tmp_path: Path) -> None:
    """clang -fsanitize=fuzzer,address,undefined builds the harness as it is; libFuzzer finds nothing."""
    exe = build(
        gen,
        [],
        [gen / "backend/backend-dispatched.marshal.gen.cpp", gen / HARNESS, fuzzing.FUZZ / "hooks_standin.cpp"],
        work,
        name="libfuzzer",
        flags=fuzzing.LIBFUZZER,
        cxx=fuzzing.CLANG,
    )
    corpus = fuzzing.write_corpus(tmp_path / "corpus", seeds)
    runs = fuzzing.executions() * len(fuzzing.seed_commands(seeds))
    run = fuzzing.run_libfuzzer(exe, corpus, runs)
    assert run.returncode == 0, run.stderr[-6000:]
    assert re.search(rf"^stat::number_of_executed_units: {runs}$", run.stderr, re.M), run.stderr[-3000:]


def test_a_token_followed_by_the_tail_of_one_stays_one_handle(fuzz_exe: Path, tmp_path: Path) -> None:
    """Regression (found by libFuzzer): tokens were looked for in the body as it was being rewritten, so the
    high byte of a substituted address (0) and the 7 bytes after it ("\\0\\0\\0Fuzz") made another token,
    whose substitution overwrote that high byte with the low byte of an address: the handle was valid only
    when that byte happened to be 0, and a request was accepted once and rejected with trailing bytes."""
    tail = bytes.fromhex("00000046757a7a")
    cases = [
        (number(handler), (fuzzing.TOKEN + i).to_bytes(8, "little") + tail)
        for handler in ("backend_buffer_get_base", "backend_buffer_free_buffer")
        for i in range(2)
    ]
    seeds = fuzzing.write_seeds(tmp_path / "seeds.txt", cases)
    run = fuzzing.run_driver(fuzz_exe, seeds, 2)
    assert run.finished, run.explain()
    assert run.counts == {number("backend_buffer_get_base"): (2, 2), number("backend_buffer_free_buffer"): (2, 2)}
