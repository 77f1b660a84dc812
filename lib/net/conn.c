/* Blocking broker connection: connect, framing, correlation. */
#include "conn.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/conf.h"
#include "core/err.h"
#include "proto/gen/apis.h"
#include "proto/gen/headers.h"
#include "util/time.h"

void kc__conn_init(kc__conn *c, const kc__hostport *hp, const char *client_id) {
    memset(c, 0, sizeof(*c));
    c->fd = -1;
    c->addr = *hp;
    if (strchr(hp->host, ':'))
        snprintf(c->name, sizeof c->name, "[%s]:%d", hp->host, hp->port);
    else
        snprintf(c->name, sizeof c->name, "%s:%d", hp->host, hp->port);
    c->next_corr_id = 1;
    c->client_id = client_id;
    for (int i = 0; i < KC__API_KEY_MAX; i++) c->ver_min[i] = c->ver_max[i] = -1;
    kc__buf_init(&c->rbuf, 0);
}

void kc__conn_close(kc__conn *c) {
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    kc__buf_free(&c->rbuf);
}

/* Waits for `events` on fd until the deadline: 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short events, int64_t deadline_ms) {
    for (;;) {
        struct pollfd p = {.fd = fd, .events = events};
        int n = poll(&p, 1, kc__ms_left(deadline_ms));
        if (n > 0) return 1;
        if (n == 0) return 0;
        if (errno != EINTR) return -1;
    }
}

void kc__sock_setopts(int fd, const kc_conf_t *conf) {
    int one = 1;
    if (kc__conf_int(conf, KC__CONF_SOCKET_NAGLE_DISABLE))
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int snd = (int)kc__conf_int(conf, KC__CONF_SOCKET_SEND_BUFFER_BYTES);
    int rcv = (int)kc__conf_int(conf, KC__CONF_SOCKET_RECEIVE_BUFFER_BYTES);
    if (snd > 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd);
    if (rcv > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
}

kc_err_t kc__conn_connect(kc__conn *c, const kc_conf_t *conf, int64_t deadline_ms,
                          char *errstr, size_t errsize) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", c->addr.port);
    int rc = getaddrinfo(c->addr.host, port, &hints, &res);
    if (rc)
        return kc__seterr(errstr, errsize, KC_ERR__RESOLVE, "%s: failed to resolve host: %s",
                          c->name, gai_strerror(rc));
    kc_err_t err = KC_ERR__TRANSPORT;
    int last_errno = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        kc__sock_setopts(fd, conf);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 || errno == EINPROGRESS) {
            int w = wait_fd(fd, POLLOUT, deadline_ms);
            int soerr = 0;
            socklen_t len = sizeof soerr;
            if (w == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
                soerr == 0) {
                c->fd = fd;
                err = KC_ERR_NO_ERROR;
                break;
            }
            if (w == 0) {
                err = KC_ERR__TIMED_OUT;
                close(fd);
                break;
            }
            last_errno = soerr ? soerr : errno;
        } else {
            last_errno = errno;
        }
        close(fd);
    }
    freeaddrinfo(res);
    if (err == KC_ERR__TIMED_OUT)
        return kc__seterr(errstr, errsize, err, "%s: connection timed out", c->name);
    if (err)
        return kc__seterr(errstr, errsize, err, "%s: connect failed: %s", c->name,
                          strerror(last_errno ? last_errno : ECONNREFUSED));
    return KC_ERR_NO_ERROR;
}

static kc_err_t io_error(kc__conn *c, const char *what, int e, char *errstr, size_t errsize) {
    kc__conn_close(c);
    return kc__seterr(errstr, errsize, KC_ERR__TRANSPORT, "%s: %s: %s", c->name, what,
                      e ? strerror(e) : "connection closed by broker");
}

/* Writes all iovecs, waiting for POLLOUT as needed. */
static kc_err_t write_all(kc__conn *c, struct iovec *iov, int iovcnt, int64_t deadline_ms,
                          char *errstr, size_t errsize) {
    while (iovcnt > 0) {
        ssize_t n = writev(c->fd, iov, iovcnt);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) return io_error(c, "send failed", errno, errstr, errsize);
            int w = wait_fd(c->fd, POLLOUT, deadline_ms);
            if (w == 0)
                return kc__seterr(errstr, errsize, KC_ERR__TIMED_OUT, "%s: send timed out",
                                  c->name);
            if (w < 0) return io_error(c, "poll failed", errno, errstr, errsize);
            continue;
        }
        while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
            n -= (ssize_t)iov->iov_len;
            iov++;
            iovcnt--;
        }
        if (iovcnt > 0) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= (size_t)n;
        }
    }
    return KC_ERR_NO_ERROR;
}

