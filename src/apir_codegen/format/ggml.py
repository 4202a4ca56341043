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

from dataclasses import dataclass
from typing import Callable

from .breaking import (
    COLUMN_LIMIT,
    COMMA,
    LPAREN,
    NAME,
    PNAME,
    RET,
    RPAREN,
    TYPE,
    enum_value_breaks,
    layout_declaration,
    split_string_literal,
    table_entry_lines,
)
from .document import Blank, CaseReturn, Declaration, Document, EnumEntry, Item, Line, TableEntry

INDENT_WIDTH = 4
CONTINUATION_INDENT = 4

Level = tuple[int, int]


@dataclass
class Change:
    """One token and the whitespace before it, as clang-format's WhitespaceManager sees it."""

    text: str
    newlines: int  # line breaks before the token (2 = an empty line before it)
    spaces: int  # spaces before the token; the indentation when it starts a line
    level: Level  # (indent level, nesting level)
    comment: bool = False
    comma: bool = False
    decl_name: bool = False  # a declaration's name: aligned by AlignConsecutiveDeclarations
    assign: bool = False  # an '=': aligned by AlignConsecutiveAssignments
    indented_from: int = 0  # the column a continuation line's position derives from
    matching: int = -1  # index of the matching parenthesis
    opener: bool = False
    start_col: int = 0

    @property
    def length(self) -> int:
        return len(self.text)


class _Builder:
    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.newlines = 0  # pending line breaks before the next line
        self.column = 0

    def add(self, text: str, *, spaces: int = 1, level: Level, newline: bool = False, **kw: object) -> int:
        if newline or not self.changes:
            nl = self.newlines if self.changes else 0
            change = Change(text, max(nl, 1) if self.changes else 0, spaces, level, **kw)  # type: ignore[arg-type]
            self.newlines = 0
            change.start_col = spaces
        else:
            change = Change(text, 0, spaces, level, **kw)  # type: ignore[arg-type]
            change.start_col = self.column + spaces
        self.changes.append(change)
        self.column = change.start_col + change.length
        return len(self.changes) - 1

    def blank(self) -> None:
        self.newlines = 2

    def line_break(self) -> None:
        self.newlines = max(self.newlines, 1)


def _normalize_blanks(items: tuple[Item, ...]) -> list[Item]:
    """clang-format's empty-line rules, applied to our items."""
    out: list[Item] = []
    pending = False
    after_open_block = False
    for item in items:
        if isinstance(item, Blank):
            if out and not after_open_block:
                pending = True
            continue
        if pending:
            out.append(Blank())
            pending = False
        out.append(item)
        after_open_block = isinstance(item, Line) and item.opens_block
    return out


def _declaration(b: _Builder, decl: Declaration) -> None:
    params = [(p.type.tokens, p.name) for p in decl.params]
    layout = layout_declaration(decl.return_type.tokens, decl.name, params)
    paren = close = -1
    for tok, brk, column, anchor in zip(layout.tokens, layout.breaks, layout.columns, layout.anchors):
        level: Level = (0, 1 if tok.kind in (TYPE, PNAME, COMMA) else 0)
        flags = {"decl_name": tok.kind in (NAME, PNAME), "comma": tok.kind == COMMA}
        if tok.kind == RET and tok is layout.tokens[0]:
            b.line_break()
            index = b.add(tok.text, spaces=0, level=level, newline=True, **flags)
        elif brk:
            b.line_break()
            index = b.add(tok.text, spaces=column, level=level, newline=True, indented_from=anchor, **flags)
        else:
            index = b.add(tok.text, spaces=tok.space, level=level, **flags)
        if tok.kind == LPAREN:
            paren = index
            b.changes[index].opener = True
        elif tok.kind == RPAREN:
            close = index
    b.changes[paren].matching = close
    b.changes[close].matching = paren


def _enum_entry(b: _Builder, entry: EnumEntry) -> None:
    level: Level = (entry.level, 0)
    indent = entry.level * INDENT_WIDTH
    b.line_break()
    b.add(entry.name, spaces=indent, level=level, newline=True)
    value_break = enum_value_breaks(indent, entry.name, entry.value)
    b.add("=", level=level, assign=not value_break)
    if value_break:
        b.line_break()
        col = indent + CONTINUATION_INDENT
        b.add(entry.value, spaces=col, level=level, newline=True, indented_from=indent)
    else:
        b.add(entry.value, level=level)
    b.add(",", spaces=0, level=level, comma=True)


def _case_return(b: _Builder, item: CaseReturn) -> None:
    level: Level = (item.level, 0)
    b.line_break()
    b.add(f"case {item.label}:", spaces=item.level * INDENT_WIDTH, level=level, newline=True)
    body: Level = (item.level + 1, 0)
    indent = (item.level + 1) * INDENT_WIDTH
    quote_column = indent + len("return ")
    pieces = split_string_literal(quote_column, item.text, tail=len(";"))
    b.line_break()
    b.add(f'return "{pieces[0]}"', spaces=indent, level=body, newline=True)
    for piece in pieces[1:]:
        b.line_break()
        b.add(f'"{piece}"', spaces=quote_column, level=body, newline=True, indented_from=quote_column)
    b.add(";", spaces=0, level=body)


