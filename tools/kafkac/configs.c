/* kafkac configs: kafka-configs.sh (kafka.admin.ConfigCommand of Kafka 4.1)
 * for topic, broker and group configs on the kafkac admin client. The same
 * flags, checks, messages and output; --json and --timeout are kafkac's
 * own. Client, user, ip, client-metrics and broker-logger entities (quotas,
 * SCRAM credentials, loggers) are refused with a message.
 *
 *   --describe   kc_admin_describe_configs(), filtered to the entity's
 *                dynamic source unless --all
 *   --alter      kc_admin_describe_configs() (deleted keys must be set),
 *                then kc_admin_incremental_alter_configs(): deletions,
 *                then SETs
 *
 * kc_admin_describe_configs() reports no synonyms: each line's synonyms={}
 * holds the entry's own source only (Java lists every synonym, the entry's
 * own source first). A named entity that does not exist is an error (exit
 * 1, message on stderr); Java prints the same words on stdout and exits 0. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <kafkac.h>

#include "admin_common.h"
#include "cli.h"
#include "commands.h"
#include "perf_common.h"

enum {
    O_BOOTSTRAP, O_COMMAND_CONFIG, O_ENTITY_TYPE, O_ENTITY_NAME, O_ENTITY_DEFAULT, O_TOPIC,
    O_BROKER, O_BROKER_DEFAULTS, O_GROUP, O_DESCRIBE, O_ALL, O_ALTER, O_ADD_CONFIG,
    O_ADD_CONFIG_FILE, O_DELETE_CONFIG, O_JSON, O_TIMEOUT, O_HELP, O_VERSION,
    /* Kafka's flags for entities kafkac does not handle: refused. */
    O_BOOTSTRAP_CONTROLLER, O_CLIENT, O_CLIENT_DEFAULTS, O_USER, O_USER_DEFAULTS, O_IP,
    O_IP_DEFAULTS, O_BROKER_LOGGER, O_CLIENT_METRICS, O_N
};

static const adm_opt opts[] = {
    [O_BOOTSTRAP] = {"bootstrap-server", 1, "HOST:PORT[,...]",
                     "REQUIRED: the Kafka server(s) to connect to."},
    [O_COMMAND_CONFIG] = {"command-config", 1, "FILE",
                          "Properties file of client settings (kafkac\n"
                          "configuration keys)."},
    [O_ENTITY_TYPE] = {"entity-type", 1, "TYPE", "topics, brokers or groups."},
    [O_ENTITY_NAME] = {"entity-name", 1, "NAME",
                       "Topic name, broker id or group id (--describe\n"
                       "without it: every entity of the type)."},
    [O_ENTITY_DEFAULT] = {"entity-default", 0, NULL,
                          "The cluster-wide default broker configs (brokers\n"
                          "only)."},
    [O_TOPIC] = {"topic", 1, "TOPIC", "Same as --entity-type topics --entity-name TOPIC."},
    [O_BROKER] = {"broker", 1, "ID", "Same as --entity-type brokers --entity-name ID."},
    [O_BROKER_DEFAULTS] = {"broker-defaults", 0, NULL,
                           "Same as --entity-type brokers --entity-default."},
    [O_GROUP] = {"group", 1, "GROUP", "Same as --entity-type groups --entity-name GROUP."},
    [O_DESCRIBE] = {"describe", 0, NULL, "List the entity's dynamic configs."},
    [O_ALL] = {"all", 0, NULL,
               "With --describe: list every config, static and\n"
               "default ones too."},
    [O_ALTER] = {"alter", 0, NULL,
                 "Alter the entity's configs (--add-config,\n"
                 "--add-config-file, --delete-config)."},
    [O_ADD_CONFIG] = {"add-config", 1, "K=V[,K=V...]",
                      "Configs to set. Square brackets group values that\n"
                      "hold commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'."},
    [O_ADD_CONFIG_FILE] = {"add-config-file", 1, "FILE", "Properties file of configs to set."},
    [O_DELETE_CONFIG] = {"delete-config", 1, "K[,K...]",
                         "Configs to remove (back to their default);\n"
                         "repeatable."},
    [O_JSON] = {"json", 0, NULL,
                "Print one JSON document instead of Kafka's text\n"
                "(kafkac)."},
    [O_TIMEOUT] = {"timeout", 1, "MS",
                   "Bound of each broker call in ms (default 30000;\n"
                   "the first contact waits at most 10000) (kafkac)."},
    [O_HELP] = {"help", 0, NULL, "Print usage information."},
    [O_VERSION] = {"version", 0, NULL, "Print the kafkac version."},
    [O_BOOTSTRAP_CONTROLLER] = {"bootstrap-controller", 1, "HOST:PORT", NULL},
    [O_CLIENT] = {"client", 1, "ID", NULL},
    [O_CLIENT_DEFAULTS] = {"client-defaults", 0, NULL, NULL},
    [O_USER] = {"user", 1, "NAME", NULL},
    [O_USER_DEFAULTS] = {"user-defaults", 0, NULL, NULL},
    [O_IP] = {"ip", 1, "IP", NULL},
    [O_IP_DEFAULTS] = {"ip-defaults", 0, NULL, NULL},
    [O_BROKER_LOGGER] = {"broker-logger", 1, "ID", NULL},
    [O_CLIENT_METRICS] = {"client-metrics", 1, "NAME", NULL},
    {NULL, 0, NULL, NULL},
};

