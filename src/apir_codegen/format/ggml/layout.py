"""Layout: a document's structure as changes, each line placed where the style puts it.

Options: IndentWidth, ContinuationIndentWidth, IndentCaseLabels,
IndentExternBlock, IndentPPDirectives, PPIndentWidth, Cpp11BracedListStyle,
BraceWrapping, MaxEmptyLinesToKeep, KeepEmptyLinesAtTheStartOfBlocks (and,
through the rules it calls, those of :mod:`.declarations`, :mod:`.lists`,
:mod:`.strings` and :mod:`.spelling`).

Each line gets its column and the level the aligner scopes it by: clang-format's
(indent level, nesting level).  A block's body is one indent level deeper,
except an initializer list's, which is one parenthesis nesting level deeper
(its entries belong to the declaration's line, as in clang-format), and an
``extern "C"`` block's with ``IndentExternBlock: NoIndent``.
"""

from __future__ import annotations

from ..document import (
    ENUM_BODY,
    EXTERN_BLOCK,
    FUNCTION_BODY,
    INITIALIZER_LIST,
    SWITCH_BODY,
    Blank,
    Block,
    CaseReturn,
    Comment,
    Conditional,
    Declaration,
    Directive,
    Document,
    EnumEntry,
    Item,
    Line,
    TableEntry,
)
from .alignment import Change, Level
from .declarations import MATCH, OPEN, layout_declaration
from .lists import enum_value_breaks, table_entry_lines
from .spelling import type_words
from .strings import split_string_literal

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .style import Style


class Place:
    """Where a block's items go: the column of their lines, their level, the ``#if`` depth."""

    __slots__ = ("column", "indent", "nesting", "pp_depth")

    def __init__(self, column: int, indent: int, nesting: int, pp_depth: int) -> None:
        self.column = column
        self.indent = indent  # clang-format's indent level
        self.nesting = nesting  # parenthesis (and brace) nesting level
        self.pp_depth = pp_depth  # how many #if enclose it

    @property
    def level(self) -> Level:
        return (self.indent, self.nesting)

    def deeper(self, columns: int, indent: int = 0, nesting: int = 0, pp_depth: int = 0) -> Place:
        return Place(self.column + columns, self.indent + indent, self.nesting + nesting, self.pp_depth + pp_depth)


