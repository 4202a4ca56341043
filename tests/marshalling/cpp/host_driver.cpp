// Feed crafted requests to ggml-virtgpu's host handlers, one forked child per
// request, and report what each handler did: its return code, or the signal
// that killed the child (a crash is a result, not the end of the run).
//
//   host_driver describe          the valid base request of every command, and
//                                 the layout of its fields (JSON lines)
//   host_driver run CASES         run the cases of the file CASES, one per line:
//                                 <id> <cmd> <mutation> [<mutation> ...]
//
// A mutation is applied to the command's base request body (the bytes after
// the 12-byte header): truncate:<n>, extend:<n>:<byte>, flip:<offset>:<mask>,
// set:<offset>:<size>:<value>, where <value> names a value this process knows
// (handles are process addresses, so the Python side names them, see VALUES).
// Output: one JSON object per case.
//
// HARNESS_GGML_CPU_LIB must name libggml-cpu.so.
#include "backend-dispatched.h"
#include "harness.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct field {
    std::string kind;
    size_t      offset;
    size_t      size;
};

struct request {
    std::vector<char>  body;
    std::vector<field> fields;
};

// ---- the state every case starts from ----

ggml_backend_buffer_type_t cpu_buft;
ggml_backend_buffer_t      buffer;           // tracked, 4096 bytes
ggml_backend_buffer_t      from_ptr_buffer;  // tracked, made by buffer_from_host_ptr over a shmem object
ggml_backend_buffer_t      freed_buffer;     // was tracked, now freed: a dangling handle
uint32_t                   data_res;         // 4096-byte shmem object
uint32_t                   tiny_res;         // 16-byte shmem object
uint32_t                   graph_res;        // a valid serialized graph
uint32_t                   bad_graph_res;    // a graph whose node id names no tensor
size_t                     graph_size;
int                        unknown_object;   // an address that is no handle

const size_t BUFFER_SIZE = 4096;

void put(std::vector<char> & out, std::vector<field> & fields, const char * kind, const void * data, size_t size) {
    if (kind) {
        fields.push_back({ kind, out.size(), size });
    }
    const char * bytes = (const char *) data;
    out.insert(out.end(), bytes, bytes + size);
    while (out.size() % 4) {  // every apir_encode slot is 4-aligned; only char arrays pad
        out.push_back(0);
    }
}

void put_u32(std::vector<char> & out, std::vector<field> & fields, const char * kind, uint32_t value) {
    put(out, fields, kind, &value, sizeof(value));
}

void put_u64(std::vector<char> & out, std::vector<field> & fields, const char * kind, uint64_t value) {
    put(out, fields, kind, &value, sizeof(value));
}

apir_rpc_tensor rpc_tensor(uint64_t id, ggml_backend_buffer_t buf, uint64_t data_offset, const char * name) {
    apir_rpc_tensor t;
    memset(&t, 0, sizeof(t));
    t.id     = id;
    t.type   = GGML_TYPE_F32;
    t.buffer = (uint64_t) (uintptr_t) buf;
    t.ne[0]  = 16;
    t.ne[1] = t.ne[2] = t.ne[3] = 1;
    t.nb[0]                     = 4;
    t.nb[1] = t.nb[2] = t.nb[3] = 64;
    t.data                      = data_offset;
    snprintf(t.name, sizeof(t.name), "%s", name);
    return t;
}

void put_rpc(std::vector<char> & out, std::vector<field> & fields, const apir_rpc_tensor & t) {
    size_t at = out.size();
    fields.push_back({ "rpc.buffer", at + offsetof(apir_rpc_tensor, buffer), 8 });
    fields.push_back({ "rpc.type", at + offsetof(apir_rpc_tensor, type), 4 });
    fields.push_back({ "rpc.ne", at + offsetof(apir_rpc_tensor, ne), 4 });
    fields.push_back({ "rpc.data", at + offsetof(apir_rpc_tensor, data), 8 });
    put(out, fields, nullptr, &t, sizeof(t));
}

