/* The producer against a real broker: one delivery report per record, every
 * acks / compression combination, refusals that come back from kc_produce()
 * (too large, unknown partition, queue full), failures that come back as
 * reports (invalid topic, purge, destroy) and configuration errors.
 *
 * Records follow one convention so that every report can be checked against
 * what was produced: record i (0-based) has msg_opaque i + 1, value
 * "value-<i>" and, when keyed, key "key-<i % NKEYS>". The Java tools (topic
 * creation, end offsets) are run through tests/broker/kafka-local; run the
 * binary from the repository root (tests/run-integration does). */
#include <stdarg.h>
#include <stdint.h>

#include "itest.h"

#define NKEYS 17
enum { KEY_NONE, KEY_ALL, KEY_ALTERNATE };

/* ------------------------------------------------------------ report log */

typedef struct {
    const char *topic;  /* every report must name it (NULL: not checked) */
    int n;              /* records produced so far (opaques 1..n) */
    int cap;
    int *keymode;       /* per record: keyed or not */
    int *count;         /* reports per record */
    kc_err_t *err;
    int32_t *part;
    int64_t *off;
    char errstr[512];   /* the first failed report's text */
    char errtopic[256]; /* ... and its topic */
    int total;          /* reports seen */
    int stray;          /* reports with an opaque not produced */
    int bad_topic;      /* reports naming another topic */
    int bad_data;       /* reports whose key / value differ from what was sent */
    int no_data_check;  /* values do not follow the convention */
    size_t last_vlen;   /* value length of the last report */
} drlog;

static void drlog_init(drlog *L, const char *topic, int cap) {
    memset(L, 0, sizeof *L);
    L->topic = topic;
    L->cap = cap;
    L->keymode = calloc((size_t)cap, sizeof *L->keymode);
    L->count = calloc((size_t)cap, sizeof *L->count);
    L->err = calloc((size_t)cap, sizeof *L->err);
    L->part = calloc((size_t)cap, sizeof *L->part);
    L->off = calloc((size_t)cap, sizeof *L->off);
    ck_assert(L->keymode && L->count && L->err && L->part && L->off);
}

static void drlog_free(drlog *L) {
    free(L->keymode);
    free(L->count);
    free(L->err);
    free(L->part);
    free(L->off);
}

static void on_dr(kc_producer_t *p, const kc_delivery_t *dr, void *opaque) {
    (void)p;
    drlog *L = opaque;
    L->total++;
    intptr_t i = (intptr_t)kc_delivery_opaque(dr) - 1;
    if (i < 0 || i >= L->n) {
        L->stray++;
        return;
    }
    L->count[i]++;
    L->err[i] = kc_delivery_error(dr);
    L->part[i] = kc_delivery_partition(dr);
    L->off[i] = kc_delivery_offset(dr);
    if (L->err[i] && !L->errstr[0]) {
        snprintf(L->errstr, sizeof L->errstr, "%s", kc_delivery_errstr(dr));
        snprintf(L->errtopic, sizeof L->errtopic, "%s", kc_delivery_topic(dr));
    }
    if (L->topic && strcmp(kc_delivery_topic(dr), L->topic) != 0) L->bad_topic++;
    char want[64];
    size_t len;
    const void *v = kc_delivery_value(dr, &len);
    L->last_vlen = len;
    if (L->no_data_check) return;
    int wl = snprintf(want, sizeof want, "value-%d", (int)i);
    if (!v || len != (size_t)wl || memcmp(v, want, len) != 0) L->bad_data++;
    const void *k = kc_delivery_key(dr, &len);
    if (L->keymode[i]) {
        wl = snprintf(want, sizeof want, "key-%d", (int)(i % NKEYS));
        if (!k || len != (size_t)wl || memcmp(k, want, len) != 0) L->bad_data++;
    } else if (k || len) {
        L->bad_data++;
    }
}

/* A producer for L: the local broker (or `bootstrap`), then key=value pairs. */
static kc_producer_t *new_producer(drlog *L, const char *bootstrap, ...) {
    kc_conf_t *conf = bootstrap ? kc_conf_new() : itest_conf();
    char err[512];
    if (bootstrap)
        ck_assert_int_eq(kc_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err), 0);
    va_list ap;
    va_start(ap, bootstrap);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        const char *v = va_arg(ap, const char *);
        ck_assert_msg(kc_conf_set(conf, k, v, err, sizeof err) == 0, "%s=%s: %s", k, v, err);
    }
    va_end(ap);
    kc_conf_set_opaque(conf, L);
    kc_conf_set_delivery_cb(conf, on_dr);
    kc_producer_t *p = kc_producer_new(conf, err, sizeof err);
    ck_assert_msg(p != NULL, "kc_producer_new: %s", err);
    kc_conf_destroy(conf);
    return p;
}

/* Produces records L->n .. L->n + cnt - 1 to topic (partition any), serving
 * reports while the buffer is full. */
