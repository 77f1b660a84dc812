/* Shared helpers of the kafkac subcommands (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "perf_common.h"

void cli_err(const char *prog, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Sets one key, reporting a refused key or value on one line. */
static int set1(const char *prog, kc_conf_t *conf, const char *k, const char *v) {
    char errstr[512];
    if (kc_conf_set(conf, k, v, errstr, sizeof errstr) == KC_ERR_NO_ERROR) return 0;
    cli_err(prog, "%s", errstr);
    return -1;
}

kc_conf_t *cli_conf(const char *prog, const char *bootstrap, const char *file,
                    char *const *props, int nprops) {
    kc_conf_t *conf = kc_conf_new();
    if (!conf) {
        cli_err(prog, "out of memory");
        return NULL;
    }
    int bad = 0;
    if (file) {
        perf_props pp = {0};
        if (perf_props_load(file, &pp)) {
            cli_err(prog, "%s: %s", file, strerror(errno));
            bad = 1;
        }
        for (size_t i = 0; !bad && i < pp.n; i++)
            bad = set1(prog, conf, pp.v[i].key, pp.v[i].value) != 0;
        perf_props_free(&pp);
    }
    for (int i = 0; !bad && i < nprops; i++) {
        char *eq = strchr(props[i], '=');
        if (!eq || eq == props[i]) {
            cli_err(prog, "property \"%s\": expected key=value", props[i]);
            bad = 1;
            break;
        }
        *eq = 0;
        bad = set1(prog, conf, props[i], eq + 1) != 0;
        *eq = '=';
    }
    if (!bad && bootstrap) bad = set1(prog, conf, "bootstrap.servers", bootstrap) != 0;
    if (!bad) {
        char bs[8];
        kc_conf_get(conf, "bootstrap.servers", bs, sizeof bs, NULL);
        if (!bs[0]) {
            cli_err(prog, "missing required argument --bootstrap-server");
            bad = 1;
        }
    }
    if (bad) {
        kc_conf_destroy(conf);
        return NULL;
    }
    return conf;
}

int cli_reachable(const char *prog, const kc_conf_t *conf, int timeout_ms) {
    char errstr[512], bs[1024];
    kc_metadata_t *md = NULL;
    kc_conf_get(conf, "bootstrap.servers", bs, sizeof bs, NULL);
    kc_err_t err = kc_metadata_fetch(conf, NULL, 0, timeout_ms, &md, errstr, sizeof errstr);
    if (!err) {
        kc_metadata_destroy(md);
        return 0;
    }
    cli_err(prog, "cannot reach the brokers at %s within %d ms: %s", bs, timeout_ms, errstr);
    return -1;
}

void cli_json_str(FILE *out, const char *s) {
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

int cli_parse_ll(const char *s, long long *v) {
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (*end || errno) return -1;
    *v = x;
    return 0;
}
