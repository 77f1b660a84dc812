/* The consumer handle: creation, assignment, poll (serving fetched chunks
 * and running callbacks on the application's thread), positions, seek,
 * pause/resume, commit entry points, close and destroy. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consumer.h"
#include "net/broker.h"
#include "util/time.h"

struct kc_consumer {
    kc__consumer cs;
};

#define CS(h) (&(h)->cs)

/* ------------------------------------------------------------ partitions */

static size_t tp_hash(const char *topic, size_t len, int32_t partition) {
    size_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)topic[i]) * 1099511628211ULL;
    return (h ^ (size_t)(uint32_t)partition) * 1099511628211ULL;
}

kc__ctp *kc__ctp_find(kc__consumer *cs, const char *topic, size_t len, int32_t partition) {
    if (!cs->map_cap) return NULL;
    kc__ctp *tp = cs->map[tp_hash(topic, len, partition) & (cs->map_cap - 1)];
    for (; tp; tp = tp->hnext)
        if (tp->partition == partition && strlen(tp->topic->name) == len &&
            !memcmp(tp->topic->name, topic, len))
            return tp;
    return NULL;
}

kc__ctp *kc__ctp_get(kc__consumer *cs, const char *topic, int32_t partition) {
    size_t len = strlen(topic);
    kc__ctp *tp = kc__ctp_find(cs, topic, len, partition);
    if (tp) return tp;
    if ((cs->map_cnt + 1) * 2 > cs->map_cap) {
        size_t cap = cs->map_cap ? cs->map_cap * 2 : 64;
        kc__ctp **map = calloc(cap, sizeof(*map));
        if (!map) return NULL;
        for (size_t i = 0; i < cs->map_cap; i++)
            for (kc__ctp *t = cs->map[i], *next; t; t = next) {
                next = t->hnext;
                size_t h = tp_hash(t->topic->name, strlen(t->topic->name), t->partition) & (cap - 1);
                t->hnext = map[h];
                map[h] = t;
            }
        free(cs->map);
        cs->map = map;
        cs->map_cap = cap;
    }
    kc__topic *t = kc__topic_get(cs->c, topic);
    if (!t) return NULL;
    pthread_rwlock_rdlock(&cs->c->topics_lock); /* the metadata thread writes state */
    bool known = t->state == KC__TOPIC_EXISTS;
    pthread_rwlock_unlock(&cs->c->topics_lock);
    if (!known) kc__client_refresh_metadata(cs->c, "consumer: new topic");
    tp = calloc(1, sizeof(*tp));
    if (!tp) return NULL;
    tp->topic = t;
    tp->partition = partition;
    tp->hwm = tp->lso = tp->log_start = KC_OFFSET_INVALID;
    tp->eof_at = -1;
    tp->committed = KC_OFFSET_INVALID;
    atomic_init(&tp->app_pos, KC_OFFSET_INVALID);
    atomic_init(&tp->app_epoch, -1);
    atomic_init(&tp->stored, KC_OFFSET_INVALID);
    atomic_init(&tp->stored_epoch, -1);
    size_t h = tp_hash(topic, len, partition) & (cs->map_cap - 1);
    tp->hnext = cs->map[h];
    cs->map[h] = tp;
    cs->map_cnt++;
    return tp;
}

int32_t kc__ctp_leader(kc__client *c, const kc__ctp *tp) {
    int32_t leader = -1;
    pthread_rwlock_rdlock(&c->topics_lock);
    kc__topic *t = tp->topic;
    if (t->state == KC__TOPIC_EXISTS && tp->partition < t->npartitions)
        leader = atomic_load(&t->partitions[tp->partition]->leader);
    pthread_rwlock_unlock(&c->topics_lock);
    return leader;
}

void kc__ctp_set_start(kc__consumer *cs, kc__ctp *tp, int64_t offset) {
    atomic_fetch_add(&tp->version, 1);
    atomic_store(&tp->stored, KC_OFFSET_INVALID); /* a new start: nothing stored yet */
    tp->eof_at = -1;
    tp->retry_at = 0;
    if (offset >= 0) {
        tp->fstate = KC__FS_ACTIVE;
        tp->fetch_pos = offset;
        atomic_store(&tp->app_pos, offset);
    } else {
        tp->fstate = KC__FS_QUERY;
        tp->want_offset = offset == KC_OFFSET_INVALID ? KC_OFFSET_STORED : offset;
        atomic_store(&tp->app_pos, KC_OFFSET_INVALID);
    }
    (void)cs;
}

/* ------------------------------------------------------------ events */

static void event_op_free(kc__op *op) {
    kc_message_destroy(((kc__op_event *)op)->m);
    free(op);
}

void kc__cons_event(kc__consumer *cs, kc__ctp *tp, unsigned version, kc_err_t err, int64_t offset,
                    const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (err != KC_ERR__PARTITION_EOF) kc__log(cs->c, KC__LOG_WARNING, "CONSUMER", "%s", msg);
    kc__op_event *op = calloc(1, sizeof(*op));
    if (op) op->m = kc__msg_event_new(tp ? tp->topic->name : NULL, tp ? tp->partition : -1, err,
                                      offset, msg);
    if (!op || !op->m) {
        free(op);
        return;
    }
    op->op.type = KC__OP_EVENT;
    op->op.free_fn = event_op_free;
    op->tp = tp;
    op->version = version;
    kc__q_push(&cs->c->appq, &op->op);
}

static void call_op_free(kc__op *op) { free(op); }

