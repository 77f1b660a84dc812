/* Admin: list, describe and delete consumer groups; list and alter a
 * group's committed offsets (through its coordinator). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "consumer/assignor.h"
#include "net/broker.h"
#include "proto/gen/apis.h"
#include "proto/gen/delete_groups.h"
#include "proto/gen/describe_groups.h"
#include "proto/gen/list_groups.h"
#include "proto/gen/offset_commit.h"
#include "proto/gen/offset_fetch.h"
#include "util/time.h"

typedef struct grp_ctx {
    char *group;
    kc_tplist_t *parts; /* offsets to fetch (NULL: all) or to commit */
} grp_ctx;

static void grp_ctx_free(void *p) {
    grp_ctx *x = p;
    free(x->group);
    kc_tplist_destroy(x->parts);
    free(x);
}

static grp_ctx *grp_ctx_new(const char *group, const kc_tplist_t *parts) {
    grp_ctx *x = calloc(1, sizeof(*x));
    if (!x || !(x->group = strdup(group)) || (parts && !(x->parts = kc_tplist_copy(parts)))) {
        if (x) free(x->group);
        free(x);
        return NULL;
    }
    return x;
}

/* ------------------------------------------------------------ list */

static int enc_list(void *ctx, int16_t ver, kc__buf *body) {
    (void)ctx;
    kc__ListGroupsRequest req;
    kc__ListGroupsRequest_init(&req);
    return kc__ListGroupsRequest_encode(body, ver, &req);
}

/* Broker ids known from metadata, waiting for a first answer. */
static int broker_ids(kc__client *c, int64_t deadline, int32_t **idsp) {
    while (atomic_load(&c->md_last_ok_ms) == 0 && kc__mono_ms() < deadline) {
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&c->brokers_lock);
    int32_t *ids = malloc(sizeof(*ids) * (size_t)(c->nbrokers + 1));
    int n = 0;
    for (int i = 0; ids && i < c->nbrokers; i++)
        if (c->brokers[i]->id >= 0) ids[n++] = c->brokers[i]->id;
    pthread_mutex_unlock(&c->brokers_lock);
    *idsp = ids;
    return ids ? n : -1;
}

kc_err_t kc_admin_list_groups(kc_admin_t *a, int timeout_ms, kc_admin_result_t **resultp,
                              char *errstr, size_t errsize) {
    if (!a || !resultp) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "bad arguments");
    *resultp = NULL;
    int64_t deadline = kc__admin_deadline(a->c, timeout_ms);
    int32_t *ids;
    int n = broker_ids(a->c, deadline, &ids);
    if (n <= 0) {
        free(ids);
        return kc__seterr(errstr, errsize, KC_ERR__TIMED_OUT, "no broker answered metadata");
    }
    kc_admin_result_t *r = kc__ares_new();
    kc_err_t err = r ? KC_ERR_NO_ERROR : KC_ERR__CRIT_SYS_RESOURCE;
    /* Each broker lists the groups it coordinates. */
    for (int b = 0; b < n && !err; b++) {
        kc__aresp rs;
        err = kc__admin_roundtrip(a->c, ids[b], KC__API_LIST_GROUPS, -1, enc_list, NULL, NULL,
                                  deadline, &rs, errstr, errsize);
        if (err) break;
        kc__arena ar;
        kc__arena_init(&ar, 4096);
        kc__rd rd;
        kc__rd_init(&rd, rs.body, rs.len);
        kc__ListGroupsResponse resp;
        if (kc__ListGroupsResponse_decode(&rd, &ar, rs.ver, &resp))
            err = kc__seterr(errstr, errsize, KC_ERR__BAD_MSG, "malformed ListGroupsResponse");
        else if (resp.error_code)
            err = kc__seterr(errstr, errsize, (kc_err_t)resp.error_code, "broker %d: %s", ids[b],
                             kc_err_desc((kc_err_t)resp.error_code));
        for (int32_t i = 0; !err && i < resp.groups.n; i++) {
            const kc__ListGroupsResponse_ListedGroup *g = &resp.groups.items[i];
            kc__aitem *it = kc__ares_add(r, g->group_id.p, g->group_id.len, 0, NULL, 0);
            if (!it) {
                err = KC_ERR__CRIT_SYS_RESOURCE;
                break;
            }
            free(it->state);
            free(it->ptype);
            it->state = kc__strdup_k(g->group_state);
            it->ptype = kc__strdup_k(g->protocol_type);
            if (!it->state || !it->ptype) err = KC_ERR__CRIT_SYS_RESOURCE;
        }
        kc__arena_destroy(&ar);
        free(rs.body);
    }
    free(ids);
    if (err) {
        kc_admin_result_destroy(r);
        return err;
    }
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

