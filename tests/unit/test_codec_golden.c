/* Generated codecs against hand-computed bytes (not produced by the
 * generator), so the codec tests do not only check the generator against
 * itself: full request frames, tagged fields in tag order, nested tagged
 * structs, nullable structs, unknown tags, header version rules, and the
 * encode/decode refusals. */
#include "common/ktest.h"

#include <stdint.h>
#include <string.h>

#include "proto/gen/api_versions.h"
#include "proto/gen/apis.h"
#include "proto/gen/consumer_group_heartbeat.h"
#include "proto/gen/fetch.h"
#include "proto/gen/headers.h"
#include "proto/gen/metadata.h"

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})
#define S(lit) ((kc__str){lit, (int32_t)sizeof(lit) - 1})

static void expect_bytes(const kc__buf *b, const uint8_t *want, size_t n) {
    ck_assert(kc__buf_ok(b));
    ck_assert_uint_eq(b->len, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(b->p[i] == want[i], "byte %zu: 0x%02x, want 0x%02x", i, b->p[i], want[i]);
}

/* A size-prefixed request frame: header (version from the api table) + body.
 * Returns the offset of the body. */
static size_t frame_begin(kc__buf *b, int16_t key, int16_t ver, int32_t corr) {
    kc__buf_init(b, 0);
    kc__buf_skip(b, 4);
    kc__RequestHeader h;
    kc__RequestHeader_init(&h);
    h.request_api_key = key;
    h.request_api_version = ver;
    h.correlation_id = corr;
    h.client_id = S("kafkac");
    ck_assert_int_eq(kc__RequestHeader_encode(b, (int16_t)kc__api_request_header_version(key, ver), &h),
                     0);
    return b->len;
}

static void frame_end(kc__buf *b) { kc__put_u32(b->p, (uint32_t)(b->len - 4)); }

START_TEST(api_versions_request_v3_frame) {
    kc__buf b;
    frame_begin(&b, KC__API_API_VERSIONS, 3, 1);
    kc__ApiVersionsRequest req;
    kc__ApiVersionsRequest_init(&req);
    req.client_software_name = S("kafkac");
    req.client_software_version = S("0.1.0");
    ck_assert_int_eq(kc__ApiVersionsRequest_encode(&b, 3, &req), 0);
    frame_end(&b);
    expect_bytes(&b, BYTES(0x00, 0x00, 0x00, 0x1f,                          /* size 31 */
                           0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, /* key 18 v3 corr 1 */
                           0x00, 0x06, 'k', 'a', 'f', 'k', 'a', 'c',       /* classic client id */
                           0x00,                                           /* header tags */
                           0x07, 'k', 'a', 'f', 'k', 'a', 'c',             /* compact name */
                           0x06, '0', '.', '1', '.', '0',                  /* compact version */
                           0x00));                                         /* body tags */
    kc__buf_free(&b);
}
END_TEST

START_TEST(metadata_request_v12_for_one_topic) {
    kc__buf b;
    frame_begin(&b, KC__API_METADATA, 12, 2);
    kc__MetadataRequest req;
    kc__MetadataRequest_Topic t;
    kc__MetadataRequest_init(&req);
    kc__MetadataRequest_Topic_init(&t);
    t.name = S("t");
    req.topics.n = 1;
    req.topics.items = &t;
    ck_assert(req.allow_auto_topic_creation); /* spec default true */
    ck_assert_int_eq(kc__MetadataRequest_encode(&b, 12, &req), 0);
    frame_end(&b);
    expect_bytes(&b, BYTES(0x00, 0x00, 0x00, 0x28,                          /* size 40 */
                           0x00, 0x03, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x02, /* key 3 v12 corr 2 */
                           0x00, 0x06, 'k', 'a', 'f', 'k', 'a', 'c', 0x00, /* client id, tags */
                           0x02,                                           /* 1 topic */
                           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* zero topic id */
                           0x02, 't', 0x00,                                /* name, tags */
                           0x01,                                           /* auto create */
                           0x00,                                           /* topic auth ops */
                           0x00));                                         /* tags */
    kc__buf_free(&b);
}
END_TEST

START_TEST(metadata_request_refuses_what_old_versions_cannot_say) {
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__MetadataRequest req;
    kc__MetadataRequest_init(&req);
    req.allow_auto_topic_creation = false; /* non-ignorable, only v4+ */
    ck_assert_int_eq(kc__MetadataRequest_encode(&b, 3, &req), KC__ENC_UNSUPPORTED_FIELD);
    ck_assert_int_eq(kc__MetadataRequest_encode(&b, 4, &req), 0);
    ck_assert_uint_eq(b.len, 5); /* empty array, false */
    b.len = 0;
    kc__MetadataRequest_init(&req);
    req.topics.n = -1; /* all topics: null only from v1 */
    ck_assert_int_eq(kc__MetadataRequest_encode(&b, 0, &req), KC__ENC_NULL);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_int_eq(kc__MetadataRequest_encode(&b, 1, &req), 0);
    expect_bytes(&b, BYTES(0xff, 0xff, 0xff, 0xff));
    ck_assert_int_eq(kc__MetadataRequest_encode(&b, 14, &req), KC__ENC_BAD_VERSION);
    kc__buf_free(&b);
}
END_TEST

/* error 0; api keys {18,0,4} {3,0,13}; throttle 0; tag 0 SupportedFeatures
 * [{"mv",1,5}], tag 1 FinalizedFeaturesEpoch 5. */
static const uint8_t api_versions_v3[] = {
    0x00, 0x00, 0x03, 0x00, 0x12, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0x00,
    0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x09, 0x02, 0x03, 'm',  'v',
    0x00, 0x01, 0x00, 0x05, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05};

static void check_api_versions_v3(const kc__ApiVersionsResponse *m) {
    ck_assert_int_eq(m->error_code, 0);
    ck_assert_int_eq(m->api_keys.n, 2);
    ck_assert_int_eq(m->api_keys.items[0].api_key, 18);
    ck_assert_int_eq(m->api_keys.items[0].max_version, 4);
    ck_assert_int_eq(m->api_keys.items[1].api_key, 3);
    ck_assert_int_eq(m->api_keys.items[1].max_version, 13);
    ck_assert_int_eq(m->supported_features.n, 1);
    ck_assert(kc__str_eq(m->supported_features.items[0].name, S("mv")));
    ck_assert_int_eq(m->supported_features.items[0].min_version, 1);
    ck_assert_int_eq(m->supported_features.items[0].max_version, 5);
    ck_assert(m->finalized_features_epoch == 5);
    ck_assert_int_eq(m->finalized_features.n, 0);
    ck_assert(!m->zk_migration_ready);
}

START_TEST(api_versions_response_v3_tagged_fields) {
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__rd r;
    kc__ApiVersionsResponse m;
    kc__rd_init(&r, api_versions_v3, sizeof api_versions_v3);
    ck_assert_int_eq(kc__ApiVersionsResponse_decode(&r, &a, 3, &m), 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    check_api_versions_v3(&m);
    /* zero-copy: the feature name points into the input */
    ck_assert_ptr_eq(m.supported_features.items[0].name.p, (const char *)api_versions_v3 + 26);
    kc__buf b;
    kc__buf_init(&b, 0);
    ck_assert_int_eq(kc__ApiVersionsResponse_encode(&b, 3, &m), 0);
    expect_bytes(&b, api_versions_v3, sizeof api_versions_v3);
    kc__buf_free(&b);
    kc__arena_destroy(&a);
}
END_TEST

START_TEST(unknown_tags_are_skipped_at_every_level) {
    const uint8_t in[] = {0x00, 0x00, 0x03,
                          /* element with unknown tag 5 = {0xaa} */
                          0x00, 0x12, 0x00, 0x00, 0x00, 0x04, 0x01, 0x05, 0x01, 0xaa,
                          0x00, 0x03, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00,
                          /* three tags: the known two, then unknown tag 7 */
                          0x03, 0x00, 0x09, 0x02, 0x03, 'm', 'v', 0x00, 0x01, 0x00, 0x05, 0x00,
                          0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
                          0x07, 0x02, 0xbb, 0xcc};
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__rd r;
    kc__ApiVersionsResponse m;
    kc__rd_init(&r, in, sizeof in);
    ck_assert_int_eq(kc__ApiVersionsResponse_decode(&r, &a, 3, &m), 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    check_api_versions_v3(&m);
    kc__buf b;
    kc__buf_init(&b, 0);
    ck_assert_int_eq(kc__ApiVersionsResponse_encode(&b, 3, &m), 0);
    expect_bytes(&b, api_versions_v3, sizeof api_versions_v3); /* unknown tags dropped */
    kc__buf_free(&b);
    kc__arena_destroy(&a);
}
END_TEST

START_TEST(api_versions_response_v0_fallback) {
    /* What an old broker answers to a version it does not know. */
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__rd r;
    kc__ApiVersionsResponse m;
    kc__rd_init(&r, BYTES(0x00, 0x23, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x00, 0x00, 0x00, 0x03));
    ck_assert_int_eq(kc__ApiVersionsResponse_decode(&r, &a, 0, &m), 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    ck_assert_int_eq(m.error_code, 35);
    ck_assert_int_eq(m.api_keys.n, 1);
    ck_assert_int_eq(m.api_keys.items[0].max_version, 3);
    ck_assert_int_eq(m.throttle_time_ms, 0);
    ck_assert(m.finalized_features_epoch == -1); /* spec default */
    kc__arena_destroy(&a);
}
END_TEST

START_TEST(fetch_request_v15_tagged_struct_in_tag_order) {
    kc__FetchRequest req;
    kc__FetchRequest_init(&req);
    ck_assert_int_eq(req.max_bytes, 0x7fffffff); /* hex default */
    ck_assert_int_eq(req.session_epoch, -1);
    ck_assert_int_eq(req.cluster_id.len, -1); /* "null" default */
    req.max_wait_ms = 500;
    req.min_bytes = 1;
    req.replica_state.replica_id = 7; /* tag 1 */
    req.replica_state.replica_epoch = 9;
    req.cluster_id = S("c"); /* tag 0 */
    const uint8_t want[] = {0x00, 0x00, 0x01, 0xf4,       /* max wait 500 */
                            0x00, 0x00, 0x00, 0x01,       /* min bytes 1 */
                            0x7f, 0xff, 0xff, 0xff,       /* max bytes */
                            0x00,                         /* isolation */
                            0x00, 0x00, 0x00, 0x00,       /* session id */
                            0xff, 0xff, 0xff, 0xff,       /* session epoch */
                            0x01, 0x01, 0x01,             /* topics, forgotten, rack "" */
                            0x02,                         /* two tags */
                            0x00, 0x02, 0x02, 'c',        /* tag 0: cluster id */
                            0x01, 0x0d, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00,
                            0x00, 0x00, 0x00, 0x09, 0x00}; /* tag 1: replica state */
    kc__buf b;
    kc__buf_init(&b, 0);
    ck_assert_int_eq(kc__FetchRequest_encode(&b, 15, &req), 0);
    expect_bytes(&b, want, sizeof want);
    /* v14 has replica_id instead: a replica state cannot be sent there */
    b.len = 0;
    ck_assert_int_eq(kc__FetchRequest_encode(&b, 14, &req), KC__ENC_UNSUPPORTED_FIELD);

    kc__arena a;
    kc__arena_init(&a, 0);
    kc__rd r;
    kc__FetchRequest d;
    kc__rd_init(&r, want, sizeof want);
    ck_assert_int_eq(kc__FetchRequest_decode(&r, &a, 15, &d), 0);
    ck_assert(kc__str_eq(d.cluster_id, S("c")));
    ck_assert_int_eq(d.replica_state.replica_id, 7);
    ck_assert(d.replica_state.replica_epoch == 9);
    ck_assert_int_eq(d.replica_id, -1); /* absent in v15: default */
    ck_assert_int_eq(d.max_wait_ms, 500);
    kc__arena_destroy(&a);
    kc__buf_free(&b);
}
END_TEST

START_TEST(nullable_struct_uses_a_presence_byte) {
    const uint8_t with[] = {0x00, 0x00, 0x00, 0x00,  /* throttle */
                            0x00, 0x00,              /* error */
                            0x00,                    /* error message null */
                            0x02, 'm',               /* member id */
                            0x00, 0x00, 0x00, 0x05,  /* epoch 5 */
                            0x00, 0x00, 0x0b, 0xb8,  /* heartbeat 3000 */
                            0x01,                    /* assignment present */
                            0x02,                    /* 1 topic */
                            0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                            0x11, 0x11, 0x11, 0x11, 0x11, /* topic id */
                            0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* [0, 1] */
                            0x00, 0x00,              /* topic tags, assignment tags */
                            0x00};                   /* tags */
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__rd r;
    kc__ConsumerGroupHeartbeatResponse m;
    kc__rd_init(&r, with, sizeof with);
    ck_assert_int_eq(kc__ConsumerGroupHeartbeatResponse_decode(&r, &a, 1, &m), 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    ck_assert_int_eq(m.error_message.len, -1);
    ck_assert(kc__str_eq(m.member_id, S("m")));
    ck_assert_int_eq(m.heartbeat_interval_ms, 3000);
    ck_assert_ptr_nonnull(m.assignment);
    ck_assert_int_eq(m.assignment->topic_partitions.n, 1);
    ck_assert_int_eq(m.assignment->topic_partitions.items[0].topic_id.b[15], 0x11);
    ck_assert_int_eq(m.assignment->topic_partitions.items[0].partitions.n, 2);
    ck_assert_int_eq(m.assignment->topic_partitions.items[0].partitions.items[1], 1);
    kc__buf b;
    kc__buf_init(&b, 0);
    ck_assert_int_eq(kc__ConsumerGroupHeartbeatResponse_encode(&b, 1, &m), 0);
    expect_bytes(&b, with, sizeof with);
    /* null: a single 0xff instead of the struct */
    m.assignment = NULL;
    b.len = 0;
    ck_assert_int_eq(kc__ConsumerGroupHeartbeatResponse_encode(&b, 0, &m), 0);
    expect_bytes(&b, BYTES(0, 0, 0, 0, 0, 0, 0x00, 0x02, 'm', 0, 0, 0, 5, 0, 0, 0x0b, 0xb8, 0xff,
                           0x00));
    kc__buf_free(&b);
    kc__arena_destroy(&a);
}
END_TEST

START_TEST(nulls_in_non_nullable_fields_are_refused) {
    /* MetadataResponse v9, broker host null */
    const uint8_t in[] = {0x00, 0x00, 0x00, 0x00, /* throttle */
                          0x02,                   /* 1 broker */
                          0x00, 0x00, 0x00, 0x01, /* node id 1 */
                          0x00,                   /* host null */
                          0x00, 0x00, 0x23, 0x84, /* port 9092 */
                          0x00, 0x00,             /* rack null, tags */
                          0x00,                   /* cluster id null */
                          0x00, 0x00, 0x00, 0x01, /* controller 1 */
                          0x01,                   /* no topics */
                          0x80, 0x00, 0x00, 0x00, /* cluster authorized operations */
                          0x00};                  /* tags */
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__rd r;
    kc__MetadataResponse m;
    kc__rd_init(&r, in, sizeof in);
    ck_assert_int_eq(kc__MetadataResponse_decode(&r, &a, 9, &m), KC__RD_BAD_VALUE);
    ck_assert_uint_eq(r.err_off, 10);
    /* the same with host "h" decodes */
    uint8_t ok[sizeof in + 1];
    memcpy(ok, in, 9);
    ok[9] = 0x02, ok[10] = 'h';
    memcpy(ok + 11, in + 10, sizeof in - 10);
    kc__rd_init(&r, ok, sizeof ok);
    ck_assert_int_eq(kc__MetadataResponse_decode(&r, &a, 9, &m), 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    ck_assert_int_eq(m.brokers.n, 1);
    ck_assert(kc__str_eq(m.brokers.items[0].host, S("h")));
    ck_assert_int_eq(m.brokers.items[0].port, 9092);
    ck_assert_int_eq(m.brokers.items[0].rack.len, -1);
    ck_assert_int_eq(m.cluster_id.len, -1);
    ck_assert_int_eq(m.controller_id, 1);
    ck_assert_int_eq(m.topics.n, 0);
    ck_assert_int_eq(m.cluster_authorized_operations, INT32_MIN);
    kc__arena_destroy(&a);
}
END_TEST

START_TEST(headers_and_the_api_table) {
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__RequestHeader h;
    kc__RequestHeader_init(&h);
    h.request_api_key = 3;
    h.request_api_version = 12;
    h.correlation_id = 7;
    h.client_id = KC__STR_NULL;
    ck_assert_int_eq(kc__RequestHeader_encode(&b, 1, &h), 0);
    expect_bytes(&b, BYTES(0x00, 0x03, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x07, 0xff, 0xff));
    b.len = 0;
    kc__ResponseHeader rh;
    kc__ResponseHeader_init(&rh);
    rh.correlation_id = 7;
    ck_assert_int_eq(kc__ResponseHeader_encode(&b, 1, &rh), 0);
    expect_bytes(&b, BYTES(0x00, 0x00, 0x00, 0x07, 0x00));
    kc__buf_free(&b);

    ck_assert_int_eq(kc__api_request_header_version(KC__API_METADATA, 8), 1);
    ck_assert_int_eq(kc__api_request_header_version(KC__API_METADATA, 9), 2);
    ck_assert_int_eq(kc__api_response_header_version(KC__API_METADATA, 8), 0);
    ck_assert_int_eq(kc__api_response_header_version(KC__API_METADATA, 9), 1);
    ck_assert_int_eq(kc__api_request_header_version(KC__API_API_VERSIONS, 3), 2);
    ck_assert_int_eq(kc__api_response_header_version(KC__API_API_VERSIONS, 3), 0);
    ck_assert_int_eq(kc__api_response_header_version(KC__API_SASL_HANDSHAKE, 1), 0);
    ck_assert_int_eq(kc__api_request_header_version(4, 0), -1);

    const kc__api_info *api = kc__api_find(KC__API_METADATA);
    ck_assert_ptr_nonnull(api);
    ck_assert_str_eq(api->name, "Metadata");
    ck_assert_int_eq(api->min_version, KC__METADATA_MIN_VERSION);
    ck_assert_int_eq(api->max_version, KC__METADATA_MAX_VERSION);
    ck_assert_int_eq(api->first_flexible, 9);
    ck_assert_ptr_null(kc__api_find(4));
    ck_assert_ptr_null(kc__api_find(-1));
    ck_assert_ptr_null(kc__api_find(1000));
    ck_assert_int_eq(kc__api_find(KC__API_SASL_HANDSHAKE)->first_flexible, -1);
    for (size_t i = 1; i < KC__API_COUNT; i++) ck_assert_int_lt(kc__apis[i - 1].key, kc__apis[i].key);

    /* generic dispatch */
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__rd r;
    void *out;
    kc__rd_init(&r, api_versions_v3, sizeof api_versions_v3);
    ck_assert_int_eq(kc__response_decode(KC__API_API_VERSIONS, 3, &r, &a, &out), 0);
    check_api_versions_v3(out);
    ck_assert_uint_eq(kc__response_struct_size(KC__API_API_VERSIONS), sizeof(kc__ApiVersionsResponse));
    kc__rd_init(&r, api_versions_v3, sizeof api_versions_v3);
    ck_assert_int_eq(kc__response_decode(4, 0, &r, &a, &out), KC__RD_BAD_VALUE);
    ck_assert_ptr_null(out);
    kc__buf_init(&b, 0);
    ck_assert_int_eq(kc__request_encode(4, 0, &b, &h), KC__ENC_UNKNOWN_API);
    kc__arena_destroy(&a);
}
END_TEST

KC_TEST_MAIN("codec_golden", api_versions_request_v3_frame, metadata_request_v12_for_one_topic,
             metadata_request_refuses_what_old_versions_cannot_say,
             api_versions_response_v3_tagged_fields, unknown_tags_are_skipped_at_every_level,
             api_versions_response_v0_fallback, fetch_request_v15_tagged_struct_in_tag_order,
             nullable_struct_uses_a_presence_byte, nulls_in_non_nullable_fields_are_refused,
             headers_and_the_api_table)
