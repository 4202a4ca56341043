// What the generated round-trip programs of test_standin_property.py share, guest and host alike:
// the values the host side produces (a function of prop_seed, which the driver sets before each
// call, and of the slot), and what the host side received (prop_got, in declaration order).
//
// Neutral: both sides include it; prop.cpp defines its globals.
#pragma once

#include "ggml-backend-impl.h"
#include "ggml.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern uint64_t              prop_seed;      // set by the driver before each call
extern std::vector<uint64_t> prop_got;       // what the host's fakes and hooks received
extern std::vector<uint64_t> prop_checked;   // what prop_check received
extern bool                  prop_check_ok;  // what prop_check answers
extern uint32_t              prop_calls;     // how many times a fake ran

static inline uint64_t prop_mix(uint64_t x) {  // splitmix64's finalizer
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// The value the host produces for slot `k` of the current call.
static inline uint64_t prop_value(uint64_t k) {
    return prop_mix(prop_seed ^ prop_mix(k + 1));
}

static inline bool prop_bool(uint64_t v) {
    return (v & 1) != 0;
}

static inline ggml_status prop_status(uint64_t v) {
    static const ggml_status statuses[] = { GGML_STATUS_ALLOC_FAILED, GGML_STATUS_FAILED, GGML_STATUS_SUCCESS,
                                            GGML_STATUS_ABORTED };
    return statuses[v % 4];
}

static inline ggml_backend_buffer_type_t prop_buffer_type(uint64_t v) {
    return v & 1 ? standin_host_buffer_type() : standin_buffer_type();
}

// A NUL-free string of 0 to 47 letters.
static inline std::string prop_string(uint64_t v) {
    std::string s(v % 48, 'a');
    for (size_t i = 0; i < s.size(); i++) {
        s[i] = (char) ('a' + prop_mix(v + i) % 26);
    }
    return s;
}

static inline void prop_fill(void * data, size_t size, uint64_t v) {
    for (size_t i = 0; i < size; i++) {
        ((uint8_t *) data)[i] = (uint8_t) prop_mix(v + i);
    }
}

static inline uint64_t prop_hash(const void * data, size_t size) {  // FNV-1a
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < size; i++) {
        h = (h ^ ((const uint8_t *) data)[i]) * 0x100000001b3ULL;
    }
    return h;
}

// Every value as one word: integers sign- or zero-extended by their own type, pointers by address.
template <typename T> static inline uint64_t prop_word(T v) {
    return (uint64_t) v;
}

static inline uint64_t prop_word(const void * v) {
    return (uint64_t) (uintptr_t) v;
}

static inline uint64_t prop_word_name(const char * name) {
    return prop_hash(name, strnlen(name, GGML_MAX_NAME));
}

// A check of a generated handler: records the value it saw, answers prop_check_ok.
static inline bool prop_check(uint64_t v) {
    prop_checked.push_back(v);
    return prop_check_ok;
}

// A tensor's own fields as words: what a fake records of it, and what the driver expects.
static inline void prop_tensor_header(std::vector<uint64_t> & out, const ggml_tensor * t) {
    out.push_back((uint64_t) t->type);
    for (int i = 0; i < GGML_MAX_DIMS; i++) {
        out.push_back((uint64_t) t->ne[i]);
    }
    for (int i = 0; i < GGML_MAX_DIMS; i++) {
        out.push_back((uint64_t) t->nb[i]);
    }
    out.push_back((uint64_t) t->op);
    out.push_back(prop_word(t->op_params[0]));
    out.push_back(prop_word(t->flags));
    out.push_back(prop_word_name(t->name));
}

static inline void prop_got_header(const ggml_tensor * t) {
    prop_tensor_header(prop_got, t);
}

static inline void prop_got_tensor_rpc(const ggml_tensor * t) {
    prop_got_header(t);
    prop_got.push_back(prop_word(t->buffer));
    prop_got.push_back(t->buffer ? (uint64_t) ((const char *) t->data - (const char *) t->buffer->iface.get_base(t->buffer)) :
                                   prop_word(t->data));
}

static inline void prop_got_tensor_inline(const ggml_tensor * t) {
    prop_got_header(t);
    prop_got.push_back(prop_word(t->buffer));
    prop_got.push_back(prop_word(t->data));
    prop_got.push_back(prop_word(t->extra));
    prop_got.push_back(t->view_src != nullptr);
    if (t->view_src) {
        prop_got_header(t->view_src);
        prop_got.push_back(prop_word(t->view_src->buffer));
        prop_got.push_back(prop_word(t->view_src->data));
    }
    int n = 0;
    while (n < GGML_MAX_SRC && t->src[n]) {
        n++;
    }
    prop_got.push_back((uint64_t) n);
    for (int i = 0; i < n; i++) {
        prop_got_header(t->src[i]);
        prop_got.push_back(prop_word(t->src[i]->buffer));
        prop_got.push_back(prop_word(t->src[i]->data));
    }
}
