/* Partitioners: murmur2 and the keyed partition against the Kafka Java client
 * (tests/fixtures/partitioner/vectors.txt, made by gen.sh there), CRC-32
 * against zlib, sticky switching, availability and adaptive weighting, round
 * robin, random, null and empty keys per partitioner, names. */
#include "common/ktest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core/conf.h" /* KC__CONF_TABLE */
#include "producer/partitioner.h"
#if KC_WITH_GZIP
#include <zlib.h>
#endif

static uint64_t rng_state = 0x853C49E6748FEA9Bull;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static const int32_t NS[] = {1, 2, 3, 6, 7, 100, 1024};
#define NNS (sizeof NS / sizeof NS[0])

/* Kafka's UtilsTest.testMurmur2 (clients/src/test/.../utils/UtilsTest.java). */
START_TEST(murmur2_matches_kafka_utils_test) {
    static const struct {
        const char *key;
        int32_t hash;
    } v[] = {
        {"21", -973932308},
        {"foobar", -790332482},
        {"a-little-bit-long-string", -985981536},
        {"a-little-bit-longer-string", -1486304829},
        {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
        {"abc", 479470107},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        ck_assert_int_eq(kc__murmur2(v[i].key, strlen(v[i].key)), v[i].hash);
    /* toPositive is & 0x7fffffff, not abs(): -973932308 & 0x7fffffff = 1173551340. */
    ck_assert_int_eq(kc__murmur2_partition("21", 2, 1000), 1173551340 % 1000);
    ck_assert_int_eq(kc__murmur2_partition("21", 2, 0), -1);
}
END_TEST

static int hexval(int c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Every line of vectors.txt: hash, keyed partition (directly and through
 * kc__partition for both murmur2 partitioners), CRC-32 and the consistent
 * partition. */
START_TEST(keyed_partitions_match_java_vectors) {
    const char *dir = getenv("KC_FIXTURES");
    char path[512];
    snprintf(path, sizeof path, "%s/partitioner/vectors.txt", dir ? dir : "tests/fixtures");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open fixture %s (run from the repository root)", path);
    char line[512], hex[300];
    uint8_t key[150];
    size_t nvec = 0, seen_n[NNS] = {0};
    bool seen_len[65] = {false};
    kc__part_state st;
    kc__part_state_init(&st, 1);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        long long n, part, hash, crc;
        ck_assert_msg(sscanf(line, "%299s %lld %lld %lld %lld", hex, &n, &part, &hash, &crc) == 5,
                      "bad line: %s", line);
        size_t len = 0;
        if (strcmp(hex, "-") != 0) {
            ck_assert_uint_eq(strlen(hex) % 2, 0);
            for (const char *h = hex; *h; h += 2) {
                ck_assert(hexval(h[0]) >= 0 && hexval(h[1]) >= 0);
                key[len++] = (uint8_t)(hexval(h[0]) << 4 | hexval(h[1]));
            }
        }
        ck_assert_msg(kc__murmur2(key, len) == hash, "murmur2 of %s", hex);
        ck_assert_msg(kc__murmur2_partition(key, len, (int32_t)n) == part, "partition of %s / %lld",
                      hex, n);
        ck_assert_int_eq(kc__partition(KC__PART_MURMUR2_RANDOM, &st, key, len, (int32_t)n, 10,
                                       16384, NULL, NULL),
                         part);
        ck_assert_int_eq(
            kc__partition(KC__PART_MURMUR2, &st, key, len, (int32_t)n, 10, 16384, NULL, NULL),
            part);
        ck_assert_msg(kc__crc32(0, key, len) == (uint32_t)crc, "crc32 of %s", hex);
        ck_assert_int_eq(kc__consistent_partition(key, len, (int32_t)n), crc % n);
        ck_assert_int_eq(
            kc__partition(KC__PART_CONSISTENT, &st, key, len, (int32_t)n, 10, 16384, NULL, NULL),
            crc % n);
        for (size_t i = 0; i < NNS; i++) seen_n[i] += NS[i] == n;
        if (len <= 64) seen_len[len] = true;
        nvec++;
    }
    fclose(f);
    ck_assert_uint_ge(nvec, 1000);
    for (size_t i = 0; i < NNS; i++) ck_assert_uint_ge(seen_n[i], 100);
    for (size_t i = 0; i <= 64; i++) ck_assert_msg(seen_len[i], "no key of length %zu", i);
    /* Keyed records leave the sticky state alone. */
    ck_assert_int_eq(st.sticky.current, -1);
}
END_TEST

START_TEST(crc32_matches_zlib) {
    ck_assert_uint_eq(kc__crc32(0, "123456789", 9), 0xCBF43926u);
    ck_assert_uint_eq(kc__crc32(0, NULL, 0), 0);
    uint8_t buf[300];
    for (int round = 0; round < 500; round++) {
        size_t n = (size_t)(rnd() % sizeof buf), cut = n ? (size_t)(rnd() % n) : 0;
        for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)(rnd() >> 56);
        uint32_t whole = kc__crc32(0, buf, n);
        ck_assert_uint_eq(kc__crc32(kc__crc32(0, buf, cut), buf + cut, n - cut), whole);
#if KC_WITH_GZIP
        ck_assert_uint_eq(whole, (uint32_t)crc32(0, buf, (uInt)n));
        for (size_t k = 0; k < NNS; k++)
            ck_assert_int_eq(kc__consistent_partition(buf, n, NS[k]),
                             (int32_t)((uint32_t)crc32(0, buf, (uInt)n) % (uint32_t)NS[k]));
#endif
    }
    ck_assert_int_eq(kc__consistent_partition("x", 1, 0), -1);
}
END_TEST

/* Null and empty keys, partitioner by partitioner. */
START_TEST(null_and_empty_keys_follow_each_partitioner) {
    const int32_t n = 7;
    int32_t empty_m2 = kc__murmur2_partition("", 0, n);
    kc__part_state st;
    kc__part_state_init(&st, 42);
    for (int i = 0; i < 50; i++) {
        /* murmur2: null hashes as empty; murmur2_random: empty hashes. */
        ck_assert_int_eq(kc__partition(KC__PART_MURMUR2, &st, NULL, 5, n, 100, 1000, NULL, NULL),
                         empty_m2);
        ck_assert_int_eq(kc__partition(KC__PART_MURMUR2, &st, "", 0, n, 100, 1000, NULL, NULL),
                         empty_m2);
        ck_assert_int_eq(
            kc__partition(KC__PART_MURMUR2_RANDOM, &st, "", 0, n, 100, 1000, NULL, NULL),
            empty_m2);
        /* consistent: null and empty are CRC 0, partition 0. */
        ck_assert_int_eq(kc__partition(KC__PART_CONSISTENT, &st, NULL, 0, n, 100, 1000, NULL, NULL),
                         0);
        ck_assert_int_eq(kc__partition(KC__PART_CONSISTENT, &st, "", 0, n, 100, 1000, NULL, NULL),
                         0);
    }
    ck_assert_int_eq(st.sticky.current, -1); /* none of those was sticky */

    /* Sticky ones: null keys (and for consistent_random, empty keys) share
     * the topic's sticky partition and move on after batch_size bytes. */
    static const struct {
        int id;
        const char *key;
    } sticky[] = {{KC__PART_MURMUR2_RANDOM, NULL},
                  {KC__PART_CONSISTENT_RANDOM, NULL},
                  {KC__PART_CONSISTENT_RANDOM, ""},
                  {KC__PART_STICKY, NULL},
                  {KC__PART_STICKY, "a key, ignored"}};
    for (size_t k = 0; k < sizeof sticky / sizeof sticky[0]; k++) {
        kc__part_state_init(&st, k);
        size_t klen = sticky[k].key ? strlen(sticky[k].key) : 0;
        bool seen[7] = {false};
        for (int b = 0; b < 200; b++) {
            int32_t first = kc__partition(sticky[k].id, &st, sticky[k].key, klen, n, 100, 1000,
                                          NULL, NULL);
            ck_assert(first >= 0 && first < n);
            seen[first] = true;
            for (int r = 1; r < 10; r++)
                ck_assert_int_eq(kc__partition(sticky[k].id, &st, sticky[k].key, klen, n, 100,
                                               1000, NULL, NULL),
                                 first);
        }
        for (int p = 0; p < n; p++) ck_assert_msg(seen[p], "case %zu never used %d", k, p);
        ck_assert_uint_eq(st.sticky.switches, 200);
    }
    /* consistent_random hashes non-empty keys. */
    ck_assert_int_eq(
        kc__partition(KC__PART_CONSISTENT_RANDOM, &st, "abc", 3, n, 100, 1000, NULL, NULL),
        kc__consistent_partition("abc", 3, n));
    /* No partitions, unknown id. */
    ck_assert_int_eq(kc__partition(KC__PART_STICKY, &st, NULL, 0, 0, 1, 1, NULL, NULL), -1);
    ck_assert_int_eq(kc__partition(KC__PART_MURMUR2, &st, "a", 1, -3, 1, 1, NULL, NULL), -1);
    ck_assert_int_eq(kc__partition(KC__PART__COUNT, &st, "a", 1, 3, 1, 1, NULL, NULL), -1);
    ck_assert_int_eq(kc__partition(-1, &st, "a", 1, 3, 1, 1, NULL, NULL), -1);
}
END_TEST

START_TEST(sticky_stays_until_batch_size_then_switches) {
    kc__sticky s;
    kc__sticky_init(&s, 7);
    ck_assert_int_eq(s.current, -1);
    /* batch 1000, records of 300: 300, 600, 900, 1200 -> the fourth still goes
     * to the same partition (it crossed the limit), the fifth moves. */
    int32_t prev = -1;
    for (int batch = 0; batch < 1000; batch++) {
        int32_t p = kc__sticky_partition(&s, 5, 300, 1000, NULL, NULL);
        ck_assert(p >= 0 && p < 5);
        ck_assert_int_ne(p, prev); /* n > 1: always a different one */
        for (int r = 1; r < 4; r++) ck_assert_int_eq(kc__sticky_partition(&s, 5, 300, 1000, NULL, NULL), p);
        ck_assert_int_eq(s.produced_bytes, 1200);
        prev = p;
    }
    ck_assert_uint_eq(s.switches, 1000);

    /* Exactly batch_size bytes is enough; a record larger than a batch moves
     * on every time; batch_size < 1 behaves as 1. */
    kc__sticky_init(&s, 8);
    int32_t p = kc__sticky_partition(&s, 3, 500, 1000, NULL, NULL);
    ck_assert_int_eq(kc__sticky_partition(&s, 3, 500, 1000, NULL, NULL), p);
    ck_assert_int_ne(kc__sticky_partition(&s, 3, 500, 1000, NULL, NULL), p);
    for (int i = 0; i < 100; i++) {
        int32_t q = kc__sticky_partition(&s, 3, 5000, 1000, NULL, NULL);
        ck_assert_int_ne(q, p);
        p = q;
    }
    for (int i = 0; i < 100; i++) {
        int32_t q = kc__sticky_partition(&s, 3, 1, 0, NULL, NULL);
        ck_assert_int_ne(q, p);
        p = q;
    }
    /* Zero-byte records never fill a batch (as Java: 0 appended bytes); the
     * first moves on as the batch before it was full. */
    int32_t z = kc__sticky_partition(&s, 3, 0, 0, NULL, NULL);
    ck_assert_int_ne(z, p);
    p = z;
    for (int i = 0; i < 100; i++) ck_assert_int_eq(kc__sticky_partition(&s, 3, 0, 0, NULL, NULL), p);
    /* Two partitions: strictly alternating. */
    kc__sticky_init(&s, 9);
    p = kc__sticky_partition(&s, 2, 1, 1, NULL, NULL);
    for (int i = 0; i < 100; i++) ck_assert_int_eq(kc__sticky_partition(&s, 2, 1, 1, NULL, NULL), (p + 1 + i) % 2);
    /* No partitions: -1, state untouched. */
    ck_assert_int_eq(kc__sticky_partition(&s, 0, 1, 1, NULL, NULL), -1);
    ck_assert_uint_eq(s.switches, 101);
}
END_TEST

START_TEST(sticky_with_one_partition_is_always_zero) {
    kc__sticky s;
    kc__sticky_init(&s, 0);
    const bool down[1] = {false};
    const int64_t queued[1] = {1 << 20};
    for (int i = 0; i < 1000; i++) {
        ck_assert_int_eq(kc__sticky_partition(&s, 1, 700, 1000, NULL, NULL), 0);
        ck_assert_int_eq(kc__sticky_partition(&s, 1, 700, 1000, queued, down), 0);
    }
    /* The partition count shrinking below the sticky partition moves it. */
    kc__sticky_init(&s, 3);
    while (kc__sticky_partition(&s, 10, 1, 1000, NULL, NULL) < 5) kc__sticky_init(&s, rnd());
    ck_assert_int_eq(kc__sticky_partition(&s, 1, 1, 1000, NULL, NULL), 0);
}
END_TEST

/* Over many switches each partition is picked about equally often. */
START_TEST(sticky_switches_are_roughly_uniform) {
    enum { N = 6, SWITCHES = 60000 };
    kc__sticky s;
    kc__sticky_init(&s, 12345);
    long count[N] = {0};
    for (int i = 0; i < SWITCHES; i++) count[kc__sticky_partition(&s, N, 1, 1, NULL, NULL)]++;
    for (int p = 0; p < N; p++)
        ck_assert_msg(count[p] > SWITCHES / N * 95 / 100 && count[p] < SWITCHES / N * 105 / 100,
                      "partition %d picked %ld times of %d", p, count[p], SWITCHES);
    /* Equal queues under adaptive partitioning: uniform as well. */
    const int64_t equal[N] = {100, 100, 100, 100, 100, 100};
    memset(count, 0, sizeof count);
    for (int i = 0; i < SWITCHES; i++) count[kc__sticky_partition(&s, N, 1, 1, equal, NULL)]++;
    for (int p = 0; p < N; p++)
        ck_assert_msg(count[p] > SWITCHES / N * 95 / 100 && count[p] < SWITCHES / N * 105 / 100,
                      "partition %d picked %ld times of %d (equal queues)", p, count[p], SWITCHES);
}
END_TEST

START_TEST(sticky_never_picks_a_partition_without_leader_when_one_has_one) {
    enum { N = 8 };
    bool avail[N] = {false, false, true, false, false, true, false, false};
    int64_t queued[N] = {0, 0, 5000, 0, 0, 100, 0, 0}; /* leaderless queues look idle */
    kc__sticky s;
    kc__sticky_init(&s, 77);
    long hits[N] = {0};
    for (int i = 0; i < 5000; i++) {
        int32_t p = kc__sticky_partition(&s, N, 10, 10, (i & 1) ? queued : NULL, avail);
        ck_assert_msg(avail[p], "picked leaderless partition %d", p);
        hits[p]++;
    }
    ck_assert(hits[2] > 0 && hits[5] > 0);

    /* The sticky partition losing its leader: left at once, mid-batch. */
    kc__sticky_init(&s, 78);
    int32_t p = kc__sticky_partition(&s, N, 10, 1000, NULL, avail);
    avail[p] = false;
    int32_t q = kc__sticky_partition(&s, N, 10, 1000, NULL, avail);
    ck_assert_int_ne(q, p);
    ck_assert(avail[q]);
    /* Only the sticky partition has a leader: stay on it, even past batch_size. */
    for (int i = 0; i < 100; i++) ck_assert_int_eq(kc__sticky_partition(&s, N, 2000, 1000, NULL, avail), q);
    /* Nobody has a leader: still a partition (the producer queues for it). */
    memset(avail, 0, sizeof avail);
    bool seen[N] = {false};
    for (int i = 0; i < 1000; i++) {
        int32_t r = kc__sticky_partition(&s, N, 2000, 1000, NULL, avail);
        ck_assert(r >= 0 && r < N);
        seen[r] = true;
    }
    for (int i = 0; i < N; i++) ck_assert(seen[i]);
}
END_TEST

/* Weights max + 1 - queue: queues {0, 2, 3} weigh 4 : 2 : 1 on a first pick
 * (no current partition to avoid yet). */
START_TEST(adaptive_weighting_prefers_short_queues) {
    const int64_t queued[3] = {0, 2, 3};
    long count[3] = {0};
    enum { TRIALS = 70000 };
    for (int i = 0; i < TRIALS; i++) {
        kc__sticky s;
        kc__sticky_init(&s, rnd());
        count[kc__sticky_partition(&s, 3, 1, 1000, queued, NULL)]++;
    }
    const long want[3] = {40000, 20000, 10000};
    for (int p = 0; p < 3; p++)
        ck_assert_msg(count[p] > want[p] * 95 / 100 && count[p] < want[p] * 105 / 100,
                      "partition %d: %ld picks, want about %ld", p, count[p], want[p]);

    /* Long-running: one idle partition among busy ones gets most switches it
     * can (every other one, as it is never picked twice in a row). Negative
     * and huge queue values are clamped, not trusted. */
    const int64_t busy[5] = {-5, INT64_MAX, (1ll << 32) + 7, 4294967290ll, INT64_MAX};
    kc__sticky s;
    kc__sticky_init(&s, 5);
    long idle = 0;
    for (int i = 0; i < 10000; i++) idle += kc__sticky_partition(&s, 5, 1, 1, busy, NULL) == 0;
    ck_assert_msg(idle > 4900, "idle partition picked %ld of 10000", idle);
}
END_TEST

START_TEST(round_robin_cycles_in_order) {
    kc__part_state st;
    kc__part_state_init(&st, 1);
    for (int i = 0; i < 30; i++)
        ck_assert_int_eq(kc__partition(KC__PART_ROUND_ROBIN, &st, "key ignored", 11, 7, 1, 1, NULL,
                                       NULL),
                         i % 7);
    /* Skips partitions without a leader, in order. */
    const bool avail[6] = {true, false, false, true, true, false};
    kc__part_state_init(&st, 1);
    static const int32_t want[] = {0, 3, 4, 0, 3, 4, 0};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_int_eq(kc__partition(KC__PART_ROUND_ROBIN, &st, NULL, 0, 6, 1, 1, NULL, avail),
                         want[i]);
    /* None with a leader: plain cycle. */
    const bool none[3] = {false, false, false};
    kc__part_state_init(&st, 1);
    for (int i = 0; i < 9; i++)
        ck_assert_int_eq(kc__partition(KC__PART_ROUND_ROBIN, &st, NULL, 0, 3, 1, 1, NULL, none),
                         i % 3);
    /* The partition count shrinking keeps it in range (5 % 4, then on). */
    for (int i = 0; i < 5; i++) kc__partition(KC__PART_ROUND_ROBIN, &st, NULL, 0, 100, 1, 1, NULL, NULL);
    ck_assert_int_eq(kc__partition(KC__PART_ROUND_ROBIN, &st, NULL, 0, 4, 1, 1, NULL, NULL), 1);
    ck_assert_int_eq(kc__partition(KC__PART_ROUND_ROBIN, &st, NULL, 0, 4, 1, 1, NULL, NULL), 2);
}
END_TEST

START_TEST(random_stays_in_range_and_covers_all) {
    kc__part_state st;
    kc__part_state_init(&st, 99);
    enum { N = 10, DRAWS = 100000 };
    long count[N] = {0};
    for (int i = 0; i < DRAWS; i++) {
        int32_t p = kc__partition(KC__PART_RANDOM, &st, "k", 1, N, 1, 1, NULL, NULL);
        ck_assert(p >= 0 && p < N);
        count[p]++;
    }
    for (int p = 0; p < N; p++)
        ck_assert_msg(count[p] > DRAWS / N * 95 / 100 && count[p] < DRAWS / N * 105 / 100,
                      "partition %d: %ld of %d", p, count[p], DRAWS);
    ck_assert_int_eq(st.sticky.current, -1);
    /* Only partitions with a leader, and all of them; with a single one among
     * many the exact pass after the quick draws finds it. */
    bool avail[1000] = {false};
    avail[3] = avail[500] = avail[999] = true;
    long hits[3] = {0};
    for (int i = 0; i < 3000; i++) {
        int32_t p = kc__partition(KC__PART_RANDOM, &st, NULL, 0, 1000, 1, 1, NULL, avail);
        ck_assert(avail[p]);
        hits[p == 3 ? 0 : p == 500 ? 1 : 2]++;
    }
    for (int i = 0; i < 3; i++) ck_assert(hits[i] > 800);
    for (int i = 0; i < 1000; i++) ck_assert_int_eq(kc__partition(KC__PART_RANDOM, &st, NULL, 0, 1, 1, 1, NULL, NULL), 0);
}
END_TEST

/* The config table's enum lists the values in kc__part_id order (conf keeps
 * an enum as its index), and its default parses. */
#define PICK_PARTITIONER(ID, NAME, TYPE, DEF, MIN, MAX, SCOPE, ENUMS, DOC) \
    if (!strcmp(NAME, "partitioner")) {                                    \
        enums = ENUMS;                                                     \
        def = DEF;                                                         \
    }

START_TEST(names_round_trip_and_match_the_config_table) {
    const char *enums = NULL, *def = NULL;
    KC__CONF_TABLE(PICK_PARTITIONER)
    ck_assert_ptr_nonnull(enums);
    ck_assert_int_eq(kc__partitioner_parse(def), KC__PART_MURMUR2_RANDOM);
    char list[256] = "";
    for (int id = 0; id < KC__PART__COUNT; id++) {
        const char *name = kc__partitioner_name(id);
        ck_assert_ptr_nonnull(name);
        ck_assert_int_eq(kc__partitioner_parse(name), id);
        if (id) strcat(list, "|");
        strcat(list, name);
    }
    ck_assert_str_eq(list, enums);
    ck_assert_int_eq(kc__partitioner_parse("fnv1a"), -1);
    ck_assert_int_eq(kc__partitioner_parse("Murmur2"), -1);
    ck_assert_int_eq(kc__partitioner_parse("murmur2 "), -1);
    ck_assert_int_eq(kc__partitioner_parse(""), -1);
    ck_assert_int_eq(kc__partitioner_parse(NULL), -1);
    ck_assert_ptr_null(kc__partitioner_name(-1));
    ck_assert_ptr_null(kc__partitioner_name(KC__PART__COUNT));
}
END_TEST

KC_TEST_MAIN("partitioner", murmur2_matches_kafka_utils_test, keyed_partitions_match_java_vectors,
             crc32_matches_zlib, null_and_empty_keys_follow_each_partitioner,
             sticky_stays_until_batch_size_then_switches, sticky_with_one_partition_is_always_zero,
             sticky_switches_are_roughly_uniform,
             sticky_never_picks_a_partition_without_leader_when_one_has_one,
             adaptive_weighting_prefers_short_queues, round_robin_cycles_in_order,
             random_stays_in_range_and_covers_all, names_round_trip_and_match_the_config_table)
