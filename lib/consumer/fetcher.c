/* The fetcher: on each broker thread, one Fetch request at a time for the
 * assigned partitions that broker leads, inside a fetch session (KIP-227:
 * after the first full request only changed partitions are sent, and the
 * broker answers only for partitions with news). A response stays in the
 * broker's read buffer, taken over (copied only when the buffer held more)
 * into a reference-counted kc__fbuf; each record batch becomes a chunk on
 * the application queue whose records point into that buffer, or into
 * records decompressed into the fbuf's side memory. fetch_mem.c reuses
 * that memory from one response to the next. Aborted transactions are
 * skipped for isolation.level=read_committed; control batches are never
 * served.
 *
 * Thread: broker threads only, except where noted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consumer.h"
#include "net/broker.h"
#include "proto/gen/apis.h"
#include "proto/gen/fetch.h"
#include "util/time.h"

/* A partition in the broker's fetch session. */
typedef struct sess_ent {
    kc__ctp *tp;
    int64_t pos;       /* fetch offset last sent */
    unsigned version;  /* tp->version when sent */
} sess_ent;

typedef struct kc__fetch_state {
    int32_t sess_id;   /* 0: none */
    int32_t sess_epoch; /* next epoch to send; 0 opens a session (full request) */
    sess_ent *ents;    /* the session's partitions (what the broker remembers) */
    int nents, cap;
    bool inflight;
    int16_t ver;       /* Fetch version used by the session (-1: not chosen) */
    int64_t backoff_until;
} kc__fetch_state;

/* One request's view: the entries it includes (changed) and forgets. */
typedef struct freq {
    kc__consumer *cs;
    kc__fetch_state *fs;
    kc__ctp **incl;
    int nincl;
    kc__ctp **forget;
    int nforget;
    bool full;
    int32_t sess_id, sess_epoch;
} freq;

/* Any thread: drops n references of a chunk (its memory is the fbuf's). */
void kc__fchunk_release_n(kc__fchunk *ch, int n) {
    if (atomic_fetch_sub(&ch->refs, n) != n) return;
    kc__buf_free(&ch->dbuf);
    kc__fbuf_release(ch->fbuf);
}

/* Drops a chunk and those chained after it, unserved (stale, or at
 * destroy): their bytes go back to the budget. */
static void fchunk_op_free(kc__op *op) {
    for (kc__fchunk *ch = (kc__fchunk *)op, *next; ch; ch = next) {
        next = ch->next_chunk;
        ch->next_chunk = NULL;
        if (ch->bytes) {
            atomic_fetch_sub(&ch->tp->queued, ch->bytes);
            atomic_fetch_sub(&ch->cons->queued, ch->bytes);
            ch->bytes = 0;
        }
        kc__fchunk_release(ch);
    }
}

static kc__fetch_state *fetch_state(kc__broker *b) {
    if (!b->fetch) {
        kc__fetch_state *fs = calloc(1, sizeof(*fs));
        if (!fs) return NULL;
        fs->ver = -1;
        b->fetch = fs;
    }
    return b->fetch;
}

void kc__fetcher_free(kc__broker *b) {
    kc__fetch_state *fs = b->fetch;
    if (!fs) return;
    free(fs->ents);
    free(fs);
    b->fetch = NULL;
}

static void sess_reset(kc__fetch_state *fs) {
    fs->sess_id = 0;
    fs->sess_epoch = 0;
    fs->nents = 0;
}

static sess_ent *sess_find(kc__fetch_state *fs, const kc__ctp *tp) {
    for (int i = 0; i < fs->nents; i++)
        if (fs->ents[i].tp == tp) return &fs->ents[i];
    return NULL;
}

/* ------------------------------------------------------------ request */

