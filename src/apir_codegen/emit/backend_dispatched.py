"""``backend/backend-dispatched.gen.h``: host handler declarations and the dispatch table."""

from __future__ import annotations

from ..cdecl import CType, Param, parse_param
from ..format.outline import (
    EXTERN_BLOCK,
    FUNCTION_BODY,
    INITIALIZER_LIST,
    Blank,
    Block,
    Comment,
    Conditional,
    Declaration,
    Directive,
    Item,
    Outline,
    TableEntry,
)
from ..format.statements import Call, Return
from ..model import Spec
from .common import group_runs

HANDLER_RETURN = CType(("uint32_t",))
HANDLER_PARAMS_TEXT = ("apir_encoder *enc", "apir_decoder *dec", "virgl_apir_context *ctx")
TABLE_DECLARATION = "static const backend_dispatch_t apir_backend_dispatch_table[APIR_BACKEND_DISPATCH_TABLE_COUNT] ="


RETIRED_HANDLER = "apir_backend_retired_command"
INDEX_INVALID = "APIR_BACKEND_FORWARD_INDEX_INVALID"


def _handler(name: str, params: tuple[Param, ...], specifiers: tuple[str, ...] = ()) -> Declaration:
    return Declaration(HANDLER_RETURN, name, params, raw_return="uint32_t", specifiers=specifiers)


def retired_handler(params: tuple[Param, ...]) -> list[Item]:
    """The handler every retired command's slot points to: it rejects the call."""
    body = tuple(Call(f"(void) {param.name}") for param in params)
    return [
        Blank(),
        Conditional(f"ifndef {INDEX_INVALID}", (Directive(f"define {INDEX_INVALID} 6"),)),
        Blank(),
        Comment("/* Retired commands keep their numbers; a call to one is rejected as an invalid command. */"),
        Block(
            FUNCTION_BODY,
            _handler(RETIRED_HANDLER, params, specifiers=("static", "inline")),
            (*body, Return(INDEX_INVALID)),
        ),
    ]


def emit(spec: Spec) -> Outline:
    params = tuple(parse_param(text) for text in HANDLER_PARAMS_TEXT)
    items: list[Item] = [Directive("pragma once"), Blank()]
    for description, commands in group_runs(spec.commands):
        items.append(Blank())
        items.append(Comment(f"/* {description} */"))
        for cmd in commands:
            if cmd.retired:
                items.append(Comment(f"/* {cmd.enum_name} is retired: its slot rejects calls. */"))
                continue
            if cmd.deprecated:
                items.append(
                    Comment(f"/* {cmd.enum_name} is deprecated. Keeping the handler for backward compatibility. */")
                )
            items.append(_handler(cmd.handler_name, params))
    if spec.has_retired:
        items += retired_handler(params)
    table: list[Item] = [Blank()]
    for index, (description, commands) in enumerate(group_runs(spec.commands)):
        if index:
            table.append(Blank())
        table += [Comment(f"/* {description} */"), Blank()]
        for cmd in commands:
            if cmd.retired:
                table.append(TableEntry(cmd.enum_name, RETIRED_HANDLER, "/* RETIRED */"))
            else:
                note = "/* DEPRECATED */" if cmd.deprecated else None
                table.append(TableEntry(cmd.enum_name, cmd.handler_name, note))
    items += [
        Blank(),
        Block(EXTERN_BLOCK, 'extern "C"', (Block(INITIALIZER_LIST, TABLE_DECLARATION, tuple(table), ";"),)),
    ]
    return Outline(tuple(items))
