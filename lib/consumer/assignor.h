/* Partition assignors for the classic consumer group protocol: the group
 * leader runs one to split the subscribed topics' partitions among the
 * members. Each assignor is one file (assignor_range.c,
 * assignor_roundrobin.c, assignor_sticky.c); this header is their common
 * interface and the ConsumerProtocol subscription/assignment codec.
 *
 * Pure logic: no I/O, no locks; callable from any thread. */
#ifndef KC_CONSUMER_ASSIGNOR_H
#define KC_CONSUMER_ASSIGNOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kafkac.h"

enum { KC__REBALANCE_EAGER = 0, KC__REBALANCE_COOPERATIVE = 1 };

typedef struct kc__asg_tp {
    char *topic; /* owned by the containing structure */
    int32_t partition;
} kc__asg_tp;

/* One group member as the leader sees it (from JoinGroupResponse). */
typedef struct kc__asg_member {
    char *member_id;
    char *instance_id;   /* group.instance.id, NULL when dynamic */
    char **topics;       /* subscription, ntopics names */
    int ntopics;
    kc__asg_tp *owned;   /* partitions owned before this rebalance (v1+) */
    int nowned;
    int32_t generation;  /* generation of `owned` (-1 unknown) */
    char *rack;          /* NULL when none */
    /* Output, filled by the assignor (sorted by topic, then partition). */
    kc__asg_tp *assigned;
    int nassigned;
} kc__asg_member;

/* A subscribed topic and its partition count (from metadata). Topics that
 * do not exist are left out by the caller. */
typedef struct kc__asg_topic {
    const char *name;
    int32_t partition_cnt;
} kc__asg_topic;

typedef struct kc__assignor {
    const char *name;   /* protocol name: "range", "roundrobin", "cooperative-sticky" */
    int protocol;       /* KC__REBALANCE_* */
    /* Fills members[i].assigned for every member. Every partition of every
     * topic subscribed by at least one member is assigned to exactly one
     * member subscribed to it, except that a cooperative assignor leaves
     * out a partition moving away from its current owner (the owner revokes
     * it; the follow-up rebalance assigns it). Returns 0, or an error (out
     * of memory) with errstr set. */
    kc_err_t (*assign)(kc__asg_member *members, int nmembers, const kc__asg_topic *topics,
                       int ntopics, char *errstr, size_t errsize);
} kc__assignor;

/* By protocol name (exact match), or NULL. */
const kc__assignor *kc__assignor_find(const char *name);

/* Frees what a member owns (strings, arrays) and zeroes it. */
void kc__asg_member_clear(kc__asg_member *m);

/* ---- ConsumerProtocol (JoinGroup metadata, SyncGroup assignment) ----- */

/* Encodes a ConsumerProtocolSubscription (version ver, 0..3) into a new
 * malloc'd buffer (*outp, *lenp). topics: ntopics names; owned: partitions
 * currently owned (cooperative, v1+); generation (v2+); rack (v3+, NULL
 * for none). Returns 0, or -1 when out of memory (or for a version outside
 * 0..3 or a NULL name). */
int kc__consumer_subscription_encode(int16_t ver, const char *const *topics, int ntopics,
                                     const kc__asg_tp *owned, int nowned, int32_t generation,
                                     const char *rack, uint8_t **outp, size_t *lenp);
/* Decodes JoinGroup member metadata into m's topics, owned, generation and
 * rack (m's member_id/instance_id are left alone). Returns 0, or -1 for
 * malformed input (m is then cleared of what was decoded). */
int kc__consumer_subscription_decode(const void *p, size_t len, kc__asg_member *m);

/* Encodes a ConsumerProtocolAssignment (version ver, 0..3) of `tps` into a
 * new malloc'd buffer. Returns 0, or -1 when out of memory (or for a version
 * outside 0..3 or a NULL topic). */
int kc__consumer_assignment_encode(int16_t ver, const kc__asg_tp *tps, int ntps, uint8_t **outp,
                                   size_t *lenp);
/* Decodes a SyncGroup assignment into a new malloc'd array (*tpsp, *ntpsp;
 * free each topic and the array with kc__asg_tps_free()). An empty input
 * is an empty assignment. Returns 0 or -1 for malformed input. */
int kc__consumer_assignment_decode(const void *p, size_t len, kc__asg_tp **tpsp, int *ntpsp);
void kc__asg_tps_free(kc__asg_tp *tps, int n);

#endif
