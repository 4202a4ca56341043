"""The C++ round-trip program of a drawn annotated spec (see annotated_specgen.py and property/prop.h).

Three files, written beside each other (``write_program``):

* ``prop_main.cpp`` (a guest translation unit): ``main()`` calls every marshalled
  command's guest stub several times with seeded random values (handles of the
  stand-in's buffer types and tracked buffers, tensors in guest buffers whose
  host handles are real, bytes through both shared-memory paths), then checks
  (a) that the host's fake received exactly the values sent (``prop_got``),
  (b) that the out-parameters and the return value equal what the fake
  produced (``prop_value(slot)`` of the call's ``prop_seed``), (c) that shmem
  bytes arrived and came back, byte for byte, without writing past their
  length, and that every cut of the request is rejected without the fake
  running, and that a false ``check`` rejects the request; it prints
  ``<calls> calls, <values> values, <bytes> bytes, <failures> failures`` and
  exits 1 on any failure.  It also holds the hand-written guest stubs of the
  commands with ``guest: false``.
* ``prop_host.cpp`` (a host translation unit): per marshalled command, the fake
  ``prop_fake_<i>`` that ``host_call`` calls (or the hook ``<handler>_impl``
  calls: its signature is the one MARSHALLING.md gives, so a generated hook
  header that disagrees does not link); the hand-written handlers of the
  commands with ``host: false`` and of those without ``marshal:``.
* ``backend-virgl-apir.h``: found before the stand-in's (it includes it), it
  declares the fakes, so that ``host_call`` expressions in the generated
  handlers see them, as ggml's see ``reg``/``dev``.

The hand-written sides encode and decode with the runtime's calls as
MARSHALLING.md lists them, independently of the emitters: with one side
generated and the other hand-written, the program is a wire-format
differential too.
"""

from __future__ import annotations

from pathlib import Path

from .annotated_specgen import ASpec, Func, Param

RETURN_SLOT = 100  # prop_value() slot of the return value; out-parameters use their index
ROUNDS = 3


def _produce(kind: str, wire: str, value: str) -> str:
    """The host's value for a slot of C type ``wire``, from the 64-bit ``value``."""
    if kind == "buft":
        return f"prop_buffer_type({value})"
    if wire == "bool":
        return f"prop_bool({value})"
    if wire == "ggml_status":
        return f"prop_status({value})"
    return f"({wire}) {value}"


def _init(wire: str) -> str:
    return {"bool": "false", "ggml_status": "GGML_STATUS_SUCCESS"}.get(wire, "0")


def _fake_params(f: Func) -> list[str]:
    return [f"{p.host_type} * {p.name}" if p.is_out else f"{p.host_type} {p.name}" for p in f.params]


def _ret_type(f: Func) -> str:
    return f.ret.host_type if f.ret is not None else "void"


def _length(f: Func, p: Param) -> str:
    return f"(size_t) {p.length}"


def fake_declarations(spec: ASpec) -> list[str]:
    return [f"{_ret_type(f)} {f.fake}({', '.join(_fake_params(f))});" for f in spec.marshalled]


def _fake(f: Func) -> list[str]:
    out = [f"{_ret_type(f)} {f.fake}({', '.join(_fake_params(f)) or 'void'}) {{", "    prop_calls++;"]
    for j, p in enumerate(f.params):
        n = p.name
        if p.kind in ("scalar", "buft"):
            out.append(f"    prop_got.push_back(prop_word({n}));")
        elif p.kind == "buffer":
            out.append(f"    prop_got.push_back(prop_word({n}));")
            out.append(f"    prop_got.push_back(apir_get_track_backend_buffers().count({n}));")
            if p.destroy:
                out.append(f"    ggml_backend_buffer_free({n});")
        elif p.kind == "tensor":
            out.append(f"    prop_got_{p.codec}({n});")
        elif p.kind == "shmem" and not p.out:
            out.append(f"    prop_got.push_back(prop_hash({n}, {_length(f, p)}));")
        elif p.kind == "shmem":
            out.append(f"    prop_fill({n}, {_length(f, p)}, prop_value({j}));")
        elif p.kind == "scalar_out":
            assert p.scalar is not None
            out.append(f"    *{n} = {_produce('scalar', p.scalar.wire, f'prop_value({j})')};")
        elif p.kind == "buft_out":
            out.append(f"    *{n} = prop_buffer_type(prop_value({j}));")
    r = f.ret
    if r is not None:
        value = f"prop_value({RETURN_SLOT})"
        if r.kind == "string":
            out += ["    static std::string text;", f"    text = prop_string({value});", "    return text.c_str();"]
        elif r.kind == "address":
            out.append(f"    return (void *) (uintptr_t) {value};")
        else:
            out.append(f"    return {_produce(r.kind, r.host_type, value)};")
    return out + ["}"]


