"""The spec format, declared once.

This declaration is the single source of truth for the structure of a spec: the
validator walks YAML nodes against it (kinds, required keys, unknown keys) and
``apir-codegen schema`` turns it into a JSON Schema, so the two cannot disagree.
Checks that a JSON Schema cannot express (C declarations, name collisions) live
in :mod:`apir_codegen.validate`; each string is declared with a *role* (what it
holds, :data:`ROLES`), and the role, not the key, chooses those checks.
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


#: Roles: what a string holds.  The structure pass checks table keys of the
#: ``identifier`` role; the semantic pass chooses the checks of every other
#: string by its role (:mod:`apir_codegen.validate.roles`, and
#: :mod:`apir_codegen.validate.marshal` for the marshalling roles).
TEXT = "text"
IDENTIFIER = "identifier"
FUNCTION_NAME = "function-name"
PREFIX = "prefix"
ENUM_PREFIX = "enum-prefix"
COMMENT = "comment"
C_TYPE_ROLE = "c-type"
C_PARAM_ROLE = "c-param"
CODEC_ROLE = "codec"
DIRECTION_ROLE = "direction"
LIFECYCLE = "lifecycle"
C_EXPRESSION_ROLE = "c-expression"
OUTPUT_PATH = "output-path"

ROLES = {
    TEXT: "free text, kept as written (not checked)",
    IDENTIFIER: "a C identifier",
    FUNCTION_NAME: "a C identifier the headers declare as a function: not a keyword, nor a word clang-format "
    "treats specially",
    PREFIX: "glued in front of names to make identifiers: identifier characters, not reserved",
    ENUM_PREFIX: "a prefix glued in front of upper-cased names (a lone '_' makes them reserved)",
    COMMENT: "text written into a C comment: one line, no '*/', no control or bidirectional characters",
    C_TYPE_ROLE: "a C type that parses, fits the style's limits and compiles where the headers do",
    C_PARAM_ROLE: "a C parameter declaration (type and name), likewise",
    CODEC_ROLE: "a codec name (apir_codegen.codecs)",
    DIRECTION_ROLE: "in or out",
    LIFECYCLE: "what the host does with a handle",
    C_EXPRESSION_ROLE: "exactly one C expression",
    OUTPUT_PATH: "a path inside the output directory",
}


class Schema:
    description: str = ""

    def json(self) -> dict[str, Any]:
        raise NotImplementedError


class Str(Schema):
    """A string; ``role`` names what it holds, for diagnostics and checks.

    ``choices``, when given, are the only values allowed (the validator says
    which one was probably meant).
    """

    def __init__(
        self,
        role: str = TEXT,
        pattern: str | None = None,
        description: str = "",
        choices: tuple[str, ...] | None = None,
    ) -> None:
        assert role in ROLES, role
        self.role = role
        self.pattern = pattern
        self.description = description
        self.choices = choices

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if self.choices:
            out["enum"] = list(self.choices)
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


class Either(Schema):
    """A string (a short form) or a mapping (the full form) of the same thing."""

    def __init__(self, short: Str, full: Struct, description: str = "") -> None:
        self.short = short
        self.full = full
        self.description = description

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"oneOf": [self.short.json(), self.full.json()]}
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
    role=C_TYPE_ROLE,
    description="A C type, e.g. 'const char *', 'enum ggml_status', 'apir_buffer_context_t'.",
)
C_PARAM = Str(
    role=C_PARAM_ROLE,
    description="One C parameter declaration: a type and a name, e.g. 'const ggml_tensor *op'.",
)
IDENT = Str(role=IDENTIFIER, pattern=IDENTIFIER_PATTERN, description="A C identifier.")
#: The name of a function the headers declare (a host handler override).
HANDLER_NAME = Str(role=FUNCTION_NAME, pattern=IDENTIFIER_PATTERN, description="A C identifier.")

#: Codec names (see :mod:`apir_codegen.codecs`); checked against the table by
#: the validator, which suggests the closest.
CODEC = Str(
    role=CODEC_ROLE,
    description="A codec: a scalar of apir_cs.h (int32_t, uint32_t, uint64_t, size_t, bool, "
    "uint8_t, uintptr_t, ggml_status), buffer_type_handle, buffer_handle, tensor_rpc, tensor_inline, "
    "string, address or shmem.",
)
DIRECTION = Str(
    role=DIRECTION_ROLE, choices=("in", "out"), description="in: guest to host; out: host to guest (reply)."
)
C_EXPRESSION = Str(
    role=C_EXPRESSION_ROLE,
    description="One C expression, evaluated by the host handler over its decoded locals.",
)

PARAM_MARSHAL = Struct(
    "parameter marshalling",
    description="How one parameter crosses the wire.",
    fields={
        "as": Field(CODEC, description="The codec (default: from marshalling.types, or the scalar type)."),
        "dir": Field(DIRECTION, description="in or out; a pointer to a scalar needs it."),
        "len": Field(IDENT, description="For shmem: the by-value integer parameter that gives the length in bytes."),
        "mutable": Field(
            Bool(), description="The host gets a non-const pointer although the guest passes a const one."
        ),
        "lifecycle": Field(
            Str(role=LIFECYCLE, choices=("destroy",)),
            description="destroy: the host untracks the buffer before the call.",
        ),
    },
)

MARSHAL = Struct(
    "marshal",
    nullable=True,
    description="Generate this command's guest stub and host handler (presence is enough).",
    fields={
        "params": Field(
            Table(IDENT, Either(DIRECTION, PARAM_MARSHAL), item="parameter"),
            description="Only the parameters that need a word; 'name: out' is short for 'name: {dir: out}'.",
        ),
        "checks": Field(
            List(C_EXPRESSION),
            description="Conditions the host checks before the call; a false one rejects the request.",
        ),
        "host_call": Field(
            C_EXPRESSION,
            description="What the host evaluates; its value is the return value. Without it the handler calls "
            "the hand-written <handler>_impl hook.",
        ),
        "returns": Field(CODEC, description="The return value's codec, when not implied by its type."),
        "guest": Field(Bool(), description="false keeps the guest stub hand-written (default true)."),
        "host": Field(Bool(), description="false keeps the host handler hand-written (default true)."),
    },
)

TYPE_CODEC = Struct(
    "type codec",
    description="The codec of a C type, with the name of its host-side local.",
    fields={
        "codec": Field(CODEC, required=True),
        "host_name": Field(IDENT, description="Name of the decoded local in host handlers (default: the parameter's)."),
    },
)

MARSHALLING = Struct(
    "marshalling",
    nullable=True,
    description="Generated marshalling code: where it goes and how C types cross the wire.",
    fields={
        "guest_output": Field(
            Str(role=OUTPUT_PATH),
            description="Guest stubs, relative to the output directory (default virtgpu-forward.marshal.gen.cpp).",
        ),
        "host_output": Field(
            Str(role=OUTPUT_PATH),
            description="Host handlers, relative to the output directory "
            "(default backend/backend-dispatched.marshal.gen.cpp).",
        ),
        "host_impl_header": Field(
            Str(role=OUTPUT_PATH),
            description="Declarations of the hand-written hooks, relative to the output directory "
            "(default backend/backend-dispatched-impl.gen.h).",
        ),
        "fuzz_output": Field(
            Str(role=OUTPUT_PATH),
            description="A fuzz target for the generated host handlers, relative to the output directory "
            "(e.g. backend/backend-fuzz.gen.cpp); not generated when absent.",
        ),
        "types": Field(
            Table(C_TYPE, Either(CODEC, TYPE_CODEC), item="type"),
            description="C type -> codec (const and spacing ignored).",
        ),
    },
)

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
        "marshal": Field(MARSHAL),
    },
)

GROUP = Struct(
    "group",
    description="A group of functions; its description heads the group in each header.",
    fields={
        "group_description": Field(
            Str(role=COMMENT, pattern=COMMENT_TEXT_PATTERN),
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
            Str(role=ENUM_PREFIX, pattern=PREFIX_PATTERN),
            required=True,
            description="Prefix of enum names: <enum_prefix><GROUP>_<FUNCTION>.",
        ),
        "backend_function_prefix": Field(
            Str(role=PREFIX, pattern=PREFIX_PATTERN),
            required=True,
            description="Prefix of host handlers: <prefix><group>_<function>.",
        ),
        "frontend_function_prefix": Field(
            Str(role=PREFIX, pattern=PREFIX_PATTERN),
            required=True,
            description="Prefix of guest functions: <prefix><group>_<function>.",
        ),
        "frontend_base_param": Field(
            C_PARAM,
            required=True,
            description="First parameter of every guest function, e.g. 'struct virtgpu *gpu'.",
        ),
        "backend_function_overrides": Field(
            Table(IDENT, HANDLER_NAME, item="override"),
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
        "marshalling": Field(MARSHALLING),
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
