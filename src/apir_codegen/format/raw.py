"""The unformatted rendering: what ggml's reference script writes before clang-format.

Useful for projects that format with their own tools, and as the input of an
external clang-format run.  Types and parameters are written exactly as the
spec spells them.
"""

from __future__ import annotations

from .document import Blank, CaseReturn, Declaration, Document, EnumEntry, Item, Line, TableEntry


def _line(item: Item) -> str:
    if isinstance(item, Blank):
        return item.raw
    if isinstance(item, Line):
        return f"{item.raw_indent}{item.text}"
    if isinstance(item, Declaration):
        params = ", ".join(p.source for p in item.params)
        return f"{item.raw_return} {item.name}({params});"
    if isinstance(item, EnumEntry):
        return f"{item.raw_indent}{item.name} = {item.value},"
    if isinstance(item, CaseReturn):
        return f'{item.raw_indent}case {item.label}:\n{item.raw_indent}    return "{item.text}";'
    if isinstance(item, TableEntry):
        note = f" {item.note}" if item.note else ""
        return f"{item.raw_indent}/* {item.label}  = */ {item.value}{note},"
    raise TypeError(item)  # pragma: no cover - Item is closed


def render_raw(doc: Document) -> str:
    return "".join(_line(item) + "\n" for item in doc.items)
