"""Line breaking: where clang-format (ggml style) breaks a line that does not fit.

Options: ColumnLimit, ContinuationIndentWidth, BinPackParameters (OnePerLine),
AllowAllParametersOfDeclarationOnNextLine (false), AlignAfterOpenBracket
(Align), BreakAfterReturnType (None), PenaltyExcessCharacter,
PenaltyReturnTypeOnItsOwnLine, PenaltyBreakOpenParenthesis, BreakStringLiterals.

* Penalties: what clang-format's optimizer charges for a line break, named
  after the constants of clang-format's sources (:mod:`.linebreak`, the
  function bodies' line breaker, uses the same).
* Declarations (and function heads): broken as clang-format's optimizer
  would, by comparing the costs of the few shapes its options allow.
* Enumerators and dispatch-table entries: where they break.
* String literals: where clang-format splits one (:func:`string_split`, for
  headers and bodies).

The declarations of headers are not given to :mod:`.linebreak` (the port of
clang-format's whole optimizer, which breaks function bodies' statements):
their shapes are few, and comparing their costs here is about 16 times
faster per broken declaration than the general search, which the
10,000-function specs of the benchmark need.  The penalties both use are the
constants below.

Breaking happens before alignment and knows nothing about it, exactly as in
clang-format: each line is broken on its own, as if it started at its
indentation, and the aligner shifts the result afterwards.  A declaration's
result is its part of the aligner's input: :class:`~.alignment.Change`
records for runs of tokens that stay together, cut where alignment needs to
see a token on its own (the names it aligns, the opening parenthesis, line
starts).
"""

from __future__ import annotations

from .alignment import DECLARATION, Change, Level, MarkedChange
from .spelling import hides_next_name

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .style import Style


# -- Penalties --------------------------------------------------------------------------------
#
# clang-format chooses line breaks by cost: each break costs its token's split
# penalty (TokenAnnotator::splitPenalty plus 20 * BindingStrength), plus 15
# for the first break at each nesting level
# (ContinuationIndenter::addTokenOnNewLine), and every column past the limit
# costs PenaltyExcessCharacter.  The constants below are the ones the
# declarations of our headers meet; the style options among them are read
# from the Style.

#: ``TokenAnnotator::calculateFormattingInformation``: a token's split penalty
#: grows by this much per level of binding strength.
BINDING_STRENGTH_FACTOR = 20
#: Binding strength outside any parenthesis (``AnnotatingParser``'s first
#: context); each parenthesis level adds one (``ScopedContextCreator``).
TOP_LEVEL_BINDING_STRENGTH = 1

#: splitPenalty before a name (``TT_StartOfName``) inside parentheses, e.g. a parameter's name.
START_OF_NAME_PENALTY = 200
#: splitPenalty after the ``(`` of a function declaration, when AlignAfterOpenBracket is not DontAlign.
AFTER_DECLARATION_OPEN_PAREN_PENALTY = 100
#: splitPenalty after a comma.
AFTER_COMMA_PENALTY = 1
#: splitPenalty after ``struct``, ``class`` or ``union``.
AFTER_RECORD_KEYWORD_PENALTY = 5000
#: ``ContinuationIndenter::addTokenOnNewLine``: the first line break at each
#: nesting level costs this much more, so that similar breaks are preferred.
FIRST_BREAK_ON_LEVEL_PENALTY = 15
#: ``ContinuationIndenter::canBreak``: with ``BreakAfterReturnType: None``,
#: no break before a function's name when the line so far is narrower than this.
SHORT_RETURN_TYPE_COLUMNS = 6


def binding(nesting: int) -> int:
    """What the binding strength adds to a split penalty, at a parenthesis nesting level."""
    return BINDING_STRENGTH_FACTOR * (TOP_LEVEL_BINDING_STRENGTH + nesting)


def penalty_before_function_name(style: Style) -> int:
    """Breaking between a declaration's return type and its name (nesting level 0)."""
    return style.PenaltyReturnTypeOnItsOwnLine + binding(0)


def penalty_before_parameter_name() -> int:
    """Breaking between a parameter's type and its name (nesting level 1)."""
    return START_OF_NAME_PENALTY + binding(1)


def penalty_after_open_paren(style: Style) -> int:
    """Breaking after a declaration's ``(``, before its first parameter (nesting level 1)."""
    if style.PenaltyBreakOpenParenthesis:
        return style.PenaltyBreakOpenParenthesis + binding(1)
    return AFTER_DECLARATION_OPEN_PAREN_PENALTY + binding(1)  # AlignAfterOpenBracket is not DontAlign


