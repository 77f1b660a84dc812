/* The assignor registry, member and partition-list ownership, the
 * ConsumerProtocol subscription/assignment codec (over the generated
 * lib/proto/gen/consumer_protocol.c) and the group view the assignors share
 * (assignor_int.h).
 *
 * Pure logic: no I/O, no locks; callable from any thread. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "assignor_int.h"
#include "core/err.h"
#include "proto/gen/consumer_protocol.h"

/* Highest ConsumerProtocol version we know; newer ones are read as this one
 * (their extra fields are trailing and ignored), as Kafka's clients do. */
#define KC__CP_MAX_VERSION 3

/* ------------------------------------------------------------ registry */

static const kc__assignor *const assignors[] = {
    &kc__assignor_range,
    &kc__assignor_roundrobin,
    &kc__assignor_sticky,
};

/* By protocol name (exact match), or NULL. */
const kc__assignor *kc__assignor_find(const char *name) {
    for (size_t i = 0; name && i < sizeof assignors / sizeof assignors[0]; i++)
        if (strcmp(assignors[i]->name, name) == 0) return assignors[i];
    return NULL;
}

/* ------------------------------------------------------------ ownership */

/* Frees each topic name and the array. */
void kc__asg_tps_free(kc__asg_tp *tps, int n) {
    for (int i = 0; tps && i < n; i++) free(tps[i].topic);
    free(tps);
}

/* Frees a subscription's topic names and their array. */
static void free_topics(char **topics, int n) {
    for (int i = 0; topics && i < n; i++) free(topics[i]);
    free(topics);
}

/* Frees what a member owns (strings, arrays) and zeroes it. */
void kc__asg_member_clear(kc__asg_member *m) {
    if (!m) return;
    free(m->member_id);
    free(m->instance_id);
    free_topics(m->topics, m->ntopics);
    kc__asg_tps_free(m->owned, m->nowned);
    free(m->rack);
    kc__asg_tps_free(m->assigned, m->nassigned);
    memset(m, 0, sizeof *m);
}

/* Empties `assigned` of every member. */
void kc__asg_reset(kc__asg_member *members, int nmembers) {
    for (int i = 0; i < nmembers; i++) {
        kc__asg_tps_free(members[i].assigned, members[i].nassigned);
        members[i].assigned = NULL;
        members[i].nassigned = 0;
    }
}

/* Resets the output and reports out of memory. */
kc_err_t kc__asg_nomem(kc__asg_member *members, int nmembers, const char *who, char *errstr,
                       size_t errsize) {
    kc__asg_reset(members, nmembers);
    return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "%s assignor: out of memory",
                      who);
}

/* Appends (copy of topic, partition) to m->assigned; the array doubles
 * whenever its length reaches a power of two (>= 4). */
int kc__asg_add(kc__asg_member *m, const char *topic, int32_t partition) {
    int n = m->nassigned;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
        size_t cap = n ? (size_t)n * 2 : 4;
        kc__asg_tp *p = realloc(m->assigned, cap * sizeof *p);
        if (!p) return -1;
        m->assigned = p;
    }
    char *s = strdup(topic);
    if (!s) return -1;
    m->assigned[n].topic = s;
    m->assigned[n].partition = partition;
    m->nassigned = n + 1;
    return 0;
}

/* ------------------------------------------------------------ codec */

/* Partitions grouped by topic, as on the wire (the assignment's groups are
 * copied from and to its own struct type, which has the same fields). */
typedef kc__ConsumerProtocolSubscription_TopicPartition kc__cp_group;

/* qsort comparator over kc__asg_tp pointers: topic, then input position. */
static int cmp_tp_pos(const void *a, const void *b) {
    const kc__asg_tp *x = *(const kc__asg_tp *const *)a, *y = *(const kc__asg_tp *const *)b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x < y ? -1 : x > y);
}

/* qsort comparator over kc__asg_tp pointers: topic, then partition. */
static int cmp_tp_partition(const void *a, const void *b) {
    const kc__asg_tp *x = *(const kc__asg_tp *const *)a, *y = *(const kc__asg_tp *const *)b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition < y->partition ? -1 : x->partition > y->partition);
}

