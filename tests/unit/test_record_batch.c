/* Record batch v2: a hand-assembled golden batch, batches made by the Kafka
 * Java client (tests/fixtures/record_batch/README.md), writer/reader round
 * trips for every codec, and hostile input: CRC flips, truncation, bad
 * magic, impossible lengths and counts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/compress.h"
#include "proto/record_batch.h"
#include "util/crc32c.h"

#define BASE_TS 1700000000000LL

static uint64_t rng_state = 0xD1B54A32D192ED03ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

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

static kc__bytes B(const char *s) {
    kc__bytes b = {(const uint8_t *)s, s ? (int32_t)strlen(s) : -1};
    return b;
}

static void assert_bytes(kc__bytes got, const char *want) {
    if (!want) {
        ck_assert_int_eq(got.len, -1);
        return;
    }
    ck_assert_int_eq(got.len, (int32_t)strlen(want));
    if (got.len) ck_assert_mem_eq(got.p, want, (size_t)got.len);
}

/* ------------------------------------------------------------------ golden */

/* A batch assembled by hand, field by field. Kafka 4.0's MemoryRecords
 * builder produces exactly these bytes (tests/fixtures/record_batch/
 * golden.bin); the CRC is CRC-32C of bytes 21..85 (java.util.zip.CRC32C
 * gives 0x86059CBC too). */
static const uint8_t golden[86] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, /* baseOffset 5 */
    0x00, 0x00, 0x00, 0x4a,                         /* batchLength 74 = 86 - 12 */
    0xff, 0xff, 0xff, 0xff,                         /* partitionLeaderEpoch -1 */
    0x02,                                           /* magic 2 */
    0x86, 0x05, 0x9c, 0xbc,                         /* CRC-32C of [21, 86) */
    0x00, 0x00,                                     /* attributes: no codec, create time */
    0x00, 0x00, 0x00, 0x01,                         /* lastOffsetDelta 1 */
    0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, /* baseTimestamp 1700000000000 */
    0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x01, /* maxTimestamp 1700000000001 */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* producerId -1 */
    0xff, 0xff,                                     /* producerEpoch -1 */
    0xff, 0xff, 0xff, 0xff,                         /* baseSequence -1 */
    0x00, 0x00, 0x00, 0x02,                         /* recordCount 2 */
    /* record 0 (varints are zig-zag: 0x10 = 8, 0x02 = 1, 0x01 = -1) */
    0x10,       /* length 8 */
    0x00,       /* attributes */
    0x00,       /* timestampDelta 0 */
    0x00,       /* offsetDelta 0 */
    0x02, 'k',  /* key "k" */
    0x02, 'v',  /* value "v" */
    0x00,       /* 0 headers */
    /* record 1 */
    0x1e,       /* length 15 */
    0x00,       /* attributes */
    0x02,       /* timestampDelta 1 */
    0x02,       /* offsetDelta 1 */
    0x01,       /* key null */
    0x0a, 'h', 'e', 'l', 'l', 'o', /* value "hello" */
    0x02,       /* 1 header */
    0x02, 'h',  /* header key "h" */
    0x02, 'x',  /* header value "x" */
};

START_TEST(test_golden_hand_assembled_batch_decodes) {
    kc__batch_iter it;
    kc__batch b;
    kc__batch_iter_init(&it, golden, sizeof golden);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), 0);
    ck_assert_int_eq(b.base_offset, 5);
    ck_assert_uint_eq(b.len, 86);
    ck_assert_int_eq(b.partition_leader_epoch, -1);
    ck_assert_int_eq(b.magic, 2);
    ck_assert_uint_eq(b.crc, 0x86059CBCu);
    ck_assert_int_eq(b.attributes, 0);
    ck_assert_int_eq(kc__batch_codec(&b), KC__CODEC_NONE);
    ck_assert(!kc__batch_is_transactional(&b));
    ck_assert(!kc__batch_is_control(&b));
    ck_assert_int_eq(b.last_offset_delta, 1);
    ck_assert_int_eq(kc__batch_last_offset(&b), 6);
    ck_assert_int_eq(b.base_timestamp, BASE_TS);
    ck_assert_int_eq(b.max_timestamp, BASE_TS + 1);
    ck_assert_int_eq(b.producer_id, -1);
    ck_assert_int_eq(b.producer_epoch, -1);
    ck_assert_int_eq(b.base_sequence, -1);
    ck_assert_int_eq(b.record_count, 2);

    kc__record_iter ri;
    kc__record r;
    ck_assert_int_eq(kc__record_iter_init(&ri, &b, NULL, 0), 0);
    ck_assert_int_eq(kc__record_iter_next(&ri, &r), 0);
    ck_assert_int_eq(r.offset, 5);
    ck_assert_int_eq(r.timestamp, BASE_TS);
    assert_bytes(r.key, "k");
    assert_bytes(r.value, "v");
    ck_assert_int_eq(r.header_count, 0);
    ck_assert_ptr_eq(r.key.p, golden + 66); /* zero-copy */
    ck_assert_int_eq(kc__record_iter_next(&ri, &r), 0);
    ck_assert_int_eq(r.offset, 6);
    ck_assert_int_eq(r.timestamp, BASE_TS + 1);
    assert_bytes(r.key, NULL);
    assert_bytes(r.value, "hello");
    ck_assert_int_eq(r.header_count, 1);
    kc__header_iter hi;
    kc__str hk;
    kc__bytes hv;
    kc__header_iter_init(&hi, &r);
    ck_assert(kc__header_iter_next(&hi, &hk, &hv));
    ck_assert(kc__str_eq(hk, kc__str_c("h")));
    assert_bytes(hv, "x");
    ck_assert(!kc__header_iter_next(&hi, &hk, &hv));
    ck_assert_int_eq(kc__record_iter_next(&ri, &r), KC__BATCH_END);
    ck_assert_int_eq(kc__record_iter_next(&ri, &r), KC__BATCH_END);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_END);

    /* Kafka's own encoding of the same batch is identical. */
    size_t n;
    uint8_t *k = fixture("record_batch/golden.bin", &n);
    ck_assert_uint_eq(n, sizeof golden);
    ck_assert_mem_eq(k, golden, n);
    free(k);
    ck_assert_uint_eq(kc__crc32c(0, golden + 21, sizeof golden - 21), 0x86059CBCu);
}
END_TEST