def _hook(f: Func) -> list[str]:
    """The hand-written <handler>_impl: in parameters by value, out parameters and the result as pointers."""
    params = ["virgl_apir_context * ctx"]
    params += [f"{p.host_type} {p.name}" for p in f.params if not p.is_out]
    params += [f"{p.host_type} * {p.name}" for p in f.params if p.is_out]
    if f.ret is not None:
        params.append(f"{f.ret.host_type} * result")
    call = f"{f.fake}({', '.join(p.name for p in f.params)})"
    return [
        f"uint32_t {f.handler}_impl({', '.join(params)}) {{",
        "    GGML_UNUSED(ctx);",
        f"    {'*result = ' if f.ret is not None else ''}{call};",
        "    return 0;",
        "}",
    ]


def _handwritten_handler(f: Func) -> list[str]:
    """A host handler written from MARSHALLING.md's wire order (simple slots only)."""
    out = [
        f"uint32_t {f.handler}(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {{",
        "    GGML_UNUSED(enc);",
        "    GGML_UNUSED(dec);",
        "    GGML_UNUSED(ctx);",
    ]
    if not f.marshalled:
        return out + ["    return 0;", "}"]
    for p in f.params:
        h = p.host_name
        if p.kind == "scalar":
            assert p.scalar is not None
            out.append(f"    {p.scalar.wire} {h}_wire = {_init(p.scalar.wire)};")
            out.append(f"    apir_decode_{p.scalar.suffix}(dec, &{h}_wire);")
            out.append(f"    {p.host_type} {h} = ({p.host_type}) {h}_wire;")
        elif p.kind == "buft":
            out.append(f"    ggml_backend_buffer_type_t {h} = apir_decode_ggml_buffer_type(dec);")
        elif p.kind == "buffer":
            out.append(f"    ggml_backend_buffer_t {h} = apir_decode_ggml_buffer(dec);")
        elif not p.is_out:
            raise AssertionError(f"no hand-written host for {p.kind}")
    out.append("    if (apir_decoder_get_fatal(dec)) {\n        return 1;\n    }")
    for p in f.params:
        h = p.host_name
        if p.kind == "buft":
            out.append(
                f"    if ({h} != standin_buffer_type() && {h} != standin_host_buffer_type()) {{\n"
                "        return 1;\n    }"
            )
        elif p.kind == "buffer":
            out.append(f"    if (!{h}) {{\n        return 1;\n    }}")
    for check in f.checks:
        out.append(f"    if (!({check})) {{\n        return 1;\n    }}")
    for p in f.params:
        if p.destroy:
            out.append(f"    if (!apir_untrack_backend_buffer({p.host_name})) {{\n        return 1;\n    }}")
    for p in f.params:
        if p.kind == "scalar_out":
            assert p.scalar is not None
            out.append(f"    {p.scalar.wire} {p.host_name} = {_init(p.scalar.wire)};")
        elif p.kind == "buft_out":
            out.append(f"    ggml_backend_buffer_type_t {p.host_name} = NULL;")
    call = f.host_call_text()
    if f.ret is None:
        out.append(f"    {call};")
    else:
        out.append(f"    {f.ret.host_type} result = {call};")
        out += _encode_reply(f.ret.kind, f.ret.scalar.suffix if f.ret.scalar else "", "result")
    for p in f.params:
        if p.kind == "scalar_out":
            assert p.scalar is not None
            out += _encode_reply("scalar", p.scalar.suffix, p.host_name)
        elif p.kind == "buft_out":
            out += _encode_reply("buft", "", p.host_name)
    return out + ["    return 0;", "}"]


