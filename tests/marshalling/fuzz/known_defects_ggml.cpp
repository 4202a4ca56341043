// Requests (tokens replaced by host addresses, as the handler sees them) that reach a defect inside ggml's
// own code (not in generated code), which the harness counts and skips instead of running, so that fuzzing
// goes on past it. Each stays a strict xfail with its minimal request (test_ggml_fuzz.py,
// test_ggml_generated.py).
//
// The CPU backend's supports_op dereferences the sources an op needs without looking: an inline tensor
// whose first missing source comes before the ones its op reads crashes the host. (The generated decoder
// cannot know which sources an op needs; it keeps the sources up to the first missing one, as ggml's.)
#include "backend-dispatched.h"

#include <cstring>

static int needed_sources(uint32_t op) {
    switch (op) {
        case GGML_OP_MUL_MAT:
        case GGML_OP_SOFT_MAX_BACK:
        case GGML_OP_IM2COL_BACK:
        case GGML_OP_OUT_PROD:
            return 2;
        case GGML_OP_GET_ROWS_BACK:
        case GGML_OP_CONV_2D:
            return 1;
        default:
            return 0;
    }
}

extern "C" bool apir_fuzz_known_defect(uint32_t cmd, const char * request, size_t size) {
    if (cmd != APIR_COMMAND_TYPE_DEVICE_SUPPORTS_OP || size < sizeof(ggml_tensor)) {
        return false;
    }
    ggml_tensor head;
    memcpy((void *) &head, request, sizeof(head));
    uint32_t op = 0;
    memcpy(&op, (const char *) &head + offsetof(ggml_tensor, op), sizeof(op));
    int present = 0;
    while (present < GGML_MAX_SRC && head.src[present]) {
        present++;
    }
    return present < needed_sources(op);
}
