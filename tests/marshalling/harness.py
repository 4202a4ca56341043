"""Build ggml's virtgpu guest and host code into test programs, with or without generated files.

Each side is ggml's hand-written sources by default. A `Side` can instead
bring generated files, delete from ggml's hand-written sources the definitions
those files replace (what ggml does when it adopts a generated command), and
add hand-written extras (hook implementations). The two programs:

* `scenario(guest, host)`: guest stubs, the in-memory transport and the host
  handlers in one program, running `cpp/scenario.cpp` against ggml's CPU
  backend; its rendered log is what the four-way comparison compares.
* `host_driver(host)`: the host handlers alone, fed crafted requests
  (`cpp/host_driver.cpp`), each in a forked child so that a crash is a result.

Guest and host are separate translation units with separate include paths:
`apir_cs_ggml.h` is defined differently on each side. Objects are cached by
content in the harness's work directory, so a session compiles ggml's files once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import cppsplit
from .ggml_build import GgmlBuild
from .scenario_log import Rendered, render

CPP = Path(__file__).resolve().parent / "cpp"
SHMEM_TABLE_DIR = Path(__file__).resolve().parent / "standin" / "runtime"  # shmem_table.h, shared with the stand-in

GUEST_STUBS = (
    "virtgpu-forward-device.cpp",
    "virtgpu-forward-buffer-type.cpp",
    "virtgpu-forward-buffer.cpp",
    "virtgpu-forward-backend.cpp",
)
HOST_HANDLERS = (
    "backend/backend-dispatched-device.cpp",
    "backend/backend-dispatched-buffer-type.cpp",
    "backend/backend-dispatched-buffer.cpp",
    "backend/backend-dispatched-backend.cpp",
)
HOST_RUNTIME = ("backend/backend-dispatched.cpp", "backend/backend.cpp", "backend/apir_cs_ggml-rpc-back.cpp")
RPC_FRONT = "apir_cs_ggml-rpc-front.cpp"

#: apir_serialize_tensor leaves padding and the end of `name` uninitialised; the harness's copy zeroes them.
SERIALIZE_DECL = "    apir_rpc_tensor result;\n"
SERIALIZE_ZEROED = (
    SERIALIZE_DECL + "    memset(&result, 0, sizeof(result));  // harness: no uninitialised bytes on the wire\n"
)

#: ggml's apir_encode_ggml_buffer_handle writes the address of its argument; the fix writes the handle.
HANDLE_BUG = "    apir_encoder_write(enc, sizeof(*handle), &handle, sizeof(*handle));\n"
HANDLE_FIX = "    apir_encoder_write(enc, sizeof(*handle), handle, sizeof(*handle));\n"

BASE_FLAGS = ("-std=c++20", "-O0", "-g0", "-fno-omit-frame-pointer")
STRICT = ("-Wall", "-Wextra", "-Werror")
#: AddressSanitizer and UBSan; every report is fatal, so the driver's child dies and the case is a crash.
SANITIZE = ("-fsanitize=address,undefined", "-fno-sanitize-recover=all")


class HarnessError(Exception):
    """A build step failed; the message holds the compiler's output."""


@dataclass(frozen=True)
class Side:
    """What one side (guest or host) is built from, besides ggml's runtime.

    generated: generated sources, compiled where they are (their quoted includes
        resolve beside them) with -Wall -Wextra -Werror;
    remove: names of functions whose hand-written definitions are deleted from
        ggml's sources (each must be defined exactly once there);
    extra: hand-written sources added as they are (hook implementations);
    include_dirs: more include directories (searched before ggml's).
    """

    generated: tuple[Path, ...] = ()
    remove: tuple[str, ...] = ()
    extra: tuple[Path, ...] = ()
    include_dirs: tuple[Path, ...] = ()


HANDWRITTEN = Side()


@dataclass(frozen=True)
class ScenarioRun:
    returncode: int
    raw: str
    stderr: str
    rendered: Rendered

    @property
    def log(self) -> str:
        return self.rendered.text


