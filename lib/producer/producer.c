/* The public producer API: kc_producer_new, kc_produce, poll, flush, purge,
 * destroy, record headers and delivery reports. */
#include <stdlib.h>
#include <string.h>

#include "net/broker.h"
#include "producer.h"
#include "util/time.h"

struct kc_producer {
    kc__client *c;
    /* The topic of the last kc_produce() (topics live as long as the
     * client): a repeated topic skips the map lookup and its lock. */
    _Atomic(kc__topic *) last_topic;
};

/* ------------------------------------------------------------ headers */

struct kc_headers {
    kc__rec_header *h;
    size_t n, cap;
};

kc_headers_t *kc_headers_new(void) { return calloc(1, sizeof(kc_headers_t)); }

kc_err_t kc_headers_add(kc_headers_t *hs, const char *name, const void *value, size_t value_len) {
    if (!hs || !name || value_len > INT32_MAX) return KC_ERR__INVALID_ARG;
    if (hs->n == hs->cap) {
        size_t cap = hs->cap ? hs->cap * 2 : 4;
        kc__rec_header *h = realloc(hs->h, sizeof(*h) * cap);
        if (!h) return KC_ERR__CRIT_SYS_RESOURCE;
        hs->h = h;
        hs->cap = cap;
    }
    size_t nlen = strlen(name);
    char *copy = malloc(nlen + 1 + (value ? value_len : 0));
    if (!copy) return KC_ERR__CRIT_SYS_RESOURCE;
    memcpy(copy, name, nlen + 1);
    kc__rec_header *h = &hs->h[hs->n++];
    h->key.p = copy;
    h->key.len = (int32_t)nlen;
    if (value) {
        memcpy(copy + nlen + 1, value, value_len);
        h->value.p = (const uint8_t *)copy + nlen + 1;
        h->value.len = (int32_t)value_len;
    } else {
        h->value = KC__BYTES_NULL;
    }
    return KC_ERR_NO_ERROR;
}

size_t kc_headers_count(const kc_headers_t *h) { return h ? h->n : 0; }

void kc_headers_destroy(kc_headers_t *hs) {
    if (!hs) return;
    for (size_t i = 0; i < hs->n; i++) free((void *)hs->h[i].key.p);
    free(hs->h);
    free(hs);
}

/* ------------------------------------------------------------ lifecycle */

kc_producer_t *kc_producer_new(const kc_conf_t *conf, char *errstr, size_t errsize) {
    if (!conf) {
        kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "kc_producer_new: conf is NULL");
        return NULL;
    }
    kc_conf_t *cc = kc_conf_dup(conf);
    if (!cc) {
        kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return NULL;
    }
    /* Idempotence needs acks=all and at most 5 requests in flight. Like the
     * Java client: an explicit enable.idempotence=true with other settings
     * is an error; the default quietly steps back. */
    bool idem = kc__conf_int(cc, KC__CONF_ENABLE_IDEMPOTENCE) != 0;
    bool idem_set = cc->v[KC__CONF_ENABLE_IDEMPOTENCE].set;
    int acks = kc__conf_acks(cc);
    int64_t inflight = kc__conf_int(cc, KC__CONF_MAX_IN_FLIGHT);
    if (idem && (acks != -1 || inflight > 5)) {
        if (idem_set) {
            kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                       "enable.idempotence=true requires acks=all and "
                       "max.in.flight.requests.per.connection <= 5 (got acks=%d, %lld)",
                       acks, (long long)inflight);
            kc_conf_destroy(cc);
            return NULL;
        }
        kc_conf_set(cc, "enable.idempotence", "false", NULL, 0);
    }
    kc_producer_t *p = calloc(1, sizeof(*p));
    p->c = p ? kc__client_new(cc, KC__ROLE_PRODUCER, errstr, errsize) : NULL;
    kc_conf_destroy(cc);
    if (!p || !p->c) {
        free(p);
        return NULL;
    }
    /* A batch never exceeds what the producer may send in one request. */
    if (p->c->batch_size > p->c->message_max_bytes) p->c->batch_size = p->c->message_max_bytes;
    if (kc__client_start(p->c, errstr, errsize)) {
        kc__client_stop(p->c);
        kc__client_free(p->c);
        free(p);
        return NULL;
    }
    return p;
}

/* ------------------------------------------------------------ produce */

