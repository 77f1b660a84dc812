/* Consumer groups against a real broker, several members in one process
 * polled in turn:
 *   - committing offsets of a partition the member no longer owns after a
 *     rebalance is refused with KC_ERR__ASSIGNMENT_LOST (and changes
 *     nothing), while its own partitions still commit;
 *   - kc_consumer_close() commits the position (enable.auto.commit) and a
 *     new member of the group resumes exactly there;
 *   - the rebalance callback sees ASSIGN with the whole assignment (eager
 *     range), REVOKE of exactly what was assigned before the next ASSIGN, the
 *     two members' lists disjoint and complete, ASSIGN offsets
 *     KC_OFFSET_STORED, REVOKE at close;
 *   - static membership (group.instance.id): a member that closes and comes
 *     back within session.timeout.ms gets the same partitions, and the
 *     other member sees no rebalance.
 * Topics are created with the Java tool (tests/broker/kafka-local); run from
 * the repository root (tests/run-integration does). */
#include <stdint.h>

#include "itest.h"

/* ------------------------------------------------------------ helpers */

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void java_create_topic(const char *topic, int partitions) {
    const char *k = getenv("KAFKAC_LOCAL") ? getenv("KAFKAC_LOCAL") : "tests/broker/kafka-local";
    ck_assert_msg(access(k, X_OK) == 0, "%s not found: run from the repository root", k);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s tool topics --bootstrap-server '%s' --create --topic '%s' --partitions %d "
             "--replication-factor 1 >/dev/null",
             k, itest_bootstrap(), topic, partitions);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

/* `per` records to each of `partitions` partitions: value "p<P>-<i>". */
static void produce(const char *topic, int partitions, int per) {
    char err[512];
    kc_conf_t *conf = itest_conf();
    kc_producer_t *p = kc_producer_new(conf, err, sizeof err);
    ck_assert_msg(p != NULL, "%s", err);
    kc_conf_destroy(conf);
    for (int part = 0; part < partitions; part++)
        for (int i = 0; i < per; i++) {
            char v[64];
            int n = snprintf(v, sizeof v, "p%d-%d", part, i);
            ck_assert_int_eq(kc_produce(p, topic, part, NULL, 0, v, (size_t)n, NULL, 0, 0, NULL),
                             0);
        }
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    kc_producer_destroy(p);
}

#define MAX_EVENTS 32
#define MAX_PARTS 16

typedef struct {
    const char *name;
    kc_consumer_t *c;
    int nev;
    int ev[MAX_EVENTS];
    kc_tplist_t *evparts[MAX_EVENTS];
    long records;
    int64_t first_offset[MAX_PARTS]; /* first record seen per partition, -1 none */
    int64_t next_offset[MAX_PARTS];  /* last record seen + 1 */
} member_t;

static void on_rebalance(kc_consumer_t *c, int event, const kc_tplist_t *parts, void *opaque) {
    member_t *m = opaque;
    (void)c;
    ck_assert_msg(m->nev < MAX_EVENTS, "%s: too many rebalance events", m->name);
    m->ev[m->nev] = event;
    m->evparts[m->nev] = kc_tplist_copy(parts);
    m->nev++;
}

/* A group member (not subscribed yet). extra: NULL-terminated key, value
 * pairs. */
static void member_new(member_t *m, const char *name, const char *group, const char *const *extra) {
    char err[512];
    memset(m, 0, sizeof *m);
    m->name = name;
    for (int i = 0; i < MAX_PARTS; i++) m->first_offset[i] = -1;
    kc_conf_t *conf = itest_conf();
    const char *kv[] = {"group.id", group, "client.id", name, "auto.offset.reset", "earliest",
                        "session.timeout.ms", "6000", "heartbeat.interval.ms", "500",
                        "partition.assignment.strategy", "range", NULL};
    for (int i = 0; kv[i]; i += 2)
        ck_assert_msg(kc_conf_set(conf, kv[i], kv[i + 1], err, sizeof err) == 0, "%s", err);
    for (int i = 0; extra && extra[i]; i += 2)
        ck_assert_msg(kc_conf_set(conf, extra[i], extra[i + 1], err, sizeof err) == 0, "%s", err);
    kc_conf_set_rebalance_cb(conf, on_rebalance);
    kc_conf_set_opaque(conf, m);
    m->c = kc_consumer_new(conf, err, sizeof err);
    ck_assert_msg(m->c != NULL, "%s", err);
    kc_conf_destroy(conf);
}