/* ------------------------------------------------------------ describe */

static int enc_describe(void *ctx, int16_t ver, kc__buf *body) {
    grp_ctx *x = ctx;
    kc__DescribeGroupsRequest req;
    kc__DescribeGroupsRequest_init(&req);
    kc__str g = kc__str_c(x->group);
    req.groups.n = 1;
    req.groups.items = &g;
    return kc__DescribeGroupsRequest_encode(body, ver, &req);
}

/* Fills a group item from a DescribeGroups answer. */
static kc_err_t fill_group(kc__aitem *it, const kc__DescribeGroupsResponse_DescribedGroup *g) {
    free(it->state);
    free(it->ptype);
    free(it->protocol);
    it->state = kc__strdup_k(g->group_state);
    it->ptype = kc__strdup_k(g->protocol_type);
    it->protocol = kc__strdup_k(g->protocol_data);
    it->members = calloc((size_t)g->members.n + 1, sizeof(*it->members));
    if (!it->state || !it->ptype || !it->protocol || !it->members) return KC_ERR__CRIT_SYS_RESOURCE;
    bool consumer = g->protocol_type.len == 8 && !memcmp(g->protocol_type.p, "consumer", 8);
    for (int32_t j = 0; j < g->members.n; j++) {
        const kc__DescribeGroupsResponse_DescribedGroupMember *m = &g->members.items[j];
        kc__gmember *gm = &it->members[it->nmembers++];
        gm->id = kc__strdup_k(m->member_id);
        gm->instance_id = m->group_instance_id.len >= 0 ? kc__strdup_k(m->group_instance_id) : NULL;
        gm->client_id = kc__strdup_k(m->client_id);
        gm->host = kc__strdup_k(m->client_host);
        if (!gm->id || !gm->client_id || !gm->host) return KC_ERR__CRIT_SYS_RESOURCE;
        kc__asg_tp *tps = NULL;
        int ntps = 0;
        if (consumer && m->member_assignment.len > 0 &&
            !kc__consumer_assignment_decode(m->member_assignment.p,
                                            (size_t)m->member_assignment.len, &tps, &ntps)) {
            gm->assignment = kc_tplist_new(ntps);
            for (int k = 0; gm->assignment && k < ntps; k++)
                kc_tplist_add(gm->assignment, tps[k].topic, tps[k].partition);
            kc__asg_tps_free(tps, ntps);
        }
    }
    return KC_ERR_NO_ERROR;
}

/* Sends ctx's request to the group's coordinator. */
static kc_err_t to_coordinator(kc_admin_t *a, const char *group, int16_t api, int16_t max_ver,
                               kc__admin_enc *enc, grp_ctx *x, int64_t deadline, kc__aresp *rs,
                               char *errstr, size_t errsize) {
    kc_err_t err = KC_ERR_NO_ERROR;
    int32_t node = kc__admin_coordinator(a->c, group, deadline, &err, errstr, errsize);
    if (node < 0) {
        grp_ctx_free(x);
        return err;
    }
    return kc__admin_roundtrip(a->c, node, api, max_ver, enc, x, grp_ctx_free, deadline, rs,
                               errstr, errsize);
}

