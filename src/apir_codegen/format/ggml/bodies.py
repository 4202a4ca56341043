"""Function definitions and their bodies, laid out as clang-format (ggml style) lays them out.

Options: IndentWidth, MaxEmptyLinesToKeep, KeepEmptyLinesAtTheStartOfBlocks,
SeparateDefinitionBlocks, BraceWrapping (and, through the rules it calls,
those of :mod:`.linebreak`, :mod:`.alignment` and :mod:`.spelling`).

:func:`render_definitions` turns the top-level items of a generated source
(the model of :mod:`..statements`) into text that is a fixed point of
clang-format 23.1.3 with ggml's style:

* each statement is one clang-format "unwrapped line", annotated and broken
  at the column limit by :mod:`.linebreak` (a port of clang-format's own
  algorithm);
* blocks are indented by IndentWidth; empty lines: at most
  MaxEmptyLinesToKeep in a row, none at the start of a block
  (KeepEmptyLinesAtTheStartOfBlocks: false) or before a lone ``}``, one
  between a function definition and what surrounds it
  (SeparateDefinitionBlocks: Always);
* AlignConsecutiveDeclarations and AlignConsecutiveAssignments run over the
  laid-out tokens with :mod:`.alignment`, the engine the headers use.
"""

from __future__ import annotations

from ... import cexpr
from ...cdecl import CType
from ...cexpr import Expression
from ..statements import (
    Assign,
    Blank,
    Call,
    Declare,
    FunctionDefinition,
    If,
    LineComment,
    Return,
    Statement,
    TopLevel,
)
from .alignment import ASSIGNMENT, DECLARATION, MarkedChange, align, render_changes
from .breaking import choose_breaks, declaration_tokens
from .linebreak import (
    CHAR,
    IDENTIFIER,
    KEYWORD,
    NUMERIC,
    STRING,
    TT_ARRAY_SUBSCRIPT_LSQUARE,
    TT_BINARY_OPERATOR,
    TT_CAST_RPAREN,
    TT_CONDITIONAL_EXPR,
    TT_CONTROL_STATEMENT_LBRACE,
    TT_ELSE_LBRACE,
    TT_FUNCTION_DECLARATION_LPAREN,
    TT_FUNCTION_DECLARATION_NAME,
    TT_FUNCTION_LBRACE,
    TT_POINTER_OR_REFERENCE,
    TT_START_OF_NAME,
    TT_UNARY_OPERATOR,
    FormatToken,
    Line,
    Placement,
    annotate,
    fits_on_one_line,
    format_line,
    link,
)
from .spelling import type_words
from .style import GGML, Style

# -- statements as clang-format tokens ---------------------------------------------------------

_ROLE_TYPES = {
    cexpr.BINARY: TT_BINARY_OPERATOR,
    cexpr.UNARY: TT_UNARY_OPERATOR,
    cexpr.QUESTION: TT_CONDITIONAL_EXPR,
    cexpr.COLON: TT_CONDITIONAL_EXPR,
    cexpr.CAST_CLOSE: TT_CAST_RPAREN,
    cexpr.POINTER: TT_POINTER_OR_REFERENCE,
    cexpr.INDEX_OPEN: TT_ARRAY_SUBSCRIPT_LSQUARE,
}


def _kind(tok: cexpr.Token) -> str:
    if tok.kind == cexpr.PUNCT:
        return tok.text
    if tok.kind == cexpr.IDENT:
        return KEYWORD if tok.text == "__func__" else IDENTIFIER
    return {cexpr.NUMBER: NUMERIC, cexpr.STRING: STRING, cexpr.CHAR: CHAR}.get(tok.kind, KEYWORD)


#: A token before layout: its text, kind, type, and whether it is a block's brace.
_Proto = tuple[str, str, str, bool]


def _proto_shape(proto: _Proto) -> tuple[object, ...]:
    """What the layout of a token depends on: its text only matters for some kinds."""
    text, kind, type_, block = proto
    if kind in (IDENTIFIER, NUMERIC) and text != "endl":
        return (kind, type_, block, len(text))
    return (kind, type_, block, text)


#: The tokens of each expression text met so far, and their shapes (the emitters
#: write the same expressions over and over; a text always parses the same way).
_EXPRESSIONS: dict[str, tuple[tuple[_Proto, ...], tuple[tuple[object, ...], ...]]] = {}


