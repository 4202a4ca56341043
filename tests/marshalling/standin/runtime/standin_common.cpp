// The neutral part of the stand-in runtime: shared memory, ggml's log and abort, tensors.
#include "shmem_table.h"
#include "standin.h"

#include <cstdarg>
#include <cstring>

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