/* Encodes topics grouped in the order of `tps` (sorted by topic). */
static int encode_fetch(kc__req *r, int16_t ver, kc__buf *body) {
    freq *fr = r->arg;
    kc__consumer *cs = fr->cs;
    kc__FetchRequest req;
    kc__FetchRequest_init(&req);
    req.max_wait_ms = cs->fetch_max_wait_ms;
    req.min_bytes = cs->fetch_min_bytes;
    req.max_bytes = cs->fetch_max_bytes;
    req.isolation_level = cs->isolation;
    if (ver >= 7) {
        req.session_id = fr->sess_id;
        req.session_epoch = fr->sess_epoch;
    }
    if (ver >= 11) req.rack_id = kc__str_c(kc__conf_str(cs->c->conf, KC__CONF_CLIENT_RACK));
    int n = fr->nincl + fr->nforget;
    kc__FetchRequest_Topic *topics = calloc((size_t)fr->nincl + 1, sizeof(*topics));
    kc__FetchRequest_Partition *parts = calloc((size_t)fr->nincl + 1, sizeof(*parts));
    kc__FetchRequest_ForgottenTopic *fts = calloc((size_t)fr->nforget + 1, sizeof(*fts));
    int32_t *fparts = calloc((size_t)n + 1, sizeof(*fparts));
    int rc = KC__ENC_NOMEM;
    if (topics && parts && fts && fparts) {
        int nt = 0;
        for (int i = 0; i < fr->nincl; i++) {
            kc__ctp *tp = fr->incl[i];
            if (i == 0 || fr->incl[i - 1]->topic != tp->topic) {
                kc__FetchRequest_Topic_init(&topics[nt]);
                if (ver >= 13)
                    topics[nt].topic_id = tp->topic->id;
                else
                    topics[nt].topic = kc__str_c(tp->topic->name);
                topics[nt].partitions.items = &parts[i];
                nt++;
            }
            kc__FetchRequest_Partition *p = &parts[i];
            kc__FetchRequest_Partition_init(p);
            p->partition = tp->partition;
            sess_ent *e = sess_find(fr->fs, tp);
            p->fetch_offset = e ? e->pos : 0;
            p->partition_max_bytes = cs->max_partition_fetch_bytes;
            topics[nt - 1].partitions.n++;
        }
        int nf = 0;
        for (int i = 0; i < fr->nforget; i++) {
            kc__ctp *tp = fr->forget[i];
            if (i == 0 || fr->forget[i - 1]->topic != tp->topic) {
                kc__FetchRequest_ForgottenTopic_init(&fts[nf]);
                if (ver >= 13)
                    fts[nf].topic_id = tp->topic->id;
                else
                    fts[nf].topic = kc__str_c(tp->topic->name);
                fts[nf].partitions.items = &fparts[i];
                nf++;
            }
            fparts[i] = tp->partition;
            fts[nf - 1].partitions.n++;
        }
        req.topics.n = nt;
        req.topics.items = topics;
        req.forgotten_topics_data.n = nf;
        req.forgotten_topics_data.items = fts;
        rc = kc__FetchRequest_encode(body, ver, &req);
    }
    free(topics);
    free(parts);
    free(fts);
    free(fparts);
    return rc;
}

static int cmp_tp(const void *a, const void *b) {
    const kc__ctp *x = *(kc__ctp *const *)a, *y = *(kc__ctp *const *)b;
    if (x->topic != y->topic) return x->topic < y->topic ? -1 : 1;
    return (x->partition > y->partition) - (x->partition < y->partition);
}

static void freq_free(freq *fr) {
    free(fr->incl);
    free(fr->forget);
    free(fr);
}

/* ------------------------------------------------------------ response */

/* Aborted transactions of one partition's answer (read_committed). */
typedef struct aborted {
    const kc__FetchResponse_AbortedTransaction *txn; /* sorted by first offset */
    int n, next;
    int64_t *pids;  /* producers whose aborted transaction is open */
    int npids;
} aborted;

static int cmp_txn(const void *a, const void *b) {
    const kc__FetchResponse_AbortedTransaction *x = a, *y = b;
    return (x->first_offset > y->first_offset) - (x->first_offset < y->first_offset);
}

