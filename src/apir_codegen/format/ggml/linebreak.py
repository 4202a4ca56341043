"""Breaking one statement that does not fit in 120 columns, as clang-format does.

clang-format breaks a line ("unwrapped line") in three steps, ported here for
the tokens our generated function bodies are made of:

* ``TokenAnnotator`` (``annotate``): nesting levels and binding strengths, the
  fake parentheses of ``ExpressionParser`` (operator precedence), the spaces
  between tokens (``spaceRequiredBefore``), where a break may or must happen
  (``canBreakBefore`` / ``mustBreakBefore``) and what it costs (``splitPenalty``);
* ``ContinuationIndenter``: the state of a partly laid-out line (a stack of
  ``ParenState``) and what placing the next token on the same or a new line
  does to it, string literals broken by ``BreakStringLiterals`` included;
* ``UnwrappedLineFormatter``'s ``OptimizingLineFormatter``: a Dijkstra search
  over those states for the cheapest layout, ties going to the state queued
  first.

Names, order of checks and comments follow clang-format's sources
(clang/lib/Format, LLVM 23) so that a difference can be traced back to them;
branches for languages, options and token kinds that cannot occur in our
lines are left out.  The token kinds and types are set by the caller
(:mod:`.bodies`) from the structure it knows; clang-format infers the same
ones with its heuristics for the subset of C that :mod:`apir_codegen.cexpr` accepts.
"""

from __future__ import annotations

import heapq

