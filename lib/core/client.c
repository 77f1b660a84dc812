/* Client core: creation, the main thread (metadata refresh, timeouts,
 * idempotence), broker threads, logging and error events. */
#include "client.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/topic.h"
#include "net/broker.h"
#include "consumer/consumer.h"
#include "producer/producer.h"
#include "proto/gen/apis.h"
#include "proto/gen/metadata.h"
#include "util/time.h"

static atomic_int client_seq;

/* ------------------------------------------------------------ logging */

static void log_op_free(kc__op *op) { free(op); }

void kc__log(kc__client *c, int level, const char *fac, const char *fmt, ...) {
    if (level > c->log_level) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!c->conf->log_cb) {
        fprintf(stderr, "%%%d|%s|%s| %s\n", level, c->name, fac, msg);
        return;
    }
    size_t n = strlen(msg);
    kc__op_log *op = malloc(sizeof(*op) + n + 1);
    if (!op) return;
    op->op.type = KC__OP_LOG;
    op->op.free_fn = log_op_free;
    op->level = level;
    snprintf(op->fac, sizeof op->fac, "%s", fac);
    memcpy(op->msg, msg, n + 1);
    kc__q_push(&c->appq, &op->op);
}

static void error_op_free(kc__op *op) {
    kc_error_destroy(((kc__op_error *)op)->err);
    free(op);
}

void kc__client_error(kc__client *c, kc_err_t code, int flags, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kc__log(c, (flags & KC__ERROR_FATAL) ? KC__LOG_ERR : KC__LOG_WARNING, "ERROR", "%s: %s",
            kc_err_name(code), msg);
    if (!c->conf->error_cb) return;
    kc__op_error *op = calloc(1, sizeof(*op));
    if (!op) return;
    op->err = kc__error_new(code, flags, "%s", msg);
    if (!op->err) {
        free(op);
        return;
    }
    op->op.type = KC__OP_ERROR;
    op->op.free_fn = error_op_free;
    kc__q_push(&c->appq, &op->op);
}

/* ------------------------------------------------------------ brokers */

kc__broker *kc__client_broker_by_id(kc__client *c, int32_t id) {
    kc__broker *found = NULL;
    pthread_mutex_lock(&c->brokers_lock);
    for (int i = 0; i < c->nbrokers; i++)
        if (c->brokers[i]->id == id) found = c->brokers[i];
    pthread_mutex_unlock(&c->brokers_lock);
    return found;
}

kc__broker *kc__client_any_broker(kc__client *c) {
    kc__broker *best = NULL;
    pthread_mutex_lock(&c->brokers_lock);
    /* Prefer an up broker, then a known (non-bootstrap) one, rotating so a
     * dead broker does not keep every request. */
    static atomic_uint rr;
    unsigned start = atomic_fetch_add(&rr, 1);
    for (int pass = 0; pass < 3 && !best; pass++)
        for (int k = 0; k < c->nbrokers && !best; k++) {
            kc__broker *b = c->brokers[(start + (unsigned)k) % (unsigned)c->nbrokers];
            if (pass == 0 && atomic_load(&b->state) == KC__BRK_UP) best = b;
            if (pass == 1 && b->id >= 0) best = b;
            if (pass == 2) best = b;
        }
    pthread_mutex_unlock(&c->brokers_lock);
    return best;
}

void kc__client_wake_broker(kc__client *c, int32_t id) {
    kc__broker *b = kc__client_broker_by_id(c, id);
    if (b) kc__broker_wake(b);
}

void kc__client_wake_broker_by(kc__client *c, int32_t id, int64_t at) {
    kc__broker *b = kc__client_broker_by_id(c, id);
    if (b) kc__broker_wake_by(b, at);
}

void kc__client_wake_all_brokers(kc__client *c) {
    pthread_mutex_lock(&c->brokers_lock);
    for (int i = 0; i < c->nbrokers; i++) kc__broker_wake(c->brokers[i]);
    pthread_mutex_unlock(&c->brokers_lock);
}

