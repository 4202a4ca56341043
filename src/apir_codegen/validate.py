"""Validate: YAML nodes to the model; the only stage that can reject a spec.

Two passes:

1. structure, driven by :mod:`apir_codegen.schema`: kinds, required and unknown
   keys, duplicate keys, names that must be identifiers;
2. meaning: C declarations, composed names that collide, overrides that name
   nothing, suspicious but legal combinations (warnings).

Every problem is reported (not just the first); the caller stops on errors.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from .lockfile import LockEntry, LockFile
    from typing import Any, TypeVar

    T = TypeVar("T")

from . import clang_words
from . import schema as S
from .cdecl import BUILTIN_TYPES, KEYWORDS, TAGS, CDeclError, CType, Param, is_identifier, parse_param, parse_type
from .diagnostics import BIDI_CONTROLS, LINE_BREAKS, DiagnosticSink, Location, printable
from .loader import (
    BOOL,
    NULL,
    STR,
    Document,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    bool_value,
    describe,
    mapping_pairs,
)
from .model import Command, Function, Group, Marshalling, NamingPatterns, Spec
from .names import clash, param_clash, reserved_prefix
from .validate_marshal import MarshalChecker

# Lengths beyond which a line of ggml's headers cannot be kept within 120
# columns, whatever clang-format does: an enum name in the dispatch table's
# "    /* NAME  = */" comment, a parameter on its own line at column 4 with
# ");" after it, a return type on its own line.
MAX_NAME = 107
MAX_PARAMETER = 114
MAX_RETURN_TYPE = 120

class V:
    """A structurally valid value and where it is (the location is made on demand)."""

    __slots__ = ("value", "node", "path")

    def __init__(self, value: Any, node: Node, path: str) -> None:
        self.value = value
        self.node = node
        self.path = path

    @property
    def loc(self) -> Location:
        return self.node.location(self.path)


class Entry:
    """A key of a mapping with where it is, and its (valid) value or None."""

    __slots__ = ("key", "key_node", "value", "path")

    def __init__(self, key: str, key_node: Node, value: V | None, path: str) -> None:
        self.key = key
        self.key_node = key_node
        self.value = value
        self.path = path

    @property
    def key_loc(self) -> Location:
        return self.key_node.location(self.path)


#: How a value is named in messages, built only when a message needs it:
#: ("field", key, path), ("table", item kind, path), ("entry", index, subject)
#: or ("text", words).
Subject = tuple  # (kind, ...) as described above


def _subject_text(subject: Subject) -> str:
    kind = subject[0]
    if kind == "field":
        return f"'{subject[1]}' {_context(subject[2])}"
    if kind == "table":
        item, path = subject[1], subject[2]
        if item == "function" and len(path) >= 4:
            return f"function '{path[1]}.{path[3]}'"
        if item == "parameter":
            return f"parameter '{path[-1]}' {_context(path)}"
        return f"{item} '{path[-1]}'"
    if kind == "entry":
        return f"entry {subject[1] + 1} of {_subject_text(subject[2])}"
    return str(subject[1])


class _Walker:
    """First pass: structure.  ``subject`` names the value in messages, ``path`` is where it is."""

    def __init__(self, doc: Document, sink: DiagnosticSink):
        self.doc = doc
        self.sink = sink
        self.file = doc.path

    def loc(self, node: Node) -> Location:
        return self.doc.loc(node)

    def walk(
        self, node: Node, schema: S.Schema, subject: Subject, path: tuple[str, ...], key: Node | None = None
    ) -> V | None:
        """Check ``node`` against ``schema``; ``key`` is the mapping key it is the value of, if any."""
        kind = type(schema)
        if kind is S.Str:
            if type(node) is ScalarNode and node.tag == STR:
                if schema.choices is not None and node.value not in schema.choices:  # type: ignore[attr-defined]
                    self.choice(node, schema, subject)  # type: ignore[arg-type]
                    return None
                return V(node.value, node, self.file)
            return self.string(node, subject)
        if kind is S.Either:
            if type(node) is MappingNode or (isinstance(node, ScalarNode) and node.tag == NULL):
                return self.walk(node, schema.full, subject, path, key)  # type: ignore[attr-defined]
            if type(node) is ScalarNode and node.tag == STR:
                return self.walk(node, schema.short, subject, path, key)  # type: ignore[attr-defined]
            self.expect(node, "a string or a mapping", subject)
            return None
        if kind is S.Struct:
            return self.record(node, schema, subject, path, key)  # type: ignore[arg-type]
        if kind is S.List:
            return self.list(node, schema, subject, path)  # type: ignore[arg-type]
        if kind is S.Table:
            return self.table(node, schema, subject, path)  # type: ignore[arg-type]
        if kind is S.Bool:
            return self.boolean(node, subject)
        raise TypeError(schema)  # pragma: no cover - the schema is fixed

    def expect(self, node: Node, what: str, subject: Subject, hint: str | None = None) -> None:
        self.sink.error(f"{_subject_text(subject)} must be {what}, not {describe(node)}", self.loc(node), hint)

    def boolean(self, node: Node, subject: Subject) -> V | None:
        if isinstance(node, ScalarNode) and node.tag == BOOL:
            return V(bool_value(node), node, self.file)
        self.expect(node, "a boolean", subject, hint="write true or false")
        return None

    def choice(self, node: ScalarNode, schema: S.Str, subject: Subject) -> None:
        choices = schema.choices or ()
        close = _close_matches(node.value, list(choices), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"write one of: {', '.join(choices)}"
        self.sink.error(f"{_subject_text(subject)} must be {_one_of(choices)}, not '{node.value}'", self.loc(node), hint)

    def string(self, node: Node, subject: Subject) -> V | None:
        if not (isinstance(node, ScalarNode) and node.tag == STR):
            hint = None
            if isinstance(node, ScalarNode) and node.tag != NULL:
                hint = f"quote it if you mean the text: '{node.value}'"
            self.expect(node, "a string", subject, hint)
            return None
        return V(node.value, node, self.file)

    def pairs(self, node: MappingNode, path: tuple[str, ...]) -> list[tuple[str, Node, Node]]:
        """Keys (strings) and values of a mapping; duplicate and non-string keys reported."""
        out: list[tuple[str, Node, Node]] = []
        seen: dict[str, Node] = {}
        for key, value in mapping_pairs(node):
            if not (type(key) is ScalarNode and key.tag == STR):
                shown = f"'{key.value}'" if isinstance(key, ScalarNode) else "here"
                self.sink.error(
                    f"key {shown} {_context(path)} must be a string, not {describe(key)}",
                    self.loc(key),
                    hint="names are C identifiers, which cannot be numbers, booleans or null",
                )
                continue
            name: str = key.value
            first = seen.get(name)
            if first is not None:
                self.sink.error(
                    f"duplicate key '{name}' {_context(path)} (first defined at line {first.line + 1})",
                    self.loc(key),
                    hint="YAML would silently keep only the last one; remove or rename one of them",
                )
                continue
            seen[name] = key
            out.append((name, key, value))
        return out

    def record(
        self, node: Node, schema: S.Struct, subject: Subject, path: tuple[str, ...], owner_key: Node | None = None
    ) -> V | None:
        if type(node) is not MappingNode:
            if isinstance(node, ScalarNode) and node.tag == NULL and schema.nullable:
                return V(None, node, self.file)
            self.expect(node, "a mapping", subject)
            return None
        fields: dict[str, Entry] = {}
        known = schema.fields
        for name, key, value in self.pairs(node, path):
            fld = known.get(name)
            if fld is None:
                close = _close_matches(name, list(known), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
                self.sink.error(f"unknown key '{name}' {_context(path)}", self.loc(key), hint)
                continue
            child = path + (name,)
            fields[name] = Entry(name, key, self.walk(value, fld.schema, ("field", name, path), child, key), self.file)
        owner = owner_key if owner_key is not None else node
        if not schema.required.issubset(fields):
            for name in schema.required:
                if name not in fields:
                    # Reported where the mapping is named (its key), or where it starts.
                    self.sink.error(f"missing required key '{name}' {_context(path)}", self.loc(owner))
        return V(fields, node, self.file)

    def table(self, node: Node, schema: S.Table, subject: Subject, path: tuple[str, ...]) -> V | None:
        if type(node) is not MappingNode:
            hint = "use {} for none" if isinstance(node, ScalarNode) and node.tag == NULL else None
            self.expect(node, f"a mapping of {schema.item} names", subject, hint)
            return None
        entries: list[Entry] = []
        check_names = schema.key.role == "identifier"
        for name, key, value in self.pairs(node, path):
            if check_names and not is_identifier(name):
                self.sink.error(
                    f"{schema.item} name '{name}' is not a C identifier",
                    self.loc(key),
                    hint=_identifier_hint(name),
                )
                continue
            child = path + (name,)
            value_v = self.walk(value, schema.value, ("table", schema.item, child), child, key)
            entries.append(Entry(name, key, value_v, self.file))
        return V(entries, node, self.file)

    def list(self, node: Node, schema: S.List, subject: Subject, path: tuple[str, ...]) -> V | None:
        if type(node) is not SequenceNode:
            hint = "write a YAML list, one entry per line starting with '- '"
            if isinstance(node, ScalarNode) and node.tag == NULL:
                hint = "use [] for none, or remove the key"
            self.expect(node, "a list", subject, hint)
            return None
        item_schema = schema.item
        walk = self.walk
        items = [walk(item, item_schema, ("entry", i, subject), path) for i, item in enumerate(node.value)]
        return V(items, node, self.file)


def _plain(text: str) -> bool:
    """Whether text is written as itself inside a double-quoted YAML scalar (no escapes)."""
    return text.isprintable() and "\\" not in text and '"' not in text


def _shown(text: str) -> str:
    """Text echoed in a message, on one line (see :func:`diagnostics.printable`)."""
    return printable(text)


def _one_of(choices: tuple[str, ...]) -> str:
    quoted = [f"'{c}'" for c in choices]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _close_matches(word: str, candidates: list[str], n: int, cutoff: float) -> list[str]:
    import difflib  # only when there is something to suggest

    return difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)


def _identifier_hint(name: str) -> str:
    fixed = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    if fixed and fixed[0].isdigit():
        fixed = "_" + fixed
    if fixed and is_identifier(fixed):
        return f"use letters, digits and underscores, e.g. '{fixed}'"
    return "use letters, digits and underscores, not starting with a digit"


def _context(path: tuple[str, ...]) -> str:
    """Words that say where in the spec a diagnostic is."""
    if len(path) >= 4 and path[0] == "functions" and path[2] == "functions":
        return f"in function '{path[1]}.{path[3]}'"
    if len(path) >= 2 and path[0] == "functions":
        return f"in group '{path[1]}'"
    if len(path) >= 3 and path[0] == "naming_patterns":
        return f"in override '{path[2]}'"
    if path:
        return f"in '{'.'.join(path)}'"
    return "at top level"


def offset_location(value: V, offset: int) -> Location:
    """Location of a character inside a one-line string scalar (its start otherwise)."""
    node = value.node
    base = value.loc
    if not isinstance(node, ScalarNode) or node.line != node.end_line:
        return base
    if node.style == '"' and not _plain(value.value[:offset]):
        return base  # an escape sequence before it: columns no longer match characters
    if node.style in ('"', "'"):
        return Location(base.path, base.line, base.column + 1 + offset)
    if node.style is None:
        return Location(base.path, base.line, base.column + offset)
    return base


class _Checker:
    """Second pass: meaning, and the model."""

    def __init__(self, doc: Document, sink: DiagnosticSink):
        self.doc = doc
        self.sink = sink
        self.marshal = MarshalChecker(sink)
        self.base: Param | None = None

    def offset_loc(self, value: V, offset: int) -> Location:
        return offset_location(value, offset)

    def text(self, value: V, where: str, role: str) -> bool:
        """Check text that lands in a C comment; True when it is safe."""
        text: str = value.value
        bad = None
        comment_hint = "it is written into a C comment: keep it to one line without '*/'"
        if "*/" in text:
            bad = ("contains '*/', which would end the C comment early", text.index("*/"), comment_hint)
        elif text.lstrip().startswith("clang-format"):
            bad = (
                "starts with 'clang-format', which clang-format would read as a directive",
                text.index("c"),
                "start the description with another word",
            )
        else:
            for index, char in enumerate(text):
                if char in LINE_BREAKS:
                    bad = ("contains a line break", index, comment_hint)
                    break
                if ord(char) < 0x20 and char != "\t" or 0x7F <= ord(char) <= 0x9F:
                    bad = (f"contains a control character (U+{ord(char):04X})", index, comment_hint)
                    break
                if char in BIDI_CONTROLS:
                    bad = (
                        f"contains a bidirectional control character (U+{ord(char):04X})",
                        index,
                        "it reorders how editors show the header, not what the compiler reads "
                        "(compilers warn: -Wbidi-chars); remove it",
                    )
                    break
        if bad:
            self.sink.error(f"{role} {where} {bad[0]}", self.offset_loc(value, bad[1]), hint=bad[2])
            return False
        if "/*" in text:
            self.sink.warning(
                f"{role} {where} contains '/*' inside a C comment",
                self.offset_loc(value, text.index("/*")),
                hint="compilers warn about '/*' within a comment (-Wcomment)",
            )
        return True

    def _parse(self, value: V, where: str, what: str, parser: Callable[[str], T]) -> T | None:
        try:
            return parser(value.value)
        except CDeclError as exc:
            self.sink.error(
                f"invalid {what} '{_shown(value.value)}' {where}: {exc.message}",
                self.offset_loc(value, exc.offset),
                exc.hint,
            )
            return None

    def _fits(self, value: V, where: str, what: str, spelling: str, limit: int) -> bool:
        if len(spelling) <= limit:
            return True
        self.sink.error(
            f"{what} '{value.value}' {where} is {len(spelling)} characters long; at most {limit} fit "
            f"ggml's 120-column headers",
            value.loc,
            hint="use a shorter name or a typedef",
        )
        return False

    def ctype(self, value: V, where: str) -> CType | None:
        ctype = self._parse(value, where, "return type", parse_type)
        if ctype is not None and not self._fits(value, where, "return type", ctype.spelling, MAX_RETURN_TYPE):
            return None
        return ctype

    def param(self, value: V, where: str, what: str = "parameter") -> Param | None:
        param = self._parse(value, where, what, parse_param)
        if param is None or not self._fits(value, where, what, param.spelling, MAX_PARAMETER):
            return None
        why = param_clash(param.name)
        if why is not None:
            self.sink.error(
                f"{what} name '{param.name}' {where} {why}",
                self.offset_loc(value, len(value.value.rstrip()) - len(param.name)),
                hint="rename the parameter",
            )
            return None
        return param

    def prefix(self, entry: Entry | None) -> str | None:
        if entry is None or entry.value is None:
            return None
        text: str = entry.value.value
        if text and not is_identifier(text):
            self.sink.error(
                f"'{entry.key}' value '{text}' cannot start a C identifier",
                entry.value.loc,
                hint=_identifier_hint(text) if text else None,
            )
            return None
        why = reserved_prefix(text, upper_case_follows=entry.key == "enum_prefix")
        if why is not None:
            self.sink.error(
                f"'{entry.key}' value '{text}' makes every name it starts reserved for the compiler and its "
                f"library (it {why})",
                entry.value.loc,
                hint="start the prefix with a letter, and do not write '__'",
            )
            return None
        return text

    def naming(self, value: V | None) -> tuple[NamingPatterns | None, list[Entry]]:
        if value is None:
            return None, []
        fields: dict[str, Entry] = value.value
        enum_prefix = self.prefix(fields.get("enum_prefix"))
        backend_prefix = self.prefix(fields.get("backend_function_prefix"))
        frontend_prefix = self.prefix(fields.get("frontend_function_prefix"))
        base = None
        base_entry = fields.get("frontend_base_param")
        if base_entry is not None and base_entry.value is not None:
            base = self.param(base_entry.value, "in 'naming_patterns'", "frontend_base_param")
        overrides: list[Entry] = []
        override_entry = fields.get("backend_function_overrides")
        if override_entry is not None and override_entry.value is not None:
            for entry in override_entry.value.value:
                if entry.value is None:
                    continue
                handler: str = entry.value.value
                if not is_identifier(handler):
                    self.sink.error(
                        f"handler name '{handler}' for override '{entry.key}' is not a C identifier",
                        entry.value.loc,
                        hint=_identifier_hint(handler),
                    )
                elif handler in KEYWORDS:
                    self.sink.error(
                        f"handler name '{handler}' for override '{entry.key}' is a C/C++ keyword", entry.value.loc
                    )
                elif handler in clang_words.SPECIAL_WORDS and clash(handler, True) is None:
                    self.sink.error(
                        f"handler name '{handler}' for override '{entry.key}' {clang_words.SPECIAL}",
                        entry.value.loc,
                        hint=clang_words.special_word_hint(handler),
                    )
                else:
                    overrides.append(entry)
        if None in (enum_prefix, backend_prefix, frontend_prefix, base):
            return None, overrides
        assert enum_prefix is not None and backend_prefix is not None and frontend_prefix is not None
        assert base is not None
        return (
            NamingPatterns(
                enum_prefix=enum_prefix,
                backend_function_prefix=backend_prefix,
                frontend_function_prefix=frontend_prefix,
                frontend_base_param=base,
                backend_function_overrides=tuple((e.key, e.value.value) for e in overrides if e.value),
            ),
            overrides,
        )

    def function(self, group: str, entry: Entry) -> Function | None:
        where = f"in function '{group}.{entry.key}'"
        value = entry.value
        if value is None:
            return None
        fields: dict[str, Entry] = value.value or {}
        ok = True

        def flag(name: str, default: bool) -> bool:
            fld = fields.get(name)
            return default if fld is None or fld.value is None else bool(fld.value.value)

        enabled = flag("enabled", True)
        deprecated = flag("deprecated", False)
        retired = flag("retired", False)
        return_type = CType(("void",))
        return_source = None
        ret = fields.get("frontend_return")
        if ret is not None:
            if ret.value is None:
                ok = False
            else:
                parsed = self.ctype(ret.value, where)
                if parsed is None:
                    ok = False
                else:
                    return_type, return_source = parsed, ret.value.value
        params: list[Param] = []
        extra = fields.get("frontend_extra_params")
        if extra is not None:
            if extra.value is None:
                ok = False
            else:
                for item in extra.value.value:
                    if item is None:
                        ok = False
                        continue
                    param = self.param(item, where)
                    if param is None:
                        ok = False
                    else:
                        params.append(param)
        if not enabled and deprecated:
            dep = fields["deprecated"]
            self.sink.warning(
                f"function '{group}.{entry.key}' is both disabled and deprecated",
                dep.key_loc,
                hint="a disabled function is left out entirely, so 'deprecated' has no effect",
            )
        if retired and not enabled:
            self.sink.error(
                f"function '{group}.{entry.key}' is both disabled and retired",
                fields["retired"].key_loc,
                hint="retired keeps the command's number reserved, disabled leaves it out: choose one",
            )
            ok = False
        elif retired and deprecated:
            self.sink.warning(
                f"function '{group}.{entry.key}' is both deprecated and retired",
                fields["deprecated"].key_loc,
                hint="a retired command has no handler at all, so 'deprecated' has no effect",
            )
        marshal = None
        marshal_entry = fields.get("marshal")
        if marshal_entry is not None and ok:
            status = "disabled" if not enabled else "retired" if retired else "deprecated" if deprecated else "active"
            items = extra.value.value if extra is not None and extra.value is not None else []
            marshal = self.marshal.function(
                f"{group}.{entry.key}", marshal_entry, tuple(params), items, return_type, status, self.base
            )
            ok = marshal is not None
        if not ok:
            return None
        return Function(
            group=group,
            name=entry.key,
            location=entry.key_loc,
            enabled=enabled,
            deprecated=deprecated,
            retired=retired,
            return_type=return_type,
            return_source=return_source,
            params=tuple(params),
            marshal=marshal,
        )

    def check_param_names(self, func: Function, base: Param | None, extra: V | None) -> None:
        seen: dict[str, str] = {}
        if base is not None:
            seen[base.name] = "frontend_base_param"
        items = extra.value if extra is not None else []
        for param, item in zip(func.params, items):
            if param.name in seen:
                first = seen[param.name]
                first_text = "frontend_base_param" if first == "frontend_base_param" else "an earlier parameter"
                self.sink.error(
                    f"parameter name '{param.name}' in function '{func.qualified_name}' is already used by {first_text}",
                    item.loc,
                    hint="parameter names must be unique within a function",
                )
            else:
                seen[param.name] = param.name


def _names_unique(
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


def _special_names(sink: DiagnosticSink, cmd: Command, naming: NamingPatterns) -> None:
    """Composed names that clang-format would not format as names (overrides are checked where written)."""
    names = [("enum name", cmd.enum_name), ("guest function", cmd.guest_name)]
    if naming.override_for(cmd.key) is None:
        names.append(("host handler", cmd.handler_name))
    for what, name in names:
        # A name that would not even compile is reported as such (see _names_compile).
        if name in clang_words.SPECIAL_WORDS and clash(name, what != "enum name") is None:
            sink.error(
                f"{what} '{name}' of function '{cmd.function.qualified_name}' {clang_words.SPECIAL}",
                cmd.function.location,
                hint="rename the group or the function (or change the prefix)",
            )


def _names_compile(
    sink: DiagnosticSink,
    groups: tuple[Group, ...],
    naming: NamingPatterns,
    commands: list[Command],
    overrides: list[Entry],
) -> None:
    """Report names the headers would declare that clash with what they are compiled with (see :mod:`names`)."""
    types: dict[str, Function | None] = dict.fromkeys(_type_names(naming.frontend_base_param.type))
    for group in groups:
        for func in group.functions:
            for ctype in (func.return_type, *(param.type for param in func.params)):
                for type_name in _type_names(ctype):
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


def _type_names(ctype: CType) -> tuple[str, ...]:
    """The identifiers that name types in a C type: a typedef name or a struct/enum/union tag."""
    base = ctype.base
    return (base[1],) if base[0] in TAGS else tuple(word for word in base if word not in BUILTIN_TYPES)


def validate_document(doc: Document, sink: DiagnosticSink, lock: LockFile | None = None) -> Spec | None:
    """Check a composed document and build the model; None when there are errors.

    With a ``lock``, command numbers come from it (see :mod:`apir_codegen.lockfile`).
    """
    walker = _Walker(doc, sink)
    root = walker.walk(doc.root, S.SPEC, ("text", "the spec"), ())
    if root is None:
        return None
    fields: dict[str, Entry] = root.value
    checker = _Checker(doc, sink)
    naming_entry = fields.get("naming_patterns")
    naming, override_entries = checker.naming(naming_entry.value if naming_entry else None)
    base = naming.frontend_base_param if naming else None
    checker.base = base
    functions_entry = fields.get("functions")
    group_entries: list[Entry] = functions_entry.value.value if functions_entry and functions_entry.value else []
    checker.marshal.section(fields.get("marshalling"), _any_marshal(group_entries))

    groups: list[Group] = []
    functions_ok = True
    for gentry in group_entries:
        if gentry.value is None:
            functions_ok = False
            continue
        gfields: dict[str, Entry] = gentry.value.value
        desc_entry = gfields.get("group_description")
        description = ""
        if desc_entry is None or desc_entry.value is None:
            functions_ok = False
        elif checker.text(desc_entry.value, f"of group '{gentry.key}'", "group_description"):
            description = desc_entry.value.value
        else:
            functions_ok = False
        funcs: list[Function] = []
        fentry = gfields.get("functions")
        for entry in fentry.value.value if fentry and fentry.value else []:
            func = checker.function(gentry.key, entry)
            if func is None:
                functions_ok = False
                continue
            extra = entry.value.value.get("frontend_extra_params") if entry.value and entry.value.value else None
            checker.check_param_names(func, base, extra.value if extra else None)
            funcs.append(func)
        if fentry is None or fentry.value is None:
            functions_ok = False
        groups.append(Group(gentry.key, description, gentry.key_loc, tuple(funcs)))

    if naming is None:
        # Names cannot be composed; everything else has been checked.
        return None
    # Collisions are checked among the functions that are valid so far, so that
    # they are reported along with other errors.
    complete = (
        functions_ok and functions_entry is not None and functions_entry.value is not None and not sink.has_errors
    )
    fingerprint = False
    protocol = fields.get("protocol")
    if protocol is not None and protocol.value is not None and protocol.value.value:
        fp = protocol.value.value.get("fingerprint")
        fingerprint = bool(fp is not None and fp.value is not None and fp.value.value)
    spec = _build(
        doc, sink, tuple(groups), naming, override_entries, complete, lock, fingerprint, checker.marshal.config
    )
    return spec if complete else None


def _any_marshal(group_entries: list[Entry]) -> bool:
    for group in group_entries:
        functions = group.value.value.get("functions") if group.value is not None else None
        for entry in functions.value.value if functions is not None and functions.value is not None else []:
            if entry.value is not None and entry.value.value and "marshal" in entry.value.value:
                return True
    return False


def _number(
    sink: DiagnosticSink, groups: tuple[Group, ...], lock: LockFile | None, enum_prefix: str = ""
) -> list[tuple[int, Function | LockEntry]]:
    """Command numbers: spec order without a lock; the lock's, then the next free ones, with it."""

    def named(group: str, function: str) -> str:
        # Every name a reader may look for: the command, its enum, its place in the spec.
        return f"'{group}_{function}' ({enum_prefix}{group.upper()}_{function.upper()}, {group}.{function})"

    live = [f for g in groups for f in g.functions if f.enabled]
    if lock is None:
        return list(enumerate(live))
    locked = lock.by_name()
    everything = {f.qualified_name: f for g in groups for f in g.functions}
    out: list[tuple[int, Function | LockEntry]] = []
    next_free = lock.next_number
    for func in live:
        entry = locked.get(func.qualified_name)
        if entry is not None:
            out.append((entry.number, func))
        else:
            sink.warning(
                f"command {named(func.group, func.name)} is not in the lock file yet; it gets number {next_free}",
                func.location,
                hint="run 'apir-codegen lock' to record its number",
            )
            out.append((next_free, func))
            next_free += 1
    present = {f.qualified_name for f in live}
    for entry in lock.entries:
        if entry.qualified_name in present:
            continue
        if entry.retired:
            # The command is gone from the spec, its number stays reserved.
            out.append((entry.number, entry))
            continue
        disabled = everything.get(entry.qualified_name)
        hint = (
            "to remove a command without renumbering, keep it in the spec with 'retired: true' "
            "(or 'deprecated: true' to keep its handler); to renumber knowingly, run "
            "'apir-codegen lock --accept-breaking'"
        )
        if disabled is not None:
            sink.error(
                f"command {named(entry.group, entry.function)} is disabled in the spec, but the lock file "
                f"gives it number {entry.number}",
                disabled.location,
                hint=hint,
            )
        else:
            sink.error(
                f"command {named(entry.group, entry.function)} has number {entry.number} in the lock file "
                "but is no longer in the spec",
                entry.location,
                hint=hint,
            )
    return out


