/* Op queues (lib/util/queue.c): FIFO order, priority ops first, a pop that
 * waits is woken by a push or a kc__q_wake() from another thread (never
 * missed, also under a stream of pushes), a pop that must not wait returns
 * at once, timeouts are kept, the eventfd turns readable on a push. */
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "util/queue.h"

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct top {
    kc__op op;
    int n;
} top;

static kc__op *mk(int n) {
    top *t = calloc(1, sizeof(*t));
    t->n = n;
    return &t->op;
}

static int val(kc__op *op) { return ((top *)op)->n; }

START_TEST(test_fifo_prio_and_len) {
    kc__q q;
    ck_assert_int_eq(kc__q_init(&q, false), 0);
    ck_assert_ptr_null(kc__q_pop(&q, 0));
    ck_assert_ptr_null(kc__q_pop_all(&q));
    kc__q_push(&q, mk(1));
    kc__q_push(&q, mk(2));
    kc__q_push_prio(&q, mk(10));
    kc__q_push_prio(&q, mk(11));
    ck_assert_int_eq(kc__q_len(&q), 4);
    ck_assert(kc__q_has_prio(&q));
    int want[] = {10, 11, 1, 2};
    for (int i = 0; i < 4; i++) {
        kc__op *op = kc__q_pop(&q, 0);
        ck_assert_ptr_nonnull(op);
        ck_assert_int_eq(val(op), want[i]);
        kc__op_free(op);
    }
    ck_assert(!kc__q_has_prio(&q));
    ck_assert_int_eq(kc__q_len(&q), 0);
    ck_assert_ptr_null(kc__q_pop(&q, 0));
    kc__q_push(&q, mk(3));
    kc__q_push(&q, mk(4));
    kc__op *all = kc__q_pop_all(&q);
    ck_assert_int_eq(val(all), 3);
    ck_assert_int_eq(val(all->next), 4);
    ck_assert_ptr_null(all->next->next);
    ck_assert_int_eq(kc__q_len(&q), 0);
    kc__op_free(all->next);
    kc__op_free(all);
    kc__q_push(&q, mk(5)); /* freed by destroy */
    kc__q_destroy(&q);
}
END_TEST

START_TEST(test_timeout_is_kept) {
    kc__q q;
    kc__q_init(&q, false);
    int64_t t0 = mono_ms();
    ck_assert_ptr_null(kc__q_pop(&q, 50));
    int64_t took = mono_ms() - t0;
    ck_assert_int_ge(took, 49);
    ck_assert_int_lt(took, 2000);
    t0 = mono_ms();
    ck_assert_ptr_null(kc__q_pop(&q, 0));
    ck_assert_int_lt(mono_ms() - t0, 20);
    kc__q_destroy(&q);
}
END_TEST

typedef struct pusher {
    kc__q *q;
    int n, delay_ms;
    bool wake_only;
} pusher;

static void *push_thread(void *arg) {
    pusher *p = arg;
    for (int i = 0; i < p->n; i++) {
        if (p->delay_ms) {
            struct timespec ts = {0, (long)p->delay_ms * 1000000L};
            nanosleep(&ts, NULL);
        }
        if (p->wake_only)
            kc__q_wake(p->q);
        else
            kc__q_push(p->q, mk(i));
    }
    return NULL;
}

/* A pop waiting forever returns the op pushed by another thread later. */
START_TEST(test_waiter_is_woken_by_push) {
    kc__q q;
    kc__q_init(&q, true);
    pusher p = {&q, 1, 50, false};
    pthread_t th;
    pthread_create(&th, NULL, push_thread, &p);
    int64_t t0 = mono_ms();
    kc__op *op = kc__q_pop(&q, -1);
    ck_assert_ptr_nonnull(op);
    ck_assert_int_lt(mono_ms() - t0, 5000);
    kc__op_free(op);
    pthread_join(th, NULL);
    /* The eventfd is readable after a push, and drained after. */
    struct pollfd pf = {q.efd, POLLIN, 0};
    ck_assert_int_eq(poll(&pf, 1, 0), 1);
    kc__q_drain_wakeup(&q);
    ck_assert_int_eq(poll(&pf, 1, 0), 0);
    kc__q_destroy(&q);
}
END_TEST

/* kc__q_wake() without an op ends a long wait early, with NULL. */
START_TEST(test_wake_ends_wait) {
    kc__q q;
    kc__q_init(&q, false);
    pusher p = {&q, 1, 50, true};
    pthread_t th;
    pthread_create(&th, NULL, push_thread, &p);
    int64_t t0 = mono_ms();
    ck_assert_ptr_null(kc__q_pop(&q, 20000));
    ck_assert_int_lt(mono_ms() - t0, 10000);
    pthread_join(th, NULL);
    kc__q_destroy(&q);
}
END_TEST

/* Many pushes racing a popper that waits each time: every op arrives and
 * no wait lasts until its (long) timeout - a missed wake-up would. */
START_TEST(test_no_lost_wakeup_under_stream) {
    kc__q q;
    kc__q_init(&q, true);
    enum { N = 20000 };
    pusher p1 = {&q, N, 0, false}, p2 = {&q, N, 0, false};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, push_thread, &p1);
    pthread_create(&t2, NULL, push_thread, &p2);
    int got = 0;
    int64_t t0 = mono_ms();
    while (got < 2 * N) {
        kc__op *op = kc__q_pop(&q, 30000);
        ck_assert_ptr_nonnull(op);
        got++;
        kc__op_free(op);
        kc__op *rest = kc__q_pop_all(&q);
        while (rest) {
            kc__op *next = rest->next;
            kc__op_free(rest);
            got++;
            rest = next;
        }
    }
    ck_assert_int_lt(mono_ms() - t0, 25000);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    ck_assert_ptr_null(kc__q_pop(&q, 0));
    kc__q_destroy(&q);
}
END_TEST

/* Two threads waiting on one queue: two pushes wake both. */
typedef struct popper {
    kc__q *q;
    kc__op *got;
} popper;

static void *pop_thread(void *arg) {
    popper *p = arg;
    p->got = kc__q_pop(p->q, 20000);
    return NULL;
}

START_TEST(test_two_waiters_both_served) {
    kc__q q;
    kc__q_init(&q, false);
    popper a = {&q, NULL}, b = {&q, NULL};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, pop_thread, &a);
    pthread_create(&tb, NULL, pop_thread, &b);
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL);
    int64_t t0 = mono_ms();
    kc__q_push(&q, mk(1));
    kc__q_push(&q, mk(2));
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    ck_assert_int_lt(mono_ms() - t0, 10000);
    ck_assert_ptr_nonnull(a.got);
    ck_assert_ptr_nonnull(b.got);
    kc__op_free(a.got);
    kc__op_free(b.got);
    kc__q_destroy(&q);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("queue");
    TCase *tc = tcase_create("queue");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fifo_prio_and_len);
    tcase_add_test(tc, test_timeout_is_kept);
    tcase_add_test(tc, test_waiter_is_woken_by_push);
    tcase_add_test(tc, test_wake_ends_wait);
    tcase_add_test(tc, test_no_lost_wakeup_under_stream);
    tcase_add_test(tc, test_two_waiters_both_served);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
