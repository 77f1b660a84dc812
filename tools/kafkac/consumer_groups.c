/* kafkac consumer-groups: kafka-consumer-groups.sh (Kafka 4.1) on the kafkac
 * admin client.
 *
 *   --list [--state [S,...]]
 *   --describe (--group G... | --all-groups) [--offsets | --members | --state] [--verbose]
 *   --reset-offsets (--group G... | --all-groups) (--topic T[:P,...]... | --all-topics)
 *                   (--to-earliest | --to-latest | --to-offset N | --shift-by N |
 *                    --to-datetime D | --by-duration PnDTnHnMnS | --to-current | --from-file F)
 *                   [--dry-run | --execute] [--export]
 *   --delete (--group G... | --all-groups)
 *
 * Tables are printed with the Java tool's formats (ConsumerGroupCommand in
 * Kafka 4.1.2: same headers, column widths and blank lines); --json prints
 * one JSON document instead. Errors are one line on stderr and a non-zero
 * exit status (the Java tool prints most of them on stdout and exits 0).
 * Data comes from kc_admin_list_groups, kc_admin_describe_groups,
 * kc_admin_list_group_offsets, kc_admin_list_offsets,
 * kc_admin_alter_group_offsets, kc_admin_delete_groups and
 * kc_admin_describe_topics. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include <kafkac.h>

#include "cli.h"
#include "commands.h"

#define DEFAULT_TIMEOUT_MS 30000
#define REACH_TIMEOUT_MS 10000
#define MISSING "-"

/* ------------------------------------------------------------ options */

typedef struct opts {
    const char *bootstrap, *command_config;
    const char **groups, **topics;
    int ngroups, ntopics;
    int list, describe, del, reset, delete_offsets, validate_regex;
    int all_groups, all_topics, members, verbose, offsets, state, type;
    const char *state_val, *type_val;
    int dry_run, execute, export_csv, json, help, version;
    int to_earliest, to_latest, to_current;
    const char *to_offset, *shift_by, *to_datetime, *by_duration, *from_file, *timeout;
    const char *validate_regex_val;
} opts;

enum { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL, ARG_LIST };

/* One table row per flag: where it is stored. */
typedef struct flagdef {
    const char *name;
    int kind;
    size_t seen;  /* offset of the int "seen" field (or (size_t)-1) */
    size_t value; /* offset of the const char * value (or (size_t)-1) */
} flagdef;

#define NOFIELD ((size_t)-1)
#define SEEN(f) offsetof(opts, f)
#define VAL(f) offsetof(opts, f)

static const flagdef flags[] = {
    {"all-groups", ARG_NONE, SEEN(all_groups), NOFIELD},
    {"all-topics", ARG_NONE, SEEN(all_topics), NOFIELD},
    {"bootstrap-server", ARG_REQUIRED, NOFIELD, VAL(bootstrap)},
    {"by-duration", ARG_REQUIRED, NOFIELD, VAL(by_duration)},
    {"command-config", ARG_REQUIRED, NOFIELD, VAL(command_config)},
    {"delete", ARG_NONE, SEEN(del), NOFIELD},
    {"delete-offsets", ARG_NONE, SEEN(delete_offsets), NOFIELD},
    {"describe", ARG_NONE, SEEN(describe), NOFIELD},
    {"dry-run", ARG_NONE, SEEN(dry_run), NOFIELD},
    {"execute", ARG_NONE, SEEN(execute), NOFIELD},
    {"export", ARG_NONE, SEEN(export_csv), NOFIELD},
    {"from-file", ARG_REQUIRED, NOFIELD, VAL(from_file)},
    {"group", ARG_LIST, NOFIELD, NOFIELD},
    {"help", ARG_NONE, SEEN(help), NOFIELD},
    {"json", ARG_NONE, SEEN(json), NOFIELD},
    {"list", ARG_NONE, SEEN(list), NOFIELD},
    {"members", ARG_NONE, SEEN(members), NOFIELD},
    {"offsets", ARG_NONE, SEEN(offsets), NOFIELD},
    {"reset-offsets", ARG_NONE, SEEN(reset), NOFIELD},
    {"shift-by", ARG_REQUIRED, NOFIELD, VAL(shift_by)},
    {"state", ARG_OPTIONAL, SEEN(state), VAL(state_val)},
    {"timeout", ARG_REQUIRED, NOFIELD, VAL(timeout)},
    {"to-current", ARG_NONE, SEEN(to_current), NOFIELD},
    {"to-datetime", ARG_REQUIRED, NOFIELD, VAL(to_datetime)},
    {"to-earliest", ARG_NONE, SEEN(to_earliest), NOFIELD},
    {"to-latest", ARG_NONE, SEEN(to_latest), NOFIELD},
    {"to-offset", ARG_REQUIRED, NOFIELD, VAL(to_offset)},
    {"topic", ARG_LIST, NOFIELD, NOFIELD},
    {"type", ARG_OPTIONAL, SEEN(type), VAL(type_val)},
    {"validate-regex", ARG_REQUIRED, SEEN(validate_regex), VAL(validate_regex_val)},
    {"verbose", ARG_NONE, SEEN(verbose), NOFIELD},
    {"version", ARG_NONE, SEEN(version), NOFIELD},
};
#define NFLAGS (sizeof flags / sizeof flags[0])

static void usage(FILE *out, const char *prog) {
    fprintf(out,
            "usage: %s --bootstrap-server B [--command-config FILE] ACTION [OPTIONS]\n"
            "\n"
            "Lists, describes, deletes consumer groups and resets their offsets, with the\n"
            "flags and output of Kafka's kafka-consumer-groups.sh.\n"
            "\n"
            "Actions (exactly one):\n"
            "  --list                   list the consumer groups\n"
            "    --state [S,...]        with their state; only those in states S (Stable,\n"
            "                           Empty, PreparingRebalance, CompletingRebalance, Dead,\n"
            "                           Assigning, Reconciling; any case)\n"
            "  --describe               describe groups (--group G... or --all-groups):\n"
            "    --offsets              committed offsets, log-end offsets and lag per\n"
            "                           partition, with the member owning it (the default)\n"
            "    --members              the members and their partition counts\n"
            "    --state                coordinator, assignment strategy, state, member count\n"
            "    --verbose              more columns (leader epoch, assignments, epochs)\n"
            "  --reset-offsets          set the committed offsets of inactive groups\n"
            "                           (--group G... or --all-groups), for partitions\n"
            "                           --topic T[:P,P...]... or --all-topics (those with a\n"
            "                           committed offset), to one of:\n"
            "    --to-earliest          the log start offset\n"
            "    --to-latest            the log end offset\n"
            "    --to-offset N          N (kept within the log's start and end)\n"
            "    --shift-by N           the committed offset + N (N may be negative; kept\n"
            "                           within the log)\n"
            "    --to-datetime D        the first offset at or after D, YYYY-MM-DDTHH:mm:SS.sss\n"
            "                           with an optional zone (Z, +hh, +hhmm, +hh:mm; UTC by\n"
            "                           default); the log end when no record is that recent\n"
            "    --by-duration P        the first offset at or after now - P (PnDTnHnMnS)\n"
            "    --to-current           the committed offset (the log end when none)\n"
            "    --from-file F          the offsets of a CSV file (TOPIC,PARTITION,OFFSET or\n"
            "                           GROUP,TOPIC,PARTITION,OFFSET lines, as --export writes)\n"
            "    --dry-run              only print the new offsets (the default, with a warning)\n"
            "    --execute              commit the new offsets\n"
            "    --export               print the plan as CSV instead of a table\n"
            "  --delete                 delete groups (--group G... or --all-groups) and their\n"
            "                           committed offsets; groups must be inactive\n"
            "  --delete-offsets         not supported (the library has no OffsetDelete call)\n"
            "\n"
            "Other options:\n"
            "  --bootstrap-server B     the brokers, host:port[,host:port...]\n"
            "  --command-config FILE    client properties (Java .properties syntax)\n"
            "  --group G                a group; may be repeated\n"
            "  --all-groups             every consumer group\n"
            "  --topic T[:P,P...]       a topic, or some of its partitions; may be repeated\n"
            "  --all-topics             every partition the group has an offset for\n"
            "  --timeout MS             how long to wait for each request (default %d)\n"
            "  --json                   print one JSON document instead of tables (kafkac)\n"
            "  --version                print the kafkac version\n"
            "  --help                   this text\n"
            "\n"
            "Flags may be abbreviated to any unique prefix and written --flag=value.\n"
            "Exit status: 0 success, 1 failure (unreachable broker, unknown group, active\n"
            "group, broker error), 2 invalid flags.\n",
            prog, DEFAULT_TIMEOUT_MS);
}

static const flagdef *find_flag(const char *prog, const char *name, size_t len) {
    const flagdef *hit = NULL;
    int nhits = 0;
    for (size_t i = 0; i < NFLAGS; i++) {
        if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len)) return &flags[i];
        if (!strncmp(flags[i].name, name, len)) {
            hit = &flags[i];
            nhits++;
        }
    }
    if (nhits == 1) return hit;
    if (nhits > 1)
        cli_err(prog, "option '--%.*s' is ambiguous (see '%s --help')", (int)len, name, prog);
    else
        cli_err(prog, "%.*s is not a recognized option (see '%s --help')", (int)len, name, prog);
    return NULL;
}

static int add_str(const char ***arr, int *n, const char *s) {
    const char **a = realloc(*arr, sizeof(*a) * (size_t)(*n + 1));
    if (!a) return -1;
    a[(*n)++] = s;
    *arr = a;
    return 0;
}

