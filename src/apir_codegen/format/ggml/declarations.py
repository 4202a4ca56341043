"""Function declarations: where clang-format (ggml style) breaks one that does not fit.

Options: ColumnLimit, ContinuationIndentWidth, BinPackParameters (OnePerLine),
AllowAllParametersOfDeclarationOnNextLine (false), AlignAfterOpenBracket
(Align), BreakAfterReturnType (None), PenaltyExcessCharacter and the split
penalties of :mod:`.penalties`.

Breaking happens before alignment and knows nothing about it, exactly as in
clang-format: each declaration is broken on its own, as if it started at its
indentation, and the aligner shifts the result afterwards.  The result is the
declaration's part of the aligner's input: :class:`~.alignment.Change` records
for runs of tokens that stay together, cut where alignment needs to see a
token on its own (the names it aligns, the opening parenthesis, line starts).
"""

from __future__ import annotations

from . import penalties
from .alignment import DECLARATION, Change, Level, Opener

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .style import Style

# Token kinds of a declaration.
RET, NAME, LPAREN, TYPE, PNAME, COMMA, RPAREN, END = "ret", "name", "(", "type", "pname", ",", ")", "end"


class DeclToken:
    """A token of ``RET NAME(PARAMS);`` with what clang-format's line breaker knows of it."""

    __slots__ = ("text", "kind", "param", "space", "level", "can_break", "penalty", "width")

    def __init__(self, text: str, kind: str, param: int, space: int, level: int, can_break: bool, penalty: int):
        self.text = text
        self.kind = kind
        self.param = param  # index of the parameter it belongs to, -1 outside parameters
        self.space = space  # spaces before it when it follows on the same line
        self.level = level  # 0 outside the parentheses, 1 inside
        self.can_break = can_break  # whether a line may break before it
        self.penalty = penalty  # the split penalty of such a break
        self.width = len(text)


def declaration_tokens(
    ret: tuple[str, ...], name: str, params: list[tuple[tuple[str, ...], str]], style: Style, end: str = ";"
) -> list[DeclToken]:
    """The tokens of a declaration, with clang-format's break permissions and penalties.

    See :mod:`.penalties`: with ggml's values, 220 before the name, 140 after
    ``(``, 41 after a comma, 240 before a parameter name, 5000 (+ binding)
    after ``struct``.  No break is possible around ``*``, after qualifiers and
    type words, or before ``,`` ``)`` and the end (``;`` or `` {``).
    """
    after_name = penalties.before_function_name(style)
    before_pname = penalties.before_parameter_name()
    first_param = penalties.after_open_paren(style)
    next_param = penalties.after_comma()
    toks: list[DeclToken] = []
    append = toks.append

    def type_words(words: tuple[str, ...], kind: str, param: int, level: int, first_penalty: int) -> None:
        previous = ""
        for index, word in enumerate(words):
            if index == 0:
                if first_penalty < 0:  # the first token of the line
                    append(DeclToken(word, kind, param, 0, level, False, 0))
                else:
                    space = 0 if param == 0 else 1  # the first parameter follows '('
                    append(DeclToken(word, kind, param, space, level, True, first_penalty))
            elif (previous == "struct" or previous == "class") and word[0] != "*":
                append(DeclToken(word, kind, param, 1, level, True, penalties.after_record_keyword(level)))
            else:
                append(DeclToken(word, kind, param, 1, level, False, 0))
            previous = word

    type_words(ret, RET, -1, 0, -1)
    append(DeclToken(name, NAME, -1, 1, 0, True, after_name))
    append(DeclToken("(", LPAREN, -1, 0, 0, False, 0))
    for index, (words, pname) in enumerate(params):
        if index:
            append(DeclToken(",", COMMA, index - 1, 0, 1, False, 0))
        type_words(words, TYPE, index, 1, next_param if index else first_param)
        append(DeclToken(pname, PNAME, index, 1, 1, True, before_pname))
    append(DeclToken(")", RPAREN, -1, 0, 1, False, 0))
    stripped = end.lstrip()
    append(DeclToken(stripped, END, -1, len(end) - len(stripped), 0, False, 0))
    return toks


