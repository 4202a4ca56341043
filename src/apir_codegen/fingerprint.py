"""The protocol fingerprint: a hash of everything guest and host must agree on.

It covers, per command number: the command's name, whether it is retired, and
its guest signature as types (return type, parameter types in order); for a
command whose marshalling is generated, also each slot's codec, direction and
length, which fix its bytes on the wire.  It does
not cover what cannot break the wire: descriptions, comments, parameter names,
handler names, prefixes, deprecation (a deprecated command is still served).
Types are hashed in a canonical spelling, so ``char const *`` and
``const char *`` are the same type.
"""

from __future__ import annotations

import hashlib

from .cdecl import CType
from .model import Marshal, Spec

FINGERPRINT_MACRO = "APIR_PROTOCOL_FINGERPRINT"


def _canonical(ctype: CType) -> str:
    words = [*sorted(ctype.qualifiers), *ctype.base]
    for ptr in ctype.pointers:
        words.append("*")
        words.extend(sorted(ptr.qualifiers))
    return " ".join(words)


def wire_slots(marshal: Marshal) -> list[str]:
    """Each slot as the wire sees it: codec, direction and, for shmem, the position of its length."""
    names = [slot.name for slot in marshal.params]
    out = []
    for slot in (*marshal.params, marshal.returns):
        if slot is None:
            continue
        text = f"{slot.codec}:{slot.direction}"
        if slot.length is not None:
            text += f":len={names.index(slot.length) + 1}"
        out.append(text)
    return out


def canonical_text(spec: Spec) -> str:
    """The text the fingerprint hashes: one line per command number."""
    lines = ["apir-codegen protocol 1"]
    for cmd in spec.commands:
        if cmd.retired:
            lines.append(f"{cmd.number} {cmd.key} retired")
            continue
        params = ", ".join(_canonical(p.type) for p in cmd.params)
        line = f"{cmd.number} {cmd.key} {_canonical(cmd.return_type)} ({params})"
        marshal = cmd.marshal
        if marshal is not None:
            line += " wire " + " ".join(wire_slots(marshal))
        lines.append(line)
    return "\n".join(lines) + "\n"


def fingerprint(spec: Spec) -> int:
    """A 64-bit fingerprint of the protocol."""
    digest = hashlib.sha256(canonical_text(spec).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def fingerprint_literal(spec: Spec) -> str:
    return f"0x{fingerprint(spec):016x}ULL"
