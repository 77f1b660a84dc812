/* The accumulator: records are encoded once into their partition's open
 * batch; records for topics without metadata wait (copied) in a pending
 * list; batches past delivery.timeout.ms fail. See producer.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/broker.h"
#include "producer.h"
#include "util/time.h"

/* Records waiting for their topic's metadata are packed into chunks: each
 * record is a pend_rec followed by its headers array, key, value and header
 * bytes, 8-byte aligned, so that a queued record costs its bytes plus 40,
 * not a malloc each. Records leave in order from the head chunk; a chunk
 * is freed when its last record left. */
struct kc__pending {
    kc__pending *next;
    size_t rd, wr, cap; /* offsets in data: next record to take, end, size */
    _Alignas(16) uint8_t data[];
};

typedef struct pend_rec {
    int64_t ts;
    int64_t deadline_ms;
    void *opaque;
    int32_t partition;
    int32_t keylen, vallen; /* -1: null */
    uint32_t nhdrs;         /* a kc__rec_header array follows (pointers into this record) */
} pend_rec;

#define PEND_CHUNK_MIN ((size_t)4 << 10)
#define PEND_CHUNK_MAX ((size_t)256 << 10)

static inline size_t pend_align(size_t n) { return (n + 7) & ~(size_t)7; }

static inline kc__rec_header *pend_hdrs(pend_rec *r) { return (kc__rec_header *)(void *)(r + 1); }

static inline kc__bytes pend_key(pend_rec *r) {
    const uint8_t *p = (const uint8_t *)(pend_hdrs(r) + r->nhdrs);
    return r->keylen >= 0 ? (kc__bytes){p, r->keylen} : KC__BYTES_NULL;
}

static inline kc__bytes pend_value(pend_rec *r) {
    const uint8_t *p = (const uint8_t *)(pend_hdrs(r) + r->nhdrs) + (r->keylen > 0 ? r->keylen : 0);
    return r->vallen >= 0 ? (kc__bytes){p, r->vallen} : KC__BYTES_NULL;
}

static size_t pend_rec_size(const pend_rec *r) {
    size_t n = sizeof(*r) + r->nhdrs * sizeof(kc__rec_header) + (size_t)(r->keylen > 0 ? r->keylen : 0) +
               (size_t)(r->vallen > 0 ? r->vallen : 0);
    const kc__rec_header *h = (const kc__rec_header *)(const void *)(r + 1);
    for (uint32_t i = 0; i < r->nhdrs; i++)
        n += (size_t)(h[i].key.len > 0 ? h[i].key.len : 0) +
             (size_t)(h[i].value.len > 0 ? h[i].value.len : 0);
    return pend_align(n);
}

/* The oldest pending record of t, or NULL. Caller holds t->lock. */
static inline pend_rec *pend_first(kc__topic *t) {
    kc__pending *k = t->pend_head;
    return k ? (pend_rec *)(void *)(k->data + k->rd) : NULL;
}

/* Drops the oldest pending record (after its bytes were copied or
 * reported); frees its chunk when it was the chunk's last. */
static void pend_drop_first(kc__topic *t) {
    kc__pending *k = t->pend_head;
    k->rd += pend_rec_size((pend_rec *)(void *)(k->data + k->rd));
    if (k->rd < k->wr) return;
    t->pend_head = k->next;
    if (!t->pend_head) t->pend_tail = NULL;
    free(k);
}

static void pbatch_op_free(kc__op *op) { kc__pbatch_free((kc__pbatch *)op); }

