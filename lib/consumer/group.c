/* Consumer group membership (classic protocol) on the main thread:
 * FindCoordinator, JoinGroup, SyncGroup (the leader runs the assignor),
 * Heartbeat, LeaveGroup; rebalance events handed to the application
 * through poll and acknowledged back; offset commits and committed-offset
 * fetches through the coordinator; auto-commit; max.poll.interval.ms.
 *
 * Requests are encoded on broker threads from a context built here; their
 * responses are copied and handed back to the main thread as ops, so all
 * group state below is touched by the main thread only (except the fields
 * marked otherwise). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignor.h"
#include "consumer.h"
#include "net/broker.h"
#include "proto/gen/apis.h"
#include "proto/gen/find_coordinator.h"
#include "proto/gen/heartbeat.h"
#include "proto/gen/join_group.h"
#include "proto/gen/leave_group.h"
#include "proto/gen/metadata.h"
#include "proto/gen/offset_commit.h"
#include "proto/gen/offset_fetch.h"
#include "proto/gen/sync_group.h"
#include "util/time.h"

enum {
    G_INIT,        /* no subscription */
    G_COORD,       /* waiting for the coordinator */
    G_JOIN,        /* JoinGroup in flight */
    G_WAIT_MD,     /* leader: waiting for metadata of the members' topics */
    G_SYNC,        /* SyncGroup in flight */
    G_WAIT_APP,    /* a rebalance op is with the application */
    G_STABLE,      /* member of a generation, heartbeating */
};

static const char *const state_names[] = {"init", "coordinator", "join", "wait-metadata",
                                          "sync", "wait-app", "stable"};

#define MAX_ASSIGNORS 8

struct kc__group {
    kc__consumer *cs;
    _Atomic int state;    /* G_*; the app thread reads it (kc__group_active) */
    int32_t coord_id;
    bool coord_inflight;
    int64_t coord_retry_at;
    int coord_retry_logged; /* failed lookups since the last success (log once) */
    char *member_id;      /* "" until assigned; read by the app under cs->lock */
    const char *instance_id; /* NULL: dynamic member */
    int32_t generation;   /* -1 outside a generation */
    char *protocol;       /* chosen assignor */
    bool leader;
    int kind;             /* KC__REBALANCE_EAGER / COOPERATIVE */
    const kc__assignor *asg[MAX_ASSIGNORS];
    int nasg;
    bool inflight;        /* Join / Sync / Leave in flight */
    int64_t retry_at;     /* no join before (backoff) */
    int64_t hb_next;
    bool hb_inflight;
    int64_t next_autocommit;
    bool rejoin;          /* a rejoin is wanted */
    char *rejoin_reason;
    kc__asg_tp *owned;    /* the group assignment applied by the app */
    int nowned;
    char **topics;        /* subscribed topics (names and pattern matches), sorted */
    int ntopics;
    char **snap;          /* leader: the topics it assigned and their partition counts */
    int32_t *snap_counts;
    int nsnap;
    bool wait_app;        /* a rebalance op is out; its ack moves us on */
    int pending_event;    /* the event of that op */
    bool revoke_then_join;
    bool lost_pending;    /* a LOST is out */
    bool poll_exceeded;   /* left because the app stopped polling */
    /* Leader's join result, kept while waiting for metadata. */
    kc__asg_member *members;
    int nmembers;
    int64_t wait_md_until;
    /* Leave (close or unsubscribe). */
    bool closing;         /* kc_consumer_close(): leave for good */
    bool leaving;
    atomic_bool left;
    int64_t leave_deadline;
    /* Commits and committed-offset fetches waiting for the coordinator. */
    kc__op_commit **commits;
    int ncommits;
    struct ofetch **fetches;
    int nfetches;
    bool stored_inflight; /* OffsetFetch for assigned partitions in flight */
    /* Topic names from full metadata (pattern subscriptions); md_lock. */
    pthread_mutex_t md_lock;
    char **all_topics;
    int nall;
    bool all_changed;
};

/* A committed-offset query: for kc_consumer_committed() (waiter) or for
 * the assigned partitions' start offsets (tps). */
typedef struct ofetch {
    kc_tplist_t *parts;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done, sync;
    kc_err_t err;
    char errstr[256];
    int64_t deadline;
    kc__ctp **tps;        /* start-offset query: the partitions and their versions */
    unsigned *versions;
} ofetch;

/* A request's context: what to encode and where the answer goes. */
typedef struct greq {
    kc__group *g;
    int16_t api;
    int32_t generation;
    char *member_id;
    kc__bytes *meta;      /* JoinGroup: metadata per assignor */
    kc__SyncGroupRequest_Assignment *asg; /* SyncGroup (leader) */
    int nasg;
    kc_tplist_t *offsets; /* OffsetCommit / OffsetFetch */
    kc__op_commit *commit;
    ofetch *fetch;
    char reason[128];
} greq;

/* A response handed to the main thread. */
typedef struct gresp {
    kc__op_call call;
    greq *q;
    int16_t ver;
    kc_err_t err;
    char errstr[256];
    void *resp;           /* the decoded answer (dispatch()), when err is 0 */
    size_t len;
    uint8_t body[];
} gresp;

static void set_state(kc__group *g, int st) {
    if (g->state == st) return;
    kc__log(g->cs->c, KC__LOG_DEBUG, "CGRP", "group %s: %s -> %s", g->cs->group_id,
            state_names[g->state], state_names[st]);
    g->state = st;
}

static void greq_free(greq *q) {
    if (!q) return;
    free(q->member_id);
    if (q->meta)
        for (int i = 0; i < q->g->nasg; i++) free((void *)q->meta[i].p);
    free(q->meta);
    for (int i = 0; i < q->nasg; i++) {
        free((void *)q->asg[i].member_id.p);
        free((void *)q->asg[i].assignment.p);
    }
    free(q->asg);
    kc_tplist_destroy(q->offsets);
    free(q);
}

static kc__str str_or_null(const char *s) { return s ? kc__str_c(s) : KC__STR_NULL; }

/* ------------------------------------------------------------ plumbing */

static void dispatch(kc__client *c, kc__op_call *op);

/* Broker thread: copies the answer and hands it to the main thread. */
static void on_group_resp(kc__broker *b, kc__req *r, kc_err_t err, kc__rd *body,
                          const char *errstr) {
    greq *q = r->arg;
    kc__client *c = q->g->cs->c;
    size_t len = !err && body ? kc__rd_left(body) : 0;
    gresp *rs = calloc(1, sizeof(*rs) + len);
    if (!rs) {
        err = KC_ERR__CRIT_SYS_RESOURCE;
        errstr = "out of memory";
        rs = calloc(1, sizeof(*rs));
        len = 0;
        if (!rs) abort(); /* nothing sane is left to do */
    }
    rs->q = q;
    rs->ver = r->ver;
    rs->err = err;
    snprintf(rs->errstr, sizeof rs->errstr, "%s", err ? errstr : "");
    rs->len = len;
    if (len) memcpy(rs->body, body->p, len);
    kc__req_free(r);
    rs->call.op.type = KC__OP_CALL;
    rs->call.fn = dispatch;
    /* At destroy the main thread may be gone: kc__client_stop() runs what
     * is left on its queue. */
    kc__q_push(&c->mainq, &rs->call.op);
    (void)b;
}

static int encode_group(kc__req *r, int16_t ver, kc__buf *body);

/* Sends a group request to broker `node` (the coordinator). */
static bool send_req(kc__group *g, greq *q, int32_t node, int64_t extra_timeout) {
    kc__client *c = g->cs->c;
    kc__broker *b = kc__client_broker_by_id(c, node);
    kc__req *r = b ? kc__req_new(c, q->api, encode_group, on_group_resp, q) : NULL;
    if (!r) {
        greq_free(q);
        return false;
    }
    q->g = g;
    r->deadline_ms += extra_timeout;
    if (q->api == KC__API_OFFSET_COMMIT || q->api == KC__API_OFFSET_FETCH) r->max_ver = 9;
    kc__broker_send(b, r);
    return true;
}

static greq *greq_new(kc__group *g, int16_t api) {
    greq *q = calloc(1, sizeof(*q));
    if (!q) return NULL;
    q->g = g;
    q->api = api;
    q->generation = g->generation;
    q->member_id = strdup(g->member_id ? g->member_id : "");
    if (!q->member_id) {
        free(q);
        return NULL;
    }
    return q;
}

/* ------------------------------------------------------------ encoding */

