"""AlignConsecutiveDeclarations / AlignConsecutiveAssignments over laid-out function bodies.

A port of clang-format 23's ``WhitespaceManager::AlignTokens`` and
``AlignTokenSequence`` (Normal strategy) for the changes statements.py makes.
It differs from the header engine in :mod:`.ggml` in what clang-format 23 does
with continuation lines: a line whose indentation is aligned to a token of the
statement (``AlignedTo``: after an open bracket, or an operand aligned after
``=`` / ``return`` / ``?``) counts in the width of the aligned line, so a long
continuation can end a sequence.  (The pieces of a string literal split by
BreakStringLiterals are ordinary tokens here: that is what clang-format sees
when it formats our output again.)
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

Level = tuple[int, int]


class Change:
    """One token and the whitespace before it (WhitespaceManager::Change)."""

    __slots__ = (
        "text",
        "newlines",
        "spaces",
        "start_col",
        "length",
        "level",
        "indented_from",
        "aligned",
        "comment",
        "comma",
        "decl_name",
        "assign",
        "opener",
        "matching",
    )

    def __init__(self, text: str, newlines: int, spaces: int, start_col: int, level: Level) -> None:
        self.text = text
        self.newlines = newlines
        self.spaces = spaces
        self.start_col = start_col
        self.length = len(text)
        self.level = level  # (IndentLevel, NestingLevel)
        self.indented_from = 0  # IndentedFromColumn
        self.aligned = False  # AlignedTo != nullptr
        self.comment = False
        self.comma = False
        self.decl_name = False
        self.assign = False
        self.opener = False
        self.matching = -1  # index of the matching closing bracket

    def copy(self) -> Change:
        new = _new_change(Change)
        new.text = self.text
        new.newlines = self.newlines
        new.spaces = self.spaces
        new.start_col = self.start_col
        new.length = self.length
        new.level = self.level
        new.indented_from = self.indented_from
        new.aligned = self.aligned
        new.comment = self.comment
        new.comma = self.comma
        new.decl_name = self.decl_name
        new.assign = self.assign
        new.opener = self.opener
        new.matching = self.matching
        return new


_new_change = object.__new__


def _shift(changes: list[Change], start: int, delta: int) -> None:
    """IncrementChangeSpaces: move a change and the rest of its line."""
    first = changes[start]
    first.spaces += delta
    first.start_col += delta
    for index in range(start + 1, len(changes)):
        change = changes[index]
        if change.newlines:
            break
        change.start_col += delta


def _align_sequence(
    changes: list[Change], start: int, end: int, column: int, right_justify: bool, matches: list[int]
) -> None:
    """AlignTokenSequence."""
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
        if i in match_set:
            original_match_column = c.start_col
            shift = column - (c.length if right_justify else 0) - c.start_col
            scope = [level]
        if shift == 0:
            continue
        if i in match_set or (len(scope) == 1 and newline and inside_nested):
            c.indented_from += shift
            _shift(changes, i, shift)


def align_tokens(
    changes: list[Change],
    matches: Callable[[Change], bool],
    start: int = 0,
    right_justify: bool = False,
    limit: int = 120,
) -> int:
    """AlignTokens with AcrossComments (not AcrossEmptyLines); returns where it stopped."""
    n = len(changes)
    width_left = width_anchor = width_right = 0
    seq_start = seq_end = 0
    matched: list[int] = []
    level0 = changes[start].level if start < n else (0, 0)
    commas_before_match = commas_before_last_match = 0
    matching_column: int | None = None
    line_is_comment = True

    def align_current() -> None:
        nonlocal width_left, width_anchor, width_right, seq_start, seq_end
        if 0 < seq_start < seq_end:
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
            commas_before_match = 0
            seq_end = i
            if (c.newlines > 1) or (matching_column is None and not line_is_comment):
                align_current()
            if matching_column is not None and c.indented_from < matching_column:
                matching_column = None
            line_is_comment = True
        if not c.comment:
            line_is_comment = False
        if c.comma:
            commas_before_match += 1
        elif c.level > level0:
            i = align_tokens(changes, matches, i, right_justify, limit)
            continue
        if not matches(c):
            i += 1
            continue
        if (not c.newlines and matching_column is not None) or commas_before_match != commas_before_last_match:
            matched.append(i)
            align_current()
        commas_before_last_match = commas_before_match
        matching_column = c.start_col
        if seq_start == 0:
            seq_start = i
        change_left = c.start_col
        change_anchor = 0
        change_right = 0
        current_right = 0
        if right_justify:
            change_left += c.length
        else:
            current_right = c.length
        paren_to_meet = -1
        j = i + 1
        while j != n and (changes[j].newlines == 0 or paren_to_meet != -1 or changes[j].aligned):
            ch = changes[j]
            # clang-format resets MatchingParenToEncounter when it meets a token whose
            # MatchingParen is the closing bracket it waits for, which never happens:
            # once a bracket opened on the line, all its continuation lines count.
            if ch.opener and paren_to_meet == -1 and j + 1 != n and changes[j + 1].newlines == 0:
                paren_to_meet = ch.matching
            if ch.newlines:
                change_right = max(change_right, current_right)
                width_start = change_left + change_anchor
                if ch.indented_from < width_start:
                    break
                current_right = ch.spaces - width_start
            else:
                current_right += ch.spaces
            current_right += ch.length
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


def render(changes: list[Change]) -> str:
    parts: list[str] = []
    for c in changes:
        if c.newlines:
            parts.append("\n" * c.newlines)
        if c.spaces:
            parts.append(" " * c.spaces)
        parts.append(c.text)
    return "".join(parts)
