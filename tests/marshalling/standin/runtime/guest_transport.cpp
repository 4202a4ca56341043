// The guest side of the stand-in runtime: the in-memory transport (what ggml's virtgpu.cpp does over
// virtio-gpu), shared-memory objects, and apir_serialize_tensor.
//
// Same request format as ggml's: a 12-byte header (cmd_type, cmd_flags, reply res id), then the
// parameters; the reply's notification word is the handler's status + APIR_FORWARD_BASE_INDEX + 1.
// The request buffer and the reply page are zeroed before use, so the bytes a codec leaves
// unwritten are zero (ggml leaves whatever was there).
#include "ggml-remoting.h"
#include "standin.h"
#include "virtgpu-forward-impl.h"

#include <cstring>
#include <vector>

namespace {

std::vector<char> last_request, last_reply;
uint32_t          last_status = 0;
uint32_t          calls       = 0;

}  // namespace

int virtgpu_shmem_create(virtgpu * gpu, size_t size, virtgpu_shmem * shmem) {
    UNUSED(gpu);
    size          = (size + 16383) & ~(size_t) 16383;  // ggml rounds up to 16 KiB
    void *   ptr  = nullptr;
    uint32_t res  = standin_shmem_create(size, &ptr);
    if (!res) {
        return 1;
    }
    shmem->res_id     = res;
    shmem->mmap_size  = size;
    shmem->mmap_ptr   = ptr;
    shmem->gem_handle = res;
    return 0;
}

void virtgpu_shmem_destroy(virtgpu * gpu, virtgpu_shmem * shmem) {
    UNUSED(gpu);
    standin_shmem_destroy(shmem->res_id);
}

virtgpu * standin_create_virtgpu(size_t data_shmem_size) {
    virtgpu * gpu        = new virtgpu();
    gpu->use_apir_capset = true;
    gpu->fd              = -1;
    if (mtx_init(&gpu->data_shmem_mutex, mtx_plain) != thrd_success ||
        virtgpu_shmem_create(gpu, SHMEM_REPLY_SIZE, &gpu->reply_shmem) ||
        virtgpu_shmem_create(gpu, data_shmem_size, &gpu->data_shmem)) {
        GGML_ABORT("%s: cannot create the stand-in device", __func__);
    }
    gpu->data_shmem.mmap_size = data_shmem_size;  // exactly what was asked: the threshold tests aim at
    return gpu;
}

void standin_destroy_virtgpu(virtgpu * gpu) {
    virtgpu_shmem_destroy(gpu, &gpu->reply_shmem);
    virtgpu_shmem_destroy(gpu, &gpu->data_shmem);
    mtx_destroy(&gpu->data_shmem_mutex);
    delete gpu;
}

static void * standin_guest_get_base(ggml_backend_buffer_t buffer) {
    return BUFFER_TO_GGML_CONTEXT(buffer)->base;
}

ggml_backend_buffer_t standin_guest_buffer(virtgpu * gpu, uint64_t host_handle, void * base, size_t size) {
    static ggml_backend_buffer_type guest_buft = {};
    ggml_backend_remoting_buffer_context * context = new ggml_backend_remoting_buffer_context();
    context->apir_context.host_handle              = host_handle;
    context->gpu                                   = gpu;
    context->base                                  = base;
    ggml_backend_buffer * buffer                   = new ggml_backend_buffer();
    buffer->iface.get_base                         = standin_guest_get_base;
    buffer->buft                                   = &guest_buft;
    buffer->context                                = context;
    buffer->size                                   = size;
    return buffer;
}

void standin_free_guest_buffer(ggml_backend_buffer_t buffer) {
    delete BUFFER_TO_GGML_CONTEXT(buffer);
    delete buffer;
}

