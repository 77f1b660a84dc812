/* Per-batch compression: gzip (zlib), snappy (xerial framing), lz4 (frame),
 * zstd. See compress.h for the formats. */
#include "config.h"

#include "compress.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if KC_WITH_GZIP
#include <zlib.h>
#endif
#if KC_WITH_SNAPPY
#include <snappy-c.h>
#endif
#if KC_WITH_LZ4
#include <lz4frame.h>
#endif
#if KC_WITH_ZSTD
#include <zstd.h>
#include <zstd_errors.h>
#endif

/* Kafka sizes are int32: nothing larger is compressed or decompressed. */
#define MAX_IO ((size_t)INT32_MAX)

const char *kc__codec_name(int codec) {
    switch (codec) {
    case KC__CODEC_NONE: return "none";
    case KC__CODEC_GZIP: return "gzip";
    case KC__CODEC_SNAPPY: return "snappy";
    case KC__CODEC_LZ4: return "lz4";
    case KC__CODEC_ZSTD: return "zstd";
    }
    return "unknown";
}

int kc__codec_parse(const char *name) {
    if (!name) return KC__CODEC_EUNSUPPORTED;
    for (int c = KC__CODEC_NONE; c <= KC__CODEC_ZSTD; c++)
        if (strcmp(name, kc__codec_name(c)) == 0) return c;
    return KC__CODEC_EUNSUPPORTED;
}

bool kc__codec_available(int codec) {
    switch (codec) {
    case KC__CODEC_NONE: return true;
    case KC__CODEC_GZIP: return KC_WITH_GZIP;
    case KC__CODEC_SNAPPY: return KC_WITH_SNAPPY;
    case KC__CODEC_LZ4: return KC_WITH_LZ4;
    case KC__CODEC_ZSTD: return KC_WITH_ZSTD;
    }
    return false;
}

bool kc__codec_level_range(int codec, int *min, int *max) {
    int lo, hi;
    switch (codec) {
    case KC__CODEC_NONE:
    case KC__CODEC_SNAPPY: lo = hi = -1; break;
    case KC__CODEC_GZIP: lo = 1, hi = 9; break;
    case KC__CODEC_LZ4: lo = 0, hi = 12; break;
    case KC__CODEC_ZSTD: lo = 1, hi = 22; break;
    default: return false;
    }
    if (min) *min = lo;
    if (max) *max = hi;
    return true;
}

const char *kc__codec_strerror(int err) {
    switch (err) {
    case KC__CODEC_OK: return "no error";
    case KC__CODEC_EUNSUPPORTED: return "unsupported compression codec (unknown or not built in)";
    case KC__CODEC_ECORRUPT: return "invalid or truncated compressed data";
    case KC__CODEC_ETOOBIG: return "decompressed data exceeds the size limit";
    case KC__CODEC_ENOMEM: return "out of memory";
    case KC__CODEC_EINVAL: return "compression level out of range for the codec";
    }
    return "unknown compression error";
}

/* Makes room for more output while decompressing: at least min(hint, the
 * bytes left before the limit + 1) free bytes. The +1 lets a decoder write
 * one byte past max_out, which is how "would exceed" is detected. Returns
 * the usable room (<= limit), or 0 with out->oom set. */
static size_t out_room(kc__buf *out, size_t start, size_t max_out, size_t hint) {
    size_t produced = out->len - start;
    size_t allow = max_out + 1 - produced; /* produced <= max_out here */
    size_t room = out->cap - out->len;
    if (room == 0) {
        size_t want = hint;
        if (want < produced) want = produced; /* geometric growth */
        if (want < 4096) want = 4096;
        if (want > allow) want = allow;
        if (kc__buf_reserve(out, want)) return 0;
        room = out->cap - out->len;
    }
    return room < allow ? room : allow;
}

/* ---- thread-cached contexts ---- */
#if KC_WITH_ZSTD || KC_WITH_LZ4
typedef struct codec_tls {
#if KC_WITH_ZSTD
    ZSTD_CCtx *zc;
    ZSTD_DCtx *zd;
#endif
#if KC_WITH_LZ4
    LZ4F_dctx *ld;
#endif
} codec_tls;

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static int tls_ok;

