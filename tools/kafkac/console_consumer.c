/* kafkac console-consumer: Kafka's kafka-console-consumer.sh
 * (org.apache.kafka.tools.consumer.ConsoleConsumer with its
 * DefaultMessageFormatter, 4.1) on the kafkac consumer.
 *
 * Same flags and consumer properties (--consumer.config, then
 * --consumer-property, then auto.offset.reset from --from-beginning,
 * client.id=console-consumer, --isolation-level, and a generated group
 * "console-consumer-NNNNN" without auto-commit when no group is given);
 * --topic subscribes, --include REGEX subscribes to the topics the whole
 * expression matches, --partition assigns that one partition at --offset.
 * Records are printed byte for byte as DefaultMessageFormatter prints them
 * (print.timestamp/partition/offset/delivery/epoch/headers/key/value,
 * key.separator, line.separator, headers.separator, null.literal), or as
 * one JSON object per line with --json (a kafkac extension).
 *
 * Stops after --max-messages, after --timeout-ms without a record, on
 * Ctrl-C / SIGTERM, or when standard output is closed; then closes the
 * consumer (commits when auto-commit is on, leaves the group) and prints
 * "Processed a total of N messages" on stderr, exit status 0, as Java.
 * Unlike Java it refuses a topic or partition that does not exist and a
 * broker that does not answer, with a one-line error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "console_common.h"

enum {
    O_BOOTSTRAP,
    O_TOPIC,
    O_INCLUDE,
    O_PARTITION,
    O_OFFSET,
    O_GROUP,
    O_FROM_BEGINNING,
    O_MAX_MESSAGES,
    O_TIMEOUT_MS,
    O_PROPERTY,
    O_FORMATTER,
    O_FORMATTER_CONFIG,
    O_CONSUMER_PROPERTY,
    O_CONSUMER_CONFIG,
    O_ISOLATION_LEVEL,
    O_KEY_DESERIALIZER,
    O_VALUE_DESERIALIZER,
    O_SKIP_ON_ERROR,
    O_JSON,
    O_HELP,
    O_VERSION,
};

static const cc_opt opts[] = {
    [O_BOOTSTRAP] = {"bootstrap-server", CC_ARG, "HOST:PORT,...",
                     "REQUIRED: the broker(s) to connect to"},
    [O_TOPIC] = {"topic", CC_ARG, "TOPIC", "the topic to consume"},
    [O_INCLUDE] = {"include", CC_ARG, "REGEX",
                   "consume every topic whose whole name matches REGEX (POSIX\n"
                   "extended syntax); instead of --topic"},
    [O_PARTITION] = {"partition", CC_ARG, "P",
                     "consume only partition P of --topic (no group), from its\n"
                     "end unless --offset or --from-beginning says otherwise"},
    [O_OFFSET] = {"offset", CC_ARG, "OFFSET",
                  "with --partition: earliest, latest (default) or an offset >= 0"},
    [O_GROUP] = {"group", CC_ARG, "GROUP",
                 "consumer group (default: a new console-consumer-NNNNN group\n"
                 "without offset commits)"},
    [O_FROM_BEGINNING] = {"from-beginning", CC_NOARG, "",
                          "start at the earliest offset when the group has no committed\n"
                          "offset (auto.offset.reset=earliest); default: the end"},
    [O_MAX_MESSAGES] = {"max-messages", CC_ARG, "N", "exit after N records"},
    [O_TIMEOUT_MS] = {"timeout-ms", CC_ARG, "MS", "exit when no record arrived for MS milliseconds"},
    [O_PROPERTY] = {"property", CC_ARG, "KEY=VALUE",
                    "formatter property (repeatable), as DefaultMessageFormatter:\n"
                    "print.timestamp=false print.partition=false print.offset=false\n"
                    "print.headers=false print.key=false print.value=true\n"
                    "print.epoch=false print.delivery=false (both print NOT_PRESENT)\n"
                    "key.separator=\\t line.separator=\\n headers.separator=,\n"
                    "null.literal=null"},
    [O_FORMATTER] = {"formatter", CC_ARG, "CLASS",
                     "org.apache.kafka.tools.consumer.DefaultMessageFormatter\n"
                     "(default) or org.apache.kafka.tools.consumer.NoOpMessageFormatter"},
    [O_FORMATTER_CONFIG] = {"formatter-config", CC_ARG, "FILE",
                            "formatter properties file (--property takes precedence)"},
    [O_CONSUMER_PROPERTY] = {"consumer-property", CC_ARG, "KEY=VALUE",
                             "consumer configuration (repeatable; docs/CONFIGURATION.md)"},
    [O_CONSUMER_CONFIG] = {"consumer.config", CC_ARG, "FILE",
                           "consumer properties file (--consumer-property takes precedence)"},
    [O_ISOLATION_LEVEL] = {"isolation-level", CC_ARG, "LEVEL",
                           "read_uncommitted (default) or read_committed"},
    [O_KEY_DESERIALIZER] = {"key-deserializer", CC_ARG, "CLASS",
                            "accepted for compatibility: only\n"
                            "org.apache.kafka.common.serialization.StringDeserializer\n"
                            "(keys are printed as they are)"},
    [O_VALUE_DESERIALIZER] = {"value-deserializer", CC_ARG, "CLASS",
                              "as --key-deserializer, for values"},
    [O_SKIP_ON_ERROR] = {"skip-message-on-error", CC_NOARG, "",
                         "report a record or partition error and go on instead of exiting"},
    [O_JSON] = {"json", CC_NOARG, "",
                "(kafkac) one JSON object per record: topic, partition, offset,\n"
                "timestamp, timestamp_type, key, value, headers; bytes that are\n"
                "not UTF-8 are given in base64 with \"<field>_encoding\":\"base64\""},
    [O_HELP] = {"help", CC_NOARG, "", "print this help"},
    [O_VERSION] = {"version", CC_NOARG, "", "print the kafkac version"},
    {NULL, 0, NULL, NULL},
};

#define MAX_OPTS (O_VERSION + 1)

/* DefaultMessageFormatter settings. */
enum { F_TS, F_PARTITION, F_OFFSET, F_DELIVERY, F_EPOCH, F_HEADERS, F_KEY, F_VALUE, F_N };

