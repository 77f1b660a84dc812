/* Messages returned by kc_consumer_poll(): records (slots of a fetched
 * chunk, pointing into its buffers) and events (allocated on their own). */
#include <stdlib.h>
#include <string.h>

#include "consumer.h"

kc_message_t *kc__msg_event_new(const char *topic, int32_t partition, kc_err_t err,
                                int64_t offset, const char *errstr) {
    size_t tl = topic ? strlen(topic) + 1 : 0;
    size_t el = strlen(errstr ? errstr : "") + 1;
    kc_message_t *m = calloc(1, sizeof(*m) + tl + el);
    if (!m) return NULL;
    char *p = (char *)(m + 1);
    if (topic) {
        memcpy(p, topic, tl);
        m->topic = p;
        p += tl;
    }
    memcpy(p, errstr ? errstr : "", el);
    m->errstr = p;
    m->partition = topic ? partition : -1;
    m->offset = offset;
    m->err = err;
    m->leader_epoch = -1;
    m->key = m->value = KC__BYTES_NULL;
    return m;
}

kc_err_t kc_message_error(const kc_message_t *m) { return m ? m->err : KC_ERR__INVALID_ARG; }
const char *kc_message_errstr(const kc_message_t *m) {
    return m && m->errstr ? m->errstr : "";
}
const char *kc_message_topic(const kc_message_t *m) { return m ? m->topic : NULL; }
int32_t kc_message_partition(const kc_message_t *m) { return m ? m->partition : -1; }
int64_t kc_message_offset(const kc_message_t *m) { return m ? m->offset : -1; }
int32_t kc_message_leader_epoch(const kc_message_t *m) { return m ? m->leader_epoch : -1; }

static const void *bytes_out(kc__bytes b, size_t *lenp) {
    if (lenp) *lenp = b.len > 0 ? (size_t)b.len : 0;
    return b.len < 0 ? NULL : b.p;
}
const void *kc_message_key(const kc_message_t *m, size_t *lenp) {
    return bytes_out(m ? m->key : KC__BYTES_NULL, lenp);
}
const void *kc_message_value(const kc_message_t *m, size_t *lenp) {
    return bytes_out(m ? m->value : KC__BYTES_NULL, lenp);
}
int64_t kc_message_timestamp(const kc_message_t *m, int *typep) {
    if (typep) *typep = m && !m->err ? m->tstype : KC_TIMESTAMP_NOT_AVAILABLE;
    return m && !m->err ? m->timestamp : -1;
}

size_t kc_message_header_count(const kc_message_t *m) {
    return m && m->hdr_count > 0 ? (size_t)m->hdr_count : 0;
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
    if (!m->hdr_index) {
        hdr_ent *idx = calloc((size_t)m->hdr_count, sizeof(*idx));
        if (!idx) return KC_ERR__CRIT_SYS_RESOURCE;
        kc__record r = {.headers = m->hdrs, .headers_len = m->hdrs_len,
                        .header_count = m->hdr_count};
        kc__header_iter hi;
        kc__header_iter_init(&hi, &r);
        for (int32_t k = 0; k < m->hdr_count && kc__header_iter_next(&hi, &idx[k].name,
                                                                     &idx[k].value); k++) {
        }
        m->hdr_index = idx;
    }
    const hdr_ent *h = &((const hdr_ent *)m->hdr_index)[i];
    if (namep) *namep = h->name.p ? h->name.p : "";
    if (name_lenp) *name_lenp = h->name.len > 0 ? (size_t)h->name.len : 0;
    const void *v = bytes_out(h->value, value_lenp);
    if (valuep) *valuep = v;
    return KC_ERR_NO_ERROR;
}

void kc_message_destroy(kc_message_t *m) {
    if (!m) return;
    free(m->hdr_index);
    m->hdr_index = NULL;
    if (m->chunk)
        kc__fchunk_release(m->chunk);
    else
        free(m);
}
