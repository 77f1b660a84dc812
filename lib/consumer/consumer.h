/* Consumer internals: per-partition fetch state, fetched chunks and the
 * messages that point into them, the consumer handle, and the entry points
 * of the fetcher (broker threads), offset queries and group membership
 * (main thread).
 *
 * Threads and locks:
 *   app thread   kc_consumer_* calls; serves chunks (poll), runs callbacks.
 *   broker       fetcher.c builds Fetch requests for the partitions it
 *                leads and turns responses into chunks on the app queue.
 *   main         group.c (membership, commits), offsets.c (offset queries).
 *   cons->lock   guards the assignment, every kc__ctp field not marked
 *                atomic, the subscription and the group fields the app
 *                reads. Never held while waiting or calling back.
 *
 * Stale data: every assignment change, seek or pause of a partition bumps
 * its `version`; chunks and events carry the version they were made for,
 * and the app thread drops those whose version is old. */
#ifndef KC_CONSUMER_CONSUMER_H
#define KC_CONSUMER_CONSUMER_H

#include <regex.h>

#include "cluster/topic.h"
#include "core/client.h"
#include "proto/record_batch.h"

typedef struct kc__group kc__group;

/* Fetch states of a partition. */
enum {
    KC__FS_NONE = 0, /* not assigned */
    KC__FS_QUERY,    /* needs a start offset: want_offset is logical */
    KC__FS_ACTIVE,   /* fetching from fetch_pos */
    KC__FS_STOPPED,  /* stopped by an error until seek (corrupt data, reset=error) */
};

/* The consumer's state of one partition. Lives as long as the consumer
 * (kept when unassigned), so chunks may point at it. */
typedef struct kc__ctp {
    kc__topic *topic;  /* metadata entry (lives as long as the client) */
    int32_t partition;
    struct kc__ctp *hnext;

    /* Under cons->lock. */
    bool assigned;
    bool paused;
    int fstate;           /* KC__FS_* */
    int64_t want_offset;  /* QUERY: KC_OFFSET_STORED / BEGINNING / END, or a timestamp query */
    int64_t fetch_pos;    /* ACTIVE: next offset to fetch */
    bool fetching;        /* in a Fetch request in flight */
    bool querying;        /* an offset query is in flight */
    int64_t retry_at;     /* monotonic ms: no fetch/query before (backoff after errors) */
    bool leader_wait;     /* an offset query waits for a leader: retry at new metadata */
    unsigned leader_md_gen; /* client md_gen when it started waiting */
    int64_t hwm, lso, log_start; /* from the last fetch, -1001 unknown */
    int64_t eof_at;       /* offset an EOF event was sent for (-1: none) */
    int64_t committed;    /* last offset committed by us (auto-commit skips equal ones) */
    atomic_uint version;

    /* Position: the next offset the app gets. Written by the app thread
     * (serving), and under cons->lock on seek/assign. */
    atomic_int_fast64_t app_pos;
    atomic_int app_epoch;
    atomic_int_fast64_t queued; /* bytes of chunks queued, not yet served */
    /* The offset to commit when enable.auto.offset.store=false (set by the
     * application through kc_consumer_offsets_store). */
    atomic_int_fast64_t stored;
    atomic_int stored_epoch;
} kc__ctp;

/* The offset the next commit of tp takes: its position, or (without
 * enable.auto.offset.store) what the application stored. */
static inline int64_t kc__ctp_commit_pos(const kc__ctp *tp, bool auto_store, int32_t *epochp) {
    if (auto_store) {
        *epochp = atomic_load(&tp->app_epoch);
        return atomic_load(&tp->app_pos);
    }
    *epochp = atomic_load(&tp->stored_epoch);
    return atomic_load(&tp->stored);
}

/* Memory of fetched responses, kept for reuse (fetch_mem.c): response
 * buffers (the broker's read buffer taken over) and fixed-size blocks for
 * chunks, messages and decompressed records. Without it every response
 * would malloc several MiB that glibc maps fresh (page faults) and unmaps
 * again. Shared by the consumer's broker threads and the threads releasing
 * messages (its lock guards the caches); reference-counted, so messages may
 * outlive the consumer. */
typedef struct kc__fpool kc__fpool;

