"""Layout: a document's items as changes, each line placed at its indentation.

Options: IndentWidth, ContinuationIndentWidth, MaxEmptyLinesToKeep,
KeepEmptyLinesAtTheStartOfBlocks (and, through the rules it calls, those of
:mod:`.declarations`, :mod:`.lists` and :mod:`.strings`).
"""

from __future__ import annotations

from ..document import Blank, CaseReturn, Declaration, Document, EnumEntry, Item, Line, TableEntry
from .alignment import Change, Level
from .declarations import MATCH, OPEN, Chunk, layout_declaration
from .lists import enum_value_breaks, table_entry_lines
from .strings import split_string_literal

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .style import Style


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


def normalize_blanks(items: tuple[Item, ...]) -> list[Item]:
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


def layout(decl: Declaration, style: Style) -> list[Chunk]:
    params = [(p.type.tokens, p.name) for p in decl.params]
    return layout_declaration(decl.return_type.tokens, decl.name, params, style)


def _declaration(b: _Builder, chunks: list[Chunk]) -> None:
    paren: Change | None = None
    for chunk in chunks:
        level: Level = (0, chunk.nesting)
        if chunk.starts_line:
            change = b.line(chunk.text, chunk.spaces, level, chunk.indented_from)
        else:
            change = b.add(chunk.text, chunk.spaces, level)
        if chunk.kind == MATCH:
            change.decl_name = True
        elif chunk.kind == OPEN:
            change.opener = True
            paren = change
    if paren is not None:
        paren.matching = len(b.changes) - 1


def _enum_entry(b: _Builder, entry: EnumEntry, style: Style) -> None:
    level: Level = (entry.level, 0)
    indent = entry.level * style.IndentWidth
    b.line(entry.name, indent, level)
    value_break = enum_value_breaks(indent, entry.name, entry.value, style)
    b.add("=", 1, level).assign = not value_break
    if value_break:
        b.line(entry.value + ",", indent + style.ContinuationIndentWidth, level, indent)
    else:
        b.add(entry.value + ",", 1, level)


def _case_return(b: _Builder, item: CaseReturn, style: Style) -> None:
    level: Level = (item.level, 0)
    b.line(f"case {item.label}:", item.level * style.IndentWidth, level)
    body: Level = (item.level + 1, 0)
    indent = (item.level + 1) * style.IndentWidth
    quote_column = indent + len("return ")
    pieces = split_string_literal(quote_column, item.text, style, tail=len(";"))
    if len(pieces) == 1:
        b.line(f'return "{pieces[0]}";', indent, body)
        return
    b.line(f'return "{pieces[0]}"', indent, body)
    for piece in pieces[1:-1]:
        b.line(f'"{piece}"', quote_column, body, quote_column)
    b.line(f'"{pieces[-1]}";', quote_column, body, quote_column)


def _table_entry(b: _Builder, item: TableEntry, style: Style) -> None:
    level: Level = (0, item.level)
    indent = item.level * style.IndentWidth
    tail = item.value + (f" {item.note}" if item.note else "")
    lines = table_entry_lines(indent, f"/* {item.label}  = */", tail, item.note is not None, style)
    for index, text in enumerate(lines):
        b.line(text, indent, level, indent).comment = index == 0


def _line(b: _Builder, item: Line, style: Style) -> None:
    b.line(item.text, item.level * style.IndentWidth, (item.level, 0)).comment = item.comment


def build_changes(doc: Document, style: Style) -> list[Change]:
    """The whole document as changes."""
    b = _Builder()
    for item in normalize_blanks(doc.items):
        if isinstance(item, Declaration):
            _declaration(b, layout(item, style))
        elif isinstance(item, Line):
            _line(b, item, style)
        elif isinstance(item, Blank):
            b.blank()
        elif isinstance(item, EnumEntry):
            _enum_entry(b, item, style)
        elif isinstance(item, CaseReturn):
            _case_return(b, item, style)
        else:
            _table_entry(b, item, style)
    return b.changes
