/* The admin client against the local broker: topics (create with configs,
 * validate-only, duplicate, add partitions, delete, delete again), configs
 * (describe, set / append / delete and read back), groups (a committed
 * group is listed, described and its offsets listed; offsets altered;
 * deleted), list offsets (earliest, latest, by timestamp) and delete
 * records, and bad arguments. */
#include "itest.h"

static kc_admin_t *new_admin(kc_conf_t **confp) {
    char e[512];
    *confp = itest_conf();
    kc_admin_t *a = kc_admin_new(*confp, e, sizeof e);
    ck_assert_msg(a != NULL, "%s", e);
    return a;
}

/* Creates topic with n partitions and the given config (NULL: none). */
static void create(kc_admin_t *a, const char *topic, int n, const char *k, const char *v) {
    char e[512];
    kc_new_topic_t *t = kc_new_topic_new(topic, n, 1);
    if (k) ck_assert_int_eq(kc_new_topic_set_config(t, k, v), 0);
    kc_admin_result_t *r;
    ck_assert_msg(kc_admin_create_topics(a, &t, 1, 0, 30000, &r, e, sizeof e) == 0, "%s", e);
    ck_assert_int_eq(kc_admin_result_count(r), 1);
    ck_assert_str_eq(kc_admin_result_name(r, 0), topic);
    ck_assert_msg(kc_admin_result_error(r, 0) == 0, "%s", kc_admin_result_errstr(r, 0));
    kc_admin_result_destroy(r);
    kc_new_topic_destroy(t);
}

/* The value of config `key` of topic (NULL when absent). Caller frees. */
static char *topic_config(kc_admin_t *a, const char *topic, const char *key, int *source) {
    char e[512];
    kc_admin_result_t *r;
    const char *names[] = {topic};
    ck_assert_msg(kc_admin_describe_configs(a, KC_RESOURCE_TOPIC, names, 1, 30000, &r, e,
                                            sizeof e) == 0, "%s", e);
    ck_assert_int_eq(kc_admin_result_error(r, 0), 0);
    char *out = NULL;
    for (int j = 0; j < kc_admin_result_config_count(r, 0); j++)
        if (!strcmp(kc_admin_result_config_name(r, 0, j), key)) {
            const char *v = kc_admin_result_config_value(r, 0, j);
            out = strdup(v ? v : "");
            if (source) *source = kc_admin_result_config_source(r, 0, j);
        }
    kc_admin_result_destroy(r);
    return out;
}

/* Waits (up to 10 s: the broker applies config changes from its metadata
 * log a moment after answering) until key's value is `want`, or (want
 * NULL) until it is no longer a dynamic topic config. */
static void wait_config(kc_admin_t *a, const char *topic, const char *key, const char *want) {
    char *v = NULL;
    int src = -1;
    for (int tries = 0; tries < 100; tries++) {
        free(v);
        v = topic_config(a, topic, key, &src);
        if (want ? v && !strcmp(v, want) : src != KC_CONFIG_SOURCE_DYNAMIC_TOPIC) break;
        usleep(100 * 1000);
    }
    if (want)
        ck_assert_msg(v && !strcmp(v, want), "%s: \"%s\", want \"%s\"", key, v ? v : "(none)",
                      want);
    else
        ck_assert_msg(src != KC_CONFIG_SOURCE_DYNAMIC_TOPIC, "%s still set on the topic", key);
    free(v);
}

