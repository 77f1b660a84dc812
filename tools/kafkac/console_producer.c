/* kafkac console-producer: Kafka's kafka-console-producer.sh
 * (org.apache.kafka.tools.ConsoleProducer with its LineMessageReader, 4.1)
 * on the kafkac producer.
 *
 * Same flags and defaults: producer properties from --producer.config,
 * then --producer-property, then the dedicated flags (--timeout is
 * linger.ms, --batch-size batch.size, ... each applied when given or when
 * the key was not set otherwise, as Java's maybeMergeOptions). One record
 * per input line (lines end with \n, \r\n or \r, as Java's readLine);
 * parse.key / parse.headers split a line as "h1:v1,h2:v2<TAB>key<TAB>value"
 * with LineMessageReader's separators, null.marker and ignore.error.
 *
 * Unlike Java, every line is accounted for: at EOF (or Ctrl-C) the producer
 * is flushed, and the exit status is 1 with one line on stderr when any
 * record was not delivered. A topic that does not appear in the metadata
 * within max.block.ms (Java's limit too) is reported by name. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "console_common.h"

enum {
    O_BOOTSTRAP,
    O_BROKER_LIST,
    O_TOPIC,
    O_PROPERTY,
    O_READER_CONFIG,
    O_LINE_READER,
    O_PRODUCER_PROPERTY,
    O_PRODUCER_CONFIG,
    O_SYNC,
    O_COMPRESSION,
    O_BATCH_SIZE,
    O_TIMEOUT,
    O_ACKS,
    O_REQUEST_TIMEOUT,
    O_RETRIES,
    O_RETRY_BACKOFF,
    O_METADATA_EXPIRY,
    O_MAX_BLOCK,
    O_MAX_MEMORY,
    O_MAX_PARTITION_MEMORY,
    O_SOCKET_BUFFER,
    O_HELP,
    O_VERSION,
};

static const cc_opt opts[] = {
    [O_BOOTSTRAP] = {"bootstrap-server", CC_ARG, "HOST:PORT,...",
                     "REQUIRED (unless --broker-list): the broker(s) to connect to"},
    [O_BROKER_LIST] = {"broker-list", CC_ARG, "HOST:PORT,...",
                       "deprecated alias of --bootstrap-server (ignored when that is given)"},
    [O_TOPIC] = {"topic", CC_ARG, "TOPIC", "REQUIRED: the topic to produce to"},
    [O_PROPERTY] = {"property", CC_ARG, "KEY=VALUE",
                    "line reader property (repeatable):\n"
                    "parse.key=false         lines carry a key\n"
                    "key.separator=\\t        between key and value\n"
                    "parse.headers=false     lines start with headers\n"
                    "headers.delimiter=\\t    between headers and key/value\n"
                    "headers.separator=,     between headers\n"
                    "headers.key.separator=: between a header's name and value\n"
                    "null.marker=            a key, value or header value equal to\n"
                    "                        it is sent as null\n"
                    "ignore.error=false      lines without separator: no key/headers\n"
                    "Line format with both: \"h1:v1,h2:v2<TAB>key<TAB>value\""},
    [O_READER_CONFIG] = {"reader-config", CC_ARG, "FILE",
                         "line reader properties file (--property takes precedence)"},
    [O_LINE_READER] = {"line-reader", CC_ARG, "CLASS",
                       "only org.apache.kafka.tools.LineMessageReader (the default)"},
    [O_PRODUCER_PROPERTY] = {"producer-property", CC_ARG, "KEY=VALUE",
                             "producer configuration (repeatable; docs/CONFIGURATION.md)"},
    [O_PRODUCER_CONFIG] = {"producer.config", CC_ARG, "FILE",
                           "producer properties file (--producer-property takes precedence)"},
    [O_SYNC] = {"sync", CC_NOARG, "", "send each record alone and wait for its acknowledgement"},
    [O_COMPRESSION] = {"compression-codec", CC_OPTARG, "CODEC",
                       "none, gzip, snappy, lz4 or zstd; without a value: gzip"},
    [O_BATCH_SIZE] = {"batch-size", CC_ARG, "BYTES", "batch.size (default 16384)"},
    [O_TIMEOUT] = {"timeout", CC_ARG, "MS", "linger.ms (default 1000)"},
    [O_ACKS] = {"request-required-acks", CC_ARG, "ACKS", "acks: -1/all, 0 or 1 (default -1)"},
    [O_REQUEST_TIMEOUT] = {"request-timeout-ms", CC_ARG, "MS",
                           "request.timeout.ms (default 1500)"},
    [O_RETRIES] = {"message-send-max-retries", CC_ARG, "N", "retries (default 3)"},
    [O_RETRY_BACKOFF] = {"retry-backoff-ms", CC_ARG, "MS", "retry.backoff.ms (default 100)"},
    [O_METADATA_EXPIRY] = {"metadata-expiry-ms", CC_ARG, "MS",
                           "metadata.max.age.ms (default 300000)"},
    [O_MAX_BLOCK] = {"max-block-ms", CC_ARG, "MS",
                     "max.block.ms (default 60000): also how long to wait for the\n"
                     "topic to appear in the metadata"},
    [O_MAX_MEMORY] = {"max-memory-bytes", CC_ARG, "BYTES",
                      "buffer.memory (default 33554432)"},
    [O_MAX_PARTITION_MEMORY] = {"max-partition-memory-bytes", CC_ARG, "BYTES",
                                "batch.size (overrides --batch-size)"},
    [O_SOCKET_BUFFER] = {"socket-buffer-size", CC_ARG, "BYTES", "socket.send.buffer.bytes"},
    [O_HELP] = {"help", CC_NOARG, "", "print this help"},
    [O_VERSION] = {"version", CC_NOARG, "", "print the kafkac version"},
    {NULL, 0, NULL, NULL},
};

#define MAX_OPTS (O_VERSION + 1)

/* Line reader settings (LineMessageReader). */
typedef struct reader {
    int parse_key, parse_headers, ignore_error;
    const char *key_sep, *hdr_delim, *hdr_sep, *hdr_key_sep, *null_marker;
} reader;

