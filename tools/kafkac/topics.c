/* kafkac topics: kafka-topics.sh (org.apache.kafka.tools.TopicCommand of
 * Kafka 4.1) on the kafkac admin client. The same flags, checks, messages
 * and output; --json (one document) and --timeout are kafkac's own.
 *
 *   --list       kc_admin_describe_topics() of every topic, filtered
 *   --describe   the same, plus kc_admin_describe_configs() of the topics
 *   --create     kc_admin_create_topics()
 *   --alter      kc_admin_create_partitions()
 *   --delete     kc_admin_delete_topics()
 *
 * --topic is a regular expression except with --create, as in Java (Java
 * regex syntax approximated by POSIX extended regex, matched against the
 * whole name; ',' separates alternatives). Topic ids and elected leader
 * replicas are not in kafkac's metadata: TopicId is left out and Elr /
 * LastKnownElr print "N/A", which is what the Java tool prints when the
 * cluster does not report them. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <kafkac.h>

#include "admin_common.h"
#include "cli.h"
#include "commands.h"

enum {
    O_BOOTSTRAP, O_COMMAND_CONFIG, O_LIST, O_DESCRIBE, O_CREATE, O_ALTER, O_DELETE, O_TOPIC,
    O_TOPIC_ID, O_PARTITIONS, O_RF, O_CONFIG, O_REPLICA_ASSIGNMENT, O_IF_EXISTS, O_IF_NOT_EXISTS,
    O_EXCLUDE_INTERNAL, O_URP, O_UNAVAILABLE, O_UNDER_MIN_ISR, O_AT_MIN_ISR, O_OVERRIDES,
    O_PSL, O_JSON, O_TIMEOUT, O_HELP, O_VERSION, O_N
};

static const adm_opt opts[] = {
    [O_BOOTSTRAP] = {"bootstrap-server", 1, "HOST:PORT[,...]",
                     "REQUIRED: the Kafka server(s) to connect to."},
    [O_COMMAND_CONFIG] = {"command-config", 1, "FILE",
                          "Properties file of client settings (kafkac\n"
                          "configuration keys)."},
    [O_LIST] = {"list", 0, NULL, "List all available topics."},
    [O_DESCRIBE] = {"describe", 0, NULL,
                    "List details for the given topics (every topic\n"
                    "when there is no --topic)."},
    [O_CREATE] = {"create", 0, NULL, "Create a new topic."},
    [O_ALTER] = {"alter", 0, NULL,
                 "Raise the number of partitions (--partitions).\n"
                 "Topic configs are changed with 'kafkac configs'."},
    [O_DELETE] = {"delete", 0, NULL, "Delete a topic."},
    [O_TOPIC] = {"topic", 1, "TOPIC",
                 "The topic to create, alter, describe or delete.\n"
                 "Except with --create, a regular expression that\n"
                 "must match the whole name (',' separates\n"
                 "alternatives; escape '.' as '\\.')."},
    [O_TOPIC_ID] = {"topic-id", 1, "ID", NULL},
    [O_PARTITIONS] = {"partitions", 1, "N",
                      "Partitions of the topic being created (default:\n"
                      "the broker's num.partitions), or the new total\n"
                      "with --alter."},
    [O_RF] = {"replication-factor", 1, "N",
              "Replication factor of the topic being created\n"
              "(default: the broker's default.replication.factor)."},
    [O_CONFIG] = {"config", 1, "NAME=VALUE", "A topic config override for --create (repeatable)."},
    [O_REPLICA_ASSIGNMENT] = {"replica-assignment", 1, "LIST", NULL},
    [O_IF_EXISTS] = {"if-exists", 0, NULL,
                     "With --alter, --delete or --describe: do nothing\n"
                     "(exit 0) when no topic matches."},
    [O_IF_NOT_EXISTS] = {"if-not-exists", 0, NULL,
                         "With --create: do nothing when the topic exists."},
    [O_EXCLUDE_INTERNAL] = {"exclude-internal", 0, NULL,
                            "Leave internal topics out of --list and\n"
                            "--describe."},
    [O_URP] = {"under-replicated-partitions", 0, NULL,
               "With --describe: only partitions whose ISR is\n"
               "smaller than their replica set."},
    [O_UNAVAILABLE] = {"unavailable-partitions", 0, NULL,
                       "With --describe: only partitions whose leader is\n"
                       "not available."},
    [O_UNDER_MIN_ISR] = {"under-min-isr-partitions", 0, NULL,
                         "With --describe: only partitions whose ISR is\n"
                         "smaller than min.insync.replicas."},
    [O_AT_MIN_ISR] = {"at-min-isr-partitions", 0, NULL,
                      "With --describe: only partitions whose ISR size\n"
                      "equals min.insync.replicas."},
    [O_OVERRIDES] = {"topics-with-overrides", 0, NULL,
                     "With --describe: only topics with non-default\n"
                     "configs (topic lines only)."},
    [O_PSL] = {"partition-size-limit-per-response", 1, "N",
               "Accepted for compatibility; no effect (kafkac\n"
               "reads topics with Metadata requests)."},
    [O_JSON] = {"json", 0, NULL,
                "Print one JSON document instead of Kafka's text\n"
                "(kafkac)."},
    [O_TIMEOUT] = {"timeout", 1, "MS",
                   "Bound of each broker call in ms (default 30000;\n"
                   "the first contact waits at most 10000) (kafkac)."},
    [O_HELP] = {"help", 0, NULL, "Print usage information."},
    [O_VERSION] = {"version", 0, NULL, "Print the kafkac version."},
    {NULL, 0, NULL, NULL},
};

static const char usage_line[] =
    "kafkac topics --bootstrap-server HOST:PORT\n"
    "       --list | --describe | --create | --alter | --delete [--topic TOPIC] [OPTIONS]";
static const char about[] =
    "Creates, deletes, describes, or changes a topic: the flags and output of\n"
    "kafka-topics.sh (Kafka 4.1).";

typedef struct targs {
    const char *prog;
    int has[O_N];
    const char *val[O_N];
    const char **configs; /* --config values */
    int nconfigs;
    int partitions, rf;
    int timeout_ms;
} targs;