static const char usage_line[] =
    "kafkac configs --bootstrap-server HOST:PORT --entity-type topics|brokers|groups\n"
    "       [--entity-name NAME | --entity-default] --describe [--all] |\n"
    "       --alter [--add-config K=V,...] [--delete-config K,...]";
static const char about[] =
    "Describes and alters topic, broker and group configs: the flags and output\n"
    "of kafka-configs.sh (Kafka 4.1).";

/* Entity types: Kafka's names, the resource, the dynamic source. */
typedef struct etype {
    const char *name;
    int resource;
    int dynamic;
} etype;

static const etype etypes[] = {
    {"topics", KC_RESOURCE_TOPIC, KC_CONFIG_SOURCE_DYNAMIC_TOPIC},
    {"brokers", KC_RESOURCE_BROKER, KC_CONFIG_SOURCE_DYNAMIC_BROKER},
    {"groups", KC_RESOURCE_GROUP, KC_CONFIG_SOURCE_GROUP},
    {NULL, 0, 0},
};

typedef struct cargs {
    const char *prog;
    int has[O_N];
    const char *val[O_N];
    adm_strv types;   /* --entity-type values and entity flags, in order */
    adm_strv names;   /* entity names ("" = default), in order */
    adm_strv deletes; /* --delete-config keys */
    perf_props adds;  /* --add-config / --add-config-file */
    int timeout_ms;
    const etype *et;
    const char *name; /* the entity, NULL: every entity (describe) */
} cargs;

static const char *singular(const etype *et) {
    return et->resource == KC_RESOURCE_TOPIC ? "topic"
           : et->resource == KC_RESOURCE_BROKER ? "broker" : "group";
}

/* ------------------------------------------------------------------ --add-config */

/* Whether a separator (',' or '=') just before s is outside square
 * brackets: Java's lookahead (?=[^\]]*(?:\[|$)) on the text that ends at e. */
static int outside_brackets(const char *s, const char *e) {
    for (; s < e && *s != ']'; s++)
        if (*s == '[') return 1;
    return s == e;
}

/* Java's String.trim(). */
static void trim(const char **s, const char **e) {
    while (*s < *e && (unsigned char)**s <= ' ') (*s)++;
    while (*e > *s && (unsigned char)(*e)[-1] <= ' ') (*e)--;
}

/* ConfigCommand.validatePropsKey. */
static int valid_key(const char *k) {
    for (; *k; k++)
        if (!strchr("$._-", *k) && !(*k >= 'a' && *k <= 'z') && !(*k >= 'A' && *k <= 'Z') &&
            !(*k >= '0' && *k <= '9'))
            return 0;
    return 1;
}

/* One "key=value" item of --add-config: split at the one '=' outside
 * brackets (whitespace around it dropped), key trimmed, value without any
 * '[' or ']' and trimmed. */
