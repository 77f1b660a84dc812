/* Per-batch compression codecs, in the formats the Java client and
 * librdkafka produce and accept:
 *
 *   gzip    a gzip stream (deflate with gzip header and trailer); on input a
 *           zlib stream and concatenated gzip members are accepted too.
 *   snappy  compress: xerial framing (magic "\x82SNAPPY\0", version 1,
 *           compatible version 1, then blocks of 32 KiB input, each a
 *           big-endian 4-byte length and a raw snappy block), as snappy-java's
 *           SnappyOutputStream writes it; decompress: xerial framing or a
 *           plain raw snappy block (librdkafka's output).
 *   lz4     the standard LZ4 frame format (64 KiB independent blocks, no
 *           checksums written; any valid frame is read, checksums verified).
 *   zstd    a standard zstd frame, decompressed with the streaming API (the
 *           content size may be absent); concatenated frames are accepted.
 *
 * Codec ids are those of the record batch attributes' low 3 bits.
 *
 * Thread: all functions may be called from any thread. Compression contexts
 * are cached per thread (zstd) and released at thread exit. */
#ifndef KC_PROTO_COMPRESS_H
#define KC_PROTO_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

enum {
    KC__CODEC_NONE = 0,
    KC__CODEC_GZIP = 1,
    KC__CODEC_SNAPPY = 2,
    KC__CODEC_LZ4 = 3,
    KC__CODEC_ZSTD = 4,
};

/* Errors (negative) returned by kc__compress() / kc__decompress(). */
enum {
    KC__CODEC_OK = 0,
    KC__CODEC_EUNSUPPORTED = -1, /* unknown codec id, or codec compiled out */
    KC__CODEC_ECORRUPT = -2,     /* invalid or truncated compressed input */
    KC__CODEC_ETOOBIG = -3,      /* output would exceed max_out (or 2 GiB input) */
    KC__CODEC_ENOMEM = -4,       /* out of memory */
    KC__CODEC_EINVAL = -5,       /* level out of range for the codec */
};

#define KC__CODEC_LEVEL_DEFAULT (-1)

/* Compresses in[0..n) with codec at level (-1: the codec's default; gzip
 * 1-9, lz4 0-12, zstd 1-22; snappy has no levels and ignores it), appending
 * the result to out. KC__CODEC_NONE appends a copy. Returns 0 or a negative
 * KC__CODEC_E* code; on error out->len is restored. */
int kc__compress(int codec, int level, const void *in, size_t n, kc__buf *out);

/* Decompresses in[0..n), appending to out. Refuses (KC__CODEC_ETOOBIG) to
 * produce more than max_out bytes, so a decompression bomb costs at most
 * max_out bytes of memory. Returns 0 or a negative KC__CODEC_E* code; on
 * error out->len is restored. */
int kc__decompress(int codec, const void *in, size_t n, kc__buf *out, size_t max_out);

/* An upper bound (at most max_out) of what in[0..n) decompresses to, read
 * from the codec's framing without decompressing: lz4 (one frame: its
 * compressed blocks' maximum size plus its stored blocks' sizes), snappy
 * (the blocks' lengths, exact). 0 when the framing gives none (gzip, zstd,
 * malformed input, more than max_out): use kc__decompress(), which also
 * reports the precise error. */
size_t kc__decompress_bound(int codec, const void *in, size_t n, size_t max_out);

/* Decompresses in[0..n) into dst, cap bytes (a kc__decompress_bound()
 * result for the same input, > 0), with *outn set to the bytes written.
 * Output that does not fit is KC__CODEC_ECORRUPT (the framing lied).
 * Returns 0 or a negative KC__CODEC_E* code (*outn then 0). */
int kc__decompress_to(int codec, const void *in, size_t n, void *dst, size_t cap, size_t *outn);

/* "none", "gzip", "snappy", "lz4", "zstd", or "unknown". */
const char *kc__codec_name(int codec);
/* Name (as above, exact lower case) to id, or KC__CODEC_EUNSUPPORTED. */
int kc__codec_parse(const char *name);
/* True when the codec is known and compiled in. */
bool kc__codec_available(int codec);
/* Valid level range for a codec (-1 is always accepted). Returns false for
 * unknown codecs. */
bool kc__codec_level_range(int codec, int *min, int *max);
const char *kc__codec_strerror(int err);

#endif