START_TEST(test_writer_reproduces_golden) {
    kc__buf buf;
    kc__buf_init(&buf, 0);
    kc__buf_put(&buf, "xyz", 3); /* the batch may start mid-buffer */
    kc__batch_writer w;
    ck_assert_int_eq(kc__batch_writer_begin(&w, &buf), 0);
    ck_assert_int_eq(kc__batch_append(&w, BASE_TS, B("k"), B("v"), NULL, 0), 0);
    kc__rec_header h = {kc__str_c("h"), B("x")};
    ck_assert_int_eq(kc__batch_append(&w, BASE_TS + 1, B(NULL), B("hello"), &h, 1), 0);
    kc__batch_params bp = KC__BATCH_PARAMS_INIT;
    bp.base_offset = 5;
    ck_assert_int_eq(kc__batch_writer_finish(&w, &bp, NULL), 0);
    ck_assert_uint_eq(buf.len, 3 + sizeof golden);
    ck_assert_mem_eq(buf.p + 3, golden, sizeof golden);
    /* Finished: no more appends. */
    ck_assert_int_ne(kc__batch_append(&w, BASE_TS, B("k"), B("v"), NULL, 0), 0);
    kc__buf_free(&buf);
}
END_TEST

/* -------------------------------------------------- the Kafka fixture table */

#define NREC 10
static char keys[NREC][24], values[NREC][400];
static const char *rec_key(int i) {
    if (i == 1) return NULL;
    if (i == 3) return "";
    snprintf(keys[i], sizeof keys[i], "key-%d", i);
    return keys[i];
}
static const char *rec_value(int i) {
    if (i == 2) return NULL;
    if (i == 3) return "";
    values[i][0] = 0;
    for (int k = 0; k < 20; k++) {
        char part[24];
        snprintf(part, sizeof part, "value-%d ", i);
        strcat(values[i], part);
    }
    return values[i];
}
static int64_t rec_ts(int i) { return i == 2 ? BASE_TS - 3 : BASE_TS + i * 5; }
static size_t rec_headers(int i, kc__rec_header *h) {
    switch (i) {
    case 0: h[0] = (kc__rec_header){kc__str_c("h1"), B("v1")}; return 1;
    case 3:
        h[0] = (kc__rec_header){kc__str_c("a"), B(NULL)};
        h[1] = (kc__rec_header){kc__str_c("b"), B("")};
        return 2;
    case 5:
        h[0] = (kc__rec_header){kc__str_c("trace-id"), B("abc123")};
        h[1] = (kc__rec_header){kc__str_c("n"), B("5")};
        return 2;
    }
    return 0;
}

static void check_table_record(const kc__record *r, int i, int64_t base_offset) {
    ck_assert_int_eq(r->offset, base_offset + i);
    ck_assert_int_eq(r->offset_delta, i);
    assert_bytes(r->key, rec_key(i));
    assert_bytes(r->value, rec_value(i));
    kc__rec_header want[2];
    size_t nh = rec_headers(i, want);
    ck_assert_int_eq(r->header_count, (int)nh);
    kc__header_iter hi;
    kc__header_iter_init(&hi, r);
    kc__str hk;
    kc__bytes hv;
    for (size_t k = 0; k < nh; k++) {
        ck_assert(kc__header_iter_next(&hi, &hk, &hv));
        ck_assert(kc__str_eq(hk, want[k].key));
        ck_assert(kc__bytes_eq(hv, want[k].value));
    }
    ck_assert(!kc__header_iter_next(&hi, &hk, &hv));
}

/* Iterates every record of a blob holding one batch of the table. */
static void check_table_blob(const uint8_t *p, size_t n, int codec, int nrec, bool txn,
                             int64_t log_append_ts) {
    kc__batch_iter it;
    kc__batch b;
    kc__batch_iter_init(&it, p, n);
    int rc = kc__batch_iter_next(&it, &b);
    ck_assert_msg(rc == 0, "%s", kc__batch_strerror(rc));
    ck_assert_int_eq(kc__batch_codec(&b), codec);
    ck_assert_int_eq(b.base_offset, 1000);
    ck_assert_int_eq(b.last_offset_delta, nrec - 1);
    ck_assert_int_eq(b.record_count, nrec);
    ck_assert_int_eq(b.producer_id, 4242);
    ck_assert_int_eq(b.producer_epoch, 7);
    ck_assert_int_eq(b.base_sequence, 100);
    ck_assert_int_eq(b.partition_leader_epoch, 3);
    ck_assert(kc__batch_is_transactional(&b) == txn);
    ck_assert(!kc__batch_is_control(&b));
    ck_assert(kc__batch_is_log_append_time(&b) == (log_append_ts != 0));
    ck_assert_int_eq(b.base_timestamp, BASE_TS);
    int64_t max_ts = log_append_ts;
    for (int i = 0; i < nrec && !log_append_ts; i++)
        if (rec_ts(i) > max_ts) max_ts = rec_ts(i);
    ck_assert_int_eq(b.max_timestamp, max_ts);

    kc__buf scratch;
    kc__buf_init(&scratch, 0);
    kc__record_iter ri;
    kc__record r;
    rc = kc__record_iter_init(&ri, &b, &scratch, 1 << 20);
    ck_assert_msg(rc == 0, "%s", kc__batch_strerror(rc));
    for (int i = 0; i < nrec; i++) {
        rc = kc__record_iter_next(&ri, &r);
        ck_assert_msg(rc == 0, "record %d: %s", i, kc__batch_strerror(rc));
        check_table_record(&r, i, 1000);
        ck_assert_int_eq(r.timestamp, log_append_ts ? log_append_ts : rec_ts(i));
    }
    ck_assert_int_eq(kc__record_iter_next(&ri, &r), KC__BATCH_END);
    /* The same through fixed memory when the codec gives a bound (the
     * consumer's path): lz4 and snappy do, the others defer. */
    size_t bound = kc__batch_decompressed_bound(&b, 1 << 20);
    ck_assert((bound != 0) == (codec == KC__CODEC_LZ4 || codec == KC__CODEC_SNAPPY));
    if (bound) {
        ck_assert_uint_ge(bound, scratch.len);
        uint8_t *dst = malloc(bound);
        size_t used = 0;
        rc = kc__record_iter_init_to(&ri, &b, dst, bound, &used);
        ck_assert_msg(rc == 0, "%s", kc__batch_strerror(rc));
        ck_assert_uint_eq(used, scratch.len);
        for (int i = 0; i < nrec; i++) {
            ck_assert_int_eq(kc__record_iter_next(&ri, &r), 0);
            check_table_record(&r, i, 1000);
        }
        ck_assert_int_eq(kc__record_iter_next(&ri, &r), KC__BATCH_END);
        free(dst);
    }
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_END);
    kc__buf_free(&scratch);
}