static int add_item(cargs *c, const char *s, const char *e) {
    const char *eq = NULL;
    for (const char *p = s; p < e; p++) {
        if (*p != '=' || !outside_brackets(p + 1, e)) continue;
        if (eq) return -1; /* three parts */
        eq = p;
    }
    if (!eq) return -1;
    const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
    trim(&ks, &ke);
    char *key = strndup(ks, (size_t)(ke - ks));
    char *val = malloc((size_t)(ve - vs) + 1);
    if (!key || !val) {
        free(key);
        free(val);
        return -1;
    }
    size_t n = 0;
    for (const char *p = vs; p < ve; p++)
        if (*p != '[' && *p != ']') val[n++] = *p;
    val[n] = 0;
    const char *ts = val, *te = val + n;
    trim(&ts, &te);
    char *v = strndup(ts, (size_t)(te - ts));
    if (v) perf_props_set(&c->adds, key, v);
    free(key);
    free(val);
    free(v);
    return 0;
}

/* ConfigCommand.parseConfigsToBeAdded for the --add-config string: items
 * separated by the commas outside brackets (String.split: trailing empty
 * items dropped). */
static int parse_add_config(cargs *c, const char *arg) {
    const char *end = arg + strlen(arg);
    const char *seg[256][2];
    int n = 0;
    for (const char *s = arg, *p = arg;; p++) {
        if (p < end && !(*p == ',' && outside_brackets(p + 1, end))) continue;
        if (n == 256) {
            cli_err(c->prog, "--add-config: more than 256 configs");
            return -1;
        }
        seg[n][0] = s;
        seg[n][1] = p;
        n++;
        if (p >= end) break;
        s = p + 1;
    }
    while (n > 1 && seg[n - 1][0] == seg[n - 1][1]) n--;
    for (int i = 0; i < n; i++) {
        if (add_item(c, seg[i][0], seg[i][1])) {
            cli_err(c->prog, "Invalid entity config \"%.*s\": all configs to be added must be in "
                             "the format \"key=val\" or \"key=[val1,val2]\" to group values "
                             "which contain commas.",
                    (int)(seg[i][1] - seg[i][0]), seg[i][0]);
            return -1;
        }
    }
    return 0;
}

/* --delete-config: comma-separated, each trimmed (joptsimple's
 * withValuesSeparatedBy(',')). */
static void parse_delete_config(cargs *c, const char *arg) {
    const char *s = arg;
    for (;;) {
        const char *e = strchr(s, ',');
        const char *ee = e ? e : s + strlen(s);
        const char *ts = s, *te = ee;
        trim(&ts, &te);
        adm_strv_add(&c->deletes, ts, (int)(te - ts));
        if (!e) break;
        s = e + 1;
    }
}

/* ------------------------------------------------------------------ arguments */

static int refuse_type(const cargs *c, const char *type) {
    cli_err(c->prog, "entity type '%s' is not supported by kafkac configs (supported: topics, "
                     "brokers, groups)",
            type);
    return 2;
}

/* Parses and checks the flags as ConfigCommandOptions.checkArgs does.
 * Returns -1 to go ahead, else the exit status. */