static bool pid_open(const aborted *ab, int64_t pid) {
    for (int i = 0; i < ab->npids; i++)
        if (ab->pids[i] == pid) return true;
    return false;
}

/* Whether batch bt is to be skipped as part of an aborted transaction (or
 * is a control batch, which is never served). */
static bool skip_batch(aborted *ab, const kc__batch *bt, bool read_committed) {
    int64_t last = kc__batch_last_offset(bt);
    if (read_committed && kc__batch_is_transactional(bt)) {
        while (ab->next < ab->n && ab->txn[ab->next].first_offset <= last) {
            int64_t pid = ab->txn[ab->next++].producer_id;
            if (!pid_open(ab, pid) && ab->npids < ab->n) ab->pids[ab->npids++] = pid;
        }
        if (kc__batch_is_control(bt)) {
            kc__record_iter ri;
            kc__record r;
            if (kc__record_iter_init(&ri, bt, NULL, 0) == 0 && kc__record_iter_next(&ri, &r) == 0 &&
                kc__record_control_type(&r) == KC__CONTROL_ABORT) {
                for (int i = 0; i < ab->npids; i++)
                    if (ab->pids[i] == bt->producer_id) ab->pids[i] = ab->pids[--ab->npids];
            }
            return true;
        }
        return pid_open(ab, bt->producer_id);
    }
    return kc__batch_is_control(bt);
}

/* A chunk for batch bt (decompressed when needed), in fb's memory. NULL
 * with *errp set. topic: the partition's topic name, in fb's memory. */
static kc__fchunk *chunk_new(kc__consumer *cs, kc__ctp *tp, unsigned version, kc__fbuf *fb,
                             const kc__batch *bt, int64_t skip_below, char *topic, int *errp) {
    kc__buf dbuf;
    kc__buf_init(&dbuf, 0);
    kc__record_iter it;
    int rc;
    size_t dlen = 0;
    size_t bound = kc__batch_decompressed_bound(bt, 0);
    if (bound) {
        /* The codec says how big it gets: straight into fb's memory. */
        void *dst = kc__fbuf_alloc(fb, bound);
        if (!dst) {
            *errp = KC__BATCH_ERR_NOMEM;
            return NULL;
        }
        rc = kc__record_iter_init_to(&it, bt, dst, bound, &dlen);
        kc__fbuf_trim(fb, dst, bound, dlen);
    } else {
        rc = kc__record_iter_init(&it, bt, &dbuf, 0);
        dlen = dbuf.len;
    }
    if (rc) {
        kc__buf_free(&dbuf);
        *errp = rc;
        return NULL;
    }
    /* A record takes at least 7 bytes: the count cannot exceed that bound
     * whatever the header claims. */
    size_t nbound = (size_t)(it.end - it.p) / 7 + 1;
    int32_t n = it.count < 0 ? 0 : it.count;
    if ((size_t)n > nbound) n = (int32_t)nbound;
    kc__fchunk *ch = kc__fbuf_alloc(fb, sizeof(*ch) + sizeof(kc_message_t) * (size_t)n);
    if (!ch) {
        kc__buf_free(&dbuf);
        *errp = KC__BATCH_ERR_NOMEM;
        return NULL;
    }
    memset(ch, 0, sizeof(*ch));
    ch->op.type = KC__OP_FETCH;
    ch->op.free_fn = fchunk_op_free;
    atomic_init(&ch->refs, 1);
    ch->tp = tp;
    ch->partition = tp->partition;
    ch->version = version;
    ch->fbuf = fb;
    atomic_fetch_add(&fb->refs, 1);
    ch->dbuf = dbuf; /* the iterator points into dbuf.p, which does not move */
    ch->it = it;
    ch->skip_below = skip_below;
    ch->bytes = (int64_t)bt->len + (int64_t)dlen;
    ch->leader_epoch = bt->partition_leader_epoch;
    ch->tstype = kc__batch_is_log_append_time(bt) ? KC_TIMESTAMP_LOG_APPEND_TIME
                                                  : KC_TIMESTAMP_CREATE_TIME;
    ch->nmsgs = n;
    ch->topic = topic;
    ch->cons = cs;
    return ch;
}

