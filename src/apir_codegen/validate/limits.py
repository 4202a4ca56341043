"""Length limits: what fits the lines of the headers in the selected style.

In ggml's style (:mod:`apir_codegen.format.ggml.style`) a line has at most
``ColumnLimit`` columns, whatever clang-format does, so some names cannot be
laid out at all:

* an enum name stands in the dispatch table's ``/* NAME  = */`` comment,
  indented by ``IndentWidth``;
* a parameter may have to stand on its own line, indented by
  ``ContinuationIndentWidth``, with ``);`` after it;
* a return type may have to stand on its own line.

The other styles (``unformatted``, ``clang-format``) lay nothing out to a
column limit of ours, so they have no limits: :func:`limits` gives None.
No other cap is needed: inputs are at most 64 MiB (:mod:`apir_codegen.files`),
every stage is linear in them, and GCC and Clang, which build ggml, take
identifiers of any length.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ..format.ggml.style import Style

#: What frames an enum name in a dispatch-table entry, besides the indentation.
TABLE_COMMENT = ("/* ", "  = */")
#: What follows the last parameter of a declaration.
DECLARATION_END = ");"


class Limits:
    """The longest composed name, parameter and return type that fit; ``headers`` names them in messages."""

    __slots__ = ("name", "parameter", "return_type", "headers")

    def __init__(self, style: Style) -> None:
        columns = style.ColumnLimit
        self.name = columns - style.IndentWidth - sum(map(len, TABLE_COMMENT))
        self.parameter = columns - style.ContinuationIndentWidth - len(DECLARATION_END)
        self.return_type = columns
        self.headers = f"ggml's {columns}-column headers"


def limits(style: Style | None) -> Limits | None:
    """The limits of ``style``; None (no limits) for output not laid out by our formatter."""
    return Limits(style) if style is not None else None
