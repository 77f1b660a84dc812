#include "wire.h"

const char *kc__rd_strerror(int err) {
    switch (err) {
    case KC__RD_OK: return "no error";
    case KC__RD_SHORT: return "input ended inside a field";
    case KC__RD_BAD_LEN: return "invalid length";
    case KC__RD_BAD_VARINT: return "varint too long";
    case KC__RD_NOMEM: return "out of memory";
    case KC__RD_BAD_VALUE: return "invalid value";
    }
    return "unknown decode error";
}

double kc__r_f64(kc__rd *r) {
    uint64_t u = (uint64_t)kc__r_i64(r);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

void kc__w_f64(kc__buf *b, double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    kc__w_i64(b, (int64_t)u);
}

kc__uuid kc__r_uuid(kc__rd *r) {
    kc__uuid u;
    const uint8_t *p = kc__rd_take(r, 16);
    if (p)
        memcpy(u.b, p, 16);
    else
        memset(u.b, 0, 16);
    return u;
}

static uint64_t read_uvar(kc__rd *r, int max_bytes) {
    uint64_t v = 0;
    int shift = 0;
    for (int i = 0; i < max_bytes; i++) {
        if (r->err) return 0;
        if (r->p >= r->end) {
            kc__rd_fail(r, KC__RD_SHORT);
            return 0;
        }
        uint8_t c = *r->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) return v;
        shift += 7;
    }
    kc__rd_fail(r, KC__RD_BAD_VARINT);
    return 0;
}

uint32_t kc__r_uvarint(kc__rd *r) {
    uint64_t v = read_uvar(r, 5);
    if (v > UINT32_MAX) {
        kc__rd_fail(r, KC__RD_BAD_VARINT);
        return 0;
    }
    return (uint32_t)v;
}

uint64_t kc__r_uvarlong(kc__rd *r) { return read_uvar(r, 10); }

int32_t kc__r_varint(kc__rd *r) {
    uint32_t u = kc__r_uvarint(r);
    return (int32_t)(u >> 1) ^ -(int32_t)(u & 1);
}

int64_t kc__r_varlong(kc__rd *r) { return kc__unzigzag64(kc__r_uvarlong(r)); }

/* Length of a string/bytes field: -1 null, else >= 0, checked against input. */
static int32_t read_len(kc__rd *r, bool compact, bool wide) {
    int64_t n;
    if (compact)
        n = (int64_t)kc__r_uvarint(r) - 1;
    else
        n = wide ? kc__r_i32(r) : kc__r_i16(r);
    if (r->err) return -1;
    if (n < -1) {
        kc__rd_fail(r, KC__RD_BAD_LEN);
        return -1;
    }
    if (n > (int64_t)kc__rd_left(r)) {
        kc__rd_fail(r, KC__RD_SHORT);
        return -1;
    }
    return (int32_t)n;
}

kc__str kc__r_str(kc__rd *r, bool compact) {
    kc__str s = KC__STR_NULL;
    int32_t n = read_len(r, compact, false);
    if (n < 0) return s;
    s.p = (const char *)kc__rd_take(r, (size_t)n);
    s.len = s.p ? n : -1;
    return s;
}

kc__bytes kc__r_bytes(kc__rd *r, bool compact) {
    kc__bytes s = KC__BYTES_NULL;
    int32_t n = read_len(r, compact, true);
    if (n < 0) return s;
    s.p = kc__rd_take(r, (size_t)n);
    s.len = s.p ? n : -1;
    return s;
}

int32_t kc__r_array_len(kc__rd *r, bool compact, size_t min_elem) {
    int64_t n = compact ? (int64_t)kc__r_uvarint(r) - 1 : kc__r_i32(r);
    if (r->err) return -1;
    if (n < -1) {
        kc__rd_fail(r, KC__RD_BAD_LEN);
        return -1;
    }
    if (min_elem == 0) min_elem = 1;
    if (n > 0 && (uint64_t)n > kc__rd_left(r) / min_elem) {
        kc__rd_fail(r, KC__RD_BAD_LEN);
        return -1;
    }
    return (int32_t)n;
}

void kc__w_str(kc__buf *b, kc__str s, bool compact) {
    if (compact)
        kc__w_uvarint(b, s.len < 0 ? 0 : (uint64_t)s.len + 1);
    else
        kc__w_i16(b, (int16_t)(s.len < 0 ? -1 : s.len));
    if (s.len > 0) kc__buf_put(b, s.p, (size_t)s.len);
}

void kc__w_bytes(kc__buf *b, kc__bytes s, bool compact) {
    if (compact)
        kc__w_uvarint(b, s.len < 0 ? 0 : (uint64_t)s.len + 1);
    else
        kc__w_i32(b, s.len < 0 ? -1 : s.len);
    if (s.len > 0) kc__buf_put(b, s.p, (size_t)s.len);
}

