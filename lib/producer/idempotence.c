/* Idempotent producer state: the producer id and epoch from
 * InitProducerId, and recovery when the broker loses them. Sequence
 * numbers live on each partition (sender.c). */
#include <stdio.h>
#include <stdlib.h>

#include "net/broker.h"
#include "producer.h"
#include "proto/gen/apis.h"
#include "proto/gen/init_producer_id.h"
#include "util/time.h"

bool kc__idemp_ready(kc__client *c, int64_t *pid, int16_t *epoch) {
    pthread_mutex_lock(&c->idemp.lock);
    bool ok = c->idemp.pid >= 0 && !c->idemp.fatal;
    *pid = c->idemp.pid;
    *epoch = c->idemp.epoch;
    pthread_mutex_unlock(&c->idemp.lock);
    return ok;
}

static int encode_init(kc__req *r, int16_t ver, kc__buf *body) {
    kc__client *c = r->arg;
    kc__InitProducerIdRequest req;
    kc__InitProducerIdRequest_init(&req);
    req.transactional_id = KC__STR_NULL;
    req.transaction_timeout_ms = 60000;
    (void)c;
    return kc__InitProducerIdRequest_encode(body, ver, &req);
}

static void on_init(kc__broker *b, kc__req *r, kc_err_t err, kc__rd *body, const char *errstr) {
    kc__client *c = r->arg;
    int16_t ver = r->ver;
    kc__req_free(r);
    char why[256] = "";
    int64_t pid = -1;
    int16_t epoch = -1;
    if (!err) {
        kc__arena a;
        kc__arena_init(&a, 512);
        kc__InitProducerIdResponse resp;
        if (kc__InitProducerIdResponse_decode(body, &a, ver, &resp)) {
            err = KC_ERR__BAD_MSG;
            snprintf(why, sizeof why, "malformed InitProducerIdResponse");
        } else if (resp.error_code) {
            err = (kc_err_t)resp.error_code;
            snprintf(why, sizeof why, "InitProducerId: %s", kc_err_desc(err));
        } else {
            pid = resp.producer_id;
            epoch = resp.producer_epoch;
        }
        kc__arena_destroy(&a);
    } else {
        snprintf(why, sizeof why, "%s", errstr);
    }
    bool fatal = err == KC_ERR_CLUSTER_AUTHORIZATION_FAILED ||
                 err == KC_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
    pthread_mutex_lock(&c->idemp.lock);
    c->idemp.requested = false;
    if (!err) {
        c->idemp.pid = pid;
        c->idemp.epoch = epoch;
    } else {
        /* retry.backoff.ms, as Java: a fresh cluster answers
         * COORDINATOR_LOAD_IN_PROGRESS for a moment, and a fixed 500 ms
         * wait held every record back that long. */
        c->idemp.next_try_ms = kc__mono_ms() + (fatal ? 1000000000 : c->retry_backoff_ms);
        c->idemp.fatal = fatal;
    }
    pthread_mutex_unlock(&c->idemp.lock);
    if (!err) {
        kc__log(c, KC__LOG_DEBUG, "IDEMP", "producer id %lld, epoch %d", (long long)pid, epoch);
        kc__client_wake_all_brokers(c);
    } else if (fatal) {
        atomic_store(&c->fatal, true);
        kc__client_error(c, err, KC__ERROR_FATAL, "idempotent producer: %s", why);
        kc__accum_purge(c, KC_ERR__FATAL, why);
    } else if (err != KC_ERR__DESTROY) {
        kc__log(c, KC__LOG_INFO, "IDEMP", "InitProducerId failed, will retry: %s", why);
    }
    (void)b;
}

void kc__idemp_tick(kc__client *c, int64_t now) {
    pthread_mutex_lock(&c->idemp.lock);
    bool send = c->idemp.pid < 0 && !c->idemp.requested && !c->idemp.fatal &&
                now >= c->idemp.next_try_ms;
    if (send) c->idemp.requested = true;
    pthread_mutex_unlock(&c->idemp.lock);
    if (!send) return;
    kc__broker *b = kc__client_any_broker(c);
    kc__req *r = b ? kc__req_new(c, KC__API_INIT_PRODUCER_ID, encode_init, on_init, c) : NULL;
    if (!r) {
        pthread_mutex_lock(&c->idemp.lock);
        c->idemp.requested = false;
        c->idemp.next_try_ms = now + c->retry_backoff_ms;
        pthread_mutex_unlock(&c->idemp.lock);
        return;
    }
    kc__broker_send(b, r);
}

void kc__idemp_reset(kc__client *c, int64_t failed_pid, int16_t failed_epoch, const char *why) {
    pthread_mutex_lock(&c->idemp.lock);
    bool current = c->idemp.pid >= 0 && c->idemp.pid == failed_pid &&
                   c->idemp.epoch == failed_epoch;
    bool bumped = false;
    if (current && c->idemp.epoch < INT16_MAX - 1) {
        c->idemp.epoch++;
        bumped = true;
    } else if (current) {
        c->idemp.pid = -1;
        c->idemp.epoch = -1;
        c->idemp.next_try_ms = 0;
    }
    int16_t epoch = c->idemp.epoch;
    pthread_mutex_unlock(&c->idemp.lock);
    if (!current) return;
    if (bumped)
        kc__log(c, KC__LOG_WARNING, "IDEMP",
                "producer id %lld: epoch bumped to %d after %s; unacknowledged batches are "
                "renumbered from sequence 0", (long long)failed_pid, epoch, why);
    else
        kc__log(c, KC__LOG_WARNING, "IDEMP",
                "producer id %lld: epoch exhausted after %s; getting a new producer id",
                (long long)failed_pid, why);
    kc__client_wake_main(c);
    kc__client_wake_all_brokers(c);
}
