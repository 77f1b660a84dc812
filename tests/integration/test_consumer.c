/* The consumer against a real broker, without group membership: manual
 * assignment, byte-exact read-back of what kafkac produced (keys, null and
 * empty keys and values, binary data with NUL bytes, headers with null
 * values and duplicate names, timestamps) with and without compression,
 * seek / position / pause / resume, partition EOF events, watermarks and
 * offsets for times, committed offsets of a simple group (commit,
 * committed, KC_OFFSET_STORED, auto.offset.reset), poll_batch and
 * max.poll.records, bad input, and messages outliving their consumer.
 *
 * Records follow one convention so that every record read can be checked
 * against what was produced: record i of partition p of a test is built by
 * gen_rec(salt, p, i, ...) both when producing and when checking. The Java
 * tools (topic creation, log dumps) are run through tests/broker/kafka-local;
 * run the binary from the repository root (tests/run-integration does). */
#include <stdarg.h>
#include <stdint.h>

#include "itest.h"

#define WAIT_MS 30000

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Explicit timestamps start an hour ago (fixed once per process: each test
 * runs in its own). Not older: the broker's time retention (7 days) would
 * delete the segments under the test's feet. Not in the future: brokers
 * refuse timestamps more than an hour ahead. */
static int64_t base_ts(void) {
    static int64_t base;
    if (!base) base = (wall_ms() / 1000 - 3600) * 1000;
    return base;
}
#define BASE_TS base_ts()

/* ------------------------------------------------------------ records */

enum { KIND_MIXED, KIND_CODEC, KIND_PLAIN };

#define MAXH 5
typedef struct {
    int has_key;
    unsigned char key[80];
    size_t klen;
    int has_val;
    unsigned char val[2048];
    size_t vlen;
    int nh;
    struct {
        char name[32];
        int has_v;
        unsigned char v[48];
        size_t vlen;
    } h[MAXH];
    int64_t ts; /* 0: "now" (the producer's clock) */
} rec_t;

