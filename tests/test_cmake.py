"""cmake/ApirCodegen.cmake, through a real configure and build of examples/cmake.

The example generates from a private copy of the example spec (its APIR_SPEC
cache variable) into a build tree under ``tmp_path``, finds apir-codegen on
PATH (the directory of ``sys.executable``, where the console script lives)
and compiles and runs a program against the headers.  Then it is rebuilt after
each kind of change, and the test checks that exactly the right work is done:
nothing when nothing changed, regeneration when the spec or its lock file
changed (including the lock file being created or deleted), and that the
program sees the result.

CMake comes from the `cmake` wheel of the test extra (next to sys.executable),
or else from PATH.  Both Makefile and Ninja generators are tested when their
tools are installed: they differ in what a run that leaves a header's text
unchanged does to its timestamp (see the module's comments).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import EXAMPLE_SPEC
from .cxx import needs_gxx
from .helpers import ROOT, edit_file, run_cli, snapshot

BIN = Path(sys.executable).parent
EXAMPLE = EXAMPLE_SPEC.parent
PROJECT = ROOT / "examples" / "cmake"
HEADERS = ("backend/shared/apir_backend.gen.h", "backend/backend-dispatched.gen.h", "virtgpu-forward.gen.h")
GENERATING = "Generating API-remoting headers"
COMPILING = "Building CXX object"


def _find_cmake() -> str | None:
    for candidate in (BIN / "cmake", BIN / "cmake.exe"):
        if candidate.is_file():
            return str(candidate)
    return shutil.which("cmake")


def _cmake_version(cmake: str | None) -> tuple[int, ...]:
    if cmake is None:
        return ()
    proc = subprocess.run([cmake, "--version"], capture_output=True, text=True)
    match = re.search(r"version (\d+)\.(\d+)", proc.stdout)
    return tuple(int(g) for g in match.groups()) if match else ()


CMAKE = _find_cmake()
APIR_CODEGEN = BIN / "apir-codegen"

pytestmark = [
    needs_gxx,
    pytest.mark.skipif(_cmake_version(CMAKE) < (3, 20), reason="CMake >= 3.20 is not installed"),
    pytest.mark.skipif(not APIR_CODEGEN.is_file(), reason=f"apir-codegen is not installed in {BIN}"),
]

GENERATORS = [
    pytest.param("Unix Makefiles", marks=pytest.mark.skipif(shutil.which("make") is None, reason="no make")),
    pytest.param("Ninja", marks=pytest.mark.skipif(shutil.which("ninja") is None, reason="no ninja")),
]


class Build:
    """examples/cmake configured in ``tmp_path/build`` against a private copy of the example spec."""

    def __init__(self, tmp_path: Path, generator: str) -> None:
        self.tmp_path = tmp_path
        self.generator = generator
        self.spec_dir = tmp_path / "virtgpu"
        shutil.copytree(EXAMPLE, self.spec_dir)
        self.spec = self.spec_dir / "ggmlremoting_functions.yaml"
        self.lock = self.spec_dir / "ggmlremoting_functions.lock"
        self.dir = tmp_path / "build"
        self.generated = self.dir / "generated"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("CMAKE_", "MAKEFLAGS"))}
        self.env["PATH"] = str(BIN) + os.pathsep + os.environ.get("PATH", "")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert CMAKE is not None
        return subprocess.run([CMAKE, *args], env=self.env, capture_output=True, text=True, timeout=300)

    def configure(self) -> None:
        proc = self.run("-G", self.generator, "-S", str(PROJECT), "-B", str(self.dir), f"-DAPIR_SPEC={self.spec}")
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def build(self) -> str:
        proc = self.run("--build", str(self.dir))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout + proc.stderr

    def program(self) -> str:
        proc = subprocess.run([str(self.dir / "apir_example")], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    def header(self, relpath: str) -> str:
        return (self.generated / relpath).read_text()

    def mtimes(self) -> dict[str, int]:
        return {rel: (self.generated / rel).stat().st_mtime_ns for rel in HEADERS}

    def tick(self) -> None:
        """Wait until a file written now is newer than everything in the build tree.

        File systems stamp files with a coarse clock: without this, a change
        made right after a build could carry the same time as the build's
        outputs and go unnoticed by make.
        """
        newest = max(p.stat().st_mtime_ns for p in self.dir.rglob("*"))
        probe = self.tmp_path / "clock-probe"
        while True:
            probe.write_text("")
            if probe.stat().st_mtime_ns > newest:
                return
            time.sleep(0.01)

    def assert_no_op(self) -> None:
        before = snapshot(self.dir / "generated"), (self.dir / "apir_example").stat().st_mtime_ns
        out = self.build()
        assert GENERATING not in out and COMPILING not in out, out
        assert (snapshot(self.dir / "generated"), (self.dir / "apir_example").stat().st_mtime_ns) == before


@pytest.mark.parametrize("generator", GENERATORS)
def test_build_generates_once_and_again_only_when_spec_or_lock_change(tmp_path: Path, generator: str) -> None:
    b = Build(tmp_path, generator)
    b.configure()
    cache = (b.dir / "CMakeCache.txt").read_text()
    assert f"APIR_CODEGEN_EXECUTABLE:FILEPATH={APIR_CODEGEN}" in cache, "found on PATH"

    out = b.build()
    assert GENERATING in out
    for relpath in HEADERS:
        assert b.header(relpath) == (EXAMPLE / relpath).read_text(), relpath
    assert b.program().splitlines()[:3] == ["23 commands", " 0 device_get_device_count", " 1 device_get_count"]

    # Nothing changed: nothing runs, nothing is written.
    b.assert_no_op()

    # The spec's time changes, its text does not: the step runs, the headers keep their text.
    b.tick()
    before = b.mtimes()
    b.spec.touch()
    out = b.build()
    assert GENERATING in out
    if generator == "Ninja":
        # restat: untouched headers keep their time, so nothing recompiles.
        assert b.mtimes() == before
        assert COMPILING not in out, out
    b.assert_no_op()

    # A real edit: the guest declaration changes and the program is rebuilt.
    b.tick()
    before = b.mtimes()
    edit_file(b.spec, 'frontend_return: "uint32_t"', 'frontend_return: "uint64_t"')  # device.get_type
    out = b.build()
    assert GENERATING in out and COMPILING in out, out
    assert "uint64_t                       apir_device_get_type(struct virtgpu * gpu);" in b.header(HEADERS[2])
    after = b.mtimes()
    assert after[HEADERS[2]] != before[HEADERS[2]]
    if generator == "Ninja":
        assert after[HEADERS[0]] == before[HEADERS[0]] and after[HEADERS[1]] == before[HEADERS[1]]
    b.assert_no_op()

    # A lock file appears beside the spec (it did not exist at configure time): regenerated.
    b.tick()
    assert run_cli("lock", "--quiet", b.spec).returncode == 0
    assert b.lock.is_file()
    out = b.build()
    assert GENERATING in out, out
    b.assert_no_op()

    # The lock file changes: its numbers win.
    b.tick()
    text = b.lock.read_text()
    assert "\n0 device.get_device_count\n1 device.get_count\n" in text
    b.lock.write_text(text.replace("\n0 device.get_device_count\n1 device.get_count\n",
                                   "\n0 device.get_count\n1 device.get_device_count\n"))
    out = b.build()
    assert GENERATING in out and COMPILING in out, out
    assert re.search(r"APIR_COMMAND_TYPE_DEVICE_GET_COUNT\s+= 0,", b.header(HEADERS[0]))
    assert b.program().splitlines()[1:3] == [" 0 device_get_count", " 1 device_get_device_count"]
    b.assert_no_op()

    # The lock file goes away: back to the spec's order.
    b.tick()
    b.lock.unlink()
    out = b.build()
    assert GENERATING in out, out
    assert re.search(r"APIR_COMMAND_TYPE_DEVICE_GET_COUNT\s+= 1,", b.header(HEADERS[0]))
    assert b.program().splitlines()[1:3] == [" 0 device_get_device_count", " 1 device_get_count"]
    b.assert_no_op()

    # A generated header deleted by hand comes back.
    (b.generated / HEADERS[1]).unlink()
    out = b.build()
    assert GENERATING in out, out
    assert b.header(HEADERS[1]) == (EXAMPLE / HEADERS[1]).read_text()
    b.assert_no_op()


def test_configure_fails_clearly_without_apir_codegen(tmp_path: Path) -> None:
    """Neither in the checkout's .venv, nor on PATH, nor given: configuring stops and says how to fix it."""
    path = _path_without_apir_codegen(tmp_path)
    project = _checkout(tmp_path) / "examples" / "cmake"
    b = Build(tmp_path, "Unix Makefiles" if shutil.which("make") else "Ninja")
    b.env["PATH"] = path
    proc = b.run("-G", b.generator, "-S", str(project), "-B", str(b.dir), f"-DAPIR_SPEC={b.spec}")
    assert proc.returncode != 0
    assert "apir-codegen was found neither in" in proc.stderr and "nor on PATH" in proc.stderr
    assert "-DAPIR_CODEGEN_EXECUTABLE=" in proc.stderr

    # Given explicitly, it is used without any PATH lookup.
    proc = b.run(f"-DAPIR_CODEGEN_EXECUTABLE={APIR_CODEGEN}", str(b.dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert b.build() and b.header(HEADERS[2]) == (EXAMPLE / HEADERS[2]).read_text()


def _checkout(tmp_path: Path) -> Path:
    """The parts of an apir-codegen checkout the CMake example uses (and no .venv)."""
    checkout = tmp_path / "apir-codegen"
    for part in ("cmake", "examples"):
        shutil.copytree(ROOT / part, checkout / part, ignore=shutil.ignore_patterns("build", "__pycache__"))
    return checkout


def _path_without_apir_codegen(tmp_path: Path) -> str:
    """A PATH with CMake, the compiler and make/ninja, but no apir-codegen."""
    tools = tmp_path / "tools"
    tools.mkdir()
    assert CMAKE is not None
    (tools / "cmake").symlink_to(CMAKE)
    found = {shutil.which(tool) for tool in ("g++", "c++", "cc", "make", "ninja")} - {None}
    path = os.pathsep.join([str(tools), *sorted({str(Path(t).parent) for t in found if t})])
    if shutil.which("apir-codegen", path=path):
        pytest.skip("apir-codegen is installed beside the compiler")
    return path


def _readme_block(starting: str) -> str:
    readme = (ROOT / "README.md").read_text()
    match = re.search(rf"```sh\n({re.escape(starting)}[^\n]*)\n```", readme)
    assert match, f"no README command starting with {starting!r}"
    return match.group(1)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_readme_cmake_example_works_as_written_after_the_readme_install(tmp_path: Path) -> None:
    """The README installs into .venv (not on PATH), then runs the CMake example from the checkout."""
    install = _readme_block("python3 -m venv .venv && .venv/bin/pip install -q .")
    assert ".venv/bin/apir-codegen" in install
    example = _readme_block("cmake -S examples/cmake")
    checkout = _checkout(tmp_path)
    # What the README's install leaves in the checkout: the command in .venv/bin.
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "apir-codegen").symlink_to(APIR_CODEGEN)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CMAKE_", "MAKEFLAGS", "VIRTUAL_ENV"))}
    env["PATH"] = _path_without_apir_codegen(tmp_path)
    proc = subprocess.run(["/bin/sh", "-c", example], cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 device_get_device_count" in proc.stdout
    cache = (checkout / "build" / "CMakeCache.txt").read_text()
    assert f"APIR_CODEGEN_EXECUTABLE:FILEPATH={checkout / '.venv' / 'bin' / 'apir-codegen'}" in cache
