"""Codecs: how one value crosses the wire, in the calls of ggml's own runtime.

A *codec* names a way of encoding a value on the guest and decoding it on the
host (or the reverse, for replies), always with the functions of ggml's
runtime (``backend/shared/apir_cs.h`` and ``apir_cs_ggml.h``), exactly as ggml's
hand-written stubs and handlers call them for that kind of value.  The wire
bytes are the codec's: two builds that agree on the codec of every slot of a
command agree on its bytes, whichever side is generated.

This table is shared knowledge: validation checks slots against it (which
codec may stand where, on which C types), the emitters write its calls, and
the fingerprint and ``compat`` compare commands by it.
"""

from __future__ import annotations

from .records import Record

#: Slots a codec may fill.
PARAM, OUT, RETURN = "param", "out", "return"

#: Kinds of codec, each emitted its own way.
SCALAR, BUFFER_TYPE_HANDLE, BUFFER_HANDLE, TENSOR, STRING, ADDRESS, SHMEM = (
    "scalar",
    "buffer_type_handle",
    "buffer_handle",
    "tensor",
    "string",
    "address",
    "shmem",
)


class Codec(Record):
    """One codec.

    ``wire_type`` is the C type the runtime's functions take (scalars and
    handles); ``suffix`` completes ``apir_encode_<suffix>`` /
    ``apir_decode_<suffix>`` for scalars; ``slots`` are where it may stand.
    """

    name: str
    kind: str
    slots: frozenset[str]
    wire_type: str = ""
    suffix: str = ""
    summary: str = ""


_VALUE = frozenset({PARAM, OUT, RETURN})


def _scalar(name: str, suffix: str | None = None, wire_type: str | None = None) -> Codec:
    return Codec(
        name,
        SCALAR,
        _VALUE,
        wire_type=wire_type or name,
        suffix=suffix or name,
        summary=f"apir_encode_{suffix or name} / apir_decode_{suffix or name}",
    )


CODECS: dict[str, Codec] = {
    codec.name: codec
    for codec in (
        _scalar("int32_t"),
        _scalar("uint32_t"),
        _scalar("uint64_t"),
        _scalar("size_t"),
        _scalar("bool", "bool_t"),
        _scalar("uint8_t"),
        _scalar("uintptr_t"),
        _scalar("ggml_status"),
        Codec(
            "buffer_type_handle",
            BUFFER_TYPE_HANDLE,
            _VALUE,
            wire_type="apir_buffer_type_host_handle_t",
            summary="a buffer type's host handle (apir_buffer_type_host_handle_t on the guest, "
            "ggml_backend_buffer_type_t on the host)",
        ),
        Codec(
            "buffer_handle",
            BUFFER_HANDLE,
            frozenset({PARAM}),
            wire_type="apir_buffer_host_handle_t",
            summary="a buffer's host handle (apir_buffer_context_t * on the guest, a tracked "
            "ggml_backend_buffer_t on the host)",
        ),
        Codec(
            "tensor_rpc",
            TENSOR,
            frozenset({PARAM}),
            summary="a tensor as apir_rpc_tensor (apir_encode_ggml_tensor / apir_decode_ggml_tensor)",
        ),
        Codec(
            "tensor_inline",
            TENSOR,
            frozenset({PARAM}),
            summary="a tensor with its sources inline (apir_encode_ggml_tensor_inline / "
            "apir_decode_ggml_tensor_inplace)",
        ),
        Codec("string", STRING, frozenset({RETURN}), summary="a NUL-terminated string, returned as char *"),
        Codec("address", ADDRESS, frozenset({RETURN}), wire_type="uintptr_t", summary="a host address, as uintptr_t"),
        Codec("shmem", SHMEM, frozenset({PARAM}), summary="bytes through shared memory; the request carries its id"),
    )
}

#: C types (as the spec writes their base, without qualifiers) that need no
#: entry in ``marshalling.types``: the scalars of apir_cs.h.
SCALAR_TYPES: dict[tuple[str, ...], str] = {
    ("int32_t",): "int32_t",
    ("int",): "int32_t",
    ("uint32_t",): "uint32_t",
    ("uint64_t",): "uint64_t",
    ("size_t",): "size_t",
    ("bool",): "bool",
    ("uint8_t",): "uint8_t",
    ("uintptr_t",): "uintptr_t",
    ("ggml_status",): "ggml_status",
    ("enum", "ggml_status"): "ggml_status",
}


def codec_names() -> list[str]:
    return list(CODECS)


#: Locals every generated guest stub declares (ggml's own names), and those it derives from a
#: parameter's name (a converted value, a shared-memory object and its fallback).
GUEST_LOCALS = ("encoder", "decoder", "ret", "result")
GUEST_SUFFIXES = ("_wire", "_shmem", "_temp")
#: The same for host handlers: their parameters, the return value and its address, the tensors'
#: scratch context; per parameter, a converted value and a shared-memory id.
HOST_LOCALS = ("enc", "dec", "ctx", "result", "result_address", "scratch")
HOST_SUFFIXES = ("_wire", "_res_id")
#: What generated code (and the ggml macros it expands) calls or declares by name in every stub and
#: handler: a parameter or host local with such a name shadows it and the file does not compile.
#: ggml's REMOTE_CALL_PREPARE declares REMOTE_CALL_PREPARE_* locals; the runtime's functions and the
#: generated helpers are apir_*, ggml_*, virtgpu_*, remote_call*; the C library's, memcpy, memset, strlen.
RESERVED_PREFIXES = ("apir_", "ggml_", "GGML_", "virtgpu_", "remote_call", "REMOTE_CALL")
RESERVED_NAMES = ("memcpy", "memset", "strlen")
