#include "buf.h"

#include <stdlib.h>

void kc__buf_init(kc__buf *b, size_t initial_cap) {
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
    if (!initial_cap) return;
    /* Exactly the capacity asked for (no rounding up to a power of two):
     * producer batches are sized to their upper bound and kept queued. */
    b->p = malloc(initial_cap);
    if (b->p)
        b->cap = initial_cap;
    else
        b->oom = 1;
}

void kc__buf_shrink(kc__buf *b) {
    if (b->oom || !b->p || b->cap == b->len || b->len == 0) return;
    uint8_t *p = realloc(b->p, b->len);
    if (!p) return; /* keeps the larger block */
    b->p = p;
    b->cap = b->len;
}

void kc__buf_free(kc__buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

int kc__buf_reserve_slow(kc__buf *b, size_t extra) {
    if (b->oom) return -1;
    if (extra > SIZE_MAX - b->len) goto fail;
    size_t need = b->len + extra;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) { cap = need; break; }
        cap *= 2;
    }
    uint8_t *p = realloc(b->p, cap);
    if (!p) goto fail;
    b->p = p;
    b->cap = cap;
    return 0;
fail:
    b->oom = 1;
    return -1;
}

uint8_t *kc__buf_detach(kc__buf *b, size_t *lenp) {
    uint8_t *p = b->p;
    if (lenp) *lenp = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

struct kc__arena_chunk {
    kc__arena_chunk *next;
    size_t used, size;
    _Alignas(16) uint8_t data[];
};

void kc__arena_init(kc__arena *a, size_t chunk_size) {
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 4096;
    a->oom = 0;
}

void kc__arena_destroy(kc__arena *a) {
    kc__arena_chunk *c = a->head;
    while (c) {
        kc__arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void *kc__arena_alloc(kc__arena *a, size_t n) {
    if (a->oom) return NULL;
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    kc__arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > a->chunk_size ? n : a->chunk_size;
        c = malloc(sizeof(*c) + size);
        if (!c) {
            a->oom = 1;
            return NULL;
        }
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

void *kc__arena_calloc(kc__arena *a, size_t n, size_t sz) {
    if (sz && n > SIZE_MAX / sz) {
        a->oom = 1;
        return NULL;
    }
    return kc__arena_alloc(a, n * sz);
}
