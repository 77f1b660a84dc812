/* Record batch v2 writer and reader. See record_batch.h. */
#include "config.h"

#include "record_batch.h"

#include <stdio.h>

#include "../util/crc32c.h"
#include "compress.h"

const char *kc__batch_strerror(int err) {
    switch ((kc__batch_err)err) {
    case KC__BATCH_OK: return "no error";
    case KC__BATCH_END: return "no more batches or records";
    case KC__BATCH_INCOMPLETE: return "partial batch at the end of the data";
    case KC__BATCH_ERR_LENGTH: return "invalid record batch length";
    case KC__BATCH_ERR_OLD_MAGIC:
        return "unsupported message format v0/v1 (magic 0 or 1): only record batch v2 is supported";
    case KC__BATCH_ERR_MAGIC: return "unknown record batch magic (format version)";
    case KC__BATCH_ERR_CRC: return "record batch CRC32C mismatch (corrupt batch)";
    case KC__BATCH_ERR_CODEC: return "record batch compression codec unknown or not built in";
    case KC__BATCH_ERR_DECOMPRESS: return "record batch compressed data is corrupt";
    case KC__BATCH_ERR_TOO_BIG: return "record batch decompresses to more than the size limit";
    case KC__BATCH_ERR_NOMEM: return "out of memory";
    case KC__BATCH_ERR_RECORD: return "malformed record in batch";
    case KC__BATCH_ERR_COUNT: return "record batch record count does not match its records";
    case KC__BATCH_ERR_CONTROL: return "malformed control record";
    case KC__BATCH_ERR_INVALID: return "invalid argument";
    }
    return "unknown record batch error";
}

static int codec_err(int rc) {
    switch (rc) {
    case KC__CODEC_OK: return 0;
    case KC__CODEC_EUNSUPPORTED: return KC__BATCH_ERR_CODEC;
    case KC__CODEC_ECORRUPT: return KC__BATCH_ERR_DECOMPRESS;
    case KC__CODEC_ETOOBIG: return KC__BATCH_ERR_TOO_BIG;
    case KC__CODEC_ENOMEM: return KC__BATCH_ERR_NOMEM;
    default: return KC__BATCH_ERR_INVALID;
    }
}

/* ---------------------------------------------------------------- writing */

static int wfail(kc__batch_writer *w, int err) {
    if (!w->err) w->err = err;
    return w->err;
}

int kc__batch_writer_begin(kc__batch_writer *w, kc__buf *buf) {
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->start = buf->len;
    if (kc__buf_skip(buf, KC__BATCH_HEADER_SIZE) == (size_t)-1) return wfail(w, KC__BATCH_ERR_NOMEM);
    return 0;
}

static inline bool bytes_ok(kc__bytes b) { return b.len >= -1 && (b.len <= 0 || b.p); }

/* Hot-path varint helpers: size without a loop, one- and two-byte encodings
 * inline (the record lengths, deltas and counts of typical records). */
static inline size_t uvsize(uint64_t v) {
    return (size_t)(((64 - __builtin_clzll(v | 1)) * 9 + 64) >> 6);
}
static inline size_t zvsize(int64_t v) { return uvsize(kc__zigzag64(v)); }
static inline size_t bsize(int32_t len) { return len < 0 ? 1 : zvsize(len) + (size_t)len; }
static inline uint8_t *zvenc(uint8_t *p, int64_t sv) {
    uint64_t v = kc__zigzag64(sv);
    if (v < 0x80) {
        *p = (uint8_t)v;
        return p + 1;
    }
    if (v < 0x4000) {
        p[0] = (uint8_t)(v | 0x80);
        p[1] = (uint8_t)(v >> 7);
        return p + 2;
    }
    return p + kc__uvarint_enc(p, v);
}
static inline uint8_t *put_varbytes(uint8_t *p, const void *src, int32_t len) {
    p = zvenc(p, len);
    if (len > 0) {
        memcpy(p, src, (size_t)len);
        p += len;
    }
    return p;
}