/* Groups a tplist by topic (entries must be sorted by topic). */
static int tpl_cmp(const void *a, const void *b) {
    const struct kc__tpl_entry *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

static int encode_commit(greq *q, int16_t ver, kc__buf *body) {
    kc__group *g = q->g;
    kc_tplist_t *l = q->offsets;
    kc__OffsetCommitRequest req;
    kc__OffsetCommitRequest_init(&req);
    req.group_id = kc__str_c(g->cs->group_id);
    req.generation_id_or_member_epoch = q->generation;
    req.member_id = kc__str_c(q->member_id);
    if (ver >= 7 && q->generation >= 0) req.group_instance_id = str_or_null(g->instance_id);
    kc__OffsetCommitRequest_Topic *ts = calloc((size_t)l->n + 1, sizeof(*ts));
    kc__OffsetCommitRequest_Partition *ps = calloc((size_t)l->n + 1, sizeof(*ps));
    int rc = KC__ENC_NOMEM;
    if (ts && ps) {
        int nt = 0;
        for (int i = 0; i < l->n; i++) {
            if (nt == 0 || strcmp(l->e[i - 1].topic, l->e[i].topic)) {
                kc__OffsetCommitRequest_Topic_init(&ts[nt]);
                ts[nt].name = kc__str_c(l->e[i].topic);
                ts[nt].partitions.items = &ps[i];
                nt++;
            }
            kc__OffsetCommitRequest_Partition_init(&ps[i]);
            ps[i].partition_index = l->e[i].partition;
            ps[i].committed_offset = l->e[i].offset;
            ps[i].committed_leader_epoch = l->e[i].leader_epoch;
            ps[i].committed_metadata = kc__str_c(l->e[i].metadata ? l->e[i].metadata : "");
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

static int encode_offset_fetch(greq *q, int16_t ver, kc__buf *body) {
    kc__group *g = q->g;
    kc_tplist_t *l = q->offsets;
    kc__OffsetFetchRequest req;
    kc__OffsetFetchRequest_init(&req);
    req.require_stable = ver >= 7 && g->cs->isolation == 1;
    int rc = KC__ENC_NOMEM;
    int32_t *parts = calloc((size_t)l->n + 1, sizeof(*parts));
    kc__OffsetFetchRequest_Topic *t0 = calloc((size_t)l->n + 1, sizeof(*t0));
    kc__OffsetFetchRequest_Topics *t8 = calloc((size_t)l->n + 1, sizeof(*t8));
    kc__OffsetFetchRequest_Group grp;
    if (parts && t0 && t8) {
        int nt = 0;
        for (int i = 0; i < l->n; i++) {
            if (nt == 0 || strcmp(l->e[i - 1].topic, l->e[i].topic)) {
                kc__OffsetFetchRequest_Topic_init(&t0[nt]);
                kc__OffsetFetchRequest_Topics_init(&t8[nt]);
                t0[nt].name = t8[nt].name = kc__str_c(l->e[i].topic);
                t0[nt].partition_indexes.items = t8[nt].partition_indexes.items = &parts[i];
                nt++;
            }
            parts[i] = l->e[i].partition;
            t0[nt - 1].partition_indexes.n++;
            t8[nt - 1].partition_indexes.n++;
        }
        if (ver >= 8) {
            kc__OffsetFetchRequest_Group_init(&grp);
            grp.group_id = kc__str_c(g->cs->group_id);
            grp.topics.n = nt;
            grp.topics.items = t8;
            req.groups.n = 1;
            req.groups.items = &grp;
        } else {
            req.group_id = kc__str_c(g->cs->group_id);
            req.topics.n = nt;
            req.topics.items = t0;
        }
        rc = kc__OffsetFetchRequest_encode(body, ver, &req);
    }
    free(parts);
    free(t0);
    free(t8);
    return rc;
}

static int encode_group(kc__req *r, int16_t ver, kc__buf *body) {
    greq *q = r->arg;
    kc__group *g = q->g;
    kc__consumer *cs = g->cs;
    kc__str gid = kc__str_c(cs->group_id);
    switch (q->api) {
    case KC__API_FIND_COORDINATOR: {
        kc__FindCoordinatorRequest req;
        kc__FindCoordinatorRequest_init(&req);
        if (ver >= 4) {
            req.coordinator_keys.n = 1;
            req.coordinator_keys.items = &gid;
        } else {
            req.key = gid;
        }
        return kc__FindCoordinatorRequest_encode(body, ver, &req);
    }
    case KC__API_JOIN_GROUP: {
        kc__JoinGroupRequest req;
        kc__JoinGroupRequest_init(&req);
        req.group_id = gid;
        req.session_timeout_ms = (int32_t)kc__conf_int(cs->c->conf, KC__CONF_SESSION_TIMEOUT_MS);
        req.rebalance_timeout_ms = (int32_t)kc__conf_int(cs->c->conf, KC__CONF_MAX_POLL_INTERVAL_MS);
        req.member_id = kc__str_c(q->member_id);
        if (ver >= 5) req.group_instance_id = str_or_null(g->instance_id);
        req.protocol_type = kc__str_c("consumer");
        if (ver >= 8) req.reason = kc__str_c(q->reason);
        kc__JoinGroupRequest_Protocol ps[MAX_ASSIGNORS];
        for (int i = 0; i < g->nasg; i++) {
            kc__JoinGroupRequest_Protocol_init(&ps[i]);
            ps[i].name = kc__str_c(g->asg[i]->name);
            ps[i].metadata = q->meta[i];
        }
        req.protocols.n = g->nasg;
        req.protocols.items = ps;
        return kc__JoinGroupRequest_encode(body, ver, &req);
    }
    case KC__API_SYNC_GROUP: {
        kc__SyncGroupRequest req;
        kc__SyncGroupRequest_init(&req);
        req.group_id = gid;
        req.generation_id = q->generation;
        req.member_id = kc__str_c(q->member_id);
        if (ver >= 3) req.group_instance_id = str_or_null(g->instance_id);
        if (ver >= 5) {
            req.protocol_type = kc__str_c("consumer");
            req.protocol_name = str_or_null(g->protocol);
        }
        req.assignments.n = q->nasg;
        req.assignments.items = q->asg;
        return kc__SyncGroupRequest_encode(body, ver, &req);
    }
    case KC__API_HEARTBEAT: {
        kc__HeartbeatRequest req;
        kc__HeartbeatRequest_init(&req);
        req.group_id = gid;
        req.generation_id = q->generation;
        req.member_id = kc__str_c(q->member_id);
        if (ver >= 3) req.group_instance_id = str_or_null(g->instance_id);
        return kc__HeartbeatRequest_encode(body, ver, &req);
    }
    case KC__API_LEAVE_GROUP: {
        kc__LeaveGroupRequest req;
        kc__LeaveGroupRequest_init(&req);
        req.group_id = gid;
        kc__LeaveGroupRequest_MemberIdentity m;
        kc__LeaveGroupRequest_MemberIdentity_init(&m);
        if (ver >= 3) {
            m.member_id = kc__str_c(q->member_id);
            m.group_instance_id = str_or_null(g->instance_id);
            if (ver >= 5) m.reason = kc__str_c(q->reason);
            req.members.n = 1;
            req.members.items = &m;
        } else {
            req.member_id = kc__str_c(q->member_id);
        }
        return kc__LeaveGroupRequest_encode(body, ver, &req);
    }
    case KC__API_OFFSET_COMMIT: return encode_commit(q, ver, body);
    case KC__API_OFFSET_FETCH: return encode_offset_fetch(q, ver, body);
    default: return KC__ENC_NOMEM;
    }
}

/* ------------------------------------------------------------ helpers */

static bool coord_error(kc_err_t err) {
    return err == KC_ERR_NOT_COORDINATOR || err == KC_ERR_COORDINATOR_NOT_AVAILABLE ||
           err == KC_ERR__TRANSPORT || err == KC_ERR__TIMED_OUT || err == KC_ERR_REQUEST_TIMED_OUT;
}

static void coord_lost(kc__group *g, const char *why) {
    if (g->coord_id < 0) return;
    kc__log(g->cs->c, KC__LOG_INFO, "CGRP", "group %s: coordinator %d lost: %s",
            g->cs->group_id, g->coord_id, why);
    g->coord_id = -1;
}

static void want_rejoin(kc__group *g, const char *why) {
    if (!g->rejoin)
        kc__log(g->cs->c, KC__LOG_DEBUG, "CGRP", "group %s: rejoin: %s", g->cs->group_id, why);
    g->rejoin = true;
    free(g->rejoin_reason);
    g->rejoin_reason = strdup(why);
}

static void set_member_id(kc__group *g, const char *p, int32_t len) {
    char *m = malloc((size_t)(len > 0 ? len : 0) + 1);
    if (!m) return;
    if (len > 0) memcpy(m, p, (size_t)len);
    m[len > 0 ? len : 0] = 0;
    pthread_mutex_lock(&g->cs->lock);
    free(g->member_id);
    g->member_id = m;
    pthread_mutex_unlock(&g->cs->lock);
}

static kc_tplist_t *tps_to_list(const kc__asg_tp *tps, int n) {
    kc_tplist_t *l = kc_tplist_new(n);
    for (int i = 0; l && i < n; i++) {
        int k = kc_tplist_add(l, tps[i].topic, tps[i].partition);
        if (k >= 0) l->e[k].offset = KC_OFFSET_STORED;
    }
    return l;
}

static bool tps_has(const kc__asg_tp *tps, int n, const char *topic, int32_t p) {
    for (int i = 0; i < n; i++)
        if (tps[i].partition == p && !strcmp(tps[i].topic, topic)) return true;
    return false;
}

static void rebalance_op_free(kc__op *op) {
    kc__op_rebalance *r = (kc__op_rebalance *)op;
    kc_tplist_destroy(r->parts);
    kc_tplist_destroy(r->assign_after);
    free(r);
}

/* Hands a rebalance event to the application; its ack comes back through
 * kc__group_rebalance_done(). */
static void post_rebalance(kc__group *g, int event, kc_tplist_t *parts, kc_tplist_t *after) {
    kc__op_rebalance *op = calloc(1, sizeof(*op));
    if (!op) {
        kc_tplist_destroy(parts);
        kc_tplist_destroy(after);
        return;
    }
    op->op.type = KC__OP_REBALANCE;
    op->op.free_fn = rebalance_op_free;
    op->event = event;
    op->parts = parts;
    op->assign_after = after;
    op->generation = g->generation;
    g->wait_app = true;
    g->pending_event = event;
    kc__log(g->cs->c, KC__LOG_DEBUG, "CGRP", "group %s: %s %d partition(s)%s", g->cs->group_id,
            event == KC_REBALANCE_ASSIGN ? "assigned" : event == KC_REBALANCE_REVOKE ? "revoking"
                                                                                     : "lost",
            kc_tplist_count(parts), after ? " (then assigning)" : "");
    /* Ahead of fetched records: the application must see it at its next
     * poll, not after everything already prefetched. */
    kc__q_push_prio(&g->cs->c->appq, &op->op);
}

static void clear_owned(kc__group *g) {
    kc__asg_tps_free(g->owned, g->nowned);
    g->owned = NULL;
    g->nowned = 0;
}

static void clear_members(kc__group *g) {
    for (int i = 0; i < g->nmembers; i++) kc__asg_member_clear(&g->members[i]);
    free(g->members);
    g->members = NULL;
    g->nmembers = 0;
}

/* ------------------------------------------------------------ subscription */

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The subscribed topic names now: plain names plus pattern matches. */
static char **resolve_topics(kc__group *g, int *np) {
    kc__consumer *cs = g->cs;
    pthread_mutex_lock(&cs->lock);
    pthread_mutex_lock(&g->md_lock);
    int cap = cs->nsub + g->nall + 1, n = 0;
    char **out = calloc((size_t)cap, sizeof(*out));
    bool any_re = false;
    for (int i = 0; out && i < cs->nsub; i++) {
        if (cs->sub_is_re[i]) {
            any_re = true;
            for (int k = 0; k < g->nall; k++)
                if (!regexec(&cs->sub_re[i], g->all_topics[k], 0, NULL, 0))
                    out[n++] = strdup(g->all_topics[k]);
        } else {
            out[n++] = strdup(cs->sub[i]);
        }
    }
    pthread_mutex_unlock(&g->md_lock);
    pthread_mutex_unlock(&cs->lock);
    if (atomic_exchange(&cs->c->md_all_topics, any_re) != any_re && any_re)
        kc__client_refresh_metadata(cs->c, "pattern subscription");
    if (!out) {
        *np = 0;
        return NULL;
    }
    qsort(out, (size_t)n, sizeof(*out), cmp_str);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!out[i] || (k > 0 && !strcmp(out[k - 1], out[i]))) {
            free(out[i]);
            continue;
        }
        out[k++] = out[i];
    }
    *np = k;
    return out;
}

static void free_strs(char **v, int n) {
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* Partition count of a topic from metadata: -1 unknown yet, 0 missing. */
static int32_t partition_count(kc__client *c, const char *name) {
    kc__topic *t = kc__topic_get(c, name);
    if (!t) return -1;
    pthread_rwlock_rdlock(&c->topics_lock);
    int32_t n = t->state == KC__TOPIC_EXISTS ? t->npartitions : t->state == KC__TOPIC_ERROR ? 0 : -1;
    pthread_rwlock_unlock(&c->topics_lock);
    return n;
}

/* Re-reads the subscription; wants a rejoin when the topic set changed,
 * or (leader) when a partition count changed since the assignment. */
static void check_subscription(kc__group *g) {
    int n;
    char **topics = resolve_topics(g, &n);
    bool changed = n != g->ntopics;
    for (int i = 0; !changed && i < n; i++) changed = strcmp(topics[i], g->topics[i]) != 0;
    if (changed) {
        free_strs(g->topics, g->ntopics);
        g->topics = topics;
        g->ntopics = n;
        for (int i = 0; i < n; i++) partition_count(g->cs->c, topics[i]); /* wants metadata */
        if (g->state != G_INIT) want_rejoin(g, "subscription changed");
    } else {
        free_strs(topics, n);
    }
    if (!g->leader || g->state != G_STABLE) return;
    for (int i = 0; i < g->nsnap; i++) {
        int32_t pc = partition_count(g->cs->c, g->snap[i]);
        if (pc >= 0 && pc != g->snap_counts[i]) {
            g->snap_counts[i] = pc;
            want_rejoin(g, "partition count of a subscribed topic changed");
        }
    }
}

static void clear_snap(kc__group *g) {
    free_strs(g->snap, g->nsnap);
    free(g->snap_counts);
    g->snap = NULL;
    g->snap_counts = NULL;
    g->nsnap = 0;
}

/* ------------------------------------------------------------ coordinator */

static void find_coordinator(kc__group *g, int64_t now) {
    if (g->coord_inflight || now < g->coord_retry_at) return;
    kc__broker *b = kc__client_any_broker(g->cs->c);
    greq *q = b ? greq_new(g, KC__API_FIND_COORDINATOR) : NULL;
    if (!q) return;
    g->coord_inflight = true;
    if (!send_req(g, q, b->id, 0)) g->coord_inflight = false;
}

/* send_req needs a node id; bootstrap brokers have negative ids, which
 * kc__client_broker_by_id() also finds. */

static void on_find_coordinator(kc__group *g, gresp *rs) {
    kc__client *c = g->cs->c;
    g->coord_inflight = false;
    const kc__FindCoordinatorResponse *resp = rs->resp;
    kc_err_t err = rs->err;
    int32_t node = -1;
    char host[KC__HOST_MAX] = "";
    int port = 0;
    if (!err) {
        const kc__FindCoordinatorResponse_Coordinator *k =
            rs->ver >= 4 && resp->coordinators.n > 0 ? &resp->coordinators.items[0] : NULL;
        err = (kc_err_t)(k ? k->error_code : resp->error_code);
        node = k ? k->node_id : resp->node_id;
        kc__str h = k ? k->host : resp->host;
        port = k ? k->port : resp->port;
        snprintf(host, sizeof host, "%.*s", h.len > 0 ? (int)h.len : 0, h.p ? h.p : "");
    }
    if (err) {
        g->coord_retry_at = kc__mono_ms() + 500;
        if (err != KC_ERR__DESTROY)
            kc__log(c, g->coord_retry_logged++ ? KC__LOG_DEBUG : KC__LOG_INFO, "CGRP",
                    "group %s: no coordinator yet: %s%s%s",
                    g->cs->group_id, kc_err_name(err), rs->err ? ": " : "", rs->errstr);
        if (err == KC_ERR_GROUP_AUTHORIZATION_FAILED || err == KC_ERR_INVALID_GROUP_ID)
            kc__client_error(c, err, 0, "group %s: %s", g->cs->group_id, kc_err_desc(err));
        return;
    }
    g->coord_retry_logged = 0;
    /* A connection of its own: on the leader's connection a commit or
     * heartbeat would wait behind the long-polling Fetch (fetch.max.wait.ms). */
    g->coord_id = node;
    kc__client_add_broker(c, KC__COORD_BROKER_ID(node), host, port);
    kc__log(c, KC__LOG_DEBUG, "CGRP", "group %s: coordinator is %s:%d (node %d)", g->cs->group_id,
            host, port, node);
}

/* ------------------------------------------------------------ join / sync */

static void send_join(kc__group *g) {
    kc__client *c = g->cs->c;
    greq *q = greq_new(g, KC__API_JOIN_GROUP);
    if (!q) return;
    q->meta = calloc((size_t)g->nasg, sizeof(*q->meta));
    const char *rack = kc__conf_str(c->conf, KC__CONF_CLIENT_RACK);
    for (int i = 0; q->meta && i < g->nasg; i++) {
        uint8_t *p = NULL;
        size_t len = 0;
        bool coop = g->asg[i]->protocol == KC__REBALANCE_COOPERATIVE;
        if (kc__consumer_subscription_encode(3, (const char *const *)g->topics, g->ntopics,
                                             coop ? g->owned : NULL, coop ? g->nowned : 0,
                                             coop ? g->generation : -1, *rack ? rack : NULL, &p,
                                             &len)) {
            greq_free(q);
            return;
        }
        q->meta[i].p = p;
        q->meta[i].len = (int32_t)len;
    }
    if (!q->meta) {
        greq_free(q);
        return;
    }
    snprintf(q->reason, sizeof q->reason, "%s", g->rejoin_reason ? g->rejoin_reason : "joining");
    g->rejoin = false;
    g->inflight = true;
    set_state(g, G_JOIN);
    /* The coordinator may hold a join for the whole rebalance timeout. */
    if (!send_req(g, q, KC__COORD_BROKER_ID(g->coord_id), kc__conf_int(c->conf, KC__CONF_MAX_POLL_INTERVAL_MS) + 5000)) {
        g->inflight = false;
        set_state(g, G_COORD);
    }
}

/* Leader: runs the assignor once every member topic has metadata. Returns
 * false while waiting for metadata. */
static bool run_assignor(kc__group *g, greq **qp) {
    kc__client *c = g->cs->c;
    const kc__assignor *as = NULL;
    for (int i = 0; i < g->nasg; i++)
        if (g->protocol && !strcmp(g->asg[i]->name, g->protocol)) as = g->asg[i];
    /* Every topic any member wants. */
    int cap = 0, nt = 0;
    for (int i = 0; i < g->nmembers; i++) cap += g->members[i].ntopics;
    kc__asg_topic *topics = calloc((size_t)cap + 1, sizeof(*topics));
    bool waiting = false;
    for (int i = 0; topics && i < g->nmembers; i++)
        for (int k = 0; k < g->members[i].ntopics; k++) {
            const char *name = g->members[i].topics[k];
            bool dup = false;
            for (int j = 0; j < nt && !dup; j++) dup = !strcmp(topics[j].name, name);
            if (dup) continue;
            int32_t pc = partition_count(c, name);
            if (pc < 0) waiting = true;
            topics[nt].name = name;
            topics[nt++].partition_cnt = pc;
        }
    if (waiting && kc__mono_ms() < g->wait_md_until) {
        free(topics);
        kc__client_refresh_metadata(c, "group leader: member topics");
        return false;
    }
    /* Remember what was assigned: a later change of a count means a rebalance. */
    clear_snap(g);
    g->snap = calloc((size_t)nt + 1, sizeof(*g->snap));
    g->snap_counts = calloc((size_t)nt + 1, sizeof(*g->snap_counts));
    for (int i = 0; g->snap && g->snap_counts && i < nt; i++) {
        g->snap[i] = strdup(topics[i].name);
        g->snap_counts[i] = topics[i].partition_cnt < 0 ? 0 : topics[i].partition_cnt;
        if (g->snap[i]) g->nsnap++;
    }
    int k = 0;
    for (int i = 0; topics && i < nt; i++)
        if (topics[i].partition_cnt > 0) topics[k++] = topics[i];
    nt = k;
    greq *q = greq_new(g, KC__API_SYNC_GROUP);
    char errstr[256] = "";
    kc_err_t err = !topics || !q ? KC_ERR__CRIT_SYS_RESOURCE
                   : !as         ? KC_ERR__UNKNOWN_PROTOCOL
                                 : as->assign(g->members, g->nmembers, topics, nt, errstr,
                                              sizeof errstr);
    free(topics);
    if (!err) {
        q->asg = calloc((size_t)g->nmembers + 1, sizeof(*q->asg));
        for (int i = 0; q->asg && i < g->nmembers; i++) {
            kc__SyncGroupRequest_Assignment *sa = &q->asg[q->nasg];
            kc__SyncGroupRequest_Assignment_init(sa);
            uint8_t *p = NULL;
            size_t len = 0;
            char *mid = strdup(g->members[i].member_id);
            if (!mid || kc__consumer_assignment_encode(3, g->members[i].assigned,
                                                       g->members[i].nassigned, &p, &len)) {
                free(mid);
                err = KC_ERR__CRIT_SYS_RESOURCE;
                break;
            }
            sa->member_id = kc__str_c(mid);
            sa->assignment.p = p;
            sa->assignment.len = (int32_t)len;
            q->nasg++;
        }
        if (!q->asg) err = KC_ERR__CRIT_SYS_RESOURCE;
    }
    if (err) {
        kc__client_error(c, err, 0, "group %s: assignor %s failed: %s", g->cs->group_id,
                         g->protocol ? g->protocol : "(none)", errstr[0] ? errstr : kc_err_desc(err));
        greq_free(q);
        q = NULL;
    } else {
        for (int i = 0; i < g->nmembers; i++)
            kc__log(c, KC__LOG_DEBUG, "CGRP", "group %s: %s assigns %d partition(s) to %s",
                    g->cs->group_id, g->protocol, g->members[i].nassigned,
                    g->members[i].member_id);
    }
    clear_members(g);
    *qp = q;
    return true;
}

static void send_sync(kc__group *g, greq *q) {
    if (!q) q = greq_new(g, KC__API_SYNC_GROUP);
    if (!q) {
        want_rejoin(g, "out of memory");
        set_state(g, G_COORD);
        return;
    }
    q->generation = g->generation;
    g->inflight = true;
    set_state(g, G_SYNC);
    if (!send_req(g, q, KC__COORD_BROKER_ID(g->coord_id), 0)) {
        g->inflight = false;
        want_rejoin(g, "coordinator unavailable for SyncGroup");
        set_state(g, G_COORD);
    }
}

/* Errors that end our membership: the partitions are lost. */
static void member_lost(kc__group *g, kc_err_t err, const char *what) {
    kc__client *c = g->cs->c;
    kc__log(c, KC__LOG_INFO, "CGRP", "group %s: %s: %s: rejoining", g->cs->group_id, what,
            kc_err_name(err));
    if (err == KC_ERR_UNKNOWN_MEMBER_ID || err == KC_ERR_FENCED_INSTANCE_ID)
        set_member_id(g, "", 0);
    g->generation = -1;
    if (err == KC_ERR_FENCED_INSTANCE_ID) {
        kc__client_error(c, KC_ERR__FENCED, KC__ERROR_FATAL,
                         "group %s: another consumer uses group.instance.id %s", g->cs->group_id,
                         g->instance_id ? g->instance_id : "");
    }
    if (g->nowned > 0 && !g->wait_app) {
        post_rebalance(g, KC_REBALANCE_LOST, tps_to_list(g->owned, g->nowned), NULL);
        clear_owned(g);
        g->lost_pending = true;
    }
    want_rejoin(g, what);
    set_state(g, G_COORD);
}

static void on_join(kc__group *g, gresp *rs) {
    kc__client *c = g->cs->c;
    g->inflight = false;
    const kc__JoinGroupResponse *resp = rs->resp;
    kc_err_t err = rs->err;
    if (!err) err = (kc_err_t)resp->error_code;
    if (g->leaving || g->state != G_JOIN) {
        return;
    }
    switch ((int)err) {
    case KC_ERR_NO_ERROR: break;
    case KC_ERR_MEMBER_ID_REQUIRED:
        set_member_id(g, resp->member_id.p, resp->member_id.len);
        want_rejoin(g, "member id assigned");
        set_state(g, G_COORD);
        return;
    case KC_ERR_UNKNOWN_MEMBER_ID:
    case KC_ERR_ILLEGAL_GENERATION:
    case KC_ERR_FENCED_INSTANCE_ID:
        member_lost(g, err, "JoinGroup");
        return;
    default:
        if (coord_error(err)) coord_lost(g, kc_err_name(err));
        if (err != KC_ERR_REBALANCE_IN_PROGRESS && !coord_error(err) &&
            err != KC_ERR_COORDINATOR_LOAD_IN_PROGRESS && err != KC_ERR__DESTROY)
            kc__client_error(c, err, 0, "group %s: JoinGroup failed: %s%s%s", g->cs->group_id,
                             kc_err_desc(err), rs->err ? ": " : "", rs->errstr);
        g->retry_at = kc__mono_ms() + (err == KC_ERR_REBALANCE_IN_PROGRESS ? 0 : 1000);
        want_rejoin(g, kc_err_name(err));
        set_state(g, G_COORD);
        return;
    }
    set_member_id(g, resp->member_id.p, resp->member_id.len);
    g->generation = resp->generation_id;
    free(g->protocol);
    g->protocol = resp->protocol_name.len > 0 ? strndup(resp->protocol_name.p, (size_t)resp->protocol_name.len)
                                             : NULL;
    g->leader = resp->leader.len == resp->member_id.len &&
                !memcmp(resp->leader.p, resp->member_id.p, (size_t)resp->member_id.len);
    kc__log(c, KC__LOG_DEBUG, "CGRP", "group %s: joined generation %d as %s%s (%d member(s), %s)",
            g->cs->group_id, g->generation, g->member_id, g->leader ? ", leader" : "",
            resp->members.n, g->protocol ? g->protocol : "?");
    clear_members(g);
    if (g->leader && !resp->skip_assignment) {
        g->members = calloc((size_t)resp->members.n + 1, sizeof(*g->members));
        for (int32_t i = 0; g->members && i < resp->members.n; i++) {
            const kc__JoinGroupResponse_Member *m = &resp->members.items[i];
            kc__asg_member *am = &g->members[g->nmembers];
            am->member_id = strndup(m->member_id.p ? m->member_id.p : "",
                                    (size_t)(m->member_id.len > 0 ? m->member_id.len : 0));
            am->instance_id = m->group_instance_id.len >= 0
                                  ? strndup(m->group_instance_id.p ? m->group_instance_id.p : "",
                                            (size_t)m->group_instance_id.len)
                                  : NULL;
            am->generation = -1;
            if (kc__consumer_subscription_decode(m->metadata.p, (size_t)(m->metadata.len > 0 ? m->metadata.len : 0), am)) {
                kc__log(c, KC__LOG_WARNING, "CGRP", "group %s: member %s sent malformed "
                        "subscription metadata: ignored", g->cs->group_id, am->member_id);
            }
            g->nmembers++;
        }
        g->wait_md_until = kc__mono_ms() + 5000;
        set_state(g, G_WAIT_MD);
    } else {
        send_sync(g, NULL);
    }
}

static void on_sync(kc__group *g, gresp *rs) {
    kc__client *c = g->cs->c;
    g->inflight = false;
    const kc__SyncGroupResponse *resp = rs->resp;
    kc_err_t err = rs->err;
    if (!err) err = (kc_err_t)resp->error_code;
    if (g->leaving || g->state != G_SYNC) {
        return;
    }
    kc__asg_tp *tps = NULL;
    int n = 0;
    if (!err && kc__consumer_assignment_decode(resp->assignment.p,
                                               (size_t)(resp->assignment.len > 0 ? resp->assignment.len : 0),
                                               &tps, &n))
        err = KC_ERR__BAD_MSG;
    if (err) {
        if (err == KC_ERR_UNKNOWN_MEMBER_ID || err == KC_ERR_ILLEGAL_GENERATION ||
            err == KC_ERR_FENCED_INSTANCE_ID) {
            member_lost(g, err, "SyncGroup");
            return;
        }
        if (coord_error(err)) coord_lost(g, kc_err_name(err));
        if (err != KC_ERR_REBALANCE_IN_PROGRESS && !coord_error(err))
            kc__client_error(c, err, 0, "group %s: SyncGroup failed: %s", g->cs->group_id,
                             kc_err_desc(err));
        want_rejoin(g, "SyncGroup failed");
        set_state(g, G_COORD);
        return;
    }
    /* Only partitions of topics we subscribe to (a leader may be confused). */
    if (g->kind == KC__REBALANCE_EAGER) {
        clear_owned(g);
        g->owned = tps;
        g->nowned = n;
        post_rebalance(g, KC_REBALANCE_ASSIGN, tps_to_list(tps, n), NULL);
    } else {
        kc__asg_tp *added = calloc((size_t)n + 1, sizeof(*added));
        kc__asg_tp *revoked = calloc((size_t)g->nowned + 1, sizeof(*revoked));
        int na = 0, nr = 0;
        for (int i = 0; added && i < n; i++)
            if (!tps_has(g->owned, g->nowned, tps[i].topic, tps[i].partition)) added[na++] = tps[i];
        for (int i = 0; revoked && i < g->nowned; i++)
            if (!tps_has(tps, n, g->owned[i].topic, g->owned[i].partition))
                revoked[nr++] = g->owned[i];
        kc_tplist_t *al = tps_to_list(added, na), *rl = tps_to_list(revoked, nr);
        free(added);
        free(revoked);
        if (nr > 0) {
            post_rebalance(g, KC_REBALANCE_REVOKE, rl, al);
            g->revoke_then_join = true; /* revoked partitions go to others in a second round */
        } else {
            kc_tplist_destroy(rl);
            post_rebalance(g, KC_REBALANCE_ASSIGN, al, NULL);
        }
        clear_owned(g);
        g->owned = tps;
        g->nowned = n;
    }
    set_state(g, G_WAIT_APP);
    g->hb_next = kc__mono_ms() + kc__conf_int(c->conf, KC__CONF_HEARTBEAT_INTERVAL_MS);
}

/* ------------------------------------------------------------ heartbeat */

static void send_heartbeat(kc__group *g, int64_t now) {
    greq *q = greq_new(g, KC__API_HEARTBEAT);
    if (!q) return;
    g->hb_inflight = true;
    g->hb_next = now + kc__conf_int(g->cs->c->conf, KC__CONF_HEARTBEAT_INTERVAL_MS);
    if (!send_req(g, q, KC__COORD_BROKER_ID(g->coord_id), 0)) g->hb_inflight = false;
}

static void on_heartbeat(kc__group *g, gresp *rs) {
    g->hb_inflight = false;
    const kc__HeartbeatResponse *resp = rs->resp;
    kc_err_t err = rs->err;
    if (!err) err = (kc_err_t)resp->error_code;
    if (!err || g->leaving || rs->q->generation != g->generation) return;
    if (err == KC_ERR_REBALANCE_IN_PROGRESS) {
        if (g->state == G_STABLE || g->state == G_WAIT_APP) want_rejoin(g, "group is rebalancing");
    } else if (err == KC_ERR_UNKNOWN_MEMBER_ID || err == KC_ERR_ILLEGAL_GENERATION ||
               err == KC_ERR_FENCED_INSTANCE_ID) {
        if (g->state == G_STABLE || g->state == G_WAIT_APP) member_lost(g, err, "Heartbeat");
    } else if (coord_error(err)) {
        coord_lost(g, kc_err_name(err));
    } else if (err != KC_ERR__DESTROY) {
        kc__log(g->cs->c, KC__LOG_INFO, "CGRP", "group %s: heartbeat failed: %s",
                g->cs->group_id, kc_err_name(err));
    }
}

/* ------------------------------------------------------------ leave */

/* The member is out of the group: closed for good, or (unsubscribe,
 * max.poll.interval.ms) ready to join again when the app wants. */
static void finish_leave(kc__group *g) {
    g->generation = -1;
    g->leaving = false;
    if (g->closing) {
        set_state(g, G_INIT);
        atomic_store(&g->left, true);
        return;
    }
    pthread_mutex_lock(&g->cs->lock);
    int nsub = g->cs->nsub;
    g->cs->subscribed = nsub > 0;
    pthread_mutex_unlock(&g->cs->lock);
    set_state(g, nsub > 0 ? G_COORD : G_INIT);
    if (nsub > 0) want_rejoin(g, "subscribed again");
}

static void send_leave(kc__group *g) {
    if (g->instance_id || g->coord_id < 0 || !g->member_id || !*g->member_id) {
        /* Static members keep their slot until session.timeout.ms. */
        finish_leave(g);
        return;
    }
    greq *q = greq_new(g, KC__API_LEAVE_GROUP);
    if (!q) {
        finish_leave(g);
        return;
    }
    snprintf(q->reason, sizeof q->reason, "%s",
             g->poll_exceeded ? "max.poll.interval.ms exceeded" : "consumer closing");
    g->inflight = true;
    if (!send_req(g, q, KC__COORD_BROKER_ID(g->coord_id), 0)) {
        g->inflight = false;
        finish_leave(g);
    }
}

static void on_leave(kc__group *g, gresp *rs) {
    g->inflight = false;
    kc__log(g->cs->c, KC__LOG_DEBUG, "CGRP", "group %s: left the group%s%s", g->cs->group_id,
            rs->err ? ": " : "", rs->errstr);
    set_member_id(g, "", 0);
    if (!g->poll_exceeded) finish_leave(g);
}

/* ------------------------------------------------------------ commits */

static void commit_done(kc__group *g, kc__op_commit *cm, kc_err_t err, const char *errstr) {
    kc__consumer *cs = g->cs;
    cm->err = err;
    snprintf(cm->errstr, sizeof cm->errstr, "%s", errstr);
    if (!err) {
        pthread_mutex_lock(&cs->lock);
        for (int i = 0; i < cm->offsets->n; i++) {
            kc__ctp *tp = kc__ctp_find(cs, cm->offsets->e[i].topic, strlen(cm->offsets->e[i].topic),
                                       cm->offsets->e[i].partition);
            if (tp && !cm->offsets->e[i].err) tp->committed = cm->offsets->e[i].offset;
        }
        pthread_mutex_unlock(&cs->lock);
    } else if (cm->autocommit && err != KC_ERR__DESTROY) {
        kc__log(cs->c, KC__LOG_WARNING, "COMMIT", "group %s: automatic commit failed: %s",
                cs->group_id, errstr);
    }
    if (cm->waiter) {
        kc__commit_wait *w = cm->waiter;
        pthread_mutex_lock(&w->lock);
        w->err = err;
        snprintf(w->errstr, sizeof w->errstr, "%s", errstr);
        w->result = cm->offsets;
        cm->offsets = NULL;
        w->done = true;
        pthread_cond_broadcast(&w->cond);
        pthread_mutex_unlock(&w->lock);
        kc__op_free(&cm->op);
        return;
    }
    if (cs->c->conf->offset_commit_cb) {
        kc__q_push(&cs->c->appq, &cm->op);
        return;
    }
    kc__op_free(&cm->op);
}

static void send_commit(kc__group *g, kc__op_commit *cm) {
    greq *q = greq_new(g, KC__API_OFFSET_COMMIT);
    if (!q) {
        commit_done(g, cm, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return;
    }
    /* A group-managed member commits with its generation; a consumer that
     * assigned partitions itself commits as a "simple" one. */
    if (!g->cs->subscribed && g->generation < 0) {
        q->generation = -1;
        q->member_id[0] = 0;
    }
    q->offsets = kc_tplist_copy(cm->offsets);
    q->commit = cm;
    if (!q->offsets) {
        greq_free(q);
        commit_done(g, cm, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return;
    }
    if (!send_req(g, q, KC__COORD_BROKER_ID(g->coord_id), 0)) commit_done(g, cm, KC_ERR__TRANSPORT, "no coordinator");
}

static void on_commit(kc__group *g, gresp *rs) {
    kc__op_commit *cm = rs->q->commit;
    const kc__OffsetCommitResponse *resp = rs->resp;
    kc_err_t err = rs->err;
    char why[256];
    snprintf(why, sizeof why, "%s", rs->errstr);
    for (int32_t t = 0; !err && t < resp->topics.n; t++) {
        const kc__OffsetCommitResponse_Topic *rt = &resp->topics.items[t];
        for (int32_t p = 0; p < rt->partitions.n; p++) {
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)rt->name.len, rt->name.p);
            int k = kc_tplist_find(cm->offsets, name, rt->partitions.items[p].partition_index);
            kc_err_t perr = (kc_err_t)rt->partitions.items[p].error_code;
            if (k >= 0) cm->offsets->e[k].err = perr;
            if (perr && !err) {
                err = perr;
                snprintf(why, sizeof why, "%.200s [%d]: %.40s", name,
                         rt->partitions.items[p].partition_index, kc_err_desc(perr));
            }
        }
    }
    if (err && !why[0]) snprintf(why, sizeof why, "%s", kc_err_desc(err));
    if (err && (coord_error(err) || err == KC_ERR_COORDINATOR_LOAD_IN_PROGRESS) &&
        kc__mono_ms() < cm->deadline) {
        if (coord_error(err)) coord_lost(g, kc_err_name(err));
        for (int i = 0; i < cm->offsets->n; i++) cm->offsets->e[i].err = 0;
        kc__op_commit **a2 = realloc(g->commits, sizeof(*a2) * (size_t)(g->ncommits + 1));
        if (a2) {
            g->commits = a2;
            g->commits[g->ncommits++] = cm; /* resent once the coordinator is back */
            return;
        }
    }
    if (err == KC_ERR_ILLEGAL_GENERATION || err == KC_ERR_UNKNOWN_MEMBER_ID ||
        err == KC_ERR_REBALANCE_IN_PROGRESS)
        snprintf(why + strlen(why), sizeof why - strlen(why),
                 " (the group rebalanced: these partitions may belong to another member now)");
    commit_done(g, cm, err, why);
}

/* App thread -> main: a commit to send. */
static void commit_call(kc__client *c, kc__op_call *op) {
    kc__group *g = kc__cons(c)->grp;
    kc__op_commit *cm = op->arg;
    if (atomic_load(&c->terminate)) {
        commit_done(g, cm, KC_ERR__DESTROY, "consumer destroyed");
        return;
    }
    kc__op_commit **a = realloc(g->commits, sizeof(*a) * (size_t)(g->ncommits + 1));
    if (!a) {
        commit_done(g, cm, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return;
    }
    g->commits = a;
    g->commits[g->ncommits++] = cm;
}

static void commit_op_free(kc__op *op) {
    kc__op_commit *cm = (kc__op_commit *)op;
    kc_tplist_destroy(cm->offsets);
    free(cm);
}

void kc__group_commit(kc__consumer *cs, kc_tplist_t *offsets, kc__commit_wait *w, bool autocommit) {
    kc__op_commit *cm = calloc(1, sizeof(*cm));
    if (!cm) {
        kc_tplist_destroy(offsets);
        if (w) {
            pthread_mutex_lock(&w->lock);
            w->err = KC_ERR__CRIT_SYS_RESOURCE;
            w->done = true;
            pthread_mutex_unlock(&w->lock);
        }
        return;
    }
    qsort(offsets->e, (size_t)offsets->n, sizeof(*offsets->e), tpl_cmp);
    cm->op.type = KC__OP_COMMIT;
    cm->op.free_fn = commit_op_free;
    cm->offsets = offsets;
    cm->waiter = w;
    cm->autocommit = autocommit;
    cm->deadline = kc__mono_ms() + kc__conf_int(cs->c->conf, KC__CONF_DEFAULT_API_TIMEOUT_MS);
    kc__cons_call_main(cs->c, commit_call, cm, 0);
    kc__client_wake_main(cs->c);
}

/* Main thread: positions that moved since the last commit. */
static void autocommit(kc__group *g, int64_t now) {
    kc__consumer *cs = g->cs;
    int64_t iv = kc__conf_int(cs->c->conf, KC__CONF_AUTO_COMMIT_INTERVAL_MS);
    if (!cs->auto_commit || now < g->next_autocommit || !*cs->group_id) return;
    g->next_autocommit = now + (iv > 0 ? iv : 1000);
    if (cs->subscribed && g->state != G_STABLE) return;
    pthread_mutex_lock(&cs->lock);
    kc_tplist_t *l = kc_tplist_new(cs->nassigned);
    for (int i = 0; l && i < cs->nassigned; i++) {
        kc__ctp *tp = cs->assigned[i];
        int32_t epoch;
        int64_t pos = kc__ctp_commit_pos(tp, cs->auto_store, &epoch);
        if (pos < 0 || pos == tp->committed) continue;
        int k = kc_tplist_add(l, tp->topic->name, tp->partition);
        if (k >= 0) {
            l->e[k].offset = pos;
            l->e[k].leader_epoch = epoch;
        }
    }
    pthread_mutex_unlock(&cs->lock);
    if (!l || l->n == 0) {
        kc_tplist_destroy(l);
        return;
    }
    kc__op_commit *cm = calloc(1, sizeof(*cm));
    if (!cm) {
        kc_tplist_destroy(l);
        return;
    }
    qsort(l->e, (size_t)l->n, sizeof(*l->e), tpl_cmp);
    cm->op.type = KC__OP_COMMIT;
    cm->op.free_fn = commit_op_free;
    cm->offsets = l;
    cm->autocommit = true;
    cm->deadline = now + iv;
    kc__op_commit **a = realloc(g->commits, sizeof(*a) * (size_t)(g->ncommits + 1));
    if (!a) {
        kc__op_free(&cm->op);
        return;
    }
    g->commits = a;
    g->commits[g->ncommits++] = cm;
}

/* ------------------------------------------------------------ offset fetch */

static void ofetch_free(ofetch *f) {
    kc_tplist_destroy(f->parts);
    free(f->tps);
    free(f->versions);
    free(f);
}

static void ofetch_done(kc__group *g, ofetch *f, kc_err_t err, const char *why) {
    kc__consumer *cs = g->cs;
    if (f->sync) {
        pthread_mutex_lock(&f->lock);
        f->err = err;
        snprintf(f->errstr, sizeof f->errstr, "%s", why);
        f->done = true;
        pthread_cond_broadcast(&f->cond);
        pthread_mutex_unlock(&f->lock);
        return;
    }
    /* Start offsets of assigned partitions. */
    g->stored_inflight = false;
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < f->parts->n; i++) {
        kc__ctp *tp = f->tps[i];
        tp->querying = false;
        if (atomic_load(&tp->version) != f->versions[i] || tp->fstate != KC__FS_QUERY ||
            tp->want_offset != KC_OFFSET_STORED)
            continue;
        kc_err_t perr = err ? err : f->parts->e[i].err;
        int64_t off = f->parts->e[i].offset;
        if (perr) {
            tp->retry_at = kc__mono_ms() + 500;
            continue;
        }
        if (off >= 0) {
            tp->fstate = KC__FS_ACTIVE;
            tp->retry_at = 0;
            tp->fetch_pos = off;
            tp->committed = off;
            atomic_store(&tp->app_pos, off);
            kc__log(cs->c, KC__LOG_DEBUG, "OFFSET", "%s [%d]: starting at committed offset %lld",
                    tp->topic->name, tp->partition, (long long)off);
        } else {
            tp->want_offset = cs->reset; /* offsets.c resets it (or stops on 'error') */
        }
    }
    pthread_mutex_unlock(&cs->lock);
    kc__client_wake_all_brokers(cs->c);
    ofetch_free(f);
}

static void send_offset_fetch(kc__group *g, ofetch *f) {
    greq *q = greq_new(g, KC__API_OFFSET_FETCH);
    if (q) q->offsets = kc_tplist_copy(f->parts);
    if (!q || !q->offsets) {
        greq_free(q);
        ofetch_done(g, f, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return;
    }
    q->fetch = f;
    if (!send_req(g, q, KC__COORD_BROKER_ID(g->coord_id), 0)) ofetch_done(g, f, KC_ERR__TRANSPORT, "no coordinator");
}

static void on_offset_fetch(kc__group *g, gresp *rs) {
    ofetch *f = rs->q->fetch;
    const kc__OffsetFetchResponse *resp = rs->resp;
    kc_err_t err = rs->err;
    if (!err && rs->ver >= 8)
        err = resp->groups.n > 0 ? (kc_err_t)resp->groups.items[0].error_code : KC_ERR__BAD_MSG;
    else if (!err)
        err = (kc_err_t)resp->error_code;
    for (int i = 0; i < f->parts->n; i++) {
        f->parts->e[i].offset = KC_OFFSET_INVALID;
        f->parts->e[i].err = err ? err : KC_ERR_NO_ERROR;
    }
    if (!err) {
        /* v8+: groups[0].topics[].partitions[]; v0-7: topics[].partitions[]. */
        int32_t nt = rs->ver >= 8 ? resp->groups.items[0].topics.n : resp->topics.n;
        for (int32_t t = 0; t < nt; t++) {
            kc__str name = rs->ver >= 8 ? resp->groups.items[0].topics.items[t].name
                                        : resp->topics.items[t].name;
            int32_t np = rs->ver >= 8 ? resp->groups.items[0].topics.items[t].partitions.n
                                      : resp->topics.items[t].partitions.n;
            char tn[256];
            snprintf(tn, sizeof tn, "%.*s", (int)(name.len > 0 ? name.len : 0), name.p ? name.p : "");
            for (int32_t p = 0; p < np; p++) {
                int32_t idx;
                int64_t off;
                int16_t perr;
                kc__str md;
                if (rs->ver >= 8) {
                    const kc__OffsetFetchResponse_Partitions *x =
                        &resp->groups.items[0].topics.items[t].partitions.items[p];
                    idx = x->partition_index, off = x->committed_offset, perr = x->error_code,
                    md = x->metadata;
                } else {
                    const kc__OffsetFetchResponse_Partition *x =
                        &resp->topics.items[t].partitions.items[p];
                    idx = x->partition_index, off = x->committed_offset, perr = x->error_code,
                    md = x->metadata;
                }
                int k = kc_tplist_find(f->parts, tn, idx);
                if (k < 0) continue;
                f->parts->e[k].offset = off >= 0 ? off : KC_OFFSET_INVALID;
                f->parts->e[k].err = (kc_err_t)perr;
                if (md.len > 0) {
                    char *m = strndup(md.p, (size_t)md.len);
                    if (m) {
                        free(f->parts->e[k].metadata);
                        f->parts->e[k].metadata = m;
                    }
                }
            }
        }
    }
    if (err && (coord_error(err) || err == KC_ERR_COORDINATOR_LOAD_IN_PROGRESS) &&
        kc__mono_ms() < f->deadline) {
        if (coord_error(err)) coord_lost(g, kc_err_name(err));
        ofetch **a2 = realloc(g->fetches, sizeof(*a2) * (size_t)(g->nfetches + 1));
        if (a2) {
            g->fetches = a2;
            g->fetches[g->nfetches++] = f;
            return;
        }
    }
    char why[256];
    snprintf(why, sizeof why, "group %.60s: committed offsets: %.60s%s%.100s", g->cs->group_id,
             kc_err_desc(err), rs->err ? ": " : "", rs->errstr);
    ofetch_done(g, f, err, err ? why : "");
}

static void fetch_call(kc__client *c, kc__op_call *op) {
    kc__group *g = kc__cons(c)->grp;
    ofetch *f = op->arg;
    ofetch **a = realloc(g->fetches, sizeof(*a) * (size_t)(g->nfetches + 1));
    if (!a || atomic_load(&c->terminate)) {
        ofetch_done(g, f, a ? KC_ERR__DESTROY : KC_ERR__CRIT_SYS_RESOURCE, "cannot query");
        return;
    }
    g->fetches = a;
    g->fetches[g->nfetches++] = f;
}

kc_err_t kc__group_committed(kc__consumer *cs, kc_tplist_t *parts, int64_t deadline,
                             char *errstr, size_t errsize) {
    ofetch *f = calloc(1, sizeof(*f));
    if (!f || !(f->parts = kc_tplist_copy(parts))) {
        free(f);
        return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    }
    qsort(f->parts->e, (size_t)f->parts->n, sizeof(*f->parts->e), tpl_cmp);
    f->sync = true;
    f->deadline = deadline;
    pthread_mutex_init(&f->lock, NULL);
    kc__cond_init_monotonic(&f->cond);
    kc__cons_call_main(cs->c, fetch_call, f, 0);
    kc__client_wake_main(cs->c);
    pthread_mutex_lock(&f->lock);
    while (!f->done) pthread_cond_wait(&f->cond, &f->lock);
    pthread_mutex_unlock(&f->lock);
    kc_err_t err = f->err;
    if (err) kc__seterr(errstr, errsize, err, "%s", f->errstr);
    for (int i = 0; !err && i < parts->n; i++) {
        int k = kc_tplist_find(f->parts, parts->e[i].topic, parts->e[i].partition);
        parts->e[i].offset = k >= 0 ? f->parts->e[k].offset : KC_OFFSET_INVALID;
        parts->e[i].err = k >= 0 ? f->parts->e[k].err : KC_ERR__UNKNOWN_PARTITION;
        if (k >= 0) kc_tplist_set_metadata(parts, i, f->parts->e[k].metadata);
    }
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->cond);
    f->sync = false;
    kc_tplist_destroy(f->parts);
    free(f);
    return err;
}

/* Main thread: committed offsets for assigned partitions that start from
 * KC_OFFSET_STORED. */
static void fetch_stored(kc__group *g, int64_t now) {
    kc__consumer *cs = g->cs;
    if (g->stored_inflight) return;
    pthread_mutex_lock(&cs->lock);
    ofetch *f = calloc(1, sizeof(*f));
    if (f) {
        f->parts = kc_tplist_new(8);
        f->tps = malloc(sizeof(*f->tps) * (size_t)(cs->nassigned + 1));
        f->versions = malloc(sizeof(*f->versions) * (size_t)(cs->nassigned + 1));
    }
    for (int i = 0; f && f->parts && f->tps && f->versions && i < cs->nassigned; i++) {
        kc__ctp *tp = cs->assigned[i];
        if (tp->fstate != KC__FS_QUERY || tp->querying || tp->want_offset != KC_OFFSET_STORED ||
            tp->retry_at > now)
            continue;
        int k = kc_tplist_add(f->parts, tp->topic->name, tp->partition);
        if (k < 0) break;
        f->tps[k] = tp;
        f->versions[k] = atomic_load(&tp->version);
        tp->querying = true;
    }
    pthread_mutex_unlock(&cs->lock);
    if (!f || !f->parts || f->parts->n == 0 || !f->tps || !f->versions) {
        if (f) {
            pthread_mutex_lock(&cs->lock);
            for (int i = 0; f->parts && f->tps && i < f->parts->n; i++) f->tps[i]->querying = false;
            pthread_mutex_unlock(&cs->lock);
            ofetch_free(f);
        }
        return;
    }
    f->deadline = now + kc__conf_int(cs->c->conf, KC__CONF_DEFAULT_API_TIMEOUT_MS);
    g->stored_inflight = true;
    send_offset_fetch(g, f);
}

/* ------------------------------------------------------------ dispatch */

static void dispatch(kc__client *c, kc__op_call *op) {
    gresp *rs = (gresp *)op;
    greq *q = rs->q;
    kc__group *g = q->g;
    /* Every answer is decoded here once; handlers read rs->resp when
     * rs->err is 0. */
    kc__arena a;
    kc__arena_init(&a, 4096);
    if (!rs->err) {
        kc__rd rd;
        kc__rd_init(&rd, rs->body, rs->len);
        if (kc__response_decode(q->api, rs->ver, &rd, &a, &rs->resp)) {
            rs->err = KC_ERR__BAD_MSG;
            snprintf(rs->errstr, sizeof rs->errstr, "malformed %s response",
                     kc__api_find(q->api) ? kc__api_find(q->api)->name : "group");
        }
    }
    switch (q->api) {
    case KC__API_FIND_COORDINATOR: on_find_coordinator(g, rs); break;
    case KC__API_JOIN_GROUP: on_join(g, rs); break;
    case KC__API_SYNC_GROUP: on_sync(g, rs); break;
    case KC__API_HEARTBEAT: on_heartbeat(g, rs); break;
    case KC__API_LEAVE_GROUP: on_leave(g, rs); break;
    case KC__API_OFFSET_COMMIT: on_commit(g, rs); break;
    case KC__API_OFFSET_FETCH: on_offset_fetch(g, rs); break;
    default: break;
    }
    kc__arena_destroy(&a);
    greq_free(q);
    kc__client_wake_main(c);
}

/* ------------------------------------------------------------ app calls */

static void subscription_call(kc__client *c, kc__op_call *op) {
    kc__group *g = kc__cons(c)->grp;
    kc__consumer *cs = g->cs;
    (void)op;
    pthread_mutex_lock(&cs->lock);
    int nsub = cs->nsub;
    pthread_mutex_unlock(&cs->lock);
    check_subscription(g);
    if (nsub == 0 && g->state != G_INIT) {
        /* Unsubscribed: give everything back and leave. */
        if (g->nowned > 0 && !g->wait_app) {
            post_rebalance(g, KC_REBALANCE_REVOKE, tps_to_list(g->owned, g->nowned), NULL);
            clear_owned(g);
        }
        g->leaving = true;
        return;
    }
    if (nsub > 0 && g->state == G_INIT) {
        g->leaving = false;
        atomic_store(&g->left, false);
        g->poll_exceeded = false;
        set_state(g, G_COORD);
        want_rejoin(g, "subscribed");
    }
}

void kc__group_subscription_changed(kc__consumer *cs) {
    kc__cons_call_main(cs->c, subscription_call, NULL, 0);
    kc__client_wake_main(cs->c);
}

static void rebalance_done_call(kc__client *c, kc__op_call *op) {
    kc__group *g = kc__cons(c)->grp;
    kc__consumer *cs = g->cs;
    int event = (int)op->i;
    g->wait_app = false;
    if (event == KC_REBALANCE_LOST) g->lost_pending = false;
    (void)cs;
    if (g->leaving) {
        if (g->nowned > 0) { /* an assignment arrived meanwhile: give it back first */
            post_rebalance(g, KC_REBALANCE_REVOKE, tps_to_list(g->owned, g->nowned), NULL);
            clear_owned(g);
        } else if (g->state != G_INIT && !g->inflight) {
            send_leave(g);
        }
        return;
    }
    if (g->state == G_WAIT_APP) {
        set_state(g, G_STABLE);
        if (g->revoke_then_join) {
            g->revoke_then_join = false;
            want_rejoin(g, "cooperative rebalance: revoked partitions released");
        }
    }
    /* Otherwise (an eager revoke before joining, a lost assignment) the
     * next tick joins. */
}

void kc__group_rebalance_done(kc__consumer *cs, int event, int32_t generation) {
    (void)generation;
    kc__cons_call_main(cs->c, rebalance_done_call, NULL, event);
    kc__client_wake_main(cs->c);
}

static void leave_call(kc__client *c, kc__op_call *op) {
    kc__group *g = kc__cons(c)->grp;
    g->closing = true;
    g->leave_deadline = op->i;
    if (g->state == G_INIT && !g->wait_app) {
        finish_leave(g);
        return;
    }
    g->leaving = true;
    if (g->nowned > 0 && !g->wait_app) {
        post_rebalance(g, KC_REBALANCE_REVOKE, tps_to_list(g->owned, g->nowned), NULL);
        clear_owned(g);
        return;
    }
    if (!g->wait_app && !g->inflight) send_leave(g);
}

void kc__group_leave(kc__consumer *cs, int64_t deadline) {
    kc__cons_call_main(cs->c, leave_call, NULL, deadline);
    kc__client_wake_main(cs->c);
}

bool kc__group_left(kc__consumer *cs) { return atomic_load(&cs->grp->left); }
bool kc__group_active(kc__consumer *cs) { return cs->grp->state != G_INIT; }
bool kc__group_is_eager(kc__consumer *cs) { return cs->grp->kind == KC__REBALANCE_EAGER; }

void kc__group_memberid(kc__consumer *cs, char *buf, size_t size) {
    pthread_mutex_lock(&cs->lock);
    snprintf(buf, size, "%s", cs->grp->member_id ? cs->grp->member_id : "");
    pthread_mutex_unlock(&cs->lock);
}

void kc__group_metadata(kc__client *c, const kc__MetadataResponse *md) {
    kc__consumer *cs = kc__cons(c);
    if (!cs || !atomic_load(&c->md_all_topics)) return;
    kc__group *g = cs->grp;
    char **names = calloc((size_t)md->topics.n + 1, sizeof(*names));
    int n = 0;
    for (int32_t i = 0; names && i < md->topics.n; i++) {
        const kc__MetadataResponse_Topic *t = &md->topics.items[i];
        if (t->error_code || t->is_internal || t->name.len <= 0) continue;
        names[n] = strndup(t->name.p, (size_t)t->name.len);
        if (names[n]) n++;
    }
    if (!names) return;
    qsort(names, (size_t)n, sizeof(*names), cmp_str);
    pthread_mutex_lock(&g->md_lock);
    bool same = n == g->nall;
    for (int i = 0; same && i < n; i++) same = !strcmp(names[i], g->all_topics[i]);
    free_strs(g->all_topics, g->nall);
    g->all_topics = names;
    g->nall = n;
    if (!same) g->all_changed = true;
    pthread_mutex_unlock(&g->md_lock);
}

/* ------------------------------------------------------------ tick */

/* Serves waiting commits and committed-offset queries. */
static void serve_waiting(kc__group *g, int64_t now) {
    int k = 0;
    for (int i = 0; i < g->ncommits; i++) {
        kc__op_commit *cm = g->commits[i];
        if (g->coord_id >= 0)
            send_commit(g, cm);
        else if (now >= cm->deadline)
            commit_done(g, cm, KC_ERR__TIMED_OUT, "no group coordinator within the timeout");
        else
            g->commits[k++] = cm;
    }
    g->ncommits = k;
    k = 0;
    for (int i = 0; i < g->nfetches; i++) {
        ofetch *f = g->fetches[i];
        if (g->coord_id >= 0)
            send_offset_fetch(g, f);
        else if (now >= f->deadline)
            ofetch_done(g, f, KC_ERR__TIMED_OUT, "no group coordinator within the timeout");
        else
            g->fetches[k++] = f;
    }
    g->nfetches = k;
}

static bool needs_coordinator(kc__group *g) {
    kc__consumer *cs = g->cs;
    if (!*cs->group_id) return false;
    if (g->state != G_INIT || g->ncommits || g->nfetches) return true;
    bool stored = false;
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < cs->nassigned && !stored; i++)
        stored = cs->assigned[i]->fstate == KC__FS_QUERY &&
                 cs->assigned[i]->want_offset == KC_OFFSET_STORED;
    pthread_mutex_unlock(&cs->lock);
    return stored;
}

int64_t kc__group_tick(kc__client *c, int64_t now) {
    kc__consumer *cs = kc__cons(c);
    kc__group *g = cs ? cs->grp : NULL;
    int64_t wake = now + 200;
    if (!g) return now + 1000;
    if (!*cs->group_id) return now + 1000;
    if (needs_coordinator(g) && g->coord_id < 0) find_coordinator(g, now);
    serve_waiting(g, now); /* sends, or fails what waited past its deadline */
    if (g->coord_id >= 0) fetch_stored(g, now);
    autocommit(g, now);
    if (g->state == G_INIT) return wake;
    /* Leaving (close or unsubscribe) once the revoke is acknowledged. */
    if (g->leaving) {
        if (!g->wait_app && !g->inflight && g->state != G_INIT) send_leave(g);
        if (g->leave_deadline && now >= g->leave_deadline) finish_leave(g);
        return wake;
    }
    /* max.poll.interval.ms: the application stopped polling. */
    int64_t mpi = kc__conf_int(c->conf, KC__CONF_MAX_POLL_INTERVAL_MS);
    int64_t last = atomic_load(&cs->last_poll_ms);
    if (!g->poll_exceeded && now - last > mpi && g->state != G_INIT) {
        g->poll_exceeded = true;
        kc__client_error(c, KC_ERR__MAX_POLL_EXCEEDED, 0,
                         "group %s: the application did not poll for %lld ms "
                         "(max.poll.interval.ms %lld): leaving the group",
                         cs->group_id, (long long)(now - last), (long long)mpi);
        if (g->nowned > 0 && !g->wait_app) {
            post_rebalance(g, KC_REBALANCE_LOST, tps_to_list(g->owned, g->nowned), NULL);
            clear_owned(g);
        }
        if (!g->inflight) send_leave(g); /* on_leave keeps us out until the app polls */
        g->generation = -1;
        set_state(g, G_COORD);
        return wake;
    }
    if (g->poll_exceeded) {
        if (now - last > mpi) return wake; /* rejoin at the next poll */
        g->poll_exceeded = false;
        want_rejoin(g, "application polls again");
    }
    if (g->all_changed) {
        pthread_mutex_lock(&g->md_lock);
        g->all_changed = false;
        pthread_mutex_unlock(&g->md_lock);
    }
    check_subscription(g);
    if (g->coord_id < 0) {
        if (g->state == G_STABLE || g->state == G_WAIT_APP) return wake; /* keep the assignment */
        set_state(g, G_COORD);
        return wake;
    }
    switch ((int)atomic_load(&g->state)) {
    case G_COORD:
        if (g->inflight || g->wait_app || now < g->retry_at) break;
        if (g->kind == KC__REBALANCE_EAGER && g->nowned > 0) {
            /* Eager: give everything back before joining. */
            post_rebalance(g, KC_REBALANCE_REVOKE, tps_to_list(g->owned, g->nowned), NULL);
            clear_owned(g);
            break;
        }
        send_join(g);
        break;
    case G_WAIT_MD: {
        greq *q = NULL;
        if (run_assignor(g, &q)) {
            if (q)
                send_sync(g, q);
            else {
                want_rejoin(g, "assignment failed");
                g->retry_at = now + 1000;
                set_state(g, G_COORD);
            }
        }
        break;
    }
    case G_STABLE:
    case G_WAIT_APP:
        if (g->state == G_STABLE && g->rejoin && !g->wait_app) {
            set_state(g, G_COORD);
            wake = now;
            break;
        }
        if (!g->hb_inflight && now >= g->hb_next) send_heartbeat(g, now);
        if (g->hb_next < wake) wake = g->hb_next;
        break;
    default: break;
    }
    return wake;
}

/* ------------------------------------------------------------ lifecycle */

kc_err_t kc__group_new(kc__consumer *cs, char *errstr, size_t errsize) {
    kc__group *g = calloc(1, sizeof(*g));
    if (!g) return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    g->cs = cs;
    g->coord_id = -1;
    g->generation = -1;
    g->member_id = strdup("");
    pthread_mutex_init(&g->md_lock, NULL);
    const char *inst = kc__conf_str(cs->c->conf, KC__CONF_GROUP_INSTANCE_ID);
    g->instance_id = *inst ? inst : NULL;
    cs->grp = g;
    /* partition.assignment.strategy: a comma-separated list of names. */
    const char *list = kc__conf_str(cs->c->conf, KC__CONF_PARTITION_ASSIGNMENT_STRATEGY);
    bool any_eager = false;
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',') p++;
        size_t n = strcspn(p, ", ");
        if (!n) break;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        const kc__assignor *a = kc__assignor_find(name);
        if (!a && !strcmp(name, "cooperative_sticky")) a = kc__assignor_find("cooperative-sticky");
        if (!a)
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                              "partition.assignment.strategy: unknown assignor \"%s\" (expected "
                              "range, roundrobin or cooperative-sticky)",
                              name);
        if (g->nasg == MAX_ASSIGNORS)
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                              "partition.assignment.strategy: too many assignors");
        g->asg[g->nasg++] = a;
        if (a->protocol == KC__REBALANCE_EAGER) any_eager = true;
        p += n;
    }
    if (!g->nasg)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                          "partition.assignment.strategy: empty");
    g->kind = any_eager ? KC__REBALANCE_EAGER : KC__REBALANCE_COOPERATIVE;
    return KC_ERR_NO_ERROR;
}

void kc__group_free(kc__consumer *cs) {
    kc__group *g = cs->grp;
    if (!g) return;
    for (int i = 0; i < g->ncommits; i++)
        commit_done(g, g->commits[i], KC_ERR__DESTROY, "consumer destroyed");
    free(g->commits);
    for (int i = 0; i < g->nfetches; i++)
        ofetch_done(g, g->fetches[i], KC_ERR__DESTROY, "consumer destroyed");
    free(g->fetches);
    clear_owned(g);
    clear_members(g);
    free_strs(g->topics, g->ntopics);
    clear_snap(g);
    free_strs(g->all_topics, g->nall);
    free(g->member_id);
    free(g->protocol);
    free(g->rejoin_reason);
    pthread_mutex_destroy(&g->md_lock);
    free(g);
    cs->grp = NULL;
}
