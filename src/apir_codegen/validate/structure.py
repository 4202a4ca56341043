"""First pass: structure, driven by the declaration in :mod:`apir_codegen.schema`.

Kinds (string, boolean, mapping, list), choices, required and unknown keys,
duplicate and non-string keys, and table keys of the ``identifier`` role.
The result is the document as :class:`~.values.V` and :class:`~.values.Entry`
values; each string keeps the schema it was checked against, whose role
chooses its semantic checks (:mod:`.roles`).
"""

from __future__ import annotations

from .. import schema as S
from ..cdecl import is_identifier
from ..diagnostics import DiagnosticSink, Location
from ..loader import (
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
from .values import Entry, Subject, V, close_matches, context, identifier_hint, one_of, subject_text


class Walker:
    """Checks nodes against the schema.  ``subject`` names the value in messages, ``path`` is where it is."""

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
                return V(node.value, node, self.file, schema)  # type: ignore[arg-type]
            return self.string(node, schema, subject)  # type: ignore[arg-type]
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
        self.sink.error(f"{subject_text(subject)} must be {what}, not {describe(node)}", self.loc(node), hint)

    def boolean(self, node: Node, subject: Subject) -> V | None:
        if isinstance(node, ScalarNode) and node.tag == BOOL:
            return V(bool_value(node), node, self.file)
        self.expect(node, "a boolean", subject, hint="write true or false")
        return None

    def choice(self, node: ScalarNode, schema: S.Str, subject: Subject) -> None:
        choices = schema.choices or ()
        close = close_matches(node.value, list(choices), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"write one of: {', '.join(choices)}"
        self.sink.error(f"{subject_text(subject)} must be {one_of(choices)}, not '{node.value}'", self.loc(node), hint)

    def string(self, node: Node, schema: S.Str, subject: Subject) -> V | None:
        if not (isinstance(node, ScalarNode) and node.tag == STR):
            hint = None
            if isinstance(node, ScalarNode) and node.tag != NULL:
                hint = f"quote it if you mean the text: '{node.value}'"
            self.expect(node, "a string", subject, hint)
            return None
        return V(node.value, node, self.file, schema)

    def pairs(self, node: MappingNode, path: tuple[str, ...]) -> list[tuple[str, Node, Node]]:
        """Keys (strings) and values of a mapping; duplicate and non-string keys reported."""
        out: list[tuple[str, Node, Node]] = []
        seen: dict[str, Node] = {}
        for key, value in mapping_pairs(node):
            if not (type(key) is ScalarNode and key.tag == STR):
                shown = f"'{key.value}'" if isinstance(key, ScalarNode) else "here"
                self.sink.error(
                    f"key {shown} {context(path)} must be a string, not {describe(key)}",
                    self.loc(key),
                    hint="names are C identifiers, which cannot be numbers, booleans or null",
                )
                continue
            name: str = key.value
            first = seen.get(name)
            if first is not None:
                self.sink.error(
                    f"duplicate key '{name}' {context(path)} (first defined at line {first.line + 1})",
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
                close = close_matches(name, list(known), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
                self.sink.error(f"unknown key '{name}' {context(path)}", self.loc(key), hint)
                continue
            child = path + (name,)
            fields[name] = Entry(name, key, self.walk(value, fld.schema, ("field", name, path), child, key), self.file)
        owner = owner_key if owner_key is not None else node
        if not schema.required.issubset(fields):
            for name in schema.required:
                if name not in fields:
                    # Reported where the mapping is named (its key), or where it starts.
                    self.sink.error(f"missing required key '{name}' {context(path)}", self.loc(owner))
        return V(fields, node, self.file)

    def table(self, node: Node, schema: S.Table, subject: Subject, path: tuple[str, ...]) -> V | None:
        if type(node) is not MappingNode:
            hint = "use {} for none" if isinstance(node, ScalarNode) and node.tag == NULL else None
            self.expect(node, f"a mapping of {schema.item} names", subject, hint)
            return None
        entries: list[Entry] = []
        check_names = schema.key.role == S.IDENTIFIER
        for name, key, value in self.pairs(node, path):
            if check_names and not is_identifier(name):
                self.sink.error(
                    f"{schema.item} name '{name}' is not a C identifier",
                    self.loc(key),
                    hint=identifier_hint(name),
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
