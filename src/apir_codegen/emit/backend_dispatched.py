"""``backend/backend-dispatched.gen.h``: host handler declarations and the dispatch table."""

from __future__ import annotations

from ..cdecl import CType, parse_param
from ..format.document import Blank, Declaration, Document, Item, Line, TableEntry
from ..model import Spec
from .common import group_runs

HANDLER_RETURN = CType(("uint32_t",))
HANDLER_PARAMS = tuple(
    parse_param(text) for text in ("apir_encoder *enc", "apir_decoder *dec", "virgl_apir_context *ctx")
)
TABLE_DECLARATION = (
    "static const backend_dispatch_t apir_backend_dispatch_table[APIR_BACKEND_DISPATCH_TABLE_COUNT] = {"
)


def handler_declaration(name: str) -> Declaration:
    return Declaration(HANDLER_RETURN, name, HANDLER_PARAMS, raw_return="uint32_t")


def emit(spec: Spec) -> Document:
    items: list[Item] = [Line("#pragma once"), Blank()]
    for description, commands in group_runs(spec.commands):
        items.append(Blank())
        items.append(Line(f"/* {description} */", comment=True))
        for cmd in commands:
            if cmd.deprecated:
                items.append(
                    Line(
                        f"/* {cmd.enum_name} is deprecated. Keeping the handler for backward compatibility. */",
                        comment=True,
                    )
                )
            items.append(handler_declaration(cmd.handler_name))
    items += [Blank(), Line('extern "C" {'), Line(TABLE_DECLARATION), Blank(raw="  ")]
    for index, (description, commands) in enumerate(group_runs(spec.commands)):
        if index:
            items.append(Blank())
        items.append(Line(f"/* {description} */", level=1, raw_indent="  ", comment=True))
        items.append(Blank())
        for cmd in commands:
            note = "/* DEPRECATED */" if cmd.deprecated else None
            items.append(TableEntry(cmd.enum_name, cmd.handler_name, note))
    items += [Line("};"), Line("}")]
    return Document(tuple(items))
