"""The protocol fingerprint: a hash of everything guest and host must agree on.

It covers, per command number: the command's name, whether it is retired, and
its guest signature as types (return type, parameter types in order).  It does
not cover what cannot break the wire: descriptions, comments, parameter names,
handler names, prefixes, deprecation (a deprecated command is still served).
Types are hashed in a canonical spelling, so ``char const *`` and
``const char *`` are the same type.
"""

from __future__ import annotations

import hashlib

from .cdecl import CType
from .model import Spec

FINGERPRINT_MACRO = "APIR_PROTOCOL_FINGERPRINT"


def _canonical(ctype: CType) -> str:
    words = [*sorted(ctype.qualifiers), *ctype.base]
    for ptr in ctype.pointers:
        words.append("*")
        words.extend(sorted(ptr.qualifiers))
    return " ".join(words)


def canonical_text(spec: Spec) -> str:
    """The text the fingerprint hashes: one line per command number."""
    lines = ["apir-codegen protocol 1"]
    for cmd in spec.commands:
        if cmd.retired:
            lines.append(f"{cmd.number} {cmd.key} retired")
            continue
        params = ", ".join(_canonical(p.type) for p in cmd.params)
        lines.append(f"{cmd.number} {cmd.key} {_canonical(cmd.return_type)} ({params})")
    return "\n".join(lines) + "\n"


def fingerprint(spec: Spec) -> int:
    """A 64-bit fingerprint of the protocol."""
    digest = hashlib.sha256(canonical_text(spec).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def fingerprint_literal(spec: Spec) -> str:
    return f"0x{fingerprint(spec):016x}ULL"