/* Parses argv into o. 0, or 2 after a one-line error. */
static int parse_args(const char *prog, int argc, char **argv, opts *o) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h")) {
            o->help = 1;
            continue;
        }
        if (strncmp(a, "--", 2) || !a[2]) {
            cli_err(prog, "unexpected argument '%s' (see '%s --help')", a, prog);
            return 2;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const flagdef *f = find_flag(prog, name, len);
        if (!f) return 2;
        const char *val = NULL;
        if (f->kind == ARG_NONE) {
            if (eq) {
                cli_err(prog, "option --%s takes no value", f->name);
                return 2;
            }
        } else if (eq) {
            val = eq + 1;
        } else if (f->kind == ARG_OPTIONAL) {
            if (i + 1 < argc && argv[i + 1][0] != '-') val = argv[++i];
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            cli_err(prog, "option --%s requires an argument", f->name);
            return 2;
        }
        if (f->seen != NOFIELD) *(int *)((char *)o + f->seen) = 1;
        if (f->value != NOFIELD) *(const char **)((char *)o + f->value) = val;
        if (!strcmp(f->name, "group") && add_str(&o->groups, &o->ngroups, val)) return 2;
        if (!strcmp(f->name, "topic") && add_str(&o->topics, &o->ntopics, val)) return 2;
    }
    return 0;
}

/* Java's CommandLineUtils messages for flag combinations. 0 or 2. */
static int check_args(const char *prog, const opts *o) {
    int nactions =
        o->list + o->describe + o->del + o->reset + o->delete_offsets + o->validate_regex;
    if (nactions != 1) {
        cli_err(prog, "Command must include exactly one action: --list, --describe, --delete, "
                      "--reset-offsets, --delete-offsets, --validate-regex");
        return 2;
    }
    int has_group = o->ngroups > 0;
    if (has_group && o->all_groups) {
        cli_err(prog, "Option \"[group]\" can't be used with option \"[all-groups]\"");
        return 2;
    }
    if (has_group && (o->list || o->validate_regex)) {
        cli_err(prog, "Option \"[group]\" can't be used with option \"[%s]\"",
                o->list ? "list" : "validate-regex");
        return 2;
    }
    if (o->ntopics && (o->list || o->describe)) {
        cli_err(prog, "Option \"[topic]\" can't be used with option \"[%s]\"",
                o->list ? "list" : "describe");
        return 2;
    }
    if ((o->members || o->offsets || o->verbose) && !o->describe) {
        cli_err(prog, "Option [%s] can only be used with [describe]",
                o->members ? "members" : o->offsets ? "offsets" : "verbose");
        return 2;
    }
    if (o->state && !o->describe && !o->list) {
        cli_err(prog, "Option [state] can only be used with [describe] or [list]");
        return 2;
    }
    if (o->type && !o->list) {
        cli_err(prog, "Option [type] can only be used with [list]");
        return 2;
    }
    if (o->describe) {
        if (!has_group && !o->all_groups) {
            cli_err(prog, "Option [describe] takes one of these options: [all-groups], [group]");
            return 2;
        }
        if (o->members + o->offsets + o->state > 1) {
            cli_err(prog, "Option [describe] takes at most one of these options: [members], "
                          "[offsets], [state]");
            return 2;
        }
        if (o->state && o->state_val) {
            cli_err(prog, "Option [describe] does not take a value for [state]");
            return 2;
        }
    }
    if (o->del) {
        if (!has_group && !o->all_groups) {
            cli_err(prog, "Option [delete] takes one of these options: [all-groups], [group]");
            return 2;
        }
        if (o->ntopics) {
            cli_err(prog, "The consumer does not support topic-specific offset deletion from a "
                          "consumer group.");
            return 2;
        }
    }
    if (o->delete_offsets && (!has_group || !o->ntopics)) {
        cli_err(prog, "Option [delete-offsets] takes the following options: [group], [topic]");
        return 2;
    }
    if (o->reset) {
        if (o->dry_run && o->execute) {
            cli_err(prog, "Option [reset-offsets] only accepts one of [execute] and [dry-run]");
            return 2;
        }
        if (!has_group && !o->all_groups) {
            cli_err(prog,
                    "Option [reset-offsets] takes one of these options: [all-groups], [group]");
            return 2;
        }
        const char *scen[8];
        int n = 0;
        if (o->to_offset) scen[n++] = "to-offset";
        if (o->shift_by) scen[n++] = "shift-by";
        if (o->to_datetime) scen[n++] = "to-datetime";
        if (o->by_duration) scen[n++] = "by-duration";
        if (o->to_earliest) scen[n++] = "to-earliest";
        if (o->to_latest) scen[n++] = "to-latest";
        if (o->to_current) scen[n++] = "to-current";
        if (o->from_file) scen[n++] = "from-file";
        if (n > 1) {
            cli_err(prog, "Option \"[%s]\" can't be used with option \"[%s]\"", scen[0], scen[1]);
            return 2;
        }
        if (n == 0) {
            cli_err(prog, "Option '[reset-offsets]' requires one of the following scenarios: "
                          "[[to-offset], [to-current], [to-datetime], [from-file], [by-duration], "
                          "[to-earliest], [to-latest], [shift-by]]");
            return 2;
        }
        if (!o->from_file && !o->all_topics && !o->ntopics) {
            cli_err(prog, "One of the reset scopes should be defined: --all-topics, --topic.");
            return 2;
        }
    }
    if ((o->dry_run || o->execute || o->export_csv) && !o->reset) {
        cli_err(prog, "Option [%s] can only be used with [reset-offsets]",
                o->dry_run ? "dry-run" : o->execute ? "execute" : "export");
        return 2;
    }
    if (o->export_csv && o->json) {
        cli_err(prog, "Option [export] can't be used with option [json]");
        return 2;
    }
    return 0;
}

/* ------------------------------------------------------------ small helpers */

typedef struct ctx {
    const char *prog;
    const opts *o;
    kc_admin_t *a;
    int timeout_ms;
} ctx;

static int max_i(int a, int b) { return a > b ? a : b; }

static int slen(const char *s) { return (int)strlen(s ? s : MISSING); }

static const char *or_missing(const char *s) { return s && *s ? s : MISSING; }

/* Java's Errors.message() for the codes these commands show. */
static const char *java_msg(kc_err_t e) {
    switch (e) {
    case KC_ERR_NON_EMPTY_GROUP: return "The group is not empty.";
    case KC_ERR_GROUP_ID_NOT_FOUND: return "The group id does not exist.";
    case KC_ERR_INVALID_GROUP_ID: return "The configured groupId is invalid.";
    case KC_ERR_GROUP_AUTHORIZATION_FAILED: return "Group authorization failed.";
    case KC_ERR_UNKNOWN_TOPIC_OR_PARTITION:
        return "This server does not host this topic-partition.";
    case KC_ERR_COORDINATOR_NOT_AVAILABLE: return "The coordinator is not available.";
    default: return kc_err_desc(e);
    }
}

/* Java's String.hashCode() of a UTF-8 string (as UTF-16 code units). */
static int32_t java_hash(const char *s) {
    uint32_t h = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int n;
        if (*p < 0x80) cp = *p, n = 0;
        else if ((*p & 0xe0) == 0xc0) cp = *p & 0x1f, n = 1;
        else if ((*p & 0xf0) == 0xe0) cp = *p & 0x0f, n = 2;
        else cp = *p & 0x07, n = 3;
        p++;
        while (n-- > 0 && (*p & 0xc0) == 0x80) cp = (cp << 6) | (*p++ & 0x3f);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = h * 31 + (0xd800 + (cp >> 10));
            h = h * 31 + (0xdc00 + (cp & 0x3ff));
        } else {
            h = h * 31 + cp;
        }
    }
    return (int32_t)h;
}

/* The group's coordinator as Java prints it, "host:port  (id)": the
 * leader of __consumer_offsets partition abs(hash(group)) % partitions (the
 * library does not expose FindCoordinator's answer). "-" when unknown. */
static void coordinator_of(ctx *c, const char *group, char *buf, size_t size, int32_t *idp,
                           char *host, size_t hsize, int *portp) {
    snprintf(buf, size, "%s", MISSING);
    *idp = -1;
    if (host) host[0] = 0;
    *portp = -1;
    const char *t = "__consumer_offsets";
    kc_metadata_t *md = NULL;
    char errstr[512];
    if (kc_admin_describe_topics(c->a, &t, 1, c->timeout_ms, &md, errstr, sizeof errstr)) return;
    int np = kc_metadata_topic_count(md) == 1 ? kc_metadata_partition_count(md, 0) : 0;
    if (np > 0 && !kc_metadata_topic_error(md, 0)) {
        int32_t h = java_hash(group);
        int32_t want = (h == INT32_MIN ? 0 : h < 0 ? -h : h) % np;
        for (int p = 0; p < np; p++) {
            if (kc_metadata_partition_id(md, 0, p) != want) continue;
            int32_t leader = kc_metadata_partition_leader(md, 0, p);
            for (int b = 0; leader >= 0 && b < kc_metadata_broker_count(md); b++) {
                if (kc_metadata_broker_id(md, b) != leader) continue;
                snprintf(buf, size, "%s:%d  (%d)", kc_metadata_broker_host(md, b),
                         kc_metadata_broker_port(md, b), leader);
                *idp = leader;
                if (host) snprintf(host, hsize, "%s", kc_metadata_broker_host(md, b));
                *portp = kc_metadata_broker_port(md, b);
            }
        }
    }
    kc_metadata_destroy(md);
}

/* Consumer groups of the cluster (protocol type "consumer" or "", as
 * ListGroupsOptions.forConsumerGroups()), in the brokers' order. */
static kc_admin_result_t *list_consumer_groups(ctx *c) {
    kc_admin_result_t *r = NULL;
    char errstr[512];
    if (kc_admin_list_groups(c->a, c->timeout_ms, &r, errstr, sizeof errstr)) {
        cli_err(c->prog, "list groups: %s", errstr);
        return NULL;
    }
    return r;
}

static int is_consumer_group(const kc_admin_result_t *r, int i) {
    const char *pt = kc_admin_result_group_protocol_type(r, i);
    return !pt || !*pt || !strcmp(pt, "consumer");
}

/* The groups to act on: --group values, or every consumer group. */
static int target_groups(ctx *c, const char ***groupsp, int *np, kc_admin_result_t **holdp) {
    *holdp = NULL;
    if (!c->o->all_groups) {
        *groupsp = malloc(sizeof(char *) * (size_t)(c->o->ngroups + 1));
        if (!*groupsp) return -1;
        int n = 0;
        for (int i = 0; i < c->o->ngroups; i++) {
            int dup = 0;
            for (int j = 0; j < n; j++) dup |= !strcmp((*groupsp)[j], c->o->groups[i]);
            if (!dup) (*groupsp)[n++] = c->o->groups[i];
        }
        *np = n;
        return 0;
    }
    kc_admin_result_t *r = list_consumer_groups(c);
    if (!r) return -1;
    int n = kc_admin_result_count(r);
    *groupsp = malloc(sizeof(char *) * (size_t)(n + 1));
    if (!*groupsp) {
        kc_admin_result_destroy(r);
        return -1;
    }
    *np = 0;
    for (int i = 0; i < n; i++)
        if (is_consumer_group(r, i)) (*groupsp)[(*np)++] = kc_admin_result_name(r, i);
    *holdp = r;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ------------------------------------------------------------ --list */

static const char *const consumer_states[] = {"Dead",        "CompletingRebalance", "Assigning",
                                              "Reconciling", "PreparingRebalance",  "Empty",
                                              "Stable"};
#define NSTATES (sizeof consumer_states / sizeof consumer_states[0])

/* Parses "stable,empty" into wanted[] flags. 0, or 2 after an error. */
static int parse_states(const char *prog, const char *in, int *wanted) {
    char *copy = strdup(in), *save = NULL;
    if (!copy) return 2;
    int bad = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*tok)) tok++;
        char *end = tok + strlen(tok);
        while (end > tok && isspace((unsigned char)end[-1])) *--end = 0;
        size_t k = 0;
        while (k < NSTATES && strcasecmp(consumer_states[k], tok)) k++;
        if (k == NSTATES) bad = 1;
        else wanted[k] = 1;
    }
    free(copy);
    if (bad) {
        cli_err(prog,
                "Invalid state list '%s'. Valid states are: Dead, CompletingRebalance, Assigning, "
                "Reconciling, PreparingRebalance, Empty, Stable",
                in);
        return 2;
    }
    return 0;
}

static int do_list(ctx *c) {
    const opts *o = c->o;
    int wanted[NSTATES] = {0}, filter = 0;
    if (o->state && o->state_val && *o->state_val) {
        if (parse_states(c->prog, o->state_val, wanted)) return 2;
        filter = 1;
    }
    kc_admin_result_t *r = list_consumer_groups(c);
    if (!r) return 1;
    int n = kc_admin_result_count(r);
    int *keep = calloc((size_t)n + 1, sizeof(*keep));
    if (!keep) {
        kc_admin_result_destroy(r);
        return 1;
    }
    int maxlen = 15;
    for (int i = 0; i < n; i++) {
        if (!is_consumer_group(r, i)) continue;
        if (filter) {
            const char *st = kc_admin_result_group_state(r, i);
            size_t k = 0;
            while (k < NSTATES && strcasecmp(consumer_states[k], st)) k++;
            if (k == NSTATES || !wanted[k]) continue;
        }
        keep[i] = 1;
        maxlen = max_i(maxlen, slen(kc_admin_result_name(r, i)));
    }
    if (o->json) {
        printf("{\"groups\":[");
        int first = 1;
        for (int i = 0; i < n; i++) {
            if (!keep[i]) continue;
            printf("%s{\"group\":", first ? "" : ",");
            cli_json_str(stdout, kc_admin_result_name(r, i));
            printf(",\"state\":");
            const char *st = kc_admin_result_group_state(r, i);
            cli_json_str(stdout, st && *st ? st : NULL);
            printf(",\"protocol_type\":");
            cli_json_str(stdout, kc_admin_result_group_protocol_type(r, i));
            printf("}");
            first = 0;
        }
        printf("]}\n");
    } else if (o->state) {
        /* printGroupInfo: "%-{max(15,len)+10}s %-20s" */
        int w = maxlen + 10;
        printf("%-*s %-20s\n", w, "GROUP", "STATE");
        for (int i = 0; i < n; i++)
            if (keep[i]) {
                const char *st = kc_admin_result_group_state(r, i);
                printf("%-*s %-20s\n", w, kc_admin_result_name(r, i), st && *st ? st : "Unknown");
            }
    } else {
        for (int i = 0; i < n; i++)
            if (keep[i]) printf("%s\n", kc_admin_result_name(r, i));
    }
    free(keep);
    kc_admin_result_destroy(r);
    return 0;
}

/* ------------------------------------------------------------ --describe */

static kc_metadata_t *topics_md(ctx *c, const kc_tplist_t *l, const char *const *names, int n);
static int md_partition(const kc_metadata_t *md, const char *topic, int32_t partition);

typedef struct row {
    const char *topic;
    int32_t partition;
    int has_cur, has_end;
    int64_t cur, end;
    int32_t epoch;
    const char *cid, *host, *client; /* NULL: "-" */
    int rank;                        /* member order; unassigned rows last */
} row;

static int cmp_row(const void *a, const void *b) {
    const row *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    int d = strcmp(x->topic, y->topic);
    return d ? d : (x->partition > y->partition) - (x->partition < y->partition);
}

typedef struct member_ord {
    int j, n;
} member_ord;

static int cmp_member(const void *a, const void *b) {
    const member_ord *x = a, *y = b;
    if (x->n != y->n) return x->n > y->n ? -1 : 1; /* most partitions first */
    return (x->j > y->j) - (x->j < y->j);
}

/* The state ListGroups reports for `group` (a group DescribeGroups does
 * not know may still be a consumer group of the new protocol, KIP-848,
 * which answers only ConsumerGroupDescribe). 1 when listed, else 0. */
static int listed_state(ctx *c, const char *group, char *state, size_t size) {
    kc_admin_result_t *r = NULL;
    char errstr[512];
    int found = 0;
    if (kc_admin_list_groups(c->a, c->timeout_ms, &r, errstr, sizeof errstr)) return 0;
    for (int i = 0; !found && i < kc_admin_result_count(r); i++)
        if (!strcmp(kc_admin_result_name(r, i), group)) {
            snprintf(state, size, "%s", kc_admin_result_group_state(r, i));
            found = 1;
        }
    kc_admin_result_destroy(r);
    return found;
}

/* Describes one group: *dr holds the description (item 0). Prints the
 * Java tool's "does not exist" error and returns 1 for an unknown group. */
static int describe_one(ctx *c, const char *group, kc_admin_result_t **dr) {
    char errstr[512];
    *dr = NULL;
    kc_err_t err = kc_admin_describe_groups(c->a, &group, 1, c->timeout_ms, dr, errstr,
                                            sizeof errstr);
    if (err) {
        cli_err(c->prog, "describe group '%s': %s", group, errstr);
        return 1;
    }
    kc_err_t ierr = kc_admin_result_error(*dr, 0);
    const char *st = kc_admin_result_group_state(*dr, 0);
    char lst[64];
    if (ierr == KC_ERR_GROUP_ID_NOT_FOUND && listed_state(c, group, lst, sizeof lst)) {
        cli_err(c->prog,
                "Consumer group '%s' (%s) uses the consumer protocol of KIP-848, which the kafkac "
                "library cannot describe yet (%s)",
                group, lst, kc_admin_result_errstr(*dr, 0));
        kc_admin_result_destroy(*dr);
        *dr = NULL;
        return 1;
    }
    if (ierr == KC_ERR_GROUP_ID_NOT_FOUND || (!ierr && !strcmp(st, "Dead"))) {
        cli_err(c->prog, "Consumer group '%s' does not exist.", group);
        kc_admin_result_destroy(*dr);
        *dr = NULL;
        return 1;
    }
    if (ierr) {
        cli_err(c->prog, "describe group '%s': %s", group, kc_admin_result_errstr(*dr, 0));
        kc_admin_result_destroy(*dr);
        *dr = NULL;
        return 1;
    }
    return 0;
}

/* shouldPrintMemberState's notices (stderr, with the Java tool's blank line). */
static void state_notice(const char *group, const char *st) {
    if (!strcmp(st, "Empty"))
        fprintf(stderr, "\nConsumer group '%s' has no active members.\n", group);
    else if (!strcmp(st, "PreparingRebalance") || !strcmp(st, "CompletingRebalance") ||
             !strcmp(st, "Assigning") || !strcmp(st, "Reconciling"))
        fprintf(stderr, "\nWarning: Consumer group '%s' is rebalancing.\n", group);
}

static void json_ll_or_null(int has, long long v) {
    if (has) printf("%lld", v);
    else printf("null");
}

/* Offsets view of one group (rows, log-end offsets). */
static int describe_offsets(ctx *c, const char *group, int *first_json) {
    kc_admin_result_t *dr, *or = NULL, *lr = NULL;
    if (describe_one(c, group, &dr)) return 1;
    char errstr[512];
    const char *st = kc_admin_result_group_state(dr, 0);
    if (kc_admin_list_group_offsets(c->a, group, NULL, c->timeout_ms, &or, errstr,
                                    sizeof errstr)) {
        cli_err(c->prog, "committed offsets of group '%s': %s", group, errstr);
        kc_admin_result_destroy(dr);
        return 1;
    }
    if (kc_admin_result_error(or, 0)) {
        cli_err(c->prog, "committed offsets of group '%s': %s", group,
                kc_admin_result_errstr(or, 0));
        kc_admin_result_destroy(dr);
        kc_admin_result_destroy(or);
        return 1;
    }
    const kc_tplist_t *committed = kc_admin_result_partitions(or, 0);
    int nm = kc_admin_result_member_count(dr, 0);
    int ncommitted = committed ? kc_tplist_count(committed) : 0;
    int cap = ncommitted + 1;
    for (int j = 0; j < nm; j++) {
        const kc_tplist_t *as = kc_admin_result_member_assignment(dr, 0, j);
        cap += as ? kc_tplist_count(as) : 0;
    }
    row *rows = calloc((size_t)cap, sizeof(*rows));
    member_ord *ord = calloc((size_t)nm + 1, sizeof(*ord));
    kc_tplist_t *assigned = kc_tplist_new(cap), *q = kc_tplist_new(cap);
    int nrows = 0, rc = 0;
    if (!rows || !ord || !assigned || !q) {
        cli_err(c->prog, "out of memory");
        rc = 1;
        goto out;
    }
    for (int j = 0; j < nm; j++) {
        const kc_tplist_t *as = kc_admin_result_member_assignment(dr, 0, j);
        ord[j].j = j;
        ord[j].n = as ? kc_tplist_count(as) : 0;
    }
    qsort(ord, (size_t)nm, sizeof(*ord), cmp_member);
    for (int k = 0; k < nm; k++) {
        int j = ord[k].j;
        const kc_tplist_t *as = kc_admin_result_member_assignment(dr, 0, j);
        for (int i = 0; i < ord[k].n; i++) {
            row *w = &rows[nrows++];
            w->topic = kc_tplist_topic(as, i);
            w->partition = kc_tplist_partition(as, i);
            w->cid = kc_admin_result_member_id(dr, 0, j);
            w->host = kc_admin_result_member_host(dr, 0, j);
            w->client = kc_admin_result_member_client_id(dr, 0, j);
            w->rank = k;
            kc_tplist_add(assigned, w->topic, w->partition);
        }
    }
    for (int i = 0; i < ncommitted; i++) {
        const char *t = kc_tplist_topic(committed, i);
        int32_t p = kc_tplist_partition(committed, i);
        if (kc_tplist_find(assigned, t, p) >= 0) continue;
        row *w = &rows[nrows++];
        w->topic = t;
        w->partition = p;
        w->rank = nm;
    }
    for (int i = 0; i < nrows; i++) {
        row *w = &rows[i];
        int k = committed ? kc_tplist_find(committed, w->topic, w->partition) : -1;
        w->epoch = -1;
        if (k >= 0 && kc_tplist_offset(committed, k) >= 0) {
            w->has_cur = 1;
            w->cur = kc_tplist_offset(committed, k);
            w->epoch = kc_tplist_leader_epoch(committed, k);
        }
        if (kc_tplist_find(q, w->topic, w->partition) < 0) kc_tplist_add(q, w->topic, w->partition);
    }
    /* Log-end offsets of the partitions that exist and have a leader (the
     * others show "-", as in filterNoneLeaderPartitions). */
    kc_metadata_t *md = kc_tplist_count(q) ? topics_md(c, q, NULL, 0) : NULL;
    kc_tplist_t *qv = kc_tplist_new(cap);
    for (int i = 0; md && qv && i < kc_tplist_count(q); i++)
        if (md_partition(md, kc_tplist_topic(q, i), kc_tplist_partition(q, i)) == 0) {
            int e = kc_tplist_add(qv, kc_tplist_topic(q, i), kc_tplist_partition(q, i));
            kc_tplist_set_offset(qv, e, KC_OFFSET_END);
        }
    kc_metadata_destroy(md);
    kc_tplist_destroy(q);
    q = qv;
    if (q && kc_tplist_count(q) > 0) {
        if (kc_admin_list_offsets(c->a, q, c->timeout_ms, &lr, errstr, sizeof errstr)) {
            cli_err(c->prog, "log end offsets: %s", errstr);
            rc = 1;
            goto out;
        }
        const kc_tplist_t *ends = kc_admin_result_partitions(lr, 0);
        for (int i = 0; ends && i < nrows; i++) {
            int k = kc_tplist_find(ends, rows[i].topic, rows[i].partition);
            if (k >= 0 && !kc_tplist_error(ends, k) && kc_tplist_offset(ends, k) >= 0) {
                rows[i].has_end = 1;
                rows[i].end = kc_tplist_offset(ends, k);
            }
        }
    }
    qsort(rows, (size_t)nrows, sizeof(*rows), cmp_row);

    if (c->o->json) {
        printf("%s{\"group\":", *first_json ? "" : ",");
        *first_json = 0;
        cli_json_str(stdout, group);
        printf(",\"state\":");
        cli_json_str(stdout, st);
        printf(",\"partitions\":[");
        for (int i = 0; i < nrows; i++) {
            const row *w = &rows[i];
            printf("%s{\"topic\":", i ? "," : "");
            cli_json_str(stdout, w->topic);
            printf(",\"partition\":%d,\"current_offset\":", (int)w->partition);
            json_ll_or_null(w->has_cur, (long long)w->cur);
            printf(",\"log_end_offset\":");
            json_ll_or_null(w->has_end, (long long)w->end);
            printf(",\"lag\":");
            json_ll_or_null(w->has_cur && w->has_end, (long long)(w->end - w->cur));
            printf(",\"leader_epoch\":");
            json_ll_or_null(w->has_cur && w->epoch >= 0, (long long)w->epoch);
            printf(",\"consumer_id\":");
            cli_json_str(stdout, w->cid);
            printf(",\"host\":");
            cli_json_str(stdout, w->host);
            printf(",\"client_id\":");
            cli_json_str(stdout, w->client);
            printf("}");
        }
        printf("]}");
        goto out;
    }
    state_notice(group, st);
    if (nrows == 0) goto out;
    int wg = max_i(15, slen(group)), wt = 15, wc = 15, wh = 15;
    for (int i = 0; i < nrows; i++) {
        wt = max_i(wt, slen(rows[i].topic));
        wc = max_i(wc, slen(rows[i].cid));
        wh = max_i(wh, slen(rows[i].host));
    }
    if (c->o->verbose)
        printf("\n%-*s %-*s %-10s %-15s %-15s %-15s %-15s %-*s %-*s %s", wg, "GROUP", wt, "TOPIC",
               "PARTITION", "LEADER-EPOCH", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", wc,
               "CONSUMER-ID", wh, "HOST", "CLIENT-ID");
    else
        printf("\n%-*s %-*s %-10s %-15s %-15s %-15s %-*s %-*s %s", wg, "GROUP", wt, "TOPIC",
               "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", wc, "CONSUMER-ID", wh,
               "HOST", "CLIENT-ID");
    for (int i = 0; i < nrows; i++) {
        const row *w = &rows[i];
        char part[16], ep[24], cur[24], end[24], lag[24];
        snprintf(part, sizeof part, "%d", (int)w->partition);
        snprintf(ep, sizeof ep, "%d", (int)w->epoch);
        snprintf(cur, sizeof cur, "%lld", (long long)w->cur);
        snprintf(end, sizeof end, "%lld", (long long)w->end);
        snprintf(lag, sizeof lag, "%lld", (long long)(w->end - w->cur));
        const char *s_ep = w->has_cur && w->epoch >= 0 ? ep : MISSING;
        const char *s_cur = w->has_cur ? cur : MISSING;
        const char *s_end = w->has_end ? end : MISSING;
        const char *s_lag = w->has_cur && w->has_end ? lag : MISSING;
        if (c->o->verbose)
            printf("\n%-*s %-*s %-10s %-15s %-15s %-15s %-15s %-*s %-*s %s", wg, group, wt,
                   w->topic, part, s_ep, s_cur, s_end, s_lag, wc, or_missing(w->cid), wh,
                   or_missing(w->host), or_missing(w->client));
        else
            printf("\n%-*s %-*s %-10s %-15s %-15s %-15s %-*s %-*s %s", wg, group, wt, w->topic,
                   part, s_cur, s_end, s_lag, wc, or_missing(w->cid), wh, or_missing(w->host),
                   or_missing(w->client));
    }
    printf("\n");
out:
    free(rows);
    free(ord);
    kc_tplist_destroy(assigned);
    kc_tplist_destroy(q);
    kc_admin_result_destroy(lr);
    kc_admin_result_destroy(or);
    kc_admin_result_destroy(dr);
    return rc;
}

typedef struct tpref {
    const char *topic;
    int32_t partition;
} tpref;

static int cmp_tpref(const void *a, const void *b) {
    const tpref *x = a, *y = b;
    int d = strcmp(x->topic, y->topic);
    return d ? d : (x->partition > y->partition) - (x->partition < y->partition);
}

/* "t1:0,1,2;t2:0": topics sorted, partitions sorted ("-" when empty). */
static char *assignment_string(const kc_tplist_t *as) {
    int n = as ? kc_tplist_count(as) : 0;
    if (n == 0) return strdup(MISSING);
    tpref *v = calloc((size_t)n, sizeof(*v));
    size_t cap = 1;
    for (int i = 0; v && i < n; i++) {
        v[i].topic = kc_tplist_topic(as, i);
        v[i].partition = kc_tplist_partition(as, i);
        cap += strlen(v[i].topic) + 14;
    }
    char *s = v ? malloc(cap) : NULL;
    if (!s) {
        free(v);
        return NULL;
    }
    qsort(v, (size_t)n, sizeof(*v), cmp_tpref);
    size_t len = 0;
    s[0] = 0;
    for (int i = 0; i < n; i++) {
        int same = i > 0 && !strcmp(v[i - 1].topic, v[i].topic);
        len += (size_t)snprintf(s + len, cap - len, "%s%s%s%d", same ? "," : i ? ";" : "",
                                same ? "" : v[i].topic, same ? "" : ":", (int)v[i].partition);
    }
    free(v);
    return s;
}

static int describe_members(ctx *c, const char *group, int *first_json) {
    kc_admin_result_t *dr;
    if (describe_one(c, group, &dr)) return 1;
    const char *st = kc_admin_result_group_state(dr, 0);
    int nm = kc_admin_result_member_count(dr, 0);
    char **asg = calloc((size_t)nm + 1, sizeof(*asg));
    if (!asg) {
        kc_admin_result_destroy(dr);
        return 1;
    }
    for (int j = 0; j < nm; j++)
        asg[j] = assignment_string(kc_admin_result_member_assignment(dr, 0, j));
    if (c->o->json) {
        printf("%s{\"group\":", *first_json ? "" : ",");
        *first_json = 0;
        cli_json_str(stdout, group);
        printf(",\"state\":");
        cli_json_str(stdout, st);
        printf(",\"members\":[");
        for (int j = 0; j < nm; j++) {
            const kc_tplist_t *as = kc_admin_result_member_assignment(dr, 0, j);
            printf("%s{\"consumer_id\":", j ? "," : "");
            cli_json_str(stdout, kc_admin_result_member_id(dr, 0, j));
            printf(",\"group_instance_id\":");
            cli_json_str(stdout, kc_admin_result_member_instance_id(dr, 0, j));
            printf(",\"host\":");
            cli_json_str(stdout, kc_admin_result_member_host(dr, 0, j));
            printf(",\"client_id\":");
            cli_json_str(stdout, kc_admin_result_member_client_id(dr, 0, j));
            printf(",\"partitions\":[");
            for (int i = 0; as && i < kc_tplist_count(as); i++) {
                printf("%s{\"topic\":", i ? "," : "");
                cli_json_str(stdout, kc_tplist_topic(as, i));
                printf(",\"partition\":%d}", (int)kc_tplist_partition(as, i));
            }
            printf("]}");
        }
        printf("]}");
    } else {
        state_notice(group, st);
        int wg = 15, wc = 15, wi = 17, wh = 15, wl = 15, wa = 20, wt = 20, with_inst = 0;
        if (nm > 0) {
            wg = max_i(wg, slen(group));
            for (int j = 0; j < nm; j++) {
                const char *inst = kc_admin_result_member_instance_id(dr, 0, j);
                wc = max_i(wc, slen(kc_admin_result_member_id(dr, 0, j)));
                wi = max_i(wi, inst ? slen(inst) : 0);
                wh = max_i(wh, slen(kc_admin_result_member_host(dr, 0, j)));
                wl = max_i(wl, slen(kc_admin_result_member_client_id(dr, 0, j)));
                with_inst |= inst && *inst;
                wa = max_i(wa, slen(asg[j]));
            }
        }
        if (with_inst)
            printf("\n%-*s %-*s %-*s %-*s %-*s %-15s ", wg, "GROUP", wc, "CONSUMER-ID", wi,
                   "GROUP-INSTANCE-ID", wh, "HOST", wl, "CLIENT-ID", "#PARTITIONS");
        else
            printf("\n%-*s %-*s %-*s %-*s %-15s ", wg, "GROUP", wc, "CONSUMER-ID", wh, "HOST", wl,
                   "CLIENT-ID", "#PARTITIONS");
        if (c->o->verbose)
            printf("%-15s %-*s %-15s %-*s", "CURRENT-EPOCH", wa, "CURRENT-ASSIGNMENT",
                   "TARGET-EPOCH", wt, "TARGET-ASSIGNMENT");
        printf("\n");
        for (int j = 0; j < nm; j++) {
            const kc_tplist_t *as = kc_admin_result_member_assignment(dr, 0, j);
            char np[16];
            snprintf(np, sizeof np, "%d", as ? kc_tplist_count(as) : 0);
            const char *inst = kc_admin_result_member_instance_id(dr, 0, j);
            if (with_inst)
                printf("%-*s %-*s %-*s %-*s %-*s %-15s ", wg, group, wc,
                       kc_admin_result_member_id(dr, 0, j), wi, inst ? inst : "", wh,
                       kc_admin_result_member_host(dr, 0, j), wl,
                       kc_admin_result_member_client_id(dr, 0, j), np);
            else
                printf("%-*s %-*s %-*s %-*s %-15s ", wg, group, wc,
                       kc_admin_result_member_id(dr, 0, j), wh,
                       kc_admin_result_member_host(dr, 0, j), wl,
                       kc_admin_result_member_client_id(dr, 0, j), np);
            if (c->o->verbose)
                printf("%-15s %-*s %-15s %-*s", MISSING, wa, asg[j] ? asg[j] : MISSING, MISSING,
                       wt, MISSING);
            printf("\n");
        }
    }
    for (int j = 0; j < nm; j++) free(asg[j]);
    free(asg);
    kc_admin_result_destroy(dr);
    return 0;
}

static int describe_state(ctx *c, const char *group, int *first_json) {
    kc_admin_result_t *dr;
    if (describe_one(c, group, &dr)) return 1;
    const char *st = kc_admin_result_group_state(dr, 0);
    const char *proto = kc_admin_result_group_protocol(dr, 0);
    int nm = kc_admin_result_member_count(dr, 0);
    char coord[600], host[512];
    int32_t cid;
    int port;
    coordinator_of(c, group, coord, sizeof coord, &cid, host, sizeof host, &port);
    if (c->o->json) {
        printf("%s{\"group\":", *first_json ? "" : ",");
        *first_json = 0;
        cli_json_str(stdout, group);
        printf(",\"coordinator\":");
        if (cid >= 0) {
            printf("{\"id\":%d,\"host\":", (int)cid);
            cli_json_str(stdout, host);
            printf(",\"port\":%d}", port);
        } else {
            printf("null");
        }
        printf(",\"assignment_strategy\":");
        cli_json_str(stdout, proto && *proto ? proto : NULL);
        printf(",\"state\":");
        cli_json_str(stdout, st);
        printf(",\"members\":%d}", nm);
    } else {
        state_notice(group, st);
        int wg = max_i(15, slen(group)), wc = max_i(25, slen(coord));
        if (c->o->verbose) {
            printf("\n%-*s %-*s %-20s %-20s %-15s %-25s %s", wg, "GROUP", wc, "COORDINATOR (ID)",
                   "ASSIGNMENT-STRATEGY", "STATE", "GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH",
                   "#MEMBERS");
            printf("\n%-*s %-*s %-20s %-20s %-15s %-25s %d", wg, group, wc, coord,
                   or_missing(proto), st, MISSING, MISSING, nm);
        } else {
            printf("\n%-*s %-*s %-20s %-20s %s", wg, "GROUP", wc, "COORDINATOR (ID)",
                   "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS");
            printf("\n%-*s %-*s %-20s %-20s %d", wg, group, wc, coord, or_missing(proto), st, nm);
        }
        printf("\n");
    }
    kc_admin_result_destroy(dr);
    return 0;
}

static int do_describe(ctx *c) {
    const char **groups = NULL;
    int n = 0, rc = 0, first = 1;
    kc_admin_result_t *hold;
    if (target_groups(c, &groups, &n, &hold)) return 1;
    qsort(groups, (size_t)n, sizeof(*groups), cmp_str); /* Java: a TreeMap by group */
    if (c->o->json) printf("{\"groups\":[");
    for (int i = 0; i < n; i++) {
        int r = c->o->members ? describe_members(c, groups[i], &first)
                : c->o->state ? describe_state(c, groups[i], &first)
                              : describe_offsets(c, groups[i], &first);
        if (r) rc = 1;
        fflush(stdout);
    }
    if (c->o->json) printf("]}\n");
    free(groups);
    kc_admin_result_destroy(hold);
    return rc;
}

/* ------------------------------------------------------------ --reset-offsets */

typedef struct plan {
    const char *group;
    kc_tplist_t *offsets; /* the new offsets */
} plan;

/* Adds (topic, partition) unless present. */
static int add_tp(kc_tplist_t *l, const char *topic, int32_t partition) {
    if (kc_tplist_find(l, topic, partition) >= 0) return 0;
    return kc_tplist_add(l, topic, partition) < 0 ? -1 : 0;
}

/* Metadata of the topics of l (and of names[0..n)), NULL after an error. */
static kc_metadata_t *topics_md(ctx *c, const kc_tplist_t *l, const char *const *names, int n) {
    int cnt = l ? kc_tplist_count(l) : 0, k = 0;
    const char **all = calloc((size_t)(cnt + n) + 1, sizeof(*all));
    kc_metadata_t *md = NULL;
    char errstr[512];
    if (!all) return NULL;
    for (int i = 0; i < n; i++) all[k++] = names[i];
    for (int i = 0; i < cnt; i++) {
        int dup = 0;
        for (int j = 0; j < k && !dup; j++) dup = !strcmp(all[j], kc_tplist_topic(l, i));
        if (!dup) all[k++] = kc_tplist_topic(l, i);
    }
    if (k > 0 &&
        kc_admin_describe_topics(c->a, all, (size_t)k, c->timeout_ms, &md, errstr, sizeof errstr)) {
        cli_err(c->prog, "describe topics: %s", errstr);
        md = NULL;
    }
    free(all);
    return md;
}

/* Index of topic in md, or -1 when unknown (or in error). */
static int md_topic(const kc_metadata_t *md, const char *topic) {
    for (int t = 0; md && t < kc_metadata_topic_count(md); t++)
        if (!strcmp(kc_metadata_topic_name(md, t), topic))
            return kc_metadata_topic_error(md, t) ? -1 : t;
    return -1;
}

/* 0: the partition exists and has a leader; 1: no such topic or
 * partition; 2: no leader. */
static int md_partition(const kc_metadata_t *md, const char *topic, int32_t partition) {
    int t = md_topic(md, topic);
    for (int p = 0; t >= 0 && p < kc_metadata_partition_count(md, t); p++)
        if (kc_metadata_partition_id(md, t, p) == partition)
            return kc_metadata_partition_leader(md, t, p) >= 0 ? 0 : 2;
    return 1;
}

/* checkAllTopicPartitionsValid: every partition of l exists and has a
 * leader (else a one-line error naming them). 0 or -1. */
static int validate_parts(ctx *c, const kc_tplist_t *l) {
    if (kc_tplist_count(l) == 0) return 0;
    kc_metadata_t *md = topics_md(c, l, NULL, 0);
    if (!md) return -1;
    char missing[1024] = "", noleader[1024] = "";
    for (int i = 0; i < kc_tplist_count(l); i++) {
        int st = md_partition(md, kc_tplist_topic(l, i), kc_tplist_partition(l, i));
        char *dst = st == 1 ? missing : st == 2 ? noleader : NULL;
        size_t len = dst ? strlen(dst) : 0;
        if (dst && len < 1000)
            snprintf(dst + len, 1024 - len, "%s%s-%d", len ? "," : "", kc_tplist_topic(l, i),
                     (int)kc_tplist_partition(l, i));
    }
    kc_metadata_destroy(md);
    if (missing[0]) cli_err(c->prog, "The partitions \"%s\" do not exist", missing);
    else if (noleader[0]) cli_err(c->prog, "The partitions \"%s\" have no leader", noleader);
    return missing[0] || noleader[0] ? -1 : 0;
}

/* Partitions named by --topic (T: all its partitions, or T:P,P...). */
static kc_tplist_t *topic_partitions(ctx *c) {
    kc_tplist_t *l = kc_tplist_new(16);
    const char **names = calloc((size_t)c->o->ntopics + 1, sizeof(*names));
    int nnames = 0;
    if (!l || !names) goto fail;
    for (int i = 0; i < c->o->ntopics; i++) {
        const char *arg = c->o->topics[i], *colon = strchr(arg, ':');
        if (!colon) {
            names[nnames++] = arg;
            continue;
        }
        if (colon == arg || strchr(colon + 1, ':') || !colon[1]) {
            cli_err(c->prog, "Invalid topic arg '%s', expected topic name and partitions", arg);
            goto fail;
        }
        char topic[512];
        snprintf(topic, sizeof topic, "%.*s", (int)(colon - arg), arg);
        const char *p = colon + 1;
        for (;;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            char num[32];
            long long v;
            snprintf(num, sizeof num, "%.*s", (int)(len < sizeof num ? len : sizeof num - 1), p);
            if (len == 0 || len >= sizeof num || cli_parse_ll(num, &v) || v < 0 ||
                v > INT32_MAX) {
                cli_err(c->prog, "Invalid partition '%.*s' specified in topic arg '%s'", (int)len,
                        p, arg);
                goto fail;
            }
            if (add_tp(l, topic, (int32_t)v)) goto fail;
            if (!comma || !comma[1]) break; /* Java's split() drops a trailing "" */
            p = comma + 1;
        }
    }
    if (nnames > 0) { /* bare topic names: every partition */
        kc_metadata_t *md = topics_md(c, NULL, names, nnames);
        if (!md) goto fail;
        for (int i = 0; i < nnames; i++) {
            int t = md_topic(md, names[i]);
            if (t < 0) {
                cli_err(c->prog, "topic '%s': %s", names[i],
                        java_msg(KC_ERR_UNKNOWN_TOPIC_OR_PARTITION));
                kc_metadata_destroy(md);
                goto fail;
            }
            for (int p = 0; p < kc_metadata_partition_count(md, t); p++)
                if (add_tp(l, names[i], kc_metadata_partition_id(md, t, p))) {
                    kc_metadata_destroy(md);
                    goto fail;
                }
        }
        kc_metadata_destroy(md);
    }
    free(names);
    return l;
fail:
    free(names);
    kc_tplist_destroy(l);
    return NULL;
}

/* Log offsets of parts for spec (KC_OFFSET_BEGINNING, KC_OFFSET_END or a
 * timestamp): a result whose item 0 holds them, NULL after an error. */
static kc_admin_result_t *log_offsets(ctx *c, const kc_tplist_t *parts, int64_t spec) {
    kc_tplist_t *q = kc_tplist_copy(parts);
    kc_admin_result_t *r = NULL;
    char errstr[512];
    if (!q) return NULL;
    for (int i = 0; i < kc_tplist_count(q); i++) kc_tplist_set_offset(q, i, spec);
    kc_err_t err = kc_admin_list_offsets(c->a, q, c->timeout_ms, &r, errstr, sizeof errstr);
    kc_tplist_destroy(q);
    if (err) {
        cli_err(c->prog, "list offsets: %s", errstr);
        return NULL;
    }
    return r;
}

/* The offset of (t, p) in an offsets result; -1 with an error printed. */
static int64_t offset_in(ctx *c, const kc_admin_result_t *r, const char *t, int32_t p,
                         const char *what) {
    const kc_tplist_t *l = kc_admin_result_partitions(r, 0);
    int k = l ? kc_tplist_find(l, t, p) : -1;
    if (k < 0 || kc_tplist_error(l, k)) {
        cli_err(c->prog, "Error getting %s offset of topic partition: %s-%d%s%s", what, t, (int)p,
                k >= 0 ? ": " : "", k >= 0 ? java_msg(kc_tplist_error(l, k)) : "");
        return -2;
    }
    return kc_tplist_offset(l, k);
}

/* Clamps each offset of l into [log start, log end] (checkOffsetsRange). */
static int clamp_offsets(ctx *c, kc_tplist_t *l) {
    kc_admin_result_t *lo = log_offsets(c, l, KC_OFFSET_BEGINNING);
    kc_admin_result_t *hi = lo ? log_offsets(c, l, KC_OFFSET_END) : NULL;
    int rc = lo && hi ? 0 : -1;
    for (int i = 0; !rc && i < kc_tplist_count(l); i++) {
        const char *t = kc_tplist_topic(l, i);
        int32_t p = kc_tplist_partition(l, i);
        long long want = kc_tplist_offset(l, i);
        int64_t end = offset_in(c, hi, t, p, "ending");
        int64_t start = end >= 0 ? offset_in(c, lo, t, p, "starting") : -2;
        if (end < 0 || start < 0) {
            rc = -1;
            break;
        }
        if (want > end) {
            fprintf(stderr,
                    "WARN New offset (%lld) is higher than latest offset for topic partition "
                    "%s-%d. Value will be set to %lld\n",
                    want, t, (int)p, (long long)end);
            kc_tplist_set_offset(l, i, end);
        } else if (want < start) {
            fprintf(stderr,
                    "WARN New offset (%lld) is lower than earliest offset for topic partition "
                    "%s-%d. Value will be set to %lld\n",
                    want, t, (int)p, (long long)start);
            kc_tplist_set_offset(l, i, start);
        }
    }
    kc_admin_result_destroy(lo);
    kc_admin_result_destroy(hi);
    return rc;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long days_from_civil(long long y, int m, int d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int ndigits(const char *s, int n, int *v) {
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

/* Utils.getDateTime: yyyy-MM-ddTHH:mm:ss.SSS[zone], UTC without a zone;
 * zone Z, +hh, +hhmm or +hh:mm. 0 with *ms, or -1. */
static int cg_parse_datetime(const char *s, long long *ms) {
    int y, mo, d, h, mi, se, frac = 0, nfrac = 0;
    if (strlen(s) < 19 || ndigits(s, 4, &y) || s[4] != '-' || ndigits(s + 5, 2, &mo) ||
        s[7] != '-' || ndigits(s + 8, 2, &d) || s[10] != 'T' || ndigits(s + 11, 2, &h) ||
        s[13] != ':' || ndigits(s + 14, 2, &mi) || s[16] != ':' || ndigits(s + 17, 2, &se))
        return -1;
    const char *p = s + 19;
    if (*p != '.') return -1; /* SimpleDateFormat's ".SSS" is required */
    p++;
    while (isdigit((unsigned char)*p) && nfrac < 3) frac = frac * 10 + (*p++ - '0'), nfrac++;
    if (nfrac == 0) return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || se > 59)
        return -1;
    long long off_min = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om = 0;
        p++;
        if (ndigits(p, 2, &oh)) return -1;
        p += 2;
        if (*p == ':') {
            if (ndigits(p + 1, 2, &om)) return -1;
            p += 3;
        } else if (isdigit((unsigned char)*p)) {
            if (ndigits(p, 2, &om)) return -1;
            p += 2;
        }
        if (oh > 23 || om > 59) return -1;
        off_min = sign * (oh * 60 + om);
    }
    if (*p) return -1;
    long long secs = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + se;
    *ms = (secs - off_min * 60) * 1000 + frac;
    return 0;
}

/* java.time.Duration.parse: [+-]P[nD][T[nH][nM][n[.f]S]], any case, each
 * number optionally signed. 0 with *ms, or -1. */
static int cg_parse_duration(const char *s, long long *ms) {
    int neg = 0;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    if (toupper((unsigned char)*s) != 'P') return -1;
    s++;
    long long total = 0;
    int any = 0, in_time = 0, last = 0; /* order: D=1, H=2, M=3, S=4 */
    while (*s) {
        if (toupper((unsigned char)*s) == 'T') {
            if (in_time) return -1;
            in_time = 1;
            s++;
            if (!*s) return -1;
            continue;
        }
        int sign = 1;
        if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
        if (!isdigit((unsigned char)*s)) return -1;
        long long v = 0, frac_ms = 0;
        while (isdigit((unsigned char)*s)) {
            v = v * 10 + (*s++ - '0');
            if (v > 1000000000000LL) return -1;
        }
        int has_frac = 0;
        if (*s == '.' || *s == ',') {
            s++;
            int nd = 0;
            while (isdigit((unsigned char)*s)) {
                if (nd < 3) frac_ms = frac_ms * 10 + (*s - '0');
                nd++;
                s++;
            }
            if (nd == 0 || nd > 9) return -1;
            for (; nd < 3; nd++) frac_ms *= 10;
            has_frac = 1;
        }
        int u = toupper((unsigned char)*s++), unit;
        long long mult;
        if (u == 'D' && !in_time) unit = 1, mult = 86400000LL;
        else if (u == 'H' && in_time) unit = 2, mult = 3600000LL;
        else if (u == 'M' && in_time) unit = 3, mult = 60000LL;
        else if (u == 'S' && in_time) unit = 4, mult = 1000LL;
        else return -1;
        if (unit <= last || (has_frac && unit != 4)) return -1;
        last = unit;
        total += sign * (v * mult + frac_ms);
        any = 1;
    }
    if (!any) return -1;
    *ms = neg ? -total : total;
    return 0;
}

static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* The offsets at or after timestamp ts; the log end (with the Java tool's
 * warning) where no record is that recent. */
static int offsets_for_time(ctx *c, kc_tplist_t *l, long long ts) {
    kc_admin_result_t *r = log_offsets(c, l, ts), *ends = NULL;
    if (!r) return -1;
    int rc = 0;
    for (int i = 0; !rc && i < kc_tplist_count(l); i++) {
        const char *t = kc_tplist_topic(l, i);
        int32_t p = kc_tplist_partition(l, i);
        int64_t off = offset_in(c, r, t, p, "timestamp");
        if (off == -2) {
            rc = -1;
        } else if (off < 0) {
            fprintf(stderr,
                    "Warn: Partition %d from topic %s is empty. Falling back to latest known "
                    "offset.\n",
                    (int)p, t);
            if (!ends && !(ends = log_offsets(c, l, KC_OFFSET_END))) rc = -1;
            else if ((off = offset_in(c, ends, t, p, "ending")) < 0) rc = -1;
            else kc_tplist_set_offset(l, i, off);
        } else {
            kc_tplist_set_offset(l, i, off);
        }
    }
    kc_admin_result_destroy(r);
    kc_admin_result_destroy(ends);
    return rc;
}

/* Reads --from-file: lines TOPIC,PARTITION,OFFSET (one group) or
 * GROUP,TOPIC,PARTITION,OFFSET; keeps those of `group`. */
static kc_tplist_t *offsets_from_file(ctx *c, const char *group, int *found) {
    FILE *f = fopen(c->o->from_file, "r");
    *found = 0;
    if (!f) {
        cli_err(c->prog, "%s: %s", c->o->from_file, strerror(errno));
        return NULL;
    }
    kc_tplist_t *l = kc_tplist_new(16);
    char line[2048];
    int lineno = 0, bad = !l, single = c->o->ngroups == 1;
    while (!bad && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        char *fld[5] = {0};
        int nf = 0;
        for (char *p = line; nf < 5;) {
            fld[nf++] = p;
            char *comma = strchr(p, ',');
            if (!comma) break;
            *comma = 0;
            p = comma + 1;
        }
        long long part, off;
        const char *g = nf == 4 ? fld[0] : single ? group : NULL;
        int base = nf == 4 ? 1 : 0;
        if ((nf != 3 && nf != 4) || !g || (nf == 3 && !single) ||
            cli_parse_ll(fld[base + 1], &part) || cli_parse_ll(fld[base + 2], &off) || part < 0 ||
            part > INT32_MAX || !fld[base][0]) {
            cli_err(c->prog,
                    "%s:%d: expected TOPIC,PARTITION,OFFSET or GROUP,TOPIC,PARTITION,OFFSET",
                    c->o->from_file, lineno);
            bad = 1;
            break;
        }
        if (strcmp(g, group)) continue;
        *found = 1;
        int k = kc_tplist_find(l, fld[base], (int32_t)part);
        if (k < 0) k = kc_tplist_add(l, fld[base], (int32_t)part);
        if (k < 0) bad = 1;
        else kc_tplist_set_offset(l, k, off);
    }
    fclose(f);
    if (bad) {
        kc_tplist_destroy(l);
        return NULL;
    }
    return l;
}

/* The new offsets of one inactive group. NULL after an error. */
static kc_tplist_t *plan_group(ctx *c, const char *group) {
    const opts *o = c->o;
    char errstr[512];
    kc_admin_result_t *cr = NULL;
    kc_tplist_t *l = NULL;
    if (kc_admin_list_group_offsets(c->a, group, NULL, c->timeout_ms, &cr, errstr,
                                    sizeof errstr)) {
        cli_err(c->prog, "committed offsets of group '%s': %s", group, errstr);
        return NULL;
    }
    if (kc_admin_result_error(cr, 0) && kc_admin_result_error(cr, 0) != KC_ERR_GROUP_ID_NOT_FOUND) {
        cli_err(c->prog, "committed offsets of group '%s': %s", group,
                kc_admin_result_errstr(cr, 0));
        kc_admin_result_destroy(cr);
        return NULL;
    }
    const kc_tplist_t *committed = kc_admin_result_partitions(cr, 0);
    if (o->from_file) {
        int found;
        l = offsets_from_file(c, group, &found);
        if (l && !found) {
            cli_err(c->prog, "No reset plan for group %s found", group);
            goto fail;
        }
        if (l && (validate_parts(c, l) || clamp_offsets(c, l))) goto fail;
        kc_admin_result_destroy(cr);
        return l;
    }
    if (o->all_topics) {
        l = kc_tplist_new(16);
        for (int i = 0; l && committed && i < kc_tplist_count(committed); i++)
            if (add_tp(l, kc_tplist_topic(committed, i), kc_tplist_partition(committed, i)))
                goto fail;
    } else {
        l = topic_partitions(c);
    }
    if (!l || validate_parts(c, l)) goto fail;
    int n = kc_tplist_count(l);
    if (n == 0) {
        kc_admin_result_destroy(cr);
        return l;
    }
    if (o->to_earliest || o->to_latest) {
        kc_admin_result_t *r =
            log_offsets(c, l, o->to_earliest ? KC_OFFSET_BEGINNING : KC_OFFSET_END);
        if (!r) goto fail;
        for (int i = 0; i < n; i++) {
            int64_t off = offset_in(c, r, kc_tplist_topic(l, i), kc_tplist_partition(l, i),
                                    o->to_earliest ? "starting" : "ending");
            if (off < 0) {
                kc_admin_result_destroy(r);
                goto fail;
            }
            kc_tplist_set_offset(l, i, off);
        }
        kc_admin_result_destroy(r);
    } else if (o->to_offset) {
        long long v;
        cli_parse_ll(o->to_offset, &v);
        for (int i = 0; i < n; i++) kc_tplist_set_offset(l, i, v);
        if (clamp_offsets(c, l)) goto fail;
    } else if (o->shift_by || o->to_current) {
        long long by = 0;
        if (o->shift_by) cli_parse_ll(o->shift_by, &by);
        kc_tplist_t *noc = kc_tplist_new(4);
        if (!noc) goto fail;
        for (int i = 0; i < n; i++) {
            const char *t = kc_tplist_topic(l, i);
            int32_t p = kc_tplist_partition(l, i);
            int k = committed ? kc_tplist_find(committed, t, p) : -1;
            int64_t cur = k >= 0 ? kc_tplist_offset(committed, k) : -1;
            if (cur < 0 && o->shift_by) {
                cli_err(c->prog,
                        "Cannot shift offset for partition %s-%d since there is no current "
                        "committed offset",
                        t, (int)p);
                kc_tplist_destroy(noc);
                goto fail;
            }
            if (cur < 0) add_tp(noc, t, p);
            else kc_tplist_set_offset(l, i, cur + by);
        }
        if (kc_tplist_count(noc)) { /* --to-current without a commit: the log end */
            kc_admin_result_t *r = log_offsets(c, noc, KC_OFFSET_END);
            for (int i = 0; r && i < n; i++) {
                const char *t = kc_tplist_topic(l, i);
                int32_t p = kc_tplist_partition(l, i);
                if (kc_tplist_find(noc, t, p) < 0) continue;
                int64_t off = offset_in(c, r, t, p, "ending");
                if (off < 0) {
                    kc_admin_result_destroy(r);
                    r = NULL;
                    break;
                }
                kc_tplist_set_offset(l, i, off);
            }
            kc_tplist_destroy(noc);
            if (!r) goto fail;
            kc_admin_result_destroy(r);
        } else {
            kc_tplist_destroy(noc);
        }
        if (o->shift_by && clamp_offsets(c, l)) goto fail;
    } else if (o->to_datetime || o->by_duration) {
        long long ts;
        if (o->to_datetime) cg_parse_datetime(o->to_datetime, &ts);
        else {
            long long d;
            cg_parse_duration(o->by_duration, &d);
            ts = now_ms() - d;
        }
        if (offsets_for_time(c, l, ts)) goto fail;
    }
    kc_admin_result_destroy(cr);
    return l;
fail:
    kc_admin_result_destroy(cr);
    kc_tplist_destroy(l);
    return NULL;
}

static int cmp_tp_idx(const void *a, const void *b) { return cmp_tpref(a, b); }

static void print_plans(ctx *c, plan *plans, int n, int dry) {
    const opts *o = c->o;
    int any = 0;
    for (int g = 0; g < n; g++) any |= plans[g].offsets != NULL;
    if (o->json) {
        printf("{\"dry_run\":%s,\"groups\":[", dry ? "true" : "false");
    } else if (o->export_csv) {
        /* CsvUtils: topic,partition,offset (one group), else group first. */
    } else if (any) {
        printf("\n%-30s %-30s %-10s %-15s", "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
    }
    int firstg = 1;
    for (int g = 0; g < n; g++) {
        kc_tplist_t *l = plans[g].offsets;
        if (!l) continue;
        int k = kc_tplist_count(l);
        tpref *v = calloc((size_t)k + 1, sizeof(*v));
        int64_t *offs = calloc((size_t)k + 1, sizeof(*offs));
        if (!v || !offs) {
            free(v);
            free(offs);
            continue;
        }
        for (int i = 0; i < k; i++) {
            v[i].topic = kc_tplist_topic(l, i);
            v[i].partition = kc_tplist_partition(l, i);
        }
        qsort(v, (size_t)k, sizeof(*v), cmp_tp_idx);
        for (int i = 0; i < k; i++)
            offs[i] = kc_tplist_offset(l, kc_tplist_find(l, v[i].topic, v[i].partition));
        if (o->json) {
            printf("%s{\"group\":", firstg ? "" : ",");
            cli_json_str(stdout, plans[g].group);
            printf(",\"partitions\":[");
            for (int i = 0; i < k; i++) {
                printf("%s{\"topic\":", i ? "," : "");
                cli_json_str(stdout, v[i].topic);
                printf(",\"partition\":%d,\"new_offset\":%lld}", (int)v[i].partition,
                       (long long)offs[i]);
            }
            printf("]}");
        } else if (o->export_csv) {
            for (int i = 0; i < k; i++) {
                if (o->ngroups != 1) printf("%s,", plans[g].group);
                printf("%s,%d,%lld\n", v[i].topic, (int)v[i].partition, (long long)offs[i]);
            }
        } else {
            for (int i = 0; i < k; i++)
                printf("\n%-30s %-30s %-10d %-15lld", plans[g].group, v[i].topic,
                       (int)v[i].partition, (long long)offs[i]);
        }
        firstg = 0;
        free(v);
        free(offs);
    }
    if (o->json) printf("]}\n");
    else if (any) printf("\n"); /* the table's end, or Java's println(csv) */
}

static int do_reset(ctx *c) {
    const opts *o = c->o;
    const char **groups = NULL;
    int n = 0, rc = 0;
    kc_admin_result_t *hold;
    int dry = !o->execute;
    if (!o->dry_run && !o->execute)
        fprintf(stderr,
                "WARN: No action will be performed as the --execute option is missing. In a "
                "future major release, the default behavior of this command will be to prompt "
                "the user before executing the reset rather than doing a dry run. You should add "
                "the --dry-run option explicitly if you are scripting this command and want to "
                "keep the current default behavior without prompting.\n");
    if (target_groups(c, &groups, &n, &hold)) return 1;
    plan *plans = calloc((size_t)n + 1, sizeof(*plans));
    if (!plans) rc = 1;
    for (int g = 0; plans && g < n; g++) {
        const char *group = groups[g];
        char errstr[512];
        kc_admin_result_t *dr = NULL;
        plans[g].group = group;
        if (kc_admin_describe_groups(c->a, &group, 1, c->timeout_ms, &dr, errstr,
                                     sizeof errstr)) {
            cli_err(c->prog, "describe group '%s': %s", group, errstr);
            rc = 1;
            continue;
        }
        kc_err_t ierr = kc_admin_result_error(dr, 0);
        const char *st = kc_admin_result_group_state(dr, 0);
        char lst[64];
        if (ierr == KC_ERR_GROUP_ID_NOT_FOUND && listed_state(c, group, lst, sizeof lst)) {
            ierr = KC_ERR_NO_ERROR; /* a KIP-848 group: ListGroups has its state */
            st = lst;
        }
        if (ierr && ierr != KC_ERR_GROUP_ID_NOT_FOUND) {
            cli_err(c->prog, "describe group '%s': %s", group, kc_admin_result_errstr(dr, 0));
            rc = 1;
        } else if (!ierr && strcmp(st, "Empty") && strcmp(st, "Dead")) {
            cli_err(c->prog,
                    "Assignments can only be reset if the group '%s' is inactive, but the "
                    "current state is %s.",
                    group, st);
            rc = 1;
        } else if (!(plans[g].offsets = plan_group(c, group))) {
            rc = 1;
        }
        kc_admin_result_destroy(dr);
        if (!plans[g].offsets || dry || kc_tplist_count(plans[g].offsets) == 0) continue;
        kc_admin_result_t *ar = NULL;
        if (kc_admin_alter_group_offsets(c->a, group, plans[g].offsets, c->timeout_ms, &ar, errstr,
                                         sizeof errstr)) {
            cli_err(c->prog, "commit offsets of group '%s': %s", group, errstr);
            kc_tplist_destroy(plans[g].offsets);
            plans[g].offsets = NULL;
            rc = 1;
            continue;
        }
        const kc_tplist_t *res = kc_admin_result_partitions(ar, 0);
        int failed = 0;
        for (int i = 0; res && i < kc_tplist_count(res); i++)
            if (kc_tplist_error(res, i)) {
                cli_err(c->prog, "commit offset of group '%s' for %s-%d: %s", group,
                        kc_tplist_topic(res, i), (int)kc_tplist_partition(res, i),
                        kc_err_desc(kc_tplist_error(res, i)));
                failed = 1;
            }
        if (!failed && kc_admin_result_error(ar, 0)) {
            cli_err(c->prog, "commit offsets of group '%s': %s", group,
                    kc_admin_result_errstr(ar, 0));
            failed = 1;
        }
        if (failed) {
            kc_tplist_destroy(plans[g].offsets);
            plans[g].offsets = NULL;
            rc = 1;
        }
        kc_admin_result_destroy(ar);
    }
    if (plans) print_plans(c, plans, n, dry);
    for (int g = 0; plans && g < n; g++) kc_tplist_destroy(plans[g].offsets);
    free(plans);
    free(groups);
    kc_admin_result_destroy(hold);
    return rc;
}

/* ------------------------------------------------------------ --delete */

static int do_delete(ctx *c) {
    const char **groups = NULL;
    int n = 0, rc = 0;
    kc_admin_result_t *hold, *r = NULL;
    char errstr[512];
    if (target_groups(c, &groups, &n, &hold)) return 1;
    if (n == 0) {
        if (c->o->json) printf("{\"deleted\":[],\"failed\":[]}\n");
        else printf("Deletion of requested consumer groups () was successful.\n");
        free(groups);
        kc_admin_result_destroy(hold);
        return 0;
    }
    if (kc_admin_delete_groups(c->a, groups, (size_t)n, c->timeout_ms, &r, errstr,
                               sizeof errstr)) {
        cli_err(c->prog, "delete groups: %s", errstr);
        free(groups);
        kc_admin_result_destroy(hold);
        return 1;
    }
    int m = kc_admin_result_count(r), nok = 0, nfail = 0;
    for (int i = 0; i < m; i++) kc_admin_result_error(r, i) ? nfail++ : nok++;
    if (c->o->json) {
        printf("{\"deleted\":[");
        for (int i = 0, k = 0; i < m; i++)
            if (!kc_admin_result_error(r, i)) {
                printf("%s", k++ ? "," : "");
                cli_json_str(stdout, kc_admin_result_name(r, i));
            }
        printf("],\"failed\":[");
        for (int i = 0, k = 0; i < m; i++)
            if (kc_admin_result_error(r, i)) {
                printf("%s{\"group\":", k++ ? "," : "");
                cli_json_str(stdout, kc_admin_result_name(r, i));
                printf(",\"error\":");
                cli_json_str(stdout, kc_err_name(kc_admin_result_error(r, i)));
                printf(",\"message\":");
                cli_json_str(stdout, java_msg(kc_admin_result_error(r, i)));
                printf("}");
            }
        printf("]}\n");
    }
    for (int i = 0; i < m; i++)
        if (kc_admin_result_error(r, i))
            cli_err(c->prog, "Group '%s' could not be deleted due to: %s",
                    kc_admin_result_name(r, i), java_msg(kc_admin_result_error(r, i)));
    if (!c->o->json && nok) {
        printf(nfail ? "\nThese consumer groups were deleted successfully: "
                     : "Deletion of requested consumer groups (");
        for (int i = 0, k = 0; i < m; i++)
            if (!kc_admin_result_error(r, i))
                printf("%s'%s'", k++ ? ", " : "", kc_admin_result_name(r, i));
        printf(nfail ? "\n" : ") was successful.\n");
    }
    if (nfail) rc = 1;
    kc_admin_result_destroy(r);
    free(groups);
    kc_admin_result_destroy(hold);
    return rc;
}

/* ------------------------------------------------------------ main */

/* Checks the values of flags with a syntax (before connecting). 0 or 2. */
static int check_values(const char *prog, const opts *o, int *timeout_ms) {
    long long v;
    *timeout_ms = DEFAULT_TIMEOUT_MS;
    if (o->timeout) {
        if (cli_parse_ll(o->timeout, &v) || v < 1 || v > INT32_MAX) {
            cli_err(prog, "Cannot parse argument '%s' of option timeout", o->timeout);
            return 2;
        }
        *timeout_ms = (int)v;
    }
    if (o->to_offset && cli_parse_ll(o->to_offset, &v)) {
        cli_err(prog, "Cannot parse argument '%s' of option to-offset", o->to_offset);
        return 2;
    }
    if (o->shift_by && cli_parse_ll(o->shift_by, &v)) {
        cli_err(prog, "Cannot parse argument '%s' of option shift-by", o->shift_by);
        return 2;
    }
    if (o->to_datetime && cg_parse_datetime(o->to_datetime, &v)) {
        cli_err(prog,
                "Error parsing timestamp '%s': expected YYYY-MM-DDTHH:mm:SS.sss with an optional "
                "zone (Z, +hh, +hhmm, +hh:mm)",
                o->to_datetime);
        return 2;
    }
    if (o->by_duration && cg_parse_duration(o->by_duration, &v)) {
        cli_err(prog, "Text cannot be parsed to a Duration: '%s' (expected PnDTnHnMnS)",
                o->by_duration);
        return 2;
    }
    if (o->list && o->state && o->state_val && *o->state_val) {
        int wanted[NSTATES];
        if (parse_states(prog, o->state_val, wanted)) return 2;
    }
    return 0;
}

int kc_tool_consumer_groups(int argc, char **argv) {
    const char *prog = argv[0];
    opts o;
    memset(&o, 0, sizeof o);
    int rc = parse_args(prog, argc, argv, &o);
    if (rc) goto done;
    if (o.help) {
        usage(stdout, prog);
        goto done;
    }
    if (o.version) {
        printf("kafkac %s\n", kc_version_str());
        goto done;
    }
    int timeout_ms;
    if ((rc = check_args(prog, &o)) || (rc = check_values(prog, &o, &timeout_ms))) goto done;
    if (o.delete_offsets) {
        cli_err(prog, "--delete-offsets is not supported: the kafkac library has no OffsetDelete "
                      "admin call");
        rc = 1;
        goto done;
    }
    if (o.validate_regex) {
        cli_err(prog, "--validate-regex is not supported (RE2 syntax)");
        rc = 1;
        goto done;
    }
    if (o.type) {
        cli_err(prog, "--type is not supported: the kafkac library does not report group types");
        rc = 1;
        goto done;
    }
    kc_conf_t *conf = cli_conf(prog, o.bootstrap, o.command_config, NULL, 0);
    if (!conf) {
        rc = 2;
        goto done;
    }
    char lvl[8];
    /* Client log lines (reconnects) would interleave with tables: errors
     * only, unless the configuration asks for another level. */
    if (!kc_conf_get(conf, "log_level", lvl, sizeof lvl, NULL) && !strcmp(lvl, "6"))
        kc_conf_set(conf, "log_level", "3", NULL, 0);
    if (cli_reachable(prog, conf, timeout_ms < REACH_TIMEOUT_MS ? timeout_ms : REACH_TIMEOUT_MS)) {
        kc_conf_destroy(conf);
        rc = 1;
        goto done;
    }
    char errstr[512];
    kc_admin_t *a = kc_admin_new(conf, errstr, sizeof errstr);
    kc_conf_destroy(conf);
    if (!a) {
        cli_err(prog, "%s", errstr);
        rc = 1;
        goto done;
    }
    ctx c = {prog, &o, a, timeout_ms};
    rc = o.list       ? do_list(&c)
         : o.describe ? do_describe(&c)
         : o.reset    ? do_reset(&c)
                      : do_delete(&c);
    fflush(stdout);
    kc_admin_destroy(a);
done:
    free(o.groups);
    free(o.topics);
    return rc;
}
