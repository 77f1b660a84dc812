/* Shared runner for the Check unit tests: one suite per test program.
 *
 *   KC_TEST_MAIN("conf", defaults_are_set, bad_keys_are_refused)
 */
#ifndef KC_TESTS_KTEST_H
#define KC_TESTS_KTEST_H

#include <check.h>
#include <stddef.h>

int kc_test_main(const char *name, const TTest *const *tests, size_t n);

#define KC_TEST_MAIN(name, ...)                                                 \
    int main(void) {                                                            \
        const TTest *const tests_[] = {__VA_ARGS__};                            \
        return kc_test_main(name, tests_, sizeof tests_ / sizeof tests_[0]);    \
    }

#endif
