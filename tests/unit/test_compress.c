/* Compression codecs: round trips, fixtures made by the codec CLIs and by
 * the Kafka Java client (tests/fixtures/compress/README.md), corrupt and
 * truncated input, decompression bombs. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "proto/compress.h"

/* Per thread: test_threads fills buffers from several threads at once. */
static _Thread_local uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

/* Reads tests/fixtures/<rel> (KC_FIXTURES overrides the folder). */
static uint8_t *fixture(const char *rel, size_t *lenp) {
    const char *dir = getenv("KC_FIXTURES");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/fixtures", rel);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open fixture %s (run from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *lenp = (size_t)n;
    return p;
}

/* Compressible text-like data: words from a small set. */
static void fill_text(uint8_t *p, size_t n) {
    static const char *w[] = {"kafka ", "batch ", "record ", "offset ", "zstd ", "value\n"};
    size_t i = 0;
    while (i < n) {
        const char *s = w[rnd() % 6];
        while (*s && i < n) p[i++] = (uint8_t)*s++;
    }
}
static void fill_random(uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(rnd() >> 56);
}

static const int codecs[] = {KC__CODEC_NONE, KC__CODEC_GZIP, KC__CODEC_SNAPPY, KC__CODEC_LZ4,
                             KC__CODEC_ZSTD};
#define NCODECS 5

static void roundtrip(int codec, int level, const uint8_t *in, size_t n) {
    kc__buf c, d;
    kc__buf_init(&c, 0);
    kc__buf_init(&d, 0);
    int rc = kc__compress(codec, level, in, n, &c);
    ck_assert_msg(rc == 0, "%s level %d size %zu: %s", kc__codec_name(codec), level, n,
                  kc__codec_strerror(rc));
    rc = kc__decompress(codec, c.p, c.len, &d, n);
    ck_assert_msg(rc == 0, "%s decompress size %zu: %s", kc__codec_name(codec), n,
                  kc__codec_strerror(rc));
    ck_assert_uint_eq(d.len, n);
    if (n) ck_assert_mem_eq(d.p, in, n);
    kc__buf_free(&c);
    kc__buf_free(&d);
}

START_TEST(test_roundtrip_sizes) {
    int codec = codecs[_i];
    static const size_t sizes[] = {0, 1, 2, 100, 65536, 65537, 1 << 20};
    size_t max = 1 << 20;
    uint8_t *text = malloc(max), *noise = malloc(max);
    fill_text(text, max);
    fill_random(noise, max);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        roundtrip(codec, -1, text, sizes[i]);
        roundtrip(codec, -1, noise, sizes[i]); /* incompressible */
    }
    free(text);
    free(noise);
}
END_TEST

START_TEST(test_roundtrip_levels) {
    int codec = codecs[_i], lo, hi;
    ck_assert(kc__codec_level_range(codec, &lo, &hi));
    uint8_t *text = malloc(100000);
    fill_text(text, 100000);
    for (int level = lo; level <= hi; level++) roundtrip(codec, level, text, 100000);
    free(text);
}
END_TEST

START_TEST(test_level_out_of_range_refused) {
    kc__buf b;
    kc__buf_init(&b, 0);
    ck_assert_int_eq(kc__compress(KC__CODEC_GZIP, 0, "x", 1, &b), KC__CODEC_EINVAL);
    ck_assert_int_eq(kc__compress(KC__CODEC_GZIP, 10, "x", 1, &b), KC__CODEC_EINVAL);
    ck_assert_int_eq(kc__compress(KC__CODEC_LZ4, 13, "x", 1, &b), KC__CODEC_EINVAL);
    ck_assert_int_eq(kc__compress(KC__CODEC_ZSTD, 0, "x", 1, &b), KC__CODEC_EINVAL);
    ck_assert_int_eq(kc__compress(KC__CODEC_ZSTD, 23, "x", 1, &b), KC__CODEC_EINVAL);
    ck_assert_int_eq(kc__compress(KC__CODEC_ZSTD, -2, "x", 1, &b), KC__CODEC_EINVAL);
    ck_assert_uint_eq(b.len, 0);
    /* snappy has no levels: any is ignored. */
    ck_assert_int_eq(kc__compress(KC__CODEC_SNAPPY, 5, "x", 1, &b), 0);
    kc__buf_free(&b);
}
END_TEST

