/* Micro-benchmark of record batch v2 encoding/decoding and CRC32C (not run
 * by the tests). Encodes 1M records with 100-byte values into 16 KiB batches,
 * decodes them back, per codec; then CRC32C throughput, hardware vs
 * software. Reports the best of 5 runs.
 *
 *   cc -O2 -std=c11 -D_GNU_SOURCE -pthread -Iinclude -Ilib -I. tests/perf/bench_batch.c \
 *       lib/proto/record_batch.c lib/proto/compress.c lib/util/crc32c.c lib/proto/wire.c \
 *       lib/util/buf.c $(pkg-config --libs zlib libzstd liblz4 snappy) -lm \
 *       -o build/bench_batch && build/bench_batch
 *
 * Options: bench_batch [records] [value_bytes] [batch_bytes] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/compress.h"
#include "proto/record_batch.h"
#include "util/crc32c.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile uint64_t sink;

/* Encodes n records into batches of about batch_bytes, appended to blob.
 * Returns the number of batches. */
static size_t encode(kc__buf *blob, kc__buf *scratch, size_t n, const uint8_t *val, int32_t vlen,
                     size_t batch_bytes, int codec, bool reuse) {
    kc__batch_writer w;
    kc__batch_params bp = KC__BATCH_PARAMS_INIT;
    bp.codec = codec;
    kc__bytes value = {val, vlen};
    size_t batches = 0;
    int64_t ts = 1700000000000LL, offset = 0;
    size_t start = blob->len;
    kc__batch_writer_begin(&w, blob);
    size_t est = kc__batch_size_estimate(KC__BYTES_NULL, value, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        if (kc__batch_writer_size(&w) + est > batch_bytes) {
            bp.base_offset = offset;
            offset += w.count;
            if (kc__batch_writer_finish(&w, &bp, scratch)) abort();
            batches++;
            if (reuse) blob->len = start; /* sent: reuse the buffer */
            kc__batch_writer_begin(&w, blob);
        }
        if (kc__batch_append(&w, ts + (int64_t)(i & 1023), KC__BYTES_NULL, value, NULL, 0)) abort();
    }
    bp.base_offset = offset;
    if (kc__batch_writer_finish(&w, &bp, scratch)) abort();
    return batches + 1;
}

static size_t decode(const kc__buf *blob, kc__buf *scratch) {
    kc__batch_iter it;
    kc__batch b;
    kc__record_iter ri;
    kc__record r;
    size_t n = 0;
    uint64_t acc = 0;
    kc__batch_iter_init(&it, blob->p, blob->len);
    while (kc__batch_iter_next(&it, &b) == 0) {
        scratch->len = 0;
        if (kc__record_iter_init(&ri, &b, scratch, 0)) abort();
        while (kc__record_iter_next(&ri, &r) == 0) {
            acc += (uint64_t)r.offset + (uint64_t)r.value.len + r.value.p[0];
            n++;
        }
    }
    if (it.status != KC__BATCH_END) abort();
    sink = acc;
    return n;
}

int main(int argc, char **argv) {
    size_t nrec = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    int32_t vlen = argc > 2 ? (int32_t)atoi(argv[2]) : 100;
    size_t batch_bytes = argc > 3 ? strtoul(argv[3], NULL, 10) : 16384;
    uint8_t *val = malloc((size_t)vlen);
    /* Semi-compressible payload: text-like with a varying part. */
    for (int32_t i = 0; i < vlen; i++) val[i] = (uint8_t)("kafkac record payload "[i % 22] + (i / 22) % 3);

    printf("records: %zu x %d-byte values, batches of %zu bytes\n", nrec, vlen, batch_bytes);
    printf("ns per record; encode: batch buffer reused after each batch (producer);\n"
           "encode->blob: all batches kept in one %s buffer; decode: from that blob\n",
           "growing");
    printf("%-7s %9s %8s %12s %12s %12s\n", "codec", "batches", "ratio", "encode", "encode->blob",
           "decode");
    kc__buf blob, scratch;
    kc__buf_init(&blob, 0);
    kc__buf_init(&scratch, 0);
    for (int codec = 0; codec <= 4; codec++) {
        if (!kc__codec_available(codec)) continue;
        double best_enc = 1e9, best_blob = 1e9, best_dec = 1e9;
        size_t batches = 0, raw_len = 0;
        for (int run = 0; run < 5; run++) {
            /* As a producer does: each finished batch is sent and its
             * buffer reused, so the encoding runs in cache. */
            blob.len = 0;
            double t0 = now();
            encode(&blob, &scratch, nrec, val, vlen, batch_bytes, codec, true);
            double t1 = now();
            if (t1 - t0 < best_enc) best_enc = t1 - t0;
            /* All batches kept in one blob, as a fetch response holds them. */
            blob.len = 0;
            t0 = now();
            batches = encode(&blob, &scratch, nrec, val, vlen, batch_bytes, codec, false);
            t1 = now();
            size_t got = decode(&blob, &scratch);
            double t2 = now();
            if (got != nrec) abort();
            if (t1 - t0 < best_blob) best_blob = t1 - t0;
            if (t2 - t1 < best_dec) best_dec = t2 - t1;
            if (codec == 0) raw_len = blob.len;
        }
        static size_t none_len;
        if (codec == 0) none_len = raw_len;
        printf("%-7s %9zu %8.2f %9.1f ns %9.1f ns %9.1f ns\n", kc__codec_name(codec), batches,
               none_len ? (double)none_len / (double)blob.len : 1.0, best_enc * 1e9 / (double)nrec,
               best_blob * 1e9 / (double)nrec, best_dec * 1e9 / (double)nrec);
    }
    kc__buf_free(&blob);
    kc__buf_free(&scratch);

    /* CRC32C throughput over batch-sized and larger buffers. */
    size_t sizes[] = {16384, 1 << 20};
    uint8_t *buf = malloc(1 << 20);
    for (size_t i = 0; i < (1u << 20); i++) buf[i] = (uint8_t)(i * 2654435761u >> 24);
    kc__crc32c_fn hw = kc__crc32c_hw_impl();
    printf("crc32c (%s):\n", hw ? "SSE4.2 available" : "no hardware CRC on this build/CPU");
    for (size_t s = 0; s < 2; s++) {
        size_t sz = sizes[s], total = (size_t)4 << 30, iters = total / sz;
        double best_sw = 1e9, best_hw = 1e9;
        uint32_t c = 0;
        for (int run = 0; run < 3; run++) {
            double t0 = now();
            for (size_t i = 0; i < iters / 8; i++) c ^= kc__crc32c_sw(c, buf, sz);
            double t1 = now();
            if (t1 - t0 < best_sw) best_sw = t1 - t0;
            if (hw) {
                t0 = now();
                for (size_t i = 0; i < iters; i++) c ^= hw(c, buf, sz);
                t1 = now();
                if (t1 - t0 < best_hw) best_hw = t1 - t0;
            }
        }
        sink = c;
        printf("  %7zu-byte buffers: sw %6.2f GB/s", sz, (double)(iters / 8 * sz) / best_sw / 1e9);
        if (hw) printf(", hw %6.2f GB/s (%.1fx)", (double)(iters * sz) / best_hw / 1e9,
                       ((double)(iters * sz) / best_hw) / ((double)(iters / 8 * sz) / best_sw));
        printf("\n");
    }
    free(buf);
    free(val);
    return 0;
}
