/* The broker thread: connection state machine, request pipeline, response
 * dispatch, timeouts and reconnect backoff. See broker.h. */
#include "broker.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "consumer/consumer.h"
#include "producer/producer.h"
#include "proto/gen/api_versions.h"
#include "proto/gen/apis.h"
#include "proto/gen/headers.h"
#include "util/time.h"


kc__req *kc__req_new(kc__client *c, int16_t api, kc__req_encode *enc, kc__req_cb *cb, void *arg) {
    kc__req *r = calloc(1, sizeof(*r));
    if (!r) return NULL;
    r->api = api;
    r->ver = -1;
    r->max_ver = -1;
    r->encode = enc;
    r->cb = cb;
    r->arg = arg;
    r->deadline_ms = kc__mono_ms() + c->request_timeout_ms;
    kc__buf_init(&r->frame, 0);
    return r;
}

void kc__req_free(kc__req *r) {
    if (!r) return;
    kc__buf_free(&r->frame);
    free(r);
}

static void req_op_free(kc__op *op) {
    /* A request still on the queue at destroy: fail it so its owner learns. */
    kc__req *r = (kc__req *)op;
    r->cb(NULL, r, KC_ERR__DESTROY, NULL, "client destroyed");
}

kc__broker *kc__broker_new(kc__client *c, int32_t id, const kc__hostport *hp) {
    kc__broker *b = calloc(1, sizeof(*b));
    if (!b) return NULL;
    b->c = c;
    b->id = id;
    b->addr = *hp;
    if (id <= KC__COORD_BROKER_ID(0))
        snprintf(b->name, sizeof b->name, "%s:%d/coordinator%d", hp->host, hp->port,
                 KC__COORD_BROKER_ID(0) - id);
    else
        snprintf(b->name, sizeof b->name, "%s:%d/%s%d", hp->host, hp->port,
                 id < 0 ? "bootstrap" : "", id < 0 ? -id : id);
    b->fd = -1;
    b->next_corr = 1;
    b->backoff_ms = kc__conf_int(c->conf, KC__CONF_RECONNECT_BACKOFF_MS);
    for (int i = 0; i < KC__API_KEY_MAX; i++) b->ver_min[i] = b->ver_max[i] = -1;
    kc__buf_init(&b->rbuf, 0);
    kc__buf_init(&b->scratch, 0);
    if (kc__q_init(&b->q, true)) {
        free(b);
        return NULL;
    }
    atomic_store(&b->state, KC__BRK_DOWN);
    return b;
}

void kc__broker_send(kc__broker *b, kc__req *r) {
    r->op.type = 1;
    r->op.free_fn = req_op_free;
    kc__q_push(&b->q, &r->op);
}

void kc__broker_enqueue(kc__broker *b, kc__req *r) {
    r->next = NULL;
    if (b->out_tail)
        b->out_tail->next = r;
    else
        b->out_head = r;
    b->out_tail = r;
}

void kc__broker_wake(kc__broker *b) { kc__q_wake(&b->q); }

/* The broker thread stores SCANNING before it looks at its partitions and
 * swaps it for its wake-up time before it sleeps (broker_main). A record
 * appended before this load is seen by the thread's next look (the
 * partition lock orders the two), and that look comes by the time loaded
 * here; SCANNING means the look in progress may have missed it, so it is
 * made to look again (RESCAN: it does not sleep). */
void kc__broker_wake_by(kc__broker *b, int64_t at) {
    int_fast64_t s = atomic_load(&b->sleep_until);
    for (;;) {
        if (s == KC__BRK_RESCAN) return;
        if (s == KC__BRK_SCANNING) {
            if (atomic_compare_exchange_weak(&b->sleep_until, &s, KC__BRK_RESCAN)) return;
            continue;
        }
        if (s <= at) return; /* it looks by then anyway */
        if (atomic_compare_exchange_weak(&b->sleep_until, &s, at)) {
            kc__q_wake(&b->q);
            return;
        }
    }
}

uint8_t *kc__broker_take_rbuf(kc__broker *b, size_t *capp) {
    if (!b->rbuf_whole) return NULL;
    b->rbuf_whole = false;
    b->rbuf_taken = true;
    *capp = b->rbuf.cap;
    return kc__buf_detach(&b->rbuf, NULL);
}

