/* Helpers for integration tests against the local broker
 * ($KAFKAC_BOOTSTRAP, set by tests/run-all from tests/broker/kafka-local). */
#ifndef KC_TESTS_ITEST_H
#define KC_TESTS_ITEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kafkac.h"

static inline const char *itest_bootstrap(void) {
    const char *b = getenv("KAFKAC_BOOTSTRAP");
    ck_assert_msg(b && *b, "KAFKAC_BOOTSTRAP is not set (run through make check)");
    return b;
}

/* A configuration pointing at the local broker. */
static inline kc_conf_t *itest_conf(void) {
    kc_conf_t *c = kc_conf_new();
    char err[256];
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(kc_conf_set(c, "bootstrap.servers", itest_bootstrap(), err, sizeof err) == 0,
                  "%s", err);
    return c;
}

/* A topic name unique to this run. */
static inline void itest_topic_name(char *out, size_t size, const char *prefix) {
    snprintf(out, size, "%s-%ld-%d", prefix, (long)time(NULL), (int)getpid());
}

static inline int itest_main(const char *name, const TTest *const *tests, size_t n) {
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 120);
    for (size_t i = 0; i < n; i++) tcase_add_test(tc, tests[i]);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#define ITEST_MAIN(name, ...)                                                   \
    int main(void) {                                                            \
        const TTest *const tests_[] = {__VA_ARGS__};                            \
        return itest_main(name, tests_, sizeof tests_ / sizeof tests_[0]);      \
    }

#endif
