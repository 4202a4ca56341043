"""Validate the marshalling annotations: ``marshalling:`` and each function's ``marshal:``.

The structure (keys, kinds, choices) has been checked against
:mod:`apir_codegen.schema` by the time these checks run; here is what the
schema cannot say: which codec each slot has and whether it may stand there,
directions, lengths, host-side names, and that ``host_call`` and ``checks``
are exactly one C expression each (generated code must never be injectable).
Every problem is reported, located, with a hint where a fix is likely.
"""

from __future__ import annotations

import posixpath

from .. import schema as S
from ..cdecl import CDeclError, CType, Param, parse_type
from ..cexpr import CExprError, parse_expression
from ..codecs import (
    BUFFER_HANDLE,
    CODECS,
    GUEST_LOCALS,
    GUEST_SUFFIXES,
    HOST_LOCALS,
    HOST_SUFFIXES,
    OUT,
    PARAM,
    RESERVED_NAMES,
    RESERVED_PREFIXES,
    RETURN,
    SCALAR,
    SCALAR_TYPES,
    SHMEM,
    TENSOR,
    Codec,
)
from ..diagnostics import DiagnosticSink, Location
from ..model import (
    GUEST_MARSHAL_OUTPUT,
    HOST_IMPL_HEADER,
    HOST_MARSHAL_OUTPUT,
    OUTPUT_FILES,
    Marshal,
    Marshalling,
    Slot,
)
from .roles import RoleChecks
from .values import Entry, V, close_matches, offset_location

#: Integer scalar codecs a shmem length may have.
LENGTH_CODECS = frozenset({"int32_t", "uint32_t", "uint64_t", "size_t", "uint8_t", "uintptr_t"})


def type_key(ctype: CType) -> tuple[str, ...]:
    """A C type as ``marshalling.types`` matches it: qualifiers, spacing and tags ignored."""
    base = ctype.base[1:] if ctype.base[0] in ("struct", "enum", "union") and len(ctype.base) == 2 else ctype.base
    return (*base, *("*" for _ in ctype.pointers))


def _type_text(key: tuple[str, ...]) -> str:
    words = [w for w in key if w != "*"]
    stars = len(key) - len(words)
    return " ".join(words) + (" " + "*" * stars if stars else "")


class TypeCodec:
    __slots__ = ("codec", "host_name", "location")

    def __init__(self, codec: str, host_name: str | None, location: Location) -> None:
        self.codec = codec
        self.host_name = host_name
        self.location = location