static void tls_free(void *p) {
    codec_tls *t = p;
#if KC_WITH_ZSTD
    ZSTD_freeCCtx(t->zc);
    ZSTD_freeDCtx(t->zd);
#endif
#if KC_WITH_LZ4
    if (t->ld) LZ4F_freeDecompressionContext(t->ld);
#endif
    free(t);
}

static void tls_init(void) { tls_ok = pthread_key_create(&tls_key, tls_free) == 0; }

/* The calling thread's cached contexts, or NULL (callers then use
 * short-lived contexts). */
static codec_tls *tls_get(void) {
    pthread_once(&tls_once, tls_init);
    if (!tls_ok) return NULL;
    codec_tls *t = pthread_getspecific(tls_key);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (t && pthread_setspecific(tls_key, t) != 0) {
            free(t);
            t = NULL;
        }
    }
    return t;
}
#endif

/* ---- none ---- */
static int none_decompress(const void *in, size_t n, kc__buf *out, size_t max_out) {
    if (n > max_out) return KC__CODEC_ETOOBIG;
    kc__buf_put(out, in, n);
    return kc__buf_ok(out) ? 0 : KC__CODEC_ENOMEM;
}

/* ---- gzip ---- */
#if KC_WITH_GZIP
static int gzip_compress(int level, const void *in, size_t n, kc__buf *out) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* 15 + 16: 32 KiB window with a gzip header and trailer. */
    int rc = deflateInit2(&zs, level < 0 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED, 15 + 16, 8,
                          Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) return rc == Z_MEM_ERROR ? KC__CODEC_ENOMEM : KC__CODEC_EINVAL;
    size_t bound = deflateBound(&zs, (uLong)n);
    if (kc__buf_reserve(out, bound)) {
        deflateEnd(&zs);
        return KC__CODEC_ENOMEM;
    }
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = out->p + out->len;
    zs.avail_out = (uInt)bound;
    rc = deflate(&zs, Z_FINISH);
    size_t produced = bound - zs.avail_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) return rc == Z_MEM_ERROR ? KC__CODEC_ENOMEM : KC__CODEC_ECORRUPT;
    out->len += produced;
    return 0;
}

static int gzip_decompress(const void *in, size_t n, kc__buf *out, size_t max_out) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* 15 + 32: detect a gzip or zlib header. */
    int rc = inflateInit2(&zs, 15 + 32);
    if (rc != Z_OK) return KC__CODEC_ENOMEM;
    size_t start = out->len;
    size_t hint = n < MAX_IO / 4 ? n * 4 : MAX_IO;
    int err = 0;
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    for (;;) {
        if (out->len - start > max_out) {
            err = KC__CODEC_ETOOBIG;
            break;
        }
        size_t room = out_room(out, start, max_out, hint);
        if (!room) {
            err = KC__CODEC_ENOMEM;
            break;
        }
        if (room > UINT_MAX) room = UINT_MAX;
        zs.next_out = out->p + out->len;
        zs.avail_out = (uInt)room;
        rc = inflate(&zs, Z_NO_FLUSH);
        out->len += room - zs.avail_out;
        if (rc == Z_STREAM_END) {
            if (out->len - start > max_out) {
                err = KC__CODEC_ETOOBIG;
                break;
            }
            if (zs.avail_in == 0) break;
            /* Another gzip member follows (as GZIPInputStream reads). */
            if (inflateReset(&zs) != Z_OK) {
                err = KC__CODEC_ECORRUPT;
                break;
            }
            continue;
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR && zs.avail_out == 0) continue; /* needs more room */
        err = rc == Z_MEM_ERROR ? KC__CODEC_ENOMEM : KC__CODEC_ECORRUPT;
        break; /* Z_BUF_ERROR with room left: input truncated */
    }
    inflateEnd(&zs);
    if (err) out->len = start;
    return err;
}
#endif

/* ---- snappy ---- */
#if KC_WITH_SNAPPY
static const uint8_t xerial_magic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
#define XERIAL_HEADER 16
#define XERIAL_BLOCK (32 * 1024) /* snappy-java's default block size */

