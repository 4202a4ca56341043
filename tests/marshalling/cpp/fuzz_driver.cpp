// A deterministic driver for the generated fuzz harness (apir-codegen's marshalling.fuzz_output), for
// compilers without libFuzzer (g++ -fsanitize=address,undefined): it calls LLVMFuzzerTestOneInput as
// libFuzzer would, on the seeds and on mutations of them.
//
// Usage: fuzz_driver SEEDS EXECUTIONS RANDOM_SEED
//   SEEDS: one seed a line, "<command number> <request body in hex>" (tokens for host objects in it);
//   EXECUTIONS: runs per command that has a seed (the seeds themselves first, then mutations);
//   prints "command <n> executions <runs> accepted <accepted> skipped <skipped>" per command, then "done"
//   (skipped: inputs the program's apir_fuzz_known_defect, if any, classifies as a known defect; not run).
// A finding (sanitizer report, abort, crash) ends the program; the input that caused it is printed first
// ("fuzz: crashing input: <command> <hex>"), ready to go into a seeds file.
//
// Mutations (one to three per run): truncate, extend, flip a bit, replace a handle (a token by another
// token, an unknown one or garbage), replace a shared-memory id, inflate a size (a 4- or 8-byte word made
// huge or just past a limit), set a byte.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

// How many inputs the harness accepted, and skipped as known defects (defined by the generated file).
extern uint64_t apir_fuzz_accepted;
extern uint64_t apir_fuzz_skipped;

