/* Partition assignors and the ConsumerProtocol codec (lib/consumer/assignor*.c):
 * codec round trips per version, golden bytes, truncated and malformed input
 * refused, newer versions read as the newest known; range and roundrobin
 * against results of Kafka's Java client (kafka-clients 4.1.2) and a plain
 * reference implementation on random groups; cooperative-sticky balance,
 * stickiness, generation conflicts, the cooperative revoke-first rule, a
 * randomized property test and its speed on large groups. */
#include "common/ktest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "consumer/assignor.h"

/* ------------------------------------------------------------ helpers */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
/* xorshift64*: deterministic pseudo-random numbers. */
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}
/* Uniform in [0, n). */
static int rndn(int n) { return (int)(rnd() % (uint64_t)n); }

/* A malloc'd copy (the members own their strings). */
static char *dup(const char *s) {
    char *d = s ? strdup(s) : NULL;
    ck_assert(!s || d);
    return d;
}

/* Splits a space-separated list into a new array of malloc'd words. */
static char **words(const char *list, int *np) {
    /* Enough: every word but the last is followed by a space. */
    size_t cap = strlen(list ? list : "") / 2 + 1;
    char **w = calloc(cap, sizeof *w);
    ck_assert_ptr_nonnull(w);
    int n = 0;
    for (const char *p = list; p && *p;) {
        while (*p == ' ') p++;
        size_t len = strcspn(p, " ");
        if (!len) break;
        w[n++] = strndup(p, len);
        p += len;
    }
    *np = n;
    return w;
}

/* Sets a member: id, instance id (NULL: dynamic), subscription "t1 t2". */
static void mset(kc__asg_member *m, const char *id, const char *inst, const char *topics) {
    kc__asg_member_clear(m);
    m->member_id = dup(id);
    m->instance_id = dup(inst);
    m->topics = words(topics, &m->ntopics);
    m->generation = -1;
}

/* Replaces a member's owned partitions ("t-0 t-3 u-1") and generation. */
static void mown(kc__asg_member *m, int32_t gen, const char *tps) {
    kc__asg_tps_free(m->owned, m->nowned);
    int n;
    char **w = words(tps, &n);
    m->owned = calloc(n ? (size_t)n : 1, sizeof *m->owned);
    for (int i = 0; i < n; i++) {
        char *dash = strrchr(w[i], '-');
        ck_assert_ptr_nonnull(dash);
        m->owned[i].partition = atoi(dash + 1);
        *dash = '\0';
        m->owned[i].topic = w[i];
    }
    free(w);
    m->nowned = n;
    m->generation = gen;
}

/* The member's owned partitions become what it was assigned (next round). */
static void adopt(kc__asg_member *m, int32_t gen) {
    kc__asg_tps_free(m->owned, m->nowned);
    m->owned = m->assigned;
    m->nowned = m->nassigned;
    m->assigned = NULL;
    m->nassigned = 0;
    m->generation = gen;
}

/* A member's assignment as "t-0 t-1 u-2" (rotating static buffers). */
static const char *fmt(const kc__asg_tp *tps, int n) {
    static char bufs[8][8192];
    static int k;
    char *b = bufs[k++ % 8];
    size_t len = 0;
    b[0] = '\0';
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(b + len, sizeof bufs[0] - len, "%s%s-%d", i ? " " : "",
                                tps[i].topic, tps[i].partition);
    return b;
}
#define ASSIGNED(m) fmt((m)->assigned, (m)->nassigned)

/* Runs the named assignor and requires success and sorted outputs. */
static void run(const char *name, kc__asg_member *ms, int n, const kc__asg_topic *ts, int nt) {
    const kc__assignor *a = kc__assignor_find(name);
    ck_assert_ptr_nonnull(a);
    char err[256] = "";
    ck_assert_int_eq(a->assign(ms, n, ts, nt, err, sizeof err), 0);
    for (int i = 0; i < n; i++)
        for (int j = 1; j < ms[i].nassigned; j++) {
            int c = strcmp(ms[i].assigned[j - 1].topic, ms[i].assigned[j].topic);
            ck_assert_msg(c < 0 || (c == 0 && ms[i].assigned[j - 1].partition <
                                                  ms[i].assigned[j].partition),
                          "%s: member %d's output is not sorted: %s", name, i, ASSIGNED(&ms[i]));
        }
}

static void clear_all(kc__asg_member *ms, int n) {
    for (int i = 0; i < n; i++) kc__asg_member_clear(&ms[i]);
}

/* ------------------------------------------------------------ codec */

static const char *const SUB_TOPICS[] = {"b", "alpha"};
static const kc__asg_tp SUB_OWNED[] = {{"b", 3}, {"alpha", 1}, {"alpha", 0}, {"b", 1}};

/* Encodes the test subscription at version v. */
static uint8_t *enc_sub(int16_t v, size_t *lenp) {
    uint8_t *p = NULL;
    ck_assert_int_eq(kc__consumer_subscription_encode(v, SUB_TOPICS, 2, SUB_OWNED, 4, 7, "rack-1",
                                                      &p, lenp),
                     0);
    ck_assert_ptr_nonnull(p);
    return p;
}

/* Checks a decoded test subscription as version v carries it. */
static void check_sub(const kc__asg_member *m, int v) {
    /* Written sorted, as Kafka's Java client does. */
    ck_assert_int_eq(m->ntopics, 2);
    ck_assert_str_eq(m->topics[0], "alpha");
    ck_assert_str_eq(m->topics[1], "b");
    ck_assert_str_eq(fmt(m->owned, m->nowned), v >= 1 ? "alpha-0 alpha-1 b-1 b-3" : "");
    ck_assert_int_eq(m->generation, v >= 2 ? 7 : -1);
    if (v >= 3)
        ck_assert_str_eq(m->rack, "rack-1");
    else
        ck_assert_ptr_null(m->rack);
}