static int snappy_xerial_compress(const void *in, size_t n, kc__buf *out) {
    const char *src = in;
    size_t nblk = (n + XERIAL_BLOCK - 1) / XERIAL_BLOCK;
    if (kc__buf_reserve(out, XERIAL_HEADER + nblk * (4 + snappy_max_compressed_length(XERIAL_BLOCK))))
        return KC__CODEC_ENOMEM;
    uint8_t *o = out->p + out->len;
    memcpy(o, xerial_magic, 8);
    o[8] = 0, o[9] = 0, o[10] = 0, o[11] = 1;  /* version 1 */
    o[12] = 0, o[13] = 0, o[14] = 0, o[15] = 1; /* compatible version 1 */
    o += XERIAL_HEADER;
    for (size_t off = 0; off < n; off += XERIAL_BLOCK) {
        size_t blk = n - off < XERIAL_BLOCK ? n - off : XERIAL_BLOCK;
        size_t clen = snappy_max_compressed_length(blk);
        if (snappy_compress(src + off, blk, (char *)o + 4, &clen) != SNAPPY_OK)
            return KC__CODEC_ECORRUPT;
        o[0] = (uint8_t)(clen >> 24), o[1] = (uint8_t)(clen >> 16);
        o[2] = (uint8_t)(clen >> 8), o[3] = (uint8_t)clen;
        o += 4 + clen;
    }
    out->len = (size_t)(o - out->p);
    return 0;
}

static int snappy_block(const uint8_t *blk, size_t n, kc__buf *out, size_t start, size_t max_out) {
    size_t ulen;
    if (snappy_uncompressed_length((const char *)blk, n, &ulen) != SNAPPY_OK)
        return KC__CODEC_ECORRUPT;
    if (ulen > max_out - (out->len - start)) return KC__CODEC_ETOOBIG;
    if (kc__buf_reserve(out, ulen)) return KC__CODEC_ENOMEM;
    char none; /* an empty block still gets validated, with out->p maybe NULL */
    char *dst = ulen ? (char *)out->p + out->len : &none;
    if (snappy_uncompress((const char *)blk, n, dst, &ulen) != SNAPPY_OK) return KC__CODEC_ECORRUPT;
    out->len += ulen;
    return 0;
}

/* The exact decompressed size: raw snappy blocks say theirs. 0: unknown. */
static size_t snappy_bound(const uint8_t *p, size_t n) {
    size_t ulen, total = 0;
    if (n >= XERIAL_HEADER && memcmp(p, xerial_magic, 8) == 0) {
        const uint8_t *end = p + n;
        p += XERIAL_HEADER;
        while (p < end) {
            if (end - p < 4) return 0;
            size_t clen = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
            p += 4;
            if (clen > (size_t)(end - p) ||
                snappy_uncompressed_length((const char *)p, clen, &ulen) != SNAPPY_OK ||
                ulen > MAX_IO - total)
                return 0;
            total += ulen;
            p += clen;
        }
        return total;
    }
    if (snappy_uncompressed_length((const char *)p, n, &ulen) != SNAPPY_OK) return 0;
    return ulen;
}

static int snappy_decompress(const void *in, size_t n, kc__buf *out, size_t max_out) {
    const uint8_t *p = in, *end = p + n;
    size_t start = out->len;
    int err = 0;
    if (n >= XERIAL_HEADER && memcmp(p, xerial_magic, 8) == 0) {
        /* Any version: snappy-java has only ever written version 1 blocks. */
        p += XERIAL_HEADER;
        while (!err && p < end) {
            if (end - p < 4) {
                err = KC__CODEC_ECORRUPT;
                break;
            }
            size_t clen = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
            p += 4;
            if (clen > (size_t)(end - p)) {
                err = KC__CODEC_ECORRUPT;
                break;
            }
            err = snappy_block(p, clen, out, start, max_out);
            p += clen;
        }
    } else {
        err = snappy_block(p, n, out, start, max_out);
    }
    if (err) out->len = start;
    return err;
}
#endif

/* ---- lz4 ---- */
#if KC_WITH_LZ4
static int lz4_compress(int level, const void *in, size_t n, kc__buf *out) {
    LZ4F_preferences_t prefs;
    memset(&prefs, 0, sizeof prefs);
    /* As Kafka's KafkaLZ4BlockOutputStream: 64 KiB independent blocks. */
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.compressionLevel = level < 0 ? 0 : level;
    size_t bound = LZ4F_compressFrameBound(n, &prefs);
    if (kc__buf_reserve(out, bound)) return KC__CODEC_ENOMEM;
    size_t r = LZ4F_compressFrame(out->p + out->len, bound, in, n, &prefs);
    if (LZ4F_isError(r)) return KC__CODEC_ENOMEM;
    out->len += r;
    return 0;
}

