"""ggml's formatting, built in: clang-format's layout of our headers, without clang-format.

ggml formats its generated headers with clang-format and the style in
``ggml-style.clang-format``.  This package reproduces what clang-format 23.1.3
makes of the lines our emitters produce, from their structure.  Every rule
reads its options from :mod:`.style`, by clang-format's names:

* :mod:`.style`: the options and ggml's values;
* :mod:`.layout`: indentation and empty lines;
* :mod:`.declarations`: line breaking of declarations, with the split
  penalties of :mod:`.penalties`;
* :mod:`.lists`, :mod:`.strings`: line breaking of enumerators, table entries
  and string literals;
* :mod:`.alignment`: AlignConsecutiveDeclarations and
  AlignConsecutiveAssignments (clang-format's ``AlignTokens``);
* spacing: ``PointerAlignment: Middle`` and ``QualifierAlignment: Left``
  (done when types are parsed, see :attr:`CType.tokens`).
"""

from __future__ import annotations

from ..document import Blank, Declaration, Document, EnumEntry, Item, Line
from .alignment import align, render_changes
from .declarations import MATCH, OPEN, Chunk
from .layout import build_changes, changes_of, layout, normalize_blanks
from .lists import enum_value_breaks
from .style import GGML, Style

__all__ = ["GGML", "Style", "render", "render_ggml", "render_reference"]


def render_reference(doc: Document, style: Style = GGML) -> str:
    """The document through the change engine as a whole (slow; the reference for tests)."""
    changes = build_changes(doc, style)
    align(changes, style)
    return render_changes(changes)


# -- rendering, paragraph by paragraph ------------------------------------------------------
#
# Alignment never crosses an empty line (AcrossEmptyLines is off), so each
# paragraph is laid out on its own.  Paragraphs of one-line declarations,
# declarations broken one parameter per line after '(' and enum entries are
# aligned in closed form, by the same greedy rule as the engine; the rest go
# through the change engine (which has nothing to align in paragraphs without
# declarations or enum entries).


def _one_line_runs(rows: list[tuple[int, int] | None], limit: int) -> list[int]:
    """The column each row's anchor is aligned to, for rows that each fit on one line.

    ``rows`` holds, per line, the anchor's column and the width from the anchor
    to the end of the line (None: a comment line, which does not break a run).
    A run grows while its widest anchor column plus its widest rest fit in the
    limit; the row that would not fit starts a new run, as in AlignTokens.
    """
    columns = [0] * len(rows)
    members: list[int] = []
    left = right = 0

    def close() -> None:
        for index in members:
            columns[index] = left

    for index, row in enumerate(rows):
        if row is None:
            continue
        column, width = row
        new_left, new_right = max(left, column), max(right, width)
        if members and limit < new_left + new_right:
            close()
            members, left, right = [], column, width
        else:
            left, right = new_left, new_right
        members.append(index)
    close()
    return columns


def _aligned_after_paren(chunks: list[Chunk]) -> list[tuple[str, str]] | None:
    """The parameters of a declaration broken one per line aligned after ``(``, else None.

    Returns ``(type, name + what follows it)`` per parameter.
    """
    rest = chunks[3:]
    if len(rest) < 4 or len(rest) % 2 or chunks[1].starts_line or chunks[2].kind != OPEN:
        return None
    column = rest[2].spaces
    params = []
    for index in range(0, len(rest), 2):
        type_chunk, name_chunk = rest[index], rest[index + 1]
        if name_chunk.kind != MATCH or name_chunk.starts_line or type_chunk.kind == MATCH:
            return None
        if index and not (
            type_chunk.starts_line and type_chunk.spaces == column and type_chunk.indented_from == column
        ):
            return None
        if not index and type_chunk.starts_line:
            return None
        params.append((type_chunk.text, name_chunk.text))
    return params