/* One block of an fbuf's side memory. */
typedef struct kc__fblk {
    struct kc__fblk *next;
    size_t size; /* bytes of data[] */
    _Alignas(64) uint8_t data[];
} kc__fblk;

/* A fetched response; chunks hold references. `mem` is the broker's read
 * buffer taken over (or a copy when the buffer held more). Chunks, their
 * messages and decompressed records live in `blocks` (bump-allocated on
 * the broker thread while the response is parsed), all freed with it. */
typedef struct kc__fbuf {
    atomic_int refs;
    kc__fpool *pool;
    uint8_t *mem;
    size_t cap;          /* bytes allocated at mem */
    kc__fblk *blocks;    /* the first is the one being filled */
    size_t used;         /* bytes used of blocks->data */
} kc__fbuf;

/* A message: a record (a slot of a fetched chunk, pointing into its
 * buffers; topic, partition, leader epoch and timestamp type are the
 * chunk's) or, with chunk NULL, an event (a kc__msg_event). 64 bytes: one
 * cache line written per record served. */
struct kc_message {
    struct kc__fchunk *chunk; /* NULL: an event */
    int64_t offset;
    int64_t timestamp;
    const uint8_t *key, *value;
    int32_t key_len, value_len; /* -1: null */
    const uint8_t *hdrs;      /* the record's headers; with KC__MSG_HDRS_INDEXED
                                 in hdrs_len, their index (built on first access) */
    uint32_t hdrs_len;
    int32_t hdr_count;
};
#define KC__MSG_HDRS_INDEXED 0x80000000u

/* An event returned as a message (malloc'd on its own, strings after it). */
typedef struct kc__msg_event {
    kc_message_t m;
    const char *topic;        /* NULL for consumer-wide events */
    int32_t partition;
    kc_err_t err;
    char *errstr;
} kc__msg_event;

/* One record batch of one partition, ready to be served. Allocated in its
 * fbuf's memory with room for one message per record; holds a reference on
 * the fbuf; messages hold references on it. */
typedef struct kc__fchunk {
    kc__op op;           /* KC__OP_FETCH on the app queue (the first of a chain) */
    struct kc__fchunk *next_chunk; /* the partition's next batch of the same
                                      response: served after this one, not
                                      queued on its own; freed with it if stale */
    atomic_int refs;     /* 1 while queued/serving + 1 per live message (while
                            serving, the slots not yet served are counted too) */
    kc__ctp *tp;         /* not after the consumer is destroyed */
    int32_t partition;
    unsigned version;
    kc__fbuf *fbuf;
    kc__buf dbuf;        /* decompressed records, for codecs without a size bound */
    kc__record_iter it;
    int64_t skip_below;  /* records before this offset are not served */
    int64_t bytes;       /* accounted in tp->queued and cons->queued */
    int32_t leader_epoch;
    int tstype;
    int32_t nmsgs, nused;
    char *topic;         /* copy in the fbuf's memory, so messages outlive the consumer */
    struct kc__consumer *cons;
    _Alignas(64) kc_message_t msgs[]; /* a cache line each */
} kc__fchunk;

/* App-queue op types of the consumer (after client.h's). */
enum {
    KC__OP_FETCH = 100, /* kc__fchunk */
    KC__OP_EVENT,       /* kc__op_event: a message to return as is */
    KC__OP_REBALANCE,   /* kc__op_rebalance */
    KC__OP_COMMIT,      /* kc__op_commit: a commit result */
    KC__OP_CALL,        /* kc__op_call: run on the main thread */
};

typedef struct kc__op_event {
    kc__op op;
    kc__ctp *tp;      /* NULL: consumer-wide */
    unsigned version; /* of tp when made */
    kc_message_t *m;
} kc__op_event;

typedef struct kc__op_rebalance {
    kc__op op;
    int event;            /* KC_REBALANCE_* */
    kc_tplist_t *parts;
    kc_tplist_t *assign_after; /* cooperative: partitions to assign after a revoke */
    int32_t generation;   /* the group generation this belongs to */
} kc__op_rebalance;