static void produce_n(kc_producer_t *p, drlog *L, const char *topic, int cnt, int keymode) {
    for (int j = 0; j < cnt; j++) {
        int i = L->n;
        ck_assert_int_lt(i, L->cap);
        int keyed = keymode == KEY_ALL || (keymode == KEY_ALTERNATE && i % 2 == 0);
        char key[32], val[32];
        int kl = snprintf(key, sizeof key, "key-%d", i % NKEYS);
        int vl = snprintf(val, sizeof val, "value-%d", i);
        L->keymode[i] = keyed;
        L->n++; /* before kc_produce: a report may be served by another poll */
        kc_err_t e;
        while ((e = kc_produce(p, topic, KC_PARTITION_ANY, keyed ? key : NULL,
                               keyed ? (size_t)kl : 0, val, (size_t)vl, NULL, 0, 0,
                               (void *)(intptr_t)(i + 1))) == KC_ERR__QUEUE_FULL)
            kc_producer_poll(p, 10);
        ck_assert_msg(e == KC_ERR_NO_ERROR, "kc_produce #%d to %s: %s", i, topic, kc_err_name(e));
    }
}

/* Every record reported exactly once with `want`; no strays. */
static void assert_all_reported(const drlog *L, kc_err_t want) {
    ck_assert_int_eq(L->stray, 0);
    ck_assert_int_eq(L->bad_topic, 0);
    ck_assert_int_eq(L->bad_data, 0);
    for (int i = 0; i < L->n; i++) {
        ck_assert_msg(L->count[i] == 1, "record %d: %d delivery reports", i, L->count[i]);
        ck_assert_msg(L->err[i] == want, "record %d: %s (%s), expected %s", i,
                      kc_err_name(L->err[i]), L->errstr, kc_err_name(want));
    }
    ck_assert_int_eq(L->total, L->n);
}

/* Successful records of a fresh topic with npart partitions: offsets of each
 * partition are exactly 0..k-1, and follow the produce order. */
static void assert_offsets_dense(const drlog *L, int npart) {
    for (int p = 0; p < npart; p++) {
        int k = 0;
        char *seen = calloc((size_t)L->n + 1, 1);
        int64_t last = -1;
        for (int i = 0; i < L->n; i++) {
            if (L->part[i] != p) continue;
            int64_t o = L->off[i];
            ck_assert_msg(o >= 0 && o < L->n, "record %d: offset %lld", i, (long long)o);
            ck_assert_msg(!seen[o], "partition %d: offset %lld reported twice", p, (long long)o);
            ck_assert_msg(o > last, "partition %d: record %d at %lld after %lld (out of order)",
                          p, i, (long long)o, (long long)last);
            seen[o] = 1;
            last = o;
            k++;
        }
        /* unique, increasing, all below k only when they are exactly 0..k-1 */
        ck_assert_msg(last == k - 1, "partition %d: %d records but last offset %lld", p, k,
                      (long long)last);
        free(seen);
    }
    for (int i = 0; i < L->n; i++)
        ck_assert_msg(L->part[i] >= 0 && L->part[i] < npart, "record %d in partition %d", i,
                      L->part[i]);
}

/* ------------------------------------------------------------ Java tools */

static const char *kafka_local(void) {
    const char *k = getenv("KAFKAC_LOCAL");
    if (!k) k = "tests/broker/kafka-local";
    ck_assert_msg(access(k, X_OK) == 0, "%s not found: run from the repository root", k);
    return k;
}

static void java_create_topic(const char *topic, int partitions) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s tool topics --bootstrap-server '%s' --create --topic '%s' --partitions %d "
             "--replication-factor 1 >/dev/null",
             kafka_local(), itest_bootstrap(), topic, partitions);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

/* End offsets by the Java GetOffsetShell, as "topic:partition:offset" lines
 * (caller frees). */
static char *java_end_offsets(const char *topic_regex) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s tool get-offsets --bootstrap-server '%s' --topic '%s'",
             kafka_local(), itest_bootstrap(), topic_regex);
    FILE *f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    size_t n;
    while ((n = fread(out + len, 1, cap - 1 - len, f)) > 0) len += n;
    out[len] = 0;
    ck_assert_msg(pclose(f) == 0, "failed: %s", cmd);
    return out;
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int topic_partitions(const char *topic) {
    kc_conf_t *conf = itest_conf();
    kc_metadata_t *md = NULL;
    char err[512];
    const char *topics[] = {topic};
    ck_assert_msg(kc_metadata_fetch(conf, topics, 1, 10000, &md, err, sizeof err) == 0, "%s",
                  err);
    ck_assert_int_eq(kc_metadata_topic_error(md, 0), 0);
    int n = kc_metadata_partition_count(md, 0);
    kc_metadata_destroy(md);
    kc_conf_destroy(conf);
    return n;
}

/* ------------------------------------------------------------ tests */

