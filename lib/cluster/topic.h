/* The client's view of topics and partitions (metadata cache), and the
 * per-partition producer state that hangs off it.
 *
 * Topics are created on first use and live as long as the client (a topic
 * pointer stays valid). The topic map and each topic's partition array are
 * guarded by client->topics_lock (readers: kc_produce, broker threads;
 * writer: metadata updates). A partition's batches are guarded by its own
 * lock. */
#ifndef KC_CLUSTER_TOPIC_H
#define KC_CLUSTER_TOPIC_H

#include <pthread.h>
#include <stdatomic.h>

#include "core/client.h"
#include "producer/partitioner.h"
#include "proto/wire.h"

enum {
    KC__TOPIC_UNKNOWN = 0, /* no metadata answer yet */
    KC__TOPIC_EXISTS,
    KC__TOPIC_ERROR,       /* metadata says the topic cannot be used (err) */
};

/* A record waiting for its topic's metadata (copied). */
typedef struct kc__pending kc__pending;

struct kc__ptn {
    kc__topic *topic;
    int32_t id;
    atomic_int leader; /* broker id, -1 unknown */
    pthread_mutex_t lock; /* guards everything below */
    kc__pbatch *open;   /* batch being filled */
    kc__pbatch *rq_head, *rq_tail; /* sealed/retry batches, in send order */
    int inflight;       /* batches sent, unanswered */
    int32_t next_seq;   /* idempotence: next base sequence */
    int64_t pid;        /* producer id and epoch next_seq belongs to */
    int16_t epoch;
    /* Idempotence: a batch of `pid` was acknowledged here since the last
     * error. Until then only one batch is in flight: a broker that does not
     * know our producer state (new partition, restarted broker) accepts any
     * sequence, so a later batch could otherwise land before a failed one. */
    bool confirmed;
};

struct kc__topic {
    char *name;
    kc__uuid id;
    int state;           /* KC__TOPIC_*; written under topics_lock */
    kc_err_t err;
    int32_t npartitions; /* partitions array length; under topics_lock */
    kc__ptn **partitions;
    int64_t created_ms;
    pthread_mutex_t lock; /* guards pending list and partitioner state */
    kc__pending *pend_head, *pend_tail;
    kc__part_state pstate;
};

/* Finds a topic (caller holds topics_lock, read or write). */
kc__topic *kc__topic_find(kc__client *c, const char *name, size_t len);
/* Finds or creates (takes topics_lock for writing when creating). Returns
 * NULL when out of memory. The caller must not hold topics_lock. */
kc__topic *kc__topic_get(kc__client *c, const char *name);
void kc__topics_free(kc__client *c);

/* Applies a decoded MetadataResponse (topics and brokers) to the cache:
 * partition counts and leaders, topic errors; starts threads for new
 * brokers; wakes brokers that gained partitions. Thread: any. */
/* Waits (polling, any thread but the main and broker threads) until the
 * leader of topic/partition is known, asking for metadata; returns it, or -1
 * with *errp: the topic's error, _UNKNOWN_PARTITION, _TIMED_OUT. */
int32_t kc__topic_wait_leader(kc__client *c, const char *topic, int32_t partition,
                              int64_t deadline, kc_err_t *errp);

struct kc__MetadataResponse;
void kc__metadata_apply(kc__client *c, const struct kc__MetadataResponse *md);

#endif