static void member_subscribe(member_t *m, const char *topic) {
    char err[512];
    const char *topics[] = {topic};
    ck_assert_msg(kc_consumer_subscribe(m->c, topics, 1, err, sizeof err) == 0, "%s", err);
}

static void member_free(member_t *m) {
    if (m->c) kc_consumer_destroy(m->c);
    m->c = NULL;
    for (int i = 0; i < m->nev; i++) kc_tplist_destroy(m->evparts[i]);
    m->nev = 0;
}

/* One poll of m (up to timeout_ms): records are counted. */
static void member_poll(member_t *m, int timeout_ms) {
    kc_message_t *msg = kc_consumer_poll(m->c, timeout_ms);
    if (!msg) return;
    kc_err_t err = kc_message_error(msg);
    ck_assert_msg(err == 0 || err == KC_ERR__PARTITION_EOF, "%s: event %s: %s", m->name,
                  kc_err_name(err), kc_message_errstr(msg));
    if (!err) {
        int32_t p = kc_message_partition(msg);
        ck_assert(p >= 0 && p < MAX_PARTS);
        if (m->first_offset[p] < 0) m->first_offset[p] = kc_message_offset(msg);
        m->next_offset[p] = kc_message_offset(msg) + 1;
        m->records++;
    }
    kc_message_destroy(msg);
}

static int assigned_count(member_t *m) {
    kc_tplist_t *a = NULL;
    ck_assert_int_eq(kc_consumer_assignment(m->c, &a), 0);
    int n = kc_tplist_count(a);
    kc_tplist_destroy(a);
    return n;
}

/* Sorted partition numbers of the current assignment, as "0,1,". */
static void assigned_str(member_t *m, char *buf, size_t size) {
    kc_tplist_t *a = NULL;
    ck_assert_int_eq(kc_consumer_assignment(m->c, &a), 0);
    int seen[MAX_PARTS] = {0};
    for (int i = 0; i < kc_tplist_count(a); i++) seen[kc_tplist_partition(a, i)] = 1;
    kc_tplist_destroy(a);
    buf[0] = 0;
    for (int p = 0; p < MAX_PARTS; p++)
        if (seen[p]) snprintf(buf + strlen(buf), size - strlen(buf), "%d,", p);
}

static void list_str(const kc_tplist_t *l, char *buf, size_t size) {
    int seen[MAX_PARTS] = {0};
    for (int i = 0; i < kc_tplist_count(l); i++) seen[kc_tplist_partition(l, i)] = 1;
    buf[0] = 0;
    for (int p = 0; p < MAX_PARTS; p++)
        if (seen[p]) snprintf(buf + strlen(buf), size - strlen(buf), "%d,", p);
}

/* Polls the members in turn until each has want[i] partitions assigned
 * (want[i] < 0: any), or fails after timeout_ms. */
static void pump_until(member_t **ms, const int *want, int n, int timeout_ms, const char *what) {
    int64_t end = now_ms() + timeout_ms;
    for (;;) {
        int ok = 1;
        for (int i = 0; i < n; i++) {
            member_poll(ms[i], 50);
            if (want[i] >= 0 && assigned_count(ms[i]) != want[i]) ok = 0;
        }
        if (ok) return;
        ck_assert_msg(now_ms() < end, "timed out after %d ms waiting for: %s", timeout_ms, what);
    }
}

static void pump_for(member_t **ms, int n, int duration_ms) {
    int64_t end = now_ms() + duration_ms;
    while (now_ms() < end)
        for (int i = 0; i < n; i++) member_poll(ms[i], 50);
}

static int64_t committed(member_t *m, const char *topic, int32_t p) {
    kc_tplist_t *l = kc_tplist_new(1);
    kc_tplist_add(l, topic, p);
    ck_assert_int_eq(kc_consumer_committed(m->c, l, 10000), 0);
    int64_t off = kc_tplist_offset(l, 0);
    kc_tplist_destroy(l);
    return off;
}

static const char *const NO_AUTOCOMMIT[] = {"enable.auto.commit", "false", NULL};

/* ------------------------------------------------------------ tests */

/* A owns 4 partitions and commits them; B joins; A commits a partition now
 * B's: _ASSIGNMENT_LOST, nothing committed; A's own partition commits. */
