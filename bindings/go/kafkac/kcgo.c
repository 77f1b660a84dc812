/* C glue: see kcgo.h. */
#include "kcgo.h"

#include <stdatomic.h>
#include <string.h>

#include "_cgo_export.h"

const char kcgo_empty[1] = {0};

static void batch_drop(kcgo_batch *bt, const kc_tplist_t *parts);

/* The buffer of the Go call currently inside libkafkac on this thread. */
static __thread kcgo_evbuf *kcgo_cur;

kcgo_evbuf *kcgo_evbuf_new(void) { return calloc(1, sizeof(kcgo_evbuf)); }

void kcgo_evbuf_reset(kcgo_evbuf *b) {
    if (!b) return;
    for (int i = 0; i < b->cnt; i++) {
        free(b->ev[i].str);
        free(b->ev[i].str2);
        kc_tplist_destroy(b->ev[i].tpl);
    }
    b->cnt = 0;
    b->dropped = 0;
    /* Do not keep a huge array around after a burst. */
    if (b->cap > (1 << 18)) { /* 16 MiB */
        free(b->ev);
        b->ev = NULL;
        b->cap = 0;
    }
}

void kcgo_evbuf_free(kcgo_evbuf *b) {
    if (!b) return;
    kcgo_evbuf_reset(b);
    free(b->ev);
    free(b);
}

static kcgo_ev *ev_push(int type) {
    kcgo_evbuf *b = kcgo_cur;
    if (!b) return NULL;
    if (b->cnt == b->cap) {
        int ncap = b->cap ? b->cap * 2 : 256;
        kcgo_ev *n = realloc(b->ev, (size_t)ncap * sizeof *n);
        if (!n) {
            b->dropped++;
            return NULL;
        }
        b->ev = n;
        b->cap = ncap;
    }
    kcgo_ev *e = &b->ev[b->cnt++];
    memset(e, 0, sizeof *e);
    e->type = type;
    return e;
}

struct kcgo_client {
    uintptr_t handle;
    _Atomic int64_t pending;
    /* Topic names seen by the consumer's poll (poll thread only). */
    char **topics;
    int ntopics;
    int last;
    kcgo_batch *batch; /* the batch being collected by kcgo_consumer_poll_batch() */
};

kcgo_client *kcgo_client_new(uintptr_t handle) {
    kcgo_client *cl = calloc(1, sizeof *cl);
    if (cl) cl->handle = handle;
    return cl;
}

void kcgo_client_free(kcgo_client *cl) {
    if (!cl) return;
    for (int i = 0; i < cl->ntopics; i++) free(cl->topics[i]);
    free(cl->topics);
    free(cl);
}

static int32_t topic_id(kcgo_client *cl, const char *t) {
    if (!t) return -1;
    if (cl->last < cl->ntopics && strcmp(cl->topics[cl->last], t) == 0) return cl->last;
    for (int i = 0; i < cl->ntopics; i++)
        if (strcmp(cl->topics[i], t) == 0) return cl->last = i;
    char **n = realloc(cl->topics, (size_t)(cl->ntopics + 1) * sizeof *n);
    if (!n) return -1;
    cl->topics = n;
    if (!(n[cl->ntopics] = strdup(t))) return -1;
    return cl->last = cl->ntopics++;
}

const char *kcgo_client_topic(kcgo_client *cl, int32_t id) {
    return id >= 0 && id < cl->ntopics ? cl->topics[id] : NULL;
}

int64_t kcgo_client_pending(kcgo_client *cl) { return atomic_load(&cl->pending); }

void kcgo_client_pending_sub(kcgo_client *cl, int64_t n) { atomic_fetch_sub(&cl->pending, n); }

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

static void dr_cb(kc_producer_t *p, const kc_delivery_t *dr, void *opaque) {
    (void)p;
    uintptr_t id = (uintptr_t)kc_delivery_opaque(dr);
    if (!id) return; /* nobody wants this report */
    kcgo_ev *e = ev_push(KCGO_EV_DR);
    if (!e) return;
    /* Counted before the library lowers its queue length (after this
     * callback returns), so that Len() never misses the record. */
    atomic_fetch_add(&((kcgo_client *)opaque)->pending, 1);
    e->id = id;
    e->err = kc_delivery_error(dr);
    e->partition = kc_delivery_partition(dr);
    e->offset = kc_delivery_offset(dr);
    e->timestamp = kc_delivery_timestamp(dr);
    if (e->err) e->str = dup_or_null(kc_delivery_errstr(dr));
}