kc__pbatch *kc__pbatch_new(kc__client *c, kc__topic *t, int32_t partition, int64_t est) {
    kc__pbatch *b = calloc(1, sizeof(*b));
    if (!b) return NULL;
    b->op.type = KC__OP_DR;
    b->op.free_fn = pbatch_op_free;
    b->topic = t;
    b->partition = partition;
    b->base_offset = -1;
    b->log_append_time = -1;
    b->pid = -1;
    b->epoch = -1;
    b->base_seq = -1;
    b->first_ms = kc__mono_ms();
    b->deadline_ms = b->first_ms + c->delivery_timeout_ms;
    /* Records are added while the estimates so far plus the next one fit
     * batch.size (or it is the first), and each record encodes to at most
     * its estimate: header + max(batch.size, first) bytes always suffice. */
    if (est < 1) est = 1;
    int64_t most = c->batch_size > est ? c->batch_size : est;
    kc__buf_init(&b->buf, (size_t)most + KC__BATCH_HEADER_SIZE);
    /* Opaques for as many records of this size as batch.size takes. */
    int64_t n = c->batch_size / est + 1;
    b->cap = (int32_t)(n < 4 ? 4 : n > 4096 ? 4096 : n);
    if (!kc__buf_ok(&b->buf) || kc__batch_writer_begin(&b->w, &b->buf)) {
        kc__pbatch_free(b);
        return NULL;
    }
    return b;
}

void kc__pbatch_free(kc__pbatch *b) {
    if (!b) return;
    kc__buf_free(&b->buf);
    free(b->opaques);
    free(b->errstr);
    free(b);
}

int kc__pbatch_append(kc__pbatch *b, int64_t ts, kc__bytes key, kc__bytes value,
                      const kc__rec_header *hdrs, size_t nhdrs, void *opaque, int64_t est) {
    if (opaque || b->opaques) {
        if (!b->opaques || b->cnt == b->cap) {
            int32_t cap = b->cap;
            while (cap <= b->cnt) cap = cap > INT32_MAX / 2 ? INT32_MAX : cap * 2;
            void **o = realloc(b->opaques, sizeof(*o) * (size_t)cap);
            if (!o) return KC__BATCH_ERR_NOMEM;
            if (!b->opaques) memset(o, 0, sizeof(*o) * (size_t)b->cnt); /* the NULLs so far */
            b->opaques = o;
            b->cap = cap;
        }
    }
    int rc = kc__batch_append(&b->w, ts, key, value, hdrs, nhdrs);
    if (rc) return rc;
    if (b->opaques) b->opaques[b->cnt] = opaque;
    b->cnt++;
    b->bytes += est;
    return 0;
}

int kc__pbatch_seal(kc__client *c, kc__pbatch *b, int64_t pid, int16_t epoch, int32_t seq) {
    if (b->sealed) {
        if (b->pid == pid && b->epoch == epoch && b->base_seq == seq) return 0;
        b->pid = pid;
        b->epoch = epoch;
        b->base_seq = seq;
        return kc__batch_set_producer(b->buf.p, b->buf.len, pid, epoch, seq);
    }
    kc__batch_params bp = KC__BATCH_PARAMS_INIT;
    bp.codec = c->codec;
    bp.level = c->level;
    bp.producer_id = pid;
    bp.producer_epoch = epoch;
    bp.base_sequence = seq;
    kc__buf scratch;
    kc__buf_init(&scratch, 0);
    int rc = kc__batch_writer_finish(&b->w, &bp, &scratch);
    kc__buf_free(&scratch);
    if (rc) return rc;
    b->sealed = true;
    b->pid = pid;
    b->epoch = epoch;
    b->base_seq = seq;
    return 0;
}

static void set_errstr_v(kc__pbatch *b, const char *fmt, va_list ap) {
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    char *copy = strdup(msg);
    if (!copy) return; /* keeps the previous message (or none) */
    free(b->errstr);
    b->errstr = copy;
}

void kc__pbatch_set_err(kc__pbatch *b, kc_err_t err, const char *fmt, ...) {
    b->err = err;
    va_list ap;
    va_start(ap, fmt);
    set_errstr_v(b, fmt, ap);
    va_end(ap);
}