void kc__broker_give_rbuf(kc__broker *b, uint8_t *mem, size_t cap) {
    if (!b->rbuf_taken || b->rbuf.p || b->rbuf.oom) {
        free(mem);
        return;
    }
    b->rbuf.p = mem;
    b->rbuf.len = 0;
    b->rbuf.cap = cap;
}

int16_t kc__broker_pick_version(const kc__broker *b, int16_t api) {
    return kc__pick_version(b->ver_min, b->ver_max, api);
}

/* ------------------------------------------------------------ lifecycle */

static void fail_list(kc__broker *b, kc__req **head, kc__req **tail, kc_err_t err,
                      const char *why) {
    kc__req *r = *head;
    *head = *tail = NULL;
    while (r) {
        kc__req *next = r->next;
        r->cb(b, r, err, NULL, why);
        r = next;
    }
}

static void disconnect(kc__broker *b, kc_err_t err, const char *fmt, ...) KC__PRINTF(3, 4);
static void disconnect(kc__broker *b, kc_err_t err, const char *fmt, ...) {
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    kc__client *c = b->c;
    int was = atomic_load(&b->state);
    if (b->fd >= 0) close(b->fd);
    b->fd = -1;
    atomic_store(&b->state, KC__BRK_DOWN);
    b->rbuf.len = 0;
    /* Every request ends with the error, those in flight first, then those
     * not yet written: their owners resend (producer batches go back to
     * their partitions in sequence order, so nothing queued here can
     * overtake a batch that was in flight). */
    b->ninflight = 0;
    fail_list(b, &b->inf_head, &b->inf_tail, err, why);
    fail_list(b, &b->out_head, &b->out_tail, err, why);
    /* Exponential backoff with +-20% jitter. */
    int64_t max = kc__conf_int(c->conf, KC__CONF_RECONNECT_BACKOFF_MAX_MS);
    int64_t jitter = b->backoff_ms / 5;
    int64_t wait = b->backoff_ms + (jitter ? (int64_t)(random() % (2 * jitter + 1)) - jitter : 0);
    b->reconnect_at = kc__mono_ms() + wait;
    /* Log a lost connection as a warning, the first failed attempt after
     * that as info, and the retries that follow only at debug level. */
    bool repeat = was != KC__BRK_UP && atomic_load(&b->failed_once);
    b->backoff_ms = b->backoff_ms * 2 > max ? max : b->backoff_ms * 2;
    atomic_store(&b->failed_once, true);
    kc__log(c, was == KC__BRK_UP ? KC__LOG_WARNING : repeat ? KC__LOG_DEBUG : KC__LOG_INFO,
            "BROKER", "%s: %s%s", b->name, why, was == KC__BRK_UP ? " (disconnected)" : "");
    if (b->id >= 0) kc__client_refresh_metadata(c, "broker disconnected");
}

/* Non-blocking connect start. */
static void start_connect(kc__broker *b, int64_t now) {
    kc__client *c = b->c;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", b->addr.port);
    int rc = getaddrinfo(b->addr.host, port, &hints, &res);
    if (rc) {
        disconnect(b, KC_ERR__RESOLVE, "failed to resolve %s: %s", b->addr.host, gai_strerror(rc));
        return;
    }
    int fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    res->ai_protocol);
    if (fd < 0) {
        freeaddrinfo(res);
        disconnect(b, KC_ERR__TRANSPORT, "socket: %s", strerror(errno));
        return;
    }
    kc__sock_setopts(fd, c->conf);
    rc = connect(fd, res->ai_addr, res->ai_addrlen);
    int e = errno;
    freeaddrinfo(res);
    b->fd = fd;
    b->rcvlowat = 1; /* the kernel's default */
    b->rcvlowat_max = 0;
    if (rc && e != EINPROGRESS) {
        disconnect(b, KC_ERR__TRANSPORT, "connect failed: %s", strerror(e));
        return;
    }
    atomic_store(&b->state, KC__BRK_CONNECTING);
    b->connect_deadline = now + kc__conf_int(c->conf, KC__CONF_SOCKET_CONNECTION_SETUP_TIMEOUT_MS);
}

/* ------------------------------------------------------- ApiVersions */

