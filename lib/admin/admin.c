/* The admin handle, blocking request round trips, the group-coordinator
 * lookup and the result object with its accessors. */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/broker.h"
#include "proto/gen/apis.h"
#include "proto/gen/find_coordinator.h"
#include "util/time.h"

/* ------------------------------------------------------------ handle */

static void admin_serve(kc__client *c);

kc_admin_t *kc_admin_new(const kc_conf_t *conf, char *errstr, size_t errsize) {
    if (!conf) {
        kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "kc_admin_new: conf is NULL");
        return NULL;
    }
    kc_admin_t *a = calloc(1, sizeof(*a));
    if (!a) {
        kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return NULL;
    }
    a->c = kc__client_new(conf, KC__ROLE_ADMIN, errstr, errsize);
    if (!a->c) {
        free(a);
        return NULL;
    }
    a->c->handle = a;
    if (kc__client_start(a->c, errstr, errsize)) {
        kc__client_stop(a->c);
        kc__client_free(a->c);
        free(a);
        return NULL;
    }
    return a;
}

void kc_admin_destroy(kc_admin_t *a) {
    if (!a) return;
    kc__client_stop(a->c);
    admin_serve(a->c); /* the last logs and errors */
    kc__client_free(a->c);
    free(a);
}

/* Serves queued log lines and errors through their callbacks, on the
 * calling (application) thread: admin calls are where the admin client's
 * callbacks run. */
static void admin_serve(kc__client *c) {
    kc__op *op;
    while ((op = kc__q_pop(&c->appq, 0))) {
        if (op->type == KC__OP_LOG && c->conf->log_cb) {
            kc__op_log *l = (kc__op_log *)op;
            c->conf->log_cb(c->handle, l->level, l->fac, l->msg, c->conf->opaque);
        } else if (op->type == KC__OP_ERROR && c->conf->error_cb) {
            c->conf->error_cb(c->handle, ((kc__op_error *)op)->err, c->conf->opaque);
        }
        kc__op_free(op);
    }
}

int64_t kc__admin_deadline(kc__client *c, int timeout_ms) {
    return kc__mono_ms() + (timeout_ms < 0 ? c->request_timeout_ms : timeout_ms);
}

char *kc__strdup_k(kc__str s) {
    size_t n = s.len > 0 ? (size_t)s.len : 0;
    char *p = malloc(n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s.p, n);
    p[n] = 0;
    return p;
}

/* ------------------------------------------------------------ round trip */

/* The request context, shared by every attempt of a call and the caller:
 * the last holder frees it. */
typedef struct ctxref {
    atomic_int refs;
    void *ctx;
    void (*ctx_free)(void *);
    kc__admin_enc *enc;
} ctxref;

static void ctxref_unref(ctxref *x) {
    if (atomic_fetch_sub(&x->refs, 1) != 1) return;
    if (x->ctx_free) x->ctx_free(x->ctx);
    free(x);
}

/* One attempt, shared by the waiting caller and the request: the last one
 * frees it. */
typedef struct rtrip {
    atomic_int refs;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    kc_err_t err;
    char errstr[384];
    kc__aresp resp;
    ctxref *cx;
} rtrip;

static void rtrip_unref(rtrip *t) {
    if (atomic_fetch_sub(&t->refs, 1) != 1) return;
    ctxref_unref(t->cx);
    free(t->resp.body);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
    free(t);
}

static int rt_encode(kc__req *r, int16_t ver, kc__buf *body) {
    rtrip *t = r->arg;
    return t->cx->enc(t->cx->ctx, ver, body);
}

static void rt_done(kc__broker *b, kc__req *r, kc_err_t err, kc__rd *body, const char *errstr) {
    rtrip *t = r->arg;
    int16_t ver = r->ver;
    kc__req_free(r);
    pthread_mutex_lock(&t->lock);
    t->err = err;
    if (err) {
        snprintf(t->errstr, sizeof t->errstr, "%s", errstr);
    } else {
        size_t len = kc__rd_left(body);
        t->resp.body = malloc(len ? len : 1);
        if (t->resp.body) {
            memcpy(t->resp.body, body->p, len);
            t->resp.len = len;
            t->resp.ver = ver;
        } else {
            t->err = KC_ERR__CRIT_SYS_RESOURCE;
            snprintf(t->errstr, sizeof t->errstr, "out of memory for the response");
        }
    }
    t->done = true;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
    (void)b;
    rtrip_unref(t);
}