static int parse_args(cargs *c, int argc, char **argv) {
    c->timeout_ms = ADM_TIMEOUT_MS;
    if (argc < 2) {
        adm_usage(stderr, usage_line, about, opts);
        return 2;
    }
    int i = 1, k, entity_flags = 0;
    const char *v;
    while ((k = adm_next_opt(c->prog, opts, argc, argv, &i, &v)) >= 0) {
        c->has[k] = 1;
        c->val[k] = v;
        switch (k) {
        case O_ENTITY_TYPE: adm_strv_add(&c->types, v, -1); break;
        case O_ENTITY_NAME: adm_strv_add(&c->names, v, -1); break;
        case O_ENTITY_DEFAULT: adm_strv_add(&c->names, "", -1); break;
        case O_DELETE_CONFIG: parse_delete_config(c, v); break;
        default: break;
        }
    }
    if (k == -2) return 2;
    if (c->has[O_HELP]) {
        adm_usage(stdout, usage_line, about, opts);
        return 0;
    }
    if (c->has[O_VERSION]) {
        printf("kafkac %s\n", kc_version_str());
        return 0;
    }
    /* Entity flags, after --entity-type / --entity-name as in Java. */
    static const struct {
        int opt;
        const char *type;
    } flags[] = {{O_TOPIC, "topics"},     {O_CLIENT, "clients"},
                 {O_USER, "users"},       {O_BROKER, "brokers"},
                 {O_BROKER_LOGGER, "broker-loggers"}, {O_IP, "ips"},
                 {O_CLIENT_METRICS, "client-metrics"}, {O_GROUP, "groups"},
                 {O_CLIENT_DEFAULTS, "clients"}, {O_USER_DEFAULTS, "users"},
                 {O_BROKER_DEFAULTS, "brokers"}, {O_IP_DEFAULTS, "ips"}};
    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
        if (!c->has[flags[f].opt]) continue;
        entity_flags++;
        adm_strv_add(&c->types, flags[f].type, -1);
        adm_strv_add(&c->names, c->val[flags[f].opt] ? c->val[flags[f].opt] : "", -1);
    }
    if (c->has[O_DESCRIBE] + c->has[O_ALTER] != 1) {
        cli_err(c->prog, "Command must include exactly one action: --describe, --alter");
        return 2;
    }
    static const int bad_with_describe[] = {O_ALTER, O_ADD_CONFIG, O_DELETE_CONFIG,
                                            O_ADD_CONFIG_FILE};
    for (size_t b = 0; c->has[O_DESCRIBE] && b < 4; b++) {
        if (c->has[bad_with_describe[b]]) {
            cli_err(c->prog, "Option \"[describe]\" can't be used with option \"[%s]\"",
                    opts[bad_with_describe[b]].name);
            return 2;
        }
    }
    if (c->has[O_ALL] && !c->has[O_DESCRIBE]) {
        cli_err(c->prog, "Option \"[all]\" can only be used with option \"[describe]\"");
        return 2;
    }
    for (int a = 0; a < c->types.n; a++) {
        for (int b = 0; b < a; b++) {
            if (strcmp(c->types.v[a], c->types.v[b]) == 0) {
                cli_err(c->prog, "Duplicate entity type(s) specified: %s", c->types.v[a]);
                return 2;
            }
        }
    }
    if (c->has[O_BOOTSTRAP_CONTROLLER]) {
        cli_err(c->prog, "--bootstrap-controller is not supported by kafkac configs: connect to "
                         "the brokers with --bootstrap-server");
        return 2;
    }
    if (!c->has[O_BOOTSTRAP]) {
        cli_err(c->prog, "--bootstrap-server must be specified");
        return 2;
    }
    static const char *const kafka_types[] = {"topics", "clients", "users", "brokers", "ips",
                                              "client-metrics", "groups", "broker-loggers", NULL};
    for (int a = 0; a < c->types.n; a++) {
        int known = 0;
        for (int b = 0; kafka_types[b]; b++) known |= strcmp(c->types.v[a], kafka_types[b]) == 0;
        if (!known) {
            cli_err(c->prog, "Invalid entity type %s, the entity type must be one of topics, "
                             "brokers, groups",
                    c->types.v[a]);
            return 2;
        }
    }
    if (c->types.n == 0) {
        cli_err(c->prog, "At least one entity type must be specified");
        return 2;
    }
    if (c->types.n > 1) {
        int uc = c->types.n == 2 && adm_strv_has(&c->types, "users") &&
                 adm_strv_has(&c->types, "clients");
        if (uc) return refuse_type(c, "users");
        cli_err(c->prog, "Only 'users' and 'clients' entity types may be specified together");
        return 2;
    }
    for (const etype *e = etypes; e->name; e++)
        if (strcmp(e->name, c->types.v[0]) == 0) c->et = e;
    if (!c->et) return refuse_type(c, c->types.v[0]);
    if ((c->has[O_ENTITY_NAME] || c->has[O_ENTITY_TYPE] || c->has[O_ENTITY_DEFAULT]) &&
        entity_flags) {
        cli_err(c->prog, "--entity-{type,name,default} should not be used in conjunction with "
                         "specific entity flags");
        return 2;
    }
    int has_name = 0, has_default = 0;
    for (int a = 0; a < c->names.n; a++) {
        if (c->names.v[a][0])
            has_name = 1;
        else
            has_default = 1;
    }
    if (has_name && c->et->resource == KC_RESOURCE_BROKER) {
        for (int a = 0; a < c->names.n; a++) {
            long long id;
            if (c->names.v[a][0] &&
                (cli_parse_ll(c->names.v[a], &id) || id < INT32_MIN || id > INT32_MAX)) {
                cli_err(c->prog, "The entity name for brokers must be a valid integer broker id, "
                                 "but it is: %s",
                        c->names.v[a]);
                return 2;
            }
        }
    }
    if (c->has[O_DESCRIBE] && has_default && c->et->resource != KC_RESOURCE_BROKER) {
        cli_err(c->prog, "--entity-default must not be specified with --describe of %s",
                c->et->name);
        return 2;
    }
    if (c->has[O_ALTER]) {
        if (c->et->resource == KC_RESOURCE_BROKER) {
            if (!has_name && !has_default) {
                cli_err(c->prog, "An entity-name or default entity must be specified with --alter "
                                 "of users, clients, brokers or ips");
                return 2;
            }
        } else if (!has_name) {
            cli_err(c->prog, "An entity name must be specified with --alter of %s", c->et->name);
            return 2;
        }
        if (c->has[O_ADD_CONFIG] && c->has[O_ADD_CONFIG_FILE]) {
            cli_err(c->prog, "Only one of --add-config or --add-config-file must be specified");
            return 2;
        }
        if (!c->has[O_ADD_CONFIG] && !c->has[O_ADD_CONFIG_FILE] && !c->has[O_DELETE_CONFIG]) {
            cli_err(c->prog, "At least one of --add-config, --add-config-file, or --delete-config "
                             "must be specified with --alter");
            return 2;
        }
        if (c->names.n != 1) {
            cli_err(c->prog, "An entity name must be specified for every entity type");
            return 2;
        }
        if (c->has[O_ADD_CONFIG_FILE] && perf_props_load(c->val[O_ADD_CONFIG_FILE], &c->adds)) {
            cli_err(c->prog, "%s: %s", c->val[O_ADD_CONFIG_FILE], strerror(errno));
            return 2;
        }
        if (c->has[O_ADD_CONFIG] && parse_add_config(c, c->val[O_ADD_CONFIG])) return 2;
        for (size_t a = 0; a < c->adds.n; a++) {
            if (!valid_key(c->adds.v[a].key)) {
                cli_err(c->prog, "Invalid character found for config key: %s", c->adds.v[a].key);
                return 2;
            }
        }
    }
    c->name = c->names.n ? c->names.v[0] : NULL;
    if (c->has[O_TIMEOUT] && adm_parse_timeout(c->prog, c->val[O_TIMEOUT], &c->timeout_ms))
        return 2;
    return -1;
}

