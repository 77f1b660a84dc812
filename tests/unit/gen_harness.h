/* Hand-written support for the generated codec tests in tests/unit/gen/. */
/* Shared driver of the generated codec tests: the round-trip, prefix,
 * default, unknown-tag and version-range checks run for every (message,
 * version). The fill values come from gen_fill.h. */
#ifndef KC_TESTS_GEN_HARNESS_H
#define KC_TESTS_GEN_HARNESS_H

#include <check.h>

#include "gen_fill.h"

/* Where the current check is, for the EQ messages. */
static char gen_where[128];
#define EQ(c, what) ck_assert_msg((c), "%s: %s differs after decoding", gen_where, what)

/* A message under test: its codec and fill function (gen_fill_<group>.h)
 * and the function comparing two of them field by field. */
typedef struct gen_msg {
    const gen_codec *c;
    void (*eq)(const void *x, const void *y);
} gen_msg;

/* The _i-th (message, version) pair of a table. */
static inline const gen_msg *gen_pair(const gen_msg *msgs, size_t n, int i, int16_t *v) {
    for (size_t k = 0; k < n; k++) {
        int count = msgs[k].c->max - msgs[k].c->min + 1;
        if (i < count) {
            *v = (int16_t)(msgs[k].c->min + i);
            return &msgs[k];
        }
        i -= count;
    }
    ck_abort_msg("no pair %d", i);
    return NULL;
}
static inline int gen_pair_count(const gen_msg *msgs, size_t n) {
    int total = 0;
    for (size_t k = 0; k < n; k++) total += msgs[k].c->max - msgs[k].c->min + 1;
    return total;
}

static inline void *gen_new(kc__arena *a, const gen_codec *g) {
    void *m = kc__arena_alloc(a, g->size);
    ck_assert_ptr_nonnull(m);
    return m;
}

static inline void gen_decode_ok(const gen_codec *g, int16_t v, const uint8_t *p, size_t len,
                                 kc__arena *a, void *out) {
    kc__rd r;
    kc__rd_init(&r, p, len);
    int rc = g->dec(&r, a, v, out);
    ck_assert_msg(rc == 0, "%s: decode failed: %s at offset %zu of %zu", gen_where,
                  kc__rd_strerror(rc), r.err_off, len);
    ck_assert_msg(kc__rd_left(&r) == 0, "%s: %zu bytes left after decoding", gen_where,
                  kc__rd_left(&r));
}

/* Every strict prefix (a sample for long encodings) must fail to decode. */
static inline void gen_prefixes(const gen_codec *g, int16_t v, const uint8_t *p, size_t len) {
    for (size_t n = 0; n < len;) {
        kc__arena a;
        kc__arena_init(&a, 0);
        kc__rd r;
        kc__rd_init(&r, p, n);
        int rc = g->dec(&r, &a, v, gen_new(&a, g));
        ck_assert_msg(rc != 0, "%s: a %zu-byte prefix of %zu bytes decoded", gen_where, n, len);
        kc__arena_destroy(&a);
        n = (n < 256 || n + 256 >= len) ? n + 1 : (n + 13 < len - 256 ? n + 13 : len - 256);
    }
}

/* Fill (non-default values everywhere the version has a field, or nulls
 * where it allows them), encode, decode, compare, re-encode, compare bytes. */
static inline void gen_roundtrip(const gen_msg *t, int16_t v, int nulls) {
    const gen_codec *g = t->c;
    kc__arena a;
    kc__arena_init(&a, 0);
    snprintf(gen_where, sizeof gen_where, "%s v%d%s", g->name, v, nulls ? " (nulls)" : "");
    void *m = gen_make(g, &a, v, nulls ? GEN_NULLS : GEN_FILLED), *d = gen_new(&a, g);
    ck_assert_ptr_nonnull(m);
    kc__buf b1, b2;
    kc__buf_init(&b1, 0);
    kc__buf_init(&b2, 0);
    int rc = g->enc(&b1, v, m);
    ck_assert_msg(rc == 0, "%s: encode failed: %s", gen_where, kc__enc_strerror(rc));
    gen_decode_ok(g, v, b1.p, b1.len, &a, d);
    t->eq(m, d);
    rc = g->enc(&b2, v, d);
    ck_assert_msg(rc == 0, "%s: re-encode failed: %s", gen_where, kc__enc_strerror(rc));
    ck_assert_msg(b1.len == b2.len && (b1.len == 0 || memcmp(b1.p, b2.p, b1.len) == 0),
                  "%s: re-encoding differs (%zu vs %zu bytes)", gen_where, b1.len, b2.len);
    if (!nulls) gen_prefixes(g, v, b1.p, b1.len);
    kc__buf_free(&b1);
    kc__buf_free(&b2);
    kc__arena_destroy(&a);
}