static int lz4_decompress(const void *in, size_t n, kc__buf *out, size_t max_out) {
    codec_tls *t = tls_get();
    LZ4F_dctx *d = t ? t->ld : NULL;
    if (!d) {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) return KC__CODEC_ENOMEM;
        if (t) t->ld = d;
    }
    const uint8_t *src = in;
    size_t start = out->len, used = 0;
    size_t hint = n < MAX_IO / 4 ? n * 4 : MAX_IO;
    int err = 0;

    /* Size the output from the frame header's content size when present. */
    LZ4F_frameInfo_t fi;
    size_t hsz = n;
    size_t r = LZ4F_getFrameInfo(d, &fi, src, &hsz);
    if (LZ4F_isError(r)) {
        err = KC__CODEC_ECORRUPT;
        goto done;
    }
    used = hsz;
    if (fi.contentSize > max_out) {
        err = KC__CODEC_ETOOBIG;
        goto done;
    }
    if (fi.contentSize) hint = (size_t)fi.contentSize + 1;

    for (;;) {
        if (out->len - start > max_out) {
            err = KC__CODEC_ETOOBIG;
            break;
        }
        if (r == 0) {
            if (used == n) break; /* frame(s) complete */
        }
        size_t room = out_room(out, start, max_out, hint);
        if (!room) {
            err = KC__CODEC_ENOMEM;
            break;
        }
        size_t dsz = room, ssz = n - used;
        r = LZ4F_decompress(d, out->p + out->len, &dsz, src + used, &ssz, NULL);
        if (LZ4F_isError(r)) {
            err = KC__CODEC_ECORRUPT;
            break;
        }
        used += ssz;
        out->len += dsz;
        if (r != 0 && ssz == 0 && dsz == 0) { /* no progress possible */
            err = KC__CODEC_ECORRUPT;
            break;
        }
        /* Input exhausted mid-frame and nothing more to flush: truncated. */
        if (r != 0 && used == n && dsz < room) {
            err = KC__CODEC_ECORRUPT;
            break;
        }
    }
done:
    if (err) {
        out->len = start;
    }
    if (t)
        LZ4F_resetDecompressionContext(d);
    else
        LZ4F_freeDecompressionContext(d);
    return err;
}

static inline uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Walks one LZ4 frame's block headers: the bound is each compressed block's
 * maximum size plus each stored block's size, so that LZ4F_decompress()
 * always finds a whole block of room and writes straight into dst (no copy
 * through its internal buffer). 0 when the frame is not one plain frame
 * covering all of in. */
static size_t lz4_bound(const uint8_t *p, size_t n) {
    if (n < 7 || le32(p) != 0x184D2204u) return 0;
    uint8_t flg = p[4], bd = p[5];
    if ((flg >> 6) != 1) return 0;
    static const size_t bmax[8] = {0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20};
    size_t blk = bmax[(bd >> 4) & 7];
    if (!blk) return 0;
    size_t off = 7 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0);
    size_t bsum = flg & 0x10 ? 4 : 0, bound = 0;
    for (;;) {
        if (off > n || n - off < 4) return 0;
        uint32_t h = le32(p + off);
        off += 4;
        if (h == 0) break; /* end mark */
        size_t sz = h & 0x7fffffffu;
        if (sz > blk || sz > n - off) return 0;
        bound += h & 0x80000000u ? sz : blk;
        off += sz;
        if (bsum > n - off) return 0;
        off += bsum;
    }
    if (flg & 0x04) off += 4; /* content checksum */
    if (off != n || bound == 0) return 0;
    return bound;
}

static int lz4_decompress_to(const void *in, size_t n, void *dst, size_t cap, size_t *outn) {
    codec_tls *t = tls_get();
    LZ4F_dctx *d = t ? t->ld : NULL;
    if (!d) {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) return KC__CODEC_ENOMEM;
        if (t) t->ld = d;
    }
    LZ4F_decompressOptions_t opt;
    memset(&opt, 0, sizeof opt);
    opt.stableDst = 1;
    const uint8_t *src = in;
    size_t used = 0, out = 0, r = 1;
    int err = 0;
    while (r != 0 || used < n) {
        size_t dsz = cap - out, ssz = n - used;
        r = LZ4F_decompress(d, (uint8_t *)dst + out, &dsz, src + used, &ssz, &opt);
        if (LZ4F_isError(r)) {
            err = KC__CODEC_ECORRUPT;
            break;
        }
        used += ssz;
        out += dsz;
        if (r != 0 && ssz == 0 && dsz == 0) { /* truncated, or no room: the bound lied */
            err = KC__CODEC_ECORRUPT;
            break;
        }
    }
    if (t)
        LZ4F_resetDecompressionContext(d);
    else
        LZ4F_freeDecompressionContext(d);
    *outn = err ? 0 : out;
    return err;
}
#endif

