"""C types and parameter declarations: parse, check.

The spec writes return types and parameters as C text (``"const ggml_tensor *op"``).
They are parsed here into a typed model (base type, qualifiers, pointer levels,
name), so that later stages can reason about them (marshalling needs to know
what is a pointer, what is const).

The accepted grammar is deliberately small, the part of C that remoted
signatures use and that clang-format formats predictably:

    param     := type NAME
    type      := quals? base quals? pointer*
    base      := TYPEDEF_NAME | ('struct'|'enum'|'union') NAME | builtin+
    builtin   := void char short int long float double signed unsigned bool
    pointer   := '*' ('const' | 'volatile')*
    quals     := ('const' | 'volatile')+

(``_Bool`` is a TYPEDEF_NAME here: C++ has it only from ``<stdbool.h>``, and
clang-format, which formats these headers as C++, takes it for a name.)

Arrays, function pointers, references and ``restrict`` are rejected with a
diagnostic (use a typedef).  So is what clang-format would not format as the
declaration it is: words it treats as keywords or macros (:func:`_check_words`),
line breaks (:func:`_check_line_breaks`), characters that are not C, a return
type ending in ``volatile`` (:func:`_hides_function_name`), a qualifier after an
``enum``/``union`` tag.

The model is canonical: a type's ``spelling`` puts the base type's qualifiers
first (``const char *``), whatever order the spec wrote.  How a style writes a
type (ggml's QualifierAlignment, from the words as written) is the formatter's
(``format/ggml/spelling.py``).
"""

from __future__ import annotations

from . import clang_words
from .records import Record, set_field

QUALIFIERS = ("const", "volatile")
TAGS = ("struct", "enum", "union")
BUILTIN_TYPES = frozenset({"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool"})
_CORE_BUILTINS = frozenset({"void", "char", "int", "float", "double", "bool"})
#: Names clang-format knows to be types even without seeing their declaration.
KNOWN_TYPE_NAMES = frozenset(
    "clock_t int8_t int16_t int32_t int64_t intptr_t ptrdiff_t size_t time_t "
    "uint8_t uint16_t uint32_t uint64_t uintptr_t".split()
)

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

_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
#: Whitespace between the words of a declaration.  Other characters Python
#: calls whitespace (no-break space, U+2028, '\x1c', ...) are not C; carriage
#: returns, form and line feeds are control characters no spec needs.
_BLANKS = frozenset(" \t\n")
#: Names that are types without being keywords or typedef names (see the module docstring).
TYPE_NAMES = frozenset({"_Bool"})


def is_identifier(text: str) -> bool:
    """A C identifier: ASCII letters, digits and underscores, not starting with a digit."""
    return text.isascii() and text.isidentifier()