/* Reserves room for one record in the buffer; waits when asked to. */
static kc_err_t reserve(kc__client *c, int64_t est, bool block) {
    int64_t deadline = 0;
    for (;;) {
        int64_t m = atomic_fetch_add(&c->outq_msgs, 1) + 1;
        int64_t b = atomic_fetch_add(&c->outq_bytes, est) + est;
        if (m <= c->max_msgs && (b <= c->buffer_memory || m == 1)) return KC_ERR_NO_ERROR;
        atomic_fetch_sub(&c->outq_msgs, 1);
        atomic_fetch_sub(&c->outq_bytes, est);
        if (!block) return KC_ERR__QUEUE_FULL;
        if (!deadline) deadline = kc__mono_ms() + c->max_block_ms;
        if (kc__mono_ms() >= deadline || atomic_load(&c->terminate)) return KC_ERR__QUEUE_FULL;
        pthread_mutex_lock(&c->outq_lock);
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 10 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&c->outq_cond, &c->outq_lock, &ts);
        pthread_mutex_unlock(&c->outq_lock);
    }
}

kc_err_t kc_produce(kc_producer_t *p, const char *topic, int32_t partition, const void *key,
                    size_t key_len, const void *value, size_t value_len, kc_headers_t *headers,
                    int64_t timestamp_ms, int flags, void *msg_opaque) {
    if (!p || !topic || !*topic || partition < KC_PARTITION_ANY || key_len > INT32_MAX ||
        value_len > INT32_MAX || (!key && key_len) || (!value && value_len))
        return KC_ERR__INVALID_ARG;
    kc__client *c = p->c;
    if (atomic_load(&c->fatal)) return KC_ERR__FATAL;
    if (atomic_load(&c->terminate)) return KC_ERR__DESTROY;
    kc__bytes k = key ? (kc__bytes){key, (int32_t)key_len} : KC__BYTES_NULL;
    kc__bytes v = value ? (kc__bytes){value, (int32_t)value_len} : KC__BYTES_NULL;
    const kc__rec_header *hdrs = headers ? headers->h : NULL;
    size_t nhdrs = headers ? headers->n : 0;
    int64_t est = (int64_t)kc__batch_size_estimate(k, v, hdrs, nhdrs);
    if (est + 61 > c->message_max_bytes) return KC_ERR_MESSAGE_TOO_LARGE;
    kc_err_t err = reserve(c, est, flags & KC_PRODUCE_F_BLOCK);
    if (err) return err;
    int64_t ts = timestamp_ms ? timestamp_ms : kc__wall_ms();

    kc__topic *t = atomic_load_explicit(&p->last_topic, memory_order_acquire);
    if (!t || strcmp(t->name, topic) != 0) {
        t = kc__topic_get(c, topic);
        if (!t) {
            err = KC_ERR__CRIT_SYS_RESOURCE;
            goto undo;
        }
        atomic_store_explicit(&p->last_topic, t, memory_order_release);
    }
    pthread_rwlock_rdlock(&c->topics_lock);
    /* Pending or not is decided under t->lock, and while the topic still has
     * pending records the record queues behind them: they are placed (by
     * kc__accum_flush_pending, under t->lock) only after metadata made the
     * topic known, and a record appended directly in between would overtake
     * them - later records got lower offsets in the same partition. */
    pthread_mutex_lock(&t->lock);
    if (t->state != KC__TOPIC_EXISTS || t->npartitions == 0 || t->pend_head) {
        /* Added under the topics lock: metadata that makes the topic known
         * takes it for writing first, then places the pending records. */
        err = kc__pending_add(c, t, partition, ts, k, v, hdrs, nhdrs, msg_opaque, est);
        pthread_mutex_unlock(&t->lock);
        pthread_rwlock_unlock(&c->topics_lock);
        if (err) goto undo;
        goto accepted;
    }
    int32_t part = partition;
    if (part >= t->npartitions) {
        pthread_mutex_unlock(&t->lock);
        pthread_rwlock_unlock(&c->topics_lock);
        err = KC_ERR__UNKNOWN_PARTITION;
        goto undo;
    }
    if (part < 0) part = kc__pick_partition(c, t, key, key ? key_len : 0, est);
    pthread_mutex_unlock(&t->lock);
    if (part < 0) {
        pthread_rwlock_unlock(&c->topics_lock);
        err = KC_ERR__UNKNOWN_PARTITION;
        goto undo;
    }
    err = kc__accum_append(c, t, t->partitions[part], ts, k, v, hdrs, nhdrs, msg_opaque, est);
    pthread_rwlock_unlock(&c->topics_lock);
    if (err) goto undo;
accepted:
    if (flags & KC_PRODUCE_F_FREE) free((void *)value);
    kc_headers_destroy(headers);
    return KC_ERR_NO_ERROR;
undo:
    atomic_fetch_sub(&c->outq_msgs, 1);
    atomic_fetch_sub(&c->outq_bytes, est);
    return err;
}