@dataclass
class Harness:
    ggml: GgmlBuild
    work: Path
    jobs: int = 2
    fix_handle_bug: bool = (
        False  # build from a copy of ggml-virtgpu whose apir_encode_ggml_buffer_handle sends the handle
    )
    sanitize_flags: tuple[str, ...] = SANITIZE  # what sanitize=True adds to compiles and links (libFuzzer: more)
    _objects: dict[str, Path] = field(default_factory=dict)
    _runs: int = 0

    @property
    def virtgpu(self) -> Path:
        """ggml's ggml-virtgpu folder, or a copy with the handle bug fixed (``fix_handle_bug``)."""
        original = self.ggml.source / "src" / "ggml-virtgpu"
        if not self.fix_handle_bug:
            return original
        fixed = self.work / "ggml-virtgpu-handle-fixed"
        if not fixed.is_dir():
            tmp = self.work / f"ggml-virtgpu-handle-fixed.tmp{os.getpid()}"
            shutil.copytree(original, tmp)
            header = tmp / "backend" / "shared" / "apir_cs_ggml.h"
            text = header.read_text()
            if text.count(HANDLE_BUG) != 1:
                raise HarnessError(f"{header}: cannot find apir_encode_ggml_buffer_handle's write")
            header.write_text(text.replace(HANDLE_BUG, HANDLE_FIX))
            tmp.rename(fixed)
        return fixed

    def _is_ggml(self, directory: Path) -> bool:
        """ggml's own folders: included as system headers by strict units, not hashed (they do not change)."""
        return directory.is_relative_to(self.ggml.source) or directory.is_relative_to(self.virtgpu)

    def guest_includes(self) -> list[Path]:
        v = self.virtgpu
        return [CPP / "libdrm", v, v / "include", *self.ggml.include_dirs, CPP]

    def host_includes(self) -> list[Path]:
        return [self.virtgpu / "backend", *self.ggml.include_dirs, CPP]

    # ---- sources ----

    def side_sources(self, files: tuple[str, ...], side: Side) -> dict[str, str]:
        """ggml's hand-written ``files`` (relative to ggml-virtgpu/) with ``side.remove`` deleted."""
        texts = {name: (self.virtgpu / name).read_text() for name in files}
        owners: dict[str, list[str]] = {}
        for name, text in texts.items():
            for function in cppsplit.defined_functions(text):
                owners.setdefault(function, []).append(name)
        problems = []
        for function in side.remove:
            where = owners.get(function, [])
            if len(where) != 1:
                problems.append(f"'{function}' is defined in {len(where)} of {', '.join(files)}")
        if problems:
            raise HarnessError("cannot remove hand-written definitions:\n" + "\n".join(problems))
        for name in texts:
            mine = [f for f in side.remove if owners[f] == [name]]
            if mine:
                texts[name] = cppsplit.remove_definitions(texts[name], mine)
        return texts

    # ---- compiling ----

    def _write(self, kind: str, name: str, text: str) -> Path:
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        path = self.work / "src" / kind / digest / Path(name).name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return path

    def _compile(self, source: Path, includes: list[Path], strict: bool, sanitize: bool) -> Path:
        flags = [*BASE_FLAGS, *(self.sanitize_flags if sanitize else ())]
        if strict:
            # ggml's headers are not warning-free (unused static functions): only the file itself must be
            flags += [*STRICT, *(f"-I{d}" for d in includes if not self._is_ggml(d))]
            flags += [f"-isystem{d}" for d in includes if self._is_ggml(d)]
        else:
            flags += [f"-I{d}" for d in includes]
        digest = hashlib.sha256()
        for part in (self.ggml.cxx, *flags, str(source), source.read_text()):
            digest.update(part.encode() + b"\0")
        for directory in sorted({source.parent, *(d for d in includes if not self._is_ggml(d))}):
            for header in sorted(directory.glob("*.h")):
                digest.update(header.name.encode() + b"\0" + header.read_bytes())
        key = digest.hexdigest()[:24]
        if key in self._objects:
            return self._objects[key]
        obj = self.work / "obj" / f"{source.stem}-{key}.o"
        if not obj.exists():
            obj.parent.mkdir(parents=True, exist_ok=True)
            tmp = obj.with_suffix(f".tmp{os.getpid()}.o")
            run = subprocess.run(
                [self.ggml.cxx, *flags, "-c", str(source), "-o", str(tmp)], capture_output=True, text=True
            )
            if run.returncode != 0:
                raise HarnessError(f"compiling {source} failed:\n{run.stderr}")
            tmp.rename(obj)
        self._objects[key] = obj
        return obj

    def _compile_all(self, units: list[tuple[Path, list[Path], bool]], sanitize: bool) -> list[Path]:
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            return list(pool.map(lambda unit: self._compile(unit[0], unit[1], unit[2], sanitize), units))

    def guest_units(self, side: Side) -> list[tuple[Path, list[Path], bool]]:
        includes = [*side.include_dirs, *self.guest_includes()]
        front = (self.virtgpu / RPC_FRONT).read_text()
        if front.count(SERIALIZE_DECL) != 1:
            raise HarnessError(f"{RPC_FRONT}: cannot find where apir_serialize_tensor declares its result")
        units = [
            (self._write("guest", name, text), includes, False)
            for name, text in self.side_sources(GUEST_STUBS, side).items()
        ]
        units.append(
            (self._write("guest", RPC_FRONT, front.replace(SERIALIZE_DECL, SERIALIZE_ZEROED)), includes, False)
        )
        units += [(path, includes, True) for path in side.generated]
        units += [(path, includes, False) for path in side.extra]
        units.append((CPP / "transport_guest.cpp", includes, True))
        return units

    def host_units(self, side: Side) -> list[tuple[Path, list[Path], bool]]:
        includes = [*side.include_dirs, *self.host_includes()]
        units = [
            (self._write("host", name, text), includes, False)
            for name, text in self.side_sources(HOST_HANDLERS, side).items()
        ]
        units += [(self.virtgpu / name, includes, False) for name in HOST_RUNTIME]
        units += [(path, includes, True) for path in side.generated]
        units += [(path, includes, False) for path in side.extra]
        units.append((CPP / "host_shim.cpp", includes, True))
        return units

    def _link(self, name: str, objects: list[Path], sanitize: bool) -> Path:
        digest = hashlib.sha256("\n".join(map(str, objects)).encode()).hexdigest()[:16]
        exe = self.work / "bin" / f"{name}-{digest}"
        if exe.exists():
            return exe
        exe.parent.mkdir(parents=True, exist_ok=True)
        lib = self.ggml.lib_dir
        tmp = exe.with_name(exe.name + f".tmp{os.getpid()}")
        run = subprocess.run(
            [
                self.ggml.cxx,
                *(self.sanitize_flags if sanitize else ()),
                "-o",
                str(tmp),
                *map(str, objects),
                f"-L{lib}",
                "-lggml-base",
                f"-Wl,-rpath,{lib}",
                "-ldl",
                "-lpthread",
            ],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise HarnessError(f"linking {name} failed:\n{run.stderr}")
        tmp.rename(exe)
        return exe

    # ---- programs ----

    def common_unit(self) -> tuple[Path, list[Path], bool]:
        return CPP / "harness_common.cpp", [*self.ggml.include_dirs, CPP, SHMEM_TABLE_DIR], True

    def scenario(self, guest: Side = HANDWRITTEN, host: Side = HANDWRITTEN) -> Path:
        units = [*self.guest_units(guest), *self.host_units(host), self.common_unit()]
        units.append((CPP / "scenario.cpp", [*guest.include_dirs, *self.guest_includes()], True))
        return self._link("scenario", self._compile_all(units, False), False)

    def compile_host(self, source: Path) -> Path:
        """One host source alone (with the host's include paths), -Wall -Wextra -Werror: its object."""
        return self._compile(source, self.host_includes(), strict=True, sanitize=False)

    def host_driver(self, host: Side = HANDWRITTEN, sanitize: bool = True) -> Path:
        return self.host_program("host_driver", host, CPP / "host_driver.cpp", sanitize)

    def host_program(self, name: str, host: Side, main: Path, sanitize: bool = True) -> Path:
        """The host side alone with a ``main`` source (compiled -Wall -Wextra -Werror with the host's includes;
        with libFuzzer, whose runtime has main(), any last source)."""
        units = [*self.host_units(host), self.common_unit()]
        units.append((main, [*host.include_dirs, *self.host_includes()], True))
        return self._link(name + ("-asan" if sanitize else ""), self._compile_all(units, sanitize), sanitize)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["HARNESS_GGML_CPU_LIB"] = str(self.ggml.cpu_lib)
        env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1:symbolize=0:handle_abort=0"
        env["UBSAN_OPTIONS"] = "print_stacktrace=0:abort_on_error=1"
        env.setdefault("OMP_NUM_THREADS", "2")
        env["GGML_NO_BACKTRACE"] = "1"  # else ggml_abort attaches gdb to the dying process: seconds per crash
        return env

    def run_scenario(self, exe: Path, *args: str) -> ScenarioRun:
        self._runs += 1
        log = self.work / "logs" / f"{exe.name}-{self._runs}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        run = subprocess.run([str(exe), str(log), *args], capture_output=True, text=True, env=self.env(), timeout=120)
        raw = log.read_text() if log.exists() else ""
        return ScenarioRun(run.returncode, raw, run.stderr, render(raw))


#: The commands MARSHALLING.md counts as generatable at 48f38694 (see /work/notes/codecs.md): (group, function).
GENERATABLE = (
    ("device", "get_count"),
    ("device", "get_name"),
    ("device", "get_description"),
    ("device", "get_type"),
    ("device", "get_memory"),
    ("device", "supports_op"),
    ("device", "get_buffer_type"),
    ("device", "get_props"),
    ("buffer_type", "get_name"),
    ("buffer_type", "get_alignment"),
    ("buffer_type", "get_max_size"),
    ("buffer_type", "get_alloc_size"),
    ("buffer", "get_base"),
    ("buffer", "set_tensor"),
    ("buffer", "get_tensor"),
    ("buffer", "cpy_tensor"),
    ("buffer", "clear"),
    ("buffer", "free_buffer"),
)
GENERATABLE_GUEST = tuple(f"apir_{group}_{name}" for group, name in GENERATABLE)
GENERATABLE_HOST = tuple(f"backend_{group}_{name}" for group, name in GENERATABLE)
#: Static helpers of ggml's handlers that go wherever the handlers using them go.
HOST_HELPERS = ("validate_buffer_operation",)

GUEST_PRELUDE = '#include "virtgpu-forward-impl.h"\n#include "virtgpu-shm.h"\n\n'
HOST_PRELUDE = (
    '#include "backend-dispatched.h"\n#include "backend-virgl-apir.h"\n#include "ggml-backend-impl.h"\n'
    '#include "ggml-backend.h"\n#include "ggml-impl.h"\n\n#include <cstdint>\n\n'
)


def as_if_generated(
    harness: Harness, out: Path, guest: tuple[str, ...], host: tuple[str, ...], host_helpers: tuple[str, ...] = ()
) -> tuple[Side, Side]:
    """Move ggml's hand-written definitions of ``guest`` / ``host`` into files where the generator will write.

    The result builds exactly like a generated build (a generated file, and the
    hand-written sources without those definitions), with ggml's own code in the
    generated file: its log must equal the hand-written build's, which proves the
    mechanism before any generator exists.
    """

    def move(files: tuple[str, ...], names: tuple[str, ...], prelude: str, target: Path) -> None:
        texts = harness.side_sources(files, Side())
        found: dict[str, str] = {}
        for text in texts.values():
            mine = [n for n in names if n in cppsplit.defined_functions(text)]
            if mine:
                found.update(zip(mine, cppsplit.extract_definitions(text, mine)[1], strict=True))
        missing = [n for n in names if n not in found]
        if missing:
            raise HarnessError(f"no hand-written definition of {', '.join(missing)}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(prelude + "".join(found[n].rstrip("\n") + "\n\n" for n in names).rstrip("\n") + "\n")

    guest_file = out / "virtgpu-forward.marshal.gen.cpp"
    host_file = out / "backend" / "backend-dispatched.marshal.gen.cpp"
    move(GUEST_STUBS, guest, GUEST_PRELUDE, guest_file)
    move(HOST_HANDLERS, (*host_helpers, *host), HOST_PRELUDE, host_file)
    return (Side(generated=(guest_file,), remove=guest), Side(generated=(host_file,), remove=(*host_helpers, *host)))


def marshalled_names(spec_path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Guest functions and host handlers a spec generates: what ggml deletes by hand.

    Read from the YAML with the naming rules of ggml's format, independently of
    apir-codegen (a function is generated when it has a `marshal:` block; its
    `guest: false` / `host: false` keep that side hand-written).
    """
    data = yaml.safe_load(spec_path.read_text())
    naming = data["naming_patterns"]
    overrides = naming.get("backend_function_overrides") or {}
    guest: list[str] = []
    host: list[str] = []
    for group, gdata in data["functions"].items():
        for name, meta in (gdata.get("functions") or {}).items():
            marshal = (meta or {}).get("marshal")
            if marshal is None:
                continue
            key = f"{group}_{name}"
            if marshal.get("guest", True):
                guest.append(f"{naming['frontend_function_prefix']}{key}")
            if marshal.get("host", True):
                host.append(overrides.get(key, f"{naming['backend_function_prefix']}{key}"))
    return tuple(guest), tuple(host)
