"""ggml's formatting, built in: clang-format's layout of our headers, without clang-format.

ggml formats its generated headers with clang-format and the style in
``ggml-style.clang-format``.  This module reproduces what clang-format 23.1.3
makes of the lines our emitters produce, from their structure:

* line breaking: a declaration that does not fit in 120 columns is broken as
  clang-format's optimizer would (:mod:`.breaking`);
* spacing: ``PointerAlignment: Middle`` and ``QualifierAlignment: Left``
  (done when types are parsed, see :attr:`CType.tokens`);
* alignment: ``AlignConsecutiveDeclarations`` and ``AlignConsecutiveAssignments``
  (both ``AcrossComments``), following clang-format's ``WhitespaceManager``:
  runs of lines are aligned across comment lines but not across empty lines,
  a run is cut where aligning would pass the column limit, and a broken
  declaration carries its continuation lines along;
* empty lines: at most one in a row, none at the start of a function or
  statement body, none at the end of the file.

The alignment engine mirrors clang-format's algorithm over "changes" (one per
token: the whitespace before it, its text, its nesting level), because the
interesting cases are exactly where its details matter.
"""

from __future__ import annotations

from .breaking import (
    CONTINUATION_INDENT,
    COLUMN_LIMIT,
    Chunk,
    MATCH,
    OPEN,
    enum_value_breaks,
    layout_declaration,
    split_string_literal,
    table_entry_lines,
)
from .document import Blank, CaseReturn, Declaration, Document, EnumEntry, Item, Line, TableEntry

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

INDENT_WIDTH = 4

Level = tuple[int, int]


class Change:
    """One token (or a run of tokens that move together) and the whitespace before it,
    as clang-format's WhitespaceManager sees it."""

    __slots__ = (
        "text",
        "newlines",
        "spaces",
        "level",
        "comment",
        "decl_name",
        "assign",
        "indented_from",
        "matching",
        "opener",
        "start_col",
        "length",
    )

    def __init__(self, text: str, newlines: int, spaces: int, level: Level, start_col: int) -> None:
        self.text = text
        self.newlines = newlines  # line breaks before it (2 = an empty line before it)
        self.spaces = spaces  # spaces before it; the indentation when it starts a line
        self.level = level  # (indent level, nesting level)
        self.comment = False
        self.decl_name = False  # a declaration's name: aligned by AlignConsecutiveDeclarations
        self.assign = False  # an '=': aligned by AlignConsecutiveAssignments
        self.indented_from = 0  # the column a continuation line's position derives from
        self.matching = -1  # index of the matching parenthesis
        self.opener = False
        self.start_col = start_col
        self.length = len(text)


class _Builder:
    __slots__ = ("changes", "newlines", "column")

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.newlines = 0  # pending line breaks before the next line
        self.column = 0

    def line(self, text: str, indent: int, level: Level, indented_from: int = 0) -> Change:
        """A change that starts a line at column ``indent``."""
        newlines = max(self.newlines, 1) if self.changes else 0
        self.newlines = 0
        change = Change(text, newlines, indent, level, indent)
        change.indented_from = indented_from
        self.changes.append(change)
        self.column = indent + change.length
        return change

    def add(self, text: str, spaces: int, level: Level) -> Change:
        """A change that follows on the current line."""
        change = Change(text, 0, spaces, level, self.column + spaces)
        self.changes.append(change)
        self.column = change.start_col + change.length
        return change

    def blank(self) -> None:
        self.newlines = 2


def _normalize_blanks(items: tuple[Item, ...]) -> list[Item]:
    """clang-format's empty-line rules, applied to our items."""
    out: list[Item] = []
    pending = False
    after_open_block = False
    for item in items:
        if type(item) is Blank:
            if out and not after_open_block:
                pending = True
            continue
        if pending:
            out.append(Blank())
            pending = False
        out.append(item)
        after_open_block = isinstance(item, Line) and item.opens_block
    return out


def _layout(decl: Declaration) -> list[Chunk]:
    params = [(p.type.tokens, p.name) for p in decl.params]
    return layout_declaration(decl.return_type.tokens, decl.name, params)


def _declaration(b: _Builder, chunks: list[Chunk]) -> None:
    paren: Change | None = None
    for text, starts_line, spaces, anchor, nesting, kind in chunks:
        level: Level = (0, nesting)
        if starts_line:
            change = b.line(text, spaces, level, anchor)
        else:
            change = b.add(text, spaces, level)
        if kind == MATCH:
            change.decl_name = True
        elif kind == OPEN:
            change.opener = True
            paren = change
    if paren is not None:
        paren.matching = len(b.changes) - 1


