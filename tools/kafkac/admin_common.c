/* See admin_common.h. */
#include "admin_common.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

int adm_next_opt(const char *prog, const adm_opt *opts, int argc, char **argv, int *i,
                 const char **val) {
    *val = NULL;
    if (*i >= argc) return -1;
    const char *a = argv[*i];
    if (strncmp(a, "--", 2) != 0 || a[2] == 0) {
        cli_err(prog, "unexpected argument '%s' (options start with --; see --help)", a);
        return -2;
    }
    const char *name = a + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    int k = 0;
    while (opts[k].name && !(strncmp(opts[k].name, name, len) == 0 && opts[k].name[len] == 0)) k++;
    if (!opts[k].name) {
        cli_err(prog, "--%.*s is not a recognized option (see --help)", (int)len, name);
        return -2;
    }
    const adm_opt *o = &opts[k];
    (*i)++;
    if (!o->arg) {
        if (eq) {
            cli_err(prog, "option --%s takes no value", o->name);
            return -2;
        }
    } else if (eq) {
        *val = eq + 1;
    } else {
        if (*i >= argc) {
            cli_err(prog, "option --%s requires an argument (%s)", o->name, o->metavar);
            return -2;
        }
        *val = argv[(*i)++];
    }
    return k;
}

void adm_usage(FILE *out, const char *usage, const char *about, const adm_opt *opts) {
    fprintf(out, "usage: %s\n\n%s\n\nOptions:\n", usage, about);
    for (const adm_opt *o = opts; o->name; o++) {
        if (!o->help) continue; /* accepted to be refused with a message */
        char head[96];
        if (o->arg)
            snprintf(head, sizeof head, "--%s %s", o->name, o->metavar);
        else
            snprintf(head, sizeof head, "--%s", o->name);
        int col = fprintf(out, "  %s", head);
        if (col > 32) {
            fputc('\n', out);
            col = 0;
        }
        fprintf(out, "%*s", 34 - col, "");
        for (const char *h = o->help; *h; h++) {
            fputc(*h, out);
            if (*h == '\n' && h[1]) fprintf(out, "%34s", "");
        }
        fputc('\n', out);
    }
}

int adm_parse_timeout(const char *prog, const char *s, int *ms) {
    long long v;
    if (cli_parse_ll(s, &v) || v <= 0 || v > 3600000) {
        cli_err(prog, "--timeout \"%s\": expected milliseconds between 1 and 3600000", s);
        return -1;
    }
    *ms = (int)v;
    return 0;
}

kc_admin_t *adm_connect(const char *prog, const char *bootstrap, const char *command_config,
                        int timeout_ms, kc_conf_t **confp) {
    if (confp) *confp = NULL;
    kc_conf_t *conf = cli_conf(prog, bootstrap, command_config, NULL, 0);
    if (!conf) return NULL;
    if (cli_reachable(prog, conf, timeout_ms < ADM_REACH_MS ? timeout_ms : ADM_REACH_MS)) {
        kc_conf_destroy(conf);
        return NULL;
    }
    char errstr[512];
    kc_admin_t *a = kc_admin_new(conf, errstr, sizeof errstr);
    if (!a) {
        cli_err(prog, "%s", errstr);
        kc_conf_destroy(conf);
        return NULL;
    }
    if (confp)
        *confp = conf;
    else
        kc_conf_destroy(conf);
    return a;
}

const char *adm_source_name(int source) {
    switch (source) {
    case KC_CONFIG_SOURCE_DYNAMIC_TOPIC: return "DYNAMIC_TOPIC_CONFIG";
    case KC_CONFIG_SOURCE_DYNAMIC_BROKER: return "DYNAMIC_BROKER_CONFIG";
    case KC_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER: return "DYNAMIC_DEFAULT_BROKER_CONFIG";
    case KC_CONFIG_SOURCE_STATIC_BROKER: return "STATIC_BROKER_CONFIG";
    case KC_CONFIG_SOURCE_DEFAULT: return "DEFAULT_CONFIG";
    case KC_CONFIG_SOURCE_DYNAMIC_BROKER_LOGGER: return "DYNAMIC_BROKER_LOGGER_CONFIG";
    case KC_CONFIG_SOURCE_CLIENT_METRICS: return "DYNAMIC_CLIENT_METRICS_CONFIG";
    case KC_CONFIG_SOURCE_GROUP: return "DYNAMIC_GROUP_CONFIG";
    default: return "UNKNOWN";
    }
}

void adm_strv_add(adm_strv *l, const char *s, int len) {
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) {
            fputs("kafkac: out of memory\n", stderr);
            exit(1);
        }
        l->v = v;
        l->cap = cap;
    }
    char *c = len < 0 ? strdup(s) : strndup(s, (size_t)len);
    if (!c) {
        fputs("kafkac: out of memory\n", stderr);
        exit(1);
    }
    l->v[l->n++] = c;
}

int adm_strv_has(const adm_strv *l, const char *s) {
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void adm_strv_sort(adm_strv *l) {
    if (l->n > 1) qsort(l->v, (size_t)l->n, sizeof *l->v, cmp_str);
}

void adm_strv_free(adm_strv *l) {
    for (int i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
