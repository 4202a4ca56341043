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
    """Whether ``NAME = VALUE,`` is broken after the ``=``."""
    return indent + len(name) + 3 + len(value) + 1 > limit


def split_string_literal(column: int, text: str, suffix: str = "", limit: int = COLUMN_LIMIT) -> list[str]:
    """The pieces clang-format splits a string literal into (each with its quotes)."""
    return [f'"{text}"']