def _enum_entry(b: _Builder, entry: EnumEntry) -> None:
    level: Level = (entry.level, 0)
    indent = entry.level * INDENT_WIDTH
    b.line(entry.name, indent, level)
    value_break = enum_value_breaks(indent, entry.name, entry.value)
    b.add("=", 1, level).assign = not value_break
    if value_break:
        b.line(entry.value + ",", indent + CONTINUATION_INDENT, level, indent)
    else:
        b.add(entry.value + ",", 1, level)


def _case_return(b: _Builder, item: CaseReturn) -> None:
    level: Level = (item.level, 0)
    b.line(f"case {item.label}:", item.level * INDENT_WIDTH, level)
    body: Level = (item.level + 1, 0)
    indent = (item.level + 1) * INDENT_WIDTH
    quote_column = indent + len("return ")
    pieces = split_string_literal(quote_column, item.text, tail=len(";"))
    if len(pieces) == 1:
        b.line(f'return "{pieces[0]}";', indent, body)
        return
    b.line(f'return "{pieces[0]}"', indent, body)
    for piece in pieces[1:-1]:
        b.line(f'"{piece}"', quote_column, body, quote_column)
    b.line(f'"{pieces[-1]}";', quote_column, body, quote_column)


def _table_entry(b: _Builder, item: TableEntry) -> None:
    level: Level = (0, item.level)
    indent = item.level * INDENT_WIDTH
    tail = item.value + (f" {item.note}" if item.note else "")
    lines = table_entry_lines(indent, f"/* {item.label}  = */", tail, item.note is not None)
    for index, text in enumerate(lines):
        b.line(text, indent, level, indent).comment = index == 0


def _line(b: _Builder, item: Line) -> None:
    b.line(item.text, item.level * INDENT_WIDTH, (item.level, 0)).comment = item.comment


def build_changes(doc: Document) -> list[Change]:
    """The whole document as changes (the reference form; rendering works per paragraph)."""
    return _changes(_normalize_blanks(doc.items))


def _changes(items: list[Item], layouts: list[list[Chunk] | None] | None = None) -> list[Change]:
    """The items as changes; ``layouts`` holds the declarations' layouts when already made."""
    b = _Builder()
    for index, item in enumerate(items):
        if isinstance(item, Declaration):
            chunks = layouts[index] if layouts is not None else None
            _declaration(b, chunks if chunks is not None else _layout(item))
        elif isinstance(item, Line):
            _line(b, item)
        elif isinstance(item, Blank):
            b.blank()
        elif isinstance(item, EnumEntry):
            _enum_entry(b, item)
        elif isinstance(item, CaseReturn):
            _case_return(b, item)
        else:
            _table_entry(b, item)
    return b.changes


# -- clang-format's WhitespaceManager::AlignTokens, for the Normal strategy -----------------


def _shift_line(changes: list[Change], start: int, delta: int) -> None:
    """Move a change and the rest of its line right by ``delta`` columns."""
    first = changes[start]
    first.spaces += delta
    first.start_col += delta
    index = start + 1
    count = len(changes)
    while index < count:
        change = changes[index]
        if change.newlines:
            break
        change.start_col += delta
        index += 1


def _align_sequence(
    changes: list[Change], start: int, end: int, column: int, right_justify: bool, matches: list[int]
) -> None:
    """AlignTokenSequence: move the matches to ``column``, carrying their lines along."""
    original_match_column = 0
    shift = 0
    scope: list[Level] = []
    match_set = set(matches)
    for i in range(start, end):
        c = changes[i]
        level = c.level
        while scope and level < scope[-1]:
            scope.pop()
        newline = c.newlines
        if len(scope) == 1 and newline and level > scope[0] and c.indented_from < original_match_column:
            scope.append(level)
        inside_nested = bool(scope) and (
            level > scope[0] or (level == scope[0] and c.indented_from >= original_match_column)
        )
        if newline and not inside_nested:
            shift = 0
        is_match = i in match_set
        if is_match:
            original_match_column = c.start_col
            shift = column - (c.length if right_justify else 0) - c.start_col
            scope = [level]
        if shift and (is_match or (len(scope) == 1 and newline and inside_nested)):
            c.indented_from += shift
            _shift_line(changes, i, shift)