START_TEST(test_commit_after_rebalance_assignment_lost) {
    char topic[128], group[160];
    itest_topic_name(topic, sizeof topic, "kafkac-cgc-lost");
    snprintf(group, sizeof group, "%s-g", topic);
    java_create_topic(topic, 4);
    produce(topic, 4, 10);
    member_t a, b;
    member_new(&a, "A", group, NO_AUTOCOMMIT);
    member_subscribe(&a, topic);
    member_t *only_a[] = {&a};
    pump_until(only_a, (int[]){4}, 1, 30000, "A owning 4 partitions");
    int64_t end = now_ms() + 20000;
    while (a.records < 40) {
        member_poll(&a, 100);
        ck_assert_msg(now_ms() < end, "A read %ld of 40 records", a.records);
    }
    /* Everything read: commit the ends (10 each). */
    kc_tplist_t *all = kc_tplist_new(4);
    for (int p = 0; p < 4; p++) kc_tplist_set_offset(all, kc_tplist_add(all, topic, p), 10);
    ck_assert_int_eq(kc_consumer_commit(a.c, all, 0), 0);
    kc_tplist_destroy(all);

    member_new(&b, "B", group, NO_AUTOCOMMIT);
    member_subscribe(&b, topic);
    member_t *both[] = {&a, &b};
    pump_until(both, (int[]){2, 2}, 2, 40000, "A and B owning 2 partitions each");
    kc_tplist_t *bs = NULL;
    ck_assert_int_eq(kc_consumer_assignment(b.c, &bs), 0);
    int32_t theirs = kc_tplist_partition(bs, 0);
    kc_tplist_destroy(bs);
    kc_tplist_t *as = NULL;
    ck_assert_int_eq(kc_consumer_assignment(a.c, &as), 0);
    int32_t mine = kc_tplist_partition(as, 0);
    kc_tplist_destroy(as);

    /* B's partition, synchronously and asynchronously: refused. */
    kc_tplist_t *l = kc_tplist_new(1);
    kc_tplist_set_offset(l, kc_tplist_add(l, topic, theirs), 7);
    kc_err_t err = kc_consumer_commit(a.c, l, 0);
    ck_assert_msg(err == KC_ERR__ASSIGNMENT_LOST,
                  "commit of partition %d (now B's) returned %s, expected _ASSIGNMENT_LOST",
                  (int)theirs, kc_err_name(err));
    err = kc_consumer_commit(a.c, l, 1);
    ck_assert_msg(err == KC_ERR__ASSIGNMENT_LOST, "async commit returned %s", kc_err_name(err));
    /* Mixed with one of A's own: the whole commit is refused. */
    kc_tplist_set_offset(l, kc_tplist_add(l, topic, mine), 9);
    err = kc_consumer_commit(a.c, l, 0);
    ck_assert_msg(err == KC_ERR__ASSIGNMENT_LOST, "mixed commit returned %s", kc_err_name(err));
    kc_tplist_destroy(l);
    ck_assert_int_eq(committed(&b, topic, theirs), 10);
    ck_assert_int_eq(committed(&b, topic, mine), 10);
    /* A's own partition still commits. */
    l = kc_tplist_new(1);
    kc_tplist_set_offset(l, kc_tplist_add(l, topic, mine), 8);
    err = kc_consumer_commit(a.c, l, 0);
    ck_assert_msg(err == 0, "commit of A's partition %d: %s", (int)mine, kc_err_name(err));
    kc_tplist_destroy(l);
    ck_assert_int_eq(committed(&b, topic, mine), 8);
    member_free(&a);
    member_free(&b);
}
END_TEST

/* Auto-commit: close commits the position; the next member starts there. */
START_TEST(test_close_commits_and_next_member_resumes) {
    char topic[128], group[160];
    itest_topic_name(topic, sizeof topic, "kafkac-cgc-close");
    snprintf(group, sizeof group, "%s-g", topic);
    java_create_topic(topic, 1);
    produce(topic, 1, 100);
    /* Only close commits: the interval is longer than the test. */
    const char *const late[] = {"enable.auto.commit", "true", "auto.commit.interval.ms", "600000",
                                NULL};
    member_t c1, c2;
    member_new(&c1, "C1", group, late);
    member_subscribe(&c1, topic);
    int64_t end = now_ms() + 30000;
    while (c1.records < 37) {
        member_poll(&c1, 100);
        ck_assert_msg(now_ms() < end, "C1 read %ld of 37 records", c1.records);
    }
    ck_assert_int_eq(c1.first_offset[0], 0);
    ck_assert_int_eq(c1.next_offset[0], 37);
    ck_assert_int_eq(kc_consumer_close(c1.c), 0);
    /* The close revoked the assignment through the callback. */
    ck_assert_int_ge(c1.nev, 2);
    ck_assert_int_eq(c1.ev[c1.nev - 1], KC_REBALANCE_REVOKE);
    member_free(&c1);

    member_new(&c2, "C2", group, late);
    ck_assert_int_eq(committed(&c2, topic, 0), 37);
    member_subscribe(&c2, topic);
    end = now_ms() + 30000;
    while (c2.records < 63) {
        member_poll(&c2, 100);
        ck_assert_msg(now_ms() < end, "C2 read %ld of 63 records", c2.records);
    }
    ck_assert_int_eq(c2.first_offset[0], 37);
    ck_assert_int_eq(c2.next_offset[0], 100);
    ck_assert_int_eq(c2.records, 63);
    member_free(&c2);
}
END_TEST