/* A group and its first partition in the input (the run's first element
 * when sorted by topic and position). */
typedef struct kc__cp_run {
    const kc__asg_tp *first;
    kc__cp_group g;
} kc__cp_run;

/* qsort comparator over runs: by first input position. */
static int cmp_run(const void *a, const void *b) {
    const kc__cp_run *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Groups tps by topic into arena arrays, as Kafka's Java client writes
 * them: sorted (topics by name, partitions ascending) when `sorted`, else
 * topics in order of first appearance and partitions in input order.
 * Returns 0, or -1 (out of memory, or a NULL topic). */
static int group_tps(const kc__asg_tp *tps, int n, bool sorted, kc__arena *a,
                     kc__cp_group **outp, int32_t *ngroupsp) {
    *outp = NULL;
    *ngroupsp = 0;
    if (n <= 0) return 0;
    const kc__asg_tp **s = kc__arena_calloc(a, (size_t)n, sizeof *s);
    kc__cp_run *runs = kc__arena_calloc(a, (size_t)n, sizeof *runs);
    kc__cp_group *g = kc__arena_calloc(a, (size_t)n, sizeof *g);
    int32_t *parts = kc__arena_calloc(a, (size_t)n, sizeof *parts);
    if (!s || !runs || !g || !parts) return -1;
    for (int i = 0; i < n; i++) {
        if (!tps[i].topic) return -1;
        s[i] = &tps[i];
    }
    qsort(s, (size_t)n, sizeof *s, sorted ? cmp_tp_partition : cmp_tp_pos);
    int32_t ng = 0;
    for (int i = 0; i < n; i++) {
        if (i == 0 || strcmp(s[i]->topic, s[i - 1]->topic) != 0) {
            runs[ng].first = s[i];
            runs[ng].g.topic = kc__str_c(s[i]->topic);
            runs[ng++].g.partitions.items = &parts[i];
        }
        parts[i] = s[i]->partition;
        runs[ng - 1].g.partitions.n++;
    }
    if (!sorted) qsort(runs, (size_t)ng, sizeof *runs, cmp_run);
    for (int32_t i = 0; i < ng; i++) g[i] = runs[i].g;
    *outp = g;
    *ngroupsp = ng;
    return 0;
}

/* qsort comparator over C strings. */
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The subscription's topic names, sorted as Kafka's Java client writes them
 * (arena). Returns 0, or -1 (out of memory, or a NULL name). */
static int sorted_topics(const char *const *topics, int n, kc__arena *a,
                         kc__ConsumerProtocolSubscription *s) {
    s->topics.n = n;
    if (n == 0) return 0;
    const char **names = kc__arena_calloc(a, (size_t)n, sizeof *names);
    s->topics.items = kc__arena_calloc(a, (size_t)n, sizeof *s->topics.items);
    if (!names || !s->topics.items) return -1;
    for (int i = 0; i < n; i++) {
        if (!topics[i]) return -1;
        names[i] = topics[i];
    }
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) s->topics.items[i] = kc__str_c(names[i]);
    return 0;
}

/* Writes the int16 version prefix and the encoded message into a new
 * malloc'd buffer. enc is the message's generated encoder. */
static int finish_encode(int16_t ver, int (*enc)(kc__buf *, int16_t, const void *),
                         const void *msg, uint8_t **outp, size_t *lenp) {
    kc__buf b;
    kc__buf_init(&b, 64);
    kc__w_i16(&b, ver);
    if (enc(&b, ver, msg) != 0 || !kc__buf_ok(&b)) {
        kc__buf_free(&b);
        return -1;
    }
    *outp = kc__buf_detach(&b, lenp);
    return *outp ? 0 : -1;
}

/* The generated encoders with a void * message, for finish_encode(). */
static int enc_subscription(kc__buf *b, int16_t v, const void *m) {
    return kc__ConsumerProtocolSubscription_encode(b, v, m);
}
static int enc_assignment(kc__buf *b, int16_t v, const void *m) {
    return kc__ConsumerProtocolAssignment_encode(b, v, m);
}