START_TEST(test_names_and_parse) {
    ck_assert_int_eq(kc__codec_parse("none"), KC__CODEC_NONE);
    ck_assert_int_eq(kc__codec_parse("gzip"), KC__CODEC_GZIP);
    ck_assert_int_eq(kc__codec_parse("snappy"), KC__CODEC_SNAPPY);
    ck_assert_int_eq(kc__codec_parse("lz4"), KC__CODEC_LZ4);
    ck_assert_int_eq(kc__codec_parse("zstd"), KC__CODEC_ZSTD);
    ck_assert_int_eq(kc__codec_parse("GZIP"), KC__CODEC_EUNSUPPORTED);
    ck_assert_int_eq(kc__codec_parse("brotli"), KC__CODEC_EUNSUPPORTED);
    ck_assert_int_eq(kc__codec_parse(""), KC__CODEC_EUNSUPPORTED);
    ck_assert_int_eq(kc__codec_parse(NULL), KC__CODEC_EUNSUPPORTED);
    for (int c = 0; c <= 4; c++) ck_assert_int_eq(kc__codec_parse(kc__codec_name(c)), c);
    ck_assert_str_eq(kc__codec_name(5), "unknown");
    ck_assert_str_eq(kc__codec_name(-1), "unknown");
    ck_assert(!kc__codec_available(5));
    ck_assert(kc__codec_available(KC__CODEC_NONE));
    ck_assert(kc__codec_available(KC__CODEC_GZIP) == KC_WITH_GZIP);
    ck_assert(kc__codec_available(KC__CODEC_ZSTD) == KC_WITH_ZSTD);
    ck_assert_str_ne(kc__codec_strerror(KC__CODEC_ETOOBIG), kc__codec_strerror(KC__CODEC_ECORRUPT));
}
END_TEST

START_TEST(test_unknown_codec_refused) {
    kc__buf b;
    kc__buf_init(&b, 0);
    for (int c = 5; c <= 8; c++) {
        ck_assert_int_eq(kc__compress(c, -1, "abc", 3, &b), KC__CODEC_EUNSUPPORTED);
        ck_assert_int_eq(kc__decompress(c, "abc", 3, &b, 100), KC__CODEC_EUNSUPPORTED);
    }
    ck_assert_int_eq(kc__compress(-1, -1, "abc", 3, &b), KC__CODEC_EUNSUPPORTED);
    ck_assert_uint_eq(b.len, 0);
    kc__buf_free(&b);
}
END_TEST

/* Fixture file (relative to tests/fixtures/compress) -> codec. */
static const struct {
    const char *file;
    int codec;
    bool empty;
} fixtures[] = {
    {"input.txt.gz", KC__CODEC_GZIP, false},         /* gzip -9 -n */
    {"empty.gz", KC__CODEC_GZIP, true},
    {"input.txt.kafka.gz", KC__CODEC_GZIP, false},   /* Kafka GzipCompression */
    {"input.txt.zst", KC__CODEC_ZSTD, false},        /* zstd -19, content size */
    {"input.txt.stream.zst", KC__CODEC_ZSTD, false}, /* from a pipe: no content size */
    {"empty.zst", KC__CODEC_ZSTD, true},
    {"input.txt.kafka.zst", KC__CODEC_ZSTD, false},  /* zstd-jni via Kafka */
    {"input.txt.lz4", KC__CODEC_LZ4, false},         /* linked blocks, content size+checksum */
    {"input.txt.bx.lz4", KC__CODEC_LZ4, false},      /* block checksums */
    {"empty.lz4", KC__CODEC_LZ4, true},
    {"input.txt.kafka.lz4", KC__CODEC_LZ4, false},   /* KafkaLZ4BlockOutputStream */
    {"input.txt.snappy", KC__CODEC_SNAPPY, false},   /* snappy-java SnappyOutputStream */
    {"empty.snappy", KC__CODEC_SNAPPY, true},
    {"input.txt.raw.snappy", KC__CODEC_SNAPPY, false}, /* Snappy.compress(): raw */
    {"input.txt.kafka.snappy", KC__CODEC_SNAPPY, false},
};
#define NFIXTURES (sizeof fixtures / sizeof fixtures[0])