namespace {

const uint64_t TOKEN  = 0x7A7A754600000000ULL;
const size_t   TOKENS = 4;  // tokens 0..3: buffers, a buffer type, and one the harness does not know

std::vector<uint8_t> current;  // the input being run, for the crash report

void report(void) {
    fprintf(stderr, "fuzz: crashing input:");
    if (current.size() >= 4) {
        uint32_t cmd = 0;
        memcpy(&cmd, current.data(), 4);
        fprintf(stderr, " %u ", cmd);
        for (size_t i = 4; i < current.size(); i++) {
            fprintf(stderr, "%02x", current[i]);
        }
    }
    fprintf(stderr, "\n");
}

void on_signal(int sig) {
    report();
    signal(sig, SIG_DFL);
    raise(sig);
}

uint64_t rng_state = 1;

uint64_t next_random(void) {  // xorshift64*
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

uint64_t below(uint64_t n) {
    return n ? next_random() % n : 0;
}

uint64_t read_word(const std::vector<uint8_t> & body, size_t at, size_t width) {
    uint64_t word = 0;
    memcpy(&word, body.data() + at, width);
    return word;
}

void write_word(std::vector<uint8_t> & body, size_t at, size_t width, uint64_t word) {
    memcpy(body.data() + at, &word, width);
}

// Offsets where a word of `width` bytes satisfies `match`.
template <typename F> std::vector<size_t> find_words(const std::vector<uint8_t> & body, size_t width, F match) {
    std::vector<size_t> out;
    for (size_t at = 0; at + width <= body.size(); at++) {
        if (match(read_word(body, at, width))) {
            out.push_back(at);
        }
    }
    return out;
}

size_t some_offset(const std::vector<uint8_t> & body, size_t width) {
    // 4-byte aligned mostly, as apir_cs lays slots out
    const size_t slots = body.size() >= width ? body.size() - width + 1 : 0;
    size_t       at    = below(slots);
    if (next_random() % 4 != 0) {
        at &= ~(size_t) 3;
    }
    return at;
}

void mutate(std::vector<uint8_t> & body) {
    switch (below(7)) {
        case 0:  // truncate
            body.resize(below(body.size() + 1));
            break;
        case 1:  // extend
            {
                const size_t n = 1 + below(64);
                for (size_t i = 0; i < n; i++) {
                    body.push_back(next_random() % 2 ? 0 : (uint8_t) next_random());
                }
                break;
            }
        case 2:  // flip a bit
            if (!body.empty()) {
                body[below(body.size())] ^= (uint8_t) (1u << below(8));
            }
            break;
        case 3:  // replace a handle
            {
                std::vector<size_t> tokens = find_words(body, 8, [](uint64_t w) { return w - TOKEN < TOKENS; });
                size_t              at     = tokens.empty() ? some_offset(body, 8) : tokens[below(tokens.size())];
                if (at + 8 > body.size()) {
                    break;
                }
                const uint64_t values[] = { TOKEN + below(TOKENS), 0, next_random(), TOKEN + 1000 };
                write_word(body, at, 8, values[below(4)]);
                break;
            }
        case 4:  // replace a shared-memory id (or any small word)
            {
                std::vector<size_t> ids = find_words(body, 4, [](uint64_t w) { return w >= 1 && w <= 8; });
                size_t              at  = ids.empty() ? some_offset(body, 4) : ids[below(ids.size())];
                if (at + 4 > body.size()) {
                    break;
                }
                const uint64_t values[] = { below(7), 0xFFFFFFFFu, 0x80000000u };
                write_word(body, at, 4, values[below(3)]);
                break;
            }
        case 5:  // inflate a size
            {
                const size_t width = next_random() % 2 ? 8 : 4;
                const size_t at    = some_offset(body, width);
                if (at + width > body.size()) {
                    break;
                }
                const uint64_t old      = read_word(body, at, width);
                const uint64_t values[] = { old * 2 + 1, old + 1,       old + 4096,          ~(uint64_t) 0,
                                            4096,        4097,          0x80000000u,         ~(uint64_t) 0 - 7,
                                            1ULL << 32,  1ULL << 62,    (uint64_t) INT64_MAX };
                write_word(body, at, width, values[below(sizeof(values) / sizeof(values[0]))]);
                break;
            }
        default:  // set a byte
            if (!body.empty()) {
                body[below(body.size())] = (uint8_t) next_random();
            }
            break;
    }
}

uint8_t hex_value(char c) {
    return (uint8_t) (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
}

}  // namespace

int main(int argc, char ** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s SEEDS EXECUTIONS RANDOM_SEED\n", argv[0]);
        return 2;
    }
    FILE * file = fopen(argv[1], "r");
    if (!file) {
        perror(argv[1]);
        return 2;
    }
    const unsigned long long executions = strtoull(argv[2], nullptr, 10);
    rng_state                           = strtoull(argv[3], nullptr, 10) * 2654435761u + 1;

    std::map<uint32_t, std::vector<std::vector<uint8_t>>> seeds;  // command -> bodies
    unsigned                                              cmd = 0;
    static char                                           hex[1 << 20];
    while (fscanf(file, "%u %1048575s", &cmd, hex) == 2) {
        std::vector<uint8_t> body;
        for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
            body.push_back((uint8_t) (hex_value(hex[i]) << 4 | hex_value(hex[i + 1])));
        }
        if (strcmp(hex, "-") == 0) {
            body.clear();  // an empty body
        }
        seeds[cmd].push_back(body);
    }
    fclose(file);

    if (__sanitizer_set_death_callback) {
        __sanitizer_set_death_callback(report);
    }
    signal(SIGABRT, on_signal);  // GGML_ABORT, and sanitizers with abort_on_error (crashes are theirs to report)

    for (auto & entry : seeds) {
        unsigned long long accepted = 0;
        unsigned long long skipped  = 0;
        for (unsigned long long run = 0; run < executions; run++) {
            const std::vector<std::vector<uint8_t>> & bodies = entry.second;
            std::vector<uint8_t>                      body   = bodies[run % bodies.size()];
            if (run >= bodies.size()) {
                const uint64_t rounds = 1 + below(3);
                for (uint64_t i = 0; i < rounds; i++) {
                    mutate(body);
                }
            }
            current.assign(4, 0);
            memcpy(current.data(), &entry.first, 4);
            current.insert(current.end(), body.begin(), body.end());
            const uint64_t accepted_before = apir_fuzz_accepted;
            const uint64_t skipped_before  = apir_fuzz_skipped;
            LLVMFuzzerTestOneInput(current.data(), current.size());
            accepted += apir_fuzz_accepted - accepted_before;
            skipped += apir_fuzz_skipped - skipped_before;
        }
        printf("command %u executions %llu accepted %llu skipped %llu\n", entry.first, executions, accepted, skipped);
        fflush(stdout);
    }
    printf("done\n");
    return 0;
}
