"""Structured input for the formatters.

An emitter describes a header as a list of lines of a few kinds (declarations,
enum entries, comments, ...).  A formatter turns that list into text: the
built-in ggml style lays it out as clang-format would, the unformatted style
writes what ggml's reference script writes before clang-format.  Each item
carries what both need, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cdecl import CType, Param


@dataclass(frozen=True)
class Blank:
    """An empty line.  ``raw`` is its text in the unformatted rendering."""

    raw: str = ""


@dataclass(frozen=True)
class Line:
    """A line that formatting only re-indents: code or a comment.

    ``level`` is the block depth (4 columns each in ggml style); ``raw_indent``
    the indentation the unformatted rendering uses.  ``opens_block`` marks a
    line ending in the ``{`` of a function or statement body: clang-format
    drops empty lines right after it.
    """

    text: str
    level: int = 0
    raw_indent: str = ""
    comment: bool = False
    opens_block: bool = False


@dataclass(frozen=True)
class Declaration:
    """A function declaration ``RET NAME(PARAM, ...);`` at file scope."""

    return_type: CType
    name: str
    params: tuple[Param, ...]
    #: Return type as written in the spec, for the unformatted rendering.
    raw_return: str


@dataclass(frozen=True)
class EnumEntry:
    """``NAME = VALUE,`` inside an enum body."""

    name: str
    value: str
    level: int = 1
    raw_indent: str = "  "


@dataclass(frozen=True)
class CaseReturn:
    """``case LABEL:`` followed by ``return "TEXT";`` in a switch."""

    label: str
    text: str
    level: int = 2
    raw_indent: str = "        "


@dataclass(frozen=True)
class TableEntry:
    """``/* LABEL  = */ VALUE /* NOTE */,`` in a braced initializer list."""

    label: str
    value: str
    note: str | None = None
    level: int = 1
    raw_indent: str = "  "


Item = Blank | Line | Declaration | EnumEntry | CaseReturn | TableEntry


@dataclass(frozen=True)
class Document:
    items: tuple[Item, ...]
