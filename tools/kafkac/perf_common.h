/* The client-independent half of `kafkac perf produce`: flags, producer
 * properties, payload, throttling, latency statistics and the output of
 * Kafka's kafka-producer-perf-test (org.apache.kafka.tools.ProducerPerformance).
 *
 * A client plugs in through perf_driver; tools/kafkac/perf_produce.c drives
 * kafkac and tests/perf/rdkafka_perf_produce.c drives librdkafka, so both are
 * measured by the same code. Nothing here calls a Kafka client. */
#ifndef KAFKAC_TOOL_PERF_COMMON_H
#define KAFKAC_TOOL_PERF_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Producer properties in the order they take effect: --producer.config
 * file, then --producer-props, then --bootstrap-server, then
 * client.id=perf-producer-client when none was given (as Java). A key
 * set twice keeps its last value, in its first position. */
typedef struct perf_prop {
    char *key, *value;
} perf_prop;

typedef struct perf_props {
    perf_prop *v;
    size_t n, cap;
} perf_props;

const char *perf_props_get(const perf_props *p, const char *key);
void perf_props_set(perf_props *p, const char *key, const char *value);
void perf_props_free(perf_props *p);
/* Adds the properties of a Java .properties file (the subset client configs
 * use: comments with # or !, key=value / key: value / key value, backslash
 * line continuations and escapes). Returns 0, or -1 with errno set. */
int perf_props_load(const char *path, perf_props *p);

/* Prints the process's CPU time (user+sys, getrusage) and the CPU per
 * record: "T s client CPU (user U s, sys S s), X us CPU per record." */
void perf_print_cpu(long long records);

typedef struct perf_args {
    const char *topic;
    long long num_records;
    int record_size;
    double throughput; /* records/s; negative: unthrottled */
    perf_props props;
} perf_args;

/* Parses `prog`'s flags (argv[0] is the command name). Returns -1 when the
 * run should go ahead, else the exit status: 0 after --help, 2 after a
 * one-line error naming the flag (on stderr). */
int perf_parse_args(const char *prog, int argc, char **argv, perf_args *a);
void perf_args_free(perf_args *a);

/* produce() results. */
#define PERF_OK 0
#define PERF_QUEUE_FULL 1 /* buffer full: poll and try again */
#define PERF_FAIL 2       /* the record was refused; err says why */

typedef struct perf_driver {
    /* Queues one record of the test topic (null key, any partition) whose
     * delivery report must call perf_delivered() with msg_opaque. The
     * payload must be copied (or kept: it stays valid all run). */
    int (*produce)(void *ctx, const void *payload, size_t len, void *msg_opaque, char *err,
                   size_t errsize);
    /* Serves delivery reports, waiting up to timeout_ms for the first. */
    void (*poll)(void *ctx, int timeout_ms);
    /* Sends everything now and serves reports for up to timeout_ms;
     * returns the number of records still undelivered. */
    long (*flush)(void *ctx, int timeout_ms);
    /* Destroys the client (after flush: nothing left). */
    void (*close)(void *ctx);
} perf_driver;

typedef struct perf_run perf_run;

/* A run of a->num_records records. Create it before the client (its
 * delivery callback needs the run), then start it with perf_run_go(). */
perf_run *perf_run_new(const char *prog, const perf_args *a);
/* Frees a run that was never started (the client could not be created). */
void perf_run_free(perf_run *r);

/* From a delivery report callback: the record with msg_opaque was
 * delivered (errmsg NULL) or failed (errmsg says why). */
void perf_delivered(perf_run *r, void *msg_opaque, const char *errmsg);

/* Produces every record, throttled as Java's ThroughputThrottler does,
 * prints a progress line every 5 s and the final lines (ProducerPerformance
 * format, plus the process's CPU time), closes the client (d->close) and
 * frees r. Returns the exit status: 0 when every record was delivered. */
int perf_run_go(perf_run *r, const perf_driver *d, void *ctx);

#endif