def _expression_protos(expr: Expression) -> tuple[tuple[_Proto, ...], tuple[tuple[object, ...], ...]]:
    known = _EXPRESSIONS.get(expr.text)
    if known is None:
        protos: list[_Proto] = []
        for tok in expr.tokens:
            if tok.text == ">>":
                # clang-format's lexer splits '>>' into two '>' (for templates): two
                # relational operators as far as layout goes.
                protos += [(">", ">", TT_BINARY_OPERATOR, False)] * 2
                continue
            protos.append((tok.text, _kind(tok), _ROLE_TYPES.get(tok.role, ""), False))
        if len(_EXPRESSIONS) > 20_000:
            _EXPRESSIONS.clear()
        known = _EXPRESSIONS[expr.text] = (tuple(protos), tuple(map(_proto_shape, protos)))
    return known


_TYPE_KEYWORDS = cexpr.TYPE_KEYWORDS | {"static", "return", "if", "else"}


class _Tokens:
    """The tokens of one line before layout, with their shapes (the key of a reusable
    layout): :class:`~.linebreak.FormatToken` objects are made only for a line whose
    shape has not been laid out yet."""

    __slots__ = ("protos", "shapes", "declaration")

    def __init__(self) -> None:
        self.protos: list[_Proto] = []
        self.shapes: list[tuple[object, ...]] = []
        self.declaration = False  # a function's signature

    def add(self, text: str, kind: str, type_: str = "", block: bool = False) -> None:
        proto = (text, kind, type_, block)
        self.protos.append(proto)
        self.shapes.append(_proto_shape(proto))

    def word(self, text: str) -> None:
        self.add(text, KEYWORD if text in _TYPE_KEYWORDS else IDENTIFIER)

    def punct(self, text: str, type_: str = "") -> None:
        self.add(text, text, type_)

    def open_block(self, type_: str) -> None:
        self.add("{", "{", type_, True)

    def closing_brace(self) -> None:
        self.add("}", "}", "", True)

    def expression(self, expr: Expression) -> None:
        protos, shapes = _expression_protos(expr)
        self.protos += protos
        self.shapes += shapes

    def type(self, ctype: CType, style: Style, first_on_line: bool) -> None:
        for word in type_words(ctype, style, first_on_line):
            if word.startswith("*"):
                for _ in word:
                    self.add("*", "*", TT_POINTER_OR_REFERENCE)
            else:
                self.word(word)

    def line(self, level: int) -> Line:
        tokens: list[FormatToken] = []
        for text, kind, type_, block in self.protos:
            tok = FormatToken(text, kind, type_)
            tok.block = block
            tokens.append(tok)
        line = Line(tokens, level, must_be_declaration=self.declaration)
        line.might_be_function_decl = self.declaration
        return line


def _statement_line(stmt: Declare | Assign | Call | Return, style: Style) -> _Tokens:
    toks = _Tokens()
    if isinstance(stmt, Declare):
        toks.type(stmt.type, style, first_on_line=True)
        toks.add(stmt.name, IDENTIFIER, TT_START_OF_NAME)
        if stmt.init is not None:
            toks.punct("=", TT_BINARY_OPERATOR)
            toks.expression(stmt.init)
    elif isinstance(stmt, Assign):
        toks.expression(stmt.target)
        toks.punct("=", TT_BINARY_OPERATOR)
        toks.expression(stmt.value)
    elif isinstance(stmt, Call):
        toks.expression(stmt.expr)
    else:
        toks.word("return")
        if stmt.value is not None:
            toks.expression(stmt.value)
    toks.punct(";")
    return toks


def _condition_line(else_: bool, cond: Expression, brace_type: str) -> _Tokens:
    toks = _Tokens()
    if else_:
        toks.closing_brace()
        toks.word("else")
    toks.word("if")
    toks.punct("(")
    toks.expression(cond)
    toks.punct(")")
    toks.open_block(brace_type)
    return toks