apir_rpc_tensor apir_serialize_tensor(const ggml_tensor * tensor) {
    apir_rpc_tensor result;
    memset(&result, 0, sizeof(result));  // no uninitialised bytes on the wire
    result.id     = (uint64_t) (uintptr_t) tensor;
    result.type   = tensor->type;
    result.buffer = tensor->buffer ? BUFFER_TO_HOST_HANDLE(tensor->buffer) : 0;
    for (int i = 0; i < GGML_MAX_DIMS; i++) {
        result.ne[i] = (uint32_t) tensor->ne[i];
        result.nb[i] = (uint32_t) tensor->nb[i];
    }
    result.op = tensor->op;
    memcpy(result.op_params, tensor->op_params, sizeof(result.op_params));
    result.flags = tensor->flags;
    for (int i = 0; i < GGML_MAX_SRC; i++) {
        result.src[i] = (uint64_t) (uintptr_t) tensor->src[i];
    }
    result.view_src  = (uint64_t) (uintptr_t) tensor->view_src;
    result.view_offs = tensor->view_offs;
    result.data      = (uint64_t) (uintptr_t) tensor->data;
    if (tensor->data) {
        if (!tensor->buffer) {
            GGML_ABORT("%s: tensor has data but not buffer", __func__);
        }
        result.data -= (uint64_t) (uintptr_t) BUFFER_TO_GGML_CONTEXT(tensor->buffer)->base;
    }
    snprintf(result.name, GGML_MAX_NAME, "%s", tensor->name);
    return result;
}

apir_encoder * remote_call_prepare(virtgpu * gpu, ApirCommandType apir_cmd_type, int32_t cmd_flags) {
    thread_local char         buffer[4096];
    thread_local apir_encoder enc;
    memset(buffer, 0, sizeof(buffer));
    enc              = apir_new_encoder(buffer, sizeof(buffer));
    int32_t cmd_type = apir_cmd_type;
    apir_encode_int32_t(&enc, &cmd_type);
    apir_encode_int32_t(&enc, &cmd_flags);
    apir_encode_uint32_t(&enc, &gpu->reply_shmem.res_id);
    return &enc;
}

uint32_t remote_call(virtgpu * gpu, apir_encoder * enc, apir_decoder ** dec, float max_wait_ms,
                     long long * call_duration_ns) {
    UNUSED(max_wait_ms);
    *dec = NULL;
    if (call_duration_ns) {
        *call_duration_ns = 0;
    }
    calls++;
    last_request.assign(enc->start, (const char *) enc->cur);
    int32_t cmd_type = 0, cmd_flags = 0;
    memcpy(&cmd_type, enc->start, 4);
    memcpy(&cmd_flags, enc->start + 4, 4);
    if (last_request.size() < 12 || cmd_type != APIR_COMMAND_TYPE_FORWARD) {
        return APIR_FORWARD_NO_DISPATCH_FCT;
    }
    char * page = (char *) gpu->reply_shmem.mmap_ptr;
    memset(page, 0, gpu->reply_shmem.mmap_size);
    last_status         = standin_host_dispatch((uint32_t) cmd_flags, enc->start + 12, last_request.size() - 12,
                                                &last_reply);
    const uint32_t notif = last_status + APIR_FORWARD_BASE_INDEX + 1;
    memcpy(page, &notif, sizeof(notif));
    memcpy(page + sizeof(notif), last_reply.data(), last_reply.size());
    static apir_decoder response;
    response = apir_new_decoder(page + sizeof(notif), gpu->reply_shmem.mmap_size - sizeof(notif));
    *dec     = &response;
    return notif - 1;
}

void remote_call_finish(virtgpu * gpu, apir_encoder * enc, apir_decoder * dec) {
    UNUSED(gpu);
    if (!enc || !dec) {
        GGML_ABORT(GGML_VIRTGPU "%s: Invalid (null) encoder or decoder", __func__);
    }
    if (apir_encoder_get_fatal(enc)) {
        GGML_LOG_ERROR(GGML_VIRTGPU "%s: Failed to encode the output parameters.", __func__);
    }
    if (apir_decoder_get_fatal(dec)) {
        GGML_LOG_ERROR(GGML_VIRTGPU "%s: Failed to decode the input parameters.", __func__);
    }
}

const std::vector<char> & standin_last_request(void) {
    return last_request;
}

uint32_t standin_last_status(void) {
    return last_status;
}

const std::vector<char> & standin_last_reply(void) {
    return last_reply;
}

uint32_t standin_calls(void) {
    return calls;
}
