"""Compatibility of two specs: what a guest built from one sees of a host built from the other.

Guest and host agree only on command numbers and, for each command, on the
arguments in order: the host decodes a call's arguments by position, as the
guest's signature encoded them.  A change is *breaking* when a guest of the
old spec can no longer call a command of it correctly on a host of the new
one: the command is missing from the new spec, disabled, renumbered or
retired there (the host rejects the call), or, for a command the old guest
can call (not deprecated), its return type changed, or a parameter was
added, removed or changed type, or, when both specs generate its
marshalling, a slot changed its codec, direction or length (the bytes the
generated code sends or expects).  Everything else is an API change for
guest callers (new commands, renamed parameters, deprecations, changes to a
command the old guest cannot call) and keeps the wire protocol.

Adding or removing a command's ``marshal:`` block is not a break: the
generated code makes exactly the runtime calls ggml's hand-written code makes
for the same values (that is the contract, checked four ways against ggml's
code by the tests), so a generated side and a hand-written side of the same
signature exchange the same bytes.  It is listed as an API change, since the
hand-written definitions are then to be deleted (or written again).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Command, Slot, Spec

#: Why a signature change breaks: shown once under the breaks it explains.
BY_POSITION = "arguments and results are decoded by position, as the guest's signature encoded them"
BY_SLOT = "a generated command's bytes are those of each slot's codec, direction and length"


@dataclass(frozen=True)
class Break:
    """A command of the old spec that an old guest can no longer reach correctly."""

    key: str
    number: int
    reason: str  # "removed", "disabled", "renumbered", "retired" or "signature"
    new_number: int | None = None
    #: Commands of the old spec whose numbers move because of this one.
    shifted: tuple[str, ...] = ()
    #: For "signature": what changed, one entry per change.
    details: tuple[str, ...] = ()
    #: Whether a slot of a generated command is among the changes.
    slots: bool = False

    def describe(self) -> list[str]:
        if self.reason == "renumbered":
            return [f"'{self.key}' was number {self.number}, is now {self.new_number}"]
        if self.reason == "signature":
            return [f"'{self.key}' (number {self.number}): {detail}" for detail in self.details]
        if self.reason == "retired":
            return [f"'{self.key}' (number {self.number}) is retired in the new spec: its host rejects the call"]
        return [f"'{self.key}' (number {self.number}) is {self.reason} in the new spec"]


@dataclass(frozen=True)
class ApiChange:
    """A change guest callers see that keeps the wire protocol: a signature, a status."""

    key: str
    number: int
    what: str


@dataclass
class Report:
    breaks: list[Break] = field(default_factory=list)
    added: list[Command] = field(default_factory=list)
    changes: list[ApiChange] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)


def signature_changes(old: Command, new: Command) -> tuple[list[str], list[str]]:
    """How a command's guest signature changed, in words: (changes on the wire, renamed parameters)."""
    wire: list[str] = []
    renamed: list[str] = []
    if old.return_type != new.return_type:
        wire.append(f"return type changed: {old.return_type.spelling} -> {new.return_type.spelling}")
    old_params, new_params = old.params, new.params
    common = min(len(old_params), len(new_params))
    for index in range(common):
        a, b = old_params[index], new_params[index]
        # Parameter 1 is frontend_base_param, which compat does not compare.
        if a.type != b.type:
            wire.append(f"parameter {index + 2} changed: {a.spelling} -> {b.spelling}")
        elif a.name != b.name:
            renamed.append(f"parameter {index + 2} renamed: {a.spelling} -> {b.spelling}")
    wire += [f"parameter added: {param.spelling}" for param in new_params[common:]]
    wire += [f"parameter removed: {param.spelling}" for param in old_params[common:]]
    return wire, renamed


def _position(cmd: Command, name: str | None) -> int | None:
    """The position of parameter ``name`` in the guest signature (1 is the base parameter), None for none."""
    if name is None:
        return None
    return next(index + 2 for index, param in enumerate(cmd.params) if param.name == name)


