"""Line breaking: where clang-format (ggml style) breaks lines that do not fit.

Breaking happens before alignment and knows nothing about it, exactly as in
clang-format: each line is broken on its own, as if it started at its
indentation, and the aligner shifts the result afterwards.
"""

from __future__ import annotations

from ..cdecl import hides_next_name

COLUMN_LIMIT = 120
CONTINUATION_INDENT = 4


# Token kinds of a declaration.
RET, NAME, LPAREN, TYPE, PNAME, COMMA, RPAREN, SEMI = "ret", "name", "(", "type", "pname", ",", ")", ";"
#: A parameter name clang-format does not see as one (see cdecl.hides_next_name):
#: not aligned, no line break before it.
QNAME = "qname"

EXCESS_PENALTY = 1_000_000  # PenaltyExcessCharacter, per column past the limit, per token
FIRST_BREAK_PENALTY = 15  # the first break in each parenthesis level
MIN_BREAKABLE_RETURN = 6  # clang-format never breaks after a return type narrower than this


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


# Kinds of the chunks a laid-out declaration is made of (see layout_declaration).
PLAIN, MATCH, OPEN = 0, 1, 2

#: A chunk: text, starts a line?, spaces before it (its column when it starts
#: a line), the column its position derives from (when it starts a line),
#: nesting level (0 outside the parentheses, 1 inside), kind.
Chunk = tuple[str, bool, int, int, int, int]


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
        if hides_next_name(words):
            toks.append(DeclToken(pname, QNAME, index, 1, 1, False, 0))
        else:
            toks.append(DeclToken(pname, PNAME, index, 1, 1, True, 200 + 40))
    toks.append(DeclToken(")", RPAREN, -1, 0, 1, False, 0))
    toks.append(DeclToken(";", SEMI, -1, 0, 0, False, 0))
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
    runs = _Runs(toks, limit)
    n_tok = len(toks)
    name_i = next(i for i, t in enumerate(toks) if t.kind == NAME)
    lp_i = name_i + 1
    semi_i = n_tok - 1
    first: list[int] = []  # first token of each parameter
    stop: list[int] = []  # end of each parameter with what follows it on its line (',' or ');')
    for i, tok in enumerate(toks):
        if tok.kind == TYPE and toks[i - 1].kind in (LPAREN, COMMA):
            first.append(i)
        elif tok.kind in (PNAME, QNAME):
            stop.append(i + 2 if tok.param < n_params - 1 else semi_i + 1)
    ret_struct = [i for i in range(1, name_i) if toks[i].can_break]

    def param_best(p: int, column: int) -> tuple[int, tuple[int, ...]]:
        start, end = first[p], stop[p]
        if runs.end(start, end, column) <= limit:
            return 0, ()
        name = next(i for i in range(start, end) if toks[i].kind in (PNAME, QNAME))
        struct_points = [i for i in range(start + 1, name) if toks[i].can_break]
        best: tuple[int, int, tuple[int, ...]] | None = None
        order = 0
        for subset in _subsets(struct_points):
            for name_break in (False, True) if toks[name].can_break else (False,):
                cuts = sorted(set(subset) | ({name} if name_break else set()))
                excess = 0
                seg_start, seg_col = start, column
                for cut in cuts:
                    excess += runs.excess(seg_start, cut, seg_col)
                    seg_start = cut
                    seg_col = column + CONTINUATION_INDENT if toks[cut].kind == PNAME else column
                excess += runs.excess(seg_start, end, seg_col)
                penalty = len(subset) * toks[struct_points[0]].penalty if subset else 0
                penalty += toks[name].penalty if name_break else 0
                candidate = (excess * EXCESS_PENALTY + penalty, order, tuple(cuts))
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
            cost += runs.excess(0, lp_i + 1, 0) * EXCESS_PENALTY
            column = runs.end(0, lp_i + 1, 0)
            base = 0
        else:  # the return type on its own line(s)
            seg_start, column = 0, 0
            for cut in [*ret_subset, name_i]:
                cost += runs.excess(seg_start, cut, column) * EXCESS_PENALTY
                end_column = runs.end(seg_start, cut, column)
                seg_start, column = cut, CONTINUATION_INDENT
            if end_column < MIN_BREAKABLE_RETURN:
                continue
            for i in ret_subset:
                breaks[i] = True
            breaks[name_i] = True
            cost += FIRST_BREAK_PENALTY + toks[name_i].penalty + sum(toks[i].penalty for i in ret_subset)
            base = CONTINUATION_INDENT if ret_subset else 0
            cost += runs.excess(name_i, lp_i + 1, base) * EXCESS_PENALTY
            column = runs.end(name_i, lp_i + 1, base)
        name_line_end = column
        for break_paren in (False, True):
            for one_per_line in (False, True) if n_params >= 2 else (True,):
                if break_paren and not one_per_line:
                    continue
                b = list(breaks)
                c = cost
                param_column = name_line_end
                if not one_per_line:  # all parameters on the name's line
                    c += (runs.excess(lp_i, n_tok, name_line_end - 1) - max(0, name_line_end - limit)) * EXCESS_PENALTY
                else:
                    if break_paren:
                        param_column = CONTINUATION_INDENT + base
                        b[lp_i + 1] = True
                        c += FIRST_BREAK_PENALTY + toks[lp_i + 1].penalty
                    if n_params >= 2:
                        c += FIRST_BREAK_PENALTY + sum(toks[first[p]].penalty for p in range(1, n_params))
                        for p in range(1, n_params):
                            b[first[p]] = True
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