int kc__batch_append_at(kc__batch_writer *w, int32_t offset_delta, int64_t timestamp,
                        kc__bytes key, kc__bytes value, const kc__rec_header *hdrs,
                        size_t nhdrs) {
    if (w->err) return w->err;
    if (w->count > 0 ? offset_delta <= w->last_offset_delta : offset_delta < 0)
        return wfail(w, KC__BATCH_ERR_INVALID);
    if (w->count == INT32_MAX || !bytes_ok(key) || !bytes_ok(value) || nhdrs > INT32_MAX ||
        (nhdrs && !hdrs))
        return wfail(w, KC__BATCH_ERR_INVALID);

    int64_t base = w->count ? w->base_timestamp : timestamp;
    int64_t ts_delta = (int64_t)((uint64_t)timestamp - (uint64_t)base);

    /* Size first, so the length prefix is written in place, in one pass. */
    uint64_t body = 1 + zvsize(ts_delta) + zvsize(offset_delta) + bsize(key.len) +
                    bsize(value.len) + zvsize((int64_t)nhdrs);
    for (size_t i = 0; i < nhdrs; i++) {
        const kc__rec_header *h = &hdrs[i];
        if (h->key.len < 0 || (h->key.len > 0 && !h->key.p) || !bytes_ok(h->value))
            return wfail(w, KC__BATCH_ERR_INVALID); /* header keys are never null */
        body += bsize(h->key.len) + bsize(h->value.len);
    }
    if (body > INT32_MAX) return wfail(w, KC__BATCH_ERR_INVALID);
    size_t total = zvsize((int64_t)body) + (size_t)body;
    kc__buf *b = w->buf;
    if (total > (size_t)INT32_MAX - (b->len - w->start)) return wfail(w, KC__BATCH_ERR_INVALID);
    if (kc__buf_reserve(b, total)) return wfail(w, KC__BATCH_ERR_NOMEM);

    uint8_t *p = b->p + b->len;
    p = zvenc(p, (int64_t)body);
    *p++ = 0; /* record attributes: unused */
    p = zvenc(p, ts_delta);
    p = zvenc(p, offset_delta);
    p = put_varbytes(p, key.p, key.len);
    p = put_varbytes(p, value.p, value.len);
    p = zvenc(p, (int64_t)nhdrs);
    for (size_t i = 0; i < nhdrs; i++) {
        p = put_varbytes(p, hdrs[i].key.p, hdrs[i].key.len);
        p = put_varbytes(p, hdrs[i].value.p, hdrs[i].value.len);
    }
    b->len += total;

    if (w->count == 0 || timestamp > w->max_timestamp) w->max_timestamp = timestamp;
    w->base_timestamp = base;
    w->last_offset_delta = offset_delta;
    w->count++;
    return 0;
}

int kc__batch_append(kc__batch_writer *w, int64_t timestamp, kc__bytes key, kc__bytes value,
                     const kc__rec_header *hdrs, size_t nhdrs) {
    return kc__batch_append_at(w, w->count, timestamp, key, value, hdrs, nhdrs);
}

int kc__batch_append_control(kc__batch_writer *w, int64_t timestamp, int16_t type,
                             int32_t coordinator_epoch) {
    uint8_t k[4], v[6];
    kc__put_u16(k, 0); /* version */
    kc__put_u16(k + 2, (uint16_t)type);
    kc__put_u16(v, 0); /* version */
    kc__put_u32(v + 2, (uint32_t)coordinator_epoch);
    kc__bytes key = {k, 4}, value = {v, 6};
    return kc__batch_append(w, timestamp, key, value, NULL, 0);
}

