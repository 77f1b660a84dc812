#include "addr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

static kc_err_t parse_one(const char *s, size_t n, const char *what, kc__hostport *hp,
                          char *errstr, size_t errsize) {
    char entry[KC__HOST_MAX + 16];
    if (n >= sizeof entry)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                          "%s: broker address too long (%zu characters)", what, n);
    memcpy(entry, s, n);
    entry[n] = 0;
    const char *p = entry;
    const char *scheme = strstr(p, "://");
    if (scheme) p = scheme + 3;
    const char *host = p, *host_end, *port_s = NULL;
    if (*p == '[') { /* [v6]:port */
        host = p + 1;
        host_end = strchr(host, ']');
        if (!host_end)
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                              "%s: \"%s\": missing ']' after IPv6 address", what, entry);
        if (host_end[1] == ':')
            port_s = host_end + 2;
        else if (host_end[1])
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                              "%s: \"%s\": expected ':' after ']'", what, entry);
    } else {
        const char *colon = strrchr(p, ':');
        if (colon && strchr(p, ':') != colon)
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                              "%s: \"%s\": write IPv6 addresses as [addr]:port", what, entry);
        host_end = colon ? colon : p + strlen(p);
        if (colon) port_s = colon + 1;
    }
    size_t hlen = (size_t)(host_end - host);
    if (hlen == 0)
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG, "%s: \"%s\": empty host name",
                          what, entry);
    for (size_t i = 0; i < hlen; i++)
        if (isspace((unsigned char)host[i]) || host[i] == '/')
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                              "%s: \"%s\": invalid character in host name", what, entry);
    memcpy(hp->host, host, hlen);
    hp->host[hlen] = 0;
    hp->port = 9092;
    if (port_s) {
        char *end;
        long port = strtol(port_s, &end, 10);
        if (end == port_s || *end || port < 1 || port > 65535)
            return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                              "%s: \"%s\": port must be a number from 1 to 65535", what, entry);
        hp->port = (int)port;
    }
    return KC_ERR_NO_ERROR;
}

kc_err_t kc__hostport_parse_list(const char *list, const char *what, kc__hostport **outp,
                                 size_t *cntp, char *errstr, size_t errsize) {
    *outp = NULL;
    *cntp = 0;
    size_t cap = 1;
    for (const char *c = list; *c; c++) cap += *c == ',';
    kc__hostport *out = calloc(cap, sizeof(*out));
    if (!out) return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
    size_t cnt = 0;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && isspace((unsigned char)*a)) a++;
        while (b > a && isspace((unsigned char)b[-1])) b--;
        if (a < b) {
            kc_err_t err = parse_one(a, (size_t)(b - a), what, &out[cnt], errstr, errsize);
            if (err) {
                free(out);
                return err;
            }
            cnt++;
        }
        p = *end ? end + 1 : end;
    }
    if (cnt == 0) {
        free(out);
        return kc__seterr(errstr, errsize, KC_ERR__INVALID_ARG,
                          "%s: no broker address given (expected host:port[,host:port...])",
                          what);
    }
    *outp = out;
    *cntp = cnt;
    return KC_ERR_NO_ERROR;
}