from ...cexpr import BINARY_PRECEDENCE
from .breaking import (
    AFTER_COMMA_PENALTY,
    AFTER_DECLARATION_OPEN_PAREN_PENALTY,
    AFTER_RECORD_KEYWORD_PENALTY,
    BINDING_STRENGTH_FACTOR,
    FIRST_BREAK_ON_LEVEL_PENALTY,
    SHORT_RETURN_TYPE_COLUMNS,
    START_OF_NAME_PENALTY,
    string_split,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .style import Style

# The options this module reads come from the Style, by clang-format's names:
# ColumnLimit, IndentWidth, ContinuationIndentWidth, PenaltyExcessCharacter,
# PenaltyBreakAssignment, PenaltyBreakBeforeFirstCallParameter,
# PenaltyBreakBeforeMemberAccess, PenaltyBreakFirstLessLess, PenaltyBreakString,
# PenaltyBreakOpenParenthesis, PenaltyIndentedWhitespace,
# PenaltyReturnTypeOnItsOwnLine.  The options that choose a behaviour are
# written into the code below with ggml's values, which the Style checks it
# holds (AlignAfterOpenBracket: Align, AlignOperands: Align,
# BinPackParameters: OnePerLine, AllowAllArgumentsOnNextLine: true,
# AllowAllParametersOfDeclarationOnNextLine: false, BreakBeforeBinaryOperators:
# None, BreakBeforeTernaryOperators: false, AlwaysBreakBeforeMultilineStrings:
# true, BreakStringLiterals: true, BreakAdjacentStringLiterals: true,
# BreakAfterReturnType: None, PointerAlignment: Middle, SpaceAfterCStyleCast:
# true, Cpp11BracedListStyle: false); clang-format's fixed penalties are
# shared with the declaration breaker (:mod:`.breaking`).

# clang's prec::Level
PREC_UNKNOWN, PREC_COMMA, PREC_ASSIGNMENT, PREC_CONDITIONAL = 0, 1, 2, 3
PREC_LOGICAL_OR, PREC_LOGICAL_AND, PREC_RELATIONAL, PREC_EQUALITY = 4, 5, 10, 9
PREC_POINTER_TO_MEMBER = 15
PRECEDENCE_UNARY_OPERATOR = PREC_POINTER_TO_MEMBER + 1
PRECEDENCE_ARROW_AND_PERIOD = PREC_POINTER_TO_MEMBER + 2

#: getPrecedence: the comma, assignment and conditional operators, then C's binary operators.
_BINARY_PRECEDENCE = {",": PREC_COMMA, "=": PREC_ASSIGNMENT, "?": PREC_CONDITIONAL, **BINARY_PRECEDENCE}

# Token kinds (clang's tok::): punctuators are their own text; the rest:
IDENTIFIER, NUMERIC, STRING, CHAR, KEYWORD = "identifier", "numeric", "string", "char", "keyword"

# Token types (clang-format's TT_*), as set by the caller.
TT_UNKNOWN = ""
TT_BINARY_OPERATOR = "BinaryOperator"
TT_UNARY_OPERATOR = "UnaryOperator"
TT_POINTER_OR_REFERENCE = "PointerOrReference"
TT_CAST_RPAREN = "CastRParen"
TT_START_OF_NAME = "StartOfName"
TT_FUNCTION_DECLARATION_NAME = "FunctionDeclarationName"
TT_FUNCTION_DECLARATION_LPAREN = "FunctionDeclarationLParen"
TT_CONDITIONAL_EXPR = "ConditionalExpr"
TT_FUNCTION_LBRACE = "FunctionLBrace"
TT_CONTROL_STATEMENT_LBRACE = "ControlStatementLBrace"
TT_ELSE_LBRACE = "ElseLBrace"
TT_ARRAY_SUBSCRIPT_LSQUARE = "ArraySubscriptLSquare"

_OPENERS = frozenset("([{")
_CLOSERS = frozenset(")]}")


class FormatToken:
    """A token of one line and what clang-format's annotator computes for it."""

    __slots__ = (
        "text",
        "kind",
        "type",
        "index",
        "previous",
        "next",
        "width",
        "spaces_required_before",
        "must_break_before",
        "can_break_before",
        "split_penalty",
        "total_length",
        "unbreakable_tail_length",
        "nesting_level",
        "binding_strength",
        "matching_paren",
        "parameter_count",
        "fake_lparens",
        "fake_rparens",
        "operator_index",
        "next_operator",
        "starts_binary_expression",
        "ends_binary_expression",
        "block",
    )

    # Set by link() (and fits_on_one_line()): index, previous, next, nesting_level,
    # binding_strength, matching_paren, parameter_count, spaces_required_before;
    # by annotate(), for lines that do not fit: the rest.
    index: int
    previous: FormatToken | None
    next: FormatToken | None
    spaces_required_before: int
    must_break_before: bool
    can_break_before: bool
    split_penalty: int
    total_length: int
    unbreakable_tail_length: int
    nesting_level: int
    binding_strength: int
    matching_paren: FormatToken | None
    parameter_count: int
    fake_lparens: list[int]
    fake_rparens: int
    operator_index: int
    next_operator: FormatToken | None
    starts_binary_expression: bool
    ends_binary_expression: bool

    def __init__(self, text: str, kind: str, type_: str = TT_UNKNOWN) -> None:
        self.text = text
        self.kind = kind
        self.type = type_
        self.width = len(text)
        self.block = False  # a '{' or '}' of a block (BK_Block)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.text!r} {self.type or self.kind}>"

    # FormatToken's predicates
    def opens_scope(self) -> bool:
        return self.kind in _OPENERS

    def closes_scope(self) -> bool:
        return self.kind in _CLOSERS

    def is_member_access(self) -> bool:
        return self.kind in (".", "->")

    def is_string_literal(self) -> bool:
        return self.kind == STRING

    def precedence(self) -> int:
        """getPrecedence: the binary precedence of the token's kind, whatever its role."""
        if self.kind in (IDENTIFIER, NUMERIC, STRING, CHAR, KEYWORD):
            return PREC_UNKNOWN
        return _BINARY_PRECEDENCE.get(self.kind, PREC_UNKNOWN)

    def is_binary_operator(self) -> bool:
        """isBinaryOperator: a comparison, arithmetic, bitwise or assignment operator."""
        return self.precedence() > PREC_COMMA

    def is_if(self) -> bool:
        return self.kind == KEYWORD and self.text == "if"


class Line:
    """An unwrapped line: its tokens, its block level and what kind of line it is."""

    __slots__ = ("tokens", "level", "must_be_declaration", "might_be_function_decl")

    def __init__(self, tokens: list[FormatToken], level: int, must_be_declaration: bool = False) -> None:
        self.tokens = tokens
        self.level = level
        self.must_be_declaration = must_be_declaration
        self.might_be_function_decl = False


# -- TokenAnnotator ----------------------------------------------------------------------------


def link(line: Line) -> None:
    """Index and chain the tokens, with their nesting levels and matching brackets."""
    toks = line.tokens
    previous: FormatToken | None = None
    for index, tok in enumerate(toks):
        tok.index = index
        tok.previous = previous
        tok.next = None
        if previous is not None:
            previous.next = tok
        previous = tok
    _nesting(line)
    for tok in toks:
        tok.spaces_required_before = 0


def fits_on_one_line(line: Line, first_indent: int, style: Style) -> bool:
    """Whether clang-format puts the linked line on one line as it is (NoLineBreakFormatter).

    Sets each token's spaces; ``annotate`` (only needed when the line does not
    fit) computes the rest.
    """
    toks = line.tokens
    total = first_indent + toks[0].width
    fits = True
    for current in toks[1:]:
        if _must_break_before(current):
            fits = False
        current.spaces_required_before = spaces = 1 if _space_required_before(line, current) else 0
        total += spaces + current.width
    return fits and total <= style.ColumnLimit


def annotate(line: Line, style: Style) -> None:
    """Everything clang-format's annotator computes that the layout needs (after ``link``)."""
    toks = line.tokens
    for tok in toks:
        tok.must_break_before = tok.can_break_before = False
        tok.split_penalty = tok.total_length = tok.unbreakable_tail_length = 0
        tok.fake_lparens = []
        tok.fake_rparens = tok.operator_index = 0
        tok.next_operator = None
        tok.starts_binary_expression = tok.ends_binary_expression = False
    _ExpressionParser(toks).parse()
    first = toks[0]
    first.total_length = first.width
    first.spaces_required_before = 0
    first.can_break_before = first.must_break_before = False
    in_function_decl = line.might_be_function_decl
    for current in toks[1:]:
        prev = current.previous
        assert prev is not None
        current.spaces_required_before = 1 if _space_required_before(line, current) else 0
        current.must_break_before = _must_break_before(current)
        current.can_break_before = current.must_break_before or _can_break_before(line, current)
        if current.must_break_before:
            current.total_length = prev.total_length + style.ColumnLimit
        else:
            current.total_length = prev.total_length + current.width + current.spaces_required_before
        current.split_penalty = (
            _split_penalty(line, current, in_function_decl, style) + BINDING_STRENGTH_FACTOR * current.binding_strength
        )
    tail = 0
    for current in reversed(toks):
        current.unbreakable_tail_length = tail
        if current.can_break_before or current.kind == STRING:
            tail = 0
        else:
            tail += current.width + current.spaces_required_before


def _nesting(line: Line) -> None:
    """NestingLevel, BindingStrength, MatchingParen and ParameterCount (AnnotatingParser).

    A closing bracket is consumed while its bracket's context is still open:
    it has the inner nesting level and binding strength.
    """
    contexts = [1]  # binding strength per open context
    openers: list[FormatToken] = []
    for tok in line.tokens:
        tok.matching_paren = None
        tok.parameter_count = 0
        tok.nesting_level = len(contexts) - 1
        tok.binding_strength = contexts[-1]
        if openers and not tok.closes_scope():
            opener = openers[-1]
            if tok.kind == ",":
                opener.parameter_count += 1
            elif opener.parameter_count == 0:
                opener.parameter_count = 1
        if tok.opens_scope():
            tok.parameter_count = 0
            openers.append(tok)
            contexts.append(contexts[-1] + (10 if tok.kind == "[" else 1))
        elif tok.closes_scope() and openers:
            opener = openers.pop()
            opener.matching_paren = tok
            tok.matching_paren = opener
            contexts.pop()
    if line.must_be_declaration:
        # A '(' at the top level of a declaration line (AnnotatingParser::consumeToken).
        line.might_be_function_decl = any(t.kind == "(" and t.nesting_level == 0 for t in line.tokens)


class _ExpressionParser:
    """Fake parentheses by operator precedence (TokenAnnotator.cpp's ExpressionParser)."""

    def __init__(self, toks: list[FormatToken]) -> None:
        self.current: FormatToken | None = toks[0]
        self.last = toks[-1]

    def parse(self, precedence: int = 0) -> None:
        while self.current is not None and self.current.kind == KEYWORD and self.current.text == "return":
            self.next()
        if self.current is None or precedence > PRECEDENCE_ARROW_AND_PERIOD:
            return
        if precedence == PREC_CONDITIONAL:
            self.parse_conditional_expr()
            return
        if precedence == PRECEDENCE_UNARY_OPERATOR:
            self.parse_unary_operator()
            return
        start = self.current
        latest_operator: FormatToken | None = None
        operator_index = 0
        while self.current is not None:
            self.parse(precedence + 1)
            current_precedence = self.current_precedence()
            current = self.current
            if (
                current is None
                or (current.closes_scope() and current.matching_paren is not None)
                or (current_precedence != -1 and current_precedence < precedence)
                or (current_precedence == PREC_CONDITIONAL and precedence == PREC_ASSIGNMENT and current.kind == ":")
            ):
                break
            if current.opens_scope():
                while self.current is not None and not self.current.closes_scope():
                    self.next()
                    self.parse()
                self.next()
            else:
                if current_precedence == precedence:
                    if latest_operator is not None:
                        latest_operator.next_operator = current
                    latest_operator = current
                    current.operator_index = operator_index
                    operator_index += 1
                self.next()
        if latest_operator is not None and (self.current is not None or precedence > 0):
            if precedence == PRECEDENCE_ARROW_AND_PERIOD:
                self.add_fake_parenthesis(start, PREC_UNKNOWN)  # call expressions have no precedence
            else:
                self.add_fake_parenthesis(start, precedence)

    def current_precedence(self) -> int:
        current = self.current
        if current is not None:
            if current.type == TT_CONDITIONAL_EXPR:
                return PREC_CONDITIONAL
            if current.kind == ";":
                return 0
            if current.type == TT_BINARY_OPERATOR or current.kind == ",":
                return current.precedence()
            if current.kind in (".", "->"):
                return PRECEDENCE_ARROW_AND_PERIOD
        return -1

    def add_fake_parenthesis(self, start: FormatToken, precedence: int) -> None:
        start.fake_lparens.append(precedence)
        if precedence > PREC_UNKNOWN:
            start.starts_binary_expression = True
        end = self.current.previous if self.current is not None else self.last
        if end is not None:
            end.fake_rparens += 1
            if precedence > PREC_UNKNOWN:
                end.ends_binary_expression = True

    def parse_unary_operator(self) -> None:
        tokens = []
        while self.current is not None and self.current.type == TT_UNARY_OPERATOR:
            tokens.append(self.current)
            self.next()
        self.parse(PRECEDENCE_ARROW_AND_PERIOD)
        for token in reversed(tokens):
            self.add_fake_parenthesis(token, PREC_UNKNOWN)

    def parse_conditional_expr(self) -> None:
        start = self.current
        self.parse(PREC_LOGICAL_OR)
        if self.current is None or self.current.kind != "?":
            return
        self.next()
        self.parse(PREC_ASSIGNMENT)
        if self.current is None or self.current.type != TT_CONDITIONAL_EXPR:
            return
        self.next()
        self.parse(PREC_ASSIGNMENT)
        assert start is not None
        self.add_fake_parenthesis(start, PREC_CONDITIONAL)

    def next(self) -> None:
        if self.current is not None:
            self.current = self.current.next


def _space_required_before(line: Line, right: FormatToken) -> bool:
    """spaceRequiredBefore / spaceRequiredBetween, for the tokens of our lines."""
    left = right.previous
    assert left is not None
    # spaceRequiredBefore's checks first
    if left.kind == "," or right.kind == ",":
        return left.kind == ","
    if right.kind == ":":  # the ':' of '?:' (TT_ConditionalExpr)
        return left.kind != "?"
    if left.kind in ("-", "+") and right.kind == left.kind:
        return True  # do not merge "- -" into "--"
    if left.type == TT_UNARY_OPERATOR:
        return False  # SpaceAfterLogicalNot: false
    if left.type == TT_CAST_RPAREN:
        return True  # SpaceAfterCStyleCast: true
    if left.kind == ">" and right.kind == ">":
        return False  # a '>>' split by the lexer
    if right.kind in ("->", ".") or left.kind in ("->", "."):
        return False
    if (right.type == TT_BINARY_OPERATOR and left.kind != "(") or (
        left.type in (TT_BINARY_OPERATOR, TT_CONDITIONAL_EXPR) and right.kind != ")"
    ):
        return True
    # spaceRequiredBetween
    if left.kind == KEYWORD and left.text == "return":
        return right.kind not in (";", ")")
    if left.kind == "(" or right.kind == ")":
        return False  # SpacesInParens: Never
    if right.kind == ";":
        return False
    if left.kind in ("!", "~"):
        return False
    if right.type == TT_POINTER_OR_REFERENCE:
        # PointerAlignment: Middle
        return left.type != TT_POINTER_OR_REFERENCE and left.kind != "("
    if left.type == TT_POINTER_OR_REFERENCE:
        if right.kind == "{" and right.block:
            return True
        if right.type == TT_POINTER_OR_REFERENCE or right.kind in ("[", "("):
            return False
        before_left = left.previous
        return before_left is not None and before_left.kind not in ("(", "[")
    if left.kind == "[":
        return False
    if right.kind == "]":
        return False
    if right.kind == "[":
        return left.kind == NUMERIC
    if right.kind == "(":
        if left.kind == ";":
            return True
        if left.is_if() or (left.kind == KEYWORD and left.text in ("for", "while", "switch")):
            return True  # SpaceBeforeParens: ControlStatements
        return False
    if right.type == TT_UNARY_OPERATOR:
        return left.kind not in ("(", "[")
    return True


def _must_break_before(right: FormatToken) -> bool:
    """mustBreakBefore: only adjacent string literals (BreakAdjacentStringLiterals) apply."""
    left = right.previous
    assert left is not None
    return left.is_string_literal() and right.is_string_literal()


def _can_break_before(line: Line, right: FormatToken) -> bool:
    """canBreakBefore, for C++ with ggml's options."""
    left = right.previous
    assert left is not None
    if right.kind == "}":
        return right.matching_paren is not None and right.matching_paren.block
    if right.kind == ")":
        return False  # AlignAfterOpenBracket is not BlockIndent
    if right.type == TT_POINTER_OR_REFERENCE:
        return False  # PointerAlignment is not Right
    if right.type in (TT_START_OF_NAME, TT_FUNCTION_DECLARATION_NAME):
        return True
    if left.type == TT_POINTER_OR_REFERENCE:
        return False
    if left.kind == "?" and right.kind == ":":
        return False
    if right.type == TT_CONDITIONAL_EXPR or right.kind == "?":
        return False  # BreakBeforeTernaryOperators: false
    if left.type == TT_CONDITIONAL_EXPR or left.kind == "?":
        return True
    if right.kind == ":":
        return False
    if left.type == TT_UNARY_OPERATOR:
        return False
    if (left.kind == ">" and right.kind == ">") or (left.kind == "<" and right.kind == "<"):
        return False
    if left.kind == "(" and left.previous is not None and left.previous.type in (TT_BINARY_OPERATOR, TT_CAST_RPAREN):
        return False
    if left.kind == IDENTIFIER and right.kind == STRING:
        return True
    if (left.is_binary_operator() or left.type == TT_BINARY_OPERATOR) and left.kind != "<<":
        return True  # BreakBeforeBinaryOperators: None
    return (
        left.kind in (",", ";", "{")
        or (left.kind == KEYWORD and left.text in ("class", "struct"))
        or right.is_member_access()
        or right.kind in ("<<", "[", ":")
        or (left.kind == ")" and (right.kind == IDENTIFIER or (right.kind == KEYWORD and right.text == "const")))
        or (left.kind == "(" and right.kind != ")")
    )


def _is_label_string(tok: FormatToken) -> bool:
    """FormatToken::isLabelString: a string literal ending in ':' or '='."""
    if tok.kind != STRING:
        return False
    content = tok.text[1:-1].strip()
    return len(content) > 1 and content[-1] in ":="


def _split_penalty(line: Line, tok: FormatToken, in_function_decl: bool, style: Style) -> int:
    """splitPenalty (without the BINDING_STRENGTH_FACTOR * BindingStrength added by the caller)."""
    left = tok.previous
    right = tok
    assert left is not None
    if left.kind == ";":
        return 0
    if right.kind == "[":
        if left.kind == "]":
            return 200
        return 500
    if right.type in (TT_START_OF_NAME, TT_FUNCTION_DECLARATION_NAME):
        if left.type == TT_START_OF_NAME:
            return 110
        if in_function_decl and right.nesting_level == 0:
            return style.PenaltyReturnTypeOnItsOwnLine
        return START_OF_NAME_PENALTY
    if right.type == TT_POINTER_OR_REFERENCE:
        return 190
    if left.type == TT_CAST_RPAREN:
        return 100
    if left.kind == KEYWORD and left.text in ("class", "struct", "union"):
        return AFTER_RECORD_KEYWORD_PENALTY
    if right.is_member_access():
        next_operator = right.next_operator
        if next_operator is not None and next_operator.previous is not None and next_operator.previous.closes_scope():
            return min(style.PenaltyBreakBeforeMemberAccess, 35)
        return style.PenaltyBreakBeforeMemberAccess
    if left.kind == "(" and style.PenaltyBreakOpenParenthesis:
        return style.PenaltyBreakOpenParenthesis
    if left.kind == "(" and in_function_decl:
        return AFTER_DECLARATION_OPEN_PAREN_PENALTY  # AlignAfterOpenBracket is not DontAlign
    if left.kind == "(" and left.previous is not None and left.previous.is_if():
        return 1000
    if left.kind == "=" and in_function_decl:
        return 110
    if right.kind == "}":
        return 1
    if left.opens_scope():
        if left.kind == "{":
            return 19  # Cpp11BracedListStyle: false
        return style.PenaltyBreakBeforeFirstCallParameter if left.parameter_count > 1 else 19
    if left.type == TT_UNARY_OPERATOR:
        return 60
    if (
        left.kind in ("+", ",")
        and left.previous is not None
        and _is_label_string(left.previous)
        and (left.next_operator is not None or left.operator_index != 0)
    ):
        return 50
    if right.kind == "+" and _is_label_string(left) and (right.next_operator is not None or right.operator_index != 0):
        return 25
    if left.kind == ",":
        return AFTER_COMMA_PENALTY
    if right.kind == "<<" and _is_label_string(left) and (right.next_operator is not None or right.operator_index != 1):
        return 25
    if right.kind == "<<":
        # Breaking at a << is really cheap.
        if left.kind != ")" or right.operator_index > 0:
            return 2
        return 1
    if left.type == TT_CONDITIONAL_EXPR:
        return PREC_CONDITIONAL
    level = left.precedence()
    if level == PREC_UNKNOWN:
        level = right.precedence()
    if level == PREC_ASSIGNMENT:
        return style.PenaltyBreakAssignment
    if level != PREC_UNKNOWN:
        return level
    return 3


# -- ContinuationIndenter ----------------------------------------------------------------------


_new_paren_state = object.__new__


class ParenState:
    """One level of (real or fake) parentheses while a line is laid out."""

    __slots__ = (
        "tok",
        "indent",
        "indent_from",
        "last_space",
        "nested_block_indent",
        "first_less_less",
        "question_column",
        "start_of_function_call",
        "start_of_array_subscripts",
        "call_continuation",
        "variable_pos",
        "is_aligned",
        "break_before_closing_brace",
        "avoid_bin_packing",
        "break_before_parameter",
        "no_line_break",
        "no_line_break_in_operand",
        "last_operator_wrapped",
        "contains_line_break",
        "contains_unwrapped_builder",
        "nested_block_inlined",
        "is_chained_conditional",
        "is_wrapped_conditional",
        "unindent_operator",
        "cached_key",
    )

    def __init__(
        self, tok: FormatToken | None, indent: int, last_space: int, avoid_bin_packing: bool, no_line_break: bool
    ) -> None:
        self.tok = tok
        self.indent = indent
        self.indent_from = indent  # IndentationAndAlignment::IndentedFrom
        self.last_space = last_space
        self.nested_block_indent = indent
        self.first_less_less = 0
        self.question_column = 0
        self.start_of_function_call = 0
        self.start_of_array_subscripts = 0
        self.call_continuation = 0
        self.variable_pos = 0
        self.is_aligned = False
        self.break_before_closing_brace = False
        self.avoid_bin_packing = avoid_bin_packing
        self.break_before_parameter = False
        self.no_line_break = no_line_break
        self.no_line_break_in_operand = False
        self.last_operator_wrapped = True
        self.contains_line_break = False
        self.contains_unwrapped_builder = False
        self.nested_block_inlined = False
        self.is_chained_conditional = False
        self.is_wrapped_conditional = False
        self.unindent_operator = False
        self.cached_key: tuple[object, ...] | None = None

    def copy(self) -> ParenState:
        new = _new_paren_state(ParenState)
        new.tok = self.tok
        new.indent = self.indent
        new.indent_from = self.indent_from
        new.last_space = self.last_space
        new.nested_block_indent = self.nested_block_indent
        new.first_less_less = self.first_less_less
        new.question_column = self.question_column
        new.start_of_function_call = self.start_of_function_call
        new.start_of_array_subscripts = self.start_of_array_subscripts
        new.call_continuation = self.call_continuation
        new.variable_pos = self.variable_pos
        new.is_aligned = self.is_aligned
        new.break_before_closing_brace = self.break_before_closing_brace
        new.avoid_bin_packing = self.avoid_bin_packing
        new.break_before_parameter = self.break_before_parameter
        new.no_line_break = self.no_line_break
        new.no_line_break_in_operand = self.no_line_break_in_operand
        new.last_operator_wrapped = self.last_operator_wrapped
        new.contains_line_break = self.contains_line_break
        new.contains_unwrapped_builder = self.contains_unwrapped_builder
        new.nested_block_inlined = self.nested_block_inlined
        new.is_chained_conditional = self.is_chained_conditional
        new.is_wrapped_conditional = self.is_wrapped_conditional
        new.unindent_operator = self.unindent_operator
        new.cached_key = None
        return new

    def key(self) -> tuple[object, ...]:
        """The fields ParenState::operator< compares (cached until the state changes)."""
        key = self.cached_key
        if key is not None:
            return key
        key = self.cached_key = (
            self.indent,
            self.indent_from,
            self.last_space,
            self.nested_block_indent,
            self.first_less_less,
            self.is_aligned,
            self.break_before_closing_brace,
            self.question_column,
            self.avoid_bin_packing,
            self.break_before_parameter,
            self.no_line_break,
            self.last_operator_wrapped,
            self.start_of_function_call,
            self.start_of_array_subscripts,
            self.call_continuation,
            self.variable_pos,
            self.contains_line_break,
            self.contains_unwrapped_builder,
            self.nested_block_inlined,
            self.is_chained_conditional,
            self.is_wrapped_conditional,
            self.unindent_operator,
        )
        return key


class Placement:
    """Where a token ended up: line breaks and spaces before it, and its column.

    ``pieces`` holds the parts of a string literal that BreakStringLiterals split
    (each on its own line at ``column``), else None.  ``aligned_to`` is the
    column a new line's position derives from (clang-format's
    IndentedFromColumn), for the alignment of consecutive declarations and
    assignments.
    """

    __slots__ = ("newline", "spaces", "column", "pieces", "aligned_to", "aligned", "pieces_aligned")

    def __init__(self, newline: bool, spaces: int, column: int, aligned_to: int = 0, aligned: bool = False) -> None:
        self.newline = newline
        self.spaces = spaces
        self.column = column
        self.pieces: list[str] | None = None
        self.aligned_to = aligned_to
        self.aligned = aligned  # the line is aligned to a token of the statement (AlignedTo)
        self.pieces_aligned = False


class LineState:
    __slots__ = (
        "column",
        "next_token",
        "no_continuation",
        "start_of_line_level",
        "lowest_level_on_line",
        "start_of_string_literal",
        "no_line_break",
        "stack",
        "first_indent",
        "ignore_stack_for_comparison",
        "owned_from",
    )
    column: int
    next_token: FormatToken | None
    no_continuation: bool
    start_of_line_level: int
    lowest_level_on_line: int
    start_of_string_literal: int
    no_line_break: bool
    stack: list[ParenState]
    first_indent: int
    ignore_stack_for_comparison: bool
    owned_from: int

    # The stack is copied on write: a copy shares its ParenStates with the
    # state it was copied from until it changes them (top() / mut()).

    def top(self) -> ParenState:
        """The innermost ParenState, to be changed."""
        return self.mut(len(self.stack) - 1)

    def mut(self, index: int) -> ParenState:
        """ParenState ``index``, to be changed."""
        stack = self.stack
        if index < self.owned_from:
            for i in range(index, self.owned_from):
                stack[i] = stack[i].copy()
            self.owned_from = index
        state = stack[index]
        state.cached_key = None
        return state

    def pop(self) -> None:
        self.stack.pop()
        if self.owned_from > len(self.stack):
            self.owned_from = len(self.stack)

    def copy(self) -> LineState:
        new = LineState.__new__(LineState)
        new.column = self.column
        new.next_token = self.next_token
        new.no_continuation = self.no_continuation
        new.start_of_line_level = self.start_of_line_level
        new.lowest_level_on_line = self.lowest_level_on_line
        new.start_of_string_literal = self.start_of_string_literal
        new.no_line_break = self.no_line_break
        new.stack = self.stack[:]
        new.owned_from = len(new.stack)
        new.first_indent = self.first_indent
        new.ignore_stack_for_comparison = self.ignore_stack_for_comparison
        return new

    def key(self) -> tuple[object, ...]:
        """The fields LineState::operator< compares."""
        nxt = self.next_token
        head = (
            nxt.index if nxt is not None else -1,
            self.column,
            self.no_continuation,
            self.start_of_line_level,
            self.lowest_level_on_line,
            self.start_of_string_literal,
        )
        if self.ignore_stack_for_comparison:
            return head
        return head + tuple(p.key() for p in self.stack)


# clang-format's IndentationAndAlignment: a column and the column it is derived
# from (``x + n`` is derived from ``x``); alignment of consecutive declarations
# and assignments moves a continuation line when what it derives from moves.
Iaa = tuple[int, int]


def _iaa_max(a: Iaa, b: Iaa) -> Iaa:
    """std::max under IndentationAndAlignment::operator< (ties prefer the smaller origin)."""
    if a[0] < b[0] or (a[0] == b[0] and a[1] > b[1]):
        return b
    return a


def _starts_next_parameter(current: FormatToken) -> bool:
    previous = current.previous
    return previous is not None and previous.kind == ","


def _is_alignable_binary_operator(token: FormatToken) -> bool:
    has_two_operands = token.operator_index == 0 and token.next_operator is None
    return (
        token.type == TT_BINARY_OPERATOR
        and not has_two_operands
        and PREC_CONDITIONAL < token.precedence() < PREC_POINTER_TO_MEMBER
    )


def _get_length_to_next_operator(tok: FormatToken) -> int:
    if tok.next_operator is None:
        return 0
    return tok.next_operator.total_length - tok.total_length


def _should_unindent_next_operator(tok: FormatToken) -> bool:
    previous = tok.previous
    return previous is not None and (
        previous.precedence() == PREC_ASSIGNMENT or (previous.kind == KEYWORD and previous.text == "return")
    )


class ContinuationIndenter:
    """The layout rules for one line (ContinuationIndenter.cpp)."""

    def __init__(self, line: Line, style: Style) -> None:
        self.line = line
        self.style = style
        self.column_limit = style.ColumnLimit
        self.continuation_indent_width = style.ContinuationIndentWidth
        # Recorded while not a dry run.
        self.placements: list[Placement | None] = [None] * len(line.tokens)
        self.pieces_aligned = False

    def get_initial_state(self, first_indent: int, dry_run: bool) -> LineState:
        state = LineState()
        state.first_indent = first_indent
        state.column = first_indent
        state.next_token = self.line.tokens[0]
        state.stack = [ParenState(None, first_indent, first_indent, False, False)]
        state.no_continuation = False
        state.start_of_string_literal = 0
        state.no_line_break = False
        state.start_of_line_level = 0
        state.lowest_level_on_line = 0
        state.ignore_stack_for_comparison = False
        state.owned_from = 0
        if not dry_run:
            self.placements[0] = Placement(False, first_indent, first_indent)
        self.move_state_to_next_token(state, dry_run, False)
        return state

    def can_break(self, state: LineState) -> bool:
        current = state.next_token
        assert current is not None
        previous = current.previous
        assert previous is not None
        current_state = state.stack[-1]
        if not current.can_break_before:
            return False
        # Prevents breaks like "...).DoSomething(" that hide "DoSomething".
        if (
            previous.opens_scope()
            and previous.kind != "{"
            and state.lowest_level_on_line < state.start_of_line_level
            and state.lowest_level_on_line < current.nesting_level
        ):
            return False
        if current.is_member_access() and current_state.contains_unwrapped_builder:
            return False
        # Don't break after very short return types (e.g. "void").
        if current.type == TT_FUNCTION_DECLARATION_NAME and state.column < SHORT_RETURN_TYPE_COLUMNS:
            return False
        if current.type != TT_BINARY_OPERATOR and current.kind != "," and current_state.no_line_break_in_operand:
            return False
        return not state.no_line_break and not current_state.no_line_break

    def must_break(self, state: LineState) -> bool:
        current = state.next_token
        assert current is not None
        previous = current.previous
        assert previous is not None
        current_state = state.stack[-1]
        if current.must_break_before:
            return True
        if (
            (_starts_next_parameter(current) or previous.kind == ";" or previous.type == TT_CONDITIONAL_EXPR)
            and current_state.break_before_parameter
            and current.kind not in (")", "}")
        ):
            return True
        new_line_column = self.get_new_line_column(state)[0]
        if (
            current.is_member_access()
            and state.column + _get_length_to_next_operator(current) > self.column_limit
            and (state.column > new_line_column or current.nesting_level < state.start_of_line_level)
        ):
            return True
        if (
            current.is_member_access()
            and previous.closes_scope()
            and (current_state.call_continuation != 0 or current_state.break_before_parameter)
            and not (previous.kind == "}" and state.column <= new_line_column)
        ):
            return True  # startsSegmentOfBuilderTypeCall
        if state.column <= new_line_column:
            return False
        if (
            (
                new_line_column == state.first_indent + self.continuation_indent_width
                or previous.kind == ","
                or current.nesting_level < 2
            )
            and not (previous.kind == KEYWORD and previous.text == "return")
            and previous.kind != "<<"
            and previous.type != TT_CONDITIONAL_EXPR
            and self.next_is_multiline_string(state)
        ):
            return True  # AlwaysBreakBeforeMultilineStrings
        if previous.type == TT_BINARY_OPERATOR and current.can_break_before:
            previous_precedence = previous.precedence()
            if previous_precedence != PREC_ASSIGNMENT and current_state.break_before_parameter:
                lhs_is_binary_expr = previous.previous is not None and previous.previous.ends_binary_expression
                if lhs_is_binary_expr:
                    return True
                is_comparison = (
                    previous_precedence in (PREC_RELATIONAL, PREC_EQUALITY)
                    and previous.previous is not None
                    and previous.previous.type != TT_BINARY_OPERATOR
                )
                if not is_comparison:
                    return True
        elif (
            current.type == TT_BINARY_OPERATOR
            and current.can_break_before
            and current.precedence() != PREC_ASSIGNMENT
            and current_state.break_before_parameter
        ):
            return True
        # Same as above, but for the first "<<" operator.
        if current.kind == "<<" and current_state.break_before_parameter and current_state.first_less_less == 0:
            return True
        if current.type == TT_FUNCTION_DECLARATION_NAME and current_state.break_before_parameter:
            return True  # no line comment or preprocessor line can precede it in our lines
        if previous.block and previous.kind == "{" and current.kind != "}":
            return True
        if current.kind == "<<" and (
            (previous.kind == IDENTIFIER and previous.text == "endl")
            or (
                previous.kind in (NUMERIC, STRING, CHAR)
                and (previous.text.endswith('\\n"') or previous.text == "'\\n'")
            )
        ):
            return True
        if state.no_continuation:
            return True
        return False

    def add_token_to_state(self, state: LineState, newline: bool, dry_run: bool) -> int:
        state.no_continuation = False
        penalty = 0
        if newline:
            penalty = self.add_token_on_new_line(state, dry_run)
        else:
            self.add_token_on_current_line(state, dry_run)
        return self.move_state_to_next_token(state, dry_run, newline) + penalty

    def add_token_on_current_line(self, state: LineState, dry_run: bool) -> None:
        current = state.next_token
        assert current is not None
        previous = current.previous
        assert previous is not None
        current_state = state.top()
        if current.kind == "=" and current.nesting_level == 0 and current_state.variable_pos == 0:
            current_state.variable_pos = state.column
            # Move over * and & if they are bound to the variable name.
            tok: FormatToken | None = previous
            while tok is not None and current_state.variable_pos >= tok.width:
                current_state.variable_pos -= tok.width
                if tok.spaces_required_before != 0:
                    break
                tok = tok.previous
        spaces = current.spaces_required_before
        if not dry_run:
            self.placements[current.index] = Placement(False, spaces, state.column + spaces)
        # Align following lines within parentheses / brackets (AlignAfterOpenBracket: Align).
        if previous.opens_scope():
            current_state.indent = current_state.indent_from = state.column + spaces
            current_state.is_aligned = True
        if current_state.avoid_bin_packing and _starts_next_parameter(current):
            current_state.no_line_break = True
        if current.is_member_access() and previous.closes_scope() and state.column > self.get_new_line_column(state)[0]:
            current_state.contains_unwrapped_builder = True
        if (
            current.is_member_access()
            and previous.kind == ")"
            and previous.matching_paren is not None
            and previous.total_length - previous.matching_paren.total_length > 10
        ):
            # If there is a function call with long parameters, break before trailing calls.
            current_state.no_line_break = True
        # Don't allow the RHS of an operator to be split over multiple lines unless
        # there is a line-break right after the operator.
        p = previous
        if (
            (p.type == TT_BINARY_OPERATOR or p.kind == "," or (p.type == TT_CONDITIONAL_EXPR and p.kind == ":"))
            and p.precedence() != PREC_ASSIGNMENT
            and p.precedence() != PREC_RELATIONAL
        ):
            break_before_operator = p.must_break_before or p.kind == "<<"
            has_two_operands = p.operator_index == 0 and p.next_operator is None and p.type != TT_CONDITIONAL_EXPR
            if (not break_before_operator and not has_two_operands) or (  # AlignOperands: Align
                not current_state.last_operator_wrapped and break_before_operator
            ):
                current_state.no_line_break_in_operand = True
        state.column += spaces
        if previous.kind == "(" and previous.previous is not None and previous.previous.is_if():
            # Treat the condition inside an if as if it was a second function parameter.
            current_state.last_space = state.column
            current_state.nested_block_indent = state.column
        elif previous.kind == ",":
            current_state.last_space = state.column
        elif previous.type == TT_CONDITIONAL_EXPR:
            current_state.last_space = state.column
        elif previous.type == TT_BINARY_OPERATOR and (
            (
                previous.precedence() != PREC_ASSIGNMENT
                and (previous.kind != "<<" or previous.operator_index != 0 or previous.next_operator is not None)
            )
            or current.starts_binary_expression
        ):
            # Indent relative to the RHS of the expression unless this is a simple
            # assignment without binary expression on the RHS.
            current_state.last_space = state.column
        elif previous.opens_scope():
            # If a function has a trailing call, indent all parameters from the opening parenthesis.
            if previous.matching_paren is not None:
                nxt = previous.matching_paren.next
                if (
                    nxt is not None
                    and nxt.is_member_access()
                    and len(state.stack) > 1
                    and state.stack[-2].call_continuation == 0
                ):
                    current_state.last_space = state.column

    def add_token_on_new_line(self, state: LineState, dry_run: bool) -> int:
        current = state.next_token
        assert current is not None
        previous = current.previous
        assert previous is not None
        current_state = state.top()
        penalty = 0
        # The first line break on any NestingLevel causes an extra penalty in order
        # to prefer similar line breaks.
        if not current_state.contains_line_break:
            penalty += FIRST_BREAK_ON_LEVEL_PENALTY
        current_state.contains_line_break = True
        penalty += current.split_penalty
        # Breaking before the first "<<" is generally not desirable if the LHS is short.
        if (
            current.kind == "<<"
            and current_state.first_less_less == 0
            and (state.column <= self.column_limit // 3 or current_state.break_before_parameter)
        ):
            penalty += self.style.PenaltyBreakFirstLessLess
        state.column, indented_from = self.get_new_line_column(state)
        if state.column > state.first_indent:
            penalty += self.style.PenaltyIndentedWhitespace * (state.column - state.first_indent)
        current_state.nested_block_indent = state.column
        if current.is_member_access():
            if current_state.call_continuation == 0:
                current_state.call_continuation = state.column
        if (previous.kind in (",", ";") and not current_state.avoid_bin_packing) or previous.type == TT_BINARY_OPERATOR:
            current_state.break_before_parameter = False
        if current.kind == "?" or previous.kind == "?":
            current_state.break_before_parameter = True
        if current.type == TT_BINARY_OPERATOR and current.can_break_before:
            current_state.break_before_parameter = False
        if not dry_run:
            self.placements[current.index] = Placement(
                True, state.column, state.column, indented_from, current_state.is_aligned
            )
        current_state.last_space = state.column
        if current.kind == "<<":
            current_state.last_space += 3  # the width of "<< "
        state.start_of_line_level = current.nesting_level
        state.lowest_level_on_line = current.nesting_level
        # Any break on this level means that the parent level has been broken
        # and we need to avoid bin packing there.
        for index in range(len(state.stack) - 1):
            if not state.stack[index].break_before_parameter:
                state.mut(index).break_before_parameter = True
        if (
            previous.kind not in (",", ":", ";")
            and previous.type != TT_BINARY_OPERATOR
            and current.type != TT_BINARY_OPERATOR
            and not previous.opens_scope()
        ):
            current_state.break_before_parameter = True
        if previous.kind == "{" and not previous.block:
            current_state.break_before_closing_brace = True
        if current_state.avoid_bin_packing:
            # Breaking after '(' is bin packing unless AllowAll... allows all
            # parameters on the next line.
            if (
                not (previous.kind in ("(", "{") or previous.type == TT_BINARY_OPERATOR)
                or self.line.must_be_declaration  # AllowAllParametersOfDeclarationOnNextLine: false
            ):
                current_state.break_before_parameter = True
        return penalty

    def get_new_line_column(self, state: LineState) -> Iaa:
        """The column of a token that starts a new line, and the column that derives from."""
        current = state.next_token
        if current is None or current.previous is None:
            return (0, 0)
        current_state = state.stack[-1]
        previous = current.previous
        base = _iaa_max(
            (current_state.last_space, current_state.last_space), (current_state.indent, current_state.indent_from)
        )
        continuation_indent = (base[0] + self.continuation_indent_width, base[0])
        if current.kind == "{" and current.block:
            if current.nesting_level == 0:
                return (state.first_indent, state.first_indent)
            return (current_state.indent, current_state.indent_from)
        if current.kind in ("}", "]") and len(state.stack) > 1:
            if current.kind == "}" and current.block:
                column = state.stack[-2].nested_block_indent
                return (column, column)
            return (state.first_indent, state.first_indent)
        if current.kind == ")" and len(state.stack) > 1 and (current.next is None or current.next.kind in (";", "{")):
            column = state.stack[-2].last_space
            return (column, column)
        if current.is_string_literal() and state.start_of_string_literal != 0:
            return (state.start_of_string_literal, state.start_of_string_literal)
        if current.kind == "<<" and current_state.first_less_less != 0:
            return (current_state.first_less_less, current_state.first_less_less)
        if current.is_member_access():
            if current_state.call_continuation == 0:
                return continuation_indent
            return (current_state.call_continuation, current_state.call_continuation)
        if current_state.question_column != 0 and (
            (current.kind == ":" and current.type == TT_CONDITIONAL_EXPR) or previous.type == TT_CONDITIONAL_EXPR
        ):
            if (
                (
                    current.kind == ":"
                    and current.next is not None
                    and current.next.fake_lparens
                    and current.next.fake_lparens[-1] == PREC_CONDITIONAL
                )
                or (previous.kind == ":" and current.fake_lparens and current.fake_lparens[-1] == PREC_CONDITIONAL)
            ) and not current_state.is_wrapped_conditional:
                # AlignOperands: Align, BreakBeforeTernaryOperators: false
                return (current_state.indent - self.continuation_indent_width, current_state.indent)
            return (current_state.question_column, current_state.question_column)
        if previous.kind == "," and current_state.variable_pos != 0:
            return (current_state.variable_pos, current_state.variable_pos)
        if current.type == TT_FUNCTION_DECLARATION_NAME:  # IndentWrappedFunctionNames: false
            return base
        if current.kind == "[" and current.type == TT_ARRAY_SUBSCRIPT_LSQUARE:
            if current_state.start_of_array_subscripts != 0:
                return (current_state.start_of_array_subscripts, current_state.start_of_array_subscripts)
            return continuation_indent
        if current.type in (TT_START_OF_NAME, TT_POINTER_OR_REFERENCE) or previous.kind == "=":
            return continuation_indent
        if previous.kind == ")" and not current.is_binary_operator() and current.kind != ":":
            return continuation_indent
        if current_state.indent == state.first_indent and previous.kind != "}":
            # Ensure that we fall back to the continuation indent width instead of
            # just flushing continuations left.
            return (current_state.indent + self.continuation_indent_width, current_state.indent)
        return (current_state.indent, current_state.indent_from)

    def move_state_to_next_token(self, state: LineState, dry_run: bool, newline: bool) -> int:
        current = state.next_token
        assert current is not None
        current_state = state.top()
        if current.kind == "," or current.type == TT_BINARY_OPERATOR:
            current_state.no_line_break_in_operand = False
        if current.kind == "<<":
            if current_state.first_less_less == 0:
                current_state.first_less_less = state.column
            else:
                current_state.last_operator_wrapped = newline
        if current.type == TT_BINARY_OPERATOR and current.kind != "<<":
            current_state.last_operator_wrapped = newline
        if (
            current.type == TT_CONDITIONAL_EXPR
            and current.previous is not None
            and current.previous.type != TT_CONDITIONAL_EXPR
        ):
            current_state.last_operator_wrapped = newline
        if current.type == TT_ARRAY_SUBSCRIPT_LSQUARE and current_state.start_of_array_subscripts == 0:
            current_state.start_of_array_subscripts = state.column
        if current.kind == "?" and current.type == TT_CONDITIONAL_EXPR:
            nxt = current.next
            if current.must_break_before or (nxt is not None and nxt.must_break_before):
                current_state.is_wrapped_conditional = True
        # BreakBeforeTernaryOperators: false
        if current.kind != ":" and current.previous is not None and current.previous.kind == "?":
            current_state.question_column = state.column
        if not current.opens_scope() and not current.closes_scope() and current.type != TT_POINTER_OR_REFERENCE:
            state.lowest_level_on_line = min(state.lowest_level_on_line, current.nesting_level)
        if current.is_member_access():
            current_state.start_of_function_call = 0 if current.next_operator is None else state.column
        if current.type in (TT_BINARY_OPERATOR, TT_CONDITIONAL_EXPR) and newline:
            current_state.nested_block_indent = state.column + current.width + 1
        previous = current.previous
        if previous is not None and (
            previous.type in (TT_BINARY_OPERATOR, TT_CONDITIONAL_EXPR) or previous.kind in ("(", ",", ":")
        ):
            current_state.nested_block_inlined = not newline and (previous.kind != "(" or previous.parameter_count > 1)
        self.move_state_past_fake_lparens(state, newline)
        self.move_state_past_scope_closer(state)
        allow_break = not state.stack[-1].no_line_break and not state.stack[-1].no_line_break_in_operand
        self.move_state_past_scope_opener(state, newline)
        self.pieces_aligned = state.stack[-1].is_aligned  # where later pieces of a split literal go
        self.move_state_past_fake_rparens(state)
        if current.is_string_literal() and state.start_of_string_literal == 0:
            state.start_of_string_literal = state.column
        elif current.kind not in (IDENTIFIER, "#") and not current.is_string_literal():
            state.start_of_string_literal = 0
        state.column += current.width
        state.next_token = current.next
        return self.handle_end_of_line(current, state, dry_run, allow_break, newline)

    def move_state_past_fake_lparens(self, state: LineState, newline: bool) -> None:
        current = state.next_token
        assert current is not None
        if not current.fake_lparens:
            return
        previous = current.previous
        # Don't add extra indentation for the first fake parenthesis after
        # 'return', assignments or opening <({[.
        skip_first_extra_indent = previous is not None and (
            previous.opens_scope()
            or previous.kind == ";"
            or (previous.kind == KEYWORD and previous.text == "return")
            or previous.precedence() == PREC_ASSIGNMENT
        )
        last = len(current.fake_lparens) - 1
        for position in range(last, -1, -1):
            precedence_level = current.fake_lparens[position]
            current_state = state.stack[-1]
            new_state = current_state.copy()
            new_state.tok = None
            new_state.contains_line_break = False
            new_state.last_operator_wrapped = True
            new_state.is_chained_conditional = False
            new_state.is_wrapped_conditional = False
            new_state.unindent_operator = False
            new_state.no_line_break = new_state.no_line_break or current_state.no_line_break_in_operand
            if precedence_level > PREC_COMMA:
                new_state.avoid_bin_packing = False
            # Indent from 'LastSpace' unless these are fake parentheses encapsulating
            # a builder type call after 'return'.
            if previous is None or not (previous.kind == KEYWORD and previous.text == "return") or precedence_level > 0:
                new_state.indent, new_state.indent_from = _iaa_max(
                    _iaa_max((state.column, state.column), (new_state.indent, new_state.indent_from)),
                    (current_state.last_space, current_state.last_space),
                )
            if (
                _should_unindent_next_operator(current)
                or (
                    previous is not None
                    and precedence_level == PREC_CONDITIONAL
                    and previous.kind == "?"
                    and previous.type == TT_CONDITIONAL_EXPR
                )
            ) and not newline:
                new_state.is_aligned = True  # AlignOperands: Align
            # Do not indent relative to the fake parentheses inserted for "." or "->".
            if precedence_level > PREC_UNKNOWN:
                new_state.last_space = max(new_state.last_space, state.column)
            if precedence_level != PREC_CONDITIONAL and current.type != TT_UNARY_OPERATOR:
                new_state.start_of_function_call = state.column
            # Indent conditional expressions, unless they are chained "else-if" conditionals.
            if (
                precedence_level == PREC_CONDITIONAL
                and previous is not None
                and previous.kind == ":"
                and previous.type == TT_CONDITIONAL_EXPR
                and position == last
                and not current_state.is_wrapped_conditional
            ):
                new_state.is_chained_conditional = True
                new_state.unindent_operator = state.stack[-1].unindent_operator
            elif precedence_level == PREC_CONDITIONAL or (
                not skip_first_extra_indent and precedence_level > PREC_ASSIGNMENT
            ):
                new_state.indent_from = new_state.indent
                new_state.indent += self.continuation_indent_width
            if (previous is not None and not previous.opens_scope()) or precedence_level != PREC_COMMA:
                new_state.break_before_parameter = False
            state.stack.append(new_state)
            skip_first_extra_indent = False

    def move_state_past_fake_rparens(self, state: LineState) -> None:
        nxt = state.next_token
        assert nxt is not None
        for _ in range(nxt.fake_rparens):
            variable_pos = state.stack[-1].variable_pos
            if len(state.stack) == 1:
                break
            state.pop()
            if state.stack[-1].variable_pos != variable_pos:
                state.top().variable_pos = variable_pos

    def move_state_past_scope_opener(self, state: LineState, newline: bool) -> None:
        current = state.next_token
        assert current is not None
        if not current.opens_scope():
            return
        current_state = state.stack[-1]
        if current.matching_paren is not None and current.block:
            self.move_state_to_new_block(state)
            return
        last_space = current_state.last_space
        nested_block_indent = max(current_state.start_of_function_call, current_state.nested_block_indent)
        indent_base = max(current_state.last_space, current_state.start_of_function_call)
        new_indent = self.continuation_indent_width + indent_base
        # BinPackParameters: OnePerLine (not BinPack) for declarations; BinPackArguments: true.
        avoid_bin_packing = self.line.must_be_declaration
        no_line_break = current_state.no_line_break or current_state.no_line_break_in_operand
        new_state = ParenState(current, new_indent, last_space, avoid_bin_packing, no_line_break)
        new_state.indent_from = indent_base
        new_state.nested_block_indent = nested_block_indent
        new_state.break_before_parameter = False
        state.stack.append(new_state)

    def move_state_past_scope_closer(self, state: LineState) -> None:
        current = state.next_token
        assert current is not None
        if not current.closes_scope():
            return
        if len(state.stack) > 1 and (current.kind in (")", "]") or (current.kind == "}" and current.index != 0)):
            state.pop()
        if current.kind == "]":
            nxt = current.next
            if nxt is not None and nxt.kind != "[":
                state.top().start_of_array_subscripts = 0

    def move_state_to_new_block(self, state: LineState) -> None:
        current = state.next_token
        assert current is not None
        nested_block_indent = state.stack[-1].nested_block_indent
        new_state = ParenState(
            current, nested_block_indent + self.style.IndentWidth, state.stack[-1].last_space, True, False
        )
        new_state.indent_from = nested_block_indent
        new_state.nested_block_indent = nested_block_indent
        new_state.break_before_parameter = True
        state.stack.append(new_state)

    def handle_end_of_line(
        self, current: FormatToken, state: LineState, dry_run: bool, allow_break: bool, newline: bool
    ) -> int:
        penalty = 0
        if current.is_string_literal():
            penalty = self.break_protruding_token(current, state, allow_break, dry_run)
        if state.column > self.column_limit:
            penalty += self.style.PenaltyExcessCharacter * (state.column - self.column_limit)
        return penalty

    def break_protruding_token(self, current: FormatToken, state: LineState, allow_break: bool, dry_run: bool) -> int:
        """BreakStringLiterals: split a string literal that runs past the limit (BreakableStringLiteral)."""
        if not allow_break:
            return 0
        text = current.text
        if not (text.startswith('"') and text.endswith('"')) or len(text) < 2:
            return 0
        unbreakable_tail_length = (
            0 if state.next_token is not None and self.can_break(state) else current.unbreakable_tail_length
        )
        if current.unbreakable_tail_length >= self.column_limit:
            return 0
        start_column = state.column - current.width
        content = text[1:-1]
        content_start_column = start_column + 1  # after the prefix '"'

        def remaining(offset: int) -> int:
            return unbreakable_tail_length + 1 + len(content) - offset

        tail_offset = 0
        remaining_columns = remaining(0)
        penalty = 0
        break_inserted = False
        cuts: list[int] = []
        while content_start_column + remaining_columns > self.column_limit:
            split = string_split(content[tail_offset:], content_start_column, self.column_limit - 1)
            if split is None:
                break
            new_remaining = remaining(tail_offset + split)
            if new_remaining >= remaining_columns:
                break
            penalty += self.style.PenaltyBreakString
            tail_offset += split
            cuts.append(tail_offset)
            remaining_columns = new_remaining
            break_inserted = True
        state.column = content_start_column + remaining_columns - current.unbreakable_tail_length
        if break_inserted:
            if not dry_run:
                pieces = []
                begin = 0
                for cut in cuts:
                    pieces.append('"' + content[begin:cut] + '"')
                    begin = cut
                pieces.append('"' + content[begin:] + '"')
                placement = self.placements[current.index]
                assert placement is not None
                placement.pieces = pieces
                placement.pieces_aligned = self.pieces_aligned
            # Break before the next parameter on all levels.
            for index in range(len(state.stack)):
                if not state.stack[index].break_before_parameter:
                    state.mut(index).break_before_parameter = True
            state.top().last_space = start_column
        return penalty

    def next_is_multiline_string(self, state: LineState) -> bool:
        current = state.next_token
        assert current is not None
        if not current.is_string_literal():
            return False
        if current.next is not None and current.next.is_string_literal():
            return True  # implicit concatenation
        return state.column + current.width + current.unbreakable_tail_length > self.column_limit


# -- UnwrappedLineFormatter --------------------------------------------------------------------


class _Node:
    __slots__ = ("state", "newline", "previous")

    def __init__(self, state: LineState, newline: bool, previous: _Node | None) -> None:
        self.state = state
        self.newline = newline
        self.previous = previous


def format_line(line: Line, first_indent: int, style: Style) -> list[Placement]:
    """Lay out one annotated line starting at ``first_indent``: each token's placement."""
    indenter = ContinuationIndenter(line, style)
    last = line.tokens[-1]
    if last.total_length + first_indent <= style.ColumnLimit:
        # NoLineBreakFormatter
        state = indenter.get_initial_state(first_indent, dry_run=False)
        while state.next_token is not None:
            indenter.add_token_to_state(state, state.next_token.must_break_before, dry_run=False)
    else:
        _analyze_solution_space(indenter, first_indent)
    placements = indenter.placements
    assert all(p is not None for p in placements)
    return placements  # type: ignore[return-value]


def _analyze_solution_space(indenter: ContinuationIndenter, first_indent: int) -> None:
    """OptimizingLineFormatter: the cheapest layout, found by Dijkstra over LineStates."""
    initial = indenter.get_initial_state(first_indent, dry_run=True)
    seen: set[tuple[object, ...]] = set()
    count = 0
    queue: list[tuple[int, int, _Node]] = [(0, count, _Node(initial, False, None))]
    count += 1
    best: _Node | None = None
    while queue:
        penalty, _, node = queue[0]
        if node.state.next_token is None:
            best = node
            break
        heapq.heappop(queue)
        if count > 50000:
            node.state.ignore_stack_for_comparison = True
        key = node.state.key()
        if key in seen:
            continue
        seen.add(key)
        for newline in (False, True):
            if newline and not indenter.can_break(node.state):
                continue
            if not newline and indenter.must_break(node.state):
                continue
            state = node.state.copy()
            cost = penalty + indenter.add_token_to_state(state, newline, dry_run=True)
            heapq.heappush(queue, (cost, count, _Node(state, newline, node)))
            count += 1
    if best is None:
        # clang-format leaves such a line as it is; expressions that lead here are
        # refused by cexpr, so this is a bug.
        raise ValueError("no layout: " + " ".join(t.text for t in indenter.line.tokens))
    path: list[_Node] = []
    node = best
    while node.previous is not None:
        path.append(node)
        node = node.previous
    state = indenter.get_initial_state(first_indent, dry_run=False)
    for step in reversed(path):
        indenter.add_token_to_state(state, step.newline, dry_run=False)