/* Turns one partition's records into chunks (in *chunks), returning the
 * offset after the last batch taken. On corrupt data *errp gets the error
 * and errbuf the explanation; the chunks before it are still good. */
static int64_t parse_records(kc__consumer *cs, kc__ctp *tp, unsigned version, kc__fbuf *fb,
                             const kc__FetchResponse_PartitionData *pd, int64_t pos,
                             kc__fchunk ***chunks, int *nchunks, int *errp, char *errbuf,
                             size_t errsize) {
    aborted ab = {0};
    bool rc_mode = cs->isolation == 1;
    kc__FetchResponse_AbortedTransaction *txn = NULL;
    if (rc_mode && pd->aborted_transactions.n > 0) {
        ab.n = pd->aborted_transactions.n;
        txn = malloc(sizeof(*txn) * (size_t)ab.n);
        ab.pids = malloc(sizeof(int64_t) * (size_t)ab.n);
        if (!txn || !ab.pids) {
            free(txn);
            free(ab.pids);
            *errp = KC__BATCH_ERR_NOMEM;
            return pos;
        }
        memcpy(txn, pd->aborted_transactions.items, sizeof(*txn) * (size_t)ab.n);
        qsort(txn, (size_t)ab.n, sizeof(*txn), cmp_txn);
        ab.txn = txn;
    }
    kc__batch_iter bi;
    kc__batch_iter_init(&bi, pd->records.p, pd->records.len > 0 ? (size_t)pd->records.len : 0);
    kc__batch bt;
    int cap = 0;
    char *topic = NULL; /* a copy in fb's memory, so messages outlive the consumer */
    while (kc__batch_iter_next(&bi, &bt) == 0) {
        int64_t last = kc__batch_last_offset(&bt);
        if (last < pos) continue; /* already consumed (a compressed batch starts earlier) */
        if (skip_batch(&ab, &bt, rc_mode)) {
            pos = last + 1;
            continue;
        }
        if (!topic) {
            size_t tl = strlen(tp->topic->name) + 1;
            if ((topic = kc__fbuf_alloc(fb, tl))) memcpy(topic, tp->topic->name, tl);
        }
        kc__fchunk *ch = topic ? chunk_new(cs, tp, version, fb, &bt, pos, topic, errp) : NULL;
        if (!topic) *errp = KC__BATCH_ERR_NOMEM;
        if (!ch) {
            snprintf(errbuf, errsize, "batch at offset %lld: %s", (long long)bt.base_offset,
                     *errp == KC__BATCH_ERR_NOMEM ? "out of memory" : "cannot decompress");
            break;
        }
        if (*nchunks == cap) {
            cap = cap ? cap * 2 : 8;
            kc__fchunk **a = realloc(*chunks, sizeof(*a) * (size_t)cap);
            if (!a) {
                kc__fchunk_release(ch);
                *errp = KC__BATCH_ERR_NOMEM;
                snprintf(errbuf, errsize, "out of memory");
                break;
            }
            *chunks = a;
        }
        (*chunks)[(*nchunks)++] = ch;
        pos = last + 1;
    }
    if (!*errp && bi.status != KC__BATCH_END && bi.status != KC__BATCH_INCOMPLETE) {
        *errp = bi.status;
        char d[256];
        snprintf(errbuf, errsize, "corrupt record batch near offset %lld: %s", (long long)pos,
                 kc__batch_iter_describe(&bi, d, sizeof d));
    }
    free(txn);
    free(ab.pids);
    return pos;
}

