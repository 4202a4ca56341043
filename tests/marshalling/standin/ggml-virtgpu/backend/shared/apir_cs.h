// Stand-in for ggml's backend/shared/apir_cs.h: the encoder and decoder over plain memory.
//
// Same names, same wire format, same semantics as ggml's (slot sizes, 4-byte
// slots for bool and uint8_t, the fatal flag, zero-filled values when reading
// too much). One difference: every function is `static inline`, so that a
// translation unit that uses a few of them compiles with -Wall -Wextra -Werror
// (ggml's apir_new_encoder/apir_new_decoder are plain `static`).
#pragma once

#include "apir_backend.h"
#include "ggml-impl.h"

#include <cassert>
#include <cstdlib>
#include <cstring>

#ifndef likely
#    define likely(x)   __builtin_expect(!!(x), 1)
#    define unlikely(x) __builtin_expect(!!(x), 0)
#endif

struct apir_encoder {
    char *       cur;
    const char * start;
    const char * end;
    bool         fatal;
};

struct apir_decoder {
    const char * cur;
    const char * end;
    bool         fatal;
};

static inline apir_decoder apir_new_decoder(const char * ptr, size_t size) {
    return apir_decoder{ ptr, ptr + size, false };
}

static inline apir_encoder apir_new_encoder(char * ptr, size_t size) {
    return apir_encoder{ ptr, ptr, ptr + size, false };
}

static inline void apir_encoder_reset_fatal(apir_encoder * enc) { enc->fatal = false; }
static inline void apir_encoder_set_fatal(apir_encoder * enc) { enc->fatal = true; }
static inline bool apir_encoder_get_fatal(const apir_encoder * enc) { return enc->fatal; }
static inline void apir_decoder_reset_fatal(apir_decoder * dec) { dec->fatal = false; }
static inline void apir_decoder_set_fatal(apir_decoder * dec) { dec->fatal = true; }
static inline bool apir_decoder_get_fatal(const apir_decoder * dec) { return dec->fatal; }

// Copies val_size bytes of a size-byte slot; too few bytes left: zeroes val, sets fatal, false.
static inline bool apir_decoder_peek_internal(apir_decoder * dec, size_t size, void * val, size_t val_size) {
    assert(val_size <= size);
    if (unlikely(size > (size_t) (dec->end - dec->cur))) {
        GGML_LOG_ERROR("%s: reading too much from the decoder ...\n", __func__);
        apir_decoder_set_fatal(dec);
        memset(val, 0, val_size);
        return false;
    }
    memcpy(val, dec->cur, val_size);
    return true;
}

static inline void apir_decoder_peek(apir_decoder * dec, size_t size, void * val, size_t val_size) {
    apir_decoder_peek_internal(dec, size, val, val_size);
}

// A pointer to the next `size` bytes, consumed; NULL (and fatal) when fewer are left.
static inline const void * apir_decoder_use_inplace(apir_decoder * dec, size_t size) {
    if (unlikely(size > (size_t) (dec->end - dec->cur))) {
        GGML_LOG_ERROR("%s: reading too much from the decoder ...\n", __func__);
        apir_decoder_set_fatal(dec);
        return NULL;
    }
    const void * addr = dec->cur;
    dec->cur += size;
    return addr;
}

static inline void apir_decoder_read(apir_decoder * dec, size_t size, void * val, size_t val_size) {
    if (apir_decoder_peek_internal(dec, size, val, val_size)) {
        dec->cur += size;
    }
}

// Writes val_size bytes into a size-byte slot; the rest of the slot is left as it was.
static inline char * apir_encoder_write(apir_encoder * enc, size_t size, const void * val, size_t val_size) {
    assert(val_size <= size);
    assert(size <= (size_t) (enc->end - enc->cur));
    char * write_addr = enc->cur;
    memcpy(write_addr, val, val_size);
    enc->cur += size;
    return write_addr;
}

