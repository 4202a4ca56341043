"""Compatibility of two specs: what a guest built from one sees of a host built from the other.

Guest and host agree only on command numbers.  A change is *breaking* when a
command of the old spec is missing from the new one, disabled in it, or has a
different number: an old guest would then call the wrong handler, or a handler
that is gone.  Everything else is an API change for guest callers (new
commands, changed signatures, deprecations, retirements) but keeps the wire
protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cdecl import Param
from .model import Command, Spec


@dataclass(frozen=True)
class Break:
    """A command of the old spec that an old guest can no longer reach correctly."""

    key: str
    number: int
    reason: str  # "removed", "disabled" or "renumbered"
    new_number: int | None = None
    #: Commands of the old spec whose numbers move because of this one.
    shifted: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.reason == "renumbered":
            return f"'{self.key}' was number {self.number}, is now {self.new_number}"
        return f"'{self.key}' (number {self.number}) is {self.reason} in the new spec"


@dataclass(frozen=True)
class Change:
    key: str
    number: int
    what: str


@dataclass
class Report:
    breaks: list[Break] = field(default_factory=list)
    added: list[Command] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)


def _params_text(params: tuple[Param, ...]) -> str:
    return ", ".join(p.spelling for p in params) or "no extra parameters"


def signature_changes(old: Command, new: Command) -> list[str]:
    """How a command's guest signature changed, in words (empty when it did not)."""
    out: list[str] = []
    if old.return_type != new.return_type:
        out.append(f"return type changed: {old.return_type.spelling} -> {new.return_type.spelling}")
    old_params, new_params = old.params, new.params
    common = min(len(old_params), len(new_params))
    for index in range(common):
        a, b = old_params[index], new_params[index]
        if a.type != b.type or a.name != b.name:
            # Parameter 1 is frontend_base_param, which compat does not compare.
            out.append(f"parameter {index + 2} changed: {a.spelling} -> {b.spelling}")
    for param in new_params[common:]:
        out.append(f"parameter added: {param.spelling}")
    for param in old_params[common:]:
        out.append(f"parameter removed: {param.spelling}")
    return out


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
        if target.status != cmd.status:
            report.changes.append(Change(cmd.key, target.number, f"now {target.status} (was {cmd.status})"))
        if target.retired or cmd.retired:
            continue
        for what in signature_changes(cmd, target):
            report.changes.append(Change(cmd.key, target.number, what))
    return report


def format_report(report: Report, old_path: str, new_path: str) -> list[str]:
    lines: list[str] = []
    if report.breaks:
        lines.append(f"BREAKING: guests built from {old_path} would misroute calls to a host built from {new_path}:")
        for brk in report.breaks:
            lines.append(f"  {brk.describe()}")
            if brk.shifted:
                lines.append(f"    later commands shift: {', '.join(brk.shifted)}")
    for cmd in report.added:
        lines.append(f"added: '{cmd.key}' as number {cmd.number}")
    for change in report.changes:
        lines.append(f"API change: '{change.key}' (number {change.number}): {change.what}")
    if not lines:
        lines.append("no changes to the protocol")
    return lines
