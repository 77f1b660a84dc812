/* kafkac perf consume: kafka-consumer-perf-test for the kafkac consumer.
 * Flags, measurement and output are shared with the librdkafka peer
 * (tests/perf/rdkafka_perf_consume.c) in perf_consume_common.c. Records are
 * read with kc_consumer_poll_batch(); --assign assigns every partition
 * (listed with kc_metadata_fetch()) instead of subscribing. */
#include <stdio.h>
#include <stdlib.h>

#include <kafkac.h>

#include "commands.h"
#include "perf_consume_common.h"

typedef struct kc_pc {
    const char *prog;
    const pc_args *a;
    pc_run *run;
    kc_conf_t *conf; /* for kc_metadata_fetch() with --assign */
    kc_consumer_t *c;
    kc_message_t **msgs; /* a->batch entries */
} kc_pc;

/* Rebalance callback: times the join (the library applies the change). */
static void on_rebalance(kc_consumer_t *c, int event, const kc_tplist_t *parts, void *opaque) {
    (void)c;
    if (event == KC_REBALANCE_ASSIGN)
        pc_assigned(opaque, kc_tplist_count(parts));
    else
        pc_revoked(opaque, kc_tplist_count(parts));
}

/* Error callback: consumer-wide errors are printed and counted. */
static void on_error(void *client, const kc_error_t *err, void *opaque) {
    (void)client;
    char msg[768];
    snprintf(msg, sizeof msg, "%s: %s", kc_error_name(err), kc_error_message(err));
    pc_error(opaque, msg);
}

/* Subscribes, or (--assign) assigns every partition of the topic. */
static int kc_pc_start(void *ctx) {
    kc_pc *k = ctx;
    char errstr[512];
    if (!k->a->assign) {
        if (!kc_consumer_subscribe(k->c, &k->a->topic, 1, errstr, sizeof errstr)) return 0;
        fprintf(stderr, "%s: subscribe: %s\n", k->prog, errstr);
        return -1;
    }
    kc_metadata_t *md;
    kc_err_t err = kc_metadata_fetch(k->conf, &k->a->topic, 1, 10000, &md, errstr, sizeof errstr);
    if (err) {
        fprintf(stderr, "%s: metadata: %s\n", k->prog, errstr);
        return -1;
    }
    kc_tplist_t *l = kc_tplist_new(16);
    err = kc_metadata_topic_count(md) == 1 ? kc_metadata_topic_error(md, 0) : KC_ERR__UNKNOWN_TOPIC;
    for (int p = 0; !err && p < kc_metadata_partition_count(md, 0); p++) {
        int i = kc_tplist_add(l, k->a->topic, kc_metadata_partition_id(md, 0, p));
        kc_tplist_set_offset(l, i, k->a->from_latest ? KC_OFFSET_END : KC_OFFSET_BEGINNING);
    }
    kc_metadata_destroy(md);
    if (!err && kc_tplist_count(l) == 0) err = KC_ERR__UNKNOWN_PARTITION;
    if (!err) err = kc_consumer_assign(k->c, l);
    if (!err) pc_assigned(k->run, kc_tplist_count(l));
    kc_tplist_destroy(l);
    if (err) fprintf(stderr, "%s: assign %s: %s\n", k->prog, k->a->topic, kc_err_desc(err));
    return err ? -1 : 0;
}

/* Takes up to max records (waiting up to timeout_ms for the first). */
static long kc_pc_poll(void *ctx, long max, int timeout_ms, long long *bytes) {
    kc_pc *k = ctx;
    int n = kc_consumer_poll_batch(k->c, k->msgs, (int)max, timeout_ms);
    long records = 0;
    long long sum = 0;
    for (int i = 0; i < n; i++) {
        kc_message_t *m = k->msgs[i];
        kc_err_t err = kc_message_error(m);
        if (!err) {
            size_t klen, vlen;
            kc_message_key(m, &klen);
            kc_message_value(m, &vlen);
            sum += (long long)(klen + vlen);
            records++;
        } else if (err != KC_ERR__PARTITION_EOF) {
            char msg[768];
            const char *t = kc_message_topic(m);
            snprintf(msg, sizeof msg, "%s [%d]: %s: %s", t ? t : "-", (int)kc_message_partition(m),
                     kc_err_name(err), kc_message_errstr(m));
            pc_error(k->run, msg);
        }
        kc_message_destroy(m);
    }
    *bytes += sum;
    return records;
}

/* Leaves the group (committing) and destroys the consumer. */
static void kc_pc_close(void *ctx) {
    kc_pc *k = ctx;
    kc_err_t err = kc_consumer_close(k->c);
    if (err) fprintf(stderr, "%s: close: %s\n", k->prog, kc_err_desc(err));
    kc_consumer_destroy(k->c);
}

static const pc_driver kc_driver = {kc_pc_start, kc_pc_poll, kc_pc_close};

int kc_tool_perf_consume(int argc, char **argv) {
    const char *prog = argv[0];
    pc_args a;
    int rc = pc_parse_args(prog, argc, argv, &a);
    if (rc >= 0) return rc;
    char errstr[512];
    kc_pc k = {prog, &a, pc_run_new(prog, &a), kc_conf_new(), NULL,
               malloc(sizeof(kc_message_t *) * (size_t)a.batch)};
    rc = 1;
    if (!k.run || !k.conf || !k.msgs) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto out;
    }
    for (size_t i = 0; i < a.props.n; i++) {
        if (kc_conf_set(k.conf, a.props.v[i].key, a.props.v[i].value, errstr, sizeof errstr)) {
            fprintf(stderr, "%s: %s\n", prog, errstr);
            rc = 2;
            goto out;
        }
    }
    kc_conf_set_opaque(k.conf, k.run);
    kc_conf_set_rebalance_cb(k.conf, on_rebalance);
    kc_conf_set_error_cb(k.conf, on_error);
    k.c = kc_consumer_new(k.conf, errstr, sizeof errstr);
    if (!k.c) {
        fprintf(stderr, "%s: %s\n", prog, errstr);
        goto out;
    }
    rc = pc_run_go(k.run, &kc_driver, &k); /* frees the run */
    k.run = NULL;
out:
    pc_run_free(k.run);
    kc_conf_destroy(k.conf);
    free(k.msgs);
    pc_args_free(&a);
    return rc;
}
