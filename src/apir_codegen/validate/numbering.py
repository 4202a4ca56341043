"""Command numbers: spec order without a lock file; the lock's, then the next free ones, with it."""

from __future__ import annotations

from ..diagnostics import DiagnosticSink
from ..model import Function, Group

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ..lockfile import LockEntry, LockFile


def number(
    sink: DiagnosticSink, groups: tuple[Group, ...], lock: LockFile | None, enum_prefix: str = ""
) -> list[tuple[int, Function | LockEntry]]:
    """Each command's number and its function (or the lock's entry of a retired command gone from the spec).

    With a lock, a command not in it yet is a warning, and a locked command
    dropped or disabled without being retired is an error.
    """

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