void kc__cons_call_main(kc__client *c, void (*fn)(kc__client *, kc__op_call *), void *arg,
                        int64_t i) {
    kc__op_call *op = calloc(1, sizeof(*op));
    if (!op) return;
    op->op.type = KC__OP_CALL;
    op->op.free_fn = call_op_free;
    op->fn = fn;
    op->arg = arg;
    op->i = i;
    kc__q_push(&c->mainq, &op->op);
}

/* ------------------------------------------------------------ lifecycle */

/* auto.offset.reset (enum "latest|earliest|none|error|smallest|largest|
 * beginning|end") as a logical offset; KC_OFFSET_INVALID means "error". */
static int64_t reset_policy(int64_t idx) {
    static const int64_t map[] = {KC_OFFSET_END,       KC_OFFSET_BEGINNING, KC_OFFSET_INVALID,
                                  KC_OFFSET_INVALID,   KC_OFFSET_BEGINNING, KC_OFFSET_END,
                                  KC_OFFSET_BEGINNING, KC_OFFSET_END};
    return idx >= 0 && idx < 8 ? map[idx] : KC_OFFSET_END;
}

kc_consumer_t *kc_consumer_new(const kc_conf_t *conf, char *errstr, size_t errsize) {
    if (!conf) {
        kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "kc_consumer_new: conf is NULL");
        return NULL;
    }
    kc_consumer_t *h = calloc(1, sizeof(*h));
    if (!h) {
        kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return NULL;
    }
    kc__consumer *cs = CS(h);
    cs->handle = h;
    cs->c = kc__client_new(conf, KC__ROLE_CONSUMER, errstr, errsize);
    if (!cs->c) {
        free(h);
        return NULL;
    }
    kc__client *c = cs->c;
    const kc_conf_t *k = c->conf;
    c->cons = cs;
    for (int i = 0; i < KC__CONF_COUNT; i++)
        if (k->v[i].set && kc__conf_scope(i) == KC__CS_PRODUCER)
            kc__log(c, KC__LOG_WARNING, "CONFIG",
                    "%s is a producer setting: ignored by this consumer", kc__conf_name(i));
    pthread_mutex_init(&cs->lock, NULL);
    cs->fetch_min_bytes = (int32_t)kc__conf_int(k, KC__CONF_FETCH_MIN_BYTES);
    cs->fetch_max_wait_ms = (int32_t)kc__conf_int(k, KC__CONF_FETCH_MAX_WAIT_MS);
    cs->fetch_max_bytes = (int32_t)kc__conf_int(k, KC__CONF_FETCH_MAX_BYTES);
    cs->max_partition_fetch_bytes = (int32_t)kc__conf_int(k, KC__CONF_MAX_PARTITION_FETCH_BYTES);
    cs->isolation = (int8_t)kc__conf_int(k, KC__CONF_ISOLATION_LEVEL);
    cs->reset = reset_policy(kc__conf_int(k, KC__CONF_AUTO_OFFSET_RESET));
    cs->enable_eof = kc__conf_int(k, KC__CONF_ENABLE_PARTITION_EOF) != 0;
    cs->auto_commit = kc__conf_int(k, KC__CONF_ENABLE_AUTO_COMMIT) != 0;
    cs->auto_store = kc__conf_int(k, KC__CONF_ENABLE_AUTO_OFFSET_STORE) != 0;
    cs->max_poll_records = (int)kc__conf_int(k, KC__CONF_MAX_POLL_RECORDS);
    cs->max_queued = kc__conf_int(k, KC__CONF_QUEUED_MAX_MESSAGES_KBYTES) * 1024;
    /* Fetch memory kept for reuse: never more than was in use at once,
     * which the prefetch budget bounds (and 2 GiB at most). */
    cs->pool = kc__fpool_new(cs->max_queued < INT32_MAX ? (size_t)cs->max_queued : INT32_MAX);
    cs->group_id = kc__conf_str(k, KC__CONF_GROUP_ID);
    atomic_store(&cs->last_poll_ms, kc__mono_ms());
    if (!cs->pool) kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    if (!cs->pool || kc__group_new(cs, errstr, errsize) || kc__client_start(c, errstr, errsize)) {
        kc__client_stop(c);
        kc__group_free(cs);
        kc__fpool_close(cs->pool);
        c->cons = NULL;
        kc__client_free(c);
        pthread_mutex_destroy(&cs->lock);
        free(h);
        return NULL;
    }
    return h;
}

/* Unassigns tp (under cons->lock). */
static void ctp_unassign(kc__ctp *tp) {
    tp->assigned = false;
    tp->fstate = KC__FS_NONE;
    tp->paused = false;
    atomic_fetch_add(&tp->version, 1);
}

/* Replaces (replace) or extends the assignment with l; returns an error
 * naming a bad entry. Takes cons->lock. */
static kc_err_t assign_add(kc__consumer *cs, const kc_tplist_t *l, bool replace, char *errstr,
                           size_t errsize) {
    kc_err_t err = KC_ERR_NO_ERROR;
    int n = kc_tplist_count(l);
    for (int i = 0; i < n; i++)
        if (l->e[i].partition < 0)
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "%s [%d]: invalid partition",
                              l->e[i].topic, l->e[i].partition);
    pthread_mutex_lock(&cs->lock);
    if (!replace)
        for (int i = 0; i < n && !err; i++) {
            kc__ctp *tp = kc__ctp_find(cs, l->e[i].topic, strlen(l->e[i].topic), l->e[i].partition);
            if (tp && tp->assigned)
                err = kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "%s [%d]: already assigned",
                                 l->e[i].topic, l->e[i].partition);
        }
    int need = (replace ? 0 : cs->nassigned) + n;
    if (!err && need > cs->cap_assigned) {
        kc__ctp **a = realloc(cs->assigned, sizeof(*a) * (size_t)need);
        if (!a)
            err = kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        else {
            cs->assigned = a;
            cs->cap_assigned = need;
        }
    }
    if (!err && replace) {
        for (int i = 0; i < cs->nassigned; i++) ctp_unassign(cs->assigned[i]);
        cs->nassigned = 0;
    }
    for (int i = 0; i < n && !err; i++) {
        kc__ctp *tp = kc__ctp_get(cs, l->e[i].topic, l->e[i].partition);
        if (!tp) {
            err = kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
            break;
        }
        if (tp->assigned) continue; /* listed twice */
        tp->assigned = true;
        tp->paused = false;
        kc__ctp_set_start(cs, tp, l->e[i].offset);
        cs->assigned[cs->nassigned++] = tp;
    }
    pthread_mutex_unlock(&cs->lock);
    kc__client_wake_main(cs->c);
    kc__client_wake_all_brokers(cs->c);
    return err;
}

