"""``apir-codegen dump``: the resolved model as JSON, for other tools."""

from __future__ import annotations

from typing import Any

from .cdecl import CType, Param
from .diagnostics import Location
from .fingerprint import fingerprint_literal
from .model import Command, Function, Marshal, Slot, Spec

DUMP_FORMAT = 1


def _location(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line, "column": loc.column}


def _type(ctype: CType) -> dict[str, Any]:
    return {
        "spelling": ctype.spelling,
        "base": " ".join(ctype.base),
        "qualifiers": list(ctype.qualifiers),
        "pointers": [list(p.qualifiers) for p in ctype.pointers],
    }


def _param(param: Param) -> dict[str, Any]:
    return {"name": param.name, "type": _type(param.type), "source": param.source}


def _function(func: Function) -> dict[str, Any]:
    return {
        "name": func.name,
        "enabled": func.enabled,
        "deprecated": func.deprecated,
        "retired": func.retired,
        "location": _location(func.location),
    }


def _slot(slot: Slot) -> dict[str, Any]:
    out: dict[str, Any] = {"codec": slot.codec, "direction": slot.direction, "host_name": slot.host_name}
    if slot.param is not None:
        out["param"] = slot.param.name
    if slot.length is not None:
        out["length"] = slot.length
    if slot.mutable:
        out["mutable"] = True
    if slot.destroy:
        out["lifecycle"] = "destroy"
    return out


def _marshal(marshal: Marshal | None) -> dict[str, Any] | None:
    if marshal is None:
        return None
    return {
        "guest": marshal.guest,
        "host": marshal.host,
        "params": [_slot(s) for s in marshal.params],
        "returns": _slot(marshal.returns) if marshal.returns is not None else None,
        "checks": list(marshal.checks),
        "host_call": marshal.host_call,
        "hook": marshal.hooked,
    }


def _command(cmd: Command) -> dict[str, Any]:
    return {
        "number": cmd.number,
        "name": cmd.key,
        "group": cmd.group,
        "function": cmd.function.name,
        "status": cmd.status,
        "enum": cmd.enum_name,
        "host_handler": cmd.handler_name,
        "guest_function": cmd.guest_name,
        "return_type": _type(cmd.return_type),
        "params": [_param(p) for p in cmd.params],
        "marshal": _marshal(cmd.marshal),
        "location": _location(cmd.function.location),
    }


def dump(spec: Spec) -> dict[str, Any]:
    naming = spec.naming
    return {
        "format": DUMP_FORMAT,
        "spec": spec.path,
        "lock_file": spec.lock_path,
        "fingerprint": fingerprint_literal(spec),
        "fingerprint_in_headers": spec.fingerprint,
        "naming_patterns": {
            "enum_prefix": naming.enum_prefix,
            "backend_function_prefix": naming.backend_function_prefix,
            "frontend_function_prefix": naming.frontend_function_prefix,
            "frontend_base_param": _param(naming.frontend_base_param),
            "backend_function_overrides": dict(naming.backend_function_overrides),
        },
        "groups": [
            {
                "name": g.name,
                "description": g.description,
                "location": _location(g.location),
                "functions": [_function(f) for f in g.functions],
            }
            for g in spec.groups
        ],
        "commands": [_command(c) for c in spec.commands],
        "marshalling": (
            None
            if spec.marshalling is None
            else {
                "guest_output": spec.marshalling.guest_output,
                "host_output": spec.marshalling.host_output,
                "host_impl_header": spec.marshalling.host_impl_header,
                "fuzz_output": spec.marshalling.fuzz_output,
            }
        ),
    }