/* Defaults round-trip; in flexible versions unknown tagged fields appended
 * at the end are skipped, and a tagged field running past the end fails. */
static inline void gen_defaults(const gen_msg *t, int16_t v) {
    const gen_codec *g = t->c;
    kc__arena a;
    kc__arena_init(&a, 0);
    snprintf(gen_where, sizeof gen_where, "%s v%d (defaults)", g->name, v);
    void *m = gen_make(g, &a, v, GEN_DEFAULTS), *d = gen_new(&a, g);
    ck_assert_ptr_nonnull(m);
    kc__buf b;
    kc__buf_init(&b, 0);
    int rc = g->enc(&b, v, m);
    ck_assert_msg(rc == 0, "%s: encode failed: %s", gen_where, kc__enc_strerror(rc));
    gen_decode_ok(g, v, b.p, b.len, &a, d);
    t->eq(m, d);
    if (g->flex >= 0 && v >= g->flex) {
        ck_assert_msg(b.len > 0 && b.p[b.len - 1] == 0, "%s: no empty tag section at the end",
                      gen_where);
        b.len--;
        static const uint8_t tags[] = {2, 0x90, 0x4e, 3, 'x', 'y', 'z', 0x91, 0x4e, 0};
        kc__buf_put(&b, tags, sizeof tags);
        ck_assert(kc__buf_ok(&b));
        gen_decode_ok(g, v, b.p, b.len, &a, d);
        t->eq(m, d);
        b.p[b.len - 7] = 0x7f; /* first tag's size now runs past the end */
        kc__rd r;
        kc__rd_init(&r, b.p, b.len);
        ck_assert_int_eq(g->dec(&r, &a, v, d), KC__RD_SHORT);
    }
    kc__buf_free(&b);
    kc__arena_destroy(&a);
}

/* Versions just outside the range are refused, leaving the buffer as it was. */
static inline void gen_bad_versions(const gen_msg *t) {
    const gen_codec *g = t->c;
    const int bad[] = {g->min - 1, g->max + 1, INT16_MAX, -1};
    snprintf(gen_where, sizeof gen_where, "%s (bad versions)", g->name);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (bad[i] >= g->min && bad[i] <= g->max) continue;
        kc__arena a;
        kc__arena_init(&a, 0);
        void *m = gen_new(&a, g);
        g->init(m);
        kc__buf b;
        kc__buf_init(&b, 0);
        kc__buf_put(&b, "abc", 3);
        ck_assert_int_eq(g->enc(&b, (int16_t)bad[i], m), KC__ENC_BAD_VERSION);
        ck_assert_uint_eq(b.len, 3);
        static const uint8_t zeros[64];
        kc__rd r;
        kc__rd_init(&r, zeros, sizeof zeros);
        ck_assert_int_eq(g->dec(&r, &a, (int16_t)bad[i], m), KC__RD_BAD_VALUE);
        kc__buf_free(&b);
        kc__arena_destroy(&a);
    }
}

/* A field set (by `set`) to a value version v cannot carry must be refused
 * with `expect`, leaving the buffer as it was. */
typedef struct gen_refusal {
    int msg;
    int16_t v;
    int expect;
    const char *what;
    void (*set)(void *m, fillctx *c);
} gen_refusal;

static inline void gen_refuse(const gen_msg *msgs, const gen_refusal *t) {
    const gen_codec *g = msgs[t->msg].c;
    kc__arena a;
    kc__arena_init(&a, 0);
    fillctx c = {&a, 77, 0};
    void *m = gen_new(&a, g);
    g->init(m);
    t->set(m, &c);
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__buf_put(&b, "abc", 3);
    int rc = g->enc(&b, t->v, m);
    ck_assert_msg(rc == t->expect, "%s v%d %s: got %d (%s), want %d", g->name, t->v, t->what, rc,
                  kc__enc_strerror(rc), t->expect);
    ck_assert_uint_eq(b.len, 3);
    kc__buf_free(&b);
    kc__arena_destroy(&a);
}

#endif
