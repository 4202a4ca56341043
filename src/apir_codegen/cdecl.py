"""C types and parameter declarations: parse, check, spell.

The spec writes return types and parameters as C text (``"const ggml_tensor *op"``).
They are parsed here into a typed model (base type, qualifiers, pointer levels,
name), so that later stages can reason about them (marshalling needs to know
what is a pointer, what is const).

The accepted grammar is deliberately small, the part of C that remoted
signatures use and that clang-format formats predictably:

    param     := type NAME
    type      := quals? base quals? pointer*
    base      := TYPEDEF_NAME | ('struct'|'enum'|'union') NAME | builtin+
    builtin   := void char short int long float double signed unsigned bool _Bool
    pointer   := '*' ('const' | 'volatile')*
    quals     := ('const' | 'volatile')+

Arrays, function pointers, references and ``restrict`` are rejected with a
diagnostic (use a typedef).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUALIFIERS = ("const", "volatile")
TAGS = ("struct", "enum", "union")
BUILTIN_TYPES = frozenset(
    {"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool", "_Bool"}
)
_CORE_BUILTINS = frozenset({"void", "char", "int", "float", "double", "bool", "_Bool"})

#: C and C++ keywords: none may be used as a name in generated C/C++ headers.
KEYWORDS = frozenset(
    """
    alignas alignof and and_eq asm atomic_cancel atomic_commit atomic_noexcept auto bitand bitor bool
    break case catch char char8_t char16_t char32_t class compl concept const consteval constexpr
    constinit const_cast continue co_await co_return co_yield decltype default delete do double
    dynamic_cast else enum explicit export extern false float for friend goto if inline int long
    mutable namespace new noexcept not not_eq nullptr operator or or_eq private protected public
    register reinterpret_cast requires restrict return short signed sizeof static static_assert
    static_cast struct switch template this thread_local throw true try typedef typeid typename
    union unsigned using virtual void volatile wchar_t while xor xor_eq _Alignas _Alignof _Atomic
    _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local
    """.split()
)

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\*)|(\S))")


def is_identifier(text: str) -> bool:
    return bool(_IDENT.fullmatch(text))


class CDeclError(ValueError):
    """A C declaration that cannot be accepted; ``offset`` is where, in the text."""

    def __init__(self, message: str, offset: int, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Pointer:
    """One level of indirection, with the qualifiers written after its ``*``."""

    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class CType:
    """A parsed C type, e.g. ``const char *``."""

    base: tuple[str, ...]
    qualifiers: tuple[str, ...] = ()
    pointers: tuple[Pointer, ...] = ()
    #: True when the qualifiers were written after the base type (``char const``).
    east_qualifiers: bool = False

    @property
    def is_pointer(self) -> bool:
        return bool(self.pointers)

    @property
    def is_void(self) -> bool:
        return self.base == ("void",) and not self.pointers

    @property
    def tokens(self) -> tuple[str, ...]:
        """The type as clang-format (ggml style) spells it, one token per word or ``*`` run."""
        out: list[str] = []
        if self.east_qualifiers and self.base[0] in TAGS:
            # clang-format's QualifierAlignment leaves ``struct x const`` alone.
            out.extend(self.base)
            out.extend(self.qualifiers)
        else:
            out.extend(self.qualifiers)
            out.extend(self.base)
        stars = ""
        for ptr in self.pointers:
            stars += "*"
            if ptr.qualifiers:
                out.append(stars)
                out.extend(ptr.qualifiers)
                stars = ""
        if stars:
            out.append(stars)
        return tuple(out)

    @property
    def spelling(self) -> str:
        """Canonical text, e.g. ``const char *``."""
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Param:
    """A parameter: type and name, plus the text exactly as the spec wrote it."""

    type: CType
    name: str
    source: str

    @property
    def spelling(self) -> str:
        return f"{self.type.spelling} {self.name}"


def _tokenize(text: str) -> list[tuple[str, int]]:
    tokens: list[tuple[str, int]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # only trailing whitespace is left
            break
        start = match.start(match.lastindex or 0)
        tok = match.group(match.lastindex or 0)
        if match.lastindex == 3:
            raise CDeclError(_bad_char_message(tok), start, _bad_char_hint(tok))
        tokens.append((tok, start))
        pos = match.end()
    return tokens


def _bad_char_message(char: str) -> str:
    if char in "[]":
        return "arrays are not supported in a declaration"
    if char in "()":
        return f"unexpected '{char}' in a declaration"
    if char == "&":
        return "references are not supported in a declaration"
    if char in ",;":
        return f"unexpected '{char}': write one declaration per entry"
    return f"unexpected character '{char}' in a declaration"


def _bad_char_hint(char: str) -> str | None:
    if char in "[]()&":
        return "declare a typedef for the type and use its name"
    if char in ",;":
        return "put each parameter in its own list entry"
    return None


def _parse_type(tokens: list[tuple[str, int]], text: str, end_offset: int) -> CType:
    base: list[str] = []
    quals: list[str] = []
    east = False
    i = 0
    n = len(tokens)
    while i < n and tokens[i][0] != "*":
        tok, off = tokens[i]
        if tok in QUALIFIERS:
            if tok in quals:
                raise CDeclError(f"duplicate '{tok}'", off)
            if base:
                east = True
            quals.append(tok)
        elif tok == "restrict":
            raise CDeclError("'restrict' is not supported", off)
        elif tok in TAGS:
            if base:
                raise CDeclError(f"'{tok}' after a type name", off)
            if i + 1 >= n or not is_identifier(tokens[i + 1][0]) or tokens[i + 1][0] in KEYWORDS:
                raise CDeclError(f"'{tok}' must be followed by a name", off)
            base = [tok, tokens[i + 1][0]]
            i += 1
        elif tok in BUILTIN_TYPES:
            if base and base[0] not in BUILTIN_TYPES:
                raise CDeclError(f"'{tok}' after the type name '{' '.join(base)}'", off)
            base.append(tok)
            _check_builtins(base, off)
        elif tok in KEYWORDS:
            raise CDeclError(f"'{tok}' is not allowed in a type", off)
        else:
            if base:
                raise CDeclError(f"unexpected name '{tok}' after the type '{' '.join(base)}'", off)
            base = [tok]
        i += 1
    if not base:
        where = tokens[i][1] if i < n else end_offset
        raise CDeclError("missing type", where)
    pointers: list[Pointer] = []
    while i < n:
        tok, off = tokens[i]
        if tok != "*":
            raise CDeclError(f"unexpected '{tok}' after '*'", off)
        i += 1
        pquals: list[str] = []
        while i < n and tokens[i][0] in QUALIFIERS + ("restrict",):
            if tokens[i][0] == "restrict":
                raise CDeclError("'restrict' is not supported", tokens[i][1])
            if tokens[i][0] in pquals:
                raise CDeclError(f"duplicate '{tokens[i][0]}'", tokens[i][1])
            pquals.append(tokens[i][0])
            i += 1
        pointers.append(Pointer(tuple(pquals)))
    leading = tokens[0][0] in QUALIFIERS
    return CType(
        base=tuple(base),
        qualifiers=tuple(quals),
        pointers=tuple(pointers),
        east_qualifiers=east and not leading,
    )


def _check_builtins(words: list[str], offset: int) -> None:
    core = [w for w in words if w in _CORE_BUILTINS]
    signs = [w for w in words if w in ("signed", "unsigned")]
    longs = words.count("long")
    shorts = words.count("short")
    if len(core) > 1 or len(signs) > 1 or longs > 2 or shorts > 1 or (longs and shorts):
        raise CDeclError(f"'{' '.join(words)}' is not a C type", offset)
    if core and core[0] in ("void", "bool", "_Bool", "float") and (signs or longs or shorts):
        raise CDeclError(f"'{' '.join(words)}' is not a C type", offset)


def parse_type(text: str) -> CType:
    """Parse a C type such as ``const char *``; raise :class:`CDeclError`."""
    tokens = _tokenize(text)
    if not tokens:
        raise CDeclError("empty type", 0)
    return _parse_type(tokens, text, len(text.rstrip()))


def parse_param(text: str) -> Param:
    """Parse one C parameter declaration such as ``const ggml_tensor *op``."""
    tokens = _tokenize(text)
    if not tokens:
        raise CDeclError("empty parameter declaration", 0, hint="write a type and a name, e.g. 'size_t size'")
    name, offset = tokens[-1]
    if name == "*" or len(tokens) < 2:
        raise CDeclError(
            "parameter declaration needs a type and a name",
            len(text.rstrip()),
            hint="write a type and a name, e.g. 'size_t size'",
        )
    if name in KEYWORDS:
        if name in BUILTIN_TYPES or name in QUALIFIERS or name in TAGS:
            raise CDeclError(
                "parameter declaration needs a name after the type",
                len(text.rstrip()),
                hint="write a type and a name, e.g. 'size_t size'",
            )
        raise CDeclError(f"'{name}' is a C/C++ keyword and cannot be a parameter name", offset)
    ctype = _parse_type(tokens[:-1], text, offset)
    if ctype.is_void:
        raise CDeclError("a parameter cannot have type 'void'", tokens[0][1])
    return Param(ctype, name, text)