static uint32_t mix(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static void add_hdr(rec_t *r, const char *name, const void *v, size_t vlen) {
    ck_assert_int_lt(r->nh, MAXH);
    snprintf(r->h[r->nh].name, sizeof r->h[r->nh].name, "%s", name);
    r->h[r->nh].has_v = v != NULL;
    if (v) memcpy(r->h[r->nh].v, v, vlen);
    r->h[r->nh].vlen = v ? vlen : 0;
    r->nh++;
}

/* Record i of partition p: everything follows from (salt, p, i). */
static void gen_rec(int salt, int p, int i, int kind, rec_t *r) {
    memset(r, 0, sizeof *r);
    uint32_t s = mix((uint32_t)salt * 2654435761U ^ (uint32_t)p * 40503U ^ (uint32_t)i);
    if (kind == KIND_PLAIN) {
        r->has_key = 1;
        r->klen = (size_t)snprintf((char *)r->key, sizeof r->key, "key-%d-%d", p, i);
        r->has_val = 1;
        r->vlen = (size_t)snprintf((char *)r->val, sizeof r->val, "value-%d-%d-%u", p, i, s);
        r->ts = BASE_TS + (int64_t)p * 1000000 + (int64_t)i * 10;
        return;
    }
    if (kind == KIND_CODEC) {
        /* Compressible: repeated text around a few binary bytes. */
        r->has_key = i % 9 != 0;
        if (r->has_key)
            r->klen = (size_t)snprintf((char *)r->key, sizeof r->key, "codec-key-%d", i % 100);
        r->has_val = 1;
        int reps = 1 + (int)(s % 6);
        size_t n = 0;
        for (int k = 0; k < reps; k++)
            n += (size_t)snprintf((char *)r->val + n, sizeof r->val - n,
                                  "the quick brown fox %d jumps over the lazy dog; ", i);
        r->val[n++] = 0;
        r->val[n++] = (unsigned char)(s & 0xff);
        r->val[n++] = 0xff;
        r->vlen = n;
        if (i % 4 == 0) add_hdr(r, "seq", &i, sizeof i);
        if (i % 8 == 1) add_hdr(r, "null", NULL, 0);
        r->ts = BASE_TS + (int64_t)i;
        return;
    }
    /* KIND_MIXED */
    switch (i % 7) {
    case 0: r->has_key = 0; break;                 /* null key */
    case 1: r->has_key = 1, r->klen = 0; break;    /* empty key */
    case 2:                                        /* binary key with NULs */
        r->has_key = 1;
        r->klen = 1 + s % 60;
        for (size_t k = 0; k < r->klen; k++) r->key[k] = (unsigned char)mix(s + (uint32_t)k);
        r->key[0] = 0;
        r->key[r->klen - 1] = 0;
        break;
    default:
        r->has_key = 1;
        r->klen = (size_t)snprintf((char *)r->key, sizeof r->key, "key-%d-%d", p, i % 23);
        break;
    }
    switch (i % 5) {
    case 0: r->has_val = 0; break;                 /* null value (tombstone) */
    case 1: r->has_val = 1, r->vlen = 0; break;    /* empty value */
    case 2:                                        /* binary, NULs and 0xff, up to 2 KB */
        r->has_val = 1;
        r->vlen = 1 + (s >> 8) % sizeof r->val;
        for (size_t k = 0; k < r->vlen; k++)
            r->val[k] = k % 3 == 0 ? 0 : (unsigned char)mix(s ^ (uint32_t)k);
        r->val[r->vlen - 1] = 0xff;
        break;
    default:
        r->has_val = 1;
        r->vlen = (size_t)snprintf((char *)r->val, sizeof r->val, "value %d/%d: \xc3\xa9t\xc3\xa9 %u",
                                   p, i, s);
        break;
    }
    switch (i % 4) {
    case 0: break; /* no headers */
    case 1: add_hdr(r, "h", "v", 1); break;
    case 2: /* duplicate names, a null value, an empty value, binary */
        add_hdr(r, "dup", "1", 1);
        add_hdr(r, "nullv", NULL, 0);
        add_hdr(r, "dup", "2", 1);
        add_hdr(r, "empty", "", 0);
        add_hdr(r, "bin", "\0\xff\0x", 4);
        break;
    case 3: add_hdr(r, "utf8-\xc3\xa9", "w\xc3\xb6rld", 6); break;
    }
    /* Explicit timestamps, not monotonic; every 13th "now". */
    r->ts = i % 13 == 5 ? 0 : BASE_TS + (int64_t)p * 1000000 + (int64_t)((s % 100000) * 7);
}

static kc_headers_t *rec_headers(const rec_t *r) {
    if (!r->nh) return NULL;
    kc_headers_t *h = kc_headers_new();
    ck_assert_ptr_nonnull(h);
    for (int k = 0; k < r->nh; k++)
        ck_assert_int_eq(kc_headers_add(h, r->h[k].name, r->h[k].has_v ? r->h[k].v : NULL,
                                        r->h[k].vlen),
                         0);
    return h;
}

static void hexs(char *out, size_t size, const void *p, size_t len) {
    size_t o = 0;
    out[0] = 0;
    for (size_t k = 0; k < len && o + 3 < size; k++)
        o += (size_t)snprintf(out + o, size - o, "%02x", ((const unsigned char *)p)[k]);
}

/* m must be record r at offset `off` of (topic, p). ts_lo/ts_hi bound a
 * "now" timestamp. */
static void check_rec(const kc_message_t *m, const char *topic, int p, int64_t off,
                      const rec_t *r, int64_t ts_lo, int64_t ts_hi) {
    char a[200], b[200];
    ck_assert_msg(kc_message_error(m) == 0, "%s [%d] @%lld: %s: %s", topic, p, (long long)off,
                  kc_err_name(kc_message_error(m)), kc_message_errstr(m));
    ck_assert_str_eq(kc_message_topic(m), topic);
    ck_assert_int_eq(kc_message_partition(m), p);
    ck_assert_msg(kc_message_offset(m) == off, "%s [%d]: offset %lld, expected %lld (gap or "
                  "duplicate)", topic, p, (long long)kc_message_offset(m), (long long)off);
    size_t len = 12345;
    const void *k = kc_message_key(m, &len);
    if (!r->has_key) {
        ck_assert_msg(k == NULL && len == 0, "[%d] @%lld: null key read as %zu bytes", p,
                      (long long)off, len);
    } else {
        hexs(a, sizeof a, r->key, r->klen);
        hexs(b, sizeof b, k, k ? len : 0);
        ck_assert_msg(k != NULL, "[%d] @%lld: key %s read as null", p, (long long)off, a);
        ck_assert_msg(len == r->klen && memcmp(k, r->key, len) == 0,
                      "[%d] @%lld: key %s (%zu bytes) read as %s (%zu bytes)", p, (long long)off,
                      a, r->klen, b, len);
    }
    len = 12345;
    const void *v = kc_message_value(m, &len);
    if (!r->has_val) {
        ck_assert_msg(v == NULL && len == 0, "[%d] @%lld: null value read as %zu bytes", p,
                      (long long)off, len);
    } else {
        ck_assert_msg(v != NULL, "[%d] @%lld: value of %zu bytes read as null", p,
                      (long long)off, r->vlen);
        ck_assert_msg(len == r->vlen, "[%d] @%lld: value of %zu bytes read as %zu bytes", p,
                      (long long)off, r->vlen, len);
        if (memcmp(v, r->val, len) != 0) {
            size_t d = 0;
            while (((const unsigned char *)v)[d] == r->val[d]) d++;
            ck_abort_msg("[%d] @%lld: value differs at byte %zu of %zu", p, (long long)off, d,
                         len);
        }
    }
    ck_assert_msg(kc_message_header_count(m) == (size_t)r->nh, "[%d] @%lld: %zu headers, sent %d",
                  p, (long long)off, kc_message_header_count(m), r->nh);
    for (int h = 0; h < r->nh; h++) {
        const char *name = NULL;
        const void *hv = (const void *)1;
        size_t nlen = 999, hl = 999;
        ck_assert_int_eq(kc_message_header(m, (size_t)h, &name, &nlen, &hv, &hl), 0);
        ck_assert_msg(nlen == strlen(r->h[h].name) && memcmp(name, r->h[h].name, nlen) == 0,
                      "[%d] @%lld: header %d name \"%.*s\", sent \"%s\"", p, (long long)off, h,
                      (int)nlen, name, r->h[h].name);
        if (!r->h[h].has_v) {
            ck_assert_msg(hv == NULL && hl == 0, "[%d] @%lld: header %s: null value read as %zu "
                          "bytes", p, (long long)off, r->h[h].name, hl);
        } else {
            ck_assert_msg(hv != NULL, "[%d] @%lld: header %s: value read as null", p,
                          (long long)off, r->h[h].name);
            ck_assert_msg(hl == r->h[h].vlen && memcmp(hv, r->h[h].v, hl) == 0,
                          "[%d] @%lld: header %s value differs (%zu bytes, sent %zu)", p,
                          (long long)off, r->h[h].name, hl, r->h[h].vlen);
        }
    }
    ck_assert_int_eq(kc_message_header(m, (size_t)r->nh, NULL, NULL, NULL, NULL), KC_ERR__NOENT);
    int tstype = -1;
    int64_t ts = kc_message_timestamp(m, &tstype);
    ck_assert_int_eq(tstype, KC_TIMESTAMP_CREATE_TIME);
    if (r->ts)
        ck_assert_msg(ts == r->ts, "[%d] @%lld: timestamp %lld, sent %lld", p, (long long)off,
                      (long long)ts, (long long)r->ts);
    else
        ck_assert_msg(ts >= ts_lo && ts <= ts_hi, "[%d] @%lld: timestamp %lld not in [%lld, %lld]",
                      p, (long long)off, (long long)ts, (long long)ts_lo, (long long)ts_hi);
    ck_assert_int_ge(kc_message_leader_epoch(m), 0);
}

/* ------------------------------------------------------------ producing */

typedef struct {
    int reports, failed;
    char errstr[512];
    int64_t *off; /* per opaque index (optional) */
    int cap;
} prodlog;

static void on_dr(kc_producer_t *p, const kc_delivery_t *dr, void *opaque) {
    (void)p;
    prodlog *L = opaque;
    L->reports++;
    if (kc_delivery_error(dr)) {
        if (!L->failed++)
            snprintf(L->errstr, sizeof L->errstr, "%s: %s", kc_err_name(kc_delivery_error(dr)),
                     kc_delivery_errstr(dr));
        return;
    }
    intptr_t i = (intptr_t)kc_delivery_opaque(dr) - 1;
    if (L->off && i >= 0 && i < L->cap) L->off[i] = kc_delivery_offset(dr);
}

static kc_producer_t *new_producer(prodlog *L, ...) {
    kc_conf_t *conf = itest_conf();
    char err[512];
    va_list ap;
    va_start(ap, L);
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

/* Produces records [from, to) of partition p (gen_rec(salt, p, i, kind))
 * and waits for all of them; each must land at offset i. */
static void produce_recs(kc_producer_t *prod, prodlog *L, const char *topic, int salt, int p,
                         int from, int to, int kind) {
    int before = L->reports, failed = L->failed;
    int64_t *off = calloc((size_t)to, sizeof *off);
    ck_assert_ptr_nonnull(off);
    L->off = off;
    L->cap = to;
    rec_t r;
    for (int i = from; i < to; i++) {
        gen_rec(salt, p, i, kind, &r);
        off[i] = -7;
        kc_err_t e;
        kc_headers_t *h = rec_headers(&r);
        while ((e = kc_produce(prod, topic, p, r.has_key ? r.key : NULL, r.klen,
                               r.has_val ? r.val : NULL, r.vlen, h, r.ts, 0,
                               (void *)(intptr_t)(i + 1))) == KC_ERR__QUEUE_FULL)
            kc_producer_poll(prod, 10);
        if (e) kc_headers_destroy(h);
        ck_assert_msg(e == 0, "kc_produce %s [%d] #%d: %s", topic, p, i, kc_err_name(e));
    }
    ck_assert_int_eq(kc_producer_flush(prod, WAIT_MS), 0);
    ck_assert_msg(L->failed == failed, "delivery failed: %s", L->errstr);
    ck_assert_int_eq(L->reports - before, to - from);
    for (int i = from; i < to; i++)
        ck_assert_msg(off[i] == i, "%s [%d] record %d delivered at offset %lld", topic, p, i,
                      (long long)off[i]);
    L->off = NULL;
    free(off);
}

/* One-shot: a producer for `cnt` KIND_PLAIN records of partition p. */
static void produce_plain(const char *topic, int salt, int p, int from, int to) {
    prodlog L = {0};
    kc_producer_t *prod = new_producer(&L, "linger.ms", "5", NULL);
    produce_recs(prod, &L, topic, salt, p, from, to, KIND_PLAIN);
    kc_producer_destroy(prod);
}

/* ------------------------------------------------------------ Java tools */

static const char *kafka_local(void) {
    const char *k = getenv("KAFKAC_LOCAL");
    if (!k) k = "tests/broker/kafka-local";
    ck_assert_msg(access(k, X_OK) == 0, "%s not found: run from the repository root", k);
    return k;
}

static void java_create_topic(const char *topic, int partitions, const char *extra) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s tool topics --bootstrap-server '%s' --create --topic '%s' --partitions %d "
             "--replication-factor 1 %s >/dev/null",
             kafka_local(), itest_bootstrap(), topic, partitions, extra ? extra : "");
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

/* Output of a shell command (caller frees). */
static char *run_capture(const char *cmd) {
    FILE *f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    size_t cap = 1 << 20, len = 0, n;
    char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    while ((n = fread(out + len, 1, cap - 1 - len, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            cap *= 2;
            out = realloc(out, cap);
            ck_assert_ptr_nonnull(out);
        }
    }
    out[len] = 0;
    ck_assert_msg(pclose(f) == 0, "failed: %s", cmd);
    return out;
}

/* The batch lines of the Java log dumper for every segment of topic. */
static char *java_dump_batches(const char *topic) {
    char cmd[2048];
    const char *kl = kafka_local();
    snprintf(cmd, sizeof cmd,
             "set -e; dirs=$(%s tool log-dirs --bootstrap-server '%s' --describe --topic-list '%s' "
             "| grep -o '\"logDir\":\"[^\"]*\"' | sed 's/\"logDir\":\"//; s/\"$//' | sort -u); "
             "files=''; for d in $dirs; do for f in \"$d/%s\"-[0-9]*/*.log; do "
             "[ -e \"$f\" ] && files=\"$files${files:+,}$f\"; done; done; "
             "[ -n \"$files\" ]; %s tool dump-log --files \"$files\" | grep '^baseOffset:' || true",
             kl, itest_bootstrap(), topic, topic, kl);
    return run_capture(cmd);
}

static int count_substr(const char *s, const char *sub) {
    int n = 0;
    for (const char *q = strstr(s, sub); q; q = strstr(q + 1, sub)) n++;
    return n;
}

/* ------------------------------------------------------------ consuming */

static kc_consumer_t *new_consumer_conf(kc_conf_t *conf) {
    char err[512];
    kc_consumer_t *c = kc_consumer_new(conf, err, sizeof err);
    ck_assert_msg(c != NULL, "kc_consumer_new: %s", err);
    kc_conf_destroy(conf);
    return c;
}

/* A consumer of the local broker with key=value pairs (NULL-terminated). */
static kc_consumer_t *new_consumer(const char *first, ...) {
    kc_conf_t *conf = itest_conf();
    char err[512];
    va_list ap;
    va_start(ap, first);
    for (const char *k = first; k; k = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        ck_assert_msg(kc_conf_set(conf, k, v, err, sizeof err) == 0, "%s=%s: %s", k, v, err);
    }
    va_end(ap);
    return new_consumer_conf(conf);
}

/* Assigns partitions 0..n-1 of topic, each starting at `offset`. */
static void assign_n(kc_consumer_t *c, const char *topic, int n, int64_t offset) {
    kc_tplist_t *l = kc_tplist_new(n);
    for (int p = 0; p < n; p++) kc_tplist_set_offset(l, kc_tplist_add(l, topic, p), offset);
    ck_assert_int_eq(kc_consumer_assign(c, l), 0);
    kc_tplist_destroy(l);
}

typedef struct {
    kc_message_t **m;
    int n, cap;
} msgvec;

static void mv_push(msgvec *v, kc_message_t *m) {
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->m = realloc(v->m, sizeof(*v->m) * (size_t)v->cap);
        ck_assert_ptr_nonnull(v->m);
    }
    v->m[v->n++] = m;
}

static void mv_free(msgvec *v) {
    for (int i = 0; i < v->n; i++) kc_message_destroy(v->m[i]);
    free(v->m);
    memset(v, 0, sizeof *v);
}

/* Polls records into v until it holds `want` (or timeout_ms passed). Any
 * event fails the test (EOF events are dropped when eof_ok). Returns the
 * count. */
static int collect(kc_consumer_t *c, msgvec *v, int want, int timeout_ms, int eof_ok) {
    int64_t end = now_ms() + timeout_ms;
    while (v->n < want && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 200);
        if (!m) continue;
        kc_err_t e = kc_message_error(m);
        if (e == KC_ERR__PARTITION_EOF && eof_ok) {
            kc_message_destroy(m);
            continue;
        }
        ck_assert_msg(e == 0, "unexpected event %s on %s [%d] @%lld: %s", kc_err_name(e),
                      kc_message_topic(m) ? kc_message_topic(m) : "(none)",
                      kc_message_partition(m), (long long)kc_message_offset(m),
                      kc_message_errstr(m));
        mv_push(v, m);
    }
    return v->n;
}

