// Stand-in for ggml-backend.h: the handle types.
#pragma once

#include "ggml.h"

typedef struct ggml_backend_buffer_type * ggml_backend_buffer_type_t;
typedef struct ggml_backend_buffer *      ggml_backend_buffer_t;
typedef struct ggml_backend_reg *         ggml_backend_reg_t;
typedef struct ggml_backend_device *      ggml_backend_dev_t;
typedef struct ggml_backend *             ggml_backend_t;

enum ggml_backend_buffer_usage {
    GGML_BACKEND_BUFFER_USAGE_ANY     = 0,
    GGML_BACKEND_BUFFER_USAGE_WEIGHTS = 1,
    GGML_BACKEND_BUFFER_USAGE_COMPUTE = 2,
};

size_t ggml_backend_buffer_get_size(ggml_backend_buffer_t buffer);
void   ggml_backend_buffer_free(ggml_backend_buffer_t buffer);
// The device's buffer types (host side; `dev` is NULL in the stand-in, which has one device):
// standin_buffer_type() and standin_host_buffer_type().
ggml_backend_buffer_type_t ggml_backend_dev_buffer_type(ggml_backend_dev_t device);
ggml_backend_buffer_type_t ggml_backend_dev_host_buffer_type(ggml_backend_dev_t device);
