// Hooks that break the harness's invariants on purpose, to prove that it notices (test_fuzz_standin.py):
// clear writes the buffer and then fails for every value but 0x3c; scalars answers differently each time.
#include "backend-dispatched-impl.gen.h"
#include "ggml-backend-impl.h"

#include <cstring>

uint32_t backend_buffer_clear_impl(virgl_apir_context * ctx, ggml_backend_buffer_t buffer, uint8_t value) {
    GGML_UNUSED(ctx);
    memset(buffer->iface.get_base(buffer), value, buffer->size);
    return value == 0x3c ? 0 : 1;
}

uint32_t backend_demo_scalars_impl(virgl_apir_context * ctx, int32_t a, uint64_t b, bool c, uint8_t d,
                                   uint32_t * result) {
    static uint32_t calls = 0;
    GGML_UNUSED(ctx);
    *result = (uint32_t) a ^ (uint32_t) b ^ (c ? 1u : 0u) ^ d ^ calls++;
    return 0;
}
