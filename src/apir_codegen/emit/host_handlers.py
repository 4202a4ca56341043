"""The host handlers (``backend/backend-dispatched.marshal.gen.cpp``): decode, check, call, reply.

One handler per command whose host side is generated, named as in the
dispatch table, so the table does not change.  A handler runs on bytes the
guest VM controls, so it never trusts them:

1. it decodes every parameter into a local (named after the parameter, or
   the type's ``host_name``), with ggml's runtime calls for its codec, through
   guards where a ggml helper would read past the request or abort on a
   hostile value (see the helpers below);
2. it rejects a fatal decoder, a NULL handle or tensor, a false ``check``, a
   missing shared-memory object, an unknown buffer to destroy: logged with
   GGML_LOG_ERROR, the decoder marked fatal, 1 returned;
3. it evaluates ``host_call`` (or calls the hand-written ``<handler>_impl``
   hook), then encodes the reply and returns 0.

Tensors sent as ``apir_rpc_tensor`` are deserialized into a scratch context
that the handler frees on every path (ggml's own decoder leaks one context
per tensor).
"""

from __future__ import annotations

from ..codecs import ADDRESS, BUFFER_HANDLE, BUFFER_TYPE_HANDLE, CODECS, SCALAR, SHMEM, STRING, TENSOR
from ..format.statements import (
    Assign,
    Blank,
    Call,
    Declare,
    FunctionDefinition,
    If,
    LineComment,
    Raw,
    Return,
    Statement,
    TopLevel,
)
from ..model import Command, Marshal, Slot, Spec
from . import marshalling as M
from .common import group_runs

TRUNCATED = "truncated or malformed request"


def _reject(reason: str, scratch: str = "NULL") -> Return:
    return Return(f'apir_marshal_reject(dec, {scratch}, __func__, "{M.c_string(reason)}")')


def _reject_helper() -> list[TopLevel]:
    return [
        LineComment("A rejected request: logged, the decoder marked fatal, the scratch tensors freed, 1 returned."),
        FunctionDefinition(
            M.ctype("uint32_t"),
            "apir_marshal_reject",
            [
                M.param("apir_decoder * dec"),
                M.param("ggml_context * scratch"),
                M.param("const char * handler"),
                M.param("const char * reason"),
            ],
            [
                Call('GGML_LOG_ERROR(GGML_VIRTGPU_BCK "%s: rejected: %s\\n", handler, reason)'),
                Call("apir_decoder_set_fatal(dec)"),
                If([("scratch", [Call("ggml_free(scratch)")])]),
                Return("1"),
            ],
            static=True,
        ),
    ]


def _remaining_helper() -> list[TopLevel]:
    return [
        FunctionDefinition(
            M.ctype("size_t"),
            "apir_marshal_remaining",
            [M.param("const apir_decoder * dec")],
            [Return("(size_t) (dec->end - dec->cur)")],
            static=True,
        )
    ]


def _buffer_type_helper() -> list[TopLevel]:
    return [
        LineComment("A buffer type handle must name a buffer type of the device (ggml's decoder takes any pointer)."),
        FunctionDefinition(
            M.ctype("ggml_backend_buffer_type_t"),
            "apir_marshal_decode_buffer_type",
            [M.param("apir_decoder * dec")],
            [
                Declare(M.ctype("ggml_backend_buffer_type_t"), "buft", "apir_decode_ggml_buffer_type(dec)"),
                If(
                    [
                        (
                            "buft && (buft == ggml_backend_dev_buffer_type(dev) || "
                            "buft == ggml_backend_dev_host_buffer_type(dev))",
                            [Return("buft")],
                        )
                    ]
                ),
                Call("apir_decoder_set_fatal(dec)"),
                Return("NULL"),
            ],
            static=True,
        ),
    ]


