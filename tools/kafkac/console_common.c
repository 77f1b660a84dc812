/* See console_common.h. */
#include "console_common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"

int cc_next_opt(const char *prog, const cc_opt *opts, int argc, char **argv, int *i,
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
    int found = -1, matches = 0;
    for (int k = 0; opts[k].name; k++) {
        if (strncmp(opts[k].name, name, len) != 0) continue;
        if (opts[k].name[len] == 0) { /* exact */
            found = k;
            matches = 1;
            break;
        }
        found = k;
        matches++;
    }
    if (matches == 0) {
        cli_err(prog, "unknown option --%.*s (see --help)", (int)len, name);
        return -2;
    }
    if (matches > 1) {
        cli_err(prog, "option --%.*s is ambiguous (see --help)", (int)len, name);
        return -2;
    }
    const cc_opt *o = &opts[found];
    (*i)++;
    if (o->arg == CC_NOARG) {
        if (eq) {
            cli_err(prog, "option --%s takes no value", o->name);
            return -2;
        }
    } else if (eq) {
        *val = eq + 1;
    } else if (o->arg == CC_ARG) {
        if (*i >= argc) {
            cli_err(prog, "option --%s requires a value (%s)", o->name, o->metavar);
            return -2;
        }
        *val = argv[(*i)++];
    } else if (*i < argc && argv[*i][0] != '-') {
        *val = argv[(*i)++];
    }
    return found;
}

void cc_usage(FILE *out, const char *usage, const char *about, const cc_opt *opts) {
    fprintf(out, "usage: %s\n\n%s\n\nOptions:\n", usage, about);
    for (const cc_opt *o = opts; o->name; o++) {
        char head[96];
        if (o->arg == CC_NOARG)
            snprintf(head, sizeof head, "--%s", o->name);
        else if (o->arg == CC_ARG)
            snprintf(head, sizeof head, "--%s %s", o->name, o->metavar);
        else
            snprintf(head, sizeof head, "--%s [%s]", o->name, o->metavar);
        const char *h = o->help;
        int col = fprintf(out, "  %s", head);
        if (col > 34) {
            fputc('\n', out);
            col = 0;
        }
        fprintf(out, "%*s", 36 - col, "");
        for (; *h; h++) {
            fputc(*h, out);
            if (*h == '\n' && h[1]) fprintf(out, "%36s", "");
        }
        fputc('\n', out);
    }
}

int cc_props_add_kv(const char *prog, const char *flag, perf_props *p, const char *kv) {
    const char *eq = strchr(kv, '=');
    if (eq == kv || !*kv) {
        cli_err(prog, "--%s \"%s\": expected key=value", flag, kv);
        return -1;
    }
    /* As Java's CommandLineUtils.parseKeyValueArgs: "key" alone is key="". */
    char *key = eq ? strndup(kv, (size_t)(eq - kv)) : strdup(kv);
    if (!key) {
        cli_err(prog, "out of memory");
        return -1;
    }
    perf_props_set(p, key, eq ? eq + 1 : "");
    free(key);
    return 0;
}

int cc_props_load(const char *prog, const char *path, perf_props *p) {
    if (perf_props_load(path, p) == 0) return 0;
    cli_err(prog, "%s: %s", path, strerror(errno));
    return -1;
}

kc_conf_t *cc_conf(const char *prog, const perf_props *p) {
    static const char *const skip[] = {"key.serializer", "value.serializer", "key.deserializer",
                                       "value.deserializer", NULL};
    char **kv = calloc(p->n + 1, sizeof *kv);
    int n = 0;
    kc_conf_t *conf = NULL;
    if (!kv) goto oom;
    for (size_t i = 0; i < p->n; i++) {
        const char *k = p->v[i].key;
        int skipped = 0;
        for (int s = 0; skip[s]; s++) skipped |= strcmp(k, skip[s]) == 0;
        if (skipped) continue;
        if (strcmp(k, "send.buffer.bytes") == 0) k = "socket.send.buffer.bytes";
        if (strcmp(k, "receive.buffer.bytes") == 0) k = "socket.receive.buffer.bytes";
        if (asprintf(&kv[n], "%s=%s", k, p->v[i].value) < 0) goto oom;
        n++;
    }
    conf = cli_conf(prog, NULL, NULL, kv, n);
    goto out;
oom:
    cli_err(prog, "out of memory");
out:
    for (int i = 0; kv && i < n; i++) free(kv[i]);
    free(kv);
    return conf;
}

int cc_true(const char *v) {
    if (!v) return 0;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r' || *v == '\f') v++;
    size_t len = strlen(v);
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\n' ||
                       v[len - 1] == '\r' || v[len - 1] == '\f'))
        len--;
    return len == 4 && strncasecmp(v, "true", 4) == 0;
}

int cc_parse_num(const char *prog, const char *flag, const char *s, long long min, long long max,
                 long long *out) {
    long long v;
    if (cli_parse_ll(s, &v) || v < min || v > max) {
        cli_err(prog, "--%s: '%s' is not a number in [%lld, %lld]", flag, s ? s : "", min, max);
        return -1;
    }
    *out = v;
    return 0;
}

volatile sig_atomic_t cc_stop;

static void on_signal(int sig) {
    (void)sig;
    cc_stop = 1;
}

void cc_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: blocking reads return EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

long long cc_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cc_log_cb(void *client, int level, const char *fac, const char *msg, void *opaque) {
    (void)client;
    if (level > 4) return;
    const char *prog = opaque ? *(const char *const *)opaque : "kafkac";
    fprintf(stderr, "%s: %s: %s\n", prog, fac, msg);
}