static kc_err_t describe_groups_once(kc_admin_t *a, const char *const *groups, size_t n,
                                  int timeout_ms, kc_admin_result_t **resultp, char *errstr,
                                  size_t errsize) {
    if (!a || !resultp || !groups || !n)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "describe groups: no groups");
    *resultp = NULL;
    int64_t deadline = kc__admin_deadline(a->c, timeout_ms);
    kc_admin_result_t *r = kc__ares_new();
    kc_err_t err = r ? KC_ERR_NO_ERROR : KC_ERR__CRIT_SYS_RESOURCE;
    for (size_t i = 0; i < n && !err; i++) {
        grp_ctx *x = groups[i] && *groups[i] ? grp_ctx_new(groups[i], NULL) : NULL;
        if (!x) {
            err = kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "group %zu: empty name", i);
            break;
        }
        kc__aresp rs;
        err = to_coordinator(a, groups[i], KC__API_DESCRIBE_GROUPS, -1, enc_describe, x, deadline,
                             &rs, errstr, errsize);
        if (err) break;
        kc__arena ar;
        kc__arena_init(&ar, 4096);
        kc__rd rd;
        kc__rd_init(&rd, rs.body, rs.len);
        kc__DescribeGroupsResponse resp;
        if (kc__DescribeGroupsResponse_decode(&rd, &ar, rs.ver, &resp) || resp.groups.n < 1) {
            err = kc__seterr(errstr, errsize, KC_ERR__BAD_MSG, "malformed DescribeGroupsResponse");
        } else {
            const kc__DescribeGroupsResponse_DescribedGroup *g = &resp.groups.items[0];
            kc__aitem *it = kc__ares_add(r, groups[i], -1, (kc_err_t)g->error_code,
                                         g->error_message.p, g->error_message.len);
            err = !it ? KC_ERR__CRIT_SYS_RESOURCE : g->error_code ? 0 : fill_group(it, g);
        }
        kc__arena_destroy(&ar);
        free(rs.body);
    }
    if (err) {
        kc_admin_result_destroy(r);
        return err;
    }
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

/* ------------------------------------------------------------ delete */

static int enc_delete(void *ctx, int16_t ver, kc__buf *body) {
    grp_ctx *x = ctx;
    kc__DeleteGroupsRequest req;
    kc__DeleteGroupsRequest_init(&req);
    kc__str g = kc__str_c(x->group);
    req.groups_names.n = 1;
    req.groups_names.items = &g;
    return kc__DeleteGroupsRequest_encode(body, ver, &req);
}

static kc_err_t delete_groups_once(kc_admin_t *a, const char *const *groups, size_t n,
                                int timeout_ms, kc_admin_result_t **resultp, char *errstr,
                                size_t errsize) {
    if (!a || !resultp || !groups || !n)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "delete groups: no groups");
    *resultp = NULL;
    int64_t deadline = kc__admin_deadline(a->c, timeout_ms);
    kc_admin_result_t *r = kc__ares_new();
    kc_err_t err = r ? KC_ERR_NO_ERROR : KC_ERR__CRIT_SYS_RESOURCE;
    for (size_t i = 0; i < n && !err; i++) {
        grp_ctx *x = groups[i] && *groups[i] ? grp_ctx_new(groups[i], NULL) : NULL;
        if (!x) {
            err = kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "group %zu: empty name", i);
            break;
        }
        kc__aresp rs;
        err = to_coordinator(a, groups[i], KC__API_DELETE_GROUPS, -1, enc_delete, x, deadline,
                             &rs, errstr, errsize);
        if (err) break;
        kc__arena ar;
        kc__arena_init(&ar, 1024);
        kc__rd rd;
        kc__rd_init(&rd, rs.body, rs.len);
        kc__DeleteGroupsResponse resp;
        if (kc__DeleteGroupsResponse_decode(&rd, &ar, rs.ver, &resp) || resp.results.n < 1)
            err = kc__seterr(errstr, errsize, KC_ERR__BAD_MSG, "malformed DeleteGroupsResponse");
        else if (!kc__ares_add(r, groups[i], -1, (kc_err_t)resp.results.items[0].error_code,
                               NULL, 0))
            err = KC_ERR__CRIT_SYS_RESOURCE;
        kc__arena_destroy(&ar);
        free(rs.body);
    }
    if (err) {
        kc_admin_result_destroy(r);
        return err;
    }
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

/* ------------------------------------------------------------ offsets */

