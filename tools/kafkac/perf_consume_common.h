/* The client-independent half of `kafkac perf consume`: flags, consumer
 * properties, counting, rebalance timing and the output of Kafka's
 * kafka-consumer-perf-test (org.apache.kafka.tools.ConsumerPerformance).
 *
 * A client plugs in through pc_driver; tools/kafkac/perf_consume.c drives
 * kafkac and tests/perf/rdkafka_perf_consume.c drives librdkafka, so both are
 * measured by the same code. Nothing here calls a Kafka client. */
#ifndef KAFKAC_TOOL_PERF_CONSUME_COMMON_H
#define KAFKAC_TOOL_PERF_CONSUME_COMMON_H

#include <stddef.h>

#include "perf_common.h"

typedef struct pc_args {
    const char *topic;
    const char *group;     /* --group, or "perf-consumer-<pid>" */
    int group_given;       /* --group was on the command line */
    long long messages;    /* --messages */
    long long timeout_ms;  /* --timeout: longest wait between records */
    long long report_ms;   /* --reporting-interval */
    int detailed;          /* --show-detailed-stats */
    int hide_header;       /* --hide-header */
    int from_latest;       /* --from-latest */
    int assign;            /* --assign: every partition, no group membership */
    int batch;             /* records per poll: max.poll.records (default 500) */
    /* Consumer properties, with the names both C clients accept: the
     * --consumer.config file, then bootstrap.servers, group.id (group mode),
     * socket.receive.buffer.bytes (--socket-buffer-size),
     * max.partition.fetch.bytes (--fetch-size), auto.offset.reset
     * (earliest, or latest with --from-latest), then
     * client.id=perf-consumer-client when none was given (all as Java). */
    perf_props props;
    char group_buf[48];
} pc_args;

/* Parses `prog`'s flags (argv[0] is the command name). Returns -1 when the
 * run should go ahead, else the exit status: 0 after --help, 2 after a
 * one-line error naming the flag (on stderr). */
int pc_parse_args(const char *prog, int argc, char **argv, pc_args *a);
void pc_args_free(pc_args *a);

typedef struct pc_driver {
    /* Subscribes to a->topic (group mode), or assigns every partition of it
     * from its beginning (its end with --from-latest) and calls
     * pc_assigned(). Returns 0, or -1 after printing why. */
    int (*start)(void *ctx);
    /* Waits up to timeout_ms for the first record, then takes at most max
     * already fetched; adds their key+value sizes to *bytes and returns how
     * many records it took. Error events go to pc_error(). */
    long (*poll)(void *ctx, long max, int timeout_ms, long long *bytes);
    /* Closes (leaves the group, commits) and destroys the client. */
    void (*close)(void *ctx);
} pc_driver;

typedef struct pc_run pc_run;

/* A run reading a->messages records. Create it before the client (its
 * rebalance callback needs the run), then start it with pc_run_go(). */
pc_run *pc_run_new(const char *prog, const pc_args *a);
void pc_run_free(pc_run *r);

/* From the rebalance callback: n partitions were assigned / revoked (or
 * lost). Time from start (or from losing the last partition) to the first
 * assignment counts as rebalance time, as Java's ConsumerPerfRebListener. */
void pc_assigned(pc_run *r, int n);
void pc_revoked(pc_run *r, int n);

/* An error event (what: its name and description): the first 10 are
 * printed on stderr, all are counted and fail the run. */
void pc_error(pc_run *r, const char *what);

/* Starts the client (d->start), reads until a->messages records were read
 * or no record came for a->timeout_ms, prints Java's lines and the
 * process's CPU time, closes the client (d->close) and frees r. Returns
 * the exit status: 0 when every record was read and no error came. */
int pc_run_go(pc_run *r, const pc_driver *d, void *ctx);

#endif
