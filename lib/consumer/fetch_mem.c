/* Memory of fetched responses, reused from one response to the next.
 *
 * A response (kc__fbuf) owns the broker's read buffer it was read into and
 * a list of blocks holding its chunks, their message slots and decompressed
 * records, bump-allocated while the broker thread parses it. When the last
 * chunk reference goes (any thread), the blocks and the read buffer return
 * to the pool, up to its limits, and the next responses reuse them: no
 * malloc/free of multi-MiB buffers per response, which glibc would map
 * fresh, page-fault in and unmap again.
 *
 * Thread: any thread; the pool's lock guards its caches. */
#include <pthread.h>
#include <stdlib.h>

#include "consumer.h"

#define FBLK_SIZE ((size_t)1 << 20)  /* data bytes of a standard block */
#define FBLK_OWN (FBLK_SIZE / 4)     /* larger allocations get a block of their own */
#define FP_RBUFS 4                   /* response buffers kept */

struct kc__fpool {
    pthread_mutex_t lock; /* guards everything below refs */
    atomic_int refs;      /* the owner + one per live fbuf */
    bool closed;          /* the owner is gone: returns are freed */
    kc__fblk *blks;       /* free standard blocks */
    size_t nblks, max_blks;
    struct {
        uint8_t *p;
        size_t cap;
    } rb[FP_RBUFS];
    int nrb;
    size_t max_bytes;     /* limit of the blocks' bytes, and of the buffers' */
    size_t rb_bytes;      /* bytes of the cached response buffers */
};

kc__fpool *kc__fpool_new(size_t max_bytes) {
    kc__fpool *p = calloc(1, sizeof(*p));
    if (!p) return NULL;
    pthread_mutex_init(&p->lock, NULL);
    atomic_init(&p->refs, 1);
    p->max_blks = max_bytes / FBLK_SIZE;
    p->max_bytes = max_bytes;
    return p;
}

static void pool_unref(kc__fpool *p) {
    if (atomic_fetch_sub(&p->refs, 1) != 1) return;
    pthread_mutex_destroy(&p->lock);
    free(p);
}

static void free_blks(kc__fblk *b) {
    while (b) {
        kc__fblk *next = b->next;
        free(b);
        b = next;
    }
}

void kc__fpool_close(kc__fpool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->closed = true;
    kc__fblk *blks = p->blks;
    p->blks = NULL;
    p->nblks = 0;
    int nrb = p->nrb;
    uint8_t *rb[FP_RBUFS];
    for (int i = 0; i < nrb; i++) rb[i] = p->rb[i].p;
    p->nrb = 0;
    p->rb_bytes = 0;
    pthread_mutex_unlock(&p->lock);
    free_blks(blks);
    for (int i = 0; i < nrb; i++) free(rb[i]);
    pool_unref(p);
}

/* Takes cached response buffer i (under the lock). */
static uint8_t *rb_take(kc__fpool *p, int i, size_t *capp) {
    uint8_t *mem = p->rb[i].p;
    *capp = p->rb[i].cap;
    p->rb_bytes -= p->rb[i].cap;
    p->rb[i] = p->rb[--p->nrb];
    return mem;
}

uint8_t *kc__fpool_get_rbuf(kc__fpool *p, size_t *capp) {
    uint8_t *mem = NULL;
    pthread_mutex_lock(&p->lock);
    int best = -1;
    for (int i = 0; i < p->nrb; i++)
        if (best < 0 || p->rb[i].cap > p->rb[best].cap) best = i;
    if (best >= 0) mem = rb_take(p, best, capp);
    pthread_mutex_unlock(&p->lock);
    return mem;
}