static int tpl_cmp(const void *a, const void *b) {
    const struct kc__tpl_entry *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

/* OffsetFetch v1-7 (one group; topics null means every partition, v2+). */
static int enc_offset_fetch(void *ctx, int16_t ver, kc__buf *body) {
    grp_ctx *x = ctx;
    kc__OffsetFetchRequest req;
    kc__OffsetFetchRequest_init(&req);
    req.group_id = kc__str_c(x->group);
    int n = x->parts ? x->parts->n : 0;
    kc__OffsetFetchRequest_Topic *ts = calloc((size_t)n + 1, sizeof(*ts));
    int32_t *ps = calloc((size_t)n + 1, sizeof(*ps));
    int rc = KC__ENC_NOMEM;
    if (ts && ps) {
        int nt = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || strcmp(x->parts->e[i - 1].topic, x->parts->e[i].topic)) {
                kc__OffsetFetchRequest_Topic_init(&ts[nt]);
                ts[nt].name = kc__str_c(x->parts->e[i].topic);
                ts[nt].partition_indexes.items = &ps[i];
                nt++;
            }
            ps[i] = x->parts->e[i].partition;
            ts[nt - 1].partition_indexes.n++;
        }
        req.topics.n = x->parts ? nt : -1;
        req.topics.items = ts;
        rc = kc__OffsetFetchRequest_encode(body, ver, &req);
    }
    free(ts);
    free(ps);
    return rc;
}

static kc_err_t list_group_offsets_once(kc_admin_t *a, const char *group, const kc_tplist_t *parts,
                                     int timeout_ms, kc_admin_result_t **resultp, char *errstr,
                                     size_t errsize) {
    if (!a || !resultp || !group || !*group)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "list group offsets: no group");
    *resultp = NULL;
    grp_ctx *x = grp_ctx_new(group, parts && parts->n ? parts : NULL);
    if (!x) return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    if (x->parts) qsort(x->parts->e, (size_t)x->parts->n, sizeof(*x->parts->e), tpl_cmp);
    kc__aresp rs;
    kc_err_t err = to_coordinator(a, group, KC__API_OFFSET_FETCH, 7, enc_offset_fetch, x,
                                  kc__admin_deadline(a->c, timeout_ms), &rs, errstr, errsize);
    if (err) return err;
    kc__arena ar;
    kc__arena_init(&ar, 4096);
    kc__rd rd;
    kc__rd_init(&rd, rs.body, rs.len);
    kc__OffsetFetchResponse resp;
    kc_admin_result_t *r = kc__ares_new();
    kc__aitem *it = NULL;
    if (!r || kc__OffsetFetchResponse_decode(&rd, &ar, rs.ver, &resp)) {
        err = kc__seterr(errstr, errsize, r ? KC_ERR__BAD_MSG : KC_ERR__CRIT_SYS_RESOURCE,
                         "malformed OffsetFetchResponse");
    } else if (!(it = kc__ares_add(r, group, -1, (kc_err_t)resp.error_code, NULL, 0)) ||
               !(it->parts = kc_tplist_new(8))) {
        err = KC_ERR__CRIT_SYS_RESOURCE;
    }
    for (int32_t t = 0; !err && t < resp.topics.n; t++) {
        const kc__OffsetFetchResponse_Topic *tt = &resp.topics.items[t];
        char *name = kc__strdup_k(tt->name);
        for (int32_t p = 0; name && p < tt->partitions.n; p++) {
            const kc__OffsetFetchResponse_Partition *pp = &tt->partitions.items[p];
            int k = kc_tplist_add(it->parts, name, pp->partition_index);
            if (k < 0) break;
            it->parts->e[k].offset = pp->committed_offset >= 0 ? pp->committed_offset
                                                               : KC_OFFSET_INVALID;
            it->parts->e[k].leader_epoch = pp->committed_leader_epoch;
            it->parts->e[k].err = (kc_err_t)pp->error_code;
            if (pp->metadata.len > 0) {
                char *m = kc__strdup_k(pp->metadata);
                kc_tplist_set_metadata(it->parts, k, m);
                free(m);
            }
        }
        if (!name) err = KC_ERR__CRIT_SYS_RESOURCE;
        free(name);
    }
    if (!err) qsort(it->parts->e, (size_t)it->parts->n, sizeof(*it->parts->e), tpl_cmp);
    kc__arena_destroy(&ar);
    free(rs.body);
    if (err) {
        kc_admin_result_destroy(r);
        return err;
    }
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