static int encode_apiversions(kc__req *r, int16_t ver, kc__buf *body) {
    kc__client *c = r->arg;
    kc__ApiVersionsRequest req;
    kc__ApiVersionsRequest_init(&req);
    req.client_software_name = kc__str_c(kc__conf_str(c->conf, KC__CONF_CLIENT_SOFTWARE_NAME));
    req.client_software_version = kc__str_c(kc__conf_str(c->conf, KC__CONF_CLIENT_SOFTWARE_VERSION));
    return kc__ApiVersionsRequest_encode(body, ver, &req);
}

static void send_apiversions(kc__broker *b, int16_t ver);

static void on_apiversions(kc__broker *b, kc__req *r, kc_err_t err, kc__rd *body,
                           const char *errstr) {
    int16_t ver = r->ver;
    kc__req_free(r);
    if (!b || err) return; /* disconnect already handled it */
    kc__arena a;
    kc__arena_init(&a, 4096);
    kc__ApiVersionsResponse resp;
    kc__rd saved = *body;
    int rc = kc__ApiVersionsResponse_decode(body, &a, ver, &resp);
    if (rc && ver > 0) { /* a broker without this version answers with a v0 body */
        *body = saved;
        rc = kc__ApiVersionsResponse_decode(body, &a, 0, &resp);
    }
    if (rc) {
        kc__arena_destroy(&a);
        disconnect(b, KC_ERR__BAD_MSG, "malformed ApiVersionsResponse v%d", ver);
        return;
    }
    for (int i = 0; i < KC__API_KEY_MAX; i++) b->ver_min[i] = b->ver_max[i] = -1;
    for (int32_t i = 0; i < resp.api_keys.n; i++) {
        int16_t k = resp.api_keys.items[i].api_key;
        if (k >= 0 && k < KC__API_KEY_MAX) {
            b->ver_min[k] = resp.api_keys.items[i].min_version;
            b->ver_max[k] = resp.api_keys.items[i].max_version;
        }
    }
    int16_t code = resp.error_code;
    kc__arena_destroy(&a);
    if (code == KC_ERR_UNSUPPORTED_VERSION && b->ver_max[KC__API_API_VERSIONS] >= 0 &&
        b->ver_max[KC__API_API_VERSIONS] < ver) {
        send_apiversions(b, b->ver_max[KC__API_API_VERSIONS]);
        return;
    }
    if (code) {
        disconnect(b, (kc_err_t)code, "ApiVersions failed: %s", kc_err_name((kc_err_t)code));
        return;
    }
    atomic_store(&b->state, KC__BRK_UP);
    b->backoff_ms = kc__conf_int(b->c->conf, KC__CONF_RECONNECT_BACKOFF_MS);
    atomic_store(&b->failed_once, false);
    kc__log(b->c, KC__LOG_DEBUG, "BROKER", "%s: up (ApiVersions v%d)", b->name, ver);
}

static void send_apiversions(kc__broker *b, int16_t ver) {
    kc__req *r = kc__req_new(b->c, KC__API_API_VERSIONS, encode_apiversions, on_apiversions, b->c);
    if (!r) {
        disconnect(b, KC_ERR__CRIT_SYS_RESOURCE, "out of memory");
        return;
    }
    r->ver = ver;
    r->deadline_ms = b->connect_deadline;
    /* ApiVersions goes first, ahead of queued requests. */
    r->next = b->out_head;
    b->out_head = r;
    if (!b->out_tail) b->out_tail = r;
}

/* ------------------------------------------------------------ writing */

/* Builds r's frame for the broker's versions. Returns 0, or fails r. */
static int build_frame(kc__broker *b, kc__req *r) {
    kc__client *c = b->c;
    if (r->ver < 0) r->ver = kc__broker_pick_version(b, r->api);
    if (r->max_ver >= 0 && r->ver > r->max_ver) r->ver = r->max_ver;
    if (r->ver < 0) return KC_ERR__UNSUPPORTED_FEATURE;
    r->corr = b->next_corr++;
    kc__buf *f = &r->frame;
    f->len = 0;
    kc__w_i32(f, 0);
    kc__RequestHeader h;
    kc__RequestHeader_init(&h);
    h.request_api_key = r->api;
    h.request_api_version = r->ver;
    h.correlation_id = r->corr;
    h.client_id = kc__str_c(kc__conf_str(c->conf, KC__CONF_CLIENT_ID));
    if (kc__RequestHeader_encode(f, (int16_t)kc__api_request_header_version(r->api, r->ver), &h) ||
        r->encode(r, r->ver, f) || !kc__buf_ok(f))
        return KC_ERR__FAIL;
    kc__put_u32(f->p, (uint32_t)(f->len - 4));
    r->sent = 0;
    return 0;
}