/* Run state; prog first (cc_log_cb). */
typedef struct cp {
    const char *prog;
    long long sent, delivered, failed; /* failed: delivery reports with an error */
    long long refused;                 /* lines kc_produce() refused */
    char first_err[1024];
} cp;

static void on_delivery(kc_producer_t *p, const kc_delivery_t *dr, void *opaque) {
    (void)p;
    cp *s = opaque;
    kc_err_t err = kc_delivery_error(dr);
    if (!err) {
        s->delivered++;
        return;
    }
    if (s->failed++ + s->refused == 0) {
        const char *es = kc_delivery_errstr(dr);
        snprintf(s->first_err, sizeof s->first_err, "line %lld to topic %s: %s%s%s",
                 (long long)(intptr_t)kc_delivery_opaque(dr), kc_delivery_topic(dr),
                 kc_err_desc(err), es && *es ? ": " : "", es ? es : "");
    }
}

/* ------------------------------------------------------------ input */

typedef struct input {
    char *buf;
    size_t len, pos, cap;
    int eof, skip_lf;
} input;

/* The next line (without its terminator) in *line / *n: 1; 0 at EOF or
 * after a signal; -1 on a read error. Serves delivery reports while
 * waiting. The line stays valid until the next call. */
static int next_line(input *in, kc_producer_t *p, char **line, size_t *n) {
    for (;;) {
        if (in->skip_lf && in->pos < in->len) {
            if (in->buf[in->pos] == '\n') in->pos++;
            in->skip_lf = 0;
        }
        char *s = in->buf + in->pos;
        size_t avail = in->len - in->pos;
        for (size_t k = 0; k < avail; k++) {
            if (s[k] == '\n' || s[k] == '\r') {
                *line = s;
                *n = k;
                in->pos += k + 1;
                in->skip_lf = s[k] == '\r';
                return 1;
            }
        }
        if (in->eof) {
            if (!avail) return 0;
            *line = s;
            *n = avail;
            in->pos = in->len;
            return 1;
        }
        if (cc_stop) return 0;
        if (avail) memmove(in->buf, s, avail);
        in->len = avail;
        in->pos = 0;
        if (in->cap - in->len < 65536) {
            size_t cap = in->cap ? in->cap * 2 : 1 << 17;
            char *b = realloc(in->buf, cap);
            if (!b) {
                errno = ENOMEM;
                return -1;
            }
            in->buf = b;
            in->cap = cap;
        }
        struct pollfd pfd = {0, POLLIN, 0};
        int r = poll(&pfd, 1, 200);
        kc_producer_poll(p, 0);
        if (r == 0 || (r < 0 && errno == EINTR)) continue;
        ssize_t got = read(0, in->buf + in->len, in->cap - in->len);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        if (got == 0)
            in->eof = 1;
        else
            in->len += (size_t)got;
    }
}

