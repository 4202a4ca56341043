// Shared by the mini host and the mini test program: what `inspect` computes from a tensor.
#pragma once

#include "ggml.h"

#include <cstdint>

static inline uint64_t mini_mix(uint64_t h, uint64_t v) {
    return (h ^ v) * 0x100000001b3ULL;
}

// A digest of what arrived: shape, op, name, view source and sources (not the buffer: ggml's
// apir_encode_ggml_buffer_handle sends an address, so the host never sees the guest's buffer).
static inline uint64_t mini_inspect(const ggml_tensor * t) {
    uint64_t h = 0xcbf29ce484222325ULL;
    h          = mini_mix(h, (uint64_t) t->type);
    for (int i = 0; i < GGML_MAX_DIMS; i++) {
        h = mini_mix(h, (uint64_t) t->ne[i]);
    }
    h = mini_mix(h, (uint64_t) t->op);
    for (const char * p = t->name; *p; p++) {
        h = mini_mix(h, (uint64_t) (unsigned char) *p);
    }
    if (t->view_src) {
        h = mini_mix(h, 0x1000 + (uint64_t) t->view_src->ne[0]);
    }
    for (int i = 0; i < GGML_MAX_SRC && t->src[i]; i++) {
        h = mini_mix(h, 0x2000 + (uint64_t) t->src[i]->type * 0x100 + (uint64_t) t->src[i]->ne[0]);
    }
    return h;
}