class _Runs:
    """Excess over the limit of contiguous token runs placed on one line, fast.

    clang-format charges the excess of every token that ends past the limit;
    a run that fits costs nothing, which is checked in O(1) with prefix sums.
    """

    def __init__(self, toks: list[DeclToken], limit: int):
        self.toks = toks
        self.limit = limit
        prefix = [0]
        for tok in toks:
            prefix.append(prefix[-1] + tok.space + tok.width)
        self.prefix = prefix

    def end(self, start: int, stop: int, column: int) -> int:
        """The column after tokens ``start:stop`` placed from ``column``."""
        return column + self.prefix[stop] - self.prefix[start] - self.toks[start].space

    def excess(self, start: int, stop: int, column: int) -> int:
        if start >= stop or self.end(start, stop, column) <= self.limit:
            return 0
        excess = 0
        toks = self.toks
        for i in range(start, stop):
            if i > start:
                column += toks[i].space
            column += toks[i].width
            if column > self.limit:
                excess += column - self.limit
        return excess


def _subsets(items: list[int]) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [()]
    for item in items:
        out += [subset + (item,) for subset in out]
    return out


def _choose_breaks(toks: list[DeclToken], n_params: int, style: Style, indent: int) -> tuple[list[bool], int]:
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
    the split penalties and FIRST_BREAK_ON_LEVEL for the first break in each
    parenthesis level.  Ties go to the shape found first, in clang-format's
    order.  This agrees with clang-format 20 to 23 on every declaration tested.

    Columns are counted from ``indent``, where the declaration starts.
    """
    limit = style.ColumnLimit - indent
    continuation = style.ContinuationIndentWidth
    excess_penalty = style.PenaltyExcessCharacter
    first_break = penalties.FIRST_BREAK_ON_LEVEL
    runs = _Runs(toks, limit)
    n_tok = len(toks)
    name_i = next(i for i, t in enumerate(toks) if t.kind == NAME)
    lp_i = name_i + 1
    end_i = n_tok - 1
    first: list[int] = []  # first token of each parameter
    stop: list[int] = []  # end of each parameter with what follows it on its line (',' or ');')
    for i, tok in enumerate(toks):
        if tok.kind == TYPE and toks[i - 1].kind in (LPAREN, COMMA):
            first.append(i)
        elif tok.kind == PNAME:
            stop.append(i + 2 if tok.param < n_params - 1 else end_i + 1)
    ret_struct = [i for i in range(1, name_i) if toks[i].can_break]

    best_of_param: dict[tuple[int, int], tuple[int, tuple[int, ...]]] = {}

    def param_best(p: int, column: int) -> tuple[int, tuple[int, ...]]:
        start, end = first[p], stop[p]
        if runs.end(start, end, column) <= limit:
            return 0, ()
        known = best_of_param.get((p, column))
        if known is not None:
            return known
        name = next(i for i in range(start, end) if toks[i].kind == PNAME)
        struct_points = [i for i in range(start + 1, name) if toks[i].can_break]
        best: tuple[int, int, tuple[int, ...]] | None = None
        order = 0
        for subset in _subsets(struct_points):
            for name_break in (False, True):
                cuts = sorted(set(subset) | ({name} if name_break else set()))
                excess = 0
                seg_start, seg_col = start, column
                for cut in cuts:
                    excess += runs.excess(seg_start, cut, seg_col)
                    seg_start = cut
                    seg_col = column + continuation if toks[cut].kind == PNAME else column
                excess += runs.excess(seg_start, end, seg_col)
                penalty = len(subset) * toks[struct_points[0]].penalty if subset else 0
                penalty += toks[name].penalty if name_break else 0
                candidate = (excess * excess_penalty + penalty, order, tuple(cuts))
                order += 1
                if best is None or candidate < best:
                    best = candidate
        assert best is not None
        best_of_param[p, column] = best[0], best[2]
        return best[0], best[2]

    later_params = sum(toks[first[p]].penalty for p in range(1, n_params))  # breaks before them
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
            if indent + end_column < penalties.SHORT_RETURN_TYPE_COLUMNS:  # BreakAfterReturnType: None
                continue
            cost += first_break + toks[name_i].penalty + sum(toks[i].penalty for i in ret_subset)
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
                        c += first_break + toks[lp_i + 1].penalty
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
    breaks, param_column = _choose_breaks(toks, len(params), style, indent)
    name_i = next(i for i, t in enumerate(toks) if t.kind == NAME)
    first_param = name_i + 2
    if any(breaks[first_param:]) or (breaks[name_i] and any(breaks[1:name_i])):
        # (the latter, rare: the return type itself is broken after 'struct')
        _broken(toks, breaks, param_column, style, indent, out)
    else:  # the parameters stay on one line, after the name
        _one_line(" ".join(t.text for t in toks[:name_i]), name, rest, indent, out, breaks[name_i])


def _broken(toks: list[DeclToken], breaks: list[bool], param_column: int, style: Style, indent: int, out: _Out) -> None:
    """The changes of a broken declaration, with each line's column and the column it derives from."""
    continuation = style.ContinuationIndentWidth
    name_i = next(i for i, t in enumerate(toks) if t.kind == NAME)
    breaks_after_paren = breaks[name_i + 2]
    base = continuation if any(breaks[1:name_i]) else 0  # where the name's line starts
    changes = out.changes
    outside, inside = out.outside, out.inside
    column = 0
    param_start = param_anchor = 0
    current: Change | None = None  # the change being built (it may take the next tokens)
    current_kind = ""  # the kind of its first token
    current_nesting = 0  # and that token's nesting (0 outside the parentheses, 1 inside)
    paren: Opener | None = None
    previous_kind = ""
    for i, tok in enumerate(toks):
        kind = tok.kind
        broken = breaks[i]
        starts_param = kind == TYPE and (previous_kind == LPAREN or previous_kind == COMMA)
        previous_kind = kind
        anchor = 0
        if not broken:
            if i:
                column += tok.space
        elif kind == RET:  # the return type continued after 'struct'
            column = continuation
        elif kind == NAME:
            column = anchor = base
        elif kind == PNAME:
            column = param_start + continuation
            anchor = param_anchor
        elif not starts_param:  # after 'struct' in a parameter
            column = param_start
            anchor = param_anchor
        else:  # a parameter starting a line
            column = param_column
            anchor = base if breaks_after_paren else param_column
        if starts_param:
            param_start = column
            param_anchor = anchor if broken else column
        if (
            current is not None
            and not broken
            and kind != NAME
            and kind != PNAME
            and kind != LPAREN  # names to align, and the parenthesis, stand alone
            and current_kind != LPAREN
            and current_kind != NAME
            and (current_kind == PNAME or tok.level == current_nesting)
        ):
            current.text += " " * tok.space + tok.text if tok.space else tok.text
            current.length = len(current.text)
        else:
            level = inside if tok.level else outside
            role = out.name_role if kind == NAME else DECLARATION if kind == PNAME else 0
            if kind == LPAREN:
                current = paren = Opener(tok.text, 0, tok.space, level, indent + column)
            elif i == 0:
                current = Change(tok.text, out.newlines, indent, level, indent, indent, role)
            elif broken:
                current = Change(tok.text, 1, indent + column, level, indent + column, indent + anchor, role)
            else:
                current = Change(tok.text, 0, tok.space, level, indent + column, 0, role)
            current_kind = kind
            current_nesting = tok.level
            changes.append(current)
        column += tok.width
    if paren is not None:
        paren.matching = len(changes) - 1
