"""``apir-codegen docs``: the protocol as a Markdown reference, readable on GitHub as is."""

from __future__ import annotations

from .fingerprint import fingerprint_literal
from .model import Command, Function, Spec


def guest_signature(spec: Spec, cmd: Command) -> str:
    params = ", ".join(p.spelling for p in (spec.naming.frontend_base_param, *cmd.params))
    return f"{cmd.return_type.spelling} {cmd.guest_name}({params})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def marshalling_text(cmd: Command) -> str:
    """Which side's marshalling code is generated, and how the host serves the call."""
    marshal = cmd.marshal
    if marshal is None:
        return "–" if cmd.status != "active" else "hand-written"
    sides = marshal.sides
    if marshal.hooked:
        sides += f", with hook `{cmd.handler_name}_impl`"
    return sides


def _row(spec: Spec, func: Function, cmd: Command | None) -> str:
    marshalling = spec.marshalling is not None
    if cmd is None:
        return f"| – | `{func.key}` | – | – | disabled |" + (" – |" if marshalling else "")
    if cmd.retired:
        guest, handler = "– (no declaration)", "– (calls are rejected)"
    else:
        guest = f"`{_cell(guest_signature(spec, cmd))}`" if not cmd.deprecated else "– (deprecated)"
        handler = f"`{cmd.handler_name}`"
    row = f"| {cmd.number} | `{cmd.key}` | {guest} | {handler} | {cmd.status} |"
    return row + f" {marshalling_text(cmd)} |" if marshalling else row


def _table_head(spec: Spec) -> list[str]:
    if spec.marshalling is None:
        return ["| # | command | guest function | host handler | status |", "|---:|---|---|---|---|"]
    return [
        "| # | command | guest function | host handler | status | marshalling |",
        "|---:|---|---|---|---|---|",
    ]


def render_docs(spec: Spec) -> str:
    by_key = {cmd.key: cmd for cmd in spec.commands}
    disabled = [f for g in spec.groups for f in g.functions if not f.enabled]
    counts = {
        status: sum(1 for c in spec.commands if c.status == status) for status in ("active", "deprecated", "retired")
    }
    total = len(spec.commands)
    numbers = f"numbers 0 to {total - 1}" if total else "no numbers"
    lines = [
        f"# Remoting protocol of `{spec.path}`",
        "",
        f"{total} commands ({numbers}): {counts['active']} active, {counts['deprecated']} deprecated, "
        f"{counts['retired']} retired; {len(disabled)} disabled function{'s' if len(disabled) != 1 else ''} "
        "(no number).",
        "",
        f"- Command numbers: {'from the lock file `' + spec.lock_path + '`' if spec.lock_path else 'spec order (no lock file)'}",
        f"- Enum: `{spec.naming.enum_prefix}<GROUP>_<FUNCTION>`; host handlers: "
        f"`{spec.naming.backend_function_prefix}<group>_<function>`; guest functions: "
        f"`{spec.naming.frontend_function_prefix}<group>_<function>`",
    ]
    if spec.marshalling is not None:
        generated = [c for c in spec.commands if c.marshal is not None]
        hooked = sum(1 for c in generated if c.marshal is not None and c.marshal.hooked)
        lines.append(
            f"- Marshalling: {len(generated)} of {total} commands generated ({hooked} with a hand-written hook) into "
            f"`{spec.marshalling.guest_output}`, `{spec.marshalling.host_output}` and "
            f"`{spec.marshalling.host_impl_header}`"
            + (f"; fuzz harness `{spec.marshalling.fuzz_output}`" if spec.marshalling.fuzz_output else "")
        )
    if spec.fingerprint:
        lines.append(f"- Protocol fingerprint: `{fingerprint_literal(spec)}` (`APIR_PROTOCOL_FINGERPRINT`)")
    listed: set[str] = set()
    for group in spec.groups:
        lines += ["", f"## {group.name}", "", _cell(group.description) or "(no description)", ""]
        lines += _table_head(spec)
        for func in group.functions:
            cmd = by_key.get(func.key) if func.enabled else None
            lines.append(_row(spec, func, cmd))
            listed.add(func.key)
    orphans = [cmd for cmd in spec.commands if cmd.key not in listed]
    if orphans:
        lines += ["", "## Retired commands no longer in the spec", ""]
        lines += _table_head(spec)
        lines += [_row(spec, cmd.function, cmd) for cmd in orphans]
    return "\n".join(lines) + "\n"
