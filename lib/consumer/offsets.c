/* Start offsets: resolving logical offsets (committed, earliest, latest,
 * by timestamp) of assigned partitions with ListOffsets to each leader, and
 * blocking ListOffsets queries for the application (watermarks,
 * offsets_for_times). Committed offsets come from group.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consumer.h"
#include "net/broker.h"
#include "proto/gen/apis.h"
#include "proto/gen/list_offsets.h"
#include "util/time.h"

/* One ListOffsets request: partitions with the timestamp to look up. */
typedef struct lo_req {
    kc__consumer *cs;
    int n;
    kc__ctp **tps;
    int64_t *ts;
    unsigned *versions;
    /* Blocking query (lo_sync): result goes here instead of to the ctps. */
    struct lo_wait *wait;
    const char *topic;
    int32_t partition;
} lo_req;

typedef struct lo_wait {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    kc_err_t err;
    int64_t offset;
    char errstr[256];
} lo_wait;

static void lo_free(lo_req *q) {
    free(q->tps);
    free(q->ts);
    free(q->versions);
    free(q);
}

static int encode_list_offsets(kc__req *r, int16_t ver, kc__buf *body) {
    lo_req *q = r->arg;
    kc__ListOffsetsRequest req;
    kc__ListOffsetsRequest_init(&req);
    req.replica_id = -1;
    if (ver >= 2) req.isolation_level = q->cs->isolation;
    if (ver >= 10) req.timeout_ms = (int32_t)q->cs->c->request_timeout_ms;
    int n = q->wait ? 1 : q->n;
    kc__ListOffsetsRequest_Topic *ts = calloc((size_t)n, sizeof(*ts));
    kc__ListOffsetsRequest_Partition *ps = calloc((size_t)n, sizeof(*ps));
    int rc = KC__ENC_NOMEM;
    if (ts && ps) {
        int nt = 0;
        for (int i = 0; i < n; i++) {
            const char *name = q->wait ? q->topic : q->tps[i]->topic->name;
            if (nt == 0 || strcmp(ts[nt - 1].name.p, name) != 0) {
                kc__ListOffsetsRequest_Topic_init(&ts[nt]);
                ts[nt].name = kc__str_c(name);
                ts[nt].partitions.items = &ps[i];
                nt++;
            }
            kc__ListOffsetsRequest_Partition_init(&ps[i]);
            ps[i].partition_index = q->wait ? q->partition : q->tps[i]->partition;
            ps[i].timestamp = q->ts[i];
            ts[nt - 1].partitions.n++;
        }
        req.topics.n = nt;
        req.topics.items = ts;
        rc = kc__ListOffsetsRequest_encode(body, ver, &req);
    }
    free(ts);
    free(ps);
    return rc;
}

