// Stand-in for ggml.h: the types and helpers ggml-virtgpu's marshalling touches, nothing else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define GGML_MAX_DIMS      4
#define GGML_MAX_SRC       10
#define GGML_MAX_OP_PARAMS 64
#define GGML_MAX_NAME      64

#define GGML_UNUSED(x) (void) (x)

enum ggml_type {
    GGML_TYPE_F32   = 0,
    GGML_TYPE_F16   = 1,
    GGML_TYPE_I32   = 26,
    GGML_TYPE_COUNT = 40,
};

enum ggml_op {
    GGML_OP_NONE = 0,
    GGML_OP_ADD  = 2,
    GGML_OP_COUNT = 96,
};

enum ggml_status {
    GGML_STATUS_ALLOC_FAILED = -2,
    GGML_STATUS_FAILED       = -1,
    GGML_STATUS_SUCCESS      = 0,
    GGML_STATUS_ABORTED      = 1,
};

enum ggml_log_level {
    GGML_LOG_LEVEL_NONE  = 0,
    GGML_LOG_LEVEL_DEBUG = 1,
    GGML_LOG_LEVEL_INFO  = 2,
    GGML_LOG_LEVEL_WARN  = 3,
    GGML_LOG_LEVEL_ERROR = 4,
    GGML_LOG_LEVEL_CONT  = 5,
};

struct ggml_backend_buffer;
struct ggml_context;
struct ggml_cgraph;

// The same fields, in the same order, as ggml's: apir_encode_ggml_tensor_inline sends it raw.
struct ggml_tensor {
    enum ggml_type               type;
    struct ggml_backend_buffer * buffer;
    int64_t                      ne[GGML_MAX_DIMS];
    size_t                       nb[GGML_MAX_DIMS];
    enum ggml_op                 op;
    int32_t                      op_params[GGML_MAX_OP_PARAMS / sizeof(int32_t)];
    int32_t                      flags;
    struct ggml_tensor *         src[GGML_MAX_SRC];
    struct ggml_tensor *         view_src;
    size_t                       view_offs;
    void *                       data;
    char                         name[GGML_MAX_NAME];
    void *                       extra;
    char                         padding[8];
};

// Element sizes of the stand-in's types (F32, F16, I32); other types count as 1 byte.
static inline size_t ggml_type_size(enum ggml_type type) {
    return type == GGML_TYPE_F32 || type == GGML_TYPE_I32 ? 4 : type == GGML_TYPE_F16 ? 2 : 1;
}

static inline size_t ggml_nbytes(const struct ggml_tensor * tensor) {
    size_t bytes = ggml_type_size(tensor->type);
    for (int i = 0; i < GGML_MAX_DIMS; i++) {
        bytes += (size_t) (tensor->ne[i] - 1) * tensor->nb[i];
    }
    return bytes;
}

// ggml's sizes of blocks: 1 for every type the stand-in accepts (every value below GGML_TYPE_COUNT).
static inline int64_t ggml_blck_size(enum ggml_type type) {
    return (int) type >= 0 && type < GGML_TYPE_COUNT ? 1 : 0;
}

// Contexts: an arena of tensors (no data is ever allocated: no_alloc), freed with the context.
struct ggml_init_params {
    size_t mem_size;
    void * mem_buffer;
    bool   no_alloc;
};

struct ggml_context * ggml_init(struct ggml_init_params params);
void                  ggml_free(struct ggml_context * ctx);
size_t                ggml_tensor_overhead(void);
// A contiguous tensor without data (the stand-in's contexts never allocate).
struct ggml_tensor *  ggml_new_tensor_4d(struct ggml_context * ctx, enum ggml_type type, int64_t ne0, int64_t ne1,
                                         int64_t ne2, int64_t ne3);

void ggml_log_internal(enum ggml_log_level level, const char * format, ...) __attribute__((format(printf, 2, 3)));

#define GGML_LOG_INFO(...)  ggml_log_internal(GGML_LOG_LEVEL_INFO, __VA_ARGS__)
#define GGML_LOG_WARN(...)  ggml_log_internal(GGML_LOG_LEVEL_WARN, __VA_ARGS__)
#define GGML_LOG_ERROR(...) ggml_log_internal(GGML_LOG_LEVEL_ERROR, __VA_ARGS__)

[[noreturn]] void ggml_abort(const char * file, int line, const char * format, ...) __attribute__((format(printf, 3, 4)));

#define GGML_ABORT(...) ggml_abort(__FILE__, __LINE__, __VA_ARGS__)
#define GGML_ASSERT(x)                                 \
    do {                                               \
        if (!(x)) {                                    \
            GGML_ABORT("GGML_ASSERT(%s) failed", #x);  \
        }                                              \
    } while (0)