def _codec_hint(name: str) -> str:
    close = close_matches(name, list(CODECS), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"known codecs: {', '.join(CODECS)}"


class MarshalChecker:
    """Checks the annotations of one spec; built once, used per function."""

    def __init__(self, sink: DiagnosticSink, roles: RoleChecks) -> None:
        self.sink = sink
        # The checks of the marshalling roles join the others: values are checked by their role.
        roles.by_role[S.CODEC_ROLE] = self.codec
        roles.by_role[S.C_EXPRESSION_ROLE] = self.expression
        self.check = roles.check
        self.types: dict[tuple[str, ...], TypeCodec] = {}
        self.config: Marshalling | None = None

    # -- marshalling: ---------------------------------------------------------------------

    def codec(self, value: V, what: str, where: str) -> Codec | None:
        """A value of the codec role: the codec it names."""
        codec = CODECS.get(value.value)
        if codec is None:
            self.sink.error(f"unknown {what} '{value.value}' {where}", value.loc, _codec_hint(value.value))
        return codec

    def section(self, entry: Entry | None, marshalled: bool) -> None:
        """``marshalling:``; ``marshalled`` says whether any function has a marshal block."""
        fields: dict[str, Entry] = {}
        if entry is not None and entry.value is not None and entry.value.value:
            fields = entry.value.value
        if entry is None and not marshalled:
            return
        paths: dict[str, str] = {}
        ok = True
        for key, default in (
            ("guest_output", GUEST_MARSHAL_OUTPUT),
            ("host_output", HOST_MARSHAL_OUTPUT),
            ("host_impl_header", HOST_IMPL_HEADER),
        ):
            field = fields.get(key)
            if field is None:
                paths[key] = default
            elif field.value is None:
                ok = False
            else:
                path = self.output_path(field.value, key, paths)
                ok = ok and path is not None
                paths[key] = path or default
        fuzz = fields.get("fuzz_output")
        if fuzz is not None and fuzz.value is not None:
            path = self.output_path(fuzz.value, "fuzz_output", paths)
            ok = ok and path is not None
            if path is not None:
                paths["fuzz_output"] = path
        types = fields.get("types")
        if types is not None and types.value is not None:
            for item in types.value.value:
                self.type_entry(item)
        if ok:
            self.config = Marshalling(
                paths["guest_output"], paths["host_output"], paths["host_impl_header"], paths.get("fuzz_output")
            )

    def output_path(self, value: V, key: str, taken: dict[str, str]) -> str | None:
        text: str = value.value
        normal = posixpath.normpath(text) if text else ""
        problem = None
        if not text.strip():
            problem = "is empty"
        elif "\\" in text or any(ord(c) < 0x20 or c == "\x7f" for c in text):
            problem = "contains a backslash or a control character"
        elif posixpath.isabs(text):
            problem = "is absolute"
        elif normal == ".." or normal.startswith("../") or normal == "." or text.endswith("/"):
            problem = "does not name a file inside the output directory"
        if problem:
            self.sink.error(
                f"marshalling.{key} '{text}' {problem}",
                value.loc,
                hint="write a path relative to the output directory, e.g. 'backend/handlers.gen.cpp'",
            )
            return None
        for other_key, other in taken.items():
            if other == normal:
                self.sink.error(
                    f"marshalling.{key} '{text}' is the same file as marshalling.{other_key}",
                    value.loc,
                    hint="give each generated file its own path",
                )
                return None
        if normal in OUTPUT_FILES:
            self.sink.error(
                f"marshalling.{key} '{text}' is one of the generated headers",
                value.loc,
                hint="give the marshalling code its own file",
            )
            return None
        return normal

    def type_entry(self, item: Entry) -> None:
        if item.value is None:
            return
        try:
            ctype = parse_type(item.key)
        except CDeclError as exc:
            self.sink.error(f"invalid type '{item.key}' in marshalling.types: {exc.message}", item.key_loc, exc.hint)
            return
        raw = item.value.value
        if isinstance(raw, str):
            codec_value, host_value = item.value, None
        else:
            fields: dict[str, Entry] = raw or {}
            codec_entry, host_entry = fields.get("codec"), fields.get("host_name")
            if codec_entry is None or codec_entry.value is None:
                return
            codec_value = codec_entry.value
            host_value = host_entry.value if host_entry is not None else None
        codec: Codec | None = self.check(codec_value, "codec", f"for type '{item.key}'")
        if codec is None:
            return
        if codec.slots == frozenset({RETURN}):
            self.sink.error(
                f"codec '{codec.name}' for type '{item.key}' is only for return values",
                codec_value.loc,
                hint=f"give a function's return value 'returns: {codec.name}' instead",
            )
            return
        key = type_key(ctype)
        first = self.types.get(key)
        if first is not None:
            self.sink.error(
                f"type '{item.key}' in marshalling.types is the same type as an earlier entry "
                f"(line {first.location.line})",
                item.key_loc,
                hint="const, spacing and struct/enum tags do not make a different type: keep one entry",
            )
            return
        host_name = host_value.value if host_value is not None else None
        self.types[key] = TypeCodec(codec.name, host_name, item.key_loc)

    # -- marshal: -------------------------------------------------------------------------

    def function(
        self,
        qualified: str,
        entry: Entry,
        params: tuple[Param, ...],
        param_items: list[V | None],
        return_type: CType,
        status: str,
        base: Param | None,
    ) -> Marshal | None:
        """Check one function's ``marshal:``; ``status`` is active/deprecated/retired/disabled."""
        where = f"in function '{qualified}'"
        if status != "active":
            self.sink.error(
                f"function '{qualified}' is {status} and cannot have a marshal block",
                entry.key_loc,
                hint="only active commands are generated: remove 'marshal'",
            )
            return None
        fields: dict[str, Entry] = (entry.value.value if entry.value is not None else None) or {}
        ok = True

        def flag(name: str) -> bool:
            field = fields.get(name)
            return True if field is None or field.value is None else bool(field.value.value)

        guest, host = flag("guest"), flag("host")
        if not guest and not host:
            self.sink.error(
                f"function '{qualified}' keeps both sides hand-written ('guest: false' and 'host: false')",
                fields["host"].key_loc,
                hint="remove the marshal block to keep the command hand-written",
            )
            ok = False
        by_name = {p.name: (p, item) for p, item in zip(params, param_items, strict=False)}
        annotations: dict[str, Entry] = {}
        params_entry = fields.get("params")
        if params_entry is not None and params_entry.value is not None:
            for item in params_entry.value.value:
                if item.key not in by_name:
                    close = close_matches(item.key, list(by_name), n=1, cutoff=0.6)
                    if base is not None and item.key == base.name:
                        hint = "the base parameter is the guest's transport; it does not cross the wire"
                    elif close:
                        hint = f"did you mean '{close[0]}'?"
                    else:
                        hint = f"its parameters are: {', '.join(by_name) or 'none'}"
                    self.sink.error(
                        f"'{item.key}' in marshal.params is not a parameter of function '{qualified}'",
                        item.key_loc,
                        hint,
                    )
                    ok = False
                else:
                    annotations[item.key] = item
        slots: list[Slot] = []
        for param, item in zip(params, param_items, strict=False):
            declared = item.loc if item is not None else entry.key_loc
            slot = self.param_slot(param, annotations.get(param.name), where, declared, by_name)
            if slot is None:
                ok = False
            else:
                slots.append(slot)
        returns = self.return_slot(return_type, fields.get("returns"), where, entry.key_loc)
        if returns is False:
            ok = False
        checks: list[str] = []
        checks_entry = fields.get("checks")
        if checks_entry is not None and checks_entry.value is not None:
            for item in checks_entry.value.value:
                if item is None or self.check(item, "check", where) is None:
                    ok = False
                else:
                    checks.append(item.value)
        host_call = None
        call_entry = fields.get("host_call")
        if call_entry is not None:
            if call_entry.value is None or self.check(call_entry.value, "host_call", where) is None:
                ok = False
            else:
                host_call = call_entry.value.value
        if not ok:
            return None
        ret = returns if isinstance(returns, Slot) else None
        if not self.names(qualified, slots, ret, base, guest, host, entry.key_loc):
            return None
        return Marshal(
            tuple(slots),
            ret,
            entry.key_loc,
            checks=tuple(checks),
            host_call=host_call,
            guest=guest,
            host=host,
        )

    def expression(self, value: V, what: str, where: str) -> str | None:
        """A value of the C expression role: exactly one C expression (so that it cannot inject code)."""
        try:
            parse_expression(value.value)
        except CExprError as exc:
            self.sink.error(
                f"{what} {where} is not one C expression: {exc.message}",
                offset_location(value, exc.offset),
                hint=exc.hint
                or "write a single C expression over the handler's locals, e.g. 'offset <= SIZE_MAX - size'",
            )
            return None
        text: str = value.value
        return text

    def resolve(self, ctype: CType) -> tuple[str | None, str | None, bool]:
        """The codec a type implies, its host name, and whether it is reached through a pointer."""
        key = type_key(ctype)
        mapped = self.types.get(key)
        if mapped is not None:
            return mapped.codec, mapped.host_name, False
        if key and key[-1] == "*":
            pointee = self.types.get(key[:-1])
            if pointee is not None and CODECS[pointee.codec].kind != BUFFER_HANDLE:
                return pointee.codec, pointee.host_name, True
        words = tuple(w for w in key if w != "*")
        stars = len(key) - len(words)
        scalar = SCALAR_TYPES.get(words) or SCALAR_TYPES.get(ctype.base)
        if scalar is not None and stars <= 1:
            return scalar, None, stars == 1
        return None, None, False

    def param_slot(
        self,
        param: Param,
        annotation: Entry | None,
        where: str,
        owner: Location,
        by_name: dict[str, tuple[Param, V | None]],
    ) -> Slot | None:
        fields: dict[str, Entry] = {}
        direction_value: V | None = None
        location = owner
        if annotation is not None and annotation.value is not None:
            location = annotation.key_loc
            raw = annotation.value.value
            if isinstance(raw, str):
                direction_value = annotation.value
            else:
                fields = raw or {}
                direction_entry = fields.get("dir")
                direction_value = direction_entry.value if direction_entry is not None else None
        elif annotation is not None:
            return None
        name = param.name
        ctype = param.type
        subject = f"parameter '{name}' {where}"
        as_entry = fields.get("as")
        host_name = None
        through_pointer = False
        if as_entry is not None and as_entry.value is not None:
            codec: Codec | None = self.check(as_entry.value, "codec", f"for {subject}")
            if codec is None:
                return None
            mapped, mapped_host, through_pointer = self.resolve(ctype)
            if mapped == codec.name:
                host_name = mapped_host
            else:
                through_pointer = codec.kind in (SCALAR, "buffer_type_handle") and ctype.is_pointer
            if PARAM not in codec.slots:
                self.sink.error(
                    f"codec '{codec.name}' cannot be used for {subject}: it is for return values",
                    as_entry.value.loc,
                    hint=f"give the function 'returns: {codec.name}' if its return value is meant",
                )
                return None
            codec_location = as_entry.value.loc
        elif as_entry is not None:
            return None
        else:
            name_found, host_name, through_pointer = self.resolve(ctype)
            if name_found is None:
                spelled = ctype.spelling
                self.sink.error(
                    f"type '{spelled}' of {subject} has no codec",
                    location,
                    hint=f'map it in marshalling.types ("{spelled}": <codec>) or give the parameter '
                    "'as: <codec>'" + ("; bytes in memory go through 'as: shmem'" if ctype.base == ("void",) else ""),
                )
                return None
            codec = CODECS[name_found]
            codec_location = location
        direction = direction_value.value if direction_value is not None else None
        dir_location = direction_value.loc if direction_value is not None else location
        pointee_const = bool(ctype.pointers) and "const" in (
            ctype.qualifiers if len(ctype.pointers) == 1 else ctype.pointers[-2].qualifiers
        )
        kind = codec.kind
        length = None
        if kind == SHMEM:
            if not (ctype.base == ("void",) and len(ctype.pointers) == 1):
                self.sink.error(
                    f"codec 'shmem' needs a 'void *' or 'const void *' parameter; {subject} is '{ctype.spelling}'",
                    codec_location,
                    hint="pass the bytes as 'const void *' (to the host) or 'void *' (from the host)",
                )
                return None
            if direction is None:
                direction = "in" if pointee_const else "out"
            elif direction == "out" and pointee_const:
                self.sink.error(
                    f"{subject} is 'const void *' and cannot be 'dir: out'",
                    dir_location,
                    hint="the host writes the bytes back: make the parameter 'void *'",
                )
                return None
            length = self.length(fields.get("len"), subject, location, by_name)
            if length is None:
                return None
        else:
            len_entry = fields.get("len")
            if len_entry is not None:
                self.sink.error(
                    f"'len' is only for 'shmem' parameters; {subject} has codec '{codec.name}'",
                    len_entry.key_loc,
                    hint="remove 'len', or pass the bytes with 'as: shmem'",
                )
                return None
            if through_pointer:
                if direction is None and not pointee_const:
                    self.sink.error(
                        f"{subject} is a pointer to a value ('{ctype.spelling}') and needs a direction",
                        location,
                        hint=f"write '{name}: out' under marshal.params if the host fills it, '{name}: in' if it reads it",
                    )
                    return None
                if direction is None:
                    direction = "in"
                elif direction == "out" and pointee_const:
                    self.sink.error(
                        f"{subject} points to const and cannot be 'dir: out'",
                        dir_location,
                        hint="drop 'const' if the host fills it",
                    )
                    return None
                if direction == "out" and OUT not in codec.slots:
                    self.sink.error(f"codec '{codec.name}' cannot be an out-parameter ({subject})", dir_location)
                    return None
            elif direction == "out":
                self.sink.error(
                    f"{subject} is passed by value and cannot be 'dir: out'",
                    dir_location,
                    hint="an out-parameter is a pointer the host fills, e.g. 'size_t *free'",
                )
                return None
            else:
                direction = "in"
        mutable = self.flag(fields, "mutable")
        mutable_entry = fields.get("mutable")
        if mutable and mutable_entry is not None:
            if kind not in (TENSOR, SHMEM):
                self.sink.error(
                    f"'mutable' is only for tensors and shmem bytes; {subject} has codec '{codec.name}'",
                    mutable_entry.key_loc,
                )
                return None
            if not pointee_const:
                self.sink.warning(
                    f"'mutable' has no effect on {subject}: the guest already passes a non-const pointer",
                    mutable_entry.key_loc,
                    hint="remove 'mutable'",
                )
        lifecycle_entry = fields.get("lifecycle")
        destroy = lifecycle_entry is not None and lifecycle_entry.value is not None
        if destroy and kind != BUFFER_HANDLE:
            assert lifecycle_entry is not None
            self.sink.error(
                f"'lifecycle: destroy' is only for buffer handles; {subject} has codec '{codec.name}'",
                lifecycle_entry.key_loc,
            )
            return None
        return Slot(
            codec.name,
            direction,
            param,
            host_name or name,
            location,
            length=length,
            mutable=mutable,
            destroy=destroy,
        )

    @staticmethod
    def flag(fields: dict[str, Entry], key: str) -> bool:
        field = fields.get(key)
        return bool(field is not None and field.value is not None and field.value.value)

    def length(
        self, entry: Entry | None, subject: str, location: Location, by_name: dict[str, tuple[Param, V | None]]
    ) -> str | None:
        if entry is None or entry.value is None:
            if entry is None:
                self.sink.error(
                    f"shmem {subject} needs 'len': the parameter that gives its size in bytes",
                    location,
                    hint="e.g. '{as: shmem, len: size}'",
                )
            return None
        name: str = entry.value.value
        found = by_name.get(name)
        problem = None
        if found is None:
            problem = "names no parameter"
        else:
            ctype = found[0].type
            scalar = SCALAR_TYPES.get(ctype.base)
            if ctype.is_pointer or scalar not in LENGTH_CODECS:
                problem = f"names '{found[0].spelling}', which is not an integer passed by value"
        if problem:
            integers = [
                p.name
                for p, _ in by_name.values()
                if not p.type.is_pointer and SCALAR_TYPES.get(p.type.base) in LENGTH_CODECS
            ]
            self.sink.error(
                f"'len: {name}' of shmem {subject} {problem}",
                entry.value.loc,
                hint=f"name one of: {', '.join(integers)}" if integers else "add a 'size_t size' parameter",
            )
            return None
        return name

    def return_slot(self, ctype: CType, entry: Entry | None, where: str, location: Location) -> Slot | None | bool:
        """The return value's slot; None for void, False when reported."""
        subject = f"the return value {where}"
        if entry is not None and entry.value is None:
            return False
        if ctype.is_void:
            if entry is not None:
                self.sink.error(
                    f"'returns' is given but the function returns void {where}",
                    entry.key_loc,
                    hint="remove 'returns', or give the function a frontend_return",
                )
                return False
            return None
        if entry is not None:
            assert entry.value is not None
            codec: Codec | None = self.check(entry.value, "codec", f"for {subject}")
            if codec is None:
                return False
            if RETURN not in codec.slots:
                self.sink.error(
                    f"codec '{codec.name}' cannot be used for {subject}: it is for parameters",
                    entry.value.loc,
                    hint="pass the value as a parameter, or pick a codec for return values",
                )
                return False
            location = entry.value.loc
        else:
            name, _, through_pointer = self.resolve(ctype)
            if name is None or through_pointer:
                if ctype.base == ("char",) and len(ctype.pointers) == 1:
                    name = "string"
                elif ctype.base == ("void",) and len(ctype.pointers) == 1:
                    name = "address"
                else:
                    self.sink.error(
                        f"type '{ctype.spelling}' of {subject} has no codec",
                        location,
                        hint="map it in marshalling.types or give the function 'returns: <codec>'",
                    )
                    return False
            codec = CODECS[name]
            if RETURN not in codec.slots:
                self.sink.error(
                    f"codec '{codec.name}' of type '{ctype.spelling}' cannot be used for {subject}",
                    location,
                    hint="give the function 'returns: <codec>'",
                )
                return False
        expected = {"string": "char *", "address": "void *"}.get(codec.name)
        if expected is not None and not (ctype.base == (expected.split()[0],) and len(ctype.pointers) == 1):
            self.sink.error(
                f"codec '{codec.name}' needs a '{expected}' return value; {subject} is '{ctype.spelling}'",
                location,
            )
            return False
        # the return value decodes into "result" (reserved in HOST_LOCALS), never its type's host_name: a
        # parameter of the same type takes that one
        return Slot(codec.name, "return", None, "result", location)

    def names(
        self,
        qualified: str,
        slots: list[Slot],
        returns: Slot | None,
        base: Param | None,
        guest: bool,
        host: bool,
        location: Location,
    ) -> bool:
        """Guest parameters and host locals must not clash with the generated code's own locals."""
        ok = True
        sides: list[tuple[str, list[tuple[Slot, str]], tuple[str, ...], tuple[str, ...]]] = []
        if guest:
            sides.append(("guest stub", [(s, s.name) for s in slots], GUEST_LOCALS, GUEST_SUFFIXES))
        if host:
            sides.append(("host handler", [(s, s.host_name) for s in slots], HOST_LOCALS, HOST_SUFFIXES))
        reserved: set[str] = set()
        for slot in slots:
            for name in dict.fromkeys(([slot.name] if guest else []) + ([slot.host_name] if host else [])):
                if name in RESERVED_NAMES or name.startswith(RESERVED_PREFIXES):
                    reserved.add(name)
                    subject = f"parameter '{slot.name}' of function '{qualified}'"
                    if name != slot.name:
                        subject += f" (decoded into '{name}')"
                    self.sink.error(
                        f"{subject} takes a name the generated code calls or declares (ggml's runtime and macros)",
                        slot.location,
                        hint=f"rename it; generated code reserves {', '.join(RESERVED_NAMES)} and names starting "
                        f"with {', '.join(RESERVED_PREFIXES)}",
                    )
                    ok = False
        for side, named, fixed, suffixes in sides:
            derived = {f"{name}{suffix}": name for _, name in named for suffix in suffixes}
            seen: dict[str, str] = {}
            for slot, name in named:
                subject = f"parameter '{slot.name}' of function '{qualified}'"
                if name != slot.name:
                    subject += f" (decoded into '{name}')"
                clash = None
                if name in reserved:
                    continue  # reported once, below, for both sides
                if name in fixed:
                    clash = f"takes the name of a local of every generated {side}"
                    hint = f"rename it; the {side} uses {', '.join(fixed)}"
                elif name in derived:
                    clash = f"takes the name of the local the generated {side} makes for parameter '{derived[name]}'"
                    hint = (
                        f"rename one of them; the {side} names such locals <parameter>{', <parameter>'.join(suffixes)}"
                    )
                elif name in seen:
                    clash = f"takes the name of the local of {seen[name]} in the {side}"
                    hint = (
                        "host names come from marshalling.types' host_name: two parameters of the same type need "
                        "the parameter names (remove host_name) or different types"
                    )
                if clash is not None:
                    self.sink.error(f"{subject} {clash}", slot.location, hint=hint)
                    ok = False
                seen.setdefault(name, f"parameter '{slot.name}'")
        return ok