/* Adds a broker (and starts its thread) unless one with that id exists;
 * updates the address of a known id. Returns the broker or NULL. */
static kc__broker *add_broker(kc__client *c, int32_t id, const kc__hostport *hp) {
    pthread_mutex_lock(&c->brokers_lock);
    /* Once kc__client_stop() has set terminate and taken the broker list
     * (under this lock), a metadata response still being handled on a
     * broker thread must not start a new broker: nobody would join or free
     * it, and its thread would read the client after kc__client_free()
     * (heap-use-after-free in broker_main, found by ASan). */
    if (atomic_load(&c->terminate)) {
        pthread_mutex_unlock(&c->brokers_lock);
        return NULL;
    }
    for (int i = 0; i < c->nbrokers; i++)
        if (c->brokers[i]->id == id) {
            pthread_mutex_unlock(&c->brokers_lock);
            return c->brokers[i];
        }
    kc__broker **nb = realloc(c->brokers, sizeof(*nb) * (size_t)(c->nbrokers + 1));
    kc__broker *b = nb ? kc__broker_new(c, id, hp) : NULL;
    if (nb) c->brokers = nb;
    if (b && kc__broker_start(b)) {
        kc__broker_join_free(b);
        b = NULL;
    }
    if (b) c->brokers[c->nbrokers++] = b;
    pthread_mutex_unlock(&c->brokers_lock);
    if (b) kc__log(c, KC__LOG_DEBUG, "BROKER", "%s: added", b->name);
    return b;
}

void kc__client_add_broker(kc__client *c, int32_t id, const char *host, int port) {
    kc__hostport hp;
    snprintf(hp.host, sizeof hp.host, "%s", host);
    hp.port = port;
    add_broker(c, id, &hp);
}

/* ------------------------------------------------------------ metadata */

void kc__client_wake_main(kc__client *c) { kc__q_wake(&c->mainq); }

/* Asks for a refresh at `when` (or sooner if one is already due). */
static void refresh_at(kc__client *c, int64_t when, const char *why) {
    if (atomic_load(&c->md_inflight)) atomic_store(&c->md_again, true); /* the answer keeps it */
    if (atomic_load(&c->md_refresh_at) > when) {
        atomic_store(&c->md_refresh_at, when);
        kc__log(c, KC__LOG_DEBUG, "METADATA", "refresh requested: %s", why);
        kc__client_wake_main(c);
    }
}

void kc__client_refresh_metadata(kc__client *c, const char *why) {
    int64_t now = kc__mono_ms();
    /* Error paths ask often: at most one refresh per 100 ms after an answer. */
    int64_t when = atomic_load(&c->md_last_ok_ms) + 100;
    refresh_at(c, when < now ? now : when, why);
}

void kc__client_refresh_metadata_now(kc__client *c, const char *why) {
    refresh_at(c, kc__mono_ms(), why);
}

static int encode_metadata(kc__req *r, int16_t ver, kc__buf *body) {
    kc__client *c = r->arg;
    kc__MetadataRequest req;
    kc__MetadataRequest_init(&req);
    /* Producers ask the broker to create missing topics (its
     * auto.create.topics.enable decides); consumers per
     * allow.auto.create.topics; the admin client never. */
    req.allow_auto_topic_creation =
        c->role == KC__ROLE_PRODUCER ||
        (c->role == KC__ROLE_CONSUMER && kc__conf_int(c->conf, KC__CONF_ALLOW_AUTO_CREATE_TOPICS));
    if (atomic_load(&c->md_all_topics)) {
        req.topics.n = -1; /* null: every topic */
        return kc__MetadataRequest_encode(body, ver, &req);
    }
    pthread_rwlock_rdlock(&c->topics_lock);
    kc__MetadataRequest_Topic *items = calloc(c->topic_cnt + 1, sizeof(*items));
    int32_t n = 0;
    for (size_t i = 0; items && i < c->topic_cap; i++) {
        kc__topic *t = c->topic_map[i];
        if (!t) continue;
        kc__MetadataRequest_Topic_init(&items[n]);
        items[n].name = kc__str_c(t->name);
        n++;
    }
    req.topics.n = n;
    req.topics.items = items;
    int rc = items ? kc__MetadataRequest_encode(body, ver, &req) : KC__ENC_NOMEM;
    pthread_rwlock_unlock(&c->topics_lock);
    free(items);
    return rc;
}

