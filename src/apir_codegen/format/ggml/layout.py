"""Layout: an outline (a header's structure) as changes, each line placed where the style puts it.

Options: IndentWidth, ContinuationIndentWidth, IndentCaseLabels,
IndentExternBlock, IndentPPDirectives, PPIndentWidth, Cpp11BracedListStyle,
BraceWrapping, MaxEmptyLinesToKeep, KeepEmptyLinesAtTheStartOfBlocks,
SeparateDefinitionBlocks (and, through the rules it calls, those of
:mod:`.breaking` and :mod:`.spelling`).

Each line gets its column and the level the aligner scopes it by: clang-format's
(indent level, nesting level).  A block's body is one indent level deeper,
except an initializer list's, which is one parenthesis nesting level deeper
(its entries belong to the declaration's line, as in clang-format), and an
``extern "C"`` block's with ``IndentExternBlock: NoIndent``.
"""

from __future__ import annotations

from ..outline import (
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
    EnumEntry,
    Item,
    Outline,
    TableEntry,
)
from ..statements import Call, Return
from .alignment import ASSIGNMENT, DECLARATION, Change, Level, align, render_changes
from .breaking import enum_value_breaks, layout_declaration, split_string_literal, table_entry_lines
from .spelling import declaration_words

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
        "started",
        "split",
        "roles",
        "lowest",
        "text",
    )

    def __init__(self, style: Style) -> None:
        self.style = style
        self.changes: list[Change] = []
        self.blanks = 0  # empty lines asked for before the next line
        self.max_blanks = style.MaxEmptyLinesToKeep
        self.column = 0
        self.at_block_start = False  # right after the '{' of a function or statement body
        self.started = False  # whether a line was written
        #: Whether an empty line can end what the aligner looks at.
        declarations, assignments = style.AlignConsecutiveDeclarations, style.AlignConsecutiveAssignments
        self.split = not (declarations.AcrossEmptyLines or assignments.AcrossEmptyLines)
        self.roles = 0  # the roles of self.changes, for the aligner
        self.lowest: Level | None = None  # the lowest level of a change with a role in self.changes
        self.text: list[str] = []  # the paragraphs done, aligned and written

    def line(
        self, text: str, indent: int, level: Level, indented_from: int = 0, role: int = 0, comment: bool = False
    ) -> Change:
        """A change that starts a line at column ``indent``."""
        if self.blanks or not self.started:
            newlines = self.newlines(level)
        else:
            newlines = 1
            self.at_block_start = False
        change = Change(text, newlines, indent, level, indent, indented_from, role, comment)
        self.changes.append(change)
        self.column = indent + len(text)
        if role:
            self.has_role(role, level)
        return change

    def newlines(self, level: Level) -> int:
        """The line breaks before a line that starts now: MaxEmptyLinesToKeep, none before the first."""
        blanks = self.blanks
        self.blanks = 0
        self.at_block_start = False
        if not self.started:
            self.started = True
            return 0
        if not blanks:
            return 1
        if self.split and (self.lowest is None or not self.lowest < level):
            self.end_paragraph()
        return 1 + (blanks if blanks < self.max_blanks else self.max_blanks)

    def has_role(self, role: int, level: Level) -> None:
        self.roles |= role
        if self.lowest is None or level < self.lowest:
            self.lowest = level

    def end_paragraph(self) -> None:
        """Align and write the lines laid out so far.

        Called at an empty line, where no run of aligned lines can go on: the
        aligner's runs do not cross empty lines (AcrossEmptyLines: false),
        and none of the lines so far has a match at a level lower than the
        empty line's, so no run of an enclosing scope is open.
        """
        align(self.changes, self.style, self.roles)
        self.text.append(render_changes(self.changes))
        self.changes = []
        self.roles = 0
        self.lowest = None

    def add(self, text: str, spaces: int, level: Level, role: int = 0) -> Change:
        """A change that follows on the current line."""
        start = self.column + spaces
        change = Change(text, 0, spaces, level, start, 0, role)
        self.changes.append(change)
        self.column = start + len(text)
        if role:
            self.has_role(role, level)
        return change

    def blank(self, item: Blank, place: Place) -> None:
        # None at the start of the file, nor at the start of a block (KeepEmptyLinesAtTheStartOfBlocks).
        if self.started and not self.at_block_start:
            self.blanks += 1

    def items(self, items: tuple[Item, ...], place: Place) -> None:
        by_kind = _BY_KIND
        for item in items:
            by_kind[type(item)](self, item, place)

    def statement(self, item: Call | Return, place: Place) -> None:
        """A statement of a function body, on one line: clang-format's spacing (:mod:`.bodies`)."""
        from .bodies import one_line_statement  # loaded only for headers with statements

        text = one_line_statement(item, self.style)
        if place.column + len(text) > self.style.ColumnLimit:
            raise ValueError(f"a header's statement does not fit on a line: {text}")
        self.line(text, place.column, place.level)

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

        A definition's name is not aligned: ``SeparateDefinitionBlocks: Always``
        sets a definition apart with empty lines, so no declaration is
        consecutive to it (the emitters write those empty lines; the
        layout does not add them).
        """
        style = self.style
        ret, params = declaration_words(decl, style)
        newlines = self.newlines(place.level)  # first: it may end a paragraph
        changes = self.changes
        first = len(changes)
        definition = end != ";"
        name_role = 0 if definition and style.SeparateDefinitionBlocks == "Always" else DECLARATION
        layout_declaration(ret, decl.name, params, style, end, place.column, place.level, newlines, changes, name_role)
        for change in changes[first:]:
            if change.role:
                self.has_role(change.role, change.level)
                break  # the first is at the lowest level: the name, or a parameter's name
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


#: How each kind of item is laid out.
_BY_KIND: dict[type, Callable[[_Builder, Any, Place], None]] = {
    Declaration: _Builder.declaration,
    Call: _Builder.statement,
    Return: _Builder.statement,
    Comment: _Builder.comment_line,
    Blank: _Builder.blank,
    EnumEntry: _Builder.enum_entry,
    CaseReturn: _Builder.case_return,
    TableEntry: _Builder.table_entry,
    Block: _Builder.block,
    Directive: _Builder.directive,
    Conditional: _Builder.conditional,
}


def lay_out(outline: Outline, style: Style) -> str:
    """The outline laid out, aligned and written, paragraph by paragraph."""
    builder = _Builder(style)
    builder.items(outline.items, Place(0, 0, 0, 0))
    builder.end_paragraph()
    builder.text.append("\n")
    return "".join(builder.text)
