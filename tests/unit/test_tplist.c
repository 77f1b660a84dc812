/* Topic-partition lists: add, find, accessors, copy independence, bad
 * indexes, metadata ownership; consumer config validation without a broker
 * (kc_consumer_new refuses bad assignor names and a missing
 * bootstrap.servers). */
#include "common/ktest.h"
#include <stdlib.h>
#include <string.h>

#include <kafkac.h>

START_TEST(entries_keep_their_fields) {
    kc_tplist_t *l = kc_tplist_new(0);
    ck_assert_int_eq(kc_tplist_add(l, "a", 0), 0);
    ck_assert_int_eq(kc_tplist_add(l, "b", 7), 1);
    ck_assert_int_eq(kc_tplist_add(l, "", 1), -1);
    ck_assert_int_eq(kc_tplist_add(l, NULL, 1), -1);
    for (int i = 0; i < 100; i++) ck_assert_int_eq(kc_tplist_add(l, "c", i), i + 2);
    ck_assert_int_eq(kc_tplist_count(l), 102);
    ck_assert_str_eq(kc_tplist_topic(l, 1), "b");
    ck_assert_int_eq(kc_tplist_partition(l, 1), 7);
    ck_assert_int_eq(kc_tplist_offset(l, 1), KC_OFFSET_INVALID);
    ck_assert_int_eq(kc_tplist_leader_epoch(l, 1), -1);
    ck_assert_str_eq(kc_tplist_metadata(l, 1), "");
    kc_tplist_set_offset(l, 1, 42);
    kc_tplist_set_leader_epoch(l, 1, 3);
    kc_tplist_set_error(l, 1, KC_ERR_OFFSET_OUT_OF_RANGE);
    ck_assert_int_eq(kc_tplist_set_metadata(l, 1, "meta"), 0);
    ck_assert_int_eq(kc_tplist_find(l, "b", 7), 1);
    ck_assert_int_eq(kc_tplist_find(l, "c", 99), 101);
    ck_assert_int_eq(kc_tplist_find(l, "b", 8), -1);
    kc_tplist_t *copy = kc_tplist_copy(l);
    kc_tplist_set_offset(l, 1, 1);
    kc_tplist_set_metadata(l, 1, NULL);
    ck_assert_int_eq(kc_tplist_offset(copy, 1), 42);
    ck_assert_int_eq(kc_tplist_leader_epoch(copy, 1), 3);
    ck_assert_int_eq(kc_tplist_error(copy, 1), KC_ERR_OFFSET_OUT_OF_RANGE);
    ck_assert_str_eq(kc_tplist_metadata(copy, 1), "meta");
    ck_assert_str_eq(kc_tplist_metadata(l, 1), "");
    kc_tplist_destroy(l);
    kc_tplist_destroy(copy);
    kc_tplist_destroy(NULL);
}
END_TEST

START_TEST(bad_indexes_are_harmless) {
    kc_tplist_t *l = kc_tplist_new(4);
    ck_assert_ptr_null(kc_tplist_topic(l, 0));
    ck_assert_int_eq(kc_tplist_partition(l, -1), -1);
    ck_assert_int_eq(kc_tplist_offset(l, 5), KC_OFFSET_INVALID);
    ck_assert_int_eq(kc_tplist_error(l, 0), KC_ERR__INVALID_ARG);
    ck_assert_int_eq(kc_tplist_set_metadata(l, 0, "x"), KC_ERR__INVALID_ARG);
    kc_tplist_set_offset(l, 3, 1); /* no effect, no crash */
    ck_assert_int_eq(kc_tplist_count(l), 0);
    ck_assert_ptr_null(kc_tplist_topic(NULL, 0));
    kc_tplist_destroy(l);
}
END_TEST

START_TEST(consumer_config_is_checked) {
    char errstr[512];
    kc_conf_t *conf = kc_conf_new();
    kc_consumer_t *c = kc_consumer_new(conf, errstr, sizeof errstr);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(errstr, "bootstrap.servers"));
    ck_assert_int_eq(kc_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", errstr, sizeof errstr), 0);
    ck_assert_int_eq(kc_conf_set(conf, "partition.assignment.strategy", "range,sticky-ish", errstr,
                                 sizeof errstr), 0);
    c = kc_consumer_new(conf, errstr, sizeof errstr);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(errstr, "sticky-ish"));
    ck_assert_int_ne(kc_conf_set(conf, "auto.offset.reset", "sometimes", errstr, sizeof errstr), 0);
    ck_assert_ptr_nonnull(strstr(errstr, "auto.offset.reset"));
    ck_assert_int_ne(kc_conf_set(conf, "isolation.level", "read_dirty", errstr, sizeof errstr), 0);
    kc_conf_destroy(conf);
}
END_TEST

START_TEST(consumer_without_broker_answers_calls) {
    char errstr[512];
    kc_conf_t *conf = kc_conf_new();
    kc_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", NULL, 0);
    kc_conf_set(conf, "reconnect.backoff.max.ms", "100", NULL, 0);
    kc_consumer_t *c = kc_consumer_new(conf, errstr, sizeof errstr);
    ck_assert_msg(c != NULL, "%s", errstr);
    const char *topics[] = {"t"};
    /* No group.id: subscribing is refused, naming the key. */
    ck_assert_int_eq(kc_consumer_subscribe(c, topics, 1, errstr, sizeof errstr),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(errstr, "group.id"));
    ck_assert_int_eq(kc_consumer_seek(c, "t", 0, 5), KC_ERR__UNKNOWN_PARTITION);
    kc_tplist_t *l = kc_tplist_new(1);
    kc_tplist_add(l, "t", 0);
    ck_assert_int_eq(kc_consumer_assign(c, l), 0);
    ck_assert_int_eq(kc_consumer_incremental_assign(c, l), KC_ERR__INVALID_ARG);
    ck_assert_int_eq(kc_consumer_seek(c, "t", 0, 5), 0);
    kc_consumer_position(c, l);
    ck_assert_int_eq(kc_tplist_offset(l, 0), 5);
    ck_assert_int_eq(kc_consumer_commit(c, NULL, 0), KC_ERR__INVALID_ARG); /* no group.id */
    ck_assert_ptr_null(kc_consumer_poll(c, 50));
    kc_tplist_t *a = NULL;
    ck_assert_int_eq(kc_consumer_assignment(c, &a), 0);
    ck_assert_int_eq(kc_tplist_count(a), 1);
    kc_tplist_destroy(a);
    ck_assert_int_eq(kc_consumer_incremental_unassign(c, l), 0);
    ck_assert_int_eq(kc_consumer_incremental_unassign(c, l), KC_ERR__INVALID_ARG);
    kc_tplist_destroy(l);
    kc_consumer_destroy(c);
    kc_conf_destroy(conf);
}
END_TEST

KC_TEST_MAIN("tplist", entries_keep_their_fields, bad_indexes_are_harmless,
             consumer_config_is_checked, consumer_without_broker_answers_calls)
