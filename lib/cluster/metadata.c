/* kc_metadata_fetch(): bootstrap connection, ApiVersions, MetadataRequest,
 * and the immutable kc_metadata_t snapshot built from the response. */
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/err.h"
#include "net/conn.h"
#include "proto/gen/apis.h"
#include "proto/gen/metadata.h"
#include "util/time.h"

typedef struct md_partition {
    int32_t id, leader, leader_epoch;
    kc_err_t err;
    int nreplicas, nisr;
    int32_t *replicas, *isr;
} md_partition;

typedef struct md_topic {
    char *name;
    kc_err_t err;
    int internal;
    int npartitions;
    md_partition *partitions;
} md_topic;

typedef struct md_broker {
    int32_t id;
    char *host, *rack;
    int port;
} md_broker;

struct kc_metadata {
    kc__arena arena; /* owns everything below */
    char *cluster_id, *orig_broker;
    int32_t controller_id;
    int nbrokers, ntopics;
    md_broker *brokers;
    md_topic *topics;
};

static char *dup_str(kc__arena *a, kc__str s) {
    if (s.len < 0) return NULL;
    char *p = kc__arena_alloc(a, (size_t)s.len + 1);
    if (p && s.len) memcpy(p, s.p, (size_t)s.len);
    return p;
}

static int32_t *dup_i32(kc__arena *a, const int32_t *v, int32_t n) {
    if (n <= 0) return NULL;
    int32_t *p = kc__arena_calloc(a, (size_t)n, sizeof(int32_t));
    if (p) memcpy(p, v, (size_t)n * sizeof(int32_t));
    return p;
}

static int cmp_topic(const void *a, const void *b) {
    return strcmp(((const md_topic *)a)->name, ((const md_topic *)b)->name);
}
static int cmp_partition(const void *a, const void *b) {
    int32_t x = ((const md_partition *)a)->id, y = ((const md_partition *)b)->id;
    return (x > y) - (x < y);
}
static int cmp_broker(const void *a, const void *b) {
    int32_t x = ((const md_broker *)a)->id, y = ((const md_broker *)b)->id;
    return (x > y) - (x < y);
}

static kc_metadata_t *build(const kc__MetadataResponse *r, const char *orig) {
    kc_metadata_t *md = calloc(1, sizeof(*md));
    if (!md) return NULL;
    kc__arena *a = &md->arena;
    kc__arena_init(a, 16384);
    md->cluster_id = dup_str(a, r->cluster_id);
    md->orig_broker = dup_str(a, kc__str_c(orig));
    md->controller_id = r->controller_id;
    md->nbrokers = r->brokers.n > 0 ? r->brokers.n : 0;
    md->brokers = kc__arena_calloc(a, (size_t)md->nbrokers + 1, sizeof(md_broker));
    for (int i = 0; md->brokers && i < md->nbrokers; i++) {
        md->brokers[i].id = r->brokers.items[i].node_id;
        md->brokers[i].host = dup_str(a, r->brokers.items[i].host);
        md->brokers[i].port = r->brokers.items[i].port;
        md->brokers[i].rack = dup_str(a, r->brokers.items[i].rack);
    }
    md->ntopics = r->topics.n > 0 ? r->topics.n : 0;
    md->topics = kc__arena_calloc(a, (size_t)md->ntopics + 1, sizeof(md_topic));
    for (int t = 0; md->topics && t < md->ntopics; t++) {
        const __typeof__(r->topics.items[0]) *rt = &r->topics.items[t];
        md_topic *mt = &md->topics[t];
        mt->name = dup_str(a, rt->name.len >= 0 ? rt->name : kc__str_c(""));
        mt->err = (kc_err_t)rt->error_code;
        mt->internal = rt->is_internal;
        mt->npartitions = rt->partitions.n > 0 ? rt->partitions.n : 0;
        mt->partitions = kc__arena_calloc(a, (size_t)mt->npartitions + 1, sizeof(md_partition));
        for (int p = 0; mt->partitions && p < mt->npartitions; p++) {
            const __typeof__(rt->partitions.items[0]) *rp = &rt->partitions.items[p];
            md_partition *mp = &mt->partitions[p];
            mp->id = rp->partition_index;
            mp->leader = rp->leader_id;
            mp->leader_epoch = rp->leader_epoch;
            mp->err = (kc_err_t)rp->error_code;
            mp->nreplicas = rp->replica_nodes.n > 0 ? rp->replica_nodes.n : 0;
            mp->replicas = dup_i32(a, rp->replica_nodes.items, rp->replica_nodes.n);
            mp->nisr = rp->isr_nodes.n > 0 ? rp->isr_nodes.n : 0;
            mp->isr = dup_i32(a, rp->isr_nodes.items, rp->isr_nodes.n);
        }
        if (mt->partitions)
            qsort(mt->partitions, (size_t)mt->npartitions, sizeof(md_partition), cmp_partition);
    }
    if (a->oom || !md->brokers || !md->topics) {
        kc_metadata_destroy(md);
        return NULL;
    }
    qsort(md->brokers, (size_t)md->nbrokers, sizeof(md_broker), cmp_broker);
    qsort(md->topics, (size_t)md->ntopics, sizeof(md_topic), cmp_topic);
    return md;
}

