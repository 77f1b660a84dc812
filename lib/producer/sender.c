/* The sender: on each broker thread, takes ready batches of the partitions
 * that broker leads into ProduceRequests and handles the responses
 * (delivery, retries, metadata refresh, idempotence recovery). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/broker.h"
#include "producer.h"
#include "proto/gen/apis.h"
#include "proto/gen/produce.h"
#include "util/time.h"

typedef struct produce_ctx {
    kc__client *c;
    int n;
    kc__pbatch *b[];
} produce_ctx;

/* Rebuilds b's list of led partitions when metadata changed. */
static void refresh_ptns(kc__broker *b) {
    kc__client *c = b->c;
    unsigned gen = atomic_load(&c->md_gen);
    if (gen == b->md_gen && b->ptns) return;
    b->md_gen = gen;
    b->nptns = 0;
    pthread_rwlock_rdlock(&c->topics_lock);
    for (size_t i = 0; i < c->topic_cap; i++) {
        kc__topic *t = c->topic_map[i];
        if (!t) continue;
        for (int32_t k = 0; k < t->npartitions; k++) {
            if (atomic_load(&t->partitions[k]->leader) != b->id) continue;
            if (b->nptns == b->cap_ptns) {
                int cap = b->cap_ptns ? b->cap_ptns * 2 : 64;
                kc__ptn **np = realloc(b->ptns, sizeof(*np) * (size_t)cap);
                if (!np) break;
                b->ptns = np;
                b->cap_ptns = cap;
            }
            b->ptns[b->nptns++] = t->partitions[k];
        }
    }
    pthread_rwlock_unlock(&c->topics_lock);
}

static int64_t backoff(kc__client *c, int attempts) {
    int64_t ms = c->retry_backoff_ms;
    for (int i = 1; i < attempts && ms < c->retry_backoff_max_ms; i++) ms *= 2;
    return ms > c->retry_backoff_max_ms ? c->retry_backoff_max_ms : ms;
}

/* Puts a batch back on its partition for a retry, in sequence order, or
 * fails it when retries or time are used up. */
static void requeue(kc__client *c, kc__pbatch *b, kc_err_t err, const char *why) {
    int64_t now = kc__mono_ms();
    b->attempts++;
    if (!kc_err_is_retriable(err) && err != KC_ERR__TRANSPORT && err != KC_ERR__TIMED_OUT &&
        err != KC_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER && err != KC_ERR_UNKNOWN_PRODUCER_ID) {
        kc__pbatch_done(c, b, err, "%s", why);
        return;
    }
    if (b->attempts > c->retries || now >= b->deadline_ms) {
        kc__pbatch_done(c, b, err, "%s (after %d attempts)", why, b->attempts);
        return;
    }
    kc__pbatch_set_err(b, err, "%s", why);
    b->retry_at_ms = now + backoff(c, b->attempts);
    kc__ptn *p = b->ptn;
    pthread_mutex_lock(&p->lock);
    p->confirmed = false; /* one batch in flight until this one is through */
    kc__pbatch **pp = &p->rq_head;
    while (*pp && (*pp)->sealed && (*pp)->pid == b->pid && (*pp)->epoch == b->epoch &&
           (*pp)->base_seq < b->base_seq)
        pp = &(*pp)->next;
    b->next = *pp;
    *pp = b;
    if (!b->next) p->rq_tail = b;
    int32_t leader = atomic_load(&p->leader);
    pthread_mutex_unlock(&p->lock);
    kc__log(c, KC__LOG_DEBUG, "PRODUCE", "%s [%d]: retry %d in %lld ms: %s", b->topic->name,
            b->partition, b->attempts, (long long)(b->retry_at_ms - now), why);
    if (leader >= 0) kc__client_wake_broker(c, leader);
}

/* After a partition's request is done (on broker br's thread; NULL at
 * destroy). A batch that became ready while the partition had all its
 * requests in flight woke nobody (kc__accum_append): the thread that gets
 * the response sends it - unless the partition's leader moved to another
 * broker meanwhile, which is woken here. Caller holds p->lock. */
static bool leader_elsewhere_locked(kc__broker *br, kc__ptn *p, int32_t *leader) {
    *leader = atomic_load(&p->leader);
    return br && *leader >= 0 && *leader != br->id && (p->rq_head || p->open);
}

static void ptn_done_inflight_on(kc__client *c, kc__broker *br, kc__ptn *p) {
    int32_t leader;
    pthread_mutex_lock(&p->lock);
    p->inflight--;
    bool wake = leader_elsewhere_locked(br, p, &leader);
    pthread_mutex_unlock(&p->lock);
    if (wake) kc__client_wake_broker(c, leader);
}