/* ------------------------------------------------------------ delivery reports */

/* One report. The record is decoded only when the application asks for
 * its key, value or timestamp: most callbacks read the error and opaque. */
struct kc_delivery {
    const kc__pbatch *b;
    int32_t index;      /* offset delta */
    const uint8_t *rec; /* the record, length prefix included */
    size_t len;
};

/* Decodes d's record; false if it cannot (logged by serve_dr's count). */
static bool dr_record(const kc_delivery_t *d, kc__record *r) {
    kc__record_iter it;
    memset(&it, 0, sizeof it);
    it.p = d->rec;
    it.end = d->rec + d->len;
    it.base_timestamp = d->b->w.base_timestamp;
    it.max_timestamp = d->b->w.max_timestamp;
    it.count = 1;
    return kc__record_iter_next(&it, r) == 0;
}

kc_err_t kc_delivery_error(const kc_delivery_t *d) { return d->b->err; }
const char *kc_delivery_errstr(const kc_delivery_t *d) {
    return d->b->err && d->b->errstr ? d->b->errstr : "";
}
const char *kc_delivery_topic(const kc_delivery_t *d) { return d->b->topic->name; }
int32_t kc_delivery_partition(const kc_delivery_t *d) { return d->b->partition; }
int64_t kc_delivery_offset(const kc_delivery_t *d) {
    return !d->b->err && d->b->base_offset >= 0 ? d->b->base_offset + d->index : -1;
}
int64_t kc_delivery_timestamp(const kc_delivery_t *d) {
    if (d->b->log_append_time >= 0) return d->b->log_append_time;
    kc__record r;
    return dr_record(d, &r) ? r.timestamp : -1;
}
const void *kc_delivery_key(const kc_delivery_t *d, size_t *lenp) {
    kc__record r;
    if (!dr_record(d, &r)) r.key = KC__BYTES_NULL;
    if (lenp) *lenp = r.key.len > 0 ? (size_t)r.key.len : 0;
    return r.key.len >= 0 ? (const void *)r.key.p : NULL;
}
const void *kc_delivery_value(const kc_delivery_t *d, size_t *lenp) {
    kc__record r;
    if (!dr_record(d, &r)) r.value = KC__BYTES_NULL;
    if (lenp) *lenp = r.value.len > 0 ? (size_t)r.value.len : 0;
    return r.value.len >= 0 ? (const void *)r.value.p : NULL;
}
void *kc_delivery_opaque(const kc_delivery_t *d) {
    return d->b->opaques ? d->b->opaques[d->index] : NULL;
}

/* A record's length prefix (zig-zag varint, at most 5 bytes): the body
 * length, or -1 when malformed or past end. *p moves past the prefix. */
static int64_t rec_len(const uint8_t **pp, const uint8_t *end) {
    const uint8_t *p = *pp;
    uint64_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (p == end) return -1;
        uint8_t byte = *p++;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            int64_t len = kc__unzigzag64(v);
            if (len < 0 || len > end - p) return -1;
            *pp = p;
            return len;
        }
    }
    return -1;
}

/* Calls the delivery callback for each record of b. The records are our
 * own encoding: each is found by its length prefix (no CRC check, no
 * decoding unless the callback asks for the record's fields). */
