/* Producer internals: batches (kc__pbatch), the accumulator (appending
 * records into per-partition batches), the sender (draining ready batches
 * into ProduceRequests on broker threads) and idempotence state. */
#ifndef KC_PRODUCER_PRODUCER_H
#define KC_PRODUCER_PRODUCER_H

#include "cluster/topic.h"
#include "core/client.h"
#include "proto/record_batch.h"

/* One record batch for one partition, from its first record to its
 * delivery reports. Owned by the partition's queues, then by the request
 * in flight, then by the app queue (as a KC__OP_DR op) until its reports
 * are served. */
struct kc__pbatch {
    kc__op op;            /* KC__OP_DR on the app queue */
    kc__pbatch *next;     /* in the partition's ready queue */
    kc__topic *topic;
    kc__ptn *ptn;         /* NULL for report-only batches (records never placed) */
    kc__buf buf;          /* header + records; sealed: exactly the wire bytes.
                           * Sized at creation to the most the batch can take
                           * (batch.size or its first record); trimmed to its
                           * length when it closes to wait behind others */
    kc__batch_writer w;
    void **opaques;       /* per-record opaque, cnt entries; NULL while every
                           * opaque so far was NULL (allocated at the first other) */
    int32_t cnt, cap;     /* records; opaques capacity */
    int32_t partition;
    int attempts;
    int64_t bytes;        /* accounted bytes (sum of record estimates) */
    int64_t first_ms;     /* monotonic ms of the first append */
    int64_t deadline_ms;  /* delivery timeout */
    int64_t pid;          /* sealed with this producer id/epoch/sequence */
    int32_t base_seq;
    int16_t epoch;
    bool sealed;          /* header + CRC written, compression done */
    kc_err_t err;         /* final outcome (or the last retriable error) */
    char *errstr;         /* its message (malloc'd; NULL: none) */
    int64_t retry_at_ms;  /* not before (backoff) */
    int64_t base_offset;  /* -1 unknown */
    int64_t log_append_time; /* -1: create time */
};

/* Accumulator (producer/accum.c). A batch for a first record of `est`
 * bytes (kc__batch_size_estimate): its buffer holds batch.size or that
 * record, whichever is more, without growing. */
kc__pbatch *kc__pbatch_new(kc__client *c, kc__topic *t, int32_t partition, int64_t est);
void kc__pbatch_free(kc__pbatch *b);
/* Appends a record; returns 0 or a KC__BATCH_ERR_* code. */
int kc__pbatch_append(kc__pbatch *b, int64_t ts, kc__bytes key, kc__bytes value,
                      const kc__rec_header *hdrs, size_t nhdrs, void *opaque, int64_t est);
/* Seals (compresses, writes header and CRC) for the first send. */
int kc__pbatch_seal(kc__client *c, kc__pbatch *b, int64_t pid, int16_t epoch, int32_t seq);
/* Completes a batch with `err` (0: success) and queues its delivery
 * reports for the application. */
void kc__pbatch_done(kc__client *c, kc__pbatch *b, kc_err_t err, const char *fmt, ...)
    KC__PRINTF(4, 5);
/* Sets b->err and its message (kept for the delivery report or a later
 * timeout report). */
void kc__pbatch_set_err(kc__pbatch *b, kc_err_t err, const char *fmt, ...) KC__PRINTF(3, 4);

/* The partition for a record of t produced with KC_PARTITION_ANY: the
 * custom partitioner callback when set, else the configured partitioner.
 * -1 when the callback answers out of range. Caller holds topics_lock
 * (read) and t->lock. */
int32_t kc__pick_partition(kc__client *c, kc__topic *t, const void *key, size_t keylen,
                           int64_t est);
/* Appends one record to partition p of topic t (p valid). Caller holds
 * topics_lock (read). Returns 0 or an error code. */
kc_err_t kc__accum_append(kc__client *c, kc__topic *t, kc__ptn *p, int64_t ts, kc__bytes key,
                          kc__bytes value, const kc__rec_header *hdrs, size_t nhdrs,
                          void *opaque, int64_t est);
/* Keeps a copy of a record whose topic has no metadata yet (or still has
 * pending records), packed with others in shared chunks (t->pend_head ..
 * pend_tail; a chunk is freed once all its records moved out). Caller holds
 * topics_lock (read) and t->lock. */
kc_err_t kc__pending_add(kc__client *c, kc__topic *t, int32_t partition, int64_t ts, kc__bytes key,
                         kc__bytes value, const kc__rec_header *hdrs, size_t nhdrs, void *opaque,
                         int64_t est);
/* Places a topic's pending records now that its metadata is known; those
 * that cannot be placed (partition missing, topic errored) fail. Thread: any. */
void kc__accum_flush_pending(kc__client *c, kc__topic *t);
/* Fails batches past their delivery timeout that are not in flight, and
 * pending records past theirs. Returns the earliest next deadline (ms). */
int64_t kc__accum_expire(kc__client *c, int64_t now);
/* Fails every batch not in flight and every pending record with err. */
void kc__accum_purge(kc__client *c, kc_err_t err, const char *why);

/* Sender (producer/sender.c), on broker threads. Drains ready batches of
 * the partitions led by broker b into ProduceRequests. Returns the next
 * time (ms) a batch becomes ready by linger, or INT64_MAX. */
int64_t kc__sender_run(kc__broker *b, int64_t now);

/* Idempotence (producer/idempotence.c): makes sure a producer id is being
 * obtained; returns true when one is known (pid/epoch filled). */
bool kc__idemp_ready(kc__client *c, int64_t *pid, int16_t *epoch);
/* Called by the main thread: sends InitProducerId when needed. */
void kc__idemp_tick(kc__client *c, int64_t now);
/* The broker lost our producer state (UNKNOWN_PRODUCER_ID, or an
 * out-of-order sequence at the head of a partition): bump the epoch (as the
 * Java client does for idempotent producers, KIP-360: the broker accepts a
 * higher epoch starting again at sequence 0), or get a new producer id when
 * the epoch is exhausted; unacknowledged batches are renumbered from 0.
 * Ignored when (failed_pid, failed_epoch) is not current (an older failure). */
void kc__idemp_reset(kc__client *c, int64_t failed_pid, int16_t failed_epoch, const char *why);

#endif