def _table_entry(b: _Builder, item: TableEntry) -> None:
    level: Level = (0, item.level)
    indent = item.level * INDENT_WIDTH
    tail = item.value + (f" {item.note}" if item.note else "")
    lines = table_entry_lines(indent, f"/* {item.label}  = */", tail, item.note is not None)
    for index, text in enumerate(lines):
        b.line_break()
        b.add(text, spaces=indent, level=level, newline=True, comment=index == 0, indented_from=indent)


def _line(b: _Builder, item: Line) -> None:
    b.line_break()
    b.add(item.text, spaces=item.level * INDENT_WIDTH, level=(item.level, 0), newline=True, comment=item.comment)


def build_changes(doc: Document) -> list[Change]:
    b = _Builder()
    for item in _normalize_blanks(doc.items):
        if isinstance(item, Blank):
            b.blank()
        elif isinstance(item, Line):
            _line(b, item)
        elif isinstance(item, Declaration):
            _declaration(b, item)
        elif isinstance(item, EnumEntry):
            _enum_entry(b, item)
        elif isinstance(item, CaseReturn):
            _case_return(b, item)
        elif isinstance(item, TableEntry):
            _table_entry(b, item)
        else:  # pragma: no cover - Item is closed
            raise TypeError(item)
    return b.changes


# -- clang-format's WhitespaceManager::AlignTokens, for the Normal strategy -----------------


def _set_spaces(changes: list[Change], start: int, spaces: int) -> None:
    first = changes[start]
    delta = spaces - first.spaces
    if delta == 0:
        return
    first.spaces += delta
    first.start_col += delta
    for change in changes[start + 1 :]:
        if change.newlines > 0:
            break
        change.start_col += delta


def _align_sequence(
    changes: list[Change], start: int, end: int, column: int, right_justify: bool, matches: list[int]
) -> None:
    original_match_column = 0
    shift = 0
    scope: list[Level] = []
    match_set = set(matches)
    for i in range(start, end):
        c = changes[i]
        while scope and c.level < scope[-1]:
            scope.pop()
        if len(scope) == 1 and c.newlines and c.level > scope[0] and c.indented_from < original_match_column:
            scope.append(c.level)
        inside_nested = bool(scope) and (
            c.level > scope[0] or (c.level == scope[0] and c.indented_from >= original_match_column)
        )
        if c.newlines > 0 and not inside_nested:
            shift = 0
        is_match = i in match_set
        if is_match:
            original_match_column = c.start_col
            shift = column - (c.length if right_justify else 0) - c.start_col
            scope = [c.level]
        if shift == 0:
            continue
        if is_match or (len(scope) == 1 and c.newlines > 0 and inside_nested):
            c.indented_from += shift
            _set_spaces(changes, i, c.spaces + shift)


def align_tokens(
    changes: list[Change],
    matches: Callable[[int], bool],
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
    commas_before_last = commas_before = 0
    matching_column: int | None = None
    line_is_comment = True

    def align_current() -> None:
        nonlocal width_left, width_anchor, width_right, seq_start, seq_end
        if 0 < seq_start < seq_end:
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
            commas_before = 0
            seq_end = i
            empty_line_break = c.newlines > 1
            no_match_break = matching_column is None and not line_is_comment
            if empty_line_break or no_match_break:
                align_current()
            if matching_column is not None and c.indented_from < matching_column:
                matching_column = None
            line_is_comment = True
        if not c.comment:
            line_is_comment = False
        if c.comma:
            commas_before += 1
        elif c.level > level0:
            i = align_tokens(changes, matches, i, right_justify, limit)
            continue
        if not matches(i):
            i += 1
            continue
        if (c.newlines == 0 and matching_column is not None) or commas_before != commas_before_last:
            matched.append(i)
            align_current()
        commas_before_last = commas_before
        matching_column = c.start_col
        if seq_start == 0:
            seq_start = i
        change_left = c.start_col
        change_anchor = c.length if right_justify else 0
        current_right = 0 if right_justify else c.length
        change_right = 0
        paren_to_meet = -1
        j = i + 1
        while j != n and (changes[j].newlines == 0 or paren_to_meet != -1):
            ch = changes[j]
            if ch.matching != -1:
                if ch.opener and paren_to_meet == -1:
                    if j + 1 != n and changes[j + 1].newlines == 0:
                        paren_to_meet = ch.matching
                elif paren_to_meet == ch.matching:
                    paren_to_meet = -1
            if ch.newlines:
                change_right = max(change_right, current_right)
                width_start = change_left + change_anchor
                if ch.indented_from < width_start:
                    break
                current_right = ch.spaces - width_start
            else:
                current_right += ch.spaces
            current_right += ch.length
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
    for c in changes:
        if c.newlines:
            parts.append("\n" * c.newlines)
        parts.append(" " * c.spaces)
        parts.append(c.text)
    parts.append("\n")
    return "".join(parts)


def render_ggml(doc: Document) -> str:
    changes = build_changes(doc)
    align_tokens(changes, lambda i: changes[i].decl_name)
    align_tokens(changes, lambda i: changes[i].assign, right_justify=True)
    return render_changes(changes)