int kc__batch_writer_finish(kc__batch_writer *w, const kc__batch_params *bp, kc__buf *scratch) {
    static const kc__batch_params defaults = KC__BATCH_PARAMS_INIT;
    if (w->err) return w->err;
    if (!bp) bp = &defaults;
    if (w->count == 0) return wfail(w, KC__BATCH_ERR_INVALID);
    if (bp->codec < KC__CODEC_NONE || bp->codec > KC__CODEC_ZSTD)
        return wfail(w, KC__BATCH_ERR_CODEC);
    kc__buf *b = w->buf;
    if (!kc__buf_ok(b)) return wfail(w, KC__BATCH_ERR_NOMEM);
    size_t rec_len = b->len - w->start - KC__BATCH_HEADER_SIZE;
    int codec = bp->codec;

    if (codec != KC__CODEC_NONE) {
        kc__buf tmp, *s = scratch;
        if (!s) {
            kc__buf_init(&tmp, 0);
            s = &tmp;
        }
        s->len = 0;
        int rc = kc__compress(codec, bp->level, b->p + w->start + KC__BATCH_HEADER_SIZE, rec_len,
                              s);
        if (!rc && s->len < rec_len) {
            memcpy(b->p + w->start + KC__BATCH_HEADER_SIZE, s->p, s->len);
            b->len = w->start + KC__BATCH_HEADER_SIZE + s->len;
        } else if (!rc) {
            codec = KC__CODEC_NONE; /* compression did not help: send as is */
        }
        if (!scratch) kc__buf_free(&tmp);
        if (rc) return wfail(w, codec_err(rc));
    }

    uint8_t *h = b->p + w->start;
    size_t size = b->len - w->start;
    int16_t attrs = (int16_t)(codec | (bp->log_append_time ? KC__BATCH_ATTR_LOG_APPEND_TIME : 0) |
                              (bp->transactional ? KC__BATCH_ATTR_TRANSACTIONAL : 0) |
                              (bp->control ? KC__BATCH_ATTR_CONTROL : 0));
    kc__put_u64(h + KC__BATCH_OFF_BASE_OFFSET, (uint64_t)bp->base_offset);
    kc__put_u32(h + KC__BATCH_OFF_LENGTH, (uint32_t)(size - KC__BATCH_LOG_OVERHEAD));
    kc__put_u32(h + KC__BATCH_OFF_LEADER_EPOCH, (uint32_t)bp->partition_leader_epoch);
    h[KC__BATCH_OFF_MAGIC] = KC__BATCH_MAGIC;
    kc__put_u16(h + KC__BATCH_OFF_ATTRIBUTES, (uint16_t)attrs);
    kc__put_u32(h + KC__BATCH_OFF_LAST_OFFSET_DELTA, (uint32_t)w->last_offset_delta);
    kc__put_u64(h + KC__BATCH_OFF_BASE_TIMESTAMP, (uint64_t)w->base_timestamp);
    kc__put_u64(h + KC__BATCH_OFF_MAX_TIMESTAMP, (uint64_t)w->max_timestamp);
    kc__put_u64(h + KC__BATCH_OFF_PRODUCER_ID, (uint64_t)bp->producer_id);
    kc__put_u16(h + KC__BATCH_OFF_PRODUCER_EPOCH, (uint16_t)bp->producer_epoch);
    kc__put_u32(h + KC__BATCH_OFF_BASE_SEQUENCE, (uint32_t)bp->base_sequence);
    kc__put_u32(h + KC__BATCH_OFF_RECORD_COUNT, (uint32_t)w->count);
    kc__put_u32(h + KC__BATCH_OFF_CRC, kc__crc32c(0, h + KC__BATCH_OFF_ATTRIBUTES,
                                                  size - KC__BATCH_OFF_ATTRIBUTES));
    w->err = KC__BATCH_ERR_INVALID; /* finished: no more appends */
    return 0;
}

