/* Kafka record batches, format v2 (magic 2): writing and reading.
 *
 * Layout (big-endian; the CRC32C covers attributes .. end of batch):
 *
 *   off size field                  off size field
 *    0   8   baseOffset              35   8   maxTimestamp
 *    8   4   batchLength (= size-12) 43   8   producerId
 *   12   4   partitionLeaderEpoch    51   2   producerEpoch
 *   16   1   magic (2)               53   4   baseSequence
 *   17   4   crc (CRC-32C)           57   4   recordCount
 *   21   2   attributes              61   ... records (maybe compressed)
 *   23   4   lastOffsetDelta
 *   27   8   baseTimestamp
 *
 * Each record: length (varint), attributes (int8, 0), timestampDelta
 * (varlong), offsetDelta (varint), key (varint length, -1 null, bytes),
 * value (same), header count (varint), headers: key (varint length, bytes),
 * value (varint length, -1 null, bytes). Varints are zig-zag.
 *
 * Writing: kc__batch_writer encodes each record once, straight into the
 * batch buffer (its size is computed first, so the length prefix needs no
 * second pass or copy); kc__batch_writer_finish() compresses the records
 * section when asked and fills the header and CRC.
 *
 * Reading: kc__batch_iter walks the batches of a "records" blob as found in
 * a Fetch response; kc__record_iter walks one batch's records, zero-copy:
 * keys, values and headers point into the blob, or into the caller's buffer
 * for compressed batches.
 *
 * Thread: a writer or iterator belongs to one thread; no global state. */
#ifndef KC_PROTO_RECORD_BATCH_H
#define KC_PROTO_RECORD_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "wire.h"

#define KC__BATCH_HEADER_SIZE 61
#define KC__BATCH_LOG_OVERHEAD 12 /* baseOffset + batchLength, not in batchLength */
#define KC__BATCH_MIN_LENGTH (KC__BATCH_HEADER_SIZE - KC__BATCH_LOG_OVERHEAD)
#define KC__BATCH_MAGIC 2

/* Field offsets in the batch header. */
#define KC__BATCH_OFF_BASE_OFFSET 0
#define KC__BATCH_OFF_LENGTH 8
#define KC__BATCH_OFF_LEADER_EPOCH 12
#define KC__BATCH_OFF_MAGIC 16
#define KC__BATCH_OFF_CRC 17
#define KC__BATCH_OFF_ATTRIBUTES 21
#define KC__BATCH_OFF_LAST_OFFSET_DELTA 23
#define KC__BATCH_OFF_BASE_TIMESTAMP 27
#define KC__BATCH_OFF_MAX_TIMESTAMP 35
#define KC__BATCH_OFF_PRODUCER_ID 43
#define KC__BATCH_OFF_PRODUCER_EPOCH 51
#define KC__BATCH_OFF_BASE_SEQUENCE 53
#define KC__BATCH_OFF_RECORD_COUNT 57

/* Attributes. */
#define KC__BATCH_ATTR_CODEC_MASK 0x07
#define KC__BATCH_ATTR_LOG_APPEND_TIME 0x08
#define KC__BATCH_ATTR_TRANSACTIONAL 0x10
#define KC__BATCH_ATTR_CONTROL 0x20
#define KC__BATCH_ATTR_DELETE_HORIZON 0x40 /* baseTimestamp is the delete horizon */

/* Control record types (the key's second int16). */
#define KC__CONTROL_ABORT 0
#define KC__CONTROL_COMMIT 1

/* Default limit on a batch's decompressed records section. */
#define KC__BATCH_DECOMPRESS_LIMIT_DEFAULT ((size_t)256 << 20)

/* Results: 0 ok, positive = iteration status, negative = error. */
typedef enum kc__batch_err {
    KC__BATCH_OK = 0,
    KC__BATCH_END = 1,        /* no more batches / records */
    KC__BATCH_INCOMPLETE = 2, /* a partial batch ends the blob (normal in fetches) */
    KC__BATCH_ERR_LENGTH = -1,      /* batchLength impossible (< 49, negative, over the limit) */
    KC__BATCH_ERR_OLD_MAGIC = -2,   /* magic 0 or 1: message sets are not supported */
    KC__BATCH_ERR_MAGIC = -3,       /* magic other than 0, 1, 2 */
    KC__BATCH_ERR_CRC = -4,         /* CRC32C mismatch */
    KC__BATCH_ERR_CODEC = -5,       /* codec unknown or not built in */
    KC__BATCH_ERR_DECOMPRESS = -6,  /* compressed records are corrupt */
    KC__BATCH_ERR_TOO_BIG = -7,     /* decompressed records exceed the limit */
    KC__BATCH_ERR_NOMEM = -8,       /* out of memory */
    KC__BATCH_ERR_RECORD = -9,      /* malformed record (lengths, varints) */
    KC__BATCH_ERR_COUNT = -10,      /* recordCount disagrees with the records */
    KC__BATCH_ERR_CONTROL = -11,    /* malformed control record */
    KC__BATCH_ERR_INVALID = -12,    /* bad argument (writer misuse, missing buffer) */
} kc__batch_err;

