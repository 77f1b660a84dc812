/* Broker address lists ("host:port,host:port", IPv6 as "[::1]:9092"). */
#ifndef KC_NET_ADDR_H
#define KC_NET_ADDR_H

#include <stddef.h>

#include "kafkac.h"

#define KC__HOST_MAX 256

typedef struct kc__hostport {
    char host[KC__HOST_MAX];
    int port;
} kc__hostport;

/* Parses a comma-separated list into a malloc'ed array (*outp, *cntp).
 * Entries may have surrounding spaces and an optional scheme prefix
 * ("PLAINTEXT://host:port"); the port defaults to 9092. Returns
 * KC_ERR__INVALID_ARG naming the bad entry (and `what`, e.g. the config
 * key) in errstr. */
kc_err_t kc__hostport_parse_list(const char *list, const char *what, kc__hostport **outp,
                                 size_t *cntp, char *errstr, size_t errsize);

#endif