int kc__batch_set_producer(uint8_t *batch, size_t len, int64_t producer_id, int16_t producer_epoch,
                           int32_t base_sequence) {
    if (!batch || len < KC__BATCH_HEADER_SIZE || batch[KC__BATCH_OFF_MAGIC] != KC__BATCH_MAGIC ||
        kc__get_u32(batch + KC__BATCH_OFF_LENGTH) != len - KC__BATCH_LOG_OVERHEAD)
        return KC__BATCH_ERR_INVALID;
    kc__put_u64(batch + KC__BATCH_OFF_PRODUCER_ID, (uint64_t)producer_id);
    kc__put_u16(batch + KC__BATCH_OFF_PRODUCER_EPOCH, (uint16_t)producer_epoch);
    kc__put_u32(batch + KC__BATCH_OFF_BASE_SEQUENCE, (uint32_t)base_sequence);
    kc__put_u32(batch + KC__BATCH_OFF_CRC, kc__crc32c(0, batch + KC__BATCH_OFF_ATTRIBUTES,
                                                      len - KC__BATCH_OFF_ATTRIBUTES));
    return 0;
}

size_t kc__batch_size_estimate(kc__bytes key, kc__bytes value, const kc__rec_header *hdrs,
                               size_t nhdrs) {
    /* length prefix 5, attributes 1, timestamp delta 10, offset delta 5,
     * header count 5: the largest varints. */
    size_t n = 5 + 1 + 10 + 5 + bsize(key.len) + bsize(value.len) + 5;
    for (size_t i = 0; i < nhdrs; i++) n += bsize(hdrs[i].key.len) + bsize(hdrs[i].value.len);
    return n;
}

/* ---------------------------------------------------------------- reading */

void kc__batch_iter_init(kc__batch_iter *it, const void *records, size_t len) {
    memset(it, 0, sizeof *it);
    it->start = it->p = records ? (const uint8_t *)records : (const uint8_t *)"";
    it->end = it->p + (records ? len : 0);
}

static int iter_stop(kc__batch_iter *it, int status) {
    it->status = status;
    it->err_off = (size_t)(it->p - it->start);
    return status;
}

int kc__batch_iter_next(kc__batch_iter *it, kc__batch *b) {
    if (it->status) return it->status;
    const uint8_t *p = it->p;
    size_t left = (size_t)(it->end - p);
    if (left == 0) return iter_stop(it, KC__BATCH_END);
    if (left < KC__BATCH_OFF_MAGIC + 1) {
        it->need = KC__BATCH_OFF_MAGIC + 1;
        if (left >= KC__BATCH_LOG_OVERHEAD) {
            int32_t blen = (int32_t)kc__get_u32(p + KC__BATCH_OFF_LENGTH);
            if (blen < 0) return iter_stop(it, KC__BATCH_ERR_LENGTH);
            if ((size_t)blen + KC__BATCH_LOG_OVERHEAD > it->need)
                it->need = (size_t)blen + KC__BATCH_LOG_OVERHEAD;
        }
        return iter_stop(it, KC__BATCH_INCOMPLETE);
    }
    int32_t blen = (int32_t)kc__get_u32(p + KC__BATCH_OFF_LENGTH);
    if (blen < 0) return iter_stop(it, KC__BATCH_ERR_LENGTH);
    int8_t magic = (int8_t)p[KC__BATCH_OFF_MAGIC];
    /* The magic is at the same place in v0/v1 message sets (offset, size,
     * crc, magic): say which format it is before judging the length. */
    if (blen >= KC__BATCH_OFF_MAGIC + 1 - KC__BATCH_LOG_OVERHEAD && magic != KC__BATCH_MAGIC) {
        it->err_magic = magic;
        return iter_stop(it, magic == 0 || magic == 1 ? KC__BATCH_ERR_OLD_MAGIC : KC__BATCH_ERR_MAGIC);
    }
    if (blen < KC__BATCH_MIN_LENGTH) return iter_stop(it, KC__BATCH_ERR_LENGTH);
    size_t size = (size_t)blen + KC__BATCH_LOG_OVERHEAD;
    if (it->max_batch && size > it->max_batch) return iter_stop(it, KC__BATCH_ERR_LENGTH);
    if (left < size) {
        it->need = size;
        return iter_stop(it, KC__BATCH_INCOMPLETE);
    }

    b->p = p;
    b->len = size;
    b->base_offset = (int64_t)kc__get_u64(p + KC__BATCH_OFF_BASE_OFFSET);
    b->partition_leader_epoch = (int32_t)kc__get_u32(p + KC__BATCH_OFF_LEADER_EPOCH);
    b->magic = magic;
    b->crc = kc__get_u32(p + KC__BATCH_OFF_CRC);
    b->attributes = (int16_t)kc__get_u16(p + KC__BATCH_OFF_ATTRIBUTES);
    b->last_offset_delta = (int32_t)kc__get_u32(p + KC__BATCH_OFF_LAST_OFFSET_DELTA);
    b->base_timestamp = (int64_t)kc__get_u64(p + KC__BATCH_OFF_BASE_TIMESTAMP);
    b->max_timestamp = (int64_t)kc__get_u64(p + KC__BATCH_OFF_MAX_TIMESTAMP);
    b->producer_id = (int64_t)kc__get_u64(p + KC__BATCH_OFF_PRODUCER_ID);
    b->producer_epoch = (int16_t)kc__get_u16(p + KC__BATCH_OFF_PRODUCER_EPOCH);
    b->base_sequence = (int32_t)kc__get_u32(p + KC__BATCH_OFF_BASE_SEQUENCE);
    b->record_count = (int32_t)kc__get_u32(p + KC__BATCH_OFF_RECORD_COUNT);
    b->records = p + KC__BATCH_HEADER_SIZE;
    b->records_len = size - KC__BATCH_HEADER_SIZE;

    if (kc__crc32c(0, p + KC__BATCH_OFF_ATTRIBUTES, size - KC__BATCH_OFF_ATTRIBUTES) != b->crc)
        return iter_stop(it, KC__BATCH_ERR_CRC);
    if (b->record_count < 0) return iter_stop(it, KC__BATCH_ERR_COUNT);
    it->p += size;
    return 0;
}