static kc_err_t read_full(kc__conn *c, uint8_t *p, size_t n, int64_t deadline_ms,
                          char *errstr, size_t errsize) {
    while (n > 0) {
        ssize_t r = read(c->fd, p, n);
        if (r > 0) {
            p += r;
            n -= (size_t)r;
            continue;
        }
        if (r == 0) return io_error(c, "receive failed", 0, errstr, errsize);
        if (errno == EINTR) continue;
        if (errno != EAGAIN) return io_error(c, "receive failed", errno, errstr, errsize);
        int w = wait_fd(c->fd, POLLIN, deadline_ms);
        if (w == 0)
            return kc__seterr(errstr, errsize, KC_ERR__TIMED_OUT,
                              "%s: timed out waiting for a response", c->name);
        if (w < 0) return io_error(c, "poll failed", errno, errstr, errsize);
    }
    return KC_ERR_NO_ERROR;
}

kc_err_t kc__conn_call(kc__conn *c, int16_t api, int16_t ver, const kc__buf *req_body,
                       kc__rd *body, int64_t deadline_ms, char *errstr, size_t errsize) {
    if (c->fd < 0)
        return kc__seterr(errstr, errsize, KC_ERR__TRANSPORT, "%s: not connected", c->name);
    int32_t corr = c->next_corr_id++;
    int hver = kc__api_request_header_version(api, ver);
    if (hver < 0)
        return kc__seterr(errstr, errsize, KC_ERR__UNSUPPORTED_FEATURE,
                          "%s: no codec for API %d version %d", c->name, api, ver);
    kc__buf hdr;
    kc__buf_init(&hdr, 64);
    kc__w_i32(&hdr, 0); /* size, filled below */
    kc__RequestHeader rh;
    kc__RequestHeader_init(&rh);
    rh.request_api_key = api;
    rh.request_api_version = ver;
    rh.correlation_id = corr;
    rh.client_id = kc__str_c(c->client_id);
    int erc = kc__RequestHeader_encode(&hdr, (int16_t)hver, &rh);
    if (erc || !kc__buf_ok(&hdr) || !kc__buf_ok(req_body)) {
        kc__buf_free(&hdr);
        return kc__seterr(errstr, errsize, KC_ERR__FAIL, "%s: failed to encode request header",
                          c->name);
    }
    kc__put_u32(hdr.p, (uint32_t)(hdr.len - 4 + req_body->len));
    struct iovec iov[2] = {{hdr.p, hdr.len}, {req_body->p, req_body->len}};
    kc_err_t err = write_all(c, iov, req_body->len ? 2 : 1, deadline_ms, errstr, errsize);
    kc__buf_free(&hdr);
    if (err) return err;

    uint8_t szb[4];
    if ((err = read_full(c, szb, 4, deadline_ms, errstr, errsize))) return err;
    uint32_t size = kc__get_u32(szb);
    if (size < 4 || size > KC__MAX_RESPONSE_SIZE) {
        kc__conn_close(c);
        return kc__seterr(errstr, errsize, KC_ERR__BAD_MSG,
                          "%s: invalid response size %u (not a Kafka broker, or TLS/SASL "
                          "expected?)",
                          c->name, size);
    }
    c->rbuf.len = 0;
    if (kc__buf_reserve(&c->rbuf, size))
        return kc__seterr(errstr, errsize, KC_ERR__CRIT_SYS_RESOURCE,
                          "%s: out of memory for a %u-byte response", c->name, size);
    if ((err = read_full(c, c->rbuf.p, size, deadline_ms, errstr, errsize))) return err;
    c->rbuf.len = size;

    kc__rd_init(body, c->rbuf.p, c->rbuf.len);
    kc__ResponseHeader rsh;
    int rc = kc__ResponseHeader_decode(body, NULL,
                                       (int16_t)kc__api_response_header_version(api, ver), &rsh);
    if (rc || body->err)
        return kc__seterr(errstr, errsize, KC_ERR__BAD_MSG, "%s: malformed response header",
                          c->name);
    if (rsh.correlation_id != corr) {
        kc__conn_close(c);
        return kc__seterr(errstr, errsize, KC_ERR__BAD_MSG,
                          "%s: response correlation id %d does not match request %d", c->name,
                          rsh.correlation_id, corr);
    }
    return KC_ERR_NO_ERROR;
}

int16_t kc__pick_version(const int16_t *ver_min, const int16_t *ver_max, int16_t api) {
    const kc__api_info *ai = kc__api_find(api);
    if (!ai || api < 0 || api >= KC__API_KEY_MAX || ver_max[api] < 0) return -1;
    /* The broker hides versions marked unstable unless configured to show
     * them; we never pick those. */
    int16_t hi = ai->max_stable_version < ver_max[api] ? ai->max_stable_version : ver_max[api];
    int16_t lo = ai->min_version > ver_min[api] ? ai->min_version : ver_min[api];
    return hi >= lo ? hi : -1;
}

int16_t kc__conn_pick_version(const kc__conn *c, int16_t api) {
    return kc__pick_version(c->ver_min, c->ver_max, api);
}