START_TEST(test_fixture_decompresses) {
    size_t n, tn;
    char rel[128];
    snprintf(rel, sizeof rel, "compress/%s", fixtures[_i].file);
    uint8_t *in = fixture(rel, &n);
    uint8_t *text = fixture("compress/input.txt", &tn);
    ck_assert_uint_eq(tn, 70000);
    kc__buf out;
    kc__buf_init(&out, 0);
    kc__buf_put(&out, "prefix", 6); /* output is appended */
    int rc = kc__decompress(fixtures[_i].codec, in, n, &out, 70000);
    ck_assert_msg(rc == 0, "%s: %s", fixtures[_i].file, kc__codec_strerror(rc));
    ck_assert_mem_eq(out.p, "prefix", 6);
    if (fixtures[_i].empty) {
        ck_assert_uint_eq(out.len, 6);
    } else {
        ck_assert_uint_eq(out.len, 6 + tn);
        ck_assert_mem_eq(out.p + 6, text, tn);
        /* One byte less than needed: refused as too big, output restored. */
        out.len = 6;
        ck_assert_int_eq(kc__decompress(fixtures[_i].codec, in, n, &out, tn - 1), KC__CODEC_ETOOBIG);
        ck_assert_uint_eq(out.len, 6);
        /* Every truncation is refused, never read as shorter data. */
        for (size_t cut = 0; cut < n; cut += (cut < 64 || n - cut < 64) ? 1 : 997) {
            out.len = 6;
            rc = kc__decompress(fixtures[_i].codec, in, cut, &out, 70000);
            /* xerial framing has no end marker: a cut at a block boundary
             * is a valid shorter stream (the batch's record count catches
             * it one level up). Every other cut is corrupt. */
            if (rc == 0 && fixtures[_i].codec == KC__CODEC_SNAPPY && in[0] == 0x82 &&
                (out.len - 6) % (32 * 1024) == 0)
                continue;
            ck_assert_msg(rc == KC__CODEC_ECORRUPT, "%s cut at %zu of %zu: rc %d", fixtures[_i].file,
                          cut, n, rc);
            ck_assert_uint_eq(out.len, 6);
        }
    }
    kc__buf_free(&out);
    free(in);
    free(text);
}
END_TEST

/* Our output keeps the framing details the Java client expects. */
START_TEST(test_output_framing_matches_kafka) {
    uint8_t text[100000];
    fill_text(text, sizeof text);
    kc__buf b;
    kc__buf_init(&b, 0);
    /* snappy: xerial header, version 1, compatible 1, 32 KiB blocks. */
    ck_assert_int_eq(kc__compress(KC__CODEC_SNAPPY, -1, text, sizeof text, &b), 0);
    static const uint8_t xerial[16] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};
    ck_assert_mem_eq(b.p, xerial, 16);
    size_t off = 16, blocks = 0;
    while (off < b.len) {
        size_t clen = (size_t)b.p[off] << 24 | (size_t)b.p[off + 1] << 16 |
                      (size_t)b.p[off + 2] << 8 | b.p[off + 3];
        off += 4 + clen;
        blocks++;
    }
    ck_assert_uint_eq(off, b.len);
    ck_assert_uint_eq(blocks, 4); /* 100000 bytes in 32 KiB blocks */
    /* Empty input: the header alone, as snappy-java writes it. */
    b.len = 0;
    ck_assert_int_eq(kc__compress(KC__CODEC_SNAPPY, -1, text, 0, &b), 0);
    ck_assert_uint_eq(b.len, 16);
    /* lz4: frame magic, FLG 0x60 (v1, independent blocks, no checksums),
     * BD 0x40 (64 KiB blocks): byte for byte KafkaLZ4BlockOutputStream's. */
    b.len = 0;
    ck_assert_int_eq(kc__compress(KC__CODEC_LZ4, -1, text, sizeof text, &b), 0);
    static const uint8_t lz4hdr[6] = {0x04, 0x22, 0x4d, 0x18, 0x60, 0x40};
    ck_assert_mem_eq(b.p, lz4hdr, 6);
    /* gzip: gzip magic and deflate. */
    b.len = 0;
    ck_assert_int_eq(kc__compress(KC__CODEC_GZIP, -1, text, sizeof text, &b), 0);
    ck_assert_uint_eq(b.p[0], 0x1f);
    ck_assert_uint_eq(b.p[1], 0x8b);
    ck_assert_uint_eq(b.p[2], 8);
    /* zstd: frame magic. */
    b.len = 0;
    ck_assert_int_eq(kc__compress(KC__CODEC_ZSTD, -1, text, sizeof text, &b), 0);
    static const uint8_t zmagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
    ck_assert_mem_eq(b.p, zmagic, 4);
    kc__buf_free(&b);
}
END_TEST

