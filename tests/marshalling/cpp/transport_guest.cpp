// In-memory replacement for ggml's virtgpu.cpp (the guest's transport).
//
// Same request format: a 12-byte header (cmd_type, cmd_flags, reply res id)
// written by remote_call_prepare(), then the parameters. remote_call() hands
// the body to the host's apir_backend_dispatcher() through the harness, and
// writes the notification word as virglrenderer does (handler status +
// APIR_FORWARD_BASE_INDEX + 1), so ggml's REMOTE_CALL macro sees exactly what
// it sees on a VM. Differences, all for byte-comparable logs: the request
// buffer and the reply page are zeroed before use (ggml never clears them, so
// the 3 unwritten bytes of a bool slot would carry old bytes), and the host
// works on its own copy of the request (the in-place tensor decoder writes
// into it).
#include "harness.h"
#include "virtgpu-forward-impl.h"

#include <cstdlib>
#include <cstring>
#include <vector>

#ifndef HARNESS_DATA_SHMEM_SIZE
#    define HARNESS_DATA_SHMEM_SIZE 0x10000  // 64 KiB: small, so that the large-data path is cheap to reach
#endif

int drmIoctl(int fd, unsigned long request, void * arg) {
    (void) fd;
    (void) request;
    (void) arg;
    abort();  // nothing in the marshalling code may reach the kernel
}

int virtgpu_shmem_create(virtgpu * gpu, size_t size, virtgpu_shmem * shmem) {
    (void) gpu;
    size = align64(size, 16384);  // as ggml's virtgpu_shmem_create
    void *   ptr    = nullptr;
    uint32_t res_id = harness_shmem_create(size, &ptr);
    if (!res_id) {
        return 1;
    }
    shmem->res_id     = res_id;
    shmem->mmap_size  = size;
    shmem->mmap_ptr   = ptr;
    shmem->gem_handle = res_id;
    harness_log("shmem+ %u %zu", res_id, size);
    return 0;
}

void virtgpu_shmem_destroy(virtgpu * gpu, virtgpu_shmem * shmem) {
    (void) gpu;
    harness_log("shmem- %u", shmem->res_id);
    harness_shmem_destroy(shmem->res_id);
}

virtgpu * create_virtgpu() {
    virtgpu * gpu         = new virtgpu();
    gpu->use_apir_capset  = true;  // cmd_type is APIR_COMMAND_TYPE_FORWARD, not shifted past Venus's commands
    gpu->fd               = -1;
    if (mtx_init(&gpu->data_shmem_mutex, mtx_plain) != thrd_success) {
        abort();
    }
    if (harness_host_init() != 0) {
        harness_log("note host initialization failed");
        return nullptr;
    }
    if (virtgpu_shmem_create(gpu, SHMEM_REPLY_SIZE, &gpu->reply_shmem) ||
        virtgpu_shmem_create(gpu, HARNESS_DATA_SHMEM_SIZE, &gpu->data_shmem)) {
        abort();
    }
    return gpu;
}

apir_encoder * remote_call_prepare(virtgpu * gpu, ApirCommandType apir_cmd_type, int32_t cmd_flags) {
    thread_local char encoder_buffer[4096];
    memset(encoder_buffer, 0, sizeof(encoder_buffer));

    thread_local apir_encoder enc;
    enc = {
        .cur   = encoder_buffer,
        .start = encoder_buffer,
        .end   = encoder_buffer + sizeof(encoder_buffer),
        .fatal = false,
    };

    int32_t cmd_type = apir_cmd_type;
    if (!gpu->use_apir_capset) {
        cmd_type += VENUS_COMMAND_TYPE_LENGTH;
    }
    apir_encode_int32_t(&enc, &cmd_type);
    apir_encode_int32_t(&enc, &cmd_flags);

    uint32_t reply_res_id = gpu->reply_shmem.res_id;
    apir_encode_uint32_t(&enc, &reply_res_id);

    return &enc;
}

void remote_call_finish(virtgpu * gpu, apir_encoder * enc, apir_decoder * dec) {
    UNUSED(gpu);

    if (!enc) {
        GGML_ABORT(GGML_VIRTGPU "%s: Invalid (null) encoder", __func__);
    }
    if (!dec) {
        GGML_ABORT(GGML_VIRTGPU "%s: Invalid (null) decoder", __func__);
    }
    const char * reply_start = (const char *) gpu->reply_shmem.mmap_ptr + sizeof(uint32_t);
    harness_log("finish consumed=%zu enc_fatal=%d dec_fatal=%d", (size_t) (dec->cur - reply_start),
                (int) apir_encoder_get_fatal(enc), (int) apir_decoder_get_fatal(dec));
    if (apir_encoder_get_fatal(enc)) {
        GGML_LOG_ERROR(GGML_VIRTGPU "%s: Failed to encode the output parameters.", __func__);
    }
    if (apir_decoder_get_fatal(dec)) {
        GGML_LOG_ERROR(GGML_VIRTGPU "%s: Failed to decode the input parameters.", __func__);
    }
}

uint32_t remote_call(virtgpu * gpu, apir_encoder * encoder, apir_decoder ** decoder, float max_wait_ms,
                     long long * call_duration_ns) {
    (void) gpu;  // the reply page is the one the request header names
    (void) max_wait_ms;
    *decoder = NULL;
    if (call_duration_ns) {
        *call_duration_ns = 0;
    }

    const size_t size = (size_t) (encoder->cur - encoder->start);
    if (size < 12) {
        harness_log("note request shorter than its header: %zu bytes", size);
        return APIR_FORWARD_NO_DISPATCH_FCT;
    }
    int32_t  cmd_type, cmd_flags;
    uint32_t reply_res_id;
    memcpy(&cmd_type, encoder->start, 4);
    memcpy(&cmd_flags, encoder->start + 4, 4);
    memcpy(&reply_res_id, encoder->start + 8, 4);

    harness_log("call %d %s", cmd_flags, apir_dispatch_command_name((ApirBackendCommandType) cmd_flags));
    harness_log_bytes("req", encoder->start, size);

    char *       reply      = (char *) harness_shmem_ptr(reply_res_id);
    const size_t reply_size = harness_shmem_size(reply_res_id);
    if (cmd_type != APIR_COMMAND_TYPE_FORWARD || !reply || reply_size < sizeof(uint32_t)) {
        harness_log("note not a forward command or no reply page (cmd_type %d, reply res %u)", cmd_type,
                    reply_res_id);
        return APIR_FORWARD_NO_DISPATCH_FCT;
    }
    memset(reply, 0, reply_size);

    std::vector<char> body(encoder->start + 12, encoder->start + size);
    size_t            reply_len = 0;
    uint32_t          status    = harness_host_dispatch((uint32_t) cmd_flags, body.data(), body.size(),
                                                        reply + sizeof(uint32_t), reply_size - sizeof(uint32_t),
                                                        &reply_len);
    harness_host_update_regions();

    const uint32_t notif = status + APIR_FORWARD_BASE_INDEX + 1;  // virglrenderer's encoding of the status
    memcpy(reply, &notif, sizeof(notif));
    harness_log("status %u", status);
    harness_log_bytes("reply", reply + sizeof(uint32_t), reply_len);

    static apir_decoder response_dec;
    response_dec.cur   = reply + sizeof(uint32_t);
    response_dec.end   = reply + reply_size;
    response_dec.fatal = false;
    *decoder           = &response_dec;

    return notif - 1;
}