def _encode_reply(kind: str, suffix: str, name: str) -> list[str]:
    if kind == "scalar":
        return [f"    apir_encode_{suffix}(enc, &{name});"]
    if kind == "buft":
        return [f"    apir_encode_ggml_buffer_type(enc, {name});"]
    if kind == "string":
        return [
            f"    const size_t {name}_size = strlen({name}) + 1;",
            f"    apir_encode_array_size(enc, {name}_size);",
            f"    apir_encode_char_array(enc, {name}, {name}_size);",
        ]
    return [f"    uintptr_t {name}_address = (uintptr_t) {name};", f"    apir_encode_uintptr_t(enc, &{name}_address);"]


def _handwritten_stub(spec: ASpec, f: Func) -> list[str]:
    """A guest stub written from MARSHALLING.md's wire order (simple slots only)."""
    gpu = spec.base_name
    ret = f.ret.spelling if f.ret is not None else "void"
    params = ", ".join([spec.base, *(p.decl for p in f.params)])
    out = [
        f"{ret} {f.guest_name}({params}) {{",
        "    apir_encoder *        encoder;",
        "    apir_decoder *        decoder;",
        "    ApirForwardReturnCode ret;",
        f"    REMOTE_CALL_PREPARE({gpu}, encoder, {f.enum});",
    ]
    for p in f.params:
        n = p.name
        value = f"*{n}" if p.pointer else n
        if p.kind == "scalar":
            assert p.scalar is not None
            out.append(
                f"    {{\n        {p.scalar.wire} wire = ({p.scalar.wire}) {value};\n"
                f"        apir_encode_{p.scalar.suffix}(encoder, &wire);\n    }}"
            )
        elif p.kind == "buft":
            out.append(f"    apir_encode_apir_buffer_type_host_handle(encoder, {value});")
        elif p.kind == "buffer":
            out.append(f"    apir_encode_apir_buffer_host_handle_t(encoder, &{n}->host_handle);")
        elif not p.is_out:
            raise AssertionError(f"no hand-written guest for {p.kind}")
    out.append(f"    REMOTE_CALL({gpu}, encoder, decoder, ret);")
    r = f.ret
    if r is not None:
        if r.kind == "scalar":
            assert r.scalar is not None
            out.append(f"    {r.scalar.wire} result = {_init(r.scalar.wire)};")
            out.append(f"    apir_decode_{r.scalar.suffix}(decoder, &result);")
        elif r.kind == "string":
            out.append("    const uint64_t size   = apir_decode_array_size_unchecked(decoder);")
            out.append("    char *         result = (char *) malloc(size ? size : 1);")
            out.append("    apir_decode_char_array(decoder, result, size);")
        elif r.kind == "address":
            out.append("    uintptr_t result = 0;")
            out.append("    apir_decode_uintptr_t(decoder, &result);")
        else:
            out.append("    apir_buffer_type_host_handle_t result = 0;")
            out.append("    apir_decode_apir_buffer_type_host_handle_t(decoder, &result);")
    for p in f.params:
        if p.kind == "scalar_out":
            assert p.scalar is not None
            out.append(
                f"    {{\n        {p.scalar.wire} wire = {_init(p.scalar.wire)};\n"
                f"        apir_decode_{p.scalar.suffix}(decoder, &wire);\n"
                f"        *{p.name} = ({p.scalar.spelling}) wire;\n    }}"
            )
        elif p.kind == "buft_out":
            out.append(f"    apir_decode_apir_buffer_type_host_handle_t(decoder, {p.name});")
    out.append(f"    remote_call_finish({gpu}, encoder, decoder);")
    if r is not None:
        out.append(f"    return ({r.spelling}) result;")
    return out + ["}"]


def _scalar_value(p: Param, lengths: dict[str, Param]) -> str:
    s = p.scalar
    assert s is not None
    if p.name in lengths:
        return f"({s.spelling}) draw_size({255 if s.codec == 'uint8_t' else 20000})"
    if s.codec == "bool":
        return "prop_bool(next_random())"
    if s.codec == "ggml_status":
        return "prop_status(next_random())"
    return f"({s.spelling}) next_random()"