/* Encodes a ConsumerProtocolSubscription (int16 version, then the fields),
 * byte for byte as Kafka's Java client: topics and owned partitions sorted. */
int kc__consumer_subscription_encode(int16_t ver, const char *const *topics, int ntopics,
                                     const kc__asg_tp *owned, int nowned, int32_t generation,
                                     const char *rack, uint8_t **outp, size_t *lenp) {
    *outp = NULL;
    *lenp = 0;
    if (ver < 0 || ver > KC__CP_MAX_VERSION || ntopics < 0) return -1;
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__ConsumerProtocolSubscription s;
    kc__ConsumerProtocolSubscription_init(&s);
    int rc = -1;
    bool ok = sorted_topics(topics, ntopics, &a, &s) == 0;
    if (ok && ver >= 1)
        ok = group_tps(owned, nowned, true, &a, &s.owned_partitions.items,
                       &s.owned_partitions.n) == 0;
    if (ok) {
        s.generation_id = generation;
        s.rack_id = kc__str_c(rack);
        rc = finish_encode(ver, enc_subscription, &s, outp, lenp);
    }
    kc__arena_destroy(&a);
    return rc;
}

/* Sets m's assigned partitions to copies of the groups (arena). */
static int to_assignment(const kc__cp_group *g, int32_t ng, kc__arena *a,
                         kc__ConsumerProtocolAssignment *m) {
    kc__ConsumerProtocolAssignment_TopicPartition *items = NULL;
    if (ng > 0 && !(items = kc__arena_calloc(a, (size_t)ng, sizeof *items))) return -1;
    for (int32_t i = 0; i < ng; i++) {
        items[i].topic = g[i].topic;
        items[i].partitions.n = g[i].partitions.n;
        items[i].partitions.items = g[i].partitions.items;
    }
    m->assigned_partitions.n = ng;
    m->assigned_partitions.items = items;
    return 0;
}

/* The groups of a decoded assignment as kc__cp_group copies (arena). */
static kc__cp_group *from_assignment(const kc__ConsumerProtocolAssignment *m, kc__arena *a) {
    int32_t ng = m->assigned_partitions.n;
    kc__cp_group *g = kc__arena_calloc(a, ng > 0 ? (size_t)ng : 1, sizeof *g);
    for (int32_t i = 0; g && i < ng; i++) {
        g[i].topic = m->assigned_partitions.items[i].topic;
        g[i].partitions.n = m->assigned_partitions.items[i].partitions.n;
        g[i].partitions.items = m->assigned_partitions.items[i].partitions.items;
    }
    return g;
}

/* Encodes a ConsumerProtocolAssignment (int16 version, then the fields),
 * byte for byte as Kafka's Java client: topics in order of appearance. */
int kc__consumer_assignment_encode(int16_t ver, const kc__asg_tp *tps, int ntps, uint8_t **outp,
                                   size_t *lenp) {
    *outp = NULL;
    *lenp = 0;
    if (ver < 0 || ver > KC__CP_MAX_VERSION) return -1;
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__ConsumerProtocolAssignment m;
    kc__ConsumerProtocolAssignment_init(&m);
    int rc = -1;
    kc__cp_group *g;
    int32_t ng;
    if (group_tps(tps, ntps, false, &a, &g, &ng) == 0 && to_assignment(g, ng, &a, &m) == 0)
        rc = finish_encode(ver, enc_assignment, &m, outp, lenp);
    kc__arena_destroy(&a);
    return rc;
}

/* Reads the version prefix: a negative one fails the reader, a newer one
 * than we know is read as the newest we know. */
static int16_t read_version(kc__rd *r) {
    int16_t ver = kc__r_i16(r);
    if (!r->err && ver < 0) kc__rd_fail(r, KC__RD_BAD_VALUE);
    return ver > KC__CP_MAX_VERSION ? KC__CP_MAX_VERSION : ver;
}