/* Java's line.indexOf(sep, from) on bytes (UTF-8 keeps it equivalent):
 * the index, or -1. */
static long find(const char *s, size_t n, size_t from, const char *sep) {
    size_t m = strlen(sep);
    if (from > n) return -1;
    if (m == 0) return (long)from;
    const char *hit = memmem(s + from, n - from, sep, m);
    return hit ? (long)(hit - s) : -1;
}

static int eq_marker(const char *s, size_t n, const char *marker) {
    return marker && strlen(marker) == n && memcmp(s, marker, n) == 0;
}

/* Splits the headers part (Java: Pattern.split with the separator taken
 * literally: trailing empty pairs dropped, "" gives one empty pair) into
 * h. Returns 0, or -1 with the reason in err. */
static int parse_headers(const reader *rd, const char *s, size_t n, long long lineno,
                         kc_headers_t *h, char *err, size_t errsize) {
    size_t seplen = strlen(rd->hdr_sep);
    /* The pairs' bounds. */
    size_t starts[1024], ends[1024];
    int np = 0;
    size_t pos = 0;
    if (n == 0) {
        starts[0] = ends[0] = 0;
        np = 1;
    } else {
        for (;;) {
            long at = find(s, n, pos, rd->hdr_sep);
            size_t end = at < 0 ? n : (size_t)at;
            if (np == 1024) {
                snprintf(err, errsize, "more than 1024 headers on line number %lld", lineno);
                return -1;
            }
            starts[np] = pos;
            ends[np++] = end;
            if (at < 0) break;
            pos = end + seplen;
        }
        while (np > 0 && starts[np - 1] == ends[np - 1]) np--;
    }
    for (int i = 0; i < np; i++) {
        const char *pair = s + starts[i];
        size_t plen = ends[i] - starts[i];
        long ks = find(pair, plen, 0, rd->hdr_key_sep);
        const char *name = pair, *val = NULL;
        size_t nlen = plen, vlen = 0;
        if (ks < 0) {
            if (!rd->ignore_error) {
                snprintf(err, errsize, "No header key separator found in pair '%.*s' on line number %lld",
                         (int)plen, pair, lineno);
                return -1;
            }
        } else {
            nlen = (size_t)ks;
            if (eq_marker(name, nlen, rd->null_marker)) {
                snprintf(err, errsize,
                         "Header keys should not be equal to the null marker '%s' as they can't be null",
                         rd->null_marker);
                return -1;
            }
            val = pair + ks + strlen(rd->hdr_key_sep);
            vlen = plen - (size_t)ks - strlen(rd->hdr_key_sep);
            if (eq_marker(val, vlen, rd->null_marker)) val = NULL, vlen = 0;
        }
        char *cname = strndup(name, nlen);
        if (!cname || kc_headers_add(h, cname, val, vlen)) {
            free(cname);
            snprintf(err, errsize, "out of memory");
            return -1;
        }
        free(cname);
    }
    return 0;
}

/* LineMessageReader.readRecords() for one line: key, value, headers.
 * Returns 0, or -1 with the reason in err. */
