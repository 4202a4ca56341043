"""Line breaking: where clang-format (ggml style) breaks lines that do not fit.

Breaking happens before alignment and knows nothing about it, exactly as in
clang-format: each line is broken on its own, as if it started at its
indentation, and the aligner shifts the result afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Declaration

COLUMN_LIMIT = 120
CONTINUATION_INDENT = 4


@dataclass(frozen=True)
class DeclLayout:
    """How one declaration is broken (columns are before alignment).

    ``param_lines[i]`` is the column parameter *i* starts a line at, or None
    when it follows on the previous line; ``name_lines[i]`` likewise for the
    parameter's name (clang-format may break between a type and its name).
    """

    break_after_return: bool = False
    break_after_paren: bool = False
    param_indent: int = 0
    param_lines: tuple[int | None, ...] = ()
    name_lines: tuple[int | None, ...] = ()


def _spelling(decl: Declaration) -> tuple[str, list[str]]:
    ret = decl.return_type.spelling
    params = [p.spelling for p in decl.params]
    return ret, params


def layout_declaration(decl: Declaration, limit: int = COLUMN_LIMIT) -> DeclLayout:
    ret, params = _spelling(decl)
    n = len(params)
    head = f"{ret} {decl.name}("
    one_line = len(head) + len(", ".join(params)) + 2
    none: tuple[int | None, ...] = (None,) * n
    if one_line <= limit:
        return DeclLayout(param_lines=none, name_lines=none)
    col = len(head)
    widths = [col + len(p) + (2 if i == n - 1 else 1) for i, p in enumerate(params)]
    if max(widths) <= limit:
        return DeclLayout(param_lines=(None,) + (col,) * (n - 1), name_lines=none)
    lines = (CONTINUATION_INDENT,) * n
    if len(head) <= limit:
        return DeclLayout(break_after_paren=True, param_indent=CONTINUATION_INDENT, param_lines=lines, name_lines=none)
    return DeclLayout(
        break_after_return=True,
        break_after_paren=True,
        param_indent=CONTINUATION_INDENT,
        param_lines=lines,
        name_lines=none,
    )


def enum_value_breaks(indent: int, name: str, value: str, limit: int = COLUMN_LIMIT) -> bool:
    """Whether ``NAME = VALUE,`` is broken after the ``=`` (the value then goes to indent + 4).

    The comma counts: nothing can be broken between the value and it.
    """
    return indent + len(name) + len(" = ") + len(value) + len(",") > limit


def _string_split(text: str, content_column: int, limit: int) -> int | None:
    """Length of the first piece clang-format cuts off a string literal's content.

    clang-format (``getStringSplit``) prefers to split after the last blank, then
    after the last ``/``, then after the last character that is not a letter or
    digit, among the characters that fit; failing all, at the last one that fits.
    ``limit`` is the column limit minus the closing quote.
    """
    max_split = limit - content_column
    if not text or max_split <= 0:
        return None
    space = slash = word_start = 0
    split_point = 0
    for index, char in enumerate(text):
        if index + 1 > max_split or len(text) - index <= 1:
            break
        if char in " \t":
            space = split_point
        if char == "/":
            slash = split_point
        if not (char.isascii() and char.isalnum()):
            word_start = split_point
        split_point += 1
    for candidate in (space, slash, word_start):
        if candidate:
            return candidate + 1
    return split_point or None


def split_string_literal(quote_column: int, text: str, tail: int = 0, limit: int = COLUMN_LIMIT) -> list[str]:
    """The contents of the pieces clang-format (BreakStringLiterals) splits ``"text"`` into.

    ``quote_column`` is where the opening quote stands; ``tail`` the width of what
    must follow the literal on its line (``;``).  Later pieces start at the same
    column.
    """
    content_column = quote_column + 1
    pieces: list[str] = []
    rest = text
    while content_column + len(rest) + 1 + tail > limit:
        cut = _string_split(rest, content_column, limit - 1)
        if cut is None:
            break
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def table_entry_lines(indent: int, head: str, tail: str, note: bool, limit: int = COLUMN_LIMIT) -> list[str]:
    """Lines of a dispatch-table entry ``HEAD TAIL,`` (without indentation).

    ``head`` is the ``/* ENUM  = */`` comment, ``tail`` the handler (with its
    ``/* DEPRECATED */`` note when ``note``).  The entry breaks after the head
    comment when it does not fit; a trailing note keeps the comma off its line
    when only the comma does not fit.
    """
    one = f"{head} {tail}"
    if indent + len(one) + 1 <= limit:
        return [one + ","]
    if note and indent + len(one) <= limit:
        return [one, ","]
    if not note or indent + len(tail) + 1 <= limit:
        return [head, tail + ","]
    return [head, tail, ","]
