"""Render the harness's raw log into a form that compares byte for byte.

The raw log (written by tests/marshalling/cpp/harness_common.cpp and the
programs around it) records every request and reply in full. Those bytes hold
addresses: guest tensors and buffers, host buffers and buffer types, host data,
even a guest stack address (ggml's `apir_encode_ggml_buffer_handle` bug). They
differ from run to run (ASLR) and from build to build. The programs therefore
name every object they create in an address book (`region+` / `region-`
lines, in the order things happen), and rendering replaces each 8-byte word
that points into a live region with the region's name and offset: `@host.buffer#1+0x0`.

Everything else is printed as it was sent: 4-byte words as their bytes in
memory order, so a rendered request still shows the exact wire format.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

WORDS_PER_LINE = 8
_HEX_IN_TEXT = re.compile(r"0x([0-9a-fA-F]{6,16})\b")
_PTR_RESULT = re.compile(r"=ptr:([0-9a-f]+)")


@dataclass(frozen=True)
class Region:
    name: str
    start: int
    size: int
    order: int


@dataclass
class AddressBook:
    """The live named regions; the most specific (smallest, then newest) one names an address."""

    regions: list[Region] = field(default_factory=list)
    _added: int = 0

    def add(self, name: str, start: int, size: int) -> None:
        self._added += 1
        self.regions.append(Region(name, start, size, self._added))

    def remove(self, name: str, start: int) -> None:
        for i in range(len(self.regions) - 1, -1, -1):
            if self.regions[i].name == name and self.regions[i].start == start:
                del self.regions[i]
                return
        raise ValueError(f"region- for a region that is not live: {name} at {start:#x}")

    def name(self, value: int) -> str | None:
        best: Region | None = None
        for region in self.regions:
            inside = region.start <= value < region.start + region.size or (region.size == 0 and value == region.start)
            if inside and (best is None or (region.size, -region.order) < (best.size, -best.order)):
                best = region
        if best is None:
            return None
        if best.name.startswith("<"):
            return best.name
        offset = value - best.start
        return f"@{best.name}+{offset:#x}"


def looks_like_pointer(value: int) -> bool:
    """A user-space address of this machine's usual layouts (heap, libraries, stack)."""
    return 0x5500_0000_0000 <= value < 0x5700_0000_0000 or 0x7F00_0000_0000 <= value < 0x8000_0000_0000


@dataclass
class Rendered:
    text: str
    unresolved: list[str]  # pointer-like words no region names: the address book is incomplete


def render_bytes(data: bytes, book: AddressBook, unresolved: list[str], where: str) -> list[str]:
    tokens: list[tuple[int, str]] = []
    i = 0
    while i < len(data):
        if i + 8 <= len(data):
            value = int.from_bytes(data[i : i + 8], "little")
            symbol = book.name(value) if value else None
            if symbol is not None:
                tokens.append((i, symbol))
                i += 8
                continue
            if looks_like_pointer(value):
                unresolved.append(f"{where} +{i:#x}: {value:#x}")
        tokens.append((i, data[i : i + 4].hex()))
        i += 4
    lines = []
    for k in range(0, len(tokens), WORDS_PER_LINE):
        chunk = tokens[k : k + WORDS_PER_LINE]
        lines.append(f"  {chunk[0][0]:04x}: " + " ".join(text for _, text in chunk))
    return lines


def render(raw: str) -> Rendered:
    book = AddressBook()
    out: list[str] = []
    unresolved: list[str] = []
    call = "setup"

    def symbolize_text(text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            value = int(match.group(1), 16)
            symbol = book.name(value)
            if symbol is None and looks_like_pointer(value):
                unresolved.append(f"{call}: text {match.group(0)}")
            return symbol if symbol is not None else match.group(0)

        return _HEX_IN_TEXT.sub(replace, text)

    for line in raw.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "region+":
            start, size, name = rest.split(" ", 2)
            book.add(name, int(start, 16), int(size, 16))
        elif kind == "region-":
            start, name = rest.split(" ", 1)
            book.remove(name, int(start, 16))
        elif kind in ("req", "reply"):
            size, _, hexdata = rest.partition(" ")
            data = bytes.fromhex(hexdata)
            if len(data) != int(size):
                raise ValueError(f"{kind} line says {size} bytes but holds {len(data)}")
            out.append(f"{kind} {size}")
            out.extend(render_bytes(data, book, unresolved, f"{call} {kind}"))
        elif kind == "result":
            text = _PTR_RESULT.sub(
                lambda m, call=call: (
                    "=" + (book.name(int(m.group(1), 16)) or _unresolved(unresolved, call, m.group(1)))
                ),
                rest,
            )
            out.append(f"result {text}")
        elif kind == "ggml":
            out.append(f"ggml {symbolize_text(rest)}")
        else:
            if kind == "call":
                call = rest
            out.append(symbolize_text(line))
    return Rendered("\n".join(out) + "\n", unresolved)


def _unresolved(unresolved: list[str], call: str, value: str) -> str:
    unresolved.append(f"{call}: result ptr:{value}")
    return f"ptr:{value}"


def first_difference(expected: str, actual: str, context: int = 3) -> str | None:
    """None when equal, else where they first differ (the call) and a unified diff."""
    if expected == actual:
        return None
    a, b = expected.splitlines(), actual.splitlines()
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    call = next((line for line in reversed(a[: first + 1]) if line.startswith(("call ", "step "))), "the start")
    diff = "\n".join(difflib.unified_diff(a, b, "expected", "actual", n=context, lineterm=""))
    return f"logs differ first in or after: {call}\n{diff}"