/* One attempt against one broker. */
static kc_err_t fetch_from(const kc__hostport *hp, const kc_conf_t *conf,
                           const char *const *topics, size_t topic_cnt, int64_t deadline,
                           kc_metadata_t **mdp, char *errstr, size_t errsize) {
    kc__conn c;
    kc__conn_init(&c, hp, kc__conf_str(conf, KC__CONF_CLIENT_ID));
    int64_t setup_deadline =
        kc__mono_ms() + kc__conf_int(conf, KC__CONF_SOCKET_CONNECTION_SETUP_TIMEOUT_MS);
    if (setup_deadline > deadline) setup_deadline = deadline;
    kc_err_t err = kc__conn_connect(&c, conf, setup_deadline, errstr, errsize);
    if (!err) err = kc__conn_negotiate(&c, conf, setup_deadline, errstr, errsize);
    if (err) {
        kc__conn_close(&c);
        return err;
    }
    int16_t ver = kc__conn_pick_version(&c, KC__API_METADATA);
    if (ver < 0) {
        kc__conn_close(&c);
        return kc__seterr(errstr, errsize, KC_ERR__UNSUPPORTED_FEATURE,
                          "%s: broker supports no Metadata version this client knows",
                          c.name);
    }
    kc__arena arena;
    kc__arena_init(&arena, 8192);
    kc__MetadataRequest req;
    kc__MetadataRequest_init(&req);
    req.allow_auto_topic_creation = false;
    if (topic_cnt == 0) {
        req.topics.n = -1; /* all topics */
    } else {
        req.topics.n = (int32_t)topic_cnt;
        req.topics.items = kc__arena_calloc(&arena, topic_cnt, sizeof(*req.topics.items));
        for (size_t i = 0; req.topics.items && i < topic_cnt; i++)
            req.topics.items[i].name = kc__str_c(topics[i]);
    }
    kc__buf body;
    kc__buf_init(&body, 256);
    if (arena.oom || kc__MetadataRequest_encode(&body, ver, &req)) {
        kc__buf_free(&body);
        kc__arena_destroy(&arena);
        kc__conn_close(&c);
        return kc__seterr(errstr, errsize, KC_ERR__FAIL,
                          "%s: failed to encode MetadataRequest v%d", c.name, ver);
    }
    kc__rd rd;
    int64_t req_deadline = kc__mono_ms() + kc__conf_int(conf, KC__CONF_REQUEST_TIMEOUT_MS);
    if (req_deadline > deadline) req_deadline = deadline;
    err = kc__conn_call(&c, KC__API_METADATA, ver, &body, &rd, req_deadline, errstr, errsize);
    kc__buf_free(&body);
    if (!err) {
        kc__MetadataResponse resp;
        int rc = kc__MetadataResponse_decode(&rd, &arena, ver, &resp);
        if (rc) {
            err = kc__seterr(errstr, errsize, KC_ERR__BAD_MSG,
                             "%s: malformed MetadataResponse v%d: %s", c.name, ver,
                             kc__rd_strerror(rc));
        } else if (!(*mdp = build(&resp, c.name))) {
            err = kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        }
    }
    kc__arena_destroy(&arena);
    kc__conn_close(&c);
    return err;
}

kc_err_t kc_metadata_fetch(const kc_conf_t *conf, const char *const *topics, size_t topic_cnt,
                           int timeout_ms, kc_metadata_t **mdp, char *errstr, size_t errsize) {
    if (!conf || !mdp || (topic_cnt && !topics))
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                          "kc_metadata_fetch: invalid argument");
    if (timeout_ms < 0) timeout_ms = (int)kc__conf_int(conf, KC__CONF_REQUEST_TIMEOUT_MS);
    *mdp = NULL;
    for (size_t i = 0; i < topic_cnt; i++)
        if (!topics[i] || !*topics[i])
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                              "kc_metadata_fetch: topic %zu is empty", i);
    const char *servers = kc__conf_str(conf, KC__CONF_BOOTSTRAP_SERVERS);
    if (!*servers)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                          "bootstrap.servers: not set (expected host:port[,host:port...])");
    kc__hostport *hps;
    size_t n;
    kc_err_t err =
        kc__hostport_parse_list(servers, "bootstrap.servers", &hps, &n, errstr, errsize);
    if (err) return err;
    int64_t deadline = kc__mono_ms() + timeout_ms;
    /* Try each bootstrap broker in turn until one answers; report the last
     * failure, or that every broker failed. */
    char last[512] = "";
    for (size_t i = 0; i < n; i++) {
        err = fetch_from(&hps[i], conf, topics, topic_cnt, deadline, mdp, last, sizeof last);
        if (!err || kc__ms_left(deadline) == 0) break;
    }
    free(hps);
    if (err) {
        if (n > 1 && err != KC_ERR__TIMED_OUT) err = KC_ERR__ALL_BROKERS_DOWN;
        return kc__seterr(errstr, errsize, err, "%s%s", n > 1 ? "all bootstrap brokers failed; last: " : "", last);
    }
    return KC_ERR_NO_ERROR;
}