static void ptn_done_inflight(kc__ptn *p) {
    pthread_mutex_lock(&p->lock);
    p->inflight--;
    pthread_mutex_unlock(&p->lock);
}

static int encode_produce(kc__req *r, int16_t ver, kc__buf *body) {
    produce_ctx *ctx = r->arg;
    kc__client *c = ctx->c;
    kc__ProduceRequest req;
    kc__ProduceRequest_init(&req);
    req.transactional_id = KC__STR_NULL;
    req.acks = (int16_t)c->acks;
    req.timeout_ms = (int32_t)c->request_timeout_ms;
    kc__ProduceRequest_TopicProduceData *tds = calloc((size_t)ctx->n, sizeof(*tds));
    kc__ProduceRequest_PartitionProduceData *pds = calloc((size_t)ctx->n, sizeof(*pds));
    if (!tds || !pds) {
        free(tds);
        free(pds);
        return KC__ENC_NOMEM;
    }
    /* One allocation for the whole request (the batches are copied in;
     * growing by doubling copied them again several times). */
    size_t total = 256;
    for (int i = 0; i < ctx->n; i++) total += ctx->b[i]->buf.len + 64;
    if (kc__buf_reserve(body, total)) {
        free(tds);
        free(pds);
        return KC__ENC_NOMEM;
    }
    /* Batches arrive sorted by topic (kc__sender_run). */
    int32_t nt = 0;
    for (int i = 0; i < ctx->n; i++) {
        kc__pbatch *b = ctx->b[i];
        if (i == 0 || ctx->b[i - 1]->topic != b->topic) {
            kc__ProduceRequest_TopicProduceData_init(&tds[nt]);
            if (ver >= 13)
                tds[nt].topic_id = b->topic->id;
            else
                tds[nt].name = kc__str_c(b->topic->name);
            tds[nt].partition_data.items = &pds[i];
            nt++;
        }
        kc__ProduceRequest_PartitionProduceData_init(&pds[i]);
        pds[i].index = b->partition;
        pds[i].records.p = b->buf.p;
        pds[i].records.len = (int32_t)b->buf.len;
        tds[nt - 1].partition_data.n++;
    }
    req.topic_data.n = nt;
    req.topic_data.items = tds;
    int rc = kc__ProduceRequest_encode(body, ver, &req);
    free(tds);
    free(pds);
    return rc;
}

static kc__pbatch *find_batch(produce_ctx *ctx, const kc__ProduceResponse_TopicProduceResponse *tr,
                              int32_t partition, int16_t ver) {
    for (int i = 0; i < ctx->n; i++) {
        kc__pbatch *b = ctx->b[i];
        if (!b || b->partition != partition) continue;
        bool same = ver >= 13 ? memcmp(tr->topic_id.b, b->topic->id.b, 16) == 0
                              : kc__str_eq(tr->name, kc__str_c(b->topic->name));
        if (same) return b;
    }
    return NULL;
}

static void handle_partition(kc__client *c, kc__broker *br, kc__pbatch *b,
                             const kc__ProduceResponse_PartitionProduceResponse *pr) {
    kc_err_t err = (kc_err_t)pr->error_code;
    if (err == KC_ERR_NO_ERROR || err == KC_ERR_DUPLICATE_SEQUENCE_NUMBER) {
        int32_t leader;
        pthread_mutex_lock(&b->ptn->lock); /* once for both */
        b->ptn->inflight--;
        if (b->pid == b->ptn->pid && b->epoch == b->ptn->epoch) b->ptn->confirmed = true;
        bool wake = leader_elsewhere_locked(br, b->ptn, &leader);
        pthread_mutex_unlock(&b->ptn->lock);
        if (wake) kc__client_wake_broker(c, leader);
        b->base_offset = err ? -1 : pr->base_offset;
        b->log_append_time = pr->log_append_time_ms;
        kc__pbatch_done(c, b, KC_ERR_NO_ERROR, NULL);
        return;
    }
    ptn_done_inflight(b->ptn);
    char why[512];
    snprintf(why, sizeof why, "%s [%d]: %s (broker %s)%s%.*s", b->topic->name, b->partition,
             kc_err_name(err), br->name, pr->error_message.len > 0 ? ": " : "",
             pr->error_message.len > 0 ? (int)pr->error_message.len : 0,
             pr->error_message.len > 0 ? pr->error_message.p : "");
    switch (err) {
    case KC_ERR_NOT_LEADER_OR_FOLLOWER:
    case KC_ERR_UNKNOWN_TOPIC_OR_PARTITION:
    case KC_ERR_LEADER_NOT_AVAILABLE:
    case KC_ERR_FENCED_LEADER_EPOCH:
    case KC_ERR_UNKNOWN_TOPIC_ID:
    case KC_ERR_INCONSISTENT_TOPIC_ID:
        kc__client_refresh_metadata(c, why);
        break;
    case KC_ERR_UNKNOWN_PRODUCER_ID:
        kc__idemp_reset(c, b->pid, b->epoch, why);
        break;
    case KC_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER: {
        /* Earlier batches still in flight fail too and are resent first;
         * only an out-of-order head means the broker lost our state. */
        pthread_mutex_lock(&b->ptn->lock);
        bool head = b->ptn->inflight == 0;
        pthread_mutex_unlock(&b->ptn->lock);
        if (head) kc__idemp_reset(c, b->pid, b->epoch, why);
        break;
    }
    default: break;
    }
    requeue(c, b, err, why);
}

