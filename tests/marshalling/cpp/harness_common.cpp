// The neutral part of the harness: shared-memory table, log, address book.
#include "harness.h"
#include "shmem_table.h"

#include <ggml.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

shmem_table shmem_objects;
FILE *      log_file = nullptr;

void shmem_region_name(char (&name)[32], uint32_t res_id) {
    snprintf(name, sizeof(name), "shmem#%u", res_id);
}

}  // namespace

uint32_t harness_shmem_create(size_t size, void ** ptr) {
    uint32_t res_id = shmem_objects.create(size, ptr);
    if (res_id) {
        char name[32];
        shmem_region_name(name, res_id);
        harness_region_add(name, *ptr, size);
    }
    return res_id;
}

void harness_shmem_destroy(uint32_t res_id) {
    void * mem = shmem_objects.ptr(res_id);
    if (!mem) {
        harness_log("note shmem_destroy of unknown res %u", res_id);
        return;
    }
    char name[32];
    shmem_region_name(name, res_id);
    harness_region_del(name, mem);
    shmem_objects.destroy(res_id);
}

void * harness_shmem_ptr(uint32_t res_id) {
    return shmem_objects.ptr(res_id);
}

size_t harness_shmem_size(uint32_t res_id) {
    return shmem_objects.size(res_id);
}

void harness_log_open(const char * path) {
    log_file = fopen(path, "w");
    if (!log_file) {
        perror(path);
        exit(2);
    }
    setvbuf(log_file, nullptr, _IOLBF, 0);  // line-buffered: a crash keeps what came before
}

void harness_log_close(void) {
    if (log_file) {
        fclose(log_file);
        log_file = nullptr;
    }
}

void harness_log(const char * fmt, ...) {
    if (!log_file) {
        return;
    }
    va_list args;
    va_start(args, fmt);
    vfprintf(log_file, fmt, args);
    va_end(args);
    fputc('\n', log_file);
}

void harness_log_bytes(const char * tag, const void * data, size_t size) {
    if (!log_file) {
        return;
    }
    fprintf(log_file, "%s %zu ", tag, size);
    const unsigned char * bytes = (const unsigned char *) data;
    for (size_t i = 0; i < size; i++) {
        fprintf(log_file, "%02x", bytes[i]);
    }
    fputc('\n', log_file);
}

void harness_region_add(const char * name, const void * start, size_t size) {
    harness_log("region+ %llx %zx %s", (unsigned long long) (uintptr_t) start, size, name);
}

void harness_region_del(const char * name, const void * start) {
    harness_log("region- %llx %s", (unsigned long long) (uintptr_t) start, name);
}

static void ggml_log_to_file(enum ggml_log_level level, const char * text, void * user_data) {
    (void) user_data;
    std::string line(text);
    while (!line.empty() && line.back() == '\n') {
        line.pop_back();
    }
    for (char & c : line) {
        if (c == '\n') {
            c = ' ';
        }
    }
    harness_log("ggml %d %s", (int) level, line.c_str());
}

void harness_capture_ggml_log(void) {
    ggml_log_set(ggml_log_to_file, nullptr);
}

uint64_t harness_fnv1a(const void * data, size_t size) {
    const unsigned char * bytes = (const unsigned char *) data;
    uint64_t              hash  = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < size; i++) {
        hash ^= bytes[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}
