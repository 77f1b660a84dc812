/* Messages returned by kc_consumer_poll(): records (slots of a fetched
 * chunk, pointing into its buffers) and events (allocated on their own). */
#include <stdlib.h>
#include <string.h>

#include "consumer.h"

kc_message_t *kc__msg_event_new(const char *topic, int32_t partition, kc_err_t err,
                                int64_t offset, const char *errstr) {
    size_t tl = topic ? strlen(topic) + 1 : 0;
    size_t el = strlen(errstr ? errstr : "") + 1;
    kc__msg_event *ev = calloc(1, sizeof(*ev) + tl + el);
    if (!ev) return NULL;
    char *p = (char *)(ev + 1);
    if (topic) {
        memcpy(p, topic, tl);
        ev->topic = p;
        p += tl;
    }
    memcpy(p, errstr ? errstr : "", el);
    ev->errstr = p;
    ev->partition = topic ? partition : -1;
    ev->err = err;
    kc_message_t *m = &ev->m;
    m->offset = offset;
    m->timestamp = -1;
    m->key_len = m->value_len = -1;
    return m;
}

static inline const kc__msg_event *ev_of(const kc_message_t *m) {
    return (const kc__msg_event *)m; /* m is its first member */
}

kc_err_t kc_message_error(const kc_message_t *m) {
    if (!m) return KC_ERR__INVALID_ARG;
    return m->chunk ? KC_ERR_NO_ERROR : ev_of(m)->err;
}
const char *kc_message_errstr(const kc_message_t *m) {
    return m && !m->chunk && ev_of(m)->errstr ? ev_of(m)->errstr : "";
}
const char *kc_message_topic(const kc_message_t *m) {
    if (!m) return NULL;
    return m->chunk ? m->chunk->topic : ev_of(m)->topic;
}
int32_t kc_message_partition(const kc_message_t *m) {
    if (!m) return -1;
    return m->chunk ? m->chunk->partition : ev_of(m)->partition;
}
int64_t kc_message_offset(const kc_message_t *m) { return m ? m->offset : -1; }
int32_t kc_message_leader_epoch(const kc_message_t *m) {
    return m && m->chunk ? m->chunk->leader_epoch : -1;
}

static const void *bytes_out(const uint8_t *p, int32_t len, size_t *lenp) {
    if (lenp) *lenp = len > 0 ? (size_t)len : 0;
    return len < 0 ? NULL : p;
}
const void *kc_message_key(const kc_message_t *m, size_t *lenp) {
    return m ? bytes_out(m->key, m->key_len, lenp) : bytes_out(NULL, -1, lenp);
}
const void *kc_message_value(const kc_message_t *m, size_t *lenp) {
    return m ? bytes_out(m->value, m->value_len, lenp) : bytes_out(NULL, -1, lenp);
}
int64_t kc_message_timestamp(const kc_message_t *m, int *typep) {
    if (typep) *typep = m && m->chunk ? m->chunk->tstype : KC_TIMESTAMP_NOT_AVAILABLE;
    return m && m->chunk ? m->timestamp : -1;
}

size_t kc_message_header_count(const kc_message_t *m) {
    return m && m->chunk && m->hdr_count > 0 ? (size_t)m->hdr_count : 0;
}

/* One decoded header, indexed on first access. */
typedef struct hdr_ent {
    kc__str name;
    kc__bytes value;
} hdr_ent;

kc_err_t kc_message_header(const kc_message_t *cm, size_t i, const char **namep,
                           size_t *name_lenp, const void **valuep, size_t *value_lenp) {
    kc_message_t *m = (kc_message_t *)cm; /* the index is a cache */
    if (!m || i >= kc_message_header_count(m)) return KC_ERR__NOENT;
    if (!(m->hdrs_len & KC__MSG_HDRS_INDEXED)) {
        hdr_ent *idx = calloc((size_t)m->hdr_count, sizeof(*idx));
        if (!idx) return KC_ERR__CRIT_SYS_RESOURCE;
        kc__record r = {.headers = m->hdrs, .headers_len = m->hdrs_len,
                        .header_count = m->hdr_count};
        kc__header_iter hi;
        kc__header_iter_init(&hi, &r);
        for (int32_t k = 0; k < m->hdr_count && kc__header_iter_next(&hi, &idx[k].name,
                                                                     &idx[k].value); k++) {
        }
        /* The raw headers are not needed any more: the index replaces them. */
        m->hdrs = (const uint8_t *)idx;
        m->hdrs_len |= KC__MSG_HDRS_INDEXED;
    }
    const hdr_ent *h = &((const hdr_ent *)m->hdrs)[i];
    if (namep) *namep = h->name.p ? h->name.p : "";
    if (name_lenp) *name_lenp = h->name.len > 0 ? (size_t)h->name.len : 0;
    const void *v = bytes_out(h->value.p, h->value.len, value_lenp);
    if (valuep) *valuep = v;
    return KC_ERR_NO_ERROR;
}

void kc_message_destroy(kc_message_t *m) {
    if (!m) return;
    if (!m->chunk) {
        free(m); /* an event: its kc__msg_event */
        return;
    }
    if (m->hdrs_len & KC__MSG_HDRS_INDEXED) {
        free((void *)(uintptr_t)m->hdrs);
        m->hdrs = NULL;
        m->hdrs_len = 0;
    }
    kc__fchunk_release(m->chunk);
}