/* Eager range, 3 partitions: A alone, then B, then A closes, then B. */
START_TEST(test_rebalance_callback_lists) {
    char topic[128], group[160], s[64], s2[64];
    itest_topic_name(topic, sizeof topic, "kafkac-cgc-cb");
    snprintf(group, sizeof group, "%s-g", topic);
    java_create_topic(topic, 3);
    member_t a, b;
    member_new(&a, "A", group, NULL);
    member_subscribe(&a, topic);
    member_t *only_a[] = {&a};
    pump_until(only_a, (int[]){3}, 1, 30000, "A owning 3 partitions");
    ck_assert_int_eq(a.nev, 1);
    ck_assert_int_eq(a.ev[0], KC_REBALANCE_ASSIGN);
    list_str(a.evparts[0], s, sizeof s);
    ck_assert_str_eq(s, "0,1,2,");
    for (int i = 0; i < kc_tplist_count(a.evparts[0]); i++) {
        ck_assert_str_eq(kc_tplist_topic(a.evparts[0], i), topic);
        ck_assert_int_eq(kc_tplist_offset(a.evparts[0], i), KC_OFFSET_STORED);
    }

    member_new(&b, "B", group, NULL);
    member_subscribe(&b, topic);
    member_t *both[] = {&a, &b};
    /* Range with 3 partitions and 2 members: 2 and 1. */
    int64_t end = now_ms() + 40000;
    for (;;) {
        pump_for(both, 2, 100);
        int na = assigned_count(&a), nb = assigned_count(&b);
        if (na + nb == 3 && na > 0 && nb > 0) break;
        ck_assert_msg(now_ms() < end, "A and B never split the 3 partitions (A %d, B %d)", na, nb);
    }
    /* A: ASSIGN 0-2, REVOKE 0-2, ASSIGN (its share), and nothing else. */
    ck_assert_int_eq(a.nev, 3);
    ck_assert_int_eq(a.ev[1], KC_REBALANCE_REVOKE);
    list_str(a.evparts[1], s, sizeof s);
    ck_assert_str_eq(s, "0,1,2,");
    ck_assert_int_eq(a.ev[2], KC_REBALANCE_ASSIGN);
    /* B: one ASSIGN of its share; the shares are disjoint and complete. */
    ck_assert_int_eq(b.nev, 1);
    ck_assert_int_eq(b.ev[0], KC_REBALANCE_ASSIGN);
    int cover[3] = {0};
    for (int k = 0; k < 2; k++) {
        kc_tplist_t *l = k ? b.evparts[0] : a.evparts[2];
        for (int i = 0; i < kc_tplist_count(l); i++) {
            ck_assert_str_eq(kc_tplist_topic(l, i), topic);
            ck_assert_int_eq(kc_tplist_offset(l, i), KC_OFFSET_STORED);
            cover[kc_tplist_partition(l, i)]++;
        }
    }
    ck_assert_msg(cover[0] == 1 && cover[1] == 1 && cover[2] == 1,
                  "A and B shares overlap or miss: %d %d %d", cover[0], cover[1], cover[2]);
    /* The callback lists are what the consumers hold. */
    list_str(a.evparts[2], s, sizeof s);
    assigned_str(&a, s2, sizeof s2);
    ck_assert_str_eq(s, s2);
    list_str(b.evparts[0], s, sizeof s);
    assigned_str(&b, s2, sizeof s2);
    ck_assert_str_eq(s, s2);

    /* A closes: REVOKE of its share, inside kc_consumer_close(). */
    char a_share[64];
    list_str(a.evparts[2], a_share, sizeof a_share);
    ck_assert_int_eq(kc_consumer_close(a.c), 0);
    ck_assert_int_eq(a.nev, 4);
    ck_assert_int_eq(a.ev[3], KC_REBALANCE_REVOKE);
    list_str(a.evparts[3], s, sizeof s);
    ck_assert_str_eq(s, a_share);
    member_free(&a);
    /* B: REVOKE of its share, ASSIGN of all 3. */
    member_t *only_b[] = {&b};
    pump_until(only_b, (int[]){3}, 1, 30000, "B owning 3 partitions after A left");
    ck_assert_int_eq(b.nev, 3);
    ck_assert_int_eq(b.ev[1], KC_REBALANCE_REVOKE);
    list_str(b.evparts[1], s, sizeof s);
    list_str(b.evparts[0], s2, sizeof s2);
    ck_assert_str_eq(s, s2);
    ck_assert_int_eq(b.ev[2], KC_REBALANCE_ASSIGN);
    list_str(b.evparts[2], s, sizeof s);
    ck_assert_str_eq(s, "0,1,2,");
    ck_assert_int_eq(kc_consumer_close(b.c), 0);
    ck_assert_int_eq(b.nev, 4);
    ck_assert_int_eq(b.ev[3], KC_REBALANCE_REVOKE);
    list_str(b.evparts[3], s, sizeof s);
    ck_assert_str_eq(s, "0,1,2,");
    member_free(&b);
}
END_TEST

