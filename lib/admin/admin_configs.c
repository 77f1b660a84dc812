/* Admin: describe configs and incremental config changes. Broker resources
 * go to that broker; topics and groups to any broker. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "proto/gen/apis.h"
#include "proto/gen/describe_configs.h"
#include "proto/gen/incremental_alter_configs.h"

typedef struct cfg_ctx {
    int8_t type;
    char **names; /* describe: resource names; alter: one name */
    size_t n;
    int8_t *ops;  /* alter */
    char **keys, **values;
    size_t nops;
} cfg_ctx;

static void cfg_ctx_free(void *p) {
    cfg_ctx *x = p;
    for (size_t i = 0; i < x->n; i++) free(x->names[i]);
    for (size_t i = 0; i < x->nops; i++) {
        free(x->keys[i]);
        free(x->values[i]);
    }
    free(x->names);
    free(x->ops);
    free(x->keys);
    free(x->values);
    free(x);
}

/* The broker a resource's request goes to. */
static int32_t target(int type, const char *name) {
    if (type != KC_RESOURCE_BROKER) return KC__ANY_BROKER;
    char *end;
    long id = strtol(name, &end, 10);
    return *name && !*end && id >= 0 ? (int32_t)id : KC__ANY_BROKER;
}

static int enc_describe(void *vctx, int16_t ver, kc__buf *body) {
    cfg_ctx *x = vctx;
    kc__DescribeConfigsRequest req;
    kc__DescribeConfigsRequest_init(&req);
    kc__DescribeConfigsRequest_Resource *rs = calloc(x->n + 1, sizeof(*rs));
    if (!rs) return KC__ENC_NOMEM;
    for (size_t i = 0; i < x->n; i++) {
        kc__DescribeConfigsRequest_Resource_init(&rs[i]);
        rs[i].resource_type = x->type;
        rs[i].resource_name = kc__str_c(x->names[i]);
        rs[i].configuration_keys.n = -1; /* all */
    }
    req.resources.n = (int32_t)x->n;
    req.resources.items = rs;
    int rc = kc__DescribeConfigsRequest_encode(body, ver, &req);
    free(rs);
    return rc;
}

static int cmp_cfg(const void *a, const void *b) {
    return strcmp(((const kc__cfg_entry *)a)->name, ((const kc__cfg_entry *)b)->name);
}

/* Adds the configs of one described resource to item it. */
static kc_err_t add_configs(kc__aitem *it, const kc__DescribeConfigsResponse_Result *res) {
    it->cfgs = calloc((size_t)res->configs.n + 1, sizeof(*it->cfgs));
    if (!it->cfgs) return KC_ERR__CRIT_SYS_RESOURCE;
    for (int32_t k = 0; k < res->configs.n; k++) {
        const kc__DescribeConfigsResponse_ResourceResult *c = &res->configs.items[k];
        kc__cfg_entry *e = &it->cfgs[it->ncfgs];
        e->name = kc__strdup_k(c->name);
        e->value = c->value.len >= 0 && !c->is_sensitive ? kc__strdup_k(c->value) : NULL;
        e->source = c->config_source;
        e->read_only = c->read_only;
        e->sensitive = c->is_sensitive;
        if (!e->name) return KC_ERR__CRIT_SYS_RESOURCE;
        it->ncfgs++;
    }
    qsort(it->cfgs, (size_t)it->ncfgs, sizeof(*it->cfgs), cmp_cfg);
    return KC_ERR_NO_ERROR;
}

/* Describes the resources of one target broker, adding items to r. */
static kc_err_t describe_some(kc_admin_t *a, int type, char **names, size_t n, int64_t deadline,
                              kc_admin_result_t *r, char *errstr, size_t errsize) {
    cfg_ctx *x = calloc(1, sizeof(*x));
    if (x) x->names = calloc(n + 1, sizeof(char *));
    for (size_t i = 0; x && x->names && i < n; i++, x->n++)
        if (!(x->names[i] = strdup(names[i]))) break;
    if (!x || !x->names || x->n != n) {
        if (x) cfg_ctx_free(x);
        return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    }
    x->type = (int8_t)type;
    kc__aresp rs;
    kc_err_t err = kc__admin_roundtrip(a->c, target(type, names[0]), KC__API_DESCRIBE_CONFIGS, -1,
                                       enc_describe, x, cfg_ctx_free, deadline, &rs, errstr,
                                       errsize);
    if (err) return err;
    kc__arena ar;
    kc__arena_init(&ar, 16384);
    kc__rd rd;
    kc__rd_init(&rd, rs.body, rs.len);
    kc__DescribeConfigsResponse resp;
    if (kc__DescribeConfigsResponse_decode(&rd, &ar, rs.ver, &resp))
        err = kc__seterr(errstr, errsize, KC_ERR__BAD_MSG, "malformed DescribeConfigsResponse");
    for (size_t i = 0; !err && i < n; i++) {
        const kc__DescribeConfigsResponse_Result *res = NULL;
        for (int32_t k = 0; k < resp.results.n; k++)
            if (resp.results.items[k].resource_name.len == (int32_t)strlen(names[i]) &&
                !memcmp(resp.results.items[k].resource_name.p, names[i], strlen(names[i])))
                res = &resp.results.items[k];
        kc__aitem *it = kc__ares_add(r, names[i], -1,
                                     res ? (kc_err_t)res->error_code : KC_ERR__NOENT,
                                     res ? res->error_message.p : NULL,
                                     res ? res->error_message.len : 0);
        if (!it) err = KC_ERR__CRIT_SYS_RESOURCE;
        else if (res && !res->error_code) err = add_configs(it, res);
    }
    kc__arena_destroy(&ar);
    free(rs.body);
    return err;
}