def _inline_tensor_helpers() -> list[TopLevel]:
    tensor = M.param("ggml_tensor * tensor")
    return [
        LineComment("The sources of an inline tensor, counted as apir_decode_ggml_tensor_inplace reads them."),
        FunctionDefinition(
            M.ctype("size_t"),
            "apir_marshal_inline_sources",
            [M.param("const ggml_tensor * tensor"), M.param("int i")],
            [Return("i < GGML_MAX_SRC && tensor->src[i] ? 1 + apir_marshal_inline_sources(tensor, i + 1) : 0")],
            static=True,
        ),
        Blank(),
        LineComment(
            "Whether a tensor's type is one ggml can size (ggml indexes its type traits with it) and its op one"
        ),
        LineComment("ggml knows. Read as bytes: a value outside an enum's range cannot even be loaded as one."),
        FunctionDefinition(
            M.ctype("bool"),
            "apir_marshal_tensor_valid",
            [M.param("const ggml_tensor * tensor")],
            [
                Declare(M.ctype("uint32_t"), "type", "0"),
                Declare(M.ctype("uint32_t"), "op", "0"),
                Call("memcpy(&type, &tensor->type, sizeof(type))"),
                Call("memcpy(&op, &tensor->op, sizeof(op))"),
                Return("type < GGML_TYPE_COUNT && 0 < ggml_blck_size((ggml_type) type) && op < GGML_OP_COUNT"),
            ],
            static=True,
        ),
        Blank(),
        LineComment("The guest pointers an inline tensor carries mean nothing on the host."),
        FunctionDefinition(
            M.ctype("void"),
            "apir_marshal_clear_guest_pointers",
            [tensor],
            [
                Assign("tensor->buffer", "NULL"),
                Assign("tensor->data", "NULL"),
                Assign("tensor->extra", "NULL"),
                Assign("tensor->view_src", "NULL"),
                Call("memset(tensor->src, 0, sizeof(tensor->src))"),
            ],
            static=True,
        ),
        Blank(),
        LineComment("Clears the guest pointers of a tensor's sources from index i, and every source after the first"),
        LineComment("missing one (ggml's decoder stops there); false when a source has an invalid type or op."),
        FunctionDefinition(
            M.ctype("bool"),
            "apir_marshal_clear_sources",
            [tensor, M.param("int i")],
            [
                If([("i >= GGML_MAX_SRC", [Return("true")])]),
                If(
                    [
                        (
                            "!tensor->src[i]",
                            [
                                Call("memset(&tensor->src[i], 0, (GGML_MAX_SRC - i) * sizeof(tensor->src[0]))"),
                                Return("true"),
                            ],
                        )
                    ]
                ),
                Call("apir_marshal_clear_guest_pointers(tensor->src[i])"),
                Return("apir_marshal_tensor_valid(tensor->src[i]) && apir_marshal_clear_sources(tensor, i + 1)"),
            ],
            static=True,
        ),
        Blank(),
        LineComment("apir_decode_ggml_tensor_inplace, once the request is known to hold everything it reads; the"),
        LineComment("tensor is checked and left with host pointers only (into the request) or NULL."),
        FunctionDefinition(
            M.ctype("ggml_tensor *"),
            "apir_marshal_decode_tensor_inline",
            [M.param("apir_decoder * dec")],
            [
                If(
                    [
                        (
                            "apir_decoder_get_fatal(dec) || apir_marshal_remaining(dec) < sizeof(ggml_tensor)",
                            [Call("apir_decoder_set_fatal(dec)"), Return("NULL")],
                        )
                    ]
                ),
                Declare(M.ctype("const ggml_tensor *"), "head", "(const ggml_tensor *) (uintptr_t) dec->cur"),
                Declare(M.ctype("size_t"), "bytes", "sizeof(ggml_tensor) * (1 + apir_marshal_inline_sources(head, 0))"),
                If([("head->buffer", [Assign("bytes", "bytes + sizeof(apir_buffer_host_handle_t)")])]),
                If([("head->view_src", [Assign("bytes", "bytes + sizeof(ggml_tensor)")])]),
                If(
                    [
                        (
                            "head->src[GGML_MAX_SRC - 1] || apir_marshal_remaining(dec) < bytes",
                            [Call("apir_decoder_set_fatal(dec)"), Return("NULL")],
                        )
                    ]
                ),
                Declare(
                    M.ctype("ggml_tensor *"),
                    "tensor",
                    "(ggml_tensor *) (uintptr_t) apir_decode_ggml_tensor_inplace(dec)",
                ),
                LineComment("An unknown buffer handle leaves the tensor without a buffer, as in ggml's own handlers"),
                LineComment("(ggml's guest sends one: apir_encode_ggml_buffer_handle encodes the handle's address)."),
                Call("apir_decoder_reset_fatal(dec)"),
                Assign("tensor->data", "NULL"),
                Assign("tensor->extra", "NULL"),
                If([("tensor->view_src", [Call("apir_marshal_clear_guest_pointers(tensor->view_src)")])]),
                If(
                    [
                        (
                            "!apir_marshal_tensor_valid(tensor) || "
                            "(tensor->view_src && !apir_marshal_tensor_valid(tensor->view_src)) || "
                            "!apir_marshal_clear_sources(tensor, 0)",
                            [Call("apir_decoder_set_fatal(dec)"), Return("NULL")],
                        )
                    ]
                ),
                Return("tensor"),
            ],
            static=True,
        ),
    ]


