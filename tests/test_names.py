"""Names the headers cannot take: what apir-codegen rejects is what does not compile.

Each fixture of a name diagnostic is generated once more with the name checks
switched off, and its headers are compiled where ggml compiles them: all three
as C++ (C++17, GNU C++17 as CMake's default, C++20), the two plain-C ones also
as C11 and GNU C11, after <stddef.h>, <stdint.h>, the types the headers use,
stand-ins for ggml's types and the spec's, and ggml's own
``APIR_BACKEND_FORWARD_INDEX_INVALID``; with -Wall -Wextra -Werror, as the
project's headers must compile.  Every rejected fixture must fail in one of
those modes.  Near misses (each fixture with one edit) must be accepted and
compile in all of them.  Names the standards reserve are refused as a class;
their fixtures use reserved names that compilers do take (``_Static_assert``,
``__LINE__``, ``__builtin_trap``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from apir_codegen import Spec, load_spec, render
from apir_codegen.cdecl import BUILTIN_TYPES, TAGS
from apir_codegen.names import _CLASHES, FUNCTION_MACROS, TYPES
from apir_codegen.pipeline import check_spec
from apir_codegen.validate import collisions, roles

from .conftest import FIXTURES
from .cxx import GXX, needs_gxx

pytestmark = needs_gxx

DIAGNOSTICS = FIXTURES / "diagnostics"

#: Every name fixture, with near misses: edits of it that must be accepted and compile.
REJECTED: dict[str, list[tuple[str, str]]] = {
    "name-keyword": [('backend_function_prefix: ""', "backend_function_prefix: backend_"), ("assert:", "asserts:")],
    "name-alternative-token": [("eq:", "equal:")],
    "name-keyword-wchar-t": [("      t:", "      tt:")],
    "name-keyword-cxx20": [("await:", "awaits:")],
    "name-reserved-underscore-upper": [("_Static:", "_static:")],
    "name-reserved-double-underscore": [("__LINE__", "_line_")],
    "prefix-reserved": [('frontend_function_prefix: "__"', 'frontend_function_prefix: "_"')],
    "name-enum-is-guest": [("GET_COUNT:", "get_count:"), ("enum_prefix: apir_", "enum_prefix: APIR_")],
    "name-enum-is-handler": [("backend_function_prefix: backend_", "backend_function_prefix: host_")],
    "name-stdint-macro": [("max:", "maximum:"), ("max:", "c:")],  # UINT32_C is a function-like macro
    "name-function-macro": [("C:", "D:")],
    "override-handler-stdint-type": [("uint32_t", "uint32_type")],
    "override-handler-stddef-type": [("size_t", "size_type")],
    "override-handler-header-type": [("apir_encoder", "apir_encode")],
    "override-handler-spec-type": [("device_get_count: my_handle_t", "device_get_count: my_handle")],
    "override-handler-ggml-type": [("ggml_cgraph", "ggml_graph")],
    "override-handler-macro": [('"NULL"', "NUL")],
    "override-handler-function-macro": [("offsetof", "offset_of")],
    "override-handler-gnu-macro": [("linux", "Linux")],
    "override-handler-gnu-keyword": [("typeof", "typeof_unqual")],
    "override-handler-std": [("std", "stdx")],
    "override-handler-keyword": [("delete", "deletes")],
    "collision-reserved-index-invalid": [("INDEX_INVALID", "INDEX_VALID")],
    "collision-reserved-enum": [("table_count:", "table_counts:")],
    "collision-guest-and-handler-prefix": [("command_name:", "command_names:")],
    "param-name-macro": [("SIZE_MAX", "size_max"), ("SIZE_MAX", "INT8_C")],  # a function-like macro needs '('
    "param-name-reserved": [("__FILE__", "_file_")],
    "base-param-name-macro": [("*NULL", "*null")],
}

#: Rejected although the headers compile, and why.
COMPILES_BUT_REJECTED = {
    # C++ overloads the host handler with the static function of the same name, and the dispatch table
    # picks the handler by its type; still a name the headers define (and C would refuse it).
    "collision-reserved-handler": [("apir_dispatch_command_name", "apir_dispatch_command")],
}

#: A diagnostic that says a name the headers declare clashes; every fixture with one is in REJECTED.
CLASH = re.compile(
    r"error: (enum name|guest function|host handler|handler name|'\w+' value|\w+ name) '[^']*' .*("
    r"is a C/C\+\+ keyword|is a keyword of GNU|reserved for the compiler|is a macro|is a type |"
    r"namespace of the C\+\+|enum name$|clashes with a name the generated headers define)",
    re.M,
)

CXX_MODES = ("c++17", "gnu++17", "c++20")
C_MODES = ("c11", "gnu11")
FLAGS = ["-fsyntax-only", "-Wall", "-Wextra", "-Werror"]


def _type_names(spec: Spec) -> dict[str, str]:
    """Every type name the spec's declarations use, with how it is declared: 'struct', 'enum' or 'union'."""
    out: dict[str, str] = {}
    types = [spec.naming.frontend_base_param.type]
    for group in spec.groups:
        for func in group.functions:
            types += [func.return_type, *(param.type for param in func.params)]
    for ctype in types:
        if ctype.base[0] in TAGS:
            out[ctype.base[1]] = ctype.base[0]
        else:
            for word in ctype.base:
                if word not in BUILTIN_TYPES:
                    out.setdefault(word, "struct")
    for name, where in TYPES.items():
        if where == "ggml's spec uses":
            out.setdefault(name, "struct")
    for standard in (
        "size_t",
        "uint8_t",
        "uint16_t",
        "uint32_t",
        "uint64_t",
        "int8_t",
        "int16_t",
        "int32_t",
        "int64_t",
    ):
        out.pop(standard, None)
    return out


