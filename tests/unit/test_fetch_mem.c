/* Fetch memory (lib/consumer/fetch_mem.c): side allocations are aligned
 * and do not overlap, trimming gives back only the last allocation's tail,
 * blocks and response buffers are reused after a response is released, an
 * fbuf outlives its pool's owner, and record/event messages answer their
 * accessors from a 64-byte slot. */
#include "common/ktest.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consumer/consumer.h"

START_TEST(side_allocations_are_aligned_and_disjoint) {
    kc__fpool *p = kc__fpool_new(8 << 20);
    ck_assert_ptr_nonnull(p);
    kc__fbuf *fb = kc__fbuf_new(p, malloc(100), 100);
    ck_assert_ptr_nonnull(fb);
    uint8_t *prev = NULL;
    size_t prevn = 0;
    for (int i = 0; i < 3000; i++) {
        size_t n = 1 + (size_t)(i * 7919) % 5000;
        uint8_t *q = kc__fbuf_alloc(fb, n);
        ck_assert_ptr_nonnull(q);
        ck_assert_uint_eq((uintptr_t)q % 64, 0);
        memset(q, i, n); /* ASan: really n usable bytes */
        if (prev && q > prev) ck_assert(q >= prev + prevn);
        prev = q;
        prevn = n;
    }
    /* Large allocations get their own block and leave the bump block alone. */
    uint8_t *a = kc__fbuf_alloc(fb, 64);
    uint8_t *big = kc__fbuf_alloc(fb, 3 << 20);
    ck_assert_ptr_nonnull(big);
    memset(big, 1, 3 << 20);
    uint8_t *b = kc__fbuf_alloc(fb, 64);
    ck_assert_ptr_eq(b, a + 64);
    /* Trim: only the tail of the last allocation comes back. */
    uint8_t *c = kc__fbuf_alloc(fb, 4096);
    kc__fbuf_trim(fb, c, 4096, 100);
    uint8_t *d = kc__fbuf_alloc(fb, 64);
    ck_assert_ptr_eq(d, c + 128);
    kc__fbuf_trim(fb, c, 4096, 0); /* not the last one any more: no effect */
    ck_assert_ptr_eq(kc__fbuf_alloc(fb, 64), d + 64);
    kc__fbuf_release(fb);
    kc__fpool_close(p);
}
END_TEST

START_TEST(memory_is_reused_after_release) {
    kc__fpool *p = kc__fpool_new(8 << 20);
    uint8_t *mem = malloc(1 << 16);
    kc__fbuf *fb = kc__fbuf_new(p, mem, 1 << 16);
    uint8_t *blk = kc__fbuf_alloc(fb, 1000);
    size_t cap = 0;
    ck_assert_ptr_null(kc__fpool_get_rbuf(p, &cap)); /* nothing cached yet */
    kc__fbuf_release(fb);
    /* The response buffer comes back, as the broker's next read buffer. */
    ck_assert_ptr_eq(kc__fpool_get_rbuf(p, &cap), mem);
    ck_assert_uint_eq(cap, 1 << 16);
    /* A copy needing more than any cached buffer gets a fresh one. */
    fb = kc__fbuf_new(p, mem, cap);
    ck_assert_ptr_eq(kc__fbuf_alloc(fb, 1000), blk); /* the same block */
    kc__fbuf_release(fb);
    uint8_t *m2 = kc__fpool_rbuf(p, 1 << 20, &cap);
    ck_assert_ptr_nonnull(m2);
    ck_assert_ptr_ne(m2, mem);
    ck_assert_uint_eq(cap, 1 << 20);
    free(m2);
    ck_assert_ptr_eq(kc__fpool_rbuf(p, 100, &cap), mem);
    free(mem);
    kc__fpool_close(p);
}
END_TEST

START_TEST(fbuf_outlives_the_pool_owner) {
    kc__fpool *p = kc__fpool_new(0); /* keeps no blocks */
    kc__fbuf *fb = kc__fbuf_new(p, malloc(10), 10);
    char *s = kc__fbuf_alloc(fb, 6);
    memcpy(s, "topic", 6);
    kc__fpool_close(p); /* the consumer is gone; messages live on */
    ck_assert_str_eq(s, "topic");
    kc__fbuf_release(fb); /* frees everything, the pool last (ASan/LSan) */
}
END_TEST

