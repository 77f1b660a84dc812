/* See perf_common.h. The statistics, throttling and output follow Kafka
 * 4.1's ProducerPerformance, Stats and ThroughputThrottler line by line
 * (checked against the 4.1.2 kafka-tools and server-common classes), so
 * that the numbers mean the same as kafka-producer-perf-test's. */
#include "perf_common.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* ------------------------------------------------------------ properties */

static char *xstrdup(const char *s) {
    char *d = strdup(s);
    if (!d) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return d;
}

const char *perf_props_get(const perf_props *p, const char *key) {
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].key, key) == 0) return p->v[i].value;
    return NULL;
}

void perf_props_set(perf_props *p, const char *key, const char *value) {
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->v[i].key, key) == 0) {
            free(p->v[i].value);
            p->v[i].value = xstrdup(value);
            return;
        }
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        perf_prop *v = realloc(p->v, sizeof(*v) * cap);
        if (!v) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n].key = xstrdup(key);
    p->v[p->n].value = xstrdup(value);
    p->n++;
}

void perf_props_free(perf_props *p) {
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].key);
        free(p->v[i].value);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* Reads a Java .properties file into props (see perf_common.h). */
int perf_props_load(const char *path, perf_props *props) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *line = NULL, *logical = NULL;
    size_t cap = 0, llen = 0;
    ssize_t n;
    int cont = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        char *s = line;
        while (*s == ' ' || *s == '\t' || *s == '\f') s++;
        if (!cont && (*s == 0 || *s == '#' || *s == '!')) continue;
        /* An odd number of trailing backslashes continues the line. */
        size_t bs = 0, slen = strlen(s);
        while (bs < slen && s[slen - 1 - bs] == '\\') bs++;
        cont = bs % 2 == 1;
        if (cont) s[--slen] = 0;
        char *grown = realloc(logical, llen + slen + 1);
        if (!grown) {
            free(line);
            free(logical);
            fclose(f);
            errno = ENOMEM;
            return -1;
        }
        logical = grown;
        memcpy(logical + llen, s, slen + 1);
        llen += slen;
        if (cont) continue;
        /* Split into key and value, undoing escapes. */
        char *key = logical, *w = logical, *r = logical;
        while (*r && *r != '=' && *r != ':' && *r != ' ' && *r != '\t' && *r != '\f') {
            if (*r == '\\' && r[1]) r++;
            *w++ = *r++;
        }
        char *after = r;
        while (*after == ' ' || *after == '\t' || *after == '\f') after++;
        if (*after == '=' || *after == ':') after++;
        while (*after == ' ' || *after == '\t' || *after == '\f') after++;
        *w = 0;
        char *value = after, *vw = after;
        for (char *vr = after; *vr; vr++) {
            if (*vr == '\\' && vr[1]) {
                vr++;
                *vw++ = *vr == 't' ? '\t' : *vr == 'n' ? '\n' : *vr == 'r' ? '\r' : *vr;
            } else {
                *vw++ = *vr;
            }
        }
        *vw = 0;
        if (*key) perf_props_set(props, key, value);
        llen = 0;
    }
    free(line);
    free(logical);
    int err = ferror(f);
    fclose(f);
    if (err) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ flags */

static void usage(const char *prog, FILE *out) {
    fprintf(out,
            "usage: %s --topic TOPIC --num-records NUM-RECORDS --record-size RECORD-SIZE\n"
            "       --throughput THROUGHPUT [--producer-props NAME=VALUE [NAME=VALUE ...]]\n"
            "       [--producer.config CONFIG-FILE] [--bootstrap-server HOST:PORT,...]\n"
            "\n"
            "Producer throughput and latency, measured and printed as Kafka's\n"
            "kafka-producer-perf-test does: a progress line every 5 s, then a summary\n"
            "with latency percentiles, plus the process's CPU time (user+sys).\n"
            "\n"
            "  --topic TOPIC            produce to this topic\n"
            "  --num-records N          number of records to produce (> 0)\n"
            "  --record-size BYTES      value size of each record (> 0); values are random\n"
            "                           letters A-Z, generated once, different per record\n"
            "  --throughput R           at most about R records/s; -1: no limit\n"
            "  --producer-props K=V...  producer configuration (bootstrap.servers, acks,\n"
            "                           linger.ms, ...); overrides --producer.config\n"
            "  --producer.config FILE   producer configuration file (Java .properties)\n"
            "  --bootstrap-server B     the brokers (overrides bootstrap.servers)\n"
            "  -h, --help               this text\n"
            "\n"
            "One of --producer-props, --producer.config or --bootstrap-server is required.\n"
            "Latency is the time from handing a record to the client to its delivery\n"
            "report, in ms. Exit status: 0 all records delivered, 1 some failed or the\n"
            "client could not start, 2 bad flags.\n",
            prog);
}