void kc__pbatch_done(kc__client *c, kc__pbatch *b, kc_err_t err, const char *fmt, ...) {
    b->err = err;
    if (err && fmt) {
        va_list ap;
        va_start(ap, fmt);
        set_errstr_v(b, fmt, ap);
        va_end(ap);
    } else {
        free(b->errstr);
        b->errstr = NULL;
    }
    b->next = NULL;
    kc__q_push(&c->appq, &b->op);
}

/* Moves p's open batch to the ready queue (no more appends). Caller holds
 * p->lock. */
static void close_open(kc__client *c, kc__ptn *p) {
    kc__pbatch *b = p->open;
    if (!b) return;
    p->open = NULL;
    /* A batch that will wait (others are queued before it, or the
     * partition has all its requests in flight: a slow or stopped broker)
     * keeps no capacity it will not use; realloc shrinks in place. One sent
     * right away is left alone (it is freed soon). */
    if ((p->rq_head || p->inflight >= c->max_inflight) && b->buf.cap - b->buf.len >= 256)
        kc__buf_shrink(&b->buf);
    b->next = NULL;
    if (p->rq_tail)
        p->rq_tail->next = b;
    else
        p->rq_head = b;
    p->rq_tail = b;
}

int32_t kc__pick_partition(kc__client *c, kc__topic *t, const void *key, size_t keylen,
                           int64_t est) {
    kc_partitioner_cb *cb = c->conf->partitioner_cb;
    if (!cb)
        return kc__partition(c->partitioner, &t->pstate, key, keylen, t->npartitions,
                             (size_t)est, c->batch_size, NULL, NULL);
    int32_t part = cb(t->name, key, keylen, t->npartitions, c->conf->opaque);
    return part >= 0 && part < t->npartitions ? part : -1;
}

kc_err_t kc__accum_append(kc__client *c, kc__topic *t, kc__ptn *p, int64_t ts, kc__bytes key,
                          kc__bytes value, const kc__rec_header *hdrs, size_t nhdrs,
                          void *opaque, int64_t est) {
    bool ready = false;   /* a batch became ready: wake the broker thread */
    int64_t linger_at = 0; /* a new open batch: ready by linger then */
    kc_err_t err = KC_ERR_NO_ERROR;
    pthread_mutex_lock(&p->lock);
    /* A partition with all its requests in flight cannot send a batch
     * that becomes ready now: the response that frees a slot makes the
     * broker thread look again (or wakes the new leader's, sender.c). */
    bool full = p->inflight >= c->max_inflight;
    if (p->open && p->open->cnt > 0 && p->open->bytes + est > c->batch_size) {
        close_open(c, p);
        ready = !full;
    }
    if (!p->open) {
        p->open = kc__pbatch_new(c, t, p->id, est);
        if (!p->open) {
            pthread_mutex_unlock(&p->lock);
            return KC_ERR__CRIT_SYS_RESOURCE;
        }
        p->open->ptn = p;
        linger_at = p->open->first_ms + c->linger_ms;
    }
    int rc = kc__pbatch_append(p->open, ts, key, value, hdrs, nhdrs, opaque, est);
    if (rc) {
        err = rc == KC__BATCH_ERR_NOMEM ? KC_ERR__CRIT_SYS_RESOURCE : KC_ERR__INVALID_ARG;
    } else if (p->open->bytes >= c->batch_size) {
        close_open(c, p);
        ready = !full;
    }
    int32_t leader = atomic_load(&p->leader);
    pthread_mutex_unlock(&p->lock);
    if (leader >= 0) {
        /* A new batch only needs the broker thread by its linger deadline
         * (no wake-up when it looks by then anyway); one that is ready, or
         * any while a flush ignores linger, needs it now. */
        if (ready || (linger_at && atomic_load(&c->flushing) > 0))
            kc__client_wake_broker(c, leader);
        else if (linger_at)
            kc__client_wake_broker_by(c, leader, linger_at);
    }
    return err;
}

/* ---------------------------------------------------------------- pending */

