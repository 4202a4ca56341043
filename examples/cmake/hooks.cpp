// The hand-written hooks of the example's generated host handlers.
//
// A command with a `marshal:` block and no `host_call` gets a generated handler
// that decodes and checks the request, calls the hook that
// backend-dispatched-impl.gen.h declares for it, and encodes what the hook
// returns. A hook returns 0 on success; anything else rejects the request.
// A missing hook is an undefined symbol at link time.

#include "backend-dispatched-impl.gen.h"

uint32_t backend_math_divide_impl(virgl_apir_context * ctx,
                                  uint32_t             dividend,
                                  uint32_t             divisor,
                                  uint32_t *           quotient,
                                  uint32_t *           remainder,
                                  bool *               result) {
    (void) ctx;
    *quotient  = dividend / divisor;  // the spec's check: divisor != 0
    *remainder = dividend % divisor;
    *result    = *remainder == 0;
    return 0;
}

uint32_t backend_data_checksum_impl(virgl_apir_context * ctx, const void * data, size_t size, uint64_t * result) {
    (void) ctx;
    const unsigned char * bytes = (const unsigned char *) data;
    uint64_t              sum   = 0;
    for (size_t i = 0; i < size; i++) {
        sum = sum * 31 + bytes[i];
    }
    *result = sum;
    return 0;
}