static int flag_err(const char *prog, const char *fmt, const char *a, const char *b) {
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, " (see --help)\n");
    return 2;
}

/* Flags that kafka-producer-perf-test has and this tool does not (yet). */
static const char *const unsupported[] = {
    "--payload-file",  "--payload-delimiter",        "--payload-monotonic", "--print-metrics",
    "--transactional-id", "--transaction-duration-ms", "--warmup-records",    NULL};

int perf_parse_args(const char *prog, int argc, char **argv, perf_args *a) {
    memset(a, 0, sizeof *a);
    const char *num = NULL, *size = NULL, *tput = NULL, *config = NULL, *bootstrap = NULL;
    perf_props cli = {0};
    int have_props = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(prog, stdout);
            perf_props_free(&cli);
            return 0;
        }
        if (strncmp(arg, "--", 2) != 0) {
            perf_props_free(&cli);
            return flag_err(prog, "unexpected argument '%s'%s", arg, "");
        }
        /* --flag=value or --flag value */
        char name[64];
        const char *inl = strchr(arg, '=');
        size_t nlen = inl ? (size_t)(inl - arg) : strlen(arg);
        if (nlen >= sizeof name) nlen = sizeof name - 1;
        memcpy(name, arg, nlen);
        name[nlen] = 0;
        for (int u = 0; unsupported[u]; u++) {
            if (strcmp(name, unsupported[u]) == 0) {
                perf_props_free(&cli);
                return flag_err(prog, "%s is not supported by this tool%s", name, "");
            }
        }
        if (strcmp(name, "--producer-props") == 0) {
            /* One or more NAME=VALUE up to the next flag. */
            int got = 0;
            const char *first = inl ? inl + 1 : NULL;
            for (;;) {
                const char *kv = first;
                if (kv) {
                    first = NULL;
                } else if (i + 1 < argc && argv[i + 1][0] != '-') {
                    kv = argv[++i];
                } else {
                    break;
                }
                const char *eq = strchr(kv, '=');
                if (!eq || eq == kv) {
                    perf_props_free(&cli);
                    return flag_err(prog, "--producer-props: invalid property '%s' (expected "
                                          "NAME=VALUE)%s", kv, "");
                }
                char *k = strndup(kv, (size_t)(eq - kv));
                if (!k) exit(1);
                if (strcmp(k, "key.serializer") != 0 && strcmp(k, "value.serializer") != 0)
                    perf_props_set(&cli, k, eq + 1); /* Java's serializers: not applicable */
                free(k);
                got++;
            }
            if (!got) {
                perf_props_free(&cli);
                return flag_err(prog, "--producer-props needs at least one NAME=VALUE%s%s", "",
                                "");
            }
            have_props = 1;
            continue;
        }
        const char **dst = strcmp(name, "--topic") == 0               ? &a->topic
                           : strcmp(name, "--num-records") == 0       ? &num
                           : strcmp(name, "--record-size") == 0       ? &size
                           : strcmp(name, "--throughput") == 0        ? &tput
                           : strcmp(name, "--producer.config") == 0   ? &config
                           : strcmp(name, "--bootstrap-server") == 0  ? &bootstrap
                                                                      : NULL;
        if (!dst) {
            perf_props_free(&cli);
            return flag_err(prog, "unknown flag '%s'%s", name, "");
        }
        const char *val = inl ? inl + 1 : NULL;
        if (!val) {
            if (i + 1 >= argc || (strncmp(argv[i + 1], "--", 2) == 0)) {
                perf_props_free(&cli);
                return flag_err(prog, "%s needs a value%s", name, "");
            }
            val = argv[++i];
        }
        *dst = val;
    }

    const char *missing = !a->topic ? "--topic"
                          : !num    ? "--num-records"
                          : !size   ? "--record-size"
                          : !tput   ? "--throughput"
                                    : NULL;
    if (missing) {
        perf_props_free(&cli);
        return flag_err(prog, "%s is required%s", missing, "");
    }
    if (!*a->topic) {
        perf_props_free(&cli);
        return flag_err(prog, "--topic must not be empty%s%s", "", "");
    }
    char *end;
    errno = 0;
    long long n = strtoll(num, &end, 10);
    if (errno || *end || end == num || n <= 0) {
        perf_props_free(&cli);
        return flag_err(prog, "--num-records: expected an integer greater than zero, got '%s'%s",
                        num, "");
    }
    a->num_records = n;
    errno = 0;
    long s = strtol(size, &end, 10);
    if (errno || *end || end == size || s <= 0 || s > 1000000000) {
        perf_props_free(&cli);
        return flag_err(prog, "--record-size: expected an integer greater than zero, got '%s'%s",
                        size, "");
    }
    a->record_size = (int)s;
    errno = 0;
    double t = strtod(tput, &end);
    if (errno || *end || end == tput || isnan(t) || t == 0) {
        perf_props_free(&cli);
        return flag_err(prog, "--throughput: expected records/s (> 0) or -1 for no limit, got '%s'%s",
                        tput, "");
    }
    a->throughput = t;
    if (!have_props && !config && !bootstrap) {
        perf_props_free(&cli);
        return flag_err(prog, "one of --producer-props, --producer.config or --bootstrap-server "
                              "is required%s%s", "", "");
    }
    if (config && perf_props_load(config, &a->props) != 0) {
        int e = errno;
        perf_props_free(&cli);
        perf_props_free(&a->props);
        return flag_err(prog, "--producer.config %s: %s", config, strerror(e));
    }
    /* key/value serializers in a Java config file mean nothing here. */
    for (size_t i = 0; i < a->props.n; i++) {
        if (strcmp(a->props.v[i].key, "key.serializer") == 0 ||
            strcmp(a->props.v[i].key, "value.serializer") == 0) {
            free(a->props.v[i].key);
            free(a->props.v[i].value);
            memmove(&a->props.v[i], &a->props.v[i + 1], sizeof(perf_prop) * (a->props.n - i - 1));
            a->props.n--;
            i--;
        }
    }
    for (size_t i = 0; i < cli.n; i++) perf_props_set(&a->props, cli.v[i].key, cli.v[i].value);
    perf_props_free(&cli);
    if (bootstrap) perf_props_set(&a->props, "bootstrap.servers", bootstrap);
    if (!perf_props_get(&a->props, "client.id"))
        perf_props_set(&a->props, "client.id", "perf-producer-client");
    return -1;
}

