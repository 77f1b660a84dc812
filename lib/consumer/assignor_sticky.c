/* The "cooperative-sticky" assignor (cooperative protocol), after Kafka's
 * Java CooperativeStickyAssignor: a balanced assignment that keeps as many
 * previously owned partitions as balance allows, from which every partition
 * changing owner is then removed (the new owner gets it in the follow-up
 * rebalance, once the old one has revoked it).
 *
 * The sticky step, over a global partition index (topics by name,
 * partitions ascending):
 *   1. ownership: each partition goes back to the member whose claim has the
 *      highest generation, when that member still subscribes to its topic;
 *      two members claiming it at that generation keep it for neither;
 *   1b. with equal subscriptions (Java's "constrained" case), each member
 *      keeps at most its share (partitions / members, one more for the
 *      partitions % members members keeping most), its lowest partitions;
 *   2. the partitions left go, topics with the fewest subscribers first, each
 *      to its least loaded subscriber (ties: lowest member id);
 *   3. balancing (unequal subscriptions; a no-op after 1b): topic by topic,
 *      one partition at a time moves from the most loaded member holding one
 *      of the topic's partitions to the least loaded subscriber while they
 *      differ by two or more, preferring partitions the holder did not own;
 *      until no topic moves anything;
 *   4. cooperative removal: a partition someone claimed, given to a member
 *      other than the winner of phase 1's claims, is left out of this
 *      rebalance's assignment (its owner revokes it first). Java's
 *      computePartitionsTransferringOwnership does this too but takes any
 *      claim by the new member as ownership; here a stale (lower
 *      generation) or tied claim does not count, so such a member cannot
 *      get the partition while its current owner still holds it.
 * Result: no partition can move to a subscriber with two fewer partitions
 * than its holder, so members with equal subscriptions differ by at most
 * one. With equal subscriptions a fresh group gets exactly Java's
 * assignment (partitions dealt in order over members sorted by id) and a
 * group with history keeps as many owned partitions as Java (the most
 * possible). With unequal subscriptions the result is balanced and about as
 * sticky as Java's, but which partitions move differs (Java's choice
 * follows its hash map iteration order).
 *
 * Each member's partitions are kept in a list per (topic, member) slot: the
 * ones it did not own at the head, owned ones at the tail, so a move takes
 * the head. Cost: O(partitions x subscribers per topic) for phases 2-3.
 *
 * Pure logic: no I/O, no locks; callable from any thread. */
#include <stdlib.h>
#include <string.h>

#include "assignor_int.h"

typedef struct sticky {
    kc__asg_view v;
    int np;         /* partitions in the view */
    int *ptopic;    /* partition -> topic index */
    int *owner;     /* partition -> rank of its highest-generation claim, or -1 */
    int32_t *gen;   /* partition -> generation of owner's claim */
    char *tie;      /* partition -> two members claim it at that generation */
    int *holder;    /* partition -> slot holding it, or -1 */
    int *next;      /* partition -> next partition in its slot's list, or -1 */
    int *head;      /* slot -> first partition of its list, or -1 */
    int *tail;      /* slot -> last partition of its list, or -1 */
    int *cnt;       /* rank -> partitions held */
} sticky;

/* malloc of n ints set to -1 (n may be 0). */
static int *ints(size_t n) {
    int *p = malloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; p && i < n; i++) p[i] = -1;
    return p;
}

/* Allocates the per-partition, per-slot and per-member arrays. */
static int sticky_alloc(sticky *st) {
    size_t np = (size_t)st->np, nslots = (size_t)st->v.sub_off[st->v.ntopics];
    st->ptopic = ints(np);
    st->owner = ints(np);
    st->gen = calloc(np ? np : 1, sizeof *st->gen);
    st->tie = calloc(np ? np : 1, 1);
    st->holder = ints(np);
    st->next = ints(np);
    st->head = ints(nslots);
    st->tail = ints(nslots);
    st->cnt = calloc(st->v.nmembers ? (size_t)st->v.nmembers : 1, sizeof *st->cnt);
    bool ok = st->ptopic && st->owner && st->gen && st->tie && st->holder && st->next;
    return ok && st->head && st->tail && st->cnt ? 0 : -1;
}

/* Frees what sticky_init() allocated. */
static void sticky_free(sticky *st) {
    free(st->ptopic);
    free(st->owner);
    free(st->gen);
    free(st->tie);
    free(st->holder);
    free(st->next);
    free(st->head);
    free(st->tail);
    free(st->cnt);
    kc__asg_view_free(&st->v);
}

/* Builds the view (members by id) and the working arrays. */
static int sticky_init(sticky *st, kc__asg_member *members, int nmembers,
                       const kc__asg_topic *topics, int ntopics) {
    memset(st, 0, sizeof *st);
    if (kc__asg_view_init(&st->v, members, nmembers, topics, ntopics, kc__asg_cmp_member_id))
        return -1;
    st->np = st->v.pbase[st->v.ntopics];
    if (sticky_alloc(st) != 0) return -1;
    for (int t = 0; t < st->v.ntopics; t++)
        for (int32_t p = st->v.pbase[t]; p < st->v.pbase[t + 1]; p++) st->ptopic[p] = t;
    return 0;
}