START_TEST(every_record_gets_exactly_one_report) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-dr");
    java_create_topic(topic, 4);
    enum { N = 5000 };
    drlog L;
    drlog_init(&L, topic, N);
    /* Small batches: many batches per partition, several requests in flight. */
    kc_producer_t *p = new_producer(&L, NULL, "batch.size", "2000", "linger.ms", "2", NULL);
    produce_n(p, &L, topic, N, KEY_ALTERNATE);
    kc_err_t fe = kc_producer_flush(p, 30000);
    ck_assert_msg(fe == KC_ERR_NO_ERROR, "flush: %s, %d outstanding", kc_err_name(fe),
                  kc_producer_outq_len(p));
    ck_assert_int_eq(kc_producer_outq_len(p), 0);
    assert_all_reported(&L, KC_ERR_NO_ERROR);
    ck_assert_int_eq(topic_partitions(topic), 4);
    assert_offsets_dense(&L, 4);
    /* The same key always lands in the same partition; null keys spread. */
    int32_t key_part[NKEYS];
    for (int k = 0; k < NKEYS; k++) key_part[k] = -1;
    int used[4] = {0};
    for (int i = 0; i < N; i++) {
        used[L.part[i]]++;
        if (!L.keymode[i]) continue;
        int k = i % NKEYS;
        if (key_part[k] < 0) key_part[k] = L.part[i];
        ck_assert_msg(L.part[i] == key_part[k], "key-%d in partitions %d and %d", k,
                      key_part[k], L.part[i]);
    }
    for (int q = 0; q < 4; q++) ck_assert_msg(used[q] > 0, "partition %d got no records", q);
    /* Nothing more after destroy. */
    kc_producer_destroy(p);
    ck_assert_int_eq(L.total, N);
    /* What the reports claim is what the broker holds. */
    char *offs = java_end_offsets(topic);
    for (int q = 0; q < 4; q++) {
        char line[256];
        snprintf(line, sizeof line, "%s:%d:%d\n", topic, q, used[q]);
        ck_assert_msg(strstr(offs, line) != NULL, "expected %s in end offsets:\n%s", line, offs);
    }
    free(offs);
    drlog_free(&L);
}
END_TEST

START_TEST(acks_and_codecs) {
    static const char *const acks[] = {"0", "1", "all"};
    static const char *const codecs[] = {"none", "gzip", "snappy", "lz4", "zstd"};
    enum { PER = 200 };
    char stamp[64];
    itest_topic_name(stamp, sizeof stamp, "x");
    char topics[3][5][128];
    for (int a = 0; a < 3; a++)
        for (int z = 0; z < 5; z++) {
            char *topic = topics[a][z];
            snprintf(topic, 128, "kafkac-mx-acks%s-%s-%s", acks[a], codecs[z], stamp);
            drlog L;
            drlog_init(&L, topic, 2 * PER);
            kc_producer_t *p = new_producer(&L, NULL, "acks", acks[a], "compression.type",
                                            codecs[z], "linger.ms", "20", NULL);
            produce_n(p, &L, topic, PER, KEY_ALL);
            produce_n(p, &L, topic, PER, KEY_NONE);
            kc_err_t fe = kc_producer_flush(p, 30000);
            ck_assert_msg(fe == 0, "acks=%s %s: flush %s", acks[a], codecs[z], kc_err_name(fe));
            kc_producer_destroy(p);
            assert_all_reported(&L, KC_ERR_NO_ERROR);
            if (a == 0) {
                for (int i = 0; i < L.n; i++)
                    ck_assert_msg(L.off[i] == -1, "acks=0 %s: record %d has offset %lld",
                                  codecs[z], i, (long long)L.off[i]);
            } else {
                assert_offsets_dense(&L, 1); /* auto-created: num.partitions=1 */
            }
            drlog_free(&L);
        }
    /* Every record of every combination is in the log - acks=0 included,
     * whose reports cannot tell. */
    char regex[160];
    snprintf(regex, sizeof regex, "kafkac-mx-.*-%s", stamp);
    char *offs = java_end_offsets(regex);
    for (int a = 0; a < 3; a++)
        for (int z = 0; z < 5; z++) {
            char line[256];
            snprintf(line, sizeof line, "%s:0:%d\n", topics[a][z], 2 * PER);
            ck_assert_msg(strstr(offs, line) != NULL, "expected %s in end offsets:\n%s", line,
                          offs);
        }
    free(offs);
}
END_TEST

