/* See perf_consume_common.h. The loop, the statistics and the output follow
 * Kafka 4.1's ConsumerPerformance (checked against the 4.1.2 kafka-tools
 * classes), so that the numbers mean the same as kafka-consumer-perf-test's:
 * the run starts once the client exists, ends when the last record was
 * read (before the client is closed), and rebalance time is the time until
 * the first partitions were assigned. */
#include "perf_consume_common.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ flags */

/* Prints the --help text to out. */
static void usage(const char *prog, FILE *out) {
    fprintf(out,
            "usage: %s --bootstrap-server HOST:PORT --topic TOPIC --messages N\n"
            "       [--group GROUP] [--from-latest] [--consumer.config FILE] [--timeout MS]\n"
            "       [--reporting-interval MS] [--show-detailed-stats] [--hide-header]\n"
            "       [--fetch-size BYTES] [--socket-buffer-size BYTES] [--assign]\n"
            "\n"
            "Consumer throughput, measured and printed as Kafka's kafka-consumer-perf-test\n"
            "does (a header and one CSV line), plus the process's CPU time (user+sys).\n"
            "\n"
            "  --bootstrap-server B     the brokers (required)\n"
            "  --topic TOPIC            consume this topic (required)\n"
            "  --messages N             number of records to read (required, > 0)\n"
            "  --group GROUP            consumer group (default: perf-consumer-<pid>)\n"
            "  --from-latest            without a committed offset start at the end,\n"
            "                           not the beginning (auto.offset.reset=latest)\n"
            "  --consumer.config FILE   consumer configuration file (Java .properties)\n"
            "  --timeout MS             longest wait between records (default 10000); when\n"
            "                           it passes the run stops and fails\n"
            "  --reporting-interval MS  interval of --show-detailed-stats lines (default 5000)\n"
            "  --show-detailed-stats    a line per reporting interval instead of the summary\n"
            "  --hide-header            no header line\n"
            "  --fetch-size BYTES       max.partition.fetch.bytes (default 1048576)\n"
            "  --socket-buffer-size B   socket.receive.buffer.bytes (default 2097152)\n"
            "  --print-metrics          accepted and ignored (no metrics yet)\n"
            "  --assign                 (kafkac extension) assign every partition of the\n"
            "                           topic directly, without joining a group; starts at\n"
            "                           the beginning (the end with --from-latest)\n"
            "  -h, --help               this text\n"
            "\n"
            "Bytes are key+value sizes. rebalance.time.ms is the time until the first\n"
            "partitions were assigned (--assign: the metadata lookup and the assign).\n"
            "Exit status: 0 all records read, 1 timeout, errors or the client could not\n"
            "start, 2 bad flags.\n",
            prog);
}

/* Prints "prog: <fmt with a>" and a pointer to --help; returns 2. */
static int flag_err(const char *prog, const char *fmt, const char *a) {
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (see --help)\n");
    return 2;
}

/* Parses s as an integer >= min into *out; returns 0 or -1. */
static int parse_ll(const char *s, long long min, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < min) return -1;
    *out = v;
    return 0;
}

/* Drops Java-only keys of a config file and renames Java's socket buffer keys. */
static void javaize_props(perf_props *p) {
    for (size_t i = 0; i < p->n; i++) {
        perf_prop *kv = &p->v[i];
        if (strcmp(kv->key, "key.deserializer") == 0 || strcmp(kv->key, "value.deserializer") == 0) {
            free(kv->key);
            free(kv->value);
            memmove(kv, kv + 1, sizeof *kv * (p->n - i - 1));
            p->n--;
            i--;
        } else if (strcmp(kv->key, "receive.buffer.bytes") == 0 ||
                   strcmp(kv->key, "send.buffer.bytes") == 0) {
            const char *name = kv->key[0] == 'r' ? "socket.receive.buffer.bytes"
                                                 : "socket.send.buffer.bytes";
            char *nk = strdup(name);
            if (!nk) exit(1);
            free(kv->key);
            kv->key = nk;
        }
    }
}

