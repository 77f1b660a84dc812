/* A connection to one broker: TCP transport, request framing, correlation,
 * and the API versions negotiated with that broker.
 *
 * This is the blocking form used for bootstrap metadata; each call takes a
 * deadline (monotonic ms) and never blocks past it.
 *
 * Thread: a kc__conn belongs to one thread. */
#ifndef KC_NET_CONN_H
#define KC_NET_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "../proto/wire.h"
#include "addr.h"
#include "kafkac.h"

#define KC__API_KEY_MAX 100 /* keys 0..99 tracked */
/* Largest response accepted from a broker (bytes), so that a garbage size
 * prefix cannot make the client allocate gigabytes. */
#define KC__MAX_RESPONSE_SIZE (512 * 1024 * 1024)

typedef struct kc__conn {
    int fd;
    kc__hostport addr;
    char name[KC__HOST_MAX + 8]; /* "host:port" for messages */
    int32_t next_corr_id;
    const char *client_id;
    /* Broker's supported range per API key; max < 0: unsupported/unknown. */
    int16_t ver_min[KC__API_KEY_MAX];
    int16_t ver_max[KC__API_KEY_MAX];
    bool versions_known;
    kc__buf rbuf; /* last response frame */
} kc__conn;

void kc__conn_init(kc__conn *c, const kc__hostport *hp, const char *client_id);

/* TCP connect (all resolved addresses in turn) with socket options from
 * conf. Errors name the broker: KC_ERR__RESOLVE, KC_ERR__TRANSPORT,
 * KC_ERR__TIMED_OUT. */
kc_err_t kc__conn_connect(kc__conn *c, const kc_conf_t *conf, int64_t deadline_ms,
                          char *errstr, size_t errsize);
void kc__conn_close(kc__conn *c);

/* Sends one request (header + body, one writev) and waits for its response.
 * On success *body is a reader over the response body (header stripped),
 * valid until the next call on this connection. */
kc_err_t kc__conn_call(kc__conn *c, int16_t api, int16_t ver, const kc__buf *req_body,
                       kc__rd *body, int64_t deadline_ms, char *errstr, size_t errsize);

/* Sends ApiVersions (highest version we know, falling back to what the
 * broker says it supports) and records the broker's ranges. */
kc_err_t kc__conn_negotiate(kc__conn *c, const kc_conf_t *conf, int64_t deadline_ms,
                            char *errstr, size_t errsize);

/* Highest version of `api` both sides support, or -1. */
int16_t kc__conn_pick_version(const kc__conn *c, int16_t api);
/* The same for any broker's ranges (arrays indexed by api key). */
int16_t kc__pick_version(const int16_t *ver_min, const int16_t *ver_max, int16_t api);
/* Socket options from conf: TCP_NODELAY, SO_SNDBUF, SO_RCVBUF. */
void kc__sock_setopts(int fd, const kc_conf_t *conf);

#endif
