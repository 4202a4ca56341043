// Stand-in for ggml's backend/backend-convert.h: on the host a handle is the object's address.
#pragma once

#include "ggml-backend-impl.h"
#include "shared/apir_backend.h"

#define BUFFER_TO_HOST_HANDLE(name) ggml_buffer_to_apir_handle(name)

static inline apir_buffer_host_handle_t ggml_buffer_to_apir_handle(ggml_backend_buffer_t buffer) {
    return (apir_buffer_host_handle_t) buffer;
}

static inline apir_buffer_type_host_handle_t ggml_buffer_type_to_apir_handle(ggml_backend_buffer_type_t buft) {
    return (apir_buffer_type_host_handle_t) buft;
}
