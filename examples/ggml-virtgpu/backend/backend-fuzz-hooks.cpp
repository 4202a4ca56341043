// The two functions the generated fuzz harness (backend-fuzz.gen.cpp, from `marshalling: fuzz_output`) asks of
// the program that links it, for ggml's backend: load the backend as virglrenderer does, and make a tracked
// buffer as the alloc_buffer handler does.
//
// A libFuzzer target is these, the harness, the backend's sources and ggml-base:
//
//     clang++ -fsanitize=fuzzer,address,undefined backend-fuzz.gen.cpp backend-fuzz-hooks.cpp <backend sources> -lggml-base
//     APIR_LLAMA_CPP_GGML_LIBRARY_PATH=libggml-cpu.so ./fuzzer -max_len=4096 corpus/

#include <cstdlib>
#include <cstring>

#include "backend-dispatched.h"
#include "backend-virgl-apir.h"
#include "ggml-backend-impl.h"

// The backend library and its registration function, from ggml's own environment variables.
static const char * fuzz_get_config(uint32_t virgl_ctx_id, const char * key) {
    GGML_UNUSED(virgl_ctx_id);
    if (strcmp(key, "ggml.library.path") == 0) {
        return getenv("APIR_LLAMA_CPP_GGML_LIBRARY_PATH");
    }
    if (strcmp(key, "ggml.library.reg") == 0) {
        const char * reg = getenv("APIR_LLAMA_CPP_GGML_LIBRARY_REG");
        return reg ? reg : "ggml_backend_cpu_reg";
    }
    return NULL;
}

uint32_t apir_fuzz_initialize(uint32_t ctx_id, virgl_apir_callbacks * callbacks) {
    callbacks->get_config               = fuzz_get_config;
    const ApirLoadLibraryReturnCode ret = apir_backend_initialize(ctx_id, callbacks);
    return ret == APIR_LOAD_LIBRARY_INIT_BASE_INDEX + APIR_BACKEND_INITIALIZE_SUCCESS ? 0 : 1;
}

ggml_backend_buffer_t apir_fuzz_new_buffer(size_t size) {
    ggml_backend_buffer_t buffer = ggml_backend_buft_alloc_buffer(ggml_backend_dev_buffer_type(dev), size);
    if (!buffer) {
        GGML_ABORT("apir_fuzz: cannot allocate a buffer of %zu bytes", size);
    }
    apir_track_backend_buffer(buffer);
    return buffer;
}