void perf_args_free(perf_args *a) { perf_props_free(&a->props); }

/* ------------------------------------------------------------ clocks */

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Milliseconds on the monotonic clock. Latency is the difference of two
 * such ticks, as Java's System.currentTimeMillis() differences are. */
static int64_t now_ms(void) { return now_ns() / 1000000; }

/* ------------------------------------------------------------ stats */

struct perf_run {
    const char *prog;
    const perf_args *a;
    /* payload */
    uint8_t *pool;
    size_t nslots;
    /* Stats (Java's ProducerPerformance.Stats) */
    int64_t start, window_start;
    long long iteration, sampling;
    int *latencies;
    long long nlat, index;
    long long count, bytes, total_latency;
    int max_latency;
    long long window_count, window_bytes, window_total_latency;
    int window_max_latency;
    /* failures */
    long long failed;
    /* ThroughputThrottler */
    int64_t sleep_time_ns, sleep_deficit_ns;
};

perf_run *perf_run_new(const char *prog, const perf_args *a) {
    perf_run *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->prog = prog;
    r->a = a;
    /* Java fills the value with fresh random letters A-Z before every send.
     * Generating them costs the client loop nothing here: a pool of distinct
     * values (4 MiB, at least one value) is made once and cycled, so every
     * batch still holds different random records (which matters for
     * compression) as in Java's runs. */
    size_t size = (size_t)a->record_size;
    size_t slots = (4u << 20) / size;
    if (slots < 1) slots = 1;
    if ((long long)slots > a->num_records) slots = (size_t)a->num_records;
    r->nslots = slots;
    r->pool = malloc(slots * size);
    r->sampling = a->num_records / (a->num_records < 500000 ? a->num_records : 500000);
    r->nlat = a->num_records / r->sampling + 1;
    r->latencies = calloc((size_t)r->nlat, sizeof(int));
    if (!r->pool || !r->latencies) {
        free(r->pool);
        free(r->latencies);
        free(r);
        return NULL;
    }
    /* Eight letters per xorshift step ((byte * 26) >> 8 maps a random byte
     * to 0..25): the pool costs the run a few ms, not tens. */
    uint64_t x = 0x9e3779b97f4a7c15ull; /* fixed seed: the same payloads every run */
    size_t total = slots * size;
    for (size_t i = 0; i < total; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t v = x;
        size_t n = total - i < 8 ? total - i : 8;
        for (size_t k = 0; k < n; k++, v >>= 8)
            r->pool[i + k] = (uint8_t)('A' + (((v & 0xff) * 26) >> 8));
    }
    return r;
}