START_TEST(too_large_is_refused_without_report) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-large");
    drlog L;
    drlog_init(&L, topic, 4);
    kc_producer_t *p = new_producer(&L, NULL, "message.max.bytes", "10000", NULL);
    char *big = malloc(2000000);
    memset(big, 'x', 2000000);
    /* Value, key, or headers over the limit. */
    ck_assert_int_eq(kc_produce(p, topic, KC_PARTITION_ANY, NULL, 0, big, 10000, NULL, 0, 0,
                                (void *)(intptr_t)100),
                     KC_ERR_MESSAGE_TOO_LARGE);
    ck_assert_int_eq(kc_produce(p, topic, KC_PARTITION_ANY, big, 10000, "v", 1, NULL, 0, 0,
                                (void *)(intptr_t)101),
                     KC_ERR_MESSAGE_TOO_LARGE);
    kc_headers_t *h = kc_headers_new();
    ck_assert_int_eq(kc_headers_add(h, "big", big, 12000), 0);
    ck_assert_int_eq(kc_produce(p, topic, KC_PARTITION_ANY, NULL, 0, "v", 1, h, 0, 0,
                                (void *)(intptr_t)102),
                     KC_ERR_MESSAGE_TOO_LARGE);
    ck_assert_int_eq(kc_headers_count(h), 1); /* still the caller's */
    kc_headers_destroy(h);
    /* KC_PRODUCE_F_FREE: on error the value stays the caller's too. */
    ck_assert_int_eq(kc_produce(p, topic, KC_PARTITION_ANY, NULL, 0, big, 20000, NULL, 0,
                                KC_PRODUCE_F_FREE, (void *)(intptr_t)103),
                     KC_ERR_MESSAGE_TOO_LARGE);
    ck_assert_int_eq(kc_producer_outq_len(p), 0);
    /* Just under the limit goes through. */
    L.no_data_check = 1;
    L.n = 1;
    ck_assert_int_eq(kc_produce(p, topic, KC_PARTITION_ANY, NULL, 0, big, 9900, NULL, 0, 0,
                                (void *)(intptr_t)1),
                     0);
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    kc_producer_destroy(p);
    ck_assert_int_eq(L.last_vlen, 9900);
    assert_all_reported(&L, KC_ERR_NO_ERROR); /* one report: none for the refused ones */

    /* The default limit (1000000). */
    drlog L2;
    drlog_init(&L2, topic, 1);
    p = new_producer(&L2, NULL, NULL);
    ck_assert_int_eq(kc_produce(p, topic, KC_PARTITION_ANY, NULL, 0, big, 1000001, NULL, 0, 0,
                                (void *)(intptr_t)1),
                     KC_ERR_MESSAGE_TOO_LARGE);
    ck_assert_int_eq(kc_producer_flush(p, 5000), 0);
    kc_producer_destroy(p);
    ck_assert_int_eq(L2.total, 0);
    free(big);
    drlog_free(&L);
    drlog_free(&L2);
}
END_TEST

START_TEST(partition_out_of_range) {
    char topic[128], fresh[128];
    itest_topic_name(topic, sizeof topic, "kafkac-ptn");
    itest_topic_name(fresh, sizeof fresh, "kafkac-ptn-fresh");
    drlog L;
    drlog_init(&L, NULL, 8);
    kc_producer_t *p = new_producer(&L, NULL, NULL);
    produce_n(p, &L, topic, 1, KEY_NONE);
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    assert_all_reported(&L, KC_ERR_NO_ERROR);
    int npart = topic_partitions(topic);
    ck_assert_int_eq(npart, 1);
    /* Known topic: refused at once, no report. */
    ck_assert_int_eq(kc_produce(p, topic, npart, NULL, 0, "x", 1, NULL, 0, 0,
                                (void *)(intptr_t)50),
                     KC_ERR__UNKNOWN_PARTITION);
    ck_assert_int_eq(kc_produce(p, topic, 1000, NULL, 0, "x", 1, NULL, 0, 0,
                                (void *)(intptr_t)51),
                     KC_ERR__UNKNOWN_PARTITION);
    ck_assert_int_eq(kc_produce(p, topic, -2, NULL, 0, "x", 1, NULL, 0, 0, (void *)(intptr_t)52),
                     KC_ERR__INVALID_ARG);
    /* The valid partition still works. */
    L.keymode[1] = 0;
    L.n = 2;
    ck_assert_int_eq(kc_produce(p, topic, 0, NULL, 0, "value-1", 7, NULL, 0, 0,
                                (void *)(intptr_t)2),
                     0);
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    assert_all_reported(&L, KC_ERR_NO_ERROR);
    ck_assert_int_eq(L.off[1], 1);

    /* Topic not known yet: the partition is checked once metadata arrives,
     * and the record fails in its report. */
    L.keymode[2] = 0;
    L.n = 3;
    kc_err_t e = kc_produce(p, fresh, 7, NULL, 0, "value-2", 7, NULL, 0, 0, (void *)(intptr_t)3);
    ck_assert_msg(e == KC_ERR_NO_ERROR || e == KC_ERR__UNKNOWN_PARTITION, "%s", kc_err_name(e));
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    if (e == KC_ERR_NO_ERROR) {
        ck_assert_int_eq(L.count[2], 1);
        ck_assert_int_eq(L.err[2], KC_ERR__UNKNOWN_PARTITION);
        ck_assert_msg(strstr(L.errstr, fresh) != NULL, "topic not named: %s", L.errstr);
        ck_assert_int_eq(L.total, 3);
    } else {
        ck_assert_int_eq(L.total, 2);
    }
    kc_producer_destroy(p);
    drlog_free(&L);
}
END_TEST