// An inline tensor as apir_encode_ggml_tensor_inline writes it, for an unallocated ADD node
// (no buffer, so no handle word: the form a guest without ggml's handle bug sends too).
void put_inline_add(std::vector<char> & out, std::vector<field> & fields) {
    ggml_init_params params = { ggml_tensor_overhead() * 4, nullptr, true };
    ggml_context *   ctx    = ggml_init(params);
    ggml_tensor *    a      = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, 16);
    ggml_tensor *    b      = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, 16);
    ggml_tensor *    c      = ggml_add(ctx, a, b);
    size_t           at     = out.size();
    fields.push_back({ "inline.type", at + offsetof(ggml_tensor, type), 4 });
    fields.push_back({ "inline.buffer", at + offsetof(ggml_tensor, buffer), 8 });
    fields.push_back({ "inline.op", at + offsetof(ggml_tensor, op), 4 });
    fields.push_back({ "inline.src_gap", at + offsetof(ggml_tensor, src), 2 * sizeof(void *) });
    fields.push_back({ "inline.src", at + offsetof(ggml_tensor, src) + 2 * sizeof(void *), 8 });
    fields.push_back({ "inline.view_src", at + offsetof(ggml_tensor, view_src), 8 });
    fields.push_back({ "inline.src_type", at + sizeof(ggml_tensor) + offsetof(ggml_tensor, type), 4 });
    put(out, fields, nullptr, c, sizeof(*c));
    put(out, fields, nullptr, a, sizeof(*a));
    put(out, fields, nullptr, b, sizeof(*b));
    ggml_free(ctx);
}

void put_inline_leaf(std::vector<char> & out, std::vector<field> & fields) {
    ggml_init_params params = { ggml_tensor_overhead() * 2, nullptr, true };
    ggml_context *   ctx    = ggml_init(params);
    ggml_tensor *    a      = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, 16);
    fields.push_back({ "inline.buffer", out.size() + offsetof(ggml_tensor, buffer), 8 });
    put(out, fields, nullptr, a, sizeof(*a));
    ggml_free(ctx);
}

uint32_t make_graph(uint64_t node_id) {
    std::vector<char>  payload;
    std::vector<field> unused;
    put_u32(payload, unused, nullptr, 1);  // n_nodes
    put_u64(payload, unused, nullptr, node_id);
    put_u32(payload, unused, nullptr, 3);  // n_tensors
    apir_rpc_tensor a = rpc_tensor(1, buffer, 0, "a");
    apir_rpc_tensor b = rpc_tensor(2, buffer, 64, "b");
    apir_rpc_tensor c = rpc_tensor(3, buffer, 128, "c");
    c.op              = GGML_OP_ADD;
    c.src[0]          = 1;
    c.src[1]          = 2;
    put(payload, unused, nullptr, &a, sizeof(a));
    put(payload, unused, nullptr, &b, sizeof(b));
    put(payload, unused, nullptr, &c, sizeof(c));
    void *   mem = nullptr;
    uint32_t res = harness_shmem_create(payload.size(), &mem);
    memcpy(mem, payload.data(), payload.size());
    graph_size = payload.size();
    return res;
}

void setup() {
    if (harness_host_init() != 0) {
        exit(3);
    }
    cpu_buft = dev->iface.get_buffer_type(dev);
    buffer   = cpu_buft->iface.alloc_buffer(cpu_buft, BUFFER_SIZE);
    apir_track_backend_buffer(buffer);
    freed_buffer = cpu_buft->iface.alloc_buffer(cpu_buft, BUFFER_SIZE);
    ggml_backend_buffer_free(freed_buffer);
    void * mem = nullptr;
    data_res   = harness_shmem_create(BUFFER_SIZE, &mem);
    for (size_t i = 0; i < BUFFER_SIZE; i++) {
        ((unsigned char *) mem)[i] = (unsigned char) i;
    }
    void * shared   = nullptr;
    uint32_t shared_res = harness_shmem_create(BUFFER_SIZE, &shared);
    (void) shared_res;
    from_ptr_buffer = dev->iface.buffer_from_host_ptr(dev, shared, BUFFER_SIZE, BUFFER_SIZE);
    apir_track_backend_buffer(from_ptr_buffer);
    tiny_res      = harness_shmem_create(16, &mem);
    graph_res     = make_graph(3);
    bad_graph_res = make_graph(42);
}