/* Polls for ms and fails on any record or non-EOF event. */
static void expect_nothing(kc_consumer_t *c, int ms, const char *why) {
    int64_t end = now_ms() + ms;
    while (now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 100);
        if (!m) continue;
        ck_abort_msg("%s: got %s on %s [%d] @%lld (%s)", why,
                     kc_message_error(m) ? kc_err_name(kc_message_error(m)) : "a record",
                     kc_message_topic(m) ? kc_message_topic(m) : "(none)",
                     kc_message_partition(m), (long long)kc_message_offset(m),
                     kc_message_errstr(m));
    }
}

/* The records of v from partition p must be records first.. of the
 * convention, at offsets first.., in order, no gap, no duplicate. Returns
 * how many there were. */
static int check_partition(const msgvec *v, const char *topic, int salt, int p, int kind,
                           int first, int64_t ts_lo, int64_t ts_hi) {
    int i = first;
    rec_t r;
    for (int k = 0; k < v->n; k++) {
        if (kc_message_partition(v->m[k]) != p) continue;
        gen_rec(salt, p, i, kind, &r);
        check_rec(v->m[k], topic, p, i, &r, ts_lo, ts_hi);
        i++;
    }
    return i - first;
}

static int64_t position_of(kc_consumer_t *c, const char *topic, int p) {
    kc_tplist_t *l = kc_tplist_new(1);
    kc_tplist_add(l, topic, p);
    ck_assert_int_eq(kc_consumer_position(c, l), 0);
    ck_assert_int_eq(kc_tplist_error(l, 0), 0);
    int64_t o = kc_tplist_offset(l, 0);
    kc_tplist_destroy(l);
    return o;
}

/* The next record (skipping EOF events), or fail after timeout_ms. */
static kc_message_t *next_record(kc_consumer_t *c, int timeout_ms) {
    msgvec v = {0};
    collect(c, &v, 1, timeout_ms, 1);
    ck_assert_msg(v.n == 1, "no record within %d ms", timeout_ms);
    kc_message_t *m = v.m[0];
    free(v.m);
    return m;
}

/* ------------------------------------------------------------ tests */

START_TEST(roundtrip_byte_exact) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-rt");
    java_create_topic(topic, 2, NULL);
    enum { N0 = 700, N1 = 333, SALT = 1 };
    prodlog L = {0};
    int64_t t0 = wall_ms();
    /* Small batches: many per partition, some records alone in theirs. */
    kc_producer_t *prod = new_producer(&L, "batch.size", "4096", "linger.ms", "2", NULL);
    produce_recs(prod, &L, topic, SALT, 0, 0, N0, KIND_MIXED);
    produce_recs(prod, &L, topic, SALT, 1, 0, N1, KIND_MIXED);
    kc_producer_destroy(prod);
    int64_t t1 = wall_ms();

    kc_consumer_t *c = new_consumer("client.id", "kafkac-cons-rt", NULL);
    assign_n(c, topic, 2, KC_OFFSET_BEGINNING);
    msgvec v = {0};
    collect(c, &v, N0 + N1, WAIT_MS, 0);
    ck_assert_msg(v.n == N0 + N1, "read %d of %d records", v.n, N0 + N1);
    expect_nothing(c, 1000, "past the end");
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_MIXED, 0, t0 - 1000, t1 + 1000), N0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 1, KIND_MIXED, 0, t0 - 1000, t1 + 1000), N1);
    ck_assert_int_eq(position_of(c, topic, 0), N0);
    ck_assert_int_eq(position_of(c, topic, 1), N1);
    /* The assignment is what was given. */
    kc_tplist_t *a = NULL;
    ck_assert_int_eq(kc_consumer_assignment(c, &a), 0);
    ck_assert_int_eq(kc_tplist_count(a), 2);
    ck_assert_int_ge(kc_tplist_find(a, topic, 0), 0);
    ck_assert_int_ge(kc_tplist_find(a, topic, 1), 0);
    kc_tplist_destroy(a);
    kc_consumer_destroy(c);
    mv_free(&v);
}
END_TEST

START_TEST(log_append_time) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-lat");
    java_create_topic(topic, 1, "--config message.timestamp.type=LogAppendTime");
    int64_t t0 = wall_ms();
    produce_plain(topic, 2, 0, 0, 20);
    int64_t t1 = wall_ms();
    kc_consumer_t *c = new_consumer(NULL);
    assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
    msgvec v = {0};
    ck_assert_int_eq(collect(c, &v, 20, WAIT_MS, 0), 20);
    for (int i = 0; i < 20; i++) {
        int type = -1;
        int64_t ts = kc_message_timestamp(v.m[i], &type);
        ck_assert_int_eq(kc_message_offset(v.m[i]), i);
        ck_assert_int_eq(type, KC_TIMESTAMP_LOG_APPEND_TIME);
        /* The broker's clock, not the BASE_TS the records were sent with. */
        ck_assert_msg(ts >= t0 - 2000 && ts <= t1 + 2000, "log append time %lld not in [%lld, %lld]",
                      (long long)ts, (long long)t0, (long long)t1);
    }
    kc_consumer_destroy(c);
    mv_free(&v);
}
END_TEST

START_TEST(codecs_many_batches) {
    static const char *const codecs[] = {"gzip", "snappy", "lz4", "zstd"};
    enum { N = 10000, SALT = 3 };
    for (size_t z = 0; z < sizeof codecs / sizeof codecs[0]; z++) {
        char topic[128], prefix[64];
        snprintf(prefix, sizeof prefix, "kafkac-cons-%s", codecs[z]);
        itest_topic_name(topic, sizeof topic, prefix);
        prodlog L = {0};
        kc_producer_t *prod = new_producer(&L, "compression.type", codecs[z], "batch.size",
                                           "16384", "linger.ms", "5", NULL);
        produce_recs(prod, &L, topic, SALT, 0, 0, N, KIND_CODEC);
        kc_producer_destroy(prod);

        /* Small fetches: the records come in many responses too. */
        kc_consumer_t *c = new_consumer("max.partition.fetch.bytes", "65536", NULL);
        assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
        msgvec v = {0};
        collect(c, &v, N, WAIT_MS, 0);
        ck_assert_msg(v.n == N, "%s: read %d of %d records", codecs[z], v.n, N);
        expect_nothing(c, 500, codecs[z]);
        ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_CODEC, 0, 0, 0), N);
        kc_consumer_destroy(c);
        mv_free(&v);

        /* The log really holds many batches compressed with the codec. */
        char *dump = java_dump_batches(topic);
        char want[64];
        snprintf(want, sizeof want, "compresscodec: %s ", codecs[z]);
        int batches = count_substr(dump, "baseOffset:"), with = count_substr(dump, want);
        ck_assert_msg(batches >= 10 && with >= batches / 2,
                      "%s: %d batches in the log, %d with the codec", codecs[z], batches, with);
        fprintf(stderr, "%s: %d records in %d batches (%d %s) read back byte-exact\n", codecs[z],
                N, batches, with, codecs[z]);
        free(dump);
    }
}
END_TEST

/* A record larger than max.partition.fetch.bytes and fetch.max.bytes still
 * comes (the broker always returns the first batch whole), and a tiny
 * queued.max.messages.kbytes slows fetching down without stalling it. */