START_TEST(invalid_topic_fails_in_report) {
    const char *bad = "bad topic!";
    char good[128];
    itest_topic_name(good, sizeof good, "kafkac-good");
    drlog L;
    drlog_init(&L, NULL, 20);
    kc_producer_t *p = new_producer(&L, NULL, "delivery.timeout.ms", "3000", NULL);
    int64_t t0 = now_ms();
    produce_n(p, &L, bad, 10, KEY_NONE);
    produce_n(p, &L, good, 10, KEY_NONE); /* same producer, same metadata requests */
    kc_err_t fe = kc_producer_flush(p, 15000);
    int64_t took = now_ms() - t0;
    ck_assert_msg(fe == KC_ERR_NO_ERROR, "flush: %s after %lld ms (%d outstanding)",
                  kc_err_name(fe), (long long)took, kc_producer_outq_len(p));
    ck_assert_msg(took <= 3000 + 1500, "reports took %lld ms, delivery.timeout.ms is 3000",
                  (long long)took);
    ck_assert_int_eq(L.stray, 0);
    ck_assert_int_eq(L.bad_data, 0);
    ck_assert_int_eq(L.total, 20);
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(L.count[i], 1);
        ck_assert_msg(L.err[i] != KC_ERR_NO_ERROR, "record %d to \"%s\" delivered", i, bad);
        ck_assert_int_eq(L.off[i], -1);
    }
    for (int i = 10; i < 20; i++) {
        ck_assert_int_eq(L.count[i], 1);
        ck_assert_msg(L.err[i] == KC_ERR_NO_ERROR, "record %d to %s: %s", i, good,
                      kc_err_name(L.err[i]));
    }
    ck_assert_str_eq(L.errtopic, bad);
    ck_assert_msg(strstr(L.errstr, bad) != NULL, "errstr does not name the topic: %s", L.errstr);
    fprintf(stderr, "invalid topic: %s (%s) after %lld ms\n", kc_err_name(L.err[0]), L.errstr,
            (long long)took);
    kc_producer_destroy(p);
    drlog_free(&L);
}
END_TEST

START_TEST(destroy_reports_queued_records) {
    /* Nothing listens on port 1: records wait for metadata that never comes. */
    drlog L;
    drlog_init(&L, NULL, 100);
    kc_producer_t *p = new_producer(&L, "127.0.0.1:1", "linger.ms", "60000", NULL);
    produce_n(p, &L, "kafkac-destroy-a", 30, KEY_ALTERNATE);
    produce_n(p, &L, "kafkac-destroy-b", 20, KEY_NONE);
    ck_assert_int_eq(kc_producer_poll(p, 200), 0); /* nothing to report yet */
    ck_assert_int_eq(kc_producer_outq_len(p), 50);
    ck_assert_int_eq(L.total, 0);
    int64_t t0 = now_ms();
    kc_producer_destroy(p);
    ck_assert_msg(now_ms() - t0 < 5000, "destroy took %lld ms", (long long)(now_ms() - t0));
    assert_all_reported(&L, KC_ERR__DESTROY);
    drlog_free(&L);

    /* Against the broker: records batched for a known topic, lingering. */
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-destroy");
    drlog_init(&L, topic, 100);
    p = new_producer(&L, NULL, "linger.ms", "60000", NULL);
    produce_n(p, &L, topic, 1, KEY_NONE);
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0); /* topic known, leader connected */
    ck_assert_int_eq(L.err[0], 0);
    produce_n(p, &L, topic, 40, KEY_ALTERNATE);
    ck_assert_int_eq(kc_producer_poll(p, 500), 0);
    ck_assert_int_eq(kc_producer_outq_len(p), 40);
    kc_producer_destroy(p);
    ck_assert_int_eq(L.total, 41);
    for (int i = 1; i < 41; i++) {
        ck_assert_int_eq(L.count[i], 1);
        ck_assert_msg(L.err[i] == KC_ERR__DESTROY, "record %d: %s", i, kc_err_name(L.err[i]));
    }
    ck_assert_int_eq(L.stray + L.bad_data + L.bad_topic, 0);
    drlog_free(&L);
}
END_TEST

/* Polls until L has `want` reports or 10 s passed. */
static void poll_until(kc_producer_t *p, const drlog *L, int want) {
    int64_t end = now_ms() + 10000;
    while (L->total < want && now_ms() < end) kc_producer_poll(p, 100);
}