START_TEST(subscription_round_trips_every_version) {
    for (int16_t v = 0; v <= 3; v++) {
        size_t len;
        uint8_t *p = enc_sub(v, &len);
        kc__asg_member m = {0};
        m.member_id = dup("kept");
        ck_assert_int_eq(kc__consumer_subscription_decode(p, len, &m), 0);
        check_sub(&m, v);
        ck_assert_str_eq(m.member_id, "kept");
        /* Decoding again replaces (and frees) what the first decode set. */
        ck_assert_int_eq(kc__consumer_subscription_decode(p, len, &m), 0);
        check_sub(&m, v);
        kc__asg_member_clear(&m);
        free(p);
    }
}
END_TEST

START_TEST(assignment_round_trips_every_version) {
    static const kc__asg_tp tps[] = {{"t", 1}, {"s", 0}, {"t", 0}};
    for (int16_t v = 0; v <= 3; v++) {
        uint8_t *p;
        size_t len;
        ck_assert_int_eq(kc__consumer_assignment_encode(v, tps, 3, &p, &len), 0);
        kc__asg_tp *out;
        int n;
        ck_assert_int_eq(kc__consumer_assignment_decode(p, len, &out, &n), 0);
        ck_assert_str_eq(fmt(out, n), "t-1 t-0 s-0"); /* topics in order of appearance */
        kc__asg_tps_free(out, n);
        free(p);
        ck_assert_int_eq(kc__consumer_assignment_encode(v, NULL, 0, &p, &len), 0);
        ck_assert_int_eq(kc__consumer_assignment_decode(p, len, &out, &n), 0);
        ck_assert_int_eq(n, 0);
        ck_assert_ptr_null(out);
        free(p);
    }
}
END_TEST

/* Compares an encoding with the expected bytes. */
static void expect_bytes(const uint8_t *p, size_t len, const uint8_t *want, size_t wlen) {
    ck_assert_uint_eq(len, wlen);
    for (size_t i = 0; i < len; i++)
        ck_assert_msg(p[i] == want[i], "byte %zu: 0x%02x, want 0x%02x", i, p[i], want[i]);
}

/* From the spec: int16 version; topics (int32 count, int16-length strings);
 * user_data (int32 length, -1 null); v1+ owned partitions (count, then topic
 * and int32 partitions); v2+ int32 generation; v3+ nullable string rack. */
START_TEST(subscription_golden_bytes) {
    static const uint8_t v0[] = {0, 0, 0, 0, 0, 1, 0, 3, 'f', 'o', 'o', 0xff, 0xff, 0xff, 0xff};
    static const uint8_t v3[] = {
        0, 3,                                /* version */
        0, 0, 0, 1, 0, 3, 'f', 'o', 'o',     /* topics ["foo"] */
        0xff, 0xff, 0xff, 0xff,              /* user_data null */
        0, 0, 0, 1, 0, 3, 'f', 'o', 'o',     /* owned: foo */
        0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2,  /*   [0, 2] (sorted) */
        0, 0, 0, 5,                          /* generation 5 */
        0, 2, 'r', '1',                      /* rack "r1" */
    };
    static const uint8_t v3_no_rack_tail[] = {0, 0, 0, 5, 0xff, 0xff};
    const char *topics[] = {"foo"};
    const kc__asg_tp owned[] = {{"foo", 2}, {"foo", 0}};
    uint8_t *p;
    size_t len;
    int rc = kc__consumer_subscription_encode(0, topics, 1, owned, 2, 5, "r1", &p, &len);
    ck_assert_int_eq(rc, 0);
    expect_bytes(p, len, v0, sizeof v0);
    free(p);
    rc = kc__consumer_subscription_encode(3, topics, 1, owned, 2, 5, "r1", &p, &len);
    ck_assert_int_eq(rc, 0);
    expect_bytes(p, len, v3, sizeof v3);
    free(p);
    rc = kc__consumer_subscription_encode(3, topics, 1, owned, 2, 5, NULL, &p, &len);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(len, sizeof v3 - 4 + 2);
    expect_bytes(p + len - 6, 6, v3_no_rack_tail, 6);
    free(p);
}
END_TEST

START_TEST(assignment_golden_bytes) {
    static const uint8_t want[] = {
        0, 1,                                         /* version 1 */
        0, 0, 0, 2,                                   /* two topics, in order of appearance */
        0, 1, 'u', 0, 0, 0, 1, 0, 0, 0, 5,            /* u: [5] */
        0, 1, 't', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, /* t: [0, 1] */
        0xff, 0xff, 0xff, 0xff,                       /* user_data null */
    };
    const kc__asg_tp tps[] = {{"u", 5}, {"t", 0}, {"t", 1}};
    uint8_t *p;
    size_t len;
    ck_assert_int_eq(kc__consumer_assignment_encode(1, tps, 3, &p, &len), 0);
    expect_bytes(p, len, want, sizeof want);
    free(p);
    kc__asg_tp *out;
    int n;
    ck_assert_int_eq(kc__consumer_assignment_decode(want, sizeof want, &out, &n), 0);
    ck_assert_str_eq(fmt(out, n), "u-5 t-0 t-1");
    kc__asg_tps_free(out, n);
}
END_TEST