class _Builder:
    """Lays out items as changes, line by line, with clang-format's empty-line rules."""

    __slots__ = ("style", "changes", "blanks", "column", "at_block_start")

    def __init__(self, style: Style) -> None:
        self.style = style
        self.changes: list[Change] = []
        self.blanks = 0  # empty lines asked for before the next line
        self.column = 0
        self.at_block_start = False  # right after the '{' of a function or statement body

    def line(self, text: str, indent: int, level: Level, indented_from: int = 0) -> Change:
        """A change that starts a line at column ``indent``."""
        newlines = 1 + min(self.blanks, self.style.MaxEmptyLinesToKeep) if self.changes else 0
        self.blanks = 0
        self.at_block_start = False
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
        # None at the start of the file, nor at the start of a block (KeepEmptyLinesAtTheStartOfBlocks).
        if self.changes and not self.at_block_start:
            self.blanks += 1

    def items(self, items: tuple[Item, ...], place: Place) -> None:
        for item in items:
            if isinstance(item, Declaration):
                self.declaration(item, place, ";")
            elif isinstance(item, (Line, Comment)):
                self.line(item.text, place.column, place.level).comment = type(item) is Comment
            elif isinstance(item, Blank):
                self.blank()
            elif isinstance(item, EnumEntry):
                self.enum_entry(item, place)
            elif isinstance(item, CaseReturn):
                self.case_return(item, place)
            elif isinstance(item, TableEntry):
                self.table_entry(item, place)
            elif isinstance(item, Block):
                self.block(item, place)
            elif isinstance(item, Directive):
                self.directive(item.text, place)
            else:
                self.directive(item.directive, place)
                self.items(item.items, place.deeper(0, pp_depth=1))
                self.directive("endif", place)

    def directive(self, text: str, place: Place) -> None:
        """IndentPPDirectives: AfterHash indents a directive inside ``#if`` after its ``#``."""
        indent = " " * (place.pp_depth * self.style.pp_indent_width)
        if self.style.IndentPPDirectives == "AfterHash":
            self.line("#" + indent + text, 0, (0, 0))
        elif self.style.IndentPPDirectives == "BeforeHash":  # pragma: no cover - not ggml's
            self.line(indent + "#" + text, 0, (0, 0))
        else:  # pragma: no cover - not ggml's
            self.line("#" + text, 0, (0, 0))

    def block(self, block: Block, place: Place) -> None:
        style = self.style
        kind = block.kind
        if isinstance(block.head, Declaration):
            self.declaration(block.head, place, " {")
        else:
            self.line(block.head + " {", place.column, place.level)
        if kind in (FUNCTION_BODY, SWITCH_BODY):
            self.at_block_start = not style.KeepEmptyLinesAtTheStartOfBlocks
        width = style.IndentWidth
        if kind == SWITCH_BODY:
            labels = 1 if style.IndentCaseLabels else 0
            body = place.deeper(width * labels, indent=labels)
        elif kind == INITIALIZER_LIST:  # Cpp11BracedListStyle: false indents it as a block
            body = place.deeper(width, nesting=1)
        elif kind == EXTERN_BLOCK:
            indented = style.IndentExternBlock == "Indent" or (
                style.IndentExternBlock == "AfterExternBlock" and style.BraceWrapping.AfterExternBlock
            )
            body = place.deeper(width, indent=1) if indented else place
        else:
            assert kind in (FUNCTION_BODY, ENUM_BODY)
            body = place.deeper(width, indent=1)
        self.items(block.items, body)
        self.line(block.closing, place.column, place.level)

    def declaration(self, decl: Declaration, place: Place, end: str) -> None:
        style = self.style
        ret = (*decl.specifiers, *type_words(decl.return_type, style))
        params = [(type_words(p.type, style), p.name) for p in decl.params]
        paren: Change | None = None
        for chunk in layout_declaration(ret, decl.name, params, style, end, place.column):
            level: Level = (place.indent, place.nesting + chunk.nesting)
            if chunk.starts_line:
                change = self.line(chunk.text, chunk.spaces, level, chunk.indented_from)
            else:
                change = self.add(chunk.text, chunk.spaces, level)
            if chunk.kind == MATCH:
                change.decl_name = True
            elif chunk.kind == OPEN:
                change.opener = True
                paren = change
        if paren is not None:
            paren.matching = len(self.changes) - 1

    def enum_entry(self, entry: EnumEntry, place: Place) -> None:
        level = place.level
        indent = place.column
        self.line(entry.name, indent, level)
        value_break = enum_value_breaks(indent, entry.name, entry.value, self.style)
        self.add("=", 1, level).assign = not value_break
        if value_break:
            self.line(entry.value + ",", indent + self.style.ContinuationIndentWidth, level, indent)
        else:
            self.add(entry.value + ",", 1, level)

    def case_return(self, item: CaseReturn, place: Place) -> None:
        label = "default:" if item.label is None else f"case {item.label}:"
        self.line(label, place.column, place.level)
        body = place.deeper(self.style.IndentWidth, indent=1)
        indent = body.column
        quote_column = indent + len("return ")
        pieces = split_string_literal(quote_column, item.text, self.style, tail=len(";"))
        if len(pieces) == 1:
            self.line(f'return "{pieces[0]}";', indent, body.level)
            return
        self.line(f'return "{pieces[0]}"', indent, body.level)
        for piece in pieces[1:-1]:
            self.line(f'"{piece}"', quote_column, body.level, quote_column)
        self.line(f'"{pieces[-1]}";', quote_column, body.level, quote_column)

    def table_entry(self, item: TableEntry, place: Place) -> None:
        indent = place.column
        tail = item.value + (f" {item.note}" if item.note else "")
        lines = table_entry_lines(indent, f"/* {item.label}  = */", tail, item.note is not None, self.style)
        for index, text in enumerate(lines):
            self.line(text, indent, place.level, indent).comment = index == 0


def build_changes(doc: Document, style: Style) -> list[Change]:
    """The whole document as changes, before alignment."""
    builder = _Builder(style)
    builder.items(doc.items, Place(0, 0, 0, 0))
    return builder.changes