def slot_changes(old: Command, new: Command) -> list[str]:
    """How the wire bytes of a command generated in both specs changed: codec, direction or length of a slot.

    Only slots whose C type did not change are compared (a type change is
    already a signature change); a ``shmem`` length is compared by position,
    where its value travels.
    """
    a, b = old.marshal, new.marshal
    if a is None or b is None:
        return []
    pairs: list[tuple[Slot, Slot, str]] = [
        (x, y, f"parameter {index + 2} ({y.param.spelling})")
        for index, (x, y) in enumerate(zip(a.params, b.params, strict=False))
        if x.param is not None and y.param is not None and x.param.type == y.param.type
    ]
    if a.returns is not None and b.returns is not None and old.return_type == new.return_type:
        pairs.append((a.returns, b.returns, f"return value ({new.return_type.spelling})"))
    out: list[str] = []
    for x, y, what in pairs:
        if x.codec != y.codec:
            out.append(f"{what}: codec changed: {x.codec} -> {y.codec}")
        if x.direction != y.direction:
            out.append(f"{what}: direction changed: {x.direction} -> {y.direction}")
        was, now = _position(old, x.length), _position(new, y.length)
        if was != now:
            out.append(f"{what}: length changed: {_length(was, x.length)} -> {_length(now, y.length)}")
    return out


def _length(position: int | None, name: str | None) -> str:
    return "none" if position is None else f"parameter {position} ({name})"


def _marshalling(cmd: Command) -> str:
    return "hand-written" if cmd.marshal is None else cmd.marshal.sides


def compare(old: Spec, new: Spec) -> Report:
    report = Report()
    new_by_key = {cmd.key: cmd for cmd in new.commands}
    old_keys = {cmd.key for cmd in old.commands}
    disabled = {f.key for g in new.groups for f in g.functions if not f.enabled}
    moved: list[tuple[Command, str, int | None]] = []
    for cmd in old.commands:
        target = new_by_key.get(cmd.key)
        if target is None:
            moved.append((cmd, "disabled" if cmd.key in disabled else "removed", None))
        elif target.number != cmd.number:
            moved.append((cmd, "renumbered", target.number))
    moved_keys = {cmd.key for cmd, _, _ in moved}
    for cmd, reason, new_number in moved:
        if reason == "renumbered":
            report.breaks.append(Break(cmd.key, cmd.number, reason, new_number))
            continue
        shifted = tuple(
            later.key
            for later in old.commands
            if later.number > cmd.number and later.key in moved_keys and later.key in new_by_key
        )
        report.breaks.append(Break(cmd.key, cmd.number, reason, None, shifted))
    for cmd in new.commands:
        if cmd.key not in old_keys:
            report.added.append(cmd)
    for cmd in old.commands:
        target = new_by_key.get(cmd.key)
        if target is None:
            continue
        # Only a command the old guest declares can be called by it.
        callable_by_old_guests = cmd.status == "active"
        if target.retired and callable_by_old_guests:
            report.breaks.append(Break(cmd.key, cmd.number, "retired"))
        elif target.status != cmd.status:
            report.changes.append(ApiChange(cmd.key, target.number, f"now {target.status} (was {cmd.status})"))
        if target.retired or cmd.retired:
            continue
        wire, renamed = signature_changes(cmd, target)
        slots = slot_changes(cmd, target)
        wire += slots
        if wire and callable_by_old_guests:
            report.breaks.append(Break(cmd.key, cmd.number, "signature", details=tuple(wire), slots=bool(slots)))
        else:
            report.changes += [ApiChange(cmd.key, target.number, what) for what in wire]
        report.changes += [ApiChange(cmd.key, target.number, what) for what in renamed]
        if cmd.status == target.status == "active" and _marshalling(cmd) != _marshalling(target):
            what = f"marshalling {_marshalling(target)} (was {_marshalling(cmd)}), no change on the wire"
            report.changes.append(ApiChange(cmd.key, target.number, what))
    report.breaks.sort(key=lambda brk: brk.number)
    return report


def format_report(report: Report, old_path: str, new_path: str) -> list[str]:
    lines: list[str] = []
    if report.breaks:
        lines.append(f"BREAKING: guests built from {old_path} cannot call a host built from {new_path} correctly:")
        for brk in report.breaks:
            lines += [f"  {line}" for line in brk.describe()]
            if brk.shifted:
                lines.append(f"    later commands shift: {', '.join(brk.shifted)}")
        if any(brk.reason == "signature" for brk in report.breaks):
            lines.append(f"  ({BY_POSITION})")
        if any(brk.slots for brk in report.breaks):
            lines.append(f"  ({BY_SLOT})")
    for cmd in report.added:
        lines.append(f"added: '{cmd.key}' as number {cmd.number}")
    for change in report.changes:
        lines.append(f"API change: '{change.key}' (number {change.number}): {change.what}")
    if not lines:
        lines.append("no changes to the protocol")
    return lines
