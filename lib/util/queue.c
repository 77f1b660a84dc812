#include "queue.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

int kc__q_init(kc__q *q, bool with_eventfd) {
    q->head = q->tail = q->prio_tail = NULL;
    atomic_init(&q->nprio, 0);
    q->woken = false;
    q->len = 0;
    q->wakeup_pending = false;
    q->efd = -1;
    if (with_eventfd) {
        q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (q->efd < 0) return -1;
    }
    kc__cond_init_monotonic(&q->cond);
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
    pthread_cond_destroy(&q->cond);
}

/* Called with the lock held. */
static void signal_locked(kc__q *q) {
    pthread_cond_signal(&q->cond);
    if (q->efd >= 0 && !q->wakeup_pending) {
        uint64_t one = 1;
        ssize_t n = write(q->efd, &one, sizeof one);
        (void)n; /* EAGAIN means it is already readable */
        q->wakeup_pending = true;
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
    signal_locked(q);
    pthread_mutex_unlock(&q->lock);
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
    signal_locked(q);
    pthread_mutex_unlock(&q->lock);
}

void kc__q_wake(kc__q *q) {
    pthread_mutex_lock(&q->lock);
    q->woken = true; /* seen by the next pop even if nobody waits now */
    signal_locked(q);
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->lock);
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
    pthread_mutex_lock(&q->lock);
    if (!q->head && timeout_ms != 0 && !q->woken) {
        struct timespec ts;
        if (timeout_ms > 0) {
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += timeout_ms / 1000;
            ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
        }
        /* One wait: a kc__q_wake() without an op returns NULL early. */
        if (timeout_ms < 0)
            pthread_cond_wait(&q->cond, &q->lock);
        else
            pthread_cond_timedwait(&q->cond, &q->lock, &ts);
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
        op->next = NULL;
    }
    pthread_mutex_unlock(&q->lock);
    return op;
}

kc__op *kc__q_pop_all(kc__q *q) {
    pthread_mutex_lock(&q->lock);
    kc__op *op = q->head;
    q->head = q->tail = q->prio_tail = NULL;
    atomic_store(&q->nprio, 0);
    q->len = 0;
    pthread_mutex_unlock(&q->lock);
    return op;
}

int64_t kc__q_len(kc__q *q) {
    pthread_mutex_lock(&q->lock);
    int64_t n = q->len;
    pthread_mutex_unlock(&q->lock);
    return n;
}