/* Decodes a hex string into out; returns the length. */
static size_t unhex(const char *hex, uint8_t *out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* What kafka-clients 4.1.2's ConsumerProtocol.serializeSubscription and
 * serializeAssignment write (version 3) for the same input. */
START_TEST(encodings_match_java_client) {
    static const char sub[] =
        "0003000000020005616c706861000162ffffffff000000020005616c70686100000002000000000000"
        "00010001620000000200000001000000030000000700067261636b2d31";
    static const char asg[] = "0003000000020001620000000200000003000000010005616c706861000000"
                              "020000000100000000ffffffff";
    uint8_t want[256], *p;
    size_t len;
    p = enc_sub(3, &len);
    expect_bytes(p, len, want, unhex(sub, want));
    free(p);
    ck_assert_int_eq(kc__consumer_assignment_encode(3, SUB_OWNED, 4, &p, &len), 0);
    expect_bytes(p, len, want, unhex(asg, want));
    free(p);
}
END_TEST

/* Requires a failed subscription decode to leave m without subscription. */
static void sub_refused(const uint8_t *p, size_t len, const char *what) {
    kc__asg_member m = {0};
    m.member_id = dup("id");
    ck_assert_msg(kc__consumer_subscription_decode(p, len, &m) == -1, "%s decoded", what);
    ck_assert(!m.topics && !m.ntopics && !m.owned && !m.nowned && !m.rack);
    ck_assert_int_eq(m.generation, -1);
    ck_assert_str_eq(m.member_id, "id");
    kc__asg_member_clear(&m);
}

/* Requires a failed assignment decode to return nothing. */
static void asg_refused(const uint8_t *p, size_t len, const char *what) {
    kc__asg_tp *out = (kc__asg_tp *)1;
    int n = 7;
    ck_assert_msg(kc__consumer_assignment_decode(p, len, &out, &n) == -1, "%s decoded", what);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(n, 0);
}

START_TEST(truncated_input_is_refused) {
    for (int16_t v = 0; v <= 3; v++) {
        size_t len;
        uint8_t *p = enc_sub(v, &len);
        for (size_t n = 0; n < len; n++) sub_refused(p, n, "a subscription prefix");
        free(p);
        static const kc__asg_tp tps[] = {{"t", 1}, {"s", 0}};
        ck_assert_int_eq(kc__consumer_assignment_encode(v, tps, 2, &p, &len), 0);
        for (size_t n = 1; n < len; n++) asg_refused(p, n, "an assignment prefix");
        free(p);
    }
    kc__asg_tp *out;
    int n;
    ck_assert_int_eq(kc__consumer_assignment_decode(NULL, 0, &out, &n), 0); /* empty: none */
    ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(malformed_input_is_refused) {
    static const struct {
        const char *what;
        uint8_t b[24];
        size_t len;
    } subs[] = {
        {"negative version", {0xff, 0xfe, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, 10},
        {"null topic array", {0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 10},
        {"huge topic count", {0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 1, 'a', 0xff, 0xff, 0xff, 0xff}, 13},
        {"null topic", {0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 12},
        {"NUL in a topic", {0, 0, 0, 0, 0, 1, 0, 2, 'a', 0, 0xff, 0xff, 0xff, 0xff}, 14},
        {"bad string length", {0, 0, 0, 0, 0, 1, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff}, 12},
        {"bad user_data length", {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xfe}, 10},
        {"null owned array",
         {0, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 14},
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        sub_refused(subs[i].b, subs[i].len, subs[i].what);
    static const struct {
        const char *what;
        uint8_t b[24];
        size_t len;
    } asgs[] = {
        {"negative version", {0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, 10},
        {"one byte", {0}, 1},
        {"null partition array",
         {0, 0, 0, 0, 0, 1, 0, 1, 't', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 17},
        {"huge partition count", {0, 0, 0, 0, 0, 1, 0, 1, 't', 0x10, 0, 0, 0, 0, 0, 0, 1}, 17},
        {"null topic", {0, 0, 0, 0, 0, 1, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, 16},
    };
    for (size_t i = 0; i < sizeof asgs / sizeof asgs[0]; i++)
        asg_refused(asgs[i].b, asgs[i].len, asgs[i].what);
}
END_TEST

/* A version above 3 is read as 3 and what follows the v3 fields ignored
 * (Kafka's ConsumerProtocol does the same), and so are trailing bytes at a
 * known version. */
START_TEST(newer_versions_read_as_v3) {
    static const int16_t vers[] = {4, 9, INT16_MAX};
    for (size_t i = 0; i < sizeof vers / sizeof vers[0]; i++) {
        size_t len;
        uint8_t *p = enc_sub(3, &len);
        uint8_t *q = malloc(len + 5);
        memcpy(q, p, len);
        memcpy(q + len, "extra", 5);
        q[0] = (uint8_t)(vers[i] >> 8);
        q[1] = (uint8_t)vers[i];
        kc__asg_member m = {0};
        ck_assert_int_eq(kc__consumer_subscription_decode(q, len + 5, &m), 0);
        check_sub(&m, 3);
        kc__asg_member_clear(&m);
        free(p);
        free(q);
    }
    static const uint8_t asg[] = {0, 42, 0, 0, 0, 1, 0, 1, 't', 0, 0, 0, 1, 0, 0, 0, 4,
                                  0, 0, 0, 2, 'u', 'd', /* user_data */ 1, 2, 3 /* v42 extras */};
    kc__asg_tp *out;
    int n;
    ck_assert_int_eq(kc__consumer_assignment_decode(asg, sizeof asg, &out, &n), 0);
    ck_assert_str_eq(fmt(out, n), "t-4");
    kc__asg_tps_free(out, n);
    static const uint8_t v0_trailing[] = {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 9, 9};
    kc__asg_member m = {0};
    ck_assert_int_eq(kc__consumer_subscription_decode(v0_trailing, sizeof v0_trailing, &m), 0);
    ck_assert_int_eq(m.ntopics, 0);
    kc__asg_member_clear(&m);
}
END_TEST

START_TEST(unencodable_input_is_refused) {
    uint8_t *p = (uint8_t *)1;
    size_t len = 1;
    const char *topics[] = {"a", NULL};
    const kc__asg_tp bad[] = {{NULL, 0}};
    /* Versions outside 0..3, a NULL topic name, a NULL owned topic. */
    ck_assert_int_eq(kc__consumer_subscription_encode(4, topics, 1, NULL, 0, 1, NULL, &p, &len),
                     -1);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(kc__consumer_subscription_encode(-1, topics, 1, NULL, 0, 1, NULL, &p, &len),
                     -1);
    ck_assert_int_eq(kc__consumer_subscription_encode(0, topics, 2, NULL, 0, 1, NULL, &p, &len),
                     -1);
    ck_assert_int_eq(kc__consumer_subscription_encode(1, topics, 1, bad, 1, 1, NULL, &p, &len),
                     -1);
    ck_assert_int_eq(kc__consumer_assignment_encode(4, NULL, 0, &p, &len), -1);
    ck_assert_int_eq(kc__consumer_assignment_encode(0, bad, 1, &p, &len), -1);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(assignors_are_found_by_name) {
    const kc__assignor *a = kc__assignor_find("range");
    ck_assert(a && strcmp(a->name, "range") == 0 && a->protocol == KC__REBALANCE_EAGER);
    a = kc__assignor_find("roundrobin");
    ck_assert(a && strcmp(a->name, "roundrobin") == 0 && a->protocol == KC__REBALANCE_EAGER);
    a = kc__assignor_find("cooperative-sticky");
    ck_assert(a && a->protocol == KC__REBALANCE_COOPERATIVE);
    ck_assert_ptr_null(kc__assignor_find("sticky"));
    ck_assert_ptr_null(kc__assignor_find("Range"));
    ck_assert_ptr_null(kc__assignor_find(""));
    ck_assert_ptr_null(kc__assignor_find(NULL));
    kc__asg_member_clear(NULL);
}
END_TEST

/* ------------------------------------------------------------ range, roundrobin */

static const kc__asg_topic T356[] = {{"t3", 3}, {"t5", 5}, {"t6", 6}};

/* Three members subscribed to t3, t5, t6 (given in a shuffled order). */
static void three_members(kc__asg_member *ms) {
    mset(&ms[0], "m2", NULL, "t6 t5 t3");
    mset(&ms[1], "m0", NULL, "t3 t5 t6");
    mset(&ms[2], "m1", NULL, "t5 t3 t6");
}

/* The expected results of this file's range and roundrobin tests are what
 * kafka-clients 4.1.2's RangeAssignor / RoundRobinAssignor return for the
 * same members and topics. */
START_TEST(range_matches_java) {
    kc__asg_member ms[3] = {{0}};
    three_members(ms);
    run("range", ms, 3, T356, 3);
    ck_assert_str_eq(ASSIGNED(&ms[1]), "t3-0 t5-0 t5-1 t6-0 t6-1");
    ck_assert_str_eq(ASSIGNED(&ms[2]), "t3-1 t5-2 t5-3 t6-2 t6-3");
    ck_assert_str_eq(ASSIGNED(&ms[0]), "t3-2 t5-4 t6-4 t6-5");
    /* Unequal subscriptions (Java's testMultipleConsumersMixedTopics). */
    static const kc__asg_topic t12[] = {{"topic1", 3}, {"topic2", 2}};
    mset(&ms[0], "consumer1", NULL, "topic1");
    mset(&ms[1], "consumer2", NULL, "topic1 topic2");
    mset(&ms[2], "consumer3", NULL, "topic1");
    run("range", ms, 3, t12, 2);
    ck_assert_str_eq(ASSIGNED(&ms[0]), "topic1-0");
    ck_assert_str_eq(ASSIGNED(&ms[1]), "topic1-1 topic2-0 topic2-1");
    ck_assert_str_eq(ASSIGNED(&ms[2]), "topic1-2");
    clear_all(ms, 3);
}
END_TEST

/* Static members come first, by group.instance.id; then dynamic members
 * by member id. A topic missing from the metadata, or without partitions,
 * is skipped; a member without subscription gets nothing. */
START_TEST(range_orders_static_members_first) {
    kc__asg_member ms[4] = {{0}};
    static const kc__asg_topic ts[] = {{"t", 7}, {"empty", 0}};
    mset(&ms[0], "a", "inst-2", "t missing empty");
    mset(&ms[1], "b", NULL, "t");
    mset(&ms[2], "c", "inst-1", "t t");
    mset(&ms[3], "d", NULL, "");
    run("range", ms, 4, ts, 2);
    ck_assert_str_eq(ASSIGNED(&ms[2]), "t-0 t-1 t-2");
    ck_assert_str_eq(ASSIGNED(&ms[0]), "t-3 t-4");
    ck_assert_str_eq(ASSIGNED(&ms[1]), "t-5 t-6");
    ck_assert_str_eq(ASSIGNED(&ms[3]), "");
    clear_all(ms, 4);
}
END_TEST

START_TEST(roundrobin_matches_java) {
    kc__asg_member ms[3] = {{0}};
    three_members(ms);
    run("roundrobin", ms, 3, T356, 3);
    ck_assert_str_eq(ASSIGNED(&ms[1]), "t3-0 t5-0 t5-3 t6-1 t6-4");
    ck_assert_str_eq(ASSIGNED(&ms[2]), "t3-1 t5-1 t5-4 t6-2 t6-5");
    ck_assert_str_eq(ASSIGNED(&ms[0]), "t3-2 t5-2 t6-0 t6-3");
    static const kc__asg_topic t12[] = {{"topic1", 3}, {"topic2", 2}};
    mset(&ms[0], "consumer1", NULL, "topic1");
    mset(&ms[1], "consumer2", NULL, "topic1 topic2");
    mset(&ms[2], "consumer3", NULL, "topic1");
    run("roundrobin", ms, 3, t12, 2);
    ck_assert_str_eq(ASSIGNED(&ms[0]), "topic1-0");
    ck_assert_str_eq(ASSIGNED(&ms[1]), "topic1-1 topic2-0 topic2-1");
    ck_assert_str_eq(ASSIGNED(&ms[2]), "topic1-2");
    /* Static members first; the turn carries across topics. */
    static const kc__asg_topic t2[] = {{"x", 3}, {"y", 4}};
    mset(&ms[0], "consumer-a", "instance-2", "x y");
    mset(&ms[1], "consumer-b", "instance-1", "y");
    mset(&ms[2], "consumer-c", NULL, "x y");
    run("roundrobin", ms, 3, t2, 2);
    ck_assert_str_eq(ASSIGNED(&ms[0]), "x-0 x-2 y-2");
    ck_assert_str_eq(ASSIGNED(&ms[1]), "y-1");
    ck_assert_str_eq(ASSIGNED(&ms[2]), "x-1 y-0 y-3");
    clear_all(ms, 3);
}
END_TEST

/* A random group: up to 9 members (about half of the groups with equal
 * subscriptions), 1-5 topics of 0-12 partitions plus one that does not
 * exist, optional static members. */
typedef struct rgroup {
    kc__asg_member ms[9];
    int n;
    kc__asg_topic ts[5];
    int nt;
    bool same; /* equal subscriptions */
    char names[6][16];
} rgroup;

/* Fills a random group. */
static void rgroup_make(rgroup *g) {
    memset(g, 0, sizeof *g);
    g->nt = 1 + rndn(5);
    for (int t = 0; t < 6; t++) snprintf(g->names[t], sizeof g->names[t], "t%d", t);
    for (int t = 0; t < g->nt; t++) g->ts[t] = (kc__asg_topic){g->names[t], rndn(13)};
    g->n = 1 + rndn(9);
    bool same = g->same = rndn(2);
    char all[64] = "";
    for (int t = 0; t < 6; t++) strcat(strcat(all, g->names[t]), " ");
    for (int i = 0; i < g->n; i++) {
        char id[16], inst[16], subs[64] = "";
        snprintf(id, sizeof id, "m%02d-%d", rndn(100), i); /* unique, random order */
        snprintf(inst, sizeof inst, "i%02d-%d", rndn(100), i);
        for (int t = 0; t < 6 && !same; t++)
            if (rndn(2)) strcat(strcat(subs, g->names[t]), " ");
        mset(&g->ms[i], id, rndn(4) ? NULL : inst, same ? all : subs);
    }
}

static void rgroup_free(rgroup *g) { clear_all(g->ms, g->n); }

/* Whether member m subscribes to topic name. */
static bool subscribes(const kc__asg_member *m, const char *name) {
    for (int i = 0; i < m->ntopics; i++)
        if (strcmp(m->topics[i], name) == 0) return true;
    return false;
}

/* Whether some member subscribes to topic t (else it is not assigned). */
static bool has_subscriber(const rgroup *g, int t) {
    for (int i = 0; i < g->n; i++)
        if (subscribes(&g->ms[i], g->ts[t].name)) return true;
    return false;
}

/* Java's MemberInfo order, written plainly (insertion sort of indices). */
static void java_order(const rgroup *g, int *ord) {
    for (int i = 0; i < g->n; i++) {
        int j = i;
        const kc__asg_member *x = &g->ms[i];
        for (; j > 0; j--) {
            const kc__asg_member *y = &g->ms[ord[j - 1]];
            int c = x->instance_id && y->instance_id ? strcmp(x->instance_id, y->instance_id)
                    : x->instance_id                 ? -1
                    : y->instance_id                 ? 1
                                                     : 0;
            if (c == 0) c = strcmp(x->member_id, y->member_id);
            if (c >= 0) break;
            ord[j] = ord[j - 1];
        }
        ord[j] = i;
    }
}

/* Reference range: per topic (by name), ranges over its subscribers. */
static void ref_range(const rgroup *g, int *owner /* [topic][partition] flattened by 16 */) {
    int ord[9];
    java_order(g, ord);
    for (int t = 0; t < g->nt; t++) {
        int subs[9], ns = 0, p = 0;
        for (int i = 0; i < g->n; i++)
            if (subscribes(&g->ms[ord[i]], g->ts[t].name)) subs[ns++] = ord[i];
        for (int i = 0; i < ns; i++) {
            int len = g->ts[t].partition_cnt / ns + (i < g->ts[t].partition_cnt % ns);
            for (int k = 0; k < len; k++) owner[t * 16 + p++] = subs[i];
        }
    }
}

/* Reference roundrobin: one turn over all partitions by topic name. */
static void ref_roundrobin(const rgroup *g, int *owner) {
    int ord[9], turn = 0;
    java_order(g, ord);
    for (int t = 0; t < g->nt; t++) { /* the random topics are named in order */
        for (int p = 0; has_subscriber(g, t) && p < g->ts[t].partition_cnt; p++) {
            while (!subscribes(&g->ms[ord[turn]], g->ts[t].name)) turn = (turn + 1) % g->n;
            owner[t * 16 + p] = ord[turn];
            turn = (turn + 1) % g->n;
        }
    }
}

/* Collects who got each partition, requiring at most one owner, a
 * subscribed one, and no partition outside the topics. */
static void collect(const rgroup *g, int *owner) {
    for (int i = 0; i < 16 * 5; i++) owner[i] = -1;
    for (int i = 0; i < g->n; i++)
        for (int k = 0; k < g->ms[i].nassigned; k++) {
            const kc__asg_tp *tp = &g->ms[i].assigned[k];
            int t = tp->topic[1] - '0';
            ck_assert(t >= 0 && t < g->nt && tp->partition >= 0 &&
                      tp->partition < g->ts[t].partition_cnt);
            ck_assert_msg(owner[t * 16 + tp->partition] < 0, "%s-%d assigned twice", tp->topic,
                          tp->partition);
            ck_assert(subscribes(&g->ms[i], tp->topic));
            owner[t * 16 + tp->partition] = i;
        }
}

START_TEST(range_and_roundrobin_match_reference_on_random_groups) {
    for (int iter = 0; iter < 3000; iter++) {
        rgroup g;
        rgroup_make(&g);
        int got[80], want[80];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 80; i++) want[i] = -1;
            run(k ? "roundrobin" : "range", g.ms, g.n, g.ts, g.nt);
            collect(&g, got);
            if (k)
                ref_roundrobin(&g, want);
            else
                ref_range(&g, want);
            for (int i = 0; i < 80; i++)
                ck_assert_msg(got[i] == want[i], "iter %d %s: t%d-%d to %d, want %d", iter,
                              k ? "roundrobin" : "range", i / 16, i % 16, got[i], want[i]);
        }
        rgroup_free(&g);
    }
}
END_TEST

/* ------------------------------------------------------------ cooperative-sticky */

/* Requires local balance: no partition's holder has two more partitions
 * than another subscriber of its topic. */
static void check_balanced(const rgroup *g) {
    for (int a = 0; a < g->n; a++)
        for (int k = 0; k < g->ms[a].nassigned; k++)
            for (int b = 0; b < g->n; b++)
                if (subscribes(&g->ms[b], g->ms[a].assigned[k].topic))
                    ck_assert_msg(g->ms[a].nassigned <= g->ms[b].nassigned + 1,
                                  "member %d (%d partitions) could give %s to member %d (%d)", a,
                                  g->ms[a].nassigned, g->ms[a].assigned[k].topic, b,
                                  g->ms[b].nassigned);
}

/* A fresh group with equal subscriptions: partitions dealt in order over
 * the members by member id, as Java's constrained assignment does. */
START_TEST(sticky_fresh_group_matches_java) {
    kc__asg_member ms[3] = {{0}};
    three_members(ms);
    ms[0].instance_id = dup("a-first-static-id"); /* the sticky order is by member id */
    run("cooperative-sticky", ms, 3, T356, 3);
    ck_assert_str_eq(ASSIGNED(&ms[1]), "t3-0 t5-0 t5-3 t6-1 t6-4");
    ck_assert_str_eq(ASSIGNED(&ms[2]), "t3-1 t5-1 t5-4 t6-2 t6-5");
    ck_assert_str_eq(ASSIGNED(&ms[0]), "t3-2 t5-2 t6-0 t6-3");
    clear_all(ms, 3);
}
END_TEST

/* Unequal subscriptions: balanced as far as the subscriptions allow. */
START_TEST(sticky_balances_unequal_subscriptions) {
    rgroup g;
    memset(&g, 0, sizeof g);
    g.nt = 3;
    g.ts[0] = (kc__asg_topic){"t0", 2};
    g.ts[1] = (kc__asg_topic){"t1", 6};
    g.ts[2] = (kc__asg_topic){"t2", 12};
    g.n = 3;
    mset(&g.ms[0], "a", NULL, "t0");
    mset(&g.ms[1], "b", NULL, "t0 t1");
    mset(&g.ms[2], "c", NULL, "t0 t1 t2");
    run("cooperative-sticky", g.ms, g.n, g.ts, g.nt);
    check_balanced(&g);
    ck_assert_str_eq(ASSIGNED(&g.ms[0]), "t0-0 t0-1");
    ck_assert_int_eq(g.ms[1].nassigned, 6);
    ck_assert_int_eq(g.ms[2].nassigned, 12);
    rgroup_free(&g);
}
END_TEST

/* 12 partitions owned 4 each by a, b, c (generation 5). */
static void owned_4_each(kc__asg_member *ms) {
    mset(&ms[0], "a", NULL, "t");
    mset(&ms[1], "b", NULL, "t");
    mset(&ms[2], "c", NULL, "t");
    mown(&ms[0], 5, "t-0 t-3 t-6 t-9");
    mown(&ms[1], 5, "t-1 t-4 t-7 t-10");
    mown(&ms[2], 5, "t-2 t-5 t-8 t-11");
}

/* Requires member m's assignment to contain all of its owned partitions. */
static void keeps_owned(const kc__asg_member *m) {
    for (int i = 0; i < m->nowned; i++) {
        bool found = false;
        for (int k = 0; k < m->nassigned && !found; k++)
            found = strcmp(m->assigned[k].topic, m->owned[i].topic) == 0 &&
                    m->assigned[k].partition == m->owned[i].partition;
        ck_assert_msg(found, "%s lost %s-%d", m->member_id, m->owned[i].topic,
                      m->owned[i].partition);
    }
}

START_TEST(sticky_member_leaving_moves_only_its_partitions) {
    static const kc__asg_topic t[] = {{"t", 12}};
    kc__asg_member ms[3] = {{0}};
    owned_4_each(ms);
    /* c leaves: a and b keep theirs and split c's; nothing to revoke. */
    run("cooperative-sticky", ms, 2, t, 1);
    keeps_owned(&ms[0]);
    keeps_owned(&ms[1]);
    ck_assert_int_eq(ms[0].nassigned, 6);
    ck_assert_int_eq(ms[1].nassigned, 6);
    clear_all(ms, 3);
}
END_TEST

START_TEST(sticky_member_joining_gets_revoked_partitions_next_round) {
    static const kc__asg_topic t[] = {{"t", 12}};
    kc__asg_member ms[4] = {{0}};
    owned_4_each(ms);
    mset(&ms[3], "d", NULL, "t");
    /* Round 1: each of a, b, c gives up one partition; d gets nothing yet. */
    run("cooperative-sticky", ms, 4, t, 1);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(ms[i].nassigned, 3);
        kc__asg_member tmp = ms[i]; /* what it kept is what it owned */
        tmp.owned = ms[i].assigned;
        tmp.nowned = ms[i].nassigned;
        tmp.assigned = ms[i].owned;
        tmp.nassigned = ms[i].nowned;
        keeps_owned(&tmp);
    }
    ck_assert_str_eq(ASSIGNED(&ms[3]), "");
    /* Round 2: the revoked partitions go to d; nothing else moves. */
    for (int i = 0; i < 4; i++) adopt(&ms[i], 6);
    run("cooperative-sticky", ms, 4, t, 1);
    for (int i = 0; i < 4; i++) {
        keeps_owned(&ms[i]);
        ck_assert_int_eq(ms[i].nassigned, 3);
    }
    clear_all(ms, 4);
}
END_TEST

/* The higher generation's claim wins; a stale claimant does not get the
 * partition while the current owner holds it; a tie keeps it for nobody
 * this round; claims on unknown topics or partitions are ignored. */
START_TEST(sticky_resolves_conflicting_claims_by_generation) {
    static const kc__asg_topic t[] = {{"t", 4}};
    kc__asg_member ms[2] = {{0}};
    mset(&ms[0], "a", NULL, "t");
    mset(&ms[1], "b", NULL, "t");
    mown(&ms[0], 3, "t-0 t-1 t-2 gone-0 t-99");
    mown(&ms[1], 5, "t-0 t-3");
    run("cooperative-sticky", ms, 2, t, 1);
    ck_assert_str_eq(ASSIGNED(&ms[0]), "t-1 t-2");
    ck_assert_str_eq(ASSIGNED(&ms[1]), "t-0 t-3");
    /* b (gen 5) owns t-0..t-2; a's stale gen-3 claim on t-0 does not let it
     * have t-0 before b revoked it. */
    mown(&ms[0], 3, "t-0");
    mown(&ms[1], 5, "t-0 t-1 t-2 t-3");
    run("cooperative-sticky", ms, 2, t, 1);
    ck_assert_int_eq(ms[1].nassigned, 2);
    ck_assert_int_eq(ms[0].nassigned, 0);
    /* Same generation: neither keeps t-0 in this round. */
    mown(&ms[0], 5, "t-0 t-1");
    mown(&ms[1], 5, "t-0 t-2 t-3");
    run("cooperative-sticky", ms, 2, t, 1);
    ck_assert_str_eq(ASSIGNED(&ms[0]), "t-1");
    ck_assert_str_eq(ASSIGNED(&ms[1]), "t-2 t-3");
    clear_all(ms, 2);
}
END_TEST

/* A member that dropped a topic keeps none of its partitions; they go to
 * a subscriber once it has revoked them (as does u-1, which balance moves
 * from b to a). */
START_TEST(sticky_unsubscribed_owner_revokes_first) {
    static const kc__asg_topic t[] = {{"t", 2}, {"u", 2}};
    kc__asg_member ms[2] = {{0}};
    mset(&ms[0], "a", NULL, "u");
    mset(&ms[1], "b", NULL, "t u");
    mown(&ms[0], 2, "t-0 t-1 u-0");
    mown(&ms[1], 2, "u-1");
    run("cooperative-sticky", ms, 2, t, 2);
    ck_assert_str_eq(ASSIGNED(&ms[0]), "u-0");
    ck_assert_str_eq(ASSIGNED(&ms[1]), "");
    for (int i = 0; i < 2; i++) adopt(&ms[i], 3);
    run("cooperative-sticky", ms, 2, t, 2);
    ck_assert_str_eq(ASSIGNED(&ms[0]), "u-0 u-1");
    ck_assert_str_eq(ASSIGNED(&ms[1]), "t-0 t-1");
    clear_all(ms, 2);
}
END_TEST

/* Random claims: half the partitions claimed by a random member (any
 * subscription), some by a second one, random generations, plus claims on
 * partitions that do not exist. */
static void random_claims(rgroup *g) {
    char buf[9][1024] = {{0}};
    for (int t = 0; t < 6; t++)
        for (int p = 0; p < 14; p++) {
            for (int c = 0; c < 2 && rndn(2 + 2 * c) == 0; c++) {
                char *b = buf[rndn(g->n)];
                snprintf(b + strlen(b), 1024 - strlen(b), "t%d-%d ", t, p);
            }
        }
    for (int i = 0; i < g->n; i++) mown(&g->ms[i], rndn(4) - 1, buf[i]);
}

/* Whether anyone claims topic t's partition p. */
static bool claimed(const rgroup *g, int t, int p) {
    for (int i = 0; i < g->n; i++)
        for (int k = 0; k < g->ms[i].nowned; k++)
            if (g->ms[i].owned[k].topic[1] - '0' == t && g->ms[i].owned[k].partition == p)
                return true;
    return false;
}

/* The rightful owner of each partition (by [topic * 16 + partition]): the
 * member whose claim has the highest generation, alone at it, and still
 * subscribed; -1 for none. */
static void rightful_owners(const rgroup *g, int *owner) {
    int32_t gen[80];
    bool tie[80] = {0};
    for (int i = 0; i < 80; i++) owner[i] = -1;
    for (int i = 0; i < g->n; i++)
        for (int k = 0; k < g->ms[i].nowned; k++) {
            const kc__asg_tp *tp = &g->ms[i].owned[k];
            int t = tp->topic[1] - '0', x = t * 16 + tp->partition;
            if (t >= g->nt || tp->partition >= g->ts[t].partition_cnt || owner[x] == i) continue;
            if (owner[x] < 0 || g->ms[i].generation > gen[x]) {
                owner[x] = i;
                gen[x] = g->ms[i].generation;
                tie[x] = false;
            } else if (g->ms[i].generation == gen[x]) {
                tie[x] = true;
            }
        }
    for (int x = 0; x < 80; x++)
        if (owner[x] >= 0 && (tie[x] || !subscribes(&g->ms[owner[x]], g->ts[x / 16].name)))
            owner[x] = -1;
}

/* qsort comparator: ints descending. */
static int cmp_desc(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return x > y ? -1 : x < y;
}

/* With equal subscriptions: the owned partitions kept are the most any
 * balanced assignment keeps (each member keeps up to its share; the larger
 * shares go to the members owning most). */
static void check_keeps_most(const rgroup *g, int iter) {
    int owner[80], valid[9] = {0}, kept = 0, best = 0, total = 0;
    rightful_owners(g, owner);
    for (int t = 0; t < g->nt; t++) total += g->ts[t].partition_cnt;
    for (int x = 0; x < 80; x++)
        if (owner[x] >= 0) valid[owner[x]]++;
    for (int i = 0; i < g->n; i++)
        for (int k = 0; k < g->ms[i].nassigned; k++)
            kept += owner[(g->ms[i].assigned[k].topic[1] - '0') * 16 +
                          g->ms[i].assigned[k].partition] == i;
    qsort(valid, (size_t)g->n, sizeof *valid, cmp_desc);
    for (int i = 0; i < g->n; i++) {
        int share = total / g->n + (i < total % g->n);
        best += valid[i] < share ? valid[i] : share;
    }
    ck_assert_msg(kept == best, "iter %d: kept %d owned partitions, %d possible", iter, kept, best);
}

/* Runs rounds until every partition is assigned (each round's owned
 * partitions are the previous round's assignment); returns the rounds. */
static int sticky_rounds(rgroup *g, int iter) {
    for (int round = 1; round <= 4; round++) {
        int owner[80];
        run("cooperative-sticky", g->ms, g->n, g->ts, g->nt);
        collect(g, owner);
        if (g->same) check_keeps_most(g, iter);
        bool full = true;
        for (int t = 0; t < g->nt; t++)
            for (int p = 0; p < g->ts[t].partition_cnt && has_subscriber(g, t); p++) {
                if (owner[t * 16 + p] >= 0) continue;
                full = false;
                /* Left out only when someone has to revoke it first. */
                ck_assert_msg(claimed(g, t, p), "iter %d: t%d-%d unclaimed but unassigned", iter,
                              t, p);
            }
        if (full) {
            check_balanced(g);
            if (round > 1)
                for (int i = 0; i < g->n; i++) keeps_owned(&g->ms[i]);
            return round;
        }
        for (int i = 0; i < g->n; i++) adopt(&g->ms[i], 10 + round);
    }
    ck_abort_msg("iter %d: no full assignment after 4 rounds", iter);
    return 0;
}

START_TEST(sticky_random_groups_converge_balanced) {
    int rounds[5] = {0};
    for (int iter = 0; iter < 3000; iter++) {
        rgroup g;
        rgroup_make(&g);
        if (iter % 4) random_claims(&g);
        int r = sticky_rounds(&g, iter);
        rounds[r]++;
        /* Equal subscriptions: one round of revocations at most. */
        ck_assert_msg(!g.same || r <= 2, "iter %d: %d rounds with equal subscriptions", iter, r);
        rgroup_free(&g);
    }
    ck_assert_int_gt(rounds[2], 100); /* the cooperative path was exercised */
}
END_TEST

/* Seconds since an arbitrary start. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* n members subscribed to nt topics of np partitions each. */
static kc__asg_member *big_group(int n, int nt, int np, kc__asg_topic **tsp) {
    kc__asg_member *ms = calloc((size_t)n + 1, sizeof *ms);
    kc__asg_topic *ts = calloc((size_t)nt, sizeof *ts);
    char *subs = calloc((size_t)nt, 16);
    for (int t = 0; t < nt; t++) {
        char *name = malloc(16);
        snprintf(name, 16, "t%03d", t);
        ts[t] = (kc__asg_topic){name, np};
        strcat(strcat(subs, name), " ");
    }
    for (int i = 0; i <= n; i++) {
        char id[32];
        snprintf(id, sizeof id, "consumer-%04d-%08x", i, (unsigned)rnd());
        mset(&ms[i], id, NULL, subs);
    }
    free(subs);
    *tsp = ts;
    return ms;
}

/* Runs the sticky assignor on n members from ms, returning the seconds. */
static double timed(kc__asg_member *ms, int n, const kc__asg_topic *ts, int nt) {
    double t0 = now();
    run("cooperative-sticky", ms, n, ts, nt);
    return now() - t0;
}

/* Total partitions assigned to n members. */
static int total_assigned(const kc__asg_member *ms, int n) {
    int sum = 0;
    for (int i = 0; i < n; i++) sum += ms[i].nassigned;
    return sum;
}

/* Fresh assignment, a member joining, then one leaving: each timed; returns
 * the slowest. */
static double time_sticky(int n, int nt, int np) {
    kc__asg_topic *ts;
    kc__asg_member *ms = big_group(n, nt, np, &ts);
    double t = timed(ms, n, ts, nt), worst = t;
    ck_assert_int_eq(total_assigned(ms, n), nt * np);
    for (int i = 0; i < n; i++) adopt(&ms[i], 2);
    t = timed(ms, n + 1, ts, nt); /* member n joins: what it needs is revoked first */
    worst = t > worst ? t : worst;
    ck_assert_int_eq(ms[n].nassigned, 0);
    ck_assert_int_eq(total_assigned(ms, n), nt * np - nt * np / (n + 1));
    for (int i = 0; i <= n; i++) adopt(&ms[i], 3);
    t = timed(ms + 1, n, ts, nt); /* member 0 leaves: its partitions go round */
    worst = t > worst ? t : worst;
    ck_assert_int_eq(total_assigned(ms + 1, n), nt * np);
    for (int i = 1; i <= n; i++) keeps_owned(&ms[i]);
    clear_all(ms, n + 1);
    for (int i = 0; i < nt; i++) free((char *)ts[i].name);
    free(ts);
    free(ms);
    return worst;
}

START_TEST(sticky_is_fast_on_large_groups) {
    double small = time_sticky(100, 10, 100);     /* 100 members, 1000 partitions */
    double large = time_sticky(100, 50, 2000);    /* 100 members, 100000 partitions */
    fprintf(stderr, "sticky timings: 100x1000 %.3fs, 100x100000 %.3fs\n", small, large);
    ck_assert_msg(small < 0.5, "100 members x 1000 partitions took %.3fs", small);
    ck_assert_msg(large < 10, "100 members x 100000 partitions took %.3fs", large);
}
END_TEST

KC_TEST_MAIN("assignors", subscription_round_trips_every_version,
             assignment_round_trips_every_version, subscription_golden_bytes,
             assignment_golden_bytes, encodings_match_java_client, truncated_input_is_refused,
             malformed_input_is_refused, newer_versions_read_as_v3, unencodable_input_is_refused,
             assignors_are_found_by_name, range_matches_java, range_orders_static_members_first,
             roundrobin_matches_java, range_and_roundrobin_match_reference_on_random_groups,
             sticky_fresh_group_matches_java, sticky_balances_unequal_subscriptions,
             sticky_member_leaving_moves_only_its_partitions,
             sticky_member_joining_gets_revoked_partitions_next_round,
             sticky_resolves_conflicting_claims_by_generation,
             sticky_unsubscribed_owner_revokes_first, sticky_random_groups_converge_balanced,
             sticky_is_fast_on_large_groups)