def _stand_ins(types: dict[str, str], cxx: bool) -> str:
    """Each type as a complete type usable with and without its tag, as ggml's C++ uses them."""
    lines = []
    for name, kind in sorted(types.items()):
        if kind == "enum":
            lines.append(f"enum {name}{' : int' if cxx else ''} {{ {name}_standin_zero }}; typedef enum {name} {name};")
        else:
            lines.append(f"{kind} {name} {{ int dummy; }}; typedef {kind} {name} {name};")
    return "\n".join(lines)


def _translation_units(spec: Spec, out: Path) -> dict[str, str]:
    types = _type_names(spec)
    cxx = "\n".join(
        [
            "#include <cstddef>",
            "#include <cstdint>",
            "struct apir_encoder;",
            "struct apir_decoder;",
            "struct virgl_apir_context;",
            "typedef uint32_t (*backend_dispatch_t)(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx);",
            _stand_ins(types, cxx=True),
            f'#include "{out / "backend/shared/apir_backend.gen.h"}"',
            "#define APIR_BACKEND_FORWARD_INDEX_INVALID 6  // as ggml's apir_backend.h, after the enum",
            f'#include "{out / "backend/backend-dispatched.gen.h"}"',
            f'#include "{out / "virtgpu-forward.gen.h"}"',
        ]
    )
    c = "\n".join(
        [
            "#include <stdbool.h>",
            "#include <stddef.h>",
            "#include <stdint.h>",
            _stand_ins(types, cxx=False),
            f'#include "{out / "backend/shared/apir_backend.gen.h"}"',
            f'#include "{out / "virtgpu-forward.gen.h"}"',
        ]
    )
    return {"c++": cxx + "\n", "c": c + "\n"}