static void error_cb(void *client, const kc_error_t *err, void *opaque) {
    (void)client;
    (void)opaque;
    kcgo_ev *e = ev_push(KCGO_EV_ERROR);
    if (!e) return;
    e->err = kc_error_code(err);
    e->str = dup_or_null(kc_error_message(err));
    e->str2 = dup_or_null(kc_error_name(err));
    e->level = (kc_error_is_fatal(err) ? KCGO_ERRF_FATAL : 0) |
               (kc_error_is_retriable(err) ? KCGO_ERRF_RETRIABLE : 0) |
               (kc_error_txn_requires_abort(err) ? KCGO_ERRF_TXN_ABORT : 0);
}

static void log_cb(void *client, int level, const char *fac, const char *msg, void *opaque) {
    (void)client;
    (void)opaque;
    kcgo_ev *e = ev_push(KCGO_EV_LOG);
    if (!e) return;
    e->level = level;
    e->str = dup_or_null(msg);
    e->str2 = dup_or_null(fac);
}

static void commit_cb(kc_consumer_t *c, kc_err_t err, const kc_tplist_t *offsets, void *opaque) {
    (void)c;
    (void)opaque;
    kcgo_ev *e = ev_push(KCGO_EV_COMMIT);
    if (!e) return;
    e->err = err;
    e->tpl = offsets ? kc_tplist_copy(offsets) : NULL;
}

/* The only callback that enters Go: the application's rebalance callback
 * must run before the library applies the change. It runs on the thread
 * of the Go call that polls (or closes). */
static void rebalance_cb(kc_consumer_t *c, int event, const kc_tplist_t *parts, void *opaque) {
    (void)c;
    kcgo_client *cl = opaque;
    if (cl->batch && event != KC_REBALANCE_ASSIGN) batch_drop(cl->batch, parts);
    kcgoRebalance(cl->handle, event, (kc_tplist_t *)parts);
}

void kcgo_conf_setup(kc_conf_t *conf, kcgo_client *cl, int producer, int dr, int logs,
                     int consumer) {
    kc_conf_set_opaque(conf, cl);
    if (producer) {
        if (dr) kc_conf_set_delivery_cb(conf, dr_cb);
        kc_conf_set_error_cb(conf, error_cb);
    }
    if (consumer) {
        /* No error callback: consumer-wide errors come out of poll as
         * events, in order with the records. */
        kc_conf_set_rebalance_cb(conf, rebalance_cb);
        kc_conf_set_offset_commit_cb(conf, commit_cb);
    }
    if (logs) kc_conf_set_log_cb(conf, log_cb);
}

void kcgo_set_buf(kcgo_evbuf *b, kcgo_evbuf **prev) {
    *prev = kcgo_cur;
    kcgo_cur = b;
}

void kcgo_restore_buf(kcgo_evbuf *prev) { kcgo_cur = prev; }

/* ------------------------------------------------------------ producer */

static kc_headers_t *headers_from(const char *h, size_t len, int cnt) {
    kc_headers_t *hs = kc_headers_new();
    if (!hs) return NULL;
    size_t off = 0;
    for (int i = 0; i < cnt; i++) {
        uint32_t nlen;
        int32_t vlen;
        if (off + 4 > len) goto bad;
        memcpy(&nlen, h + off, 4);
        off += 4;
        if (off + nlen + 4 > len) goto bad;
        const char *name = h + off;
        off += nlen;
        memcpy(&vlen, h + off, 4);
        off += 4;
        const char *val = NULL;
        if (vlen >= 0) {
            if (off + (size_t)vlen > len) goto bad;
            val = h + off;
            off += (size_t)vlen;
        }
        /* The name is NUL-terminated in the buffer (nlen includes it). */
        if (nlen == 0 || name[nlen - 1] != '\0') goto bad;
        if (kc_headers_add(hs, name, val, vlen >= 0 ? (size_t)vlen : 0)) goto bad;
    }
    return hs;
bad:
    kc_headers_destroy(hs);
    return NULL;
}