/* ------------------------------------------------------------------ entities */

/* The dynamic source of an entity ("" broker: the cluster default). */
static int dynamic_source(const cargs *c, const char *name) {
    if (c->et->resource == KC_RESOURCE_BROKER && !name[0])
        return KC_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER;
    return c->et->dynamic;
}

/* Topics (internal ones too) or broker ids of the cluster into l. */
static int list_from_metadata(const cargs *c, kc_admin_t *a, adm_strv *l) {
    char errstr[512];
    kc_metadata_t *md;
    kc_err_t err = kc_admin_describe_topics(a, NULL, 0, c->timeout_ms, &md, errstr, sizeof errstr);
    if (err) {
        cli_err(c->prog, "reading the cluster metadata: %s", errstr);
        return 1;
    }
    if (c->et->resource == KC_RESOURCE_TOPIC) {
        for (int i = 0; i < kc_metadata_topic_count(md); i++)
            adm_strv_add(l, kc_metadata_topic_name(md, i), -1);
    } else {
        for (int i = 0; i < kc_metadata_broker_count(md); i++) {
            char id[16];
            snprintf(id, sizeof id, "%d", (int)kc_metadata_broker_id(md, i));
            adm_strv_add(l, id, -1);
        }
    }
    kc_metadata_destroy(md);
    return 0;
}

