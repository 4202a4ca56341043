"""Random specs for the differential against the reference pipeline.

Unlike :mod:`tests.specgen` (ggml-like specs that must be valid), this
generator aims at the edges of what apir-codegen accepts, where it must either
write exactly what the reference pipeline writes or reject the spec with a
diagnostic: qualifiers in every order and place, identifiers without letters,
words clang-format treats specially (and their harmless neighbours), line
breaks and odd whitespace inside types, Unicode, long names that push
declarations past the column limit, empty prefixes and handler overrides that
make names out of such words.  Each spec mixes ordinary functions with a few
such constructs (most specs have one or two, some none), so that a rejection
does not hide the rest.

Specs are plain data for ``yaml.safe_dump`` in ggml's format (with the
``config`` key ggml's script requires), driven by a ``random.Random``.
"""

from __future__ import annotations

import random
from typing import Any

import yaml

#: Type names of every shape: ggml's, builtin words, typedef-like, upper case
#: (clang-format takes those for macros), letterless, with underscores.
TYPE_NAMES = [
    "int",
    "char",
    "void",
    "float",
    "double",
    "bool",
    "_Bool",
    "size_t",
    "uint32_t",
    "int64_t",
    "uint8_t",
    "ggml_tensor",
    "ggml_cgraph",
    "ggml_status",
    "apir_buffer_context_t",
    "FILE",
    "T",
    "U",
    "FOO",
    "HANDLE",
    "DWORD",
    "Foo",
    "fooBar",
    "_1",
    "__",
    "_",
    "_2_",
    "__3",
    "_X",
    "__x",
    "x_",
    "t0",
    "unsigned int",
    "unsigned long long",
    "long long",
    "signed char",
    "unsigned",
    "short",
    "long double",
    "unsigned short int",
]
TAGGED = ["struct ggml_tensor", "struct s", "enum ggml_status", "union u", "struct virtgpu", "enum e", "struct _1"]
#: Words near clang-format's special ones: keywords of other languages it knows,
#: Qt/Boost macros, context-sensitive C++ words.  Some are special, most are not.
EDGE_WORDS = [
    "as",
    "import",
    "instanceof",
    "typeof",
    "foreach",
    "in",
    "out",
    "final",
    "override",
    "get",
    "set",
    "object",
    "event",
    "module",
    "signals",
    "slots",
    "Q_SIGNALS",
    "Q_SLOTS",
    "Q_FOREACH",
    "BOOST_FOREACH",
    "Q_UNUSED",
    "QT_REQUIRE_VERSION",
    "KJ_IF_MAYBE",
    "__capability",
    "__attribute__",
    "__declspec",
    "__int64",
    "__try",
    "__except",
    "__finally",
    "__leave",
    "__ptr64",
    "__restrict",
    "__unaligned",
    "__w64",
    "__cdecl",
    "__stdcall",
    "_Nonnull",
    "_Nullable",
    "__kindof",
    "__bridge",
    "NS_ENUM",
    "CF_ENUM",
    "NS_OPTIONS",
    "interface",
    "synchronized",
    "async",
    "await",
    "yield",
    "var",
    "let",
    "function",
    "extends",
    "implements",
    "package",
    "native",
    "throws",
    "base",
    "string",
    "lock",
    "fixed",
    "delegate",
    "internal",
    "sealed",
    "params",
    "ref",
    "where",
    "when",
    "assert",
    "begin",
    "end",
    "wire",
    "module_",
    "is",
    "from",
    "type",
    "declare",
    "abstract",
    "region",
    "mark",
    "optional",
    "required",
    "repeated",
    "returns",
    "option",
    "extend",
    "NSString",
    "NSObject",
    "CGFloat",
    "BOOL",
    "id",
    "SEL",
    "half",
    "pipe",
    "kernel",
    "global",
    "local",
    "constant",
    "generic",
    "__global",
    "__local",
    "__int128",
    "__float128",
    "__bf16",
    "_Float16",
    "__fp16",
    "__auto_type",
    "__thread",
    "__null",
    "__func__",
    "__real",
    "STRINGIZE",
    "PP_STRINGIZE",
    "__CLANG_FORMAT_INTERNAL_IDENT_AFTER_DEFINE__",
    "__has_include",
]
PARAM_NAMES = ["p", "ptr", "size", "count", "flags", "data", "name", "out_value", "x", "_1", "__", "_", "n2", "ctx_"]
#: Whitespace and invisible characters clang-format and C do not all agree on.
ODD_BLANKS = [
    "\n",
    "\n\n",
    "\t",
    "\r",
    "\r\n",
    "\v",
    "\f",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u3000",
    "\u0085",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x1f",
    "\u200b",
    "\ufeff",
    "  ",
    " \n ",
    "\n \n",
]
UNICODE_WORDS = ["é", "naïve", "Ωmega", "数据", "x\u0301", "ﬁle"]
PREFIXES = {
    "enum_prefix": ["APIR_COMMAND_TYPE_", "CMD_", "", "E", "_", "Q_", "x"],
    "backend_function_prefix": ["backend_", "apir_backend_", "", "_", "h"],
    "frontend_function_prefix": ["apir_", "", "_", "g", "virtgpu_forward_"],
}
BASE_PARAMS = ["struct virtgpu *gpu", "struct virtgpu* gpu", "void *ctx", "struct vn_ring *ring", "int fd"]


