// Hand-written hooks of the generated host handlers (backend-dispatched.marshal.gen.cpp).
//
// A command whose spec entry has a `marshal:` block but no `host_call` gets a generated handler that decodes
// and checks the request, then calls the hook declared for it in backend-dispatched-impl.gen.h, and encodes
// what the hook returns through its out-parameters. A hook returns 0 on success; anything else makes the
// handler reject the request. A hook missing here is an undefined symbol when the backend links.

#include "backend-dispatched-impl.gen.h"
#include "backend-virgl-apir.h"
#include "ggml-backend-impl.h"

// device.get_props: ggml's device properties come as one struct, the protocol sends its capabilities one by one.
uint32_t backend_device_get_props_impl(virgl_apir_context * ctx,
                                       bool *               async,
                                       bool *               host_buffer,
                                       bool *               buffer_from_host_ptr,
                                       bool *               events,
                                       bool *               mmap_support) {
    GGML_UNUSED(ctx);

    ggml_backend_dev_props props;
    dev->iface.get_props(dev, &props);

    *async                = props.caps.async;
    *host_buffer          = props.caps.host_buffer;
    *buffer_from_host_ptr = props.caps.buffer_from_host_ptr;
    *events               = props.caps.events;
    *mmap_support         = props.caps.mmap_support;

    return 0;
}