def _signature_line(fn: FunctionDefinition, style: Style) -> _Tokens:
    ret = fn.return_type
    if ret.base[0] in ("struct", "union") and not ret.pointers and fn.name.upper() == fn.name:
        # 'struct foo NAME(...) {' with a name that looks like a macro: clang-format
        # parses a struct definition (NAME an attribute macro) and formats the body
        # as its members.
        raise ValueError(f"function '{fn.name}' returns '{' '.join(ret.base)}' and has no lowercase letter")
    toks = _Tokens()
    if fn.static:
        toks.word("static")
    toks.type(fn.return_type, style, first_on_line=True)
    toks.add(fn.name, IDENTIFIER, TT_FUNCTION_DECLARATION_NAME)
    toks.punct("(", TT_FUNCTION_DECLARATION_LPAREN)
    for index, param in enumerate(fn.params):
        if index:
            toks.punct(",")
        toks.type(param.type, style, first_on_line=False)
        toks.add(param.name, IDENTIFIER, TT_START_OF_NAME)
    toks.punct(")")
    toks.open_block(TT_FUNCTION_LBRACE)
    toks.declaration = True
    return toks


# -- lines of a body ---------------------------------------------------------------------------

# A laid-out line: ("code", _Tokens) or ("comment", text), with its level; None is an empty line.
_Entry = tuple[str, object, int] | None


def _body_entries(body: list[Statement], level: int, out: list[_Entry], style: Style) -> bool:
    """The lines of a block's statements, with clang-format's empty-line rules applied.

    Returns whether the block ends with an empty line: clang-format drops it
    before a lone ``}`` but keeps it before ``} else``.
    """
    pending_blank = False
    started = False
    for stmt in body:
        if isinstance(stmt, Blank):
            pending_blank = started  # none at the start of a block
            continue
        if pending_blank:
            out.append(None)
            pending_blank = False
        started = True
        if isinstance(stmt, LineComment):
            out.append(("comment", stmt.text, level))
        elif isinstance(stmt, If):
            trailing_blank = False
            for index, (cond, branch) in enumerate(stmt.branches):
                if index and trailing_blank:
                    out.append(None)
                out.append(("code", _condition_line(bool(index), cond, TT_CONTROL_STATEMENT_LBRACE), level))
                trailing_blank = _body_entries(branch, level + 1, out, style)
            if stmt.otherwise is not None:
                if trailing_blank:
                    out.append(None)
                toks = _Tokens()
                toks.closing_brace()
                toks.word("else")
                toks.open_block(TT_ELSE_LBRACE)
                out.append(("code", toks, level))
                _body_entries(stmt.otherwise, level + 1, out, style)
            out.append(("close", None, level))
        else:
            out.append(("code", _statement_line(stmt, style), level))
    return pending_blank


def _emit_line(changes: list[MarkedChange], entry: tuple[str, object, int], newlines: int, style: Style) -> None:
    """Lay out one line of a body and append its tokens as changes."""
    kind, payload, level = entry
    indent = level * style.IndentWidth
    if kind == "comment":
        change = MarkedChange(f"// {payload}" if payload else "//", newlines, indent, (level, 0), indent, comment=True)
        changes.append(change)
        return
    if kind == "close":
        changes.append(MarkedChange("}", newlines, indent, (level, 0), indent))
        return
    toks = payload
    assert isinstance(toks, _Tokens)
    key = (level, toks.declaration, *toks.shapes)
    laid_out = _LAYOUTS.get(key)
    if laid_out is None:
        if len(_LAYOUTS) > 10_000:
            _LAYOUTS.clear()
        laid_out = _LAYOUTS[key] = _lay_out(toks.line(level), level, style)
    template, sources = laid_out
    texts = [proto[0] for proto in toks.protos]
    base = len(changes)
    for index, change in enumerate(template):
        copy = change.copy()
        copy.text = "".join([texts[part] if isinstance(part, int) else part for part in sources[index]])
        if index == 0:
            copy.newlines = newlines
        if copy.matching >= 0:
            copy.matching += base
        changes.append(copy)


#: Where the text of a laid-out change comes from: token indices and literal text.
_Sources = list[tuple[int | str, ...]]

#: Laid-out lines by the shape of their tokens and their level (generated code
#: repeats many shapes with other names): the changes with the tokens' texts to
#: put in them, for the style of _LAYOUT_STYLE (emptied when the style changes).
_LAYOUTS: dict[tuple[object, ...], tuple[list[MarkedChange], _Sources]] = {}
_LAYOUT_STYLE: list[Style] = [GGML]


