// The fuzz harness's two hooks for the stand-in runtime (a host translation unit): the stand-in has
// no backend to load, and its buffers are tracked memory buffers.
#include "backend-dispatched.h"
#include "standin.h"

uint32_t apir_fuzz_initialize(uint32_t ctx_id, virgl_apir_callbacks * callbacks) {
    GGML_UNUSED(ctx_id);
    GGML_UNUSED(callbacks);
    return 0;
}

ggml_backend_buffer_t apir_fuzz_new_buffer(size_t size) {
    return standin_host_buffer(size);
}
