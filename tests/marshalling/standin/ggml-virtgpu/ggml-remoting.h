// Stand-in for ggml's ggml-remoting.h: on the guest a buffer's handle is in its context.
#pragma once

#include "ggml-backend-impl.h"
#include "virtgpu.h"

#define GGML_VIRTGPU_NAME "ggml-virtgpu"
#define GGML_VIRTGPU      "ggml-virtgpu: "

struct ggml_backend_remoting_buffer_context {
    apir_buffer_context_t apir_context;
    virtgpu *             gpu;
    void *                base;
    bool                  is_from_ptr;
};

#define BUFFER_TO_GGML_CONTEXT(name) ((ggml_backend_remoting_buffer_context *) (name)->context)
#define BUFFER_TO_APIR_CONTEXT(name) &((ggml_backend_remoting_buffer_context *) (name)->context)->apir_context
#define BUFFER_TO_HOST_HANDLE(name)  ((ggml_backend_remoting_buffer_context *) (name)->context)->apir_context.host_handle

static inline apir_buffer_type_host_handle_t ggml_buffer_type_to_apir_handle(ggml_backend_buffer_type_t buft) {
    return (apir_buffer_type_host_handle_t) buft->context;
}

static inline apir_buffer_host_handle_t ggml_buffer_to_apir_handle(ggml_backend_buffer_t buffer) {
    if (!buffer->context) {
        GGML_ABORT(GGML_VIRTGPU "%s: no context available :/", __func__);
    }
    return BUFFER_TO_HOST_HANDLE(buffer);
}