static kc_err_t unassign_some(kc__consumer *cs, const kc_tplist_t *l, char *errstr,
                              size_t errsize) {
    kc_err_t err = KC_ERR_NO_ERROR;
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < kc_tplist_count(l) && !err; i++) {
        kc__ctp *tp = kc__ctp_find(cs, l->e[i].topic, strlen(l->e[i].topic), l->e[i].partition);
        if (!tp || !tp->assigned)
            err = kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "%s [%d]: not assigned",
                             l->e[i].topic, l->e[i].partition);
    }
    for (int i = 0; i < kc_tplist_count(l) && !err; i++) {
        kc__ctp *tp = kc__ctp_find(cs, l->e[i].topic, strlen(l->e[i].topic), l->e[i].partition);
        if (tp->assigned) ctp_unassign(tp);
    }
    int k = 0;
    for (int i = 0; i < cs->nassigned; i++)
        if (cs->assigned[i]->assigned) cs->assigned[k++] = cs->assigned[i];
    cs->nassigned = k;
    pthread_mutex_unlock(&cs->lock);
    return err;
}

/* Internal assignment changes (rebalance), bypassing the manual flag. */
kc_err_t kc__cons_apply(kc__consumer *cs, int event, const kc_tplist_t *parts, bool eager) {
    char e[256];
    if (eager) return assign_add(cs, event == KC_REBALANCE_ASSIGN ? parts : NULL, true, e, sizeof e);
    /* Cooperative: add what is not ours yet, remove what still is. */
    bool add = event == KC_REBALANCE_ASSIGN;
    kc_tplist_t *todo = kc_tplist_new(kc_tplist_count(parts));
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; todo && i < kc_tplist_count(parts); i++) {
        kc__ctp *tp = kc__ctp_find(cs, parts->e[i].topic, strlen(parts->e[i].topic),
                                   parts->e[i].partition);
        if ((tp && tp->assigned) != add) {
            int k = kc_tplist_add(todo, parts->e[i].topic, parts->e[i].partition);
            if (k >= 0) todo->e[k].offset = parts->e[i].offset;
        }
    }
    pthread_mutex_unlock(&cs->lock);
    kc_err_t err = !todo ? KC_ERR__CRIT_SYS_RESOURCE
                   : add ? assign_add(cs, todo, false, e, sizeof e)
                         : unassign_some(cs, todo, e, sizeof e);
    kc_tplist_destroy(todo);
    return err;
}

kc_err_t kc_consumer_assign(kc_consumer_t *h, const kc_tplist_t *parts) {
    if (!h) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    char e[256];
    if (cs->in_rebalance_cb) cs->rebalance_handled = 1;
    else if (cs->subscribed) return KC_ERR__CONFLICT;
    else cs->manual = parts && kc_tplist_count(parts) > 0;
    return assign_add(cs, parts, true, e, sizeof e);
}

kc_err_t kc_consumer_incremental_assign(kc_consumer_t *h, const kc_tplist_t *parts) {
    if (!h || !parts) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    char e[256];
    if (cs->in_rebalance_cb) cs->rebalance_handled = 1;
    else if (cs->subscribed) return KC_ERR__CONFLICT;
    else cs->manual = true;
    kc_err_t err = assign_add(cs, parts, false, e, sizeof e);
    if (err) kc__log(cs->c, KC__LOG_WARNING, "ASSIGN", "incremental assign: %s", e);
    return err;
}

kc_err_t kc_consumer_incremental_unassign(kc_consumer_t *h, const kc_tplist_t *parts) {
    if (!h || !parts) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    char e[256];
    if (cs->in_rebalance_cb) cs->rebalance_handled = 1;
    else if (cs->subscribed) return KC_ERR__CONFLICT;
    kc_err_t err = unassign_some(cs, parts, e, sizeof e);
    if (err) kc__log(cs->c, KC__LOG_WARNING, "ASSIGN", "incremental unassign: %s", e);
    return err;
}

kc_err_t kc_consumer_assignment(kc_consumer_t *h, kc_tplist_t **out) {
    if (!h || !out) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    pthread_mutex_lock(&cs->lock);
    kc_tplist_t *l = kc_tplist_new(cs->nassigned);
    for (int i = 0; l && i < cs->nassigned; i++)
        kc_tplist_add(l, cs->assigned[i]->topic->name, cs->assigned[i]->partition);
    pthread_mutex_unlock(&cs->lock);
    *out = l;
    return l ? KC_ERR_NO_ERROR : KC_ERR__CRIT_SYS_RESOURCE;
}

/* ------------------------------------------------------------ subscribe */