class DiffGen:
    """One random spec in ggml's format, as plain data."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.exotic = 0  # budget of unusual constructs left for this spec

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def unusual(self, p: float) -> bool:
        """Whether to use an unusual construct here (at most the spec's budget)."""
        if self.exotic > 0 and self.chance(p):
            self.exotic -= 1
            return True
        return False

    def long_word(self, low: int, high: int) -> str:
        parts: list[str] = []
        target = self.rng.randint(low, high)
        while len("_".join(parts)) < target:
            parts.append(self.rng.choice(["tensor", "buffer", "very", "long", "name", "x", "ctx", "handle", "apir"]))
        return "_".join(parts)[:target].rstrip("_") or "x"

    def word(self) -> str:
        """A type name."""
        if self.unusual(0.15):
            return self.rng.choice(EDGE_WORDS + UNICODE_WORDS)
        if self.chance(0.06):
            return self.long_word(30, 100)
        return self.rng.choice(TYPE_NAMES + TAGGED)

    def qualifiers(self, words: list[str]) -> list[str]:
        """``const``/``volatile`` before or after the type (east const), in either order;
        rarely somewhere C does not allow, or a qualifier apir-codegen does not take."""
        out = list(words)
        tagged = out[0] in ("enum", "union")  # a qualifier after the tag is refused: mostly before
        for qual in self.rng.sample(["const", "volatile"], 2):
            if self.chance(0.35 if qual == "const" else 0.15):
                out.insert(0 if tagged and self.chance(0.8) else self.rng.choice([0, len(out)]), qual)
        if self.unusual(0.05):
            out.insert(self.rng.randint(0, len(out)), self.rng.choice(["const", "volatile", "restrict", "static"]))
        return out

    def ctype(self, is_return: bool) -> list[str]:
        words = self.qualifiers(self.word().split())
        stars = self.rng.choice([0, 0, 1, 1, 1, 2, 3])
        if not is_return and words[-1] == "void":
            stars = max(stars, 1)
        for index in range(stars):
            words.append("*")
            # A qualified last pointer of a return type is ignored by C (and 'volatile'
            # there is refused): rare for returns, common for parameters.
            if self.chance(0.05 if is_return and index == stars - 1 else 0.25):
                words += self.rng.sample(["const", "volatile"], self.rng.choice([1, 1, 2]))
        return words

    def join(self, words: list[str]) -> str:
        """Words as spec text: irregular spacing, and (rarely) odd whitespace between them."""
        text = ""
        for index, word in enumerate(words):
            if index:
                if self.unusual(0.03):
                    sep = self.rng.choice(ODD_BLANKS)
                elif word == "*" or words[index - 1] == "*":
                    sep = self.rng.choice([" ", "", " ", "  "])
                else:
                    sep = " "
                text += sep
            text += word
        if self.unusual(0.015):
            text = self.rng.choice(["\n", " ", "\t", "\n\n", "\u00a0"]) + text
        if self.unusual(0.02):
            text += self.rng.choice(["\n", " ", "\n\n", "\t", "\u2028"])
        return text

    def return_type(self) -> str:
        return self.join(self.ctype(is_return=True))

    def param(self, used: set[str]) -> str:
        name = self.rng.choice(PARAM_NAMES)
        if self.unusual(0.08):
            name = self.rng.choice(EDGE_WORDS + UNICODE_WORDS)
        elif self.chance(0.06):
            name = self.long_word(20, 90)
        while name in used:
            name += "_"
        used.add(name)
        return self.join([*self.ctype(is_return=False), name])

    def ident(self, pool: list[str]) -> str:
        if self.unusual(0.05):
            return self.rng.choice(EDGE_WORDS + ["_1", "__", "_", "Q"])
        if self.chance(0.1):
            return self.long_word(10, 60)
        return self.rng.choice(pool)

    def description(self, group: str) -> str:
        if self.unusual(0.1):
            return self.rng.choice(
                [
                    "tab\there",
                    "ünïcode ☃",
                    "trailing  ",
                    " leading",
                    "a /* b",
                    "x\u00a0y",
                    "é",
                    "QT_REQUIRE_VERSION",
                    "foreach",
                    "a\u2028b",
                    "// c",
                    "\\",
                    "%s",
                ]
            )
        return self.rng.choice([group, group.replace("_", " "), f"{group} functions", group.upper()])

    def function(self, base_name: str) -> dict[str, Any] | None:
        if self.chance(0.05):
            return None
        meta: dict[str, Any] = {}
        if self.chance(0.6):
            meta["frontend_return"] = self.return_type()
        if self.chance(0.75):
            used = {base_name}
            meta["frontend_extra_params"] = [self.param(used) for _ in range(self.rng.choice([1, 1, 2, 3, 4, 6]))]
        if self.chance(0.06):
            meta["deprecated"] = True
        if self.chance(0.06):
            meta["enabled"] = False
        return meta

    def spec(self) -> dict[str, Any]:
        self.exotic = self.rng.choice([0, 0, 1, 1, 2, 3])
        naming: dict[str, Any] = {}
        for key, values in PREFIXES.items():
            naming[key] = self.rng.choice(values) if self.unusual(0.15) else values[0]
        naming["frontend_base_param"] = self.rng.choice(BASE_PARAMS)
        if self.unusual(0.05):
            naming["frontend_base_param"] = self.param(set())
        base_name = naming["frontend_base_param"].replace("*", " ").split()[-1]
        groups: dict[str, Any] = {}
        keys: list[str] = []
        for _ in range(self.rng.randint(1, 4)):
            group = self.ident(["device", "buffer", "backend", "graph", "event", "stream", "mem"])
            if group in groups:
                continue
            functions: dict[str, Any] = {}
            for _ in range(self.rng.randint(1, 6)):
                name = self.ident(["get_count", "init", "alloc", "free", "compute", "get_name", "set", "wait"])
                if name in functions:
                    continue
                functions[name] = self.function(base_name)
                keys.append(f"{group}_{name}")
            groups[group] = {"group_description": self.description(group), "functions": functions}
        if keys and self.chance(0.2):
            chosen = self.rng.sample(keys, min(len(keys), self.rng.randint(1, 2)))
            naming["backend_function_overrides"] = {
                key: self.ident(["custom_handler", "handle_it", "my_backend_fn"]) + (f"_{index}" if index else "")
                for index, key in enumerate(chosen)
            }
        return {"functions": groups, "naming_patterns": naming, "config": {"base_path": "ggml/src"}}


def spec_texts(seed: int, count: int) -> list[str]:
    """``count`` random specs as YAML text, the same for the same seed."""
    rng = random.Random(seed)
    gen = DiffGen(rng)
    return [yaml.safe_dump(gen.spec(), sort_keys=False, allow_unicode=rng.random() < 0.5) for _ in range(count)]
