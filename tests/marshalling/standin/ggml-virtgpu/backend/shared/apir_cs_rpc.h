// Stand-in for ggml's backend/shared/apir_cs_rpc.h: the serialized tensor, and the functions
// each side's runtime provides around it.
#pragma once

#include "ggml-backend-impl.h"
#include "ggml.h"

#include <cstdint>
#include <unordered_set>

// Same layout as ggml's (304 bytes): it is on the wire.
struct apir_rpc_tensor {
    uint64_t id;
    uint32_t type;
    uint64_t buffer;
    uint32_t ne[GGML_MAX_DIMS];
    uint32_t nb[GGML_MAX_DIMS];
    uint32_t op;
    int32_t  op_params[GGML_MAX_OP_PARAMS / sizeof(int32_t)];
    int32_t  flags;
    uint64_t src[GGML_MAX_SRC];
    uint64_t view_src;
    uint64_t view_offs;
    uint64_t data;
    char     name[GGML_MAX_NAME];
    char     padding[4];
};

static_assert(sizeof(apir_rpc_tensor) == 304, "apir_rpc_tensor is ggml's wire format");

/* guest (runtime/guest_transport.cpp): data as an offset from the guest buffer context's base */
apir_rpc_tensor apir_serialize_tensor(const ggml_tensor * tensor);

/* host (runtime/host_runtime.cpp) */
void                                      apir_track_backend_buffer(ggml_backend_buffer_t buffer);
bool                                      apir_untrack_backend_buffer(ggml_backend_buffer_t buffer);
std::unordered_set<ggml_backend_buffer_t> apir_get_track_backend_buffers();
// A new tensor (owned by the runtime until standin_host_reset()); an untracked buffer becomes NULL and
// leaves data as the raw offset, a tracked one rebases it (GGML_ASSERT: inside the buffer), as ggml does.
ggml_tensor * apir_deserialize_tensor(ggml_context * ctx, const apir_rpc_tensor * tensor);