typedef struct fmt {
    int print[F_N];
    int noop, json;
    const char *key_sep, *line_sep, *hdr_sep, *null_lit;
} fmt;

static void put(FILE *o, const void *p, size_t n) {
    if (n) fwrite(p, 1, n, o);
}

static void puts_(FILE *o, const char *s) { put(o, s, strlen(s)); }

/* DefaultMessageFormatter.writeTo(): each field is followed by
 * key.separator when a later one is printed, else by line.separator. */
static void write_text(FILE *o, const fmt *f, const kc_message_t *m) {
    for (int i = 0; i < F_N; i++) {
        if (!f->print[i]) continue;
        size_t n;
        const void *p;
        switch (i) {
        case F_TS: {
            int type;
            int64_t ts = kc_message_timestamp(m, &type);
            if (type == KC_TIMESTAMP_CREATE_TIME)
                fprintf(o, "CreateTime:%lld", (long long)ts);
            else if (type == KC_TIMESTAMP_LOG_APPEND_TIME)
                fprintf(o, "LogAppendTime:%lld", (long long)ts);
            else
                puts_(o, "NO_TIMESTAMP");
            break;
        }
        case F_PARTITION: fprintf(o, "Partition:%d", (int)kc_message_partition(m)); break;
        case F_OFFSET: fprintf(o, "Offset:%lld", (long long)kc_message_offset(m)); break;
        /* ConsoleConsumer hands the formatter a copy of the record without
         * delivery count or leader epoch: Java prints NOT_PRESENT. */
        case F_DELIVERY: puts_(o, "Delivery:NOT_PRESENT"); break;
        case F_EPOCH: puts_(o, "Epoch:NOT_PRESENT"); break;
        case F_HEADERS: {
            size_t nh = kc_message_header_count(m);
            if (!nh) puts_(o, "NO_HEADERS");
            for (size_t h = 0; h < nh; h++) {
                const char *name;
                size_t nlen;
                if (kc_message_header(m, h, &name, &nlen, &p, &n)) continue;
                put(o, name, nlen);
                fputc(':', o);
                if (p)
                    put(o, p, n);
                else
                    puts_(o, f->null_lit);
                if (h + 1 < nh) puts_(o, f->hdr_sep);
            }
            break;
        }
        case F_KEY:
        case F_VALUE:
            p = i == F_KEY ? kc_message_key(m, &n) : kc_message_value(m, &n);
            if (p)
                put(o, p, n);
            else
                puts_(o, f->null_lit);
            break;
        }
        int later = 0;
        for (int j = i + 1; j < F_N; j++) later |= f->print[j];
        puts_(o, i != F_VALUE && later ? f->key_sep : f->line_sep);
    }
}