START_TEST(purge_reports_queued_records) {
    drlog L;
    drlog_init(&L, NULL, 100);
    kc_producer_t *p = new_producer(&L, "127.0.0.1:1", "linger.ms", "60000", NULL);
    produce_n(p, &L, "kafkac-purge-a", 25, KEY_ALTERNATE);
    kc_producer_purge(p);
    poll_until(p, &L, 25);
    assert_all_reported(&L, KC_ERR__PURGE_QUEUE);
    ck_assert_int_eq(kc_producer_outq_len(p), 0);
    ck_assert_int_eq(kc_producer_poll(p, 200), 0); /* and only once */
    kc_producer_destroy(p);
    ck_assert_int_eq(L.total, 25);
    drlog_free(&L);

    /* Against the broker: lingering batches are purged; the producer goes on. */
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-purge");
    drlog_init(&L, topic, 100);
    p = new_producer(&L, NULL, "linger.ms", "60000", NULL);
    produce_n(p, &L, topic, 1, KEY_NONE);
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    ck_assert_int_eq(L.err[0], 0);
    ck_assert_int_eq(L.off[0], 0);
    produce_n(p, &L, topic, 40, KEY_ALTERNATE);
    ck_assert_int_eq(kc_producer_poll(p, 300), 0);
    kc_producer_purge(p);
    poll_until(p, &L, 41);
    ck_assert_int_eq(L.total, 41);
    for (int i = 1; i < 41; i++) {
        ck_assert_int_eq(L.count[i], 1);
        ck_assert_msg(L.err[i] == KC_ERR__PURGE_QUEUE, "record %d: %s", i, kc_err_name(L.err[i]));
    }
    ck_assert_int_eq(kc_producer_outq_len(p), 0);
    produce_n(p, &L, topic, 10, KEY_NONE);
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    kc_producer_destroy(p);
    ck_assert_int_eq(L.total, 51);
    for (int i = 41; i < 51; i++) {
        ck_assert_int_eq(L.count[i], 1);
        ck_assert_msg(L.err[i] == 0, "record %d: %s", i, kc_err_name(L.err[i]));
        ck_assert_int_eq(L.off[i], i - 40); /* purged records never reached the log */
    }
    ck_assert_int_eq(L.stray + L.bad_data + L.bad_topic, 0);
    drlog_free(&L);
}
END_TEST

START_TEST(config_errors_name_the_key) {
    char err[512];
    kc_conf_t *conf = itest_conf();
    /* Explicit idempotence with acks=1 (or too many in flight). */
    ck_assert_int_eq(kc_conf_set(conf, "enable.idempotence", "true", err, sizeof err), 0);
    ck_assert_int_eq(kc_conf_set(conf, "acks", "1", err, sizeof err), 0);
    err[0] = 0;
    ck_assert_ptr_null(kc_producer_new(conf, err, sizeof err));
    ck_assert_msg(strstr(err, "enable.idempotence") != NULL, "errstr: %s", err);
    ck_assert_int_eq(kc_conf_set(conf, "acks", "all", err, sizeof err), 0);
    ck_assert_int_eq(kc_conf_set(conf, "max.in.flight.requests.per.connection", "6", err,
                                 sizeof err),
                     0);
    err[0] = 0;
    ck_assert_ptr_null(kc_producer_new(conf, err, sizeof err));
    ck_assert_msg(strstr(err, "enable.idempotence") != NULL, "errstr: %s", err);
    /* The default idempotence steps back quietly. */
    ck_assert_int_eq(kc_conf_set(conf, "enable.idempotence", NULL, err, sizeof err), 0);
    ck_assert_int_eq(kc_conf_set(conf, "max.in.flight.requests.per.connection", NULL, err,
                                 sizeof err),
                     0);
    ck_assert_int_eq(kc_conf_set(conf, "acks", "1", err, sizeof err), 0);
    kc_producer_t *p = kc_producer_new(conf, err, sizeof err);
    ck_assert_msg(p != NULL, "default idempotence with acks=1 refused: %s", err);
    kc_producer_destroy(p);
    kc_conf_destroy(conf);

    /* No bootstrap.servers, or a malformed one (a missing port means 9092). */
    conf = kc_conf_new();
    err[0] = 0;
    ck_assert_ptr_null(kc_producer_new(conf, err, sizeof err));
    ck_assert_msg(strstr(err, "bootstrap.servers") != NULL, "errstr: %s", err);
    ck_assert_int_eq(kc_conf_set(conf, "bootstrap.servers", "localhost:99999", err, sizeof err), 0);
    err[0] = 0;
    ck_assert_ptr_null(kc_producer_new(conf, err, sizeof err));
    ck_assert_msg(strstr(err, "bootstrap.servers") != NULL, "errstr: %s", err);

    /* kc_conf_set: unknown key, bad values. */
    err[0] = 0;
    ck_assert_int_eq(kc_conf_set(conf, "no.such.key", "1", err, sizeof err), KC_ERR__NOENT);
    ck_assert_msg(strstr(err, "no.such.key") != NULL, "errstr: %s", err);
    static const char *const bad[][2] = {
        {"acks", "2"},          {"linger.ms", "abc"},        {"linger.ms", "-1"},
        {"batch.size", "0"},    {"compression.type", "brotli"}, {"enable.idempotence", "maybe"},
        {"queue.buffering.max.messages", "99999999999"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        ck_assert_msg(kc_conf_set(conf, bad[i][0], bad[i][1], err, sizeof err) ==
                          KC_ERR__INVALID_ARG,
                      "%s=%s accepted", bad[i][0], bad[i][1]);
        ck_assert_msg(strstr(err, bad[i][0]) != NULL, "%s=%s: errstr: %s", bad[i][0], bad[i][1],
                      err);
    }
    /* A refused value leaves the old one. */
    char buf[64];
    ck_assert_int_eq(kc_conf_get(conf, "acks", buf, sizeof buf, NULL), 0);
    ck_assert_msg(strcmp(buf, "all") == 0 || strcmp(buf, "-1") == 0, "acks is now %s", buf);
    kc_conf_destroy(conf);
}
END_TEST

START_TEST(queue_full) {
    drlog L;
    drlog_init(&L, NULL, 20);
    kc_producer_t *p = new_producer(&L, "127.0.0.1:1", "queue.buffering.max.messages", "10",
                                    "linger.ms", "60000", "max.block.ms", "300", NULL);
    produce_n(p, &L, "kafkac-full", 10, KEY_NONE);
    ck_assert_int_eq(kc_producer_outq_len(p), 10);
    ck_assert_int_eq(kc_produce(p, "kafkac-full", KC_PARTITION_ANY, NULL, 0, "value-10", 8, NULL,
                                0, 0, (void *)(intptr_t)11),
                     KC_ERR__QUEUE_FULL);
    /* Another topic shares the limit. */
    ck_assert_int_eq(kc_produce(p, "kafkac-full-2", KC_PARTITION_ANY, NULL, 0, "value-10", 8,
                                NULL, 0, 0, (void *)(intptr_t)11),
                     KC_ERR__QUEUE_FULL);
    /* Blocking gives up after max.block.ms when nobody makes room. */
    int64_t t0 = now_ms();
    ck_assert_int_eq(kc_produce(p, "kafkac-full", KC_PARTITION_ANY, NULL, 0, "value-10", 8, NULL,
                                0, KC_PRODUCE_F_BLOCK, (void *)(intptr_t)11),
                     KC_ERR__QUEUE_FULL);
    int64_t waited = now_ms() - t0;
    ck_assert_msg(waited >= 250 && waited < 3000, "blocked %lld ms, max.block.ms 300",
                  (long long)waited);
    ck_assert_int_eq(kc_producer_outq_len(p), 10);
    /* Served reports make room again. */
    kc_producer_purge(p);
    poll_until(p, &L, 10);
    ck_assert_int_eq(L.total, 10);
    ck_assert_int_eq(kc_producer_outq_len(p), 0);
    produce_n(p, &L, "kafkac-full", 1, KEY_NONE);
    kc_producer_destroy(p);
    ck_assert_int_eq(L.total, 11);
    ck_assert_int_eq(L.stray, 0);
    for (int i = 0; i < 10; i++) ck_assert_int_eq(L.err[i], KC_ERR__PURGE_QUEUE);
    ck_assert_int_eq(L.count[10], 1);
    ck_assert_int_eq(L.err[10], KC_ERR__DESTROY);
    drlog_free(&L);
}
END_TEST

/* Destroy racing the first metadata response (which adds the cluster's
 * brokers): still exactly one report per record. Under ASan this caught a
 * broker thread started after destroy had taken the broker list. */
START_TEST(destroy_races_startup) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-race");
    srand((unsigned)getpid());
    int delivered = 0, destroyed = 0;
    for (int r = 0; r < 200; r++) {
        drlog L;
        drlog_init(&L, topic, 1);
        kc_producer_t *p = new_producer(&L, NULL, "log_level", "0", NULL);
        produce_n(p, &L, topic, 1, KEY_NONE);
        usleep((useconds_t)(rand() % 20000));
        kc_producer_destroy(p);
        ck_assert_int_eq(L.total, 1);
        ck_assert_int_eq(L.count[0], 1);
        ck_assert_msg(L.err[0] == 0 || L.err[0] == KC_ERR__DESTROY, "round %d: %s (%s)", r,
                      kc_err_name(L.err[0]), L.errstr);
        delivered += L.err[0] == 0;
        destroyed += L.err[0] != 0;
        drlog_free(&L);
    }
    /* Both outcomes happened: the race window was actually hit. */
    ck_assert_msg(delivered > 0 && destroyed > 0, "%d delivered, %d destroyed", delivered,
                  destroyed);
}
END_TEST

