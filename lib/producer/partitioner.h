/* The producer's built-in partitioners: which partition a record without an
 * explicit partition goes to. Pure logic: no I/O, no locks, no allocation.
 *
 * Chosen by the `partitioner` config key. Names are librdkafka's where it
 * has them; "null key" means the record has no key (key == NULL), "empty
 * key" a zero-length key that is not NULL. Keyed picks ignore availability
 * (a key always maps to the same partition, as in Java and librdkafka).
 *
 *   murmur2_random     murmur2(key) for keys (empty included), sticky for null
 *                      keys. The Java producer's default (BuiltInPartitioner,
 *                      KIP-794) and librdkafka's murmur2_random. DEFAULT.
 *   murmur2            murmur2(key); a null key hashes as the empty key, so all
 *                      null keys go to one partition. librdkafka's murmur2
 *                      (which never applies stickiness to it either).
 *   consistent         crc32(key) % n, the zlib CRC-32; a null key is the empty
 *                      key (CRC 0, so partition 0). librdkafka's consistent.
 *   consistent_random  crc32(key) % n for non-empty keys, sticky for null and
 *                      empty keys. librdkafka's consistent_random.
 *   random             uniformly random per record, keys ignored, among the
 *                      partitions with a leader when there are any.
 *                      librdkafka's random (which in >= 1.6 makes null keys
 *                      sticky even here; we don't: asking for random means it).
 *   round_robin        each record to the next partition in order, keys
 *                      ignored, skipping partitions without a leader while any
 *                      has one: Java's RoundRobinPartitioner, per topic.
 *   sticky             every record sticky, keys ignored: Java's
 *                      partitioner.ignore.keys=true (the old
 *                      UniformStickyPartitioner). Not murmur2 for keys: that
 *                      is murmur2_random already.
 *
 * "Sticky" (KIP-480, KIP-794 as in Java 4.x BuiltInPartitioner): stay on one
 * partition until batch.size bytes went to it, then switch to another one,
 * picked at random, weighted towards short queues when the producer passes
 * queue sizes (partitioner.adaptive.partitioning.enable), and among the
 * partitions with a leader when any has one. See kc__sticky_partition().
 *
 * Thread: the hash functions may be called from any thread. The stateful ones
 * (kc__sticky_*, kc__part_state_*, kc__partition) change the state they are
 * given; the caller serialises calls per state, i.e. per topic (the producer
 * does it under the topic's lock). */
#ifndef KC_PRODUCER_PARTITIONER_H
#define KC_PRODUCER_PARTITIONER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Partitioner ids, in the order of the `partitioner` config key's values. */
typedef enum {
    KC__PART_MURMUR2_RANDOM,    /* "murmur2_random" (default) */
    KC__PART_MURMUR2,           /* "murmur2" */
    KC__PART_CONSISTENT,        /* "consistent" */
    KC__PART_CONSISTENT_RANDOM, /* "consistent_random" */
    KC__PART_RANDOM,            /* "random" */
    KC__PART_ROUND_ROBIN,       /* "round_robin" */
    KC__PART_STICKY,            /* "sticky" */
    KC__PART__COUNT
} kc__part_id;

/* The id of a partitioner name (exact, case-sensitive, as the config key's
 * values), or -1 when there is none by that name. NULL gives -1. */
int kc__partitioner_parse(const char *name);
/* The name of an id (static storage), or NULL for an id out of range. */
const char *kc__partitioner_name(int id);

/* ------------------------------------------------------------------ */
/* Key hashes. key may be NULL only when len is 0. */

/* Java's org.apache.kafka.common.utils.Utils.murmur2(byte[]) (MurmurHash2,
 * seed 0x9747b28c), bit for bit. */
int32_t kc__murmur2(const void *key, size_t len);
/* Utils.toPositive(murmur2(key)) % n: BuiltInPartitioner.partitionForKey(),
 * where the Java producer sends a keyed record. n > 0, else -1. */
