"""``backend/shared/apir_backend.gen.h``: the command enum and the command-name lookup."""

from __future__ import annotations

from ..format.document import Blank, CaseReturn, Document, EnumEntry, Item, Line
from ..model import Spec
from .common import group_runs

COUNT_NAME = "APIR_BACKEND_DISPATCH_TABLE_COUNT"


def emit(spec: Spec) -> Document:
    items: list[Item] = []
    if spec.fingerprint:
        from ..fingerprint import FINGERPRINT_MACRO, fingerprint_literal  # hashlib only when asked for

        items += [Line(f"#define {FINGERPRINT_MACRO} {fingerprint_literal(spec)}"), Blank()]
    items.append(Line("typedef enum ApirBackendCommandType {"))
    for description, commands in group_runs(spec.commands):
        items.append(Blank())
        items.append(Line(f"/* {description} */", level=1, raw_indent="  ", comment=True))
        for cmd in commands:
            if cmd.retired:
                items.append(
                    Line(f"/* {cmd.enum_name} is retired: calls are rejected. */", level=1, raw_indent="  ", comment=True)
                )
            items.append(EnumEntry(cmd.enum_name, str(cmd.number)))
    items += [
        Blank(),
        Line("// last command_type index + 1", level=1, raw_indent="  ", comment=True),
        EnumEntry(COUNT_NAME, str(len(spec.commands))),
        Line("} ApirBackendCommandType;"),
        Blank(),
        Line(
            "static inline const char * apir_dispatch_command_name(ApirBackendCommandType type) {",
            opens_block=True,
        ),
        Line("switch (type) {", level=1, raw_indent="    ", opens_block=True),
    ]
    for description, commands in group_runs(spec.commands):
        items.append(Line(f"/* {description} */", level=2, raw_indent="        ", comment=True))
        items.extend(CaseReturn(cmd.enum_name, cmd.key) for cmd in commands)
    items += [
        Blank(),
        Line("default:", level=2, raw_indent="        "),
        Line('return "unknown";', level=3, raw_indent="            "),
        Line("}", level=1, raw_indent="    "),
        Line("}"),
    ]
    return Document(tuple(items))
