/* What the assignors (assignor_range.c, assignor_roundrobin.c,
 * assignor_sticky.c) share, built by assignor.c: the assignor objects for
 * the registry, a sorted view of the group (members in an assignor's order,
 * the subscribed topics by name and who subscribes to each) and the output
 * helpers. Not part of the interface of assignor.h.
 *
 * Pure logic: no I/O, no locks; callable from any thread. */
#ifndef KC_CONSUMER_ASSIGNOR_INT_H
#define KC_CONSUMER_ASSIGNOR_INT_H

#include "assignor.h"

extern const kc__assignor kc__assignor_range;
extern const kc__assignor kc__assignor_roundrobin;
extern const kc__assignor kc__assignor_sticky;

/* The group as an assignor sees it. A member's rank is its position in the
 * assignor's member order; a "slot" is one (topic, subscribed member) pair,
 * an index into sub. */
typedef struct kc__asg_view {
    kc__asg_member *members;
    int nmembers;
    int *order;                  /* order[rank]: index into members */
    const kc__asg_topic **topics; /* subscribed by someone, with partitions; by name, unique */
    int ntopics;
    int *sub_off;                /* ntopics + 1: topic t's slots are sub_off[t] .. sub_off[t+1]-1 */
    int *sub;                    /* slot -> rank of the subscriber; ascending within a topic */
    int32_t *pbase;              /* ntopics + 1: first global partition index of each topic */
} kc__asg_view;

/* Member orders: Java's MemberInfo (static members by group.instance.id
 * first, then dynamic ones by member id), and plain member id. qsort
 * comparators over kc__asg_member pointers (const kc__asg_member *const *). */
int kc__asg_cmp_java(const void *a, const void *b);
int kc__asg_cmp_member_id(const void *a, const void *b);

/* Builds the view and empties every member's `assigned`. Returns 0 or -1
 * (out of memory; nothing to free then). */
int kc__asg_view_init(kc__asg_view *v, kc__asg_member *members, int nmembers,
                      const kc__asg_topic *topics, int ntopics,
                      int (*cmp)(const void *, const void *));
void kc__asg_view_free(kc__asg_view *v);
/* Index of a topic of the view by name, or -1. */
int kc__asg_view_topic(const kc__asg_view *v, const char *name);
/* Slot of (topic t, member rank), or -1 when that member does not subscribe. */
int kc__asg_view_slot(const kc__asg_view *v, int t, int rank);

/* Appends (topic copied, partition) to m->assigned. Returns 0 or -1. */
int kc__asg_add(kc__asg_member *m, const char *topic, int32_t partition);
/* Empties `assigned` of every member (after a failure). */
void kc__asg_reset(kc__asg_member *members, int nmembers);
/* The out-of-memory return of an assign function: resets the members'
 * output and sets errstr. */
kc_err_t kc__asg_nomem(kc__asg_member *members, int nmembers, const char *who, char *errstr,
                       size_t errsize);

#endif