def align_tokens(
    changes: list[Change],
    matches: Callable[[Change], bool],
    start: int = 0,
    right_justify: bool = False,
    limit: int = COLUMN_LIMIT,
) -> int:
    """Align runs of matching tokens as clang-format does (AcrossComments, not across empty lines)."""
    n = len(changes)
    width_left = width_anchor = width_right = 0
    seq_start = seq_end = 0
    matched: list[int] = []
    level0 = changes[start].level if start < n else (0, 0)
    # clang-format also ends a run where the number of commas before the match
    # changes; here commas travel inside chunks and never precede a match on
    # their line, so that rule never applies.
    matching_column: int | None = None
    line_is_comment = True

    def align_current() -> None:
        nonlocal width_left, width_anchor, width_right, seq_start, seq_end
        if 0 < seq_start < seq_end and len(matched) > 0:
            _align_sequence(changes, seq_start, seq_end, width_left + width_anchor, right_justify, matched)
        width_left = width_anchor = width_right = 0
        seq_start = seq_end = 0
        matched.clear()

    i = start
    while i != n:
        c = changes[i]
        if c.level < level0:
            break
        if c.newlines:
            seq_end = i
            if c.newlines > 1 or (matching_column is None and not line_is_comment):
                align_current()
            if matching_column is not None and c.indented_from < matching_column:
                matching_column = None
            line_is_comment = True
        if not c.comment:
            line_is_comment = False
        if c.level > level0:
            i = align_tokens(changes, matches, i, right_justify, limit)
            continue
        if not matches(c):
            i += 1
            continue
        if not c.newlines and matching_column is not None:  # a second match on the line
            matched.append(i)
            align_current()
        matching_column = c.start_col
        if seq_start == 0:
            seq_start = i
        change_left = c.start_col
        change_anchor = c.length if right_justify else 0
        current_right = 0 if right_justify else c.length
        change_right = 0
        paren_to_meet = -1
        j = i + 1
        while j != n:
            ch = changes[j]
            if ch.newlines == 0:
                if ch.opener and paren_to_meet == -1 and j + 1 != n and changes[j + 1].newlines == 0:
                    paren_to_meet = ch.matching
                current_right += ch.spaces + ch.length
            elif paren_to_meet != -1:
                change_right = max(change_right, current_right)
                width_start = change_left + change_anchor
                if ch.indented_from < width_start:
                    break
                current_right = ch.spaces - width_start + ch.length
            else:
                break
            j += 1
        change_right = max(change_right, current_right)
        new_left = max(change_left, width_left)
        new_anchor = max(change_anchor, width_anchor)
        new_right = max(change_right, width_right)
        if limit < new_left + new_anchor + new_right:
            align_current()
            seq_start = i
            width_left, width_anchor, width_right = change_left, change_anchor, change_right
        else:
            width_left, width_anchor, width_right = new_left, new_anchor, new_right
        matched.append(i)
        i += 1
    seq_end = i
    while seq_end < n and changes[seq_end].newlines == 0:
        seq_end += 1
    align_current()
    return i


def render_changes(changes: list[Change]) -> str:
    parts: list[str] = []
    append = parts.append
    for c in changes:
        if c.newlines:
            append("\n" * c.newlines)
        if c.spaces:
            append(" " * c.spaces)
        append(c.text)
    append("\n")
    return "".join(parts)


def _is_decl_name(change: Change) -> bool:
    return change.decl_name


def _is_assign(change: Change) -> bool:
    return change.assign


def _align(changes: list[Change]) -> None:
    # clang-format aligns declarations, then assignments; a pass with nothing
    # to align changes nothing, so it is skipped.
    if any(c.decl_name for c in changes):
        align_tokens(changes, _is_decl_name)
    if any(c.assign for c in changes):
        align_tokens(changes, _is_assign, right_justify=True)


def render_reference(doc: Document) -> str:
    """The document through the change engine as a whole (slow; the reference for tests)."""
    changes = build_changes(doc)
    _align(changes)
    return render_changes(changes)


# -- rendering, paragraph by paragraph ------------------------------------------------------
#
# Alignment never crosses an empty line (AcrossEmptyLines is off), so each
# paragraph is laid out on its own.  Paragraphs of one-line declarations,
# declarations broken one parameter per line after '(' and enum entries are
# aligned in closed form, by the same greedy rule as the engine; the rest go
# through the change engine (which has nothing to align in paragraphs without
# declarations or enum entries).


