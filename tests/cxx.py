"""Compile generated headers with g++ and run a program that exercises the dispatch table.

The expectations (numbers, names, handlers) are computed here from the YAML
with plain PyYAML and the naming rules of ggml's format, independently of
apir-codegen's model, so that a wrong model cannot agree with itself.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

GXX = shutil.which("g++")
needs_gxx = pytest.mark.skipif(GXX is None, reason="g++ is not installed")

#: Types every ggml header can rely on.
KNOWN_TYPES = {
    "size_t",
    "uint8_t",
    "uint16_t",
    "uint32_t",
    "uint64_t",
    "int8_t",
    "int16_t",
    "int32_t",
    "int64_t",
    "bool",
    "char",
    "int",
    "void",
    "float",
    "double",
    "unsigned",
    "signed",
    "long",
    "short",
}


@dataclass
class ExpectedCommand:
    number: int
    key: str
    enum_name: str
    handler: str  # None-like "" for a retired command: its slot must reject calls

    @property
    def retired(self) -> bool:
        return self.handler == ""


#: What a retired command's slot returns (ggml's APIR_BACKEND_FORWARD_INDEX_INVALID).
REJECTED = 6


def expected_commands(spec_path: Path) -> list[ExpectedCommand]:
    data = yaml.safe_load(spec_path.read_text())
    naming = data["naming_patterns"]
    overrides = naming.get("backend_function_overrides") or {}
    out: list[ExpectedCommand] = []
    for group, gdata in data["functions"].items():
        for func, meta in (gdata["functions"] or {}).items():
            meta = meta or {}
            if not meta.get("enabled", True):
                continue
            key = f"{group}_{func}"
            out.append(
                ExpectedCommand(
                    number=len(out),
                    key=key,
                    enum_name=f"{naming['enum_prefix']}{group.upper()}_{func.upper()}",
                    handler=overrides.get(key, f"{naming['backend_function_prefix']}{key}"),
                )
            )
    return out


def _type_words(decl: str) -> list[str]:
    words = decl.replace("*", " ").split()
    return words


def stand_ins(spec_path: Path) -> str:
    """Minimal declarations of every type the spec's signatures use."""
    data = yaml.safe_load(spec_path.read_text())
    decls: list[str] = []
    typedefs: set[str] = set()
    tags: set[tuple[str, str]] = set()

    def visit(text: str, has_name: bool) -> None:
        words = _type_words(text)
        if has_name:
            words = words[:-1]
        i = 0
        while i < len(words):
            word = words[i]
            if word in ("struct", "enum", "union") and i + 1 < len(words):
                tags.add((word, words[i + 1]))
                i += 2
                continue
            if word not in KNOWN_TYPES and word not in ("const", "volatile"):
                typedefs.add(word)
            i += 1

    visit(data["naming_patterns"]["frontend_base_param"], True)
    for gdata in data["functions"].values():
        for meta in (gdata["functions"] or {}).values():
            meta = meta or {}
            visit(meta.get("frontend_return", "void"), False)
            for param in meta.get("frontend_extra_params") or []:
                visit(param, True)
    for kind, name in sorted(tags):
        decls.append(f"enum {name} : int {{ {name}_zero }};" if kind == "enum" else f"{kind} {name} {{ int dummy; }};")
    # In C++ a struct's tag is a type name too (ggml uses both `ggml_tensor` and `struct ggml_tensor`).
    for name in sorted(typedefs - {name for kind, name in tags if kind == "struct"}):
        decls.append(f"typedef struct {name}_standin {{ int dummy; }} {name};")
    return "\n".join(decls)


PRELUDE = """\
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
struct apir_encoder;
struct apir_decoder;
struct virgl_apir_context;
typedef uint32_t (*backend_dispatch_t)(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx);
"""


def dispatch_program(spec_path: Path, out_dir: Path, commands: list[ExpectedCommand] | None = None) -> str:
    """A C++ program that includes the three headers and checks every command.

    ``commands`` defaults to what the spec's plain YAML says (no lock file).
    """
    if commands is None:
        commands = expected_commands(spec_path)
    handlers = sorted({c.handler for c in commands if not c.retired})
    lines = [PRELUDE, stand_ins(spec_path)]
    lines.append(f'#include "{out_dir / "backend/shared/apir_backend.gen.h"}"')
    lines.append("static uint32_t called_with = 0;")
    # Each handler reports which handler it is: its index in `handlers`, plus one.
    for index, name in enumerate(handlers):
        lines.append(
            f"uint32_t {name}(apir_encoder *, apir_decoder *, virgl_apir_context *) {{ return {index + 1}u; }}"
        )
    lines.append(f'#include "{out_dir / "backend/backend-dispatched.gen.h"}"')
    lines.append(f'#include "{out_dir / "virtgpu-forward.gen.h"}"')
    lines.append("int main() {")
    lines.append("    int failures = 0;")
    lines.append(
        f'    if (APIR_BACKEND_DISPATCH_TABLE_COUNT != {len(commands)}) {{ std::printf("count\\n"); failures++; }}'
    )
    for cmd in commands:
        want = REJECTED if cmd.retired else handlers.index(cmd.handler) + 1
        lines.append(f'    if ({cmd.enum_name} != {cmd.number}) {{ std::printf("number {cmd.key}\\n"); failures++; }}')
        lines.append(
            f"    if (apir_backend_dispatch_table[{cmd.enum_name}](nullptr, nullptr, nullptr) != {want}u)"
            f' {{ std::printf("slot {cmd.key}\\n"); failures++; }}'
        )
        lines.append(
            f'    if (std::strcmp(apir_dispatch_command_name({cmd.enum_name}), "{cmd.key}") != 0)'
            f' {{ std::printf("name {cmd.key}\\n"); failures++; }}'
        )
    lines.append(
        '    if (std::strcmp(apir_dispatch_command_name((ApirBackendCommandType) -1), "unknown") != 0)'
        ' { std::printf("unknown\\n"); failures++; }'
    )
    lines.append("    (void) called_with;")
    lines.append("    return failures;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def compile_and_run(source: str, work: Path) -> subprocess.CompletedProcess[str]:
    assert GXX is not None
    src = work / "dispatch_test.cpp"
    exe = work / "dispatch_test"
    src.write_text(source)
    build = subprocess.run(
        [GXX, "-std=c++17", "-Wall", "-Wextra", "-Werror", "-o", str(exe), str(src)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    return subprocess.run([str(exe)], capture_output=True, text=True)