/* `Option "[a]" can't be used with option "[b]"` when a is given with any
 * of the options in bad (ending with -1). */
static int invalid_with(const targs *t, int a, const int *bad) {
    if (!t->has[a]) return 0;
    for (; *bad >= 0; bad++) {
        if (t->has[*bad]) {
            cli_err(t->prog, "Option \"[%s]\" can't be used with option \"[%s]\"", opts[a].name,
                    opts[*bad].name);
            return 1;
        }
    }
    return 0;
}

/* Java's Integer option parsing. */
static int parse_int(const targs *t, int o, int *out) {
    long long v;
    if (cli_parse_ll(t->val[o], &v) || v < INT32_MIN || v > INT32_MAX) {
        cli_err(t->prog, "Cannot parse argument '%s' of option %s", t->val[o], opts[o].name);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Parses and checks the flags as TopicCommandOptions does. Returns -1 to
 * go ahead, else the exit status. */
static int parse_args(targs *t, int argc, char **argv) {
    t->timeout_ms = ADM_TIMEOUT_MS;
    t->configs = calloc((size_t)argc + 1, sizeof *t->configs);
    if (!t->configs) return 1;
    if (argc < 2) {
        adm_usage(stderr, usage_line, about, opts);
        return 2;
    }
    int i = 1, k;
    const char *v;
    while ((k = adm_next_opt(t->prog, opts, argc, argv, &i, &v)) >= 0) {
        t->has[k] = 1;
        t->val[k] = v;
        if (k == O_CONFIG) t->configs[t->nconfigs++] = v;
    }
    if (k == -2) return 2;
    if (t->has[O_HELP]) {
        adm_usage(stdout, usage_line, about, opts);
        return 0;
    }
    if (t->has[O_VERSION]) {
        printf("kafkac %s\n", kc_version_str());
        return 0;
    }
    int actions = t->has[O_LIST] + t->has[O_DESCRIBE] + t->has[O_CREATE] + t->has[O_ALTER] +
                  t->has[O_DELETE];
    if (actions != 1) {
        cli_err(t->prog, "Command must include exactly one action: --list, --describe, --create, "
                         "--alter or --delete");
        return 2;
    }
    if (!t->has[O_BOOTSTRAP]) {
        cli_err(t->prog, "--bootstrap-server must be specified");
        return 2;
    }
    if (t->has[O_DESCRIBE] && t->has[O_IF_EXISTS] && !t->has[O_TOPIC] && !t->has[O_TOPIC_ID]) {
        cli_err(t->prog, "--topic or --topic-id is required to describe a topic");
        return 2;
    }
    if (!t->has[O_LIST] && !t->has[O_DESCRIBE] && !t->has[O_TOPIC]) {
        cli_err(t->prog, "Missing required argument \"[topic]\"");
        return 2;
    }
    if (t->has[O_ALTER]) {
        if (t->has[O_CONFIG]) {
            cli_err(t->prog, "Option \"[config]\" can't be used with option \"[alter]\" (To alter "
                             "topic configurations, use 'kafkac configs'.)");
            return 2;
        }
        if (!t->has[O_PARTITIONS]) {
            cli_err(t->prog, "Missing required argument \"[partitions]\"");
            return 2;
        }
    }
    /* Which actions each option may not be used with (TopicCommand's checkInvalidArgs). */
    static const int not_ac[] = {O_DESCRIBE, O_LIST, O_DELETE, -1};
    static const int only_c[] = {O_ALTER, O_DESCRIBE, O_LIST, O_DELETE, -1};
    static const int report[] = {O_ALTER, O_CREATE, O_LIST, O_DELETE, O_OVERRIDES, -1};
    static const int overrides[] = {O_ALTER, O_CREATE, O_LIST, O_DELETE, O_URP, O_UNDER_MIN_ISR,
                                    O_AT_MIN_ISR, O_UNAVAILABLE, -1};
    static const int if_exists[] = {O_CREATE, O_LIST, -1};
    static const int create_parts[] = {O_PARTITIONS, O_RF, -1};
    static const int exclude[] = {O_ALTER, O_CREATE, O_DELETE, -1};
    if (invalid_with(t, O_CONFIG, not_ac) || invalid_with(t, O_PARTITIONS, not_ac) ||
        invalid_with(t, O_RF, only_c) || invalid_with(t, O_REPLICA_ASSIGNMENT, not_ac) ||
        (t->has[O_CREATE] && invalid_with(t, O_REPLICA_ASSIGNMENT, create_parts)) ||
        invalid_with(t, O_URP, report) || invalid_with(t, O_UNDER_MIN_ISR, report) ||
        invalid_with(t, O_AT_MIN_ISR, report) || invalid_with(t, O_UNAVAILABLE, report) ||
        invalid_with(t, O_OVERRIDES, overrides) || invalid_with(t, O_IF_EXISTS, if_exists) ||
        invalid_with(t, O_IF_NOT_EXISTS, only_c) || invalid_with(t, O_EXCLUDE_INTERNAL, exclude))
        return 2;
    if (t->has[O_REPLICA_ASSIGNMENT]) {
        cli_err(t->prog, "--replica-assignment is not supported by kafkac topics (the admin API "
                         "takes partition counts only)");
        return 2;
    }
    if (t->has[O_TOPIC_ID]) {
        cli_err(t->prog, "--topic-id is not supported by kafkac topics (its metadata carries no "
                         "topic ids): use --topic");
        return 2;
    }
    t->partitions = t->rf = -1;
    int psl;
    if ((t->has[O_PARTITIONS] && parse_int(t, O_PARTITIONS, &t->partitions)) ||
        (t->has[O_RF] && parse_int(t, O_RF, &t->rf)) ||
        (t->has[O_PSL] && parse_int(t, O_PSL, &psl)))
        return 2;
    if (t->has[O_TIMEOUT] && adm_parse_timeout(t->prog, t->val[O_TIMEOUT], &t->timeout_ms))
        return 2;
    return -1;
}

/* ------------------------------------------------------------------ topic filter */

/* Java's IncludeList: ',' means '|', surrounding quotes dropped, the whole
 * name must match. */
typedef struct tfilter {
    int any; /* no --topic: every topic */
    regex_t re;
} tfilter;

static int filter_init(const targs *t, tfilter *f) {
    f->any = !t->has[O_TOPIC];
    if (f->any) return 0;
    const char *raw = t->val[O_TOPIC];
    while (*raw == ' ' || *raw == '\t') raw++;
    while (*raw == '"' || *raw == '\'') raw++;
    size_t len = strlen(raw);
    while (len && (raw[len - 1] == ' ' || raw[len - 1] == '\t')) len--;
    while (len && (raw[len - 1] == '"' || raw[len - 1] == '\'')) len--;
    char *pat = malloc(len + 5);
    if (!pat) return -1;
    pat[0] = '^';
    pat[1] = '(';
    for (size_t i = 0; i < len; i++) pat[i + 2] = raw[i] == ',' ? '|' : raw[i];
    memcpy(pat + len + 2, ")$", 3);
    int rc = regcomp(&f->re, pat, REG_EXTENDED | REG_NOSUB);
    free(pat);
    if (rc) {
        char msg[256];
        regerror(rc, &f->re, msg, sizeof msg);
        cli_err(t->prog, "--topic \"%s\": invalid regular expression: %s", t->val[O_TOPIC], msg);
        return -1;
    }
    return 0;
}

static int filter_match(const tfilter *f, const char *name) {
    return f->any || regexec(&f->re, name, 0, NULL, 0) == 0;
}

static void filter_free(tfilter *f) {
    if (!f->any) regfree(&f->re);
}

/* Every topic (the whole cluster's metadata, in *mdp) that --topic and
 * --exclude-internal select, by index into *mdp, sorted by name (the
 * metadata keeps name order). Returns 0, or the exit status after a
 * one-line error (*mdp and *idxp NULL). */
static int select_topics(const targs *t, kc_admin_t *a, kc_metadata_t **mdp, int **idxp, int *np) {
    char errstr[512];
    *mdp = NULL;
    *idxp = NULL;
    *np = 0;
    kc_err_t err = kc_admin_describe_topics(a, NULL, 0, t->timeout_ms, mdp, errstr, sizeof errstr);
    if (err) {
        cli_err(t->prog, "listing topics: %s", errstr);
        return 1;
    }
    tfilter f;
    int cnt = kc_metadata_topic_count(*mdp);
    int *idx = malloc(sizeof(int) * (size_t)(cnt + 1));
    int rc = !idx ? 1 : filter_init(t, &f) ? 2 : 0;
    if (rc) {
        if (!idx) cli_err(t->prog, "out of memory");
        free(idx);
        kc_metadata_destroy(*mdp);
        *mdp = NULL;
        return rc;
    }
    int n = 0;
    for (int i = 0; i < cnt; i++) {
        const char *name = kc_metadata_topic_name(*mdp, i);
        if (t->has[O_EXCLUDE_INTERNAL] && kc_metadata_topic_is_internal(*mdp, i)) continue;
        if (filter_match(&f, name)) idx[n++] = i;
    }
    filter_free(&f);
    *idxp = idx;
    *np = n;
    return 0;
}

/* TopicCommand.ensureTopicExists. */
static int ensure_exists(const targs *t, int n) {
    if (n > 0 || !t->has[O_TOPIC] || !t->val[O_TOPIC][0] || t->has[O_IF_EXISTS]) return 0;
    cli_err(t->prog, "Topic '%s' does not exist as expected", t->val[O_TOPIC]);
    return 1;
}

/* ------------------------------------------------------------------ list */

static int do_list(const targs *t, kc_admin_t *a) {
    kc_metadata_t *md;
    int *idx, n;
    int rc = select_topics(t, a, &md, &idx, &n);
    if (rc) return rc;
    if (t->has[O_JSON]) {
        printf("{\"topics\":[");
        for (int i = 0; i < n; i++) {
            if (i) putchar(',');
            cli_json_str(stdout, kc_metadata_topic_name(md, idx[i]));
        }
        printf("]}\n");
    } else {
        /* Java prints the names joined by newlines with println: an
         * empty line when there are none. */
        for (int i = 0; i < n; i++) printf("%s\n", kc_metadata_topic_name(md, idx[i]));
        if (!n) putchar('\n');
    }
    free(idx);
    kc_metadata_destroy(md);
    return 0;
}

/* ------------------------------------------------------------------ describe */

/* Index of config `name` of item i, -1 when absent. */
static int config_index(const kc_admin_result_t *r, int i, const char *name) {
    for (int j = 0; j < kc_admin_result_config_count(r, i); j++)
        if (strcmp(kc_admin_result_config_name(r, i, j), name) == 0) return j;
    return -1;
}

static int has_override(const kc_admin_result_t *r, int i) {
    for (int j = 0; j < kc_admin_result_config_count(r, i); j++)
        if (kc_admin_result_config_source(r, i, j) != KC_CONFIG_SOURCE_DEFAULT) return 1;
    return 0;
}

static int is_live(const kc_metadata_t *md, int32_t id) {
    for (int b = 0; b < kc_metadata_broker_count(md); b++)
        if (kc_metadata_broker_id(md, b) == id) return 1;
    return 0;
}

/* Whether the report flags select partition p of topic ti (Java's
 * DescribeOptions.shouldPrintTopicPartition); min_isr < 0: unknown. */
static int partition_selected(const targs *t, const kc_metadata_t *md, int ti, int p, int min_isr) {
    int report = t->has[O_URP] || t->has[O_UNAVAILABLE] || t->has[O_UNDER_MIN_ISR] ||
                 t->has[O_AT_MIN_ISR];
    if (!report) return 1;
    int32_t leader = kc_metadata_partition_leader(md, ti, p);
    int nisr = kc_metadata_partition_isr_count(md, ti, p);
    int nrep = kc_metadata_partition_replica_count(md, ti, p);
    if (t->has[O_URP] && nrep - nisr > 0) return 1;
    if (t->has[O_UNAVAILABLE] && (leader < 0 || !is_live(md, leader))) return 1;
    if (t->has[O_UNDER_MIN_ISR] && (leader < 0 || (min_isr >= 0 && nisr < min_isr))) return 1;
    if (t->has[O_AT_MIN_ISR] && min_isr >= 0 && nisr == min_isr) return 1;
    return 0;
}

static void print_ids(FILE *out, const kc_metadata_t *md, int ti, int p, int isr, int json) {
    int n = isr ? kc_metadata_partition_isr_count(md, ti, p)
                : kc_metadata_partition_replica_count(md, ti, p);
    if (json) fputc('[', out);
    for (int i = 0; i < n; i++) {
        if (i) fputc(',', out);
        fprintf(out, "%d", (int)(isr ? kc_metadata_partition_isr(md, ti, p, i)
                                     : kc_metadata_partition_replica(md, ti, p, i)));
    }
    if (json) fputc(']', out);
}

/* One topic as Java prints it; item ci of cfg holds its configs. */
static void describe_text(const targs *t, const kc_metadata_t *md, int ti,
                          const kc_admin_result_t *cfg, int ci) {
    const char *name = kc_metadata_topic_name(md, ti);
    int np = kc_metadata_partition_count(md, ti);
    int report = t->has[O_URP] || t->has[O_UNAVAILABLE] || t->has[O_UNDER_MIN_ISR] ||
                 t->has[O_AT_MIN_ISR];
    if (!report && (!t->has[O_OVERRIDES] || has_override(cfg, ci))) {
        printf("Topic: %s\tPartitionCount: %d\tReplicationFactor: %d\tConfigs: ", name, np,
               np > 0 ? kc_metadata_partition_replica_count(md, ti, 0) : 0);
        int first = 1;
        for (int j = 0; j < kc_admin_result_config_count(cfg, ci); j++) {
            if (kc_admin_result_config_source(cfg, ci, j) == KC_CONFIG_SOURCE_DEFAULT) continue;
            const char *v = kc_admin_result_config_value(cfg, ci, j);
            printf("%s%s=%s", first ? "" : ",", kc_admin_result_config_name(cfg, ci, j),
                   v ? v : "null");
            first = 0;
        }
        putchar('\n');
    }
    if (t->has[O_OVERRIDES]) return;
    int mi = config_index(cfg, ci, "min.insync.replicas");
    const char *miv = mi >= 0 ? kc_admin_result_config_value(cfg, ci, mi) : NULL;
    int min_isr = miv ? atoi(miv) : -1;
    for (int p = 0; p < np; p++) {
        if (!partition_selected(t, md, ti, p, min_isr)) continue;
        int32_t leader = kc_metadata_partition_leader(md, ti, p);
        printf("\tTopic: %s\tPartition: %d\tLeader: ", name,
               (int)kc_metadata_partition_id(md, ti, p));
        if (leader >= 0)
            printf("%d", (int)leader);
        else
            printf("none");
        printf("\tReplicas: ");
        print_ids(stdout, md, ti, p, 0, 0);
        printf("\tIsr: ");
        print_ids(stdout, md, ti, p, 1, 0);
        printf("\tElr: N/A\tLastKnownElr: N/A\n");
    }
}

/* One topic as a JSON object; returns 0 when the filters leave nothing. */
static int describe_json(const targs *t, const kc_metadata_t *md, int ti,
                         const kc_admin_result_t *cfg, int ci, int first) {
    int np = kc_metadata_partition_count(md, ti);
    int report = t->has[O_URP] || t->has[O_UNAVAILABLE] || t->has[O_UNDER_MIN_ISR] ||
                 t->has[O_AT_MIN_ISR];
    int mi = config_index(cfg, ci, "min.insync.replicas");
    const char *miv = mi >= 0 ? kc_admin_result_config_value(cfg, ci, mi) : NULL;
    int min_isr = miv ? atoi(miv) : -1;
    if (t->has[O_OVERRIDES] && !has_override(cfg, ci)) return 0;
    int selected = 0;
    for (int p = 0; p < np; p++) selected += partition_selected(t, md, ti, p, min_isr);
    if (report && !selected) return 0;
    if (!first) putchar(',');
    printf("{\"name\":");
    cli_json_str(stdout, kc_metadata_topic_name(md, ti));
    printf(",\"internal\":%s,\"partition_count\":%d,\"replication_factor\":%d,\"configs\":{",
           kc_metadata_topic_is_internal(md, ti) ? "true" : "false", np,
           np > 0 ? kc_metadata_partition_replica_count(md, ti, 0) : 0);
    int firstc = 1;
    for (int j = 0; j < kc_admin_result_config_count(cfg, ci); j++) {
        if (kc_admin_result_config_source(cfg, ci, j) == KC_CONFIG_SOURCE_DEFAULT) continue;
        if (!firstc) putchar(',');
        cli_json_str(stdout, kc_admin_result_config_name(cfg, ci, j));
        putchar(':');
        cli_json_str(stdout, kc_admin_result_config_value(cfg, ci, j));
        firstc = 0;
    }
    printf("},\"partitions\":[");
    int firstp = 1;
    for (int p = 0; p < np; p++) {
        if (!partition_selected(t, md, ti, p, min_isr)) continue;
        int32_t leader = kc_metadata_partition_leader(md, ti, p);
        printf("%s{\"partition\":%d,\"leader\":", firstp ? "" : ",",
               (int)kc_metadata_partition_id(md, ti, p));
        if (leader >= 0)
            printf("%d", (int)leader);
        else
            printf("null");
        printf(",\"leader_epoch\":%d,\"replicas\":",
               (int)kc_metadata_partition_leader_epoch(md, ti, p));
        print_ids(stdout, md, ti, p, 0, 1);
        printf(",\"isr\":");
        print_ids(stdout, md, ti, p, 1, 1);
        putchar('}');
        firstp = 0;
    }
    printf("]}");
    return 1;
}

static int do_describe(const targs *t, kc_admin_t *a) {
    kc_metadata_t *md;
    int *idx, n;
    int rc = select_topics(t, a, &md, &idx, &n);
    if (rc) return rc;
    kc_admin_result_t *cfg = NULL;
    const char **names = calloc((size_t)n + 1, sizeof *names);
    if (!names) {
        cli_err(t->prog, "out of memory");
        rc = 1;
        goto out;
    }
    if ((rc = ensure_exists(t, n))) goto out;
    for (int i = 0; i < n; i++) names[i] = kc_metadata_topic_name(md, idx[i]);
    if (n > 0) {
        char errstr[512];
        kc_err_t err = kc_admin_describe_configs(a, KC_RESOURCE_TOPIC, names, (size_t)n,
                                                 t->timeout_ms, &cfg, errstr, sizeof errstr);
        if (err) {
            cli_err(t->prog, "describing topic configs: %s", errstr);
            rc = 1;
            goto out;
        }
        for (int i = 0; i < n; i++) {
            if (kc_admin_result_error(cfg, i)) {
                cli_err(t->prog, "topic '%s': %s", names[i], kc_admin_result_errstr(cfg, i));
                rc = 1;
                goto out;
            }
        }
    }
    if (t->has[O_JSON]) {
        printf("{\"topics\":[");
        int shown = 0;
        for (int i = 0; i < n; i++) shown += describe_json(t, md, idx[i], cfg, i, shown == 0);
        printf("]}\n");
    } else {
        for (int i = 0; i < n; i++) describe_text(t, md, idx[i], cfg, i);
    }
out:
    kc_admin_result_destroy(cfg);
    free(names);
    free(idx);
    kc_metadata_destroy(md);
    return rc;
}

/* ------------------------------------------------------------------ create */

/* Java's "\s*=\s*" split of a --config value into exactly two parts
 * (trailing empty parts dropped, as String.split does). */
static int split_config(const char *kv, char **keyp, char **valp) {
    const char *eq = strchr(kv, '=');
    if (!eq || strchr(eq + 1, '=')) return -1;
    const char *ks = kv, *ke = eq, *vs = eq + 1, *ve = kv + strlen(kv);
    while (ke > ks && (ke[-1] == ' ' || ke[-1] == '\t')) ke--;
    while (vs < ve && (*vs == ' ' || *vs == '\t')) vs++;
    if (vs == ve) return -1; /* "k=" splits into one part */
    /* trim() both parts */
    while (ks < ke && (unsigned char)*ks <= ' ') ks++;
    while (ve > vs && (unsigned char)ve[-1] <= ' ') ve--;
    *keyp = strndup(ks, (size_t)(ke - ks));
    *valp = strndup(vs, (size_t)(ve - vs));
    return *keyp && *valp ? 0 : -1;
}

static int do_create(const targs *t, kc_admin_t *a) {
    const char *name = t->val[O_TOPIC];
    if (strchr(name, '.') && strchr(name, '_'))
        fprintf(t->has[O_JSON] ? stderr : stdout,
                "WARNING: Due to limitations in metric names, topics with a period ('.') or "
                "underscore ('_') could collide. To avoid issues it is best to use either, but "
                "not both.\n");
    kc_new_topic_t *nt = kc_new_topic_new(name, t->partitions, (int16_t)t->rf);
    if (!nt) {
        cli_err(t->prog, "Topic name is invalid: '%s'", name);
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < t->nconfigs && !rc; i++) {
        char *k = NULL, *v = NULL;
        if (split_config(t->configs[i], &k, &v)) {
            cli_err(t->prog, "Invalid topic config \"%s\": all configs to be added must be in the "
                             "format \"key=val\".",
                    t->configs[i]);
            rc = 2;
        } else if (kc_new_topic_set_config(nt, k, v)) {
            cli_err(t->prog, "out of memory");
            rc = 1;
        }
        free(k);
        free(v);
    }
    kc_admin_result_t *r = NULL;
    char errstr[512];
    if (!rc) {
        kc_err_t err =
            kc_admin_create_topics(a, &nt, 1, 0, t->timeout_ms, &r, errstr, sizeof errstr);
        if (err) {
            cli_err(t->prog, "creating topic '%s': %s", name, errstr);
            rc = 1;
        }
    }
    if (!rc) {
        kc_err_t e = kc_admin_result_error(r, 0);
        int existed = e == KC_ERR_TOPIC_ALREADY_EXISTS && t->has[O_IF_NOT_EXISTS];
        if (e && !existed) {
            cli_err(t->prog, "%s", kc_admin_result_errstr(r, 0));
            rc = 1;
        } else if (t->has[O_JSON]) {
            printf("{\"created\":[");
            if (!existed) cli_json_str(stdout, name);
            printf("],\"existing\":[");
            if (existed) cli_json_str(stdout, name);
            printf("]}\n");
        } else if (!existed) {
            printf("Created topic %s.\n", name);
        }
    }
    kc_admin_result_destroy(r);
    kc_new_topic_destroy(nt);
    return rc;
}

/* ------------------------------------------------------------------ alter, delete */

/* --alter (create partitions) or --delete of every selected topic. */
static int do_alter_delete(const targs *t, kc_admin_t *a) {
    kc_metadata_t *md;
    int *idx, n;
    int rc = select_topics(t, a, &md, &idx, &n);
    if (rc) return rc;
    const char **names = calloc((size_t)n + 1, sizeof *names);
    int32_t *totals = calloc((size_t)n + 1, sizeof *totals);
    kc_admin_result_t *r = NULL;
    if (!names || !totals) {
        cli_err(t->prog, "out of memory");
        rc = 1;
        goto out;
    }
    if ((rc = ensure_exists(t, n))) goto out;
    for (int i = 0; i < n; i++) {
        names[i] = kc_metadata_topic_name(md, idx[i]);
        totals[i] = t->partitions;
    }
    if (n > 0) {
        char errstr[512];
        kc_err_t err = t->has[O_ALTER]
                           ? kc_admin_create_partitions(a, names, totals, (size_t)n, t->timeout_ms,
                                                        &r, errstr, sizeof errstr)
                           : kc_admin_delete_topics(a, names, (size_t)n, t->timeout_ms, &r, errstr,
                                                    sizeof errstr);
        if (err) {
            cli_err(t->prog, "%s: %s", t->has[O_ALTER] ? "adding partitions" : "deleting topics",
                    errstr);
            rc = 1;
            goto out;
        }
        for (int i = 0; i < n; i++) {
            if (!kc_admin_result_error(r, i)) continue;
            const char *msg = kc_admin_result_errstr(r, i);
            /* The broker's messages usually name the topic; say which one
             * when it does not. */
            if (strstr(msg, names[i]))
                cli_err(t->prog, "%s", msg);
            else
                cli_err(t->prog, "topic '%s': %s", names[i], msg);
            rc = 1;
        }
    }
    if (t->has[O_JSON]) {
        printf("{\"%s\":[", t->has[O_ALTER] ? "altered" : "deleted");
        int first = 1;
        for (int i = 0; i < n; i++) {
            if (kc_admin_result_error(r, i)) continue;
            if (!first) putchar(',');
            first = 0;
            if (t->has[O_ALTER]) {
                printf("{\"topic\":");
                cli_json_str(stdout, names[i]);
                printf(",\"partitions\":%d}", t->partitions);
            } else {
                cli_json_str(stdout, names[i]);
            }
        }
        printf("]}\n");
    }
out:
    kc_admin_result_destroy(r);
    free(names);
    free(totals);
    free(idx);
    kc_metadata_destroy(md);
    return rc;
}

int kc_tool_topics(int argc, char **argv) {
    targs t = {.prog = argv[0]};
    int rc = parse_args(&t, argc, argv);
    if (rc >= 0) {
        free(t.configs);
        return rc;
    }
    if (t.has[O_CREATE]) {
        if (t.has[O_RF] && (t.rf < 1 || t.rf > 32767)) {
            cli_err(t.prog, "The replication factor must be between 1 and 32767 inclusive");
            free(t.configs);
            return 2;
        }
        if (t.has[O_PARTITIONS] && t.partitions < 1) {
            cli_err(t.prog, "The partitions must be greater than 0");
            free(t.configs);
            return 2;
        }
    }
    tfilter f; /* a bad --topic regex is bad usage, found before connecting */
    if (!t.has[O_CREATE] && filter_init(&t, &f)) {
        free(t.configs);
        return 2;
    }
    if (!t.has[O_CREATE]) filter_free(&f);
    kc_admin_t *a =
        adm_connect(t.prog, t.val[O_BOOTSTRAP], t.val[O_COMMAND_CONFIG], t.timeout_ms, NULL);
    if (!a) {
        free(t.configs);
        return 1;
    }
    if (t.has[O_LIST])
        rc = do_list(&t, a);
    else if (t.has[O_DESCRIBE])
        rc = do_describe(&t, a);
    else if (t.has[O_CREATE])
        rc = do_create(&t, a);
    else
        rc = do_alter_delete(&t, a);
    kc_admin_destroy(a);
    free(t.configs);
    if (fflush(stdout) || ferror(stdout)) {
        cli_err(t.prog, "writing the output failed");
        rc = 1;
    }
    return rc;
}