def _declarations_fast(items: list[Item], layouts: list[list[Chunk] | None], style: Style) -> list[str] | None:
    """A paragraph of comments and declarations that stay on one line or are broken one
    parameter per line after ``(``: aligned in closed form.  None for anything else.

    For such a declaration the engine's width to the right of the name is the
    widest of its lines, measured before the parameter names are aligned; its
    continuation lines move with the name; inside it, parameter names align in
    runs by the same rule.
    """
    limit = style.ColumnLimit
    rows: list[tuple[int, int] | None] = []
    shapes: list[tuple[str, str, str, list[tuple[str, str]] | None] | None] = []
    for item, chunks in zip(items, layouts):
        if isinstance(item, Line) and item.comment and item.level == 0:
            rows.append(None)
            shapes.append(None)
            continue
        if chunks is None:
            return None
        ret, name = chunks[0].text, chunks[1].text
        if len(chunks) == 3 and not chunks[1].starts_line:
            rows.append((len(ret) + 1, len(name) + len(chunks[2].text)))
            shapes.append((ret, name, chunks[2].text, None))
            continue
        broken = _aligned_after_paren(chunks)
        if broken is None:
            return None
        widths = [len(type_text) + 1 + len(name_text) for type_text, name_text in broken]
        rows.append((len(ret) + 1, len(name) + 1 + max(widths)))
        shapes.append((ret, name, "", broken))
    columns = _one_line_runs(rows, limit)
    lines: list[str] = []
    for item, shape, column in zip(items, shapes, columns):
        if shape is None:
            assert isinstance(item, Line)
            lines.append(item.text)
            continue
        ret, name, rest, broken = shape
        head = ret + " " * (column - len(ret)) + name
        if broken is None:
            lines.append(head + rest)
            continue
        # Names inside align first, at the declaration's own columns; then the
        # declaration moves as a whole.
        own_column = len(ret) + 1 + len(name) + 1
        names = _one_line_runs([(own_column + len(t) + 1, len(n)) for t, n in broken], limit)
        param_column = column + len(name) + 1
        for index, (type_text, name_text) in enumerate(broken):
            pad = names[index] - (own_column + len(type_text))
            text = type_text + " " * pad + name_text
            lines.append(head + "(" + text if index == 0 else " " * param_column + text)
    return lines


def _enum_fast(items: list[Item], style: Style) -> list[str] | None:
    """A paragraph of comments and enum entries that stay on one line; None otherwise."""
    rows: list[tuple[int, int] | None] = []
    for item in items:
        if isinstance(item, Line) and item.comment:
            rows.append(None)
            continue
        if not isinstance(item, EnumEntry):
            return None
        indent = item.level * style.IndentWidth
        if enum_value_breaks(indent, item.name, item.value, style):
            return None
        # The '=' is the anchor (right-justified, one column wide).
        rows.append((indent + len(item.name) + 1, 1 + 1 + len(item.value) + 1))
    columns = _one_line_runs(rows, style.ColumnLimit)
    lines = []
    for item, row, column in zip(items, rows, columns):
        if isinstance(item, Line):
            lines.append(" " * (item.level * style.IndentWidth) + item.text)
        elif isinstance(item, EnumEntry):
            indent = item.level * style.IndentWidth
            name = item.name
            lines.append(" " * indent + name + " " * (column - indent - len(name)) + "= " + item.value + ",")
    return lines


def _paragraph(items: list[Item], style: Style) -> list[str]:
    kinds = {type(item) for item in items}
    layouts: list[list[Chunk] | None] | None = None
    if Declaration in kinds:
        layouts = [layout(item, style) if isinstance(item, Declaration) else None for item in items]
        lines = _declarations_fast(items, layouts, style)
    elif EnumEntry in kinds:
        lines = _enum_fast(items, style)
    else:
        lines = None
    if lines is not None:
        return lines
    changes = changes_of(items, style, layouts)
    align(changes, style)  # nothing to align in a paragraph without declarations or enum entries
    return render_changes(changes).split("\n")[:-1]


def render_ggml(doc: Document) -> str:
    """The document in ggml's style."""
    return render(doc, GGML)


def render(doc: Document, style: Style) -> str:
    """The document in ``style``."""
    out: list[str] = []
    paragraph: list[Item] = []
    for item in normalize_blanks(doc.items):
        if type(item) is Blank:
            out += _paragraph(paragraph, style)
            out.append("")
            paragraph = []
        else:
            paragraph.append(item)
    out += _paragraph(paragraph, style)
    return "\n".join(out) + "\n"