void kc__w_array_len(kc__buf *b, int32_t n, bool compact) {
    if (compact)
        kc__w_uvarint(b, n < 0 ? 0 : (uint64_t)n + 1);
    else
        kc__w_i32(b, n < 0 ? -1 : n);
}

/* --- support for the generated codecs --- */

const char *kc__enc_strerror(int err) {
    switch (err) {
    case KC__ENC_OK: return "no error";
    case KC__ENC_BAD_VERSION: return "version not supported by this message";
    case KC__ENC_UNSUPPORTED_FIELD: return "field set to a non-default value the version cannot carry";
    case KC__ENC_NULL: return "null in a non-nullable field";
    case KC__ENC_TOO_LONG: return "string longer than 32767 bytes";
    case KC__ENC_NOMEM: return "out of memory";
    case KC__ENC_UNKNOWN_API: return "unknown api key";
    }
    return "unknown encode error";
}

kc__str kc__r_str_checked(kc__rd *r, bool compact, bool nullable) {
    kc__str s = kc__r_str(r, compact);
    if (s.len < 0 && !nullable)
        kc__rd_fail(r, KC__RD_BAD_VALUE);
    else if (s.len > 0x7fff)
        kc__rd_fail(r, KC__RD_BAD_LEN);
    return s;
}

kc__bytes kc__r_bytes_checked(kc__rd *r, bool compact, bool nullable) {
    kc__bytes s = kc__r_bytes(r, compact);
    if (s.len < 0 && !nullable) kc__rd_fail(r, KC__RD_BAD_VALUE);
    return s;
}

void *kc__r_array(kc__rd *r, kc__arena *a, bool compact, bool nullable, size_t min_elem,
                  size_t elem_size, int32_t *n) {
    int32_t len = kc__r_array_len(r, compact, min_elem);
    *n = 0;
    if (r->err) return NULL;
    if (len < 0) {
        if (nullable)
            *n = -1;
        else
            kc__rd_fail(r, KC__RD_BAD_VALUE);
        return NULL;
    }
    if (len == 0) return NULL;
    void *p = kc__arena_calloc(a, (size_t)len, elem_size);
    if (!p) {
        kc__rd_fail(r, KC__RD_NOMEM);
        return NULL;
    }
    *n = len;
    return p;
}

void *kc__r_alloc(kc__rd *r, kc__arena *a, size_t n) {
    if (r->err) return NULL;
    void *p = kc__arena_alloc(a, n);
    if (!p) kc__rd_fail(r, KC__RD_NOMEM);
    return p;
}

uint32_t kc__r_tag(kc__rd *r, kc__rd *sub) {
    uint32_t tag = kc__r_uvarint(r);
    uint32_t size = kc__r_uvarint(r);
    const uint8_t *p = kc__rd_take(r, size);
    *sub = *r;
    if (p) {
        sub->p = p;
        sub->end = p + size;
    }
    return tag;
}

void kc__r_tag_end(kc__rd *r, const kc__rd *sub) {
    if (sub->err && !r->err) {
        r->err = sub->err;
        r->err_off = sub->err_off;
        r->p = r->end;
    }
}

void kc__r_skip_tags(kc__rd *r) {
    uint32_t n = kc__r_uvarint(r);
    for (uint32_t i = 0; i < n && !r->err; i++) {
        (void)kc__r_uvarint(r);
        kc__r_skip(r, kc__r_uvarint(r));
    }
}

int kc__w_str_checked(kc__buf *b, kc__str s, bool compact, bool nullable) {
    if (s.len < 0 && !nullable) return KC__ENC_NULL;
    if (s.len > 0x7fff) return KC__ENC_TOO_LONG;
    kc__w_str(b, s, compact);
    return 0;
}

int kc__w_bytes_checked(kc__buf *b, kc__bytes s, bool compact, bool nullable) {
    if (s.len < 0 && !nullable) return KC__ENC_NULL;
    kc__w_bytes(b, s, compact);
    return 0;
}

int kc__w_array_len_checked(kc__buf *b, int32_t n, bool compact, bool nullable) {
    if (n < 0 && !nullable) return KC__ENC_NULL;
    kc__w_array_len(b, n, compact);
    return 0;
}

void kc__w_insert_uvarint(kc__buf *b, size_t at, uint64_t v) {
    uint8_t tmp[10];
    size_t n = kc__uvarint_enc(tmp, v);
    if (at > b->len || kc__buf_reserve(b, n)) return;
    memmove(b->p + at + n, b->p + at, b->len - at);
    memcpy(b->p + at, tmp, n);
    b->len += n;
}

int kc__w_finish(kc__buf *b, size_t start, int err) {
    if (!err && !kc__buf_ok(b)) err = KC__ENC_NOMEM;
    if (err && start <= b->len) b->len = start;
    return err;
}