request base_request(uint32_t cmd) {
    request r;
    auto &  out = r.body;
    auto &  f   = r.fields;
    switch ((ApirBackendCommandType) cmd) {
        case APIR_COMMAND_TYPE_DEVICE_SUPPORTS_OP:
            put_inline_add(out, f);
            break;
        case APIR_COMMAND_TYPE_DEVICE_BUFFER_FROM_PTR:
            put_u32(out, f, "res", data_res);
            put_u64(out, f, "size", BUFFER_SIZE);
            put_u64(out, f, "size", BUFFER_SIZE);
            break;
        case APIR_COMMAND_TYPE_BUFFER_TYPE_GET_NAME:
        case APIR_COMMAND_TYPE_BUFFER_TYPE_GET_ALIGNMENT:
        case APIR_COMMAND_TYPE_BUFFER_TYPE_GET_MAX_SIZE:
            put_u64(out, f, "buft", (uint64_t) (uintptr_t) cpu_buft);
            break;
        case APIR_COMMAND_TYPE_BUFFER_TYPE_ALLOC_BUFFER:
            put_u64(out, f, "buft", (uint64_t) (uintptr_t) cpu_buft);
            put_u64(out, f, "size", 256);
            break;
        case APIR_COMMAND_TYPE_BUFFER_TYPE_GET_ALLOC_SIZE:
            put_u64(out, f, "buft", (uint64_t) (uintptr_t) cpu_buft);
            put_inline_leaf(out, f);
            break;
        case APIR_COMMAND_TYPE_BUFFER_GET_BASE:
        case APIR_COMMAND_TYPE_BUFFER_FREE_BUFFER:
            put_u64(out, f, "buffer", (uint64_t) (uintptr_t) buffer);
            break;
        case APIR_COMMAND_TYPE_BUFFER_SET_TENSOR:
        case APIR_COMMAND_TYPE_BUFFER_GET_TENSOR:
            put_u64(out, f, "buffer", (uint64_t) (uintptr_t) buffer);
            put_rpc(out, f, rpc_tensor(1, buffer, 0, "t"));
            put_u32(out, f, "res", data_res);
            put_u64(out, f, "size", 0);   // offset
            put_u64(out, f, "size", 64);  // size
            break;
        case APIR_COMMAND_TYPE_BUFFER_CPY_TENSOR:
            put_u64(out, f, "buffer", (uint64_t) (uintptr_t) buffer);
            put_rpc(out, f, rpc_tensor(1, buffer, 0, "src"));
            f.push_back({ "rpc.overlap", out.size() + offsetof(apir_rpc_tensor, data), 8 });  // dst over src
            put_rpc(out, f, rpc_tensor(2, buffer, 64, "dst"));
            break;
        case APIR_COMMAND_TYPE_BUFFER_CLEAR:
            put_u64(out, f, "buffer", (uint64_t) (uintptr_t) buffer);
            put_u32(out, f, "u8", 0x5a);
            break;
        case APIR_COMMAND_TYPE_BACKEND_GRAPH_COMPUTE:
            put_u32(out, f, "graph", graph_res);
            put_u64(out, f, "size", graph_size);
            break;
        default:  // no parameters
            break;
    }
    return r;
}

bool value_bytes(const std::string & name, size_t size, std::vector<char> & out) {
    if ((name == "src_gap" || name == "zero") && size == 2 * sizeof(void *)) {
        const uint64_t words[2] = { 0, name == "src_gap" ? 1u : 0u };  // src_gap: src[1] without src[0]
        out.resize(size);
        memcpy(out.data(), words, size);
        return true;
    }
    uint64_t v;
    if (name == "zero") {
        v = 0;
    } else if (name == "ones") {
        v = ~0ULL;
    } else if (name == "odd") {
        v = 1;
    } else if (name == "unknown") {
        v = (uint64_t) (uintptr_t) &unknown_object;
    } else if (name == "freed") {
        v = (uint64_t) (uintptr_t) freed_buffer;
    } else if (name == "buft") {
        v = (uint64_t) (uintptr_t) cpu_buft;
    } else if (name == "buffer") {
        v = (uint64_t) (uintptr_t) buffer;
    } else if (name == "dev") {
        v = (uint64_t) (uintptr_t) dev;  // a device object where a buffer or buffer type is expected
    } else if (name == "from_ptr") {
        v = (uint64_t) (uintptr_t) from_ptr_buffer;
    } else if (name == "res_unknown") {
        v = 999;
    } else if (name == "res_tiny") {
        v = tiny_res;
    } else if (name == "bad_graph") {
        v = bad_graph_res;
    } else if (name == "big") {
        v = 1u << 20;
    } else if (name == "end") {
        v = BUFFER_SIZE - 4;
    } else if (name == "short") {
        v = 8;
    } else if (name == "overlap") {
        v = 32;  // inside the 64 bytes of a base tensor at offset 0
    } else if (name == "invalid_type") {
        v = 0xffff;
    } else if (name == "op_mul_mat") {
        v = GGML_OP_MUL_MAT;
    } else if (name == "type_block") {
        v = GGML_TYPE_Q4_0;  // blocks of 32: the base tensors' ne[0] = 16 is no whole number of blocks
    } else if (name == "type_removed") {
        v = 4;  // GGML_TYPE_Q4_2, removed: ggml's type traits give it a block size of 0
    } else {
        return false;
    }
    if (size != 4 && size != 8) {
        return false;
    }
    if (size == 4 && name == "ones") {
        v = 0xffffffffu;
    }
    out.resize(size);
    memcpy(out.data(), &v, size);  // little-endian, as on the wire
    return true;
}