void perf_run_free(perf_run *r) {
    if (!r) return;
    free(r->pool);
    free(r->latencies);
    free(r);
}

static void print_window(perf_run *r) {
    int64_t elapsed = now_ms() - r->window_start;
    if (elapsed <= 0) elapsed = 1;
    double recs = 1000.0 * (double)r->window_count / (double)elapsed;
    double mb = 1000.0 * (double)r->window_bytes / (double)elapsed / (1024.0 * 1024.0);
    printf("%lld records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max "
           "latency.\n",
           r->window_count, recs, mb,
           r->window_count ? (double)r->window_total_latency / (double)r->window_count : 0.0,
           (double)r->window_max_latency);
    fflush(stdout);
}

static void stats_record(perf_run *r, int latency, int bytes, int64_t time) {
    r->count++;
    r->bytes += bytes;
    r->total_latency += latency;
    if (latency > r->max_latency) r->max_latency = latency;
    r->window_count++;
    r->window_bytes += bytes;
    r->window_total_latency += latency;
    if (latency > r->window_max_latency) r->window_max_latency = latency;
    if (r->iteration % r->sampling == 0 && r->index < r->nlat) r->latencies[r->index++] = latency;
    if (time - r->window_start >= 5000) {
        print_window(r);
        r->window_start = now_ms();
        r->window_count = r->window_bytes = r->window_total_latency = 0;
        r->window_max_latency = 0;
    }
    r->iteration++;
}

void perf_delivered(perf_run *r, void *msg_opaque, const char *errmsg) {
    int64_t now = now_ms();
    if (errmsg) {
        /* Java prints a stack trace per failed record; a few lines say it. */
        if (r->failed < 5)
            fprintf(stderr, "%s: delivery failed: %s\n", r->prog, errmsg);
        else if (r->failed == 5)
            fprintf(stderr, "%s: (further delivery failures counted, not printed)\n", r->prog);
        r->failed++;
        return;
    }
    int64_t sent = (int64_t)(intptr_t)msg_opaque;
    stats_record(r, (int)(now - sent), r->a->record_size, now);
}

static int cmp_int(const void *x, const void *y) {
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

static void print_total(perf_run *r) {
    int64_t elapsed = now_ms() - r->start;
    if (elapsed <= 0) elapsed = 1;
    double recs = 1000.0 * (double)r->count / (double)elapsed;
    double mb = 1000.0 * (double)r->bytes / (double)elapsed / (1024.0 * 1024.0);
    long long size = r->index < r->nlat ? r->index : r->nlat;
    static const double percs[4] = {0.5, 0.95, 0.99, 0.999};
    int p[4] = {0, 0, 0, 0};
    /* The same picks as sorting the samples and indexing them, by counting
     * (latencies are small non-negative ms): no 500,000-element sort. */
    int maxv = 0;
    bool countable = true;
    for (long long i = 0; i < size; i++) {
        if (r->latencies[i] < 0) countable = false;
        if (r->latencies[i] > maxv) maxv = r->latencies[i];
    }
    long long *cnt = countable && maxv < (1 << 22) ? calloc((size_t)maxv + 1, sizeof *cnt) : NULL;
    if (cnt && size > 0) {
        for (long long i = 0; i < size; i++) cnt[r->latencies[i]]++;
        for (int i = 0; i < 4; i++) {
            long long idx = (long long)(percs[i] * (double)size), seen = 0;
            int v = 0;
            while (v < maxv && seen + cnt[v] <= idx) seen += cnt[v++];
            p[i] = v;
        }
    } else {
        qsort(r->latencies, (size_t)size, sizeof(int), cmp_int);
        for (int i = 0; i < 4; i++) p[i] = r->latencies[(long long)(percs[i] * (double)size)];
    }
    free(cnt);
    printf("%lld records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max "
           "latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.\n",
           r->count, recs, mb, r->count ? (double)r->total_latency / (double)r->count : 0.0,
           (double)r->max_latency, p[0], p[1], p[2], p[3]);
}

/* The process's user+sys CPU time and CPU per record (see perf_common.h). */
void perf_print_cpu(long long records) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    double sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("%.3f s client CPU (user %.3f s, sys %.3f s), %.3f us CPU per record.\n", user + sys,
           user, sys, records > 0 ? (user + sys) * 1e6 / (double)records : 0.0);
}

