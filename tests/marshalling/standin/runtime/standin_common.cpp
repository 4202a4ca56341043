// The neutral part of the stand-in runtime: shared memory, ggml's log and abort, tensors.
#include "shmem_table.h"
#include "standin.h"

#include <cstdarg>
#include <cstring>
#include <memory>
#include <vector>

struct ggml_context {
    std::vector<std::unique_ptr<ggml_tensor>> tensors;
};

namespace {

shmem_table objects;
size_t      log_count = 0;
std::string last_log;

}  // namespace

uint32_t standin_shmem_create(size_t size, void ** ptr) {
    return objects.create(size, ptr);
}

void standin_shmem_destroy(uint32_t res_id) {
    objects.destroy(res_id);
}

void * standin_shmem_ptr(uint32_t res_id) {
    return objects.ptr(res_id);
}

size_t standin_shmem_size(uint32_t res_id) {
    return objects.size(res_id);
}

size_t standin_shmem_live(void) {
    return objects.live();
}

void standin_init_tensor(ggml_tensor * tensor, ggml_type type, int64_t ne0, int64_t ne1, const char * name) {
    memset(tensor, 0, sizeof(*tensor));
    tensor->type  = type;
    tensor->ne[0] = ne0;
    tensor->ne[1] = ne1;
    tensor->ne[2] = tensor->ne[3] = 1;
    tensor->nb[0]                 = ggml_type_size(type);
    for (int i = 1; i < GGML_MAX_DIMS; i++) {
        tensor->nb[i] = tensor->nb[i - 1] * (size_t) tensor->ne[i - 1];
    }
    snprintf(tensor->name, sizeof(tensor->name), "%s", name);
}

ggml_context * ggml_init(ggml_init_params params) {
    GGML_UNUSED(params);
    return new ggml_context();
}

void ggml_free(ggml_context * ctx) {
    delete ctx;
}

size_t ggml_tensor_overhead(void) {
    return sizeof(ggml_tensor) + 16;
}

ggml_tensor * ggml_new_tensor_4d(ggml_context * ctx, ggml_type type, int64_t ne0, int64_t ne1, int64_t ne2,
                                 int64_t ne3) {
    GGML_ASSERT(ctx);
    ctx->tensors.push_back(std::make_unique<ggml_tensor>());
    ggml_tensor * t = ctx->tensors.back().get();
    memset(t, 0, sizeof(*t));
    t->type        = type;
    const int64_t ne[GGML_MAX_DIMS] = { ne0, ne1, ne2, ne3 };
    for (int i = 0; i < GGML_MAX_DIMS; i++) {
        t->ne[i] = ne[i];
        t->nb[i] = i == 0 ? ggml_type_size(type) : t->nb[i - 1] * (size_t) ne[i - 1];
    }
    return t;
}

void ggml_log_internal(enum ggml_log_level level, const char * format, ...) {
    char    text[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof(text), format, args);
    va_end(args);
    log_count++;
    last_log = text;
    if (getenv("STANDIN_VERBOSE")) {
        fprintf(stderr, "[%d] %s", (int) level, text);
    }
}

void ggml_abort(const char * file, int line, const char * format, ...) {
    fprintf(stderr, "%s:%d: ", file, line);
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    abort();
}

size_t standin_log_count(void) {
    return log_count;
}

const std::string & standin_last_log(void) {
    return last_log;
}