kc_err_t kc_admin_describe_configs(kc_admin_t *a, int type, const char *const *names, size_t n,
                                   int timeout_ms, kc_admin_result_t **resultp, char *errstr,
                                   size_t errsize) {
    if (!a || !resultp || !names || !n)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "describe configs: no resources");
    *resultp = NULL;
    if (type != KC_RESOURCE_TOPIC && type != KC_RESOURCE_BROKER && type != KC_RESOURCE_GROUP)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "resource type %d: unsupported",
                          type);
    int64_t deadline = kc__admin_deadline(a->c, timeout_ms);
    kc_admin_result_t *r = kc__ares_new();
    if (!r) return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    kc_err_t err = KC_ERR_NO_ERROR;
    /* Broker resources: one request per broker; the rest in one request. */
    if (type == KC_RESOURCE_BROKER) {
        for (size_t i = 0; i < n && !err; i++)
            err = describe_some(a, type, (char **)&names[i], 1, deadline, r, errstr, errsize);
    } else {
        err = describe_some(a, type, (char **)names, n, deadline, r, errstr, errsize);
    }
    if (err) {
        kc_admin_result_destroy(r);
        return err;
    }
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

static int enc_alter(void *vctx, int16_t ver, kc__buf *body) {
    cfg_ctx *x = vctx;
    kc__IncrementalAlterConfigsRequest req;
    kc__IncrementalAlterConfigsRequest_init(&req);
    kc__IncrementalAlterConfigsRequest_AlterConfigsResource res;
    kc__IncrementalAlterConfigsRequest_AlterConfigsResource_init(&res);
    kc__IncrementalAlterConfigsRequest_AlterableConfig *cs = calloc(x->nops + 1, sizeof(*cs));
    if (!cs) return KC__ENC_NOMEM;
    for (size_t i = 0; i < x->nops; i++) {
        kc__IncrementalAlterConfigsRequest_AlterableConfig_init(&cs[i]);
        cs[i].name = kc__str_c(x->keys[i]);
        cs[i].config_operation = x->ops[i];
        cs[i].value = x->values[i] ? kc__str_c(x->values[i]) : KC__STR_NULL;
    }
    res.resource_type = x->type;
    res.resource_name = kc__str_c(x->names[0]);
    res.configs.n = (int32_t)x->nops;
    res.configs.items = cs;
    req.resources.n = 1;
    req.resources.items = &res;
    int rc = kc__IncrementalAlterConfigsRequest_encode(body, ver, &req);
    free(cs);
    return rc;
}

kc_err_t kc_admin_incremental_alter_configs(kc_admin_t *a, int type, const char *name,
                                            const int *ops, const char *const *keys,
                                            const char *const *values, size_t n, int timeout_ms,
                                            kc_admin_result_t **resultp, char *errstr,
                                            size_t errsize) {
    if (!a || !resultp || !name || !ops || !keys || !n)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "alter configs: nothing to do");
    *resultp = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!keys[i] || !*keys[i])
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "config %zu: empty name", i);
        if (ops[i] < KC_CONFIG_SET || ops[i] > KC_CONFIG_SUBTRACT)
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "%s: unknown operation %d",
                              keys[i], ops[i]);
        if (ops[i] != KC_CONFIG_DELETE && (!values || !values[i]))
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "%s: no value", keys[i]);
    }
    cfg_ctx *x = calloc(1, sizeof(*x));
    bool ok = x && (x->names = calloc(1, sizeof(char *))) && (x->names[0] = strdup(name)) &&
              (x->ops = calloc(n, 1)) && (x->keys = calloc(n, sizeof(char *))) &&
              (x->values = calloc(n, sizeof(char *)));
    if (x && x->names && x->names[0]) x->n = 1;
    for (size_t i = 0; ok && i < n; i++, x->nops++) {
        x->ops[i] = (int8_t)ops[i];
        x->keys[i] = strdup(keys[i]);
        x->values[i] = values && values[i] && ops[i] != KC_CONFIG_DELETE ? strdup(values[i]) : NULL;
        ok = x->keys[i] && (x->values[i] || !values || !values[i] || ops[i] == KC_CONFIG_DELETE);
    }
    if (!ok) {
        if (x) cfg_ctx_free(x);
        return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    }
    x->type = (int8_t)type;
    kc__aresp rs;
    kc_err_t err = kc__admin_roundtrip(a->c, target(type, name), KC__API_INCREMENTAL_ALTER_CONFIGS,
                                       -1, enc_alter, x, cfg_ctx_free,
                                       kc__admin_deadline(a->c, timeout_ms), &rs, errstr, errsize);
    if (err) return err;
    kc__arena ar;
    kc__arena_init(&ar, 2048);
    kc__rd rd;
    kc__rd_init(&rd, rs.body, rs.len);
    kc__IncrementalAlterConfigsResponse resp;
    kc_admin_result_t *r = kc__ares_new();
    if (!r || kc__IncrementalAlterConfigsResponse_decode(&rd, &ar, rs.ver, &resp) ||
        resp.responses.n < 1) {
        err = kc__seterr(errstr, errsize, r ? KC_ERR__BAD_MSG : KC_ERR__CRIT_SYS_RESOURCE,
                         "malformed IncrementalAlterConfigsResponse");
    } else {
        const kc__IncrementalAlterConfigsResponse_AlterConfigsResourceResponse *x0 =
            &resp.responses.items[0];
        if (!kc__ares_add(r, name, -1, (kc_err_t)x0->error_code, x0->error_message.p,
                          x0->error_message.len))
            err = KC_ERR__CRIT_SYS_RESOURCE;
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
