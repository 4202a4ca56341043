"""Alignment: clang-format's ``WhitespaceManager::AlignTokens``, over changes.

Options: AlignConsecutiveDeclarations, AlignConsecutiveAssignments (with their
AcrossEmptyLines and AcrossComments), ColumnLimit.

clang-format aligns after it has broken lines.  Its input is a list of
"changes", one per token: the whitespace before the token (line breaks,
spaces), the token's text and its nesting.  Runs of lines with a matching
token (a declaration's name, an ``=``) are aligned: across comment lines but
not across empty lines (ggml's ``AcrossComments``), a run is cut where
aligning would pass the column limit, and a line broken inside parentheses
carries its continuation lines along.  Scopes nested deeper than the run (a
parameter list, a function body) are aligned on their own first.

The interesting cases are exactly where the details of the algorithm matter,
so this is a port, not an approximation.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from .style import AlignConsecutiveStyle, Style

#: clang-format's ``indentAndNestingLevel``: (indent level, parenthesis nesting level).
Level = tuple[int, int]


class Change:
    """One token (or a run of tokens that move together) and the whitespace before it,
    as clang-format's WhitespaceManager sees it."""

    __slots__ = (
        "text",
        "newlines",
        "spaces",
        "level",
        "comment",
        "decl_name",
        "assign",
        "indented_from",
        "matching",
        "opener",
        "start_col",
        "length",
    )

    def __init__(self, text: str, newlines: int, spaces: int, level: Level, start_col: int) -> None:
        self.text = text
        self.newlines = newlines  # line breaks before it (2 = an empty line before it)
        self.spaces = spaces  # spaces before it; the indentation when it starts a line
        self.level = level  # (indent level, nesting level)
        self.comment = False
        self.decl_name = False  # a declaration's name: aligned by AlignConsecutiveDeclarations
        self.assign = False  # an '=': aligned by AlignConsecutiveAssignments
        self.indented_from = 0  # the column a continuation line's position derives from
        self.matching = -1  # index of the matching parenthesis
        self.opener = False
        self.start_col = start_col
        self.length = len(text)


def _shift_line(changes: list[Change], start: int, delta: int) -> None:
    """Move a change and the rest of its line right by ``delta`` columns."""
    first = changes[start]
    first.spaces += delta
    first.start_col += delta
    index = start + 1
    count = len(changes)
    while index < count:
        change = changes[index]
        if change.newlines:
            break
        change.start_col += delta
        index += 1


def _align_sequence(
    changes: list[Change], start: int, end: int, column: int, right_justify: bool, matches: list[int]
) -> None:
    """AlignTokenSequence: move the matches to ``column``, carrying their lines along."""
    original_match_column = 0
    shift = 0
    scope: list[Level] = []
    match_set = set(matches)
    for i in range(start, end):
        c = changes[i]
        level = c.level
        while scope and level < scope[-1]:
            scope.pop()
        newline = c.newlines
        if len(scope) == 1 and newline and level > scope[0] and c.indented_from < original_match_column:
            scope.append(level)
        inside_nested = bool(scope) and (
            level > scope[0] or (level == scope[0] and c.indented_from >= original_match_column)
        )
        if newline and not inside_nested:
            shift = 0
        is_match = i in match_set
        if is_match:
            original_match_column = c.start_col
            shift = column - (c.length if right_justify else 0) - c.start_col
            scope = [level]
        if shift and (is_match or (len(scope) == 1 and newline and inside_nested)):
            c.indented_from += shift
            _shift_line(changes, i, shift)


