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

struct kc__pending {
    kc__pending *next;
    int32_t partition;
    int64_t ts, est, deadline_ms;
    void *opaque;
    kc__bytes key, value;
    size_t nhdrs;
    kc__rec_header *hdrs;
    _Alignas(16) uint8_t data[];
};

static void pbatch_op_free(kc__op *op) { kc__pbatch_free((kc__pbatch *)op); }

kc__pbatch *kc__pbatch_new(kc__client *c, kc__topic *t, int32_t partition) {
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
    size_t cap = (size_t)(c->batch_size < 1024 ? 1024 : c->batch_size) + 512;
    kc__buf_init(&b->buf, cap);
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
    free(b);
}

int kc__pbatch_append(kc__pbatch *b, int64_t ts, kc__bytes key, kc__bytes value,
                      const kc__rec_header *hdrs, size_t nhdrs, void *opaque, int64_t est) {
    if (b->cnt == b->cap) {
        int32_t cap = b->cap ? b->cap * 2 : 64;
        void **o = realloc(b->opaques, sizeof(*o) * (size_t)cap);
        if (!o) return KC__BATCH_ERR_NOMEM;
        b->opaques = o;
        b->cap = cap;
    }
    int rc = kc__batch_append(&b->w, ts, key, value, hdrs, nhdrs);
    if (rc) return rc;
    b->opaques[b->cnt++] = opaque;
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

void kc__pbatch_done(kc__client *c, kc__pbatch *b, kc_err_t err, const char *fmt, ...) {
    b->err = err;
    b->errstr[0] = 0;
    if (err && fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->errstr, sizeof b->errstr, fmt, ap);
        va_end(ap);
    }
    b->next = NULL;
    kc__q_push(&c->appq, &b->op);
}

/* Moves p's open batch to the ready queue (no more appends). Caller holds
 * p->lock. */
static void close_open(kc__ptn *p) {
    kc__pbatch *b = p->open;
    if (!b) return;
    p->open = NULL;
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
    bool wake = false;
    kc_err_t err = KC_ERR_NO_ERROR;
    pthread_mutex_lock(&p->lock);
    if (p->open && p->open->cnt > 0 && p->open->bytes + est > c->batch_size) {
        close_open(p);
        wake = true;
    }
    if (!p->open) {
        p->open = kc__pbatch_new(c, t, p->id);
        if (!p->open) {
            pthread_mutex_unlock(&p->lock);
            return KC_ERR__CRIT_SYS_RESOURCE;
        }
        p->open->ptn = p;
        wake = true; /* the broker thread starts its linger timer */
    }
    int rc = kc__pbatch_append(p->open, ts, key, value, hdrs, nhdrs, opaque, est);
    if (rc) {
        err = rc == KC__BATCH_ERR_NOMEM ? KC_ERR__CRIT_SYS_RESOURCE : KC_ERR__INVALID_ARG;
    } else if (p->open->bytes >= c->batch_size) {
        close_open(p);
        wake = true;
    }
    int32_t leader = atomic_load(&p->leader);
    pthread_mutex_unlock(&p->lock);
    if (wake && leader >= 0) kc__client_wake_broker(c, leader);
    return err;
}

/* ---------------------------------------------------------------- pending */

kc_err_t kc__pending_add(kc__client *c, kc__topic *t, int32_t partition, int64_t ts, kc__bytes key,
                         kc__bytes value, const kc__rec_header *hdrs, size_t nhdrs, void *opaque,
                         int64_t est) {
    size_t need = nhdrs * sizeof(kc__rec_header) + (key.len > 0 ? (size_t)key.len : 0) +
                  (value.len > 0 ? (size_t)value.len : 0);
    for (size_t i = 0; i < nhdrs; i++)
        need += (size_t)(hdrs[i].key.len > 0 ? hdrs[i].key.len : 0) +
                (size_t)(hdrs[i].value.len > 0 ? hdrs[i].value.len : 0);
    kc__pending *pr = malloc(sizeof(*pr) + need);
    if (!pr) return KC_ERR__CRIT_SYS_RESOURCE;
    uint8_t *w = pr->data;
    pr->hdrs = (kc__rec_header *)(void *)w;
    w += nhdrs * sizeof(kc__rec_header);
#define KC__COPY(dst, src, T)                                      \
    do {                                                           \
        (dst).len = (src).len;                                     \
        (dst).p = (src).len > 0 ? (T)(void *)w : (src).p;          \
        if ((src).len > 0) memcpy(w, (src).p, (size_t)(src).len);  \
        if ((src).len > 0) w += (src).len;                         \
    } while (0)
    KC__COPY(pr->key, key, const uint8_t *);
    KC__COPY(pr->value, value, const uint8_t *);
    for (size_t i = 0; i < nhdrs; i++) {
        KC__COPY(pr->hdrs[i].key, hdrs[i].key, const char *);
        KC__COPY(pr->hdrs[i].value, hdrs[i].value, const uint8_t *);
    }
#undef KC__COPY
    pr->nhdrs = nhdrs;
    pr->partition = partition;
    pr->ts = ts;
    pr->est = est;
    pr->opaque = opaque;
    pr->deadline_ms = kc__mono_ms() + c->delivery_timeout_ms;
    pr->next = NULL;
    if (t->pend_tail) /* the caller holds t->lock (see kc_produce) */
        t->pend_tail->next = pr;
    else
        t->pend_head = pr;
    t->pend_tail = pr;
    return KC_ERR_NO_ERROR;
}