static void on_produce(kc__broker *br, kc__req *r, kc_err_t err, kc__rd *body,
                       const char *errstr) {
    produce_ctx *ctx = r->arg;
    kc__client *c = ctx->c;
    int16_t ver = r->ver;
    bool no_response = r->no_response;
    kc__req_free(r);
    if (err || no_response) {
        for (int i = 0; i < ctx->n; i++) {
            kc__pbatch *b = ctx->b[i];
            ptn_done_inflight_on(c, br, b->ptn);
            if (!err) {
                kc__pbatch_done(c, b, KC_ERR_NO_ERROR, NULL); /* acks=0: offset unknown */
            } else if (err == KC_ERR__DESTROY) {
                kc__pbatch_done(c, b, err, "%s [%d]: producer destroyed while the request was in "
                                           "flight", b->topic->name, b->partition);
            } else {
                requeue(c, b, err, errstr);
            }
        }
        if (err && err != KC_ERR__DESTROY) kc__client_refresh_metadata(c, errstr);
        free(ctx);
        return;
    }
    kc__arena a;
    kc__arena_init(&a, 4096);
    kc__ProduceResponse resp;
    int rc = kc__ProduceResponse_decode(body, &a, ver, &resp);
    if (rc == 0) {
        for (int32_t t = 0; t < resp.responses.n; t++) {
            const kc__ProduceResponse_TopicProduceResponse *tr = &resp.responses.items[t];
            for (int32_t p = 0; p < tr->partition_responses.n; p++) {
                const kc__ProduceResponse_PartitionProduceResponse *pr =
                    &tr->partition_responses.items[p];
                kc__pbatch *b = find_batch(ctx, tr, pr->index, ver);
                if (!b) continue;
                for (int i = 0; i < ctx->n; i++)
                    if (ctx->b[i] == b) ctx->b[i] = NULL;
                handle_partition(c, br, b, pr);
            }
        }
    }
    /* Batches the response did not mention (or all of them when it could
     * not be decoded) are retried. */
    for (int i = 0; i < ctx->n; i++) {
        kc__pbatch *b = ctx->b[i];
        if (!b) continue;
        ptn_done_inflight(b->ptn);
        char why[512];
        snprintf(why, sizeof why, "%s [%d]: %s from %s", b->topic->name, b->partition,
                 rc ? "malformed ProduceResponse" : "no result in ProduceResponse", br->name);
        requeue(c, b, KC_ERR__TRANSPORT, why); /* resent: the broker dedups with idempotence */
    }
    kc__arena_destroy(&a);
    free(ctx);
}

static int cmp_topic(const void *x, const void *y) {
    const kc__pbatch *a = *(kc__pbatch *const *)x, *b = *(kc__pbatch *const *)y;
    return a->topic < b->topic ? -1 : a->topic > b->topic;
}

/* Takes at most one ready batch from p (locked by the caller). */
static kc__pbatch *take_one(kc__client *c, kc__ptn *p, int64_t now, bool flushing,
                            int64_t *wake_at) {
    if (p->rq_head) {
        kc__pbatch *b = p->rq_head;
        if (b->retry_at_ms > now) {
            if (b->retry_at_ms < *wake_at) *wake_at = b->retry_at_ms;
            return NULL;
        }
        p->rq_head = b->next;
        if (!p->rq_head) p->rq_tail = NULL;
        b->next = NULL;
        return b;
    }
    kc__pbatch *b = p->open;
    if (!b) return NULL;
    int64_t ready_at = b->first_ms + c->linger_ms;
    if (flushing || now >= ready_at || b->bytes >= c->batch_size) {
        p->open = NULL;
        return b;
    }
    if (ready_at < *wake_at) *wake_at = ready_at;
    return NULL;
}