static void sub_free(kc__consumer *cs) {
    for (int i = 0; i < cs->nsub; i++) {
        if (cs->sub_is_re[i]) regfree(&cs->sub_re[i]);
        free(cs->sub[i]);
    }
    free(cs->sub);
    free(cs->sub_re);
    free(cs->sub_is_re);
    cs->sub = NULL;
    cs->sub_re = NULL;
    cs->sub_is_re = NULL;
    cs->nsub = 0;
}

kc_err_t kc_consumer_subscribe(kc_consumer_t *h, const char *const *topics, size_t n,
                               char *errstr, size_t errsize) {
    if (!h || (!topics && n)) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "no topics");
    kc__consumer *cs = CS(h);
    if (!*cs->group_id)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                          "group.id: required to subscribe (or use kc_consumer_assign())");
    if (cs->manual)
        return kc__seterr(errstr, errsize, KC_ERR__CONFLICT,
                          "partitions were assigned with kc_consumer_assign(): unassign first");
    if (n == 0) return kc_consumer_unsubscribe(h);
    char **sub = calloc(n, sizeof(*sub));
    regex_t *re = calloc(n, sizeof(*re));
    bool *isre = calloc(n, sizeof(*isre));
    kc_err_t err = sub && re && isre ? KC_ERR_NO_ERROR : KC_ERR__CRIT_SYS_RESOURCE;
    size_t i;
    for (i = 0; i < n && !err; i++) {
        const char *t = topics[i];
        if (!t || !*t) {
            err = kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "topic %zu: empty name", i);
            break;
        }
        if (t[0] == '^') {
            int rc = regcomp(&re[i], t, REG_EXTENDED | REG_NOSUB);
            if (rc) {
                char why[128];
                regerror(rc, &re[i], why, sizeof why);
                err = kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                                 "topic pattern \"%s\": %s", t, why);
                break;
            }
            isre[i] = true;
        } else if (strlen(t) > 249 || strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                   "0123456789._-") != strlen(t) ||
                   !strcmp(t, ".") || !strcmp(t, "..")) {
            err = kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                             "topic \"%s\": invalid name (at most 249 of [a-zA-Z0-9._-])", t);
            break;
        }
        if (!(sub[i] = strdup(t))) err = KC_ERR__CRIT_SYS_RESOURCE;
        if (err && isre[i]) {
            regfree(&re[i]);
            isre[i] = false;
        }
    }
    if (err) {
        for (size_t k = 0; k < n && sub && re && isre; k++) {
            if (isre[k]) regfree(&re[k]);
            free(sub[k]);
        }
        free(sub);
        free(re);
        free(isre);
        if (err == KC_ERR__CRIT_SYS_RESOURCE)
            kc__seterr(errstr, errsize, err, "out of memory");
        return err;
    }
    pthread_mutex_lock(&cs->lock);
    sub_free(cs);
    cs->sub = sub;
    cs->sub_re = re;
    cs->sub_is_re = isre;
    cs->nsub = (int)n;
    cs->subscribed = true;
    cs->sub_version++;
    pthread_mutex_unlock(&cs->lock);
    kc__group_subscription_changed(cs);
    return KC_ERR_NO_ERROR;
}

kc_err_t kc_consumer_unsubscribe(kc_consumer_t *h) {
    if (!h) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    pthread_mutex_lock(&cs->lock);
    bool was = cs->subscribed;
    sub_free(cs);
    cs->sub_version++;
    pthread_mutex_unlock(&cs->lock);
    if (was) kc__group_subscription_changed(cs);
    return KC_ERR_NO_ERROR;
}

kc_err_t kc_consumer_subscription(kc_consumer_t *h, kc_tplist_t **out) {
    if (!h || !out) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    pthread_mutex_lock(&cs->lock);
    kc_tplist_t *l = kc_tplist_new(cs->nsub);
    for (int i = 0; l && i < cs->nsub; i++) kc_tplist_add(l, cs->sub[i], -1);
    pthread_mutex_unlock(&cs->lock);
    *out = l;
    return l ? KC_ERR_NO_ERROR : KC_ERR__CRIT_SYS_RESOURCE;
}

/* ------------------------------------------------------------ poll */

/* Returns a chunk's unserved bytes to the prefetch budget, waking the
 * fetcher when it was held back. */
static void chunk_unaccount(kc__consumer *cs, kc__fchunk *ch) {
    if (!ch->bytes) return;
    int64_t b = ch->bytes;
    ch->bytes = 0;
    int64_t left = atomic_fetch_sub(&ch->tp->queued, b) - b;
    atomic_fetch_sub(&cs->queued, b);
    if (atomic_exchange(&cs->fetch_blocked, false) || left == 0) {
        int32_t leader = kc__ctp_leader(cs->c, ch->tp);
        if (leader >= 0) kc__client_wake_broker(cs->c, leader);
        else kc__client_wake_all_brokers(cs->c);
    }
}

/* Makes ch (with the queue's reference) the chunk being served, or drops it
 * and its chain when stale. */
static void chunk_start(kc__consumer *cs, kc__fchunk *ch) {
    if (atomic_load(&ch->tp->version) == ch->version && !cs->closed) {
        /* The queue's reference moves to cur, plus one per slot at once
         * (cur_done() returns the unserved ones). */
        cs->cur = ch;
        if (ch->nmsgs > 0) atomic_fetch_add(&ch->refs, ch->nmsgs);
    } else {
        kc__op_free(&ch->op);
    }
}

/* Ends serving cs->cur: its reference and those of its unserved slots go.
 * Returns the chunk chained after it (the caller's to start or free). */
static kc__fchunk *cur_done(kc__consumer *cs) {
    kc__fchunk *ch = cs->cur, *next = ch->next_chunk;
    cs->cur = NULL;
    ch->next_chunk = NULL;
    chunk_unaccount(cs, ch);
    kc__fchunk_release_n(ch, 1 + ch->nmsgs - ch->nused);
    return next;
}