def compile_failures(spec: Spec, work: Path, stop_at_first: bool = False) -> list[str]:
    """The modes in which the spec's headers do not compile, each with the compiler's first error."""
    out = work / "gen"
    for relpath, text in render(spec).items():
        (out / relpath).parent.mkdir(parents=True, exist_ok=True)
        (out / relpath).write_text(text)
    units = _translation_units(spec, out)
    assert GXX is not None
    failures = []
    for language, modes in (("c++", CXX_MODES), ("c", C_MODES)):
        for mode in modes:
            run = subprocess.run(
                [GXX, "-x", language, f"-std={mode}", *FLAGS, "-"],
                input=units[language],
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                first = next((line for line in run.stderr.splitlines() if "error" in line), run.stderr)
                failures.append(f"{mode}: {first}")
                if stop_at_first:
                    return failures
    return failures


@pytest.fixture
def checks_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation without the checks of names (a test-only bypass)."""
    monkeypatch.setattr(collisions, "names_compile", lambda *args, **kwargs: None)
    monkeypatch.setattr(roles, "reserved_prefix", lambda *args, **kwargs: None)
    monkeypatch.setattr(roles, "param_clash", lambda *args, **kwargs: None)
    monkeypatch.setattr(roles, "KEYWORDS", frozenset())


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_a_rejected_name_does_not_compile(name: str, tmp_path: Path, checks_off: None) -> None:
    fixture = DIAGNOSTICS / f"{name}.yaml"
    spec = load_spec(fixture)  # accepted with the checks off...
    failures = compile_failures(spec, tmp_path, stop_at_first=True)
    assert failures, f"{name}: the headers compile in every mode, yet the name is rejected"


@pytest.mark.parametrize(
    ("name", "edit"),
    [(name, edit) for name, edits in sorted({**REJECTED, **COMPILES_BUT_REJECTED}.items()) for edit in edits],
    ids=lambda value: value if isinstance(value, str) else f"{value[0]}->{value[1]}",
)
def test_a_near_miss_is_accepted_and_compiles(name: str, edit: tuple[str, str], tmp_path: Path) -> None:
    old, new = edit
    text = (DIAGNOSTICS / f"{name}.yaml").read_text()
    assert old in text
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace(old, new, 1))
    spec, diagnostics = check_spec(path)
    assert spec is not None, [d.format() for d in diagnostics]
    assert compile_failures(spec, tmp_path) == []


def test_the_fixtures_are_rejected_with_the_checks_on() -> None:
    for name in [*REJECTED, *COMPILES_BUT_REJECTED]:
        spec, diagnostics = check_spec(DIAGNOSTICS / f"{name}.yaml")
        assert spec is None, name


def test_every_name_fixture_is_compiled() -> None:
    clashing = {path.stem for path in DIAGNOSTICS.glob("*.err") if CLASH.search(path.read_text())}
    assert clashing == set(REJECTED) | set(COMPILES_BUT_REJECTED)


@pytest.mark.parametrize("name", sorted(COMPILES_BUT_REJECTED))
def test_the_exceptions_are_still_exceptions(name: str, tmp_path: Path, checks_off: None) -> None:
    """Should one of them stop compiling, it belongs in REJECTED."""
    assert compile_failures(load_spec(DIAGNOSTICS / f"{name}.yaml"), tmp_path) == []


@pytest.mark.parametrize(
    ("language", "headers"),
    [
        ("c++", "#include <cstddef>\n#include <cstdint>\n"),
        ("c", "#include <stddef.h>\n#include <stdint.h>\n#include <stdbool.h>\n"),
    ],
)
@pytest.mark.parametrize("mode", ["std", "gnu"])
def test_every_macro_and_type_of_the_standard_headers_is_known(language: str, headers: str, mode: str) -> None:
    """What this compiler's <stddef.h> and <stdint.h> define outside the reserved names is in apir-codegen's list."""
    assert GXX is not None
    std = {("c++", "std"): "c++17", ("c++", "gnu"): "gnu++17", ("c", "std"): "c11", ("c", "gnu"): "gnu11"}[
        (language, mode)
    ]
    args = [GXX, "-x", language, f"-std={std}", "-E", "-"]
    macros = subprocess.run([*args[:-1], "-dM", "-"], input=headers, capture_output=True, text=True, check=True).stdout
    defined = {m.group(1) for m in re.finditer(r"^#define (\w+)", macros, re.M)}
    source = subprocess.run([*args, "-P"], input=headers, capture_output=True, text=True, check=True).stdout
    declared = set(re.findall(r"\btypedef\b[^;]*?\b(\w+)\s*;", source)) | set(
        re.findall(r"\bnamespace\s+(\w+)", source)
    )
    known = set(_CLASHES) | set(FUNCTION_MACROS)
    unreserved = {name for name in defined | declared if not name.startswith("__") and not re.match("_[A-Z]", name)}
    assert unreserved - known == set()