const char *kc__batch_iter_describe(const kc__batch_iter *it, char *out, size_t n) {
    if (!n) return out;
    switch (it->status) {
    case KC__BATCH_OK: snprintf(out, n, "no error"); break;
    case KC__BATCH_END: snprintf(out, n, "end of records (%zu bytes)", it->err_off); break;
    case KC__BATCH_INCOMPLETE:
        snprintf(out, n, "partial batch at byte %zu: %zu of %zu bytes present", it->err_off,
                 (size_t)(it->end - it->start) - it->err_off, it->need);
        break;
    case KC__BATCH_ERR_OLD_MAGIC:
        snprintf(out, n,
                 "batch at byte %zu: unsupported message format v%d (magic %d): only record "
                 "batch v2 (magic 2) is supported",
                 it->err_off, it->err_magic, it->err_magic);
        break;
    case KC__BATCH_ERR_MAGIC:
        snprintf(out, n, "batch at byte %zu: unknown magic %d (expected 2)", it->err_off,
                 it->err_magic);
        break;
    default:
        snprintf(out, n, "batch at byte %zu: %s", it->err_off, kc__batch_strerror(it->status));
        break;
    }
    return out;
}

/* The smallest record: length, attributes, timestamp delta, offset delta,
 * key length, value length, header count, one byte each. */
#define MIN_RECORD_SIZE 7
#define MIN_RECORD_BODY 6

/* A minimal sticky-error reader for the record hot loop (kc__rd's
 * discipline, fewer fields): a failure sets bad and p = end, so later reads
 * return 0/null; the caller checks bad once per record. Varints of one or
 * two bytes (most lengths and deltas) decode inline. */
typedef struct rrd {
    const uint8_t *p, *end;
    bool bad;
} rrd;

static inline void rrd_fail(rrd *r) {
    r->bad = true;
    r->p = r->end;
}

