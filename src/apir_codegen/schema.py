"""The spec format, declared once.

This declaration is the single source of truth for the structure of a spec: the
validator walks YAML nodes against it (kinds, required keys, unknown keys) and
``apir-codegen schema`` turns it into a JSON Schema, so the two cannot disagree.
Checks that a JSON Schema cannot express (C declarations, name collisions) live
in :mod:`apir_codegen.validate`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

IDENTIFIER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
#: Prefixes are glued in front of identifiers, so they may be empty but must be
#: made of identifier characters and must not start with a digit.
PREFIX_PATTERN = r"^([A-Za-z_][A-Za-z0-9_]*)?$"
#: Text that lands in a C comment: one line, no comment terminator, no control
#: characters but tab, and not a clang-format directive (``clang-format off``).
COMMENT_TEXT_PATTERN = r"^(?!\s*clang-format)(?![\s\S]*\*/)[^\n\r\x00-\x08\x0b-\x1f\x7f]*$"


class Schema:
    description: str = ""

    def json(self) -> dict[str, Any]:
        raise NotImplementedError


class Str(Schema):
    """A string; ``role`` names what it holds, for diagnostics and checks."""

    def __init__(self, role: str = "text", pattern: str | None = None, description: str = "") -> None:
        self.role = role
        self.pattern = pattern
        self.description = description

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if self.pattern:
            out["pattern"] = self.pattern
        if self.description:
            out["description"] = self.description
        return out


class Bool(Schema):
    def __init__(self, description: str = "") -> None:
        self.description = description

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "boolean"}
        if self.description:
            out["description"] = self.description
        return out


class Field:
    def __init__(self, schema: Schema, required: bool = False, description: str = "") -> None:
        self.schema = schema
        self.required = required
        self.description = description


class Struct(Schema):
    """A mapping with a fixed set of keys, like a C struct; unknown keys are errors."""

    def __init__(
        self, name: str, fields: dict[str, Field] | None = None, nullable: bool = False, description: str = ""
    ) -> None:
        self.name = name
        self.fields = fields or {}
        self.nullable = nullable
        self.description = description
        self.required = frozenset(key for key, fld in self.fields.items() if fld.required)

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": ["object", "null"] if self.nullable else "object",
            "additionalProperties": False,
            "properties": {},
        }
        if self.description:
            out["description"] = self.description
        for key, fld in self.fields.items():
            sub = fld.schema.json()
            if fld.description and "description" not in sub:
                sub["description"] = fld.description
            out["properties"][key] = sub
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            out["required"] = required
        return out


class Table(Schema):
    """A mapping from names (identifiers) to values of one kind; order is kept."""

    def __init__(self, key: Str, value: Schema, item: str = "entry", description: str = "") -> None:
        self.key = key
        self.value = value
        self.item = item
        self.description = description

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "propertyNames": {"pattern": self.key.pattern} if self.key.pattern else {},
            "additionalProperties": self.value.json(),
        }
        if self.description:
            out["description"] = self.description
        return out


class List(Schema):
    def __init__(self, item: Schema, description: str = "") -> None:
        self.item = item
        self.description = description

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.description:
            out["description"] = self.description
        return out


C_TYPE = Str(
    role="c-type",
    description="A C type, e.g. 'const char *', 'enum ggml_status', 'apir_buffer_context_t'.",
)
C_PARAM = Str(
    role="c-param",
    description="One C parameter declaration: a type and a name, e.g. 'const ggml_tensor *op'.",
)
IDENT = Str(role="identifier", pattern=IDENTIFIER_PATTERN, description="A C identifier.")

FUNCTION = Struct(
    "function",
    nullable=True,
    description="A remoted function; null or empty means all defaults.",
    fields={
        "enabled": Field(Bool(), description="false leaves the function out entirely (default true)."),
        "deprecated": Field(
            Bool(),
            description="Keep the command number and host handler, drop the guest declaration (default false).",
        ),
        "retired": Field(
            Bool(),
            description=(
                "The command is gone for good: its number stays reserved, its table slot rejects calls and "
                "the guest gets no declaration (default false)."
            ),
        ),
        "frontend_return": Field(C_TYPE, description="Return type of the guest function (default void)."),
        "frontend_extra_params": Field(
            List(C_PARAM),
            description="Guest parameters after frontend_base_param (default none).",
        ),
    },
)

GROUP = Struct(
    "group",
    description="A group of functions; its description heads the group in each header.",
    fields={
        "group_description": Field(
            Str(role="comment", pattern=COMMENT_TEXT_PATTERN),
            required=True,
            description="Shown as a C comment before the group's first command.",
        ),
        "functions": Field(
            Table(IDENT, FUNCTION, item="function"),
            required=True,
            description="The group's functions in command order.",
        ),
    },
)

NAMING = Struct(
    "naming_patterns",
    description="How command, handler and guest function names are made.",
    fields={
        "enum_prefix": Field(
            Str(role="prefix", pattern=PREFIX_PATTERN),
            required=True,
            description="Prefix of enum names: <enum_prefix><GROUP>_<FUNCTION>.",
        ),
        "backend_function_prefix": Field(
            Str(role="prefix", pattern=PREFIX_PATTERN),
            required=True,
            description="Prefix of host handlers: <prefix><group>_<function>.",
        ),
        "frontend_function_prefix": Field(
            Str(role="prefix", pattern=PREFIX_PATTERN),
            required=True,
            description="Prefix of guest functions: <prefix><group>_<function>.",
        ),
        "frontend_base_param": Field(
            C_PARAM,
            required=True,
            description="First parameter of every guest function, e.g. 'struct virtgpu *gpu'.",
        ),
        "backend_function_overrides": Field(
            Table(IDENT, IDENT, item="override"),
            description="Handler names that do not follow the prefix rule, keyed by <group>_<function>.",
        ),
    },
)

CONFIG = Struct(
    "config",
    description="Legacy settings of ggml's script; accepted, they do not steer the output.",
    fields={
        "base_path": Field(Str()),
        "files": Field(
            Struct(
                "files",
                fields={
                    "apir_backend_header": Field(Str()),
                    "backend_dispatched_header": Field(Str()),
                    "virtgpu_forward_header": Field(Str()),
                },
            )
        ),
    },
)

PROTOCOL = Struct(
    "protocol",
    description="Options of the generated protocol.",
    fields={
        "fingerprint": Field(
            Bool(),
            description=(
                "Define APIR_PROTOCOL_FINGERPRINT in apir_backend.gen.h: a hash of command numbers, names and "
                "signatures that guest and host can compare at handshake (default false)."
            ),
        ),
    },
)

SPEC = Struct(
    "spec",
    description="An API-remoting spec (the format of ggml's ggmlremoting_functions.yaml).",
    fields={
        "config": Field(CONFIG),
        "functions": Field(
            Table(IDENT, GROUP, item="group"),
            required=True,
            description="Groups of functions, in command order.",
        ),
        "naming_patterns": Field(NAMING, required=True),
        "protocol": Field(PROTOCOL),
    },
)


def json_schema() -> dict[str, Any]:
    """The spec format as a JSON Schema (draft 2020-12)."""
    body = SPEC.json()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:apir-codegen:spec:1",
        "title": "apir-codegen remoting spec",
        **body,
    }


def json_schema_text() -> str:
    """The JSON Schema as the text committed in ``schema/spec.schema.json``."""
    import json

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