int pc_parse_args(const char *prog, int argc, char **argv, pc_args *a) {
    memset(a, 0, sizeof *a);
    const char *bootstrap = NULL, *messages = NULL, *config = NULL, *timeout = "10000",
               *report = "5000", *fetch_size = "1048576", *sock_buf = "2097152";
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(prog, stdout);
            return 0;
        }
        if (strncmp(arg, "--", 2) != 0) return flag_err(prog, "unexpected argument '%s'", arg);
        char name[64];
        const char *inl = strchr(arg, '=');
        size_t nlen = inl ? (size_t)(inl - arg) : strlen(arg);
        if (nlen >= sizeof name) nlen = sizeof name - 1;
        memcpy(name, arg, nlen);
        name[nlen] = 0;
        int *sw = strcmp(name, "--from-latest") == 0           ? &a->from_latest
                  : strcmp(name, "--show-detailed-stats") == 0 ? &a->detailed
                  : strcmp(name, "--hide-header") == 0         ? &a->hide_header
                  : strcmp(name, "--assign") == 0              ? &a->assign
                                                               : NULL;
        if (sw) {
            *sw = 1;
            continue;
        }
        if (strcmp(name, "--print-metrics") == 0) {
            fprintf(stderr, "%s: note: --print-metrics is accepted but ignored (no metrics)\n",
                    prog);
            continue;
        }
        const char **dst = strcmp(name, "--bootstrap-server") == 0     ? &bootstrap
                           : strcmp(name, "--topic") == 0              ? &a->topic
                           : strcmp(name, "--messages") == 0           ? &messages
                           : strcmp(name, "--group") == 0              ? &a->group
                           : strcmp(name, "--consumer.config") == 0    ? &config
                           : strcmp(name, "--timeout") == 0            ? &timeout
                           : strcmp(name, "--reporting-interval") == 0 ? &report
                           : strcmp(name, "--fetch-size") == 0         ? &fetch_size
                           : strcmp(name, "--socket-buffer-size") == 0 ? &sock_buf
                                                                       : NULL;
        if (!dst) {
            if (strcmp(name, "--date-format") == 0 || strcmp(name, "--include") == 0)
                return flag_err(prog, "%s is not supported by this tool", name);
            return flag_err(prog, "unknown flag '%s'", name);
        }
        const char *val = inl ? inl + 1 : NULL;
        if (!val) {
            if (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0)
                return flag_err(prog, "%s needs a value", name);
            val = argv[++i];
        }
        *dst = val;
        if (dst == &a->group) a->group_given = 1;
    }
    const char *missing = !bootstrap ? "--bootstrap-server"
                          : !a->topic ? "--topic"
                          : !messages ? "--messages"
                                      : NULL;
    if (missing) return flag_err(prog, "%s is required", missing);
    if (!*a->topic) return flag_err(prog, "--topic must not be empty%s", "");
    if (a->group_given && !*a->group) return flag_err(prog, "--group must not be empty%s", "");
    long long fs, sb;
    if (parse_ll(messages, 1, &a->messages))
        return flag_err(prog, "--messages: expected an integer greater than zero, got '%s'",
                        messages);
    if (parse_ll(timeout, 0, &a->timeout_ms))
        return flag_err(prog, "--timeout: expected milliseconds (>= 0), got '%s'", timeout);
    if (parse_ll(report, 1, &a->report_ms))
        return flag_err(prog, "--reporting-interval: expected milliseconds (> 0), got '%s'",
                        report);
    if (parse_ll(fetch_size, 1, &fs) || fs > 1000000000)
        return flag_err(prog, "--fetch-size: expected bytes (> 0), got '%s'", fetch_size);
    if (parse_ll(sock_buf, 0, &sb) || sb > 100000000)
        return flag_err(prog, "--socket-buffer-size: expected bytes (>= 0), got '%s'", sock_buf);
    if (!a->group_given) {
        snprintf(a->group_buf, sizeof a->group_buf, "perf-consumer-%ld", (long)getpid());
        a->group = a->group_buf;
    }
    if (config && perf_props_load(config, &a->props) != 0) {
        int e = errno;
        perf_props_free(&a->props);
        fprintf(stderr, "%s: --consumer.config %s: %s\n", prog, config, strerror(e));
        return 2;
    }
    javaize_props(&a->props);
    perf_props_set(&a->props, "bootstrap.servers", bootstrap);
    if (!a->assign || a->group_given) perf_props_set(&a->props, "group.id", a->group);
    perf_props_set(&a->props, "socket.receive.buffer.bytes", sock_buf);
    perf_props_set(&a->props, "max.partition.fetch.bytes", fetch_size);
    perf_props_set(&a->props, "auto.offset.reset", a->from_latest ? "latest" : "earliest");
    if (!perf_props_get(&a->props, "client.id"))
        perf_props_set(&a->props, "client.id", "perf-consumer-client");
    const char *mpr = perf_props_get(&a->props, "max.poll.records");
    long long batch = 500;
    if (mpr && (parse_ll(mpr, 1, &batch) || batch > 1000000)) {
        perf_props_free(&a->props);
        return flag_err(prog, "max.poll.records: expected 1..1000000, got '%s'", mpr);
    }
    a->batch = (int)batch;
    return -1;
}

void pc_args_free(pc_args *a) { perf_props_free(&a->props); }

/* ------------------------------------------------------------ the run */