/* "key-<k>" goes to partition k % n; a null key gets an out-of-range answer. */
static int32_t by_key_number(const char *topic, const void *key, size_t len, int32_t n,
                             void *opaque) {
    (void)topic;
    (void)opaque;
    if (!key || len < 5 || memcmp(key, "key-", 4) != 0) return n;
    int k = 0;
    for (size_t i = 4; i < len; i++) k = k * 10 + (((const char *)key)[i] - '0');
    return k % n;
}

START_TEST(custom_partitioner_places_records) {
    char topic[128], err[512];
    itest_topic_name(topic, sizeof topic, "kafkac-custom-part");
    java_create_topic(topic, 4);
    drlog L;
    drlog_init(&L, topic, 200);
    kc_conf_t *conf = itest_conf();
    kc_conf_set_opaque(conf, &L);
    kc_conf_set_delivery_cb(conf, on_dr);
    kc_conf_set_partitioner_cb(conf, by_key_number);
    kc_producer_t *p = kc_producer_new(conf, err, sizeof err);
    ck_assert_msg(p != NULL, "%s", err);
    kc_conf_destroy(conf);
    /* The first records wait for metadata and are placed by the main
     * thread; the rest on this one. */
    produce_n(p, &L, topic, 100, KEY_ALL);
    ck_assert_int_eq(kc_producer_flush(p, 30000), KC_ERR_NO_ERROR);
    assert_all_reported(&L, KC_ERR_NO_ERROR);
    for (int i = 0; i < L.n; i++)
        ck_assert_msg(L.part[i] == (i % NKEYS) % 4, "record %d in partition %d, want %d", i,
                      L.part[i], (i % NKEYS) % 4);
    /* An out-of-range answer refuses the record. */
    ck_assert_int_eq(kc_produce(p, topic, KC_PARTITION_ANY, NULL, 0, "v", 1, NULL, 0, 0, NULL),
                     KC_ERR__UNKNOWN_PARTITION);
    ck_assert_int_eq(L.stray, 0);
    kc_producer_destroy(p);
    drlog_free(&L);
}
END_TEST