/* A malloc'd NUL-terminated copy of a wire string; NULL for a null string,
 * one holding a NUL byte, or out of memory (*okp cleared then). */
static char *dup_str(kc__str s, bool *okp) {
    if (s.len < 0 || memchr(s.p, 0, (size_t)s.len)) {
        *okp = false;
        return NULL;
    }
    char *d = malloc((size_t)s.len + 1);
    if (!d) {
        *okp = false;
        return NULL;
    }
    memcpy(d, s.p, (size_t)s.len);
    d[s.len] = '\0';
    return d;
}

/* Flattens grouped partitions into a new malloc'd kc__asg_tp array. */
static int flatten(const kc__cp_group *g, int32_t ng, kc__asg_tp **tpsp, int *ntpsp) {
    *tpsp = NULL;
    *ntpsp = 0;
    int64_t total = 0;
    for (int32_t i = 0; i < ng; i++) total += g[i].partitions.n;
    if (total > INT_MAX) return -1;
    if (total == 0) return 0;
    kc__asg_tp *tps = calloc((size_t)total, sizeof *tps);
    if (!tps) return -1;
    int n = 0;
    bool ok = true;
    for (int32_t i = 0; i < ng && ok; i++) {
        for (int32_t j = 0; j < g[i].partitions.n && ok; j++) {
            tps[n].topic = dup_str(g[i].topic, &ok);
            tps[n++].partition = g[i].partitions.items[j];
        }
    }
    if (!ok) {
        kc__asg_tps_free(tps, n);
        return -1;
    }
    *tpsp = tps;
    *ntpsp = n;
    return 0;
}

/* Copies a decoded subscription's topic names into m. */
static int copy_topics(const kc__ConsumerProtocolSubscription *s, kc__asg_member *m) {
    if (s->topics.n <= 0) return 0;
    m->topics = calloc((size_t)s->topics.n, sizeof *m->topics);
    if (!m->topics) return -1;
    bool ok = true;
    for (int32_t i = 0; i < s->topics.n && ok; i++) {
        m->topics[i] = dup_str(s->topics.items[i], &ok);
        if (ok) m->ntopics = i + 1;
    }
    return ok ? 0 : -1;
}

/* Drops the subscription fields of m (what decoding fills). */
static void drop_subscription(kc__asg_member *m) {
    free_topics(m->topics, m->ntopics);
    kc__asg_tps_free(m->owned, m->nowned);
    free(m->rack);
    m->topics = NULL;
    m->ntopics = 0;
    m->owned = NULL;
    m->nowned = 0;
    m->rack = NULL;
    m->generation = -1;
}

/* Copies a decoded subscription into m. Returns 0 or -1. */
static int copy_subscription(const kc__ConsumerProtocolSubscription *s, kc__asg_member *m) {
    bool ok = true;
    if (copy_topics(s, m) != 0) return -1;
    if (flatten(s->owned_partitions.items, s->owned_partitions.n, &m->owned, &m->nowned) != 0)
        return -1;
    m->generation = s->generation_id;
    if (s->rack_id.len >= 0) m->rack = dup_str(s->rack_id, &ok);
    return ok ? 0 : -1;
}

/* Decodes JoinGroup member metadata into m's subscription fields. */
int kc__consumer_subscription_decode(const void *p, size_t len, kc__asg_member *m) {
    drop_subscription(m);
    kc__rd r;
    kc__rd_init(&r, p, len);
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__ConsumerProtocolSubscription s;
    int16_t ver = read_version(&r);
    int rc = kc__ConsumerProtocolSubscription_decode(&r, &a, r.err ? 0 : ver, &s);
    if (rc == 0) rc = copy_subscription(&s, m);
    kc__arena_destroy(&a);
    if (rc != 0) {
        drop_subscription(m);
        return -1;
    }
    return 0;
}