def _lay_out(line: Line, level: int, style: Style) -> tuple[list[MarkedChange], _Sources]:
    """The changes of one line, the first with no line break before it, and their sources."""
    indent = level * style.IndentWidth
    link(line)
    if fits_on_one_line(line, indent, style):
        return _one_line(line, level, style)
    origin = list(range(len(line.tokens)))
    placements = line.must_be_declaration and _signature_placements(line, indent, style)
    if not placements:
        annotate(line, style)
        placements = format_line(line, indent, style)
    for _ in range(8):
        if all(place.pieces is None for place in placements):
            break
        # clang-format formats our output again with the pieces of a split string
        # literal as literals of their own, which can change the layout: lay the
        # line out as it will then see it, until nothing is split any more.
        line, origin = _with_pieces(line, placements, origin)
        link(line)
        annotate(line, style)
        placements = format_line(line, indent, style)
    changes: list[MarkedChange] = []
    sources: _Sources = []
    openers: list[int] = []
    for tok, place in zip(line.tokens, placements, strict=True):
        lvl = (level, tok.nesting_level)
        text = place.pieces[0] if place.pieces is not None else tok.text
        sources.append((text,) if tok.kind == STRING else (origin[tok.index],))
        if tok.index == 0:
            change = MarkedChange(text, 0, indent, lvl, indent)
        elif place.newline:
            change = MarkedChange(text, 1, place.column, lvl, place.column)
            change.indented_from = place.aligned_to
            change.aligned = place.aligned
        else:
            prev = changes[-1]
            change = MarkedChange(text, 0, place.spaces, lvl, prev.start_col + prev.length + place.spaces)
        _add_token_change(changes, openers, tok, change)
        if place.pieces is not None:
            # The later pieces of a split string literal: string literals of their
            # own, on their own lines, aligned with the first (StartOfStringLiteral).
            for piece in place.pieces[1:]:
                sub = MarkedChange(piece, 1, place.column, lvl, place.column)
                sub.indented_from = place.column
                sub.aligned = place.pieces_aligned
                changes.append(sub)
                sources.append((piece,))
    return changes, sources


def _signature_placements(line: Line, indent: int, style: Style) -> list[Placement] | None:
    """Where :func:`~.linebreak.format_line` places the tokens of a function's signature
    that does not fit, found as the headers' declarations are broken
    (:func:`~.breaking.choose_breaks` compares the few shapes clang-format's options
    allow, rather than searching every break): None for the rare shapes it does not
    place here (a break inside a type, after ``struct``; no parameters).  Checked
    against the search by ``tests/test_statements.py``."""
    tokens = line.tokens
    groups: list[list[int]] = []  # the tokens of each word of the declaration ('*' runs glued)
    ret: list[str] = []
    params: list[tuple[tuple[str, ...], str]] = []
    words: list[str] = []
    name = ""
    for tok in tokens:
        if tok.kind == "*" and groups and tokens[groups[-1][-1]].kind == "*":
            groups[-1].append(tok.index)
            words[-1] += "*"
            continue
        groups.append([tok.index])
        if tok.type == TT_FUNCTION_DECLARATION_NAME:
            ret, words, name = words, [], tok.text
        elif tok.type == TT_START_OF_NAME:
            params.append((tuple(words), tok.text))
            words = []
        elif tok.kind not in ("(", ",", ")", "{"):
            words.append(tok.text)
    decl = declaration_tokens(tuple(ret), name, params, style, " {")
    if not params or len(decl.kinds) != len(groups):
        return None  # ('f() {' past the limit: clang-format weighs a break before the name differently)
    breaks, param_column = choose_breaks(decl, len(params), style, indent)
    name_i = decl.name
    if any(breaks[1:name_i]):
        return None
    continuation = style.ContinuationIndentWidth
    first = set(decl.first)
    names = set(decl.names)
    placements: list[Placement] = [Placement(False, indent, indent)] * len(tokens)
    end = indent + tokens[0].width  # where the previous token ends
    start = 0  # where the current parameter starts
    after_paren = bool(decl.first) and breaks[decl.first[0]]
    for index in range(1, len(groups)):
        head = tokens[groups[index][0]]
        if not breaks[index]:
            column = end + decl.spaces[index]
            placements[head.index] = Placement(False, decl.spaces[index], column)
            if index in first:
                start = column - indent
        else:
            aligned = False  # the line's column follows a token of the statement (AlignedTo)
            if index == name_i:
                column, derived = indent, indent
            elif index in first:
                start = param_column
                derived = indent + (0 if after_paren else param_column)
                column, aligned = indent + param_column, not after_paren
            elif index in names:
                column, derived, aligned = indent + start + continuation, indent + start, not after_paren
            else:
                return None
            placements[head.index] = Placement(True, column, column, derived, aligned)
        end = column + head.width
        for more in groups[index][1:]:
            placements[more] = Placement(False, 0, end)
            end += tokens[more].width
    return placements