struct pc_run {
    const char *prog;
    const pc_args *a;
    int64_t join_start;  /* when the consumer last had no partitions */
    long long join_ms;   /* total rebalance time */
    long long round_ms;  /* rebalance time in this reporting interval */
    long assigned;       /* partitions assigned now */
    long long errors;
};

/* Wall-clock milliseconds, as Java's System.currentTimeMillis(). */
static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Formats ms as Java's default "yyyy-MM-dd HH:mm:ss:SSS" (local time). */
static const char *date(int64_t ms, char *buf, size_t size) {
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&s, &tm);
    size_t n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf + n, size - n, ":%03d", (int)(ms % 1000));
    return buf;
}

pc_run *pc_run_new(const char *prog, const pc_args *a) {
    pc_run *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->prog = prog;
    r->a = a;
    return r;
}

void pc_run_free(pc_run *r) { free(r); }

void pc_assigned(pc_run *r, int n) {
    if (r->assigned == 0) {
        int64_t el = now_ms() - r->join_start;
        r->join_ms += el;
        r->round_ms += el;
    }
    r->assigned += n;
}

void pc_revoked(pc_run *r, int n) {
    if (r->assigned <= 0) return;
    r->assigned -= n;
    if (r->assigned <= 0) {
        r->assigned = 0;
        r->join_start = now_ms();
    }
}

void pc_error(pc_run *r, const char *what) {
    if (r->errors < 10)
        fprintf(stderr, "%s: error: %s\n", r->prog, what);
    else if (r->errors == 10)
        fprintf(stderr, "%s: (further errors counted, not printed)\n", r->prog);
    r->errors++;
}

/* Java's --show-detailed-stats line for the interval [start, end]. */
static void print_progress(pc_run *r, long long bytes, long long last_bytes, long long read,
                           long long last_read, int64_t start, int64_t end) {
    char d[64];
    double el = (double)(end - start);
    double mb = (double)bytes / (1024 * 1024), imb = (double)(bytes - last_bytes) / (1024 * 1024);
    long long fetch = end - start - r->round_ms;
    printf("%s, %d, %.4f, %.4f, %lld, %.4f, %lld, %lld, %.4f, %.4f\n", date(end, d, sizeof d), 0,
           mb, 1000.0 * imb / el, read, (double)(read - last_read) / el * 1000.0, r->round_ms,
           fetch, fetch <= 0 ? 0.0 : 1000.0 * imb / (double)fetch,
           fetch <= 0 ? 0.0 : 1000.0 * (double)(read - last_read) / (double)fetch);
    fflush(stdout);
}

int pc_run_go(pc_run *r, const pc_driver *d, void *ctx) {
    const pc_args *a = r->a;
    if (!a->hide_header)
        printf("%s, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
               "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n",
               a->detailed ? "time, threadId" : "start.time, end.time");
    fflush(stdout);
    int64_t start = now_ms();
    r->join_start = start;
    if (d->start(ctx)) {
        d->close(ctx);
        pc_run_free(r);
        return 1;
    }
    long long read = 0, bytes = 0, last_read = 0, last_bytes = 0;
    int64_t now = start, last_report = start, last_consumed = start;
    while (read < a->messages && now - last_consumed <= a->timeout_ms) {
        long long left = a->messages - read;
        long n = d->poll(ctx, left < a->batch ? (long)left : a->batch, 100, &bytes);
        now = now_ms();
        if (n <= 0) continue;
        last_consumed = now;
        read += n;
        if (now - last_report >= a->report_ms) {
            if (a->detailed) print_progress(r, bytes, last_bytes, read, last_read, last_report, now);
            r->round_ms = 0;
            last_report = now;
            last_read = read;
            last_bytes = bytes;
        }
    }
    int64_t end = now_ms();
    d->close(ctx);
    int status = 0;
    if (read < a->messages) {
        fprintf(stderr, "%s: timeout: no record came for %lld ms (--timeout); read %lld of %lld "
                        "records\n", r->prog, a->timeout_ms, read, a->messages);
        status = 1;
    }
    if (!a->detailed) {
        char d1[64], d2[64];
        double el = (double)(end - start) / 1000.0, mb = (double)bytes / (1024 * 1024);
        double fetch_s = (double)(end - start - r->join_ms) / 1000.0;
        printf("%s, %s, %.4f, %.4f, %lld, %.4f, %lld, %lld, %.4f, %.4f\n", date(start, d1, sizeof d1),
               date(end, d2, sizeof d2), mb, mb / el, read, (double)read / el, r->join_ms,
               (long long)(end - start - r->join_ms), mb / fetch_s, (double)read / fetch_s);
    }
    perf_print_cpu(read);
    fflush(stdout);
    if (r->errors) {
        fprintf(stderr, "%s: %lld error events\n", r->prog, r->errors);
        status = 1;
    }
    pc_run_free(r);
    return status;
}