def penalty_after_comma() -> int:
    """Breaking after a comma of a parameter list (nesting level 1)."""
    return AFTER_COMMA_PENALTY + binding(1)


def penalty_after_record_keyword(nesting: int) -> int:
    """Breaking after ``struct``/``class``/``union`` in a type."""
    return AFTER_RECORD_KEYWORD_PENALTY + binding(nesting)


# -- Declarations -----------------------------------------------------------------------------

# Token kinds of a declaration.
RET, NAME, LPAREN, TYPE, PNAME, COMMA, RPAREN, END = "ret", "name", "(", "type", "pname", ",", ")", "end"
#: A parameter name clang-format does not see as one (see spelling.hides_next_name):
#: not aligned, no line break before it.
QNAME = "qname"


class DeclTokens:
    """The tokens of ``RET NAME(PARAMS)END`` as clang-format's line breaker sees them, one list per property.

    Token ``i`` has ``kinds[i]`` (RET, NAME, ...), ``spaces[i]`` before it
    when it follows on the same line, ``widths[i]``, and ``penalties[i]``:
    the split penalty of a line break before it, 0 where clang-format cannot
    break.  ``name`` is the index of the function's name, ``first`` and
    ``names`` those of each parameter's first token and name.
    """

    __slots__ = ("kinds", "spaces", "widths", "penalties", "name", "first", "names", "prefix")

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.spaces: list[int] = []
        self.widths: list[int] = []
        self.penalties: list[int] = []
        self.name = 0
        self.first: list[int] = []
        self.names: list[int] = []
        self.prefix = [0]  # the width of tokens [0, i) on one line, for each i

    def add(self, kind: str, text: str, space: int, penalty: int) -> None:
        self.kinds.append(kind)
        self.spaces.append(space)
        self.widths.append(len(text))
        self.penalties.append(penalty)
        self.prefix.append(self.prefix[-1] + space + len(text))


def declaration_tokens(
    ret: tuple[str, ...], name: str, params: list[tuple[tuple[str, ...], str]], style: Style, end: str = ";"
) -> DeclTokens:
    """The tokens of a declaration, with clang-format's break permissions and penalties.

    See the penalties above: with ggml's values, 220 before the name, 140 after
    ``(``, 41 after a comma, 240 before a parameter name, 5000 (+ binding)
    after ``struct``.  No break is possible around ``*``, after qualifiers and
    type words, or before ``,`` ``)`` and the end (``;`` or `` {``).
    """
    after_name = penalty_before_function_name(style)
    before_pname = penalty_before_parameter_name()
    first_param = penalty_after_open_paren(style)
    next_param = penalty_after_comma()
    toks = DeclTokens()
    add = toks.add

    def type_words(words: tuple[str, ...], kind: str, level: int, first_space: int, first_penalty: int) -> None:
        add(kind, words[0], first_space, first_penalty)
        previous = words[0]
        for word in words[1:]:
            if (previous == "struct" or previous == "class") and word[0] != "*":
                add(kind, word, 1, penalty_after_record_keyword(level))
            else:
                add(kind, word, 1, 0)
            previous = word

    type_words(ret, RET, 0, 0, 0)  # the first token of the line
    toks.name = len(toks.kinds)
    add(NAME, name, 1, after_name)
    add(LPAREN, "(", 0, 0)
    for index, (words, pname) in enumerate(params):
        if index:
            add(COMMA, ",", 0, 0)
        toks.first.append(len(toks.kinds))
        type_words(words, TYPE, 1, 1 if index else 0, next_param if index else first_param)
        toks.names.append(len(toks.kinds))
        if hides_next_name(words):
            add(QNAME, pname, 1, 0)
        else:
            add(PNAME, pname, 1, before_pname)
    add(RPAREN, ")", 0, 0)
    stripped = end.lstrip()
    add(END, stripped, len(end) - len(stripped), 0)
    return toks


class _Runs:
    """Excess over the limit of contiguous token runs placed on one line, fast.

    clang-format charges the excess of every token that ends past the limit;
    a run that fits costs nothing, which is checked in O(1) with prefix sums.
    """

    def __init__(self, toks: DeclTokens, limit: int):
        self.spaces = toks.spaces
        self.widths = toks.widths
        self.prefix = toks.prefix
        self.limit = limit

    def end(self, start: int, stop: int, column: int) -> int:
        """The column after tokens ``start:stop`` placed from ``column``."""
        return column + self.prefix[stop] - self.prefix[start] - self.spaces[start]

    def excess(self, start: int, stop: int, column: int) -> int:
        if start >= stop or self.end(start, stop, column) <= self.limit:
            return 0
        excess = 0
        spaces, widths, limit = self.spaces, self.widths, self.limit
        for i in range(start, stop):
            if i > start:
                column += spaces[i]
            column += widths[i]
            if column > limit:
                excess += column - limit
        return excess