START_TEST(topics_are_created_altered_and_deleted) {
    kc_conf_t *conf;
    kc_admin_t *a = new_admin(&conf);
    char topic[128], e[512];
    itest_topic_name(topic, sizeof topic, "admin-topics");
    create(a, topic, 3, "retention.ms", "604800000");
    wait_config(a, topic, "retention.ms", "604800000");
    int src = -1;
    char *v = topic_config(a, topic, "retention.ms", &src);
    ck_assert_str_eq(v, "604800000");
    ck_assert_int_eq(src, KC_CONFIG_SOURCE_DYNAMIC_TOPIC);
    free(v);
    /* Creating it again is a per-topic error, not a call failure. */
    kc_new_topic_t *t = kc_new_topic_new(topic, 3, 1);
    kc_admin_result_t *r;
    ck_assert_int_eq(kc_admin_create_topics(a, &t, 1, 0, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), KC_ERR_TOPIC_ALREADY_EXISTS);
    ck_assert_str_ne(kc_admin_result_errstr(r, 0), "");
    kc_admin_result_destroy(r);
    kc_new_topic_destroy(t);
    /* Validate-only creates nothing. */
    char vtopic[160];
    snprintf(vtopic, sizeof vtopic, "%s-validate", topic);
    t = kc_new_topic_new(vtopic, 2, 1);
    ck_assert_int_eq(kc_admin_create_topics(a, &t, 1, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), 0);
    kc_admin_result_destroy(r);
    kc_new_topic_destroy(t);
    kc_metadata_t *md;
    const char *vnames[] = {vtopic};
    ck_assert_int_eq(kc_admin_describe_topics(a, vnames, 1, 30000, &md, e, sizeof e), 0);
    ck_assert_int_eq(kc_metadata_topic_error(md, 0), KC_ERR_UNKNOWN_TOPIC_OR_PARTITION);
    kc_metadata_destroy(md);
    /* Add partitions: 3 -> 5. */
    const char *names[] = {topic};
    int32_t total = 5;
    ck_assert_int_eq(kc_admin_create_partitions(a, names, &total, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_msg(kc_admin_result_error(r, 0) == 0, "%s", kc_admin_result_errstr(r, 0));
    kc_admin_result_destroy(r);
    /* The controller has the new count; the broker's metadata cache gets it
     * a moment later (KRaft metadata log), so wait for it. */
    int count = 0;
    for (int tries = 0; tries < 100 && count != 5; tries++) {
        ck_assert_int_eq(kc_admin_describe_topics(a, names, 1, 30000, &md, e, sizeof e), 0);
        count = kc_metadata_partition_count(md, 0);
        kc_metadata_destroy(md);
        if (count != 5) usleep(100 * 1000);
    }
    ck_assert_int_eq(count, 5);
    /* Shrinking is refused by the broker, per topic. */
    total = 2;
    ck_assert_int_eq(kc_admin_create_partitions(a, names, &total, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), KC_ERR_INVALID_PARTITIONS);
    kc_admin_result_destroy(r);
    ck_assert_int_eq(kc_admin_delete_topics(a, names, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), 0);
    kc_admin_result_destroy(r);
    ck_assert_int_eq(kc_admin_delete_topics(a, names, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), KC_ERR_UNKNOWN_TOPIC_OR_PARTITION);
    kc_admin_result_destroy(r);
    kc_admin_destroy(a);
    kc_conf_destroy(conf);
}
END_TEST

START_TEST(configs_are_changed_incrementally) {
    kc_conf_t *conf;
    kc_admin_t *a = new_admin(&conf);
    char topic[128], e[512];
    itest_topic_name(topic, sizeof topic, "admin-configs");
    create(a, topic, 1, NULL, NULL);
    int ops[] = {KC_CONFIG_SET, KC_CONFIG_APPEND};
    const char *keys[] = {"retention.ms", "cleanup.policy"};
    const char *vals[] = {"3600000", "compact"};
    kc_admin_result_t *r;
    ck_assert_int_eq(kc_admin_incremental_alter_configs(a, KC_RESOURCE_TOPIC, topic, ops, keys,
                                                        vals, 2, 30000, &r, e, sizeof e), 0);
    ck_assert_msg(kc_admin_result_error(r, 0) == 0, "%s", kc_admin_result_errstr(r, 0));
    kc_admin_result_destroy(r);
    wait_config(a, topic, "retention.ms", "3600000");
    wait_config(a, topic, "cleanup.policy", "delete,compact");
    int del[] = {KC_CONFIG_DELETE};
    ck_assert_int_eq(kc_admin_incremental_alter_configs(a, KC_RESOURCE_TOPIC, topic, del, keys,
                                                        NULL, 1, 30000, &r, e, sizeof e), 0);
    kc_admin_result_destroy(r);
    wait_config(a, topic, "retention.ms", NULL);
    /* A bad value is a per-resource error with the broker's message. */
    const char *bad[] = {"retention.ms"};
    const char *badv[] = {"soon"};
    ck_assert_int_eq(kc_admin_incremental_alter_configs(a, KC_RESOURCE_TOPIC, topic, ops, bad,
                                                        badv, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), KC_ERR_INVALID_CONFIG);
    kc_admin_result_destroy(r);
    /* Broker configs: broker 1 answers for itself. */
    const char *broker[] = {"1"};
    ck_assert_int_eq(kc_admin_describe_configs(a, KC_RESOURCE_BROKER, broker, 1, 30000, &r, e,
                                               sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), 0);
    ck_assert_int_gt(kc_admin_result_config_count(r, 0), 50);
    kc_admin_result_destroy(r);
    /* Bad arguments are refused before anything is sent. */
    int badop[] = {9};
    ck_assert_int_eq(kc_admin_incremental_alter_configs(a, KC_RESOURCE_TOPIC, topic, badop, keys,
                                                        vals, 1, 30000, &r, e, sizeof e),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(e, "retention.ms"));
    kc_admin_destroy(a);
    kc_conf_destroy(conf);
}
END_TEST

/* Produces n records to partition 0 of topic. */
static void produce(const char *topic, int n) {
    char e[512];
    kc_conf_t *conf = itest_conf();
    kc_producer_t *p = kc_producer_new(conf, e, sizeof e);
    ck_assert_msg(p != NULL, "%s", e);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(kc_produce(p, topic, 0, NULL, 0, "v", 1, NULL, 1000000 + i, 0, NULL), 0);
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    kc_producer_destroy(p);
    kc_conf_destroy(conf);
}

START_TEST(groups_and_offsets_are_managed) {
    kc_conf_t *conf;
    kc_admin_t *a = new_admin(&conf);
    char topic[128], group[160], e[512];
    itest_topic_name(topic, sizeof topic, "admin-groups");
    snprintf(group, sizeof group, "%s-g", topic);
    create(a, topic, 1, NULL, NULL);
    produce(topic, 10);
    /* Commit offset 7 for the group (no members: allowed). */
    kc_tplist_t *offs = kc_tplist_new(1);
    kc_tplist_add(offs, topic, 0);
    kc_tplist_set_offset(offs, 0, 7);
    kc_admin_result_t *r;
    ck_assert_int_eq(kc_admin_alter_group_offsets(a, group, offs, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), 0);
    kc_admin_result_destroy(r);
    ck_assert_int_eq(kc_admin_list_group_offsets(a, group, NULL, 30000, &r, e, sizeof e), 0);
    const kc_tplist_t *l = kc_admin_result_partitions(r, 0);
    ck_assert_int_eq(kc_tplist_count(l), 1);
    ck_assert_int_eq(kc_tplist_offset(l, 0), 7);
    kc_admin_result_destroy(r);
    /* Listed and described. */
    ck_assert_int_eq(kc_admin_list_groups(a, 30000, &r, e, sizeof e), 0);
    int found = 0;
    for (int i = 0; i < kc_admin_result_count(r); i++)
        if (!strcmp(kc_admin_result_name(r, i), group)) found = 1;
    ck_assert_msg(found, "group %s not listed", group);
    kc_admin_result_destroy(r);
    const char *groups[] = {group};
    ck_assert_int_eq(kc_admin_describe_groups(a, groups, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), 0);
    ck_assert_str_eq(kc_admin_result_group_state(r, 0), "Empty");
    ck_assert_int_eq(kc_admin_result_member_count(r, 0), 0);
    kc_admin_result_destroy(r);
    /* Offsets: earliest 0, latest 10, by timestamp: the record stamped 1000005 is offset 5. */
    kc_tplist_t *q = kc_tplist_new(3);
    for (int i = 0; i < 3; i++) kc_tplist_add(q, topic, 0);
    kc_tplist_set_offset(q, 0, KC_OFFSET_BEGINNING);
    kc_tplist_set_offset(q, 1, KC_OFFSET_END);
    kc_tplist_set_offset(q, 2, 1000005);
    for (int i = 0; i < 3; i++) {
        kc_tplist_t *one = kc_tplist_new(1);
        kc_tplist_add(one, topic, 0);
        kc_tplist_set_offset(one, 0, kc_tplist_offset(q, i));
        ck_assert_int_eq(kc_admin_list_offsets(a, one, 30000, &r, e, sizeof e), 0);
        int64_t want[] = {0, 10, 5};
        ck_assert_int_eq(kc_tplist_offset(kc_admin_result_partitions(r, 0), 0), want[i]);
        kc_admin_result_destroy(r);
        kc_tplist_destroy(one);
    }
    kc_tplist_destroy(q);
    /* Delete records before offset 4: the low watermark moves. */
    kc_tplist_set_offset(offs, 0, 4);
    ck_assert_int_eq(kc_admin_delete_records(a, offs, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_tplist_error(kc_admin_result_partitions(r, 0), 0), 0);
    ck_assert_int_eq(kc_tplist_offset(kc_admin_result_partitions(r, 0), 0), 4);
    kc_admin_result_destroy(r);
    /* Delete the group; deleting again says it does not exist. */
    ck_assert_int_eq(kc_admin_delete_groups(a, groups, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), 0);
    kc_admin_result_destroy(r);
    ck_assert_int_eq(kc_admin_delete_groups(a, groups, 1, 30000, &r, e, sizeof e), 0);
    ck_assert_int_eq(kc_admin_result_error(r, 0), KC_ERR_GROUP_ID_NOT_FOUND);
    kc_admin_result_destroy(r);
    kc_tplist_destroy(offs);
    kc_admin_destroy(a);
    kc_conf_destroy(conf);
}
END_TEST

START_TEST(bad_arguments_are_refused) {
    kc_conf_t *conf;
    kc_admin_t *a = new_admin(&conf);
    char e[512];
    kc_admin_result_t *r = (kc_admin_result_t *)1;
    const char *empty[] = {""};
    ck_assert_int_eq(kc_admin_delete_topics(a, empty, 1, 1000, &r, e, sizeof e),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_null(r);
    ck_assert_ptr_null(kc_new_topic_new("", 1, 1));
    ck_assert_int_eq(kc_admin_describe_configs(a, 99, empty, 1, 1000, &r, e, sizeof e),
                     KC_ERR__INVALID_ARG);
    kc_tplist_t *neg = kc_tplist_new(1);
    kc_tplist_add(neg, "t", 0);
    kc_tplist_set_offset(neg, 0, -5);
    ck_assert_int_eq(kc_admin_alter_group_offsets(a, "g", neg, 1000, &r, e, sizeof e),
                     KC_ERR__INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(e, "t [0]"));
    kc_tplist_destroy(neg);
    kc_admin_destroy(a);
    kc_conf_destroy(conf);
    /* An unreachable cluster: the call ends at its timeout with an error. */
    kc_conf_t *dead = kc_conf_new();
    kc_conf_set(dead, "bootstrap.servers", "127.0.0.1:1", NULL, 0);
    kc_conf_set(dead, "log_level", "2", NULL, 0);
    a = kc_admin_new(dead, e, sizeof e);
    ck_assert_ptr_nonnull(a);
    const char *names[] = {"x"};
    ck_assert_int_eq(kc_admin_delete_topics(a, names, 1, 1500, &r, e, sizeof e), KC_ERR__TIMED_OUT);
    kc_admin_destroy(a);
    kc_conf_destroy(dead);
}
END_TEST

ITEST_MAIN("admin", topics_are_created_altered_and_deleted, configs_are_changed_incrementally,
           groups_and_offsets_are_managed, bad_arguments_are_refused)