/* Garbage is refused by every codec, never "decompressed". */
START_TEST(test_garbage_refused) {
    int codec = codecs[_i];
    if (codec == KC__CODEC_NONE) return;
    uint8_t junk[4096];
    kc__buf out;
    kc__buf_init(&out, 0);
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + rnd() % sizeof junk;
        for (size_t i = 0; i < n; i++) junk[i] = (uint8_t)(rnd() >> 56);
        /* Random bytes can in principle form a valid raw snappy block;
         * with this seed none does, and none may crash. */
        int rc = kc__decompress(codec, junk, n, &out, 1 << 20);
        ck_assert_msg(rc == KC__CODEC_ECORRUPT || rc == KC__CODEC_ETOOBIG,
                      "%s garbage round %d: rc %d", kc__codec_name(codec), round, rc);
        ck_assert_uint_eq(out.len, 0);
    }
    ck_assert_int_eq(kc__decompress(codec, "", 0, &out, 100), KC__CODEC_ECORRUPT);
    kc__buf_free(&out);
}
END_TEST

/* Bit flips in checksummed streams (gzip CRC32, zstd and lz4 CLI content
 * checksums) are caught. */
START_TEST(test_flipped_checksummed_input_refused) {
    static const struct {
        const char *file;
        int codec;
    } f[] = {{"compress/input.txt.gz", KC__CODEC_GZIP},
             {"compress/input.txt.zst", KC__CODEC_ZSTD},
             {"compress/input.txt.lz4", KC__CODEC_LZ4},
             {"compress/input.txt.bx.lz4", KC__CODEC_LZ4}};
    kc__buf out;
    kc__buf_init(&out, 0);
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
        size_t n;
        uint8_t *in = fixture(f[k].file, &n);
        for (int round = 0; round < 20; round++) {
            size_t at = 20 + rnd() % (n - 40);
            uint8_t bit = (uint8_t)(1u << (rnd() % 8));
            in[at] ^= bit;
            out.len = 0;
            int rc = kc__decompress(f[k].codec, in, n, &out, 1 << 20);
            ck_assert_msg(rc == KC__CODEC_ECORRUPT || rc == KC__CODEC_ETOOBIG,
                          "%s flip at %zu: rc %d", f[k].file, at, rc);
            in[at] ^= bit;
        }
        free(in);
    }
    kc__buf_free(&out);
}
END_TEST

/* 64 MiB of zeros compresses to a few KiB; with a 1 MiB limit the
 * decompressor must stop early, using about the limit in memory. */
