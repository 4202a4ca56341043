"""Diagnostics: located messages about a spec, in the format compilers use.

Every problem found in a spec becomes a :class:`Diagnostic` that points at the
spec (path as given, 1-based line and column).  Stages collect diagnostics in a
:class:`DiagnosticSink` and the pipeline stops with :class:`SpecError` when any
error was reported, so that nothing is written.
"""

from __future__ import annotations

import os
import re
import sys

from .records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Literal

    Severity = Literal["error", "warning"]


#: Unicode's Bidi_Control characters: they reorder how text is shown, not what it is
#: ("Trojan Source"); gcc warns about them in C (-Wbidi-chars).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Line breaks, as YAML 1.1 (and so PyYAML) counts them.
LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


#: Quoted values longer than this are cut when shown: a diagnostic is a line to read, not a copy of the input.
MAX_ECHO = 160
#: And a whole message longer than this (many values, or one with quotes inside) is cut in the middle.
MAX_MESSAGE = 1000
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with control, line-break, bidirectional and other unprintable characters escaped
    (``\\n``, ``\\x1b``, ``\\xa0``, ``\\u202e``), so that a diagnostic stays one line and shows what is there."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        code = ord(char)
        if not char.isprintable() or char in BIDI_CONTROLS or char in LINE_BREAKS:
            out.append(_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"))
        else:
            out.append(char)
    return "".join(out)


def _cut_quoted(match: re.Match[str]) -> str:
    value = match.group(1)
    return f"'{value[: MAX_ECHO - 40]}...' ({len(value):,} characters)"


def readable(text: str) -> str:
    """``text`` as a diagnostic shows it: escaped (:func:`printable`), quoted values over
    :data:`MAX_ECHO` characters cut, and the whole over :data:`MAX_MESSAGE` cut; each cut is marked."""
    text = printable(text)
    if len(text) <= MAX_ECHO:
        return text
    text = re.sub(f"'([^']{{{MAX_ECHO + 1},}})'", _cut_quoted, text)
    if len(text) > MAX_MESSAGE:
        head, tail = MAX_MESSAGE * 2 // 3, MAX_MESSAGE // 4
        text = f"{text[:head]}...[{len(text) - head - tail:,} characters cut]...{text[-tail:]}"
    return text


class Location(Record):
    """A position in a file: path as given by the user, 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.column}"


class Diagnostic(Record):
    severity: Severity
    message: str
    location: Location | None = None
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.message)
        return (loc.path, loc.line, loc.column, self.message)

    def format(self, color: bool = False) -> str:
        where = f"{self.location}: " if self.location else "apir-codegen: "
        label: str = self.severity
        if color:
            code = "31" if self.severity == "error" else "35"
            where = f"\033[1m{where}\033[0m"
            label = f"\033[1;{code}m{label}\033[0m"
        text = f"{where}{label}: {readable(self.message)}"
        if self.hint:
            hint = "hint:" if not color else "\033[1;36mhint:\033[0m"
            text += f"\n  {hint} {readable(self.hint)}"
        return text


class DiagnosticSink:
    """Collects the diagnostics of one run."""

    __slots__ = ("diagnostics", "werror")

    def __init__(self, werror: bool = False) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.werror = werror

    def error(self, message: str, location: Location | None = None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic("error", message, location, hint))

    def warning(self, message: str, location: Location | None = None, hint: str | None = None) -> None:
        severity: Severity = "error" if self.werror else "warning"
        self.diagnostics.append(Diagnostic(severity, message, location, hint))

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=Diagnostic.sort_key)


class SpecError(Exception):
    """Raised when a spec has errors; carries every diagnostic of the run."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        super().__init__(first.format() if first else "invalid spec")


def use_color(stream: IO[str]) -> bool:
    """Color only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return " and ".join(parts) + " generated."


def report(diagnostics: list[Diagnostic], stream: IO[str] | None = None) -> None:
    """Print diagnostics sorted by position, then a count."""
    out = stream if stream is not None else sys.stderr
    if not diagnostics:
        return
    color = use_color(out)
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    for diag in ordered:
        print(diag.format(color), file=out)
    print(summary(ordered), file=out)
