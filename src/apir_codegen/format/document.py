"""Structured input for the formatters.

An emitter describes a header as a list of lines of a few kinds (declarations,
enum entries, comments, ...).  A formatter turns that list into text: the
built-in ggml style lays it out as clang-format would, the unformatted style
writes what ggml's reference script writes before clang-format.  Each item
carries what both need, nothing more.
"""

from __future__ import annotations

from ..cdecl import CType, Param


class Blank:
    """An empty line.  ``raw`` is its text in the unformatted rendering."""

    __slots__ = ("raw",)

    def __init__(self, raw: str = "") -> None:
        self.raw = raw


class Line:
    """A line that formatting only re-indents: code or a comment.

    ``level`` is the block depth (4 columns each in ggml style); ``raw_indent``
    the indentation the unformatted rendering uses.  ``opens_block`` marks a
    line ending in the ``{`` of a function or statement body: clang-format
    drops empty lines right after it.
    """

    __slots__ = ("text", "level", "raw_indent", "comment", "opens_block")

    def __init__(
        self, text: str, level: int = 0, raw_indent: str = "", comment: bool = False, opens_block: bool = False
    ) -> None:
        self.text = text
        self.level = level
        self.raw_indent = raw_indent
        self.comment = comment
        self.opens_block = opens_block


class Declaration:
    """A function declaration ``RET NAME(PARAM, ...);`` at file scope.

    ``raw_return`` is the return type as written in the spec, for the
    unformatted rendering.
    """

    __slots__ = ("return_type", "name", "params", "raw_return")

    def __init__(self, return_type: CType, name: str, params: tuple[Param, ...], raw_return: str) -> None:
        self.return_type = return_type
        self.name = name
        self.params = params
        self.raw_return = raw_return


class EnumEntry:
    """``NAME = VALUE,`` inside an enum body."""

    __slots__ = ("name", "value", "level", "raw_indent")

    def __init__(self, name: str, value: str, level: int = 1, raw_indent: str = "  ") -> None:
        self.name = name
        self.value = value
        self.level = level
        self.raw_indent = raw_indent


class CaseReturn:
    """``case LABEL:`` followed by ``return "TEXT";`` in a switch."""

    __slots__ = ("label", "text", "level", "raw_indent")

    def __init__(self, label: str, text: str, level: int = 2, raw_indent: str = "        ") -> None:
        self.label = label
        self.text = text
        self.level = level
        self.raw_indent = raw_indent


class TableEntry:
    """``/* LABEL  = */ VALUE /* NOTE */,`` in a braced initializer list."""

    __slots__ = ("label", "value", "note", "level", "raw_indent")

    def __init__(self, label: str, value: str, note: str | None = None, level: int = 1, raw_indent: str = "  ") -> None:
        self.label = label
        self.value = value
        self.note = note
        self.level = level
        self.raw_indent = raw_indent


Item = Blank | Line | Declaration | EnumEntry | CaseReturn | TableEntry


class Document:
    __slots__ = ("items",)

    def __init__(self, items: tuple[Item, ...]) -> None:
        self.items = items