// Applies one mutation; false when it does not parse or does not fit.
bool mutate(std::vector<char> & body, const std::string & spec) {
    std::vector<std::string> parts;
    std::stringstream        ss(spec);
    std::string              part;
    while (std::getline(ss, part, ':')) {
        parts.push_back(part);
    }
    if (parts.empty()) {
        return false;
    }
    if (parts[0] == "none" && parts.size() == 1) {
        return true;
    }
    if (parts[0] == "truncate" && parts.size() == 2) {
        size_t n = strtoul(parts[1].c_str(), nullptr, 10);
        if (n > body.size()) {
            return false;
        }
        body.resize(n);
        return true;
    }
    if (parts[0] == "extend" && parts.size() == 3) {
        size_t n = strtoul(parts[1].c_str(), nullptr, 10);
        body.insert(body.end(), n, (char) strtoul(parts[2].c_str(), nullptr, 16));
        return true;
    }
    if (parts[0] == "flip" && parts.size() == 3) {
        size_t at = strtoul(parts[1].c_str(), nullptr, 10);
        if (at >= body.size()) {
            return false;
        }
        body[at] ^= (char) strtoul(parts[2].c_str(), nullptr, 16);
        return true;
    }
    if (parts[0] == "set" && parts.size() == 4) {
        size_t            at   = strtoul(parts[1].c_str(), nullptr, 10);
        size_t            size = strtoul(parts[2].c_str(), nullptr, 10);
        std::vector<char> value;
        if (!value_bytes(parts[3], size, value) || at + size > body.size()) {
            return false;
        }
        memcpy(body.data() + at, value.data(), size);
        return true;
    }
    return false;
}

std::string json_string(const std::string & s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += (char) c;
        } else if (c < 0x20 || c >= 0x7f) {
            char esc[8];
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            out += esc;
        } else {
            out += (char) c;
        }
    }
    return out + "\"";
}

std::string hex(const char * data, size_t size) {
    std::string out;
    char        byte[3];
    for (size_t i = 0; i < size; i++) {
        snprintf(byte, sizeof(byte), "%02x", (unsigned char) data[i]);
        out += byte;
    }
    return out;
}

void child_log(enum ggml_log_level level, const char * text, void * user_data) {
    (void) level;
    (void) user_data;
    std::string line = std::string("log ") + text;
    while (!line.empty() && line.back() == '\n') {
        line.pop_back();
    }
    for (char & ch : line) {
        ch = ch == '\n' ? ' ' : ch;
    }
    line += '\n';
    ssize_t written = write(2, line.data(), line.size());
    (void) written;
}