def _call(spec: ASpec, f: Func) -> list[str]:
    """``call_<i>()``: one call of the command with fresh values, and every check of its results."""
    fn = f"{f.group}.{f.name}"
    lengths = {p.length: p for p in f.params if p.kind == "shmem"}
    body = [
        f"static void call_{f.index}(void) {{",
        f'    const char *          fn    = "{fn}";',
        "    std::vector<uint64_t> want, want_checks;",
        "    prop_seed = next_random();",
        "    prop_got.clear();",
        "    prop_checked.clear();",
    ]
    args: list[str] = []
    after: list[str] = []
    # scalars first: shmem lengths must be known before the bytes
    order = sorted(f.params, key=lambda p: p.kind != "scalar")
    decls: dict[str, list[str]] = {}
    wants: dict[str, list[str]] = {}
    for p in order:
        n = p.name
        d: list[str] = []
        w: list[str] = []
        j = f.params.index(p)
        if p.kind == "scalar":
            d.append(f"    {p.scalar.spelling if p.scalar else ''} {n} = {_scalar_value(p, lengths)};")
            w.append(f"    want.push_back(prop_word({n}));")
        elif p.kind == "scalar_out":
            assert p.scalar is not None
            d.append(f"    {p.scalar.spelling} {n} = {_out_init(p)};")
            after.append(
                f'    expect(fn, "{n}", prop_word({n}), prop_word(({p.scalar.spelling}) '
                f"{_produce('scalar', p.scalar.wire, f'prop_value({j})')}));"
            )
        elif p.kind == "buft":
            d.append(
                f"    apir_buffer_type_host_handle_t {n} = "
                "(apir_buffer_type_host_handle_t) prop_buffer_type(next_random());"
            )
            w.append(f"    want.push_back(prop_word({n}));")
        elif p.kind == "buft_out":
            d.append(f"    apir_buffer_type_host_handle_t {n} = 0;")
            after.append(f'    expect(fn, "{n}", prop_word({n}), prop_word(prop_buffer_type(prop_value({j}))));')
        elif p.kind == "buffer" and p.destroy:
            d.append(f"    ggml_backend_buffer_t {n}_host = standin_host_buffer(64);")
            d.append(f"    apir_buffer_context_t {n}_context = {{}};")
            d.append(f"    {n}_context.host_handle = (apir_buffer_host_handle_t) {n}_host;")
            d.append(f"    apir_buffer_context_t * {n} = &{n}_context;")
            w.append(f"    want.push_back(prop_word({n}_host));\n    want.push_back(0);  // untracked before the call")
        elif p.kind == "buffer":
            d.append(f"    const int {n}_index = (int) (next_random() % 2);")
            d.append(f"    apir_buffer_context_t * {n} = &contexts[{n}_index];")
            w.append(f"    want.push_back(prop_word(host_buffers[{n}_index]));\n    want.push_back(1);")
        elif p.kind == "tensor" and p.codec == "tensor_rpc":
            d.append(f"    ggml_tensor {n};")
            d.append(f'    random_tensor(&{n}, "{n}");')
            d.append(f"    if (next_random() % 3) {{\n        place(&{n}, (int) (next_random() % 2));\n    }}")
            w.append(f"    want_tensor_rpc(want, &{n});")
        elif p.kind == "tensor":
            d.append(f"    ggml_tensor {n}, {n}_view;")
            d.append(f'    random_tensor(&{n}, "{n}");')
            if p.max_src:
                d.append(f"    ggml_tensor {n}_src[{p.max_src}];")
                d.append(f"    const int   {n}_sources = (int) (next_random() % {p.max_src + 1});")
                d.append(
                    f"    for (int s = 0; s < {n}_sources; s++) {{\n"
                    f'        random_tensor(&{n}_src[s], "src");\n'
                    f"        if (next_random() % 2) {{\n            place(&{n}_src[s], (int) (next_random() % 2));\n        }}\n"
                    f"        {n}.src[s] = &{n}_src[s];\n    }}"
                )
            d.append(
                f'    if (next_random() % 2) {{\n        random_tensor(&{n}_view, "view");\n'
                f"        {n}.view_src = &{n}_view;\n    }}"
            )
            d.append(f"    if (next_random() % 2) {{\n        place(&{n}, (int) (next_random() % 2));\n    }}")
            w.append(f"    want_tensor_inline(want, &{n});")
        elif p.kind == "shmem":
            length = f"(size_t) {p.length}"
            if p.out:
                d.append(f"    std::vector<uint8_t> {n}({length} + 16, 0xa5);")
                after.append(f"    std::vector<uint8_t> {n}_want({length} + 16, 0xa5);")
                after.append(f"    prop_fill({n}_want.data(), {length}, prop_value({j}));")
                after.append(f'    expect(fn, "{n} bytes", {n} == {n}_want, 1);')
                after.append(f"    bytes += {length};")
            else:
                d.append(f"    std::vector<uint8_t> {n}({length} + 16);")
                d.append(f"    prop_fill({n}.data(), {length}, next_random());")
                w.append(f"    want.push_back(prop_hash({n}.data(), {length}));")
                d.append(f"    bytes += {length};")
        decls[n] = d
        wants[n] = w
    for p in order:
        body += decls[p.name]
    for p in f.params:  # what the fake records, in declaration order
        body += wants[p.name]
    for p in f.params:
        n = p.name
        if p.kind in ("scalar", "buft") and p.pointer or p.kind in ("scalar_out", "buft_out"):
            args.append(f"&{n}")
        elif p.kind == "tensor":
            args.append(f"&{n}")
        elif p.kind == "shmem":
            args.append(f"{n}.data()")
        else:
            args.append(n)
    for name in f.check_params:
        if name:
            body.append(f"    want_checks.push_back(prop_word({name}));")
    body += ["    const uint32_t calls = prop_calls;", "    const size_t   live  = standin_shmem_live();"]
    call = f"{f.guest_name}({', '.join(['gpu', *args])})"
    r = f.ret
    body.append(f"    {r.spelling + ' result = ' if r is not None else ''}{call};")
    body.append('    expect(fn, "fake calls", prop_calls - calls, 1);')
    body.append('    expect_list(fn, "received", prop_got, want);')
    body.append('    expect_list(fn, "checked", prop_checked, want_checks);')
    body.append('    expect(fn, "live shared memory", standin_shmem_live(), live);')
    if r is not None:
        value = f"prop_value({RETURN_SLOT})"
        if r.kind == "scalar":
            assert r.scalar is not None
            body.append(
                f'    expect(fn, "result", prop_word(result), prop_word(({r.spelling}) '
                f"{_produce('scalar', r.scalar.wire, value)}));"
            )
        elif r.kind == "string":
            body.append(f"    const std::string result_want = prop_string({value});")
            body.append('    expect(fn, "result", result && strcmp(result, result_want.c_str()) == 0, 1);')
            body.append("    free((void *) result);")
        elif r.kind == "address":
            body.append(f'    expect(fn, "result", prop_word(result), {value});')
        else:
            body.append(f'    expect(fn, "result", prop_word(result), prop_word(prop_buffer_type({value})));')
    body += after
    if any(not p.is_out for p in f.params):
        body.append("    check_truncations(fn);")
    if any(f.check_params):
        body.append("    check_rejected(fn);")
    return body + ["}"]