/* Errors after which the partition waits for fresh metadata. */
static bool is_leader_error(int16_t code) {
    switch (code) {
    case KC_ERR_NOT_LEADER_OR_FOLLOWER:
    case KC_ERR_UNKNOWN_TOPIC_OR_PARTITION:
    case KC_ERR_LEADER_NOT_AVAILABLE:
    case KC_ERR_REPLICA_NOT_AVAILABLE:
    case KC_ERR_FENCED_LEADER_EPOCH:
    case KC_ERR_UNKNOWN_LEADER_EPOCH:
    case KC_ERR_KAFKA_STORAGE_ERROR:
    case KC_ERR_OFFSET_NOT_AVAILABLE:
    case KC_ERR_UNKNOWN_TOPIC_ID:
    case KC_ERR_INCONSISTENT_TOPIC_ID:
    case KC_ERR_NOT_ENOUGH_REPLICAS:
        return true;
    default:
        return false;
    }
}

/* Handles one partition of a response: queues its chunks, or records the
 * error. */
static void handle_partition(kc__broker *b, freq *fr, kc__fbuf *fb, kc__ctp *tp,
                             const kc__FetchResponse_PartitionData *pd, int64_t now) {
    kc__consumer *cs = fr->cs;
    kc__client *c = cs->c;
    sess_ent *e = sess_find(fr->fs, tp);
    if (!e) return; /* not ours (answer for a partition we did not ask) */
    unsigned version = e->version;
    int64_t pos = e->pos;
    kc__fchunk **chunks = NULL;
    int nchunks = 0, perr = 0;
    char errbuf[384] = "";
    int64_t newpos = pos;
    if (pd->error_code == 0)
        newpos = parse_records(cs, tp, version, fb, pd, pos, &chunks, &nchunks, &perr, errbuf,
                               sizeof errbuf);
    pthread_mutex_lock(&cs->lock);
    bool current = atomic_load(&tp->version) == version && tp->fstate == KC__FS_ACTIVE &&
                   tp->fetch_pos == pos && tp->assigned;
    if (current && pd->error_code == 0) { /* an error answer carries -1 watermarks */
        tp->hwm = pd->high_watermark;
        if (pd->last_stable_offset >= 0) tp->lso = pd->last_stable_offset;
        if (pd->log_start_offset >= 0) tp->log_start = pd->log_start_offset;
    }
    if (current && pd->error_code == 0) {
        tp->fetch_pos = newpos; /* the session entry keeps what the broker was told */
        /* One op for the partition's batches, chained: one queue push and
         * at most one wake-up of a waiting application thread, not one per
         * batch. */
        int64_t bytes = 0;
        for (int i = 0; i < nchunks; i++) {
            bytes += chunks[i]->bytes;
            chunks[i]->next_chunk = i + 1 < nchunks ? chunks[i + 1] : NULL;
        }
        if (nchunks) {
            atomic_fetch_add(&tp->queued, bytes);
            atomic_fetch_add(&cs->queued, bytes);
            kc__q_push(&c->appq, &chunks[0]->op);
        }
        nchunks = 0;
        if (perr) {
            tp->fstate = KC__FS_STOPPED;
            kc__cons_event(cs, tp, version, perr == KC__BATCH_ERR_NOMEM ? KC_ERR__CRIT_SYS_RESOURCE
                                                                        : KC_ERR__BAD_MSG,
                           newpos, "%s [%d]: %s; fetching stopped until seek", tp->topic->name,
                           tp->partition, errbuf);
        }
        int64_t end = cs->isolation == 1 && tp->lso >= 0 ? tp->lso : tp->hwm;
        if (!perr && cs->enable_eof && newpos >= end && tp->eof_at != newpos) {
            tp->eof_at = newpos;
            kc__cons_event(cs, tp, version, KC_ERR__PARTITION_EOF, newpos,
                           "%s [%d]: reached end of partition at offset %lld", tp->topic->name,
                           tp->partition, (long long)newpos);
        }
    } else if (current && pd->error_code == KC_ERR_OFFSET_OUT_OF_RANGE) {
        if (cs->reset == KC_OFFSET_INVALID) {
            tp->fstate = KC__FS_STOPPED;
            kc__cons_event(cs, tp, version, KC_ERR__AUTO_OFFSET_RESET, pos,
                           "%s [%d]: fetch offset %lld is out of range (log %lld..%lld) and "
                           "auto.offset.reset is 'error'",
                           tp->topic->name, tp->partition, (long long)pos,
                           (long long)tp->log_start, (long long)tp->hwm);
        } else {
            kc__log(c, KC__LOG_INFO, "FETCH",
                    "%s [%d]: offset %lld out of range: resetting to %s", tp->topic->name,
                    tp->partition, (long long)pos,
                    cs->reset == KC_OFFSET_BEGINNING ? "earliest" : "latest");
            tp->fstate = KC__FS_QUERY;
            tp->want_offset = cs->reset;
            kc__client_wake_main(c);
        }
    } else if (current && is_leader_error(pd->error_code)) {
        tp->retry_at = now + 200;
        kc__log(c, KC__LOG_DEBUG, "FETCH", "%s [%d]: %s from %s: refreshing metadata",
                tp->topic->name, tp->partition, kc_err_name((kc_err_t)pd->error_code), b->name);
        kc__client_refresh_metadata(c, "fetch: partition leader moved");
    } else if (current && pd->error_code) {
        tp->retry_at = now + 1000;
        kc__cons_event(cs, tp, version, (kc_err_t)pd->error_code, pos,
                       "%s [%d]: fetch from %s failed: %s", tp->topic->name, tp->partition,
                       b->name, kc_err_desc((kc_err_t)pd->error_code));
    }
    pthread_mutex_unlock(&cs->lock);
    for (int i = 0; i < nchunks; i++) {
        chunks[i]->bytes = 0;
        kc__fchunk_release(chunks[i]);
    }
    free(chunks);
}

