// The host side of the harness: what virglrenderer provides to ggml's backend
// library (the callbacks get_config and get_shmem_ptr), its initialization
// through apir_backend_initialize(), and the call into apir_backend_dispatcher().
#include "backend-dispatched.h"
#include "backend-virgl-apir.h"
#include "harness.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

const uint32_t HARNESS_CTX_ID = 1;

const char * harness_get_config(uint32_t virgl_ctx_id, const char * key) {
    (void) virgl_ctx_id;
    if (strcmp(key, "ggml.library.path") == 0) {
        return getenv("HARNESS_GGML_CPU_LIB");
    }
    if (strcmp(key, "ggml.library.reg") == 0) {
        return "ggml_backend_cpu_reg";
    }
    return nullptr;
}

void * harness_get_shmem_ptr(uint32_t virgl_ctx_id, uint32_t res_id) {
    if (virgl_ctx_id != HARNESS_CTX_ID) {
        return nullptr;
    }
    return harness_shmem_ptr(res_id);
}

virgl_apir_callbacks callbacks = {
    /* .get_config    = */ harness_get_config,
    /* .get_shmem_ptr = */ harness_get_shmem_ptr,
};

// The address book of host objects: buffers in the order they appear.
std::map<ggml_backend_buffer_t, std::pair<int, void *>> known_buffers;  // buffer -> (number, base)
std::set<ggml_backend_buffer_type_t>                    known_bufts;
int                                                     buffers_seen = 0;

void name_buft(ggml_backend_buffer_type_t buft) {
    if (!buft || known_bufts.count(buft)) {
        return;
    }
    known_bufts.insert(buft);
    std::string name = std::string("host.buft:") + buft->iface.get_name(buft);
    harness_region_add(name.c_str(), buft, sizeof(*buft));
}

}  // namespace

int harness_host_init(void) {
    if (!getenv("HARNESS_GGML_CPU_LIB")) {
        fprintf(stderr, "harness: HARNESS_GGML_CPU_LIB is not set\n");
        return 1;
    }
    ApirLoadLibraryReturnCode ret = apir_backend_initialize(HARNESS_CTX_ID, &callbacks);
    if (ret != APIR_LOAD_LIBRARY_INIT_BASE_INDEX + APIR_BACKEND_INITIALIZE_SUCCESS) {
        fprintf(stderr, "harness: apir_backend_initialize failed: %d\n", (int) ret);
        return 1;
    }
    harness_region_add("host.dev", dev, sizeof(*dev));
    harness_region_add("host.backend", bck, sizeof(*bck));
    name_buft(dev->iface.get_buffer_type(dev));
    return 0;
}

void harness_host_deinit(void) {
    apir_backend_deinit(HARNESS_CTX_ID);
}

uint32_t harness_host_dispatch(uint32_t cmd, char * req, size_t req_len, char * reply, size_t reply_cap,
                               size_t * reply_len) {
    char *   enc_after = reply;
    uint32_t ret = apir_backend_dispatcher(HARNESS_CTX_ID, &callbacks, cmd, req, req + req_len, reply,
                                           reply + reply_cap, &enc_after);
    *reply_len   = (size_t) (enc_after - reply);
    return ret;
}

void harness_host_update_regions(void) {
    std::unordered_set<ggml_backend_buffer_t> tracked = apir_get_track_backend_buffers();
    // vanished first (a new buffer may reuse the address of a freed one)
    std::vector<ggml_backend_buffer_t> gone;
    for (auto & entry : known_buffers) {
        if (!tracked.count(entry.first)) {
            gone.push_back(entry.first);
        }
    }
    std::sort(gone.begin(), gone.end(), [](ggml_backend_buffer_t a, ggml_backend_buffer_t b) {
        return known_buffers[a].first < known_buffers[b].first;
    });
    for (ggml_backend_buffer_t buffer : gone) {
        char name[64];
        snprintf(name, sizeof(name), "host.buffer#%d.data", known_buffers[buffer].first);
        harness_region_del(name, known_buffers[buffer].second);
        snprintf(name, sizeof(name), "host.buffer#%d", known_buffers[buffer].first);
        harness_region_del(name, buffer);
        known_buffers.erase(buffer);
    }
    size_t fresh = 0;
    for (ggml_backend_buffer_t buffer : tracked) {
        fresh += known_buffers.count(buffer) ? 0 : 1;
    }
    if (fresh > 1) {
        // their numbers would follow the set's (address) order: not reproducible
        harness_log("note %zu buffers appeared in one call; their numbering is not deterministic", fresh);
    }
    for (ggml_backend_buffer_t buffer : tracked) {
        if (known_buffers.count(buffer)) {
            continue;
        }
        int    number = ++buffers_seen;
        void * base   = buffer->iface.get_base(buffer);
        known_buffers[buffer] = { number, base };
        char name[64];
        snprintf(name, sizeof(name), "host.buffer#%d", number);
        harness_region_add(name, buffer, sizeof(*buffer));
        snprintf(name, sizeof(name), "host.buffer#%d.data", number);
        harness_region_add(name, base, buffer->size);
        name_buft(buffer->buft);
    }
}