START_TEST(oversized_records_and_small_queue) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-big");
    enum { NBIG = 4, BIG = 300000, N = 3000, SALT = 14 };
    unsigned char *big = malloc(BIG);
    ck_assert_ptr_nonnull(big);
    prodlog L = {0};
    kc_producer_t *prod = new_producer(&L, "linger.ms", "5", NULL);
    for (int i = 0; i < NBIG; i++) {
        for (int k = 0; k < BIG; k++) big[k] = (unsigned char)mix((uint32_t)(i * BIG + k));
        ck_assert_int_eq(kc_produce(prod, topic, 0, "big", 3, big, BIG, NULL, 0, 0, NULL), 0);
        ck_assert_int_eq(kc_producer_flush(prod, WAIT_MS), 0);
    }
    ck_assert_msg(L.failed == 0, "%s", L.errstr);
    kc_producer_destroy(prod);
    kc_consumer_t *c = new_consumer("max.partition.fetch.bytes", "10000", "fetch.max.bytes",
                                    "10000", NULL);
    assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
    msgvec v = {0};
    collect(c, &v, NBIG, WAIT_MS, 0);
    ck_assert_msg(v.n == NBIG, "read %d of %d records of %d bytes (fetch limits 10000)", v.n,
                  NBIG, BIG);
    for (int i = 0; i < NBIG; i++) {
        size_t len;
        const unsigned char *val = kc_message_value(v.m[i], &len);
        ck_assert_int_eq(kc_message_offset(v.m[i]), i);
        ck_assert_int_eq(len, BIG);
        for (int k = 0; k < BIG; k++)
            if (val[k] != (unsigned char)mix((uint32_t)(i * BIG + k)))
                ck_abort_msg("big record %d differs at byte %d", i, k);
    }
    mv_free(&v);
    kc_consumer_destroy(c);

    /* Then many small ones after them, through a 1 KiB prefetch queue. */
    prod = new_producer(&L, "linger.ms", "5", NULL);
    produce_recs(prod, &L, topic, SALT, 0, NBIG, NBIG + N, KIND_PLAIN);
    kc_producer_destroy(prod);
    c = new_consumer("queued.max.messages.kbytes", "1", NULL);
    assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
    collect(c, &v, NBIG + N, 60000, 0);
    ck_assert_msg(v.n == NBIG + N, "read %d of %d records with queued.max.messages.kbytes=1", v.n,
                  NBIG + N);
    for (int i = 0; i < NBIG; i++) ck_assert_int_eq(kc_message_offset(v.m[i]), i);
    msgvec rest = {.m = v.m + NBIG, .n = v.n - NBIG};
    ck_assert_int_eq(check_partition(&rest, topic, SALT, 0, KIND_PLAIN, NBIG, 0, 0), N);
    mv_free(&v);
    kc_consumer_destroy(c);
    free(big);
}
END_TEST

START_TEST(seek_and_position) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-seek");
    enum { N = 1000, SALT = 4 };
    produce_plain(topic, SALT, 0, 0, N);
    kc_consumer_t *c = new_consumer(NULL);
    assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
    /* Not known before the start offset is resolved and nothing served. */
    int64_t p0 = position_of(c, topic, 0);
    ck_assert_msg(p0 == KC_OFFSET_INVALID || p0 == 0, "position before polling: %lld",
                  (long long)p0);
    msgvec v = {0};
    collect(c, &v, 37, WAIT_MS, 0);
    ck_assert_int_eq(v.n, 37);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 0, 0, 0), 37);
    ck_assert_int_eq(position_of(c, topic, 0), 37);
    mv_free(&v);

    /* Forward into the middle: the very next record is that offset. */
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, 500), 0);
    ck_assert_int_eq(position_of(c, topic, 0), 500);
    collect(c, &v, 10, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 500, 0, 0), 10);
    ck_assert_int_eq(position_of(c, topic, 0), 510);
    mv_free(&v);

    /* Backwards: records are read again. */
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, 3), 0);
    collect(c, &v, 5, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 3, 0, 0), 5);
    mv_free(&v);

    /* Logical offsets. */
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, KC_OFFSET_BEGINNING), 0);
    collect(c, &v, 1, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 0, 0, 0), 1);
    mv_free(&v);
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, KC_OFFSET_END), 0);
    expect_nothing(c, 1500, "after seek to the end");
    /* The end resolved to N: the next record produced is the next read. */
    int64_t end = now_ms() + WAIT_MS;
    while (position_of(c, topic, 0) < 0 && now_ms() < end) kc_message_destroy(kc_consumer_poll(c, 50));
    ck_assert_int_eq(position_of(c, topic, 0), N);
    produce_plain(topic, SALT, 0, N, N + 3);
    collect(c, &v, 3, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, N, 0, 0), 3);
    ck_assert_int_eq(position_of(c, topic, 0), N + 3);
    mv_free(&v);

    /* Seek right after reading the last record of a fetched batch, while
     * later batches are already buffered: nothing stale leaks through. */
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, 100), 0);
    for (int round = 0; round < 20; round++) {
        kc_message_t *m = next_record(c, WAIT_MS);
        int64_t want = round == 0 ? 100 : 100 + round * 37;
        ck_assert_msg(kc_message_offset(m) == want, "round %d: read %lld after seek to %lld",
                      round, (long long)kc_message_offset(m), (long long)want);
        kc_message_destroy(m);
        ck_assert_int_eq(kc_consumer_seek(c, topic, 0, 100 + (round + 1) * 37), 0);
    }
    kc_consumer_destroy(c);
}
END_TEST

START_TEST(pause_and_resume) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-pause");
    java_create_topic(topic, 2, NULL);
    enum { N = 3000, SALT = 5 };
    prodlog L = {0};
    kc_producer_t *prod = new_producer(&L, "linger.ms", "5", NULL);
    produce_recs(prod, &L, topic, SALT, 0, 0, N, KIND_PLAIN);
    produce_recs(prod, &L, topic, SALT, 1, 0, N, KIND_PLAIN);

    kc_consumer_t *c = new_consumer(NULL);
    assign_n(c, topic, 2, KC_OFFSET_BEGINNING);
    int seen[2] = {0, 0};
    msgvec v = {0};
    /* Read until partition 0 gave 100 records. */
    int64_t end = now_ms() + WAIT_MS;
    while (seen[0] < 100 && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 200);
        if (!m) continue;
        ck_assert_msg(kc_message_error(m) == 0, "%s", kc_message_errstr(m));
        int p = kc_message_partition(m);
        ck_assert_int_eq(kc_message_offset(m), seen[p]);
        seen[p]++;
        kc_message_destroy(m);
    }
    ck_assert_int_eq(seen[0], 100);
    kc_tplist_t *p0 = kc_tplist_new(1);
    kc_tplist_add(p0, topic, 0);
    ck_assert_int_eq(kc_consumer_pause(c, p0), 0);
    ck_assert_int_eq(kc_tplist_error(p0, 0), 0);
    int64_t pos0 = position_of(c, topic, 0);
    ck_assert_int_eq(pos0, 100);
    /* New records for both while paused. */
    produce_recs(prod, &L, topic, SALT, 0, N, N + 10, KIND_PLAIN);
    produce_recs(prod, &L, topic, SALT, 1, N, N + 10, KIND_PLAIN);
    /* Partition 1 keeps flowing to its end; nothing from partition 0. */
    int p1_before = seen[1];
    end = now_ms() + WAIT_MS;
    while (seen[1] < N + 10 && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 200);
        if (!m) continue;
        ck_assert_msg(kc_message_error(m) == 0, "%s", kc_message_errstr(m));
        ck_assert_msg(kc_message_partition(m) == 1, "record @%lld of paused partition 0",
                      (long long)kc_message_offset(m));
        ck_assert_int_eq(kc_message_offset(m), seen[1]);
        seen[1]++;
        kc_message_destroy(m);
    }
    ck_assert_int_eq(seen[1], N + 10);
    ck_assert_int_gt(seen[1], p1_before);
    expect_nothing(c, 2000, "partition 0 paused");
    ck_assert_int_eq(position_of(c, topic, 0), pos0);
    /* Pausing twice, resuming: exactly where it stopped. */
    ck_assert_int_eq(kc_consumer_pause(c, p0), 0);
    ck_assert_int_eq(kc_consumer_resume(c, p0), 0);
    collect(c, &v, N + 10 - 100, WAIT_MS, 0);
    ck_assert_int_eq(v.n, N + 10 - 100);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 100, 0, 0), N + 10 - 100);
    expect_nothing(c, 1000, "after resume, past the end");
    /* Pausing a partition not assigned: flagged in the list. */
    kc_tplist_t *bad = kc_tplist_new(1);
    kc_tplist_add(bad, topic, 7);
    kc_consumer_pause(c, bad);
    ck_assert_int_eq(kc_tplist_error(bad, 0), KC_ERR__UNKNOWN_PARTITION);
    kc_tplist_destroy(bad);
    kc_tplist_destroy(p0);
    kc_consumer_destroy(c);
    kc_producer_destroy(prod);
    mv_free(&v);
}
END_TEST