/* Marks every partition of the request as no longer in flight. */
static void fetch_done(freq *fr) {
    kc__consumer *cs = fr->cs;
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < fr->fs->nents; i++) fr->fs->ents[i].tp->fetching = false;
    pthread_mutex_unlock(&cs->lock);
    fr->fs->inflight = false;
}

static kc__ctp *find_resp_tp(kc__consumer *cs, kc__fetch_state *fs, int16_t ver,
                             const kc__FetchResponse_FetchableTopicResponse *t, int32_t p) {
    for (int i = 0; i < fs->nents; i++) {
        kc__ctp *tp = fs->ents[i].tp;
        if (tp->partition != p) continue;
        if (ver >= 13 ? kc__uuid_eq(&tp->topic->id, &t->topic_id)
                      : (t->topic.len == (int32_t)strlen(tp->topic->name) &&
                         !memcmp(t->topic.p, tp->topic->name, (size_t)t->topic.len)))
            return tp;
    }
    (void)cs;
    return NULL;
}

static void on_fetch(kc__broker *b, kc__req *r, kc_err_t err, kc__rd *body, const char *errstr) {
    freq *fr = r->arg;
    int16_t ver = r->ver;
    kc__req_free(r);
    kc__consumer *cs = fr->cs;
    if (!b) { /* destroyed before being sent */
        freq_free(fr);
        return;
    }
    kc__fetch_state *fs = fr->fs;
    int64_t now = kc__mono_ms();
    fetch_done(fr);
    if (err) {
        sess_reset(fs);
        if (err != KC_ERR__DESTROY) {
            fs->backoff_until = now + 100;
            kc__log(cs->c, KC__LOG_DEBUG, "FETCH", "%s: fetch failed: %s", b->name, errstr);
        }
        freq_free(fr);
        return;
    }
    /* Keep the response: take the read buffer over when it holds only
     * this response (giving the broker a used one back to read the next
     * into), else copy it. */
    size_t len = kc__rd_left(body), cap = 0;
    const uint8_t *data = body->p;
    uint8_t *mem = kc__broker_take_rbuf(b, &cap);
    if (mem) {
        size_t rcap;
        uint8_t *next = kc__fpool_get_rbuf(cs->pool, &rcap);
        if (next) kc__broker_give_rbuf(b, next, rcap);
    } else if ((mem = kc__fpool_rbuf(cs->pool, len, &cap))) {
        memcpy(mem, body->p, len);
        data = mem;
    }
    kc__fbuf *fb = mem ? kc__fbuf_new(cs->pool, mem, cap) : NULL;
    if (!fb) {
        free(mem);
        sess_reset(fs);
        fs->backoff_until = now + 1000;
        freq_free(fr);
        return;
    }
    kc__rd rd;
    kc__rd_init(&rd, data, len);
    kc__arena a;
    kc__arena_init(&a, 8192);
    kc__FetchResponse resp;
    if (kc__FetchResponse_decode(&rd, &a, ver, &resp)) {
        kc__log(cs->c, KC__LOG_WARNING, "FETCH", "%s: malformed FetchResponse v%d", b->name, ver);
        sess_reset(fs);
        fs->backoff_until = now + 1000;
    } else if (resp.error_code) {
        if (resp.error_code == KC_ERR_FETCH_SESSION_ID_NOT_FOUND ||
            resp.error_code == KC_ERR_INVALID_FETCH_SESSION_EPOCH ||
            resp.error_code == KC_ERR_FETCH_SESSION_TOPIC_ID_ERROR) {
            kc__log(cs->c, KC__LOG_DEBUG, "FETCH", "%s: fetch session %d: %s: starting a new one",
                    b->name, fs->sess_id, kc_err_name((kc_err_t)resp.error_code));
        } else {
            fs->backoff_until = now + 500;
            kc__log(cs->c, KC__LOG_INFO, "FETCH", "%s: fetch failed: %s", b->name,
                    kc_err_name((kc_err_t)resp.error_code));
        }
        sess_reset(fs);
    } else {
        if (fr->sess_epoch == 0) fs->sess_id = resp.session_id;
        if (fs->sess_id) {
            fs->sess_epoch = fr->sess_epoch == INT32_MAX ? 1 : fr->sess_epoch + 1;
        } else {
            fs->sess_epoch = 0; /* the broker keeps no session: always full requests */
            fs->nents = 0;
        }
        for (int32_t i = 0; i < resp.responses.n; i++) {
            const kc__FetchResponse_FetchableTopicResponse *t = &resp.responses.items[i];
            for (int32_t j = 0; j < t->partitions.n; j++) {
                const kc__FetchResponse_PartitionData *pd = &t->partitions.items[j];
                kc__ctp *tp = find_resp_tp(cs, fs, ver, t, pd->partition_index);
                if (tp) handle_partition(b, fr, fb, tp, pd, now);
            }
        }
        if (!fs->sess_id) fs->nents = 0;
    }
    kc__arena_destroy(&a);
    kc__fbuf_release(fb);
    freq_free(fr);
}