void run_case(const std::string & id, uint32_t cmd, std::vector<char> body) {
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        perror("pipe");
        exit(3);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[1]);
        ggml_log_set(child_log, nullptr);
        alarm(10);
        std::vector<char> reply(1 << 16);
        size_t            reply_len = 0;
        // the request lives in its own allocation, exactly as long as it is: reading past it is a bug
        char *            req       = (char *) malloc(body.size() ? body.size() : 1);
        if (!body.empty()) {
            memcpy(req, body.data(), body.size());
        }
        uint32_t rc = harness_host_dispatch(cmd, req, body.size(), reply.data(), reply.size(), &reply_len);
        printf("done %u %zu %s\n", rc, reply_len, hex(reply.data(), reply_len).c_str());
        fflush(stdout);
        _exit(0);
    }
    close(pipefd[1]);
    std::string output;
    char        chunk[4096];
    ssize_t     n;
    while ((n = read(pipefd[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) {
            output.append(chunk, (size_t) n);
        }
    }
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);

    std::string outcome, rc = "null", reply = "null", logs, report, asan, ubsan;
    std::stringstream lines(output);
    std::string       line;
    while (std::getline(lines, line)) {
        if (line.rfind("done ", 0) == 0) {
            std::stringstream done(line.substr(5));
            std::string       reply_len, reply_hex;
            done >> rc >> reply_len >> reply_hex;
            reply = json_string(reply_hex);
        } else if (line.rfind("log ", 0) == 0) {
            logs += (logs.empty() ? "" : "\n") + line.substr(4);
        } else if (line.find("ERROR: AddressSanitizer") != std::string::npos) {
            asan = line.substr(line.find("AddressSanitizer"));  // the sanitizer's verdict wins
        } else if (line.find(": runtime error: ") != std::string::npos && ubsan.empty()) {
            ubsan = line;  // UndefinedBehaviorSanitizer: "file:line:col: runtime error: ..."
        } else if (!line.empty() && line.find_first_not_of("=-0123456789 ") != std::string::npos) {
            report = line;  // the last one: ggml_abort's "file:line: GGML_ASSERT(...) failed", "terminate called ..."
        }
    }
    if (!asan.empty() || !ubsan.empty()) {
        report = !asan.empty() ? asan : ubsan;
    }
    if (WIFSIGNALED(status)) {
        outcome = WTERMSIG(status) == SIGALRM ? "timeout" : std::string("signal:") + strsignal(WTERMSIG(status));
    } else {
        outcome = "exit:" + std::to_string(WEXITSTATUS(status));
    }
    printf("{\"id\": %s, \"cmd\": %u, \"outcome\": %s, \"rc\": %s, \"reply\": %s, \"report\": %s, \"log\": %s}\n",
           json_string(id).c_str(), cmd, json_string(outcome).c_str(), rc.c_str(), reply.c_str(),
           json_string(report).c_str(), json_string(logs).c_str());
    fflush(stdout);
}

}  // namespace

int main(int argc, char ** argv) {
    if (argc < 2 || (strcmp(argv[1], "describe") != 0 && !(strcmp(argv[1], "run") == 0 && argc == 3))) {
        fprintf(stderr, "usage: %s describe | run CASES\n", argv[0]);
        return 2;
    }
    setup();
    if (strcmp(argv[1], "describe") == 0) {
        for (uint32_t cmd = 0; cmd < APIR_BACKEND_DISPATCH_TABLE_COUNT; cmd++) {
            request     r = base_request(cmd);
            std::string fields;
            for (const field & f : r.fields) {
                fields += (fields.empty() ? "" : ", ") + std::string("[") + json_string(f.kind) + ", " +
                          std::to_string(f.offset) + ", " + std::to_string(f.size) + "]";
            }
            printf("{\"cmd\": %u, \"name\": %s, \"size\": %zu, \"fields\": [%s]}\n", cmd,
                   json_string(apir_dispatch_command_name((ApirBackendCommandType) cmd)).c_str(), r.body.size(),
                   fields.c_str());
        }
        return 0;
    }
    std::ifstream cases(argv[2]);
    std::string   line;
    while (std::getline(cases, line)) {
        std::stringstream ss(line);
        std::string       id, mutation;
        uint32_t          cmd = 0;
        if (!(ss >> id >> cmd) || cmd >= APIR_BACKEND_DISPATCH_TABLE_COUNT) {
            fprintf(stderr, "bad case line: %s\n", line.c_str());
            return 2;
        }
        std::vector<char> body = base_request(cmd).body;
        while (ss >> mutation) {
            if (!mutate(body, mutation)) {
                fprintf(stderr, "bad mutation in case %s: %s\n", id.c_str(), mutation.c_str());
                return 2;
            }
        }
        run_case(id, cmd, body);
    }
    return 0;
}