def _subsets(items: list[int]) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [()]
    for item in items:
        out += [subset + (item,) for subset in out]
    return out


def choose_breaks(toks: DeclTokens, n_params: int, style: Style, indent: int) -> tuple[list[bool], int]:
    """The breaks clang-format's optimizer picks, and the column parameters start at.

    Rather than replaying clang-format's search over every break decision, this
    enumerates the few shapes its constraints allow (ContinuationIndenter with
    ``BinPackParameters: OnePerLine``, ``AllowAllParametersOfDeclarationOnNextLine:
    false``, ``AlignAfterOpenBracket: Align``) and takes the cheapest:

    * return type on the name's line, or on its own (then the name at column 0);
    * parameters on the name's line, or one per line aligned after ``(``, or
      one per line at ContinuationIndentWidth after a break after ``(``;
    * inside a parameter that does not fit, a break before its name
      (+ContinuationIndentWidth) or after ``struct``, whichever costs least.

    Cost is PenaltyExcessCharacter per column past the limit per token, plus
    the split penalties and FIRST_BREAK_ON_LEVEL_PENALTY for the first break in each
    parenthesis level.  Ties go to the shape found first, in clang-format's
    order.  This agrees with clang-format 20 to 23 on every declaration tested.

    Columns are counted from ``indent``, where the declaration starts.
    """
    limit = style.ColumnLimit - indent
    continuation = style.ContinuationIndentWidth
    excess_penalty = style.PenaltyExcessCharacter
    first_break = FIRST_BREAK_ON_LEVEL_PENALTY
    runs = _Runs(toks, limit)
    split_penalty = toks.penalties  # 0 where no break is possible
    n_tok = len(split_penalty)
    name_i = toks.name
    lp_i = name_i + 1
    end_i = n_tok - 1
    first = toks.first  # first token of each parameter
    names = toks.names  # the name of each parameter
    # The end of each parameter with what follows it on its line (',' or ');').
    stop = [index + 2 for index in names[:-1]] + [end_i + 1] if names else []
    ret_struct = [i for i in range(1, name_i) if split_penalty[i]]

    best_of_param: dict[tuple[int, int], tuple[int, tuple[int, ...]]] = {}

    def param_best(p: int, column: int) -> tuple[int, tuple[int, ...]]:
        start, end = first[p], stop[p]
        if runs.end(start, end, column) <= limit:
            return 0, ()
        known = best_of_param.get((p, column))
        if known is not None:
            return known
        name = names[p]
        struct_points = [i for i in range(start + 1, name) if split_penalty[i]]
        best: tuple[int, int, tuple[int, ...]] | None = None
        order = 0
        for subset in _subsets(struct_points):
            for name_break in (False, True) if split_penalty[name] else (False,):
                cuts = sorted(set(subset) | ({name} if name_break else set()))
                excess = 0
                seg_start, seg_col = start, column
                for cut in cuts:
                    excess += runs.excess(seg_start, cut, seg_col)
                    seg_start = cut
                    seg_col = column + continuation if cut == name else column
                excess += runs.excess(seg_start, end, seg_col)
                penalty = len(subset) * split_penalty[struct_points[0]] if subset else 0
                penalty += split_penalty[name] if name_break else 0
                candidate = (excess * excess_penalty + penalty, order, tuple(cuts))
                order += 1
                if best is None or candidate < best:
                    best = candidate
        assert best is not None
        best_of_param[p, column] = best[0], best[2]
        return best[0], best[2]

    later_params = sum(split_penalty[first[p]] for p in range(1, n_params))  # breaks before them
    best_cost = -1
    best_shape: tuple[tuple[int, ...] | None, bool, bool, int, list[tuple[int, ...]]] | None = None
    for ret_subset in [None, *_subsets(ret_struct)]:
        cost = 0
        if ret_subset is None:  # the name follows the return type
            cost += runs.excess(0, lp_i + 1, 0) * excess_penalty
            column = runs.end(0, lp_i + 1, 0)
            base = 0
        else:  # the return type on its own line(s)
            seg_start, column = 0, 0
            for cut in [*ret_subset, name_i]:
                cost += runs.excess(seg_start, cut, column) * excess_penalty
                end_column = runs.end(seg_start, cut, column)
                seg_start, column = cut, continuation
            if indent + end_column < SHORT_RETURN_TYPE_COLUMNS:  # BreakAfterReturnType: None
                continue
            cost += first_break + split_penalty[name_i] + sum(split_penalty[i] for i in ret_subset)
            base = continuation if ret_subset else 0
            cost += runs.excess(name_i, lp_i + 1, base) * excess_penalty
            column = runs.end(name_i, lp_i + 1, base)
        name_line_end = column
        for break_paren in (False, True):
            for one_per_line in (False, True) if n_params >= 2 else (True,):
                if break_paren and not one_per_line:
                    continue
                c = cost
                param_column = name_line_end
                cuts: list[tuple[int, ...]] = []
                if not one_per_line:  # all parameters on the name's line
                    c += (runs.excess(lp_i, n_tok, name_line_end - 1) - max(0, name_line_end - limit)) * excess_penalty
                else:
                    if break_paren:
                        param_column = continuation + base
                        c += first_break + split_penalty[lp_i + 1]
                    if n_params >= 2:
                        c += first_break + later_params
                    inner = False
                    for p in range(n_params):
                        p_cost, p_cuts = param_best(p, param_column)
                        c += p_cost
                        if p_cuts:
                            cuts.append(p_cuts)
                            inner = True
                    if n_params == 1 and inner and not break_paren:
                        c += first_break
                if best_shape is None or c < best_cost:  # ties: the first shape found
                    best_cost = c
                    best_shape = (ret_subset, break_paren, one_per_line, param_column, cuts)
    assert best_shape is not None
    ret_subset, break_paren, one_per_line, param_column, cuts = best_shape
    breaks = [False] * n_tok
    if ret_subset is not None:
        for i in ret_subset:
            breaks[i] = True
        breaks[name_i] = True
    if one_per_line:
        if break_paren:
            breaks[lp_i + 1] = True
        for p in range(1, n_params):
            breaks[first[p]] = True
        for p_cuts in cuts:
            for i in p_cuts:
                breaks[i] = True
    return breaks, param_column


