// Stand-in for ggml's backend/shared/apir_backend.h: the handle types and the generated command enum.
#pragma once

#include "apir_backend.gen.h"

#include <cstdint>

#define APIR_BACKEND_INITIALIZE_SUCCESS    0
#define APIR_BACKEND_FORWARD_INDEX_INVALID 6

typedef uintptr_t apir_buffer_type_host_handle_t;
typedef uintptr_t apir_buffer_host_handle_t;
