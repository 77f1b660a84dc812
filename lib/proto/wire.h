/* Kafka wire primitives: fixed-width big-endian integers, varints, strings,
 * bytes, arrays, UUIDs and tagged fields, in their classic and compact
 * ("flexible version") forms.
 *
 * Reading uses a sticky-error reader: the first failure (short input, bad
 * length, bad varint) is recorded in `err` and every later read is a no-op
 * returning zero/empty, so a decoder reads all its fields and checks once.
 * Strings and byte fields decoded by the reader point into the input
 * (zero-copy): the input must outlive the decoded values.
 *
 * Writing appends to a kc__buf (sticky out-of-memory).
 *
 * Thread: pure functions; a reader or buffer belongs to one thread. */
#ifndef KC_PROTO_WIRE_H
#define KC_PROTO_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../util/buf.h"

/* A string or byte slice that may be null (len == -1). Not NUL-terminated. */
typedef struct kc__str {
    const char *p;
    int32_t len; /* -1: null */
} kc__str;

typedef struct kc__bytes {
    const uint8_t *p;
    int32_t len; /* -1: null */
} kc__bytes;

typedef struct kc__uuid {
    uint8_t b[16];
} kc__uuid;

#define KC__STR_NULL ((kc__str){NULL, -1})
#define KC__BYTES_NULL ((kc__bytes){NULL, -1})

static inline kc__str kc__str_c(const char *s) {
    kc__str r = {s, s ? (int32_t)strlen(s) : -1};
    return r;
}

static inline bool kc__str_eq(kc__str a, kc__str b) {
    return a.len == b.len && (a.len <= 0 || memcmp(a.p, b.p, (size_t)a.len) == 0);
}

static inline bool kc__bytes_eq(kc__bytes a, kc__bytes b) {
    return a.len == b.len && (a.len <= 0 || memcmp(a.p, b.p, (size_t)a.len) == 0);
}

/* Reader errors (kc__rd.err). */
enum {
    KC__RD_OK = 0,
    KC__RD_SHORT,      /* input ended inside a field */
    KC__RD_BAD_LEN,    /* negative or impossible length */
    KC__RD_BAD_VARINT, /* varint longer than its type allows */
    KC__RD_NOMEM,      /* arena allocation failed */
    KC__RD_BAD_VALUE,  /* a value the decoder cannot accept */
};

typedef struct kc__rd {
    const uint8_t *p;
    const uint8_t *end;
    const uint8_t *start;
    int err;            /* sticky: first error */
    size_t err_off;     /* offset of the first error */
} kc__rd;

static inline void kc__rd_init(kc__rd *r, const void *p, size_t len) {
    static const uint8_t empty[1];
    if (!p) p = empty; /* (p, 0) from an empty kc__buf: keep pointer math off NULL */
    r->p = r->start = (const uint8_t *)p;
    r->end = r->p + len;
    r->err = 0;
    r->err_off = 0;
}

static inline void kc__rd_fail(kc__rd *r, int err) {
    if (!r->err) {
        r->err = err;
        r->err_off = (size_t)(r->p - r->start);
    }
    r->p = r->end;
}

static inline size_t kc__rd_left(const kc__rd *r) { return (size_t)(r->end - r->p); }