/* OffsetCommit as a "simple" (non-member) consumer: generation -1. */
static int enc_offset_commit(void *ctx, int16_t ver, kc__buf *body) {
    grp_ctx *x = ctx;
    kc__OffsetCommitRequest req;
    kc__OffsetCommitRequest_init(&req);
    req.group_id = kc__str_c(x->group);
    req.generation_id_or_member_epoch = -1;
    req.member_id = kc__str_c("");
    int n = x->parts->n;
    kc__OffsetCommitRequest_Topic *ts = calloc((size_t)n + 1, sizeof(*ts));
    kc__OffsetCommitRequest_Partition *ps = calloc((size_t)n + 1, sizeof(*ps));
    int rc = KC__ENC_NOMEM;
    if (ts && ps) {
        int nt = 0;
        for (int i = 0; i < n; i++) {
            const struct kc__tpl_entry *e = &x->parts->e[i];
            if (i == 0 || strcmp(x->parts->e[i - 1].topic, e->topic)) {
                kc__OffsetCommitRequest_Topic_init(&ts[nt]);
                ts[nt].name = kc__str_c(e->topic);
                ts[nt].partitions.items = &ps[i];
                nt++;
            }
            kc__OffsetCommitRequest_Partition_init(&ps[i]);
            ps[i].partition_index = e->partition;
            ps[i].committed_offset = e->offset;
            ps[i].committed_leader_epoch = e->leader_epoch;
            ps[i].committed_metadata = kc__str_c(e->metadata ? e->metadata : "");
            ts[nt - 1].partitions.n++;
        }
        req.topics.n = nt;
        req.topics.items = ts;
        rc = kc__OffsetCommitRequest_encode(body, ver, &req);
    }
    free(ts);
    free(ps);
    return rc;
}

static kc_err_t alter_group_offsets_once(kc_admin_t *a, const char *group,
                                      const kc_tplist_t *offsets, int timeout_ms,
                                      kc_admin_result_t **resultp, char *errstr, size_t errsize) {
    if (!a || !resultp || !group || !*group || !offsets || !offsets->n)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                          "alter group offsets: no group or no offsets");
    *resultp = NULL;
    for (int i = 0; i < offsets->n; i++)
        if (offsets->e[i].offset < 0)
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "%s [%d]: invalid offset %lld",
                              offsets->e[i].topic, offsets->e[i].partition,
                              (long long)offsets->e[i].offset);
    grp_ctx *x = grp_ctx_new(group, offsets);
    if (!x) return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    qsort(x->parts->e, (size_t)x->parts->n, sizeof(*x->parts->e), tpl_cmp);
    kc_tplist_t *parts = kc_tplist_copy(x->parts);
    kc__aresp rs;
    kc_err_t err = parts ? to_coordinator(a, group, KC__API_OFFSET_COMMIT, 9, enc_offset_commit, x,
                                          kc__admin_deadline(a->c, timeout_ms), &rs, errstr,
                                          errsize)
                         : KC_ERR__CRIT_SYS_RESOURCE;
    if (!parts) grp_ctx_free(x);
    if (err) {
        kc_tplist_destroy(parts);
        return err;
    }
    kc__arena ar;
    kc__arena_init(&ar, 2048);
    kc__rd rd;
    kc__rd_init(&rd, rs.body, rs.len);
    kc__OffsetCommitResponse resp;
    kc_admin_result_t *r = kc__ares_new();
    kc_err_t first = KC_ERR_NO_ERROR;
    if (!r || kc__OffsetCommitResponse_decode(&rd, &ar, rs.ver, &resp)) {
        err = kc__seterr(errstr, errsize, r ? KC_ERR__BAD_MSG : KC_ERR__CRIT_SYS_RESOURCE,
                         "malformed OffsetCommitResponse");
    } else {
        for (int32_t t = 0; t < resp.topics.n; t++) {
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)resp.topics.items[t].name.len,
                     resp.topics.items[t].name.p);
            for (int32_t p = 0; p < resp.topics.items[t].partitions.n; p++) {
                const kc__OffsetCommitResponse_Partition *pp = &resp.topics.items[t].partitions.items[p];
                int k = kc_tplist_find(parts, name, pp->partition_index);
                if (k >= 0) parts->e[k].err = (kc_err_t)pp->error_code;
                if (pp->error_code && !first) first = (kc_err_t)pp->error_code;
            }
        }
        kc__aitem *it = kc__ares_add(r, group, -1, first, NULL, 0);
        if (!it) err = KC_ERR__CRIT_SYS_RESOURCE;
        else {
            it->parts = parts;
            parts = NULL;
        }
    }
    kc_tplist_destroy(parts);
    kc__arena_destroy(&ar);
    free(rs.body);
    if (err) {
        kc_admin_result_destroy(r);
        return err;
    }
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