uint8_t *kc__fpool_rbuf(kc__fpool *p, size_t n, size_t *capp) {
    uint8_t *mem = NULL;
    pthread_mutex_lock(&p->lock);
    int best = -1; /* the smallest that fits */
    for (int i = 0; i < p->nrb; i++)
        if (p->rb[i].cap >= n && (best < 0 || p->rb[i].cap < p->rb[best].cap)) best = i;
    if (best >= 0) mem = rb_take(p, best, capp);
    pthread_mutex_unlock(&p->lock);
    if (!mem && (mem = malloc(n ? n : 1))) *capp = n ? n : 1;
    return mem;
}

kc__fbuf *kc__fbuf_new(kc__fpool *p, uint8_t *mem, size_t cap) {
    kc__fbuf *fb = malloc(sizeof(*fb));
    if (!fb) return NULL;
    atomic_init(&fb->refs, 1);
    fb->pool = p;
    fb->mem = mem;
    fb->cap = cap;
    fb->blocks = NULL;
    fb->used = 0;
    atomic_fetch_add(&p->refs, 1);
    return fb;
}

void kc__fbuf_release(kc__fbuf *fb) {
    if (!fb || atomic_fetch_sub(&fb->refs, 1) != 1) return;
    kc__fpool *p = fb->pool;
    kc__fblk *drop = NULL;
    uint8_t *mem = fb->mem;
    pthread_mutex_lock(&p->lock);
    for (kc__fblk *b = fb->blocks, *next; b; b = next) {
        next = b->next;
        if (!p->closed && b->size == FBLK_SIZE && p->nblks < p->max_blks) {
            b->next = p->blks;
            p->blks = b;
            p->nblks++;
        } else {
            b->next = drop;
            drop = b;
        }
    }
    if (!p->closed && mem && p->nrb < FP_RBUFS && fb->cap <= p->max_bytes - p->rb_bytes) {
        p->rb[p->nrb].p = mem;
        p->rb[p->nrb].cap = fb->cap;
        p->nrb++;
        p->rb_bytes += fb->cap;
        mem = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    free_blks(drop);
    free(mem);
    free(fb);
    pool_unref(p);
}

/* A block of n data bytes (a multiple of 64), 64-byte aligned. */
static kc__fblk *blk_alloc(size_t n) {
    if (n > SIZE_MAX - sizeof(kc__fblk)) return NULL;
    return aligned_alloc(64, sizeof(kc__fblk) + n); /* sizeof is a multiple of 64 */
}

/* A standard block: cached or new. */
static kc__fblk *blk_get(kc__fpool *p) {
    pthread_mutex_lock(&p->lock);
    kc__fblk *b = p->blks;
    if (b) {
        p->blks = b->next;
        p->nblks--;
    }
    pthread_mutex_unlock(&p->lock);
    if (!b && (b = blk_alloc(FBLK_SIZE))) b->size = FBLK_SIZE;
    return b;
}

void *kc__fbuf_alloc(kc__fbuf *fb, size_t n) {
    n = (n + 63) & ~(size_t)63;
    if (fb->blocks && fb->blocks->size - fb->used >= n) {
        void *r = fb->blocks->data + fb->used;
        fb->used += n;
        return r;
    }
    if (n > FBLK_OWN) {
        /* A block of its own, behind the one being filled. */
        kc__fblk *b = blk_alloc(n);
        if (!b) return NULL;
        b->size = n;
        if (fb->blocks) {
            b->next = fb->blocks->next;
            fb->blocks->next = b;
        } else {
            b->next = NULL;
            fb->blocks = b;
            fb->used = n;
        }
        return b->data;
    }
    kc__fblk *b = blk_get(fb->pool);
    if (!b) return NULL;
    b->next = fb->blocks;
    fb->blocks = b;
    fb->used = n;
    return b->data;
}

void kc__fbuf_trim(kc__fbuf *fb, void *p, size_t n, size_t used) {
    n = (n + 63) & ~(size_t)63;
    used = (used + 63) & ~(size_t)63;
    kc__fblk *b = fb->blocks;
    if (b && (uint8_t *)p + n == b->data + fb->used && used <= n) fb->used -= n - used;
}
