/* Admin client internals: the handle (a client without producer or
 * consumer role), blocking request round trips, and the result object
 * shared by every operation (admin.c); the operations live in
 * admin_topics.c, admin_configs.c, admin_groups.c and admin_records.c. */
#ifndef KC_ADMIN_ADMIN_H
#define KC_ADMIN_ADMIN_H

#include "consumer/consumer.h" /* struct kc_tplist */
#include "core/client.h"
#include "proto/wire.h"

struct kc_admin {
    kc__client *c;
};

typedef struct kc__cfg_entry {
    char *name, *value;
    int source;
    bool read_only, sensitive;
} kc__cfg_entry;

typedef struct kc__gmember {
    char *id, *instance_id, *client_id, *host;
    kc_tplist_t *assignment;
} kc__gmember;

typedef struct kc__aitem {
    char *name;
    kc_err_t err;
    char *errstr;
    kc__cfg_entry *cfgs;
    int ncfgs;
    kc_tplist_t *parts;
    char *state, *ptype, *protocol;
    kc__gmember *members;
    int nmembers;
} kc__aitem;

struct kc_admin_result {
    kc__aitem *items;
    int n, cap;
};

/* A new result, NULL when out of memory. */
kc_admin_result_t *kc__ares_new(void);
/* Appends an item named `name` (len bytes; -1: NUL-terminated) with err and
 * message (NULL: the error's description). NULL when out of memory. */
kc__aitem *kc__ares_add(kc_admin_result_t *r, const char *name, int len, kc_err_t err,
                        const char *msg, int msglen);

/* Encodes the request body for version ver from ctx. */
typedef int kc__admin_enc(void *ctx, int16_t ver, kc__buf *body);

/* A response: the body copied, and the version it was sent with. */
typedef struct kc__aresp {
    uint8_t *body;
    size_t len;
    int16_t ver;
} kc__aresp;

/* Sends one request to broker `node` (KC__ANY_BROKER: any) and waits for
 * its answer until deadline. ctx is freed with ctx_free (may be NULL) once
 * the request is done with it, even when the caller stopped waiting. On
 * success *out holds the body (free out->body). max_ver caps the version
 * (-1: none). */
#define KC__ANY_BROKER INT32_MIN
kc_err_t kc__admin_roundtrip(kc__client *c, int32_t node, int16_t api, int16_t max_ver,
                             kc__admin_enc *enc, void *ctx, void (*ctx_free)(void *),
                             int64_t deadline, kc__aresp *out, char *errstr, size_t errsize);
/* The group coordinator of `group`: its node id (added to the brokers), or
 * -1 with an error. */
int32_t kc__admin_coordinator(kc__client *c, const char *group, int64_t deadline, kc_err_t *errp,
                              char *errstr, size_t errsize);
/* The deadline of an admin call with timeout_ms (-1: request.timeout.ms). */
int64_t kc__admin_deadline(kc__client *c, int timeout_ms);
/* kc_new_topic_t: a deep copy (NULL when out of memory) and fields. */
kc_new_topic_t *kc__new_topic_clone(const kc_new_topic_t *t);
const char *kc__new_topic_name(const kc_new_topic_t *t);
int32_t kc__new_topic_partitions(const kc_new_topic_t *t);
int16_t kc__new_topic_rf(const kc_new_topic_t *t);
/* Config pairs (name, value) as a flat array of 2n strings; returns n. */
int kc__new_topic_configs(const kc_new_topic_t *t, char *const **kv);

/* A copy of a protocol string ("" for null). NULL when out of memory. */
char *kc__strdup_k(kc__str s);

#endif