static void do_write(kc__broker *b) {
    int max_inflight = b->c->max_inflight;
    while (b->out_head) {
        kc__req *r = b->out_head;
        bool handshake = r->api == KC__API_API_VERSIONS;
        int st = atomic_load(&b->state);
        if (!(st == KC__BRK_UP || (st == KC__BRK_APIVERSIONS && handshake))) return;
        if (r->frame.len == 0) {
            if (b->ninflight >= max_inflight && !handshake) return;
            int err = build_frame(b, r);
            if (err) {
                b->out_head = r->next;
                if (!b->out_head) b->out_tail = NULL;
                char why[512];
                snprintf(why, sizeof why, "%s: cannot send %s: %s", b->name,
                         kc__api_find(r->api) ? kc__api_find(r->api)->name : "request",
                         err == KC_ERR__UNSUPPORTED_FEATURE ? "no common API version"
                                                            : "encoding failed");
                r->cb(b, r, err, NULL, why);
                continue;
            }
        }
        ssize_t n = write(b->fd, r->frame.p + r->sent, r->frame.len - r->sent);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;
            disconnect(b, KC_ERR__TRANSPORT, "send failed: %s", strerror(errno));
            return;
        }
        r->sent += (size_t)n;
        if (r->sent < r->frame.len) return;
        b->out_head = r->next;
        if (!b->out_head) b->out_tail = NULL;
        r->next = NULL;
        if (r->no_response) {
            r->cb(b, r, KC_ERR_NO_ERROR, NULL, "");
            continue;
        }
        if (b->inf_tail)
            b->inf_tail->next = r;
        else
            b->inf_head = r;
        b->inf_tail = r;
        b->ninflight++;
    }
}

/* ------------------------------------------------------------ reading */

/* Partial responses shorter than this do not move the low-water mark. */
#define LOWAT_MIN (64 * 1024)

/* Sets the socket's receive low-water mark so that while a large response
 * is partly in (at the start of rbuf) poll() wakes the thread only once the
 * rest of it is there, or as much of it as half the receive buffer holds:
 * one wake-up and one read per response, not one per segment burst. Nothing
 * can be done with the response before it is whole anyway; a closed
 * connection, memory pressure or a closing window still wake poll(). */
static void set_rcvlowat(kc__broker *b) {
    int want = 1;
    if (b->rbuf.len >= 4) {
        size_t size = kc__get_u32(b->rbuf.p), have = b->rbuf.len - 4;
        if (size > have && size - have >= LOWAT_MIN) {
            if (!b->rcvlowat_max) {
                int v = 0;
                socklen_t l = sizeof v;
                if (getsockopt(b->fd, SOL_SOCKET, SO_RCVBUF, &v, &l) || v <= 0) v = 0;
                /* SO_RCVBUF reads back twice the payload room. */
                b->rcvlowat_max = v / 4 > LOWAT_MIN ? v / 4 : LOWAT_MIN;
            }
            size_t rem = size - have;
            want = rem < (size_t)b->rcvlowat_max ? (int)rem : b->rcvlowat_max;
        }
    }
    if (want != b->rcvlowat &&
        setsockopt(b->fd, SOL_SOCKET, SO_RCVLOWAT, &want, sizeof want) == 0)
        b->rcvlowat = want;
}