static inline void apir_decode(apir_decoder * dec, size_t size, void * data, size_t data_size) {
    assert(size % 4 == 0);
    apir_decoder_read(dec, size, data, data_size);
}

static inline void apir_encode(apir_encoder * enc, size_t size, const void * data, size_t data_size) {
    assert(size % 4 == 0);
    apir_encoder_write(enc, size, data, data_size);
}

// ---- scalars: the slot size, then how many bytes of the value go in it ----

static inline void apir_encode_uint8_t(apir_encoder * enc, const uint8_t * val) { apir_encode(enc, 4, val, 1); }
static inline void apir_decode_uint8_t(apir_decoder * dec, uint8_t * val) { apir_decode(dec, 4, val, 1); }

static inline void apir_encode_bool_t(apir_encoder * enc, const bool * val) { apir_encode(enc, 4, val, sizeof(bool)); }
static inline void apir_decode_bool_t(apir_decoder * dec, bool * val) { apir_decode(dec, 4, val, sizeof(bool)); }

static inline void apir_encode_int32_t(apir_encoder * enc, const int32_t * val) { apir_encode(enc, 4, val, 4); }
static inline void apir_decode_int32_t(apir_decoder * dec, int32_t * val) { apir_decode(dec, 4, val, 4); }

static inline void apir_encode_uint32_t(apir_encoder * enc, const uint32_t * val) { apir_encode(enc, 4, val, 4); }
static inline void apir_decode_uint32_t(apir_decoder * dec, uint32_t * val) { apir_decode(dec, 4, val, 4); }

static inline void apir_encode_uint64_t(apir_encoder * enc, const uint64_t * val) { apir_encode(enc, 8, val, 8); }
static inline void apir_decode_uint64_t(apir_decoder * dec, uint64_t * val) { apir_decode(dec, 8, val, 8); }

static inline void apir_encode_size_t(apir_encoder * enc, const size_t * val) {
    const uint64_t wide = *val;
    apir_encode_uint64_t(enc, &wide);
}

static inline void apir_decode_size_t(apir_decoder * dec, size_t * val) {
    uint64_t wide;
    apir_decode_uint64_t(dec, &wide);
    *val = (size_t) wide;
}

static inline void apir_encode_uintptr_t(apir_encoder * enc, const uintptr_t * val) {
    apir_encode(enc, sizeof(*val), val, sizeof(*val));
}

static inline void apir_decode_uintptr_t(apir_decoder * dec, uintptr_t * val) {
    apir_decode(dec, sizeof(*val), val, sizeof(*val));
}

// ---- arrays ----

static inline void apir_encode_uint64_t_array(apir_encoder * enc, const uint64_t * val, uint32_t count) {
    apir_encode(enc, sizeof(*val) * count, val, sizeof(*val) * count);
}

static inline void apir_decode_uint64_t_array(apir_decoder * dec, uint64_t * val, uint32_t count) {
    apir_decode(dec, sizeof(*val) * count, val, sizeof(*val) * count);
}

static inline const uint64_t * apir_decode_uint64_t_array_inplace(apir_decoder * dec, uint32_t count) {
    return (const uint64_t *) apir_decoder_use_inplace(dec, count * sizeof(uint64_t));
}

static inline void apir_encode_int32_t_array(apir_encoder * enc, const int32_t * val, uint32_t count) {
    apir_encode(enc, sizeof(*val) * count, val, sizeof(*val) * count);
}

static inline void apir_decode_int32_t_array(apir_decoder * dec, int32_t * val, uint32_t count) {
    apir_decode(dec, sizeof(*val) * count, val, sizeof(*val) * count);
}

static inline void apir_encode_uint32_t_array(apir_encoder * enc, const uint32_t * val, uint32_t count) {
    apir_encode(enc, sizeof(*val) * count, val, sizeof(*val) * count);
}