def _out_init(p: Param) -> str:
    s = p.scalar
    assert s is not None
    if s.codec == "bool":
        return "false"
    if s.codec == "ggml_status":
        return "GGML_STATUS_SUCCESS"
    return f"({s.spelling}) 0x5a5a5a5a5a5a5a5aULL"


DRIVER_HEAD = r"""// Generated by tests/marshalling/roundtrip_cpp.py: the guest side of a round-trip program.
#include "prop.h"
#include "standin.h"
#include "virtgpu-forward-impl.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

static int      failures = 0;
static uint64_t values   = 0;  // values compared
static uint64_t bytes    = 0;  // shmem bytes that crossed
static uint64_t rng      = 1;

static uint64_t next_random(void) {
    rng = prop_mix(rng);
    return rng;
}

// Small sizes go through data_shmem (4096 bytes here), larger ones through temporary objects.
[[maybe_unused]] static size_t draw_size(size_t max) {
    const uint64_t r = next_random();
    return r % 2 ? (size_t) (r >> 8) % (max < 3000 ? max + 1 : 3001) : (size_t) (r >> 8) % (max + 1);
}

static void expect(const char * fn, const char * what, uint64_t got, uint64_t want) {
    values++;
    if (got != want) {
        fprintf(stderr, "%s: %s: got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", fn, what, got, want);
        failures++;
    }
}

static void expect_list(const char * fn, const char * what, const std::vector<uint64_t> & got,
                        const std::vector<uint64_t> & want) {
    if (got.size() != want.size()) {
        fprintf(stderr, "%s: %s: %zu values, want %zu\n", fn, what, got.size(), want.size());
        failures++;
    }
    for (size_t i = 0; i < got.size() && i < want.size(); i++) {
        char label[64];
        snprintf(label, sizeof(label), "%s[%zu]", what, i);
        expect(fn, label, got[i], want[i]);
    }
}

static virtgpu *             gpu;
static ggml_backend_buffer_t host_buffers[2];
static apir_buffer_context_t contexts[2];
static void *                guest_bases[2];
static ggml_backend_buffer_t guest_buffers[2];
static const size_t          BUFFER_SIZE = 4096;

[[maybe_unused]] static void random_tensor(ggml_tensor * t, const char * name) {
    static const ggml_type types[] = { GGML_TYPE_F32, GGML_TYPE_F16, GGML_TYPE_I32 };
    char                   text[32];
    snprintf(text, sizeof(text), "%s%u", name, (unsigned) (next_random() % 1000));
    standin_init_tensor(t, types[next_random() % 3], 1 + (int64_t) (next_random() % 16),
                        1 + (int64_t) (next_random() % 4), text);
    t->op           = (ggml_op) (next_random() % 3);
    t->op_params[0] = (int32_t) next_random();
    t->flags        = (int32_t) (next_random() % 256);
}

// In guest buffer b (whose host handle is host_buffers[b]), at a random offset.
[[maybe_unused]] static void place(ggml_tensor * t, int b) {
    const size_t n   = ggml_nbytes(t);
    const size_t off = (size_t) (next_random() % ((BUFFER_SIZE - n) / 4 + 1)) * 4;
    t->buffer        = guest_buffers[b];
    t->data          = (char *) guest_bases[b] + off;
}

[[maybe_unused]] static int buffer_index(const ggml_tensor * t) {
    return t->buffer == guest_buffers[0] ? 0 : 1;
}

[[maybe_unused]] static void want_header(std::vector<uint64_t> & want, const ggml_tensor * t) {
    prop_tensor_header(want, t);
}

// What prop_got_tensor_rpc records on the host: the buffer is the host's, data an offset into it.
[[maybe_unused]] static void want_tensor_rpc(std::vector<uint64_t> & want, const ggml_tensor * t) {
    want_header(want, t);
    want.push_back(t->buffer ? prop_word(host_buffers[buffer_index(t)]) : 0);
    want.push_back(t->buffer ? (uint64_t) ((char *) t->data - (char *) guest_bases[buffer_index(t)]) : 0);
}

// What prop_got_tensor_inline records: guest pointers cleared, the buffer the host's (the handle is fixed:
// STANDIN_FIX_BUFFER_HANDLE), view source and sources' own pointers cleared.
[[maybe_unused]] static void want_tensor_inline(std::vector<uint64_t> & want, const ggml_tensor * t) {
    want_header(want, t);
    want.push_back(t->buffer ? prop_word(host_buffers[buffer_index(t)]) : 0);
    want.push_back(0);
    want.push_back(0);
    want.push_back(t->view_src != nullptr);
    if (t->view_src) {
        want_header(want, t->view_src);
        want.push_back(0);
        want.push_back(0);
    }
    int n = 0;
    while (n < GGML_MAX_SRC && t->src[n]) {
        n++;
    }
    want.push_back((uint64_t) n);
    for (int i = 0; i < n; i++) {
        want_header(want, t->src[i]);
        want.push_back(0);
        want.push_back(0);
    }
}

// Every cut of the last request is rejected (1), without the fake running.
[[maybe_unused]] static void check_truncations(const char * fn) {
    const std::vector<char> request = standin_last_request();
    uint32_t                cmd     = 0;
    memcpy(&cmd, request.data() + 4, sizeof(cmd));
    const uint32_t calls = prop_calls;
    for (size_t n = 0; n + 12 < request.size(); n++) {
        std::vector<char> reply;
        const uint32_t    rc = standin_host_dispatch(cmd, request.data() + 12, n, &reply);
        if (rc != 1) {
            fprintf(stderr, "%s: the request cut to %zu of %zu bytes returned %u\n", fn, n, request.size() - 12, rc);
            failures++;
        }
    }
    expect(fn, "fake calls on cut requests", prop_calls - calls, 0);
}

// The same request again, with prop_check answering false: rejected, the fake not run.
[[maybe_unused]] static void check_rejected(const char * fn) {
    const std::vector<char> request = standin_last_request();
    uint32_t                cmd     = 0;
    memcpy(&cmd, request.data() + 4, sizeof(cmd));
    const uint32_t calls = prop_calls;
    prop_check_ok        = false;
    std::vector<char> reply;
    expect(fn, "status with a false check", standin_host_dispatch(cmd, request.data() + 12, request.size() - 12, &reply),
           1);
    prop_check_ok = true;
    expect(fn, "fake calls with a false check", prop_calls - calls, 0);
}
"""

