// Stand-in for ggml's backend/shared/apir_cs_ggml.h: codecs for ggml's types.
//
// As in ggml, one file for both sides, relying on helpers each side defines
// differently before including it (guest: ggml-remoting.h; host:
// backend-convert.h): ggml_buffer_type_to_apir_handle, ggml_buffer_to_apir_handle,
// BUFFER_TO_HOST_HANDLE. So guest and host code go in separate translation units.
//
// ggml's apir_encode_ggml_buffer_handle sends the address of its argument
// instead of the handle; this stand-in does the same, unless
// STANDIN_FIX_BUFFER_HANDLE is defined (then the host receives the handle).
#pragma once

#include "apir_cs.h"
#include "apir_cs_rpc.h"
#include "ggml-impl.h"

/* apir_rpc_tensor */

static inline void apir_encode_rcp_tensor(apir_encoder * enc, const apir_rpc_tensor * tensor) {
    apir_encode(enc, sizeof(*tensor), tensor, sizeof(*tensor));
}

static inline apir_rpc_tensor * apir_decode_apir_rpc_tensor_inplace(apir_decoder * dec) {
    return (apir_rpc_tensor *) (uintptr_t) apir_decoder_use_inplace(dec, sizeof(apir_rpc_tensor));
}

static inline apir_rpc_tensor * apir_decode_apir_rpc_tensor_array_inplace(apir_decoder * dec, uint32_t n_tensors) {
    return (apir_rpc_tensor *) (uintptr_t) apir_decoder_use_inplace(dec, sizeof(apir_rpc_tensor) * n_tensors);
}

/* ggml_tensor, serialized (the tensor_rpc codec) */

static inline void apir_encode_ggml_tensor(apir_encoder * enc, const ggml_tensor * tensor) {
    apir_rpc_tensor serialized = apir_serialize_tensor(tensor);
    apir_encode_rcp_tensor(enc, &serialized);
}

static inline const ggml_tensor * apir_decode_ggml_tensor(apir_decoder * dec) {
    const apir_rpc_tensor * serialized = apir_decode_apir_rpc_tensor_inplace(dec);
    if (!serialized) {
        return NULL;
    }
    return apir_deserialize_tensor(NULL, serialized);
}

/* buffer types: the host's pointer is the handle */

static inline void apir_encode_ggml_buffer_type(apir_encoder * enc, ggml_backend_buffer_type_t buft) {
    apir_buffer_type_host_handle_t handle = ggml_buffer_type_to_apir_handle(buft);
    apir_encoder_write(enc, sizeof(handle), &handle, sizeof(handle));
}

static inline ggml_backend_buffer_type_t apir_decode_ggml_buffer_type(apir_decoder * dec) {
    apir_buffer_type_host_handle_t handle;
    apir_decoder_read(dec, sizeof(handle), &handle, sizeof(handle));
    return (ggml_backend_buffer_type_t) handle;
}

static inline void apir_encode_apir_buffer_type_host_handle(apir_encoder * enc, apir_buffer_type_host_handle_t handle) {
    apir_encoder_write(enc, sizeof(handle), &handle, sizeof(handle));
}

static inline apir_buffer_type_host_handle_t apir_decode_apir_buffer_type_host_handle(apir_decoder * dec) {
    apir_buffer_type_host_handle_t handle;
    apir_decoder_read(dec, sizeof(handle), &handle, sizeof(handle));
    return handle;
}

/* buffers: the host's pointer is the handle; the host only accepts the buffers it tracks */

static inline void apir_encode_ggml_buffer(apir_encoder * enc, const ggml_backend_buffer_t buffer) {
    apir_buffer_host_handle_t handle = BUFFER_TO_HOST_HANDLE(buffer);
    apir_encoder_write(enc, sizeof(handle), &handle, sizeof(handle));
}

static inline ggml_backend_buffer_t apir_decode_ggml_buffer(apir_decoder * dec) {
    ggml_backend_buffer_t buffer;
    apir_decoder_read(dec, sizeof(buffer), &buffer, sizeof(buffer));
    if (buffer) {
        std::unordered_set<ggml_backend_buffer_t> tracked = apir_get_track_backend_buffers();
        if (!tracked.count(buffer)) {
            GGML_LOG_WARN("ggml-virtgpu-backend: %s: Invalid buffer handle from guest: %p\n", __func__,
                          (void *) buffer);
            apir_decoder_set_fatal(dec);
            return NULL;
        }
    }
    return buffer;
}

/* ggml_status */

static inline void apir_encode_ggml_status(apir_encoder * enc, const ggml_status * status) {
    apir_encoder_write(enc, sizeof(*status), status, sizeof(*status));
}

static inline void apir_decode_ggml_status(apir_decoder * dec, ggml_status * status) {
    apir_decoder_read(dec, sizeof(*status), status, sizeof(*status));
}

/* shared memory: the resource id */

static inline void apir_encode_virtgpu_shmem_res_id(apir_encoder * enc, uint32_t shmem_res_id) {
    apir_encode_uint32_t(enc, &shmem_res_id);
}

static inline void apir_decode_virtgpu_shmem_res_id(apir_decoder * dec, uint32_t * shmem_res_id) {
    apir_decode_uint32_t(dec, shmem_res_id);
}

/* ggml_tensor, inline (the tensor_inline codec): the struct itself, its buffer's handle, view_src, src[] */

static inline void apir_encode_ggml_buffer_handle(apir_encoder * enc, const apir_buffer_host_handle_t * handle) {
#ifdef STANDIN_FIX_BUFFER_HANDLE
    apir_encoder_write(enc, sizeof(*handle), handle, sizeof(*handle));
#else
    apir_encoder_write(enc, sizeof(*handle), &handle, sizeof(*handle));  // ggml's: the address, not the handle
#endif
}

static inline void apir_encode_ggml_tensor_inline(apir_encoder * enc, const ggml_tensor * tensor) {
    if (tensor->extra) {
        GGML_ABORT("%s: Cannot pass tensors with extra", __func__);
    }
    apir_encoder_write(enc, sizeof(*tensor), tensor, sizeof(*tensor));
    if (tensor->buffer) {
        apir_buffer_host_handle_t buffer_handle = ggml_buffer_to_apir_handle(tensor->buffer);
        apir_encode_ggml_buffer_handle(enc, &buffer_handle);
    }
    if (tensor->view_src) {
        apir_encoder_write(enc, sizeof(*tensor), tensor->view_src, sizeof(*tensor));
    }
    for (int i = 0; i < GGML_MAX_SRC && tensor->src[i]; i++) {
        apir_encoder_write(enc, sizeof(*tensor), tensor->src[i], sizeof(*tensor));
    }
}

// In place: the returned tensor lives in the request, its buffer/view_src/src[] rewritten.
// Like ggml's, a request cut inside the first tensor makes it dereference NULL.
static inline const ggml_tensor * apir_decode_ggml_tensor_inplace(apir_decoder * dec) {
    ggml_tensor * tensor = (ggml_tensor *) (uintptr_t) apir_decoder_use_inplace(dec, sizeof(ggml_tensor));
    if (tensor->buffer) {
        tensor->buffer = apir_decode_ggml_buffer(dec);
    }
    if (tensor->view_src) {
        tensor->view_src = (ggml_tensor *) (uintptr_t) apir_decoder_use_inplace(dec, sizeof(ggml_tensor));
    }
    for (int i = 0; i < GGML_MAX_SRC && tensor->src[i]; i++) {
        tensor->src[i] = (ggml_tensor *) (uintptr_t) apir_decoder_use_inplace(dec, sizeof(ggml_tensor));
    }
    return tensor;
}
