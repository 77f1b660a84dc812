#include "queue.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int kc__q_init(kc__q *q, bool with_eventfd) {
    q->head = q->tail = q->prio_tail = NULL;
    atomic_init(&q->nprio, 0);
    q->woken = false;
    q->len = 0;
    atomic_init(&q->alen, 0);
    q->wakeup_pending = false;
    q->efd = -1;
    if (with_eventfd) {
        q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (q->efd < 0) return -1;
    }
    atomic_init(&q->wseq, 0);
    q->sleepers = false;
    pthread_mutex_init(&q->lock, NULL);
    return 0;
}

void kc__cond_init_monotonic(pthread_cond_t *cond) {
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(cond, &ca);
    pthread_condattr_destroy(&ca);
}

void kc__op_free(kc__op *op) {
    if (!op) return;
    if (op->free_fn)
        op->free_fn(op);
    else
        free(op);
}

void kc__q_destroy(kc__q *q) {
    kc__op *op = q->head;
    while (op) {
        kc__op *next = op->next;
        kc__op_free(op);
        op = next;
    }
    q->head = q->tail = NULL;
    if (q->efd >= 0) close(q->efd);
    q->efd = -1;
    pthread_mutex_destroy(&q->lock);
}

/* Called with the lock held, after queueing (or setting woken): bumps the
 * futex word and says what to do once unlocked - wake the waiters (when a
 * pop may sleep) and write the eventfd (when it holds no unread wake-up;
 * the flag is set now so that concurrent pushers write once). */
static unsigned claim_locked(kc__q *q) {
    unsigned wake = 0;
    atomic_store_explicit(&q->wseq, atomic_load_explicit(&q->wseq, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    if (q->sleepers) {
        q->sleepers = false;
        wake |= 1;
    }
    if (q->efd >= 0 && !q->wakeup_pending) {
        q->wakeup_pending = true;
        wake |= 2;
    }
    return wake;
}

/* Called after unlocking: a woken waiter does not find the lock still held
 * (with a condition variable it did, and glibc re-takes the mutex after a
 * wait as if contended, so its unlock always calls the kernel: three
 * system calls per wake-up where this makes two), and the eventfd write is
 * not done under the lock. A waiter cannot be missed: it read wseq and set
 * sleepers under the lock before it waits, so a later push either finds
 * sleepers set and wakes it, or finds it cleared by a push that bumped
 * wseq after the read (the futex wait then returns at once or is woken by
 * that push). A waiter that timed out leaves sleepers set: the next push
 * makes one futile wake call. A kc__q_drain_wakeup() between the claim and
 * the write leaves the eventfd readable with wakeup_pending false: one
 * spurious wake-up, never a lost one. */
static void signal_unlocked(kc__q *q, unsigned wake) {
    if (wake & 1)
        syscall(SYS_futex, (unsigned *)&q->wseq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    if (wake & 2) {
        uint64_t one = 1;
        ssize_t n = write(q->efd, &one, sizeof one);
        (void)n; /* EAGAIN means it is already readable */
    }
}

void kc__q_push(kc__q *q, kc__op *op) {
    op->next = NULL;
    pthread_mutex_lock(&q->lock);
    if (q->tail)
        q->tail->next = op;
    else
        q->head = op;
    q->tail = op;
    q->len++;
    atomic_store_explicit(&q->alen, q->len, memory_order_release);
    unsigned wake = claim_locked(q);
    pthread_mutex_unlock(&q->lock);
    signal_unlocked(q, wake);
}

void kc__q_push_prio(kc__q *q, kc__op *op) {
    pthread_mutex_lock(&q->lock);
    kc__op **at = q->prio_tail ? &q->prio_tail->next : &q->head;
    op->next = *at;
    *at = op;
    if (!op->next) q->tail = op;
    q->prio_tail = op;
    atomic_fetch_add(&q->nprio, 1);
    q->len++;
    atomic_store_explicit(&q->alen, q->len, memory_order_release);
    unsigned wake = claim_locked(q);
    pthread_mutex_unlock(&q->lock);
    signal_unlocked(q, wake);
}

void kc__q_wake(kc__q *q) {
    pthread_mutex_lock(&q->lock);
    q->woken = true; /* seen by the next pop even if nobody waits now */
    unsigned wake = claim_locked(q);
    pthread_mutex_unlock(&q->lock);
    signal_unlocked(q, wake);
}

void kc__q_drain_wakeup(kc__q *q) {
    if (q->efd < 0) return;
    pthread_mutex_lock(&q->lock);
    uint64_t v;
    ssize_t n = read(q->efd, &v, sizeof v);
    (void)n;
    q->wakeup_pending = false;
    pthread_mutex_unlock(&q->lock);
}

kc__op *kc__q_pop(kc__q *q, int timeout_ms) {
    if (timeout_ms == 0 && atomic_load_explicit(&q->alen, memory_order_acquire) == 0)
        return NULL; /* (a pending kc__q_wake() stays pending: harmless) */
    pthread_mutex_lock(&q->lock);
    if (!q->head && timeout_ms != 0 && !q->woken) {
        struct timespec end = {0, 0};
        if (timeout_ms > 0) {
            clock_gettime(CLOCK_MONOTONIC, &end);
            end.tv_sec += timeout_ms / 1000;
            end.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
            if (end.tv_nsec >= 1000000000L) {
                end.tv_sec++;
                end.tv_nsec -= 1000000000L;
            }
        }
        /* Until an op, a kc__q_wake() or the timeout (a futex wake-up that
         * found the op taken by another popper waits again). */
        while (!q->head && !q->woken) {
            struct timespec rel, *relp = NULL;
            if (timeout_ms > 0) {
                struct timespec now;
                clock_gettime(CLOCK_MONOTONIC, &now);
                rel.tv_sec = end.tv_sec - now.tv_sec;
                rel.tv_nsec = end.tv_nsec - now.tv_nsec;
                if (rel.tv_nsec < 0) {
                    rel.tv_sec--;
                    rel.tv_nsec += 1000000000L;
                }
                if (rel.tv_sec < 0) break;
                relp = &rel;
            }
            unsigned seq = atomic_load_explicit(&q->wseq, memory_order_relaxed);
            q->sleepers = true;
            pthread_mutex_unlock(&q->lock);
            syscall(SYS_futex, (unsigned *)&q->wseq, FUTEX_WAIT_PRIVATE, seq, relp, NULL, 0);
            pthread_mutex_lock(&q->lock);
        }
    }
    q->woken = false;
    kc__op *op = q->head;
    if (op) {
        q->head = op->next;
        if (!q->head) q->tail = NULL;
        if (q->prio_tail) { /* the priority ops are the queue's first ones */
            atomic_fetch_sub(&q->nprio, 1);
            if (q->prio_tail == op) q->prio_tail = NULL;
        }
        q->len--;
        atomic_store_explicit(&q->alen, q->len, memory_order_relaxed);
        op->next = NULL;
    }
    pthread_mutex_unlock(&q->lock);
    return op;
}

kc__op *kc__q_pop_all(kc__q *q) {
    if (atomic_load_explicit(&q->alen, memory_order_acquire) == 0) return NULL;
    pthread_mutex_lock(&q->lock);
    kc__op *op = q->head;
    q->head = q->tail = q->prio_tail = NULL;
    atomic_store(&q->nprio, 0);
    q->len = 0;
    atomic_store_explicit(&q->alen, 0, memory_order_relaxed);
    pthread_mutex_unlock(&q->lock);
    return op;
}

int64_t kc__q_len(kc__q *q) { return atomic_load_explicit(&q->alen, memory_order_acquire); }
