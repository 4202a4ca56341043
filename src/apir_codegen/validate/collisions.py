"""Names: what the spec's names become once composed, and what they must not collide with.

Parameter names unique within a function; command, enum, handler and guest
names unique across the spec; none of them clashing with what the headers are
compiled with (:mod:`apir_codegen.names` lists that environment) or read by
clang-format as something else (:mod:`apir_codegen.clang_words`); overrides
that name a function; composed names within the style's limits.
"""

from __future__ import annotations

from .. import clang_words
from ..cdecl import BUILTIN_TYPES, TAGS, CType, Param
from ..diagnostics import DiagnosticSink
from ..model import Command, Function, Group, NamingPatterns
from ..names import clash
from .limits import Limits
from .values import Entry, V, close_matches


def param_names(sink: DiagnosticSink, func: Function, base: Param | None, extra: V | None) -> None:
    """Report parameters of ``func`` whose name an earlier one (or the base parameter) has."""
    seen: dict[str, str] = {}
    if base is not None:
        seen[base.name] = "frontend_base_param"
    items = extra.value if extra is not None else []
    for param, item in zip(func.params, items, strict=False):
        if param.name in seen:
            first = seen[param.name]
            first_text = "frontend_base_param" if first == "frontend_base_param" else "an earlier parameter"
            sink.error(
                f"parameter name '{param.name}' in function '{func.qualified_name}' is already used by {first_text}",
                item.loc,
                hint="parameter names must be unique within a function",
            )
        else:
            seen[param.name] = param.name


def overrides_name_functions(sink: DiagnosticSink, groups: tuple[Group, ...], overrides: list[Entry]) -> None:
    """Report overrides whose key names no function of the spec."""
    all_keys = {f.key for g in groups for f in g.functions}
    for entry in overrides:
        if entry.key not in all_keys:
            close = close_matches(entry.key, sorted(all_keys), n=1, cutoff=0.6)
            sink.error(
                f"override '{entry.key}' does not name a function",
                entry.key_loc,
                hint=f"did you mean '{close[0]}'?" if close else "keys are <group>_<function>",
            )


#: The composed names that must be unique: attribute of Command, what it is, hint.
UNIQUE = (
    ("key", "command name", "<group>_<function> must be unique: rename the group or the function"),
    (
        "enum_name",
        "enum name",
        "enum names are upper-cased <enum_prefix><GROUP>_<FUNCTION>: rename the group or the function",
    ),
    (
        "handler_name",
        "host handler",
        "change the override in naming_patterns.backend_function_overrides, or rename the function",
    ),
    ("guest_name", "guest function", "rename the group or the function"),
)


def composed_names(
    sink: DiagnosticSink,
    groups: tuple[Group, ...],
    naming: NamingPatterns,
    commands: list[Command],
    overrides: list[Entry],
    limits: Limits | None,
) -> None:
    """Every check of the names commands are given: unique, compilable, not special, within the ``limits``."""
    reported: set[frozenset[str]] = set()
    for attr, what, hint in UNIQUE:
        names_unique(sink, commands, attr, what, hint, reported)
    names_compile(sink, groups, naming, commands, overrides)
    for cmd in commands:
        special_names(sink, cmd, naming)
        long_names = [
            f"{what} '{name}' ({len(name)})"
            for what, name in (
                ("enum name", cmd.enum_name),
                ("host handler", cmd.handler_name),
                ("guest function", cmd.guest_name),
            )
            if limits is not None and len(name) > limits.name
        ]
        if long_names:
            assert limits is not None
            sink.error(
                f"names made for function '{cmd.function.qualified_name}' are too long for {limits.headers} "
                f"(at most {limits.name} characters): {', '.join(long_names)}",
                cmd.function.location,
                hint="shorten the group or function name (or the prefix)",
            )


def names_unique(
    sink: DiagnosticSink,
    commands: list[Command],
    attr: str,
    what: str,
    hint: str,
    reported: set[frozenset[str]],
) -> None:
    """Report commands whose ``attr`` name is taken; a pair already reported is not reported again."""
    seen: dict[str, Command] = {}
    for cmd in commands:
        name = getattr(cmd, attr)
        where = f"function '{cmd.function.qualified_name}'"
        first = seen.get(name)
        if first is None:
            seen[name] = cmd
            continue
        pair = frozenset((cmd.key, first.key))
        if pair in reported:
            continue
        reported.add(pair)
        sink.error(
            f"{what} '{name}' of {where} is the same as that of function "
            f"'{first.function.qualified_name}' (line {first.function.location.line})",
            cmd.function.location,
            hint=hint,
        )


def special_names(sink: DiagnosticSink, cmd: Command, naming: NamingPatterns) -> None:
    """Composed names that clang-format would not format as names (overrides are checked where written)."""
    names = [("enum name", cmd.enum_name), ("guest function", cmd.guest_name)]
    if naming.override_for(cmd.key) is None:
        names.append(("host handler", cmd.handler_name))
    for what, name in names:
        # A name that would not even compile is reported as such (see names_compile).
        if name in clang_words.SPECIAL_WORDS and clash(name, what != "enum name") is None:
            sink.error(
                f"{what} '{name}' of function '{cmd.function.qualified_name}' {clang_words.SPECIAL}",
                cmd.function.location,
                hint="rename the group or the function (or change the prefix)",
            )


def names_compile(
    sink: DiagnosticSink,
    groups: tuple[Group, ...],
    naming: NamingPatterns,
    commands: list[Command],
    overrides: list[Entry],
) -> None:
    """Report names the headers would declare that clash with what they are compiled with (see :mod:`names`)."""
    types: dict[str, Function | None] = dict.fromkeys(type_names(naming.frontend_base_param.type))
    for group in groups:
        for func in group.functions:
            for ctype in (func.return_type, *(param.type for param in func.params)):
                for type_name in type_names(ctype):
                    types.setdefault(type_name, func)
    enums = {cmd.enum_name: cmd for cmd in commands}
    override_values = {entry.key: entry.value for entry in overrides if entry.value is not None}
    kinds = (
        ("enum_name", "enum name", "enum_prefix", False),
        ("guest_name", "guest function", "frontend_function_prefix", True),
        ("handler_name", "host handler", "backend_function_prefix", True),
    )
    for cmd in commands:
        for attr, what, prefix, function in kinds:
            name: str = getattr(cmd, attr)
            why = None
            if name in types:
                user = types[name]
                where = f"function '{user.qualified_name}'" if user else "naming_patterns.frontend_base_param"
                why = f"is a type the spec uses (in {where})"
            why = why or clash(name, function)
            if why is None and function and name in enums:
                other = enums[name]
                whose = "its" if other is cmd else f"function '{other.function.qualified_name}''s"
                why = f"is also {whose} enum name"
            if why is None:
                continue
            override = override_values.get(cmd.key) if attr == "handler_name" else None
            sink.error(
                f"{what} '{name}' of function '{cmd.function.qualified_name}' {why}",
                override.loc if override is not None else cmd.function.location,
                hint="change the override in naming_patterns.backend_function_overrides"
                if override is not None
                else f"set or change {prefix}, or rename the group or the function",
            )


def type_names(ctype: CType) -> tuple[str, ...]:
    """The identifiers that name types in a C type: a typedef name or a struct/enum/union tag."""
    base = ctype.base
    return (base[1],) if base[0] in TAGS else tuple(word for word in base if word not in BUILTIN_TYPES)