kc_err_t kcgo_produce(kc_producer_t *p, const char *topic, int32_t partition, const void *key,
                      size_t key_len, const void *val, size_t val_len, const char *hdrs,
                      size_t hdrs_len, int hdr_cnt, int64_t ts, uintptr_t id) {
    kc_headers_t *hs = NULL;
    if (hdr_cnt > 0) {
        hs = headers_from(hdrs, hdrs_len, hdr_cnt);
        if (!hs) return KC_ERR__INVALID_ARG;
    }
    kc_err_t err = kc_produce(p, topic, partition, key, key_len, val, val_len, hs, ts, 0,
                              (void *)id);
    if (err) kc_headers_destroy(hs);
    return err;
}

int kcgo_producer_poll(kc_producer_t *p, int timeout_ms, kcgo_evbuf *b) {
    kcgo_evbuf *prev = kcgo_cur;
    kcgo_cur = b;
    int n = kc_producer_poll(p, timeout_ms);
    kcgo_cur = prev;
    return n;
}

kc_err_t kcgo_producer_flush(kc_producer_t *p, int timeout_ms, kcgo_evbuf *b) {
    kcgo_evbuf *prev = kcgo_cur;
    kcgo_cur = b;
    kc_err_t err = kc_producer_flush(p, timeout_ms);
    kcgo_cur = prev;
    return err;
}

void kcgo_producer_destroy(kc_producer_t *p, kcgo_evbuf *b) {
    kcgo_evbuf *prev = kcgo_cur;
    kcgo_cur = b;
    kc_producer_destroy(p);
    kcgo_cur = prev;
}

/* ------------------------------------------------------------ consumer */

kcgo_batch *kcgo_batch_new(int cap) {
    kcgo_batch *bt = calloc(1, sizeof *bt);
    if (!bt) return NULL;
    bt->msgs = calloc((size_t)cap, sizeof *bt->msgs);
    bt->info = calloc((size_t)cap, sizeof *bt->info);
    if (!bt->msgs || !bt->info) {
        kcgo_batch_free(bt);
        return NULL;
    }
    bt->cap = cap;
    return bt;
}

void kcgo_batch_release(kcgo_batch *bt) {
    if (!bt) return;
    for (int i = 0; i < bt->n; i++) kc_message_destroy(bt->msgs[i]);
    bt->n = 0;
}

void kcgo_batch_free(kcgo_batch *bt) {
    if (!bt) return;
    kcgo_batch_release(bt);
    free(bt->msgs);
    free(bt->info);
    free(bt);
}

/* Drops the collected messages of the partitions in parts (poll thread). */
static void batch_drop(kcgo_batch *bt, const kc_tplist_t *parts) {
    int k = 0;
    for (int i = 0; i < bt->n; i++) {
        kc_message_t *m = bt->msgs[i];
        const char *t = kc_message_topic(m);
        if (t && kc_tplist_find(parts, t, kc_message_partition(m)) >= 0) {
            kc_message_destroy(m);
            continue;
        }
        bt->msgs[k++] = m;
    }
    bt->n = k;
}

int kcgo_consumer_poll_batch(kc_consumer_t *c, kcgo_client *cl, kcgo_batch *bt, int max,
                             int timeout_ms, kcgo_evbuf *b) {
    kcgo_batch_release(bt);
    if (max > bt->cap) max = bt->cap;
    kcgo_evbuf *prev = kcgo_cur;
    kcgo_cur = b;
    cl->batch = bt;
    kc_message_t *m = kc_consumer_poll(c, timeout_ms);
    while (m) {
        bt->msgs[bt->n++] = m;
        if (bt->n >= max) break;
        m = kc_consumer_poll(c, 0);
    }
    cl->batch = NULL;
    kcgo_cur = prev;
    /* Filled after the loop: a rebalance inside it may drop messages. */
    for (int i = 0; i < bt->n; i++) {
        kcgo_msg *o = &bt->info[i];
        int tt = 0;
        m = bt->msgs[i];
        o->held = m;
        o->key = kc_message_key(m, &o->key_len);
        o->val = kc_message_value(m, &o->val_len);
        o->offset = kc_message_offset(m);
        o->ts = kc_message_timestamp(m, &tt);
        o->ts_type = tt;
        o->partition = kc_message_partition(m);
        o->err = kc_message_error(m);
        o->errstr = o->err ? kc_message_errstr(m) : NULL;
        o->leader_epoch = kc_message_leader_epoch(m);
        o->hdr_cnt = (int32_t)kc_message_header_count(m);
        o->topic_id = topic_id(cl, kc_message_topic(m));
    }
    return bt->n;
}