/* Drops cs->cur and its chain (close, destroy). */
static void cur_drop(kc__consumer *cs) {
    if (!cs->cur) return;
    kc__fchunk *next = cur_done(cs);
    if (next) kc__op_free(&next->op);
}

/* The next record of the current chunk, or NULL when it is used up. */
static kc_message_t *serve_one(kc__consumer *cs) {
    kc__fchunk *ch = cs->cur;
    kc__ctp *tp = ch->tp;
    kc__record r;
    while (ch->nused < ch->nmsgs) {
        if (atomic_load(&tp->version) != ch->version) break; /* seek, pause, unassign */
        int rc = kc__record_iter_next(&ch->it, &r);
        if (rc == KC__BATCH_END) break;
        if (rc < 0) {
            pthread_mutex_lock(&cs->lock);
            if (atomic_load(&tp->version) == ch->version) tp->fstate = KC__FS_STOPPED;
            pthread_mutex_unlock(&cs->lock);
            kc__cons_event(cs, tp, ch->version, KC_ERR__BAD_MSG, atomic_load(&tp->app_pos),
                           "%s [%d]: malformed record after offset %lld; fetching stopped "
                           "until seek",
                           tp->topic->name, tp->partition, (long long)atomic_load(&tp->app_pos));
            break;
        }
        if (r.offset < ch->skip_below) continue;
        kc_message_t *m = &ch->msgs[ch->nused++];
        /* The slots are cold (a reused block): ask for lines ahead. */
        __builtin_prefetch(m + 4, 1);
        m->chunk = ch;
        m->offset = r.offset;
        m->timestamp = r.timestamp;
        m->key = r.key.p;
        m->value = r.value.p;
        m->key_len = r.key.len;
        m->value_len = r.value.len;
        m->hdrs = r.headers;
        m->hdrs_len = (uint32_t)r.headers_len; /* < 2 GiB: within one batch */
        m->hdr_count = r.header_count;
        /* The slot's reference was taken when the chunk became cur. The
         * position is read by other threads (commits) but needs no
         * ordering with anything else: plain stores, not fences. */
        atomic_store_explicit(&tp->app_pos, r.offset + 1, memory_order_relaxed);
        atomic_store_explicit(&tp->app_epoch, ch->leader_epoch, memory_order_relaxed);
        return m;
    }
    kc__fchunk *next = cur_done(cs);
    if (next) chunk_start(cs, next);
    return NULL;
}

static void handle_rebalance(kc__consumer *cs, kc__op_rebalance *op);

/* Serves one non-record op; returns a message to hand out, if any. */
static kc_message_t *serve_op(kc__consumer *cs, kc__op *op) {
    kc__client *c = cs->c;
    kc_message_t *out = NULL;
    switch (op->type) {
    case KC__OP_FETCH: {
        chunk_start(cs, (kc__fchunk *)op);
        return NULL;
    }
    case KC__OP_EVENT: {
        kc__op_event *ev = (kc__op_event *)op;
        if (!ev->tp || atomic_load(&ev->tp->version) == ev->version) {
            out = ev->m;
            ev->m = NULL;
        }
        break;
    }
    case KC__OP_REBALANCE: handle_rebalance(cs, (kc__op_rebalance *)op); break;
    case KC__OP_COMMIT: {
        kc__op_commit *cm = (kc__op_commit *)op;
        if (c->conf->offset_commit_cb)
            c->conf->offset_commit_cb(cs->handle, cm->err, cm->offsets, c->conf->opaque);
        break;
    }
    case KC__OP_ERROR: {
        kc_error_t *e = ((kc__op_error *)op)->err;
        if (c->conf->error_cb)
            c->conf->error_cb(cs->handle, e, c->conf->opaque);
        else
            out = kc__msg_event_new(NULL, -1, kc_error_code(e), -1, kc_error_message(e));
        break;
    }
    case KC__OP_LOG: {
        kc__op_log *l = (kc__op_log *)op;
        if (c->conf->log_cb) c->conf->log_cb(cs->handle, l->level, l->fac, l->msg, c->conf->opaque);
        break;
    }
    default: break;
    }
    kc__op_free(op);
    return out;
}

/* The next message, waiting up to timeout_ms (-1: forever). The clock is
 * read only when the queue has to be consulted, not per record. */
static kc_message_t *poll_one(kc__consumer *cs, int timeout_ms) {
    int64_t deadline = -1;
    for (;;) {
        if (cs->cur && !kc__q_has_prio(&cs->c->appq)) { /* rebalances go first */
            kc_message_t *m = serve_one(cs);
            if (m) return m;
            continue;
        }
        if (timeout_ms >= 0 && deadline < 0) deadline = kc__mono_ms() + timeout_ms;
        int wait = timeout_ms < 0 ? 100 : kc__ms_left(deadline);
        if (wait > 100) wait = 100; /* keep max.poll.interval.ms bookkeeping fresh */
        kc__op *op = kc__q_pop(&cs->c->appq, wait);
        atomic_store(&cs->last_poll_ms, kc__mono_coarse_ms());
        if (!op) {
            if (timeout_ms >= 0 && kc__mono_ms() >= deadline) return NULL;
            continue;
        }
        kc_message_t *m = serve_op(cs, op);
        if (m) return m;
    }
}

kc_message_t *kc_consumer_poll(kc_consumer_t *h, int timeout_ms) {
    if (!h) return NULL;
    kc__consumer *cs = CS(h);
    atomic_store(&cs->last_poll_ms, kc__mono_coarse_ms()); /* a few ns: no syscall */
    return poll_one(cs, timeout_ms);
}