START_TEST(messages_answer_from_their_slot) {
    ck_assert_uint_eq(sizeof(kc_message_t), 64);
    kc__fpool *p = kc__fpool_new(1 << 20);
    kc__fbuf *fb = kc__fbuf_new(p, malloc(10), 10);
    kc__fchunk *ch = kc__fbuf_alloc(fb, sizeof(*ch) + 2 * sizeof(kc_message_t));
    memset(ch, 0, sizeof(*ch));
    atomic_init(&ch->refs, 2); /* two live messages */
    atomic_fetch_add(&fb->refs, 1);
    ch->fbuf = fb;
    ch->topic = "t1";
    ch->partition = 5;
    ch->leader_epoch = 9;
    ch->tstype = KC_TIMESTAMP_LOG_APPEND_TIME;
    ck_assert_uint_eq((uintptr_t)&ch->msgs[0] % 64, 0);
    /* A record with two headers, the second with a null value. */
    static const uint8_t hdrs[] = {2, 'a', 2, 'x', 2, 'b', 1};
    kc_message_t *m = &ch->msgs[0];
    *m = (kc_message_t){.chunk = ch, .offset = 42, .timestamp = 1000, .key = NULL,
                        .key_len = -1, .value = (const uint8_t *)"vv", .value_len = 2,
                        .hdrs = hdrs, .hdrs_len = sizeof hdrs, .hdr_count = 2};
    ck_assert_int_eq(kc_message_error(m), 0);
    ck_assert_str_eq(kc_message_topic(m), "t1");
    ck_assert_int_eq(kc_message_partition(m), 5);
    ck_assert_int_eq(kc_message_leader_epoch(m), 9);
    ck_assert_int_eq(kc_message_offset(m), 42);
    int tt;
    ck_assert_int_eq(kc_message_timestamp(m, &tt), 1000);
    ck_assert_int_eq(tt, KC_TIMESTAMP_LOG_APPEND_TIME);
    size_t len = 9;
    ck_assert_ptr_null(kc_message_key(m, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_nonnull(kc_message_value(m, &len));
    ck_assert_uint_eq(len, 2);
    ck_assert_uint_eq(kc_message_header_count(m), 2);
    const char *name;
    const void *val;
    size_t nl, vl;
    for (int round = 0; round < 2; round++) { /* indexed, then from the index */
        ck_assert_int_eq(kc_message_header(m, 1, &name, &nl, &val, &vl), 0);
        ck_assert_uint_eq(nl, 1);
        ck_assert_int_eq(name[0], 'b');
        ck_assert_ptr_null(val);
        ck_assert_int_eq(kc_message_header(m, 0, &name, &nl, &val, &vl), 0);
        ck_assert_int_eq(name[0], 'a');
        ck_assert_uint_eq(vl, 1);
        ck_assert_int_eq(*(const char *)val, 'x');
    }
    ck_assert_int_eq(kc_message_header(m, 2, &name, &nl, &val, &vl), KC_ERR__NOENT);
    kc_message_t *m2 = &ch->msgs[1];
    *m2 = (kc_message_t){.chunk = ch, .offset = 43, .key_len = 0, .value_len = -1};
    ck_assert_uint_eq(kc_message_header_count(m2), 0);
    kc__fbuf_release(fb); /* the chunk's references keep it */
    kc__fpool_close(p);
    kc_message_destroy(m);
    ck_assert_str_eq(kc_message_topic(m2), "t1");
    kc_message_destroy(m2); /* the last: frees the fbuf and the pool */

    /* An event. */
    kc_message_t *e = kc__msg_event_new("tp", 3, KC_ERR__PARTITION_EOF, 77, "eof");
    ck_assert_int_eq(kc_message_error(e), KC_ERR__PARTITION_EOF);
    ck_assert_str_eq(kc_message_errstr(e), "eof");
    ck_assert_str_eq(kc_message_topic(e), "tp");
    ck_assert_int_eq(kc_message_partition(e), 3);
    ck_assert_int_eq(kc_message_offset(e), 77);
    ck_assert_int_eq(kc_message_leader_epoch(e), -1);
    ck_assert_int_eq(kc_message_timestamp(e, &tt), -1);
    ck_assert_int_eq(tt, KC_TIMESTAMP_NOT_AVAILABLE);
    ck_assert_ptr_null(kc_message_value(e, &len));
    ck_assert_uint_eq(kc_message_header_count(e), 0);
    kc_message_destroy(e);
    e = kc__msg_event_new(NULL, 3, KC_ERR__TRANSPORT, -1, NULL);
    ck_assert_ptr_null(kc_message_topic(e));
    ck_assert_int_eq(kc_message_partition(e), -1);
    ck_assert_str_eq(kc_message_errstr(e), "");
    kc_message_destroy(e);
}
END_TEST

KC_TEST_MAIN("fetch_mem", side_allocations_are_aligned_and_disjoint,
             memory_is_reused_after_release, fbuf_outlives_the_pool_owner,
             messages_answer_from_their_slot)
