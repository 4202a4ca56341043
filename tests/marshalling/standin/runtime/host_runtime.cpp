// The host side of the stand-in runtime: dispatcher, buffer tracking, tensor deserialization,
// virgl's callbacks, and a memory-backed buffer type.
#include "backend-dispatched.h"
#include "standin.h"

#include <cstring>
#include <memory>
#include <unordered_set>
#include <vector>

ggml_backend_reg_t reg = nullptr;
ggml_backend_dev_t dev = nullptr;
ggml_backend_t     bck = nullptr;

namespace {

std::unordered_set<ggml_backend_buffer_t>  tracked;
std::vector<std::unique_ptr<ggml_tensor>>  tensors;

const char * standin_get_config(uint32_t ctx_id, const char * key) {
    GGML_UNUSED(ctx_id);
    GGML_UNUSED(key);
    return nullptr;
}

void * standin_get_shmem_ptr(uint32_t ctx_id, uint32_t res_id) {
    GGML_UNUSED(ctx_id);
    return standin_shmem_ptr(res_id);
}

virgl_apir_callbacks callbacks = { standin_get_config, standin_get_shmem_ptr };

// ---- the memory buffer type ----

const char * memory_get_name(ggml_backend_buffer_type_t buft) {
    GGML_UNUSED(buft);
    return "standin";
}

const char * memory_get_host_name(ggml_backend_buffer_type_t buft) {
    GGML_UNUSED(buft);
    return "standin_host";
}

void memory_free_buffer(ggml_backend_buffer_t buffer) {
    free(buffer->context);
    delete buffer;
}

void * memory_get_base(ggml_backend_buffer_t buffer) {
    return buffer->context;
}

void memory_set_tensor(ggml_backend_buffer_t buffer, ggml_tensor * tensor, const void * data, size_t offset,
                       size_t size) {
    GGML_UNUSED(buffer);
    memcpy((char *) tensor->data + offset, data, size);
}

void memory_get_tensor(ggml_backend_buffer_t buffer, const ggml_tensor * tensor, void * data, size_t offset,
                       size_t size) {
    GGML_UNUSED(buffer);
    memcpy(data, (const char *) tensor->data + offset, size);
}

bool memory_cpy_tensor(ggml_backend_buffer_t buffer, const ggml_tensor * src, ggml_tensor * dst) {
    GGML_UNUSED(buffer);
    memcpy(dst->data, src->data, ggml_nbytes(src));
    return true;
}

void memory_clear(ggml_backend_buffer_t buffer, uint8_t value) {
    memset(buffer->context, value, buffer->size);
}

ggml_backend_buffer_t memory_alloc_buffer(ggml_backend_buffer_type_t buft, size_t size) {
    ggml_backend_buffer * buffer = new ggml_backend_buffer();
    buffer->iface.free_buffer    = memory_free_buffer;
    buffer->iface.get_base       = memory_get_base;
    buffer->iface.set_tensor     = memory_set_tensor;
    buffer->iface.get_tensor     = memory_get_tensor;
    buffer->iface.cpy_tensor     = memory_cpy_tensor;
    buffer->iface.clear          = memory_clear;
    buffer->buft                 = buft;
    buffer->context              = aligned_alloc(32, (size + 31) & ~(size_t) 31);
    buffer->size                 = size;
    memset(buffer->context, 0, size);
    return buffer;
}

size_t memory_get_alignment(ggml_backend_buffer_type_t buft) {
    GGML_UNUSED(buft);
    return 32;
}

}  // namespace

ggml_backend_buffer_type_t standin_buffer_type(void) {
    static ggml_backend_buffer_type buft = {
        { memory_get_name, memory_alloc_buffer, memory_get_alignment, nullptr, nullptr, nullptr },
        nullptr,
        nullptr,
    };
    return &buft;
}

ggml_backend_buffer_type_t standin_host_buffer_type(void) {
    static ggml_backend_buffer_type buft = {
        { memory_get_host_name, memory_alloc_buffer, memory_get_alignment, nullptr, nullptr, nullptr },
        nullptr,
        nullptr,
    };
    return &buft;
}

ggml_backend_buffer_type_t ggml_backend_dev_buffer_type(ggml_backend_dev_t device) {
    GGML_UNUSED(device);
    return standin_buffer_type();
}

ggml_backend_buffer_type_t ggml_backend_dev_host_buffer_type(ggml_backend_dev_t device) {
    GGML_UNUSED(device);
    return standin_host_buffer_type();
}