/* ------------------------------------------------------------ JSON */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    size_t len;
    unsigned cp, min;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07, min = 0x10000;
    else return 0;
    if (n < len) return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (s[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

static int is_utf8(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(s + i, n - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

static void json_string(FILE *o, const unsigned char *s, size_t n) {
    fputc('"', o);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        switch (c) {
        case '"': puts_(o, "\\\""); break;
        case '\\': puts_(o, "\\\\"); break;
        case '\n': puts_(o, "\\n"); break;
        case '\r': puts_(o, "\\r"); break;
        case '\t': puts_(o, "\\t"); break;
        case '\b': puts_(o, "\\b"); break;
        case '\f': puts_(o, "\\f"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(o, "\\u%04x", c);
            else
                fputc(c, o);
        }
    }
    fputc('"', o);
}

static void base64(FILE *o, const unsigned char *s, size_t n) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    fputc('"', o);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        fwrite(q, 1, 4, o);
    }
    fputc('"', o);
}

/* "name":null, "name":"text", or "name":"BASE64","name_encoding":"base64". */
static void json_field(FILE *o, const char *name, const void *p, size_t n) {
    fprintf(o, "\"%s\":", name);
    if (!p) {
        puts_(o, "null");
    } else if (is_utf8(p, n)) {
        json_string(o, p, n);
    } else {
        base64(o, p, n);
        fprintf(o, ",\"%s_encoding\":\"base64\"", name);
    }
}

static void write_json(FILE *o, const kc_message_t *m) {
    int type;
    int64_t ts = kc_message_timestamp(m, &type);
    const char *topic = kc_message_topic(m);
    fputc('{', o);
    json_field(o, "topic", topic, strlen(topic));
    fprintf(o, ",\"partition\":%d,\"offset\":%lld,\"timestamp\":%lld,\"timestamp_type\":\"%s\",",
            (int)kc_message_partition(m), (long long)kc_message_offset(m), (long long)ts,
            type == KC_TIMESTAMP_CREATE_TIME       ? "CreateTime"
            : type == KC_TIMESTAMP_LOG_APPEND_TIME ? "LogAppendTime"
                                                   : "NoTimestampType");
    size_t n;
    const void *p = kc_message_key(m, &n);
    json_field(o, "key", p, n);
    fputc(',', o);
    p = kc_message_value(m, &n);
    json_field(o, "value", p, n);
    puts_(o, ",\"headers\":[");
    size_t nh = kc_message_header_count(m);
    for (size_t h = 0; h < nh; h++) {
        const char *name;
        size_t nlen;
        if (kc_message_header(m, h, &name, &nlen, &p, &n)) continue;
        puts_(o, h ? ",{" : "{");
        json_field(o, "key", name, nlen);
        fputc(',', o);
        json_field(o, "value", p, n);
        fputc('}', o);
    }
    puts_(o, "]}\n");
}

/* ------------------------------------------------------------ main */

static int is_string_deserializer(const char *prog, const char *what, const char *v) {
    if (!v || !*v || !strcmp(v, "org.apache.kafka.common.serialization.StringDeserializer"))
        return 1;
    cli_err(prog, "%s %s: only org.apache.kafka.common.serialization.StringDeserializer is "
                  "supported (records are printed as they are)",
            what, v);
    return 0;
}

/* Checks that the topic (and partition) exist. 0, or -1 after an error. */
static int check_topic(const char *prog, const kc_conf_t *conf, const char *topic, long long part) {
    char errstr[512];
    kc_metadata_t *md;
    kc_err_t err = kc_metadata_fetch(conf, &topic, 1, 10000, &md, errstr, sizeof errstr);
    if (err) {
        cli_err(prog, "metadata of topic %s: %s", topic, errstr);
        return -1;
    }
    int rc = 0;
    err = kc_metadata_topic_count(md) == 1 ? kc_metadata_topic_error(md, 0)
                                           : KC_ERR_UNKNOWN_TOPIC_OR_PARTITION;
    if (err == KC_ERR_UNKNOWN_TOPIC_OR_PARTITION) {
        cli_err(prog, "topic %s does not exist", topic);
        rc = -1;
    } else if (err) {
        cli_err(prog, "topic %s: %s", topic, kc_err_desc(err));
        rc = -1;
    } else if (part >= 0) {
        int np = kc_metadata_partition_count(md, 0), found = 0;
        for (int i = 0; i < np; i++) found |= kc_metadata_partition_id(md, 0, i) == part;
        if (!found) {
            cli_err(prog, "partition %lld of topic %s does not exist (the topic has %d partition%s)",
                    part, topic, np, np == 1 ? "" : "s");
            rc = -1;
        }
    }
    kc_metadata_destroy(md);
    return rc;
}

typedef struct cc_run {
    const char *prog; /* first: cc_log_cb */
} cc_run;

static void on_error(void *client, const kc_error_t *err, void *opaque) {
    (void)client;
    cc_run *r = opaque;
    fprintf(stderr, "%s: %s: %s\n", r->prog, kc_error_name(err), kc_error_message(err));
}

int kc_tool_console_consumer(int argc, char **argv) {
    const char *prog = argv[0];
    const char *val[MAX_OPTS] = {0};
    int given[MAX_OPTS] = {0};
    perf_props fprops = {0}, cprops = {0}, cliprops = {0}, clifmt = {0};
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
                     "kafkac console-consumer --bootstrap-server HOST:PORT\n"
                     "           (--topic TOPIC [--partition P [--offset OFFSET]] | --include REGEX)\n"
                     "           [options]",
                     "Prints the records of a topic on standard output, as Kafka's\n"
                     "kafka-console-consumer.sh (and its DefaultMessageFormatter) does.\n"
                     "Ends on --max-messages, --timeout-ms or Ctrl-C, printing\n"
                     "\"Processed a total of N messages\" on standard error.",
                     opts);
            rc = 0;
            goto out;
        }
        if (o == O_VERSION) {
            printf("kafkac %s\n", kc_version_str());
            rc = 0;
            goto out;
        }
        if (o == O_PROPERTY && cc_props_add_kv(prog, "property", &clifmt, v)) goto out;
        if (o == O_CONSUMER_PROPERTY && cc_props_add_kv(prog, "consumer-property", &cliprops, v))
            goto out;
    }

    /* ConsoleConsumerOptions.checkRequiredArgs(), same order and words. */
    const char *topic = val[O_TOPIC], *include = val[O_INCLUDE];
    if (!!topic == !!include) {
        cli_err(prog, "exactly one of --include/--topic is required");
        goto out;
    }
    long long partition = -1, offset = KC_OFFSET_END, max_messages = -1, timeout_ms = -1;
    if (given[O_PARTITION]) {
        if (cc_parse_num(prog, "partition", val[O_PARTITION], 0, INT32_MAX, &partition)) goto out;
        if (!topic) {
            cli_err(prog, "the topic is required when partition is specified");
            goto out;
        }
        if (given[O_FROM_BEGINNING] && given[O_OFFSET]) {
            cli_err(prog, "options from-beginning and offset cannot be specified together");
            goto out;
        }
    } else if (given[O_OFFSET]) {
        cli_err(prog, "the partition is required when offset is specified");
        goto out;
    }
    if (!val[O_BOOTSTRAP]) {
        cli_err(prog, "missing required argument --bootstrap-server");
        goto out;
    }
    if (given[O_OFFSET]) {
        const char *o = val[O_OFFSET];
        if (!strcasecmp(o, "earliest"))
            offset = KC_OFFSET_BEGINNING;
        else if (!strcasecmp(o, "latest"))
            offset = KC_OFFSET_END;
        else if (cli_parse_ll(o, &offset) || offset < 0) {
            cli_err(prog, "the provided offset value '%s' is incorrect. Valid values are "
                          "'earliest', 'latest', or a non-negative long.",
                    o);
            goto out;
        }
    } else if (given[O_FROM_BEGINNING]) {
        offset = KC_OFFSET_BEGINNING;
    }
    if (given[O_MAX_MESSAGES] &&
        cc_parse_num(prog, "max-messages", val[O_MAX_MESSAGES], INT32_MIN, INT32_MAX, &max_messages))
        goto out;
    if (given[O_TIMEOUT_MS] &&
        cc_parse_num(prog, "timeout-ms", val[O_TIMEOUT_MS], INT64_MIN, INT64_MAX, &timeout_ms))
        goto out;
    if (max_messages < -1) max_messages = 0; /* Java: only -1 means "no limit" */
    if (timeout_ms < 0) timeout_ms = -1;

    /* Consumer properties (ConsoleConsumerOptions.buildConsumerProps). */
    if (val[O_CONSUMER_CONFIG] && cc_props_load(prog, val[O_CONSUMER_CONFIG], &cprops)) goto out;
    const char *gfile = perf_props_get(&cprops, "group.id");
    char *group_file = gfile ? strdup(gfile) : NULL;
    for (size_t k = 0; k < cliprops.n; k++) perf_props_set(&cprops, cliprops.v[k].key, cliprops.v[k].value);
    const char *gprop = perf_props_get(&cliprops, "group.id");
    const char *ids[3] = {val[O_GROUP], group_file, gprop};
    const char *group = NULL;
    int mismatch = 0;
    for (int k = 0; k < 3; k++) {
        if (!ids[k]) continue;
        if (group && strcmp(group, ids[k])) mismatch = 1;
        if (!group) group = ids[k];
    }
    if (mismatch) {
        char list[1024] = "";
        size_t len = 0;
        for (int k = 0; k < 3; k++) {
            int dup = 0;
            for (int j = 0; j < k; j++) dup |= ids[j] && ids[k] && !strcmp(ids[j], ids[k]);
            if (ids[k] && !dup && len < sizeof list)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'", len ? ", " : "",
                                        ids[k]);
        }
        cli_err(prog, "the group ids provided in different places (directly using '--group', via "
                      "'--consumer-property', or via '--consumer.config') do not match. Detected "
                      "group ids: %s",
                list);
        free(group_file);
        goto out;
    }
    if (group && partition >= 0) {
        cli_err(prog, "options group and partition cannot be specified together");
        free(group_file);
        goto out;
    }
    const char *reset = perf_props_get(&cprops, "auto.offset.reset");
    if (reset && given[O_FROM_BEGINNING] && strcmp(reset, "earliest")) {
        cli_err(prog, "can't simultaneously specify --from-beginning and 'auto.offset.reset=%s', "
                      "please remove one option",
                reset);
        free(group_file);
        goto out;
    }
    if (!reset) perf_props_set(&cprops, "auto.offset.reset", given[O_FROM_BEGINNING] ? "earliest" : "latest");
    perf_props_set(&cprops, "bootstrap.servers", val[O_BOOTSTRAP]);
    if (!perf_props_get(&cprops, "client.id")) perf_props_set(&cprops, "client.id", "console-consumer");
    if (given[O_ISOLATION_LEVEL] || !perf_props_get(&cprops, "isolation.level"))
        perf_props_set(&cprops, "isolation.level",
                       val[O_ISOLATION_LEVEL] ? val[O_ISOLATION_LEVEL] : "read_uncommitted");
    char gen[64];
    if (!group) {
        srand((unsigned)time(NULL) ^ (unsigned)getpid() << 8);
        snprintf(gen, sizeof gen, "console-consumer-%d", rand() % 100000);
        perf_props_set(&cprops, "group.id", gen);
        if (!perf_props_get(&cprops, "enable.auto.commit"))
            perf_props_set(&cprops, "enable.auto.commit", "false");
    } else {
        perf_props_set(&cprops, "group.id", group);
    }
    free(group_file);

    /* Formatter properties: --formatter-config, --key/value-deserializer,
     * then --property (ConsoleConsumerOptions.formatterArgs). */
    fmt f = {{0}, 0, 0, "\t", "\n", ",", "null"};
    f.print[F_VALUE] = 1;
    f.json = given[O_JSON];
    if (val[O_FORMATTER]) {
        const char *fc = val[O_FORMATTER];
        if (!strcmp(fc, "org.apache.kafka.tools.consumer.NoOpMessageFormatter"))
            f.noop = 1;
        else if (strcmp(fc, "org.apache.kafka.tools.consumer.DefaultMessageFormatter") &&
                 strcmp(fc, "kafka.tools.DefaultMessageFormatter")) {
            cli_err(prog, "--formatter %s: only org.apache.kafka.tools.consumer."
                          "DefaultMessageFormatter and NoOpMessageFormatter are supported",
                    fc);
            goto out;
        }
    }
    if (val[O_FORMATTER_CONFIG] && cc_props_load(prog, val[O_FORMATTER_CONFIG], &fprops)) goto out;
    if (val[O_KEY_DESERIALIZER] && *val[O_KEY_DESERIALIZER])
        perf_props_set(&fprops, "key.deserializer", val[O_KEY_DESERIALIZER]);
    if (val[O_VALUE_DESERIALIZER] && *val[O_VALUE_DESERIALIZER])
        perf_props_set(&fprops, "value.deserializer", val[O_VALUE_DESERIALIZER]);
    for (size_t k = 0; k < clifmt.n; k++) perf_props_set(&fprops, clifmt.v[k].key, clifmt.v[k].value);
    static const char *const names[F_N] = {"print.timestamp", "print.partition", "print.offset",
                                           "print.delivery", "print.epoch", "print.headers",
                                           "print.key", "print.value"};
    for (int k = 0; k < F_N; k++)
        if (perf_props_get(&fprops, names[k])) f.print[k] = cc_true(perf_props_get(&fprops, names[k]));
    if (perf_props_get(&fprops, "key.separator")) f.key_sep = perf_props_get(&fprops, "key.separator");
    if (perf_props_get(&fprops, "line.separator")) f.line_sep = perf_props_get(&fprops, "line.separator");
    if (perf_props_get(&fprops, "headers.separator"))
        f.hdr_sep = perf_props_get(&fprops, "headers.separator");
    if (perf_props_get(&fprops, "null.literal")) f.null_lit = perf_props_get(&fprops, "null.literal");
    if (!is_string_deserializer(prog, "key.deserializer", perf_props_get(&fprops, "key.deserializer")) ||
        !is_string_deserializer(prog, "value.deserializer", perf_props_get(&fprops, "value.deserializer")) ||
        !is_string_deserializer(prog, "headers.deserializer", perf_props_get(&fprops, "headers.deserializer")))
        goto out;

    rc = 1;
    kc_conf_t *conf = cc_conf(prog, &cprops);
    kc_consumer_t *c = NULL;
    long long count = 0;
    if (!conf) {
        rc = 2;
        goto out;
    }
    cc_run run = {prog};
    kc_conf_set_opaque(conf, &run);
    kc_conf_set_log_cb(conf, cc_log_cb);
    kc_conf_set_error_cb(conf, on_error);
    if (cli_reachable(prog, conf, 10000)) goto done;
    if (topic && check_topic(prog, conf, topic, partition)) goto done;
    char errstr[1024];
    c = kc_consumer_new(conf, errstr, sizeof errstr);
    if (!c) {
        cli_err(prog, "%s", errstr);
        goto done;
    }
    if (partition >= 0) {
        kc_tplist_t *l = kc_tplist_new(1);
        int k = l ? kc_tplist_add(l, topic, (int32_t)partition) : -1;
        if (k >= 0) kc_tplist_set_offset(l, k, offset);
        kc_err_t e = k >= 0 ? kc_consumer_assign(c, l) : KC_ERR__CRIT_SYS_RESOURCE;
        kc_tplist_destroy(l);
        if (e) {
            cli_err(prog, "assign %s [%lld]: %s", topic, partition, kc_err_desc(e));
            goto done;
        }
    } else {
        char *pattern = NULL;
        const char *sub = topic;
        if (include) {
            if (asprintf(&pattern, "^(%s)$", include) < 0) {
                cli_err(prog, "out of memory");
                goto done;
            }
            sub = pattern;
        }
        kc_err_t e = kc_consumer_subscribe(c, &sub, 1, errstr, sizeof errstr);
        free(pattern);
        if (e) {
            cli_err(prog, "subscribe: %s", errstr);
            goto done;
        }
    }
    cc_signals();
    rc = 0;
    long long last = cc_now_ms();
    while (!cc_stop && (max_messages < 0 || count < max_messages)) {
        kc_message_t *m = kc_consumer_poll(c, 0);
        if (!m) {
            fflush(stdout);
            if (ferror(stdout)) break;
            long long wait = 200;
            if (timeout_ms >= 0) {
                long long left = last + timeout_ms - cc_now_ms();
                if (left <= 0) break;
                if (left < wait) wait = left;
            }
            m = kc_consumer_poll(c, (int)wait);
            if (!m) continue;
        }
        kc_err_t e = kc_message_error(m);
        if (e) {
            if (e != KC_ERR__PARTITION_EOF) {
                const char *t = kc_message_topic(m);
                char where[512] = "";
                if (t) snprintf(where, sizeof where, "%s [%d]: ", t, (int)kc_message_partition(m));
                int fatal = !kc_err_is_retriable(e) && !given[O_SKIP_ON_ERROR];
                fprintf(stderr, "%s: %s%s: %s%s\n", prog, where, kc_err_name(e),
                        kc_message_errstr(m)[0] ? kc_message_errstr(m) : kc_err_desc(e),
                        fatal ? " (stopping)" : "");
                if (fatal) {
                    rc = 1;
                    kc_message_destroy(m);
                    break;
                }
            }
            kc_message_destroy(m);
            continue;
        }
        count++;
        if (f.json)
            write_json(stdout, m);
        else if (!f.noop)
            write_text(stdout, &f, m);
        kc_message_destroy(m);
        last = cc_now_ms();
        if (ferror(stdout)) break;
    }
    fflush(stdout);
    if (ferror(stdout)) fprintf(stderr, "Unable to write to standard out, closing consumer.\n");
    kc_err_t e = kc_consumer_close(c);
    if (e) cli_err(prog, "close: %s", kc_err_desc(e));
    fprintf(stderr, "Processed a total of %lld messages\n", count);
done:
    kc_consumer_destroy(c);
    kc_conf_destroy(conf);
out:
    perf_props_free(&fprops);
    perf_props_free(&cprops);
    perf_props_free(&cliprops);
    perf_props_free(&clifmt);
    return rc;
}
