/* C glue between the Go package and libkafkac.
 *
 * Every callback except the rebalance callback is a plain C function that
 * copies what it is given into an event buffer (kcgo_evbuf) owned by the
 * Go call that is polling; the Go side reads the buffer after the C call
 * returns. No Go code runs on a C thread and, apart from rebalances, no C
 * code calls into Go at all. The buffer is found through a thread-local
 * pointer set by the kcgo_* wrapper for the duration of the call (callbacks
 * run only on the polling thread, inside the call). */
#ifndef KCGO_H
#define KCGO_H

#include <stdint.h>
#include <stdlib.h>
#include <kafkac.h>

enum {
    KCGO_EV_DR = 1,     /* delivery report */
    KCGO_EV_ERROR = 2,  /* error callback */
    KCGO_EV_LOG = 3,    /* log line */
    KCGO_EV_COMMIT = 4  /* offset commit result */
};

typedef struct kcgo_ev {
    int32_t type;
    int32_t err;       /* kc_err_t */
    int32_t partition; /* DR */
    int32_t level;     /* log level; error: KCGO_ERRF_* flags */
    int64_t offset;    /* DR */
    int64_t timestamp; /* DR */
    uintptr_t id;      /* DR: the record's registry id */
    char *str;         /* malloc'd: DR errstr, error message, log line (NULL: none) */
    char *str2;        /* malloc'd: log facility, error name */
    kc_tplist_t *tpl;  /* commit: the offsets (a copy) */
} kcgo_ev;

#define KCGO_ERRF_FATAL 0x1
#define KCGO_ERRF_RETRIABLE 0x2
#define KCGO_ERRF_TXN_ABORT 0x4

typedef struct kcgo_evbuf {
    kcgo_ev *ev;
    int cnt;
    int cap;
    int dropped; /* events lost to an allocation failure */
} kcgo_evbuf;

kcgo_evbuf *kcgo_evbuf_new(void);
/* Frees the strings and lists of every event and empties the buffer. */
void kcgo_evbuf_reset(kcgo_evbuf *b);
void kcgo_evbuf_free(kcgo_evbuf *b);

/* The kc opaque of a client: its Go cgo.Handle and the number of delivery
 * reports taken out of the library but not yet handed to Go channels (so
 * that Len() counts them). */
typedef struct kcgo_client kcgo_client;
kcgo_client *kcgo_client_new(uintptr_t handle);
void kcgo_client_free(kcgo_client *cl);
int64_t kcgo_client_pending(kcgo_client *cl);
void kcgo_client_pending_sub(kcgo_client *cl, int64_t n);

/* Registers the C callbacks on conf, with cl as the opaque. */
void kcgo_conf_setup(kc_conf_t *conf, kcgo_client *cl, int producer, int dr, int logs,
                     int consumer);

/* Producer. */
kc_err_t kcgo_produce(kc_producer_t *p, const char *topic, int32_t partition, const void *key,
                      size_t key_len, const void *val, size_t val_len, const char *hdrs,
                      size_t hdrs_len, int hdr_cnt, int64_t ts, uintptr_t id);
int kcgo_producer_poll(kc_producer_t *p, int timeout_ms, kcgo_evbuf *b);
kc_err_t kcgo_producer_flush(kc_producer_t *p, int timeout_ms, kcgo_evbuf *b);
void kcgo_producer_destroy(kc_producer_t *p, kcgo_evbuf *b);

/* Consumer: one polled record or event (see kcgo_batch). */
typedef struct kcgo_msg {
    kc_message_t *held;
    const char *errstr;
    const void *key;
    const void *val;
    size_t key_len;
    size_t val_len;
    int64_t offset;
    int64_t ts;
    int32_t partition;
    int32_t err;
    int32_t ts_type;
    int32_t leader_epoch;
    int32_t hdr_cnt;
    int32_t topic_id; /* index in the client's topic table (kcgo_client_topic), -1: none */
} kcgo_msg;

typedef struct kcgo_hdr {
    const char *name;
    const void *val;
    size_t name_len;
    size_t val_len;
    int32_t val_null;
} kcgo_hdr;

/* A batch of polled records and events: msgs[i] is held (its pointers
 * borrowed) until the next kcgo_consumer_poll_batch() or
 * kcgo_batch_release(); info[i] describes it (info[i].held == msgs[i]). */
typedef struct kcgo_batch {
    kc_message_t **msgs;
    kcgo_msg *info;
    int n;
    int cap;
} kcgo_batch;

kcgo_batch *kcgo_batch_new(int cap);
/* Destroys the held messages. */
void kcgo_batch_release(kcgo_batch *bt);
void kcgo_batch_free(kcgo_batch *bt);

/* Releases bt's messages, then polls up to max (<= bt->cap) records and
 * events into it in one call: waits up to timeout_ms for the first, then
 * takes what is already fetched. Records collected before a rebalance
 * callback revokes (or loses) their partition are dropped before the
 * callback runs, as kc_consumer_poll() would never have returned them.
 * Returns bt->n. */
int kcgo_consumer_poll_batch(kc_consumer_t *c, kcgo_client *cl, kcgo_batch *bt, int max,
                             int timeout_ms, kcgo_evbuf *b);
/* Stores offsets (kc_consumer_offsets_store()) from parallel arrays;
 * topics by kcgo_msg.topic_id. Per-entry errors (a partition no longer
 * assigned) are ignored. */
void kcgo_store_offsets(kc_consumer_t *c, kcgo_client *cl, const int32_t *tids,
                        const int32_t *parts, const int64_t *offs, const int32_t *epochs, int n);
/* A topic name by kcgo_msg.topic_id (borrowed for the client's life). */
const char *kcgo_client_topic(kcgo_client *cl, int32_t id);
/* Headers 0..n-1 of message m into out[]; returns how many. */
int kcgo_msg_headers(const kc_message_t *m, kcgo_hdr *out, int n);
kc_err_t kcgo_consumer_commit(kc_consumer_t *c, const kc_tplist_t *offsets, int async,
                              kcgo_evbuf *b);
kc_err_t kcgo_consumer_committed(kc_consumer_t *c, kc_tplist_t *parts, int timeout_ms,
                                 kcgo_evbuf *b);
kc_err_t kcgo_consumer_close(kc_consumer_t *c, kcgo_evbuf *b);
void kcgo_consumer_destroy(kc_consumer_t *c, kcgo_evbuf *b);
/* Any other call that may serve callbacks, through this buffer. */
void kcgo_set_buf(kcgo_evbuf *b, kcgo_evbuf **prev);
void kcgo_restore_buf(kcgo_evbuf *prev);

/* Lists from parallel arrays (one cgo call): topics are NUL-separated in
 * names (n strings). */
kc_tplist_t *kcgo_tplist_build(const char *names, const int32_t *parts, const int64_t *offsets,
                               const int32_t *epochs, const char *metas, const int32_t *has_meta,
                               int n);

/* Admin helpers taking NUL-separated name lists. */
const char **kcgo_split(const char *names, int n);

/* A static non-NULL byte for empty (not null) keys and values. */
extern const char kcgo_empty[1];

#endif