START_TEST(partition_eof_events) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-eof");
    java_create_topic(topic, 3, NULL);
    enum { SALT = 6 };
    const int cnt[3] = {250, 17, 0}; /* partition 2 stays empty */
    prodlog L = {0};
    kc_producer_t *prod = new_producer(&L, "linger.ms", "2", NULL);
    produce_recs(prod, &L, topic, SALT, 0, 0, cnt[0], KIND_PLAIN);
    produce_recs(prod, &L, topic, SALT, 1, 0, cnt[1], KIND_PLAIN);

    kc_consumer_t *c = new_consumer("enable.partition.eof", "true", NULL);
    assign_n(c, topic, 3, KC_OFFSET_BEGINNING);
    int recs[3] = {0, 0, 0}, eofs[3] = {0, 0, 0};
    int64_t end = now_ms() + WAIT_MS;
    while ((eofs[0] + eofs[1] + eofs[2] < 3) && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 200);
        if (!m) continue;
        int p = kc_message_partition(m);
        ck_assert_msg(p >= 0 && p < 3, "partition %d", p);
        if (kc_message_error(m) == KC_ERR__PARTITION_EOF) {
            ck_assert_str_eq(kc_message_topic(m), topic);
            ck_assert_msg(kc_message_offset(m) == cnt[p], "EOF of [%d] at %lld, end is %d", p,
                          (long long)kc_message_offset(m), cnt[p]);
            ck_assert_msg(recs[p] == cnt[p], "EOF of [%d] after %d of %d records", p, recs[p],
                          cnt[p]);
            eofs[p]++;
        } else {
            ck_assert_msg(kc_message_error(m) == 0, "%s", kc_message_errstr(m));
            ck_assert_int_eq(kc_message_offset(m), recs[p]);
            recs[p]++;
        }
        kc_message_destroy(m);
    }
    /* Exactly one each, also while the consumer keeps fetching. */
    expect_nothing(c, 2500, "after the EOFs");
    for (int p = 0; p < 3; p++) ck_assert_msg(eofs[p] == 1, "%d EOF events for [%d]", eofs[p], p);
    /* New records: read, then a new EOF at the new end. */
    produce_recs(prod, &L, topic, SALT, 1, cnt[1], cnt[1] + 5, KIND_PLAIN);
    int got = 0, eof = 0;
    end = now_ms() + WAIT_MS;
    while (!eof && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 200);
        if (!m) continue;
        ck_assert_int_eq(kc_message_partition(m), 1);
        if (kc_message_error(m) == KC_ERR__PARTITION_EOF) {
            ck_assert_int_eq(kc_message_offset(m), cnt[1] + 5);
            ck_assert_int_eq(got, 5);
            eof = 1;
        } else {
            ck_assert_msg(kc_message_error(m) == 0, "%s", kc_message_errstr(m));
            ck_assert_int_eq(kc_message_offset(m), cnt[1] + got);
            got++;
        }
        kc_message_destroy(m);
    }
    ck_assert_msg(eof, "no EOF after the new records (%d read)", got);
    expect_nothing(c, 1000, "after the second EOF");
    kc_consumer_destroy(c);

    /* Without enable.partition.eof: no EOF events at all. */
    c = new_consumer(NULL);
    assign_n(c, topic, 3, KC_OFFSET_BEGINNING);
    msgvec v = {0};
    collect(c, &v, cnt[0] + cnt[1] + 5, WAIT_MS, 0);
    ck_assert_int_eq(v.n, cnt[0] + cnt[1] + 5);
    expect_nothing(c, 1500, "enable.partition.eof is off");
    kc_consumer_destroy(c);
    kc_producer_destroy(prod);
    mv_free(&v);
}
END_TEST

START_TEST(watermarks_and_offsets_for_times) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-wm");
    java_create_topic(topic, 2, NULL);
    enum { N = 200, SALT = 7 };
    /* KIND_PLAIN: record i of p has timestamp BASE_TS + p * 1e6 + i * 10. */
    prodlog L = {0};
    kc_producer_t *prod = new_producer(&L, "linger.ms", "5", "batch.size", "1024", NULL);
    produce_recs(prod, &L, topic, SALT, 0, 0, N, KIND_PLAIN);
    kc_producer_destroy(prod);

    kc_consumer_t *c = new_consumer(NULL);
    int64_t lo = -5, hi = -5;
    ck_assert_int_eq(kc_consumer_query_watermark_offsets(c, topic, 0, &lo, &hi, 10000), 0);
    ck_assert_int_eq(lo, 0);
    ck_assert_int_eq(hi, N);
    ck_assert_int_eq(kc_consumer_query_watermark_offsets(c, topic, 1, &lo, &hi, 10000), 0);
    ck_assert_int_eq(lo, 0);
    ck_assert_int_eq(hi, 0);
    /* A partition that does not exist. */
    kc_err_t e = kc_consumer_query_watermark_offsets(c, topic, 9, &lo, &hi, 3000);
    ck_assert_msg(e != 0, "watermarks of partition 9 of a 2-partition topic: %lld..%lld",
                  (long long)lo, (long long)hi);

    /* Not fetched yet. */
    lo = hi = -5;
    kc_consumer_get_watermark_offsets(c, topic, 0, &lo, &hi);
    ck_assert_int_eq(hi, KC_OFFSET_INVALID);
    assign_n(c, topic, 2, KC_OFFSET_BEGINNING);
    msgvec v = {0};
    ck_assert_int_eq(collect(c, &v, N, WAIT_MS, 0), N);
    ck_assert_int_eq(kc_consumer_get_watermark_offsets(c, topic, 0, &lo, &hi), 0);
    ck_assert_int_eq(lo, 0);
    ck_assert_int_eq(hi, N);

    kc_tplist_t *l = kc_tplist_new(8);
    struct {
        int p;
        int64_t ts, want;
    } q[] = {
        {0, BASE_TS, 0},                      /* the first record's time */
        {0, BASE_TS + 55 * 10, 55},           /* exactly record 55 */
        {0, BASE_TS + 55 * 10 - 5, 55},       /* between 54 and 55 */
        {0, BASE_TS + (N - 1) * 10, N - 1},   /* the last record */
        {0, BASE_TS + N * 10, -1},            /* past the end */
        {0, 1, 0},                            /* before everything */
        {1, BASE_TS, -1},                     /* empty partition */
    };
    int nq = (int)(sizeof q / sizeof q[0]);
    for (int i = 0; i < nq; i++) kc_tplist_set_offset(l, kc_tplist_add(l, topic, q[i].p), q[i].ts);
    ck_assert_int_eq(kc_consumer_offsets_for_times(c, l, 10000), 0);
    for (int i = 0; i < nq; i++) {
        ck_assert_int_eq(kc_tplist_error(l, i), 0);
        ck_assert_msg(kc_tplist_offset(l, i) == q[i].want, "query %d: [%d] ts %lld: offset %lld, "
                      "expected %lld", i, q[i].p, (long long)q[i].ts,
                      (long long)kc_tplist_offset(l, i), (long long)q[i].want);
    }
    kc_tplist_destroy(l);
    /* A partition that does not exist: an error for that entry. */
    l = kc_tplist_new(2);
    kc_tplist_set_offset(l, kc_tplist_add(l, topic, 0), BASE_TS + 10);
    kc_tplist_set_offset(l, kc_tplist_add(l, topic, 9), BASE_TS);
    ck_assert_int_ne(kc_consumer_offsets_for_times(c, l, 3000), 0);
    ck_assert_int_eq(kc_tplist_error(l, 0), 0);
    ck_assert_int_eq(kc_tplist_offset(l, 0), 1);
    ck_assert_int_ne(kc_tplist_error(l, 1), 0);
    ck_assert_int_eq(kc_tplist_offset(l, 1), KC_OFFSET_INVALID);
    kc_tplist_destroy(l);
    /* The found offset reads the right record. */
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, 55), 0);
    kc_message_t *m = next_record(c, WAIT_MS);
    rec_t r;
    gen_rec(SALT, 0, 55, KIND_PLAIN, &r);
    check_rec(m, topic, 0, 55, &r, 0, 0);
    ck_assert_int_eq(kc_message_timestamp(m, NULL), BASE_TS + 55 * 10);
    kc_message_destroy(m);
    kc_consumer_destroy(c);
    mv_free(&v);
}
END_TEST

static kc_tplist_t *tpl2(const char *topic, int64_t o0, int64_t o1) {
    kc_tplist_t *l = kc_tplist_new(2);
    kc_tplist_set_offset(l, kc_tplist_add(l, topic, 0), o0);
    kc_tplist_set_offset(l, kc_tplist_add(l, topic, 1), o1);
    return l;
}

static void check_committed(kc_consumer_t *c, const char *topic, int64_t o0, int64_t o1) {
    kc_tplist_t *l = tpl2(topic, 12345, 12345);
    kc_err_t e = kc_consumer_committed(c, l, 10000);
    ck_assert_msg(e == 0, "committed: %s", kc_err_name(e));
    ck_assert_int_eq(kc_tplist_error(l, 0), 0);
    ck_assert_int_eq(kc_tplist_error(l, 1), 0);
    ck_assert_msg(kc_tplist_offset(l, 0) == o0 && kc_tplist_offset(l, 1) == o1,
                  "committed %lld, %lld; expected %lld, %lld", (long long)kc_tplist_offset(l, 0),
                  (long long)kc_tplist_offset(l, 1), (long long)o0, (long long)o1);
    kc_tplist_destroy(l);
}

/* enable.auto.offset.store=false: commits take only what was stored
 * (after processing), not the position; storing is refused when the
 * automatic store is on, and for a partition not assigned. */