static int list_groups(const cargs *c, kc_admin_t *a, adm_strv *l) {
    char errstr[512];
    kc_admin_result_t *r;
    kc_err_t err = kc_admin_list_groups(a, c->timeout_ms, &r, errstr, sizeof errstr);
    if (err) {
        cli_err(c->prog, "listing groups: %s", errstr);
        return 1;
    }
    for (int i = 0; i < kc_admin_result_count(r); i++)
        if (!kc_admin_result_error(r, i)) adm_strv_add(l, kc_admin_result_name(r, i), -1);
    kc_admin_result_destroy(r);
    return 0;
}

/* The configs of the given entities (one call); 0, or the exit status
 * after a one-line error naming the entity. */
static int describe_entities(const cargs *c, kc_admin_t *a, const adm_strv *names,
                             kc_admin_result_t **rp) {
    char errstr[512];
    *rp = NULL;
    if (names->n == 0) return 0;
    kc_err_t err = kc_admin_describe_configs(a, c->et->resource, (const char *const *)names->v,
                                             (size_t)names->n, c->timeout_ms, rp, errstr,
                                             sizeof errstr);
    if (err) {
        cli_err(c->prog, "describing %s configs: %s", singular(c->et), errstr);
        return 1;
    }
    for (int i = 0; i < kc_admin_result_count(*rp); i++) {
        kc_err_t e = kc_admin_result_error(*rp, i);
        if (!e) continue;
        if (e == KC_ERR_UNKNOWN_TOPIC_OR_PARTITION && c->et->resource == KC_RESOURCE_TOPIC)
            cli_err(c->prog, "The topic '%s' doesn't exist.", names->v[i]);
        else
            cli_err(c->prog, "%s '%s': %s", singular(c->et), names->v[i],
                    kc_admin_result_errstr(*rp, i));
        kc_admin_result_destroy(*rp);
        *rp = NULL;
        return 1;
    }
    return 0;
}

/* Whether entry j of item i is shown (its source is the entity's dynamic
 * one, or --all). */
static int shown(const cargs *c, const kc_admin_result_t *r, int i, int j, int src) {
    return c->has[O_ALL] || kc_admin_result_config_source(r, i, j) == src;
}

static void print_text(const cargs *c, const kc_admin_result_t *r, int i, const char *name) {
    int src = dynamic_source(c, name);
    if (!name[0])
        printf("Default configs for %s in the cluster are:\n", c->et->name);
    else
        printf("%s configs for %s %s are:\n", c->has[O_ALL] ? "All" : "Dynamic", singular(c->et),
               name);
    for (int j = 0; j < kc_admin_result_config_count(r, i); j++) {
        if (!shown(c, r, i, j, src)) continue;
        const char *k = kc_admin_result_config_name(r, i, j);
        const char *v = kc_admin_result_config_value(r, i, j);
        printf("  %s=%s sensitive=%s synonyms={%s:%s=%s}\n", k, v ? v : "null",
               kc_admin_result_config_is_sensitive(r, i, j) ? "true" : "false",
               adm_source_name(kc_admin_result_config_source(r, i, j)), k, v ? v : "null");
    }
}

static void print_json(const cargs *c, const kc_admin_result_t *r, int i, const char *name) {
    int src = dynamic_source(c, name);
    printf("{\"name\":");
    cli_json_str(stdout, name);
    printf(",\"default\":%s,\"configs\":[", name[0] ? "false" : "true");
    int first = 1;
    for (int j = 0; j < kc_admin_result_config_count(r, i); j++) {
        if (!shown(c, r, i, j, src)) continue;
        printf("%s{\"name\":", first ? "" : ",");
        cli_json_str(stdout, kc_admin_result_config_name(r, i, j));
        printf(",\"value\":");
        cli_json_str(stdout, kc_admin_result_config_value(r, i, j));
        printf(",\"source\":\"%s\",\"sensitive\":%s,\"read_only\":%s}",
               adm_source_name(kc_admin_result_config_source(r, i, j)),
               kc_admin_result_config_is_sensitive(r, i, j) ? "true" : "false",
               kc_admin_result_config_is_read_only(r, i, j) ? "true" : "false");
        first = 0;
    }
    printf("]}");
}