int kc_consumer_poll_batch(kc_consumer_t *h, kc_message_t **msgs, int max, int timeout_ms) {
    if (!h || !msgs || max <= 0) return 0;
    kc__consumer *cs = CS(h);
    if (cs->max_poll_records > 0 && max > cs->max_poll_records) max = cs->max_poll_records;
    atomic_store(&cs->last_poll_ms, kc__mono_coarse_ms());
    int n = 0;
    kc_message_t *m = poll_one(cs, timeout_ms);
    while (m) {
        msgs[n++] = m;
        if (n == max) break;
        m = poll_one(cs, 0);
    }
    return n;
}

/* ------------------------------------------------------------ rebalance */

static void run_rebalance_cb(kc__consumer *cs, int event, const kc_tplist_t *parts, bool eager) {
    kc__client *c = cs->c;
    if (event == KC_REBALANCE_REVOKE && cs->auto_commit && kc_tplist_count(parts) > 0) {
        /* Commit what the application was given before letting go. */
        kc_tplist_t *offs = kc_tplist_copy(parts);
        for (int i = 0; offs && i < offs->n; i++) offs->e[i].offset = KC_OFFSET_INVALID;
        if (offs) kc_consumer_commit(cs->handle, offs, 0);
        kc_tplist_destroy(offs);
    }
    cs->in_rebalance_cb = true;
    cs->rebalance_handled = 0;
    if (c->conf->rebalance_cb) c->conf->rebalance_cb(cs->handle, event, parts, c->conf->opaque);
    cs->in_rebalance_cb = false;
    if (!cs->rebalance_handled) kc__cons_apply(cs, event, parts, eager);
}

static void handle_rebalance(kc__consumer *cs, kc__op_rebalance *op) {
    bool eager = kc__group_is_eager(cs);
    if (!cs->closed || op->event != KC_REBALANCE_ASSIGN)
        run_rebalance_cb(cs, op->event, op->parts, eager);
    if (op->assign_after && !cs->closed)
        run_rebalance_cb(cs, KC_REBALANCE_ASSIGN, op->assign_after, eager);
    kc__group_rebalance_done(cs, op->event, op->generation);
}

/* ------------------------------------------------------------ positions */

kc_err_t kc_consumer_position(kc_consumer_t *h, kc_tplist_t *parts) {
    if (!h || !parts) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < parts->n; i++) {
        kc__ctp *tp = kc__ctp_find(cs, parts->e[i].topic, strlen(parts->e[i].topic),
                                   parts->e[i].partition);
        if (!tp || !tp->assigned) {
            parts->e[i].offset = KC_OFFSET_INVALID;
            parts->e[i].err = KC_ERR__UNKNOWN_PARTITION;
            continue;
        }
        parts->e[i].offset = atomic_load(&tp->app_pos);
        parts->e[i].leader_epoch = atomic_load(&tp->app_epoch);
        parts->e[i].err = KC_ERR_NO_ERROR;
    }
    pthread_mutex_unlock(&cs->lock);
    return KC_ERR_NO_ERROR;
}

kc_err_t kc_consumer_seek(kc_consumer_t *h, const char *topic, int32_t partition, int64_t offset) {
    if (!h || !topic) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    if (offset < 0 && offset != KC_OFFSET_BEGINNING && offset != KC_OFFSET_END &&
        offset != KC_OFFSET_STORED)
        return KC_ERR__INVALID_ARG;
    pthread_mutex_lock(&cs->lock);
    kc__ctp *tp = kc__ctp_find(cs, topic, strlen(topic), partition);
    kc_err_t err = KC_ERR__UNKNOWN_PARTITION;
    if (tp && tp->assigned) {
        kc__ctp_set_start(cs, tp, offset);
        err = KC_ERR_NO_ERROR;
    }
    pthread_mutex_unlock(&cs->lock);
    kc__client_wake_main(cs->c);
    kc__client_wake_all_brokers(cs->c);
    return err;
}

static kc_err_t pause_resume(kc__consumer *cs, const kc_tplist_t *parts, bool pause) {
    if (!parts) return KC_ERR__INVALID_ARG;
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < parts->n; i++) {
        kc__ctp *tp = kc__ctp_find(cs, parts->e[i].topic, strlen(parts->e[i].topic),
                                   parts->e[i].partition);
        parts->e[i].err = tp && tp->assigned ? KC_ERR_NO_ERROR : KC_ERR__UNKNOWN_PARTITION;
        if (!tp || !tp->assigned || tp->paused == pause) continue;
        tp->paused = pause;
        if (pause) {
            /* Drop what is buffered; fetching restarts from the position. */
            atomic_fetch_add(&tp->version, 1);
            int64_t pos = atomic_load(&tp->app_pos);
            if (tp->fstate == KC__FS_ACTIVE && pos >= 0) tp->fetch_pos = pos;
            tp->eof_at = -1;
        }
    }
    pthread_mutex_unlock(&cs->lock);
    if (!pause) kc__client_wake_all_brokers(cs->c);
    return KC_ERR_NO_ERROR;
}

kc_err_t kc_consumer_pause(kc_consumer_t *h, const kc_tplist_t *parts) {
    return h ? pause_resume(CS(h), parts, true) : KC_ERR__INVALID_ARG;
}
kc_err_t kc_consumer_resume(kc_consumer_t *h, const kc_tplist_t *parts) {
    return h ? pause_resume(CS(h), parts, false) : KC_ERR__INVALID_ARG;
}

