"""Build ggml's core and CPU backend once, into a cache shared by test sessions.

The marshalling tests link ggml's virtgpu code against ggml's real runtime
(`libggml-base.so`) and load its real CPU backend (`libggml-cpu.so`) on the host
side, as virglrenderer does. Building them takes about 40 s on two cores, so the
result is kept in the system's temporary directory, keyed by a hash of the
source tree, the compilers and the build options: a second session reuses it,
a changed source or compiler builds afresh. Never inside the repository and
never inside ../shared (read-only in CI).

Two sessions at once (two pytest runs, or pytest-xdist workers) are safe: the
build runs under an exclusive file lock, into a temporary directory renamed into
place only when complete, so a reader sees either nothing or a whole build.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

#: The options of ../shared/README.md, plus the two a standalone ggml checkout needs
#: (its top-level CMakeLists.txt adds tests/ and examples/, which the cut-down tree lacks).
CMAKE_OPTIONS = (
    "-DBUILD_SHARED_LIBS=ON",
    "-DGGML_NATIVE=OFF",
    "-DGGML_BUILD_TESTS=OFF",
    "-DGGML_BUILD_EXAMPLES=OFF",
    "-DCMAKE_BUILD_TYPE=Release",
)
TARGETS = ("ggml-base", "ggml-cpu")
#: A build whose ggml code is under AddressSanitizer and UBSan too (``build_ggml(..., sanitize=True)``), so that
#: the fuzz harness sees what the generated handlers make ggml do; every report is fatal.
SANITIZE_FLAGS = "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
SANITIZE_OPTIONS = (
    f"-DCMAKE_C_FLAGS={SANITIZE_FLAGS}",
    f"-DCMAKE_CXX_FLAGS={SANITIZE_FLAGS}",
    "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address,undefined",
    "-DGGML_OPENMP=OFF",  # libgomp is not instrumented
)
CACHE_ENV = "APIR_GGML_BUILD_CACHE"  # overrides the cache root


class GgmlBuildError(Exception):
    """The build failed; the message ends with the tail of its log."""


@dataclass(frozen=True)
class GgmlBuild:
    source: Path  # ggml's source tree (read only)
    lib_dir: Path  # holds libggml-base.so and libggml-cpu.so
    cc: str
    cxx: str
    seconds: float  # how long this session waited for it (0 when reused at once)
    reused: bool

    @property
    def base_lib(self) -> Path:
        return self.lib_dir / "libggml-base.so"

    @property
    def cpu_lib(self) -> Path:
        return self.lib_dir / "libggml-cpu.so"

    @property
    def include_dirs(self) -> tuple[Path, Path]:
        return self.source / "include", self.source / "src"


def find_cmake() -> str | None:
    """cmake from the test extra (beside this interpreter), else the system's."""
    beside = Path(sys.executable).parent / "cmake"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("cmake")


def find_compilers() -> tuple[str, str] | None:
    cc, cxx = shutil.which("gcc"), shutil.which("g++")
    return (cc, cxx) if cc and cxx else None


def _tree_digest(source: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(source)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _tool_identity(path: str) -> str:
    run = subprocess.run([path, "--version"], capture_output=True, text=True)
    return f"{os.path.realpath(path)}\n{run.stdout}"


def cache_key(source: Path, cmake: str, cc: str, cxx: str, options: tuple[str, ...] = ()) -> str:
    digest = hashlib.sha256()
    for part in (
        _tree_digest(source),
        _tool_identity(cmake),
        _tool_identity(cc),
        _tool_identity(cxx),
        *CMAKE_OPTIONS,
        *options,
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:24]


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "apir-codegen-ggml-build")


def build_ggml(source: Path, cmake: str, cc: str, cxx: str, jobs: int = 2, sanitize: bool = False) -> GgmlBuild:
    """The build for ``source``, from the cache or built now (under the lock); ``sanitize``: ggml's code under
    AddressSanitizer and UBSan (a build of its own)."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    options = SANITIZE_OPTIONS if sanitize else ()
    key = cache_key(source, cmake, cc, cxx, options)
    final = root / key
    began = time.monotonic()

    def done(reused: bool) -> GgmlBuild:
        return GgmlBuild(source, final / "lib", cc, cxx, time.monotonic() - began, reused)

    if (final / "complete").is_file():
        return done(True)
    with open(root / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (final / "complete").is_file():  # another session built it while we waited
            return done(True)
        shutil.rmtree(final, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=f"{key}.tmp-", dir=root))
        try:
            _run_build(source, work, cmake, cc, cxx, jobs, options)
            os.rename(work, final)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return done(False)


def _run_build(source: Path, work: Path, cmake: str, cc: str, cxx: str, jobs: int, options: tuple[str, ...]) -> None:
    build = work / "build"
    log = work / "build.log"
    steps = [
        [
            cmake,
            "-S",
            str(source),
            "-B",
            str(build),
            f"-DCMAKE_C_COMPILER={cc}",
            f"-DCMAKE_CXX_COMPILER={cxx}",
            *CMAKE_OPTIONS,
            *options,
        ],
        [cmake, "--build", str(build), "-j", str(jobs), "--target", *TARGETS],
    ]
    with open(log, "w") as out:
        for step in steps:
            out.write("$ " + " ".join(step) + "\n")
            out.flush()
            run = subprocess.run(step, stdout=out, stderr=subprocess.STDOUT)
            if run.returncode != 0:
                out.close()
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
                raise GgmlBuildError(f"ggml build failed ({' '.join(step[:2])}...):\n{tail}")
    lib = work / "lib"
    lib.mkdir()
    for name in ("libggml-base.so", "libggml-cpu.so"):
        found = sorted(build.rglob(name))
        if not found:
            raise GgmlBuildError(f"the build produced no {name}")
        # keep the SONAME links working: copy the real file under the plain name and its SONAME
        real = found[0].resolve()
        shutil.copy2(real, lib / name)
        for link in build.rglob(name + ".*"):
            if not (lib / link.name).exists():
                shutil.copy2(link.resolve(), lib / link.name)
    shutil.rmtree(build)  # the objects are 60 MB; the two libraries are all the tests need
    (work / "complete").write_text(f"{source}\n")