class _Out:
    """Where the changes of a declaration go, and what they start from."""

    __slots__ = ("changes", "newlines", "outside", "inside", "name_role")

    def __init__(self, changes: list[Change], newlines: int, level: Level, name_role: int) -> None:
        self.changes = changes
        self.newlines = newlines  # before the declaration's first line
        self.outside = level  # the level of what is outside the parentheses
        self.inside = (level[0], level[1] + 1)
        self.name_role = name_role  # DECLARATION, or 0 for a name not to align


def _one_line(ret: str, name: str, rest: str, indent: int, out: _Out, name_starts_line: bool = False) -> None:
    # The parameters stay on the name's line: nothing after the name is
    # aligned, so the name carries the rest of its line (for a name aligned to
    # the left, the aligner measures the same width to the right either way).
    level = out.outside
    out.changes.append(Change(ret, out.newlines, indent, level, indent, indent))
    if name_starts_line:
        out.changes.append(Change(name + rest, 1, indent, level, indent, indent, out.name_role))
    else:
        out.changes.append(Change(name + rest, 0, 1, level, indent + len(ret) + 1, 0, out.name_role))


def layout_declaration(
    ret: tuple[str, ...],
    name: str,
    params: list[tuple[tuple[str, ...], str]],
    style: Style,
    end: str,
    indent: int,
    level: Level,
    newlines: int,
    changes: list[Change],
    name_role: int = DECLARATION,
) -> None:
    """Break ``RET NAME(PARAMS)END`` as clang-format (ggml style) does, if it does not fit.

    ``end`` is what closes it: ``;`` for a declaration, `` {`` for a
    function definition's head (BraceWrapping AfterFunction: false).  The
    declaration starts a line at column ``indent``, at ``level``, after
    ``newlines`` line breaks; its changes are appended to ``changes``.  Lines
    that start inside the parentheses carry the column their position derives
    from: the parenthesis for parameters aligned after it (they move with the
    declaration when it is aligned), the start of the declaration otherwise.
    Its name has ``name_role`` for the aligner, its parameters' names
    DECLARATION.
    """
    out = _Out(changes, newlines, level, name_role)
    ret_text = " ".join(ret)
    param_texts = [" ".join(words) + " " + pname for words, pname in params]
    rest = "(" + ", ".join(param_texts) + ")" + end
    if indent + len(ret_text) + 1 + len(name) + len(rest) <= style.ColumnLimit:
        _one_line(ret_text, name, rest, indent, out)
        return
    toks = declaration_tokens(ret, name, params, style, end)
    name_i = toks.name
    breaks, param_column = choose_breaks(toks, len(params), style, indent)
    first_param = name_i + 2
    if any(breaks[first_param:]) or (breaks[name_i] and any(breaks[1:name_i])):
        # (the latter, rare: the return type itself is broken after 'struct')
        _broken(ret, name, params, end, breaks, param_column, style, indent, out)
    else:  # the parameters stay on one line, after the name
        _one_line(ret_text, name, rest, indent, out, breaks[name_i])