def _rpc_tensor_helpers() -> list[TopLevel]:
    rpc = M.param("const apir_rpc_tensor * rpc")
    scratch = M.param("ggml_context * scratch")
    return [
        LineComment("A context for the tensors of one request: two per tensor (the checked copy and the result)."),
        FunctionDefinition(
            M.ctype("ggml_context *"),
            "apir_marshal_scratch",
            [M.param("size_t tensors")],
            [
                Declare(M.ctype("ggml_init_params"), "params"),
                Assign("params.mem_size", "2 * tensors * ggml_tensor_overhead()"),
                Assign("params.mem_buffer", "NULL"),
                Assign("params.no_alloc", "true"),
                Return("ggml_init(params)"),
            ],
            static=True,
        ),
        Blank(),
        LineComment("Whether apir_deserialize_tensor can take a serialized tensor without aborting and gives"),
        LineComment("a tensor inside a tracked buffer (or, without a buffer, without data)."),
        FunctionDefinition(
            M.ctype("bool"),
            "apir_marshal_rpc_tensor_valid",
            [rpc, scratch],
            [
                If([("rpc->type >= GGML_TYPE_COUNT || rpc->op >= GGML_OP_COUNT", [Return("false")])]),
                Declare(M.ctype("const ggml_type"), "type", "(ggml_type) rpc->type"),
                If(
                    [
                        (
                            "ggml_blck_size(type) <= 0 || ggml_type_size(type) == 0 || rpc->ne[0] % ggml_blck_size(type) != 0",
                            [Return("false")],
                        )
                    ]
                ),
                Declare(M.ctype("ggml_backend_buffer_t"), "buffer", "(ggml_backend_buffer_t) rpc->buffer"),
                If([("!buffer", [Return("rpc->data == 0")])]),
                If([("apir_get_track_backend_buffers().count(buffer) == 0", [Return("false")])]),
                Declare(
                    M.ctype("ggml_tensor *"),
                    "probe",
                    "ggml_new_tensor_4d(scratch, type, rpc->ne[0], rpc->ne[1], rpc->ne[2], rpc->ne[3])",
                ),
                Assign("probe->nb[0]", "rpc->nb[0]"),
                Assign("probe->nb[1]", "rpc->nb[1]"),
                Assign("probe->nb[2]", "rpc->nb[2]"),
                Assign("probe->nb[3]", "rpc->nb[3]"),
                Declare(M.ctype("const uint64_t"), "bytes", "ggml_nbytes(probe)"),
                Declare(M.ctype("const uint64_t"), "size", "ggml_backend_buffer_get_size(buffer)"),
                Return("rpc->data <= size && bytes <= size - rpc->data"),
            ],
            static=True,
        ),
        Blank(),
        LineComment("apir_decode_ggml_tensor, once the serialized tensor is known to be valid."),
        FunctionDefinition(
            M.ctype("ggml_tensor *"),
            "apir_marshal_decode_tensor_rpc",
            [M.param("apir_decoder * dec"), scratch],
            [
                Declare(M.ctype("const apir_rpc_tensor *"), "rpc", "apir_decode_apir_rpc_tensor_inplace(dec)"),
                If(
                    [
                        (
                            "!rpc || !apir_marshal_rpc_tensor_valid(rpc, scratch)",
                            [Call("apir_decoder_set_fatal(dec)"), Return("NULL")],
                        )
                    ]
                ),
                Return("apir_deserialize_tensor(scratch, rpc)"),
            ],
            static=True,
        ),
    ]


def _string_helper() -> list[TopLevel]:
    return [
        FunctionDefinition(
            M.ctype("void"),
            "apir_marshal_encode_string",
            [M.param("apir_encoder * enc"), M.param("const char * string")],
            [
                Declare(M.ctype("const size_t"), "size", "strlen(string) + 1"),
                Call("apir_encode_array_size(enc, size)"),
                Call("apir_encode_char_array(enc, string, size)"),
            ],
            static=True,
        )
    ]


def _what(slot: Slot) -> str:
    kind = CODECS[slot.codec].kind
    word = {BUFFER_TYPE_HANDLE: "buffer type handle", BUFFER_HANDLE: "buffer handle", TENSOR: "tensor"}[kind]
    return f"invalid {word} '{slot.name}'"