START_TEST(offsets_store_decides_what_is_committed) {
    char topic[128], group[160];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-store");
    snprintf(group, sizeof group, "%s-g", topic);
    java_create_topic(topic, 2, NULL);
    enum { N = 20, SALT = 21 };
    prodlog L = {0};
    kc_producer_t *prod = new_producer(&L, "linger.ms", "2", NULL);
    produce_recs(prod, &L, topic, SALT, 0, 0, N, KIND_PLAIN);
    kc_producer_destroy(prod);
    kc_consumer_t *c = new_consumer("group.id", group, "enable.auto.commit", "false",
                                    "enable.auto.offset.store", "false", NULL);
    assign_n(c, topic, 2, KC_OFFSET_BEGINNING);
    kc_message_t *kept = NULL;
    for (int i = 0; i < 10; i++) {
        kc_message_t *m = next_record(c, WAIT_MS);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(kc_message_offset(m), i);
        if (i == 6) kept = m;
        else kc_message_destroy(m);
    }
    /* Position is 10, nothing stored: nothing to commit. */
    ck_assert_int_eq(kc_consumer_commit(c, NULL, 0), KC_ERR__NO_OFFSET);
    ck_assert_int_eq(kc_consumer_store_message(c, kept), 0);
    kc_message_destroy(kept);
    ck_assert_int_eq(kc_consumer_commit(c, NULL, 0), 0);
    check_committed(c, topic, 7, KC_OFFSET_INVALID);
    kc_tplist_t *l = kc_tplist_new(2);
    kc_tplist_add(l, topic, 0);
    kc_tplist_set_offset(l, 0, 9);
    kc_tplist_add(l, "kafkac-not-assigned", 0);
    kc_tplist_set_offset(l, 1, 1);
    ck_assert_int_eq(kc_consumer_offsets_store(c, l), KC_ERR__UNKNOWN_PARTITION);
    ck_assert_int_eq(kc_tplist_error(l, 0), 0);
    ck_assert_int_eq(kc_tplist_error(l, 1), KC_ERR__UNKNOWN_PARTITION);
    ck_assert_int_eq(kc_consumer_commit(c, NULL, 0), 0);
    check_committed(c, topic, 9, KC_OFFSET_INVALID);
    kc_consumer_destroy(c);
    /* With the automatic store on, storing is refused. */
    c = new_consumer("group.id", group, NULL);
    assign_n(c, topic, 2, KC_OFFSET_BEGINNING);
    ck_assert_int_eq(kc_consumer_offsets_store(c, l), KC_ERR__INVALID_ARG);
    kc_tplist_destroy(l);
    kc_consumer_destroy(c);
}
END_TEST

START_TEST(commit_and_committed) {
    char topic[128], group[160];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-commit");
    snprintf(group, sizeof group, "%s-g", topic);
    java_create_topic(topic, 2, NULL);
    enum { N = 50, SALT = 8 };
    prodlog L = {0};
    kc_producer_t *prod = new_producer(&L, "linger.ms", "2", NULL);
    produce_recs(prod, &L, topic, SALT, 0, 0, N, KIND_PLAIN);
    produce_recs(prod, &L, topic, SALT, 1, 0, N, KIND_PLAIN);
    kc_producer_destroy(prod);

    kc_consumer_t *c = new_consumer("group.id", group, "enable.auto.commit", "false", NULL);
    check_committed(c, topic, KC_OFFSET_INVALID, KC_OFFSET_INVALID);
    /* Nothing assigned, nothing consumed: nothing to commit. */
    ck_assert_int_eq(kc_consumer_commit(c, NULL, 0), KC_ERR__NO_OFFSET);

    /* Specific offsets, with metadata. */
    kc_tplist_t *l = tpl2(topic, 10, 20);
    ck_assert_int_eq(kc_tplist_set_metadata(l, 0, "meta-0"), 0);
    ck_assert_int_eq(kc_consumer_commit(c, l, 0), 0);
    kc_tplist_destroy(l);
    check_committed(c, topic, 10, 20);
    l = tpl2(topic, 0, 0);
    ck_assert_int_eq(kc_consumer_committed(c, l, 10000), 0);
    ck_assert_str_eq(kc_tplist_metadata(l, 0), "meta-0");
    ck_assert_str_eq(kc_tplist_metadata(l, 1), "");
    kc_tplist_destroy(l);

    /* Positions: read some of each partition from the beginning, commit
     * what was read. */
    assign_n(c, topic, 2, KC_OFFSET_BEGINNING);
    int seen[2] = {0, 0};
    int64_t end = now_ms() + WAIT_MS;
    while ((seen[0] < 5 || seen[1] < 5) && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 200);
        if (!m) continue;
        ck_assert_msg(kc_message_error(m) == 0, "%s", kc_message_errstr(m));
        int p = kc_message_partition(m);
        ck_assert_int_eq(kc_message_offset(m), seen[p]);
        seen[p]++;
        if (seen[p] >= 5) {
            /* stop reading p: pause it */
            kc_tplist_t *one = kc_tplist_new(1);
            kc_tplist_add(one, topic, p);
            kc_consumer_pause(c, one);
            kc_tplist_destroy(one);
        }
        kc_message_destroy(m);
    }
    ck_assert_int_eq(seen[0], 5);
    ck_assert_int_eq(seen[1], 5);
    ck_assert_int_eq(position_of(c, topic, 0), 5);
    ck_assert_int_eq(position_of(c, topic, 1), 5);
    ck_assert_int_eq(kc_consumer_commit(c, NULL, 0), 0);
    check_committed(c, topic, 5, 5);

    /* commit_message: the offset after that record. */
    ck_assert_int_eq(kc_consumer_seek(c, topic, 1, 30), 0);
    kc_tplist_t *p1 = kc_tplist_new(1);
    kc_tplist_add(p1, topic, 1);
    kc_consumer_resume(c, p1);
    kc_tplist_destroy(p1);
    kc_message_t *m = next_record(c, WAIT_MS);
    ck_assert_int_eq(kc_message_partition(m), 1);
    ck_assert_int_eq(kc_message_offset(m), 30);
    ck_assert_int_eq(kc_consumer_commit_message(c, m, 0), 0);
    kc_message_destroy(m);
    check_committed(c, topic, 5, 31);
    kc_consumer_destroy(c);

    /* A new member of the group starts at the committed offsets. */
    c = new_consumer("group.id", group, "enable.auto.commit", "false", "auto.offset.reset",
                     "latest", NULL);
    assign_n(c, topic, 2, KC_OFFSET_STORED);
    msgvec v = {0};
    collect(c, &v, (N - 5) + (N - 31), WAIT_MS, 0);
    ck_assert_int_eq(v.n, (N - 5) + (N - 31));
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 5, 0, 0), N - 5);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 1, KIND_PLAIN, 31, 0, 0), N - 31);
    mv_free(&v);
    /* Reading did not commit anything (auto-commit off). */
    check_committed(c, topic, 5, 31);
    kc_consumer_destroy(c);

    /* Commit without group.id is refused. */
    c = new_consumer(NULL);
    l = tpl2(topic, 1, 1);
    ck_assert_int_eq(kc_consumer_commit(c, l, 0), KC_ERR__INVALID_ARG);
    ck_assert_int_eq(kc_consumer_committed(c, l, 1000), KC_ERR__INVALID_ARG);
    kc_tplist_destroy(l);
    kc_consumer_destroy(c);
}
END_TEST

/* auto.offset.reset with no committed offset, and for an offset out of
 * range. */