const char *kc__batch_strerror(int err);

/* A record header: key is a non-null string, value may be null. */
typedef struct kc__rec_header {
    kc__str key;
    kc__bytes value;
} kc__rec_header;

/* ---------------------------------------------------------------- writing */

typedef struct kc__batch_writer {
    kc__buf *buf;         /* the batch is appended to it */
    size_t start;         /* where the batch header starts in buf */
    int64_t base_timestamp;
    int64_t max_timestamp;
    int32_t count;
    int32_t last_offset_delta;
    int err;              /* sticky: first error */
} kc__batch_writer;

/* Header fields and options given at finish. KC__BATCH_PARAMS_INIT gives a
 * non-idempotent, uncompressed batch at base offset 0. */
typedef struct kc__batch_params {
    int64_t base_offset;            /* 0 when producing */
    int32_t partition_leader_epoch; /* -1 when producing */
    int64_t producer_id;            /* -1: none */
    int16_t producer_epoch;         /* -1: none */
    int32_t base_sequence;          /* -1: none */
    int codec;                      /* KC__CODEC_* */
    int level;                      /* -1: codec default */
    bool transactional;
    bool control;
    bool log_append_time;
} kc__batch_params;

#define KC__BATCH_PARAMS_INIT {0, -1, -1, -1, -1, 0, -1, false, false, false}

/* Starts a batch at the end of buf (reserving the header). Returns 0 or
 * KC__BATCH_ERR_NOMEM. buf must stay the writer's until finish. */
int kc__batch_writer_begin(kc__batch_writer *w, kc__buf *buf);

/* Appends a record at offset delta w->count (the next one). The first
 * record's timestamp becomes the base timestamp. Keys, values and headers
 * are copied. Returns 0 or an error (sticky: later appends and finish fail
 * with it). */
int kc__batch_append(kc__batch_writer *w, int64_t timestamp, kc__bytes key, kc__bytes value,
                     const kc__rec_header *hdrs, size_t nhdrs);

/* The same at an explicit offset delta, which must exceed the previous
 * record's (compacted batches have gaps). */
int kc__batch_append_at(kc__batch_writer *w, int32_t offset_delta, int64_t timestamp,
                        kc__bytes key, kc__bytes value, const kc__rec_header *hdrs, size_t nhdrs);

/* Appends a transaction marker (control) record: key (version 0, type),
 * value (version 0, coordinator epoch). Use with params.control. */
int kc__batch_append_control(kc__batch_writer *w, int64_t timestamp, int16_t type,
                             int32_t coordinator_epoch);

/* Bytes the batch takes so far, uncompressed, header included. */
static inline size_t kc__batch_writer_size(const kc__batch_writer *w) {
    return w->buf->len - w->start;
}

/* Finishes the batch: compresses the records section when bp->codec is set
 * (through scratch, a caller-owned buffer reused between batches whose
 * contents are replaced; NULL uses a temporary one) and keeps the compressed
 * form only when it is smaller (as librdkafka does; the attributes then say
 * "none"), then fills the header and CRC. bp NULL: KC__BATCH_PARAMS_INIT.
 * The batch is buf->p[w->start .. buf->len). Returns 0 or an error; a batch
 * needs at least one record. No appends after finish. */
int kc__batch_writer_finish(kc__batch_writer *w, const kc__batch_params *bp, kc__buf *scratch);

/* Rewrites producerId, producerEpoch and baseSequence of a finished batch
 * (idempotent retries after a producer id/epoch bump) and recomputes the
 * CRC. len must be the whole batch. Returns 0 or an error. */
int kc__batch_set_producer(uint8_t *batch, size_t len, int64_t producer_id, int16_t producer_epoch,
                           int32_t base_sequence);

/* Upper bound of the bytes a record adds to a batch, uncompressed (for
 * batch.size accounting before the offset and timestamp deltas are known). */
size_t kc__batch_size_estimate(kc__bytes key, kc__bytes value, const kc__rec_header *hdrs,
                               size_t nhdrs);

/* ---------------------------------------------------------------- reading */

/* One batch, as found in the blob. Pointers are into the blob. */
typedef struct kc__batch {
    const uint8_t *p; /* the whole batch, header included */
    size_t len;       /* 12 + batchLength */
    int64_t base_offset;
    int32_t partition_leader_epoch;
    int8_t magic;
    uint32_t crc;
    int16_t attributes;
    int32_t last_offset_delta;
    int64_t base_timestamp;
    int64_t max_timestamp;
    int64_t producer_id;
    int16_t producer_epoch;
    int32_t base_sequence;
    int32_t record_count;
    const uint8_t *records; /* records section as stored (maybe compressed) */
    size_t records_len;
} kc__batch;

