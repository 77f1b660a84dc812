/* Admin: create and delete topics, add partitions, describe topics. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "proto/gen/apis.h"
#include "proto/gen/create_partitions.h"
#include "proto/gen/create_topics.h"
#include "proto/gen/delete_topics.h"

/* What a request encodes from: copies, owned by the request (a call that
 * times out leaves nothing the broker thread could still read). */
typedef struct topics_ctx {
    kc_new_topic_t **topics; /* create */
    char **names;            /* delete, create partitions */
    int32_t *totals;         /* create partitions */
    size_t n;
    int validate_only;
    int32_t timeout_ms;
} topics_ctx;

static void ctx_free(void *p) {
    topics_ctx *x = p;
    for (size_t i = 0; i < x->n; i++) {
        if (x->topics) kc_new_topic_destroy(x->topics[i]);
        if (x->names) free(x->names[i]);
    }
    free(x->topics);
    free(x->names);
    free(x->totals);
    free(x);
}

/* A ctx with copies of names (and totals); NULL when out of memory. */
static topics_ctx *ctx_names(const char *const *names, const int32_t *totals, size_t n) {
    topics_ctx *x = calloc(1, sizeof(*x));
    if (!x || !(x->names = calloc(n + 1, sizeof(char *))) ||
        (totals && !(x->totals = calloc(n + 1, sizeof(int32_t))))) {
        if (x) free(x->names);
        free(x);
        return NULL;
    }
    x->n = n;
    for (size_t i = 0; i < n; i++) {
        if (!(x->names[i] = strdup(names[i]))) {
            ctx_free(x);
            return NULL;
        }
        if (totals) x->totals[i] = totals[i];
    }
    return x;
}

static kc_err_t check_names(const char *const *names, size_t n, char *errstr, size_t errsize) {
    if (!names && n) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "no topics");
    for (size_t i = 0; i < n; i++)
        if (!names[i] || !*names[i])
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "topic %zu: empty name", i);
    return KC_ERR_NO_ERROR;
}

static int enc_create(void *vctx, int16_t ver, kc__buf *body) {
    topics_ctx *x = vctx;
    kc__CreateTopicsRequest req;
    kc__CreateTopicsRequest_init(&req);
    kc__CreateTopicsRequest_CreatableTopic *ts = calloc(x->n + 1, sizeof(*ts));
    size_t ncfg = 0;
    for (size_t i = 0; i < x->n; i++) {
        char *const *kv;
        ncfg += (size_t)kc__new_topic_configs(x->topics[i], &kv);
    }
    kc__CreateTopicsRequest_CreatableTopicConfig *cs = calloc(ncfg + 1, sizeof(*cs));
    int rc = KC__ENC_NOMEM;
    if (ts && cs) {
        size_t k = 0;
        for (size_t i = 0; i < x->n; i++) {
            kc__CreateTopicsRequest_CreatableTopic_init(&ts[i]);
            ts[i].name = kc__str_c(kc__new_topic_name(x->topics[i]));
            ts[i].num_partitions = kc__new_topic_partitions(x->topics[i]);
            ts[i].replication_factor = kc__new_topic_rf(x->topics[i]);
            char *const *kv;
            int nc = kc__new_topic_configs(x->topics[i], &kv);
            ts[i].configs.items = &cs[k];
            ts[i].configs.n = nc;
            for (int j = 0; j < nc; j++, k++) {
                kc__CreateTopicsRequest_CreatableTopicConfig_init(&cs[k]);
                cs[k].name = kc__str_c(kv[2 * j]);
                cs[k].value = kv[2 * j + 1] ? kc__str_c(kv[2 * j + 1]) : KC__STR_NULL;
            }
        }
        req.topics.n = (int32_t)x->n;
        req.topics.items = ts;
        req.timeout_ms = x->timeout_ms;
        if (ver >= 1) req.validate_only = x->validate_only != 0;
        rc = kc__CreateTopicsRequest_encode(body, ver, &req);
    }
    free(ts);
    free(cs);
    return rc;
}

