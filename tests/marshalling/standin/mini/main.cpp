// The stand-in runtime's own test: the mini guest and host round-trip values of every codec,
// data crosses both shared-memory paths, and every request cut short is rejected.
//
// Usage: mini SEED   Exit status: the number of failed checks (0 = all passed).
#include "mini.h"
#include "standin.h"
#include "virtgpu-forward-impl.h"

#include <cstdio>
#include <cstring>
#include <vector>

static int failures = 0;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                       \
        }                                                                     \
    } while (0)

static uint64_t rng_state;

static uint64_t next_random(void) {  // xorshift64*: the seed fixes every value
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

// Every request the host just served, cut at every length, must be rejected (1) by the host.
static void check_truncations(const char * what) {
    const std::vector<char> request = standin_last_request();
    uint32_t                cmd     = 0;
    memcpy(&cmd, request.data() + 4, sizeof(cmd));
    for (size_t n = 0; n + 12 < request.size(); n++) {
        std::vector<char> reply;
        uint32_t          rc = standin_host_dispatch(cmd, request.data() + 12, n, &reply);
        if (rc != 1) {
            fprintf(stderr, "%s: a request cut to %zu bytes returned %u\n", what, n, rc);
            failures++;
        }
    }
    standin_host_reset();
}

int main(int argc, char ** argv) {
    rng_state = argc > 1 ? strtoull(argv[1], nullptr, 10) * 2654435761u + 1 : 1;
    virtgpu * gpu = standin_create_virtgpu(8192);

    for (int round = 0; round < 50; round++) {
        int32_t  a = (int32_t) next_random();
        uint64_t b = next_random();
        bool     c = next_random() & 1;
        uint8_t  d = (uint8_t) next_random();
        size_t   sum = 0;
        uint32_t ret = apir_demo_scalars(gpu, a, b, c, d, &sum);
        CHECK(ret == ((uint32_t) a ^ (uint32_t) (b >> 32) ^ (uint32_t) b ^ (c ? 0x80000000u : 0) ^ d));
        CHECK(sum == (size_t) a + (size_t) b + (c ? 1 : 0) + d);
        int32_t code = (int32_t) (next_random() % 4) - 2;
        CHECK(apir_demo_status(gpu, code) == (ggml_status) code);
    }
    // bool and uint8_t fill 1 byte of a 4-byte slot: the rest stays zero
    size_t ignored = 0;
    apir_demo_scalars(gpu, -1, ~0ULL, true, 0xab, &ignored);
    const std::vector<char> & request = standin_last_request();
    CHECK(request.size() == 12 + 4 + 8 + 4 + 4);
    CHECK(memcmp(request.data() + 24, "\x01\x00\x00\x00\xab\x00\x00\x00", 8) == 0);
    check_truncations("scalars");

    char * name = apir_demo_buft_name(gpu, (apir_buffer_type_host_handle_t) standin_buffer_type());
    CHECK(name && strcmp(name, "standin") == 0);
    free(name);
    CHECK(standin_last_reply().size() == 8 + 8);  // the size, then "standin\0"
    check_truncations("buft_name");

    const size_t          size   = 64 * 1024;
    ggml_backend_buffer_t host   = standin_host_buffer(size);
    apir_buffer_context_t bufctx = {};
    bufctx.host_handle           = (apir_buffer_host_handle_t) host;
    void * base                  = apir_demo_base(gpu, &bufctx);
    CHECK(base == host->iface.get_base(host));
    check_truncations("base");

    ggml_backend_buffer_t guest = standin_guest_buffer(gpu, bufctx.host_handle, base, size);
    ggml_tensor           small, large;
    standin_init_tensor(&small, GGML_TYPE_F32, 16, 4, "small");  // 256 bytes: through data_shmem
    standin_init_tensor(&large, GGML_TYPE_I32, 4096, 2, "large");  // 32 KiB: through a temporary object
    small.buffer = large.buffer = guest;
    small.data                  = base;
    large.data                  = (char *) base + 1024;
    for (ggml_tensor * t : { &small, &large }) {
        const size_t         n = ggml_nbytes(t);
        std::vector<uint8_t> out(n), back(n, 0);
        for (auto & byte : out) {
            byte = (uint8_t) next_random();
        }
        const size_t objects = standin_shmem_live();
        apir_demo_write(gpu, &bufctx, t, out.data(), 0, n);
        CHECK(standin_shmem_live() == objects);  // a temporary object does not outlive its call
        check_truncations("write");
        CHECK(memcmp((char *) base + ((char *) t->data - (char *) base), out.data(), n) == 0);
        apir_demo_read(gpu, &bufctx, t, back.data(), 0, n);
        check_truncations("read");
        CHECK(back == out);
        apir_demo_read(gpu, &bufctx, t, back.data(), n - 8, 8);  // a slice
        CHECK(memcmp(back.data(), out.data() + n - 8, 8) == 0);
    }
    std::vector<char> reply;
    std::vector<char> request_copy = standin_last_request();
    memset(request_copy.data() + 12 + 8 + 304 + 4, 0xff, 8);  // offset = SIZE_MAX
    CHECK(standin_host_dispatch(APIR_COMMAND_TYPE_DEMO_READ, request_copy.data() + 12, request_copy.size() - 12,
                                &reply) == 1);

    ggml_tensor src0, src1, op, view;
    standin_init_tensor(&src0, GGML_TYPE_F16, 8, 1, "src0");
    standin_init_tensor(&src1, GGML_TYPE_F32, 3, 1, "src1");
    standin_init_tensor(&view, GGML_TYPE_F32, 5, 1, "view");
    for (int round = 0; round < 20; round++) {
        standin_init_tensor(&op, GGML_TYPE_F32, (int64_t) (next_random() % 100) + 1, 2, "op");
        op.op       = GGML_OP_ADD;
        op.src[0]   = round % 3 ? &src0 : nullptr;
        op.src[1]   = round % 3 == 2 ? &src1 : nullptr;
        op.view_src = round % 2 ? &view : nullptr;
        CHECK(apir_demo_inspect(gpu, &op) == mini_inspect(&op));
        check_truncations("inspect");
    }
    op.buffer = guest;
#ifdef STANDIN_FIX_BUFFER_HANDLE
    // with the handle on the wire, the host finds the buffer and the call goes through
    CHECK(apir_demo_inspect(gpu, &op) == mini_inspect(&op));
    check_truncations("inspect with a buffer");
#else
    // ggml's apir_encode_ggml_buffer_handle sends an address: a host that rejects a fatal decoder (as
    // generated handlers must) refuses every buffer-backed inline tensor, and a guest would abort
    char         buffer[4096];
    apir_encoder enc = apir_new_encoder(buffer, sizeof(buffer));
    apir_encode_ggml_tensor_inline(&enc, &op);
    const size_t logs = standin_log_count();
    CHECK(standin_host_dispatch(APIR_COMMAND_TYPE_DEMO_INSPECT, buffer, (size_t) (enc.cur - buffer), &reply) == 1);
    CHECK(standin_log_count() > logs);
    CHECK(standin_log_count() > logs && standin_last_log().find("invalid tensor") != std::string::npos);
#endif

    standin_free_guest_buffer(guest);
    host->iface.free_buffer(host);
    standin_destroy_virtgpu(gpu);
    CHECK(standin_shmem_live() == 0);
    printf("%u calls, %d failures\n", standin_calls(), failures);
    return failures;
}