static inline int kc__batch_codec(const kc__batch *b) {
    return b->attributes & KC__BATCH_ATTR_CODEC_MASK;
}
static inline bool kc__batch_is_transactional(const kc__batch *b) {
    return (b->attributes & KC__BATCH_ATTR_TRANSACTIONAL) != 0;
}
static inline bool kc__batch_is_control(const kc__batch *b) {
    return (b->attributes & KC__BATCH_ATTR_CONTROL) != 0;
}
static inline bool kc__batch_is_log_append_time(const kc__batch *b) {
    return (b->attributes & KC__BATCH_ATTR_LOG_APPEND_TIME) != 0;
}
static inline int64_t kc__batch_last_offset(const kc__batch *b) {
    return (int64_t)((uint64_t)b->base_offset + (uint64_t)(int64_t)b->last_offset_delta);
}

typedef struct kc__batch_iter {
    const uint8_t *start, *p, *end;
    size_t max_batch; /* 0 (init): no limit; a larger batch is KC__BATCH_ERR_LENGTH */
    int status;       /* sticky once an error, END or INCOMPLETE */
    size_t err_off;   /* offset in the blob of the batch that stopped iteration */
    int8_t err_magic; /* the magic found, for the magic errors */
    size_t need;      /* INCOMPLETE: the partial batch's full size */
} kc__batch_iter;

void kc__batch_iter_init(kc__batch_iter *it, const void *records, size_t len);

/* Next batch, header parsed and validated (length, magic, CRC). Returns 0
 * (b filled), KC__BATCH_END, KC__BATCH_INCOMPLETE (a partial batch ends the
 * blob; it->need says how big it is), or a negative error; END,
 * INCOMPLETE and errors repeat on later calls. */
int kc__batch_iter_next(kc__batch_iter *it, kc__batch *b);

/* Formats the iterator's stopping status ("batch at byte 120: unsupported
 * message format v1 (magic 1) ...") into out; returns out. */
const char *kc__batch_iter_describe(const kc__batch_iter *it, char *out, size_t n);

/* One record. key/value/headers point into the blob or the decompression
 * buffer. */
typedef struct kc__record {
    int64_t offset;    /* baseOffset + offsetDelta */
    int64_t timestamp; /* create time: base + delta; log append time: maxTimestamp */
    int32_t offset_delta;
    int8_t attributes;
    kc__bytes key;
    kc__bytes value;
    int32_t header_count;
    const uint8_t *headers; /* header_count headers, validated */
    size_t headers_len;
} kc__record;

typedef struct kc__record_iter {
    const uint8_t *p, *end; /* the rest of the (decompressed) records section */
    int64_t base_offset;
    int64_t base_timestamp;
    int64_t max_timestamp;
    bool log_append_time;
    bool control;
    int32_t count;  /* recordCount */
    int32_t index;  /* records returned so far */
    int status;     /* sticky once END or an error */
} kc__record_iter;

/* Prepares to iterate b's records. A compressed batch is decompressed,
 * appended to scratch (at most max_decompressed bytes; 0: the default
 * limit): records then point into scratch, which must not be changed or
 * freed while they are used. scratch may be NULL for uncompressed batches.
 * Returns 0 or an error. */
int kc__record_iter_init(kc__record_iter *it, const kc__batch *b, kc__buf *scratch,
                         size_t max_decompressed);

/* For a compressed batch whose codec framing says how big its records
 * section gets (kc__decompress_bound()): that upper bound (<= the limit
 * max_decompressed; 0: the default). 0 otherwise (uncompressed, or not
 * known: use kc__record_iter_init() with a scratch buffer). */
size_t kc__batch_decompressed_bound(const kc__batch *b, size_t max_decompressed);

/* Like kc__record_iter_init() for a compressed batch, decompressing into
 * dst (cap bytes, the bound above); *usedp gets the bytes written, which
 * records then point into. Returns 0 or an error. */
int kc__record_iter_init_to(kc__record_iter *it, const kc__batch *b, void *dst, size_t cap,
                            size_t *usedp);

/* Next record: 0 (r filled), KC__BATCH_END after recordCount records (if the
 * section has bytes left: KC__BATCH_ERR_COUNT), or a negative error. */
int kc__record_iter_next(kc__record_iter *it, kc__record *r);

/* Headers of a record (validated by kc__record_iter_next). */
typedef struct kc__header_iter {
    const uint8_t *p, *end;
    int32_t left;
} kc__header_iter;

void kc__header_iter_init(kc__header_iter *hi, const kc__record *r);
/* Returns false after the last header. */
bool kc__header_iter_next(kc__header_iter *hi, kc__str *key, kc__bytes *value);

/* A control record's type (key: int16 version, int16 type): KC__CONTROL_ABORT,
 * KC__CONTROL_COMMIT or another type (KRaft records, to be skipped), or
 * KC__BATCH_ERR_CONTROL when the key is malformed. */
int kc__record_control_type(const kc__record *r);

#endif
