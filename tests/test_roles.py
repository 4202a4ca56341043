"""Schema roles: every string of the spec format says what it holds, and its role chooses its checks."""

from __future__ import annotations

from apir_codegen import schema as S
from apir_codegen.diagnostics import DiagnosticSink
from apir_codegen.validate.build import Builder

#: Roles without a semantic check of their own: free text, and those the structure pass
#: checks (choices, identifier table keys) or that are checked with their neighbours
#: (identifiers that must name a parameter, output paths that must differ).
STRUCTURAL = {S.TEXT, S.IDENTIFIER, S.DIRECTION_ROLE, S.LIFECYCLE, S.OUTPUT_PATH}


def _strings(schema: S.Schema, seen: set[int] | None = None) -> list[S.Str]:
    seen = set() if seen is None else seen
    if id(schema) in seen:
        return []
    seen.add(id(schema))
    if isinstance(schema, S.Str):
        return [schema]
    children: list[S.Schema] = []
    if isinstance(schema, S.Struct):
        children = [field.schema for field in schema.fields.values()]
    elif isinstance(schema, S.Table):
        children = [schema.key, schema.value]
    elif isinstance(schema, S.Either):
        children = [schema.short, schema.full]
    elif isinstance(schema, S.List):
        children = [schema.item]
    return [string for child in children for string in _strings(child, seen)]


def test_every_role_is_declared_used_and_checked() -> None:
    used = {string.role for string in _strings(S.SPEC)}
    assert used == set(S.ROLES), "a role no string has, or a string of an undeclared role"
    builder = Builder(DiagnosticSink(), None)
    assert builder.marshal is not None  # loaded with the first marshalling annotation, adding its roles' checks
    checked = set(builder.roles.by_role)
    assert checked | STRUCTURAL == set(S.ROLES)
    assert not checked & STRUCTURAL


def test_the_key_does_not_choose_the_check() -> None:
    """Two keys of one role get the same check: all three prefixes are prefixes, the enum's alone an enum prefix."""
    naming = S.NAMING.fields
    roles = {key: field.schema.role for key, field in naming.items() if isinstance(field.schema, S.Str)}
    assert roles["backend_function_prefix"] == roles["frontend_function_prefix"] == S.PREFIX
    assert roles["enum_prefix"] == S.ENUM_PREFIX
    checks = Builder(DiagnosticSink(), None).roles.by_role
    assert checks[S.PREFIX] == checks[S.ENUM_PREFIX]
