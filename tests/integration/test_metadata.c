/* First contact with a real broker: ApiVersions + Metadata through the
 * public kc_metadata_fetch(). */
#include "itest.h"

START_TEST(fetches_brokers_and_internal_state) {
    kc_conf_t *conf = itest_conf();
    kc_metadata_t *md = NULL;
    char err[512];
    kc_err_t rc = kc_metadata_fetch(conf, NULL, 0, 10000, &md, err, sizeof err);
    ck_assert_msg(rc == KC_ERR_NO_ERROR, "metadata failed: %s", err);
    ck_assert_int_ge(kc_metadata_broker_count(md), 1);
    ck_assert_str_eq(kc_metadata_broker_host(md, 0), "127.0.0.1");
    ck_assert_int_gt(kc_metadata_broker_port(md, 0), 0);
    ck_assert_int_ge(kc_metadata_broker_id(md, 0), 0);
    ck_assert_ptr_nonnull(kc_metadata_cluster_id(md));
    ck_assert_int_eq(strlen(kc_metadata_cluster_id(md)), 22); /* base64 UUID */
    ck_assert_int_ge(kc_metadata_controller_id(md), 0);
    /* out-of-range indexes are refused, not read */
    ck_assert_ptr_null(kc_metadata_broker_host(md, 99));
    ck_assert_int_eq(kc_metadata_partition_count(md, -1), -1);
    kc_metadata_destroy(md);
    kc_conf_destroy(conf);
}
END_TEST

START_TEST(unknown_topic_is_reported_per_topic) {
    kc_conf_t *conf = itest_conf();
    kc_metadata_t *md = NULL;
    char err[512], topic[128];
    itest_topic_name(topic, sizeof topic, "kafkac-no-such-topic");
    const char *topics[] = {topic};
    kc_err_t rc = kc_metadata_fetch(conf, topics, 1, 10000, &md, err, sizeof err);
    ck_assert_msg(rc == KC_ERR_NO_ERROR, "metadata failed: %s", err);
    ck_assert_int_eq(kc_metadata_topic_count(md), 1);
    ck_assert_str_eq(kc_metadata_topic_name(md, 0), topic);
    ck_assert_int_eq(kc_metadata_topic_error(md, 0), KC_ERR_UNKNOWN_TOPIC_OR_PARTITION);
    kc_metadata_destroy(md);
    kc_conf_destroy(conf);
}
END_TEST

START_TEST(unreachable_broker_names_it) {
    kc_conf_t *conf = kc_conf_new();
    char err[512];
    /* Port 1 on loopback: nothing listens there. */
    ck_assert_int_eq(kc_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", err, sizeof err), 0);
    kc_metadata_t *md = (kc_metadata_t *)1;
    kc_err_t rc = kc_metadata_fetch(conf, NULL, 0, 5000, &md, err, sizeof err);
    ck_assert_int_eq(rc, KC_ERR__TRANSPORT);
    ck_assert_ptr_null(md);
    ck_assert_msg(strstr(err, "127.0.0.1:1") != NULL, "broker not named: %s", err);
    /* Two brokers down: _ALL_BROKERS_DOWN, and the last failure is named. */
    ck_assert_int_eq(kc_conf_set(conf, "bootstrap.servers", "127.0.0.1:1,127.0.0.1:2", err,
                                 sizeof err),
                     0);
    rc = kc_metadata_fetch(conf, NULL, 0, 5000, &md, err, sizeof err);
    ck_assert_int_eq(rc, KC_ERR__ALL_BROKERS_DOWN);
    ck_assert_msg(strstr(err, "127.0.0.1:2") != NULL, "broker not named: %s", err);
    kc_conf_destroy(conf);
}
END_TEST

START_TEST(missing_bootstrap_is_a_config_error) {
    kc_conf_t *conf = kc_conf_new();
    kc_metadata_t *md = NULL;
    char err[512];
    ck_assert_int_eq(kc_metadata_fetch(conf, NULL, 0, 1000, &md, err, sizeof err),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err, "bootstrap.servers"));
    kc_conf_destroy(conf);
}
END_TEST

ITEST_MAIN("metadata", fetches_brokers_and_internal_state, unknown_topic_is_reported_per_topic,
           unreachable_broker_names_it, missing_bootstrap_is_a_config_error)
