// The stand-in runtime's own API: what tests use around ggml's names.
//
// Neutral: includes neither side's headers, so guest code, host code and a
// test's main() can all include it. Link runtime/standin_common.cpp,
// runtime/guest_transport.cpp (a guest translation unit) and
// runtime/host_runtime.cpp (a host translation unit) with the code under test.
#pragma once

#include "ggml-backend.h"
#include "ggml.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

struct virtgpu;

// ---- shared-memory objects (virtgpu blob resources), zeroed, page-aligned; ids 1, 2, ... never reused ----
uint32_t standin_shmem_create(size_t size, void ** ptr);
void     standin_shmem_destroy(uint32_t res_id);
void *   standin_shmem_ptr(uint32_t res_id);   // NULL when unknown
size_t   standin_shmem_size(uint32_t res_id);  // 0 when unknown
size_t   standin_shmem_live(void);             // how many objects exist (leak checks)

// ---- guest ----
// A device whose data_shmem holds `data_shmem_size` bytes (ggml: 24 MiB; small ones reach the
// temporary-object path cheaply). The reply page is SHMEM_REPLY_SIZE bytes.
virtgpu * standin_create_virtgpu(size_t data_shmem_size);
void      standin_destroy_virtgpu(virtgpu * gpu);
// A guest buffer whose context is a ggml_backend_remoting_buffer_context (what apir_serialize_tensor
// and apir_encode_ggml_tensor_inline read), for the given host handle and base address.
ggml_backend_buffer_t standin_guest_buffer(virtgpu * gpu, uint64_t host_handle, void * base, size_t size);
void                  standin_free_guest_buffer(ggml_backend_buffer_t buffer);

// What the transport saw last: request (with its 12-byte header), the handler's status, reply payload.
const std::vector<char> & standin_last_request(void);
uint32_t                  standin_last_status(void);
const std::vector<char> & standin_last_reply(void);
uint32_t                  standin_calls(void);

// ---- host ----
// Runs command `cmd` on a request body (after the header), copied into an allocation of exactly its
// size; the reply payload goes to `reply`. Returns the handler's status (or ggml's
// APIR_BACKEND_FORWARD_INDEX_INVALID for an unknown command).
uint32_t standin_host_dispatch(uint32_t cmd, const void * body, size_t size, std::vector<char> * reply);
// A host buffer of the stand-in buffer type, tracked (a valid buffer handle).
ggml_backend_buffer_t standin_host_buffer(size_t size);
// Frees the tensors apir_deserialize_tensor made.
void standin_host_reset(void);

// ---- tensors ----
// A contiguous tensor: type, ne (missing dimensions 1), strides, name; everything else zero.
void standin_init_tensor(ggml_tensor * tensor, ggml_type type, int64_t ne0, int64_t ne1, const char * name);

// ---- ggml's log (GGML_LOG_*): kept in memory, not printed unless STANDIN_VERBOSE is set ----
size_t              standin_log_count(void);
const std::string & standin_last_log(void);
