/* libFuzzer target for the generated protocol decoders.
 *
 * Input: byte 0 picks an API (index into kc__apis), byte 1 a version in its
 * range, the rest is decoded as that API's response and as its request (and
 * as response/request headers), each with a fresh arena.
 *
 * Besides "no crash, no leak", every successful decode must re-encode, and
 * the re-encoding must be canonical: decoding it and encoding again gives the
 * same bytes. A violation aborts (a finding like a crash).
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11
 *        -D_GNU_SOURCE -Iinclude -Ilib -I. tests/fuzz/fuzz_responses.c
 *        $(find lib -name '*.c') <libs> (see tests/fuzz/run). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/gen/apis.h"
#include "proto/gen/headers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, int16_t key, int16_t ver, int resp, int rc) {
    fprintf(stderr, "fuzz_responses: %s: api %d v%d %s (%d)\n", what, key, ver,
            resp ? "response" : "request", rc);
    abort();
}

static int encode(int resp, int16_t key, int16_t ver, kc__buf *b, const void *m) {
    return resp ? kc__response_encode(key, ver, b, m) : kc__request_encode(key, ver, b, m);
}

static int decode(int resp, int16_t key, int16_t ver, const uint8_t *p, size_t n, kc__arena *a,
                  void **out) {
    kc__rd r;
    kc__rd_init(&r, p, n);
    return resp ? kc__response_decode(key, ver, &r, a, out)
                : kc__request_decode(key, ver, &r, a, out);
}

static void one(int resp, int16_t key, int16_t ver, const uint8_t *p, size_t n) {
    kc__arena a, a2;
    kc__arena_init(&a, 0);
    kc__arena_init(&a2, 0);
    void *m = NULL, *m2 = NULL;
    if (decode(resp, key, ver, p, n, &a, &m) == 0) {
        kc__buf b1, b2;
        kc__buf_init(&b1, 0);
        kc__buf_init(&b2, 0);
        int rc = encode(resp, key, ver, &b1, m);
        if (rc) fail("decoded message does not encode", key, ver, resp, rc);
        rc = decode(resp, key, ver, b1.p, b1.len, &a2, &m2);
        if (rc) fail("re-encoded message does not decode", key, ver, resp, rc);
        rc = encode(resp, key, ver, &b2, m2);
        if (rc) fail("second encode failed", key, ver, resp, rc);
        if (b1.len != b2.len || (b1.len && memcmp(b1.p, b2.p, b1.len) != 0))
            fail("encoding is not canonical", key, ver, resp, 0);
        kc__buf_free(&b1);
        kc__buf_free(&b2);
    }
    kc__arena_destroy(&a);
    kc__arena_destroy(&a2);
}

static void headers(const uint8_t *p, size_t n) {
    kc__arena a;
    kc__arena_init(&a, 0);
    for (int16_t v = 0; v <= 2; v++) {
        kc__rd r;
        kc__RequestHeader rq;
        kc__ResponseHeader rs;
        kc__rd_init(&r, p, n);
        (void)kc__RequestHeader_decode(&r, &a, v, &rq);
        kc__rd_init(&r, p, n);
        (void)kc__ResponseHeader_decode(&r, &a, v, &rs);
    }
    kc__arena_destroy(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    const kc__api_info *api = &kc__apis[data[0] % KC__API_COUNT];
    int16_t ver =
        (int16_t)(api->min_version + data[1] % (api->max_version - api->min_version + 1));
    one(1, api->key, ver, data + 2, size - 2);
    one(0, api->key, ver, data + 2, size - 2);
    headers(data + 2, size - 2);
    return 0;
}
