"""Compile guest and host code against the stand-in runtime (tests/marshalling/standin/), anywhere.

The stand-in runtime has ggml's names and semantics (apir_cs.h, apir_cs_ggml.h,
virtgpu-forward-impl.h, virtgpu.h, backend-dispatched.h, ...) and minimal
stand-ins for the ggml types the codecs touch, so that generated guest and host
code for any spec compiles with -Wall -Wextra -Werror and runs in one program
without ggml or ../shared. Its layout mirrors ggml-virtgpu's, so the three
generated headers go where apir-codegen writes them (`gen`):

    gen/virtgpu-forward.gen.h                 guest declarations
    gen/backend/backend-dispatched.gen.h      handler declarations, dispatch table
    gen/backend/shared/apir_backend.gen.h     the command enum

Guest and host are separate translation units with separate include paths (as
in ggml, apir_cs_ggml.h relies on helpers each side defines differently).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

STANDIN = Path(__file__).resolve().parent / "standin"
RUNTIME = STANDIN / "runtime"
VIRTGPU = STANDIN / "ggml-virtgpu"
FLAGS = ("-std=c++20", "-O0", "-g0", "-Wall", "-Wextra", "-Werror")
GXX = shutil.which("g++")


class StandinBuildError(Exception):
    """Compiling or linking failed; the message holds the compiler's output."""


def guest_includes(gen: Path) -> list[Path]:
    return [gen, gen / "backend" / "shared", VIRTGPU, STANDIN / "include", RUNTIME]


def host_includes(gen: Path) -> list[Path]:
    return [gen / "backend", gen / "backend" / "shared", VIRTGPU / "backend", STANDIN / "include", RUNTIME]


def build(
    gen: Path,
    guest: Sequence[Path],
    host: Sequence[Path],
    work: Path,
    name: str = "standin_program",
    defines: Sequence[str] = (),
    include_dirs: Sequence[Path] = (),
    jobs: int = 2,
    flags: Sequence[str] = (),
    cxx: str | None = None,
) -> Path:
    """A program of the stand-in runtime, the ``guest`` sources (main() among them) and the ``host`` sources.

    Objects are kept in ``work/obj`` by content: builds that share ``work`` compile the runtime once.

    ``include_dirs`` come first on both sides (quoted includes also resolve beside each source);
    ``flags`` are added to every compile and to the link (e.g. sanitizers); ``cxx`` is the compiler (g++).
    """
    compiler = cxx or GXX
    if compiler is None:
        raise StandinBuildError("g++ is not installed")
    defines_flags = [f"-D{d}" for d in defines]
    extra = list(include_dirs)
    units = [(src, extra + guest_includes(gen)) for src in (*guest, RUNTIME / "guest_transport.cpp")]
    units += [(src, extra + host_includes(gen)) for src in (*host, RUNTIME / "host_runtime.cpp")]
    units.append((RUNTIME / "standin_common.cpp", [STANDIN / "include", RUNTIME]))
    objdir = work / "obj"
    objdir.mkdir(parents=True, exist_ok=True)

    def compile_one(unit: tuple[Path, list[Path]]) -> Path:
        source, includes = unit
        digest = hashlib.sha256(
            f"{compiler}|{source}|{defines_flags}|{includes}|{list(flags)}".encode() + source.read_bytes()
        )
        for directory in [source.parent, *includes]:
            for header in sorted(directory.glob("*.h")):
                digest.update(header.name.encode() + header.read_bytes())
        obj = objdir / f"{source.stem}-{digest.hexdigest()[:16]}.o"
        if obj.exists():  # same source, flags and headers: compiled already (work is a cache)
            return obj
        run = subprocess.run(
            [
                compiler,
                *FLAGS,
                *flags,
                *defines_flags,
                *(f"-I{d}" for d in includes),
                "-c",
                str(source),
                "-o",
                str(obj),
            ],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise StandinBuildError(f"compiling {source} failed:\n{run.stderr}")
        return obj

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        objects = list(pool.map(compile_one, units))
    exe = work / name
    run = subprocess.run([compiler, *flags, "-o", str(exe), *map(str, objects)], capture_output=True, text=True)
    if run.returncode != 0:
        raise StandinBuildError(f"linking {name} failed:\n{run.stderr}")
    return exe
