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
from .alignment import ASSIGNMENT, DECLARATION, Change, Level, Paragraph
from .declarations import layout_declaration
from .lists import enum_value_breaks, table_entry_lines
from .spelling import type_words
from .strings import split_string_literal

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable
    from typing import Any

    from .style import Style


#: The level of what is at file scope.
TOP_LEVEL: Level = (0, 0)


class Place:
    """Where a block's items go: the column of their lines, their level, the ``#if`` depth."""

    __slots__ = ("column", "indent", "nesting", "pp_depth", "level", "inner")

    def __init__(self, column: int, indent: int, nesting: int, pp_depth: int) -> None:
        self.column = column
        self.indent = indent  # clang-format's indent level
        self.nesting = nesting  # parenthesis (and brace) nesting level
        self.pp_depth = pp_depth  # how many #if enclose it
        self.level: Level = (indent, nesting)  # one tuple for all its lines: the aligner compares it often
        self.inner: dict[tuple[int, int, int, int], Place] = {}  # the places deeper() made

    def deeper(self, columns: int, indent: int = 0, nesting: int = 0, pp_depth: int = 0) -> Place:
        key = (columns, indent, nesting, pp_depth)
        place = self.inner.get(key)
        if place is None:
            place = self.inner[key] = Place(
                self.column + columns, self.indent + indent, self.nesting + nesting, self.pp_depth + pp_depth
            )
        return place


class _Builder:
    """Lays out items as changes, line by line, with clang-format's empty-line rules."""

    __slots__ = (
        "style",
        "changes",
        "blanks",
        "max_blanks",
        "column",
        "at_block_start",
        "paragraphs",
        "start",
        "roles",
        "by_kind",
    )

    def __init__(self, style: Style) -> None:
        self.style = style
        self.changes: list[Change] = []
        self.blanks = 0  # empty lines asked for before the next line
        self.max_blanks = style.MaxEmptyLinesToKeep
        self.column = 0
        self.at_block_start = False  # right after the '{' of a function or statement body
        self.paragraphs: list[Paragraph] = []  # those done
        self.start = self.roles = 0  # the paragraph being laid out: its first change, its roles
        #: How each kind of item is laid out.
        self.by_kind: dict[type, Callable[[Any, Place], None]] = {
            Declaration: self.declaration,
            Line: self.code_line,
            Comment: self.comment_line,
            Blank: self.blank,
            EnumEntry: self.enum_entry,
            CaseReturn: self.case_return,
            TableEntry: self.table_entry,
            Block: self.block,
            Directive: self.directive,
            Conditional: self.conditional,
        }

    def line(
        self, text: str, indent: int, level: Level, indented_from: int = 0, role: int = 0, comment: bool = False
    ) -> Change:
        """A change that starts a line at column ``indent``."""
        change = Change(text, self.newlines(level), indent, level, indent, indented_from, role, comment)
        self.changes.append(change)
        self.column = indent + len(text)
        self.roles |= role
        return change

    def newlines(self, level: Level) -> int:
        """The line breaks before a line that starts now: MaxEmptyLinesToKeep, none before the first."""
        blanks = self.blanks
        self.blanks = 0
        self.at_block_start = False
        if not self.changes:
            return 0
        if not blanks:
            return 1
        if level == TOP_LEVEL:  # an empty line at the outermost level ends a paragraph
            self.end_paragraph()
        return 1 + (blanks if blanks < self.max_blanks else self.max_blanks)

    def end_paragraph(self) -> None:
        self.paragraphs.append(Paragraph(self.start, len(self.changes), self.roles))
        self.start, self.roles = len(self.changes), 0

    def add(self, text: str, spaces: int, level: Level, role: int = 0) -> Change:
        """A change that follows on the current line."""
        start = self.column + spaces
        change = Change(text, 0, spaces, level, start, 0, role)
        self.changes.append(change)
        self.column = start + len(text)
        self.roles |= role
        return change

    def blank(self, item: Blank, place: Place) -> None:
        # None at the start of the file, nor at the start of a block (KeepEmptyLinesAtTheStartOfBlocks).
        if self.changes and not self.at_block_start:
            self.blanks += 1

    def items(self, items: tuple[Item, ...], place: Place) -> None:
        by_kind = self.by_kind
        for item in items:
            by_kind[type(item)](item, place)

    def code_line(self, item: Line, place: Place) -> None:
        self.line(item.text, place.column, place.level)

    def comment_line(self, item: Comment, place: Place) -> None:
        self.line(item.text, place.column, place.level, comment=True)

    def conditional(self, item: Conditional, place: Place) -> None:
        self.directive_line(item.directive, place)
        self.items(item.items, place.deeper(0, pp_depth=1))
        self.directive_line("endif", place)

    def directive(self, item: Directive, place: Place) -> None:
        self.directive_line(item.text, place)

    def directive_line(self, text: str, place: Place) -> None:
        """IndentPPDirectives: AfterHash indents a directive inside ``#if`` after its ``#``."""
        indent = " " * (place.pp_depth * self.style.pp_indent_width)
        if self.style.IndentPPDirectives == "AfterHash":
            self.line("#" + indent + text, 0, TOP_LEVEL)
        elif self.style.IndentPPDirectives == "BeforeHash":  # pragma: no cover - not ggml's
            self.line(indent + "#" + text, 0, TOP_LEVEL)
        else:  # pragma: no cover - not ggml's
            self.line("#" + text, 0, TOP_LEVEL)

    def block(self, block: Block, place: Place) -> None:
        style = self.style
        kind = block.kind
        if isinstance(block.head, Declaration):
            self.declaration(block.head, place, " {")  # BraceWrapping: AfterFunction false
        else:
            self.line(block.head + " {", place.column, place.level)  # BraceWrapping: After* false
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

    def declaration(self, decl: Declaration, place: Place, end: str = ";") -> None:
        """A declaration (``end`` ``;``) or a function definition's head (``end`` `` {``).

        A definition's name is not aligned: SeparateDefinitionBlocks (Always)
        sets a definition apart with empty lines, so no declaration is
        consecutive to it (the emitters write those empty lines).
        """
        style = self.style
        ret = (*decl.specifiers, *type_words(decl.return_type, style))
        params = [(type_words(p.type, style), p.name) for p in decl.params]
        changes = self.changes
        newlines = self.newlines(place.level)
        first = len(changes)
        name_role = DECLARATION if end == ";" else 0
        layout_declaration(ret, decl.name, params, style, end, place.column, place.level, newlines, changes, name_role)
        for change in changes[first:] if not name_role else ():
            self.roles |= change.role
        self.roles |= name_role
        last = changes[-1]
        self.column = last.start_col + last.length

    def enum_entry(self, entry: EnumEntry, place: Place) -> None:
        level = place.level
        indent = place.column
        self.line(entry.name, indent, level)
        value_break = enum_value_breaks(indent, entry.name, entry.value, self.style)
        self.add("=", 1, level, 0 if value_break else ASSIGNMENT)
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
            self.line(text, indent, place.level, indent, comment=index == 0)


class LaidOut:
    """A document as changes, before alignment, and its paragraphs."""

    __slots__ = ("changes", "paragraphs")

    def __init__(self, changes: list[Change], paragraphs: list[Paragraph]) -> None:
        self.changes = changes
        self.paragraphs = paragraphs


def lay_out(doc: Document, style: Style) -> LaidOut:
    """The whole document as changes, before alignment."""
    builder = _Builder(style)
    builder.items(doc.items, Place(0, 0, 0, 0))
    builder.end_paragraph()
    return LaidOut(builder.changes, builder.paragraphs)