static const char *codec_files[] = {"none", "gzip", "snappy", "lz4", "zstd"};

START_TEST(test_kafka_fixture_decodes) {
    char rel[64];
    snprintf(rel, sizeof rel, "record_batch/kafka-%s.bin", codec_files[_i]);
    size_t n;
    uint8_t *p = fixture(rel, &n);
    check_table_blob(p, n, _i, NREC, false, 0);
    free(p);
}
END_TEST

START_TEST(test_kafka_txn_and_log_append_fixtures) {
    size_t n;
    uint8_t *p = fixture("record_batch/kafka-txn.bin", &n);
    check_table_blob(p, n, KC__CODEC_NONE, 3, true, 0);
    free(p);
    p = fixture("record_batch/kafka-logappend.bin", &n);
    check_table_blob(p, n, KC__CODEC_NONE, 3, false, BASE_TS + 7777);
    free(p);
}
END_TEST

static void write_table(kc__buf *buf, int nrec, const kc__batch_params *bp, kc__buf *scratch) {
    kc__batch_writer w;
    ck_assert_int_eq(kc__batch_writer_begin(&w, buf), 0);
    for (int i = 0; i < nrec; i++) {
        kc__rec_header h[2];
        size_t nh = rec_headers(i, h);
        ck_assert_int_eq(kc__batch_append(&w, rec_ts(i), B(rec_key(i)), B(rec_value(i)), h, nh), 0);
    }
    int rc = kc__batch_writer_finish(&w, bp, scratch);
    ck_assert_msg(rc == 0, "%s", kc__batch_strerror(rc));
}

static kc__batch_params table_params(int codec, bool txn) {
    kc__batch_params bp = KC__BATCH_PARAMS_INIT;
    bp.base_offset = 1000;
    bp.partition_leader_epoch = 3;
    bp.producer_id = 4242;
    bp.producer_epoch = 7;
    bp.base_sequence = 100;
    bp.codec = codec;
    bp.transactional = txn;
    return bp;
}

/* Uncompressed, the writer's bytes are the Java client's bytes. */
START_TEST(test_writer_matches_kafka_bytes) {
    size_t n;
    kc__buf buf;
    kc__buf_init(&buf, 0);
    kc__batch_params bp = table_params(KC__CODEC_NONE, false);
    write_table(&buf, NREC, &bp, NULL);
    uint8_t *k = fixture("record_batch/kafka-none.bin", &n);
    ck_assert_uint_eq(buf.len, n);
    ck_assert_mem_eq(buf.p, k, n);
    free(k);

    buf.len = 0;
    bp = table_params(KC__CODEC_NONE, true);
    write_table(&buf, 3, &bp, NULL);
    k = fixture("record_batch/kafka-txn.bin", &n);
    ck_assert_uint_eq(buf.len, n);
    ck_assert_mem_eq(buf.p, k, n);
    free(k);

    /* Transaction markers. */
    static const struct {
        const char *file;
        int16_t type;
        int64_t offset, ts;
    } m[] = {{"record_batch/kafka-commit.bin", KC__CONTROL_COMMIT, 1010, BASE_TS + 1000},
             {"record_batch/kafka-abort.bin", KC__CONTROL_ABORT, 1011, BASE_TS + 1001}};
    for (int i = 0; i < 2; i++) {
        buf.len = 0;
        kc__batch_writer w;
        ck_assert_int_eq(kc__batch_writer_begin(&w, &buf), 0);
        ck_assert_int_eq(kc__batch_append_control(&w, m[i].ts, m[i].type, 9), 0);
        bp = table_params(KC__CODEC_NONE, true);
        bp.base_offset = m[i].offset;
        bp.base_sequence = -1;
        bp.control = true;
        ck_assert_int_eq(kc__batch_writer_finish(&w, &bp, NULL), 0);
        k = fixture(m[i].file, &n);
        ck_assert_uint_eq(buf.len, n);
        ck_assert_mem_eq(buf.p, k, n);

        kc__batch_iter it;
        kc__batch b;
        kc__batch_iter_init(&it, k, n);
        ck_assert_int_eq(kc__batch_iter_next(&it, &b), 0);
        ck_assert(kc__batch_is_control(&b));
        ck_assert(kc__batch_is_transactional(&b));
        kc__record_iter ri;
        kc__record r;
        ck_assert_int_eq(kc__record_iter_init(&ri, &b, NULL, 0), 0);
        ck_assert_int_eq(kc__record_iter_next(&ri, &r), 0);
        ck_assert_int_eq(kc__record_control_type(&r), m[i].type);
        ck_assert_int_eq(r.offset, m[i].offset);
        ck_assert_int_eq(r.timestamp, m[i].ts);
        ck_assert_int_eq(r.value.len, 6); /* version 0, coordinator epoch */
        ck_assert_int_eq((int32_t)kc__get_u32(r.value.p + 2), 9);
        ck_assert_int_eq(kc__record_iter_next(&ri, &r), KC__BATCH_END);
        free(k);
    }
    kc__buf_free(&buf);
}
END_TEST

/* -------------------------------------------------------------- round trips */

START_TEST(test_roundtrip_each_codec) {
    int codec = _i;
    kc__buf buf, scratch;
    kc__buf_init(&buf, 0);
    kc__buf_init(&scratch, 0);
    kc__batch_params bp = table_params(codec, false);
    write_table(&buf, NREC, &bp, &scratch);
    check_table_blob(buf.p, buf.len, codec, NREC, false, 0);
    kc__buf_free(&buf);
    kc__buf_free(&scratch);
}
END_TEST

/* Many records per batch, many batches per blob, each codec, values of
 * every size class (null, empty, small, 1-byte and multi-byte varint
 * lengths). */