START_TEST(auto_offset_reset) {
    char topic[128], group[160];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-reset");
    enum { N = 40, SALT = 9 };
    produce_plain(topic, SALT, 0, 0, N);
    msgvec v = {0};

    /* earliest */
    snprintf(group, sizeof group, "%s-earliest", topic);
    kc_consumer_t *c = new_consumer("group.id", group, "auto.offset.reset", "earliest",
                                    "enable.auto.commit", "false", NULL);
    assign_n(c, topic, 1, KC_OFFSET_STORED);
    collect(c, &v, N, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 0, 0, 0), N);
    mv_free(&v);
    kc_consumer_destroy(c);

    /* latest: only what is produced after the start. */
    snprintf(group, sizeof group, "%s-latest", topic);
    c = new_consumer("group.id", group, "auto.offset.reset", "latest", "enable.auto.commit",
                     "false", NULL);
    assign_n(c, topic, 1, KC_OFFSET_STORED);
    int64_t end = now_ms() + WAIT_MS;
    while (position_of(c, topic, 0) < 0 && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 50);
        ck_assert_msg(m == NULL, "latest: got %s @%lld before anything was produced",
                      kc_err_name(kc_message_error(m)), (long long)kc_message_offset(m));
    }
    ck_assert_int_eq(position_of(c, topic, 0), N);
    produce_plain(topic, SALT, 0, N, N + 2);
    collect(c, &v, 2, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, N, 0, 0), 2);
    mv_free(&v);
    kc_consumer_destroy(c);

    /* error: an event naming the partition, no records. */
    snprintf(group, sizeof group, "%s-error", topic);
    c = new_consumer("group.id", group, "auto.offset.reset", "error", NULL);
    assign_n(c, topic, 1, KC_OFFSET_STORED);
    kc_message_t *m = NULL;
    end = now_ms() + WAIT_MS;
    while (!m && now_ms() < end) m = kc_consumer_poll(c, 200);
    ck_assert_msg(m != NULL, "no event with auto.offset.reset=error");
    ck_assert_msg(kc_message_error(m) == KC_ERR__AUTO_OFFSET_RESET, "got %s (%s) @%lld",
                  kc_err_name(kc_message_error(m)), kc_message_errstr(m),
                  (long long)kc_message_offset(m));
    ck_assert_str_eq(kc_message_topic(m), topic);
    ck_assert_int_eq(kc_message_partition(m), 0);
    kc_message_destroy(m);
    expect_nothing(c, 1500, "auto.offset.reset=error");
    /* A seek starts it again. */
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, 7), 0);
    collect(c, &v, N + 2 - 7, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 7, 0, 0), N + 2 - 7);
    mv_free(&v);
    /* Out of range with 'error': an event naming the offset. */
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, 100000), 0);
    m = NULL;
    end = now_ms() + WAIT_MS;
    while (!m && now_ms() < end) m = kc_consumer_poll(c, 200);
    ck_assert_msg(m != NULL, "no event for offset 100000 out of range");
    ck_assert_msg(kc_message_error(m) == KC_ERR__AUTO_OFFSET_RESET, "got %s (%s)",
                  kc_err_name(kc_message_error(m)), kc_message_errstr(m));
    ck_assert_int_eq(kc_message_offset(m), 100000);
    ck_assert_msg(strstr(kc_message_errstr(m), "100000") != NULL, "errstr: %s",
                  kc_message_errstr(m));
    kc_message_destroy(m);
    kc_consumer_destroy(c);

    /* Out of range with earliest / latest: reset and go on. */
    c = new_consumer("auto.offset.reset", "earliest", NULL);
    assign_n(c, topic, 1, 100000);
    collect(c, &v, 3, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 0, 0, 0), 3);
    mv_free(&v);
    kc_consumer_destroy(c);
    c = new_consumer("auto.offset.reset", "latest", NULL);
    assign_n(c, topic, 1, 100000);
    end = now_ms() + WAIT_MS;
    while (position_of(c, topic, 0) != N + 2 && now_ms() < end) {
        m = kc_consumer_poll(c, 50);
        ck_assert_msg(m == NULL, "latest after out of range: got %s @%lld",
                      kc_err_name(kc_message_error(m)), (long long)kc_message_offset(m));
    }
    ck_assert_int_eq(position_of(c, topic, 0), N + 2);
    produce_plain(topic, SALT, 0, N + 2, N + 3);
    collect(c, &v, 1, WAIT_MS, 0);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, N + 2, 0, 0), 1);
    mv_free(&v);
    kc_consumer_destroy(c);
}
END_TEST

/* kc_consumer_get_watermark_offsets(): "the watermarks learnt from the last
 * fetch (KC_OFFSET_INVALID when none yet)". A fetch error (the broker sends
 * high watermark -1 with OFFSET_OUT_OF_RANGE) is no watermark to learn. */
START_TEST(watermarks_after_fetch_error) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-wmerr");
    enum { N = 10, SALT = 13 };
    produce_plain(topic, SALT, 0, 0, N);
    kc_consumer_t *c = new_consumer("auto.offset.reset", "error", NULL);
    assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
    msgvec v = {0};
    ck_assert_int_eq(collect(c, &v, N, WAIT_MS, 0), N);
    mv_free(&v);
    int64_t lo = -5, hi = -5;
    ck_assert_int_eq(kc_consumer_get_watermark_offsets(c, topic, 0, &lo, &hi), 0);
    ck_assert_int_eq(lo, 0);
    ck_assert_int_eq(hi, N);
    ck_assert_int_eq(kc_consumer_seek(c, topic, 0, 5000), 0);
    kc_message_t *m = NULL;
    int64_t end = now_ms() + WAIT_MS;
    while (!m && now_ms() < end) m = kc_consumer_poll(c, 200);
    ck_assert_msg(m != NULL && kc_message_error(m) == KC_ERR__AUTO_OFFSET_RESET, "got %s",
                  m ? kc_err_name(kc_message_error(m)) : "nothing");
    kc_message_destroy(m);
    lo = hi = -5;
    ck_assert_int_eq(kc_consumer_get_watermark_offsets(c, topic, 0, &lo, &hi), 0);
    ck_assert_msg(lo == 0 && (hi == N || hi == KC_OFFSET_INVALID),
                  "watermarks after an out-of-range fetch: low %lld, high %lld (log is 0..%d)",
                  (long long)lo, (long long)hi, N);
    kc_consumer_destroy(c);
}
END_TEST

START_TEST(poll_batch_max_poll_records) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-batch");
    enum { N = 300, SALT = 10 };
    produce_plain(topic, SALT, 0, 0, N);
    kc_consumer_t *c = new_consumer("max.poll.records", "7", NULL);
    assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
    kc_message_t *msgs[64];
    msgvec v = {0};
    int calls = 0, full = 0, limit = 50;
    int64_t end = now_ms() + WAIT_MS;
    while (v.n < N && now_ms() < end) {
        if (v.n >= 200) limit = 3; /* below max.poll.records: max wins */
        int n = kc_consumer_poll_batch(c, msgs, limit, 1000);
        int cap = limit < 7 ? limit : 7;
        ck_assert_msg(n >= 0 && n <= cap, "poll_batch returned %d (max %d, max.poll.records 7)",
                      n, limit);
        if (n == cap) full++;
        calls += n > 0;
        for (int k = 0; k < n; k++) {
            ck_assert_msg(kc_message_error(msgs[k]) == 0, "%s", kc_message_errstr(msgs[k]));
            mv_push(&v, msgs[k]);
        }
    }
    ck_assert_int_eq(v.n, N);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 0, 0, 0), N);
    /* Records are buffered: most calls are full. */
    ck_assert_msg(full >= calls / 2, "%d of %d calls full", full, calls);
    ck_assert_int_eq(kc_consumer_poll_batch(c, msgs, 10, 300), 0);
    ck_assert_int_eq(kc_consumer_poll_batch(c, msgs, 0, 0), 0);
    mv_free(&v);
    kc_consumer_destroy(c);
}
END_TEST

