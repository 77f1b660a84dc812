/* CRC-32C: published vectors, hardware == software, chaining, first use
 * from many threads at once. */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/crc32c.h"

/* xorshift64*: deterministic test data. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}
static void fill_random(uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(rnd() >> 56);
}

typedef uint32_t (*crc_fn)(uint32_t, const void *, size_t);

/* Every implementation this build and CPU have. */
static size_t impls(crc_fn out[3]) {
    size_t n = 0;
    out[n++] = kc__crc32c;
    out[n++] = kc__crc32c_sw;
    if (kc__crc32c_hw_impl()) out[n++] = kc__crc32c_hw_impl();
    return n;
}

/* RFC 3720 (iSCSI) appendix B.4 and the customary check value. */
START_TEST(test_published_vectors) {
    uint8_t zeros[32], ones[32], asc[32], desc[32];
    memset(zeros, 0, 32);
    memset(ones, 0xff, 32);
    for (int i = 0; i < 32; i++) {
        asc[i] = (uint8_t)i;
        desc[i] = (uint8_t)(31 - i);
    }
    crc_fn f[3];
    size_t n = impls(f);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(f[i](0, "123456789", 9), 0xE3069283u);
        ck_assert_uint_eq(f[i](0, zeros, 32), 0x8A9136AAu);
        ck_assert_uint_eq(f[i](0, ones, 32), 0x62A8AB43u);
        ck_assert_uint_eq(f[i](0, asc, 32), 0x46DD794Eu);
        ck_assert_uint_eq(f[i](0, desc, 32), 0x113FDB5Cu);
        ck_assert_uint_eq(f[i](0, "", 0), 0);
        ck_assert_uint_eq(f[i](0, "a", 1), 0xC1D04330u);
    }
}
END_TEST

/* A Kafka record batch's CRC as computed by Kafka itself (golden.bin of
 * tests/fixtures/record_batch: bytes 21.. of the batch, CRC 0x86059CBC). */
START_TEST(test_kafka_batch_crc) {
    static const uint8_t tail[] = {
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, 0x00,
        0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x02, 0x10, 0x00, 0x00, 0x00, 0x02,
        0x6b, 0x02, 0x76, 0x00, 0x1e, 0x00, 0x02, 0x02, 0x01, 0x0a, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
        0x02, 0x02, 0x68, 0x02, 0x78};
    ck_assert_uint_eq(kc__crc32c(0, tail, sizeof tail), 0x86059CBCu);
    ck_assert_uint_eq(kc__crc32c_sw(0, tail, sizeof tail), 0x86059CBCu);
}
END_TEST

START_TEST(test_hw_matches_sw_random_lengths_and_alignments) {
    kc__crc32c_fn hw = kc__crc32c_hw_impl();
    if (!hw) return; /* nothing to compare on this build/CPU */
    size_t cap = 200 * 1024 + 64;
    uint8_t *buf = malloc(cap);
    fill_random(buf, cap);
    /* All short lengths at every alignment, then random ones crossing the
     * 768-byte and 24 KiB interleaving thresholds. */
    for (size_t align = 0; align < 16; align++)
        for (size_t len = 0; len < 1200; len++)
            ck_assert_uint_eq(hw(0, buf + align, len), kc__crc32c_sw(0, buf + align, len));
    for (int i = 0; i < 2000; i++) {
        size_t align = rnd() % 64, len = rnd() % (cap - 64);
        uint32_t seed = (uint32_t)rnd();
        ck_assert_uint_eq(hw(seed, buf + align, len), kc__crc32c_sw(seed, buf + align, len));
    }
    free(buf);
    ck_assert(kc__crc32c_hw_available());
}
END_TEST

START_TEST(test_chaining) {
    uint8_t buf[70000];
    fill_random(buf, sizeof buf);
    crc_fn f[3];
    size_t n = impls(f);
    for (size_t k = 0; k < n; k++) {
        uint32_t whole = f[k](0, buf, sizeof buf);
        for (int i = 0; i < 200; i++) {
            size_t cut = rnd() % (sizeof buf + 1);
            ck_assert_uint_eq(f[k](f[k](0, buf, cut), buf + cut, sizeof buf - cut), whole);
        }
        /* Byte at a time. */
        uint32_t c = 0;
        for (size_t i = 0; i < 4096; i++) c = f[k](c, buf + i, 1);
        ck_assert_uint_eq(c, f[k](0, buf, 4096));
    }
}
END_TEST

/* Single-bit flips anywhere change the CRC (a CRC detects all of them). */
START_TEST(test_detects_bit_flips) {
    uint8_t buf[512];
    fill_random(buf, sizeof buf);
    uint32_t c = kc__crc32c(0, buf, sizeof buf);
    for (size_t i = 0; i < sizeof buf * 8; i += 7) {
        buf[i / 8] ^= (uint8_t)(1u << (i % 8));
        ck_assert_uint_ne(kc__crc32c(0, buf, sizeof buf), c);
        buf[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
}
END_TEST

static uint8_t thread_buf[100000];
static void *crc_thread(void *arg) {
    uintptr_t bad = 0;
    for (int i = 0; i < 50; i++)
        if (kc__crc32c(0, thread_buf, sizeof thread_buf) != *(uint32_t *)arg) bad++;
    return (void *)bad;
}

/* Check forks each test, so the dispatch is first used right here, by many
 * threads at once. */
START_TEST(test_first_use_from_many_threads) {
    fill_random(thread_buf, sizeof thread_buf);
    uint32_t expect = 0;
    /* Reference without touching the dispatcher: bitwise CRC. */
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < sizeof thread_buf; i++) {
        c ^= thread_buf[i];
        for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    }
    expect = ~c;
    pthread_t th[8];
    for (int i = 0; i < 8; i++) pthread_create(&th[i], NULL, crc_thread, &expect);
    for (int i = 0; i < 8; i++) {
        void *bad;
        pthread_join(th[i], &bad);
        ck_assert_ptr_null(bad);
    }
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("crc32c");
    TCase *tc = tcase_create("crc32c");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_published_vectors);
    tcase_add_test(tc, test_kafka_batch_crc);
    tcase_add_test(tc, test_hw_matches_sw_random_lengths_and_alignments);
    tcase_add_test(tc, test_chaining);
    tcase_add_test(tc, test_detects_bit_flips);
    tcase_add_test(tc, test_first_use_from_many_threads);
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