START_TEST(test_many_records_many_batches) {
    int codec = _i;
    kc__buf blob, scratch;
    kc__buf_init(&blob, 0);
    kc__buf_init(&scratch, 0);
    enum { N = 20000 };
    uint8_t payload[3000];
    for (size_t i = 0; i < sizeof payload; i++) payload[i] = (uint8_t)("abcdefgh"[i % 8] + i / 512);
    int64_t next_offset = 0;
    int batches = 0;
    kc__batch_writer w;
    kc__batch_writer_begin(&w, &blob);
    for (int i = 0; i < N; i++) {
        int32_t vlen = i % 7 == 0 ? -1 : (int32_t)(i * 37 % 1500);
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        kc__bytes v = {payload, vlen};
        kc__rec_header h = {kc__str_c("i"), {(const uint8_t *)key, (int32_t)strlen(key)}};
        ck_assert_int_eq(kc__batch_append(&w, BASE_TS + i, i % 5 ? B(key) : B(NULL), v, &h,
                                          (size_t)(i % 3 == 0)), 0);
        if (kc__batch_writer_size(&w) >= 16384 || i == N - 1) {
            kc__batch_params bp = KC__BATCH_PARAMS_INIT;
            bp.codec = codec;
            bp.base_offset = next_offset;
            next_offset += w.count;
            ck_assert_int_eq(kc__batch_writer_finish(&w, &bp, &scratch), 0);
            batches++;
            if (i != N - 1) kc__batch_writer_begin(&w, &blob);
        }
    }
    ck_assert_int_gt(batches, 100);

    kc__batch_iter it;
    kc__batch b;
    kc__batch_iter_init(&it, blob.p, blob.len);
    int64_t seen = 0;
    int got_batches = 0;
    while (kc__batch_iter_next(&it, &b) == 0) {
        got_batches++;
        if (codec != KC__CODEC_NONE) ck_assert_int_eq(kc__batch_codec(&b), codec);
        kc__record_iter ri;
        kc__record r;
        scratch.len = 0;
        ck_assert_int_eq(kc__record_iter_init(&ri, &b, &scratch, 0), 0);
        int rc;
        while ((rc = kc__record_iter_next(&ri, &r)) == 0) {
            int i = (int)seen;
            ck_assert_int_eq(r.offset, seen);
            ck_assert_int_eq(r.timestamp, BASE_TS + i);
            int32_t vlen = i % 7 == 0 ? -1 : (int32_t)(i * 37 % 1500);
            ck_assert_int_eq(r.value.len, vlen);
            if (vlen > 0) ck_assert_mem_eq(r.value.p, payload, (size_t)vlen);
            char key[16];
            snprintf(key, sizeof key, "k%d", i);
            if (i % 5)
                assert_bytes(r.key, key);
            else
                assert_bytes(r.key, NULL);
            ck_assert_int_eq(r.header_count, i % 3 == 0);
            seen++;
        }
        ck_assert_int_eq(rc, KC__BATCH_END);
    }
    ck_assert_int_eq(it.status, KC__BATCH_END);
    ck_assert_int_eq(seen, N);
    ck_assert_int_eq(got_batches, batches);
    kc__buf_free(&blob);
    kc__buf_free(&scratch);
}
END_TEST

START_TEST(test_offset_gaps_and_negative_timestamp_delta) {
    kc__buf buf;
    kc__buf_init(&buf, 0);
    kc__batch_writer w;
    kc__batch_writer_begin(&w, &buf);
    ck_assert_int_eq(kc__batch_append_at(&w, 0, 1000, B("a"), B("1"), NULL, 0), 0);
    ck_assert_int_eq(kc__batch_append_at(&w, 5, 400, B("b"), B("2"), NULL, 0), 0);
    ck_assert_int_eq(kc__batch_append_at(&w, 9, INT64_C(1) << 50, B("c"), B("3"), NULL, 0), 0);
    ck_assert_int_eq(kc__batch_append_at(&w, 9, 0, B("d"), B("4"), NULL, 0), KC__BATCH_ERR_INVALID);
    buf.len = 0; /* the failed writer is abandoned */
    kc__batch_writer_begin(&w, &buf);
    ck_assert_int_eq(kc__batch_append_at(&w, 0, 1000, B("a"), B("1"), NULL, 0), 0);
    ck_assert_int_eq(kc__batch_append_at(&w, 5, 400, B("b"), B("2"), NULL, 0), 0);
    ck_assert_int_eq(kc__batch_append_at(&w, 9, INT64_C(1) << 50, B("c"), B("3"), NULL, 0), 0);
    kc__batch_params bp = KC__BATCH_PARAMS_INIT;
    bp.base_offset = 77;
    ck_assert_int_eq(kc__batch_writer_finish(&w, &bp, NULL), 0);

    kc__batch_iter it;
    kc__batch b;
    kc__batch_iter_init(&it, buf.p, buf.len);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), 0);
    ck_assert_int_eq(b.last_offset_delta, 9);
    ck_assert_int_eq(kc__batch_last_offset(&b), 86);
    ck_assert_int_eq(b.base_timestamp, 1000);
    ck_assert_int_eq(b.max_timestamp, INT64_C(1) << 50);
    kc__record_iter ri;
    kc__record r;
    kc__record_iter_init(&ri, &b, NULL, 0);
    int64_t offs[] = {77, 82, 86}, ts[] = {1000, 400, INT64_C(1) << 50};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(kc__record_iter_next(&ri, &r), 0);
        ck_assert_int_eq(r.offset, offs[i]);
        ck_assert_int_eq(r.timestamp, ts[i]);
    }
    ck_assert_int_eq(kc__record_iter_next(&ri, &r), KC__BATCH_END);
    kc__buf_free(&buf);
}
END_TEST

START_TEST(test_writer_refuses_misuse) {
    kc__buf buf;
    kc__buf_init(&buf, 0);
    kc__batch_writer w;
    /* No records. */
    kc__batch_writer_begin(&w, &buf);
    ck_assert_int_eq(kc__batch_writer_finish(&w, NULL, NULL), KC__BATCH_ERR_INVALID);
    /* Null header key; the error is sticky. */
    buf.len = 0;
    kc__batch_writer_begin(&w, &buf);
    kc__rec_header h = {KC__STR_NULL, B("v")};
    ck_assert_int_eq(kc__batch_append(&w, 0, B("k"), B("v"), &h, 1), KC__BATCH_ERR_INVALID);
    ck_assert_int_eq(kc__batch_append(&w, 0, B("k"), B("v"), NULL, 0), KC__BATCH_ERR_INVALID);
    ck_assert_int_eq(kc__batch_writer_finish(&w, NULL, NULL), KC__BATCH_ERR_INVALID);
    /* Bad lengths. */
    buf.len = 0;
    kc__batch_writer_begin(&w, &buf);
    kc__bytes bad = {(const uint8_t *)"x", -2};
    ck_assert_int_eq(kc__batch_append(&w, 0, bad, B("v"), NULL, 0), KC__BATCH_ERR_INVALID);
    buf.len = 0;
    kc__batch_writer_begin(&w, &buf);
    kc__bytes nullp = {NULL, 5};
    ck_assert_int_eq(kc__batch_append(&w, 0, B("k"), nullp, NULL, 0), KC__BATCH_ERR_INVALID);
    /* Unknown codec at finish. */
    buf.len = 0;
    kc__batch_writer_begin(&w, &buf);
    ck_assert_int_eq(kc__batch_append(&w, 0, B("k"), B("v"), NULL, 0), 0);
    kc__batch_params bp = KC__BATCH_PARAMS_INIT;
    bp.codec = 6;
    ck_assert_int_eq(kc__batch_writer_finish(&w, &bp, NULL), KC__BATCH_ERR_CODEC);
    /* Negative first offset delta. */
    buf.len = 0;
    kc__batch_writer_begin(&w, &buf);
    ck_assert_int_eq(kc__batch_append_at(&w, -1, 0, B("k"), B("v"), NULL, 0), KC__BATCH_ERR_INVALID);
    kc__buf_free(&buf);
}
END_TEST