/* Decodes a SyncGroup assignment into a new malloc'd array. */
int kc__consumer_assignment_decode(const void *p, size_t len, kc__asg_tp **tpsp, int *ntpsp) {
    *tpsp = NULL;
    *ntpsp = 0;
    if (len == 0) return 0;
    kc__rd r;
    kc__rd_init(&r, p, len);
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__ConsumerProtocolAssignment m;
    int16_t ver = read_version(&r);
    int rc = kc__ConsumerProtocolAssignment_decode(&r, &a, r.err ? 0 : ver, &m);
    kc__cp_group *g = rc == 0 ? from_assignment(&m, &a) : NULL;
    if (rc == 0) rc = g ? flatten(g, m.assigned_partitions.n, tpsp, ntpsp) : -1;
    kc__arena_destroy(&a);
    return rc ? -1 : 0;
}

/* ------------------------------------------------------------ group view */

/* A member id or instance id for comparing (NULL as ""). */
static const char *id_or_empty(const char *s) { return s ? s : ""; }

/* Java's MemberInfo order: static members (by instance id) before dynamic
 * ones (by member id). Byte order stands in for Java's UTF-16 order; they
 * differ only between U+E000..U+FFFF and supplementary characters. */
int kc__asg_cmp_java(const void *a, const void *b) {
    const kc__asg_member *x = *(const kc__asg_member *const *)a;
    const kc__asg_member *y = *(const kc__asg_member *const *)b;
    if (x->instance_id && y->instance_id) {
        int c = strcmp(x->instance_id, y->instance_id);
        if (c) return c;
    } else if (x->instance_id || y->instance_id) {
        return x->instance_id ? -1 : 1;
    }
    return strcmp(id_or_empty(x->member_id), id_or_empty(y->member_id));
}

/* By member id. */
int kc__asg_cmp_member_id(const void *a, const void *b) {
    const kc__asg_member *x = *(const kc__asg_member *const *)a;
    const kc__asg_member *y = *(const kc__asg_member *const *)b;
    return strcmp(id_or_empty(x->member_id), id_or_empty(y->member_id));
}

/* Fills v->order: member indices sorted by cmp. */
static int view_order(kc__asg_view *v, int (*cmp)(const void *, const void *)) {
    if (v->nmembers <= 0) return 0;
    kc__asg_member **ps = malloc((size_t)v->nmembers * sizeof *ps);
    v->order = malloc((size_t)v->nmembers * sizeof *v->order);
    if (!ps || !v->order) {
        free(ps);
        return -1;
    }
    for (int i = 0; i < v->nmembers; i++) ps[i] = &v->members[i];
    qsort(ps, (size_t)v->nmembers, sizeof *ps, cmp);
    for (int i = 0; i < v->nmembers; i++) v->order[i] = (int)(ps[i] - v->members);
    free(ps);
    return 0;
}

/* qsort comparator over topic pointers: name, then input position. */
static int cmp_topic_ptr(const void *a, const void *b) {
    const kc__asg_topic *x = *(const kc__asg_topic *const *)a;
    const kc__asg_topic *y = *(const kc__asg_topic *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x < y ? -1 : x > y);
}

/* Fills v->topics with the topics that have partitions, by name, the first
 * of any duplicates kept. */
static int view_candidates(kc__asg_view *v, const kc__asg_topic *topics, int ntopics) {
    if (ntopics <= 0) return 0;
    v->topics = malloc((size_t)ntopics * sizeof *v->topics);
    if (!v->topics) return -1;
    int n = 0;
    for (int i = 0; i < ntopics; i++)
        if (topics[i].name && topics[i].partition_cnt > 0) v->topics[n++] = &topics[i];
    qsort(v->topics, (size_t)n, sizeof *v->topics, cmp_topic_ptr);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (k == 0 || strcmp(v->topics[k - 1]->name, v->topics[i]->name) != 0)
            v->topics[k++] = v->topics[i];
    v->ntopics = k;
    return 0;
}

