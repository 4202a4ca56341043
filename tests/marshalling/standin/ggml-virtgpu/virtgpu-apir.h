// Stand-in for ggml's virtgpu-apir.h: the guest's buffer context and the generated guest declarations.
#pragma once

#include "backend/shared/apir_backend.h"
#include "ggml-impl.h"
#include "virtgpu-shm.h"

struct apir_buffer_context_t {
    apir_buffer_host_handle_t      host_handle;
    struct virtgpu_shmem           shmem;
    apir_buffer_type_host_handle_t buft_host_handle;
};

#include "virtgpu-forward.gen.h"