static void on_metadata(kc__broker *b, kc__req *r, kc_err_t err, kc__rd *body,
                        const char *errstr) {
    kc__client *c = r->arg;
    int16_t ver = r->ver;
    kc__req_free(r);
    int64_t now = kc__mono_ms();
    if (!err) {
        kc__arena a;
        kc__arena_init(&a, 16384);
        kc__MetadataResponse md;
        if (kc__MetadataResponse_decode(body, &a, ver, &md) == 0) {
            for (int32_t i = 0; i < md.brokers.n; i++) {
                char host[KC__HOST_MAX];
                const kc__MetadataResponse_Broker *mb = &md.brokers.items[i];
                snprintf(host, sizeof host, "%.*s", (int)mb->host.len, mb->host.p);
                kc__client_add_broker(c, mb->node_id, host, mb->port);
            }
            kc__metadata_apply(c, &md);
            if (c->role == KC__ROLE_CONSUMER) kc__group_metadata(c, &md);
            atomic_store(&c->md_last_ok_ms, now);
        } else {
            err = KC_ERR__BAD_MSG;
            errstr = "malformed MetadataResponse";
        }
        kc__arena_destroy(&a);
    }
    /* Topics still without metadata are asked for again soon; otherwise
     * every metadata.max.age.ms. */
    bool unknown = false;
    pthread_rwlock_rdlock(&c->topics_lock);
    for (size_t i = 0; i < c->topic_cap; i++)
        if (c->topic_map[i] && c->topic_map[i]->state != KC__TOPIC_EXISTS) unknown = true;
    pthread_rwlock_unlock(&c->topics_lock);
    int64_t next = now + kc__conf_int(c->conf, KC__CONF_METADATA_MAX_AGE_MS);
    if (err) {
        if (err != KC_ERR__DESTROY)
            kc__log(c, KC__LOG_INFO, "METADATA", "metadata request failed: %s", errstr);
        next = now + 250;
    } else if (unknown) {
        next = now + 250;
    }
    int64_t cur = atomic_load(&c->md_refresh_at);
    /* A refresh asked for while this request was in flight still happens. */
    if (atomic_exchange(&c->md_again, false) && cur < next) next = cur < now ? now : cur;
    if (cur <= now || next < cur) atomic_store(&c->md_refresh_at, next);
    atomic_store(&c->md_inflight, false);
    (void)b;
    kc__client_wake_main(c);
}

static void request_metadata(kc__client *c) {
    kc__broker *b = kc__client_any_broker(c);
    if (!b) return;
    kc__req *r = kc__req_new(c, KC__API_METADATA, encode_metadata, on_metadata, c);
    if (!r) return;
    atomic_store(&c->md_inflight, true);
    kc__broker_send(b, r);
}

/* All brokers down: one error event per outage. */
static void check_all_down(kc__client *c, bool *reported) {
    int up = 0, tried = 0;
    pthread_mutex_lock(&c->brokers_lock);
    for (int i = 0; i < c->nbrokers; i++) {
        if (atomic_load(&c->brokers[i]->state) == KC__BRK_UP) up++;
        if (atomic_load(&c->brokers[i]->failed_once)) tried++;
    }
    int n = c->nbrokers;
    pthread_mutex_unlock(&c->brokers_lock);
    if (up) {
        *reported = false;
    } else if (!*reported && tried == n && n > 0) {
        *reported = true;
        kc__client_error(c, KC_ERR__ALL_BROKERS_DOWN, 0,
                         "%d/%d brokers are down (bootstrap.servers: %s)", n, n,
                         kc__conf_str(c->conf, KC__CONF_BOOTSTRAP_SERVERS));
    }
}

