"""The lock file: command numbers that never change meaning.

Guest and host agree only on command numbers.  Without a lock file a command's
number is its position among the spec's enabled functions, so removing or
disabling one renumbers every later command.  ``apir-codegen lock`` records the
numbers beside the spec, in ``<spec stem>.lock`` (``ggmlremoting_functions.lock``
for ggml's spec); ``generate`` and ``check`` then keep every locked command on
its number, give new commands the next free numbers, and refuse to drop a
locked command that is not deprecated or retired.

The format is plain text, one command per line in number order, so that a
review shows exactly which numbers a change touches::

    # apir-codegen lock file for ggmlremoting_functions.yaml (format 1).
    0 device.get_device_count
    1 device.get_count
    ...
    13 buffer_type.is_host retired

Blank lines and lines starting with ``#`` are ignored.  Every number from 0 up
appears exactly once.
"""

from __future__ import annotations

import os
import re

from .diagnostics import DiagnosticSink, Location
from .files import FileKindError, read_file
from .records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .model import Spec

FORMAT_VERSION = 1
# ASCII only: '\d', '\s' and str.isdigit() would also take '²', '٣' or a no-break space, and int() refuses '²'.
_LINE = r"(?a)^(\S+)\s+([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)(?:\s+(\S+))?\s*$"
_ASCII_SPACE = " \t\r\f\v"
#: More digits than any command number needs (and int() refuses over 4,300).
MAX_NUMBER_DIGITS = 9


class LockEntry(Record):
    number: int
    group: str
    function: str
    retired: bool = False
    location: Location | None = None

    @property
    def qualified_name(self) -> str:
        return f"{self.group}.{self.function}"


class LockFile(Record):
    path: str
    entries: tuple[LockEntry, ...]

    def by_name(self) -> dict[str, LockEntry]:
        return {e.qualified_name: e for e in self.entries}

    @property
    def next_number(self) -> int:
        return len(self.entries)


def lock_path(spec_path: str | os.PathLike[str]) -> str:
    """Where the lock file of a spec lives: beside it, ``<stem>.lock``."""
    stem, _ = os.path.splitext(os.fspath(spec_path))
    return stem + ".lock"


def read_lock(path: str | os.PathLike[str], sink: DiagnosticSink, display: str | None = None) -> LockFile | None:
    """Parse a lock file; report problems (located in the lock file) and return None on errors."""
    shown = display if display is not None else str(path)
    try:
        text = read_file(path).decode("utf-8")
    except UnicodeDecodeError:
        sink.error("the lock file is not UTF-8 text", Location(shown, 1, 1))
        return None
    except FileKindError as exc:
        sink.error(
            f"lock file is {exc.reason}: {shown}", hint="the lock file is a text file written by 'apir-codegen lock'"
        )
        return None
    except OSError as exc:
        sink.error(f"cannot read lock file {shown}: {exc.strerror or exc}")
        return None
    entries: list[LockEntry] = []
    errors = False
    by_number: dict[int, LockEntry] = {}
    by_name: dict[str, LockEntry] = {}
    for index, raw in enumerate(text.split("\n"), start=1):  # lines as editors count them
        line = raw.strip(_ASCII_SPACE)
        if not line or line.startswith("#"):
            continue
        loc = Location(shown, index, raw.index(line[0]) + 1)
        match = re.match(_LINE, line)  # compiled on first use (re caches it)
        if not match or not _is_number(match.group(1)) or match.group(4) not in (None, "retired"):
            sink.error(
                f"malformed lock file line: '{line}'",
                loc,
                hint="each line is '<number> <group>.<function>', optionally followed by 'retired'; "
                "numbers are written with the digits 0 to 9",
            )
            errors = True
            continue
        if len(match.group(1)) > MAX_NUMBER_DIGITS:
            sink.error(
                f"number {match.group(1)} is out of range",
                loc,
                hint="a lock file numbers its commands from 0 up; 'apir-codegen lock --accept-breaking' rebuilds it "
                "from the spec's order",
            )
            errors = True
            continue
        entry = LockEntry(int(match.group(1)), match.group(2), match.group(3), match.group(4) == "retired", loc)
        first = by_number.get(entry.number)
        label = f"number {entry.number}"
        if first is None:
            first = by_name.get(entry.qualified_name)
            label = f"'{entry.qualified_name}'"
        if first is not None:
            where = first.location.line if first.location else "?"
            sink.error(f"{label} is locked twice (first at line {where})", loc)
            errors = True
            continue
        by_number[entry.number] = entry
        by_name[entry.qualified_name] = entry
        entries.append(entry)
    if errors:
        return None
    entries.sort(key=lambda e: e.number)
    for expected, entry in enumerate(entries):
        if entry.number != expected:
            sink.error(
                f"number {expected} is missing from the lock file",
                entry.location,
                hint="a lock file lists every number from 0 up; 'apir-codegen lock --accept-breaking' rebuilds it "
                "from the spec's order",
            )
            return None
    return LockFile(shown, tuple(entries))


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def render_lock(spec_name: str, entries: list[LockEntry]) -> str:
    lines = [
        f"# apir-codegen lock file for {spec_name} (format {FORMAT_VERSION}).",
        "# Command numbers: once given, a number always means the same command.",
        "# Written by 'apir-codegen lock'; commit it with the spec and do not edit it by hand.",
    ]
    for entry in sorted(entries, key=lambda e: e.number):
        suffix = " retired" if entry.retired else ""
        lines.append(f"{entry.number} {entry.qualified_name}{suffix}")
    return "\n".join(lines) + "\n"