/* ------------------------------------------------------------ retries */

/* A coordinator that is loading or moving: the call is retried. */
static bool coord_busy(kc_err_t e) {
    return e == KC_ERR_COORDINATOR_LOAD_IN_PROGRESS || e == KC_ERR_COORDINATOR_NOT_AVAILABLE ||
           e == KC_ERR_NOT_COORDINATOR;
}

/* Whether an item or one of its partitions has a coordinator error. */
static bool result_busy(const kc_admin_result_t *r) {
    for (int i = 0; r && i < r->n; i++) {
        if (coord_busy(r->items[i].err)) return true;
        for (int j = 0; r->items[i].parts && j < r->items[i].parts->n; j++)
            if (coord_busy(r->items[i].parts->e[j].err)) return true;
    }
    return false;
}

/* Runs `call` (an expression using `left`, the milliseconds left, and
 * setting err and *resultp) until no coordinator error remains or the
 * deadline passes, as the Java admin client retries them. */
#define RETRY_BUSY(a, timeout_ms, resultp, call)                                      \
    do {                                                                              \
        int64_t deadline_ = kc__admin_deadline((a)->c, timeout_ms);                   \
        for (;;) {                                                                    \
            int left = kc__ms_left(deadline_);                                        \
            kc_err_t err = (call);                                                    \
            if (err || !result_busy(*(resultp)) || kc__mono_ms() + 200 >= deadline_) \
                return err;                                                           \
            kc_admin_result_destroy(*(resultp));                                      \
            *(resultp) = NULL;                                                        \
            struct timespec ts_ = {0, 200 * 1000000};                                 \
            nanosleep(&ts_, NULL);                                                    \
        }                                                                             \
    } while (0)

kc_err_t kc_admin_describe_groups(kc_admin_t *a, const char *const *groups, size_t n,
                                  int timeout_ms, kc_admin_result_t **resultp, char *errstr,
                                  size_t errsize) {
    if (!a || !resultp) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "bad arguments");
    RETRY_BUSY(a, timeout_ms, resultp,
               describe_groups_once(a, groups, n, left, resultp, errstr, errsize));
}

kc_err_t kc_admin_delete_groups(kc_admin_t *a, const char *const *groups, size_t n,
                                int timeout_ms, kc_admin_result_t **resultp, char *errstr,
                                size_t errsize) {
    if (!a || !resultp) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "bad arguments");
    RETRY_BUSY(a, timeout_ms, resultp,
               delete_groups_once(a, groups, n, left, resultp, errstr, errsize));
}

kc_err_t kc_admin_list_group_offsets(kc_admin_t *a, const char *group, const kc_tplist_t *parts,
                                     int timeout_ms, kc_admin_result_t **resultp, char *errstr,
                                     size_t errsize) {
    if (!a || !resultp) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "bad arguments");
    RETRY_BUSY(a, timeout_ms, resultp,
               list_group_offsets_once(a, group, parts, left, resultp, errstr, errsize));
}

kc_err_t kc_admin_alter_group_offsets(kc_admin_t *a, const char *group,
                                      const kc_tplist_t *offsets, int timeout_ms,
                                      kc_admin_result_t **resultp, char *errstr, size_t errsize) {
    if (!a || !resultp) return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "bad arguments");
    RETRY_BUSY(a, timeout_ms, resultp,
               alter_group_offsets_once(a, group, offsets, left, resultp, errstr, errsize));
}