def _one_line_runs(rows: list[tuple[int, int] | None], limit: int = COLUMN_LIMIT) -> list[int]:
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
    if len(rest) < 4 or len(rest) % 2 or chunks[1][1] or chunks[2][5] != OPEN:
        return None
    column = rest[2][2]
    params = []
    for index in range(0, len(rest), 2):
        type_chunk, name_chunk = rest[index], rest[index + 1]
        if name_chunk[5] != MATCH or name_chunk[1] or type_chunk[5] == MATCH:
            return None
        if index and not (type_chunk[1] and type_chunk[2] == column and type_chunk[3] == column):
            return None
        if not index and type_chunk[1]:
            return None
        params.append((type_chunk[0], name_chunk[0]))
    return params


def _declarations_fast(items: list[Item], layouts: list[list[Chunk] | None]) -> list[str] | None:
    """A paragraph of comments and declarations that stay on one line or are broken one
    parameter per line after ``(``: aligned in closed form.  None for anything else.

    For such a declaration the engine's width to the right of the name is the
    widest of its lines, measured before the parameter names are aligned; its
    continuation lines move with the name; inside it, parameter names align in
    runs by the same rule.
    """
    rows: list[tuple[int, int] | None] = []
    shapes: list[tuple[str, str, str, list[tuple[str, str]] | None] | None] = []
    for item, chunks in zip(items, layouts):
        if isinstance(item, Line) and item.comment and item.level == 0:
            rows.append(None)
            shapes.append(None)
            continue
        if chunks is None:
            return None
        ret, name = chunks[0][0], chunks[1][0]
        if len(chunks) == 3 and not chunks[1][1]:
            rows.append((len(ret) + 1, len(name) + len(chunks[2][0])))
            shapes.append((ret, name, chunks[2][0], None))
            continue
        broken = _aligned_after_paren(chunks)
        if broken is None:
            return None
        widths = [len(type_text) + 1 + len(name_text) for type_text, name_text in broken]
        rows.append((len(ret) + 1, len(name) + 1 + max(widths)))
        shapes.append((ret, name, "", broken))
    columns = _one_line_runs(rows)
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
        names = _one_line_runs([(own_column + len(t) + 1, len(n)) for t, n in broken])
        param_column = column + len(name) + 1
        for index, (type_text, name_text) in enumerate(broken):
            pad = names[index] - (own_column + len(type_text))
            text = type_text + " " * pad + name_text
            lines.append(head + "(" + text if index == 0 else " " * param_column + text)
    return lines


def _enum_fast(items: list[Item]) -> list[str] | None:
    """A paragraph of comments and enum entries that stay on one line; None otherwise."""
    rows: list[tuple[int, int] | None] = []
    for item in items:
        if isinstance(item, Line) and item.comment:
            rows.append(None)
            continue
        if not isinstance(item, EnumEntry):
            return None
        indent = item.level * INDENT_WIDTH
        if enum_value_breaks(indent, item.name, item.value):
            return None
        # The '=' is the anchor (right-justified, one column wide).
        rows.append((indent + len(item.name) + 1, 1 + 1 + len(item.value) + 1))
    columns = _one_line_runs(rows)
    lines = []
    for item, row, column in zip(items, rows, columns):
        if isinstance(item, Line):
            lines.append(" " * (item.level * INDENT_WIDTH) + item.text)
        elif isinstance(item, EnumEntry):
            indent = item.level * INDENT_WIDTH
            name = item.name
            lines.append(" " * indent + name + " " * (column - indent - len(name)) + "= " + item.value + ",")
    return lines


def _paragraph(items: list[Item]) -> list[str]:
    kinds = {type(item) for item in items}
    layouts: list[list[Chunk] | None] | None = None
    if Declaration in kinds:
        layouts = [_layout(item) if isinstance(item, Declaration) else None for item in items]
        lines = _declarations_fast(items, layouts)
    elif EnumEntry in kinds:
        lines = _enum_fast(items)
    else:
        lines = None
    if lines is not None:
        return lines
    changes = _changes(items, layouts)
    _align(changes)  # nothing to align in a paragraph without declarations or enum entries
    return render_changes(changes).split("\n")[:-1]


def render_ggml(doc: Document) -> str:
    out: list[str] = []
    paragraph: list[Item] = []
    for item in _normalize_blanks(doc.items):
        if type(item) is Blank:
            out += _paragraph(paragraph)
            out.append("")
            paragraph = []
        else:
            paragraph.append(item)
    out += _paragraph(paragraph)
    return "\n".join(out) + "\n"
