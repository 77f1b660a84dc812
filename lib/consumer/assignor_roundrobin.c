/* The "roundrobin" assignor (eager), as Kafka's Java RoundRobinAssignor:
 * every partition of every subscribed topic, by topic name then partition,
 * is dealt in turn over the members in MemberInfo order (static members by
 * group.instance.id, then dynamic ones by member id). A member not
 * subscribed to a partition's topic is skipped; the turn carries over from
 * one topic to the next.
 *
 * Pure logic: no I/O, no locks; callable from any thread. */
#include "assignor_int.h"

/* Deals topic t's partitions from member rank *turn on; leaves *turn on
 * the rank after the last taker. */
static int deal_topic(const kc__asg_view *v, int t, int *turn) {
    const kc__asg_topic *tp = v->topics[t];
    for (int32_t p = 0; p < tp->partition_cnt; p++) {
        /* Some member subscribes (the view holds only such topics). */
        while (kc__asg_view_slot(v, t, *turn) < 0) *turn = (*turn + 1) % v->nmembers;
        if (kc__asg_add(&v->members[v->order[*turn]], tp->name, p) != 0) return -1;
        *turn = (*turn + 1) % v->nmembers;
    }
    return 0;
}

/* kc__assignor.assign for "roundrobin". Topics go by name and partitions
 * ascend, so each member's list comes out sorted. */
static kc_err_t roundrobin_assign(kc__asg_member *members, int nmembers,
                                  const kc__asg_topic *topics, int ntopics, char *errstr,
                                  size_t errsize) {
    kc__asg_view v;
    if (kc__asg_view_init(&v, members, nmembers, topics, ntopics, kc__asg_cmp_java) != 0)
        return kc__asg_nomem(members, nmembers, "roundrobin", errstr, errsize);
    int rc = 0, turn = 0;
    for (int t = 0; t < v.ntopics && rc == 0; t++) rc = deal_topic(&v, t, &turn);
    kc__asg_view_free(&v);
    if (rc != 0) return kc__asg_nomem(members, nmembers, "roundrobin", errstr, errsize);
    return KC_ERR_NO_ERROR;
}

const kc__assignor kc__assignor_roundrobin = {"roundrobin", KC__REBALANCE_EAGER,
                                              roundrobin_assign};