START_TEST(bad_input) {
    char err[512];
    /* subscribe without group.id */
    kc_consumer_t *c = new_consumer(NULL);
    const char *t1[] = {"some-topic"};
    err[0] = 0;
    ck_assert_int_eq(kc_consumer_subscribe(c, t1, 1, err, sizeof err), KC_ERR__INVALID_ARG);
    ck_assert_msg(strstr(err, "group.id") != NULL, "errstr: %s", err);
    /* seek / position of a partition not assigned */
    ck_assert_int_eq(kc_consumer_seek(c, "some-topic", 0, 5), KC_ERR__UNKNOWN_PARTITION);
    kc_tplist_t *l = kc_tplist_new(1);
    kc_tplist_add(l, "some-topic", 0);
    ck_assert_int_eq(kc_consumer_position(c, l), 0);
    ck_assert_int_eq(kc_tplist_error(l, 0), KC_ERR__UNKNOWN_PARTITION);
    kc_tplist_destroy(l);
    kc_consumer_destroy(c);

    c = new_consumer("group.id", "kafkac-cons-bad-input", NULL);
    static const char *const bad_names[] = {"bad topic!", "sl/ash", "..", ""};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        const char *t[] = {"good-topic", bad_names[i]};
        err[0] = 0;
        ck_assert_int_eq(kc_consumer_subscribe(c, t, 2, err, sizeof err), KC_ERR__INVALID_ARG);
        if (*bad_names[i])
            ck_assert_msg(strstr(err, bad_names[i]) != NULL, "\"%s\": errstr: %s", bad_names[i],
                          err);
        else
            ck_assert_msg(err[0] != 0, "empty name: no errstr");
    }
    char longname[300];
    memset(longname, 'x', 250);
    longname[250] = 0;
    const char *tl[] = {longname};
    err[0] = 0;
    ck_assert_int_eq(kc_consumer_subscribe(c, tl, 1, err, sizeof err), KC_ERR__INVALID_ARG);
    ck_assert_msg(strstr(err, "xxxxxxxx") != NULL, "errstr: %s", err);
    const char *re[] = {"^kafkac-(unclosed"};
    err[0] = 0;
    ck_assert_int_eq(kc_consumer_subscribe(c, re, 1, err, sizeof err), KC_ERR__INVALID_ARG);
    ck_assert_msg(strstr(err, "^kafkac-(unclosed") != NULL, "errstr: %s", err);
    /* Refused subscriptions left none behind. */
    kc_tplist_t *sub = NULL;
    ck_assert_int_eq(kc_consumer_subscription(c, &sub), 0);
    ck_assert_int_eq(kc_tplist_count(sub), 0);
    kc_tplist_destroy(sub);
    /* Manual assignment excludes subscribing. */
    l = kc_tplist_new(1);
    kc_tplist_add(l, "some-topic", 0);
    ck_assert_int_eq(kc_consumer_assign(c, l), 0);
    err[0] = 0;
    ck_assert_int_eq(kc_consumer_subscribe(c, t1, 1, err, sizeof err), KC_ERR__CONFLICT);
    ck_assert_int_eq(kc_consumer_seek(c, "some-topic", 1, 5), KC_ERR__UNKNOWN_PARTITION);
    ck_assert_int_eq(kc_consumer_seek(c, "other-topic", 0, 5), KC_ERR__UNKNOWN_PARTITION);
    /* Incremental: adding an assigned one / removing one not assigned. */
    ck_assert_int_eq(kc_consumer_incremental_assign(c, l), KC_ERR__INVALID_ARG);
    kc_tplist_add(l, "some-topic", 1);
    ck_assert_int_eq(kc_consumer_incremental_unassign(c, l), KC_ERR__INVALID_ARG);
    kc_tplist_t *a = NULL;
    ck_assert_int_eq(kc_consumer_assignment(c, &a), 0);
    ck_assert_int_eq(kc_tplist_count(a), 1);
    kc_tplist_destroy(a);
    kc_tplist_destroy(l);
    kc_consumer_destroy(c);

    /* Configuration. */
    kc_conf_t *conf = itest_conf();
    err[0] = 0;
    ck_assert_int_eq(kc_conf_set(conf, "no.such.consumer.key", "1", err, sizeof err),
                     KC_ERR__NOENT);
    ck_assert_msg(strstr(err, "no.such.consumer.key") != NULL, "errstr: %s", err);
    static const char *const bad[][2] = {
        {"auto.offset.reset", "sometimes"}, {"isolation.level", "read_most"},
        {"enable.partition.eof", "perhaps"}, {"max.poll.records", "0"},
        {"fetch.max.wait.ms", "-5"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        ck_assert_msg(kc_conf_set(conf, bad[i][0], bad[i][1], err, sizeof err) ==
                          KC_ERR__INVALID_ARG,
                      "%s=%s accepted", bad[i][0], bad[i][1]);
        ck_assert_msg(strstr(err, bad[i][0]) != NULL, "%s=%s: errstr: %s", bad[i][0], bad[i][1],
                      err);
    }
    /* An unknown assignor: refused by kc_conf_set or by kc_consumer_new. */
    err[0] = 0;
    if (kc_conf_set(conf, "partition.assignment.strategy", "fancy", err, sizeof err) == 0) {
        err[0] = 0;
        c = kc_consumer_new(conf, err, sizeof err);
        if (c) kc_consumer_destroy(c);
        ck_assert_msg(c == NULL, "unknown partition.assignment.strategy accepted");
    }
    ck_assert_msg(strstr(err, "fancy") != NULL || strstr(err, "partition.assignment.strategy"),
                  "errstr: %s", err);
    kc_conf_destroy(conf);
    conf = kc_conf_new();
    err[0] = 0;
    ck_assert_ptr_null(kc_consumer_new(conf, err, sizeof err));
    ck_assert_msg(strstr(err, "bootstrap.servers") != NULL, "errstr: %s", err);
    kc_conf_destroy(conf);
}
END_TEST

/* kafkac.h: kc_consumer_new() "Returns NULL and explains why in errstr: a
 * missing bootstrap.servers, a producer-only key, ...". */
/* A producer-only key given to a consumer is ignored with a warning that
 * names it (as librdkafka does: programs often share one config between
 * their producer and consumer). */
static char producer_key_log[512];
static void producer_key_log_cb(void *client, int level, const char *fac, const char *msg,
                                void *opaque) {
    (void)client, (void)fac, (void)opaque;
    if (level <= 4 && strstr(msg, "linger.ms"))
        snprintf(producer_key_log, sizeof producer_key_log, "%s", msg);
}

START_TEST(producer_key_ignored_by_consumer_with_warning) {
    char err[512];
    kc_conf_t *conf = itest_conf();
    ck_assert_int_eq(kc_conf_set(conf, "linger.ms", "50", err, sizeof err), 0);
    kc_conf_set_log_cb(conf, producer_key_log_cb);
    producer_key_log[0] = 0;
    kc_consumer_t *c = kc_consumer_new(conf, err, sizeof err);
    kc_conf_destroy(conf);
    ck_assert_msg(c != NULL, "%s", err);
    for (int i = 0; i < 5 && !producer_key_log[0]; i++) {
        kc_message_t *m = kc_consumer_poll(c, 100);
        kc_message_destroy(m);
    }
    kc_consumer_destroy(c);
    ck_assert_msg(strstr(producer_key_log, "producer setting"), "warning: \"%s\"",
                  producer_key_log);
}
END_TEST

START_TEST(assign_missing_topic) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-later");
    enum { SALT = 11 };
    kc_consumer_t *c = new_consumer("enable.partition.eof", "false", NULL);
    assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
    /* No records; events, if any, name the topic. */
    int events = 0;
    int64_t end = now_ms() + 3000;
    while (now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 100);
        if (!m) continue;
        ck_assert_msg(kc_message_error(m) != 0, "a record @%lld from a topic not created",
                      (long long)kc_message_offset(m));
        fprintf(stderr, "assign_missing_topic: %s: %s\n", kc_err_name(kc_message_error(m)),
                kc_message_errstr(m));
        if (kc_message_topic(m)) ck_assert_str_eq(kc_message_topic(m), topic);
        events++;
        kc_message_destroy(m);
    }
    /* Create it with the Java tool (it may exist already if the broker
     * auto-created it from the consumer's metadata request), then produce. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s tool topics --bootstrap-server '%s' --create --if-not-exists --topic '%s' "
             "--partitions 1 --replication-factor 1 >/dev/null",
             kafka_local(), itest_bootstrap(), topic);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
    produce_plain(topic, SALT, 0, 0, 5);
    msgvec v = {0};
    end = now_ms() + WAIT_MS;
    while (v.n < 5 && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 200);
        if (!m) continue;
        if (kc_message_error(m)) { /* transient errors about the missing topic */
            kc_message_destroy(m);
            continue;
        }
        mv_push(&v, m);
    }
    ck_assert_msg(v.n == 5, "read %d of 5 records after the topic was created", v.n);
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_PLAIN, 0, 0, 0), 5);
    mv_free(&v);
    kc_consumer_destroy(c);
}
END_TEST

START_TEST(messages_outlive_consumer) {
    char topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-cons-outlive");
    enum { N = 120, SALT = 12 };
    prodlog L = {0};
    kc_producer_t *prod = new_producer(&L, "batch.size", "2048", "linger.ms", "2", NULL);
    produce_recs(prod, &L, topic, SALT, 0, 0, N, KIND_MIXED);
    kc_producer_destroy(prod);
    kc_consumer_t *c = new_consumer("enable.partition.eof", "true", NULL);
    assign_n(c, topic, 1, KC_OFFSET_BEGINNING);
    msgvec v = {0};
    kc_message_t *eof = NULL;
    int64_t end = now_ms() + WAIT_MS;
    while ((v.n < N || !eof) && now_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 200);
        if (!m) continue;
        if (kc_message_error(m) == KC_ERR__PARTITION_EOF && !eof) {
            eof = m;
            continue;
        }
        ck_assert_msg(kc_message_error(m) == 0, "%s", kc_message_errstr(m));
        mv_push(&v, m);
    }
    ck_assert_int_eq(v.n, N);
    ck_assert_ptr_nonnull(eof);
    /* Headers of some are indexed before destroy, of others after. */
    for (int i = 0; i < N; i += 2)
        if (kc_message_header_count(v.m[i]))
            kc_message_header(v.m[i], 0, NULL, NULL, NULL, NULL);
    kc_consumer_destroy(c);
    /* Everything is still readable and right (ASan: no use after free). */
    ck_assert_int_eq(check_partition(&v, topic, SALT, 0, KIND_MIXED, 0, 0, INT64_MAX), N);
    ck_assert_str_eq(kc_message_topic(eof), topic);
    ck_assert_int_eq(kc_message_offset(eof), N);
    ck_assert_int_eq(kc_message_error(eof), KC_ERR__PARTITION_EOF);
    kc_message_destroy(eof);
    /* Destroyed in a different order than served. */
    for (int i = N - 1; i >= 0; i -= 2) {
        kc_message_destroy(v.m[i]);
        v.m[i] = NULL;
    }
    for (int i = 0; i < N; i++)
        if (v.m[i]) {
            rec_t r;
            gen_rec(SALT, 0, i, KIND_MIXED, &r);
            check_rec(v.m[i], topic, 0, i, &r, 0, INT64_MAX);
        }
    mv_free(&v); /* destroys the rest (NULLs are no-ops) */
}
END_TEST

ITEST_MAIN("consumer", roundtrip_byte_exact, log_append_time, codecs_many_batches,
           oversized_records_and_small_queue,
           seek_and_position, pause_and_resume, partition_eof_events,
           watermarks_and_offsets_for_times, commit_and_committed,
           offsets_store_decides_what_is_committed, auto_offset_reset,
           watermarks_after_fetch_error,
           poll_batch_max_poll_records, bad_input, producer_key_ignored_by_consumer_with_warning,
           assign_missing_topic, messages_outlive_consumer)
