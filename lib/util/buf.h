/* Growable byte buffers for encoding, and a bump arena for decoding.
 *
 * kc__buf: an append-only byte buffer. Allocation failure is sticky: the
 * first failed growth sets `oom`, later appends are no-ops, and the caller
 * checks once at the end (kc__buf_ok()).
 *
 * kc__arena: allocations that all die together (a decoded response, a batch's
 * bookkeeping). No per-object free; kc__arena_destroy() releases everything.
 *
 * Thread: a buffer or arena is owned by one thread at a time. */
#ifndef KC_UTIL_BUF_H
#define KC_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct kc__buf {
    uint8_t *p;
    size_t len;
    size_t cap;
    int oom; /* sticky: set when a growth failed */
} kc__buf;

/* initial_cap bytes exactly (0: none until the first append). */
void kc__buf_init(kc__buf *b, size_t initial_cap);
void kc__buf_free(kc__buf *b);
/* Gives back the capacity beyond len (realloc in place), for buffers that
 * are complete but stay around (queued producer batches). */
void kc__buf_shrink(kc__buf *b);
/* Grows so that `extra` more bytes fit. Returns 0, or -1 (and sets oom). */
int kc__buf_reserve_slow(kc__buf *b, size_t extra);

static inline int kc__buf_reserve(kc__buf *b, size_t extra) {
    if (b->oom) return -1;
    if (b->cap - b->len >= extra) return 0;
    return kc__buf_reserve_slow(b, extra);
}

static inline void kc__buf_put(kc__buf *b, const void *src, size_t n) {
    if (n == 0 || kc__buf_reserve(b, n)) return;
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

/* Reserves n bytes and returns their position, to be filled in later
 * (lengths, CRCs). Returns (size_t)-1 when out of memory. */
static inline size_t kc__buf_skip(kc__buf *b, size_t n) {
    if (kc__buf_reserve(b, n)) return (size_t)-1;
    size_t at = b->len;
    memset(b->p + at, 0, n);
    b->len += n;
    return at;
}

static inline int kc__buf_ok(const kc__buf *b) { return !b->oom; }

/* Takes ownership of the bytes: the buffer is left empty. */
uint8_t *kc__buf_detach(kc__buf *b, size_t *lenp);

typedef struct kc__arena_chunk kc__arena_chunk;
typedef struct kc__arena {
    kc__arena_chunk *head;
    size_t chunk_size;
    int oom; /* sticky */
} kc__arena;

void kc__arena_init(kc__arena *a, size_t chunk_size);
void kc__arena_destroy(kc__arena *a);
/* Zeroed, 16-byte aligned memory; NULL (and oom set) on failure. */
void *kc__arena_alloc(kc__arena *a, size_t n);
/* Zeroed array of n elements of size sz, overflow-checked. */
void *kc__arena_calloc(kc__arena *a, size_t n, size_t sz);

#endif
