/* bootstrap.servers parsing. */
#include "common/ktest.h"
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"

START_TEST(parses_lists_ipv6_defaults_and_schemes) {
    kc__hostport *hp;
    size_t n;
    char err[256];
    ck_assert_int_eq(kc__hostport_parse_list(" a:1 , PLAINTEXT://b.example:9093,[::1]:9094,c,",
                                             "bootstrap.servers", &hp, &n, err, sizeof err),
                     0);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(hp[0].host, "a");
    ck_assert_int_eq(hp[0].port, 1);
    ck_assert_str_eq(hp[1].host, "b.example");
    ck_assert_int_eq(hp[1].port, 9093);
    ck_assert_str_eq(hp[2].host, "::1");
    ck_assert_int_eq(hp[2].port, 9094);
    ck_assert_str_eq(hp[3].host, "c");
    ck_assert_int_eq(hp[3].port, 9092);
    free(hp);
}
END_TEST

START_TEST(refuses_bad_entries_naming_them) {
    kc__hostport *hp = (kc__hostport *)1;
    size_t n = 7;
    char err[256];
    const char *bad[] = {"a:0", "a:65536", "a:x", ":9092", "::1:9092", "[::1", "[::1]x", "",
                         " , ", "a b:1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        ck_assert_int_eq(kc__hostport_parse_list(bad[i], "bootstrap.servers", &hp, &n, err,
                                                 sizeof err),
                         KC_ERR__INVALID_ARG);
        ck_assert_ptr_null(hp);
        ck_assert_uint_eq(n, 0);
        ck_assert_msg(strstr(err, "bootstrap.servers") != NULL, "no key in: %s", err);
    }
}
END_TEST

KC_TEST_MAIN("addr", parses_lists_ipv6_defaults_and_schemes, refuses_bad_entries_naming_them)
