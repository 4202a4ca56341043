// The guest-side scenario: every guest function of ggml-virtgpu, in the order
// ggml's frontend uses them, with a real CPU backend behind the transport.
//
// Each call leaves in the log its request and reply bytes (transport), the
// shared-memory traffic, and here the results the guest got. Guest objects
// (tensors, buffers, the stack) are named in the log's address book so that
// the rendered log is the same in every run and every build.
//
// Usage: scenario LOG_FILE [--free-shared-buffer]
//   HARNESS_GGML_CPU_LIB must name libggml-cpu.so. --free-shared-buffer also frees the
//   buffer_from_ptr buffer and deinitializes the host, which crashes ggml's hand-written
//   host (free_buffer calls a NULL function pointer for that kind of buffer).
// Exit status: 0 when every check passed, 1 otherwise.
#include "ggml-remoting.h"
#include "harness.h"
#include "virtgpu-forward-impl.h"

#include <pthread.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char * what) {
    harness_log("check %s %s", what, ok ? "ok" : "FAILED");
    failures += ok ? 0 : 1;
}

void step(const char * what) {
    harness_log("step %s", what);
}

void result_int(const char * fn, const char * key, long long value) {
    harness_log("result %s %s=%lld", fn, key, value);
}

void result_uint(const char * fn, const char * key, unsigned long long value) {
    harness_log("result %s %s=%llu", fn, key, value);
}

void result_ptr(const char * fn, const char * key, const void * value) {
    harness_log("result %s %s=ptr:%llx", fn, key, (unsigned long long) (uintptr_t) value);
}

void result_str(const char * fn, const char * key, const char * value) {
    if (!value) {
        harness_log("result %s %s=NULL", fn, key);
        return;
    }
    std::string quoted;
    for (const char * p = value; *p; p++) {
        unsigned char c = (unsigned char) *p;
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
            char esc[8];
            snprintf(esc, sizeof(esc), "\\x%02x", c);
            quoted += esc;
        } else {
            quoted += (char) c;
        }
    }
    harness_log("result %s %s=\"%s\"", fn, key, quoted.c_str());
}

void result_data(const char * fn, const char * key, const void * data, size_t size) {
    std::string head;
    const unsigned char * bytes = (const unsigned char *) data;
    for (size_t i = 0; i < size && i < 64; i++) {
        char hex[4];
        snprintf(hex, sizeof(hex), "%02x", bytes[i]);
        head += hex;
    }
    harness_log("result %s %s=len:%zu fnv:%016" PRIx64 " head:%s", fn, key, size, harness_fnv1a(data, size),
                head.c_str());
}

// ---- the guest's view of a remote buffer, as ggml-backend-buffer-type.cpp builds it ----

void * guest_get_base(ggml_backend_buffer_t buffer) {
    return ((ggml_backend_remoting_buffer_context *) buffer->context)->base;
}

const char * guest_buft_name(ggml_backend_buffer_type_t buft) {
    (void) buft;
    return "guest";
}

ggml_backend_buffer_type guest_buft;
int                      guest_buffers = 0;

ggml_backend_buffer_t guest_buffer(virtgpu * gpu, const apir_buffer_context_t & apir_context, void * base,
                                   size_t size, bool is_from_ptr) {
    ggml_backend_remoting_buffer_context * context =
        (ggml_backend_remoting_buffer_context *) calloc(1, sizeof(*context));
    context->apir_context = apir_context;
    context->gpu          = gpu;
    context->base         = base;
    context->is_from_ptr  = is_from_ptr;
    ggml_backend_buffer_i iface;
    memset(&iface, 0, sizeof(iface));
    iface.get_base               = guest_get_base;
    ggml_backend_buffer_t buffer = ggml_backend_buffer_init(&guest_buft, iface, context, size);
    char name[64];
    snprintf(name, sizeof(name), "guest.buffer#%d", ++guest_buffers);
    harness_region_add(name, buffer, sizeof(*buffer));
    snprintf(name, sizeof(name), "guest.bufctx#%d", guest_buffers);
    harness_region_add(name, context, sizeof(*context));
    return buffer;
}

void free_guest_buffer(ggml_backend_buffer_t buffer, int number) {
    char name[64];
    snprintf(name, sizeof(name), "guest.bufctx#%d", number);
    harness_region_del(name, buffer->context);
    snprintf(name, sizeof(name), "guest.buffer#%d", number);
    harness_region_del(name, buffer);
    free(buffer->context);
    buffer->context = nullptr;
    ggml_backend_buffer_free(buffer);
}