/* Static members A and B; A closes and comes back within the session
 * timeout: same partitions, B sees no rebalance. */
START_TEST(test_static_member_returns_without_rebalance) {
    char topic[128], group[160], ida[200], idb[200], pa[64], pb[64], s[64];
    itest_topic_name(topic, sizeof topic, "kafkac-cgc-static");
    snprintf(group, sizeof group, "%s-g", topic);
    snprintf(ida, sizeof ida, "%s-a", topic);
    snprintf(idb, sizeof idb, "%s-b", topic);
    java_create_topic(topic, 4);
    const char *const sa[] = {"group.instance.id", ida, "session.timeout.ms", "10000", NULL};
    const char *const sb[] = {"group.instance.id", idb, "session.timeout.ms", "10000", NULL};
    member_t a, b, a2;
    member_new(&a, "A", group, sa);
    member_new(&b, "B", group, sb);
    member_subscribe(&a, topic);
    member_t *only_a[] = {&a};
    pump_until(only_a, (int[]){4}, 1, 30000, "A owning 4 partitions");
    member_subscribe(&b, topic);
    member_t *both[] = {&a, &b};
    pump_until(both, (int[]){2, 2}, 2, 40000, "A and B owning 2 partitions each");
    pump_for(both, 2, 1500); /* settled */
    assigned_str(&a, pa, sizeof pa);
    assigned_str(&b, pb, sizeof pb);
    int b_events = b.nev;

    /* A leaves without LeaveGroup (static) and returns within 10 s. */
    ck_assert_int_eq(kc_consumer_close(a.c), 0);
    member_free(&a);
    member_t *only_b[] = {&b};
    pump_for(only_b, 1, 1000);
    member_new(&a2, "A2", group, sa);
    member_subscribe(&a2, topic);
    member_t *back[] = {&a2, &b};
    pump_until(back, (int[]){2, 2}, 2, 20000, "A back with 2 partitions");
    assigned_str(&a2, s, sizeof s);
    ck_assert_msg(!strcmp(s, pa), "A came back with partitions %s, had %s", s, pa);
    ck_assert_int_eq(a2.nev, 1);
    ck_assert_int_eq(a2.ev[0], KC_REBALANCE_ASSIGN);
    /* Several heartbeats later B has seen no rebalance at all. */
    pump_for(back, 2, 3000);
    ck_assert_msg(b.nev == b_events, "B saw %d rebalance event(s) (first: %s) while A came back",
                  b.nev - b_events,
                  b.nev > b_events ? (b.ev[b_events] == KC_REBALANCE_ASSIGN ? "ASSIGN" : "REVOKE/LOST")
                                   : "-");
    assigned_str(&b, s, sizeof s);
    ck_assert_str_eq(s, pb);
    member_free(&a2);
    member_free(&b);
}
END_TEST

ITEST_MAIN("consumer_group", test_commit_after_rebalance_assignment_lost,
           test_close_commits_and_next_member_resumes, test_rebalance_callback_lists,
           test_static_member_returns_without_rebalance)