/* Incompressible records: the batch goes out uncompressed (smaller). */
START_TEST(test_incompressible_kept_uncompressed) {
    uint8_t noise[4000];
    for (size_t i = 0; i < sizeof noise; i++) noise[i] = (uint8_t)(rnd() >> 56);
    kc__buf buf;
    kc__buf_init(&buf, 0);
    kc__batch_writer w;
    kc__batch_writer_begin(&w, &buf);
    kc__bytes v = {noise, sizeof noise};
    ck_assert_int_eq(kc__batch_append(&w, 0, B(NULL), v, NULL, 0), 0);
    size_t raw = kc__batch_writer_size(&w);
    kc__batch_params bp = KC__BATCH_PARAMS_INIT;
    bp.codec = KC__CODEC_GZIP;
    ck_assert_int_eq(kc__batch_writer_finish(&w, &bp, NULL), 0);
    ck_assert_uint_eq(buf.len, raw);
    kc__batch_iter it;
    kc__batch b;
    kc__batch_iter_init(&it, buf.p, buf.len);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), 0);
    ck_assert_int_eq(kc__batch_codec(&b), KC__CODEC_NONE);
    kc__buf_free(&buf);
}
END_TEST

START_TEST(test_set_producer_rewrites_and_reseals) {
    kc__buf a, b2;
    kc__buf_init(&a, 0);
    kc__buf_init(&b2, 0);
    kc__batch_params bp = table_params(KC__CODEC_LZ4, false);
    bp.producer_id = -1;
    bp.producer_epoch = -1;
    bp.base_sequence = -1;
    write_table(&a, NREC, &bp, NULL);
    ck_assert_int_eq(kc__batch_set_producer(a.p, a.len, 4242, 7, 100), 0);
    /* Same bytes as writing those fields directly (and valid). */
    bp = table_params(KC__CODEC_LZ4, false);
    write_table(&b2, NREC, &bp, NULL);
    ck_assert_uint_eq(a.len, b2.len);
    ck_assert_mem_eq(a.p, b2.p, a.len);
    check_table_blob(a.p, a.len, KC__CODEC_LZ4, NREC, false, 0);
    /* Wrong length or not a v2 batch: refused, untouched. */
    ck_assert_int_eq(kc__batch_set_producer(a.p, a.len - 1, 1, 1, 1), KC__BATCH_ERR_INVALID);
    ck_assert_int_eq(kc__batch_set_producer(a.p, 60, 1, 1, 1), KC__BATCH_ERR_INVALID);
    ck_assert_mem_eq(a.p, b2.p, a.len);
    kc__buf_free(&a);
    kc__buf_free(&b2);
}
END_TEST

/* A batch buffer sized exactly up front (as the producer does: batch.size
 * plus the header) takes records without growing, and trimmed to its
 * length after the last one it still finishes and decodes. */
START_TEST(test_exact_buffer_then_shrink) {
    kc__buf buf;
    kc__buf_init(&buf, 4096 + KC__BATCH_HEADER_SIZE);
    ck_assert_uint_eq(buf.cap, 4096 + KC__BATCH_HEADER_SIZE);
    uint8_t *first = buf.p;
    kc__batch_writer w;
    ck_assert_int_eq(kc__batch_writer_begin(&w, &buf), 0);
    char val[100];
    memset(val, 'v', sizeof val);
    kc__bytes v = {(const uint8_t *)val, sizeof val};
    int64_t est = (int64_t)kc__batch_size_estimate(KC__BYTES_NULL, v, NULL, 0), used = 0;
    int n = 0;
    while (used + est <= 4096) {
        ck_assert_int_eq(kc__batch_append(&w, 1000 + n, KC__BYTES_NULL, v, NULL, 0), 0);
        used += est;
        n++;
    }
    ck_assert_ptr_eq(buf.p, first); /* never reallocated */
    ck_assert_uint_lt(buf.len, buf.cap);
    kc__buf_shrink(&buf);
    ck_assert_uint_eq(buf.cap, buf.len);
    kc__buf_shrink(&buf); /* no-op */
    ck_assert_int_eq(kc__batch_writer_finish(&w, NULL, NULL), 0);
    kc__batch_iter it;
    kc__batch b;
    kc__batch_iter_init(&it, buf.p, buf.len);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), 0);
    ck_assert_int_eq(b.record_count, n);
    kc__record_iter ri;
    ck_assert_int_eq(kc__record_iter_init(&ri, &b, NULL, 0), 0);
    kc__record r;
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(kc__record_iter_next(&ri, &r), 0);
        ck_assert_int_eq(r.timestamp, 1000 + i);
        ck_assert_int_eq(r.value.len, (int32_t)sizeof val);
    }
    ck_assert_int_eq(kc__record_iter_next(&ri, &r), KC__BATCH_END);
    kc__buf_free(&buf);
}
END_TEST