/* Commit request (app -> main) and result (main/broker -> app or waiter). */
typedef struct kc__commit_wait kc__commit_wait;
typedef struct kc__op_commit {
    kc__op op;
    kc_tplist_t *offsets;
    kc_err_t err;
    char errstr[256];
    kc__commit_wait *waiter; /* sync commit: result goes here, not to the app queue */
    int64_t deadline;
    bool autocommit;
} kc__op_commit;

struct kc__commit_wait {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    kc_err_t err;
    char errstr[256];
    kc_tplist_t *result; /* offsets with per-entry errors */
};

typedef struct kc__op_call {
    kc__op op;
    void (*fn)(kc__client *c, struct kc__op_call *op);
    void *arg;
    int64_t i;
} kc__op_call;

typedef struct kc__consumer {
    kc__client *c;
    kc_consumer_t *handle;
    pthread_mutex_t lock;    /* see the file comment */
    kc__ctp **map;           /* ctps by (topic, partition), open hashing */
    size_t map_cap, map_cnt;
    kc__ctp **assigned;      /* the assignment, in assignment order */
    int nassigned, cap_assigned;
    bool manual;             /* assigned with kc_consumer_assign() (app thread) */
    atomic_bool subscribed;  /* group-managed (set by the app, cleared by the main thread) */
    char **sub;              /* subscription names and patterns */
    regex_t *sub_re;         /* compiled pattern per sub entry (NULL for names) */
    bool *sub_is_re;
    int nsub;
    unsigned sub_version;    /* bumped at each subscribe/unsubscribe */

    kc__fpool *pool;              /* memory of fetched responses (fetch_mem.c) */
    atomic_int_fast64_t queued;   /* bytes of chunks on the app queue */
    int64_t max_queued;           /* queued.max.messages.kbytes */
    atomic_bool fetch_blocked;    /* a fetcher stopped for the queue limit */
    atomic_int_fast64_t last_poll_ms;

    /* Settings. */
    int32_t fetch_min_bytes, fetch_max_wait_ms, fetch_max_bytes, max_partition_fetch_bytes;
    int8_t isolation;        /* 0 read_uncommitted, 1 read_committed */
    int64_t reset;           /* KC_OFFSET_BEGINNING / KC_OFFSET_END / KC_OFFSET_INVALID (error) */
    bool check_crcs, enable_eof, auto_commit, auto_store;
    int max_poll_records;
    const char *group_id;    /* "" when none */

    /* App thread only. */
    kc__fchunk *cur;         /* chunk being served */
    bool in_rebalance_cb;
    int rebalance_handled;   /* the callback applied the change itself */
    bool closed;

    kc__group *grp;          /* group membership (main thread) */
} kc__consumer;

static inline kc__consumer *kc__cons(kc__client *c) { return (kc__consumer *)c->cons; }

/* ---- consumer.c */
/* Finds or creates the ctp of (topic, partition). Caller holds cons->lock.
 * NULL when out of memory. */
kc__ctp *kc__ctp_get(kc__consumer *cs, const char *topic, int32_t partition);
kc__ctp *kc__ctp_find(kc__consumer *cs, const char *topic, size_t len, int32_t partition);
/* Pushes an event message for tp (NULL: consumer-wide) to the app queue. */
void kc__cons_event(kc__consumer *cs, kc__ctp *tp, unsigned version, kc_err_t err, int64_t offset,
                    const char *fmt, ...) KC__PRINTF(6, 7);
/* Runs fn(c, op) on the main thread. */
void kc__cons_call_main(kc__client *c, void (*fn)(kc__client *, kc__op_call *), void *arg,
                        int64_t i);
/* The leader broker of tp, or NULL (metadata refresh requested). */
int32_t kc__ctp_leader(kc__client *c, const kc__ctp *tp);
/* Sets the start position of tp (under cons->lock): offset >= 0 starts
 * fetching, a logical offset queues a query. Bumps the version. */
void kc__ctp_set_start(kc__consumer *cs, kc__ctp *tp, int64_t offset);

/* ---- fetcher.c (broker threads) */
int64_t kc__fetcher_run(kc__broker *b, int64_t now);
void kc__fetcher_free(kc__broker *b);
void kc__fbuf_release(kc__fbuf *fb);
void kc__fchunk_release_n(kc__fchunk *ch, int n);
static inline void kc__fchunk_release(kc__fchunk *ch) { kc__fchunk_release_n(ch, 1); }