typedef struct rec {
    const char *key, *value;
    size_t klen, vlen;
    kc_headers_t *hdrs;
} rec;

static int parse_line(const reader *rd, const char *line, size_t n, long long lineno, rec *r,
                      char *err, size_t errsize) {
    static const char empty[1] = "";
    memset(r, 0, sizeof *r);
    long hdr_end = -1, key_end = -1;
    size_t hoff = 0, koff = 0;
    if (rd->parse_headers) {
        hdr_end = find(line, n, 0, rd->hdr_delim);
        if (hdr_end < 0 && !rd->ignore_error) {
            snprintf(err, errsize, "No headers delimiter found on line number %lld: '%.*s'", lineno,
                     (int)n, line);
            return -1;
        }
        if (hdr_end >= 0) hoff = (size_t)hdr_end + strlen(rd->hdr_delim);
    }
    if (rd->parse_key) {
        key_end = find(line, n, hoff, rd->key_sep);
        if (key_end < 0 && !rd->ignore_error) {
            snprintf(err, errsize, "No key separator found on line number %lld: '%.*s'", lineno,
                     (int)n, line);
            return -1;
        }
        if (key_end >= 0) koff = (size_t)key_end - hoff + strlen(rd->key_sep);
    }
    if (key_end >= 0) {
        r->key = n ? line + hoff : empty;
        r->klen = (size_t)key_end - hoff;
        if (eq_marker(r->key, r->klen, rd->null_marker)) r->key = NULL, r->klen = 0;
    }
    r->value = n ? line + hoff + koff : empty;
    r->vlen = n - hoff - koff;
    if (eq_marker(r->value, r->vlen, rd->null_marker)) r->value = NULL, r->vlen = 0;
    if (hdr_end >= 0 && !eq_marker(line, (size_t)hdr_end, rd->null_marker)) {
        r->hdrs = kc_headers_new();
        if (!r->hdrs) {
            snprintf(err, errsize, "out of memory");
            return -1;
        }
        if (parse_headers(rd, line, (size_t)hdr_end, lineno, r->hdrs, err, errsize)) {
            kc_headers_destroy(r->hdrs);
            r->hdrs = NULL;
            return -1;
        }
        if (kc_headers_count(r->hdrs) == 0) {
            kc_headers_destroy(r->hdrs);
            r->hdrs = NULL;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ topic */

/* Waits until the topic is in the cluster's metadata (the producer's own
 * metadata request lets the broker auto-create it), at most max_block_ms
 * like Java's send(). Returns 0, or -1 with the reason in err. */
static int wait_topic(kc_producer_t *p, const kc_conf_t *conf, const char *topic,
                      long long max_block_ms, cp *s, char *err, size_t errsize) {
    long long deadline = cc_now_ms() + max_block_ms;
    kc_err_t last = KC_ERR_UNKNOWN_TOPIC_OR_PARTITION;
    char last_str[512] = "";
    for (;;) {
        long long left = deadline - cc_now_ms();
        kc_metadata_t *md = NULL;
        kc_err_t e = kc_metadata_fetch(conf, &topic, 1, (int)(left < 100 ? 100 : left > 5000 ? 5000 : left),
                                       &md, last_str, sizeof last_str);
        if (!e) {
            last_str[0] = 0;
            e = kc_metadata_topic_count(md) == 1 ? kc_metadata_topic_error(md, 0)
                                                 : KC_ERR_UNKNOWN_TOPIC_OR_PARTITION;
            if (!e && kc_metadata_partition_count(md, 0) <= 0) e = KC_ERR_LEADER_NOT_AVAILABLE;
            kc_metadata_destroy(md);
            if (!e) return 0;
            if (e != KC_ERR_UNKNOWN_TOPIC_OR_PARTITION && !kc_err_is_retriable(e)) {
                snprintf(err, errsize, "topic %s: %s", topic, kc_err_desc(e));
                return -1;
            }
        }
        last = e;
        /* The record may already have its (failed) report. */
        kc_producer_poll(p, 0);
        if (s->failed) {
            snprintf(err, errsize, "%s", s->first_err);
            return -1;
        }
        if (cc_stop || cc_now_ms() >= deadline) break;
        kc_producer_poll(p, 200);
    }
    snprintf(err, errsize, "topic %s not present in metadata after %lld ms: %s%s%s", topic,
             max_block_ms, kc_err_desc(last), last_str[0] ? ": " : "", last_str);
    return -1;
}

/* ------------------------------------------------------------ main */

/* Java's maybeMergeOptions: the flag's value when given, else the default
 * when the key was not set by --producer.config / --producer-property. */
static void merge(perf_props *pp, const char *key, const char *given, const char *dflt) {
    if (given)
        perf_props_set(pp, key, given);
    else if (dflt && !perf_props_get(pp, key))
        perf_props_set(pp, key, dflt);
}

static int check_reader(const char *prog, const reader *rd) {
    const char *msg = NULL;
    if (!strcmp(rd->hdr_delim, rd->hdr_sep))
        msg = "headers.delimiter and headers.separator may not be equal";
    else if (!strcmp(rd->hdr_delim, rd->hdr_key_sep))
        msg = "headers.delimiter and headers.key.separator may not be equal";
    else if (!strcmp(rd->hdr_sep, rd->hdr_key_sep))
        msg = "headers.separator and headers.key.separator may not be equal";
    else if (!*rd->hdr_sep)
        msg = "headers.separator may not be empty";
    else if (rd->null_marker && !strcmp(rd->key_sep, rd->null_marker))
        msg = "null.marker and key.separator may not be equal";
    else if (rd->null_marker && !strcmp(rd->hdr_sep, rd->null_marker))
        msg = "null.marker and headers.separator may not be equal";
    else if (rd->null_marker && !strcmp(rd->hdr_delim, rd->null_marker))
        msg = "null.marker and headers.delimiter may not be equal";
    else if (rd->null_marker && !strcmp(rd->hdr_key_sep, rd->null_marker))
        msg = "null.marker and headers.key.separator may not be equal";
    if (msg) cli_err(prog, "%s", msg);
    return msg ? -1 : 0;
}

int kc_tool_console_producer(int argc, char **argv) {
    const char *prog = argv[0];
    const char *val[MAX_OPTS] = {0};
    int given[MAX_OPTS] = {0};
    perf_props rprops = {0}, pprops = {0}, cliprops = {0}, cliread = {0};
    int rc = 2, i = 1;
    for (;;) {
        const char *v;
        int o = cc_next_opt(prog, opts, argc, argv, &i, &v);
        if (o == -1) break;
        if (o == -2) goto out;
        given[o] = 1;
        val[o] = v;
        if (o == O_HELP) {
            cc_usage(stdout,
                     "kafkac console-producer --bootstrap-server HOST:PORT --topic TOPIC [options]",
                     "Reads lines from standard input and produces one record per line, as\n"
                     "Kafka's kafka-console-producer.sh. At EOF (or Ctrl-C) every record is\n"
                     "flushed; the exit status is 1 when any was not delivered.",
                     opts);
            rc = 0;
            goto out;
        }
        if (o == O_VERSION) {
            printf("kafkac %s\n", kc_version_str());
            rc = 0;
            goto out;
        }
        if (o == O_PROPERTY && cc_props_add_kv(prog, "property", &cliread, v)) goto out;
        if (o == O_PRODUCER_PROPERTY &&
            cc_props_add_kv(prog, "producer-property", &cliprops, v))
            goto out;
    }
    const char *topic = val[O_TOPIC];
    const char *bootstrap = val[O_BOOTSTRAP] ? val[O_BOOTSTRAP] : val[O_BROKER_LIST];
    if (!topic || !*topic) {
        cli_err(prog, "missing required argument --topic");
        goto out;
    }
    if (!bootstrap) {
        cli_err(prog, "missing required argument --bootstrap-server");
        goto out;
    }
    if (val[O_LINE_READER] && strcmp(val[O_LINE_READER], "org.apache.kafka.tools.LineMessageReader") &&
        strcmp(val[O_LINE_READER], "kafka.tools.LineMessageReader")) {
        cli_err(prog, "--line-reader %s: only org.apache.kafka.tools.LineMessageReader is supported",
                val[O_LINE_READER]);
        goto out;
    }
    static const int numeric[] = {O_BATCH_SIZE, O_TIMEOUT, O_REQUEST_TIMEOUT, O_RETRIES,
                                  O_RETRY_BACKOFF, O_METADATA_EXPIRY, O_MAX_BLOCK, O_MAX_MEMORY,
                                  O_MAX_PARTITION_MEMORY, O_SOCKET_BUFFER};
    for (size_t k = 0; k < sizeof numeric / sizeof numeric[0]; k++) {
        long long x;
        int o = numeric[k];
        if (given[o] && cc_parse_num(prog, opts[o].name, val[o], 0, INT64_MAX, &x)) goto out;
    }
    const char *codec = NULL;
    if (given[O_COMPRESSION]) codec = val[O_COMPRESSION] && *val[O_COMPRESSION] ? val[O_COMPRESSION] : "gzip";

    /* Reader properties: --reader-config, then --property. */
    if (val[O_READER_CONFIG] && cc_props_load(prog, val[O_READER_CONFIG], &rprops)) goto out;
    for (size_t k = 0; k < cliread.n; k++) perf_props_set(&rprops, cliread.v[k].key, cliread.v[k].value);
    reader rd = {0};
    rd.parse_key = cc_true(perf_props_get(&rprops, "parse.key"));
    rd.parse_headers = cc_true(perf_props_get(&rprops, "parse.headers"));
    rd.ignore_error = cc_true(perf_props_get(&rprops, "ignore.error"));
    rd.key_sep = perf_props_get(&rprops, "key.separator") ? perf_props_get(&rprops, "key.separator") : "\t";
    rd.hdr_delim = perf_props_get(&rprops, "headers.delimiter") ? perf_props_get(&rprops, "headers.delimiter") : "\t";
    rd.hdr_sep = perf_props_get(&rprops, "headers.separator") ? perf_props_get(&rprops, "headers.separator") : ",";
    rd.hdr_key_sep = perf_props_get(&rprops, "headers.key.separator")
                         ? perf_props_get(&rprops, "headers.key.separator")
                         : ":";
    rd.null_marker = perf_props_get(&rprops, "null.marker");
    if (check_reader(prog, &rd)) goto out;

    /* Producer properties, in ConsoleProducerConfig.producerProps() order. */
    if (val[O_PRODUCER_CONFIG] && cc_props_load(prog, val[O_PRODUCER_CONFIG], &pprops)) goto out;
    for (size_t k = 0; k < cliprops.n; k++) perf_props_set(&pprops, cliprops.v[k].key, cliprops.v[k].value);
    perf_props_set(&pprops, "bootstrap.servers", bootstrap);
    if (codec) perf_props_set(&pprops, "compression.type", codec);
    if (!perf_props_get(&pprops, "client.id")) perf_props_set(&pprops, "client.id", "console-producer");
    merge(&pprops, "linger.ms", val[O_TIMEOUT], "1000");
    merge(&pprops, "acks", val[O_ACKS], "-1");
    merge(&pprops, "request.timeout.ms", val[O_REQUEST_TIMEOUT], "1500");
    merge(&pprops, "retries", val[O_RETRIES], "3");
    merge(&pprops, "retry.backoff.ms", val[O_RETRY_BACKOFF], "100");
    merge(&pprops, "socket.send.buffer.bytes", val[O_SOCKET_BUFFER], NULL);
    merge(&pprops, "buffer.memory", val[O_MAX_MEMORY], "33554432");
    merge(&pprops, "batch.size", val[O_BATCH_SIZE], "16384");
    merge(&pprops, "batch.size", val[O_MAX_PARTITION_MEMORY], NULL);
    merge(&pprops, "metadata.max.age.ms", val[O_METADATA_EXPIRY], "300000");
    merge(&pprops, "max.block.ms", val[O_MAX_BLOCK], "60000");
    long long max_block_ms = 60000;
    cli_parse_ll(perf_props_get(&pprops, "max.block.ms"), &max_block_ms);

    rc = 1;
    kc_conf_t *conf = cc_conf(prog, &pprops);
    if (!conf) {
        rc = 2;
        goto out;
    }
    cp s = {prog, 0, 0, 0, 0, ""};
    kc_conf_set_opaque(conf, &s);
    kc_conf_set_delivery_cb(conf, on_delivery);
    kc_conf_set_log_cb(conf, cc_log_cb);
    char errstr[1024];
    kc_producer_t *p = NULL;
    if (cli_reachable(prog, conf, 10000)) goto done;
    p = kc_producer_new(conf, errstr, sizeof errstr);
    if (!p) {
        cli_err(prog, "%s", errstr);
        goto done;
    }
    cc_signals();
    int sync = given[O_SYNC], prompt = isatty(0) && isatty(1), topic_ok = 0;
    const char *fatal = NULL; /* the one-line error that ended the run early */
    int fatal_covers = 0;     /* ... and it explains every failed record */
    input in = {0};
    long long lineno = 0;
    for (;;) {
        if (prompt) {
            fputc('>', stdout);
            fflush(stdout);
        }
        char *line;
        size_t n;
        lineno++;
        int r = next_line(&in, p, &line, &n);
        if (r < 0) {
            snprintf(errstr, sizeof errstr, "reading standard input: %s", strerror(errno));
            fatal = errstr;
        }
        if (r <= 0) break;
        rec r1;
        if (parse_line(&rd, line, n, lineno, &r1, errstr, sizeof errstr)) {
            fatal = errstr;
            break;
        }
        kc_err_t e;
        for (;;) {
            e = kc_produce(p, topic, KC_PARTITION_ANY, r1.key, r1.klen, r1.value, r1.vlen, r1.hdrs,
                           0, 0, (void *)(intptr_t)lineno);
            if (e != KC_ERR__QUEUE_FULL || cc_stop) break;
            kc_producer_poll(p, 100);
        }
        if (e) {
            kc_headers_destroy(r1.hdrs);
            if (s.failed + s.refused++ == 0)
                snprintf(s.first_err, sizeof s.first_err, "line %lld to topic %s: %s", lineno,
                         topic, kc_err_desc(e));
            if (sync || e == KC_ERR__FATAL || e == KC_ERR__QUEUE_FULL) break;
            continue;
        }
        s.sent++;
        kc_producer_poll(p, 0);
        if (!topic_ok) {
            if (wait_topic(p, conf, topic, max_block_ms, &s, errstr, sizeof errstr)) {
                fatal = errstr;
                fatal_covers = 1;
                kc_producer_purge(p);
                break;
            }
            topic_ok = 1;
        }
        if (sync) {
            while (kc_producer_flush(p, 1000) == KC_ERR__TIMED_OUT) {
            }
            if (s.failed + s.refused) break;
        }
    }
    if (prompt && (in.eof || cc_stop)) fputc('\n', stdout);
    fflush(stdout);
    free(in.buf);
    /* Every record gets its report: delivery.timeout.ms bounds the wait
     * (a second Ctrl-C ends the process). */
    while (kc_producer_flush(p, 1000) == KC_ERR__TIMED_OUT) {
    }
    kc_producer_destroy(p);
    long long bad = s.failed + s.refused, total = s.sent + s.refused;
    if (fatal && (!bad || fatal_covers)) {
        cli_err(prog, "%s", fatal);
    } else if (fatal) {
        cli_err(prog, "%s (and %lld of %lld records before it not delivered; first: %s)", fatal,
                bad, total, s.first_err);
    } else if (bad) {
        cli_err(prog, "%lld of %lld records not delivered; first: %s", bad, total, s.first_err);
    } else {
        rc = 0;
    }
done:
    kc_conf_destroy(conf);
out:
    perf_props_free(&rprops);
    perf_props_free(&pprops);
    perf_props_free(&cliprops);
    perf_props_free(&cliread);
    return rc;
}
