"""Enumerators and initializer-list entries: where clang-format breaks one that does not fit.

Options: ColumnLimit (ContinuationIndentWidth for the value of a broken
enumerator is applied by the layout).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .style import Style


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