def _build(
    doc: Document,
    sink: DiagnosticSink,
    groups: tuple[Group, ...],
    naming: NamingPatterns,
    overrides: list[Entry],
    complete: bool = True,
    lock: LockFile | None = None,
    fingerprint: bool = False,
    marshalling: Marshalling | None = None,
) -> Spec | None:
    descriptions = {g.name: g.description for g in groups}
    commands: list[Command] = []
    all_keys = {f.key for g in groups for f in g.functions}
    for number, item in sorted(_number(sink, groups, lock, naming.enum_prefix), key=lambda pair: pair[0]):
        if isinstance(item, Function):
            func = item
        else:  # a retired command only the lock file still knows
            func = Function(item.group, item.function, item.location or Location(doc.path, 1, 1), retired=True)
        commands.append(
            Command(
                number=number,
                function=func,
                enum_name=naming.enum_name(func.group, func.name),
                handler_name=naming.handler_name(func.group, func.name),
                guest_name=naming.guest_name(func.group, func.name),
                group_description=descriptions.get(func.group, func.group),
            )
        )
    for entry in overrides:
        if complete and entry.key not in all_keys:
            close = _close_matches(entry.key, sorted(all_keys), n=1, cutoff=0.6)
            sink.error(
                f"override '{entry.key}' does not name a function",
                entry.key_loc,
                hint=f"did you mean '{close[0]}'?" if close else "keys are <group>_<function>",
            )
    reported: set[frozenset[str]] = set()
    checks = (
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
    for attr, what, hint in checks:
        _names_unique(sink, commands, attr, what, hint, reported)
    _names_compile(sink, groups, naming, commands, overrides)
    for cmd in commands:
        _special_names(sink, cmd, naming)
        long_names = [
            f"{what} '{name}' ({len(name)})"
            for what, name in (
                ("enum name", cmd.enum_name),
                ("host handler", cmd.handler_name),
                ("guest function", cmd.guest_name),
            )
            if len(name) > MAX_NAME
        ]
        if long_names:
            sink.error(
                f"names made for function '{cmd.function.qualified_name}' are too long for ggml's 120-column "
                f"headers (at most {MAX_NAME} characters): {', '.join(long_names)}",
                cmd.function.location,
                hint="shorten the group or function name (or the prefix)",
            )
    if not commands and complete:
        sink.warning(
            "the spec defines no enabled command; the dispatch table will be empty",
            Location(doc.path, 1, 1),
            hint="an array of size 0 is not standard C++",
        )
    if sink.has_errors:
        return None
    return Spec(
        path=doc.path,
        groups=groups,
        naming=naming,
        commands=tuple(commands),
        lock_path=lock.path if lock else None,
        fingerprint=fingerprint,
        marshalling=marshalling,
    )