def _add_token_change(changes: list[MarkedChange], openers: list[int], tok: FormatToken, change: MarkedChange) -> None:
    """Append the change of one token, marked for the aligner (its role, a comma, a bracket's match)."""
    change.role = _role(tok)
    change.comma = tok.kind == ","
    changes.append(change)
    if tok.opens_scope():
        openers.append(len(changes) - 1)
    elif tok.closes_scope() and tok.matching_paren is not None and openers:
        changes[openers.pop()].matching = len(changes) - 1


def _with_pieces(line: Line, placements: list[Placement], origin: list[int]) -> tuple[Line, list[int]]:
    """The line with each split string literal replaced by its pieces, and where each
    token comes from in the original line."""
    tokens: list[FormatToken] = []
    new_origin: list[int] = []
    for tok, place in zip(line.tokens, placements, strict=True):
        texts = place.pieces if place.pieces is not None else [tok.text]
        for text in texts:
            new = FormatToken(text, tok.kind, tok.type)
            new.block = tok.block
            tokens.append(new)
            new_origin.append(origin[tok.index])
    copy = Line(tokens, line.level, line.must_be_declaration)
    copy.might_be_function_decl = line.might_be_function_decl
    return copy, new_origin


def _one_line(line: Line, level: int, style: Style) -> tuple[list[MarkedChange], _Sources]:
    """The changes of a line that stays as it is (no break, no split literal).

    A statement's tokens travel in runs: only a declared name and an ``=`` need
    changes of their own for the aligner (all nesting-level 0, none after a
    comma); a signature keeps one change per token, its parameter names are
    aligned inside the parentheses.
    """
    changes: list[MarkedChange] = []
    sources: _Sources = []
    column = level * style.IndentWidth
    if line.must_be_declaration:
        openers: list[int] = []
        for tok in line.tokens:
            sources.append((tok.index,))
            spaces = tok.spaces_required_before if tok.index else column
            column += spaces if tok.index else 0
            change = MarkedChange(tok.text, 0, spaces, (level, tok.nesting_level), column)
            column += tok.width
            _add_token_change(changes, openers, tok, change)
        return changes, sources
    lvl = (level, 0)
    parts: list[str] = []  # the run being built
    run: list[int | str] = []  # its sources
    run_spaces = run_column = 0
    for tok in line.tokens:
        gap = tok.spaces_required_before if tok.index else 0
        decl_name = tok.type == TT_START_OF_NAME and _aligns_as_declaration(tok)
        if decl_name or tok.kind == "=":
            if parts:
                changes.append(MarkedChange("".join(parts), 0, run_spaces, lvl, run_column))
                sources.append(tuple(run))
                parts, run = [], []
            change = MarkedChange(tok.text, 0, gap, lvl, column + gap)
            change.role = DECLARATION if decl_name else ASSIGNMENT
            changes.append(change)
            sources.append((tok.index,))
        elif parts:
            parts.append(" " * gap + tok.text)
            run += [" " * gap, tok.index] if gap else [tok.index]
        else:
            parts.append(tok.text)
            run.append(tok.index)
            run_spaces = gap if tok.index else column
            run_column = column + gap
        column += gap + tok.width
    if parts:
        changes.append(MarkedChange("".join(parts), 0, run_spaces, lvl, run_column))
        sources.append(tuple(run))
    return changes, sources


def _role(tok: FormatToken) -> int:
    """What the aligner aligns the token as: a declared name, an ``=``, or nothing."""
    if tok.type == TT_FUNCTION_DECLARATION_NAME or (tok.type == TT_START_OF_NAME and _aligns_as_declaration(tok)):
        return DECLARATION
    return ASSIGNMENT if tok.kind == "=" else 0


def _aligns_as_declaration(tok: FormatToken) -> bool:
    """AlignConsecutiveDeclarations' matcher: no later name starts the same declaration."""
    nxt = tok.next
    while nxt is not None:
        if nxt.type == TT_POINTER_OR_REFERENCE:
            return False
        if nxt.kind not in (IDENTIFIER, KEYWORD):
            break
        if nxt.type in (TT_START_OF_NAME, TT_FUNCTION_DECLARATION_NAME):
            return False
        nxt = nxt.next
    return True