/* Every report carries its own record: key, value, timestamp, offset and
 * opaque, whether the record waited for metadata (pending, packed with
 * others) or went straight into a batch, with or without headers, and when
 * only some records of a batch have an opaque. */
typedef struct {
    int n, total, bad;
    char first_bad[256];
} fieldlog;

static void on_dr_fields(kc_producer_t *p, const kc_delivery_t *dr, void *opaque) {
    (void)p;
    fieldlog *F = opaque;
    F->total++;
    size_t vlen, klen;
    const char *v = kc_delivery_value(dr, &vlen);
    const char *k = kc_delivery_key(dr, &klen);
    int i = -1;
    if (v && vlen > 6 && vlen < 32 && memcmp(v, "value-", 6) == 0) {
        char tmp[32];
        memcpy(tmp, v, vlen);
        tmp[vlen] = 0;
        i = atoi(tmp + 6);
    }
    char key[32];
    int kl = snprintf(key, sizeof key, "key-%d", i);
    void *want_opaque = i % 3 == 0 ? NULL : (void *)(intptr_t)(i + 1);
    const char *why = NULL;
    if (i < 0 || i >= F->n) why = "value";
    else if (kc_delivery_error(dr)) why = "error";
    else if (i % 5 == 4 ? k != NULL : (!k || klen != (size_t)kl || memcmp(k, key, klen) != 0)) why = "key";
    else if (kc_delivery_opaque(dr) != want_opaque) why = "opaque";
    else if (kc_delivery_timestamp(dr) != 1700000000000LL + i) why = "timestamp";
    else if (kc_delivery_offset(dr) != i) why = "offset";
    if (why && !F->bad++)
        snprintf(F->first_bad, sizeof F->first_bad, "record %d (report %d): wrong %s (%s)", i,
                 F->total, why, kc_err_name(kc_delivery_error(dr)));
}

START_TEST(reports_carry_each_records_fields) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-drfields");
    java_create_topic(topic, 1);
    fieldlog F;
    memset(&F, 0, sizeof F);
    kc_conf_t *conf = itest_conf();
    char err[512];
    ck_assert_int_eq(kc_conf_set(conf, "batch.size", "3000", err, sizeof err), 0);
    ck_assert_int_eq(kc_conf_set(conf, "linger.ms", "20", err, sizeof err), 0);
    kc_conf_set_opaque(conf, &F);
    kc_conf_set_delivery_cb(conf, on_dr_fields);
    kc_producer_t *p = kc_producer_new(conf, err, sizeof err);
    ck_assert_msg(p != NULL, "kc_producer_new: %s", err);
    kc_conf_destroy(conf);
    /* The first records wait for metadata (a new producer knows no topic),
     * the rest are appended directly. */
    enum { N = 3000 };
    for (int i = 0; i < N; i++) {
        char key[32], val[32];
        int kl = snprintf(key, sizeof key, "key-%d", i);
        int vl = snprintf(val, sizeof val, "value-%d", i);
        kc_headers_t *h = NULL;
        if (i % 2) {
            h = kc_headers_new();
            ck_assert_int_eq(kc_headers_add(h, "h1", val, (size_t)vl), 0);
            ck_assert_int_eq(kc_headers_add(h, "h2", NULL, 0), 0);
        }
        kc_err_t e = kc_produce(p, topic, 0, i % 5 == 4 ? NULL : key, i % 5 == 4 ? 0 : (size_t)kl,
                                val, (size_t)vl, h, 1700000000000LL + i, 0,
                                i % 3 == 0 ? NULL : (void *)(intptr_t)(i + 1));
        ck_assert_msg(e == KC_ERR_NO_ERROR, "record %d: %s", i, kc_err_name(e));
        F.n = i + 1;
        if (i == 10) kc_producer_poll(p, 0);
    }
    ck_assert_int_eq(kc_producer_flush(p, 30000), KC_ERR_NO_ERROR);
    kc_producer_destroy(p);
    ck_assert_int_eq(F.total, N);
    ck_assert_msg(F.bad == 0, "%d bad reports; first: %s", F.bad, F.first_bad);
}
END_TEST

ITEST_MAIN("producer", every_record_gets_exactly_one_report, custom_partitioner_places_records, acks_and_codecs,
           too_large_is_refused_without_report, partition_out_of_range,
           invalid_topic_fails_in_report, destroy_reports_queued_records,
           purge_reports_queued_records, config_errors_name_the_key, queue_full,
           destroy_races_startup, reports_carry_each_records_fields)
