/* Admin: list offsets (earliest, latest, by timestamp) and delete records,
 * one request per partition leader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "cluster/topic.h"
#include "proto/gen/apis.h"
#include "proto/gen/delete_records.h"
#include "proto/gen/list_offsets.h"

typedef struct rec_ctx {
    kc_tplist_t *parts; /* this leader's partitions, sorted by topic */
    int32_t timeout_ms;
} rec_ctx;

static void rec_ctx_free(void *p) {
    rec_ctx *x = p;
    kc_tplist_destroy(x->parts);
    free(x);
}

static int tpl_cmp(const void *a, const void *b) {
    const struct kc__tpl_entry *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

static int enc_list_offsets(void *ctx, int16_t ver, kc__buf *body) {
    rec_ctx *x = ctx;
    kc__ListOffsetsRequest req;
    kc__ListOffsetsRequest_init(&req);
    req.replica_id = -1;
    if (ver >= 10) req.timeout_ms = x->timeout_ms;
    int n = x->parts->n;
    kc__ListOffsetsRequest_Topic *ts = calloc((size_t)n + 1, sizeof(*ts));
    kc__ListOffsetsRequest_Partition *ps = calloc((size_t)n + 1, sizeof(*ps));
    int rc = KC__ENC_NOMEM;
    if (ts && ps) {
        int nt = 0;
        for (int i = 0; i < n; i++) {
            const struct kc__tpl_entry *e = &x->parts->e[i];
            if (i == 0 || strcmp(x->parts->e[i - 1].topic, e->topic)) {
                kc__ListOffsetsRequest_Topic_init(&ts[nt]);
                ts[nt].name = kc__str_c(e->topic);
                ts[nt].partitions.items = &ps[i];
                nt++;
            }
            kc__ListOffsetsRequest_Partition_init(&ps[i]);
            ps[i].partition_index = e->partition;
            ps[i].timestamp = e->offset; /* -2 earliest, -1 latest, or a timestamp */
            ts[nt - 1].partitions.n++;
        }
        req.topics.n = nt;
        req.topics.items = ts;
        rc = kc__ListOffsetsRequest_encode(body, ver, &req);
    }
    free(ts);
    free(ps);
    return rc;
}

static int enc_delete_records(void *ctx, int16_t ver, kc__buf *body) {
    rec_ctx *x = ctx;
    kc__DeleteRecordsRequest req;
    kc__DeleteRecordsRequest_init(&req);
    req.timeout_ms = x->timeout_ms;
    int n = x->parts->n;
    kc__DeleteRecordsRequest_Topic *ts = calloc((size_t)n + 1, sizeof(*ts));
    kc__DeleteRecordsRequest_Partition *ps = calloc((size_t)n + 1, sizeof(*ps));
    int rc = KC__ENC_NOMEM;
    if (ts && ps) {
        int nt = 0;
        for (int i = 0; i < n; i++) {
            const struct kc__tpl_entry *e = &x->parts->e[i];
            if (i == 0 || strcmp(x->parts->e[i - 1].topic, e->topic)) {
                kc__DeleteRecordsRequest_Topic_init(&ts[nt]);
                ts[nt].name = kc__str_c(e->topic);
                ts[nt].partitions.items = &ps[i];
                nt++;
            }
            ps[i].partition_index = e->partition;
            ps[i].offset = e->offset; /* -1: up to the high watermark */
            ts[nt - 1].partitions.n++;
        }
        req.topics.n = nt;
        req.topics.items = ts;
        rc = kc__DeleteRecordsRequest_encode(body, ver, &req);
    }
    free(ts);
    free(ps);
    return rc;
}

/* Stores one partition's answer into the result list. */
static void put(kc_tplist_t *out, kc__str topic, int32_t part, int64_t off, int16_t code) {
    char name[256];
    snprintf(name, sizeof name, "%.*s", topic.len > 0 ? (int)topic.len : 0, topic.p ? topic.p : "");
    int k = kc_tplist_find(out, name, part);
    if (k < 0) return;
    out->e[k].offset = code ? KC_OFFSET_INVALID : off;
    out->e[k].err = (kc_err_t)code;
}

/* Decodes a leader's answer into out. */
static kc_err_t decode_answer(int16_t api, const kc__aresp *rs, kc_tplist_t *out) {
    kc__arena ar;
    kc__arena_init(&ar, 4096);
    kc__rd rd;
    kc__rd_init(&rd, rs->body, rs->len);
    kc_err_t err = KC_ERR_NO_ERROR;
    if (api == KC__API_LIST_OFFSETS) {
        kc__ListOffsetsResponse resp;
        if (kc__ListOffsetsResponse_decode(&rd, &ar, rs->ver, &resp)) err = KC_ERR__BAD_MSG;
        for (int32_t t = 0; !err && t < resp.topics.n; t++)
            for (int32_t p = 0; p < resp.topics.items[t].partitions.n; p++) {
                const kc__ListOffsetsResponse_PartitionResponse *x = &resp.topics.items[t].partitions.items[p];
                put(out, resp.topics.items[t].name, x->partition_index, x->offset, x->error_code);
            }
    } else {
        kc__DeleteRecordsResponse resp;
        if (kc__DeleteRecordsResponse_decode(&rd, &ar, rs->ver, &resp)) err = KC_ERR__BAD_MSG;
        for (int32_t t = 0; !err && t < resp.topics.n; t++)
            for (int32_t p = 0; p < resp.topics.items[t].partitions.n; p++) {
                const kc__DeleteRecordsResponse_PartitionResult *x = &resp.topics.items[t].partitions.items[p];
                put(out, resp.topics.items[t].name, x->partition_index, x->low_watermark,
                    x->error_code);
            }
    }
    kc__arena_destroy(&ar);
    return err;
}

/* Sends one request per leader for the partitions of `in`. */
static kc_err_t per_leader(kc_admin_t *a, int16_t api, const kc_tplist_t *in, int timeout_ms,
                           kc_admin_result_t **resultp, char *errstr, size_t errsize) {
    if (!a || !resultp || !in || !in->n)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "no partitions");
    *resultp = NULL;
    int64_t deadline = kc__admin_deadline(a->c, timeout_ms);
    kc_tplist_t *out = kc_tplist_copy(in);
    int32_t *leaders = calloc((size_t)in->n, sizeof(*leaders));
    kc_err_t err = out && leaders ? KC_ERR_NO_ERROR : KC_ERR__CRIT_SYS_RESOURCE;
    for (int i = 0; !err && i < in->n; i++) {
        kc_err_t lerr = KC_ERR_NO_ERROR;
        leaders[i] = kc__topic_wait_leader(a->c, in->e[i].topic, in->e[i].partition, deadline,
                                           &lerr);
        out->e[i].err = lerr;
        if (lerr) out->e[i].offset = KC_OFFSET_INVALID;
    }
    for (int i = 0; !err && i < in->n; i++) {
        if (leaders[i] < 0) continue;
        int32_t leader = leaders[i];
        rec_ctx *x = calloc(1, sizeof(*x));
        if (!x || !(x->parts = kc_tplist_new(8))) {
            free(x);
            err = KC_ERR__CRIT_SYS_RESOURCE;
            break;
        }
        for (int j = i; j < in->n; j++)
            if (leaders[j] == leader) {
                int k = kc_tplist_add(x->parts, in->e[j].topic, in->e[j].partition);
                if (k >= 0) x->parts->e[k].offset = in->e[j].offset;
                leaders[j] = -1;
            }
        qsort(x->parts->e, (size_t)x->parts->n, sizeof(*x->parts->e), tpl_cmp);
        x->timeout_ms = (int32_t)(deadline - kc__admin_deadline(a->c, 0));
        kc__aresp rs;
        err = kc__admin_roundtrip(a->c, leader, api, -1,
                                  api == KC__API_LIST_OFFSETS ? enc_list_offsets : enc_delete_records,
                                  x, rec_ctx_free, deadline, &rs, errstr, errsize);
        if (!err && decode_answer(api, &rs, out))
            err = kc__seterr(errstr, errsize, KC_ERR__BAD_MSG, "malformed %s response",
                             kc__api_find(api)->name);
        free(rs.body);
    }
    free(leaders);
    kc_admin_result_t *r = err ? NULL : kc__ares_new();
    kc__aitem *it = r ? kc__ares_add(r, "", 0, 0, NULL, 0) : NULL;
    if (!err && !it) err = kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    if (err) {
        kc_tplist_destroy(out);
        kc_admin_result_destroy(r);
        return err;
    }
    for (int i = 0; i < out->n && !it->err; i++) it->err = out->e[i].err;
    it->parts = out;
    *resultp = r;
    return KC_ERR_NO_ERROR;
}

kc_err_t kc_admin_list_offsets(kc_admin_t *a, const kc_tplist_t *parts, int timeout_ms,
                               kc_admin_result_t **resultp, char *errstr, size_t errsize) {
    return per_leader(a, KC__API_LIST_OFFSETS, parts, timeout_ms, resultp, errstr, errsize);
}

kc_err_t kc_admin_delete_records(kc_admin_t *a, const kc_tplist_t *before, int timeout_ms,
                                 kc_admin_result_t **resultp, char *errstr, size_t errsize) {
    return per_leader(a, KC__API_DELETE_RECORDS, before, timeout_ms, resultp, errstr, errsize);
}