/* The rank holding slot s. */
static int slot_rank(const sticky *st, int s) { return st->v.sub[s]; }

/* Records member rank r's claim on partition p at generation g. */
static void claim(sticky *st, int p, int r, int32_t g) {
    if (st->owner[p] == r) return; /* listed twice */
    if (st->owner[p] < 0 || g > st->gen[p]) {
        st->owner[p] = r;
        st->gen[p] = g;
        st->tie[p] = 0;
    } else if (g == st->gen[p]) {
        st->tie[p] = 1;
    }
}

/* Records every member's claims on partitions of the view. */
static void collect_claims(sticky *st) {
    for (int r = 0; r < st->v.nmembers; r++) {
        const kc__asg_member *m = &st->v.members[st->v.order[r]];
        for (int i = 0; i < m->nowned; i++) {
            int t = kc__asg_view_topic(&st->v, m->owned[i].topic);
            if (t < 0 || m->owned[i].partition < 0 ||
                m->owned[i].partition >= st->v.topics[t]->partition_cnt)
                continue;
            claim(st, st->v.pbase[t] + m->owned[i].partition, r, m->generation);
        }
    }
}

/* Whether rank r won the claims on partition p (its rightful owner). */
static bool owns(const sticky *st, int p, int r) { return st->owner[p] == r && !st->tie[p]; }

/* Gives partition p to slot s: owned ones to the tail, others to the head. */
static void give(sticky *st, int p, int s) {
    int r = slot_rank(st, s);
    st->holder[p] = s;
    st->cnt[r]++;
    if (owns(st, p, r) && st->tail[s] >= 0) {
        st->next[st->tail[s]] = p;
        st->next[p] = -1;
        st->tail[s] = p;
    } else {
        st->next[p] = st->head[s];
        st->head[s] = p;
        if (st->tail[s] < 0) st->tail[s] = p;
    }
}

/* Takes the first partition off slot s's list (which is not empty). */
static int take(sticky *st, int s) {
    int p = st->head[s];
    st->head[s] = st->next[p];
    if (st->head[s] < 0) st->tail[s] = -1;
    st->holder[p] = -1;
    st->next[p] = -1;
    st->cnt[slot_rank(st, s)]--;
    return p;
}

/* Phase 1: owners still subscribed keep their partitions. Going down the
 * partitions leaves each list in descending order, so the highest
 * partitions are the first to go (Java keeps the first of its sorted
 * owned partitions). */
static void keep_owned(sticky *st) {
    for (int p = st->np - 1; p >= 0; p--) {
        int r = st->owner[p];
        int s = owns(st, p, r) ? kc__asg_view_slot(&st->v, st->ptopic[p], r) : -1;
        if (s >= 0) give(st, p, s);
    }
}

/* Whether every member subscribes to every topic of the view. */
static bool all_subscribe_all(const sticky *st) {
    for (int t = 0; t < st->v.ntopics; t++)
        if (st->v.sub_off[t + 1] - st->v.sub_off[t] != st->v.nmembers) return false;
    return true;
}

/* Frees member rank r's partitions beyond cap, highest first. With equal
 * subscriptions a topic's slots are all the ranks in order. */
static void shed(sticky *st, int r, int cap) {
    for (int t = st->v.ntopics - 1; t >= 0 && st->cnt[r] > cap; t--) {
        int s = st->v.sub_off[t] + r;
        while (st->cnt[r] > cap && st->head[s] >= 0) (void)take(st, s);
    }
}

