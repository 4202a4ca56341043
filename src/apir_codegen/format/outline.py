"""Structured input for the formatters: what a generated file contains, not how it looks.

An emitter describes a header as items (declarations, enumerators, comments,
directives, ...) and blocks that hold items (a function body, an enum body,
an initializer list, ...).  It never says how anything is laid out: no
indentation, no alignment, no spacing inside types, no braces.  A formatter
turns the structure into text: the built-in ggml style (``format/ggml/``) lays
it out as clang-format would, the unformatted style (``format/raw.py``) writes
what ggml's reference script writes before clang-format.  Each item carries
what both need, nothing more.

The statements of a function body are the statement model's
(:class:`~.statements.Call`, :class:`~.statements.Return`): the formatter
spaces them.  An empty line is the statement model's
:class:`~.statements.Blank`, here as in a function body.  Comments and
preprocessor directives are text.
"""

from __future__ import annotations

from ..cdecl import CType, Param
from .statements import Blank, Call, Return


class Comment:
    """A comment on its own line (``/* ... */`` or ``// ...``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class Directive:
    """A preprocessor directive: ``#`` and ``text`` (``pragma once``, ``define X 1``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class Declaration:
    """A function declaration ``SPECIFIERS RET NAME(PARAM, ...);``.

    As the head of a :data:`FUNCTION_BODY` block, the function's definition.
    ``raw_return`` is the return type as written in the spec, for the
    unformatted rendering.
    """

    __slots__ = ("return_type", "name", "params", "raw_return", "specifiers")

    def __init__(
        self,
        return_type: CType,
        name: str,
        params: tuple[Param, ...],
        raw_return: str,
        specifiers: tuple[str, ...] = (),
    ) -> None:
        self.return_type = return_type
        self.name = name
        self.params = params
        self.raw_return = raw_return
        self.specifiers = specifiers


class EnumEntry:
    """``NAME = VALUE,`` in an enum body."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value


class CaseReturn:
    """``case LABEL:`` (``default:`` when ``label`` is None) then ``return "TEXT";``, in a switch body."""

    __slots__ = ("label", "text")

    def __init__(self, label: str | None, text: str) -> None:
        self.label = label
        self.text = text


class TableEntry:
    """``/* LABEL  = */ VALUE /* NOTE */,`` in an initializer list."""

    __slots__ = ("label", "value", "note")

    def __init__(self, label: str, value: str, note: str | None = None) -> None:
        self.label = label
        self.value = value
        self.note = note


# What a block's braces enclose.
FUNCTION_BODY = "function body"
SWITCH_BODY = "switch body"
ENUM_BODY = "enum body"
INITIALIZER_LIST = "initializer list"
EXTERN_BLOCK = "extern block"


class Block:
    """``HEAD {``, the items, ``}`` then ``after`` (``;``, ``Name;`` or nothing).

    ``kind`` says what the braces enclose (:data:`FUNCTION_BODY`, ...); the
    head is a :class:`Declaration` for a function body, text otherwise
    (``switch (type)``, ``extern "C"``).
    """

    __slots__ = ("kind", "head", "items", "after")

    def __init__(self, kind: str, head: str | Declaration, items: tuple[Item, ...], after: str = "") -> None:
        self.kind = kind
        self.head = head
        self.items = items
        self.after = after

    @property
    def closing(self) -> str:
        """The closing line: ``}`` and what follows it (``};``, ``} Name;``)."""
        return "}" + (" " + self.after if self.after[:1].isidentifier() else self.after)


class Conditional:
    """``#DIRECTIVE`` (``ifndef X``), the items, then ``#endif``."""

    __slots__ = ("directive", "items")

    def __init__(self, directive: str, items: tuple[Item, ...]) -> None:
        self.directive = directive
        self.items = items


Item = (
    Blank
    | Comment
    | Directive
    | Declaration
    | EnumEntry
    | CaseReturn
    | TableEntry
    | Block
    | Conditional
    | Call
    | Return
)


class Outline:
    """One generated file as structure: its items, in order (what an emitter returns)."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[Item, ...]) -> None:
        self.items = items
