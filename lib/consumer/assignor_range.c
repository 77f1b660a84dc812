/* The "range" assignor (eager), as Kafka's Java RangeAssignor without rack
 * awareness: topic by topic, the topic's subscribers in MemberInfo order
 * (static members by group.instance.id, then dynamic ones by member id)
 * each take a contiguous range of its partitions; the first
 * (partitions % subscribers) of them take one more.
 *
 * Pure logic: no I/O, no locks; callable from any thread. */
#include "assignor_int.h"

/* Gives topic t's partitions to its subscribers in contiguous ranges. */
static int range_topic(const kc__asg_view *v, int t) {
    const kc__asg_topic *tp = v->topics[t];
    int first = v->sub_off[t], n = v->sub_off[t + 1] - first;
    int32_t per = tp->partition_cnt / n, extra = tp->partition_cnt % n;
    int32_t start = 0;
    for (int i = 0; i < n; i++) {
        kc__asg_member *m = &v->members[v->order[v->sub[first + i]]];
        int32_t len = per + (i < extra ? 1 : 0);
        for (int32_t p = start; p < start + len; p++)
            if (kc__asg_add(m, tp->name, p) != 0) return -1;
        start += len;
    }
    return 0;
}

/* kc__assignor.assign for "range". Topics go by name and partitions
 * ascend, so each member's list comes out sorted. */
static kc_err_t range_assign(kc__asg_member *members, int nmembers, const kc__asg_topic *topics,
                             int ntopics, char *errstr, size_t errsize) {
    kc__asg_view v;
    if (kc__asg_view_init(&v, members, nmembers, topics, ntopics, kc__asg_cmp_java) != 0)
        return kc__asg_nomem(members, nmembers, "range", errstr, errsize);
    int rc = 0;
    for (int t = 0; t < v.ntopics && rc == 0; t++) rc = range_topic(&v, t);
    kc__asg_view_free(&v);
    if (rc != 0) return kc__asg_nomem(members, nmembers, "range", errstr, errsize);
    return KC_ERR_NO_ERROR;
}

const kc__assignor kc__assignor_range = {"range", KC__REBALANCE_EAGER, range_assign};