/* Whether item i has an entry with the given source. */
static int has_source(const kc_admin_result_t *r, int i, int src) {
    for (int j = 0; j < kc_admin_result_config_count(r, i); j++)
        if (kc_admin_result_config_source(r, i, j) == src) return 1;
    return 0;
}

/* Checks that the named entity exists, as ConfigCommand does before a
 * describe without --all (and kafkac before altering a topic or broker: a
 * broker id that is not in the cluster would leave the request nowhere to
 * go). 0, or the exit status after the one-line message. */
static int check_exists(const cargs *c, kc_admin_t *a) {
    adm_strv l = {0};
    int rc = 0, found;
    if (c->et->resource == KC_RESOURCE_BROKER && !c->name[0]) return 0;
    if (c->et->resource == KC_RESOURCE_GROUP) {
        rc = list_groups(c, a, &l);
        found = adm_strv_has(&l, c->name);
        if (!rc && !found) {
            /* A group with dynamic configs counts as existing (Kafka lists
             * config resources too). */
            kc_admin_result_t *r;
            adm_strv one = {0};
            adm_strv_add(&one, c->name, -1);
            rc = describe_entities(c, a, &one, &r);
            found = !rc && has_source(r, 0, KC_CONFIG_SOURCE_GROUP);
            kc_admin_result_destroy(r);
            adm_strv_free(&one);
        }
    } else {
        rc = list_from_metadata(c, a, &l);
        found = adm_strv_has(&l, c->name);
    }
    adm_strv_free(&l);
    if (rc) return rc;
    if (found) return 0;
    if (c->has[O_ALTER])
        cli_err(c->prog, "The %s '%s' doesn't exist.", singular(c->et), c->name);
    else
        cli_err(c->prog, "The %s '%s' doesn't exist and doesn't have dynamic config.",
                singular(c->et), c->name);
    return 1;
}

static int do_describe(const cargs *c, kc_admin_t *a) {
    adm_strv names = {0};
    int rc = 0;
    if (c->name) {
        if (!c->has[O_ALL] && (rc = check_exists(c, a))) return rc;
        adm_strv_add(&names, c->name, -1);
    } else if (c->et->resource == KC_RESOURCE_GROUP) {
        rc = list_groups(c, a, &names);
        adm_strv_sort(&names);
    } else {
        rc = list_from_metadata(c, a, &names);
        if (c->et->resource == KC_RESOURCE_BROKER) adm_strv_add(&names, "", -1); /* the default */
    }
    kc_admin_result_t *r = NULL;
    if (!rc) rc = describe_entities(c, a, &names, &r);
    if (!rc) {
        if (c->has[O_JSON]) {
            printf("{\"entity_type\":\"%s\",\"entities\":[", c->et->name);
            for (int i = 0; i < names.n; i++) {
                if (i) putchar(',');
                print_json(c, r, i, names.v[i]);
            }
            printf("]}\n");
        } else {
            for (int i = 0; i < names.n; i++) print_text(c, r, i, names.v[i]);
        }
    }
    kc_admin_result_destroy(r);
    adm_strv_free(&names);
    return rc;
}