START_TEST(test_bomb_refused) {
    int codec = codecs[_i];
    size_t big = (size_t)64 << 20, limit = (size_t)1 << 20;
    uint8_t *zeros = calloc(1, big);
    kc__buf c, d;
    kc__buf_init(&c, 0);
    kc__buf_init(&d, 0);
    ck_assert_int_eq(kc__compress(codec, -1, zeros, big, &c), 0);
    free(zeros);
    int rc = kc__decompress(codec, c.p, c.len, &d, limit);
    ck_assert_int_eq(rc, KC__CODEC_ETOOBIG);
    ck_assert_uint_eq(d.len, 0);
    ck_assert_msg(d.cap <= 4 * limit, "%s: %zu bytes allocated for a %zu limit", kc__codec_name(codec),
                  d.cap, limit);
    /* Exactly at the limit is fine. */
    kc__buf_free(&d);
    kc__buf_init(&d, 0);
    ck_assert_int_eq(kc__decompress(codec, c.p, c.len, &d, big), 0);
    ck_assert_uint_eq(d.len, big);
    ck_assert_int_eq(kc__decompress(codec, c.p, c.len, &d, big - 1), KC__CODEC_ETOOBIG);
    ck_assert_uint_eq(d.len, big);
    kc__buf_free(&c);
    kc__buf_free(&d);
}
END_TEST

/* A raw snappy block that claims 2 GiB: refused before allocating. */
START_TEST(test_snappy_length_claim_refused) {
    if (!kc__codec_available(KC__CODEC_SNAPPY)) return;
    static const uint8_t claim[] = {0xff, 0xff, 0xff, 0xff, 0x07, 0x00, 'a'};
    static const uint8_t xerial[] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1,
                                     0,    0,   0,   1,   0,   0,   0,   7, 0xff, 0xff,
                                     0xff, 0xff, 0x07, 0x00, 'a'};
    kc__buf d;
    kc__buf_init(&d, 0);
    ck_assert_int_eq(kc__decompress(KC__CODEC_SNAPPY, claim, sizeof claim, &d, 1 << 20),
                     KC__CODEC_ETOOBIG);
    ck_assert_int_eq(kc__decompress(KC__CODEC_SNAPPY, xerial, sizeof xerial, &d, 1 << 20),
                     KC__CODEC_ETOOBIG);
    ck_assert_uint_eq(d.cap, 0);
    /* A xerial block length past the end. */
    uint8_t bad[sizeof xerial];
    memcpy(bad, xerial, sizeof bad);
    bad[19] = 99;
    ck_assert_int_eq(kc__decompress(KC__CODEC_SNAPPY, bad, sizeof bad, &d, 1 << 20),
                     KC__CODEC_ECORRUPT);
    kc__buf_free(&d);
}
END_TEST

/* Concatenated gzip members and zstd frames read as one stream, as the Java
 * client's stream readers do. */
START_TEST(test_concatenated_streams) {
    uint8_t a[5000], b[7000];
    fill_text(a, sizeof a);
    fill_random(b, sizeof b);
    int cs[] = {KC__CODEC_GZIP, KC__CODEC_ZSTD, KC__CODEC_LZ4};
    for (size_t k = 0; k < 3; k++) {
        kc__buf c, d;
        kc__buf_init(&c, 0);
        kc__buf_init(&d, 0);
        ck_assert_int_eq(kc__compress(cs[k], -1, a, sizeof a, &c), 0);
        ck_assert_int_eq(kc__compress(cs[k], -1, b, sizeof b, &c), 0);
        ck_assert_int_eq(kc__decompress(cs[k], c.p, c.len, &d, 1 << 20), 0);
        ck_assert_uint_eq(d.len, sizeof a + sizeof b);
        ck_assert_mem_eq(d.p, a, sizeof a);
        ck_assert_mem_eq(d.p + sizeof a, b, sizeof b);
        /* Trailing junk after a complete stream is refused. */
        kc__buf_put(&c, "junkjunk", 8);
        d.len = 0;
        ck_assert_int_eq(kc__decompress(cs[k], c.p, c.len, &d, 1 << 20), KC__CODEC_ECORRUPT);
        kc__buf_free(&c);
        kc__buf_free(&d);
    }
}
END_TEST

