// A hand-written guest for the mini spec, in the style of ggml's virtgpu-forward-*.cpp.
#include "virtgpu-forward-impl.h"

uint32_t apir_demo_scalars(virtgpu * gpu, int32_t a, uint64_t b, bool c, uint8_t d, size_t * sum) {
    apir_encoder *        encoder;
    apir_decoder *        decoder;
    ApirForwardReturnCode ret;

    REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_DEMO_SCALARS);
    apir_encode_int32_t(encoder, &a);
    apir_encode_uint64_t(encoder, &b);
    apir_encode_bool_t(encoder, &c);
    apir_encode_uint8_t(encoder, &d);
    REMOTE_CALL(gpu, encoder, decoder, ret);

    uint32_t result = 0;
    apir_decode_uint32_t(decoder, &result);
    apir_decode_size_t(decoder, sum);
    remote_call_finish(gpu, encoder, decoder);
    return result;
}

char * apir_demo_buft_name(virtgpu * gpu, apir_buffer_type_host_handle_t host_handle) {
    apir_encoder *        encoder;
    apir_decoder *        decoder;
    ApirForwardReturnCode ret;

    REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_DEMO_BUFT_NAME);
    apir_encode_apir_buffer_type_host_handle(encoder, host_handle);
    REMOTE_CALL(gpu, encoder, decoder, ret);

    const size_t string_size = apir_decode_array_size_unchecked(decoder);
    char *       string      = (char *) apir_decoder_alloc_array(sizeof(char), string_size);
    if (!string) {
        GGML_LOG_ERROR(GGML_VIRTGPU "%s: Could not allocate the name\n", __func__);
        remote_call_finish(gpu, encoder, decoder);
        return NULL;
    }
    apir_decode_char_array(decoder, string, string_size);
    remote_call_finish(gpu, encoder, decoder);
    return string;
}

void * apir_demo_base(virtgpu * gpu, apir_buffer_context_t * buffer_context) {
    apir_encoder *        encoder;
    apir_decoder *        decoder;
    ApirForwardReturnCode ret;

    REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_DEMO_BASE);
    apir_encode_apir_buffer_host_handle_t(encoder, &buffer_context->host_handle);
    REMOTE_CALL(gpu, encoder, decoder, ret);

    uintptr_t base = 0;
    apir_decode_uintptr_t(decoder, &base);
    remote_call_finish(gpu, encoder, decoder);
    return (void *) base;
}

// The data of write/read goes through data_shmem when it fits, else through a temporary object.
static virtgpu_shmem * mini_shmem(virtgpu * gpu, size_t size, virtgpu_shmem * temp) {
    if (size <= gpu->data_shmem.mmap_size) {
        if (mtx_lock(&gpu->data_shmem_mutex) != thrd_success) {
            GGML_ABORT(GGML_VIRTGPU "%s: Failed to lock data_shmem mutex", __func__);
        }
        return &gpu->data_shmem;
    }
    if (virtgpu_shmem_create(gpu, size, temp)) {
        GGML_ABORT(GGML_VIRTGPU "%s: Couldn't allocate the guest-host shared buffer", __func__);
    }
    return temp;
}

static void mini_shmem_done(virtgpu * gpu, virtgpu_shmem * shmem) {
    if (shmem == &gpu->data_shmem) {
        mtx_unlock(&gpu->data_shmem_mutex);
    } else {
        virtgpu_shmem_destroy(gpu, shmem);
    }
}

void apir_demo_write(virtgpu *               gpu,
                     apir_buffer_context_t * buffer_context,
                     ggml_tensor *           tensor,
                     const void *            data,
                     size_t                  offset,
                     size_t                  size) {
    apir_encoder *        encoder;
    apir_decoder *        decoder;
    ApirForwardReturnCode ret;
    virtgpu_shmem         temp;

    REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_DEMO_WRITE);
    apir_encode_apir_buffer_host_handle_t(encoder, &buffer_context->host_handle);
    apir_encode_ggml_tensor(encoder, tensor);
    virtgpu_shmem * shmem = mini_shmem(gpu, size, &temp);
    memcpy(shmem->mmap_ptr, data, size);
    apir_encode_virtgpu_shmem_res_id(encoder, shmem->res_id);
    apir_encode_size_t(encoder, &offset);
    apir_encode_size_t(encoder, &size);
    REMOTE_CALL(gpu, encoder, decoder, ret);
    remote_call_finish(gpu, encoder, decoder);
    mini_shmem_done(gpu, shmem);
}

void apir_demo_read(virtgpu *               gpu,
                    apir_buffer_context_t * buffer_context,
                    const ggml_tensor *     tensor,
                    void *                  data,
                    size_t                  offset,
                    size_t                  size) {
    apir_encoder *        encoder;
    apir_decoder *        decoder;
    ApirForwardReturnCode ret;
    virtgpu_shmem         temp;

    REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_DEMO_READ);
    apir_encode_apir_buffer_host_handle_t(encoder, &buffer_context->host_handle);
    apir_encode_ggml_tensor(encoder, tensor);
    virtgpu_shmem * shmem = mini_shmem(gpu, size, &temp);
    apir_encode_virtgpu_shmem_res_id(encoder, shmem->res_id);
    apir_encode_size_t(encoder, &offset);
    apir_encode_size_t(encoder, &size);
    REMOTE_CALL(gpu, encoder, decoder, ret);
    memcpy(data, shmem->mmap_ptr, size);
    remote_call_finish(gpu, encoder, decoder);
    mini_shmem_done(gpu, shmem);
}

uint64_t apir_demo_inspect(virtgpu * gpu, const ggml_tensor * op) {
    apir_encoder *        encoder;
    apir_decoder *        decoder;
    ApirForwardReturnCode ret;

    REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_DEMO_INSPECT);
    apir_encode_ggml_tensor_inline(encoder, op);
    REMOTE_CALL(gpu, encoder, decoder, ret);

    uint64_t digest = 0;
    apir_decode_uint64_t(decoder, &digest);
    remote_call_finish(gpu, encoder, decoder);
    return digest;
}

ggml_status apir_demo_status(virtgpu * gpu, int32_t code) {
    apir_encoder *        encoder;
    apir_decoder *        decoder;
    ApirForwardReturnCode ret;

    REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_DEMO_STATUS);
    apir_encode_int32_t(encoder, &code);
    REMOTE_CALL(gpu, encoder, decoder, ret);

    ggml_status status = GGML_STATUS_ABORTED;
    apir_decode_ggml_status(decoder, &status);
    remote_call_finish(gpu, encoder, decoder);
    return status;
}
