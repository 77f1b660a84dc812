/* Decoding of real broker responses captured from Kafka 4.1.2 (make
 * fixtures; tests/fixtures/capture.sh): every response decodes, is consumed
 * exactly, re-encodes to the same bytes, and carries what the broker was
 * asked for. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ktest.h"
#include "proto/gen/api_versions.h"
#include "proto/gen/apis.h"
#include "proto/gen/fetch.h"
#include "proto/gen/metadata.h"
#include "proto/record_batch.h"

#define RESP_DIR "tests/fixtures/responses"

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static const kc__api_info *api_by_name(const char *name, size_t n) {
    for (int i = 0; i < KC__API_COUNT; i++)
        if (strlen(kc__apis[i].name) == n && memcmp(kc__apis[i].name, name, n) == 0)
            return &kc__apis[i];
    return NULL;
}

/* Calls fn for each fixture file; returns how many. */
static int each_fixture(void (*fn)(const kc__api_info *, int16_t, const uint8_t *, size_t,
                                   const char *)) {
    DIR *d = opendir(RESP_DIR);
    ck_assert_msg(d != NULL, "no %s (run from the top of the tree)", RESP_DIR);
    struct dirent *e;
    int count = 0;
    while ((e = readdir(d))) {
        const char *dash = strstr(e->d_name, "-v");
        if (!dash || !strstr(e->d_name, ".bin")) continue;
        const kc__api_info *ai = api_by_name(e->d_name, (size_t)(dash - e->d_name));
        ck_assert_msg(ai != NULL, "fixture %s names no generated API", e->d_name);
        int16_t ver = (int16_t)atoi(dash + 2);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", RESP_DIR, e->d_name);
        size_t len;
        uint8_t *p = slurp(path, &len);
        fn(ai, ver, p, len, e->d_name);
        free(p);
        count++;
    }
    closedir(d);
    return count;
}

static void decode_exact(const kc__api_info *ai, int16_t ver, const uint8_t *p, size_t len,
                         const char *name) {
    kc__arena a;
    kc__arena_init(&a, 4096);
    kc__rd r;
    kc__rd_init(&r, p, len);
    void *m = NULL;
    int rc = kc__response_decode(ai->key, ver, &r, &a, &m);
    ck_assert_msg(rc == 0, "%s: decode failed: %s at byte %zu", name, kc__rd_strerror(rc),
                  r.err_off);
    ck_assert_msg(kc__rd_left(&r) == 0, "%s: %zu bytes left undecoded", name, kc__rd_left(&r));
    /* Re-encoding gives the broker's bytes back. */
    kc__buf b;
    kc__buf_init(&b, len);
    ck_assert_int_eq(kc__response_encode(ai->key, ver, &b, m), 0);
    ck_assert_msg(b.len == len && memcmp(b.p, p, len) == 0, "%s: re-encoding differs", name);
    kc__buf_free(&b);
    kc__arena_destroy(&a);
}

START_TEST(every_captured_response_decodes_exactly) {
    int n = each_fixture(decode_exact);
    ck_assert_int_ge(n, 60); /* 102 captured from Kafka 4.1.2 */
}
END_TEST

static int api_versions_seen;
static void check_api_versions(const kc__api_info *ai, int16_t ver, const uint8_t *p, size_t len,
                               const char *name) {
    if (ai->key != KC__API_API_VERSIONS) return;
    kc__arena a;
    kc__arena_init(&a, 4096);
    kc__rd r;
    kc__rd_init(&r, p, len);
    kc__ApiVersionsResponse m;
    ck_assert_int_eq(kc__ApiVersionsResponse_decode(&r, &a, ver, &m), 0);
    ck_assert_int_eq(m.error_code, 0);
    int found = 0;
    for (int32_t i = 0; i < m.api_keys.n; i++) {
        if (m.api_keys.items[i].api_key == KC__API_METADATA) {
            ck_assert_int_eq(m.api_keys.items[i].min_version, 0);
            ck_assert_int_ge(m.api_keys.items[i].max_version, 12);
            found = 1;
        }
        if (m.api_keys.items[i].api_key == KC__API_PRODUCE)
            ck_assert_int_ge(m.api_keys.items[i].max_version, 11);
    }
    ck_assert_msg(found, "%s: no Metadata in ApiVersions", name);
    if (ver >= 3) ck_assert_int_ge(m.finalized_features_epoch, 0);
    api_versions_seen++;
    kc__arena_destroy(&a);
}

START_TEST(api_versions_list_the_brokers_apis) {
    api_versions_seen = 0;
    each_fixture(check_api_versions);
    ck_assert_int_eq(api_versions_seen, 5); /* v0..v4 */
}
END_TEST

static int metadata_seen;
static void check_metadata(const kc__api_info *ai, int16_t ver, const uint8_t *p, size_t len,
                           const char *name) {
    if (ai->key != KC__API_METADATA) return;
    kc__arena a;
    kc__arena_init(&a, 4096);
    kc__rd r;
    kc__rd_init(&r, p, len);
    kc__MetadataResponse m;
    ck_assert_int_eq(kc__MetadataResponse_decode(&r, &a, ver, &m), 0);
    ck_assert_int_eq(m.brokers.n, 1);
    ck_assert(kc__str_eq(m.brokers.items[0].host, kc__str_c("127.0.0.1")));
    ck_assert_int_eq(m.topics.n, 5);
    for (int32_t t = 0; t < m.topics.n; t++) {
        ck_assert_int_eq(m.topics.items[t].error_code, 0);
        ck_assert_int_eq(m.topics.items[t].name.len >= 4, 1);
        ck_assert_int_eq(memcmp(m.topics.items[t].name.p, "fx-", 3), 0);
        ck_assert_int_eq(m.topics.items[t].partitions.n, 1);
        ck_assert_int_eq(m.topics.items[t].partitions.items[0].leader_id,
                         m.brokers.items[0].node_id);
    }
    if (ver >= 2) ck_assert_int_eq(m.cluster_id.len, 22);
    metadata_seen++;
    kc__arena_destroy(&a);
}