/* Index of a topic of the view by name, or -1. */
int kc__asg_view_topic(const kc__asg_view *v, const char *name) {
    int lo = 0, hi = v->ntopics - 1;
    while (name && lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(v->topics[mid]->name, name);
        if (c == 0) return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Slot of (topic t, member rank), or -1 when that member does not subscribe. */
int kc__asg_view_slot(const kc__asg_view *v, int t, int rank) {
    int lo = v->sub_off[t], hi = v->sub_off[t + 1] - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (v->sub[mid] == rank) return mid;
        if (v->sub[mid] < rank)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Calls fn(v, t, rank, arg) once per (subscribed topic t of the view,
 * member rank), ranks ascending; duplicate subscriptions count once
 * (last[] holds, per topic, the last rank seen). */
static void each_subscription(kc__asg_view *v, int *last,
                              void (*fn)(kc__asg_view *, int, int, void *), void *arg) {
    for (int t = 0; t < v->ntopics; t++) last[t] = -1;
    for (int r = 0; r < v->nmembers; r++) {
        const kc__asg_member *m = &v->members[v->order[r]];
        for (int i = 0; i < m->ntopics; i++) {
            int t = kc__asg_view_topic(v, m->topics[i]);
            if (t < 0 || last[t] == r) continue;
            last[t] = r;
            fn(v, t, r, arg);
        }
    }
}

/* each_subscription() callbacks: count per topic, then place the ranks. */
static void count_sub(kc__asg_view *v, int t, int r, void *arg) { ((int *)arg)[t]++; }
static void place_sub(kc__asg_view *v, int t, int r, void *arg) {
    v->sub[((int *)arg)[t]++] = r;
}

/* Drops unsubscribed topics, then fills sub_off, sub and pbase. */
static int view_subs(kc__asg_view *v) {
    int nt = v->ntopics;
    int *cnt = calloc((size_t)nt + 1, sizeof *cnt), *last = malloc(((size_t)nt + 1) * sizeof *last);
    int rc = -1;
    if (!cnt || !last) goto out;
    each_subscription(v, last, count_sub, cnt);
    int k = 0;
    for (int t = 0; t < nt; t++)
        if (cnt[t] > 0) {
            v->topics[k] = v->topics[t];
            cnt[k++] = cnt[t];
        }
    v->ntopics = k;
    v->sub_off = malloc(((size_t)k + 1) * sizeof *v->sub_off);
    v->pbase = malloc(((size_t)k + 1) * sizeof *v->pbase);
    if (!v->sub_off || !v->pbase) goto out;
    v->sub_off[0] = 0;
    v->pbase[0] = 0;
    for (int t = 0; t < k; t++) {
        if (v->pbase[t] > INT32_MAX / 4 - v->topics[t]->partition_cnt) goto out; /* absurd */
        v->sub_off[t + 1] = v->sub_off[t] + cnt[t];
        v->pbase[t + 1] = v->pbase[t] + v->topics[t]->partition_cnt;
        cnt[t] = v->sub_off[t]; /* now the fill cursor */
    }
    v->sub = malloc(((size_t)v->sub_off[k] + 1) * sizeof *v->sub);
    if (!v->sub) goto out;
    each_subscription(v, last, place_sub, cnt);
    rc = 0;
out:
    free(cnt);
    free(last);
    return rc;
}

/* Builds the view and empties every member's `assigned`. */
int kc__asg_view_init(kc__asg_view *v, kc__asg_member *members, int nmembers,
                      const kc__asg_topic *topics, int ntopics,
                      int (*cmp)(const void *, const void *)) {
    memset(v, 0, sizeof *v);
    v->members = members;
    v->nmembers = nmembers > 0 ? nmembers : 0;
    kc__asg_reset(members, v->nmembers);
    if (view_order(v, cmp) || view_candidates(v, topics, ntopics) || view_subs(v)) {
        kc__asg_view_free(v);
        return -1;
    }
    return 0;
}

/* Frees what the view allocated (not the members or topics). */
void kc__asg_view_free(kc__asg_view *v) {
    free(v->order);
    free(v->topics);
    free(v->sub_off);
    free(v->sub);
    free(v->pbase);
    memset(v, 0, sizeof *v);
}