int64_t kc__sender_run(kc__broker *br, int64_t now) {
    kc__client *c = br->c;
    int64_t wake_at = INT64_MAX;
    refresh_ptns(br);
    if (br->nptns == 0) {
        br->want_connect = false;
        return wake_at;
    }
    int64_t pid = -1;
    int16_t epoch = -1;
    bool up = atomic_load(&br->state) == KC__BRK_UP;
    bool can_send = up && br->ninflight < c->max_inflight &&
                    (!c->idempotence || kc__idemp_ready(c, &pid, &epoch));
    bool flushing = atomic_load(&c->flushing) > 0;
    int per_ptn = c->max_inflight;
    bool has_data = false;
    /* Collect batches, one per partition, up to message.max.bytes per request. */
    kc__pbatch *take[512];
    int n = 0;
    int64_t bytes = 0;
    for (int i = 0; i < br->nptns && n < 512; i++) {
        kc__ptn *p = br->ptns[i];
        if (atomic_load(&p->leader) != br->id) continue;
        pthread_mutex_lock(&p->lock);
        if (p->open || p->rq_head) has_data = true;
        kc__pbatch *b = NULL;
        int limit =
            c->idempotence && !(p->confirmed && p->pid == pid && p->epoch == epoch) ? 1 : per_ptn;
        if (can_send && p->inflight < limit && bytes < c->message_max_bytes) {
            b = take_one(c, p, now, flushing, &wake_at);
        } else if (p->open && !flushing) {
            /* Blocked (in-flight limits, no producer id, not connected): a
             * response, the producer id or the connection wakes this thread;
             * only a linger still to come needs a timer. */
            int64_t ready_at = p->open->first_ms + c->linger_ms;
            if (ready_at > now && ready_at < wake_at) wake_at = ready_at;
        }
        if (b) {
            int32_t seq = -1;
            if (c->idempotence) {
                if (p->pid != pid || p->epoch != epoch) { /* new id or bumped epoch */
                    p->pid = pid;
                    p->epoch = epoch;
                    p->next_seq = 0;
                    p->confirmed = false;
                }
                if (b->sealed && b->pid == pid && b->epoch == epoch) {
                    seq = b->base_seq;
                } else {
                    seq = p->next_seq;
                    p->next_seq = (int32_t)(((int64_t)p->next_seq + b->cnt) & 0x7fffffff);
                }
            }
            p->inflight++;
            pthread_mutex_unlock(&p->lock);
            /* Sealed (compression, CRC) outside the lock: the batch is ours
             * now, and the application keeps appending to the partition's
             * next batch meanwhile instead of waiting for the CRC. */
            int rc = kc__pbatch_seal(c, b, c->idempotence ? pid : -1,
                                     c->idempotence ? epoch : -1, seq);
            if (rc) {
                ptn_done_inflight(p);
                kc__pbatch_done(c, b, KC_ERR__FAIL, "%s [%d]: cannot build the batch: %s",
                                b->topic->name, b->partition, kc__batch_strerror(rc));
                continue;
            }
            take[n++] = b;
            bytes += (int64_t)b->buf.len;
            continue;
        }
        pthread_mutex_unlock(&p->lock);
    }
    br->want_connect = has_data;
    if (n == 0) return wake_at;
    qsort(take, (size_t)n, sizeof(take[0]), cmp_topic);
    produce_ctx *ctx = malloc(sizeof(*ctx) + sizeof(kc__pbatch *) * (size_t)n);
    kc__req *r = ctx ? kc__req_new(c, KC__API_PRODUCE, encode_produce, on_produce, ctx) : NULL;
    if (!r) {
        free(ctx);
        for (int i = 0; i < n; i++) {
            ptn_done_inflight(take[i]->ptn);
            requeue(c, take[i], KC_ERR__CRIT_SYS_RESOURCE, "out of memory building a request");
        }
        return now + 100;
    }
    ctx->c = c;
    ctx->n = n;
    memcpy(ctx->b, take, sizeof(kc__pbatch *) * (size_t)n);
    r->no_response = c->acks == 0;
    /* Produce v13 names topics by id: only when every topic's id is known. */
    for (int i = 0; i < n; i++) {
        static const kc__uuid zero;
        if (memcmp(take[i]->topic->id.b, zero.b, 16) == 0) r->max_ver = 12;
    }
    kc__broker_enqueue(br, r);
    return now; /* look again right away: more may be ready */
}