static __attribute__((noinline)) uint64_t rrd_uvar_slow(rrd *r, int max_bytes) {
    const uint8_t *p = r->p;
    uint64_t v = 0;
    for (int i = 0; i < max_bytes && i < r->end - p; i++) {
        uint8_t c = p[i];
        v |= (uint64_t)(c & 0x7f) << (7 * i);
        if (!(c & 0x80)) {
            r->p = p + i + 1;
            return v;
        }
    }
    rrd_fail(r); /* input ended inside the varint, or too long */
    return 0;
}

static inline uint64_t rrd_uvar(rrd *r, int max_bytes) {
    const uint8_t *p = r->p;
    ptrdiff_t left = r->end - p;
    if (left >= 1 && p[0] < 0x80) {
        r->p = p + 1;
        return p[0];
    }
    if (left >= 2 && p[1] < 0x80) {
        r->p = p + 2;
        return (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
    }
    return rrd_uvar_slow(r, max_bytes);
}

static inline int32_t rrd_varint(rrd *r) {
    uint64_t u = rrd_uvar(r, 5);
    if (u > UINT32_MAX) {
        rrd_fail(r);
        return 0;
    }
    return (int32_t)((uint32_t)u >> 1) ^ -(int32_t)(u & 1);
}

static inline int64_t rrd_varlong(rrd *r) { return kc__unzigzag64(rrd_uvar(r, 10)); }

/* Record-style bytes: zig-zag varint length (-1 null), then the bytes. */
static inline kc__bytes rrd_bytes(rrd *r) {
    kc__bytes b = KC__BYTES_NULL;
    int32_t n = rrd_varint(r);
    if (n < 0) {
        if (n < -1) rrd_fail(r);
        return b;
    }
    if (n > r->end - r->p) {
        rrd_fail(r);
        return b;
    }
    b.p = r->p;
    b.len = n;
    r->p += n;
    return b;
}

/* Points it at the records section rec[0..n) of b. */
static int iter_start(kc__record_iter *it, const kc__batch *b, const uint8_t *rec, size_t n) {
    if (b->record_count < 0 || (size_t)b->record_count > n / MIN_RECORD_SIZE)
        return it->status = KC__BATCH_ERR_COUNT;
    it->p = rec;
    it->end = rec + n;
    it->base_offset = b->base_offset;
    it->base_timestamp = b->base_timestamp;
    it->max_timestamp = b->max_timestamp;
    it->log_append_time = kc__batch_is_log_append_time(b);
    it->control = kc__batch_is_control(b);
    it->count = b->record_count;
    return 0;
}

int kc__record_iter_init(kc__record_iter *it, const kc__batch *b, kc__buf *scratch,
                         size_t max_decompressed) {
    memset(it, 0, sizeof *it);
    const uint8_t *rec = b->records;
    size_t n = b->records_len;
    int codec = kc__batch_codec(b);
    if (codec != KC__CODEC_NONE) {
        if (!scratch) return it->status = KC__BATCH_ERR_INVALID;
        size_t at = scratch->len;
        int rc = kc__decompress(codec, rec, n, scratch,
                                max_decompressed ? max_decompressed : KC__BATCH_DECOMPRESS_LIMIT_DEFAULT);
        if (rc) return it->status = codec_err(rc);
        n = scratch->len - at;
        rec = n ? scratch->p + at : (const uint8_t *)"";
    }
    return iter_start(it, b, rec, n);
}

size_t kc__batch_decompressed_bound(const kc__batch *b, size_t max_decompressed) {
    int codec = kc__batch_codec(b);
    if (codec == KC__CODEC_NONE) return 0;
    return kc__decompress_bound(codec, b->records, b->records_len,
                                max_decompressed ? max_decompressed
                                                 : KC__BATCH_DECOMPRESS_LIMIT_DEFAULT);
}

int kc__record_iter_init_to(kc__record_iter *it, const kc__batch *b, void *dst, size_t cap,
                            size_t *usedp) {
    memset(it, 0, sizeof *it);
    *usedp = 0;
    int codec = kc__batch_codec(b);
    if (codec == KC__CODEC_NONE || !dst || !cap) return it->status = KC__BATCH_ERR_INVALID;
    size_t n;
    int rc = kc__decompress_to(codec, b->records, b->records_len, dst, cap, &n);
    if (rc) return it->status = codec_err(rc);
    *usedp = n;
    return iter_start(it, b, n ? dst : (const uint8_t *)"", n);
}

int kc__record_iter_next(kc__record_iter *it, kc__record *r) {
    if (it->status) return it->status;
    if (it->index == it->count)
        return it->status = it->p != it->end ? KC__BATCH_ERR_COUNT : KC__BATCH_END;
    if (it->p == it->end) return it->status = KC__BATCH_ERR_COUNT; /* fewer than recordCount */

    rrd rd = {it->p, it->end, false};
    int32_t len = rrd_varint(&rd);
    if (rd.bad || len < MIN_RECORD_BODY || len > rd.end - rd.p)
        return it->status = KC__BATCH_ERR_RECORD;
    rrd rr = {rd.p, rd.p + len, false};
    it->p = rr.end;
    /* Records are read once, in order, usually on another core than the
     * one that received them: fetch ahead, about the record after next
     * (records of a batch tend to be alike in size), at least 256 bytes. */
    __builtin_prefetch(rr.end + (len > 256 ? len : 256));

    r->attributes = (int8_t)*rr.p++;
    int64_t ts_delta = rrd_varlong(&rr);
    r->offset_delta = rrd_varint(&rr);
    r->key = rrd_bytes(&rr);
    r->value = rrd_bytes(&rr);
    int32_t nh = rrd_varint(&rr);
    /* Each header takes at least two bytes (two lengths). */
    if (nh < 0 || nh > (rr.end - rr.p) / 2) rrd_fail(&rr);
    r->header_count = nh;
    r->headers = rr.p;
    for (int32_t i = 0; i < nh && !rr.bad; i++) {
        kc__bytes k = rrd_bytes(&rr);
        if (k.len < 0) rrd_fail(&rr); /* header keys are never null */
        (void)rrd_bytes(&rr);
    }
    r->headers_len = (size_t)(rr.p - r->headers);
    if (rr.bad || rr.p != rr.end) return it->status = KC__BATCH_ERR_RECORD;

    r->offset = (int64_t)((uint64_t)it->base_offset + (uint64_t)(int64_t)r->offset_delta);
    r->timestamp = it->log_append_time
                       ? it->max_timestamp
                       : (int64_t)((uint64_t)it->base_timestamp + (uint64_t)ts_delta);
    if (it->control && kc__record_control_type(r) < 0) return it->status = KC__BATCH_ERR_CONTROL;
    it->index++;
    return 0;
}

void kc__header_iter_init(kc__header_iter *hi, const kc__record *r) {
    hi->p = r->headers ? r->headers : (const uint8_t *)"";
    hi->end = hi->p + (r->headers ? r->headers_len : 0);
    hi->left = r->header_count;
}

bool kc__header_iter_next(kc__header_iter *hi, kc__str *key, kc__bytes *value) {
    if (hi->left <= 0) return false;
    rrd rd = {hi->p, hi->end, false};
    kc__bytes k = rrd_bytes(&rd);
    kc__bytes v = rrd_bytes(&rd);
    if (rd.bad || k.len < 0) {
        hi->left = 0;
        return false;
    }
    hi->p = rd.p;
    hi->left--;
    key->p = (const char *)k.p;
    key->len = k.len;
    *value = v;
    return true;
}

int kc__record_control_type(const kc__record *r) {
    if (r->key.len < 4) return KC__BATCH_ERR_CONTROL;
    int16_t version = (int16_t)kc__get_u16(r->key.p);
    int16_t type = (int16_t)kc__get_u16(r->key.p + 2);
    if (version < 0 || type < 0) return KC__BATCH_ERR_CONTROL;
    return type;
}
