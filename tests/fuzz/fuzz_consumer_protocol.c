/* libFuzzer target: the ConsumerProtocol decoders (JoinGroup member
 * metadata, SyncGroup assignment; lib/consumer/assignor.c) and the
 * assignors fed with what they decode.
 *
 * Every input is decoded whole as a subscription and as an assignment.
 * Besides "no crash, no leak", a successful decode must re-encode (at the
 * input's version, newer ones as 3) and the re-encoding must be canonical:
 * decoding it and encoding again gives the same bytes. Then the input is
 * split into up to four chunks (each a big-endian uint16 length and that
 * many bytes), each decoded as one member's subscription; every assignor
 * runs on those members (each subscribed topic with 1-8 partitions) and
 * must give each partition to at most one member, a subscribed one, and
 * (range, roundrobin) to exactly one. A violation aborts.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE \
 *     -Iinclude -Ilib -I. tests/fuzz/fuzz_consumer_protocol.c \
 *     $(find lib -name '*.c') <libs> -o /tmp/fzcp   (see tests/fuzz/run)
 *   /tmp/fzcp -max_total_time=60 CORPUS_DIR */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consumer/assignor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MEMBERS 4
#define MAX_TOPICS 64

/* Reports a broken property and aborts (libFuzzer keeps the input). */
static void fail(const char *what) {
    fprintf(stderr, "fuzz_consumer_protocol: %s\n", what);
    abort();
}

/* The version an input's prefix asks for, as the decoders read it. */
static int16_t version_of(const uint8_t *p) {
    int16_t v = (int16_t)(p[0] << 8 | p[1]);
    return v > 3 ? 3 : v;
}

/* Requires two encodings to be equal. */
static void same_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                       const char *what) {
    if (alen != blen || (alen && memcmp(a, b, alen) != 0)) fail(what);
}

/* Encodes a decoded member's subscription at version v. */
static void enc_sub(int16_t v, const kc__asg_member *m, uint8_t **p, size_t *len) {
    if (kc__consumer_subscription_encode(v, (const char *const *)m->topics, m->ntopics, m->owned,
                                         m->nowned, m->generation, m->rack, p, len) != 0)
        fail("decoded subscription does not encode");
}

/* Subscription: decode, and when that works, check the re-encoding. */
static void subscription(const uint8_t *data, size_t size) {
    kc__asg_member m = {0}, m2 = {0};
    if (kc__consumer_subscription_decode(data, size, &m) != 0) return;
    uint8_t *e1, *e2;
    size_t l1, l2;
    enc_sub(version_of(data), &m, &e1, &l1);
    if (kc__consumer_subscription_decode(e1, l1, &m2) != 0) fail("re-encoded subscription");
    enc_sub(version_of(data), &m2, &e2, &l2);
    same_bytes(e1, l1, e2, l2, "subscription encoding is not canonical");
    free(e1);
    free(e2);
    kc__asg_member_clear(&m);
    kc__asg_member_clear(&m2);
}

/* Assignment: decode, and when that works, check the re-encoding. */
static void assignment(const uint8_t *data, size_t size) {
    kc__asg_tp *t1 = NULL, *t2 = NULL;
    int n1 = 0, n2 = 0;
    if (kc__consumer_assignment_decode(data, size, &t1, &n1) != 0) return;
    int16_t v = size >= 2 ? version_of(data) : 0;
    uint8_t *e1, *e2;
    size_t l1, l2;
    if (kc__consumer_assignment_encode(v, t1, n1, &e1, &l1) != 0) fail("assignment encode");
    if (kc__consumer_assignment_decode(e1, l1, &t2, &n2) != 0) fail("re-encoded assignment");
    if (kc__consumer_assignment_encode(v, t2, n2, &e2, &l2) != 0) fail("second encode");
    same_bytes(e1, l1, e2, l2, "assignment encoding is not canonical");
    free(e1);
    free(e2);
    kc__asg_tps_free(t1, n1);
    kc__asg_tps_free(t2, n2);
}

/* Decodes the chunks into members (ids "m0".., the last two static);
 * returns how many. */
static int members_of(const uint8_t *data, size_t size, kc__asg_member *ms) {
    int n = 0;
    while (n < MAX_MEMBERS && size >= 2) {
        size_t len = (size_t)(data[0] << 8 | data[1]);
        data += 2;
        size -= 2;
        if (len > size) len = size;
        kc__asg_member *m = &ms[n];
        memset(m, 0, sizeof *m);
        if (kc__consumer_subscription_decode(data, len, m) == 0) {
            char id[8];
            snprintf(id, sizeof id, "m%d", n);
            m->member_id = strdup(id);
            m->instance_id = n >= 2 ? strdup(id + 1) : NULL;
            n++;
        }
        data += len;
        size -= len;
    }
    return n;
}

/* The topics the members subscribe to (names borrowed from the members),
 * each with 1-8 partitions; -1 when there are too many to bother. */
static int topics_of(const kc__asg_member *ms, int n, kc__asg_topic *ts) {
    int nt = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < ms[i].ntopics; k++) {
            if (nt == MAX_TOPICS) return -1;
            const char *name = ms[i].topics[k];
            ts[nt++] = (kc__asg_topic){name, 1 + (int32_t)(strlen(name) % 8)};
        }
    return nt;
}

/* Whether m subscribes to topic name. */
static int subscribes(const kc__asg_member *m, const char *name) {
    for (int i = 0; i < m->ntopics; i++)
        if (strcmp(m->topics[i], name) == 0) return 1;
    return 0;
}

/* Index of the first topic called name, or -1. */
static int topic_index(const kc__asg_topic *ts, int nt, const char *name) {
    for (int t = 0; t < nt; t++)
        if (strcmp(ts[t].name, name) == 0) return t;
    return -1;
}

/* Checks an assignor's output: at most one (exactly one when `all`)
 * subscribed member per partition. */
static void check_output(const kc__asg_member *ms, int n, const kc__asg_topic *ts, int nt,
                         int all) {
    static unsigned char seen[MAX_TOPICS][8];
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < ms[i].nassigned; k++) {
            int t = topic_index(ts, nt, ms[i].assigned[k].topic);
            int32_t p = ms[i].assigned[k].partition;
            if (t < 0 || p < 0 || p >= ts[t].partition_cnt) fail("unknown partition assigned");
            if (!subscribes(&ms[i], ts[t].name)) fail("partition given to a non-subscriber");
            if (seen[t][p]++) fail("partition assigned twice");
        }
    for (int t = 0; all && t < nt; t++)
        for (int32_t p = 0; p < ts[t].partition_cnt; p++)
            if (!seen[topic_index(ts, nt, ts[t].name)][p]) fail("partition left unassigned");
}

/* Runs every assignor on the members decoded from the chunks. */
static void group(const uint8_t *data, size_t size) {
    kc__asg_member ms[MAX_MEMBERS];
    kc__asg_topic ts[MAX_TOPICS];
    int n = members_of(data, size, ms), nt = topics_of(ms, n, ts);
    static const char *const names[] = {"range", "roundrobin", "cooperative-sticky"};
    for (int a = 0; a < 3 && nt >= 0; a++) {
        char err[128];
        if (kc__assignor_find(names[a])->assign(ms, n, ts, nt, err, sizeof err) != 0)
            fail("assignor failed");
        check_output(ms, n, ts, nt, a < 2);
    }
    for (int i = 0; i < n; i++) kc__asg_member_clear(&ms[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    subscription(data, size);
    assignment(data, size);
    group(data, size);
    return 0;
}
