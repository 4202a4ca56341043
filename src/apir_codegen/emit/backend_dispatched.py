"""``backend/backend-dispatched.gen.h``: host handler declarations and the dispatch table."""

from __future__ import annotations

from ..cdecl import CType, parse_param
from ..format.document import Blank, Declaration, Document, Item, Line, TableEntry
from ..model import Spec
from .common import group_runs

HANDLER_RETURN = CType(("uint32_t",))
HANDLER_PARAMS_TEXT = ("apir_encoder *enc", "apir_decoder *dec", "virgl_apir_context *ctx")
TABLE_DECLARATION = (
    "static const backend_dispatch_t apir_backend_dispatch_table[APIR_BACKEND_DISPATCH_TABLE_COUNT] = {"
)


RETIRED_HANDLER = "apir_backend_retired_command"
INDEX_INVALID = "APIR_BACKEND_FORWARD_INDEX_INVALID"


def retired_handler() -> list[Item]:
    """The handler every retired command's slot points to: it rejects the call."""
    return [
        Blank(),
        Line(f"#ifndef {INDEX_INVALID}"),
        Line(f"#    define {INDEX_INVALID} 6"),
        Line("#endif"),
        Blank(),
        Line("/* Retired commands keep their numbers; a call to one is rejected as an invalid command. */", comment=True),
        Line(
            f"static inline uint32_t {RETIRED_HANDLER}(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {{",
            opens_block=True,
        ),
        Line("(void) enc;", level=1, raw_indent="    "),
        Line("(void) dec;", level=1, raw_indent="    "),
        Line("(void) ctx;", level=1, raw_indent="    "),
        Line(f"return {INDEX_INVALID};", level=1, raw_indent="    "),
        Line("}"),
    ]


def emit(spec: Spec) -> Document:
    handler_params = tuple(parse_param(text) for text in HANDLER_PARAMS_TEXT)
    items: list[Item] = [Line("#pragma once"), Blank()]
    for description, commands in group_runs(spec.commands):
        items.append(Blank())
        items.append(Line(f"/* {description} */", comment=True))
        for cmd in commands:
            if cmd.retired:
                items.append(Line(f"/* {cmd.enum_name} is retired: its slot rejects calls. */", comment=True))
                continue
            if cmd.deprecated:
                items.append(
                    Line(
                        f"/* {cmd.enum_name} is deprecated. Keeping the handler for backward compatibility. */",
                        comment=True,
                    )
                )
            items.append(Declaration(HANDLER_RETURN, cmd.handler_name, handler_params, raw_return="uint32_t"))
    if spec.has_retired:
        items += retired_handler()
    items += [Blank(), Line('extern "C" {'), Line(TABLE_DECLARATION), Blank(raw="  ")]
    for index, (description, commands) in enumerate(group_runs(spec.commands)):
        if index:
            items.append(Blank())
        items.append(Line(f"/* {description} */", level=1, raw_indent="  ", comment=True))
        items.append(Blank())
        for cmd in commands:
            if cmd.retired:
                items.append(TableEntry(cmd.enum_name, RETIRED_HANDLER, "/* RETIRED */"))
            else:
                note = "/* DEPRECATED */" if cmd.deprecated else None
                items.append(TableEntry(cmd.enum_name, cmd.handler_name, note))
    items += [Line("};"), Line("}")]
    return Document(tuple(items))