DRIVER_MAIN = r"""
int main(int argc, char ** argv) {
    rng = argc > 1 ? prop_mix(strtoull(argv[1], nullptr, 10)) : 1;
    gpu = standin_create_virtgpu(4096);
    for (int b = 0; b < 2; b++) {
        host_buffers[b]         = standin_host_buffer(BUFFER_SIZE);
        contexts[b].host_handle = (apir_buffer_host_handle_t) host_buffers[b];
        guest_bases[b]          = calloc(1, BUFFER_SIZE);
        guest_buffers[b]        = standin_guest_buffer(gpu, contexts[b].host_handle, guest_bases[b], BUFFER_SIZE);
    }
    for (int round = 0; round < ROUNDS; round++) {
CALLS    }
    for (int b = 0; b < 2; b++) {
        standin_free_guest_buffer(guest_buffers[b]);
        free(guest_bases[b]);
        ggml_backend_buffer_free(host_buffers[b]);
    }
    standin_destroy_virtgpu(gpu);
    expect("main", "live shared memory at exit", standin_shmem_live(), 0);
    printf("%u calls, %" PRIu64 " values, %" PRIu64 " bytes, %d failures\n", standin_calls(), values, bytes, failures);
    return failures ? 1 : 0;
}
"""

HOST_HEAD = """// Generated by tests/marshalling/roundtrip_cpp.py: the host side of a round-trip program.
#include "backend-dispatched-impl.gen.h"
#include "backend-dispatched.h"
#include "backend-virgl-apir.h"
#include "prop.h"

#include <cstring>
#include <string>
"""