static void lo_wait_done(lo_wait *w, kc_err_t err, int64_t off, const char *errstr) {
    pthread_mutex_lock(&w->lock);
    w->err = err;
    w->offset = off;
    snprintf(w->errstr, sizeof w->errstr, "%s", errstr);
    w->done = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

/* Applies one partition's answer to an assigned partition. */
static void apply_answer(kc__consumer *cs, kc__ctp *tp, unsigned version, kc_err_t err,
                         int64_t off) {
    kc__client *c = cs->c;
    pthread_mutex_lock(&cs->lock);
    tp->querying = false;
    if (atomic_load(&tp->version) != version || tp->fstate != KC__FS_QUERY) {
        pthread_mutex_unlock(&cs->lock);
        return;
    }
    if (err) {
        tp->retry_at = kc__mono_ms() + (kc_err_is_retriable(err) ? 200 : 1000);
        if (kc_err_is_retriable(err) || err == KC_ERR_NOT_LEADER_OR_FOLLOWER)
            kc__client_refresh_metadata(c, "list offsets: leader moved");
        else
            kc__cons_event(cs, tp, version, err, -1, "%s [%d]: cannot find the start offset: %s",
                           tp->topic->name, tp->partition, kc_err_desc(err));
    } else {
        if (off < 0) off = 0; /* no record at or after the timestamp: an empty log */
        tp->fstate = KC__FS_ACTIVE;
        tp->retry_at = 0; /* the query's backoff must not delay the first fetch */
        tp->fetch_pos = off;
        atomic_store(&tp->app_pos, off);
        kc__log(c, KC__LOG_DEBUG, "OFFSET", "%s [%d]: starting at offset %lld", tp->topic->name,
                tp->partition, (long long)off);
    }
    pthread_mutex_unlock(&cs->lock);
    kc__client_wake_all_brokers(c);
}

static void on_list_offsets(kc__broker *b, kc__req *r, kc_err_t err, kc__rd *body,
                            const char *errstr) {
    lo_req *q = r->arg;
    int16_t ver = r->ver;
    kc__req_free(r);
    kc__consumer *cs = q->cs;
    kc__arena a;
    kc__arena_init(&a, 4096);
    kc__ListOffsetsResponse resp;
    if (!err && kc__ListOffsetsResponse_decode(body, &a, ver, &resp)) {
        err = KC_ERR__BAD_MSG;
        errstr = "malformed ListOffsetsResponse";
    }
    int n = q->wait ? 1 : q->n;
    for (int i = 0; i < n; i++) {
        const char *name = q->wait ? q->topic : q->tps[i]->topic->name;
        int32_t part = q->wait ? q->partition : q->tps[i]->partition;
        kc_err_t perr = err ? err : KC_ERR__UNKNOWN_PARTITION;
        int64_t off = -1;
        for (int32_t t = 0; !err && t < resp.topics.n; t++) {
            const kc__ListOffsetsResponse_TopicResponse *rt = &resp.topics.items[t];
            if (rt->name.len != (int32_t)strlen(name) || memcmp(rt->name.p, name, strlen(name)))
                continue;
            for (int32_t p = 0; p < rt->partitions.n; p++)
                if (rt->partitions.items[p].partition_index == part) {
                    perr = (kc_err_t)rt->partitions.items[p].error_code;
                    off = rt->partitions.items[p].offset;
                }
        }
        if (q->wait) {
            char why[256];
            snprintf(why, sizeof why, "%s [%d]: %s", name, part,
                     err ? errstr : kc_err_desc(perr));
            lo_wait_done(q->wait, perr, off, perr ? why : "");
        } else {
            apply_answer(cs, q->tps[i], q->versions[i], perr, off);
        }
    }
    kc__arena_destroy(&a);
    (void)b;
    lo_free(q);
}

/* Sends a ListOffsets for the n partitions (same leader). */
static void send_query(kc__consumer *cs, kc__broker *b, kc__ctp **tps, int64_t *ts,
                       unsigned *vers, int n) {
    lo_req *q = calloc(1, sizeof(*q));
    kc__req *r = q ? kc__req_new(cs->c, KC__API_LIST_OFFSETS, encode_list_offsets,
                                 on_list_offsets, q)
                   : NULL;
    if (!r) {
        free(q);
        free(tps);
        free(ts);
        free(vers);
        return;
    }
    q->cs = cs;
    q->n = n;
    q->tps = tps;
    q->ts = ts;
    q->versions = vers;
    kc__broker_send(b, r);
}

static int cmp_leader_tp(const void *a, const void *b, void *arg) {
    (void)arg;
    const kc__ctp *x = *(kc__ctp *const *)a, *y = *(kc__ctp *const *)b;
    return x->topic != y->topic ? strcmp(x->topic->name, y->topic->name)
                                : (x->partition > y->partition) - (x->partition < y->partition);
}

int64_t kc__offsets_tick(kc__client *c, int64_t now) {
    kc__consumer *cs = kc__cons(c);
    int64_t wake = now + 1000;
    if (!cs) return wake;
    pthread_mutex_lock(&cs->lock);
    int n = cs->nassigned;
    kc__ctp **pend = malloc(sizeof(*pend) * (size_t)(n + 1));
    int32_t *leaders = malloc(sizeof(*leaders) * (size_t)(n + 1));
    int np = 0;
    for (int i = 0; pend && leaders && i < n; i++) {
        kc__ctp *tp = cs->assigned[i];
        if (tp->fstate != KC__FS_QUERY || tp->querying) continue;
        bool new_md = tp->leader_wait && atomic_load(&c->md_gen) != tp->leader_md_gen;
        if (tp->retry_at > now && !new_md) {
            if (tp->retry_at < wake) wake = tp->retry_at;
            continue;
        }
        tp->leader_wait = false;
        if (tp->want_offset == KC_OFFSET_STORED) {
            if (*cs->group_id) continue; /* group.c fetches committed offsets */
            tp->want_offset = cs->reset;
        }
        if (tp->want_offset == KC_OFFSET_INVALID) { /* auto.offset.reset=error */
            tp->fstate = KC__FS_STOPPED;
            kc__cons_event(cs, tp, atomic_load(&tp->version), KC_ERR__AUTO_OFFSET_RESET, -1,
                           "%s [%d]: no committed offset and auto.offset.reset is 'error'",
                           tp->topic->name, tp->partition);
            continue;
        }
        int32_t leader = kc__ctp_leader(c, tp);
        if (leader < 0) { /* retried when metadata changes, else in 1 s */
            tp->leader_wait = true;
            tp->leader_md_gen = atomic_load(&c->md_gen);
            tp->retry_at = now + 1000;
            kc__client_refresh_metadata(c, "offset query: no leader known");
            continue;
        }
        tp->querying = true;
        leaders[np] = leader;
        pend[np++] = tp;
    }
    /* One request per leader. */
    for (int i = 0; i < np; i++) {
        if (!pend[i]) continue;
        int32_t leader = leaders[i];
        kc__ctp **tps = malloc(sizeof(*tps) * (size_t)np);
        int64_t *ts = malloc(sizeof(*ts) * (size_t)np);
        unsigned *vers = malloc(sizeof(*vers) * (size_t)np);
        int k = 0;
        for (int j = i; tps && ts && vers && j < np; j++)
            if (pend[j] && leaders[j] == leader) {
                tps[k] = pend[j];
                pend[j] = NULL;
                k++;
            }
        if (k > 1) qsort_r(tps, (size_t)k, sizeof(*tps), cmp_leader_tp, NULL);
        for (int j = 0; j < k; j++) {
            ts[j] = tps[j]->want_offset == KC_OFFSET_BEGINNING ? -2 : -1;
            vers[j] = atomic_load(&tps[j]->version);
        }
        kc__broker *b = kc__client_broker_by_id(c, leader);
        if (!b || !k) {
            for (int j = 0; j < k; j++) tps[j]->querying = false;
            free(tps);
            free(ts);
            free(vers);
            continue;
        }
        pthread_mutex_unlock(&cs->lock);
        send_query(cs, b, tps, ts, vers, k);
        pthread_mutex_lock(&cs->lock);
    }
    pthread_mutex_unlock(&cs->lock);
    free(pend);
    free(leaders);
    return wake;
}

/* ------------------------------------------------------------ blocking */

kc_err_t kc__list_offset_sync(kc__client *c, const char *topic, int32_t partition, int64_t ts,
                              int64_t deadline, int64_t *offsetp, char *errstr, size_t errsize) {
    kc__consumer *cs = kc__cons(c);
    for (;;) {
        kc_err_t err = KC_ERR_NO_ERROR;
        int32_t leader = kc__topic_wait_leader(c, topic, partition, deadline, &err);
        if (leader < 0)
            return kc__seterr(errstr, errsize, err, "%s [%d]: no leader: %s", topic, partition,
                              kc_err_desc(err));
        kc__broker *b = kc__client_broker_by_id(c, leader);
        lo_wait w = {0};
        pthread_mutex_init(&w.lock, NULL);
        kc__cond_init_monotonic(&w.cond);
        lo_req *q = calloc(1, sizeof(*q));
        int64_t *tsv = malloc(sizeof(*tsv));
        kc__req *r = q && tsv && b ? kc__req_new(c, KC__API_LIST_OFFSETS, encode_list_offsets,
                                                 on_list_offsets, q)
                                   : NULL;
        if (!r) {
            free(q);
            free(tsv);
            pthread_mutex_destroy(&w.lock);
            pthread_cond_destroy(&w.cond);
            return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        }
        tsv[0] = ts;
        q->cs = cs;
        q->n = 1;
        q->ts = tsv;
        q->wait = &w;
        q->topic = topic;
        q->partition = partition;
        kc__broker_send(b, r);
        pthread_mutex_lock(&w.lock);
        while (!w.done) pthread_cond_wait(&w.cond, &w.lock); /* the request always ends */
        pthread_mutex_unlock(&w.lock);
        pthread_mutex_destroy(&w.lock);
        pthread_cond_destroy(&w.cond);
        if (!w.err) {
            *offsetp = w.offset;
            return KC_ERR_NO_ERROR;
        }
        if (!kc_err_is_retriable(w.err) || kc__mono_ms() >= deadline)
            return kc__seterr(errstr, errsize, w.err, "%s", w.errstr);
        kc__client_refresh_metadata(c, "list offsets failed");
        struct timespec pause = {0, 100 * 1000000};
        nanosleep(&pause, NULL);
    }
}