static int do_alter(const cargs *c, kc_admin_t *a) {
    /* Groups need not exist to take configs (as in Java). */
    int rc = c->et->resource == KC_RESOURCE_GROUP ? 0 : check_exists(c, a);
    if (rc) return rc;
    /* Keys to delete must be set (dynamically) now: "Invalid config(s)". */
    adm_strv one = {0};
    adm_strv_add(&one, c->name, -1);
    kc_admin_result_t *cur = NULL;
    if (c->deletes.n && !(rc = describe_entities(c, a, &one, &cur))) {
        int src = dynamic_source(c, c->name);
        char bad[1024] = "";
        size_t bl = 0;
        for (int d = 0; d < c->deletes.n; d++) {
            int set = 0;
            for (int j = 0; j < kc_admin_result_config_count(cur, 0); j++)
                set |= kc_admin_result_config_source(cur, 0, j) == src &&
                       strcmp(kc_admin_result_config_name(cur, 0, j), c->deletes.v[d]) == 0;
            if (!set && bl < sizeof bad)
                bl += (size_t)snprintf(bad + bl, sizeof bad - bl, "%s%s", bl ? "," : "",
                                       c->deletes.v[d]);
        }
        if (bl) {
            cli_err(c->prog, "Invalid config(s): %s", bad);
            rc = 1;
        }
    }
    kc_admin_result_destroy(cur);
    adm_strv_free(&one);
    if (rc) return rc;
    size_t n = (size_t)c->deletes.n + c->adds.n;
    int *ops = calloc(n + 1, sizeof *ops);
    const char **keys = calloc(n + 1, sizeof *keys), **vals = calloc(n + 1, sizeof *vals);
    kc_admin_result_t *r = NULL;
    if (!ops || !keys || !vals) {
        cli_err(c->prog, "out of memory");
        rc = 1;
        goto out;
    }
    size_t k = 0;
    for (int d = 0; d < c->deletes.n; d++, k++) {
        ops[k] = KC_CONFIG_DELETE;
        keys[k] = c->deletes.v[d];
    }
    for (size_t s = 0; s < c->adds.n; s++, k++) {
        ops[k] = KC_CONFIG_SET;
        keys[k] = c->adds.v[s].key;
        vals[k] = c->adds.v[s].value;
    }
    char errstr[512];
    kc_err_t err = kc_admin_incremental_alter_configs(a, c->et->resource, c->name, ops, keys, vals,
                                                      n, c->timeout_ms, &r, errstr, sizeof errstr);
    if (err) {
        cli_err(c->prog, "altering %s configs: %s", singular(c->et), errstr);
        rc = 1;
        goto out;
    }
    if (kc_admin_result_error(r, 0)) {
        cli_err(c->prog, "%s", kc_admin_result_errstr(r, 0));
        rc = 1;
        goto out;
    }
    if (c->has[O_JSON]) {
        printf("{\"entity_type\":\"%s\",\"entity_name\":", c->et->name);
        cli_json_str(stdout, c->name);
        printf(",\"set\":{");
        for (size_t s = 0; s < c->adds.n; s++) {
            if (s) putchar(',');
            cli_json_str(stdout, c->adds.v[s].key);
            putchar(':');
            cli_json_str(stdout, c->adds.v[s].value);
        }
        printf("},\"deleted\":[");
        for (int d = 0; d < c->deletes.n; d++) {
            if (d) putchar(',');
            cli_json_str(stdout, c->deletes.v[d]);
        }
        printf("]}\n");
    } else if (c->name[0]) {
        printf("Completed updating config for %s %s.\n", singular(c->et), c->name);
    } else {
        printf("Completed updating default config for %s in the cluster.\n", c->et->name);
    }
out:
    kc_admin_result_destroy(r);
    free(ops);
    free(keys);
    free(vals);
    return rc;
}

int kc_tool_configs(int argc, char **argv) {
    cargs c = {.prog = argv[0]};
    int rc = parse_args(&c, argc, argv);
    if (rc < 0) {
        kc_admin_t *a = adm_connect(c.prog, c.val[O_BOOTSTRAP], c.val[O_COMMAND_CONFIG],
                                    c.timeout_ms, NULL);
        if (!a) {
            rc = 1;
        } else {
            rc = c.has[O_ALTER] ? do_alter(&c, a) : do_describe(&c, a);
            kc_admin_destroy(a);
            if (fflush(stdout) || ferror(stdout)) {
                cli_err(c.prog, "writing the output failed");
                rc = 1;
            }
        }
    }
    adm_strv_free(&c.types);
    adm_strv_free(&c.names);
    adm_strv_free(&c.deletes);
    perf_props_free(&c.adds);
    return rc;
}