/* ---- zstd ---- */
#if KC_WITH_ZSTD
/* A decompression context that grew past this (a frame asking for a huge
 * window) is not kept for the next call. */
#define ZSTD_DCTX_KEEP_MAX (16u << 20)

static int zstd_compress(int level, const void *in, size_t n, kc__buf *out) {
    codec_tls *t = tls_get();
    ZSTD_CCtx *c = t ? t->zc : NULL;
    if (!c) {
        c = ZSTD_createCCtx();
        if (!c) return KC__CODEC_ENOMEM;
        if (t) t->zc = c;
    }
    int err = 0;
    size_t bound = ZSTD_compressBound(n);
    ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);
    if (kc__buf_reserve(out, bound)) {
        err = KC__CODEC_ENOMEM;
    } else if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel,
                                                   level < 0 ? ZSTD_CLEVEL_DEFAULT : level))) {
        err = KC__CODEC_EINVAL;
    } else {
        size_t r = ZSTD_compress2(c, out->p + out->len, bound, in, n);
        if (ZSTD_isError(r))
            err = ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation ? KC__CODEC_ENOMEM
                                                                        : KC__CODEC_ECORRUPT;
        else
            out->len += r;
    }
    if (!t) ZSTD_freeCCtx(c);
    return err;
}

static int zstd_err(size_t r) {
    switch (ZSTD_getErrorCode(r)) {
    case ZSTD_error_memory_allocation: return KC__CODEC_ENOMEM;
    case ZSTD_error_frameParameter_windowTooLarge: return KC__CODEC_ETOOBIG;
    default: return KC__CODEC_ECORRUPT;
    }
}

static int zstd_decompress(const void *in, size_t n, kc__buf *out, size_t max_out) {
    codec_tls *t = tls_get();
    ZSTD_DCtx *d = t ? t->zd : NULL;
    if (!d) {
        d = ZSTD_createDCtx();
        if (!d) return KC__CODEC_ENOMEM;
        if (t) t->zd = d;
    }
    ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
    size_t start = out->len;
    size_t hint = n < MAX_IO / 4 ? n * 4 : MAX_IO;
    int err = 0;
    unsigned long long csz = ZSTD_getFrameContentSize(in, n);
    if (csz != ZSTD_CONTENTSIZE_UNKNOWN && csz != ZSTD_CONTENTSIZE_ERROR) {
        if (csz > max_out) err = KC__CODEC_ETOOBIG;
        hint = (size_t)csz + 1; /* +1: room to see the end without regrowing */
    }
    ZSTD_inBuffer ib = {in, n, 0};
    while (!err) {
        if (out->len - start > max_out) {
            err = KC__CODEC_ETOOBIG;
            break;
        }
        size_t room = out_room(out, start, max_out, hint);
        if (!room) {
            err = KC__CODEC_ENOMEM;
            break;
        }
        ZSTD_outBuffer ob = {out->p + out->len, room, 0};
        size_t in_before = ib.pos;
        size_t r = ZSTD_decompressStream(d, &ob, &ib);
        out->len += ob.pos;
        if (ZSTD_isError(r)) {
            err = zstd_err(r);
            break;
        }
        if (r == 0 && ib.pos == ib.size) { /* last frame complete */
            if (out->len - start > max_out) err = KC__CODEC_ETOOBIG;
            break;
        }
        if ((ib.pos == ib.size && ob.pos < ob.size) || /* truncated */
            (ib.pos == in_before && ob.pos == 0)) {       /* no progress */
            err = KC__CODEC_ECORRUPT;
            break;
        }
    }
    if (err) out->len = start;
    if (!t) {
        ZSTD_freeDCtx(d);
    } else if (ZSTD_sizeof_DCtx(d) > ZSTD_DCTX_KEEP_MAX) {
        ZSTD_freeDCtx(d);
        t->zd = NULL;
    }
    return err;
}
#endif

