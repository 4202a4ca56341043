"""``backend/shared/apir_backend.gen.h``: the command enum and the command-name lookup."""

from __future__ import annotations

from ..cdecl import parse_param, parse_type
from ..format.outline import (
    ENUM_BODY,
    FUNCTION_BODY,
    SWITCH_BODY,
    Blank,
    Block,
    CaseReturn,
    Comment,
    Declaration,
    Directive,
    EnumEntry,
    Item,
    Outline,
)
from ..model import Spec
from .common import group_runs

COUNT_NAME = "APIR_BACKEND_DISPATCH_TABLE_COUNT"
NAME_LOOKUP_RETURN = "const char *"
NAME_LOOKUP = "apir_dispatch_command_name"
NAME_LOOKUP_PARAM = "ApirBackendCommandType type"


def emit(spec: Spec) -> Outline:
    items: list[Item] = []
    if spec.fingerprint:
        from ..fingerprint import FINGERPRINT_MACRO, fingerprint_literal  # hashlib only when asked for

        items += [Directive(f"define {FINGERPRINT_MACRO} {fingerprint_literal(spec)}"), Blank()]
    enum: list[Item] = []
    for description, commands in group_runs(spec.commands):
        enum += [Blank(), Comment(f"/* {description} */")]
        for cmd in commands:
            if cmd.retired:
                enum.append(Comment(f"/* {cmd.enum_name} is retired: calls are rejected. */"))
            enum.append(EnumEntry(cmd.enum_name, str(cmd.number)))
    enum += [Blank(), Comment("// last command_type index + 1"), EnumEntry(COUNT_NAME, str(len(spec.commands)))]
    items += [Block(ENUM_BODY, "typedef enum ApirBackendCommandType", tuple(enum), "ApirBackendCommandType;"), Blank()]
    cases: list[Item] = []
    for description, commands in group_runs(spec.commands):
        cases.append(Comment(f"/* {description} */"))
        cases.extend(CaseReturn(cmd.enum_name, cmd.key) for cmd in commands)
    cases += [Blank(), CaseReturn(None, "unknown")]
    lookup = Declaration(
        parse_type(NAME_LOOKUP_RETURN),
        NAME_LOOKUP,
        (parse_param(NAME_LOOKUP_PARAM),),
        raw_return=NAME_LOOKUP_RETURN,
        specifiers=("static", "inline"),
    )
    items.append(Block(FUNCTION_BODY, lookup, (Block(SWITCH_BODY, "switch (type)", tuple(cases)),)))
    return Outline(tuple(items))