SHADOW = """// Generated by tests/marshalling/roundtrip_cpp.py: the stand-in's backend-virgl-apir.h, plus the fakes
// that host_call expressions call (as ggml's call what its backend-virgl-apir.h declares).
#pragma once

#include_next "backend-virgl-apir.h"

#include "prop.h"

"""


def driver(spec: ASpec, rounds: int = ROUNDS) -> str:
    parts = [DRIVER_HEAD]
    for f in spec.marshalled:
        if not f.guest:
            parts.append("\n" + "\n".join(_handwritten_stub(spec, f)) + "\n")
    for f in spec.marshalled:
        parts.append("\n" + "\n".join(_call(spec, f)) + "\n")
    calls = "".join(f"        call_{f.index}();\n" for f in spec.marshalled)
    parts.append(DRIVER_MAIN.replace("ROUNDS", str(rounds)).replace("CALLS", calls))
    return "".join(parts)


def host(spec: ASpec) -> str:
    parts = [HOST_HEAD]
    for f in spec.marshalled:
        parts.append("\n" + "\n".join(_fake(f)) + "\n")
        if f.host and not f.host_call:
            parts.append("\n" + "\n".join(_hook(f)) + "\n")
    for f in spec.funcs:
        if f.has_host_table_entry and (not f.marshalled or not f.host):
            parts.append("\n" + "\n".join(_handwritten_handler(f)) + "\n")
    return "".join(parts)


def shadow(spec: ASpec) -> str:
    return SHADOW + "\n".join(fake_declarations(spec)) + "\n"


def write_program(spec: ASpec, directory: Path, rounds: int = ROUNDS) -> tuple[Path, Path]:
    """Writes the three files into ``directory``; returns (driver, host) sources."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "backend-virgl-apir.h").write_text(shadow(spec))
    (directory / "prop_main.cpp").write_text(driver(spec, rounds))
    (directory / "prop_host.cpp").write_text(host(spec))
    return directory / "prop_main.cpp", directory / "prop_host.cpp"