size_t ggml_backend_buffer_get_size(ggml_backend_buffer_t buffer) {
    return buffer->size;
}

void ggml_backend_buffer_free(ggml_backend_buffer_t buffer) {
    if (buffer) {
        buffer->iface.free_buffer(buffer);
    }
}

ggml_backend_buffer_t standin_host_buffer(size_t size) {
    ggml_backend_buffer_t buffer = memory_alloc_buffer(standin_buffer_type(), size);
    apir_track_backend_buffer(buffer);
    return buffer;
}

void apir_track_backend_buffer(ggml_backend_buffer_t buffer) {
    tracked.insert(buffer);
}

bool apir_untrack_backend_buffer(ggml_backend_buffer_t buffer) {
    return tracked.erase(buffer) == 1;
}

std::unordered_set<ggml_backend_buffer_t> apir_get_track_backend_buffers() {
    return tracked;
}

ggml_tensor * apir_deserialize_tensor(ggml_context * ctx, const apir_rpc_tensor * in) {
    GGML_ASSERT(in->type < GGML_TYPE_COUNT);
    ggml_tensor * t = nullptr;
    if (ctx) {  // as ggml's: the tensor belongs to the context
        t = ggml_new_tensor_4d(ctx, (ggml_type) in->type, 1, 1, 1, 1);
    } else {
        tensors.push_back(std::make_unique<ggml_tensor>());
        t = tensors.back().get();
    }
    memset(t, 0, sizeof(*t));
    t->type = (ggml_type) in->type;
    for (int i = 0; i < GGML_MAX_DIMS; i++) {
        t->ne[i] = in->ne[i];
        t->nb[i] = in->nb[i];
    }
    t->buffer = (ggml_backend_buffer_t) (uintptr_t) in->buffer;
    if (t->buffer && !tracked.count(t->buffer)) {
        t->buffer = nullptr;  // ggml prints a warning and goes on with data = the raw offset
    }
    uint64_t data = in->data;
    if (t->buffer) {
        const uint64_t start = (uint64_t) (uintptr_t) t->buffer->iface.get_base(t->buffer);
        const uint64_t size  = ggml_nbytes(t);
        data += start;
        GGML_ASSERT(data + size >= data);
        GGML_ASSERT(data >= start && data + size <= start + t->buffer->size);
    }
    t->op = (ggml_op) in->op;
    memcpy(t->op_params, in->op_params, sizeof(t->op_params));
    t->flags = in->flags;
    t->data  = (void *) (uintptr_t) data;
    memcpy(t->name, in->name, sizeof(t->name));
    t->name[sizeof(t->name) - 1] = '\0';
    return t;
}

void standin_host_reset(void) {
    tensors.clear();
}

extern "C" uint32_t apir_backend_dispatcher(uint32_t ctx_id, virgl_apir_callbacks * cbs, uint32_t cmd_type,
                                            char * dec_cur, const char * dec_end, char * enc_cur,
                                            const char * enc_end, char ** enc_cur_after) {
    apir_encoder       enc = { enc_cur, enc_cur, enc_end, false };
    apir_decoder       dec = { dec_cur, dec_end, false };
    virgl_apir_context ctx = { ctx_id, cbs };
    *enc_cur_after         = enc_cur;
    if (cmd_type >= APIR_BACKEND_DISPATCH_TABLE_COUNT) {
        GGML_LOG_ERROR(GGML_VIRTGPU_BCK "%s: Received an invalid dispatch index (%u >= %d)\n", __func__, cmd_type,
                       (int) APIR_BACKEND_DISPATCH_TABLE_COUNT);
        return APIR_BACKEND_FORWARD_INDEX_INVALID;
    }
    uint32_t ret   = apir_backend_dispatch_table[cmd_type](&enc, &dec, &ctx);
    *enc_cur_after = enc.cur;
    return ret;
}

uint32_t standin_host_dispatch(uint32_t cmd, const void * body, size_t size, std::vector<char> * reply) {
    char * request = (char *) malloc(size ? size : 1);  // exactly as long as the request: reading past it is a bug
    memcpy(request, body, size);
    std::vector<char> out(0x4000 - sizeof(uint32_t), 0);  // ggml's reply page, after its notification word
    char *            after = out.data();
    uint32_t ret = apir_backend_dispatcher(1, &callbacks, cmd, request, request + size, out.data(),
                                           out.data() + out.size(), &after);
    free(request);
    reply->assign(out.data(), after);
    return ret;
}
