/* Helpers shared by `kafkac console-producer` and `kafkac console-consumer`
 * (console_producer.c, console_consumer.c): long-option parsing the way
 * Kafka's tools (joptsimple) do it, --help text from the same table,
 * key=value property lists, and signal handling. */
#ifndef KAFKAC_TOOL_CONSOLE_COMMON_H
#define KAFKAC_TOOL_CONSOLE_COMMON_H

#include <signal.h>
#include <stdio.h>

#include <kafkac.h>

#include "perf_common.h"

/* One long option. arg: CC_NOARG, CC_ARG (required value) or CC_OPTARG
 * (optional value: --name=V, or the next argument unless it starts with
 * '-'). metavar names the value in --help; help may hold '\n' (continued
 * lines are indented). */
#define CC_NOARG 0
#define CC_ARG 1
#define CC_OPTARG 2

typedef struct cc_opt {
    const char *name; /* without the leading "--" */
    int arg;
    const char *metavar;
    const char *help;
} cc_opt;

/* Parses argv[*i] (and its value) against opts (ending with {NULL}).
 * Accepts --name VALUE, --name=VALUE and, as joptsimple does, any
 * unambiguous prefix of a name. Returns the option's index and stores its
 * value in *val (NULL for none) and advances *i; returns -1 at the end of
 * argv, -2 after a one-line error on stderr (unknown, ambiguous or
 * misused option, or a stray argument). */
int cc_next_opt(const char *prog, const cc_opt *opts, int argc, char **argv, int *i,
                const char **val);

/* Prints "usage: USAGE\n\nABOUT\n\nOptions:\n" and one entry per option. */
void cc_usage(FILE *out, const char *usage, const char *about, const cc_opt *opts);

/* Adds "key=value" (or "key" alone: an empty value, as Java) to p; -1
 * after a one-line error naming flag when there is no key. */
int cc_props_add_kv(const char *prog, const char *flag, perf_props *p, const char *kv);

/* Loads a Java .properties file into p; -1 after a one-line error. */
int cc_props_load(const char *prog, const char *path, perf_props *p);

/* A client configuration from p (in order). Java-only keys that the
 * console tools override anyway (key/value (de)serializers) are skipped;
 * Java's socket buffer names (send.buffer.bytes, receive.buffer.bytes) are
 * mapped to kafkac's. NULL after a one-line error. */
kc_conf_t *cc_conf(const char *prog, const perf_props *p);

/* Java's Boolean parsing of formatter/reader properties: trimmed value
 * equal to "true" ignoring case. */
int cc_true(const char *v);

/* Parses a whole decimal number in [min, max]; -1 after a one-line error
 * naming the flag. */
int cc_parse_num(const char *prog, const char *flag, const char *s, long long min, long long max,
                 long long *out);

/* SIGINT/SIGTERM set cc_stop (the first one only: a second one kills the
 * process as usual). SIGPIPE is ignored (write errors are checked). */
extern volatile sig_atomic_t cc_stop;
void cc_signals(void);

/* Monotonic milliseconds. */
long long cc_now_ms(void);

/* Log callback for the clients: prints warnings and errors as one line,
 * "PROG: FACILITY: message". The configuration's opaque must point to a
 * struct whose first member is the program name (const char *). */
void cc_log_cb(void *client, int level, const char *fac, const char *msg, void *opaque);

#endif
