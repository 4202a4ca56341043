"""The guest stubs (``virtgpu-forward.marshal.gen.cpp``): encode, call, decode, return.

One definition per command whose guest side is generated, with the signature
``virtgpu-forward.gen.h`` declares.  Each makes exactly the runtime calls
ggml's hand-written stubs make for its slots (so the request bytes are
ggml's), in wire order: the parameters in declaration order, then, from the
reply, the return value and the out-parameters.  ``shmem`` bytes go through
``gpu->data_shmem`` under its mutex when they fit (the first shmem parameter
only: the mutex is not recursive), else through a temporary shared-memory
object, as ggml's ``set_tensor``/``get_tensor`` do.
"""

from __future__ import annotations

from ..cdecl import CType
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
from ..model import Command, Slot, Spec
from . import marshalling as M
from .common import group_runs


def _shmem_helpers() -> list[TopLevel]:
    gpu = M.param("virtgpu * gpu")
    return [
        LineComment("Shared memory for one request's bytes: gpu->data_shmem, held under its mutex, when they fit and"),
        LineComment("'shared' allows it; else a temporary object."),
        FunctionDefinition(
            M.ctype("virtgpu_shmem *"),
            "apir_marshal_shmem_acquire",
            [gpu, M.param("size_t size"), M.param("virtgpu_shmem * temp"), M.param("bool shared")],
            [
                If(
                    [
                        (
                            "shared && size <= gpu->data_shmem.mmap_size",
                            [
                                If(
                                    [
                                        (
                                            "mtx_lock(&gpu->data_shmem_mutex) != thrd_success",
                                            [
                                                Call(
                                                    'GGML_ABORT(GGML_VIRTGPU "%s: Failed to lock data_shmem mutex", __func__)'
                                                )
                                            ],
                                        )
                                    ]
                                ),
                                Return("&gpu->data_shmem"),
                            ],
                        )
                    ]
                ),
                If(
                    [
                        (
                            "virtgpu_shmem_create(gpu, size, temp)",
                            [
                                Call(
                                    'GGML_ABORT(GGML_VIRTGPU "%s: Couldn\'t allocate the guest-host shared buffer", __func__)'
                                )
                            ],
                        )
                    ]
                ),
                Return("temp"),
            ],
            static=True,
        ),
        Blank(),
        FunctionDefinition(
            M.ctype("void"),
            "apir_marshal_shmem_release",
            [gpu, M.param("virtgpu_shmem * shmem")],
            [
                If(
                    [("shmem == &gpu->data_shmem", [Call("mtx_unlock(&gpu->data_shmem_mutex)")])],
                    [Call("virtgpu_shmem_destroy(gpu, shmem)")],
                )
            ],
            static=True,
        ),
    ]


def _string_helper() -> list[TopLevel]:
    return [
        LineComment("A string reply, allocated for the caller (who frees it); NULL when it cannot be."),
        FunctionDefinition(
            M.ctype("char *"),
            "apir_marshal_decode_string",
            [M.param("apir_decoder * decoder")],
            [
                Declare(M.ctype("const size_t"), "size", "apir_decode_array_size_unchecked(decoder)"),
                Declare(M.ctype("char *"), "string", "(char *) apir_decoder_alloc_array(sizeof(char), size)"),
                If(
                    [
                        (
                            "!string",
                            [
                                Call(
                                    'GGML_LOG_ERROR(GGML_VIRTGPU "%s: Could not allocate a string of %zu bytes\\n", '
                                    "__func__, size)"
                                ),
                                Call("apir_decoder_set_fatal(decoder)"),
                                Return("NULL"),
                            ],
                        )
                    ]
                ),
                Call("apir_decode_char_array(decoder, string, size)"),
                Return("string"),
            ],
            static=True,
        ),
    ]


def _encode(slot: Slot, body: list[Statement]) -> None:
    """The request part of one slot."""
    name = slot.name
    kind = CODECS[slot.codec].kind
    pointer = slot.param is not None and slot.param.type.is_pointer
    if kind == SCALAR:
        suffix = CODECS[slot.codec].suffix
        if M.same_as_wire(slot):
            body.append(Call(f"apir_encode_{suffix}(encoder, {name if pointer else '&' + name})"))
        else:
            body.append(Declare(M.ctype(M.wire_type(slot)), f"{name}_wire", f"*{name}" if pointer else name))
            body.append(Call(f"apir_encode_{suffix}(encoder, &{name}_wire)"))
    elif kind == BUFFER_TYPE_HANDLE:
        body.append(Call(f"apir_encode_apir_buffer_type_host_handle(encoder, {'*' + name if pointer else name})"))
    elif kind == BUFFER_HANDLE:
        body.append(Call(f"apir_encode_apir_buffer_host_handle_t(encoder, &{name}->host_handle)"))
    elif kind == TENSOR:
        function = "apir_encode_ggml_tensor" if slot.codec == "tensor_rpc" else "apir_encode_ggml_tensor_inline"
        body.append(Call(f"{function}(encoder, {name})"))
    elif kind == SHMEM:
        body.append(Call(f"apir_encode_virtgpu_shmem_res_id(encoder, {name}_shmem->res_id)"))


