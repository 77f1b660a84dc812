/* Topic-partition lists (kc_tplist_*): a growable array of entries. */
#include <stdlib.h>
#include <string.h>

#include "consumer.h"

kc_tplist_t *kc_tplist_new(int size_hint) {
    kc_tplist_t *l = calloc(1, sizeof(*l));
    if (!l) return NULL;
    if (size_hint > 0) {
        l->e = calloc((size_t)size_hint, sizeof(*l->e));
        if (!l->e) {
            free(l);
            return NULL;
        }
        l->cap = size_hint;
    }
    return l;
}

void kc_tplist_destroy(kc_tplist_t *l) {
    if (!l) return;
    for (int i = 0; i < l->n; i++) {
        free(l->e[i].topic);
        free(l->e[i].metadata);
    }
    free(l->e);
    free(l);
}

int kc_tplist_add(kc_tplist_t *l, const char *topic, int32_t partition) {
    if (!l || !topic || !*topic) return -1;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        void *e = realloc(l->e, sizeof(*l->e) * (size_t)cap);
        if (!e) return -1;
        l->e = e;
        l->cap = cap;
    }
    char *t = strdup(topic);
    if (!t) return -1;
    struct kc__tpl_entry *x = &l->e[l->n];
    memset(x, 0, sizeof(*x));
    x->topic = t;
    x->partition = partition;
    x->leader_epoch = -1;
    x->offset = KC_OFFSET_INVALID;
    return l->n++;
}

kc_tplist_t *kc_tplist_copy(const kc_tplist_t *src) {
    if (!src) return NULL;
    kc_tplist_t *l = kc_tplist_new(src->n);
    for (int i = 0; l && i < src->n; i++) {
        const struct kc__tpl_entry *s = &src->e[i];
        if (kc_tplist_add(l, s->topic, s->partition) < 0 ||
            kc_tplist_set_metadata(l, i, s->metadata)) {
            kc_tplist_destroy(l);
            return NULL;
        }
        l->e[i].offset = s->offset;
        l->e[i].leader_epoch = s->leader_epoch;
        l->e[i].err = s->err;
    }
    return l;
}

int kc_tplist_count(const kc_tplist_t *l) { return l ? l->n : 0; }

int kc_tplist_find(const kc_tplist_t *l, const char *topic, int32_t partition) {
    for (int i = 0; l && topic && i < l->n; i++)
        if (l->e[i].partition == partition && !strcmp(l->e[i].topic, topic)) return i;
    return -1;
}

#define ENTRY(l, i) ((l) && (i) >= 0 && (i) < (l)->n ? &(l)->e[i] : NULL)

const char *kc_tplist_topic(const kc_tplist_t *l, int i) {
    const struct kc__tpl_entry *x = ENTRY(l, i);
    return x ? x->topic : NULL;
}
int32_t kc_tplist_partition(const kc_tplist_t *l, int i) {
    const struct kc__tpl_entry *x = ENTRY(l, i);
    return x ? x->partition : -1;
}
int64_t kc_tplist_offset(const kc_tplist_t *l, int i) {
    const struct kc__tpl_entry *x = ENTRY(l, i);
    return x ? x->offset : KC_OFFSET_INVALID;
}
int32_t kc_tplist_leader_epoch(const kc_tplist_t *l, int i) {
    const struct kc__tpl_entry *x = ENTRY(l, i);
    return x ? x->leader_epoch : -1;
}
const char *kc_tplist_metadata(const kc_tplist_t *l, int i) {
    const struct kc__tpl_entry *x = ENTRY(l, i);
    return x ? (x->metadata ? x->metadata : "") : NULL;
}
kc_err_t kc_tplist_error(const kc_tplist_t *l, int i) {
    const struct kc__tpl_entry *x = ENTRY(l, i);
    return x ? x->err : KC_ERR__INVALID_ARG;
}
void kc_tplist_set_offset(kc_tplist_t *l, int i, int64_t offset) {
    struct kc__tpl_entry *x = ENTRY(l, i);
    if (x) x->offset = offset;
}
void kc_tplist_set_leader_epoch(kc_tplist_t *l, int i, int32_t epoch) {
    struct kc__tpl_entry *x = ENTRY(l, i);
    if (x) x->leader_epoch = epoch;
}
void kc_tplist_set_error(kc_tplist_t *l, int i, kc_err_t err) {
    struct kc__tpl_entry *x = ENTRY(l, i);
    if (x) x->err = err;
}
kc_err_t kc_tplist_set_metadata(kc_tplist_t *l, int i, const char *metadata) {
    struct kc__tpl_entry *x = ENTRY(l, i);
    if (!x) return KC_ERR__INVALID_ARG;
    char *m = NULL;
    if (metadata && !(m = strdup(metadata))) return KC_ERR__CRIT_SYS_RESOURCE;
    free(x->metadata);
    x->metadata = m;
    return KC_ERR_NO_ERROR;
}
