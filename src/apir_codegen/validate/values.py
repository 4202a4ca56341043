"""What the structure pass hands to the others: checked values with where they are, and how to name them.

Shared by every module of :mod:`apir_codegen.validate`: :class:`V` (a value of
the right kind, its node and the schema it was checked against, whose role
chooses its semantic checks), :class:`Entry` (a key of a mapping), and the
words diagnostics use to say where in the spec something is.
"""

from __future__ import annotations

from ..cdecl import is_identifier
from ..diagnostics import Location, printable
from ..loader import Node, ScalarNode

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from .. import schema as S


class V:
    """A structurally valid value and where it is (the location is made on demand).

    ``schema`` is the string schema a string value was checked against (its
    ``role`` chooses the semantic checks, see :mod:`.roles`); None for other kinds.
    """

    __slots__ = ("value", "node", "path", "schema")

    def __init__(self, value: Any, node: Node, path: str, schema: S.Str | None = None) -> None:
        self.value = value
        self.node = node
        self.path = path
        self.schema = schema

    @property
    def loc(self) -> Location:
        return self.node.location(self.path)


class Entry:
    """A key of a mapping with where it is, and its (valid) value or None."""

    __slots__ = ("key", "key_node", "value", "path")

    def __init__(self, key: str, key_node: Node, value: V | None, path: str) -> None:
        self.key = key
        self.key_node = key_node
        self.value = value
        self.path = path

    @property
    def key_loc(self) -> Location:
        return self.key_node.location(self.path)


#: How a value is named in messages, built only when a message needs it:
#: ("field", key, path), ("table", item kind, path), ("entry", index, subject)
#: or ("text", words).
Subject = tuple  # (kind, ...) as described above


def subject_text(subject: Subject) -> str:
    kind = subject[0]
    if kind == "field":
        return f"'{subject[1]}' {context(subject[2])}"
    if kind == "table":
        item, path = subject[1], subject[2]
        if item == "function" and len(path) >= 4:
            return f"function '{path[1]}.{path[3]}'"
        if item == "parameter":
            return f"parameter '{path[-1]}' {context(path)}"
        return f"{item} '{path[-1]}'"
    if kind == "entry":
        return f"entry {subject[1] + 1} of {subject_text(subject[2])}"
    return str(subject[1])


def context(path: tuple[str, ...]) -> str:
    """Words that say where in the spec a diagnostic is."""
    if len(path) >= 4 and path[0] == "functions" and path[2] == "functions":
        return f"in function '{path[1]}.{path[3]}'"
    if len(path) >= 2 and path[0] == "functions":
        return f"in group '{path[1]}'"
    if len(path) >= 3 and path[0] == "naming_patterns":
        return f"in override '{path[2]}'"
    if path:
        return f"in '{'.'.join(path)}'"
    return "at top level"


def plain(text: str) -> bool:
    """Whether text is written as itself inside a double-quoted YAML scalar (no escapes)."""
    return text.isprintable() and "\\" not in text and '"' not in text


def shown(text: str) -> str:
    """Text echoed in a message, on one line (see :func:`diagnostics.printable`)."""
    return printable(text)


def one_of(choices: tuple[str, ...]) -> str:
    quoted = [f"'{c}'" for c in choices]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def close_matches(word: str, candidates: list[str], n: int, cutoff: float) -> list[str]:
    import difflib  # only when there is something to suggest

    return difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)


def identifier_hint(name: str) -> str:
    fixed = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    if fixed and fixed[0].isdigit():
        fixed = "_" + fixed
    if fixed and is_identifier(fixed):
        return f"use letters, digits and underscores, e.g. '{fixed}'"
    return "use letters, digits and underscores, not starting with a digit"


def offset_location(value: V, offset: int) -> Location:
    """Location of a character inside a one-line string scalar (its start otherwise)."""
    node = value.node
    base = value.loc
    if not isinstance(node, ScalarNode) or node.line != node.end_line:
        return base
    if node.style == '"' and not plain(value.value[:offset]):
        return base  # an escape sequence before it: columns no longer match characters
    if node.style in ('"', "'"):
        return Location(base.path, base.line, base.column + 1 + offset)
    if node.style is None:
        return Location(base.path, base.line, base.column + offset)
    return base