/* ------------------------------------------------------------ the run */

/* Java's ThroughputThrottler.throttle(), except that the sleep serves
 * delivery reports (Java's arrive on the producer's I/O thread meanwhile). */
static void throttle(perf_run *r, const perf_driver *d, void *ctx) {
    r->sleep_deficit_ns += r->sleep_time_ns;
    if (r->sleep_deficit_ns < 2000000) return; /* MIN_SLEEP_NS */
    int64_t t0 = now_ns(), left;
    while ((left = r->sleep_deficit_ns - (now_ns() - t0)) > 0)
        d->poll(ctx, (int)((left + 999999) / 1000000));
    r->sleep_deficit_ns = 0;
}

int perf_run_go(perf_run *r, const perf_driver *d, void *ctx) {
    const perf_args *a = r->a;
    size_t size = (size_t)a->record_size;
    int status = 0;
    long long sent = 0;
    r->start = r->window_start = now_ms();
    int throttled = a->throughput > 0;
    r->sleep_time_ns = throttled ? (int64_t)(1e9 / a->throughput) : INT64_MAX;
    char err[512];
    size_t slot = 0;
    for (long long i = 0; i < a->num_records; i++) {
        const uint8_t *payload = r->pool + slot * size;
        if (++slot == r->nslots) slot = 0;
        int64_t send_ms = now_ms();
        int rc;
        err[0] = 0;
        /* Java's send() blocks while the buffer is full: so does this. */
        while ((rc = d->produce(ctx, payload, size, (void *)(intptr_t)send_ms, err, sizeof err)) ==
               PERF_QUEUE_FULL)
            d->poll(ctx, 10);
        if (rc != PERF_OK) {
            fprintf(stderr, "%s: produce failed after %lld records: %s\n", r->prog, i, err);
            status = 1;
            break;
        }
        sent++;
        d->poll(ctx, 0);
        if (throttled) {
            float elapsed_sec = (float)(send_ms - r->start) / 1000.f;
            if (elapsed_sec > 0 && (double)i / (double)elapsed_sec > a->throughput)
                throttle(r, d, ctx);
        }
    }
    /* Java's producer.close(): wait for every delivery report. */
    int64_t t0 = now_ms(), next_note = t0 + 10000;
    long left;
    while ((left = d->flush(ctx, 1000)) > 0) {
        int64_t now = now_ms();
        if (now >= t0 + 300000) {
            fprintf(stderr, "%s: %ld records still undelivered after %lld s; giving up\n", r->prog,
                    left, (long long)(now - t0) / 1000);
            break;
        }
        if (now >= next_note) {
            fprintf(stderr, "%s: waiting for %ld undelivered records (%lld s)\n", r->prog, left,
                    (long long)(now - t0) / 1000);
            next_note += 10000;
        }
    }
    d->close(ctx); /* reports of records given up on are served here */
    print_total(r);
    perf_print_cpu(sent);
    if (r->failed) {
        fprintf(stderr, "%s: %lld of %lld records failed\n", r->prog, r->failed, sent);
        status = 1;
    }
    if (r->count + r->failed != sent) {
        fprintf(stderr, "%s: %lld records sent but %lld delivery reports received\n", r->prog, sent,
                r->count + r->failed);
        status = 1;
    }
    fflush(stdout);
    perf_run_free(r);
    return status;
}