START_TEST(metadata_has_the_fixture_topics) {
    metadata_seen = 0;
    each_fixture(check_metadata);
    ck_assert_int_eq(metadata_seen, 14); /* v0..v13 */
}
END_TEST

static int fetch_seen;
static void check_fetch(const kc__api_info *ai, int16_t ver, const uint8_t *p, size_t len,
                        const char *name) {
    if (ai->key != KC__API_FETCH) return;
    kc__arena a;
    kc__arena_init(&a, 4096);
    kc__rd r;
    kc__rd_init(&r, p, len);
    kc__FetchResponse m;
    ck_assert_int_eq(kc__FetchResponse_decode(&r, &a, ver, &m), 0);
    ck_assert_int_eq(m.error_code, 0);
    ck_assert_int_eq(m.responses.n, 5);
    for (int32_t t = 0; t < m.responses.n; t++) {
        const kc__FetchResponse_PartitionData *pd = &m.responses.items[t].partitions.items[0];
        ck_assert_int_eq(pd->error_code, 0);
        ck_assert_int_eq(pd->high_watermark, 5);
        ck_assert_int_gt(pd->records.len, 61); /* at least one batch header */
        /* magic byte of the first batch */
        ck_assert_int_eq(pd->records.p[16], 2);
    }
    fetch_seen++;
    kc__arena_destroy(&a);
}

START_TEST(fetch_returns_the_java_batches) {
    fetch_seen = 0;
    each_fixture(check_fetch);
    ck_assert_int_eq(fetch_seen, 15); /* v4..v18 */
}
END_TEST

/* Batches the Java console producer wrote with each codec, fetched back
 * from the broker: every record's headers, key and value match what was
 * produced (tests/fixtures/batches/java-records.txt: headers TAB key TAB
 * value, headers as k=v,k=v). */
START_TEST(java_producer_batches_decode_for_every_codec) {
    static const char *codecs[] = {"none", "gzip", "snappy", "lz4", "zstd"};
    static const int codec_ids[] = {0, 1, 2, 3, 4};
    size_t elen;
    char *expected = (char *)slurp("tests/fixtures/batches/java-records.txt", &elen);
    expected[elen] = 0;
    for (int c = 0; c < 5; c++) {
        char path[256];
        snprintf(path, sizeof path, "tests/fixtures/batches/java-%s.bin", codecs[c]);
        size_t len;
        uint8_t *blob = slurp(path, &len);
        kc__batch_iter it;
        kc__batch_iter_init(&it, blob, len);
        kc__batch b;
        kc__buf scratch;
        kc__buf_init(&scratch, 0);
        int nrec = 0;
        char *line = expected;
        while (kc__batch_iter_next(&it, &b) == 0) {
            ck_assert_int_eq(kc__batch_codec(&b), codec_ids[c]);
            kc__record_iter ri;
            ck_assert_int_eq(kc__record_iter_init(&ri, &b, &scratch, 0), 0);
            kc__record r;
            int rc;
            while ((rc = kc__record_iter_next(&ri, &r)) == 0) {
                char *nl = strchr(line, '\n');
                ck_assert_ptr_nonnull(nl);
                char *tab1 = strchr(line, '\t'), *tab2 = strchr(tab1 + 1, '\t');
                /* headers */
                char hdrs[256] = "";
                kc__header_iter hi;
                kc__header_iter_init(&hi, &r);
                kc__str hk;
                kc__bytes hv;
                while (kc__header_iter_next(&hi, &hk, &hv)) {
                    size_t at = strlen(hdrs);
                    snprintf(hdrs + at, sizeof hdrs - at, "%s%.*s=%.*s", at ? "," : "", (int)hk.len,
                             hk.p, (int)hv.len, (const char *)hv.p);
                }
                ck_assert_int_eq((int)strlen(hdrs), (int)(tab1 - line));
                ck_assert_int_eq(memcmp(hdrs, line, (size_t)(tab1 - line)), 0);
                ck_assert_int_eq(r.key.len, (int32_t)(tab2 - tab1 - 1));
                ck_assert_int_eq(memcmp(r.key.p, tab1 + 1, (size_t)r.key.len), 0);
                ck_assert_int_eq(r.value.len, (int32_t)(nl - tab2 - 1));
                ck_assert_int_eq(memcmp(r.value.p, tab2 + 1, (size_t)r.value.len), 0);
                ck_assert_int_eq(r.offset, nrec);
                ck_assert_int_gt(r.timestamp, 1700000000000LL);
                line = nl + 1;
                nrec++;
            }
            ck_assert_int_eq(rc, KC__BATCH_END);
        }
        ck_assert_int_eq(it.status, KC__BATCH_END);
        ck_assert_msg(nrec == 5, "%s: %d records", codecs[c], nrec);
        kc__buf_free(&scratch);
        free(blob);
    }
    free(expected);
}
END_TEST

KC_TEST_MAIN("fixtures", every_captured_response_decodes_exactly,
             api_versions_list_the_brokers_apis, metadata_has_the_fixture_topics,
             fetch_returns_the_java_batches, java_producer_batches_decode_for_every_codec)
