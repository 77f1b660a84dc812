/* The librdkafka peer of `kafkac perf consume`: the same flags, the same
 * measurement and output (tools/kafkac/perf_consume_common.c), librdkafka's
 * consumer underneath, so that the two are measured identically.
 *
 *   rdkafka_perf_consume --bootstrap-server B --topic T --messages N
 *                        [--group G] [--assign] [--from-latest] ...
 *
 * Properties are those of kafkac perf consume (see perf_consume_common.h),
 * which librdkafka takes under the same names; its own defaults otherwise
 * match the Java consumer's for this run (fetch.min.bytes=1, fetch.max.bytes
 * 50 MiB, 500 ms fetch wait, check.crcs=false). max.poll.records, which
 * librdkafka does not know, sets the batch size instead.
 *
 * Records are read with rd_kafka_consume_batch_queue() on the consumer
 * queue (librdkafka's batch API, the peer of kc_consumer_poll_batch());
 * rebalances run through the rebalance callback, which applies the
 * assignment itself (eager or cooperative). librdkafka cannot assign without
 * a group.id, so --assign still sets one (never joined) and turns
 * enable.auto.commit off. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf_consume_common.h"

static const char *prog = "rdkafka_perf_consume";

typedef struct rk_pc {
    const pc_args *a;
    pc_run *run;
    rd_kafka_t *rk;
    rd_kafka_queue_t *q;
    rd_kafka_message_t **msgs; /* a->batch entries */
} rk_pc;

/* Rebalance callback: times the join and applies the change. */
static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque) {
    int coop = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    rd_kafka_error_t *e = NULL;
    rd_kafka_resp_err_t r = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        pc_assigned(opaque, parts->cnt);
        if (coop)
            e = rd_kafka_incremental_assign(rk, parts);
        else
            r = rd_kafka_assign(rk, parts);
    } else {
        pc_revoked(opaque, parts->cnt);
        if (coop)
            e = rd_kafka_incremental_unassign(rk, parts);
        else
            r = rd_kafka_assign(rk, NULL);
    }
    if (e) {
        pc_error(opaque, rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
    } else if (r) {
        pc_error(opaque, rd_kafka_err2str(r));
    }
}

/* Error callback: client-wide errors are printed and counted. */
static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
    (void)rk;
    char msg[768];
    snprintf(msg, sizeof msg, "%s: %s", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
    pc_error(opaque, msg);
}

/* Subscribes, or (--assign) assigns every partition of the topic. */
static int rk_pc_start(void *ctx) {
    rk_pc *k = ctx;
    rd_kafka_resp_err_t err;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(16);
    if (!k->a->assign) {
        rd_kafka_topic_partition_list_add(l, k->a->topic, RD_KAFKA_PARTITION_UA);
        err = rd_kafka_subscribe(k->rk, l);
    } else {
        rd_kafka_topic_t *t = rd_kafka_topic_new(k->rk, k->a->topic, NULL);
        const struct rd_kafka_metadata *md = NULL;
        err = rd_kafka_metadata(k->rk, 0, t, &md, 10000);
        if (!err) err = md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
        for (int p = 0; !err && p < md->topics[0].partition_cnt; p++)
            rd_kafka_topic_partition_list_add(l, k->a->topic, md->topics[0].partitions[p].id)
                ->offset = k->a->from_latest ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
        if (md) rd_kafka_metadata_destroy(md);
        rd_kafka_topic_destroy(t);
        if (!err && l->cnt == 0) err = RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION;
        if (!err) err = rd_kafka_assign(k->rk, l);
        if (!err) pc_assigned(k->run, l->cnt);
    }
    rd_kafka_topic_partition_list_destroy(l);
    if (err) fprintf(stderr, "%s: %s %s: %s\n", prog, k->a->assign ? "assign" : "subscribe",
                     k->a->topic, rd_kafka_err2str(err));
    return err ? -1 : 0;
}

/* Takes up to max records (within timeout_ms; the batch call returns as
 * soon as max are there). */
static long rk_pc_poll(void *ctx, long max, int timeout_ms, long long *bytes) {
    rk_pc *k = ctx;
    ssize_t n = rd_kafka_consume_batch_queue(k->q, timeout_ms, k->msgs, (size_t)max);
    long records = 0;
    long long sum = 0;
    for (ssize_t i = 0; i < n; i++) {
        rd_kafka_message_t *m = k->msgs[i];
        if (!m->err) {
            sum += (long long)(m->key_len + m->len);
            records++;
        } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            char msg[768];
            snprintf(msg, sizeof msg, "%s [%d]: %s: %s", m->rkt ? rd_kafka_topic_name(m->rkt) : "-",
                     (int)m->partition, rd_kafka_err2name(m->err), rd_kafka_message_errstr(m));
            pc_error(k->run, msg);
        }
        rd_kafka_message_destroy(m);
    }
    *bytes += sum;
    return records;
}

/* Leaves the group (committing) and destroys the consumer. */
static void rk_pc_close(void *ctx) {
    rk_pc *k = ctx;
    rd_kafka_queue_destroy(k->q);
    rd_kafka_resp_err_t err = rd_kafka_consumer_close(k->rk);
    if (err) fprintf(stderr, "%s: close: %s\n", prog, rd_kafka_err2str(err));
    rd_kafka_destroy(k->rk);
}

static const pc_driver rk_driver = {rk_pc_start, rk_pc_poll, rk_pc_close};

/* Applies the properties to conf (see the top of the file). */
static int configure(rd_kafka_conf_t *conf, const pc_args *a) {
    char errstr[512];
    for (size_t i = 0; i < a->props.n; i++) {
        const char *k = a->props.v[i].key, *v = a->props.v[i].value;
        if (strcmp(k, "max.poll.records") == 0) continue;
        if (rd_kafka_conf_set(conf, k, v, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
            fprintf(stderr, "%s: %s\n", prog, errstr);
            return -1;
        }
    }
    if (a->assign && (rd_kafka_conf_set(conf, "group.id", a->group, errstr, sizeof errstr) ||
                      rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr,
                                        sizeof errstr))) {
        fprintf(stderr, "%s: %s\n", prog, errstr);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    pc_args a;
    int rc = pc_parse_args(prog, argc, argv, &a);
    if (rc >= 0) return rc;
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rk_pc k = {&a, pc_run_new(prog, &a), NULL, NULL,
               malloc(sizeof(rd_kafka_message_t *) * (size_t)a.batch)};
    rc = 1;
    if (!k.run || !k.msgs) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto out;
    }
    if (configure(conf, &a)) {
        rc = 2;
        goto out;
    }
    rd_kafka_conf_set_opaque(conf, k.run);
    rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
    rd_kafka_conf_set_error_cb(conf, on_error);
    k.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!k.rk) {
        fprintf(stderr, "%s: %s\n", prog, errstr);
        goto out;
    }
    conf = NULL; /* owned by k.rk now */
    rd_kafka_poll_set_consumer(k.rk);
    k.q = rd_kafka_queue_get_consumer(k.rk);
    rc = pc_run_go(k.run, &rk_driver, &k); /* frees the run */
    k.run = NULL;
out:
    if (conf) rd_kafka_conf_destroy(conf);
    pc_run_free(k.run);
    free(k.msgs);
    pc_args_free(&a);
    return rc;
}