/* qsort comparator over {count, rank} pairs: count descending, then rank. */
static int cmp_by_count_desc(const void *a, const void *b) {
    const int *x = a, *y = b;
    return x[0] != y[0] ? (x[0] > y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* Phase 1b, with equal subscriptions only (like Java's constrained
 * assignment): caps what each member keeps at its share, the (partitions %
 * members) larger shares going to the members keeping most, which keeps
 * the most owned partitions possible. Phase 2 then fills every member to
 * its share and phase 3 has nothing to do. Returns 0 or -1. */
static int cap_owned(sticky *st) {
    int n = st->v.nmembers;
    if (n == 0 || !all_subscribe_all(st)) return 0;
    int *ord = malloc((size_t)n * 2 * sizeof *ord);
    if (!ord) return -1;
    for (int r = 0; r < n; r++) {
        ord[2 * r] = st->cnt[r];
        ord[2 * r + 1] = r;
    }
    qsort(ord, (size_t)n, 2 * sizeof *ord, cmp_by_count_desc);
    for (int i = 0; i < n; i++) shed(st, ord[2 * i + 1], st->np / n + (i < st->np % n));
    free(ord);
    return 0;
}

/* The slot of topic t whose member holds fewest partitions (lowest rank on ties). */
static int least_loaded(const sticky *st, int t) {
    int best = -1;
    for (int s = st->v.sub_off[t]; s < st->v.sub_off[t + 1]; s++)
        if (best < 0 || st->cnt[slot_rank(st, s)] < st->cnt[slot_rank(st, best)]) best = s;
    return best;
}

/* Whether slot s's first partition is one its member did not own. */
static bool head_is_new(const sticky *st, int s) {
    return st->head[s] >= 0 && !owns(st, st->head[s], slot_rank(st, s));
}

/* The non-empty slot of topic t whose member holds most partitions
 * (preferring one that can give away a partition it did not own, then the
 * lowest rank), or -1. */
static int most_loaded(const sticky *st, int t) {
    int best = -1;
    for (int s = st->v.sub_off[t]; s < st->v.sub_off[t + 1]; s++) {
        if (st->head[s] < 0) continue;
        int d = best < 0 ? 1 : st->cnt[slot_rank(st, s)] - st->cnt[slot_rank(st, best)];
        if (d > 0 || (d == 0 && head_is_new(st, s) && !head_is_new(st, best))) best = s;
    }
    return best;
}

/* qsort context-free comparator: topics by subscriber count, then name
 * (index order). Elements are {subscribers, index} pairs. */
static int cmp_by_subs(const void *a, const void *b) {
    const int *x = a, *y = b;
    return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* Phase 2: the partitions nobody kept go to the least loaded subscriber,
 * topics with the fewest subscribers first. Returns 0 or -1. */
static int assign_free(sticky *st) {
    int nt = st->v.ntopics;
    int *order = malloc((nt ? (size_t)nt : 1) * 2 * sizeof *order);
    if (!order) return -1;
    for (int t = 0; t < nt; t++) {
        order[2 * t] = st->v.sub_off[t + 1] - st->v.sub_off[t];
        order[2 * t + 1] = t;
    }
    qsort(order, (size_t)nt, 2 * sizeof *order, cmp_by_subs);
    for (int i = 0; i < nt; i++) {
        int t = order[2 * i + 1];
        for (int32_t p = st->v.pbase[t]; p < st->v.pbase[t + 1]; p++)
            if (st->holder[p] < 0) give(st, p, least_loaded(st, t));
    }
    free(order);
    return 0;
}

/* Phase 3 for one topic: moves partitions from its most to its least loaded
 * member while they differ by two or more. Returns whether any moved. */
static bool balance_topic(sticky *st, int t) {
    bool moved = false;
    for (;;) {
        int to = least_loaded(st, t), from = most_loaded(st, t);
        if (from < 0 || st->cnt[slot_rank(st, from)] - st->cnt[slot_rank(st, to)] < 2)
            return moved;
        give(st, take(st, from), to);
        moved = true;
    }
}

/* Phase 3: balances topic by topic until nothing moves. Each move lowers
 * the sum of squared member loads, so this ends. */
static void balance(sticky *st) {
    bool moved;
    do {
        moved = false;
        for (int t = 0; t < st->v.ntopics; t++) moved |= balance_topic(st, t);
    } while (moved);
}

/* Phase 4 test: someone claimed p and rank r, which gets it, is not its
 * rightful owner (the owner, or every claimer on a tie, revokes it first). */
static bool transferring(const sticky *st, int p, int r) {
    return st->owner[p] >= 0 && !owns(st, p, r);
}

/* Phase 4: writes the members' outputs in partition order (so sorted),
 * leaving out the transferring partitions. Returns 0 or -1. */
static int emit(sticky *st) {
    for (int p = 0; p < st->np; p++) {
        int r = slot_rank(st, st->holder[p]), t = st->ptopic[p];
        if (transferring(st, p, r)) continue;
        if (kc__asg_add(&st->v.members[st->v.order[r]], st->v.topics[t]->name,
                        p - st->v.pbase[t]) != 0)
            return -1;
    }
    return 0;
}

/* kc__assignor.assign for "cooperative-sticky". */
static kc_err_t sticky_assign(kc__asg_member *members, int nmembers, const kc__asg_topic *topics,
                              int ntopics, char *errstr, size_t errsize) {
    sticky st;
    int rc = sticky_init(&st, members, nmembers, topics, ntopics);
    if (rc == 0) {
        collect_claims(&st);
        keep_owned(&st);
        rc = cap_owned(&st);
    }
    if (rc == 0) {
        rc = assign_free(&st);
    }
    if (rc == 0) {
        balance(&st);
        rc = emit(&st);
    }
    sticky_free(&st);
    if (rc != 0) return kc__asg_nomem(members, nmembers, "cooperative-sticky", errstr, errsize);
    return KC_ERR_NO_ERROR;
}

const kc__assignor kc__assignor_sticky = {"cooperative-sticky", KC__REBALANCE_COOPERATIVE,
                                          sticky_assign};
