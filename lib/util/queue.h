/* Op queues: how threads talk (DESIGN.md "threads talk through queues of
 * operations with an eventfd wake-up").
 *
 * A kc__q is a FIFO of kc__op under one mutex. Pushing wakes a thread
 * blocked in kc__q_pop (a futex on a wake-up counter, only when one waits:
 * a pthread condition variable costs a third system call per wake-up,
 * because glibc re-takes the mutex after a wait as if contended, so its
 * unlock always calls the kernel) and, when the queue has an
 * eventfd, writes to it (for threads that poll() sockets and the queue at
 * once, and for applications integrating with an event loop).
 *
 * Thread: any thread may push; any may pop. A push signals after
 * unlocking: the queue must outlive every push call (true of the
 * per-client and per-broker queues, destroyed after their threads end). */
#ifndef KC_UTIL_QUEUE_H
#define KC_UTIL_QUEUE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct kc__op kc__op;
struct kc__op {
    kc__op *next;
    int type;
    void (*free_fn)(kc__op *op); /* releases the op (and what it owns); NULL: free() */
};

typedef struct kc__q {
    pthread_mutex_t lock; /* guards head, tail, len, wakeup_pending */
    atomic_uint wseq;     /* bumped (under the lock) by every push and wake:
                           * the futex kc__q_pop waits on */
    bool sleepers;        /* a pop may be waiting on wseq: the next push or
                           * wake clears it and wakes every waiter */
    kc__op *head, *tail;
    kc__op *prio_tail;    /* last op pushed with kc__q_push_prio (still queued) */
    atomic_int nprio;     /* priority ops queued (readable without the lock) */
    int64_t len;
    atomic_int_fast64_t alen; /* len, readable without the lock: a pop that
                               * must not wait returns at once when it is 0 */
    int efd;              /* eventfd, or -1 */
    bool wakeup_pending;  /* the eventfd holds an unread wake-up */
    bool woken;           /* kc__q_wake() since the last pop: don't wait */
} kc__q;

int kc__q_init(kc__q *q, bool with_eventfd);
/* Frees every op still queued with its free_fn. */
void kc__q_destroy(kc__q *q);
void kc__q_push(kc__q *q, kc__op *op);
/* Queues op ahead of every op pushed with kc__q_push() (after earlier
 * priority ops): control events that must not wait behind data. */
void kc__q_push_prio(kc__q *q, kc__op *op);
/* Whether priority ops are queued: a single consumer of the queue that
 * sees true gets one from its next pop. */
static inline bool kc__q_has_prio(kc__q *q) { return atomic_load(&q->nprio) > 0; }
/* Pops the first op, waiting up to timeout_ms (0: don't wait, -1: forever)
 * or until kc__q_wake(). NULL on timeout or wake-up. With timeout 0 an empty queue is seen without taking
 * the lock (an op being pushed concurrently may be missed: it is found by
 * the next pop). */
kc__op *kc__q_pop(kc__q *q, int timeout_ms);
/* Takes every queued op at once (a list through ->next), without waiting
 * (and without the lock when the queue is empty). */
kc__op *kc__q_pop_all(kc__q *q);
/* Wakes a waiter without an op (poll loops, shutdown). */
void kc__q_wake(kc__q *q);
/* Clears the eventfd after a poll() said it is readable. */
void kc__q_drain_wakeup(kc__q *q);
int64_t kc__q_len(kc__q *q);
/* A condition variable whose timed waits use CLOCK_MONOTONIC. */
void kc__cond_init_monotonic(pthread_cond_t *cond);
void kc__op_free(kc__op *op);

#endif