/* A zstd frame header announcing more than the limit is refused at once. */
START_TEST(test_zstd_content_size_over_limit) {
    if (!kc__codec_available(KC__CODEC_ZSTD)) return;
    uint8_t text[10000];
    fill_text(text, sizeof text);
    kc__buf c, d;
    kc__buf_init(&c, 0);
    kc__buf_init(&d, 0);
    ck_assert_int_eq(kc__compress(KC__CODEC_ZSTD, -1, text, sizeof text, &c), 0);
    ck_assert_int_eq(kc__decompress(KC__CODEC_ZSTD, c.p, c.len, &d, 9999), KC__CODEC_ETOOBIG);
    ck_assert_uint_eq(d.cap, 0);
    kc__buf_free(&c);
    kc__buf_free(&d);
}
END_TEST

/* kc__decompress_bound() + kc__decompress_to() (the consumer's path into
 * fixed memory) give the same bytes as kc__decompress(), or defer to it
 * (bound 0); never more than the bound, never success on bad input. */
static void check_to(int codec, const uint8_t *in, size_t n, const uint8_t *want, size_t wn,
                     const char *what) {
    size_t bound = kc__decompress_bound(codec, in, n, 1 << 24);
    if (!bound) return;
    ck_assert_msg(bound >= wn, "%s: bound %zu < %zu", what, bound, wn);
    uint8_t *dst = malloc(bound); /* exactly the bound: ASan sees any overrun */
    size_t got = 99;
    int rc = kc__decompress_to(codec, in, n, dst, bound, &got);
    if (want) {
        ck_assert_msg(rc == 0, "%s: %s", what, kc__codec_strerror(rc));
        ck_assert_uint_eq(got, wn);
        if (wn) ck_assert_mem_eq(dst, want, wn);
    } else {
        ck_assert_msg(rc < 0, "%s: bad input accepted (%zu bytes)", what, got);
        ck_assert_uint_eq(got, 0);
    }
    free(dst);
}

START_TEST(test_decompress_to_fixtures) {
    size_t tn;
    uint8_t *text = fixture("compress/input.txt", &tn);
    for (size_t k = 0; k < NFIXTURES; k++) {
        int codec = fixtures[k].codec;
        if (codec != KC__CODEC_LZ4 && codec != KC__CODEC_SNAPPY) continue;
        size_t n;
        char rel[128];
        snprintf(rel, sizeof rel, "compress/%s", fixtures[k].file);
        uint8_t *in = fixture(rel, &n);
        size_t bound = kc__decompress_bound(codec, in, n, 1 << 24);
        if (!fixtures[k].empty) {
            ck_assert_msg(bound >= tn, "%s: bound %zu", fixtures[k].file, bound);
            check_to(codec, in, n, text, tn, fixtures[k].file);
            /* Over the limit: no bound (kc__decompress reports it). */
            ck_assert_uint_eq(kc__decompress_bound(codec, in, n, tn - 1), 0);
        }
        for (size_t cut = 0; cut < n; cut += (cut < 64 || n - cut < 64) ? 1 : 997) {
            kc__buf out;
            kc__buf_init(&out, 0);
            int rc = kc__decompress(codec, in, cut, &out, 1 << 24);
            check_to(codec, in, cut, rc == 0 ? out.p : NULL, out.len, fixtures[k].file);
            kc__buf_free(&out);
        }
        if (codec == KC__CODEC_LZ4)
            for (int round = 0; round < 50; round++) {
                size_t at = rnd() % n;
                uint8_t bit = (uint8_t)(1u << (rnd() % 8));
                in[at] ^= bit;
                kc__buf out;
                kc__buf_init(&out, 0);
                int rc = kc__decompress(codec, in, n, &out, 1 << 24);
                check_to(codec, in, n, rc == 0 ? out.p : NULL, out.len, fixtures[k].file);
                kc__buf_free(&out);
                in[at] ^= bit;
            }
        free(in);
    }
    free(text);
}
END_TEST