/* Waits for broker `node` to exist in the client (learnt from metadata). */
static kc__broker *wait_broker(kc__client *c, int32_t node, int64_t deadline) {
    for (;;) {
        kc__broker *b = node == KC__ANY_BROKER ? kc__client_any_broker(c)
                                               : kc__client_broker_by_id(c, node);
        if (b || kc__mono_ms() >= deadline) return b;
        kc__client_refresh_metadata(c, "admin: broker wanted");
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
}

/* One attempt: sends and waits. */
static kc_err_t attempt(kc__client *c, kc__broker *b, int16_t api, int16_t max_ver, ctxref *cx,
                        int64_t deadline, kc__aresp *out, char *errstr, size_t errsize) {
    rtrip *t = calloc(1, sizeof(*t));
    kc__req *r = t ? kc__req_new(c, api, rt_encode, rt_done, t) : NULL;
    if (!r) {
        free(t);
        return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    }
    atomic_init(&t->refs, 2);
    atomic_fetch_add(&cx->refs, 1);
    t->cx = cx;
    pthread_mutex_init(&t->lock, NULL);
    kc__cond_init_monotonic(&t->cond);
    r->max_ver = max_ver;
    if (deadline < r->deadline_ms) r->deadline_ms = deadline;
    kc__broker_send(b, r);
    pthread_mutex_lock(&t->lock);
    while (!t->done) {
        int64_t left = deadline + 1000 - kc__mono_ms(); /* the request times out itself */
        if (left <= 0) break;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += left / 1000;
        ts.tv_nsec += (left % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&t->cond, &t->lock, &ts);
    }
    kc_err_t err = t->done ? t->err : KC_ERR__TIMED_OUT;
    if (t->done && !err) {
        *out = t->resp;
        t->resp.body = NULL;
    } else if (t->done) {
        kc__seterr(errstr, errsize, err, "%s", t->errstr);
    } else {
        kc__seterr(errstr, errsize, err, "%s: no answer within the timeout",
                   kc__api_find(api) ? kc__api_find(api)->name : "request");
    }
    pthread_mutex_unlock(&t->lock);
    rtrip_unref(t);
    return err;
}

kc_err_t kc__admin_roundtrip(kc__client *c, int32_t node, int16_t api, int16_t max_ver,
                             kc__admin_enc *enc, void *ctx, void (*ctx_free)(void *),
                             int64_t deadline, kc__aresp *out, char *errstr, size_t errsize) {
    memset(out, 0, sizeof(*out));
    ctxref *cx = calloc(1, sizeof(*cx));
    if (!cx) {
        if (ctx_free) ctx_free(ctx);
        return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    }
    atomic_init(&cx->refs, 1);
    cx->ctx = ctx;
    cx->ctx_free = ctx_free;
    cx->enc = enc;
    /* Connection errors are retried (with a short backoff) until the
     * deadline, as the Java admin client does. */
    kc_err_t err;
    for (;;) {
        kc__broker *b = wait_broker(c, node, deadline);
        if (!b) {
            err = kc__seterr(errstr, errsize, KC_ERR__TIMED_OUT,
                             "broker %d is not known (metadata) within the timeout", node);
            break;
        }
        err = attempt(c, b, api, max_ver, cx, deadline, out, errstr, errsize);
        if (err != KC_ERR__TRANSPORT && err != KC_ERR__RESOLVE) break;
        if (kc__mono_ms() + 100 >= deadline) {
            char last[384];
            snprintf(last, sizeof last, "%s", errstr ? errstr : "");
            err = kc__seterr(errstr, errsize, KC_ERR__TIMED_OUT, "no answer within the timeout "
                             "(last error: %s)", last);
            break;
        }
        struct timespec ts = {0, 100 * 1000000};
        nanosleep(&ts, NULL);
    }
    ctxref_unref(cx);
    admin_serve(c);
    return err;
}

/* ------------------------------------------------------------ coordinator */

static int enc_find_coord(void *ctx, int16_t ver, kc__buf *body) {
    kc__FindCoordinatorRequest req;
    kc__FindCoordinatorRequest_init(&req);
    kc__str key = kc__str_c(ctx);
    if (ver >= 4) {
        req.coordinator_keys.n = 1;
        req.coordinator_keys.items = &key;
    } else {
        req.key = key;
    }
    return kc__FindCoordinatorRequest_encode(body, ver, &req);
}

int32_t kc__admin_coordinator(kc__client *c, const char *group, int64_t deadline, kc_err_t *errp,
                              char *errstr, size_t errsize) {
    for (;;) {
        kc__aresp rs;
        char *key = strdup(group);
        kc_err_t err = key ? kc__admin_roundtrip(c, KC__ANY_BROKER, KC__API_FIND_COORDINATOR, -1,
                                                 enc_find_coord, key, free, deadline, &rs, errstr,
                                                 errsize)
                           : KC_ERR__CRIT_SYS_RESOURCE;
        if (err) {
            *errp = err;
            return -1;
        }
        kc__arena a;
        kc__arena_init(&a, 1024);
        kc__rd rd;
        kc__rd_init(&rd, rs.body, rs.len);
        kc__FindCoordinatorResponse resp;
        int32_t node = -1;
        if (kc__FindCoordinatorResponse_decode(&rd, &a, rs.ver, &resp)) {
            err = KC_ERR__BAD_MSG;
        } else {
            const kc__FindCoordinatorResponse_Coordinator *k =
                rs.ver >= 4 && resp.coordinators.n > 0 ? &resp.coordinators.items[0] : NULL;
            err = (kc_err_t)(k ? k->error_code : resp.error_code);
            node = k ? k->node_id : resp.node_id;
            kc__str h = k ? k->host : resp.host;
            char host[KC__HOST_MAX];
            snprintf(host, sizeof host, "%.*s", h.len > 0 ? (int)h.len : 0, h.p ? h.p : "");
            if (!err) kc__client_add_broker(c, node, host, k ? k->port : resp.port);
        }
        kc__arena_destroy(&a);
        free(rs.body);
        if (!err) return node;
        if (!kc_err_is_retriable(err) || kc__mono_ms() + 200 >= deadline) {
            *errp = err;
            kc__seterr(errstr, errsize, err, "group %s: no coordinator: %s", group,
                       kc_err_desc(err));
            return -1;
        }
        struct timespec ts = {0, 200 * 1000000};
        nanosleep(&ts, NULL);
    }
}

/* ------------------------------------------------------------ new topics */

struct kc_new_topic {
    char *name;
    int32_t partitions;
    int16_t rf;
    char **cfg; /* name, value pairs */
    int ncfg;
};

kc_new_topic_t *kc_new_topic_new(const char *name, int32_t partitions, int16_t rf) {
    if (!name || !*name) return NULL;
    kc_new_topic_t *t = calloc(1, sizeof(*t));
    if (!t || !(t->name = strdup(name))) {
        free(t);
        return NULL;
    }
    t->partitions = partitions;
    t->rf = rf;
    return t;
}

kc_err_t kc_new_topic_set_config(kc_new_topic_t *t, const char *name, const char *value) {
    if (!t || !name || !*name) return KC_ERR__INVALID_ARG;
    char **c = realloc(t->cfg, sizeof(*c) * (size_t)(t->ncfg + 1) * 2);
    if (!c) return KC_ERR__CRIT_SYS_RESOURCE;
    t->cfg = c;
    c[t->ncfg * 2] = strdup(name);
    c[t->ncfg * 2 + 1] = value ? strdup(value) : NULL;
    if (!c[t->ncfg * 2] || (value && !c[t->ncfg * 2 + 1])) {
        free(c[t->ncfg * 2]);
        free(c[t->ncfg * 2 + 1]);
        return KC_ERR__CRIT_SYS_RESOURCE;
    }
    t->ncfg++;
    return KC_ERR_NO_ERROR;
}

void kc_new_topic_destroy(kc_new_topic_t *t) {
    if (!t) return;
    for (int i = 0; i < t->ncfg * 2; i++) free(t->cfg[i]);
    free(t->cfg);
    free(t->name);
    free(t);
}

kc_new_topic_t *kc__new_topic_clone(const kc_new_topic_t *t) {
    kc_new_topic_t *c = kc_new_topic_new(t->name, t->partitions, t->rf);
    for (int i = 0; c && i < t->ncfg; i++)
        if (kc_new_topic_set_config(c, t->cfg[2 * i], t->cfg[2 * i + 1])) {
            kc_new_topic_destroy(c);
            c = NULL;
        }
    return c;
}

const char *kc__new_topic_name(const kc_new_topic_t *t) { return t->name; }
int32_t kc__new_topic_partitions(const kc_new_topic_t *t) { return t->partitions; }
int16_t kc__new_topic_rf(const kc_new_topic_t *t) { return t->rf; }
int kc__new_topic_configs(const kc_new_topic_t *t, char *const **kv) {
    *kv = t->cfg;
    return t->ncfg;
}

/* ------------------------------------------------------------ results */

kc_admin_result_t *kc__ares_new(void) { return calloc(1, sizeof(kc_admin_result_t)); }

kc__aitem *kc__ares_add(kc_admin_result_t *r, const char *name, int len, kc_err_t err,
                        const char *msg, int msglen) {
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 8;
        kc__aitem *it = realloc(r->items, sizeof(*it) * (size_t)cap);
        if (!it) return NULL;
        r->items = it;
        r->cap = cap;
    }
    kc__aitem *it = &r->items[r->n];
    memset(it, 0, sizeof(*it));
    size_t nl = len < 0 ? strlen(name ? name : "") : (size_t)len;
    it->name = strndup(name ? name : "", nl);
    if (!msg || (msglen == 0) || (msglen < 0 && !*msg)) {
        msg = err ? kc_err_desc(err) : "";
        msglen = -1;
    }
    it->errstr = msglen < 0 ? strdup(msg) : strndup(msg, (size_t)msglen);
    it->state = strdup("");
    it->ptype = strdup("");
    it->protocol = strdup("");
    if (!it->name || !it->errstr || !it->state || !it->ptype || !it->protocol) {
        free(it->name);
        free(it->errstr);
        free(it->state);
        free(it->ptype);
        free(it->protocol);
        return NULL;
    }
    it->err = err;
    r->n++;
    return it;
}