kc_err_t kc__pending_add(kc__client *c, kc__topic *t, int32_t partition, int64_t ts, kc__bytes key,
                         kc__bytes value, const kc__rec_header *hdrs, size_t nhdrs, void *opaque,
                         int64_t est) {
    (void)est; /* recomputed when placed */
    if (nhdrs > UINT32_MAX / sizeof(kc__rec_header)) return KC_ERR__INVALID_ARG;
    size_t need = sizeof(pend_rec) + nhdrs * sizeof(kc__rec_header) +
                  (key.len > 0 ? (size_t)key.len : 0) + (value.len > 0 ? (size_t)value.len : 0);
    for (size_t i = 0; i < nhdrs; i++)
        need += (size_t)(hdrs[i].key.len > 0 ? hdrs[i].key.len : 0) +
                (size_t)(hdrs[i].value.len > 0 ? hdrs[i].value.len : 0);
    need = pend_align(need);
    /* The caller holds t->lock (see kc_produce). */
    kc__pending *k = t->pend_tail;
    if (!k || k->cap - k->wr < need) {
        size_t size = k ? k->cap * 2 : PEND_CHUNK_MIN;
        if (size > PEND_CHUNK_MAX) size = PEND_CHUNK_MAX;
        if (size < need) size = need;
        k = malloc(sizeof(*k) + size);
        if (!k) return KC_ERR__CRIT_SYS_RESOURCE;
        k->next = NULL;
        k->rd = k->wr = 0;
        k->cap = size;
        if (t->pend_tail)
            t->pend_tail->next = k;
        else
            t->pend_head = k;
        t->pend_tail = k;
    }
    pend_rec *pr = (pend_rec *)(void *)(k->data + k->wr);
    k->wr += need;
    pr->ts = ts;
    pr->deadline_ms = kc__mono_ms() + c->delivery_timeout_ms;
    pr->opaque = opaque;
    pr->partition = partition;
    pr->keylen = key.len < 0 ? -1 : key.len;
    pr->vallen = value.len < 0 ? -1 : value.len;
    pr->nhdrs = (uint32_t)nhdrs;
    kc__rec_header *h = pend_hdrs(pr);
    uint8_t *w = (uint8_t *)(h + nhdrs);
    if (key.len > 0) memcpy(w, key.p, (size_t)key.len), w += key.len;
    if (value.len > 0) memcpy(w, value.p, (size_t)value.len), w += value.len;
#define KC__COPY(dst, src, T)                                      \
    do {                                                           \
        (dst).len = (src).len;                                     \
        (dst).p = (src).len > 0 ? (T)(void *)w : (src).p;          \
        if ((src).len > 0) memcpy(w, (src).p, (size_t)(src).len);  \
        if ((src).len > 0) w += (src).len;                         \
    } while (0)
    for (size_t i = 0; i < nhdrs; i++) {
        KC__COPY(h[i].key, hdrs[i].key, const char *);
        KC__COPY(h[i].value, hdrs[i].value, const uint8_t *);
    }
#undef KC__COPY
    return KC_ERR_NO_ERROR;
}

/* Adds a pending record to the report batches in *list (the last one, or
 * a new one once it holds 1 MiB). Returns false when out of memory. */
static bool report_pending(kc__client *c, kc__topic *t, pend_rec *pr, kc__pbatch **list,
                           kc__pbatch **last) {
    kc__bytes key = pend_key(pr), value = pend_value(pr);
    int64_t est = (int64_t)kc__batch_size_estimate(key, value, pend_hdrs(pr), pr->nhdrs);
    kc__pbatch *b = *last;
    if (!b || b->bytes > 1 << 20) {
        b = kc__pbatch_new(c, t, -1, est);
        if (!b) return false;
        if (*last)
            (*last)->next = b;
        else
            *list = b;
        *last = b;
    }
    return kc__pbatch_append(b, pr->ts, key, value, pend_hdrs(pr), pr->nhdrs, pr->opaque, est) == 0;
}