static inline void apir_decode_uint32_t_array(apir_decoder * dec, uint32_t * val, uint32_t count) {
    apir_decode(dec, sizeof(*val) * count, val, sizeof(*val) * count);
}

static inline void apir_encode_size_t_array(apir_encoder * enc, const size_t * val, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        apir_encode_size_t(enc, &val[i]);
    }
}

static inline void apir_decode_size_t_array(apir_decoder * dec, size_t * val, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        apir_decode_size_t(dec, &val[i]);
    }
}

// An array's element count travels as a uint64_t.
static inline void apir_encode_array_size(apir_encoder * enc, uint64_t size) {
    apir_encode_uint64_t(enc, &size);
}

static inline uint64_t apir_decode_array_size(apir_decoder * dec, uint64_t expected_size) {
    uint64_t size;
    apir_decode_uint64_t(dec, &size);
    if (size != expected_size) {
        GGML_LOG_ERROR("%s: Couldn't decode array from the decoder\n", __func__);
        apir_decoder_set_fatal(dec);
        size = 0;
    }
    return size;
}

static inline uint64_t apir_decode_array_size_unchecked(apir_decoder * dec) {
    uint64_t size;
    apir_decode_uint64_t(dec, &size);
    return size;
}

static inline bool apir_encode_simple_pointer(apir_encoder * enc, const void * val) {
    apir_encode_array_size(enc, val ? 1 : 0);
    return val != NULL;
}

static inline bool apir_decode_simple_pointer(apir_decoder * dec) {
    return apir_decode_array_size_unchecked(dec) != 0;
}

// Opaque bytes, padded to 4 (the padding is not written).
static inline void apir_encode_blob_array(apir_encoder * enc, const void * val, size_t size) {
    apir_encode(enc, (size + 3) & ~(size_t) 3, val, size);
}

static inline void apir_decode_blob_array(apir_decoder * dec, void * val, size_t size) {
    apir_decode(dec, (size + 3) & ~(size_t) 3, val, size);
}

// A string of `size` bytes including its NUL; the decoder always terminates it.
static inline void apir_encode_char_array(apir_encoder * enc, const char * val, size_t size) {
    assert(size && strlen(val) < size);
    apir_encode_blob_array(enc, val, size);
}

static inline void apir_decode_char_array(apir_decoder * dec, char * val, size_t size) {
    apir_decode_blob_array(dec, val, size);
    if (size) {
        val[size - 1] = '\0';
    } else {
        GGML_LOG_ERROR("%s: Couldn't decode the blog array\n", __func__);
        apir_decoder_set_fatal(dec);
    }
}

// malloc(size * count), NULL on overflow.
static inline void * apir_decoder_alloc_array(size_t size, size_t count) {
    size_t alloc_size;
    if (unlikely(__builtin_mul_overflow(size, count, &alloc_size))) {
        GGML_LOG_ERROR("%s: overflow in array allocation of %zu * %zu bytes\n", __func__, size, count);
        return NULL;
    }
    return malloc(alloc_size);
}

// ---- handles as plain 8-byte values ----

static inline void apir_encode_apir_buffer_type_host_handle_t(apir_encoder *                         enc,
                                                              const apir_buffer_type_host_handle_t * val) {
    apir_encode(enc, sizeof(*val), val, sizeof(*val));
}

static inline void apir_decode_apir_buffer_type_host_handle_t(apir_decoder * dec, apir_buffer_type_host_handle_t * val) {
    apir_decode(dec, sizeof(*val), val, sizeof(*val));
}

static inline void apir_encode_apir_buffer_host_handle_t(apir_encoder * enc, const apir_buffer_host_handle_t * val) {
    apir_encode(enc, sizeof(*val), val, sizeof(*val));
}

static inline void apir_decode_apir_buffer_host_handle_t(apir_decoder * dec, apir_buffer_host_handle_t * val) {
    apir_decode(dec, sizeof(*val), val, sizeof(*val));
}