/* Returns a pointer to the next n bytes and advances, or NULL (error set). */
static inline const uint8_t *kc__rd_take(kc__rd *r, size_t n) {
    if (r->err) return NULL;
    if ((size_t)(r->end - r->p) < n) {
        kc__rd_fail(r, KC__RD_SHORT);
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    return p;
}

const char *kc__rd_strerror(int err);

static inline uint8_t kc__get_u8(const uint8_t *p) { return p[0]; }
static inline uint16_t kc__get_u16(const uint8_t *p) {
    return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}
static inline uint32_t kc__get_u32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t kc__get_u64(const uint8_t *p) {
    return (uint64_t)kc__get_u32(p) << 32 | kc__get_u32(p + 4);
}
static inline void kc__put_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void kc__put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static inline void kc__put_u64(uint8_t *p, uint64_t v) {
    kc__put_u32(p, (uint32_t)(v >> 32));
    kc__put_u32(p + 4, (uint32_t)v);
}

static inline int8_t kc__r_i8(kc__rd *r) {
    const uint8_t *p = kc__rd_take(r, 1);
    return p ? (int8_t)p[0] : 0;
}
static inline bool kc__r_bool(kc__rd *r) { return kc__r_i8(r) != 0; }
static inline int16_t kc__r_i16(kc__rd *r) {
    const uint8_t *p = kc__rd_take(r, 2);
    return p ? (int16_t)kc__get_u16(p) : 0;
}
static inline uint16_t kc__r_u16(kc__rd *r) {
    const uint8_t *p = kc__rd_take(r, 2);
    return p ? kc__get_u16(p) : 0;
}
static inline int32_t kc__r_i32(kc__rd *r) {
    const uint8_t *p = kc__rd_take(r, 4);
    return p ? (int32_t)kc__get_u32(p) : 0;
}
static inline uint32_t kc__r_u32(kc__rd *r) {
    const uint8_t *p = kc__rd_take(r, 4);
    return p ? kc__get_u32(p) : 0;
}
static inline int64_t kc__r_i64(kc__rd *r) {
    const uint8_t *p = kc__rd_take(r, 8);
    return p ? (int64_t)kc__get_u64(p) : 0;
}
double kc__r_f64(kc__rd *r);
kc__uuid kc__r_uuid(kc__rd *r);

/* Unsigned LEB128 varint, at most 5 bytes (32-bit) / 10 bytes (64-bit). */
uint32_t kc__r_uvarint(kc__rd *r);
uint64_t kc__r_uvarlong(kc__rd *r);
/* Zig-zag signed varints (record fields). */
int32_t kc__r_varint(kc__rd *r);
int64_t kc__r_varlong(kc__rd *r);

/* Strings and bytes. `compact` selects the flexible-version form (length+1
 * as an unsigned varint, 0 = null). A null value where the field is not
 * nullable is accepted here; the generated code decides what null means. */
kc__str kc__r_str(kc__rd *r, bool compact);
kc__bytes kc__r_bytes(kc__rd *r, bool compact);
/* Array length: -1 for null. A length larger than the bytes left (each
 * element needs at least `min_elem` bytes) is refused as KC__RD_BAD_LEN,
 * so a hostile length cannot make the decoder allocate gigabytes. */
int32_t kc__r_array_len(kc__rd *r, bool compact, size_t min_elem);

/* Tagged fields: callback-free skipping of unknown tags. The generated
 * decoders read the count, then for each tag either decode a known field from
 * a sub-reader or skip it. */
static inline void kc__r_skip(kc__rd *r, size_t n) { (void)kc__rd_take(r, n); }

/* --- writing --- */
static inline void kc__w_i8(kc__buf *b, int8_t v) {
    uint8_t c = (uint8_t)v;
    kc__buf_put(b, &c, 1);
}
static inline void kc__w_bool(kc__buf *b, bool v) { kc__w_i8(b, v ? 1 : 0); }
static inline void kc__w_i16(kc__buf *b, int16_t v) {
    if (kc__buf_reserve(b, 2)) return;
    kc__put_u16(b->p + b->len, (uint16_t)v);
    b->len += 2;
}
static inline void kc__w_u16(kc__buf *b, uint16_t v) { kc__w_i16(b, (int16_t)v); }
static inline void kc__w_i32(kc__buf *b, int32_t v) {
    if (kc__buf_reserve(b, 4)) return;
    kc__put_u32(b->p + b->len, (uint32_t)v);
    b->len += 4;
}
static inline void kc__w_u32(kc__buf *b, uint32_t v) { kc__w_i32(b, (int32_t)v); }
static inline void kc__w_i64(kc__buf *b, int64_t v) {
    if (kc__buf_reserve(b, 8)) return;
    kc__put_u64(b->p + b->len, (uint64_t)v);
    b->len += 8;
}
void kc__w_f64(kc__buf *b, double v);
static inline void kc__w_uuid(kc__buf *b, const kc__uuid *u) { kc__buf_put(b, u->b, 16); }

/* Encodes into out (>= 10 bytes); returns the byte count. */
static inline size_t kc__uvarint_enc(uint8_t *out, uint64_t v) {
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}
static inline size_t kc__uvarint_size(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}
static inline uint64_t kc__zigzag64(int64_t v) {
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}
static inline int64_t kc__unzigzag64(uint64_t v) {
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}
static inline size_t kc__varlong_size(int64_t v) { return kc__uvarint_size(kc__zigzag64(v)); }

static inline void kc__w_uvarint(kc__buf *b, uint64_t v) {
    if (kc__buf_reserve(b, 10)) return;
    b->len += kc__uvarint_enc(b->p + b->len, v);
}
static inline void kc__w_varint(kc__buf *b, int32_t v) { kc__w_uvarint(b, kc__zigzag64(v)); }
static inline void kc__w_varlong(kc__buf *b, int64_t v) { kc__w_uvarint(b, kc__zigzag64(v)); }

void kc__w_str(kc__buf *b, kc__str s, bool compact);
void kc__w_bytes(kc__buf *b, kc__bytes s, bool compact);
/* n == -1 writes a null array. */
void kc__w_array_len(kc__buf *b, int32_t n, bool compact);

/* --- support for the generated codecs (lib/proto/gen) --- */

/* Encoder errors (negative), from the generated *_encode functions. */
enum {
    KC__ENC_OK = 0,
    KC__ENC_BAD_VERSION = -1,       /* version not supported by this message */
    KC__ENC_UNSUPPORTED_FIELD = -2, /* non-default value the version cannot carry */
    KC__ENC_NULL = -3,              /* null in a non-nullable field */
    KC__ENC_TOO_LONG = -4,          /* string longer than 32767 bytes */
    KC__ENC_NOMEM = -5,             /* out of memory */
    KC__ENC_UNKNOWN_API = -6,       /* unknown api key */
};
const char *kc__enc_strerror(int err);

/* Empty (not null) values with a non-NULL p: the generated init functions
 * use these and decoded values point into the input, so a kc__str or
 * kc__bytes that is not null always has p != NULL. */
#define KC__STR_EMPTY ((kc__str){"", 0})
#define KC__BYTES_EMPTY ((kc__bytes){(const uint8_t *)"", 0})

static inline bool kc__uuid_eq(const kc__uuid *a, const kc__uuid *b) {
    return memcmp(a->b, b->b, 16) == 0;
}
static inline bool kc__uuid_is_zero(const kc__uuid *u) {
    static const kc__uuid zero;
    return kc__uuid_eq(u, &zero);
}

/* Checked reads: a null where the field is not nullable fails with
 * KC__RD_BAD_VALUE; a string over 32767 bytes with KC__RD_BAD_LEN. */
kc__str kc__r_str_checked(kc__rd *r, bool compact, bool nullable);
kc__bytes kc__r_bytes_checked(kc__rd *r, bool compact, bool nullable);
/* Reads an array length and allocates n zeroed elements from the arena
 * (NULL for empty and null arrays; *n = -1 for a null, nullable array). */
void *kc__r_array(kc__rd *r, kc__arena *a, bool compact, bool nullable, size_t min_elem,
                  size_t elem_size, int32_t *n);
/* Arena allocation that fails the reader (KC__RD_NOMEM). */
void *kc__r_alloc(kc__rd *r, kc__arena *a, size_t n);
/* Tagged fields: kc__r_tag() reads a tag and its size and sets up `sub` over
 * the tag's bytes (the outer reader skips them); kc__r_tag_end() carries a
 * failure of `sub` to r. kc__r_skip_tags() skips a whole tagged-field
 * section. */
uint32_t kc__r_tag(kc__rd *r, kc__rd *sub);
void kc__r_tag_end(kc__rd *r, const kc__rd *sub);
void kc__r_skip_tags(kc__rd *r);

/* Checked writes: return 0 or KC__ENC_NULL / KC__ENC_TOO_LONG (nothing
 * written then). */
int kc__w_str_checked(kc__buf *b, kc__str s, bool compact, bool nullable);
int kc__w_bytes_checked(kc__buf *b, kc__bytes s, bool compact, bool nullable);
int kc__w_array_len_checked(kc__buf *b, int32_t n, bool compact, bool nullable);
/* Inserts an unsigned varint at position `at`, moving what follows. */
void kc__w_insert_uvarint(kc__buf *b, size_t at, uint64_t v);
/* Tagged field writing: kc__w_tag_begin() writes the tag and returns where
 * its size goes; kc__w_tag_end() inserts the size of what was written since. */
static inline size_t kc__w_tag_begin(kc__buf *b, uint32_t tag) {
    kc__w_uvarint(b, tag);
    return b->len;
}
static inline void kc__w_tag_end(kc__buf *b, size_t at) {
    if (at <= b->len) kc__w_insert_uvarint(b, at, b->len - at);
}
/* Ends an encode started at `start`: err, or KC__ENC_NOMEM when the buffer
 * ran out of memory; on error the buffer is cut back to start. */
int kc__w_finish(kc__buf *b, size_t start, int err);

#endif