/* ---- fetch_mem.c (any thread unless noted) */
/* A pool keeping up to max_bytes of free blocks and up to max_bytes of
 * response buffers (4 at most). NULL when out of memory. */
kc__fpool *kc__fpool_new(size_t max_bytes);
/* The owner's reference: frees the cached memory; later returns are freed. */
void kc__fpool_close(kc__fpool *p);
/* A cached response buffer (its size in *capp), or NULL when none. */
uint8_t *kc__fpool_get_rbuf(kc__fpool *p, size_t *capp);
/* A response buffer of at least n bytes: cached, or malloc'd. NULL: out of
 * memory. */
uint8_t *kc__fpool_rbuf(kc__fpool *p, size_t n, size_t *capp);
/* An fbuf owning mem (cap bytes, malloc'd) with one reference. NULL (mem
 * not taken) when out of memory. */
kc__fbuf *kc__fbuf_new(kc__fpool *p, uint8_t *mem, size_t cap);
/* Broker thread, while the fbuf is being filled: n bytes of side memory,
 * 64-byte aligned, not zeroed; NULL when out of memory. */
void *kc__fbuf_alloc(kc__fbuf *fb, size_t n);
/* Gives back the end of the last kc__fbuf_alloc(): it was n bytes at p and
 * only used bytes are kept. */
void kc__fbuf_trim(kc__fbuf *fb, void *p, size_t n, size_t used);

/* ---- message.c */
kc_message_t *kc__msg_event_new(const char *topic, int32_t partition, kc_err_t err,
                                int64_t offset, const char *errstr);

/* ---- offsets.c (main thread) */
/* Sends offset queries for partitions in KC__FS_QUERY. */
int64_t kc__offsets_tick(kc__client *c, int64_t now);
/* ListOffsets for one partition, blocking the caller (app thread) up to
 * deadline: ts is a timestamp or -1 (latest) / -2 (earliest). */
kc_err_t kc__list_offset_sync(kc__client *c, const char *topic, int32_t partition, int64_t ts,
                              int64_t deadline, int64_t *offsetp, char *errstr, size_t errsize);

/* ---- group.c (main thread unless noted) */
kc_err_t kc__group_new(kc__consumer *cs, char *errstr, size_t errsize);
void kc__group_free(kc__consumer *cs);
int64_t kc__group_tick(kc__client *c, int64_t now);
/* App thread: the subscription changed (nsub 0: unsubscribed). */
void kc__group_subscription_changed(kc__consumer *cs);
/* App thread: the app finished handling a rebalance op of `generation`. */
void kc__group_rebalance_done(kc__consumer *cs, int event, int32_t generation);
/* App thread: commit (takes ownership of offsets); waits when w is set. */
void kc__group_commit(kc__consumer *cs, kc_tplist_t *offsets, kc__commit_wait *w, bool autocommit);
/* App thread: committed offsets into parts, waiting up to deadline. */
kc_err_t kc__group_committed(kc__consumer *cs, kc_tplist_t *parts, int64_t deadline,
                             char *errstr, size_t errsize);
/* App thread: leave the group (close). Returns once left or at deadline. */
void kc__group_leave(kc__consumer *cs, int64_t deadline);
/* Broker thread (metadata response): topic names for pattern
 * subscriptions. */
struct kc__MetadataResponse;
void kc__group_metadata(kc__client *c, const struct kc__MetadataResponse *md);
void kc__group_memberid(kc__consumer *cs, char *buf, size_t size);
/* App thread: the group uses the eager protocol (range, roundrobin). */
bool kc__group_is_eager(kc__consumer *cs);
/* App thread: the member is in (or joining) a group. */
bool kc__group_active(kc__consumer *cs);
/* App thread: kc__group_leave() has finished. */
bool kc__group_left(kc__consumer *cs);

/* consumer.c: applies a rebalance change to the assignment. */
kc_err_t kc__cons_apply(kc__consumer *cs, int event, const kc_tplist_t *parts, bool eager);

/* tplist internals (tplist.c). */
struct kc_tplist {
    struct kc__tpl_entry {
        char *topic;
        int32_t partition;
        int32_t leader_epoch;
        int64_t offset;
        char *metadata;
        kc_err_t err;
    } *e;
    int n, cap;
};

#endif
