/* Topic map and metadata application. See topic.h. */
#include "topic.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/broker.h"
#include "producer/producer.h"
#include "proto/gen/metadata.h"
#include "util/time.h"

static uint64_t hash_name(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

kc__topic *kc__topic_find(kc__client *c, const char *name, size_t len) {
    size_t mask = c->topic_cap - 1;
    for (size_t i = hash_name(name, len) & mask;; i = (i + 1) & mask) {
        kc__topic *t = c->topic_map[i];
        if (!t) return NULL;
        if (strlen(t->name) == len && memcmp(t->name, name, len) == 0) return t;
    }
}

static void insert(kc__topic **map, size_t cap, kc__topic *t) {
    size_t mask = cap - 1;
    size_t i = hash_name(t->name, strlen(t->name)) & mask;
    while (map[i]) i = (i + 1) & mask;
    map[i] = t;
}

kc__topic *kc__topic_get(kc__client *c, const char *name) {
    size_t len = strlen(name);
    pthread_rwlock_rdlock(&c->topics_lock);
    kc__topic *t = kc__topic_find(c, name, len);
    pthread_rwlock_unlock(&c->topics_lock);
    if (t) return t;
    pthread_rwlock_wrlock(&c->topics_lock);
    t = kc__topic_find(c, name, len);
    if (!t) {
        if ((c->topic_cnt + 1) * 2 > c->topic_cap) {
            size_t cap = c->topic_cap * 2;
            kc__topic **map = calloc(cap, sizeof(*map));
            if (!map) goto out;
            for (size_t i = 0; i < c->topic_cap; i++)
                if (c->topic_map[i]) insert(map, cap, c->topic_map[i]);
            free(c->topic_map);
            c->topic_map = map;
            c->topic_cap = cap;
        }
        t = calloc(1, sizeof(*t));
        if (!t || !(t->name = strdup(name))) {
            free(t);
            t = NULL;
            goto out;
        }
        t->created_ms = kc__mono_ms();
        pthread_mutex_init(&t->lock, NULL);
        kc__part_state_init(&t->pstate, (uint64_t)(uintptr_t)t ^ (uint64_t)kc__wall_ms());
        insert(c->topic_map, c->topic_cap, t);
        c->topic_cnt++;
    }
out:
    pthread_rwlock_unlock(&c->topics_lock);
    if (t) kc__client_refresh_metadata_now(c, "new topic");
    return t;
}

static kc__ptn *ptn_new(kc__topic *t, int32_t id) {
    kc__ptn *p = calloc(1, sizeof(*p));
    if (!p) return NULL;
    p->topic = t;
    p->id = id;
    atomic_store(&p->leader, -1);
    p->pid = -1;
    p->epoch = -1;
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void kc__metadata_apply(kc__client *c, const kc__MetadataResponse *md) {
    bool changed = false;
    kc__topic *became_known[64];
    int nknown = 0;
    pthread_rwlock_wrlock(&c->topics_lock);
    for (int32_t i = 0; i < md->topics.n; i++) {
        const kc__MetadataResponse_Topic *mt = &md->topics.items[i];
        if (mt->name.len <= 0) continue;
        kc__topic *t = kc__topic_find(c, mt->name.p, (size_t)mt->name.len);
        if (!t) continue; /* not ours */
        int old_state = t->state;
        if (mt->error_code && mt->partitions.n <= 0) {
            /* A topic we already know keeps its partitions: a restarting
             * broker may briefly not know it, and if it was really deleted
             * the produce responses say so. A new topic waits (records stay
             * pending) until it exists or delivery.timeout.ms. */
            t->err = (kc_err_t)mt->error_code;
            if (t->state != KC__TOPIC_EXISTS)
                t->state = t->err == KC_ERR_UNKNOWN_TOPIC_OR_PARTITION || !kc_err_is_retriable(t->err)
                               ? KC__TOPIC_ERROR
                               : KC__TOPIC_UNKNOWN;
            continue;
        }
        /* Written only when it changes (a recreated topic): broker threads
         * read it without the lock once they saw the topic exist. */
        if (!kc__uuid_eq(&t->id, &mt->topic_id)) t->id = mt->topic_id;
        int32_t n = 0;
        for (int32_t p = 0; p < mt->partitions.n; p++)
            if (mt->partitions.items[p].partition_index + 1 > n)
                n = mt->partitions.items[p].partition_index + 1;
        if (n > t->npartitions) {
            kc__ptn **arr = realloc(t->partitions, sizeof(*arr) * (size_t)n);
            if (!arr) continue;
            t->partitions = arr;
            for (int32_t p = t->npartitions; p < n; p++) arr[p] = ptn_new(t, p);
            bool ok = true;
            for (int32_t p = t->npartitions; p < n; p++) ok = ok && arr[p];
            if (!ok) continue;
            t->npartitions = n;
            changed = true;
        }
        for (int32_t p = 0; p < mt->partitions.n; p++) {
            const kc__MetadataResponse_Partition *mp = &mt->partitions.items[p];
            kc__ptn *pt = t->partitions[mp->partition_index];
            int32_t leader = mp->error_code == KC_ERR_LEADER_NOT_AVAILABLE ? -1 : mp->leader_id;
            if (atomic_load(&pt->leader) != leader) {
                atomic_store(&pt->leader, leader);
                changed = true;
            }
        }
        t->err = KC_ERR_NO_ERROR;
        t->state = KC__TOPIC_EXISTS;
        if (old_state != KC__TOPIC_EXISTS && nknown < 64) became_known[nknown++] = t;
    }
    pthread_rwlock_unlock(&c->topics_lock);
    if (changed) {
        atomic_fetch_add(&c->md_gen, 1);
        kc__client_wake_all_brokers(c);
    }
    if (c->role == KC__ROLE_PRODUCER)
        for (int i = 0; i < nknown; i++) kc__accum_flush_pending(c, became_known[i]);
}

void kc__topics_free(kc__client *c) {
    for (size_t i = 0; c->topic_map && i < c->topic_cap; i++) {
        kc__topic *t = c->topic_map[i];
        if (!t) continue;
        for (int32_t p = 0; p < t->npartitions; p++) {
            pthread_mutex_destroy(&t->partitions[p]->lock);
            free(t->partitions[p]);
        }
        free(t->partitions);
        pthread_mutex_destroy(&t->lock);
        free(t->name);
        free(t);
    }
    free(c->topic_map);
    c->topic_map = NULL;
}

/* Waits until the partition's leader is known, up to deadline. */
int32_t kc__topic_wait_leader(kc__client *c, const char *topic, int32_t partition, int64_t deadline,
                           kc_err_t *errp) {
    kc__topic *t = kc__topic_get(c, topic);
    if (!t) {
        *errp = KC_ERR__CRIT_SYS_RESOURCE;
        return -1;
    }
    bool asked = false;
    int64_t asked_at = 0;
    for (;;) {
        pthread_rwlock_rdlock(&c->topics_lock);
        int state = t->state;
        kc_err_t terr = t->err;
        int32_t leader = state == KC__TOPIC_EXISTS && partition >= 0 && partition < t->npartitions
                             ? atomic_load(&t->partitions[partition]->leader)
                             : -1;
        bool no_part = state == KC__TOPIC_EXISTS && (partition < 0 || partition >= t->npartitions);
        pthread_rwlock_unlock(&c->topics_lock);
        if (leader >= 0) return leader;
        if (state == KC__TOPIC_ERROR) {
            *errp = terr ? terr : KC_ERR_UNKNOWN_TOPIC_OR_PARTITION;
            return -1;
        }
        /* A partition the topic does not have, confirmed by metadata
         * fetched after we asked: no point waiting. */
        bool confirmed = asked && atomic_load(&c->md_last_ok_ms) > asked_at;
        if (kc__mono_ms() >= deadline || (no_part && confirmed)) {
            *errp = no_part ? KC_ERR__UNKNOWN_PARTITION : KC_ERR__TIMED_OUT;
            return -1;
        }
        if (!asked) {
            asked_at = kc__mono_ms();
            kc__client_refresh_metadata(c, "leader wanted");
            asked = true;
        }
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
}