#: Scalars whose C type cannot hold every value of their wire bytes: the integer they are read as (the same
#: bytes as their own decoder reads), the condition that rejects a value, and the value of the local.
_CHECKED_SCALARS = {
    "bool": ("uint8_t", "{} > 1", "{wire} != 0"),
    "ggml_status": (
        "int32_t",
        "{0} < GGML_STATUS_ALLOC_FAILED || GGML_STATUS_ABORTED < {0}",
        "apir_decoder_get_fatal(dec) ? GGML_STATUS_ABORTED : ({type}) {wire}",  # never cast out of range
    ),
}


def _decode(slot: Slot, body: list[Statement]) -> None:
    """One request slot into its local."""
    name = slot.host_name
    kind = CODECS[slot.codec].kind
    local = M.ctype(M.host_type(slot))
    if kind == SCALAR:
        suffix = CODECS[slot.codec].suffix
        if slot.codec in _CHECKED_SCALARS:
            # Read as an integer: a value outside the type's cannot even be loaded as one (UBSan);
            # such a request is malformed.
            wire, invalid, value = _CHECKED_SCALARS[slot.codec]
            wire_name = f"{name}_wire"
            body.append(Declare(M.ctype(wire), wire_name, "0"))
            body.append(Call(f"apir_decode_{wire}(dec, &{wire_name})"))
            body.append(If([(invalid.format(wire_name), [Call("apir_decoder_set_fatal(dec)")])]))
            body.append(Declare(local, name, value.format(wire=wire_name, type=M.host_type(slot))))
        elif M.same_as_wire(slot):
            body.append(Declare(local, name, M.default_value(slot)))
            body.append(Call(f"apir_decode_{suffix}(dec, &{name})"))
        else:
            body.append(Declare(M.ctype(M.wire_type(slot)), f"{name}_wire", M.default_value(slot)))
            body.append(Call(f"apir_decode_{suffix}(dec, &{name}_wire)"))
            body.append(Declare(local, name, f"({M.host_type(slot)}) {name}_wire"))
    elif kind == BUFFER_TYPE_HANDLE:
        body.append(Declare(local, name, "apir_marshal_decode_buffer_type(dec)"))
    elif kind == BUFFER_HANDLE:
        body.append(Declare(local, name, "apir_decode_ggml_buffer(dec)"))
    elif slot.codec == "tensor_rpc":
        body.append(Declare(local, name, "apir_marshal_decode_tensor_rpc(dec, scratch)"))
    elif slot.codec == "tensor_inline":
        body.append(Declare(local, name, "apir_marshal_decode_tensor_inline(dec)"))
    elif kind == SHMEM:
        body.append(Declare(M.ctype("uint32_t"), f"{name}_res_id", "0"))
        body.append(Call(f"apir_decode_virtgpu_shmem_res_id(dec, &{name}_res_id)"))


def _encode(slot: Slot, body: list[Statement]) -> None:
    """One reply slot from its local."""
    name = slot.host_name
    kind = CODECS[slot.codec].kind
    if kind == SCALAR:
        body.append(Call(f"apir_encode_{CODECS[slot.codec].suffix}(enc, &{name})"))
    elif kind == BUFFER_TYPE_HANDLE:
        body.append(Call(f"apir_encode_ggml_buffer_type(enc, {name})"))
    elif kind == STRING:
        body.append(Call(f"apir_marshal_encode_string(enc, {name})"))
    elif kind == ADDRESS:
        body.append(Declare(M.ctype("uintptr_t"), f"{name}_address", f"(uintptr_t) {name}"))
        body.append(Call(f"apir_encode_uintptr_t(enc, &{name}_address)"))