def _function_changes(fn: FunctionDefinition, style: Style) -> list[MarkedChange]:
    if not any(not isinstance(stmt, Blank) for stmt in fn.body):
        raise ValueError(f"function '{fn.name}' has an empty body")  # clang-format would write '{}'
    entries: list[_Entry] = [("code", _signature_line(fn, style), 0)]
    _body_entries(fn.body, 1, entries, style)
    entries.append(("close", None, 0))
    changes: list[MarkedChange] = []
    blank = False
    for entry in entries:
        if entry is None:
            blank = True
            continue
        count = 0 if not changes else (2 if blank else 1)
        blank = False
        _emit_line(changes, entry, count, style)
    # AlignConsecutiveAssignments: an '=' last on its line is not aligned.
    for index in range(len(changes) - 1):
        if changes[index].role == ASSIGNMENT and changes[index + 1].newlines:
            changes[index].role = 0
    return changes


def _render_function(fn: FunctionDefinition, style: Style) -> str:
    changes = _function_changes(fn, style)
    align(changes, style)
    return render_changes(changes)


def _unformatted_function(fn: FunctionDefinition, style: Style) -> list[str]:
    entries: list[_Entry] = [("code", _signature_line(fn, style), 0)]
    _body_entries(fn.body, 1, entries, style)
    entries.append(("close", None, 0))
    lines: list[str] = []
    for entry in entries:
        if entry is None:
            lines.append("")
            continue
        kind, payload, level = entry
        indent = " " * (level * style.IndentWidth)
        if kind == "comment":
            lines.append(f"{indent}// {payload}" if payload else f"{indent}//")
        elif kind == "close":
            lines.append(f"{indent}}}")
        else:
            assert isinstance(payload, _Tokens)
            lines.append(indent + _spaced(payload.line(level), style))
    return lines


def _spaced(line: Line, style: Style) -> str:
    """The line's tokens on one line, with clang-format's spaces between them."""
    link(line)
    fits_on_one_line(line, 0, style)  # sets the spaces
    return "".join(" " * t.spaces_required_before + t.text for t in line.tokens).lstrip()


def one_line_statement(stmt: Declare | Assign | Call | Return, style: Style = GGML) -> str:
    """A statement on one line with clang-format's spacing, not broken (for the headers' short bodies)."""
    return _spaced(_statement_line(stmt, style).line(0), style)


def render_unformatted(items: list[TopLevel], style: Style = GGML) -> str:
    """The items with clang-format's spacing but no line breaking or alignment (one
    statement per line): the text for ``--style unformatted`` and external formatters."""
    out: list[str] = []
    for item in items:
        if isinstance(item, Blank):
            out.append("")
        elif isinstance(item, FunctionDefinition):
            out += _unformatted_function(item, style)
        elif isinstance(item, LineComment):
            out.append(f"// {item.text}" if item.text else "//")
        else:
            out.append(item.text)
    return "\n".join(out) + "\n" if out else ""


def _starts_definition(items: list[TopLevel], index: int) -> bool:
    """Whether ``items[index]`` is a definition or the first of the comments right above one."""
    while isinstance(items[index], LineComment) and index + 1 < len(items):
        index += 1
    return isinstance(items[index], FunctionDefinition)


def render_definitions(items: list[TopLevel], style: Style = GGML) -> str:
    """Top-level items (function definitions, comments, raw lines) as clang-format lays them out."""
    if _LAYOUT_STYLE[0] is not style:
        _LAYOUTS.clear()
        _LAYOUT_STYLE[0] = style
    out: list[str] = []
    previous: TopLevel | None = None
    pending_blank = False
    for index, item in enumerate(items):
        if isinstance(item, Blank):
            pending_blank = previous is not None
            continue
        # SeparateDefinitionBlocks: Always: an empty line around each definition;
        # the comments right above a definition belong to it.
        if previous is not None and (
            pending_blank
            or isinstance(previous, FunctionDefinition)
            or (not isinstance(previous, LineComment) and _starts_definition(items, index))
        ):
            out.append("")
        pending_blank = False
        if isinstance(item, FunctionDefinition):
            out.append(_render_function(item, style))
        elif isinstance(item, LineComment):
            out.append(f"// {item.text}" if item.text else "//")
        else:
            out.append(item.text)
        previous = item
    return "\n".join(out) + "\n" if out else ""