static void *main_thread(void *arg) {
    kc__client *c = arg;
    bool down_reported = false;
    while (!atomic_load(&c->terminate)) {
        int64_t now = kc__mono_ms();
        int64_t at = atomic_load(&c->md_refresh_at);
        if (at <= now && !atomic_load(&c->md_inflight)) {
            atomic_store(&c->md_refresh_at, now + 1000); /* until the answer sets it */
            request_metadata(c);
        }
        int64_t wake = atomic_load(&c->md_refresh_at);
        if (c->role == KC__ROLE_PRODUCER) {
            if (c->idempotence) kc__idemp_tick(c, now);
            int64_t t = kc__accum_expire(c, now);
            if (t < wake) wake = t;
        } else if (c->cons) {
            int64_t t = kc__group_tick(c, now);
            if (t < wake) wake = t;
            t = kc__offsets_tick(c, now);
            if (t < wake) wake = t;
        }
        check_all_down(c, &down_reported);
        if (wake > now + 100) wake = now + 100;
        int timeout = (int)(wake - kc__mono_ms());
        kc__op *op = kc__q_pop(&c->mainq, timeout < 1 ? 1 : timeout);
        while (op) {
            if (op->type == KC__OP_CALL) ((kc__op_call *)op)->fn(c, (kc__op_call *)op);
            kc__op_free(op);
            op = kc__q_pop(&c->mainq, 0);
        }
    }
    return NULL;
}

/* ------------------------------------------------------------ lifecycle */

kc__client *kc__client_new(const kc_conf_t *conf, int role, char *errstr, size_t errsize) {
    kc__client *c = calloc(1, sizeof(*c));
    if (!c) {
        kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return NULL;
    }
    c->conf = kc_conf_dup(conf);
    c->role = role;
    snprintf(c->name, sizeof c->name, "%s#%s-%d", kc__conf_str(conf, KC__CONF_CLIENT_ID),
             role == KC__ROLE_PRODUCER ? "producer" : role == KC__ROLE_CONSUMER ? "consumer" : "admin", atomic_fetch_add(&client_seq, 1) + 1);
    const kc_conf_t *k = conf;
    c->acks = kc__conf_acks(k);
    c->codec = (int)kc__conf_int(k, KC__CONF_COMPRESSION_TYPE);
    c->level = (int)kc__conf_int(k, KC__CONF_COMPRESSION_LEVEL);
    c->partitioner = (int)kc__conf_int(k, KC__CONF_PARTITIONER);
    c->max_inflight = (int)kc__conf_int(k, KC__CONF_MAX_IN_FLIGHT);
    c->log_level = (int)kc__conf_int(k, KC__CONF_LOG_LEVEL);
    c->linger_ms = kc__conf_int(k, KC__CONF_LINGER_MS);
    c->batch_size = kc__conf_int(k, KC__CONF_BATCH_SIZE);
    c->message_max_bytes = kc__conf_int(k, KC__CONF_MESSAGE_MAX_BYTES);
    c->buffer_memory = kc__conf_int(k, KC__CONF_BUFFER_MEMORY);
    c->max_msgs = kc__conf_int(k, KC__CONF_QUEUE_BUFFERING_MAX_MESSAGES);
    c->delivery_timeout_ms = kc__conf_int(k, KC__CONF_DELIVERY_TIMEOUT_MS);
    c->retry_backoff_ms = kc__conf_int(k, KC__CONF_RETRY_BACKOFF_MS);
    c->retry_backoff_max_ms = kc__conf_int(k, KC__CONF_RETRY_BACKOFF_MAX_MS);
    c->request_timeout_ms = kc__conf_int(k, KC__CONF_REQUEST_TIMEOUT_MS);
    c->max_block_ms = kc__conf_int(k, KC__CONF_MAX_BLOCK_MS);
    c->retries = kc__conf_int(k, KC__CONF_RETRIES);
    c->idempotence = kc__conf_int(k, KC__CONF_ENABLE_IDEMPOTENCE) != 0;
    if (!c->conf || kc__q_init(&c->appq, true)) {
        kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE,
                   "cannot create the event queue (eventfd: %s)", strerror(errno));
        kc_conf_destroy(c->conf);
        free(c);
        return NULL;
    }
    kc__q_init(&c->mainq, false); /* without an eventfd it cannot fail */
    pthread_mutex_init(&c->outq_lock, NULL);
    kc__cond_init_monotonic(&c->outq_cond);
    pthread_mutex_init(&c->brokers_lock, NULL);
    pthread_rwlock_init(&c->topics_lock, NULL);
    pthread_mutex_init(&c->idemp.lock, NULL);
    c->idemp.pid = -1;
    c->idemp.epoch = -1;
    c->topic_cap = 64;
    c->topic_map = calloc(c->topic_cap, sizeof(kc__topic *));
    if (!c->conf || !c->topic_map) {
        kc__client_free(c);
        kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return NULL;
    }
    return c;
}