ggml_tensor * named(ggml_tensor * tensor, const char * name) {
    ggml_set_name(tensor, name);
    std::string region = std::string("guest.tensor:") + name;
    harness_region_add(region.c_str(), tensor, sizeof(*tensor));
    return tensor;
}

void place(ggml_backend_buffer_t buffer, ggml_tensor * tensor, size_t offset) {
    if (ggml_backend_tensor_alloc(buffer, tensor, (char *) ggml_backend_buffer_get_base(buffer) + offset) !=
        GGML_STATUS_SUCCESS) {
        check(false, "ggml_backend_tensor_alloc");
    }
}

void name_stack() {
    pthread_attr_t attr;
    void *         addr = nullptr;
    size_t         size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &addr, &size);
        pthread_attr_destroy(&attr);
    }
    harness_region_add("<stack>", addr, size);
}

}  // namespace

int main(int argc, char ** argv) {
    const bool free_shared_buffer = argc == 3 && strcmp(argv[2], "--free-shared-buffer") == 0;
    if (argc != 2 && !free_shared_buffer) {
        fprintf(stderr, "usage: %s LOG_FILE [--free-shared-buffer]\n", argv[0]);
        return 2;
    }
    harness_log_open(argv[1]);
    harness_capture_ggml_log();
    name_stack();

    step("create_virtgpu (the transport; the host loads ggml's CPU backend)");
    virtgpu * gpu = create_virtgpu();
    if (!gpu) {
        check(false, "create_virtgpu");
        return 1;
    }
    harness_region_add("guest.gpu", gpu, sizeof(*gpu));

    step("device information, in the order of ggml's apir_initialize()");
    char * description = apir_device_get_description(gpu);
    result_str("apir_device_get_description", "return", description);
    free(description);
    result_int("apir_device_get_count", "return", apir_device_get_count(gpu));
    result_uint("apir_device_get_type", "return", apir_device_get_type(gpu));
    char * name = apir_device_get_name(gpu);
    result_str("apir_device_get_name", "return", name);
    free(name);
    size_t memory_free = 0, memory_total = 0;
    apir_device_get_memory(gpu, &memory_free, &memory_total);
    result_uint("apir_device_get_memory", "free", memory_free);
    result_uint("apir_device_get_memory", "total", memory_total);
    apir_buffer_type_host_handle_t buft = apir_device_get_buffer_type(gpu);
    result_ptr("apir_device_get_buffer_type", "return", (void *) buft);
    char * buft_name = apir_buffer_type_get_name(gpu, buft);
    result_str("apir_buffer_type_get_name", "return", buft_name);
    check(buft_name && strcmp(buft_name, "CPU") == 0, "the buffer type is the CPU's");
    free(buft_name);
    size_t alignment = apir_buffer_type_get_alignment(gpu, buft);
    result_uint("apir_buffer_type_get_alignment", "return", alignment);
    result_uint("apir_buffer_type_get_max_size", "return", apir_buffer_type_get_max_size(gpu, buft));

    step("device properties (ggml-backend-device.cpp, ggml-backend-buffer-type.cpp)");
    bool caps[5] = { true, true, false, true, false };  // the opposite of the CPU's answers
    apir_device_get_props(gpu, &caps[0], &caps[1], &caps[2], &caps[3], &caps[4]);
    const char * cap_names[5] = { "async", "host_buffer", "buffer_from_host_ptr", "events", "mmap_support" };
    for (int i = 0; i < 5; i++) {
        result_int("apir_device_get_props", cap_names[i], caps[i]);
    }
    check(!caps[0] && !caps[1] && caps[2] && !caps[3] && caps[4], "props are the CPU backend's");

    guest_buft.iface.get_name = guest_buft_name;
    guest_buft.context        = (void *) buft;
    harness_region_add("guest.buft", &guest_buft, sizeof(guest_buft));

    step("a buffer for small tensors");
    const size_t          small_size = 4096;
    apir_buffer_context_t ctx1       = apir_buffer_type_alloc_buffer(gpu, buft, small_size);
    result_ptr("apir_buffer_type_alloc_buffer", "host_handle", (void *) ctx1.host_handle);
    void * base1 = apir_buffer_get_base(gpu, &ctx1);
    result_ptr("apir_buffer_get_base", "return", base1);
    check(base1 != nullptr && (uintptr_t) base1 % alignment == 0, "base is aligned");
    ggml_backend_buffer_t buffer1 = guest_buffer(gpu, ctx1, base1, small_size, false);

    ggml_init_params params = {
        /*.mem_size   =*/ggml_tensor_overhead() * 16 + ggml_graph_overhead(),
        /*.mem_buffer =*/nullptr,
        /*.no_alloc   =*/true,
    };
    ggml_context * ctx = ggml_init(params);
    harness_region_add("guest.ctx", ggml_get_mem_buffer(ctx), ggml_get_mem_size(ctx));
    const int     n = 16;
    ggml_tensor * a = named(ggml_new_tensor_1d(ctx, GGML_TYPE_F32, n), "a");
    ggml_tensor * b = named(ggml_new_tensor_1d(ctx, GGML_TYPE_F32, n), "b");
    ggml_tensor * c = named(ggml_add(ctx, a, b), "c");
    ggml_tensor * d = named(ggml_new_tensor_1d(ctx, GGML_TYPE_F32, n), "d");
    place(buffer1, a, 0);
    place(buffer1, b, 128);
    place(buffer1, c, 256);
    place(buffer1, d, 384);
    ggml_tensor * w = named(ggml_new_tensor_2d(ctx, GGML_TYPE_F16, 8, 4), "w");
    ggml_tensor * x = named(ggml_new_tensor_2d(ctx, GGML_TYPE_F32, 8, 2), "x");
    ggml_tensor * e = named(ggml_mul_mat(ctx, w, x), "e");

    step("supports_op: an allocated node, then an unallocated one (as the scheduler asks)");
    result_int("apir_device_supports_op", "return(c)", apir_device_supports_op(gpu, c));
    result_int("apir_device_supports_op", "return(e)", apir_device_supports_op(gpu, e));

    step("get_alloc_size of an allocated tensor (ggml's caller only asks for those)");
    size_t alloc_size = apir_buffer_type_get_alloc_size(gpu, buft, a);
    result_uint("apir_buffer_type_get_alloc_size", "return", alloc_size);
    check(alloc_size == ggml_nbytes(a), "alloc size is ggml_nbytes");

    step("set_tensor / get_tensor through data_shmem");
    std::vector<float> va(n), vb(n), out(n);
    for (int i = 0; i < n; i++) {
        va[i] = (float) i;
        vb[i] = 100.0f + (float) (2 * i);
    }
    apir_buffer_set_tensor(gpu, &ctx1, a, va.data(), 0, ggml_nbytes(a));
    apir_buffer_set_tensor(gpu, &ctx1, b, vb.data(), 0, ggml_nbytes(b));
    const float patch[2] = { -1.5f, -2.5f };
    apir_buffer_set_tensor(gpu, &ctx1, a, patch, 2 * sizeof(float), sizeof(patch));
    va[2] = patch[0];
    va[3] = patch[1];
    apir_buffer_get_tensor(gpu, &ctx1, a, out.data(), 0, ggml_nbytes(a));
    result_data("apir_buffer_get_tensor", "data(a)", out.data(), ggml_nbytes(a));
    check(memcmp(out.data(), va.data(), ggml_nbytes(a)) == 0, "a reads back as written");
    float tail[4];
    apir_buffer_get_tensor(gpu, &ctx1, b, tail, 12 * sizeof(float), sizeof(tail));
    result_data("apir_buffer_get_tensor", "data(b[12:16])", tail, sizeof(tail));
    check(memcmp(tail, &vb[12], sizeof(tail)) == 0, "a slice of b reads back");

    step("graph_compute: c = a + b");
    ggml_cgraph * graph = ggml_new_graph(ctx);
    ggml_build_forward_expand(graph, c);
    ggml_status status = apir_backend_graph_compute(gpu, graph);
    result_int("apir_backend_graph_compute", "return", status);
    check(status == GGML_STATUS_SUCCESS, "graph computed");
    apir_buffer_get_tensor(gpu, &ctx1, c, out.data(), 0, ggml_nbytes(c));
    result_data("apir_buffer_get_tensor", "data(c)", out.data(), ggml_nbytes(c));
    bool sum_ok = true;
    for (int i = 0; i < n; i++) {
        sum_ok = sum_ok && out[i] == va[i] + vb[i];
    }
    check(sum_ok, "c == a + b");

    step("cpy_tensor a -> d");
    result_int("apir_buffer_cpy_tensor", "return", apir_buffer_cpy_tensor(gpu, &ctx1, a, d));
    apir_buffer_get_tensor(gpu, &ctx1, d, out.data(), 0, ggml_nbytes(d));
    result_data("apir_buffer_get_tensor", "data(d)", out.data(), ggml_nbytes(d));
    check(memcmp(out.data(), va.data(), ggml_nbytes(d)) == 0, "d == a");

    step("a large tensor: set_tensor / get_tensor through temporary shared memory");
    const int     n_big    = 40000;  // 160000 bytes, more than data_shmem holds
    const size_t  big_size = 3 * 65536;
    apir_buffer_context_t ctx2 = apir_buffer_type_alloc_buffer(gpu, buft, big_size);
    result_ptr("apir_buffer_type_alloc_buffer", "host_handle", (void *) ctx2.host_handle);
    void * base2 = apir_buffer_get_base(gpu, &ctx2);
    result_ptr("apir_buffer_get_base", "return", base2);
    ggml_backend_buffer_t buffer2 = guest_buffer(gpu, ctx2, base2, big_size, false);
    ggml_tensor *         big     = named(ggml_new_tensor_1d(ctx, GGML_TYPE_F32, n_big), "big");
    place(buffer2, big, 0);
    check(ggml_nbytes(big) > gpu->data_shmem.mmap_size, "the large tensor does not fit in data_shmem");
    std::vector<uint32_t> pattern(n_big), back(n_big);
    for (int i = 0; i < n_big; i++) {
        pattern[i] = 0x9e3779b9u * (uint32_t) (i + 1);
    }
    apir_buffer_set_tensor(gpu, &ctx2, big, pattern.data(), 0, ggml_nbytes(big));
    apir_buffer_get_tensor(gpu, &ctx2, big, back.data(), 0, ggml_nbytes(big));
    result_data("apir_buffer_get_tensor", "data(big)", back.data(), ggml_nbytes(big));
    check(back == pattern, "the large tensor reads back as written");

    step("clear the large buffer");
    apir_buffer_clear(gpu, &ctx2, 0x5a);
    apir_buffer_get_tensor(gpu, &ctx2, big, back.data(), 1000, 64);
    result_data("apir_buffer_get_tensor", "data(big[1000:1064] after clear)", back.data(), 64);
    const unsigned char * cleared = (const unsigned char *) back.data();
    bool                  all_5a  = true;
    for (int i = 0; i < 64; i++) {
        all_5a = all_5a && cleared[i] == 0x5a;
    }
    check(all_5a, "clear wrote 0x5a");

    step("buffer_from_ptr: a buffer in guest-visible shared memory");
    const size_t          shared_size = 32768;
    apir_buffer_context_t ctx3        = apir_device_buffer_from_ptr(gpu, shared_size, shared_size);
    result_ptr("apir_device_buffer_from_ptr", "host_handle", (void *) ctx3.host_handle);
    result_ptr("apir_device_buffer_from_ptr", "buft_host_handle", (void *) ctx3.buft_host_handle);
    result_uint("apir_device_buffer_from_ptr", "shmem.res_id", ctx3.shmem.res_id);
    void * base3 = apir_buffer_get_base(gpu, &ctx3);
    result_ptr("apir_buffer_get_base", "return", base3);
    check(base3 == ctx3.shmem.mmap_ptr, "the host buffer is the shared memory (one process)");
    if (free_shared_buffer) {
        apir_buffer_free_buffer(gpu, &ctx3);
        virtgpu_shmem_destroy(gpu, &ctx3.shmem);
    } else {
        // ggml's host handler calls buffer->iface.free_buffer, which is NULL for a buffer made by
        // buffer_from_host_ptr: the host would crash. So does apir_backend_deinit().
        harness_log("note the buffer_from_ptr buffer is not freed (ggml's host would crash)");
    }

    step("free the buffers");
    apir_buffer_free_buffer(gpu, &ctx1);
    apir_buffer_free_buffer(gpu, &ctx2);
    free_guest_buffer(buffer1, 1);
    free_guest_buffer(buffer2, 2);
    ggml_free(ctx);

    step("end");
    if (free_shared_buffer) {
        harness_host_deinit();
    }
    harness_log("failures %d", failures);
    harness_log_close();
    return failures ? 1 : 0;
}