kc_err_t kc_admin_create_topics(kc_admin_t *a, kc_new_topic_t *const *topics, size_t n,
                                int validate_only, int timeout_ms, kc_admin_result_t **resultp,
                                char *errstr, size_t errsize) {
    if (!a || !resultp || (!topics && n))
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "create topics: bad arguments");
    *resultp = NULL;
    for (size_t i = 0; i < n; i++)
        if (!topics[i])
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "topic %zu: NULL", i);
    int64_t deadline = kc__admin_deadline(a->c, timeout_ms);
    topics_ctx *x = calloc(1, sizeof(*x));
    if (x) x->topics = calloc(n + 1, sizeof(*x->topics));
    for (size_t i = 0; x && x->topics && i < n; i++, x->n++)
        if (!(x->topics[i] = kc__new_topic_clone(topics[i]))) break;
    if (!x || !x->topics || x->n != n) {
        if (x) ctx_free(x);
        return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    }
    x->validate_only = validate_only;
    x->timeout_ms = (int32_t)(deadline - kc__admin_deadline(a->c, 0));
    kc__aresp rs;
    kc_err_t err = kc__admin_roundtrip(a->c, KC__ANY_BROKER, KC__API_CREATE_TOPICS, -1, enc_create,
                                       x, ctx_free, deadline, &rs, errstr, errsize);
    if (err) return err;
    kc__arena ar;
    kc__arena_init(&ar, 4096);
    kc__rd rd;
    kc__rd_init(&rd, rs.body, rs.len);
    kc__CreateTopicsResponse resp;
    kc_admin_result_t *r = kc__ares_new();
    if (!r || kc__CreateTopicsResponse_decode(&rd, &ar, rs.ver, &resp)) {
        err = r ? KC_ERR__BAD_MSG : KC_ERR__CRIT_SYS_RESOURCE;
        kc__seterr(errstr, errsize, err, "malformed CreateTopicsResponse");
    }
    for (size_t i = 0; !err && i < n; i++) {
        const char *name = kc__new_topic_name(topics[i]);
        kc_err_t e = KC_ERR__NOENT;
        kc__str msg = KC__STR_NULL;
        for (int32_t k = 0; k < resp.topics.n; k++) {
            const kc__CreateTopicsResponse_CreatableTopicResult *t = &resp.topics.items[k];
            if (t->name.len == (int32_t)strlen(name) && !memcmp(t->name.p, name, strlen(name))) {
                e = (kc_err_t)t->error_code;
                msg = t->error_message;
            }
        }
        if (!kc__ares_add(r, name, -1, e, msg.p, msg.len)) err = KC_ERR__CRIT_SYS_RESOURCE;
    }
    kc__arena_destroy(&ar);
    free(rs.body);
    if (err) {
        kc_admin_result_destroy(r);
        return err;
    }
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

/* Fills a result with one item per name from (name, code, message) triples
 * found in a response. */
typedef struct name_result {
    kc__str name;
    int16_t code;
    kc__str msg;
} name_result;

static kc_err_t results_by_name(char *const *names, size_t n, const name_result *res, int nres,
                                kc_admin_result_t **resultp) {
    kc_admin_result_t *r = kc__ares_new();
    if (!r) return KC_ERR__CRIT_SYS_RESOURCE;
    for (size_t i = 0; i < n; i++) {
        kc_err_t e = KC_ERR__NOENT;
        kc__str msg = KC__STR_NULL;
        size_t nl = strlen(names[i]);
        for (int k = 0; k < nres; k++)
            if (res[k].name.len == (int32_t)nl && !memcmp(res[k].name.p, names[i], nl)) {
                e = (kc_err_t)res[k].code;
                msg = res[k].msg;
            }
        if (!kc__ares_add(r, names[i], -1, e, msg.p, msg.len)) {
            kc_admin_result_destroy(r);
            return KC_ERR__CRIT_SYS_RESOURCE;
        }
    }
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

static int enc_delete(void *vctx, int16_t ver, kc__buf *body) {
    topics_ctx *x = vctx;
    kc__DeleteTopicsRequest req;
    kc__DeleteTopicsRequest_init(&req);
    kc__str *names = calloc(x->n + 1, sizeof(*names));
    kc__DeleteTopicsRequest_DeleteTopicState *st = calloc(x->n + 1, sizeof(*st));
    int rc = KC__ENC_NOMEM;
    if (names && st) {
        for (size_t i = 0; i < x->n; i++) {
            names[i] = kc__str_c(x->names[i]);
            kc__DeleteTopicsRequest_DeleteTopicState_init(&st[i]);
            st[i].name = names[i];
        }
        if (ver >= 6) {
            req.topics.n = (int32_t)x->n;
            req.topics.items = st;
        } else {
            req.topic_names.n = (int32_t)x->n;
            req.topic_names.items = names;
        }
        req.timeout_ms = x->timeout_ms;
        rc = kc__DeleteTopicsRequest_encode(body, ver, &req);
    }
    free(names);
    free(st);
    return rc;
}

kc_err_t kc_admin_delete_topics(kc_admin_t *a, const char *const *topics, size_t n,
                                int timeout_ms, kc_admin_result_t **resultp, char *errstr,
                                size_t errsize) {
    if (!a || !resultp) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "bad arguments");
    *resultp = NULL;
    kc_err_t err = check_names(topics, n, errstr, errsize);
    if (err) return err;
    int64_t deadline = kc__admin_deadline(a->c, timeout_ms);
    topics_ctx *x = ctx_names(topics, NULL, n);
    if (!x) return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    x->timeout_ms = (int32_t)(deadline - kc__admin_deadline(a->c, 0));
    kc__aresp rs;
    err = kc__admin_roundtrip(a->c, KC__ANY_BROKER, KC__API_DELETE_TOPICS, -1, enc_delete, x,
                              ctx_free, deadline, &rs, errstr, errsize);
    if (err) return err;
    kc__arena ar;
    kc__arena_init(&ar, 4096);
    kc__rd rd;
    kc__rd_init(&rd, rs.body, rs.len);
    kc__DeleteTopicsResponse resp;
    if (kc__DeleteTopicsResponse_decode(&rd, &ar, rs.ver, &resp)) {
        err = kc__seterr(errstr, errsize, KC_ERR__BAD_MSG, "malformed DeleteTopicsResponse");
    } else {
        name_result *res = calloc((size_t)resp.responses.n + 1, sizeof(*res));
        for (int32_t i = 0; res && i < resp.responses.n; i++)
            res[i] = (name_result){resp.responses.items[i].name, resp.responses.items[i].error_code,
                                   resp.responses.items[i].error_message};
        err = res ? results_by_name((char *const *)topics, n, res, resp.responses.n, resultp)
                  : KC_ERR__CRIT_SYS_RESOURCE;
        free(res);
    }
    kc__arena_destroy(&ar);
    free(rs.body);
    return err;
}

