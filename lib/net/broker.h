/* One thread per broker: it owns the socket, negotiates API versions,
 * writes requests (pipelined up to max.in.flight.requests.per.connection),
 * matches responses to requests by correlation id, times requests out
 * (request.timeout.ms), reconnects with exponential backoff
 * (reconnect.backoff.ms .. reconnect.backoff.max.ms), and, for the
 * partitions it leads, drains ready producer batches (producer/sender.c).
 *
 * Other threads hand it requests with kc__broker_send() (an op on its
 * queue, with an eventfd wake-up). Request callbacks run on the broker
 * thread. */
#ifndef KC_NET_BROKER_H
#define KC_NET_BROKER_H

#include <pthread.h>
#include <stdatomic.h>

#include "core/client.h"
#include "net/conn.h"

typedef struct kc__req kc__req;

/* Called once per request on the broker thread: err 0 with the response
 * body, or the error that ended the request (errstr explains, naming the
 * broker). A request without a response (acks=0) is called with body NULL
 * once written. */
typedef void kc__req_cb(kc__broker *b, kc__req *r, kc_err_t err, kc__rd *body,
                        const char *errstr);
/* Encodes the request body for the version the broker thread picked. */
typedef int kc__req_encode(kc__req *r, int16_t ver, kc__buf *body);

struct kc__req {
    kc__op op;            /* on the broker's queue */
    kc__req *next;        /* in the out or in-flight list */
    int16_t api;
    int16_t ver;          /* picked when written: highest both sides support */
    int16_t max_ver;      /* cap (-1: none) */
    int32_t corr;
    bool no_response;     /* acks=0 Produce */
    kc__req_encode *encode;
    kc__buf frame;        /* size + header + body, built when first written */
    size_t sent;
    int64_t deadline_ms;  /* fails with _TIMED_OUT after this */
    kc__req_cb *cb;
    void *arg;
};

enum { KC__BRK_DOWN, KC__BRK_CONNECTING, KC__BRK_APIVERSIONS, KC__BRK_UP };

struct kc__broker {
    kc__client *c;
    int32_t id;           /* node id; bootstrap brokers have ids < 0 */
    kc__hostport addr;
    char name[KC__HOST_MAX + 24]; /* "host:port/id" */
    pthread_t thread;
    kc__q q;              /* ops (requests, wake-ups) for this thread */
    atomic_int state;     /* KC__BRK_* */
    atomic_bool failed_once; /* a connection attempt failed (all-brokers-down check) */
    /* Monotonic ms until which the thread sleeps without a wake-up (it looks
     * at its partitions again by then), or KC__BRK_SCANNING while it is
     * looking at them, or KC__BRK_RESCAN when an appender asked it to look
     * once more before sleeping (kc__broker_wake_by). */
    atomic_int_fast64_t sleep_until;

    /* Thread-local state below: only the broker thread touches it. */
    int fd;
    int64_t reconnect_at, backoff_ms, connect_deadline;
    int16_t ver_min[KC__API_KEY_MAX], ver_max[KC__API_KEY_MAX];
    kc__req *out_head, *out_tail; /* waiting to be written */
    kc__req *inf_head, *inf_tail; /* written, waiting for a response */
    int ninflight;
    int32_t next_corr;
    kc__buf rbuf;
    bool rbuf_whole;      /* during a callback: rbuf holds exactly its response */
    bool rbuf_taken;      /* during a callback: kc__broker_take_rbuf() took rbuf */
    int rcvlowat;         /* the socket's SO_RCVLOWAT (do_read) */
    int rcvlowat_max;     /* its ceiling for this socket (0: not read yet) */
    bool want_connect;    /* the sender has batches for this broker */
    /* Sender state (producer/sender.c). */
    unsigned md_gen;
    kc__ptn **ptns;
    int nptns, cap_ptns;
    kc__buf scratch;
    /* Fetcher state (consumer/fetcher.c). */
    struct kc__fetch_state *fetch;
};

kc__broker *kc__broker_new(kc__client *c, int32_t id, const kc__hostport *hp);
int kc__broker_start(kc__broker *b);
/* Asks the thread to stop (it fails its requests with _DESTROY). */
void kc__broker_stop(kc__broker *b);
void kc__broker_join_free(kc__broker *b);

/* Hands a request to the broker thread (any thread). Ownership passes: the
 * callback is called exactly once, then the request is freed by it. */
void kc__broker_send(kc__broker *b, kc__req *r);
/* Queues a request from the broker's own thread (no op hop). */
void kc__broker_enqueue(kc__broker *b, kc__req *r);
void kc__broker_wake(kc__broker *b);
/* Makes sure the thread looks at its partitions by monotonic ms `at` (a
 * batch that becomes ready by linger then): wakes it only when it would
 * sleep past `at`; no wake-up (no lock, no syscall) when it will look by
 * then anyway. Any thread. */
void kc__broker_wake_by(kc__broker *b, int64_t at);
#define KC__BRK_SCANNING 0
#define KC__BRK_RESCAN (-1)

/* A new request with api, an encoder, a callback and its argument; the
 * deadline is now + request.timeout.ms. NULL when out of memory. */
kc__req *kc__req_new(kc__client *c, int16_t api, kc__req_encode *enc, kc__req_cb *cb, void *arg);
void kc__req_free(kc__req *r);

/* During a response callback (broker thread): when the read buffer holds
 * only this response, hands its memory to the caller (malloc'd, *capp
 * bytes; free() it; the callback's body reader points into it) and returns
 * it; otherwise NULL and the caller must copy what it keeps. */
uint8_t *kc__broker_take_rbuf(kc__broker *b, size_t *capp);
/* During the same callback, after kc__broker_take_rbuf() succeeded: gives
 * the broker an empty malloc'd buffer of cap bytes to read the next
 * responses into (ownership passes; a reused buffer saves allocating and
 * page-faulting a fresh one for every response). */
void kc__broker_give_rbuf(kc__broker *b, uint8_t *mem, size_t cap);

/* Highest version of api this broker and the client both support, or -1
 * (broker thread only, once up). */
int16_t kc__broker_pick_version(const kc__broker *b, int16_t api);

#endif