kc_err_t kc_consumer_get_watermark_offsets(kc_consumer_t *h, const char *topic, int32_t partition,
                                           int64_t *lowp, int64_t *highp) {
    if (!h || !topic) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    pthread_mutex_lock(&cs->lock);
    kc__ctp *tp = kc__ctp_find(cs, topic, strlen(topic), partition);
    int64_t lo = tp ? tp->log_start : KC_OFFSET_INVALID, hi = tp ? tp->hwm : KC_OFFSET_INVALID;
    pthread_mutex_unlock(&cs->lock);
    if (lowp) *lowp = lo;
    if (highp) *highp = hi;
    return tp ? KC_ERR_NO_ERROR : KC_ERR__UNKNOWN_PARTITION;
}

kc_err_t kc_consumer_query_watermark_offsets(kc_consumer_t *h, const char *topic,
                                             int32_t partition, int64_t *lowp, int64_t *highp,
                                             int timeout_ms) {
    if (!h || !topic) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    int64_t deadline = kc__mono_ms() + (timeout_ms < 0 ? 60000 : timeout_ms);
    char e[256];
    int64_t lo = KC_OFFSET_INVALID, hi = KC_OFFSET_INVALID;
    kc_err_t err = kc__list_offset_sync(cs->c, topic, partition, -2, deadline, &lo, e, sizeof e);
    if (!err) err = kc__list_offset_sync(cs->c, topic, partition, -1, deadline, &hi, e, sizeof e);
    if (err) kc__log(cs->c, KC__LOG_INFO, "OFFSET", "watermarks: %s", e);
    if (lowp) *lowp = lo;
    if (highp) *highp = hi;
    return err;
}

kc_err_t kc_consumer_offsets_for_times(kc_consumer_t *h, kc_tplist_t *parts, int timeout_ms) {
    if (!h || !parts) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    int64_t deadline = kc__mono_ms() + (timeout_ms < 0 ? 60000 : timeout_ms);
    kc_err_t first = KC_ERR_NO_ERROR;
    for (int i = 0; i < parts->n; i++) {
        char e[256];
        int64_t off = -1;
        kc_err_t err = kc__list_offset_sync(cs->c, parts->e[i].topic, parts->e[i].partition,
                                            parts->e[i].offset, deadline, &off, e, sizeof e);
        parts->e[i].err = err;
        parts->e[i].offset = err ? KC_OFFSET_INVALID : off;
        if (err && !first) first = err;
    }
    return first;
}

/* ------------------------------------------------------------ commit */

/* Resolves KC_OFFSET_INVALID entries (and a NULL list) to positions. */
static kc_tplist_t *commit_list(kc__consumer *cs, const kc_tplist_t *offsets, kc_err_t *errp) {
    kc_tplist_t *l = offsets ? kc_tplist_copy(offsets) : kc_tplist_new(cs->nassigned);
    *errp = KC_ERR_NO_ERROR;
    if (!l) {
        *errp = KC_ERR__CRIT_SYS_RESOURCE;
        return NULL;
    }
    pthread_mutex_lock(&cs->lock);
    if (!offsets)
        for (int i = 0; i < cs->nassigned; i++)
            kc_tplist_add(l, cs->assigned[i]->topic->name, cs->assigned[i]->partition);
    int k = 0;
    for (int i = 0; i < l->n; i++) {
        struct kc__tpl_entry *x = &l->e[i];
        kc__ctp *tp = kc__ctp_find(cs, x->topic, strlen(x->topic), x->partition);
        if (cs->subscribed && (!tp || !tp->assigned)) {
            kc__log(cs->c, KC__LOG_WARNING, "COMMIT",
                    "%s [%d]: not assigned to this member (rebalanced away): not committed",
                    x->topic, x->partition);
            *errp = KC_ERR__ASSIGNMENT_LOST;
            break;
        }
        if (x->offset < 0 && tp) x->offset = kc__ctp_commit_pos(tp, cs->auto_store, &x->leader_epoch);
        if (x->offset < 0) { /* nothing consumed yet */
            free(x->topic);
            free(x->metadata);
            continue;
        }
        l->e[k++] = *x;
    }
    if (*errp)
        k = l->n; /* keep entries for the destroy below */
    else
        l->n = k;
    pthread_mutex_unlock(&cs->lock);
    if (*errp) {
        kc_tplist_destroy(l);
        return NULL;
    }
    if (l->n == 0) {
        kc_tplist_destroy(l);
        *errp = KC_ERR__NO_OFFSET;
        return NULL;
    }
    return l;
}

kc_err_t kc_consumer_commit(kc_consumer_t *h, const kc_tplist_t *offsets, int async) {
    if (!h) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    if (!*cs->group_id) return KC_ERR__INVALID_ARG;
    kc_err_t err;
    kc_tplist_t *l = commit_list(cs, offsets, &err);
    if (!l) return err;
    if (async) {
        kc__group_commit(cs, l, NULL, false);
        return KC_ERR_NO_ERROR;
    }
    kc__commit_wait w = {0};
    pthread_mutex_init(&w.lock, NULL);
    kc__cond_init_monotonic(&w.cond);
    kc__group_commit(cs, l, &w, false);
    pthread_mutex_lock(&w.lock);
    while (!w.done) pthread_cond_wait(&w.cond, &w.lock);
    pthread_mutex_unlock(&w.lock);
    pthread_mutex_destroy(&w.lock);
    pthread_cond_destroy(&w.cond);
    if (w.err) kc__log(cs->c, KC__LOG_WARNING, "COMMIT", "commit failed: %s", w.errstr);
    if (cs->c->conf->offset_commit_cb && w.result)
        cs->c->conf->offset_commit_cb(h, w.err, w.result, cs->c->conf->opaque);
    kc_tplist_destroy(w.result);
    return w.err;
}

