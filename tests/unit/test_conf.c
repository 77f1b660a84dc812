/* Configuration table: defaults, parsing, refusal of bad keys and values,
 * and docs/CONFIGURATION.md kept in sync with the table. */
#include "common/ktest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "kafkac.h"

static char *get(kc_conf_t *c, const char *k) {
    static char buf[256];
    ck_assert_int_eq(kc_conf_get(c, k, buf, sizeof buf, NULL), KC_ERR_NO_ERROR);
    return buf;
}

START_TEST(defaults_are_set) {
    kc_conf_t *c = kc_conf_new();
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(get(c, "client.id"), "kafkac");
    ck_assert_str_eq(get(c, "request.timeout.ms"), "30000");
    ck_assert_str_eq(get(c, "socket.nagle.disable"), "true");
    ck_assert_str_eq(get(c, "security.protocol"), "plaintext");
    ck_assert_str_eq(get(c, "bootstrap.servers"), "");
    kc_conf_destroy(c);
    kc_conf_destroy(NULL);
}
END_TEST

START_TEST(set_and_get_each_type) {
    kc_conf_t *c = kc_conf_new();
    char err[256];
    ck_assert_int_eq(kc_conf_set(c, "bootstrap.servers", "a:1,b:2", err, sizeof err), 0);
    ck_assert_str_eq(get(c, "bootstrap.servers"), "a:1,b:2");
    ck_assert_int_eq(kc_conf_set(c, "request.timeout.ms", "1234", err, sizeof err), 0);
    ck_assert_int_eq(kc__conf_int(c, KC__CONF_REQUEST_TIMEOUT_MS), 1234);
    ck_assert_int_eq(kc_conf_set(c, "socket.nagle.disable", "FALSE", err, sizeof err), 0);
    ck_assert_str_eq(get(c, "socket.nagle.disable"), "false");
    ck_assert_int_eq(kc_conf_set(c, "security.protocol", "PLAINTEXT", err, sizeof err), 0);
    ck_assert_str_eq(get(c, "security.protocol"), "plaintext");
    /* NULL resets to the default. */
    ck_assert_int_eq(kc_conf_set(c, "request.timeout.ms", NULL, err, sizeof err), 0);
    ck_assert_str_eq(get(c, "request.timeout.ms"), "30000");
    /* dup is deep */
    kc_conf_t *d = kc_conf_dup(c);
    ck_assert_int_eq(kc_conf_set(c, "bootstrap.servers", "x:9", err, sizeof err), 0);
    char buf[64];
    size_t need = 0;
    ck_assert_int_eq(kc_conf_get(d, "bootstrap.servers", buf, sizeof buf, &need), 0);
    ck_assert_str_eq(buf, "a:1,b:2");
    ck_assert_uint_eq(need, 8);
    /* truncation reports the size needed */
    ck_assert_int_eq(kc_conf_get(d, "bootstrap.servers", buf, 3, &need), 0);
    ck_assert_str_eq(buf, "a:");
    ck_assert_uint_eq(need, 8);
    kc_conf_destroy(c);
    kc_conf_destroy(d);
}
END_TEST

START_TEST(bad_keys_and_values_name_the_key) {
    kc_conf_t *c = kc_conf_new();
    char err[256];
    ck_assert_int_eq(kc_conf_set(c, "no.such.key", "1", err, sizeof err), KC_ERR__NOENT);
    ck_assert_ptr_nonnull(strstr(err, "no.such.key"));
    ck_assert_int_eq(kc_conf_set(c, "request.timeout.ms", "abc", err, sizeof err),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err, "request.timeout.ms"));
    ck_assert_ptr_nonnull(strstr(err, "integer"));
    ck_assert_int_eq(kc_conf_set(c, "request.timeout.ms", "0", err, sizeof err),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err, "out of range"));
    ck_assert_int_eq(kc_conf_set(c, "request.timeout.ms", "12x", err, sizeof err),
                     KC_ERR__INVALID_ARG);
    ck_assert_int_eq(kc_conf_set(c, "socket.nagle.disable", "maybe", err, sizeof err),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err, "socket.nagle.disable"));
    ck_assert_int_eq(kc_conf_set(c, "security.protocol", "carrier-pigeon", err, sizeof err),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err, "security.protocol"));
    /* the failed sets left the old values in place */
    ck_assert_str_eq(get(c, "request.timeout.ms"), "30000");
    ck_assert_str_eq(get(c, "socket.nagle.disable"), "true");
    ck_assert_int_eq(kc_conf_get(c, "no.such.key", err, sizeof err, NULL), KC_ERR__NOENT);
    /* errstr may be NULL */
    ck_assert_int_eq(kc_conf_set(c, "no.such.key", "1", NULL, 0), KC_ERR__NOENT);
    kc_conf_destroy(c);
}
END_TEST

START_TEST(configuration_md_matches_table) {
    kc__buf b;
    kc__buf_init(&b, 8192);
    kc__conf_doc_markdown(&b);
    ck_assert(kc__buf_ok(&b));
    FILE *f = fopen("docs/CONFIGURATION.md", "rb");
    ck_assert_msg(f != NULL, "docs/CONFIGURATION.md missing (run make docs from the top)");
    char *doc = malloc(b.len + 2);
    size_t n = fread(doc, 1, b.len + 1, f);
    fclose(f);
    ck_assert_msg(n == b.len && memcmp(doc, b.p, b.len) == 0,
                  "docs/CONFIGURATION.md is stale: run make docs");
    free(doc);
    kc__buf_free(&b);
}
END_TEST

START_TEST(error_table_names_and_flags) {
    ck_assert_str_eq(kc_err_name(KC_ERR_NOT_LEADER_OR_FOLLOWER), "NOT_LEADER_OR_FOLLOWER");
    ck_assert_str_eq(kc_err_name(KC_ERR__PARTITION_EOF), "_PARTITION_EOF");
    ck_assert_int_eq(KC_ERR__PARTITION_EOF, -191);
    ck_assert_int_eq(KC_ERR__ALL_BROKERS_DOWN, -187);
    ck_assert_int_eq(KC_ERR_UNKNOWN_TOPIC_OR_PARTITION, 3);
    ck_assert(kc_err_is_retriable(KC_ERR_NOT_LEADER_OR_FOLLOWER));
    ck_assert(!kc_err_is_retriable(KC_ERR_TOPIC_AUTHORIZATION_FAILED));
    ck_assert_str_eq(kc_err_name((kc_err_t)9999), "UNKNOWN_ERROR_CODE");
    ck_assert_str_eq(kc_err_desc(KC_ERR_NO_ERROR), "Success");
    ck_assert_int_eq(kc_version(), KC_VERSION);
    ck_assert_str_eq(kc_version_str(), KC_VERSION_STR);
}
END_TEST

KC_TEST_MAIN("conf", defaults_are_set, set_and_get_each_type, bad_keys_and_values_name_the_key, configuration_md_matches_table, error_table_names_and_flags)