static void serve_dr(kc_producer_t *p, kc__pbatch *b) {
    kc__client *c = p->c;
    kc_delivery_cb *cb = c->conf->delivery_cb;
    if (cb && b->cnt > 0) {
        kc__buf scratch;
        kc__buf_init(&scratch, 0);
        const uint8_t *rp = b->buf.p + KC__BATCH_HEADER_SIZE, *end = b->buf.p + b->buf.len;
        int rc = 0;
        if (b->sealed &&
            (kc__get_u16(b->buf.p + KC__BATCH_OFF_ATTRIBUTES) & KC__BATCH_ATTR_CODEC_MASK)) {
            /* Compressed in place when sealed: decompress to report. */
            kc__batch hdr;
            kc__batch_iter it;
            kc__record_iter ri;
            kc__batch_iter_init(&it, b->buf.p, b->buf.len);
            rc = kc__batch_iter_next(&it, &hdr);
            if (rc == 0) rc = kc__record_iter_init(&ri, &hdr, &scratch, 0);
            if (rc == 0) {
                rp = ri.p;
                end = ri.end;
            } else {
                rp = end = NULL;
            }
        }
        int served = 0;
        while (served < b->cnt && rp < end) {
            const uint8_t *at = rp;
            int64_t len = rec_len(&rp, end);
            if (len < 0) break;
            rp += len;
            kc_delivery_t d = {b, served, at, (size_t)(rp - at)};
            cb(p, &d, c->conf->opaque);
            served++;
        }
        if (served != b->cnt)
            kc__log(c, KC__LOG_ERR, "DR", "%s [%d]: only %d of %d delivery reports could be "
                                          "decoded from the batch", b->topic->name, b->partition,
                    served, b->cnt);
        kc__buf_free(&scratch);
    }
    atomic_fetch_sub(&c->outq_msgs, b->cnt);
    atomic_fetch_sub(&c->outq_bytes, b->bytes);
    pthread_mutex_lock(&c->outq_lock);
    pthread_cond_broadcast(&c->outq_cond);
    pthread_mutex_unlock(&c->outq_lock);
}

static void serve_op(kc_producer_t *p, kc__op *op) {
    kc__client *c = p->c;
    switch (op->type) {
    case KC__OP_DR: serve_dr(p, (kc__pbatch *)op); break;
    case KC__OP_ERROR:
        if (c->conf->error_cb) c->conf->error_cb(p, ((kc__op_error *)op)->err, c->conf->opaque);
        break;
    case KC__OP_LOG: {
        kc__op_log *l = (kc__op_log *)op;
        if (c->conf->log_cb) c->conf->log_cb(p, l->level, l->fac, l->msg, c->conf->opaque);
        break;
    }
    default: break;
    }
    kc__op_free(op);
}

int kc_producer_poll(kc_producer_t *p, int timeout_ms) {
    if (!p) return 0;
    int served = 0;
    kc__op *op = kc__q_pop(&p->c->appq, timeout_ms);
    if (!op) return 0;
    /* Then whatever else is queued (also what arrives meanwhile), taken a
     * list at a time: one lock per list, not one per op. */
    op->next = kc__q_pop_all(&p->c->appq);
    while (op) {
        kc__op *next = op->next;
        serve_op(p, op);
        served++;
        op = next ? next : kc__q_pop_all(&p->c->appq);
    }
    return served;
}

kc_err_t kc_producer_flush(kc_producer_t *p, int timeout_ms) {
    if (!p) return KC_ERR__INVALID_ARG;
    kc__client *c = p->c;
    int64_t deadline = timeout_ms < 0 ? INT64_MAX : kc__mono_ms() + timeout_ms;
    atomic_fetch_add(&c->flushing, 1);
    kc__client_wake_all_brokers(c);
    while (atomic_load(&c->outq_msgs) > 0) {
        int64_t left = deadline - kc__mono_ms();
        if (left <= 0) break;
        kc_producer_poll(p, left > 100 ? 100 : (int)left);
    }
    atomic_fetch_sub(&c->flushing, 1);
    return atomic_load(&c->outq_msgs) > 0 ? KC_ERR__TIMED_OUT : KC_ERR_NO_ERROR;
}

int kc_producer_outq_len(kc_producer_t *p) {
    return p ? (int)atomic_load(&p->c->outq_msgs) : 0;
}

void kc_producer_purge(kc_producer_t *p) {
    if (p) kc__accum_purge(p->c, KC_ERR__PURGE_QUEUE, "purged by kc_producer_purge()");
}

void kc_producer_destroy(kc_producer_t *p) {
    if (!p) return;
    kc__client *c = p->c;
    /* Stop the threads (in-flight requests end with _DESTROY reports),
     * fail what is left, then serve every report here. */
    kc__client_stop(c);
    kc__accum_purge(c, KC_ERR__DESTROY, "producer destroyed before the record was sent");
    while (kc_producer_poll(p, 0) > 0) {
    }
    kc__client_free(c);
    free(p);
}
