"""The stand-in runtime: ggml's names and semantics, without ggml, for generated code anywhere.

Proved here with a hand-written guest and host (standin/mini/) for a small spec
whose headers apir-codegen generates: they compile with -Wall -Wextra -Werror,
round-trip seeded random values of every codec the mini spec uses, move data
through both shared-memory paths, and the host rejects every request cut short.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from apir_codegen import load_spec, render

from .standin_build import GXX, STANDIN, StandinBuildError, build

MINI = STANDIN / "mini"

pytestmark = pytest.mark.skipif(GXX is None, reason="g++ is not installed")


def generate(spec: Path, out: Path) -> Path:
    for relpath, text in render(load_spec(spec)).items():
        target = out / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return out


@pytest.fixture(scope="module")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(MINI / "spec.yaml", tmp_path_factory.mktemp("mini-gen"))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the module's builds: the runtime's objects are compiled once."""
    return tmp_path_factory.mktemp("standin-build")


@pytest.mark.parametrize("fixed_handle", [False, True], ids=["ggml-handle-bug", "handle-fixed"])
def test_mini_guest_and_host_round_trip(gen: Path, work: Path, fixed_handle: bool) -> None:
    exe = build(
        gen,
        [MINI / "guest.cpp", MINI / "main.cpp"],
        [MINI / "host.cpp"],
        work,
        name=f"mini-{fixed_handle}",
        defines=["STANDIN_FIX_BUFFER_HANDLE"] if fixed_handle else [],
    )
    for seed in ("1", "2", "3"):
        run = subprocess.run([str(exe), seed], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert run.stdout.endswith(" 0 failures\n")


def test_a_wrong_host_is_caught(gen: Path, work: Path, tmp_path: Path) -> None:
    """The program can fail: a host that drops a byte of the uint8_t slot breaks the round trip."""
    host = (MINI / "host.cpp").read_text()
    wrong = host.replace("(c ? 1 : 0) + d;", "(c ? 1 : 0);")
    assert wrong != host
    (tmp_path / "host.cpp").write_text(wrong)
    exe = build(
        gen,
        [MINI / "guest.cpp", MINI / "main.cpp"],
        [tmp_path / "host.cpp"],
        work,
        name="mini-wrong",
        include_dirs=[MINI],
    )
    run = subprocess.run([str(exe), "1"], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "check failed: sum ==" in run.stderr


def test_a_missing_handler_does_not_link(gen: Path, work: Path, tmp_path: Path) -> None:
    """The generated dispatch table names every handler: one missing is an undefined symbol."""
    host = (MINI / "host.cpp").read_text()
    start = host.index("uint32_t backend_demo_status(")
    (tmp_path / "host.cpp").write_text(host[:start])
    with pytest.raises(StandinBuildError, match="undefined reference to `backend_demo_status"):
        build(
            gen,
            [MINI / "guest.cpp", MINI / "main.cpp"],
            [tmp_path / "host.cpp"],
            work,
            name="mini-missing",
            include_dirs=[MINI],
        )


def test_runtime_headers_are_warning_free_alone(gen: Path, tmp_path: Path) -> None:
    """Each stand-in header compiles by itself, on its side, with -Wall -Wextra -Werror."""
    from .standin_build import FLAGS, guest_includes, host_includes

    sides = {
        "guest": (guest_includes(gen), ["virtgpu-forward-impl.h", "ggml-remoting.h", "virtgpu.h"]),
        "host": (host_includes(gen), ["backend-dispatched.h", "backend-virgl-apir.h", "backend-convert.h"]),
    }
    for side, (includes, headers) in sides.items():
        for header in headers:
            source = tmp_path / f"{side}-{header}.cpp"
            source.write_text(f'#include "{header}"\n')
            run = subprocess.run(
                [GXX, *FLAGS, *(f"-I{d}" for d in includes), "-c", str(source), "-o", str(source.with_suffix(".o"))],
                capture_output=True,
                text=True,
            )
            assert run.returncode == 0, f"{side} {header}:\n{run.stderr}"
