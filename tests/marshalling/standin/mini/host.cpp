// A hand-written host for the mini spec: ggml's handler style, plus what ggml's handlers lack and
// MARSHALLING.md asks of generated ones: every decoded value checked (fatal decoder, NULL handle or
// tensor, bounds), a rejection logged and answered with 1, never a crash.
#include "backend-dispatched.h"
#include "mini.h"
#include "standin.h"

#include <cstring>

static uint32_t reject(apir_decoder * dec, const char * func, const char * why) {
    GGML_LOG_ERROR(GGML_VIRTGPU_BCK "%s: %s\n", func, why);
    apir_decoder_set_fatal(dec);
    return 1;
}

uint32_t backend_demo_scalars(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {
    GGML_UNUSED(ctx);
    int32_t  a = 0;
    uint64_t b = 0;
    bool     c = false;
    uint8_t  d = 0;
    apir_decode_int32_t(dec, &a);
    apir_decode_uint64_t(dec, &b);
    apir_decode_bool_t(dec, &c);
    apir_decode_uint8_t(dec, &d);
    if (apir_decoder_get_fatal(dec)) {
        return reject(dec, __func__, "truncated request");
    }
    uint32_t ret = (uint32_t) a ^ (uint32_t) (b >> 32) ^ (uint32_t) b ^ (c ? 0x80000000u : 0) ^ d;
    size_t   sum = (size_t) a + (size_t) b + (c ? 1 : 0) + d;
    apir_encode_uint32_t(enc, &ret);
    apir_encode_size_t(enc, &sum);
    return 0;
}

uint32_t backend_demo_buft_name(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {
    GGML_UNUSED(ctx);
    ggml_backend_buffer_type_t buft = apir_decode_ggml_buffer_type(dec);
    if (apir_decoder_get_fatal(dec) || buft != standin_buffer_type()) {  // the only buffer type there is
        return reject(dec, __func__, "invalid buffer type handle");
    }
    const char * string      = buft->iface.get_name(buft);
    const size_t string_size = strlen(string) + 1;
    apir_encode_array_size(enc, string_size);
    apir_encode_char_array(enc, string, string_size);
    return 0;
}

uint32_t backend_demo_base(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {
    GGML_UNUSED(ctx);
    ggml_backend_buffer_t buffer = apir_decode_ggml_buffer(dec);
    if (!buffer || apir_decoder_get_fatal(dec)) {
        return reject(dec, __func__, "Invalid buffer handle from guest");
    }
    uintptr_t base = (uintptr_t) buffer->iface.get_base(buffer);
    apir_encode_uintptr_t(enc, &base);
    return 0;
}

// buffer, tensor, shmem, offset, size: decoded and checked the same way for write and read.
static uint32_t decode_transfer(apir_decoder * dec, virgl_apir_context * ctx, const char * func,
                                ggml_backend_buffer_t * buffer, ggml_tensor ** tensor, void ** data, size_t * offset,
                                size_t * size) {
    *buffer = apir_decode_ggml_buffer(dec);
    if (!*buffer || apir_decoder_get_fatal(dec)) {
        return reject(dec, func, "Invalid buffer handle from guest");
    }
    *tensor = (ggml_tensor *) (uintptr_t) apir_decode_ggml_tensor(dec);
    uint32_t res_id = 0;
    apir_decode_virtgpu_shmem_res_id(dec, &res_id);
    apir_decode_size_t(dec, offset);
    apir_decode_size_t(dec, size);
    if (apir_decoder_get_fatal(dec) || !*tensor || !(*tensor)->buffer) {
        return reject(dec, func, "truncated request or invalid tensor");
    }
    if (*offset > SIZE_MAX - *size || *offset + *size > ggml_nbytes(*tensor)) {
        return reject(dec, func, "offset + size outside the tensor");
    }
    *data = ctx->iface->get_shmem_ptr(ctx->ctx_id, res_id);
    if (!*data || standin_shmem_size(res_id) < *size) {
        return reject(dec, func, "Couldn't get the shmem addr from virgl");
    }
    return 0;
}

uint32_t backend_demo_write(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {
    GGML_UNUSED(enc);
    ggml_backend_buffer_t buffer;
    ggml_tensor *         tensor;
    void *                data;
    size_t                offset, size;
    if (decode_transfer(dec, ctx, __func__, &buffer, &tensor, &data, &offset, &size)) {
        return 1;
    }
    buffer->iface.set_tensor(buffer, tensor, data, offset, size);
    return 0;
}

uint32_t backend_demo_read(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {
    GGML_UNUSED(enc);
    ggml_backend_buffer_t buffer;
    ggml_tensor *         tensor;
    void *                data;
    size_t                offset, size;
    if (decode_transfer(dec, ctx, __func__, &buffer, &tensor, &data, &offset, &size)) {
        return 1;
    }
    buffer->iface.get_tensor(buffer, tensor, data, offset, size);
    return 0;
}

uint32_t backend_demo_inspect(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {
    GGML_UNUSED(ctx);
    // apir_decode_ggml_tensor_inplace dereferences the tensor before it can fail: check it is there
    if ((size_t) (dec->end - dec->cur) < sizeof(ggml_tensor)) {
        return reject(dec, __func__, "truncated tensor");
    }
    const ggml_tensor * op = apir_decode_ggml_tensor_inplace(dec);
    if (apir_decoder_get_fatal(dec)) {
        return reject(dec, __func__, "invalid tensor (cut short, or an unknown buffer)");
    }
    uint64_t digest = mini_inspect(op);
    apir_encode_uint64_t(enc, &digest);
    return 0;
}

uint32_t backend_demo_status(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {
    GGML_UNUSED(ctx);
    int32_t code = 0;
    apir_decode_int32_t(dec, &code);
    if (apir_decoder_get_fatal(dec)) {
        return reject(dec, __func__, "truncated request");
    }
    ggml_status status = (ggml_status) code;
    apir_encode_ggml_status(enc, &status);
    return 0;
}
