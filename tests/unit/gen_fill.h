/* Hand-written support for the generated codec tests in tests/unit/gen/. */
/* Deterministic fill values for the generated messages, shared by the
 * generated codec tests (gen_harness.h) and tests/interop/dump_encodings.c,
 * which writes the same encodings for Kafka's Java classes to check.
 * Independent of Check. */
#ifndef KC_TESTS_GEN_FILL_H
#define KC_TESTS_GEN_FILL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/wire.h"

typedef struct fillctx {
    kc__arena *a;
    uint32_t n;   /* counter: every value differs */
    int nulls;    /* set nullable fields to null */
} fillctx;

/* Mixes small, negative and wide values so every byte of a field matters. */
static inline int64_t fill_next(fillctx *c) {
    uint32_t k = ++c->n;
    switch (k % 4) {
    case 0: return (int64_t)k;
    case 1: return -(int64_t)k * 1000003;
    case 2: return INT64_C(0x123456789abcdef0) + k;
    default: return -INT64_C(0x0fedcba987654321) - k;
    }
}
static inline bool fill_bool(fillctx *c, bool def) { (void)c; return !def; }
#define FILL_INT(name, T, UT)                                             \
    static inline T name(fillctx *c, T def) {                             \
        T v = (T)(UT)fill_next(c);                                        \
        return v == def ? (T)(v ^ 1) : v;                                 \
    }
FILL_INT(fill_i8, int8_t, uint8_t)
FILL_INT(fill_i16, int16_t, uint16_t)
FILL_INT(fill_u16, uint16_t, uint16_t)
FILL_INT(fill_i32, int32_t, uint32_t)
FILL_INT(fill_u32, uint32_t, uint32_t)
FILL_INT(fill_i64, int64_t, uint64_t)
static inline double fill_f64(fillctx *c, double def) {
    double v = (double)fill_next(c) / 4.0;
    return v == def ? v + 1.0 : v;
}
static inline void *fill_items(fillctx *c, size_t n, size_t size) {
    void *p = kc__arena_calloc(c->a, n, size);
    if (!p) {
        fprintf(stderr, "fill_items: out of memory\n");
        abort();
    }
    return p;
}
static inline kc__uuid fill_uuid(fillctx *c) {
    kc__uuid u;
    uint32_t k = ++c->n;
    for (int i = 0; i < 16; i++) u.b[i] = (uint8_t)(k * 31u + (uint32_t)i * 7u + 1u);
    return u;
}
/* Non-empty; every fifth one is long enough for a two-byte compact length. */
static inline kc__bytes fill_bytes(fillctx *c) {
    uint32_t k = ++c->n;
    int32_t len = k % 5 == 0 ? 130 + (int32_t)(k % 7) : 1 + (int32_t)(k % 9);
    uint8_t *p = fill_items(c, (size_t)len, 1);
    for (int32_t i = 0; i < len; i++) p[i] = (uint8_t)('a' + (k + (uint32_t)i) % 26);
    return (kc__bytes){p, len};
}
static inline kc__str fill_str(fillctx *c) {
    kc__bytes b = fill_bytes(c);
    return (kc__str){(const char *)b.p, b.len};
}

/* One generated message: its codec, and the function filling it. */
typedef struct gen_codec {
    const char *name;  /* "MetadataRequest", "RequestHeader", ... */
    int16_t api_key;   /* -1 for the request and response headers */
    bool response;     /* a response or the response header */
    int16_t min, max, flex; /* flex: first flexible version or -1 */
    size_t size;
    void (*init)(void *m);
    int (*enc)(kc__buf *b, int16_t v, const void *m);
    int (*dec)(kc__rd *r, kc__arena *a, int16_t v, void *m);
    void (*fill)(void *m, int16_t v, fillctx *c);
} gen_codec;

/* The variants every (message, version) is checked in. */
typedef enum gen_variant { GEN_FILLED, GEN_NULLS, GEN_DEFAULTS } gen_variant;
#define GEN_NVARIANTS 3

static inline const char *gen_variant_name(gen_variant var) {
    return var == GEN_FILLED ? "filled" : var == GEN_NULLS ? "nulls" : "defaults";
}

/* A new message g of version v in arena a: every field the version has set
 * to a non-default value (GEN_FILLED), the same with every field the version
 * lets be null set to null (GEN_NULLS), or as init leaves it (GEN_DEFAULTS).
 * The values depend only on g, v and var. NULL when out of memory. */
static inline void *gen_make(const gen_codec *g, kc__arena *a, int16_t v, gen_variant var) {
    void *m = kc__arena_alloc(a, g->size);
    if (!m) return NULL;
    if (var == GEN_DEFAULTS) {
        g->init(m);
    } else {
        fillctx c = {a, (uint32_t)v * 1000u, var == GEN_NULLS};
        g->fill(m, v, &c);
    }
    return m;
}

#endif
