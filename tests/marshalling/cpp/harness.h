// The test harness that links ggml's virtgpu guest code and host code into one
// program, without a VM. This header is neutral: it includes neither side's
// headers (apir_cs_ggml.h is defined differently on each side), so guest and
// host translation units meet only through these functions.
#pragma once

#include <cstddef>
#include <cstdint>

// ---- shared-memory objects: the in-memory stand-in for virtgpu blob resources ----

// A zeroed object of `size` bytes; returns its resource id (1, 2, 3, ... never reused).
uint32_t harness_shmem_create(size_t size, void ** ptr);
void     harness_shmem_destroy(uint32_t res_id);
void *   harness_shmem_ptr(uint32_t res_id);   // NULL when unknown (what virgl's get_shmem_ptr does)
size_t   harness_shmem_size(uint32_t res_id);  // 0 when unknown

// ---- the host side (host_shim.cpp) ----

// Loads ggml's CPU backend through apir_backend_initialize(), as virglrenderer
// does (the library path comes from the environment variable HARNESS_GGML_CPU_LIB).
// Returns 0 on success.
int  harness_host_init(void);
void harness_host_deinit(void);

// Runs forward command `cmd` through apir_backend_dispatcher() on the request
// body `req` (after the 12-byte header); the handler writes its reply into
// `reply`. Returns what the dispatcher returns (the handler's status).
uint32_t harness_host_dispatch(uint32_t cmd,
                               char *   req,
                               size_t   req_len,
                               char *   reply,
                               size_t   reply_cap,
                               size_t * reply_len);

// Names the host objects that appeared or vanished since the last call in the
// log's address book (tracked buffers, their data, buffer types).
void harness_host_update_regions(void);

// ---- the log (harness_common.cpp) ----
//
// A line-oriented text file; tests/marshalling/scenario_log.py renders it with
// addresses replaced by the names of the regions that hold them, so that two
// runs (and two builds) compare byte for byte.

void harness_log_open(const char * path);
void harness_log_close(void);
void harness_log(const char * fmt, ...) __attribute__((format(printf, 1, 2)));
void harness_log_bytes(const char * tag, const void * data, size_t size);

// A named address range. A name starting with '<' is printed without an offset
// (used for the stack, whose layout differs between builds).
void harness_region_add(const char * name, const void * start, size_t size);
void harness_region_del(const char * name, const void * start);

// Sends ggml's log (GGML_LOG_*) into the log file, as `ggml <level> <text>` lines.
void harness_capture_ggml_log(void);

// FNV-1a, to log large data compactly.
uint64_t harness_fnv1a(const void * data, size_t size);