void kc_admin_result_destroy(kc_admin_result_t *r) {
    if (!r) return;
    for (int i = 0; i < r->n; i++) {
        kc__aitem *it = &r->items[i];
        free(it->name);
        free(it->errstr);
        free(it->state);
        free(it->ptype);
        free(it->protocol);
        for (int j = 0; j < it->ncfgs; j++) {
            free(it->cfgs[j].name);
            free(it->cfgs[j].value);
        }
        free(it->cfgs);
        kc_tplist_destroy(it->parts);
        for (int j = 0; j < it->nmembers; j++) {
            kc__gmember *m = &it->members[j];
            free(m->id);
            free(m->instance_id);
            free(m->client_id);
            free(m->host);
            kc_tplist_destroy(m->assignment);
        }
        free(it->members);
    }
    free(r->items);
    free(r);
}

#define ITEM(r, i) ((r) && (i) >= 0 && (i) < (r)->n ? &(r)->items[i] : NULL)
#define CFG(it, j) ((it) && (j) >= 0 && (j) < (it)->ncfgs ? &(it)->cfgs[j] : NULL)
#define MEMBER(it, j) ((it) && (j) >= 0 && (j) < (it)->nmembers ? &(it)->members[j] : NULL)

int kc_admin_result_count(const kc_admin_result_t *r) { return r ? r->n : 0; }
const char *kc_admin_result_name(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->name : NULL;
}
kc_err_t kc_admin_result_error(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->err : KC_ERR__INVALID_ARG;
}
const char *kc_admin_result_errstr(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->errstr : NULL;
}
int kc_admin_result_config_count(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->ncfgs : 0;
}
const char *kc_admin_result_config_name(const kc_admin_result_t *r, int i, int j) {
    const kc__cfg_entry *e = CFG(ITEM(r, i), j);
    return e ? e->name : NULL;
}
const char *kc_admin_result_config_value(const kc_admin_result_t *r, int i, int j) {
    const kc__cfg_entry *e = CFG(ITEM(r, i), j);
    return e ? e->value : NULL;
}
int kc_admin_result_config_source(const kc_admin_result_t *r, int i, int j) {
    const kc__cfg_entry *e = CFG(ITEM(r, i), j);
    return e ? e->source : -1;
}
int kc_admin_result_config_is_read_only(const kc_admin_result_t *r, int i, int j) {
    const kc__cfg_entry *e = CFG(ITEM(r, i), j);
    return e ? e->read_only : 0;
}
int kc_admin_result_config_is_sensitive(const kc_admin_result_t *r, int i, int j) {
    const kc__cfg_entry *e = CFG(ITEM(r, i), j);
    return e ? e->sensitive : 0;
}
const kc_tplist_t *kc_admin_result_partitions(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->parts : NULL;
}
const char *kc_admin_result_group_state(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->state : NULL;
}
const char *kc_admin_result_group_protocol_type(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->ptype : NULL;
}
const char *kc_admin_result_group_protocol(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->protocol : NULL;
}
int kc_admin_result_member_count(const kc_admin_result_t *r, int i) {
    const kc__aitem *it = ITEM(r, i);
    return it ? it->nmembers : 0;
}
const char *kc_admin_result_member_id(const kc_admin_result_t *r, int i, int j) {
    const kc__gmember *m = MEMBER(ITEM(r, i), j);
    return m ? m->id : NULL;
}
const char *kc_admin_result_member_instance_id(const kc_admin_result_t *r, int i, int j) {
    const kc__gmember *m = MEMBER(ITEM(r, i), j);
    return m ? m->instance_id : NULL;
}
const char *kc_admin_result_member_client_id(const kc_admin_result_t *r, int i, int j) {
    const kc__gmember *m = MEMBER(ITEM(r, i), j);
    return m ? m->client_id : NULL;
}
const char *kc_admin_result_member_host(const kc_admin_result_t *r, int i, int j) {
    const kc__gmember *m = MEMBER(ITEM(r, i), j);
    return m ? m->host : NULL;
}
const kc_tplist_t *kc_admin_result_member_assignment(const kc_admin_result_t *r, int i, int j) {
    const kc__gmember *m = MEMBER(ITEM(r, i), j);
    return m ? m->assignment : NULL;
}