void kc_metadata_destroy(kc_metadata_t *md) {
    if (!md) return;
    kc__arena_destroy(&md->arena);
    free(md);
}

static const md_broker *broker(const kc_metadata_t *md, int i) {
    return i >= 0 && i < md->nbrokers ? &md->brokers[i] : NULL;
}
static const md_topic *topic(const kc_metadata_t *md, int t) {
    return t >= 0 && t < md->ntopics ? &md->topics[t] : NULL;
}

static const md_partition *part(const kc_metadata_t *md, int t, int p) {
    const md_topic *mt = topic(md, t);
    return mt && p >= 0 && p < mt->npartitions ? &mt->partitions[p] : NULL;
}

const char *kc_metadata_cluster_id(const kc_metadata_t *md) { return md->cluster_id; }
int32_t kc_metadata_controller_id(const kc_metadata_t *md) { return md->controller_id; }
const char *kc_metadata_orig_broker(const kc_metadata_t *md) { return md->orig_broker; }
int kc_metadata_broker_count(const kc_metadata_t *md) { return md->nbrokers; }
int32_t kc_metadata_broker_id(const kc_metadata_t *md, int i) {
    const md_broker *b = broker(md, i);
    return b ? b->id : -1;
}
const char *kc_metadata_broker_host(const kc_metadata_t *md, int i) {
    const md_broker *b = broker(md, i);
    return b ? b->host : NULL;
}
int kc_metadata_broker_port(const kc_metadata_t *md, int i) {
    const md_broker *b = broker(md, i);
    return b ? b->port : -1;
}
const char *kc_metadata_broker_rack(const kc_metadata_t *md, int i) {
    const md_broker *b = broker(md, i);
    return b ? b->rack : NULL;
}
int kc_metadata_topic_count(const kc_metadata_t *md) { return md->ntopics; }
const char *kc_metadata_topic_name(const kc_metadata_t *md, int t) {
    const md_topic *mt = topic(md, t);
    return mt ? mt->name : NULL;
}
kc_err_t kc_metadata_topic_error(const kc_metadata_t *md, int t) {
    const md_topic *mt = topic(md, t);
    return mt ? mt->err : KC_ERR__INVALID_ARG;
}
int kc_metadata_topic_is_internal(const kc_metadata_t *md, int t) {
    const md_topic *mt = topic(md, t);
    return mt ? mt->internal : 0;
}
int kc_metadata_partition_count(const kc_metadata_t *md, int t) {
    const md_topic *mt = topic(md, t);
    return mt ? mt->npartitions : -1;
}
int32_t kc_metadata_partition_id(const kc_metadata_t *md, int t, int p) {
    const md_partition *mp = part(md, t, p);
    return mp ? mp->id : -1;
}
kc_err_t kc_metadata_partition_error(const kc_metadata_t *md, int t, int p) {
    const md_partition *mp = part(md, t, p);
    return mp ? mp->err : KC_ERR__INVALID_ARG;
}
int32_t kc_metadata_partition_leader(const kc_metadata_t *md, int t, int p) {
    const md_partition *mp = part(md, t, p);
    return mp ? mp->leader : -1;
}
int32_t kc_metadata_partition_leader_epoch(const kc_metadata_t *md, int t, int p) {
    const md_partition *mp = part(md, t, p);
    return mp ? mp->leader_epoch : -1;
}
int kc_metadata_partition_replica_count(const kc_metadata_t *md, int t, int p) {
    const md_partition *mp = part(md, t, p);
    return mp ? mp->nreplicas : -1;
}
int32_t kc_metadata_partition_replica(const kc_metadata_t *md, int t, int p, int i) {
    const md_partition *mp = part(md, t, p);
    return mp && i >= 0 && i < mp->nreplicas ? mp->replicas[i] : -1;
}
int kc_metadata_partition_isr_count(const kc_metadata_t *md, int t, int p) {
    const md_partition *mp = part(md, t, p);
    return mp ? mp->nisr : -1;
}
int32_t kc_metadata_partition_isr(const kc_metadata_t *md, int t, int p, int i) {
    const md_partition *mp = part(md, t, p);
    return mp && i >= 0 && i < mp->nisr ? mp->isr[i] : -1;
}
