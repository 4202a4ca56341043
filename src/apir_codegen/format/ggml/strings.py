"""String literals: where clang-format splits one that does not fit (BreakStringLiterals).

Options: ColumnLimit, BreakStringLiterals.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .style import Style


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
        cut = _string_split(rest, content_column, limit - 1)
        if cut is None:
            break
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces
