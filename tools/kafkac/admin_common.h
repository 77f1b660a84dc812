/* Helpers shared by `kafkac topics` and `kafkac configs` (topics.c,
 * configs.c), the two admin-client commands: long options parsed the way
 * Kafka's admin tools parse them (joptsimple without abbreviations), --help
 * text from the same table, the admin client with its reachability check,
 * Kafka's config-source names and a growable string list. */
#ifndef KAFKAC_TOOL_ADMIN_COMMON_H
#define KAFKAC_TOOL_ADMIN_COMMON_H

#include <stdio.h>

#include <kafkac.h>

/* Default bound of every broker call (--timeout). */
#define ADM_TIMEOUT_MS 30000
/* The reachability check waits at most this long (or --timeout if less). */
#define ADM_REACH_MS 10000

/* One long option: arg 0 (a flag) or 1 (takes a value); metavar names the
 * value in --help; help may hold '\n' (continued lines are indented); no
 * help (NULL) leaves the option out of --help (a Kafka flag accepted only
 * to be refused with a clear message). */
typedef struct adm_opt {
    const char *name; /* without the leading "--" */
    int arg;
    const char *metavar;
    const char *help;
} adm_opt;

/* Parses argv[*i] (and its value) against opts (ending with {NULL}):
 * --name VALUE or --name=VALUE, exact names only (Kafka's admin tools take
 * no abbreviations). Returns the option's index, stores its value in *val
 * (NULL for a flag) and advances *i; returns -1 at the end of argv, -2
 * after a one-line error on stderr (unknown option, missing or unexpected
 * value, stray argument). */
int adm_next_opt(const char *prog, const adm_opt *opts, int argc, char **argv, int *i,
                 const char **val);

/* Prints "usage: USAGE\n\nABOUT\n\nOptions:\n" and one entry per option. */
void adm_usage(FILE *out, const char *usage, const char *about, const adm_opt *opts);

/* Parses --timeout's value (milliseconds, > 0); -1 after a one-line error. */
int adm_parse_timeout(const char *prog, const char *s, int *ms);

/* Checks that a broker of `bootstrap` (or of the --command-config file)
 * answers within min(timeout_ms, ADM_REACH_MS) and creates an admin
 * client. NULL after a one-line error; *confp (may be NULL) gets the
 * configuration (free with kc_conf_destroy()). */
kc_admin_t *adm_connect(const char *prog, const char *bootstrap, const char *command_config,
                        int timeout_ms, kc_conf_t **confp);

/* Kafka's name of a config source, as Java's ConfigEntry.ConfigSource
 * prints it ("DYNAMIC_TOPIC_CONFIG", ...). */
const char *adm_source_name(int source);

/* A growable list of strings (owned copies). */
typedef struct adm_strv {
    char **v;
    int n, cap;
} adm_strv;

/* Appends a copy of s (len bytes; -1: NUL-terminated). Exits on out of memory. */
void adm_strv_add(adm_strv *l, const char *s, int len);
int adm_strv_has(const adm_strv *l, const char *s);
void adm_strv_sort(adm_strv *l);
void adm_strv_free(adm_strv *l);

#endif
