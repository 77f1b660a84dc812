/* The librdkafka peer of `kafkac perf produce`: the same flags, the same
 * measurement and output (tools/kafkac/perf_common.c), librdkafka's producer
 * underneath, so that the two are measured identically.
 *
 *   rdkafka_perf_produce --topic T --num-records N --record-size S --throughput R
 *                        [--producer-props K=V ...] [--producer.config FILE]
 *                        [--bootstrap-server B]
 *
 * Properties use the Java client's names and defaults. Before the given
 * properties are applied, librdkafka is set to the Java producer's defaults
 * where its own differ:
 *   batch.size=16384                         (librdkafka: 1000000)
 *   batch.num.messages=1000000               (librdkafka: 10000; its maximum,
 *                                            so that batch.size decides)
 *   max.in.flight.requests.per.connection=5  (librdkafka: 1000000)
 *   delivery.timeout.ms=120000               (librdkafka: 300000)
 *   linger.ms=5, acks=all, compression.type=none (the same in both)
 * and afterwards enable.idempotence=true unless given, or acks is not all,
 * or more than 5 requests may be in flight (Java's rule; librdkafka's
 * default is false). Java names librdkafka spells differently are
 * translated: buffer.memory -> queue.buffering.max.kbytes, max.request.size
 * -> message.max.bytes. Anything else goes to librdkafka as given; an
 * unknown name fails with librdkafka's error naming it.
 *
 * Records are produced with RD_KAFKA_MSG_F_COPY (the caller's buffer may be
 * reused at once, as with kc_produce() and Java's send()), to
 * RD_KAFKA_PARTITION_UA with a null key: librdkafka's partitioner places
 * them (2.0.2: sticky partitioning for null keys). */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf_common.h"

static const char *prog = "rdkafka_perf_produce";

typedef struct rk_perf {
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt;
} rk_perf;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    if (!m->err) {
        perf_delivered(opaque, m->_private, NULL);
        return;
    }
    char msg[512];
    snprintf(msg, sizeof msg, "%s: %s", rd_kafka_err2name(m->err), rd_kafka_err2str(m->err));
    perf_delivered(opaque, m->_private, msg);
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
    (void)rk;
    (void)opaque;
    fprintf(stderr, "%s: %s: %s\n", prog, rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static int rk_produce(void *ctx, const void *payload, size_t len, void *msg_opaque, char *errstr,
                      size_t errsize) {
    rk_perf *k = ctx;
    if (rd_kafka_produce(k->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, (void *)payload, len,
                         NULL, 0, msg_opaque) == 0)
        return PERF_OK;
    rd_kafka_resp_err_t err = rd_kafka_last_error();
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) return PERF_QUEUE_FULL;
    snprintf(errstr, errsize, "%s: %s", rd_kafka_err2name(err), rd_kafka_err2str(err));
    return PERF_FAIL;
}

static void rk_poll(void *ctx, int timeout_ms) { rd_kafka_poll(((rk_perf *)ctx)->rk, timeout_ms); }

static long rk_flush(void *ctx, int timeout_ms) {
    rk_perf *k = ctx;
    rd_kafka_flush(k->rk, timeout_ms);
    return rd_kafka_outq_len(k->rk);
}

static void rk_close(void *ctx) {
    rk_perf *k = ctx;
    rd_kafka_topic_destroy(k->rkt);
    rd_kafka_destroy(k->rk);
}

static const perf_driver rk_driver = {rk_produce, rk_poll, rk_flush, rk_close};

static int set(rd_kafka_conf_t *conf, const char *key, const char *value) {
    char errstr[512];
    if (rd_kafka_conf_set(conf, key, value, errstr, sizeof errstr) == RD_KAFKA_CONF_OK) return 0;
    fprintf(stderr, "%s: %s\n", prog, errstr);
    return -1;
}

/* Applies the properties to conf (see the top of the file). */
static int configure(rd_kafka_conf_t *conf, const perf_props *props) {
    static const char *const java_defaults[][2] = {
        {"batch.size", "16384"},
        {"batch.num.messages", "1000000"},
        {"max.in.flight.requests.per.connection", "5"},
        {"delivery.timeout.ms", "120000"},
        {"linger.ms", "5"},
        {"acks", "all"},
        {"compression.type", "none"},
    };
    for (size_t i = 0; i < sizeof java_defaults / sizeof java_defaults[0]; i++)
        if (set(conf, java_defaults[i][0], java_defaults[i][1])) return -1;
    for (size_t i = 0; i < props->n; i++) {
        const char *k = props->v[i].key, *v = props->v[i].value;
        char buf[64];
        if (strcmp(k, "buffer.memory") == 0) {
            char *end;
            long long bytes = strtoll(v, &end, 10);
            if (*end || bytes <= 0) {
                fprintf(stderr, "%s: buffer.memory: expected a number of bytes, got '%s'\n", prog,
                        v);
                return -1;
            }
            snprintf(buf, sizeof buf, "%lld", (bytes + 1023) / 1024);
            k = "queue.buffering.max.kbytes", v = buf;
        } else if (strcmp(k, "max.request.size") == 0) {
            k = "message.max.bytes";
        }
        if (set(conf, k, v)) return -1;
    }
    if (!perf_props_get(props, "enable.idempotence")) {
        char acks[16] = "", inflight[32] = "";
        size_t n = sizeof acks;
        rd_kafka_conf_get(conf, "acks", acks, &n); /* falls back to the default topic conf */
        n = sizeof inflight;
        rd_kafka_conf_get(conf, "max.in.flight.requests.per.connection", inflight, &n);
        int all = strcmp(acks, "-1") == 0 || strcmp(acks, "all") == 0;
        if (set(conf, "enable.idempotence", all && atol(inflight) <= 5 ? "true" : "false"))
            return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    perf_args a;
    int rc = perf_parse_args(prog, argc, argv, &a);
    if (rc >= 0) return rc;
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (configure(conf, &a.props)) {
        rd_kafka_conf_destroy(conf);
        perf_args_free(&a);
        return 2;
    }
    perf_run *run = perf_run_new(prog, &a);
    if (!run) {
        fprintf(stderr, "%s: out of memory\n", prog);
        rd_kafka_conf_destroy(conf);
        perf_args_free(&a);
        return 1;
    }
    rd_kafka_conf_set_opaque(conf, run);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_error_cb(conf, on_error);
    char errstr[512];
    rk_perf k = {rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr), NULL};
    if (!k.rk) {
        fprintf(stderr, "%s: %s\n", prog, errstr);
        rd_kafka_conf_destroy(conf);
        perf_run_free(run);
        perf_args_free(&a);
        return 1;
    }
    k.rkt = rd_kafka_topic_new(k.rk, a.topic, NULL);
    if (!k.rkt) {
        fprintf(stderr, "%s: topic %s: %s\n", prog, a.topic, rd_kafka_err2str(rd_kafka_last_error()));
        rd_kafka_destroy(k.rk);
        perf_run_free(run);
        perf_args_free(&a);
        return 1;
    }
    rc = perf_run_go(run, &rk_driver, &k);
    perf_args_free(&a);
    return rc;
}
