// The neutral part of the harness: shared-memory table, log, address book.
#include "harness.h"

#include <ggml.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {

struct shmem_object {
    void * ptr;
    size_t size;
};

std::map<uint32_t, shmem_object> shmem_table;
uint32_t                         next_res_id = 1;
FILE *                           log_file    = nullptr;

}  // namespace

uint32_t harness_shmem_create(size_t size, void ** ptr) {
    // page-aligned like the mmap()ed blob it stands for (ggml's buffer_from_host_ptr asserts alignment)
    const size_t page    = 4096;
    const size_t rounded = size ? (size + page - 1) / page * page : page;
    void *       mem     = aligned_alloc(page, rounded);
    if (!mem) {
        return 0;
    }
    memset(mem, 0, rounded);
    uint32_t res_id      = next_res_id++;
    shmem_table[res_id]  = { mem, size };
    *ptr                 = mem;
    char name[32];
    snprintf(name, sizeof(name), "shmem#%u", res_id);
    harness_region_add(name, mem, size);
    return res_id;
}

void harness_shmem_destroy(uint32_t res_id) {
    auto it = shmem_table.find(res_id);
    if (it == shmem_table.end()) {
        harness_log("note shmem_destroy of unknown res %u", res_id);
        return;
    }
    char name[32];
    snprintf(name, sizeof(name), "shmem#%u", res_id);
    harness_region_del(name, it->second.ptr);
    free(it->second.ptr);
    shmem_table.erase(it);
}

void * harness_shmem_ptr(uint32_t res_id) {
    auto it = shmem_table.find(res_id);
    return it == shmem_table.end() ? nullptr : it->second.ptr;
}

size_t harness_shmem_size(uint32_t res_id) {
    auto it = shmem_table.find(res_id);
    return it == shmem_table.end() ? 0 : it->second.size;
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