START_TEST(test_size_estimate_is_an_upper_bound) {
    kc__buf buf;
    kc__buf_init(&buf, 0);
    kc__batch_writer w;
    kc__batch_writer_begin(&w, &buf);
    static uint8_t data[20000];
    for (int i = 0; i < 2000; i++) {
        kc__bytes k = {data, (int32_t)(rnd() % 300) - 1}, v = {data, (int32_t)(rnd() % 20000) - 1};
        kc__rec_header h[3];
        size_t nh = rnd() % 4;
        for (size_t j = 0; j < nh; j++) {
            h[j].key = (kc__str){(const char *)data, (int32_t)(rnd() % 200)};
            h[j].value = (kc__bytes){data, (int32_t)(rnd() % 200) - 1};
        }
        int64_t ts = (int64_t)(rnd() >> 1) * (rnd() & 1 ? 1 : -1);
        size_t before = buf.len, est = kc__batch_size_estimate(k, v, h, nh);
        ck_assert_int_eq(kc__batch_append_at(&w, i * 1000, ts, k, v, h, nh), 0);
        ck_assert_uint_le(buf.len - before, est);
        ck_assert_uint_ge(buf.len - before + 24, est); /* and not far above */
    }
    kc__buf_free(&buf);
}
END_TEST

/* ----------------------------------------------------------- hostile input */

/* Assembles a batch around a records section (CRC valid). */
static void make_batch(kc__buf *out, int16_t attrs, int32_t count, const void *rec, size_t n) {
    size_t at = out->len;
    kc__buf_skip(out, KC__BATCH_HEADER_SIZE);
    kc__buf_put(out, rec, n);
    uint8_t *h = out->p + at;
    size_t size = out->len - at;
    kc__put_u32(h + KC__BATCH_OFF_LENGTH, (uint32_t)(size - 12));
    kc__put_u32(h + KC__BATCH_OFF_LEADER_EPOCH, (uint32_t)-1);
    h[KC__BATCH_OFF_MAGIC] = 2;
    kc__put_u16(h + KC__BATCH_OFF_ATTRIBUTES, (uint16_t)attrs);
    kc__put_u32(h + KC__BATCH_OFF_LAST_OFFSET_DELTA, (uint32_t)(count > 0 ? count - 1 : 0));
    kc__put_u64(h + KC__BATCH_OFF_PRODUCER_ID, (uint64_t)-1);
    kc__put_u16(h + KC__BATCH_OFF_PRODUCER_EPOCH, (uint16_t)-1);
    kc__put_u32(h + KC__BATCH_OFF_BASE_SEQUENCE, (uint32_t)-1);
    kc__put_u32(h + KC__BATCH_OFF_RECORD_COUNT, (uint32_t)count);
    kc__put_u32(h + KC__BATCH_OFF_CRC, kc__crc32c(0, h + 21, size - 21));
}

/* Result of reading every record of a blob holding one batch: the first
 * non-zero status, from the batch or the record iterator. */
static int read_all(const uint8_t *p, size_t n, size_t limit, int *nrecords) {
    kc__batch_iter it;
    kc__batch b;
    kc__batch_iter_init(&it, p, n);
    int rc = kc__batch_iter_next(&it, &b);
    if (nrecords) *nrecords = 0;
    if (rc) return rc;
    kc__buf scratch;
    kc__buf_init(&scratch, 0);
    kc__record_iter ri;
    kc__record r;
    rc = kc__record_iter_init(&ri, &b, &scratch, limit);
    while (!rc && (rc = kc__record_iter_next(&ri, &r)) == 0)
        if (nrecords) (*nrecords)++;
    kc__buf_free(&scratch);
    return rc;
}

static int read_records(const void *rec, size_t n, int32_t count, int16_t attrs, int *nrecords) {
    kc__buf buf;
    kc__buf_init(&buf, 0);
    make_batch(&buf, attrs, count, rec, n);
    int rc = read_all(buf.p, buf.len, 1 << 20, nrecords);
    kc__buf_free(&buf);
    return rc;
}

START_TEST(test_crc_flip_detected) {
    uint8_t b[sizeof golden];
    for (size_t i = 0; i < sizeof golden; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(b, golden, sizeof b);
            b[i] ^= (uint8_t)(1u << bit);
            kc__batch_iter it;
            kc__batch bt;
            kc__batch_iter_init(&it, b, sizeof b);
            int rc = kc__batch_iter_next(&it, &bt);
            if (i >= KC__BATCH_OFF_CRC) {
                ck_assert_msg(rc == KC__BATCH_ERR_CRC, "flip at %zu bit %d: rc %d", i, bit, rc);
            } else if (i < 8 || (i >= 12 && i < 16)) {
                ck_assert_int_eq(rc, 0); /* baseOffset, leader epoch: outside the CRC */
            } else {
                ck_assert_int_ne(rc, 0); /* length or magic: never a batch */
            }
        }
    }
    /* A flip in a compressed batch's payload too. */
    kc__buf buf;
    kc__buf_init(&buf, 0);
    kc__batch_params bp = table_params(KC__CODEC_ZSTD, false);
    write_table(&buf, NREC, &bp, NULL);
    buf.p[buf.len - 5] ^= 0x10;
    ck_assert_int_eq(read_all(buf.p, buf.len, 0, NULL), KC__BATCH_ERR_CRC);
    kc__buf_free(&buf);
}
END_TEST

/* Cut anywhere: the batches before the cut read fine, then INCOMPLETE;
 * never an error. */
START_TEST(test_truncation_is_incomplete) {
    kc__buf blob;
    kc__buf_init(&blob, 0);
    kc__buf_put(&blob, golden, sizeof golden);
    kc__batch_params bp = table_params(KC__CODEC_SNAPPY, false);
    write_table(&blob, NREC, &bp, NULL);
    size_t first = sizeof golden;
    for (size_t cut = 0; cut <= blob.len; cut++) {
        kc__batch_iter it;
        kc__batch b;
        kc__batch_iter_init(&it, blob.p, cut);
        int got = 0, rc;
        while ((rc = kc__batch_iter_next(&it, &b)) == 0) got++;
        if (cut == 0 || cut == first || cut == blob.len) {
            ck_assert_int_eq(rc, KC__BATCH_END);
        } else {
            ck_assert_msg(rc == KC__BATCH_INCOMPLETE, "cut %zu: rc %d", cut, rc);
            ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_INCOMPLETE); /* sticky */
            size_t left = cut < first ? cut : cut - first;
            size_t want = left < 12 ? 17 : cut < first ? first : blob.len - first;
            ck_assert_uint_eq(it.need, want);
            ck_assert_uint_eq(it.err_off, cut < first ? 0 : first);
            char msg[200];
            kc__batch_iter_describe(&it, msg, sizeof msg);
            ck_assert_ptr_nonnull(strstr(msg, "partial batch"));
        }
        ck_assert_int_eq(got, cut >= blob.len ? 2 : cut >= first ? 1 : 0);
    }
    kc__buf_free(&blob);
}
END_TEST