def _broken(
    ret: tuple[str, ...],
    name: str,
    params: list[tuple[tuple[str, ...], str]],
    end: str,
    breaks: list[bool],
    param_column: int,
    style: Style,
    indent: int,
    out: _Out,
) -> None:
    """The changes of a broken declaration, with each line's column and the column it derives from.

    A change holds what stays together: the return type (or each of its lines
    when it breaks after ``struct``), the name, the parenthesis, each
    parameter's type (or each of its lines), each parameter's name with the
    ``,`` or ``)`` and end after it (with the type, for a name clang-format
    does not see as one).  ``breaks`` are the breaks before each
    token (see :func:`declaration_tokens`); ``param_column`` is where
    parameters that start a line start.
    """
    continuation = style.ContinuationIndentWidth
    changes = out.changes
    outside, inside = out.outside, out.inside
    name_i = len(ret)
    base = continuation if True in breaks[1:name_i] else 0  # where the name's line starts
    # The return type, then the name: after it, or starting a line.
    current = Change(ret[0], out.newlines, indent, outside, indent, indent)
    changes.append(current)
    current = _type_words(changes, current, ret, breaks, 0, continuation, 0, outside, indent)
    if breaks[name_i]:
        head = Change(name, 1, indent + base, outside, indent + base, indent + base, out.name_role)
    else:
        head = Change(name, 0, 1, outside, current.start_col + current.length + 1, 0, out.name_role)
    paren = MarkedChange("(", 0, 0, outside, head.start_col + head.length)  # its 'matching' is set below
    changes += (head, paren)
    if not params:  # ')' goes with the parenthesis's level, the end outside it
        close = Change(")", 0, 0, inside, paren.start_col + 1)
        stripped = end.lstrip()
        spaces = len(end) - len(stripped)
        changes += (close, Change(stripped, 0, spaces, outside, close.start_col + 1 + spaces))
        paren.matching = len(changes) - 1
        return
    first = name_i + 2  # the token that starts the parameter
    breaks_after_paren = breaks[first]
    last = len(params) - 1
    for p, (words, pname) in enumerate(params):
        if breaks[first]:  # the parameter starts a line
            column = param_column
            anchor = base if breaks_after_paren else param_column
            current = Change(words[0], 1, indent + column, inside, indent + column, indent + anchor)
            changes.append(current)
        elif p == 0:  # right after the parenthesis
            column = anchor = paren.start_col + 1 - indent
            current = Change(words[0], 0, 0, inside, paren.start_col + 1)
            changes.append(current)
        else:  # after the previous parameter's ', ', in its change
            column = anchor = current.start_col + current.length + 1 - indent
            current.text += " " + words[0]
            current.length = len(current.text)
        current = _type_words(changes, current, words, breaks, first, column, anchor, inside, indent)
        pname_i = first + len(words)
        text = pname + ("," if p < last else ")" + end)
        if hides_next_name(words):  # not a name to clang-format: it stays with the type
            current.text += " " + text
            current.length = len(current.text)
        else:
            if breaks[pname_i]:
                at = column + continuation
                current = Change(text, 1, indent + at, inside, indent + at, indent + anchor, DECLARATION)
            else:
                current = Change(text, 0, 1, inside, current.start_col + current.length + 1, 0, DECLARATION)
            changes.append(current)
        first = pname_i + 2  # after the name and the comma
    paren.matching = len(changes) - 1