static void do_read(kc__broker *b) {
    for (;;) {
        if (kc__buf_reserve(&b->rbuf, 65536)) {
            disconnect(b, KC_ERR__CRIT_SYS_RESOURCE, "out of memory for responses");
            return;
        }
        ssize_t n = read(b->fd, b->rbuf.p + b->rbuf.len, b->rbuf.cap - b->rbuf.len);
        if (n == 0) {
            disconnect(b, KC_ERR__TRANSPORT, "connection closed by broker");
            return;
        }
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                set_rcvlowat(b);
                break;
            }
            disconnect(b, KC_ERR__TRANSPORT, "receive failed: %s", strerror(errno));
            return;
        }
        b->rbuf.len += (size_t)n;
        /* Dispatch every complete frame. */
        size_t off = 0;
        while (b->rbuf.len - off >= 4) {
            uint32_t size = kc__get_u32(b->rbuf.p + off);
            if (size < 4 || size > KC__MAX_RESPONSE_SIZE) {
                disconnect(b, KC_ERR__BAD_MSG, "invalid response size %u", size);
                return;
            }
            if (b->rbuf.len - off - 4 < size) {
                /* Room for the rest of this response (len - off of it is in). */
                if (kc__buf_reserve(&b->rbuf, (size_t)size + 4 - (b->rbuf.len - off))) {
                    disconnect(b, KC_ERR__CRIT_SYS_RESOURCE, "out of memory for a %u-byte response",
                               size);
                    return;
                }
                break;
            }
            kc__req *r = b->inf_head;
            if (!r) {
                disconnect(b, KC_ERR__BAD_MSG, "response without a request");
                return;
            }
            kc__rd rd;
            kc__rd_init(&rd, b->rbuf.p + off + 4, size);
            kc__ResponseHeader rh;
            if (kc__ResponseHeader_decode(&rd, NULL,
                                          (int16_t)kc__api_response_header_version(r->api, r->ver),
                                          &rh) ||
                rh.correlation_id != r->corr) {
                disconnect(b, KC_ERR__BAD_MSG, "response correlation id %d, expected %d",
                           rh.correlation_id, r->corr);
                return;
            }
            b->inf_head = r->next;
            if (!b->inf_head) b->inf_tail = NULL;
            b->ninflight--;
            /* A response that fills the read buffer alone may be taken
             * over by its callback (kc__broker_take_rbuf): no copy. */
            b->rbuf_whole = off == 0 && b->rbuf.len == 4 + (size_t)size;
            b->rbuf_taken = false;
            off += 4 + size;
            r->next = NULL;
            r->cb(b, r, KC_ERR_NO_ERROR, &rd, "");
            b->rbuf_whole = false;
            if (b->rbuf_taken) { /* it held only this response; maybe replaced (empty) */
                b->rbuf_taken = false;
                off = 0;
                if (b->fd < 0) return;
                break;
            }
            if (b->fd < 0) return; /* the callback disconnected */
        }
        if (off) {
            memmove(b->rbuf.p, b->rbuf.p + off, b->rbuf.len - off);
            b->rbuf.len -= off;
        }
    }
}

/* ------------------------------------------------------------ timeouts */

static int64_t check_timeouts(kc__broker *b, int64_t now) {
    int64_t next = INT64_MAX;
    if (b->inf_head) {
        if (now >= b->inf_head->deadline_ms) {
            disconnect(b, KC_ERR__TIMED_OUT, "request timed out after %lld ms (%d in flight)",
                       (long long)b->c->request_timeout_ms, b->ninflight);
            return now;
        }
        next = b->inf_head->deadline_ms;
    }
    int st = atomic_load(&b->state);
    if ((st == KC__BRK_CONNECTING || st == KC__BRK_APIVERSIONS) && now >= b->connect_deadline) {
        disconnect(b, KC_ERR__TIMED_OUT, "connection setup timed out");
        return now;
    }
    /* Queued requests that can't be sent in time (broker down). */
    kc__req **pp = &b->out_head, *prev = NULL;
    while (*pp) {
        kc__req *r = *pp;
        if (r->frame.len == 0 && now >= r->deadline_ms) {
            *pp = r->next;
            if (b->out_tail == r) b->out_tail = prev;
            char why[512];
            snprintf(why, sizeof why, "%s: request timed out while the broker was unreachable",
                     b->name);
            r->cb(b, r, KC_ERR__TIMED_OUT, NULL, why);
            continue;
        }
        if (r->deadline_ms < next) next = r->deadline_ms;
        prev = r;
        pp = &r->next;
    }
    return next;
}

/* ------------------------------------------------------------ main loop */