/* v0/v1 message sets: the magic byte sits at the same offset. A real v1
 * message: offset, size, crc, magic 1, attributes, timestamp, key, value. */
START_TEST(test_old_and_unknown_magic) {
    uint8_t v1[] = {0, 0, 0, 0, 0, 0, 0, 0,  /* offset */
                    0, 0, 0, 0x16,           /* message size 22 */
                    0x12, 0x34, 0x56, 0x78,  /* crc (CRC-32, not checked) */
                    1,                       /* magic 1 */
                    0,                       /* attributes */
                    0, 0, 0, 0, 0, 0, 0, 0,  /* timestamp */
                    0xff, 0xff, 0xff, 0xff,  /* key null */
                    0, 0, 0, 0};             /* value "" */
    kc__batch_iter it;
    kc__batch b;
    char msg[256];
    for (int magic = 0; magic <= 1; magic++) {
        v1[16] = (uint8_t)magic;
        kc__batch_iter_init(&it, v1, sizeof v1);
        ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_ERR_OLD_MAGIC);
        ck_assert_int_eq(it.err_magic, magic);
        kc__batch_iter_describe(&it, msg, sizeof msg);
        char want[32];
        snprintf(want, sizeof want, "format v%d (magic %d)", magic, magic);
        ck_assert_msg(strstr(msg, want) != NULL, "%s", msg);
        /* Even when only the start of such a message arrived. */
        kc__batch_iter_init(&it, v1, 17);
        ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_ERR_OLD_MAGIC);
    }
    uint8_t g[sizeof golden];
    memcpy(g, golden, sizeof g);
    g[16] = 3;
    kc__batch_iter_init(&it, g, sizeof g);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_ERR_MAGIC);
    ck_assert_int_eq(it.err_magic, 3);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_ERR_MAGIC); /* sticky */
    kc__batch_iter_describe(&it, msg, sizeof msg);
    ck_assert_ptr_nonnull(strstr(msg, "magic 3"));
    ck_assert_str_ne(kc__batch_strerror(KC__BATCH_ERR_OLD_MAGIC), kc__batch_strerror(KC__BATCH_ERR_MAGIC));
}
END_TEST

START_TEST(test_impossible_batch_lengths) {
    uint8_t g[sizeof golden];
    kc__batch_iter it;
    kc__batch b;
    int32_t lens[] = {-1, INT32_MIN, 0, 4, 48};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        memcpy(g, golden, sizeof g);
        kc__put_u32(g + 8, (uint32_t)lens[i]);
        kc__batch_iter_init(&it, g, sizeof g);
        ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_ERR_LENGTH);
        ck_assert_uint_eq(it.err_off, 0);
    }
    /* A huge length is just a partial batch in a fetch... */
    memcpy(g, golden, sizeof g);
    kc__put_u32(g + 8, INT32_MAX);
    kc__batch_iter_init(&it, g, sizeof g);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_INCOMPLETE);
    ck_assert_uint_eq(it.need, (size_t)INT32_MAX + 12);
    /* ...unless it exceeds the caller's limit. */
    kc__batch_iter_init(&it, g, sizeof g);
    it.max_batch = 1 << 20;
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_ERR_LENGTH);
    /* Empty and tiny blobs. */
    kc__batch_iter_init(&it, NULL, 0);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_END);
    kc__batch_iter_init(&it, golden, 5);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), KC__BATCH_INCOMPLETE);
}
END_TEST

START_TEST(test_hostile_record_counts) {
    /* golden's records section: two records, 22 bytes. */
    const uint8_t *rec = golden + 61;
    size_t n = sizeof golden - 61;
    int got;
    ck_assert_int_eq(read_records(rec, n, 2, 0, &got), KC__BATCH_END);
    ck_assert_int_eq(got, 2);
    ck_assert_int_eq(read_records(rec, n, 1, 0, &got), KC__BATCH_ERR_COUNT); /* bytes left over */
    ck_assert_int_eq(got, 1);
    ck_assert_int_eq(read_records(rec, n, 3, 0, &got), KC__BATCH_ERR_COUNT); /* one missing */
    ck_assert_int_eq(got, 2);
    ck_assert_int_eq(read_records(rec, n, -1, 0, &got), KC__BATCH_ERR_COUNT);
    ck_assert_int_eq(read_records(rec, n, INT32_MAX, 0, &got), KC__BATCH_ERR_COUNT);
    ck_assert_int_eq(got, 0); /* refused before the first record */
    ck_assert_int_eq(read_records(rec, n, 0, 0, &got), KC__BATCH_ERR_COUNT);
    ck_assert_int_eq(read_records("", 0, 0, 0, &got), KC__BATCH_END);
}
END_TEST