/* Fails a list of pending records with err, as one delivery-report batch. */
static void fail_pending(kc__client *c, kc__topic *t, kc__pending *pr, kc_err_t err,
                         const char *why) {
    while (pr) {
        kc__pbatch *b = kc__pbatch_new(c, t, -1);
        /* A report batch holds as many records as fit; then the next. */
        while (pr && b) {
            kc__pending *next = pr->next;
            if (kc__pbatch_append(b, pr->ts, pr->key, pr->value, pr->hdrs, pr->nhdrs, pr->opaque,
                                  pr->est)) {
                kc__log(c, KC__LOG_ERR, "PRODUCE", "cannot report a failed record of %s", t->name);
                break;
            }
            free(pr);
            pr = next;
            if (b->bytes > 1 << 20) break;
        }
        if (!b) {
            kc__log(c, KC__LOG_ERR, "PRODUCE", "out of memory reporting failed records of %s",
                    t->name);
            return;
        }
        kc__pbatch_done(c, b, err, "%s", why);
    }
}

void kc__accum_flush_pending(kc__client *c, kc__topic *t) {
    /* t->lock is held until every pending record is placed: kc_produce()
     * queues new records behind pending ones under t->lock, so none can be
     * appended directly while older ones are still being placed (that
     * reordered a partition). Lock order: topics_lock, t->lock, p->lock. */
    pthread_rwlock_rdlock(&c->topics_lock);
    pthread_mutex_lock(&t->lock);
    kc__pending *pr = t->pend_head;
    t->pend_head = t->pend_tail = NULL;
    if (!pr) {
        pthread_mutex_unlock(&t->lock);
        pthread_rwlock_unlock(&c->topics_lock);
        return;
    }
    kc__pending *failed = NULL, **ftail = &failed;
    while (pr) {
        kc__pending *next = pr->next;
        pr->next = NULL;
        if (t->state == KC__TOPIC_EXISTS && pr->partition < t->npartitions) {
            int32_t part = pr->partition;
            if (part < 0)
                part = kc__pick_partition(c, t, pr->key.len >= 0 ? pr->key.p : NULL,
                                          pr->key.len < 0 ? 0 : (size_t)pr->key.len, pr->est);
            if (part >= 0 && kc__accum_append(c, t, t->partitions[part], pr->ts, pr->key, pr->value, pr->hdrs,
                                 pr->nhdrs, pr->opaque, pr->est) == 0) {
                free(pr);
                pr = next;
                continue;
            }
        }
        *ftail = pr;
        ftail = &pr->next;
        pr = next;
    }
    kc_err_t err = t->state == KC__TOPIC_EXISTS ? KC_ERR__UNKNOWN_PARTITION : t->err;
    pthread_mutex_unlock(&t->lock);
    pthread_rwlock_unlock(&c->topics_lock);
    if (failed) {
        if (!err) err = KC_ERR__MSG_TIMED_OUT;
        char why[256];
        snprintf(why, sizeof why, "topic %s: %s", t->name,
                 err == KC_ERR__UNKNOWN_PARTITION ? "partition does not exist" : kc_err_desc(err));
        fail_pending(c, t, failed, err, why);
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
                else if (dead->err)
                    kc__pbatch_done(c, dead, dead->err, "%s (delivery.timeout.ms %lld expired)",
                                    dead->errstr, (long long)c->delivery_timeout_ms);
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
            if (all || now >= t->pend_head->deadline_ms || t->state == KC__TOPIC_EXISTS) {
                pend_known[npend] = t->state == KC__TOPIC_EXISTS;
                pend_topics[npend++] = t;
            }
            else if (t->pend_head->deadline_ms < next)
                next = t->pend_head->deadline_ms;
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
        kc__pending *expired = NULL, **etail = &expired;
        while (t->pend_head && (all || now >= t->pend_head->deadline_ms)) {
            kc__pending *pr = t->pend_head;
            t->pend_head = pr->next;
            if (!t->pend_head) t->pend_tail = NULL;
            pr->next = NULL;
            *etail = pr;
            etail = &pr->next;
        }
        pthread_mutex_unlock(&t->lock);
        kc_err_t err = all ? all_err : t->err ? t->err : KC_ERR__MSG_TIMED_OUT;
        char msg[256];
        if (all)
            snprintf(msg, sizeof msg, "%s", why);
        else
            snprintf(msg, sizeof msg, "topic %s: %s after delivery.timeout.ms (%lld ms)", t->name,
                     t->err ? kc_err_desc(t->err) : "no metadata",
                     (long long)c->delivery_timeout_ms);
        fail_pending(c, t, expired, err, msg);
    }
    return next;
}

int64_t kc__accum_expire(kc__client *c, int64_t now) { return sweep(c, now, false, 0, NULL); }

void kc__accum_purge(kc__client *c, kc_err_t err, const char *why) {
    sweep(c, kc__mono_ms(), true, err, why);
}
