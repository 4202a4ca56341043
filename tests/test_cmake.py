"""cmake/ApirCodegen.cmake, through a real configure and build of examples/cmake.

The example generates from a private copy of its annotated spec (its APIR_SPEC
cache variable) into a build tree under ``tmp_path``, finds apir-codegen on
PATH (the directory of ``sys.executable``, where the console script lives),
compiles the generated guest stubs and host handlers with ``-Wall -Wextra
-Werror`` against the stand-in runtime, and runs the program: the guest calls
every command through the host.  Then it is rebuilt after each kind of change,
and the test checks that exactly the right work is done: nothing when nothing
changed, regeneration when the spec or its lock file changed (including the
lock file being created or deleted), new generated sources when the spec moves
them, and that the program sees the result.

``apir-codegen outputs``, which the module runs at configure time, is tested
here too.

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

from apir_codegen import load_spec, render

from .conftest import EXAMPLE_SPEC, PLAIN_EXAMPLE_SPEC
from .cxx import needs_gxx
from .helpers import ROOT, copy_spec, edit_file, run_cli, snapshot

BIN = Path(sys.executable).parent
PROJECT = ROOT / "examples" / "cmake"
PROJECT_SPEC = PROJECT / "ggmlremoting_functions.yaml"
HEADERS = ("backend/shared/apir_backend.gen.h", "backend/backend-dispatched.gen.h", "virtgpu-forward.gen.h")
HOOK_HEADER = "backend/backend-dispatched-impl.gen.h"
GUEST = "virtgpu-forward.marshal.gen.cpp"
HOST = "backend/backend-dispatched.marshal.gen.cpp"
GENERATED = (*HEADERS, HOOK_HEADER, GUEST, HOST)
GENERATING = "Generating API-remoting code"
COMPILING = "Building CXX object"
CONFIGURING = "Configuring done"
CALLS = [
    "math.add(40, 2) == 42: ok",
    "math.divide(47, 5) == 9 rest 2: ok",
    "data.checksum of 100 bytes: ok",
    "data.checksum of 10000 bytes: ok",
    "data.fill of 10000 bytes: ok",
    "buffer.clear: ok",
]


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
    pytest.mark.slow,  # deselect with -m "not slow" for a quick local run; plain pytest (CI) runs it
    needs_gxx,
    pytest.mark.skipif(_cmake_version(CMAKE) < (3, 20), reason="CMake >= 3.20 is not installed"),
    pytest.mark.skipif(not APIR_CODEGEN.is_file(), reason=f"apir-codegen is not installed in {BIN}"),
]

GENERATORS = [
    pytest.param("Unix Makefiles", marks=pytest.mark.skipif(shutil.which("make") is None, reason="no make")),
    pytest.param("Ninja", marks=pytest.mark.skipif(shutil.which("ninja") is None, reason="no ninja")),
]


def test_outputs_lists_what_generate_writes_in_render_order(tmp_path: Path) -> None:
    for spec, count in ((EXAMPLE_SPEC, 6), (PROJECT_SPEC, 6), (PLAIN_EXAMPLE_SPEC, 3)):
        result = run_cli("outputs", spec, "-o", tmp_path / "out")
        assert result.returncode == 0, result.stderr
        paths = result.stdout.splitlines()
        assert paths == [str(tmp_path / "out" / rel) for rel in render(load_spec(spec))], spec
        assert len(paths) == count
        assert run_cli("generate", "-q", spec, "-o", tmp_path / "out").returncode == 0
        assert sorted(str(p) for p in (tmp_path / "out").rglob("*") if p.is_file()) == sorted(paths)
        shutil.rmtree(tmp_path / "out")


def test_outputs_follows_the_spec_paths_and_the_default_output_dir(tmp_path: Path) -> None:
    spec = copy_spec(PROJECT_SPEC, tmp_path / "virtgpu")
    edit_file(spec, "marshalling:\n", 'marshalling:\n  guest_output: "guest/stubs.gen.cpp"\n')
    result = run_cli("outputs", "ggmlremoting_functions.yaml", cwd=spec.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [*GENERATED[:4], "guest/stubs.gen.cpp", HOST]
    result = run_cli("outputs", spec)
    assert result.stdout.splitlines()[4] == str(spec.parent / "guest" / "stubs.gen.cpp")


def test_outputs_of_a_bad_spec_is_a_diagnostic_and_nothing_else(tmp_path: Path) -> None:
    spec = copy_spec(PROJECT_SPEC, tmp_path)
    edit_file(spec, 'host_call: "a + b"', 'host_call: "a + b; abort()"')
    result = run_cli("outputs", spec)
    assert result.returncode == 1
    assert result.stdout == ""
    assert re.search(r"ggmlremoting_functions\.yaml:\d+:\d+: error: ", result.stderr), result.stderr


class Build:
    """examples/cmake configured in ``tmp_path/build`` against a private copy of its spec."""

    def __init__(self, tmp_path: Path, generator: str) -> None:
        self.tmp_path = tmp_path
        self.generator = generator
        self.spec_dir = tmp_path / "virtgpu"
        self.spec = copy_spec(PROJECT_SPEC, self.spec_dir)
        self.lock = self.spec_dir / "ggmlremoting_functions.lock"
        self.dir = tmp_path / "build"
        self.generated = self.dir / "generated"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("CMAKE_", "MAKEFLAGS"))}
        self.env["PATH"] = str(BIN) + os.pathsep + os.environ.get("PATH", "")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert CMAKE is not None
        return subprocess.run([CMAKE, *args], env=self.env, capture_output=True, text=True, timeout=300)

    def configure(self) -> None:
        proc = self.run(
            "-G",
            self.generator,
            "-S",
            str(PROJECT),
            "-B",
            str(self.dir),
            f"-DAPIR_SPEC={self.spec}",
            "-DCMAKE_CXX_FLAGS=-Werror",
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def build(self) -> str:
        proc = self.run("--build", str(self.dir))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout + proc.stderr

    def program(self) -> list[str]:
        """The program's lines: the command table, then the calls (all checked correct)."""
        proc = subprocess.run([str(self.dir / "apir_example")], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        lines = proc.stdout.splitlines()
        assert lines[-len(CALLS) :] == CALLS
        return lines[: -len(CALLS)]

    def header(self, relpath: str) -> str:
        return (self.generated / relpath).read_text()

    def assert_generated_from_the_spec(self) -> None:
        """The generated files are exactly what apir-codegen renders for the spec, and nothing else is there."""
        expected = render(load_spec(self.spec))
        assert {rel: self.header(rel) for rel in expected} == expected
        on_disk = {p.relative_to(self.generated).as_posix() for p in self.generated.rglob("*") if p.is_file()}
        assert on_disk == set(expected)

    def mtimes(self) -> dict[str, int]:
        return {rel: (self.generated / rel).stat().st_mtime_ns for rel in GENERATED}

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
    for source in (GUEST, HOST):  # the generated marshalling code is compiled (warning-free: -Werror)
        assert re.search(rf"{COMPILING} .*{re.escape(Path(source).name)}", out), out
    b.assert_generated_from_the_spec()
    assert b.program()[:3] == ["5 commands", " 0 math_add", " 1 math_divide"]

    # Nothing changed: nothing runs, nothing is written.
    b.assert_no_op()

    # The spec's time changes, its text does not: CMake and the step run, the files keep their text.
    b.tick()
    before = b.mtimes()
    b.spec.touch()
    out = b.build()
    assert CONFIGURING in out and GENERATING in out, out
    if generator == "Ninja":
        # restat: untouched files keep their time, so nothing recompiles.
        assert b.mtimes() == before
        assert COMPILING not in out, out
    b.assert_no_op()

    # A real edit: the declaration and both sides change, and the program is rebuilt.
    b.tick()
    before = b.mtimes()
    edit_file(b.spec, 'frontend_return: "int32_t"', 'frontend_return: "uint64_t"')  # math.add
    out = b.build()
    assert GENERATING in out and COMPILING in out, out
    assert "uint64_t apir_math_add(struct virtgpu * gpu, int32_t a, int32_t b);" in b.header(HEADERS[2])
    assert "uint64_t apir_math_add(struct virtgpu * gpu, int32_t a, int32_t b) {" in b.header(GUEST)
    b.assert_generated_from_the_spec()
    after = b.mtimes()
    assert after[HEADERS[2]] != before[HEADERS[2]] and after[GUEST] != before[GUEST] and after[HOST] != before[HOST]
    if generator == "Ninja":
        assert after[HEADERS[0]] == before[HEADERS[0]] and after[HEADERS[1]] == before[HEADERS[1]]
    b.program()
    b.assert_no_op()

    # A lock file appears beside the spec (it did not exist at configure time): regenerated.
    b.tick()
    assert run_cli("lock", "--quiet", b.spec).returncode == 0
    assert b.lock.is_file()
    out = b.build()
    assert GENERATING in out, out
    b.assert_no_op()

    # The lock file changes: its numbers win, on both sides.
    b.tick()
    text = b.lock.read_text()
    assert "\n0 math.add\n1 math.divide\n" in text
    b.lock.write_text(text.replace("\n0 math.add\n1 math.divide\n", "\n0 math.divide\n1 math.add\n"))
    out = b.build()
    assert GENERATING in out and COMPILING in out, out
    assert re.search(r"APIR_COMMAND_TYPE_MATH_DIVIDE\s+= 0,", b.header(HEADERS[0]))
    assert b.program()[1:3] == [" 0 math_divide", " 1 math_add"]
    b.assert_no_op()

    # The lock file goes away: back to the spec's order.
    b.tick()
    b.lock.unlink()
    out = b.build()
    assert GENERATING in out, out
    assert re.search(r"APIR_COMMAND_TYPE_MATH_ADD\s+= 0,", b.header(HEADERS[0]))
    assert b.program()[1:3] == [" 0 math_add", " 1 math_divide"]
    b.assert_no_op()

    # Generated files deleted by hand come back.
    (b.generated / HEADERS[1]).unlink()
    (b.generated / HOST).unlink()
    out = b.build()
    assert GENERATING in out, out
    b.assert_generated_from_the_spec()
    b.assert_no_op()

    # The spec moves the guest stubs: CMake learns the new path, which is generated and compiled.
    b.tick()
    edit_file(b.spec, "marshalling:\n", 'marshalling:\n  guest_output: "virtgpu-forward.stubs.gen.cpp"\n')
    out = b.build()
    assert CONFIGURING in out and GENERATING in out, out
    assert re.search(rf"{COMPILING} .*virtgpu-forward\.stubs\.gen\.cpp", out), out
    assert (b.generated / "virtgpu-forward.stubs.gen.cpp").is_file()
    b.program()
    b.assert_no_op()

    # A spec that does not load: the build stops with its diagnostics; fixed, it builds again.
    b.tick()
    text = b.spec.read_text()
    edit_file(b.spec, 'host_call: "a + b"', 'host_call: "a + b; abort()"')
    proc = b.run("--build", str(b.dir))
    assert proc.returncode != 0
    assert re.search(r"ggmlremoting_functions\.yaml:\d+:\d+: error: ", proc.stdout + proc.stderr), (
        proc.stdout + proc.stderr
    )
    b.tick()
    b.spec.write_text(text)
    b.build()
    b.program()
    b.assert_no_op()


@pytest.mark.parametrize(
    ("annotated", "fuzz"), [(True, False), (False, False), (True, True)], ids=["annotated", "plain", "fuzz-harness"]
)
def test_output_variables_list_every_generated_file_by_side(tmp_path: Path, annotated: bool, fuzz: bool) -> None:
    """OUTPUTS_VAR: everything generate writes; GUEST_SOURCES_VAR / HOST_SOURCES_VAR: the marshalling code by side
    (the fuzz harness is in neither: it is a fuzz target's source)."""
    spec = copy_spec(EXAMPLE_SPEC if annotated else PLAIN_EXAMPLE_SPEC, tmp_path / "virtgpu")
    if fuzz:
        edit_file(spec, "\nmarshalling:\n", "\nmarshalling:\n  fuzz_output: backend/backend-fuzz.gen.cpp\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.20)\n"
        "project(outputs LANGUAGES NONE)\n"
        f'include("{ROOT / "cmake" / "ApirCodegen.cmake"}")\n'
        f'apir_codegen_generate(SPEC "{spec}" OUTPUT_DIR gen OUTPUTS_VAR all GUEST_SOURCES_VAR guest HOST_SOURCES_VAR host)\n'
        'message(STATUS "all=${all}")\nmessage(STATUS "guest=${guest}")\nmessage(STATUS "host=${host}")\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CMAKE_", "MAKEFLAGS"))}
    env["PATH"] = str(BIN) + os.pathsep + os.environ.get("PATH", "")
    assert CMAKE is not None
    proc = subprocess.run(
        [CMAKE, "-S", str(project), "-B", str(tmp_path / "build")], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    values = dict(line.removeprefix("-- ").split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
    gen = tmp_path / "build" / "gen"
    expected = [str(gen / rel) for rel in render(load_spec(spec))]
    assert values["all"].split(";") == expected
    assert (expected[-1] == str(gen / "backend" / "backend-fuzz.gen.cpp")) == fuzz
    if annotated:
        assert values["guest"] == str(gen / GUEST)
        assert values["host"].split(";") == [str(gen / HOST), str(gen / HOOK_HEADER)]
    else:
        assert len(expected) == 3 and values["guest"] == "" and values["host"] == ""


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
    assert b.build()
    b.assert_generated_from_the_spec()


def _checkout(tmp_path: Path) -> Path:
    """The parts of an apir-codegen checkout the CMake example uses (and no .venv)."""
    checkout = tmp_path / "apir-codegen"
    for part in ("cmake", "examples", "tests/marshalling/standin"):
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
    proc = subprocess.run(
        ["/bin/sh", "-c", example], cwd=checkout, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 math_add" in proc.stdout and proc.stdout.endswith("\n".join(CALLS) + "\n")
    cache = (checkout / "build" / "CMakeCache.txt").read_text()
    assert f"APIR_CODEGEN_EXECUTABLE:FILEPATH={checkout / '.venv' / 'bin' / 'apir-codegen'}" in cache