static int enc_create_partitions(void *vctx, int16_t ver, kc__buf *body) {
    topics_ctx *x = vctx;
    kc__CreatePartitionsRequest req;
    kc__CreatePartitionsRequest_init(&req);
    kc__CreatePartitionsRequest_Topic *ts = calloc(x->n + 1, sizeof(*ts));
    if (!ts) return KC__ENC_NOMEM;
    for (size_t i = 0; i < x->n; i++) {
        kc__CreatePartitionsRequest_Topic_init(&ts[i]);
        ts[i].name = kc__str_c(x->names[i]);
        ts[i].count = x->totals[i];
        ts[i].assignments.n = -1;
    }
    req.topics.n = (int32_t)x->n;
    req.topics.items = ts;
    req.timeout_ms = x->timeout_ms;
    int rc = kc__CreatePartitionsRequest_encode(body, ver, &req);
    free(ts);
    return rc;
}

kc_err_t kc_admin_create_partitions(kc_admin_t *a, const char *const *topics,
                                    const int32_t *totals, size_t n, int timeout_ms,
                                    kc_admin_result_t **resultp, char *errstr, size_t errsize) {
    if (!a || !resultp || (!totals && n))
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "bad arguments");
    *resultp = NULL;
    kc_err_t err = check_names(topics, n, errstr, errsize);
    if (err) return err;
    int64_t deadline = kc__admin_deadline(a->c, timeout_ms);
    topics_ctx *x = ctx_names(topics, totals, n);
    if (!x) return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    x->timeout_ms = (int32_t)(deadline - kc__admin_deadline(a->c, 0));
    kc__aresp rs;
    err = kc__admin_roundtrip(a->c, KC__ANY_BROKER, KC__API_CREATE_PARTITIONS, -1,
                              enc_create_partitions, x, ctx_free, deadline, &rs, errstr, errsize);
    if (err) return err;
    kc__arena ar;
    kc__arena_init(&ar, 4096);
    kc__rd rd;
    kc__rd_init(&rd, rs.body, rs.len);
    kc__CreatePartitionsResponse resp;
    if (kc__CreatePartitionsResponse_decode(&rd, &ar, rs.ver, &resp)) {
        err = kc__seterr(errstr, errsize, KC_ERR__BAD_MSG, "malformed CreatePartitionsResponse");
    } else {
        name_result *res = calloc((size_t)resp.results.n + 1, sizeof(*res));
        for (int32_t i = 0; res && i < resp.results.n; i++)
            res[i] = (name_result){resp.results.items[i].name, resp.results.items[i].error_code,
                                   resp.results.items[i].error_message};
        err = res ? results_by_name((char *const *)topics, n, res, resp.results.n, resultp)
                  : KC_ERR__CRIT_SYS_RESOURCE;
        free(res);
    }
    kc__arena_destroy(&ar);
    free(rs.body);
    return err;
}

kc_err_t kc_admin_describe_topics(kc_admin_t *a, const char *const *topics, size_t n,
                                  int timeout_ms, kc_metadata_t **mdp, char *errstr,
                                  size_t errsize) {
    if (!a || !mdp) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "bad arguments");
    return kc_metadata_fetch(a->c->conf, topics, n,
                             timeout_ms < 0 ? (int)a->c->request_timeout_ms : timeout_ms, mdp,
                             errstr, errsize);
}
