"""Validate: YAML nodes to the model; the only stage that can reject a spec.

One module per concern:

* :mod:`.structure`: the first pass, driven by the declaration in
  :mod:`apir_codegen.schema`: kinds, choices, required, unknown and duplicate
  keys, table keys that must be identifiers;
* :mod:`.roles`: the checks of each string, chosen by the role the schema
  declares it with (C types and parameters, prefixes, comment text, function
  names), not by its key;
* :mod:`.build`: the model's groups, functions and naming patterns from the
  checked values, and flags that contradict each other;
* :mod:`.marshal`: the marshalling annotations;
* :mod:`.collisions`: parameter and composed names: unique, compilable where
  the headers are compiled, not special to clang-format, overrides that name
  a function;
* :mod:`.numbering`: command numbers, with or without a lock file;
* :mod:`.limits`: the lengths of names and declarations the selected style
  can lay out (none for the styles that do not lay out to a column limit);
* :mod:`.values`: what the passes share (checked values, their locations, words
  for messages).

Every problem is reported (not just the first); the caller stops on errors.
"""

from __future__ import annotations

from .. import schema as S
from ..diagnostics import DiagnosticSink, Location
from ..format.ggml.style import GGML, Style
from ..loader import Document
from ..model import Command, Function, Group, Marshalling, NamingPatterns, Spec
from . import collisions
from .build import Builder
from .limits import Limits, limits
from .numbering import number
from .structure import Walker
from .values import Entry

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ..lockfile import LockFile

__all__ = ["validate_document"]


def validate_document(
    doc: Document, sink: DiagnosticSink, lock: LockFile | None = None, style: Style | None = GGML
) -> Spec | None:
    """Check a composed document and build the model; None when there are errors.

    With a ``lock``, command numbers come from it (see :mod:`apir_codegen.lockfile`).
    ``style`` is the style the headers will be laid out in, whose column limit
    bounds names and declarations (None: a style that does not lay out to a
    limit, such as ``unformatted``; no limits).
    """
    bounds = limits(style)
    root = Walker(doc, sink).walk(doc.root, S.SPEC, ("text", "the spec"), ())
    if root is None:
        return None
    fields: dict[str, Entry] = root.value
    builder = Builder(sink, bounds)
    naming_entry = fields.get("naming_patterns")
    naming, override_entries = builder.naming(naming_entry.value if naming_entry else None)
    builder.base = naming.frontend_base_param if naming else None
    functions_entry = fields.get("functions")
    group_entries: list[Entry] = functions_entry.value.value if functions_entry and functions_entry.value else []
    marshalling, marshalled = fields.get("marshalling"), _any_marshal(group_entries)
    if marshalling is not None or marshalled:
        builder.marshal.section(marshalling, marshalled)

    groups: list[Group] = []
    functions_ok = True
    for gentry in group_entries:
        group, ok = builder.group(gentry)
        functions_ok = functions_ok and ok
        if group is not None:
            groups.append(group)

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
        doc, sink, tuple(groups), naming, override_entries, complete, lock, fingerprint, builder.marshalling, bounds
    )
    return spec if complete else None


def _any_marshal(group_entries: list[Entry]) -> bool:
    for group in group_entries:
        functions = group.value.value.get("functions") if group.value is not None else None
        for entry in functions.value.value if functions is not None and functions.value is not None else []:
            if entry.value is not None and entry.value.value and "marshal" in entry.value.value:
                return True
    return False


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
    bounds: Limits | None = None,
) -> Spec | None:
    descriptions = {g.name: g.description for g in groups}
    commands: list[Command] = []
    for num, item in sorted(number(sink, groups, lock, naming.enum_prefix), key=lambda pair: pair[0]):
        if isinstance(item, Function):
            func = item
        else:  # a retired command only the lock file still knows
            func = Function(item.group, item.function, item.location or Location(doc.path, 1, 1), retired=True)
        commands.append(
            Command(
                number=num,
                function=func,
                enum_name=naming.enum_name(func.group, func.name),
                handler_name=naming.handler_name(func.group, func.name),
                guest_name=naming.guest_name(func.group, func.name),
                group_description=descriptions.get(func.group, func.group),
            )
        )
    if complete:
        collisions.overrides_name_functions(sink, groups, overrides)
    collisions.composed_names(sink, groups, naming, commands, overrides, bounds)
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