/* ------------------------------------------------------------ driving */

/* Collects the partitions this broker should fetch now. */
static int collect(kc__broker *b, kc__consumer *cs, int64_t now, kc__ctp ***outp,
                   int64_t *wakep) {
    kc__client *c = cs->c;
    int64_t per_tp = cs->max_queued / (cs->nassigned > 0 ? cs->nassigned : 1);
    if (per_tp < cs->max_partition_fetch_bytes) per_tp = cs->max_partition_fetch_bytes;
    kc__ctp **out = malloc(sizeof(*out) * (size_t)(cs->nassigned + 1));
    int n = 0;
    if (!out) return -1;
    for (int i = 0; i < cs->nassigned; i++) {
        kc__ctp *tp = cs->assigned[i];
        if (tp->fstate != KC__FS_ACTIVE || tp->paused || tp->fetching) continue;
        if (tp->retry_at > now) {
            if (tp->retry_at < *wakep) *wakep = tp->retry_at;
            continue;
        }
        if (atomic_load(&tp->queued) >= per_tp) continue;
        if (kc__ctp_leader(c, tp) != b->id) continue;
        out[n++] = tp;
    }
    *outp = out;
    return n;
}

int64_t kc__fetcher_run(kc__broker *b, int64_t now) {
    kc__client *c = b->c;
    kc__consumer *cs = kc__cons(c);
    int64_t wake = now + 1000;
    if (!cs) return wake;
    kc__fetch_state *fs = fetch_state(b);
    if (!fs || fs->inflight) return wake;
    if (fs->backoff_until > now) return fs->backoff_until;
    if (atomic_load(&cs->queued) >= cs->max_queued) {
        atomic_store(&cs->fetch_blocked, true);
        return wake;
    }
    pthread_mutex_lock(&cs->lock);
    kc__ctp **tps = NULL;
    int n = collect(b, cs, now, &tps, &wake);
    if (n < 0 || (n == 0 && fs->nents == 0)) {
        pthread_mutex_unlock(&cs->lock);
        free(tps);
        return wake;
    }
    b->want_connect = true;
    if (atomic_load(&b->state) != KC__BRK_UP) {
        pthread_mutex_unlock(&cs->lock);
        free(tps);
        return wake;
    }
    qsort(tps, (size_t)n, sizeof(*tps), cmp_tp);
    freq *fr = calloc(1, sizeof(*fr));
    kc__ctp **incl = malloc(sizeof(*incl) * (size_t)(n + 1));
    kc__ctp **forget = malloc(sizeof(*forget) * (size_t)(fs->nents + 1));
    sess_ent *ents = malloc(sizeof(*ents) * (size_t)(n + 1));
    if (!fr || !incl || !forget || !ents) {
        pthread_mutex_unlock(&cs->lock);
        free(fr);
        free(incl);
        free(forget);
        free(ents);
        free(tps);
        return now + 100;
    }
    bool full = fs->sess_epoch == 0;
    int nincl = 0, nforget = 0;
    /* Added or changed partitions go in; session partitions no longer
     * fetchable here are forgotten. A full request sends everything. */
    for (int i = 0; i < n; i++) {
        kc__ctp *tp = tps[i];
        sess_ent *old = full ? NULL : sess_find(fs, tp);
        int64_t pos = tp->fetch_pos;
        unsigned ver = atomic_load(&tp->version);
        /* A seek bumps the version: resend the partition even when the
         * offset is the same, or the broker (which omits unchanged
         * partitions from incremental responses) never answers for it
         * and an end-of-partition event after the seek is not seen. */
        if (!old || old->pos != pos || old->version != ver) incl[nincl++] = tp;
        ents[i] = (sess_ent){tp, pos, ver};
        tp->fetching = true;
    }
    if (!full)
        for (int i = 0; i < fs->nents; i++) {
            kc__ctp *tp = fs->ents[i].tp;
            if (!bsearch(&tp, tps, (size_t)n, sizeof(*tps), cmp_tp)) forget[nforget++] = tp;
        }
    pthread_mutex_unlock(&cs->lock);
    qsort(forget, (size_t)nforget, sizeof(*forget), cmp_tp);
    free(fs->ents);
    fs->ents = ents;
    fs->nents = n;
    fs->cap = n + 1;
    free(tps);
    fr->cs = cs;
    fr->fs = fs;
    fr->incl = incl;
    fr->nincl = nincl;
    fr->forget = forget;
    fr->nforget = nforget;
    fr->full = full;
    fr->sess_id = fs->sess_id;
    fr->sess_epoch = fs->sess_epoch;
    kc__req *r = kc__req_new(c, KC__API_FETCH, encode_fetch, on_fetch, fr);
    if (!r) {
        fetch_done(fr);
        sess_reset(fs);
        freq_free(fr);
        return now + 100;
    }
    /* The broker holds the request up to fetch.max.wait.ms. */
    r->deadline_ms += cs->fetch_max_wait_ms;
    fs->inflight = true;
    kc__broker_enqueue(b, r);
    return wake;
}
