// Seeds for the fuzz harness, recorded from the generated guest stubs of fuzz/spec.yaml against the
// stand-in runtime (a guest translation unit with main()): every call's request body, with the
// addresses of the two host buffers replaced by the harness's tokens 0 and 1.
//
// Usage: seeds_standin OUT   (writes "<command> <body in hex>" lines, the fuzz driver's seeds file)
#include "standin.h"
#include "virtgpu-forward-impl.h"

#include <cstdio>
#include <cstring>
#include <vector>

static FILE *    out;
static uint64_t  handles[2];
static const uint64_t TOKEN = 0x7A7A754600000000ULL;

static void capture(void) {
    std::vector<char> request = standin_last_request();
    uint32_t          cmd     = 0;
    memcpy(&cmd, request.data() + 4, sizeof(cmd));
    std::vector<char> body(request.begin() + 12, request.end());
    for (size_t at = 0; at + 8 <= body.size(); at++) {
        for (uint64_t i = 0; i < 2; i++) {
            uint64_t word = 0;
            memcpy(&word, body.data() + at, 8);
            if (word == handles[i]) {
                word = TOKEN + i;
                memcpy(body.data() + at, &word, 8);
            }
        }
    }
    fprintf(out, "%u ", cmd);
    for (char c : body) {
        fprintf(out, "%02x", (unsigned char) c);
    }
    fprintf(out, body.empty() ? "-\n" : "\n");
}

int main(int argc, char ** argv) {
    if (argc != 2 || !(out = fopen(argv[1], "w"))) {
        return 2;
    }
    virtgpu *             gpu   = standin_create_virtgpu(8192);
    ggml_backend_buffer_t host0 = standin_host_buffer(4096);
    ggml_backend_buffer_t host1 = standin_host_buffer(4096);
    handles[0]                  = (uint64_t) (uintptr_t) host0;
    handles[1]                  = (uint64_t) (uintptr_t) host1;
    apir_buffer_context_t ctx0  = {};
    apir_buffer_context_t ctx1  = {};
    ctx0.host_handle            = (apir_buffer_host_handle_t) host0;
    ctx1.host_handle            = (apir_buffer_host_handle_t) host1;

    apir_demo_scalars(gpu, -5, 0x123456789abcULL, true, 7);
    capture();
    apir_demo_status(gpu, -1);
    capture();
    apir_demo_status(gpu, 0);
    capture();
    apir_demo_echo_status(gpu, GGML_STATUS_ALLOC_FAILED);
    capture();
    apir_buffer_get_base(gpu, &ctx0);
    capture();
    std::vector<uint8_t> data(4096, 0x17);
    apir_buffer_write(gpu, &ctx0, data.data(), 16, 256);
    capture();
    apir_buffer_write(gpu, &ctx1, data.data(), 0, 4096);
    capture();
    apir_buffer_read(gpu, &ctx1, data.data(), 100, 50);
    capture();
    apir_buffer_read(gpu, &ctx0, data.data(), 0, 4096);
    capture();
    apir_buffer_clear(gpu, &ctx0, 0x3c);
    capture();
    apir_buffer_free_buffer(gpu, &ctx1);
    capture();
    apir_buffer_free_buffer(gpu, &ctx0);
    capture();
    fclose(out);
    standin_destroy_virtgpu(gpu);
    return 0;
}