def _decode_out(slot: Slot, body: list[Statement]) -> None:
    """The reply part of one out-parameter (a pointer the stub fills)."""
    name = slot.name
    kind = CODECS[slot.codec].kind
    if kind == BUFFER_TYPE_HANDLE:
        body.append(Call(f"apir_decode_apir_buffer_type_host_handle_t(decoder, {name})"))
        return
    suffix = CODECS[slot.codec].suffix
    if M.same_as_wire(slot):
        body.append(Call(f"apir_decode_{suffix}(decoder, {name})"))
        return
    body.append(Declare(M.ctype(M.wire_type(slot)), f"{name}_wire", M.default_value(slot)))
    body.append(Call(f"apir_decode_{suffix}(decoder, &{name}_wire)"))
    body.append(Assign(f"*{name}", f"({M.type_text(M.value_type(slot))}) {name}_wire"))


def _decode_return(cmd: Command, slot: Slot, body: list[Statement]) -> str:
    """Decode the return value into ``result``; the expression the stub returns."""
    kind = CODECS[slot.codec].kind
    if kind == STRING:
        body.append(Declare(M.ctype("char *"), "result", "apir_marshal_decode_string(decoder)"))
        return "result"
    if kind == ADDRESS:
        body.append(Declare(M.ctype("uintptr_t"), "result", "0"))
        body.append(Call("apir_decode_uintptr_t(decoder, &result)"))
        return "(void *) result"
    if kind == BUFFER_TYPE_HANDLE:
        body.append(Declare(M.ctype("apir_buffer_type_host_handle_t"), "result", "0"))
        body.append(Call("apir_decode_apir_buffer_type_host_handle_t(decoder, &result)"))
        return "result"
    body.append(Declare(M.ctype(M.wire_type(slot)), "result", M.default_value(slot)))
    body.append(Call(f"apir_decode_{CODECS[slot.codec].suffix}(decoder, &result)"))
    ret = CType(cmd.return_type.base, (), cmd.return_type.pointers)
    text = M.type_text(ret)
    return "result" if text == M.wire_type(slot) else f"({text}) result"


def stub(spec: Spec, cmd: Command) -> FunctionDefinition:
    marshal = cmd.marshal
    assert marshal is not None
    gpu = spec.naming.frontend_base_param.name
    shmems = [s for s in marshal.params if s.codec == SHMEM]
    body: list[Statement] = [
        Declare(M.ctype("apir_encoder *"), "encoder"),
        Declare(M.ctype("apir_decoder *"), "decoder"),
        Declare(M.ctype("ApirForwardReturnCode"), "ret"),
    ]
    for index, slot in enumerate(shmems):
        shared = "true" if index == 0 else "false"
        body.append(Declare(M.ctype("virtgpu_shmem"), f"{slot.name}_temp"))
        body.append(
            Declare(
                M.ctype("virtgpu_shmem *"),
                f"{slot.name}_shmem",
                f"apir_marshal_shmem_acquire({gpu}, {slot.length}, &{slot.name}_temp, {shared})",
            )
        )
    copies_in = [s for s in shmems if s.direction == "in"]
    if copies_in:
        body.append(Blank())
        body += [Call(f"memcpy({s.name}_shmem->mmap_ptr, {s.name}, {s.length})") for s in copies_in]
    body.append(Blank())
    body.append(Call(f"REMOTE_CALL_PREPARE({gpu}, encoder, {cmd.enum_name})"))
    request = M.request_slots(marshal)
    if request:
        body.append(Blank())
        for slot in request:
            _encode(slot, body)
        body.append(Blank())
    body.append(Call(f"REMOTE_CALL({gpu}, encoder, decoder, ret)"))
    reply: list[Statement] = [
        Call(f"memcpy({s.name}, {s.name}_shmem->mmap_ptr, {s.length})") for s in shmems if s.direction == "out"
    ]
    returned = None
    if marshal.returns is not None:
        returned = _decode_return(cmd, marshal.returns, reply)
    for slot in marshal.params:
        if slot.direction == "out" and slot.codec != SHMEM:
            _decode_out(slot, reply)
    if reply:
        body.append(Blank())
        body += reply
    body.append(Blank())
    body.append(Call(f"remote_call_finish({gpu}, encoder, decoder)"))
    body += [Call(f"apir_marshal_shmem_release({gpu}, {s.name}_shmem)") for s in shmems]
    if returned is not None:
        body.append(Return(returned))
    params = [spec.naming.frontend_base_param, *cmd.params]
    return FunctionDefinition(cmd.return_type, cmd.guest_name, params, body)


def emit(spec: Spec) -> list[TopLevel]:
    commands = M.generated(spec, "guest")
    items: list[TopLevel] = [LineComment(M.notice(spec)), Blank()]
    items += M.include_lines(spec_output(spec), [M.GUEST_IMPL_HEADER], Raw, Blank)
    slots = [s for cmd in commands if cmd.marshal is not None for s in (*cmd.marshal.params, cmd.marshal.returns) if s]
    if any(s.codec == SHMEM for s in slots):
        items += [Blank(), *_shmem_helpers()]
    if any(CODECS[s.codec].kind == STRING for s in slots):
        items += [Blank(), *_string_helper()]
    for _, run in group_runs([c for c in commands]):
        items += [Blank(), LineComment(run[0].group)]
        for cmd in run:
            items += [Blank(), stub(spec, cmd)]
    return items


def spec_output(spec: Spec) -> str:
    assert spec.marshalling is not None
    return spec.marshalling.guest_output
