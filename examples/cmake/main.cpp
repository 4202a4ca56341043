// The guest side of the CMake example: calls the generated guest stubs
// (virtgpu-forward.marshal.gen.cpp), which reach the generated host handlers
// (backend/backend-dispatched.marshal.gen.cpp) through the stand-in transport:
// request bytes in, reply bytes out, in one process.
//
// Prints the command table, then one line per call; exits 1 if a result is wrong.

#include "standin.h"
#include "virtgpu-forward-impl.h"
#include "virtgpu-forward.gen.h"

#include <cstdio>
#include <cstring>

static int failures = 0;

static uint64_t checksum(const unsigned char * bytes, size_t size) {
    uint64_t sum = 0;
    for (size_t i = 0; i < size; i++) {
        sum = sum * 31 + bytes[i];
    }
    return sum;
}

static void check(const char * what, bool ok) {
    std::printf("%s: %s\n", what, ok ? "ok" : "WRONG");
    failures += !ok;
}

int main() {
    std::printf("%d commands\n", (int) APIR_BACKEND_DISPATCH_TABLE_COUNT);
    for (int i = 0; i < APIR_BACKEND_DISPATCH_TABLE_COUNT; i++) {
        std::printf("%2d %s\n", i, apir_dispatch_command_name((ApirBackendCommandType) i));
    }

    virtgpu * gpu = standin_create_virtgpu(4096);

    check("math.add(40, 2) == 42", apir_math_add(gpu, 40, 2) == 42);

    uint32_t quotient = 0, remainder = 0;
    bool     exact    = apir_math_divide(gpu, 47, 5, &quotient, &remainder);
    check("math.divide(47, 5) == 9 rest 2", !exact && quotient == 9 && remainder == 2);

    // Small data goes through the device's shared page, large data through a temporary object.
    static unsigned char bytes[10000];
    for (size_t i = 0; i < sizeof(bytes); i++) {
        bytes[i] = (unsigned char) (i * 7);
    }
    check("data.checksum of 100 bytes", apir_data_checksum(gpu, bytes, 100) == checksum(bytes, 100));
    check("data.checksum of 10000 bytes", apir_data_checksum(gpu, bytes, sizeof(bytes)) == checksum(bytes, sizeof(bytes)));

    apir_data_fill(gpu, bytes, 0x5a, sizeof(bytes));
    check("data.fill of 10000 bytes", bytes[0] == 0x5a && bytes[sizeof(bytes) - 1] == 0x5a);

    // A buffer the host allocated and tracks; the guest knows it by its handle.
    ggml_backend_buffer_t host_buffer = standin_host_buffer(64);
    apir_buffer_context_t context     = {};
    context.host_handle               = (apir_buffer_host_handle_t) (uintptr_t) host_buffer;
    apir_buffer_clear(gpu, &context, 0x11);
    const unsigned char * base = (const unsigned char *) host_buffer->iface.get_base(host_buffer);
    check("buffer.clear", base[0] == 0x11 && base[63] == 0x11);

    standin_destroy_virtgpu(gpu);
    return failures == 0 ? 0 : 1;
}