def _one_line(ret: str, name: str, params: list[str]) -> list[Chunk]:
    # The parameters stay on the name's line: no alignment happens inside them,
    # so they travel with the parenthesis as one chunk.
    return [
        (ret, True, 0, 0, 0, PLAIN),
        (name, False, 1, 0, 0, MATCH),
        ("(" + ", ".join(params) + ");", False, 0, 0, 0, PLAIN),
    ]


def layout_declaration(
    ret: tuple[str, ...], name: str, params: list[tuple[tuple[str, ...], str]], limit: int = COLUMN_LIMIT
) -> list[Chunk]:
    """Break ``RET NAME(PARAMS);`` as clang-format (ggml style) does, if it does not fit.

    The result is the declaration as chunks for the aligner: runs of tokens
    that stay together, cut where alignment needs to see a token on its own
    (the names it aligns, the parenthesis, line starts).  Chunks that start a
    line carry their column and the column their position derives from:
    continuation lines aligned after ``(`` derive from the parenthesis and move
    with the declaration when it is aligned; lines indented from the start of
    the declaration do not.
    """
    ret_text = " ".join(ret)
    param_texts = [" ".join(words) + " " + pname for words, pname in params]
    width = len(ret_text) + 1 + len(name) + 1 + sum(len(t) for t in param_texts) + 2 * len(params)
    if width <= limit:
        return _one_line(ret_text, name, param_texts)
    toks = declaration_tokens(ret, name, params)
    breaks, param_column = _choose_breaks(toks, len(params), limit)
    name_i = next(i for i, t in enumerate(toks) if t.kind == NAME)
    first_param = name_i + 2
    if not any(breaks[first_param:]):  # the parameters stay on one line, after the name
        chunks = _one_line(" ".join(t.text for t in toks[:name_i]), name, param_texts)
        if breaks[name_i]:
            if any(breaks[1:name_i]):  # rare: the return type itself is broken after 'struct'
                return _chunks(toks, breaks, param_column)
            chunks[1] = (name, True, 0, 0, 0, MATCH)
        return chunks
    return _chunks(toks, breaks, param_column)


def _chunks(toks: list[DeclToken], breaks: list[bool], param_column: int) -> list[Chunk]:
    """Cut a broken declaration into chunks, with each line's column and anchor."""
    name_i = next(i for i, t in enumerate(toks) if t.kind == NAME)
    breaks_after_paren = breaks[name_i + 2]
    base = CONTINUATION_INDENT if any(breaks[1:name_i]) else 0  # where the name's line starts
    chunks: list[Chunk] = []
    column = 0
    param_start = param_anchor = 0
    text = ""
    current: list[int] = []  # [starts_line, spaces, anchor, level, kind] of the chunk being built

    def flush() -> None:
        if current:
            chunks.append((text, bool(current[0]), current[1], current[2], current[3], current[4]))

    for i, tok in enumerate(toks):
        anchor = 0
        if i == 0:
            column = 0
        elif not breaks[i]:
            column += tok.space
        elif tok.kind == RET:  # the return type continued after 'struct'
            column = CONTINUATION_INDENT
        elif tok.kind == NAME:
            column = anchor = base
        elif tok.kind == PNAME:
            column = param_start + CONTINUATION_INDENT
            anchor = param_anchor
        elif tok.kind == TYPE and toks[i - 1].kind not in (LPAREN, COMMA):  # after 'struct' in a parameter
            column = param_start
            anchor = param_anchor
        else:  # a parameter starting a line
            column = param_column
            anchor = base if breaks_after_paren else param_column
        if tok.kind == TYPE and toks[i - 1].kind in (LPAREN, COMMA):
            param_start = column
            param_anchor = anchor if breaks[i] else column
        kind = MATCH if tok.kind in (NAME, PNAME) else OPEN if tok.kind == LPAREN else PLAIN
        previous_kind = current[4] if current else None
        joins = (
            current
            and not breaks[i]
            and kind == PLAIN
            and previous_kind != OPEN
            and not (previous_kind == MATCH and toks[i - 1].kind == NAME)
            and (toks[i].level == current[3] or previous_kind == MATCH)
        )
        if joins:
            text += " " * tok.space + tok.text
        else:
            flush()
            text = tok.text
            spaces = column if breaks[i] or i == 0 else tok.space
            current = [int(breaks[i] or i == 0), spaces, anchor, tok.level, kind]
        column += tok.width
    flush()
    return chunks


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