int32_t kc__murmur2_partition(const void *key, size_t len, int32_t npartitions);

/* CRC-32 as zlib's crc32() and java.util.zip.CRC32 (reflected polynomial
 * 0xEDB88320; pass 0 to start, chain as with kc__crc32c()). Kept here, not
 * zlib's, so that the partitioner works in builds without zlib. */
uint32_t kc__crc32(uint32_t crc, const void *p, size_t n);
/* crc32(key) % n, unsigned, as librdkafka's consistent partitioner.
 * n > 0, else -1. */
int32_t kc__consistent_partition(const void *key, size_t len, int32_t npartitions);

/* ------------------------------------------------------------------ */
/* Sticky partitioning, per topic. */

typedef struct kc__sticky {
    int32_t current;        /* the sticky partition; -1 before the first pick */
    int64_t produced_bytes; /* record bytes sent to `current` since it was picked */
    uint64_t rng;           /* splitmix64 state */
    uint64_t switches;      /* partitions picked so far (statistics, tests) */
} kc__sticky;

/* Any seed works, 0 included; the producer passes something unpredictable so
 * that producers started together don't pick the same partitions. */
void kc__sticky_init(kc__sticky *s, uint64_t seed);

/* The partition for the next sticky record, of record_size bytes (what it
 * adds to the batch). Stays on the current partition until batch_size bytes
 * (batch.size; < 1 counts as 1) were produced to it, then picks another:
 *  - among the partitions with a leader (available[i]), when available is
 *    given and any is; otherwise among all n;
 *  - never the current one when there is another to pick (as KIP-480's
 *    StickyPartitionCache; Java 4.x may draw the same one again);
 *  - uniformly, or when queued_bytes is given (adaptive partitioning on:
 *    bytes waiting in each partition's queue, index = partition) weighted
 *    by max_queue + 1 - queue as in BuiltInPartitioner's load stats (Java
 *    counts batches, we bytes; queues are clamped to 0..2^32-1).
 * Also leaves the current partition early when it lost its leader and
 * another has one, or when n shrank below it. Both arrays, when given, hold
 * n entries and are read only. Records count towards the switch after they
 * are placed, so the record that crosses batch_size still goes to the old
 * partition, as in Java.
 *
 * Java defers the switch while the partition's last batch is not full (up
 * to 2 * batch.size); that needs the accumulator's view and is not done here.
 *
 * Returns the partition, or -1 when npartitions < 1 (nothing changed). */
int32_t kc__sticky_partition(kc__sticky *s, int32_t npartitions, size_t record_size,
                             int64_t batch_size, const int64_t *queued_bytes,
                             const bool *available);

/* ------------------------------------------------------------------ */
/* The producer's entry point. */

/* Per-topic partitioner state. */
typedef struct kc__part_state {
    kc__sticky sticky; /* null-key (or, for "sticky", every) record */
    uint32_t rr_next;  /* round_robin: the next partition to try */
    uint64_t rng;      /* random: splitmix64 state */
} kc__part_state;

/* Seeds both generators from seed (any value) and starts round robin at 0. */
void kc__part_state_init(kc__part_state *st, uint64_t seed);

/* The partition for a record of a topic with npartitions partitions, by
 * partitioner id: key NULL is a null key (keylen is then ignored); the other
 * arguments are kc__sticky_partition()'s, used only when the record goes the
 * sticky way (available also by random and round_robin). st is changed only
 * by the partitioner that needs it. A custom partitioner bypasses this call
 * entirely; it can still call the pieces above (e.g. kc__sticky_partition()
 * for null keys).
 *
 * Returns the partition, or -1 when npartitions < 1 or id is unknown. */
int32_t kc__partition(int id, kc__part_state *st, const void *key, size_t keylen,
                      int32_t npartitions, size_t record_size, int64_t batch_size,
                      const int64_t *queued_bytes, const bool *available);

#endif