void kcgo_store_offsets(kc_consumer_t *c, kcgo_client *cl, const int32_t *tids,
                        const int32_t *parts, const int64_t *offs, const int32_t *epochs, int n) {
    kc_tplist_t *l = kc_tplist_new(n);
    if (!l) return;
    for (int i = 0; i < n; i++) {
        const char *t = kcgo_client_topic(cl, tids[i]);
        if (!t) continue;
        int k = kc_tplist_add(l, t, parts[i]);
        if (k < 0) break;
        kc_tplist_set_offset(l, k, offs[i]);
        kc_tplist_set_leader_epoch(l, k, epochs[i]);
    }
    kc_consumer_offsets_store(c, l);
    kc_tplist_destroy(l);
}

int kcgo_msg_headers(const kc_message_t *m, kcgo_hdr *out, int n) {
    int k = 0;
    for (int i = 0; i < n; i++) {
        kcgo_hdr *h = &out[k];
        if (kc_message_header(m, (size_t)i, &h->name, &h->name_len, &h->val, &h->val_len))
            continue;
        h->val_null = h->val == NULL;
        k++;
    }
    return k;
}


kc_err_t kcgo_consumer_commit(kc_consumer_t *c, const kc_tplist_t *offsets, int async,
                              kcgo_evbuf *b) {
    kcgo_evbuf *prev = kcgo_cur;
    kcgo_cur = b;
    kc_err_t err = kc_consumer_commit(c, offsets, async);
    kcgo_cur = prev;
    return err;
}

kc_err_t kcgo_consumer_committed(kc_consumer_t *c, kc_tplist_t *parts, int timeout_ms,
                                 kcgo_evbuf *b) {
    kcgo_evbuf *prev = kcgo_cur;
    kcgo_cur = b;
    kc_err_t err = kc_consumer_committed(c, parts, timeout_ms);
    kcgo_cur = prev;
    return err;
}

kc_err_t kcgo_consumer_close(kc_consumer_t *c, kcgo_evbuf *b) {
    kcgo_evbuf *prev = kcgo_cur;
    kcgo_cur = b;
    kc_err_t err = kc_consumer_close(c);
    kcgo_cur = prev;
    return err;
}

void kcgo_consumer_destroy(kc_consumer_t *c, kcgo_evbuf *b) {
    kcgo_evbuf *prev = kcgo_cur;
    kcgo_cur = b;
    kc_consumer_destroy(c);
    kcgo_cur = prev;
}

/* ------------------------------------------------------------ lists */

kc_tplist_t *kcgo_tplist_build(const char *names, const int32_t *parts, const int64_t *offsets,
                               const int32_t *epochs, const char *metas, const int32_t *has_meta,
                               int n) {
    kc_tplist_t *l = kc_tplist_new(n);
    if (!l) return NULL;
    const char *t = names;
    const char *md = metas;
    for (int i = 0; i < n; i++) {
        int k = kc_tplist_add(l, t, parts[i]);
        if (k < 0) {
            kc_tplist_destroy(l);
            return NULL;
        }
        if (offsets) kc_tplist_set_offset(l, k, offsets[i]);
        if (epochs) kc_tplist_set_leader_epoch(l, k, epochs[i]);
        if (metas) {
            if (has_meta && has_meta[i] && kc_tplist_set_metadata(l, k, md)) {
                kc_tplist_destroy(l);
                return NULL;
            }
            md += strlen(md) + 1;
        }
        t += strlen(t) + 1;
    }
    return l;
}

const char **kcgo_split(const char *names, int n) {
    const char **v = calloc((size_t)(n > 0 ? n : 1), sizeof *v);
    if (!v) return NULL;
    const char *t = names;
    for (int i = 0; i < n; i++) {
        v[i] = t;
        t += strlen(t) + 1;
    }
    return v;
}