class CDeclError(ValueError):
    """A C declaration that cannot be accepted; ``offset`` is where, in the text."""

    def __init__(self, message: str, offset: int, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


class Pointer(Record):
    """One level of indirection, with the qualifiers written after its ``*``."""

    __slots__ = ("qualifiers",)
    qualifiers: tuple[str, ...]

    def __init__(self, qualifiers: tuple[str, ...] = ()) -> None:
        set_field(self, "qualifiers", qualifiers)


class CType(Record):
    """A parsed C type, e.g. ``const char *``.

    ``base`` is the type name (``("size_t",)``, ``("unsigned", "int")``,
    ``("struct", "ggml_tensor")``), ``qualifiers`` those of the base type and
    ``pointers`` one entry per ``*``.  Two spellings of the same type compare
    equal; ``tokens`` and ``spelling`` are the canonical one.  ``written``
    holds the words as the spec wrote them (``*`` apart), for a formatter that
    spells the type as its style would from the source (None for a type built
    rather than parsed: the canonical words are its source).
    """

    __slots__ = ("base", "qualifiers", "pointers", "written")
    _uncompared = ("written",)
    base: tuple[str, ...]
    qualifiers: tuple[str, ...]
    pointers: tuple[Pointer, ...]
    written: tuple[str, ...] | None

    def __init__(
        self,
        base: tuple[str, ...],
        qualifiers: tuple[str, ...] = (),
        pointers: tuple[Pointer, ...] = (),
        written: tuple[str, ...] | None = None,
    ) -> None:
        set_field(self, "base", base)
        set_field(self, "qualifiers", qualifiers)
        set_field(self, "pointers", pointers)
        set_field(self, "written", written)

    @property
    def is_pointer(self) -> bool:
        return bool(self.pointers)

    @property
    def is_void(self) -> bool:
        return self.base == ("void",) and not self.pointers

    @property
    def tokens(self) -> tuple[str, ...]:
        """The canonical words: qualifiers, base, then each ``*`` and its qualifiers; ``*`` runs glued."""
        words = [*self.qualifiers, *self.base]
        for ptr in self.pointers:
            words += ["*", *ptr.qualifiers]
        return glue_stars(words)

    @property
    def spelling(self) -> str:
        """The canonical text, e.g. ``const char *`` (for messages, docs, dump, compat)."""
        return " ".join(self.tokens)


def glue_stars(words: list[str]) -> tuple[str, ...]:
    """The words with each run of ``*`` made one word (``char **``)."""
    out: list[str] = []
    for word in words:
        if word == "*" and out and out[-1].endswith("*") and set(out[-1]) == {"*"}:
            out[-1] += "*"
        else:
            out.append(word)
    return tuple(out)


def is_possible_macro(word: str) -> bool:
    """clang-format's isPossibleMacro: an identifier of more than one character that
    upper-casing leaves alone, letterless ones (``_1``, ``__``) included."""
    return len(word) > 1 and word == word.upper()


def _hides_function_name(words: list[str], ctype: CType) -> bool:
    """Whether clang-format, in ggml's style, would write a return type written
    ``words`` with ``volatile`` last (then ``const`` at most).

    Its isStartOfName skips only ``const`` before a name: after ``volatile``
    the function's name is not seen as one.  QualifierAlignment (Left) leaves
    ``volatile`` last when it qualifies the last ``*``, or when it is written
    after a base type that looks like a macro or after a ``struct`` tag's
    name (:mod:`apir_codegen.format.ggml.spelling` has the whole rule).
    """
    if ctype.pointers:
        return "volatile" in ctype.pointers[-1].qualifiers
    if "volatile" not in ctype.qualifiers:
        return False
    last_base = max(index for index, word in enumerate(words) if word not in QUALIFIERS)
    if "volatile" not in words[last_base + 1 :]:
        return False
    name = ctype.base[-1]
    if is_possible_macro(name):
        return True
    return ctype.base[0] == "struct" and name not in BUILTIN_TYPES and name not in KNOWN_TYPE_NAMES


class Param(Record):
    """A parameter: type and name, plus the text exactly as the spec wrote it."""

    __slots__ = ("type", "name", "source")
    type: CType
    name: str
    source: str

    def __init__(self, type: CType, name: str, source: str) -> None:
        set_field(self, "type", type)
        set_field(self, "name", name)
        set_field(self, "source", source)

    @property
    def spelling(self) -> str:
        return f"{self.type.spelling} {self.name}"


def _tokenize(text: str) -> list[tuple[str, int]]:
    """Words and ``*`` with their offsets; any other character is an error."""
    tokens: list[tuple[str, int]] = []
    pos = 0
    end = len(text)
    while pos < end:
        char = text[pos]
        if char in _BLANKS:
            pos += 1
        elif char == "*":
            tokens.append(("*", pos))
            pos += 1
        elif char in _WORD_CHARS and not char.isdigit():
            start = pos
            while pos < end and text[pos] in _WORD_CHARS:
                pos += 1
            tokens.append((text[start:pos], start))
        else:
            raise CDeclError(_bad_char_message(char), pos, _bad_char_hint(char))
    return tokens


def _bad_char_message(char: str) -> str:
    if not char.isprintable() or char.isspace():
        import unicodedata  # only for the message

        name = unicodedata.name(char, "control character").lower()
        return f"character U+{ord(char):04X} ({name}) in a declaration is not C"
    if char in "[]":
        return "arrays are not supported in a declaration"
    if char in "()":
        return f"unexpected '{char}'"
    if char == "&":
        return "references are not supported in a declaration"
    if char in ",;":
        return f"unexpected '{char}': write one declaration per entry"
    return f"unexpected character '{char}' in a declaration"


def _bad_char_hint(char: str) -> str | None:
    if char in "[]&":
        return "declare a typedef for the type and use its name"
    if char in "()":
        return "write a type such as 'const char *', or one parameter such as 'size_t size'; for a function pointer, use a typedef"
    if char in ",;":
        return "put each parameter in its own list entry"
    if not char.isprintable() or char.isspace():
        return "separate words with plain spaces"
    return None


def _parse_type(tokens: list[tuple[str, int]], text: str, end_offset: int) -> CType:
    base: list[str] = []
    quals: list[str] = []
    i = 0
    n = len(tokens)
    while i < n and tokens[i][0] != "*":
        tok, off = tokens[i]
        if tok in QUALIFIERS:
            if tok in quals:
                raise CDeclError(f"duplicate '{tok}'", off)
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
        elif tok in KEYWORDS and tok not in TYPE_NAMES:
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
    for index, (tok, _off) in enumerate(tokens):
        if tok in ("enum", "union") and index + 2 < len(tokens) and tokens[index + 2][0] in QUALIFIERS:
            qual, tag = tokens[index + 2][0], f"{tok} {tokens[index + 1][0]}"
            raise CDeclError(
                f"'{qual}' after '{tag}' is not supported: clang-format would move it to "
                f"'{tok} {qual} {tokens[index + 1][0]}', which is not C",
                tokens[index + 2][1],
                hint=f"write '{qual} {tag}'",
            )
    return CType(base=tuple(base), qualifiers=tuple(quals), pointers=tuple(pointers))


def _check_builtins(words: list[str], offset: int) -> None:
    core = [w for w in words if w in _CORE_BUILTINS]
    signs = [w for w in words if w in ("signed", "unsigned")]
    longs = words.count("long")
    shorts = words.count("short")
    if len(core) > 1 or len(signs) > 1 or longs > 2 or shorts > 1 or (longs and shorts):
        raise CDeclError(f"'{' '.join(words)}' is not a C type", offset)
    if core and core[0] in ("void", "bool", "float") and (signs or longs or shorts):
        raise CDeclError(f"'{' '.join(words)}' is not a C type", offset)


def _with_words(ctype: CType, words: list[str]) -> CType:
    return CType(ctype.base, ctype.qualifiers, ctype.pointers, tuple(words))


_TYPE_CACHE: dict[str, CType] = {}
_PARAM_CACHE: dict[str, Param] = {}


def parse_type(text: str) -> CType:
    """Parse a C type such as ``const char *``; raise :class:`CDeclError`."""
    cached = _TYPE_CACHE.get(text)
    if cached is None:
        cached = _TYPE_CACHE[text] = _parse_type_text(text)
    return cached


def parse_param(text: str) -> Param:
    """Parse one C parameter declaration such as ``const ggml_tensor *op``; raise :class:`CDeclError`."""
    cached = _PARAM_CACHE.get(text)
    if cached is None:
        cached = _PARAM_CACHE[text] = _parse_param_text(text)
    return cached


def _check_line_breaks(text: str, what: str) -> None:
    """Line breaks: one at the end is fine (a YAML block scalar's), any other is refused.

    clang-format keeps an empty line inside a declaration where two line breaks
    meet: written in a row, or left on both sides of a qualifier it moves.
    """
    body = text.rstrip(" \t")
    body = body[:-1] if body.endswith("\n") else text
    if "\n" in body:
        raise CDeclError(
            f"line break inside the {what}",
            body.index("\n"),
            hint="write it on one line (clang-format would keep an empty line inside the declaration)",
        )


def _check_words(tokens: list[tuple[str, int]]) -> None:
    """Words clang-format does not format as the names they are here."""
    for word, offset in tokens:
        if word in clang_words.SPECIAL_WORDS:
            raise CDeclError(
                f"'{word}' {clang_words.SPECIAL}",
                offset,
                hint=clang_words.special_word_hint(word),
            )


def _parse_type_text(text: str) -> CType:
    tokens = _tokenize(text)
    if not tokens:
        raise CDeclError("empty type", 0, hint="leave frontend_return out for void")
    _check_line_breaks(text, "type")
    _check_words(tokens)
    words = [t for t, _ in tokens]
    ctype = _with_words(_parse_type(tokens, text, len(text.rstrip())), words)
    if _hides_function_name(words, ctype):
        raise CDeclError(
            "a return type ending in 'volatile' (or 'volatile const') is not supported: clang-format would "
            "no longer see the function's name",
            max(offset for word, offset in tokens if word == "volatile"),
            hint="drop the qualifier: it is ignored on a returned value (-Wignored-qualifiers)",
        )
    return ctype


def _parse_param_text(text: str) -> Param:
    tokens = _tokenize(text)
    if not tokens:
        raise CDeclError("empty parameter declaration", 0, hint="write a type and a name, e.g. 'size_t size'")
    _check_line_breaks(text, "parameter declaration")
    _check_words(tokens)
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
    if name in KNOWN_TYPE_NAMES:
        raise CDeclError(f"'{name}' is a type name and cannot be a parameter name", offset)
    if tokens[-2][0] in TAGS:  # 'struct x': x is the tag, the name is missing
        raise CDeclError(
            "parameter declaration needs a name after the type",
            len(text.rstrip()),
            hint="write a type and a name, e.g. 'struct ggml_tensor *tensor'",
        )
    ctype = _parse_type(tokens[:-1], text, offset)
    if ctype.is_void:
        raise CDeclError("a parameter cannot have type 'void'", tokens[0][1])
    ctype = _with_words(ctype, [t for t, _ in tokens[:-1]])
    return Param(ctype, name, text)