kc_err_t kc__client_start(kc__client *c, char *errstr, size_t errsize) {
    const char *servers = kc__conf_str(c->conf, KC__CONF_BOOTSTRAP_SERVERS);
    if (!*servers)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                          "bootstrap.servers: not set (expected host:port[,host:port...])");
    kc__hostport *hps;
    size_t n;
    kc_err_t err = kc__hostport_parse_list(servers, "bootstrap.servers", &hps, &n, errstr, errsize);
    if (err) return err;
    for (size_t i = 0; i < n; i++) {
        if (!add_broker(c, -(int32_t)(i + 1), &hps[i])) {
            free(hps);
            return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE,
                              "cannot start a broker thread");
        }
    }
    free(hps);
    atomic_store(&c->md_refresh_at, 0);
    if (pthread_create(&c->main_thread, NULL, main_thread, c))
        return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE,
                          "cannot start the main thread");
    return KC_ERR_NO_ERROR;
}

void kc__client_stop(kc__client *c) {
    atomic_store(&c->terminate, true);
    kc__q_wake(&c->mainq);
    if (c->main_thread) pthread_join(c->main_thread, NULL);
    c->main_thread = 0;
    pthread_mutex_lock(&c->brokers_lock);
    int n = c->nbrokers;
    kc__broker **bs = c->brokers;
    c->brokers = NULL;
    c->nbrokers = 0;
    pthread_mutex_unlock(&c->brokers_lock);
    for (int i = 0; i < n; i++) kc__broker_stop(bs[i]);
    for (int i = 0; i < n; i++) kc__broker_join_free(bs[i]);
    free(bs);
    /* Main-thread work queued while it stopped (answers of requests that
     * ended with _DESTROY): run it here so waiters learn. */
    kc__op *op;
    while ((op = kc__q_pop(&c->mainq, 0))) {
        if (op->type == KC__OP_CALL) ((kc__op_call *)op)->fn(c, (kc__op_call *)op);
        kc__op_free(op);
    }
}

void kc__client_free(kc__client *c) {
    if (!c) return;
    kc__topics_free(c);
    kc__q_destroy(&c->appq);
    kc__q_destroy(&c->mainq);
    pthread_mutex_destroy(&c->outq_lock);
    pthread_cond_destroy(&c->outq_cond);
    pthread_mutex_destroy(&c->brokers_lock);
    pthread_rwlock_destroy(&c->topics_lock);
    pthread_mutex_destroy(&c->idemp.lock);
    kc_conf_destroy(c->conf);
    free(c);
}
