/* Error code tables (from KC_ERRORS in kafkac.h) and the kc_error_t object. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct err_desc {
    int code;
    int flags;
    const char *name;
    const char *desc;
} err_desc;

static const err_desc err_table[] = {
#define KC__ERR_ROW(n, c, f, d) {(c), (f), #n, (d)},
    KC_ERRORS(KC__ERR_ROW)
#undef KC__ERR_ROW
};

static const err_desc *err_lookup(kc_err_t err) {
    /* The table is short (~200 rows) and only read on error paths. */
    for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
        if (err_table[i].code == (int)err) return &err_table[i];
    return NULL;
}

const char *kc_err_name(kc_err_t err) {
    const err_desc *d = err_lookup(err);
    return d ? d->name : "UNKNOWN_ERROR_CODE";
}

const char *kc_err_desc(kc_err_t err) {
    const err_desc *d = err_lookup(err);
    return d ? d->desc : "Unknown error code";
}

int kc_err_is_retriable(kc_err_t err) {
    const err_desc *d = err_lookup(err);
    return d && (d->flags & KC_ERRF_RETRIABLE);
}

struct kc_error {
    kc_err_t code;
    int flags;
    char msg[];
};

kc_error_t *kc__error_new(kc_err_t code, int flags, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    size_t len = strlen(tmp);
    kc_error_t *e = malloc(sizeof(*e) + len + 1);
    if (!e) return NULL;
    e->code = code;
    e->flags = flags;
    if (kc_err_is_retriable(code)) e->flags |= KC__ERROR_RETRIABLE;
    memcpy(e->msg, tmp, len + 1);
    return e;
}

kc_err_t kc_error_code(const kc_error_t *e) { return e ? e->code : KC_ERR_NO_ERROR; }
const char *kc_error_name(const kc_error_t *e) { return kc_err_name(kc_error_code(e)); }
const char *kc_error_message(const kc_error_t *e) { return e ? e->msg : ""; }
int kc_error_is_retriable(const kc_error_t *e) { return e && (e->flags & KC__ERROR_RETRIABLE); }
int kc_error_is_fatal(const kc_error_t *e) { return e && (e->flags & KC__ERROR_FATAL); }
int kc_error_txn_requires_abort(const kc_error_t *e) {
    return e && (e->flags & KC__ERROR_TXN_ABORTABLE);
}
void kc_error_destroy(kc_error_t *e) { free(e); }

kc_err_t kc__seterr(char *errstr, size_t size, kc_err_t code, const char *fmt, ...) {
    if (errstr && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errstr, size, fmt, ap);
        va_end(ap);
    }
    return code;
}