/* Reports a list of report batches with err (after the locks are gone). */
static void report_done(kc__client *c, kc__pbatch *list, kc_err_t err, const char *why) {
    while (list) {
        kc__pbatch *next = list->next;
        kc__pbatch_done(c, list, err, "%s", why);
        list = next;
    }
}

void kc__accum_flush_pending(kc__client *c, kc__topic *t) {
    /* t->lock is held until every pending record is placed: kc_produce()
     * queues new records behind pending ones under t->lock, so none can be
     * appended directly while older ones are still being placed (that
     * reordered a partition). Lock order: topics_lock, t->lock, p->lock. */
    pthread_rwlock_rdlock(&c->topics_lock);
    pthread_mutex_lock(&t->lock);
    if (!t->pend_head) {
        pthread_mutex_unlock(&t->lock);
        pthread_rwlock_unlock(&c->topics_lock);
        return;
    }
    kc__pbatch *failed = NULL, *flast = NULL;
    long lost = 0;
    pend_rec *pr;
    while ((pr = pend_first(t))) {
        kc__bytes key = pend_key(pr), value = pend_value(pr);
        if (t->state == KC__TOPIC_EXISTS && pr->partition < t->npartitions) {
            int64_t est = (int64_t)kc__batch_size_estimate(key, value, pend_hdrs(pr), pr->nhdrs);
            int32_t part = pr->partition;
            if (part < 0)
                part = kc__pick_partition(c, t, key.len >= 0 ? key.p : NULL,
                                          key.len < 0 ? 0 : (size_t)key.len, est);
            if (part >= 0 && kc__accum_append(c, t, t->partitions[part], pr->ts, key, value,
                                              pend_hdrs(pr), pr->nhdrs, pr->opaque, est) == 0) {
                pend_drop_first(t);
                continue;
            }
        }
        if (!report_pending(c, t, pr, &failed, &flast)) lost++;
        pend_drop_first(t);
    }
    kc_err_t err = t->state == KC__TOPIC_EXISTS ? KC_ERR__UNKNOWN_PARTITION : t->err;
    pthread_mutex_unlock(&t->lock);
    pthread_rwlock_unlock(&c->topics_lock);
    if (lost)
        kc__log(c, KC__LOG_ERR, "PRODUCE", "out of memory reporting %ld failed records of %s",
                lost, t->name);
    if (failed) {
        if (!err) err = KC_ERR__MSG_TIMED_OUT;
        char why[256];
        snprintf(why, sizeof why, "topic %s: %s", t->name,
                 err == KC_ERR__UNKNOWN_PARTITION ? "partition does not exist" : kc_err_desc(err));
        report_done(c, failed, err, why);
    }
}

/* ---------------------------------------------------------------- expiry */

/* Fails p's unsent batches whose deadline passed. Caller holds p->lock;
 * returns the list to report (reported after unlocking). */
static kc__pbatch *expire_ptn(kc__client *c, kc__ptn *p, int64_t now, bool all, int64_t *next) {
    kc__pbatch *out = NULL, **otail = &out;
    kc__pbatch **pp = &p->rq_head, *prev = NULL;
    while (*pp) {
        kc__pbatch *b = *pp;
        if (all || now >= b->deadline_ms) {
            *pp = b->next;
            if (p->rq_tail == b) p->rq_tail = prev;
            b->next = NULL;
            *otail = b;
            otail = &b->next;
            continue;
        }
        if (b->deadline_ms < *next) *next = b->deadline_ms;
        prev = b;
        pp = &b->next;
    }
    if (p->open && (all || now >= p->open->deadline_ms)) {
        *otail = p->open;
        p->open = NULL;
    } else if (p->open && p->open->deadline_ms < *next) {
        *next = p->open->deadline_ms;
    }
    return out;
}