START_TEST(test_decompress_to_roundtrips) {
    static const size_t sizes[] = {1, 100, 16384, 65536, 65537, 300000, 1 << 20};
    int cs[] = {KC__CODEC_LZ4, KC__CODEC_SNAPPY};
    for (size_t k = 0; k < 2; k++) {
        if (!kc__codec_available(cs[k])) continue;
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            size_t n = sizes[i];
            uint8_t *in = malloc(n);
            if (i % 2) fill_random(in, n); else fill_text(in, n);
            kc__buf c;
            kc__buf_init(&c, 0);
            ck_assert_int_eq(kc__compress(cs[k], -1, in, n, &c), 0);
            ck_assert_uint_ne(kc__decompress_bound(cs[k], c.p, c.len, 1 << 24), 0);
            check_to(cs[k], c.p, c.len, in, n, kc__codec_name(cs[k]));
            kc__buf_free(&c);
            free(in);
        }
    }
    /* No bound for codecs whose framing does not say, nor for garbage. */
    uint8_t text[5000];
    fill_text(text, sizeof text);
    int nb[] = {KC__CODEC_GZIP, KC__CODEC_ZSTD};
    for (size_t k = 0; k < 2; k++) {
        kc__buf c;
        kc__buf_init(&c, 0);
        ck_assert_int_eq(kc__compress(nb[k], -1, text, sizeof text, &c), 0);
        ck_assert_uint_eq(kc__decompress_bound(nb[k], c.p, c.len, 1 << 24), 0);
        kc__buf_free(&c);
    }
    uint8_t junk[512];
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + rnd() % sizeof junk;
        fill_random(junk, n);
        if (round % 2) memcpy(junk, "\x04\x22\x4d\x18\x60\x40", n < 6 ? n : 6);
        check_to(KC__CODEC_LZ4, junk, n, NULL, 0, "lz4 junk");
    }
}
END_TEST

static void *codec_thread(void *arg) {
    (void)arg;
    uint8_t text[20000];
    for (int i = 0; i < 50; i++) {
        fill_text(text, sizeof text); /* racy rng is fine: any data works */
        for (int k = 1; k < NCODECS; k++) {
            kc__buf c, d;
            kc__buf_init(&c, 0);
            kc__buf_init(&d, 0);
            if (kc__compress(codecs[k], -1, text, sizeof text, &c) ||
                kc__decompress(codecs[k], c.p, c.len, &d, sizeof text) || d.len != sizeof text ||
                memcmp(d.p, text, sizeof text))
                return (void *)1;
            kc__buf_free(&c);
            kc__buf_free(&d);
        }
    }
    return NULL;
}

/* Per-thread cached contexts: many threads at once, each exiting. */
START_TEST(test_threads) {
    pthread_t th[6];
    for (int i = 0; i < 6; i++) pthread_create(&th[i], NULL, codec_thread, NULL);
    for (int i = 0; i < 6; i++) {
        void *r;
        pthread_join(th[i], &r);
        ck_assert_ptr_null(r);
    }
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("compress");
    TCase *tc = tcase_create("compress");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_roundtrip_sizes, 0, NCODECS);
    tcase_add_loop_test(tc, test_roundtrip_levels, 0, NCODECS);
    tcase_add_test(tc, test_level_out_of_range_refused);
    tcase_add_test(tc, test_names_and_parse);
    tcase_add_test(tc, test_unknown_codec_refused);
    tcase_add_loop_test(tc, test_fixture_decompresses, 0, (int)NFIXTURES);
    tcase_add_test(tc, test_output_framing_matches_kafka);
    tcase_add_loop_test(tc, test_garbage_refused, 0, NCODECS);
    tcase_add_test(tc, test_flipped_checksummed_input_refused);
    tcase_add_loop_test(tc, test_bomb_refused, 0, NCODECS);
    tcase_add_test(tc, test_snappy_length_claim_refused);
    tcase_add_test(tc, test_concatenated_streams);
    tcase_add_test(tc, test_zstd_content_size_over_limit);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_decompress_to_fixtures);
    tcase_add_test(tc, test_decompress_to_roundtrips);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
