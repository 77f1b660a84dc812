/* kafkac perf produce: kafka-producer-perf-test for the kafkac producer.
 * Flags, measurement and output are shared with the librdkafka peer
 * (tests/perf/rdkafka_perf_produce.c) in perf_common.c. */
#include <stdio.h>
#include <string.h>

#include <kafkac.h>

#include "commands.h"
#include "perf_common.h"

typedef struct kc_perf {
    kc_producer_t *p;
    const char *topic;
} kc_perf;

static void on_delivery(kc_producer_t *p, const kc_delivery_t *dr, void *opaque) {
    (void)p;
    kc_err_t err = kc_delivery_error(dr);
    if (!err) {
        perf_delivered(opaque, kc_delivery_opaque(dr), NULL);
        return;
    }
    char msg[768];
    snprintf(msg, sizeof msg, "%s: %s", kc_err_name(err), kc_delivery_errstr(dr));
    perf_delivered(opaque, kc_delivery_opaque(dr), msg);
}

static void on_error(void *client, const kc_error_t *err, void *opaque) {
    (void)client;
    (void)opaque;
    fprintf(stderr, "kafkac perf produce: %s: %s\n", kc_error_name(err), kc_error_message(err));
}

static int kc_perf_produce(void *ctx, const void *payload, size_t len, void *msg_opaque,
                           char *errstr, size_t errsize) {
    kc_perf *k = ctx;
    kc_err_t err = kc_produce(k->p, k->topic, KC_PARTITION_ANY, NULL, 0, payload, len, NULL, 0, 0,
                              msg_opaque);
    if (!err) return PERF_OK;
    if (err == KC_ERR__QUEUE_FULL) return PERF_QUEUE_FULL;
    snprintf(errstr, errsize, "%s: %s", kc_err_name(err), kc_err_desc(err));
    return PERF_FAIL;
}

static void kc_perf_poll(void *ctx, int timeout_ms) {
    kc_producer_poll(((kc_perf *)ctx)->p, timeout_ms);
}

static long kc_perf_flush(void *ctx, int timeout_ms) {
    kc_perf *k = ctx;
    kc_producer_flush(k->p, timeout_ms);
    return kc_producer_outq_len(k->p);
}

static void kc_perf_close(void *ctx) { kc_producer_destroy(((kc_perf *)ctx)->p); }

static const perf_driver kc_driver = {kc_perf_produce, kc_perf_poll, kc_perf_flush, kc_perf_close};

int kc_tool_perf_produce(int argc, char **argv) {
    const char *prog = argv[0];
    perf_args a;
    int rc = perf_parse_args(prog, argc, argv, &a);
    if (rc >= 0) return rc;
    char errstr[512];
    kc_conf_t *conf = kc_conf_new();
    if (!conf) {
        fprintf(stderr, "%s: out of memory\n", prog);
        perf_args_free(&a);
        return 1;
    }
    for (size_t i = 0; i < a.props.n; i++) {
        /* Java's ProducerPerformance flag: the request (and so record) size
         * limit, which kafkac calls message.max.bytes (as librdkafka). */
        const char *key = a.props.v[i].key;
        if (strcmp(key, "max.request.size") == 0) key = "message.max.bytes";
        if (kc_conf_set(conf, key, a.props.v[i].value, errstr, sizeof errstr)) {
            fprintf(stderr, "%s: %s\n", prog, errstr);
            kc_conf_destroy(conf);
            perf_args_free(&a);
            return 2;
        }
    }
    perf_run *run = perf_run_new(prog, &a);
    if (!run) {
        fprintf(stderr, "%s: out of memory\n", prog);
        kc_conf_destroy(conf);
        perf_args_free(&a);
        return 1;
    }
    kc_conf_set_opaque(conf, run);
    kc_conf_set_delivery_cb(conf, on_delivery);
    kc_conf_set_error_cb(conf, on_error);
    kc_perf k = {kc_producer_new(conf, errstr, sizeof errstr), a.topic};
    kc_conf_destroy(conf);
    if (!k.p) {
        fprintf(stderr, "%s: %s\n", prog, errstr);
        perf_run_free(run);
        perf_args_free(&a);
        return 1;
    }
    rc = perf_run_go(run, &kc_driver, &k);
    perf_args_free(&a);
    return rc;
}