static void take_ops(kc__broker *b) {
    kc__op *op = kc__q_pop_all(&b->q);
    while (op) {
        kc__op *next = op->next;
        kc__req *r = (kc__req *)op;
        kc__broker_enqueue(b, r);
        op = next;
    }
}

static void *broker_main(void *arg) {
    kc__broker *b = arg;
    kc__client *c = b->c;
    while (!atomic_load(&c->terminate)) {
        atomic_store(&b->sleep_until, KC__BRK_SCANNING);
        int64_t now = kc__mono_ms();
        take_ops(b);
        int64_t wake_at = now + 1000;
        if (c->role == KC__ROLE_PRODUCER && b->id >= 0) {
            int64_t t = kc__sender_run(b, now);
            if (t < wake_at) wake_at = t;
        } else if (c->role == KC__ROLE_CONSUMER && b->id >= 0) {
            int64_t t = kc__fetcher_run(b, now);
            if (t < wake_at) wake_at = t;
        }
        int st = atomic_load(&b->state);
        if (st == KC__BRK_DOWN && (b->out_head || b->want_connect)) {
            if (now >= b->reconnect_at) {
                start_connect(b, now);
                st = atomic_load(&b->state);
            } else if (b->reconnect_at < wake_at) {
                wake_at = b->reconnect_at;
            }
        }
        int64_t t = check_timeouts(b, now);
        if (t < wake_at) wake_at = t;
        st = atomic_load(&b->state);
        if (st == KC__BRK_UP || st == KC__BRK_APIVERSIONS) do_write(b);

        struct pollfd pf[2] = {{.fd = b->q.efd, .events = POLLIN}, {.fd = -1}};
        int nfds = 1;
        st = atomic_load(&b->state);
        if (b->fd >= 0 && st != KC__BRK_DOWN) {
            pf[1].fd = b->fd;
            pf[1].events = POLLIN;
            if (st == KC__BRK_CONNECTING || (b->out_head && b->out_head->frame.len))
                pf[1].events |= POLLOUT;
            nfds = 2;
        }
        int timeout = (int)(wake_at - kc__mono_ms());
        if (timeout < 0) timeout = 0;
        if (kc__q_len(&b->q) > 0) timeout = 0;
        int_fast64_t scanning = KC__BRK_SCANNING;
        if (!atomic_compare_exchange_strong(&b->sleep_until, &scanning, wake_at))
            timeout = 0; /* RESCAN: a record came while the partitions were read */
        int n = poll(pf, (nfds_t)nfds, timeout);
        if (n < 0 && errno != EINTR) break;
        if (pf[0].revents) kc__q_drain_wakeup(&b->q);
        if (nfds == 2 && pf[1].revents) {
            if (st == KC__BRK_CONNECTING) {
                int soerr = 0;
                socklen_t len = sizeof soerr;
                getsockopt(b->fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
                if (soerr) {
                    disconnect(b, KC_ERR__TRANSPORT, "connect failed: %s", strerror(soerr));
                    continue;
                }
                atomic_store(&b->state, KC__BRK_APIVERSIONS);
                send_apiversions(b, KC__API_VERSIONS_MAX_VERSION);
                do_write(b);
                continue;
            }
            if (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) do_read(b);
            if (b->fd >= 0 && (pf[1].revents & POLLOUT)) do_write(b);
        }
    }
    /* Shutdown: fail everything still here. */
    take_ops(b);
    if (b->fd >= 0) close(b->fd);
    b->fd = -1;
    atomic_store(&b->state, KC__BRK_DOWN);
    fail_list(b, &b->inf_head, &b->inf_tail, KC_ERR__DESTROY, "client destroyed");
    fail_list(b, &b->out_head, &b->out_tail, KC_ERR__DESTROY, "client destroyed");
    return NULL;
}

int kc__broker_start(kc__broker *b) {
    return pthread_create(&b->thread, NULL, broker_main, b) ? -1 : 0;
}

void kc__broker_stop(kc__broker *b) { kc__q_wake(&b->q); }

void kc__broker_join_free(kc__broker *b) {
    if (!b) return;
    pthread_join(b->thread, NULL);
    kc__q_destroy(&b->q);
    kc__buf_free(&b->rbuf);
    kc__buf_free(&b->scratch);
    free(b->ptns);
    kc__fetcher_free(b);
    free(b);
}