int kc__compress(int codec, int level, const void *in, size_t n, kc__buf *out) {
    int lo, hi;
    if (!kc__codec_available(codec)) return KC__CODEC_EUNSUPPORTED;
    kc__codec_level_range(codec, &lo, &hi);
    if (level != -1 && codec != KC__CODEC_NONE && codec != KC__CODEC_SNAPPY &&
        (level < lo || level > hi))
        return KC__CODEC_EINVAL;
    if (n > MAX_IO) return KC__CODEC_ETOOBIG;
    if (out->oom) return KC__CODEC_ENOMEM;
    size_t start = out->len;
    int err;
    switch (codec) {
    case KC__CODEC_NONE:
        kc__buf_put(out, in, n);
        err = kc__buf_ok(out) ? 0 : KC__CODEC_ENOMEM;
        break;
#if KC_WITH_GZIP
    case KC__CODEC_GZIP: err = gzip_compress(level, in, n, out); break;
#endif
#if KC_WITH_SNAPPY
    case KC__CODEC_SNAPPY: err = snappy_xerial_compress(in, n, out); break;
#endif
#if KC_WITH_LZ4
    case KC__CODEC_LZ4: err = lz4_compress(level, in, n, out); break;
#endif
#if KC_WITH_ZSTD
    case KC__CODEC_ZSTD: err = zstd_compress(level, in, n, out); break;
#endif
    default: err = KC__CODEC_EUNSUPPORTED; break;
    }
    if (err) out->len = start;
    return err;
}

int kc__decompress(int codec, const void *in, size_t n, kc__buf *out, size_t max_out) {
    if (!kc__codec_available(codec)) return KC__CODEC_EUNSUPPORTED;
    if (n > MAX_IO) return KC__CODEC_ETOOBIG;
    if (out->oom) return KC__CODEC_ENOMEM;
    if (max_out > MAX_IO) max_out = MAX_IO;
    switch (codec) {
    case KC__CODEC_NONE: return none_decompress(in, n, out, max_out);
#if KC_WITH_GZIP
    case KC__CODEC_GZIP: return gzip_decompress(in, n, out, max_out);
#endif
#if KC_WITH_SNAPPY
    case KC__CODEC_SNAPPY: return snappy_decompress(in, n, out, max_out);
#endif
#if KC_WITH_LZ4
    case KC__CODEC_LZ4: return lz4_decompress(in, n, out, max_out);
#endif
#if KC_WITH_ZSTD
    case KC__CODEC_ZSTD: return zstd_decompress(in, n, out, max_out);
#endif
    }
    return KC__CODEC_EUNSUPPORTED;
}

size_t kc__decompress_bound(int codec, const void *in, size_t n, size_t max_out) {
    if (!kc__codec_available(codec) || n > MAX_IO || !in) return 0;
    if (max_out > MAX_IO) max_out = MAX_IO;
    size_t bound = 0;
    switch (codec) {
#if KC_WITH_SNAPPY
    case KC__CODEC_SNAPPY: bound = snappy_bound(in, n); break;
#endif
#if KC_WITH_LZ4
    case KC__CODEC_LZ4: bound = lz4_bound(in, n); break;
#endif
    default: break;
    }
    return bound <= max_out ? bound : 0;
}

int kc__decompress_to(int codec, const void *in, size_t n, void *dst, size_t cap, size_t *outn) {
    *outn = 0;
    if (!kc__codec_available(codec)) return KC__CODEC_EUNSUPPORTED;
    if (n > MAX_IO || cap > MAX_IO) return KC__CODEC_ETOOBIG;
    switch (codec) {
#if KC_WITH_SNAPPY
    case KC__CODEC_SNAPPY: {
        /* Through a kc__buf over dst that must never grow. */
        kc__buf b = {dst, 0, cap, 0};
        int err = snappy_decompress(in, n, &b, cap);
        if (b.p != dst) { /* cannot happen when cap is the bound; never keep a moved buffer */
            if (b.p) free(b.p);
            return KC__CODEC_ECORRUPT;
        }
        if (!err) *outn = b.len;
        return err;
    }
#endif
#if KC_WITH_LZ4
    case KC__CODEC_LZ4: return lz4_decompress_to(in, n, dst, cap, outn);
#endif
    default: break;
    }
    return KC__CODEC_EUNSUPPORTED;
}