def handler(cmd: Command) -> FunctionDefinition:
    marshal = cmd.marshal
    assert marshal is not None
    request = M.request_slots(marshal)
    reply = M.reply_slots(marshal)
    shmems = [s for s in marshal.params if s.codec == SHMEM]
    tensors = sum(1 for s in marshal.params if s.codec == "tensor_rpc")
    scratch = "scratch" if tensors else "NULL"
    used = {
        "enc": bool(reply),
        "dec": bool(request or marshal.checks or marshal.hooked or _rejects_result(marshal)),
        "ctx": bool(shmems) or marshal.hooked,
    }
    body: list[Statement] = [Call(f"GGML_UNUSED({name})") for name, use in used.items() if not use]
    if body:
        body.append(Blank())
    if tensors:
        body.append(Declare(M.ctype("ggml_context *"), "scratch", f"apir_marshal_scratch({tensors})"))
    for slot in request:
        _decode(slot, body)
    guards: list[Statement] = []
    if request:
        guards.append(If([("apir_decoder_get_fatal(dec)", [_reject(TRUNCATED, scratch)])]))
    for slot in request:
        if CODECS[slot.codec].kind in (BUFFER_TYPE_HANDLE, BUFFER_HANDLE, TENSOR):
            guards.append(If([(f"!{slot.host_name}", [_reject(_what(slot), scratch)])]))
    for check in marshal.checks:
        guards.append(If([(f"!({check})", [_reject(f"check failed: {check}", scratch)])]))
    for slot in shmems:
        name = slot.host_name
        guards.append(
            Declare(M.ctype(M.host_type(slot)), name, f"ctx->iface->get_shmem_ptr(ctx->ctx_id, {name}_res_id)")
        )
        guards.append(If([(f"!{name}", [_reject(f"no shared memory for '{slot.name}'", scratch)])]))
    for slot in marshal.params:
        if slot.destroy:
            guards.append(
                If(
                    [
                        (
                            f"!apir_untrack_backend_buffer({slot.host_name})",
                            [_reject(f"unknown buffer '{slot.name}'", scratch)],
                        )
                    ]
                )
            )
    if guards:
        body.append(Blank())
        body += guards
    call: list[Statement] = []
    outs = [s for s in marshal.params if s.direction == "out" and s.codec != SHMEM]
    for slot in outs:
        call.append(Declare(M.ctype(M.host_type(slot)), slot.host_name, M.default_value(slot)))
    returns = marshal.returns
    if marshal.host_call is None:
        if returns is not None:
            call.append(Declare(M.ctype(M.host_type(returns)), returns.host_name, _initial(returns)))
        arguments = ["ctx", *(s.host_name for s in request), *(f"&{s.host_name}" for s in outs)]
        if returns is not None:
            arguments.append(f"&{returns.host_name}")
        hook = M.hook_name(cmd)
        call.append(If([(f"{hook}({', '.join(arguments)}) != 0", [_reject(f"{hook} failed", scratch)])]))
    elif returns is None:
        call.append(Call(marshal.host_call))
    else:
        call.append(Declare(M.ctype(M.host_type(returns)), returns.host_name, marshal.host_call))
    if returns is not None and CODECS[returns.codec].kind == STRING:
        call.append(If([(f"!{returns.host_name}", [_reject("the host returned no string", scratch)])]))
    body.append(Blank())
    body += call
    encodes: list[Statement] = []
    for slot in reply:
        _encode(slot, encodes)
    if encodes:
        body.append(Blank())
        body += encodes
    body.append(Blank())
    if tensors:
        body.append(Call("ggml_free(scratch)"))
    body.append(Return("0"))
    params = [M.param(text) for text in M.HANDLER_PARAMS]
    return FunctionDefinition(M.ctype(M.HANDLER_RETURN), cmd.handler_name, params, body)


def _initial(slot: Slot) -> str:
    kind = CODECS[slot.codec].kind
    return "NULL" if kind in (STRING, ADDRESS, BUFFER_TYPE_HANDLE) else M.default_value(slot)


def _rejects_result(marshal: Marshal) -> bool:
    return marshal.returns is not None and CODECS[marshal.returns.codec].kind == STRING


def emit(spec: Spec) -> list[TopLevel]:
    assert spec.marshalling is not None
    output = spec.marshalling.host_output
    commands = M.generated(spec, "host")
    items: list[TopLevel] = [LineComment(M.notice(spec)), Blank()]
    includes = [M.HOST_DISPATCH_HEADER, M.HOST_VIRGL_HEADER, spec.marshalling.host_impl_header]
    items += M.include_lines(output, includes, Raw, Blank)
    slots = [s for cmd in commands if cmd.marshal is not None for s in (*cmd.marshal.params, cmd.marshal.returns) if s]
    # the decoding helpers serve the request: a codec that is only returned or sent back needs none
    codecs = {s.codec for cmd in commands if cmd.marshal is not None for s in M.request_slots(cmd.marshal)}
    if commands:
        items += [Blank(), *_reject_helper()]
    if "buffer_type_handle" in codecs:
        items += [Blank(), *_buffer_type_helper()]
    if "tensor_inline" in codecs:
        items += [Blank(), *_remaining_helper(), Blank(), *_inline_tensor_helpers()]
    if "tensor_rpc" in codecs:
        items += [Blank(), *_rpc_tensor_helpers()]
    if any(CODECS[s.codec].kind == STRING for s in slots):
        items += [Blank(), *_string_helper()]
    for _, run in group_runs(commands):
        items += [Blank(), LineComment(run[0].group)]
        for cmd in run:
            items += [Blank(), handler(cmd)]
    return items