class LockUpdate(Record):
    """What ``apir-codegen lock`` writes: the lock file's path and text, its number of
    commands, and what it renumbers of the previous lock (empty: nothing breaks)."""

    path: str
    text: str
    commands: int
    renumbered: tuple[str, ...]


def update_lock(spec: Spec, spec_path: str, previous: LockFile | None) -> LockUpdate:
    """The lock file of ``spec`` (numbered as the spec's model has them), and what it changes for ``previous``."""
    entries = [LockEntry(cmd.number, cmd.group, cmd.function.name, cmd.retired) for cmd in spec.commands]
    text = render_lock(os.path.basename(spec_path), entries)
    renumbered = tuple(renumbering(previous, spec)) if previous is not None else ()
    return LockUpdate(lock_path(spec_path), text, len(entries), renumbered)


def read_previous_lock(path: str, sink: DiagnosticSink, display: str) -> LockFile | None:
    """The lock file a rebuild replaces, for listing what it renumbers.

    Its problems do not stop the rebuild (rebuilding is how a broken lock file
    is mended) but are reported as warnings, with one saying that what the
    rebuild renumbers cannot be listed.
    """
    own = DiagnosticSink()
    previous = read_lock(path, own, display)
    if previous is None:
        for diag in own.diagnostics:
            sink.warning(diag.message, diag.location, diag.hint)
        sink.warning(
            "the previous lock file is not valid: the commands this rebuild renumbers cannot be listed",
            Location(display, 1, 1),
            hint="compare the new lock file with the previous one (e.g. in version control) before committing it",
        )
    return previous


def renumbering(previous: LockFile, spec: Spec) -> list[str]:
    """What a rebuilt lock changes for the commands of the previous one (empty: nothing breaks)."""
    now = {f"{cmd.group}.{cmd.function.name}": cmd.number for cmd in spec.commands}
    lines = []
    for entry in previous.entries:
        number = now.get(entry.qualified_name)
        if number is None:
            lines.append(f"  '{entry.qualified_name}' (number {entry.number}) is dropped")
        elif number != entry.number:
            lines.append(f"  '{entry.qualified_name}' is renumbered {entry.number} -> {number}")
    if lines:
        lines.insert(0, "BREAKING: guests and hosts built with the previous lock file are incompatible:")
    return lines
