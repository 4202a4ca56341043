"""Alignment: clang-format's ``WhitespaceManager::AlignTokens``, over changes (the one alignment engine).

Options: AlignConsecutiveDeclarations, AlignConsecutiveAssignments (with their
AcrossEmptyLines and AcrossComments), ColumnLimit.

clang-format aligns after it has broken lines.  Its input is a list of
"changes", one per token: the whitespace before the token (line breaks,
spaces), the token's text and its nesting.  Runs of lines with a matching
token (a declaration's name, an ``=``) are aligned: across comment lines but
not across empty lines (ggml's ``AcrossComments``), a run is cut where
aligning would pass the column limit or where the number of commas before
the match changes, and a line broken inside parentheses (or aligned to a
token of the line above) carries its continuation lines along.  Scopes nested
deeper than the run (a parameter list, a function body, a call's arguments)
are aligned on their own.  The interesting cases are exactly where the
details of the algorithm matter, so this is a port of clang-format 23's
``AlignTokens`` and ``AlignTokenSequence`` (Normal strategy), not an
approximation.  Headers (:mod:`.layout`) and function bodies
(:mod:`.bodies`) both use it.

The engine's interface:

* build one :class:`Change` per token, or per run of tokens that never move
  apart, in text order: ``newlines`` before it (0: same line; 2: after an
  empty line), ``spaces`` before it (its column when it starts a line),
  ``level`` = (indent level, parenthesis nesting level) as clang-format's
  ``indentAndNestingLevel`` (a function body one indent level deeper than its
  head; the lines inside a broken parameter list one nesting level deeper),
  ``start_col``, and for the first token of a continuation line the column
  its position derives from (``indented_from``: clang-format's
  IndentedFromColumn, the ``(`` it is aligned after, or the start of the
  statement for a continuation indent) and whether it is ``aligned`` to a
  token of the statement (clang-format's ``AlignedTo``: after an open
  bracket, or an operand aligned after ``=`` / ``return`` / ``?``), which
  makes it count in the width of the line it continues;
* mark what may be aligned: ``role`` :data:`DECLARATION` on declared names
  (a function's, a parameter's, a local variable's), :data:`ASSIGNMENT` on
  an ``=`` (or an enumerator's ``=``), each alone in its change; ``comment``
  on a comment that is alone on its line; ``comma`` on a ``,`` that is a
  change of its own; on a bracket whose contents continue on later lines,
  ``matching``: the index of the change that closes it.  A declared name may
  carry the rest of its line when nothing after it on the line is marked or
  opens a scope (a name is aligned by its left edge: the width right of it
  is the same);
* call :func:`align` with the style, then :func:`render_changes`.

The changes need not be a whole file: ggml's alignments do not cross empty
lines (AcrossEmptyLines: false), so the header layout aligns and writes the
lines up to an empty line where no run of an enclosing scope is open, then
drops them (:mod:`.layout`).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from .style import AlignConsecutiveStyle, Style

#: clang-format's ``indentAndNestingLevel``: (indent level, parenthesis nesting level).
Level = tuple[int, int]

#: What a change is aligned as (its ``role``).
DECLARATION = 1  # a declared name: AlignConsecutiveDeclarations
ASSIGNMENT = 2  # an '=': AlignConsecutiveAssignments


class Change:
    """One token (or a run of tokens that move together) and the whitespace before it,
    as clang-format's WhitespaceManager sees it.

    ``aligned``, ``comma`` and ``matching`` are settable on a :class:`MarkedChange`
    only; a plain change (most of a header's) has their defaults, read from the class.
    """

    __slots__ = ("text", "newlines", "spaces", "level", "start_col", "length", "indented_from", "role", "comment")

    #: A continuation line aligned to a token of its statement (clang-format's AlignedTo).
    aligned = False
    #: A ',' of its own.
    comma = False
    #: For a bracket whose contents continue on later lines: the index of the change closing it.
    matching = -1

    def __init__(
        self,
        text: str,
        newlines: int,
        spaces: int,
        level: Level,
        start_col: int,
        indented_from: int = 0,
        role: int = 0,
        comment: bool = False,
    ) -> None:
        self.text = text
        self.newlines = newlines  # line breaks before it (2 = an empty line before it)
        self.spaces = spaces  # spaces before it; the indentation when it starts a line
        self.level = level  # (indent level, nesting level)
        self.start_col = start_col
        self.length = len(text)
        self.indented_from = indented_from  # the column a continuation line's position derives from
        self.role = role  # DECLARATION, ASSIGNMENT or 0
        self.comment = comment  # a comment alone on its line


class MarkedChange(Change):
    """A change that may be a comma of its own, a continuation line aligned to its
    statement, or a bracket with its match (what the tokens of a function body and a
    header declaration's parenthesis need)."""

    __slots__ = ("aligned", "comma", "matching")

    def __init__(
        self,
        text: str,
        newlines: int,
        spaces: int,
        level: Level,
        start_col: int,
        indented_from: int = 0,
        role: int = 0,
        comment: bool = False,
    ) -> None:
        super().__init__(text, newlines, spaces, level, start_col, indented_from, role, comment)
        self.aligned = False
        self.comma = False
        self.matching = -1

    def copy(self) -> MarkedChange:
        """A change equal to this one (for layouts reused with other names)."""
        new = _new_change(MarkedChange)
        new.text = self.text
        new.newlines = self.newlines
        new.spaces = self.spaces
        new.level = self.level
        new.start_col = self.start_col
        new.length = self.length
        new.indented_from = self.indented_from
        new.role = self.role
        new.comment = self.comment
        new.aligned = self.aligned
        new.comma = self.comma
        new.matching = self.matching
        return new


_new_change = object.__new__


def _align_sequence(
    changes: Sequence[Change], start: int, end: int, column: int, right_justify: bool, matches: list[int]
) -> None:
    """AlignTokenSequence: move the matches to ``column``, carrying their lines along.

    A line moves with the match before it when it continues that match's
    scope: it is nested deeper, or it derives its position from a column at
    or right of the match (parameters aligned after a parenthesis).
    """
    original_match_column = 0
    shift = 0
    scope: list[Level] = []
    match_set = set(matches)
    count = len(changes)
    inside_nested = False
    for i in range(start, end):
        c = changes[i]
        level = c.level
        if scope and level is not scope[-1]:
            while scope and level < scope[-1]:
                scope.pop()
        newline = c.newlines
        if newline:
            if len(scope) == 1 and level > scope[0] and c.indented_from < original_match_column:
                scope.append(level)
            inside_nested = bool(scope) and (
                level > scope[0] or (level == scope[0] and c.indented_from >= original_match_column)
            )
            if not inside_nested:
                shift = 0
        if i in match_set:
            original_match_column = c.start_col
            shift = column - (c.length if right_justify else 0) - c.start_col
            scope = [level]
        elif not (newline and inside_nested and len(scope) == 1):
            continue
        if shift:
            # Move the change and the rest of its line.
            c.indented_from += shift
            c.spaces += shift
            c.start_col += shift
            j = i + 1
            while j < count:
                rest = changes[j]
                if rest.newlines:
                    break
                rest.start_col += shift
                j += 1


class _Sequence:
    """The run of lines being aligned: its extent, its matches, its widest parts."""

    __slots__ = ("start", "end", "matches", "left", "anchor", "right")

    def __init__(self) -> None:
        # clang-format marks "no sequence" with start 0, as a file's first
        # token is never a match; here changes may be a part of a file.
        self.start = -1
        self.end = 0
        self.matches: list[int] = []
        self.left = self.anchor = self.right = 0  # widest: column before the match, match, rest of line

    def align(self, changes: Sequence[Change], right_justify: bool) -> None:
        """AlignCurrentSequence: align what was gathered, then start afresh."""
        if 0 <= self.start < self.end and self.matches:
            _align_sequence(changes, self.start, self.end, self.left + self.anchor, right_justify, self.matches)
        self.start = -1
        self.end = 0
        self.matches = []
        self.left = self.anchor = self.right = 0


def align_tokens(
    changes: Sequence[Change],
    role: int,
    options: AlignConsecutiveStyle,
    limit: int,
    start: int = 0,
    right_justify: bool = False,
) -> int:
    """Align runs of changes of ``role`` as clang-format does; return where the scope of ``start`` ends."""
    n = len(changes)
    seq = _Sequence()
    level0 = changes[start].level if start < n else (0, 0)
    across_empty_lines = options.AcrossEmptyLines
    across_comments = options.AcrossComments
    commas_before_match = commas_before_last_match = 0
    matching_column = -1  # where the match of the current line is (-1: no match yet)
    line_is_comment = True
    i = start
    while i != n:
        c = changes[i]
        level = c.level
        nested = level is not level0 and level != level0
        if nested and level < level0:
            break
        if c.newlines:
            commas_before_match = 0
            seq.end = i
            if seq.matches and (
                (c.newlines > 1 and not across_empty_lines)
                or (matching_column < 0 and not (line_is_comment and across_comments))
            ):
                seq.align(changes, right_justify)
            if matching_column >= 0 and c.indented_from < matching_column:
                matching_column = -1
            line_is_comment = c.comment
        elif not c.comment:
            line_is_comment = False
        if c.comma:
            commas_before_match += 1
        elif nested:  # a nested scope: aligned on its own
            i = align_tokens(changes, role, options, limit, i, right_justify)
            continue
        if c.role != role:
            i += 1
            continue
        # A second match on the line, or a match after another number of commas, ends the run.
        if (not c.newlines and matching_column >= 0) or commas_before_match != commas_before_last_match:
            seq.matches.append(i)
            seq.align(changes, right_justify)
        commas_before_last_match = commas_before_match
        matching_column = c.start_col
        if seq.start < 0:
            seq.start = i
        change_left = c.start_col
        change_anchor = c.length if right_justify else 0  # PadOperators: true
        current_right = 0 if right_justify else c.length
        change_right = 0
        paren_to_meet = -1
        j = i + 1
        while j != n:
            ch = changes[j]
            if ch.newlines == 0:
                if ch.matching >= 0 and paren_to_meet == -1 and j + 1 != n and changes[j + 1].newlines == 0:
                    paren_to_meet = ch.matching
                current_right += ch.spaces + ch.length
            elif paren_to_meet != -1 or ch.aligned:
                # clang-format resets MatchingParenToEncounter when it meets a token whose
                # MatchingParen is the closing bracket it waits for, which never happens:
                # once a bracket opened on the line, all its continuation lines count.
                if ch.matching >= 0 and paren_to_meet == -1 and j + 1 != n and changes[j + 1].newlines == 0:
                    paren_to_meet = ch.matching
                if current_right > change_right:
                    change_right = current_right
                width_start = change_left + change_anchor
                # A line left of the anchor does not continue the aligned line.
                if ch.indented_from < width_start:
                    break
                current_right = ch.spaces - width_start + ch.length
            else:
                break
            j += 1
        if current_right > change_right:
            change_right = current_right
        new_left = change_left if change_left > seq.left else seq.left
        new_anchor = change_anchor if change_anchor > seq.anchor else seq.anchor
        new_right = change_right if change_right > seq.right else seq.right
        if limit < new_left + new_anchor + new_right:
            seq.align(changes, right_justify)
            seq.start = i
            seq.left, seq.anchor, seq.right = change_left, change_anchor, change_right
        else:
            seq.left, seq.anchor, seq.right = new_left, new_anchor, new_right
        seq.matches.append(i)
        i += 1
    end = i
    while end < n and changes[end].newlines == 0:
        end += 1
    seq.end = end
    seq.align(changes, right_justify)
    return i


def align(changes: Sequence[Change], style: Style, roles: int = -1) -> None:
    """AlignConsecutiveDeclarations, then AlignConsecutiveAssignments, as clang-format orders them.

    ``roles``: the roles present in ``changes`` (DECLARATION | ASSIGNMENT),
    when the caller knows them; a pass with nothing to align is skipped.
    """
    if roles < 0:
        roles = 0
        for change in changes:
            roles |= change.role
    limit = style.ColumnLimit
    n = len(changes)
    passes = (
        (DECLARATION, style.AlignConsecutiveDeclarations, False),
        (ASSIGNMENT, style.AlignConsecutiveAssignments, True),
    )
    for role, options, right_justify in passes:
        if options.Enabled and roles & role:
            # The changes may start inside a scope (after an empty line in a
            # block) and go on outside it: each scope is aligned in turn.
            i = 0
            while i < n:
                i = align_tokens(changes, role, options, limit, i, right_justify)


def render_changes(changes: Sequence[Change]) -> str:
    """The text of the changes (clang-format's replacements, applied), without a final line break."""
    return "".join(
        [("\n" * c.newlines + " " * c.spaces + c.text) if c.newlines else (" " * c.spaces + c.text) for c in changes]
    )