kc_err_t kc_consumer_offsets_store(kc_consumer_t *h, kc_tplist_t *offsets) {
    if (!h || !offsets) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    if (cs->auto_store) {
        kc__log(cs->c, KC__LOG_WARNING, "OFFSET",
                "kc_consumer_offsets_store: enable.auto.offset.store is true");
        return KC_ERR__INVALID_ARG;
    }
    kc_err_t first = KC_ERR_NO_ERROR;
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < offsets->n; i++) {
        struct kc__tpl_entry *x = &offsets->e[i];
        kc__ctp *tp = kc__ctp_find(cs, x->topic, strlen(x->topic), x->partition);
        x->err = !tp || !tp->assigned ? KC_ERR__UNKNOWN_PARTITION
                 : x->offset < 0      ? KC_ERR__INVALID_ARG
                                      : KC_ERR_NO_ERROR;
        if (!x->err) {
            atomic_store(&tp->stored, x->offset);
            atomic_store(&tp->stored_epoch, x->leader_epoch);
        } else if (!first) {
            first = x->err;
        }
    }
    pthread_mutex_unlock(&cs->lock);
    return first;
}

kc_err_t kc_consumer_store_message(kc_consumer_t *h, const kc_message_t *m) {
    if (!h || !m || kc_message_error(m) || !kc_message_topic(m)) return KC_ERR__INVALID_ARG;
    kc_tplist_t *l = kc_tplist_new(1);
    if (!l || kc_tplist_add(l, kc_message_topic(m), kc_message_partition(m)) < 0) {
        kc_tplist_destroy(l);
        return KC_ERR__CRIT_SYS_RESOURCE;
    }
    l->e[0].offset = m->offset + 1;
    l->e[0].leader_epoch = kc_message_leader_epoch(m);
    kc_err_t err = kc_consumer_offsets_store(h, l);
    kc_tplist_destroy(l);
    return err;
}

kc_err_t kc_consumer_commit_message(kc_consumer_t *h, const kc_message_t *m, int async) {
    if (!h || !m || kc_message_error(m) || !kc_message_topic(m)) return KC_ERR__INVALID_ARG;
    kc_tplist_t *l = kc_tplist_new(1);
    if (!l || kc_tplist_add(l, kc_message_topic(m), kc_message_partition(m)) < 0) {
        kc_tplist_destroy(l);
        return KC_ERR__CRIT_SYS_RESOURCE;
    }
    l->e[0].offset = m->offset + 1;
    l->e[0].leader_epoch = kc_message_leader_epoch(m);
    kc_err_t err = kc_consumer_commit(h, l, async);
    kc_tplist_destroy(l);
    return err;
}

kc_err_t kc_consumer_committed(kc_consumer_t *h, kc_tplist_t *parts, int timeout_ms) {
    if (!h || !parts) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    if (!*cs->group_id) return KC_ERR__INVALID_ARG;
    char e[256];
    kc_err_t err = kc__group_committed(cs, parts,
                                       kc__mono_ms() + (timeout_ms < 0 ? 60000 : timeout_ms), e,
                                       sizeof e);
    if (err) kc__log(cs->c, KC__LOG_INFO, "COMMIT", "committed: %s", e);
    return err;
}

void kc_consumer_memberid(kc_consumer_t *h, char *buf, size_t size) {
    if (!h || !buf || !size) return;
    kc__group_memberid(CS(h), buf, size);
}

/* ------------------------------------------------------------ close */

kc_err_t kc_consumer_close(kc_consumer_t *h) {
    if (!h) return KC_ERR__INVALID_ARG;
    kc__consumer *cs = CS(h);
    if (cs->closed) return KC_ERR_NO_ERROR;
    cur_drop(cs);
    int64_t deadline = kc__mono_ms() + kc__conf_int(cs->c->conf, KC__CONF_SESSION_TIMEOUT_MS);
    if (cs->subscribed || kc__group_active(cs)) {
        kc__group_leave(cs, deadline);
        /* Serve the revoke (and its commit) until the group is left. */
        while (!kc__group_left(cs) && kc__mono_ms() < deadline) {
            kc__op *op = kc__q_pop(&cs->c->appq, 50);
            if (!op) continue;
            if (op->type == KC__OP_FETCH || op->type == KC__OP_EVENT) {
                kc__op_free(op);
                continue;
            }
            kc_message_t *m = serve_op(cs, op);
            kc_message_destroy(m);
        }
    } else if (cs->manual && cs->auto_commit && *cs->group_id) {
        kc_err_t err = kc_consumer_commit(h, NULL, 0);
        if (err && err != KC_ERR__NO_OFFSET)
            kc__log(cs->c, KC__LOG_WARNING, "COMMIT", "final commit failed: %s", kc_err_name(err));
    }
    cs->closed = true;
    char e[64];
    assign_add(cs, NULL, true, e, sizeof e);
    return KC_ERR_NO_ERROR;
}

void kc_consumer_destroy(kc_consumer_t *h) {
    if (!h) return;
    kc__consumer *cs = CS(h);
    kc_consumer_close(h);
    kc__client *c = cs->c;
    kc__client_stop(c);
    cur_drop(cs);
    kc__op *op;
    while ((op = kc__q_pop(&c->appq, 0))) kc__op_free(op);
    kc__group_free(cs);
    for (size_t i = 0; i < cs->map_cap; i++)
        for (kc__ctp *tp = cs->map[i], *next; tp; tp = next) {
            next = tp->hnext;
            free(tp);
        }
    free(cs->map);
    free(cs->assigned);
    sub_free(cs);
    pthread_mutex_destroy(&cs->lock);
    c->cons = NULL;
    kc__client_free(c);
    kc__fpool_close(cs->pool); /* live messages keep it until they go */
    free(h);
}
