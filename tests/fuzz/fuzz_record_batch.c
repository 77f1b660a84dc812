/* libFuzzer target: the record batch reader (batches, decompression,
 * records, headers, control records) on arbitrary "records" blobs.
 *
 * Compressed batches whose codec gives a size bound are also decompressed
 * into fixed memory (the consumer's path), which must agree.
 *
 * Each input is read twice: as is (so the CRC gate itself is fuzzed), and
 * with every batch's CRC recomputed, so mutations reach the record parser
 * and the decompressors behind it. Limits are as a consumer sets them:
 * 1 MiB of decompressed records per batch, 8 MiB per batch.
 *
 * Seeds: any file of concatenated v2 batches, e.g. the .bin files of
 * tests/fixtures/record_batch.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE \
 *     -Iinclude -Ilib -I. tests/fuzz/fuzz_record_batch.c lib/proto/record_batch.c \
 *     lib/proto/compress.c lib/util/crc32c.c lib/proto/wire.c lib/util/buf.c \
 *     $(pkg-config --libs zlib libzstd liblz4 snappy) -lm -o /tmp/fzrb
 *   /tmp/fzrb -max_total_time=60 CORPUS_DIR */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/record_batch.h"
#include "util/crc32c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint64_t sink;

static void read_blob(const uint8_t *data, size_t size, kc__buf *scratch) {
    kc__batch_iter it;
    kc__batch b;
    kc__batch_iter_init(&it, data, size);
    it.max_batch = 8 << 20;
    uint64_t acc = 0;
    while (kc__batch_iter_next(&it, &b) == 0) {
        kc__record_iter ri;
        kc__record r;
        scratch->len = 0;
        acc += (uint64_t)b.base_offset ^ (uint64_t)b.producer_id ^ (uint64_t)kc__batch_last_offset(&b);
        int rc = kc__record_iter_init(&ri, &b, scratch, 1 << 20);
        /* The consumer's fixed-memory path (lz4, snappy) must agree:
         * same outcome, same bytes, never past the bound it computed. */
        size_t bound = kc__batch_decompressed_bound(&b, 1 << 20);
        if (bound) {
            uint8_t *dst = malloc(bound);
            kc__record_iter ri2;
            size_t used = 0;
            int rc2 = kc__record_iter_init_to(&ri2, &b, dst, bound, &used);
            if ((rc == 0) != (rc2 == 0)) abort();
            if (rc == 0 && (used != scratch->len || (used && memcmp(dst, scratch->p, used))))
                abort();
            free(dst);
        }
        if (rc != 0) continue;
        while (kc__record_iter_next(&ri, &r) == 0) {
            /* Touch every byte the reader hands out: ASan checks bounds. */
            for (int32_t i = 0; i < r.key.len; i++) acc += r.key.p[i];
            for (int32_t i = 0; i < r.value.len; i++) acc += r.value.p[i];
            acc += (uint64_t)r.offset + (uint64_t)r.timestamp;
            kc__header_iter hi;
            kc__str hk;
            kc__bytes hv;
            int32_t nh = 0;
            kc__header_iter_init(&hi, &r);
            while (kc__header_iter_next(&hi, &hk, &hv)) {
                for (int32_t i = 0; i < hk.len; i++) acc += (uint8_t)hk.p[i];
                for (int32_t i = 0; i < hv.len; i++) acc += hv.p[i];
                nh++;
            }
            if (nh != r.header_count) abort(); /* validated headers must iterate fully */
            if (kc__batch_is_control(&b)) acc += (uint64_t)kc__record_control_type(&r);
        }
    }
    char msg[256];
    kc__batch_iter_describe(&it, msg, sizeof msg);
    acc += (uint8_t)msg[0];
    sink = acc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    kc__buf scratch;
    kc__buf_init(&scratch, 0);
    read_blob(data, size, &scratch);

    /* Again with valid CRCs. */
    uint8_t *copy = malloc(size ? size : 1);
    if (copy) {
        memcpy(copy, data, size);
        size_t off = 0;
        while (size - off >= KC__BATCH_HEADER_SIZE) {
            int32_t blen = (int32_t)kc__get_u32(copy + off + KC__BATCH_OFF_LENGTH);
            if (blen < KC__BATCH_MIN_LENGTH || (size_t)blen + 12 > size - off) break;
            size_t n = (size_t)blen + 12;
            kc__put_u32(copy + off + KC__BATCH_OFF_CRC,
                        kc__crc32c(0, copy + off + KC__BATCH_OFF_ATTRIBUTES,
                                   n - KC__BATCH_OFF_ATTRIBUTES));
            off += n;
        }
        read_blob(copy, size, &scratch);
        free(copy);
    }
    kc__buf_free(&scratch);
    return 0;
}
