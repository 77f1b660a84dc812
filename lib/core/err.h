/* Internal error helpers. */
#ifndef KC_CORE_ERR_H
#define KC_CORE_ERR_H

#include <stddef.h>

#include "kafkac.h"

#define KC__ERROR_RETRIABLE 0x1
#define KC__ERROR_FATAL 0x2
#define KC__ERROR_TXN_ABORTABLE 0x4

#define KC__PRINTF(a, b) __attribute__((format(printf, a, b)))

/* A new error object; retriable is added from the code's table flags.
 * NULL when out of memory. */
kc_error_t *kc__error_new(kc_err_t code, int flags, const char *fmt, ...) KC__PRINTF(3, 4);

/* Formats into errstr (may be NULL) and returns code, so that
 * `return kc__seterr(errstr, size, KC_ERR__INVALID_ARG, "...")` reads well. */
kc_err_t kc__seterr(char *errstr, size_t size, kc_err_t code, const char *fmt, ...)
    KC__PRINTF(4, 5);

#endif
