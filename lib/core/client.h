/* The client handle shared by producer (and later consumer and admin):
 * configuration, logging, the application event queue, the main thread,
 * broker threads and the metadata cache.
 *
 * Locks (each guards what its comment says; never hold two except in the
 * order topics_lock -> ptn->lock):
 *   brokers_lock   the brokers array
 *   topics_lock    (rwlock) the topic map and each topic's partition array
 *   ptn->lock      one partition's batches and sequence state
 *   idemp_lock     producer id / epoch */
#ifndef KC_CORE_CLIENT_H
#define KC_CORE_CLIENT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "err.h"
#include "kafkac.h"
#include "net/addr.h"
#include "util/queue.h"

typedef struct kc__broker kc__broker;
typedef struct kc__topic kc__topic;
typedef struct kc__ptn kc__ptn;
typedef struct kc__pbatch kc__pbatch;
typedef struct kc__client kc__client;

/* App-queue op types. */
enum {
    KC__OP_DR = 1,    /* a batch's delivery reports (kc__pbatch) */
    KC__OP_ERROR,     /* kc__op_error */
    KC__OP_LOG,       /* kc__op_log */
    KC__OP_WAKE,      /* no-op wake-up */
};

typedef struct kc__op_error {
    kc__op op;
    kc_error_t *err;
} kc__op_error;

typedef struct kc__op_log {
    kc__op op;
    int level;
    char fac[16];
    char msg[];
} kc__op_log;

/* Producer id state (idempotence). */
typedef struct kc__idemp {
    pthread_mutex_t lock; /* guards the fields below */
    int64_t pid;          /* -1 until InitProducerId answered */
    int16_t epoch;
    bool requested;       /* an InitProducerId is in flight */
    int64_t next_try_ms;  /* when to ask again after a failure */
    bool fatal;
} kc__idemp;

struct kc__client {
    kc_conf_t *conf; /* own copy */
    int role;        /* KC__ROLE_* */
    char name[64];   /* "kafkac#producer-1" for logs */

    /* Cached settings (read on hot paths). */
    int acks, codec, level, partitioner, max_inflight, log_level;
    int64_t linger_ms, batch_size, message_max_bytes, buffer_memory, max_msgs, delivery_timeout_ms,
        retry_backoff_ms, retry_backoff_max_ms, request_timeout_ms, max_block_ms, retries;
    bool idempotence;

    kc__q appq; /* events for the application's poll */

    /* Records accepted and not yet served as delivery reports. */
    atomic_int_fast64_t outq_msgs;
    atomic_int_fast64_t outq_bytes;
    pthread_mutex_t outq_lock; /* with outq_cond: waits for space / for flush */
    pthread_cond_t outq_cond;
    atomic_int flushing; /* > 0 while a flush is in progress: linger is ignored */

    pthread_t main_thread;
    kc__q mainq; /* wake-ups for the main thread */
    atomic_bool terminate;

    pthread_mutex_t brokers_lock; /* guards brokers, nbrokers */
    kc__broker **brokers;
    int nbrokers;

    pthread_rwlock_t topics_lock; /* guards topic map and partition arrays */
    kc__topic **topic_map;        /* open addressing, cap a power of 2 */
    size_t topic_cap, topic_cnt;
    atomic_uint md_gen;           /* bumped when leaders or partitions change */
    atomic_int_fast64_t md_refresh_at; /* monotonic ms: main thread refreshes then (0: now) */
    atomic_int_fast64_t md_last_ok_ms; /* monotonic ms of the last good answer */
    atomic_bool md_inflight;
    atomic_bool md_again;              /* a refresh was asked for while one was in flight */

    kc__idemp idemp;
    void *cons;            /* the consumer (consumer/consumer.h), NULL for producers */
    void *handle;          /* the admin handle passed to callbacks (admin client) */
    atomic_bool md_all_topics; /* ask metadata for every topic (pattern subscriptions) */
    atomic_bool fatal; /* a fatal error happened: kc_produce refuses */
};

enum { KC__ROLE_PRODUCER = 1, KC__ROLE_CONSUMER = 2, KC__ROLE_ADMIN = 3 };

/* Logging: formats and queues a log line for the app thread (or prints to
 * stderr when there is no log callback). Levels as syslog. */
void kc__log(kc__client *c, int level, const char *fac, const char *fmt, ...) KC__PRINTF(4, 5);
#define KC__LOG_ERR 3
#define KC__LOG_WARNING 4
#define KC__LOG_NOTICE 5
#define KC__LOG_INFO 6
#define KC__LOG_DEBUG 7

/* Queues an error event for the application's error callback. */
void kc__client_error(kc__client *c, kc_err_t code, int flags, const char *fmt, ...)
    KC__PRINTF(4, 5);

/* Client lifecycle (core/client.c). */
kc__client *kc__client_new(const kc_conf_t *conf, int role, char *errstr, size_t errsize);
/* Starts the main thread and bootstrap broker threads. */
kc_err_t kc__client_start(kc__client *c, char *errstr, size_t errsize);
/* Stops and joins every thread; frees nothing the caller still reads. */
void kc__client_stop(kc__client *c);
void kc__client_free(kc__client *c);
/* Wakes the main thread (metadata refresh wanted, shutdown). */
void kc__client_wake_main(kc__client *c);
/* Asks for a metadata refresh as soon as possible (at most one per 100 ms
 * after an answer: error paths ask often). */
void kc__client_refresh_metadata(kc__client *c, const char *why);
/* The same without the 100 ms spacing (a topic seen for the first time). */
void kc__client_refresh_metadata_now(kc__client *c, const char *why);

/* The id of the extra connection to broker `node` used for the group
 * coordinator (negative, distinct from bootstrap ids -1..-N). */
#define KC__COORD_BROKER_ID(node) (-1000000 - (node))

/* Adds broker `id` at host:port and starts its thread, unless known. */
void kc__client_add_broker(kc__client *c, int32_t id, const char *host, int port);
/* Brokers by id; NULL when unknown. Takes brokers_lock. */
kc__broker *kc__client_broker_by_id(kc__client *c, int32_t id);
/* A broker to send a cluster-wide request to: an up one if any, else the
 * first. NULL only without brokers. */
kc__broker *kc__client_any_broker(kc__client *c);
/* Wakes the thread of broker `id` (a batch became ready). */
void kc__client_wake_broker(kc__client *c, int32_t id);
void kc__client_wake_all_brokers(kc__client *c);
/* Makes sure broker `id` looks at its partitions by monotonic ms `at` (a
 * new batch's linger deadline): wakes its thread only when it would sleep
 * past that (kc__broker_wake_by). */
void kc__client_wake_broker_by(kc__client *c, int32_t id, int64_t at);

#endif
