// Compiles against the three headers that apir-codegen generates at build
// time, and walks the host's dispatch table.
//
// The generated headers use ggml's and the virtgpu backend's types without
// including anything; in ggml those come from ggml.h and the backend's own
// headers. Small stand-ins take their place here.

#include <cstddef>
#include <cstdint>
#include <cstdio>

// Guest side (virtgpu-forward.gen.h).
struct virtgpu;
struct ggml_tensor;
struct ggml_cgraph;
enum ggml_status { GGML_STATUS_SUCCESS = 0 };
typedef uintptr_t apir_buffer_type_host_handle_t;
typedef struct {
    uintptr_t host_handle;
} apir_buffer_context_t;

// Host side (backend-dispatched.gen.h).
struct apir_encoder;
struct apir_decoder;
struct virgl_apir_context;
typedef uint32_t (*backend_dispatch_t)(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx);

#include "backend/shared/apir_backend.gen.h"
#include "backend/backend-dispatched.gen.h"
#include "virtgpu-forward.gen.h"

// The host's handlers: the dispatch table refers to each of them. A real host
// decodes the arguments, calls into ggml and encodes the reply; these stubs
// only answer. A command added to the spec needs a handler here, or the link fails.
#define HANDLER(name) \
    uint32_t name(apir_encoder *, apir_decoder *, virgl_apir_context *) { return 0; }

HANDLER(backend_device_get_device_count)
HANDLER(backend_device_get_count)
HANDLER(backend_device_get_name)
HANDLER(backend_device_get_description)
HANDLER(backend_device_get_type)
HANDLER(backend_device_get_memory)
HANDLER(backend_device_supports_op)
HANDLER(backend_device_get_buffer_type)
HANDLER(backend_device_get_props)
HANDLER(backend_device_buffer_from_ptr)
HANDLER(backend_buffer_type_get_name)
HANDLER(backend_buffer_type_get_alignment)
HANDLER(backend_buffer_type_get_max_size)
HANDLER(backend_buffer_type_is_host)
HANDLER(backend_buffer_type_alloc_buffer)
HANDLER(backend_buffer_type_get_alloc_size)
HANDLER(backend_buffer_get_base)
HANDLER(backend_buffer_set_tensor)
HANDLER(backend_buffer_get_tensor)
HANDLER(backend_buffer_cpy_tensor)
HANDLER(backend_buffer_clear)
HANDLER(backend_buffer_free_buffer)
HANDLER(backend_backend_graph_compute)

int main() {
    int failures = 0;
    std::printf("%d commands\n", (int) APIR_BACKEND_DISPATCH_TABLE_COUNT);
    for (int i = 0; i < APIR_BACKEND_DISPATCH_TABLE_COUNT; i++) {
        ApirBackendCommandType command = (ApirBackendCommandType) i;
        uint32_t               status  = apir_backend_dispatch_table[command](nullptr, nullptr, nullptr);
        std::printf("%2d %s\n", i, apir_dispatch_command_name(command));
        failures += status != 0;
    }
    return failures == 0 ? 0 : 1;
}
