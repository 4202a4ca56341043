"""Line breaking: where clang-format (ggml style) breaks lines that do not fit.

Breaking happens before alignment and knows nothing about it, exactly as in
clang-format: each line is broken on its own, as if it started at its
indentation, and the aligner shifts the result afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass


COLUMN_LIMIT = 120
CONTINUATION_INDENT = 4


# Token kinds of a declaration.
RET, NAME, LPAREN, TYPE, PNAME, COMMA, RPAREN, SEMI = "ret", "name", "(", "type", "pname", ",", ")", ";"

EXCESS_PENALTY = 1_000_000  # PenaltyExcessCharacter, per column past the limit, per token
FIRST_BREAK_PENALTY = 15  # the first break in each parenthesis level
MIN_BREAKABLE_RETURN = 6  # clang-format never breaks after a return type narrower than this


@dataclass(frozen=True)
class DeclToken:
    """A token of ``RET NAME(PARAMS);`` with what clang-format's line breaker knows of it."""

    text: str
    kind: str
    param: int  # index of the parameter it belongs to, -1 outside parameters
    space: int  # spaces before it when it follows on the same line
    level: int  # 0 outside the parentheses, 1 inside
    can_break: bool  # whether a line may break before it
    penalty: int  # the split penalty of such a break

    @property
    def width(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class DeclLayout:
    """How one declaration is broken: per token, before any alignment.

    ``breaks[i]`` says whether token *i* starts a line, ``columns[i]`` where it
    starts, and ``anchors[i]`` (for tokens that start a line) the column their
    position derives from: continuation lines aligned after ``(`` derive from
    the parenthesis and move with the declaration when it is aligned, lines
    indented from the start of the declaration do not.
    """

    tokens: tuple[DeclToken, ...]
    breaks: tuple[bool, ...]
    columns: tuple[int, ...]
    anchors: tuple[int, ...]


def declaration_tokens(
    ret: tuple[str, ...], name: str, params: list[tuple[tuple[str, ...], str]]
) -> list[DeclToken]:
    """The tokens of a declaration, with clang-format's break permissions and penalties.

    Penalties are TokenAnnotator::splitPenalty plus 20 per binding level (1
    outside the parentheses, 2 inside): 220 before the name, 140 after ``(``,
    41 after a comma, 240 before a parameter name, 5000 (+binding) after
    ``struct``.  No break is possible around ``*``, after qualifiers and type
    words, or before ``,`` ``)`` ``;``.
    """
    toks: list[DeclToken] = []

    def type_words(words: tuple[str, ...], kind: str, param: int, level: int, first_penalty: int | None) -> None:
        binding = 20 * (level + 1)
        for index, word in enumerate(words):
            if index == 0:
                if first_penalty is None:  # the first token of the line
                    toks.append(DeclToken(word, kind, param, 0, level, False, 0))
                else:
                    space = 0 if toks[-1].kind == LPAREN else 1
                    toks.append(DeclToken(word, kind, param, space, level, True, first_penalty + binding))
            elif toks[-1].text in ("struct", "class") and not word.startswith("*"):
                toks.append(DeclToken(word, kind, param, 1, level, True, 5000 + binding))
            else:
                toks.append(DeclToken(word, kind, param, 1, level, False, 0))

    type_words(ret, RET, -1, 0, None)
    toks.append(DeclToken(name, NAME, -1, 1, 0, True, 200 + 20))
    toks.append(DeclToken("(", LPAREN, -1, 0, 0, False, 0))
    for index, (words, pname) in enumerate(params):
        if index:
            toks.append(DeclToken(",", COMMA, index - 1, 0, 1, False, 0))
        type_words(words, TYPE, index, 1, 100 if index == 0 else 1)
        toks.append(DeclToken(pname, PNAME, index, 1, 1, True, 200 + 40))
    toks.append(DeclToken(")", RPAREN, -1, 0, 1, False, 0))
    toks.append(DeclToken(";", SEMI, -1, 0, 0, False, 0))
    return toks


def _run(toks: list[DeclToken], indices: list[int], column: int, limit: int) -> tuple[int, int]:
    """Put ``toks[indices]`` on one line from ``column``: (excess over the limit, end column).

    clang-format charges the excess of every token that ends past the limit.
    """
    excess = 0
    for k, i in enumerate(indices):
        if k:
            column += toks[i].space
        column += toks[i].width
        if column > limit:
            excess += column - limit
    return excess, column


def _subsets(items: list[int]) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [()]
    for item in items:
        out += [subset + (item,) for subset in out]
    return out


def _choose_breaks(toks: list[DeclToken], n_params: int, limit: int) -> tuple[list[bool], int]:
    """The breaks clang-format's optimizer picks, and the column parameters start at.

    Rather than replaying clang-format's search over every break decision, this
    enumerates the few shapes its constraints allow (ContinuationIndenter with
    ``BinPackParameters: OnePerLine``, ``AllowAllParametersOfDeclarationOnNextLine:
    false``, ``AlignAfterOpenBracket: Align``) and takes the cheapest:

    * return type on the name's line, or on its own (then the name at column 0);
    * parameters on the name's line, or one per line aligned after ``(``, or
      one per line at column 4 after a break after ``(``;
    * inside a parameter that does not fit, a break before its name (+4) or
      after ``struct``, whichever costs least.

    Cost is 1,000,000 per column past the limit per token, plus the split
    penalties and 15 for the first break in each parenthesis level.  Ties go to
    the shape found first, in clang-format's order.  This agrees with
    clang-format 20 to 23 on every declaration tested.
    """
    n_tok = len(toks)
    name_i = next(i for i, t in enumerate(toks) if t.kind == NAME)
    lp_i = name_i + 1
    semi_i = n_tok - 1
    ptoks = [[i for i, t in enumerate(toks) if t.param == p and t.kind in (TYPE, PNAME)] for p in range(n_params)]
    tails = [[ptoks[p][-1] + 1] for p in range(n_params - 1)] + [[semi_i - 1, semi_i]]
    ret_struct = [i for i in range(1, name_i) if toks[i].can_break]

    def param_best(p: int, column: int) -> tuple[int, tuple[int, ...]]:
        idx = ptoks[p]
        struct_points = [i for i in idx[1:] if toks[i].can_break and toks[i].kind != PNAME]
        best: tuple[int, int, tuple[int, ...]] | None = None
        order = 0
        for subset in _subsets(struct_points):
            for name_break in (False, True):
                cut = set(subset) | ({idx[-1]} if name_break else set())
                excess = 0
                segment: list[int] = []
                seg_col = column
                for i in idx + tails[p]:
                    if i in cut:
                        excess += _run(toks, segment, seg_col, limit)[0]
                        segment = []
                        seg_col = column + CONTINUATION_INDENT if toks[i].kind == PNAME else column
                    segment.append(i)
                excess += _run(toks, segment, seg_col, limit)[0]
                penalty = len(subset) * toks[struct_points[0]].penalty if subset else 0
                penalty += toks[idx[-1]].penalty if name_break else 0
                candidate = (excess * EXCESS_PENALTY + penalty, order, tuple(sorted(cut)))
                order += 1
                if best is None or candidate < best:
                    best = candidate
        assert best is not None
        return best[0], best[2]

    best: tuple[int, list[bool], int] | None = None
    for ret_subset in [None, *_subsets(ret_struct)]:
        breaks = [False] * n_tok
        cost = 0
        if ret_subset is None:  # the name follows the return type
            excess, column = _run(toks, list(range(lp_i + 1)), 0, limit)
            cost += excess * EXCESS_PENALTY
            base = 0
        else:  # the return type on its own line(s)
            segments: list[list[int]] = [[]]
            for i in range(name_i):
                if i in ret_subset:
                    segments.append([])
                segments[-1].append(i)
            column = 0
            for k, segment in enumerate(segments):
                excess, column = _run(toks, segment, 0 if k == 0 else CONTINUATION_INDENT, limit)
                cost += excess * EXCESS_PENALTY
            if column < MIN_BREAKABLE_RETURN:
                continue
            for i in ret_subset:
                breaks[i] = True
            breaks[name_i] = True
            cost += FIRST_BREAK_PENALTY + toks[name_i].penalty + sum(toks[i].penalty for i in ret_subset)
            base = CONTINUATION_INDENT if ret_subset else 0
            excess, column = _run(toks, [name_i, lp_i], base, limit)
            cost += excess * EXCESS_PENALTY
        name_line_end = column
        for break_paren in (False, True):
            for one_per_line in (False, True) if n_params >= 2 else (True,):
                if break_paren and not one_per_line:
                    continue
                b = list(breaks)
                c = cost
                param_column = name_line_end
                if not one_per_line:  # all parameters on the name's line
                    rest = list(range(lp_i + 1, n_tok))
                    excess, _ = _run(toks, [lp_i, *rest], name_line_end - 1, limit)
                    c += (excess - max(0, name_line_end - limit)) * EXCESS_PENALTY
                else:
                    if break_paren:
                        param_column = CONTINUATION_INDENT + base
                        b[lp_i + 1] = True
                        c += FIRST_BREAK_PENALTY + toks[lp_i + 1].penalty
                    if n_params >= 2:
                        c += FIRST_BREAK_PENALTY + sum(toks[ptoks[p][0]].penalty for p in range(1, n_params))
                        for p in range(1, n_params):
                            b[ptoks[p][0]] = True
                    inner = False
                    for p in range(n_params):
                        p_cost, p_breaks = param_best(p, param_column)
                        c += p_cost
                        for i in p_breaks:
                            b[i] = True
                            inner = True
                    if n_params == 1 and inner and not break_paren:
                        c += FIRST_BREAK_PENALTY
                if best is None or c < best[0]:
                    best = (c, b, param_column)
    assert best is not None
    return best[1], best[2]


def layout_declaration(
    ret: tuple[str, ...], name: str, params: list[tuple[tuple[str, ...], str]], limit: int = COLUMN_LIMIT
) -> DeclLayout:
    """Break ``RET NAME(PARAMS);`` as clang-format (ggml style) does, if it does not fit."""
    toks = declaration_tokens(ret, name, params)
    n_params = len(params)
    if sum(t.space + t.width for t in toks) <= limit:
        breaks = [False] * len(toks)
        param_column = 0
    else:
        breaks, param_column = _choose_breaks(toks, n_params, limit)
    name_i = next(i for i, t in enumerate(toks) if t.kind == NAME)
    columns: list[int] = []
    anchors: list[int] = []
    column = 0
    base = 0  # where the name's line starts
    param_anchor = 0
    param_start = 0
    for i, tok in enumerate(toks):
        anchor = 0
        if i == 0:
            column = 0
        elif not breaks[i]:
            column += tok.space
        elif tok.kind == RET:  # the return type continued after 'struct'
            column = CONTINUATION_INDENT
        elif tok.kind == NAME:
            column = base = CONTINUATION_INDENT if any(breaks[1:name_i]) else 0
            anchor = column
        elif tok.kind == PNAME:
            column = param_start + CONTINUATION_INDENT
            anchor = param_anchor
        elif tok.kind == TYPE and toks[i - 1].kind not in (LPAREN, COMMA):  # after 'struct' inside a parameter
            column = param_start
            anchor = param_anchor
        else:  # a parameter starting a line
            column = param_column
            anchor = base if breaks[name_i + 2] else param_column
        if tok.kind == TYPE and toks[i - 1].kind in (LPAREN, COMMA):
            param_start = column
            param_anchor = anchor if breaks[i] else column
        columns.append(column)
        anchors.append(anchor)
        column += tok.width
    return DeclLayout(tuple(toks), tuple(breaks), tuple(columns), tuple(anchors))


def enum_value_breaks(indent: int, name: str, value: str, limit: int = COLUMN_LIMIT) -> bool:
    """Whether ``NAME = VALUE,`` is broken after the ``=`` (the value then goes to indent + 4).

    The comma counts: nothing can be broken between the value and it.
    """
    return indent + len(name) + len(" = ") + len(value) + len(",") > limit


def _string_split(text: str, content_column: int, limit: int) -> int | None:
    """Length of the first piece clang-format cuts off a string literal's content.

    clang-format (``getStringSplit``) prefers to split after the last blank, then
    after the last ``/``, then after the last character that is not a letter or
    digit, among the characters that fit; failing all, at the last one that fits.
    ``limit`` is the column limit minus the closing quote.
    """
    max_split = limit - content_column
    if not text or max_split <= 0:
        return None
    space = slash = word_start = 0
    split_point = 0
    for index, char in enumerate(text):
        if index + 1 > max_split or len(text) - index <= 1:
            break
        if char in " \t":
            space = split_point
        if char == "/":
            slash = split_point
        if not (char.isascii() and char.isalnum()):
            word_start = split_point
        split_point += 1
    for candidate in (space, slash, word_start):
        if candidate:
            return candidate + 1
    return split_point or None


def split_string_literal(quote_column: int, text: str, tail: int = 0, limit: int = COLUMN_LIMIT) -> list[str]:
    """The contents of the pieces clang-format (BreakStringLiterals) splits ``"text"`` into.

    ``quote_column`` is where the opening quote stands; ``tail`` the width of what
    must follow the literal on its line (``;``).  Later pieces start at the same
    column.
    """
    content_column = quote_column + 1
    pieces: list[str] = []
    rest = text
    while content_column + len(rest) + 1 + tail > limit:
        cut = _string_split(rest, content_column, limit - 1)
        if cut is None:
            break
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def table_entry_lines(indent: int, head: str, tail: str, note: bool, limit: int = COLUMN_LIMIT) -> list[str]:
    """Lines of a dispatch-table entry ``HEAD TAIL,`` (without indentation).

    ``head`` is the ``/* ENUM  = */`` comment, ``tail`` the handler (with its
    ``/* DEPRECATED */`` note when ``note``).  The entry breaks after the head
    comment when it does not fit; a trailing note keeps the comma off its line
    when only the comma does not fit.
    """
    one = f"{head} {tail}"
    if indent + len(one) + 1 <= limit:
        return [one + ","]
    if note and indent + len(one) <= limit:
        return [one, ","]
    if not note or indent + len(tail) + 1 <= limit:
        return [head, tail + ","]
    return [head, tail, ","]