START_TEST(test_hostile_record_fields) {
    static const struct {
        const char *what;
        uint8_t bytes[32];
        size_t n;
        int32_t count;
    } cases[] = {
        {"length past the section", {0x7e, 0, 0, 0, 2, 'k', 2, 'v', 0}, 9, 1},
        {"length shorter than the fields", {0x0e, 0, 0, 0, 2, 'k', 2, 'v', 0}, 9, 1},
        {"length longer than the fields", {0x12, 0, 0, 0, 2, 'k', 2, 'v', 0, 0}, 10, 1},
        {"negative length", {0x01, 0, 0, 0, 2, 'k', 2, 'v', 0}, 9, 1},
        {"length below the minimum", {0x08, 0, 0, 0, 0, 0, 0, 0, 0}, 9, 1},
        {"key past the record", {0x10, 0, 0, 0, 0x20, 'k', 2, 'v', 0}, 9, 1},
        {"key length -2", {0x10, 0, 0, 0, 0x03, 'k', 2, 'v', 0}, 9, 1},
        {"value length -3", {0x10, 0, 0, 0, 2, 'k', 0x05, 'v', 0}, 9, 1},
        {"negative header count", {0x10, 0, 0, 0, 2, 'k', 2, 'v', 0x01}, 9, 1},
        {"header count past the record", {0x10, 0, 0, 0, 2, 'k', 2, 'v', 0x7e}, 9, 1},
        {"null header key", {0x12, 0, 0, 0, 0, 0, 0x02, 0x01, 0x02, 'x'}, 10, 1},
        {"header value past the record", {0x12, 0, 0, 0, 0, 0, 0x02, 0x02, 'h', 0x20}, 10, 1},
        {"overlong varint length", {0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0}, 13, 1},
        {"overlong varint offset delta",
         {0x1c, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 1, 1, 0, 0, 0}, 15, 1},
        {"record cut inside a varint", {0x10, 0, 0x80}, 3, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = read_records(cases[i].bytes, cases[i].n, cases[i].count, 0, NULL);
        ck_assert_msg(rc == KC__BATCH_ERR_RECORD || rc == KC__BATCH_ERR_COUNT, "%s: rc %d",
                      cases[i].what, rc);
    }
    /* A well-formed minimal record, for contrast. */
    static const uint8_t ok[] = {0x0c, 0, 0, 0, 1, 1, 0};
    ck_assert_int_eq(read_records(ok, sizeof ok, 1, 0, NULL), KC__BATCH_END);
}
END_TEST

START_TEST(test_control_record_validated) {
    static const uint8_t bad_key[] = {0x10, 0, 0, 0, 2, 'k', 2, 'v', 0};
    ck_assert_int_eq(read_records(bad_key, sizeof bad_key, 1, KC__BATCH_ATTR_CONTROL, NULL),
                     KC__BATCH_ERR_CONTROL);
    static const uint8_t neg_version[] = {0x14, 0, 0, 0, 0x08, 0xff, 0xff, 0, 1, 1, 0};
    ck_assert_int_eq(read_records(neg_version, sizeof neg_version, 1,
                                  KC__BATCH_ATTR_CONTROL | KC__BATCH_ATTR_TRANSACTIONAL, NULL),
                     KC__BATCH_ERR_CONTROL);
    /* Unknown control types (KRaft records) are reported, not refused. */
    static const uint8_t kraft[] = {0x14, 0, 0, 0, 0x08, 0, 0, 0, 3, 1, 0};
    int n;
    ck_assert_int_eq(read_records(kraft, sizeof kraft, 1, KC__BATCH_ATTR_CONTROL, &n), KC__BATCH_END);
    ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(test_hostile_compressed_sections) {
    kc__buf buf;
    kc__buf_init(&buf, 0);
    /* Garbage claiming each codec. */
    for (int codec = 1; codec <= 4; codec++) {
        buf.len = 0;
        make_batch(&buf, (int16_t)codec, 1, "definitely not compressed", 25);
        ck_assert_int_eq(read_all(buf.p, buf.len, 0, NULL), KC__BATCH_ERR_DECOMPRESS);
    }
    /* Codec ids 5-7 do not exist. */
    for (int codec = 5; codec <= 7; codec++) {
        buf.len = 0;
        make_batch(&buf, (int16_t)codec, 1, golden + 61, 22);
        ck_assert_int_eq(read_all(buf.p, buf.len, 0, NULL), KC__BATCH_ERR_CODEC);
    }
    /* A bomb: 8 MiB of zeros compressed, with a 1 MiB limit. */
    size_t big = 8 << 20;
    uint8_t *zeros = calloc(1, big);
    kc__buf c;
    kc__buf_init(&c, 0);
    ck_assert_int_eq(kc__compress(KC__CODEC_ZSTD, -1, zeros, big, &c), 0);
    free(zeros);
    buf.len = 0;
    make_batch(&buf, KC__CODEC_ZSTD, 1, c.p, c.len);
    ck_assert_int_eq(read_all(buf.p, buf.len, 1 << 20, NULL), KC__BATCH_ERR_TOO_BIG);
    /* Within the limit, the zeros are simply not records. */
    ck_assert_int_eq(read_all(buf.p, buf.len, 16 << 20, NULL), KC__BATCH_ERR_RECORD);
    /* A compressed batch needs a buffer to decompress into. */
    kc__batch_iter it;
    kc__batch b;
    kc__record_iter ri;
    kc__batch_iter_init(&it, buf.p, buf.len);
    ck_assert_int_eq(kc__batch_iter_next(&it, &b), 0);
    ck_assert_int_eq(kc__record_iter_init(&ri, &b, NULL, 0), KC__BATCH_ERR_INVALID);
    uint8_t small[16];
    size_t used = 1;
    ck_assert_int_eq(kc__record_iter_init_to(&ri, &b, NULL, 0, &used), KC__BATCH_ERR_INVALID);
    ck_assert_int_eq(kc__record_iter_init_to(&ri, &b, small, sizeof small, &used),
                     KC__BATCH_ERR_CODEC); /* zstd: no fixed-memory path */
    ck_assert_uint_eq(used, 0);
    kc__buf_free(&c);
    kc__buf_free(&buf);
}
END_TEST

START_TEST(test_strerror_covers_all) {
    for (int e = -12; e <= 2; e++) {
        const char *s = kc__batch_strerror(e);
        ck_assert_ptr_nonnull(s);
        ck_assert_str_ne(s, "unknown record batch error");
    }
    ck_assert_str_eq(kc__batch_strerror(-99), "unknown record batch error");
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("record_batch");
    TCase *tc = tcase_create("record_batch");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_golden_hand_assembled_batch_decodes);
    tcase_add_test(tc, test_writer_reproduces_golden);
    tcase_add_loop_test(tc, test_kafka_fixture_decodes, 0, 5);
    tcase_add_test(tc, test_kafka_txn_and_log_append_fixtures);
    tcase_add_test(tc, test_writer_matches_kafka_bytes);
    tcase_add_loop_test(tc, test_roundtrip_each_codec, 0, 5);
    tcase_add_loop_test(tc, test_many_records_many_batches, 0, 5);
    tcase_add_test(tc, test_offset_gaps_and_negative_timestamp_delta);
    tcase_add_test(tc, test_writer_refuses_misuse);
    tcase_add_test(tc, test_incompressible_kept_uncompressed);
    tcase_add_test(tc, test_set_producer_rewrites_and_reseals);
    tcase_add_test(tc, test_size_estimate_is_an_upper_bound);
    tcase_add_test(tc, test_exact_buffer_then_shrink);
    tcase_add_test(tc, test_crc_flip_detected);
    tcase_add_test(tc, test_truncation_is_incomplete);
    tcase_add_test(tc, test_old_and_unknown_magic);
    tcase_add_test(tc, test_impossible_batch_lengths);
    tcase_add_test(tc, test_hostile_record_counts);
    tcase_add_test(tc, test_hostile_record_fields);
    tcase_add_test(tc, test_control_record_validated);
    tcase_add_test(tc, test_hostile_compressed_sections);
    tcase_add_test(tc, test_strerror_covers_all);
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