def _type_words(
    changes: list[Change],
    current: Change,
    words: tuple[str, ...],
    breaks: list[bool],
    first: int,
    break_column: int,
    break_anchor: int,
    level: Level,
    indent: int,
) -> Change:
    """Add the words of a type after its first (in ``current``); return the change that holds the last.

    ``first`` is the index of the type's first token; where the type breaks
    (after ``struct``), the next word starts a line at ``break_column``,
    derived from ``break_anchor``.
    """
    if len(words) == 1:
        return current
    if True not in breaks[first + 1 : first + len(words)]:  # the usual case: on one line
        current.text += " " + " ".join(words[1:])
        current.length = len(current.text)
        return current
    for index in range(1, len(words)):
        if breaks[first + index]:
            at = indent + break_column
            current = Change(words[index], 1, at, level, at, indent + break_anchor)
            changes.append(current)
        else:
            current.text += " " + words[index]
            current.length = len(current.text)
    return current


# -- Enumerators and initializer-list entries -------------------------------------------------


def enum_value_breaks(indent: int, name: str, value: str, style: Style) -> bool:
    """Whether ``NAME = VALUE,`` is broken after the ``=`` (the value then goes on a continuation line).

    The comma counts: nothing can be broken between the value and it.
    """
    return indent + len(name) + len(" = ") + len(value) + len(",") > style.ColumnLimit


def table_entry_lines(indent: int, head: str, tail: str, note: bool, style: Style) -> list[str]:
    """Lines of a dispatch-table entry ``HEAD TAIL,`` (without indentation).

    ``head`` is the ``/* ENUM  = */`` comment, ``tail`` the handler (with its
    ``/* DEPRECATED */`` note when ``note``).  The entry breaks after the head
    comment when it does not fit; a trailing note keeps the comma off its line
    when only the comma does not fit.
    """
    limit = style.ColumnLimit
    one = f"{head} {tail}"
    if indent + len(one) + 1 <= limit:
        return [one + ","]
    if note and indent + len(one) <= limit:
        return [one, ","]
    if not note or indent + len(tail) + 1 <= limit:
        return [head, tail + ","]
    return [head, tail, ","]


# -- String literals (BreakStringLiterals) ----------------------------------------------------


def string_split(text: str, used_columns: int, column_limit: int) -> int | None:
    """BreakableToken.cpp's ``getStringSplit``: how many characters of ``text`` go before the break.

    clang-format prefers to split after the last blank, then after the last
    ``/``, then after the last character that is not a letter or digit, among
    the characters that fit; failing all, at the last one that fits.  An
    escape sequence is never cut.  ``text`` starts at column
    ``used_columns``; ``column_limit`` is the column limit minus the closing
    quote.
    """
    if not text or column_limit <= used_columns:
        return None
    max_split = column_limit - used_columns
    space_offset = slash_offset = word_start_offset = split_point = 0
    chars = 0
    pos = 0
    size = len(text)
    while True:
        char = text[pos]
        if char == "\\":
            advance = _escape_sequence_length(text, pos)
        else:
            advance = 1
        chars += advance
        if chars > max_split or size - pos <= advance:
            break
        if char in " \t":
            space_offset = split_point
        if char == "/":
            slash_offset = split_point
        if advance == 1 and not (char.isascii() and char.isalnum()):
            word_start_offset = split_point
        split_point += advance
        pos += advance
    for offset in (space_offset, slash_offset, word_start_offset):
        if offset:
            return offset + 1
    return split_point or None


def _escape_sequence_length(text: str, pos: int) -> int:
    """encoding::getEscapeSequenceLength."""
    if pos + 1 >= len(text):
        return 1
    char = text[pos + 1]
    if char == "u":
        return 6
    if char == "U":
        return 10
    if char == "x":
        i = pos + 2
        while i < len(text) and text[i] in "0123456789abcdefABCDEF":
            i += 1
        return i - pos
    if "0" <= char <= "7":
        i = 1
        while pos + i < len(text) and i < 4 and "0" <= text[pos + i] <= "7":
            i += 1
        return i
    return 2


def split_string_literal(quote_column: int, text: str, style: Style, tail: int = 0) -> list[str]:
    """The contents of the pieces clang-format splits ``"text"`` into.

    ``quote_column`` is where the opening quote stands; ``tail`` the width of what
    must follow the literal on its line (``;``).  Later pieces start at the same
    column.
    """
    if not style.BreakStringLiterals:  # pragma: no cover - ggml breaks string literals
        return [text]
    limit = style.ColumnLimit
    content_column = quote_column + 1
    pieces: list[str] = []
    rest = text
    while content_column + len(rest) + 1 + tail > limit:
        cut = string_split(rest, content_column, limit - 1)
        if cut is None:
            break
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces
