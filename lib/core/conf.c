/* Configuration objects: parsing, validation and defaults for the keys of
 * conf_table.h. Thread: a kc_conf_t belongs to one thread at a time. */
#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"

typedef struct conf_prop {
    const char *name;
    kc__conf_type type;
    const char *def;
    int64_t min, max;
    int scope;
    const char *enums; /* "a|b|c" for KC__CT_ENUM */
    const char *doc;
} conf_prop;

static const conf_prop props[KC__CONF_COUNT] = {
#define KC__CONF_ROW(id, name, type, def, min, max, scope, enums, doc) \
    {name, type, def, min, max, scope, enums, doc},
    KC__CONF_TABLE(KC__CONF_ROW)
#undef KC__CONF_ROW
};

static int find_prop(const char *name) {
    for (int i = 0; i < KC__CONF_COUNT; i++)
        if (strcmp(props[i].name, name) == 0) return i;
    return -1;
}

/* Index of `val` in the "a|b|c" list (case-insensitive), or -1. */
static int enum_index(const char *list, const char *val) {
    size_t vlen = strlen(val);
    int idx = 0;
    for (const char *p = list; *p; idx++) {
        const char *end = strchr(p, '|');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == vlen && strncasecmp(p, val, n) == 0) return idx;
        if (!end) break;
        p = end + 1;
    }
    return -1;
}

static const char *enum_name(const char *list, int64_t idx, char *out, size_t size) {
    const char *p = list;
    for (int64_t i = 0; i < idx && p; i++) {
        p = strchr(p, '|');
        if (p) p++;
    }
    if (!p) return "";
    const char *end = strchr(p, '|');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n >= size) n = size - 1;
    memcpy(out, p, n);
    out[n] = 0;
    return out;
}

/* Parses `value` for property i into *v. */
static kc_err_t parse_value(int i, const char *value, kc__confval *v, char *errstr,
                            size_t size) {
    const conf_prop *p = &props[i];
    switch (p->type) {
    case KC__CT_STR: {
        char *s = strdup(value);
        if (!s) return kc__seterr(errstr, size, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        free(v->s);
        v->s = s;
        return KC_ERR_NO_ERROR;
    }
    case KC__CT_INT: {
        char *end;
        errno = 0;
        long long n = strtoll(value, &end, 10);
        while (*end == ' ') end++;
        if (errno || end == value || *end)
            return kc__seterr(errstr, size, KC_ERR__INVALID_ARG,
                              "%s: expected an integer, got \"%s\"", p->name, value);
        if (n < p->min || n > p->max)
            return kc__seterr(errstr, size, KC_ERR__INVALID_ARG,
                              "%s: %lld is out of range (%lld..%lld)", p->name, n,
                              (long long)p->min, (long long)p->max);
        v->i = n;
        return KC_ERR_NO_ERROR;
    }
    case KC__CT_BOOL:
        if (!strcasecmp(value, "true") || !strcmp(value, "1"))
            v->i = 1;
        else if (!strcasecmp(value, "false") || !strcmp(value, "0"))
            v->i = 0;
        else
            return kc__seterr(errstr, size, KC_ERR__INVALID_ARG,
                              "%s: expected true or false, got \"%s\"", p->name, value);
        return KC_ERR_NO_ERROR;
    case KC__CT_ENUM: {
        int idx = enum_index(p->enums, value);
        if (idx < 0)
            return kc__seterr(errstr, size, KC_ERR__INVALID_ARG,
                              "%s: \"%s\" is not one of: %s", p->name, value, p->enums);
        v->i = idx;
        return KC_ERR_NO_ERROR;
    }
    }
    return KC_ERR__INVALID_ARG;
}

kc_conf_t *kc_conf_new(void) {
    kc_conf_t *c = calloc(1, sizeof(*c));
    if (!c) return NULL;
    for (int i = 0; i < KC__CONF_COUNT; i++) {
        c->v[i].s = strdup(props[i].type == KC__CT_STR ? props[i].def : "");
        if (!c->v[i].s || (props[i].type != KC__CT_STR &&
                           parse_value(i, props[i].def, &c->v[i], NULL, 0))) {
            kc_conf_destroy(c);
            return NULL;
        }
    }
    return c;
}

kc_conf_t *kc_conf_dup(const kc_conf_t *src) {
    kc_conf_t *c = calloc(1, sizeof(*c));
    if (!c) return NULL;
    c->opaque = src->opaque;
    c->delivery_cb = src->delivery_cb;
    c->error_cb = src->error_cb;
    c->log_cb = src->log_cb;
    c->partitioner_cb = src->partitioner_cb;
    c->rebalance_cb = src->rebalance_cb;
    c->offset_commit_cb = src->offset_commit_cb;
    for (int i = 0; i < KC__CONF_COUNT; i++) {
        c->v[i] = src->v[i];
        c->v[i].s = strdup(src->v[i].s);
        if (!c->v[i].s) {
            kc_conf_destroy(c);
            return NULL;
        }
    }
    return c;
}

void kc_conf_destroy(kc_conf_t *c) {
    if (!c) return;
    for (int i = 0; i < KC__CONF_COUNT; i++) free(c->v[i].s);
    free(c);
}

kc_err_t kc_conf_set(kc_conf_t *c, const char *name, const char *value, char *errstr,
                     size_t size) {
    if (!c || !name)
        return kc__seterr(errstr, size, KC_ERR__INVALID_ARG, "kc_conf_set: NULL argument");
    int i = find_prop(name);
    if (i < 0)
        return kc__seterr(errstr, size, KC_ERR__NOENT, "%s: unknown configuration key", name);
    kc__confval v = c->v[i];
    v.s = NULL;
    kc_err_t err = parse_value(i, value ? value : props[i].def, &v, errstr, size);
    if (err) {
        free(v.s);
        return err;
    }
    if (props[i].type == KC__CT_STR) {
        free(c->v[i].s);
        c->v[i].s = v.s;
    }
    c->v[i].i = v.i;
    c->v[i].set = value != NULL;
    return KC_ERR_NO_ERROR;
}

static void value_text(const conf_prop *p, const kc__confval *v, char *out, size_t size) {
    switch (p->type) {
    case KC__CT_STR: snprintf(out, size, "%s", v->s); break;
    case KC__CT_INT: snprintf(out, size, "%lld", (long long)v->i); break;
    case KC__CT_BOOL: snprintf(out, size, "%s", v->i ? "true" : "false"); break;
    case KC__CT_ENUM: {
        char tmp[128];
        snprintf(out, size, "%s", enum_name(p->enums, v->i, tmp, sizeof tmp));
        break;
    }
    }
}

kc_err_t kc_conf_get(const kc_conf_t *c, const char *name, char *buf, size_t size,
                     size_t *sizep) {
    int i = c && name ? find_prop(name) : -1;
    if (i < 0) return KC_ERR__NOENT;
    const conf_prop *p = &props[i];
    char small[160];
    const char *text = small;
    if (p->type == KC__CT_STR)
        text = c->v[i].s;
    else
        value_text(p, &c->v[i], small, sizeof small);
    size_t need = strlen(text) + 1;
    if (sizep) *sizep = need;
    if (buf && size) {
        size_t n = need <= size ? need - 1 : size - 1;
        memcpy(buf, text, n);
        buf[n] = 0;
    }
    return KC_ERR_NO_ERROR;
}

static const char *type_name(kc__conf_type t) {
    switch (t) {
    case KC__CT_STR: return "string";
    case KC__CT_INT: return "integer";
    case KC__CT_BOOL: return "boolean";
    case KC__CT_ENUM: return "enum";
    }
    return "?";
}

static const char *scope_name(int s) {
    return s == KC__CS_PRODUCER ? "producer" : s == KC__CS_CONSUMER ? "consumer" : "all";
}

static void puts_buf(kc__buf *b, const char *s) { kc__buf_put(b, s, strlen(s)); }

void kc__conf_doc_markdown(kc__buf *out) {
    char line[2048];
    puts_buf(out,
             "# kafkac configuration\n\n"
             "Generated from lib/core/conf_table.h by `make docs`; do not edit by hand.\n"
             "Set keys with `kc_conf_set()`; unknown keys and invalid values are refused\n"
             "with the key and the reason.\n\n"
             "| key | applies to | type | default | range / values | description |\n"
             "|---|---|---|---|---|---|\n");
    for (int i = 0; i < KC__CONF_COUNT; i++) {
        const conf_prop *p = &props[i];
        char range[256] = "";
        if (p->type == KC__CT_INT)
            snprintf(range, sizeof range, "%lld .. %lld", (long long)p->min, (long long)p->max);
        else if (p->type == KC__CT_ENUM)
            snprintf(range, sizeof range, "%s", p->enums);
        else if (p->type == KC__CT_BOOL)
            snprintf(range, sizeof range, "true, false");
        for (char *r = range; *r; r++)
            if (*r == '|') *r = ',';
        snprintf(line, sizeof line, "| `%s` | %s | %s | %s%s%s | %s | %s |\n", p->name,
                 scope_name(p->scope), type_name(p->type), *p->def ? "`" : "",
                 *p->def ? p->def : "(none)", *p->def ? "`" : "", range, p->doc);
        puts_buf(out, line);
    }
}

void kc_conf_set_opaque(kc_conf_t *c, void *opaque) { c->opaque = opaque; }
void kc_conf_set_delivery_cb(kc_conf_t *c, kc_delivery_cb *cb) { c->delivery_cb = cb; }
void kc_conf_set_error_cb(kc_conf_t *c, kc_error_cb *cb) { c->error_cb = cb; }
void kc_conf_set_log_cb(kc_conf_t *c, kc_log_cb *cb) { c->log_cb = cb; }
void kc_conf_set_partitioner_cb(kc_conf_t *c, kc_partitioner_cb *cb) { c->partitioner_cb = cb; }
void kc_conf_set_rebalance_cb(kc_conf_t *c, kc_rebalance_cb *cb) { c->rebalance_cb = cb; }
void kc_conf_set_offset_commit_cb(kc_conf_t *c, kc_offset_commit_cb *cb) {
    c->offset_commit_cb = cb;
}

int kc__conf_scope(int id) { return props[id].scope; }
const char *kc__conf_name(int id) { return props[id].name; }

int kc__conf_acks(const kc_conf_t *c) {
    /* enum "all|-1|0|1" */
    static const int acks[] = {-1, -1, 0, 1};
    return acks[c->v[KC__CONF_ACKS].i];
}