def align_tokens(
    changes: list[Change],
    matches: Callable[[Change], bool],
    options: AlignConsecutiveStyle,
    limit: int,
    start: int = 0,
    right_justify: bool = False,
) -> int:
    """Align runs of matching tokens as clang-format does; return where the scope of ``start`` ends."""
    n = len(changes)
    width_left = width_anchor = width_right = 0
    seq_start = seq_end = 0
    matched: list[int] = []
    level0 = changes[start].level if start < n else (0, 0)
    across_empty_lines = options.AcrossEmptyLines
    across_comments = options.AcrossComments
    # clang-format also ends a run where the number of commas before the match
    # changes; here commas travel inside chunks and never precede a match on
    # their line, so that rule never applies.
    matching_column: int | None = None
    line_is_comment = True

    def align_current() -> None:
        nonlocal width_left, width_anchor, width_right, seq_start, seq_end
        if 0 < seq_start < seq_end and len(matched) > 0:
            _align_sequence(changes, seq_start, seq_end, width_left + width_anchor, right_justify, matched)
        width_left = width_anchor = width_right = 0
        seq_start = seq_end = 0
        matched.clear()

    i = start
    while i != n:
        c = changes[i]
        if c.level < level0:
            break
        if c.newlines:
            seq_end = i
            empty_line_break = c.newlines > 1 and not across_empty_lines
            no_match_break = matching_column is None and not (line_is_comment and across_comments)
            if empty_line_break or no_match_break:
                align_current()
            if matching_column is not None and c.indented_from < matching_column:
                matching_column = None
            line_is_comment = True
        if not c.comment:
            line_is_comment = False
        if c.level > level0:
            i = align_tokens(changes, matches, options, limit, i, right_justify)
            continue
        if not matches(c):
            i += 1
            continue
        if not c.newlines and matching_column is not None:  # a second match on the line
            matched.append(i)
            align_current()
        matching_column = c.start_col
        if seq_start == 0:
            seq_start = i
        change_left = c.start_col
        change_anchor = c.length if right_justify else 0
        current_right = 0 if right_justify else c.length
        change_right = 0
        paren_to_meet = -1
        j = i + 1
        while j != n:
            ch = changes[j]
            if ch.newlines == 0:
                if ch.opener and paren_to_meet == -1 and j + 1 != n and changes[j + 1].newlines == 0:
                    paren_to_meet = ch.matching
                current_right += ch.spaces + ch.length
            elif paren_to_meet != -1:
                change_right = max(change_right, current_right)
                width_start = change_left + change_anchor
                if ch.indented_from < width_start:
                    break
                current_right = ch.spaces - width_start + ch.length
            else:
                break
            j += 1
        change_right = max(change_right, current_right)
        new_left = max(change_left, width_left)
        new_anchor = max(change_anchor, width_anchor)
        new_right = max(change_right, width_right)
        if limit < new_left + new_anchor + new_right:
            align_current()
            seq_start = i
            width_left, width_anchor, width_right = change_left, change_anchor, change_right
        else:
            width_left, width_anchor, width_right = new_left, new_anchor, new_right
        matched.append(i)
        i += 1
    seq_end = i
    while seq_end < n and changes[seq_end].newlines == 0:
        seq_end += 1
    align_current()
    return i


def _is_decl_name(change: Change) -> bool:
    return change.decl_name


def _is_assign(change: Change) -> bool:
    return change.assign


def align(changes: list[Change], style: Style) -> None:
    """AlignConsecutiveDeclarations, then AlignConsecutiveAssignments, as clang-format orders them."""
    # A pass with nothing to align changes nothing, so it is skipped.
    limit = style.ColumnLimit
    declarations = style.AlignConsecutiveDeclarations
    if declarations.Enabled and any(c.decl_name for c in changes):
        align_tokens(changes, _is_decl_name, declarations, limit)
    assignments = style.AlignConsecutiveAssignments
    if assignments.Enabled and any(c.assign for c in changes):
        align_tokens(changes, _is_assign, assignments, limit, right_justify=True)


def render_changes(changes: list[Change]) -> str:
    """The text of the changes (clang-format's replacements, applied)."""
    parts: list[str] = []
    append = parts.append
    for c in changes:
        if c.newlines:
            append("\n" * c.newlines)
        if c.spaces:
            append(" " * c.spaces)
        append(c.text)
    append("\n")
    return "".join(parts)