static int64_t sweep(kc__client *c, int64_t now, bool all, kc_err_t all_err, const char *why) {
    int64_t next = INT64_MAX;
    kc__topic *pend_topics[256];
    bool pend_known[256];
    int npend = 0;
    pthread_rwlock_rdlock(&c->topics_lock);
    for (size_t i = 0; i < c->topic_cap; i++) {
        kc__topic *t = c->topic_map[i];
        if (!t) continue;
        for (int32_t k = 0; k < t->npartitions; k++) {
            kc__ptn *p = t->partitions[k];
            pthread_mutex_lock(&p->lock);
            kc__pbatch *dead = expire_ptn(c, p, now, all, &next);
            pthread_mutex_unlock(&p->lock);
            while (dead) {
                kc__pbatch *nb = dead->next;
                if (all)
                    kc__pbatch_done(c, dead, all_err, "%s", why);
                else if (dead->err && dead->errstr) {
                    char last[512];
                    snprintf(last, sizeof last, "%s", dead->errstr);
                    kc__pbatch_done(c, dead, dead->err, "%s (delivery.timeout.ms %lld expired)",
                                    last, (long long)c->delivery_timeout_ms);
                } else if (dead->err)
                    kc__pbatch_done(c, dead, dead->err, "%s [%d]: %s (delivery.timeout.ms %lld "
                                    "expired)", t->name, dead->partition, kc_err_desc(dead->err),
                                    (long long)c->delivery_timeout_ms);
                else
                    kc__pbatch_done(c, dead, KC_ERR__MSG_TIMED_OUT,
                                    "%s [%d]: not delivered within delivery.timeout.ms (%lld ms)",
                                    t->name, dead->partition, (long long)c->delivery_timeout_ms);
                dead = nb;
            }
        }
        pthread_mutex_lock(&t->lock);
        if (t->pend_head && npend < 256) {
            /* Known topics place their pending records (a safety net: metadata
             * normally does it when the topic becomes known). */
            int64_t first_deadline = pend_first(t)->deadline_ms;
            if (all || now >= first_deadline || t->state == KC__TOPIC_EXISTS) {
                pend_known[npend] = t->state == KC__TOPIC_EXISTS;
                pend_topics[npend++] = t;
            }
            else if (first_deadline < next)
                next = first_deadline;
        }
        pthread_mutex_unlock(&t->lock);
    }
    pthread_rwlock_unlock(&c->topics_lock);
    for (int i = 0; i < npend; i++) {
        kc__topic *t = pend_topics[i];
        if (!all && pend_known[i]) {
            kc__accum_flush_pending(c, t);
            continue;
        }
        pthread_mutex_lock(&t->lock);
        kc__pbatch *expired = NULL, *elast = NULL;
        long lost = 0;
        pend_rec *pr;
        while ((pr = pend_first(t)) && (all || now >= pr->deadline_ms)) {
            if (!report_pending(c, t, pr, &expired, &elast)) lost++;
            pend_drop_first(t);
        }
        pthread_mutex_unlock(&t->lock);
        if (lost)
            kc__log(c, KC__LOG_ERR, "PRODUCE", "out of memory reporting %ld failed records of %s",
                    lost, t->name);
        kc_err_t err = all ? all_err : t->err ? t->err : KC_ERR__MSG_TIMED_OUT;
        char msg[256];
        if (all)
            snprintf(msg, sizeof msg, "%s", why);
        else
            snprintf(msg, sizeof msg, "topic %s: %s after delivery.timeout.ms (%lld ms)", t->name,
                     t->err ? kc_err_desc(t->err) : "no metadata",
                     (long long)c->delivery_timeout_ms);
        report_done(c, expired, err, msg);
    }
    return next;
}

int64_t kc__accum_expire(kc__client *c, int64_t now) { return sweep(c, now, false, 0, NULL); }

void kc__accum_purge(kc__client *c, kc_err_t err, const char *why) {
    sweep(c, kc__mono_ms(), true, err, why);
}
