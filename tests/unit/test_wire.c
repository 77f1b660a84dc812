/* Wire primitives (lib/proto/wire.c): fixed-width integers, varints,
 * zig-zag, strings, bytes, array lengths, UUIDs, doubles, tagged fields and
 * the checked helpers the generated codecs use, against hand-written bytes. */
#include "common/ktest.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "proto/wire.h"

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

/* Asserts that b holds exactly the n bytes at want. */
static void expect_bytes(const kc__buf *b, const uint8_t *want, size_t n) {
    ck_assert(kc__buf_ok(b));
    ck_assert_uint_eq(b->len, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(b->p[i] == want[i], "byte %zu: 0x%02x, want 0x%02x", i, b->p[i], want[i]);
}

START_TEST(fixed_width_integers_are_big_endian) {
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__w_i8(&b, -2);
    kc__w_bool(&b, true);
    kc__w_i16(&b, -2);
    kc__w_u16(&b, 0xabcd);
    kc__w_i32(&b, 0x01020304);
    kc__w_u32(&b, 0xfffffffeu);
    kc__w_i64(&b, INT64_MIN);
    expect_bytes(&b, BYTES(0xfe, 0x01, 0xff, 0xfe, 0xab, 0xcd, 0x01, 0x02, 0x03, 0x04, 0xff, 0xff,
                           0xff, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0));
    kc__rd r;
    kc__rd_init(&r, b.p, b.len);
    ck_assert_int_eq(kc__r_i8(&r), -2);
    ck_assert(kc__r_bool(&r));
    ck_assert_int_eq(kc__r_i16(&r), -2);
    ck_assert_uint_eq(kc__r_u16(&r), 0xabcd);
    ck_assert_int_eq(kc__r_i32(&r), 0x01020304);
    ck_assert_uint_eq(kc__r_u32(&r), 0xfffffffeu);
    ck_assert(kc__r_i64(&r) == INT64_MIN);
    ck_assert_int_eq(r.err, 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    /* any non-zero byte is true */
    kc__rd_init(&r, BYTES(0x80));
    ck_assert(kc__r_bool(&r));
    kc__buf_free(&b);
}
END_TEST

START_TEST(short_input_is_a_sticky_error) {
    kc__rd r;
    kc__rd_init(&r, BYTES(0x00, 0x01, 0x02));
    ck_assert_int_eq(kc__r_i16(&r), 1);
    ck_assert_int_eq(kc__r_i32(&r), 0);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    ck_assert_uint_eq(r.err_off, 2);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    /* later reads are no-ops and keep the first error and its offset */
    ck_assert_int_eq(kc__r_i8(&r), 0);
    ck_assert_int_eq(kc__r_uvarint(&r), 0);
    kc__str s = kc__r_str(&r, true);
    ck_assert_int_eq(s.len, -1);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    ck_assert_uint_eq(r.err_off, 2);
    ck_assert_str_eq(kc__rd_strerror(KC__RD_SHORT), "input ended inside a field");
}
END_TEST

/* Encodes v, checks the bytes and that it decodes back. */
static void uvarint_case(uint64_t v, const uint8_t *want, size_t n) {
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__w_uvarint(&b, v);
    expect_bytes(&b, want, n);
    ck_assert_uint_eq(kc__uvarint_size(v), n);
    kc__rd r;
    kc__rd_init(&r, b.p, b.len);
    if (v <= UINT32_MAX) {
        ck_assert_uint_eq(kc__r_uvarint(&r), v);
    } else {
        ck_assert(kc__r_uvarlong(&r) == v);
    }
    ck_assert_int_eq(r.err, 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    kc__buf_free(&b);
}

START_TEST(unsigned_varints_at_their_boundaries) {
    uvarint_case(0, BYTES(0x00));
    uvarint_case(1, BYTES(0x01));
    uvarint_case(127, BYTES(0x7f));
    uvarint_case(128, BYTES(0x80, 0x01));
    uvarint_case(300, BYTES(0xac, 0x02));
    uvarint_case(16383, BYTES(0xff, 0x7f));
    uvarint_case(16384, BYTES(0x80, 0x80, 0x01));
    uvarint_case(UINT32_MAX, BYTES(0xff, 0xff, 0xff, 0xff, 0x0f));
    uvarint_case((uint64_t)UINT32_MAX + 1, BYTES(0x80, 0x80, 0x80, 0x80, 0x10));
    uvarint_case(UINT64_MAX, BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
}
END_TEST

START_TEST(overlong_and_truncated_varints_are_refused) {
    kc__rd r;
    /* 32-bit: a sixth byte is too long; a fifth byte above 0x0f overflows */
    kc__rd_init(&r, BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
    kc__r_uvarint(&r);
    ck_assert_int_eq(r.err, KC__RD_BAD_VARINT);
    kc__rd_init(&r, BYTES(0xff, 0xff, 0xff, 0xff, 0x1f));
    kc__r_uvarint(&r);
    ck_assert_int_eq(r.err, KC__RD_BAD_VARINT);
    /* a redundant (non-minimal) encoding within the length limit is accepted */
    kc__rd_init(&r, BYTES(0x81, 0x00));
    ck_assert_uint_eq(kc__r_uvarint(&r), 1);
    ck_assert_int_eq(r.err, 0);
    /* 64-bit: eleven bytes is too long */
    kc__rd_init(&r, BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
    kc__r_uvarlong(&r);
    ck_assert_int_eq(r.err, KC__RD_BAD_VARINT);
    /* continuation bit on the last byte of the input */
    kc__rd_init(&r, BYTES(0x80, 0x80));
    kc__r_uvarint(&r);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    kc__rd_init(&r, NULL, 0);
    kc__r_varlong(&r);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
}
END_TEST

START_TEST(zigzag_maps_signed_to_unsigned) {
    const struct {
        int64_t v;
        uint64_t z;
    } cases[] = {{0, 0},
                 {-1, 1},
                 {1, 2},
                 {-2, 3},
                 {2, 4},
                 {INT32_MAX, 0xfffffffeu},
                 {INT32_MIN, 0xffffffffu},
                 {INT64_MAX, UINT64_MAX - 1},
                 {INT64_MIN, UINT64_MAX}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert(kc__zigzag64(cases[i].v) == cases[i].z);
        ck_assert(kc__unzigzag64(cases[i].z) == cases[i].v);
    }
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__w_varint(&b, -1);
    kc__w_varint(&b, INT32_MIN);
    kc__w_varlong(&b, -65);
    kc__w_varlong(&b, INT64_MIN);
    expect_bytes(&b, BYTES(0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x81, 0x01, 0xff, 0xff, 0xff, 0xff,
                           0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
    ck_assert_uint_eq(kc__varlong_size(-65), 2);
    kc__rd r;
    kc__rd_init(&r, b.p, b.len);
    ck_assert_int_eq(kc__r_varint(&r), -1);
    ck_assert_int_eq(kc__r_varint(&r), INT32_MIN);
    ck_assert(kc__r_varlong(&r) == -65);
    ck_assert(kc__r_varlong(&r) == INT64_MIN);
    ck_assert_int_eq(r.err, 0);
    kc__buf_free(&b);
}
END_TEST

START_TEST(classic_and_compact_strings) {
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__w_str(&b, kc__str_c("abc"), false);
    kc__w_str(&b, KC__STR_NULL, false);
    kc__w_str(&b, kc__str_c(""), false);
    kc__w_str(&b, kc__str_c("abc"), true);
    kc__w_str(&b, KC__STR_NULL, true);
    kc__w_str(&b, kc__str_c(""), true);
    expect_bytes(&b, BYTES(0x00, 0x03, 'a', 'b', 'c', 0xff, 0xff, 0x00, 0x00, 0x04, 'a', 'b', 'c',
                           0x00, 0x01));
    kc__rd r;
    kc__rd_init(&r, b.p, b.len);
    kc__str s = kc__r_str(&r, false);
    ck_assert(kc__str_eq(s, kc__str_c("abc")));
    ck_assert_ptr_eq(s.p, (const char *)b.p + 2); /* zero-copy */
    ck_assert_int_eq(kc__r_str(&r, false).len, -1);
    ck_assert_int_eq(kc__r_str(&r, false).len, 0);
    ck_assert(kc__str_eq(kc__r_str(&r, true), kc__str_c("abc")));
    ck_assert_int_eq(kc__r_str(&r, true).len, -1);
    ck_assert_int_eq(kc__r_str(&r, true).len, 0);
    ck_assert_int_eq(r.err, 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    /* null and empty differ */
    ck_assert(!kc__str_eq(KC__STR_NULL, kc__str_c("")));
    kc__buf_free(&b);
}
END_TEST

START_TEST(bad_string_lengths_are_refused) {
    kc__rd r;
    kc__rd_init(&r, BYTES(0xff, 0xfe)); /* classic -2 */
    kc__r_str(&r, false);
    ck_assert_int_eq(r.err, KC__RD_BAD_LEN);
    kc__rd_init(&r, BYTES(0x00, 0x05, 'a', 'b')); /* longer than the input */
    kc__r_str(&r, false);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    kc__rd_init(&r, BYTES(0x06, 'a'));
    kc__r_str(&r, true);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    kc__rd_init(&r, BYTES(0xff, 0xff, 0xff, 0xff, 0x0f)); /* compact length 2^32-2 */
    kc__r_str(&r, true);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
}
END_TEST

START_TEST(classic_and_compact_bytes) {
    kc__buf b;
    kc__buf_init(&b, 0);
    const uint8_t two[] = {0xde, 0xad};
    kc__w_bytes(&b, (kc__bytes){two, 2}, false);
    kc__w_bytes(&b, KC__BYTES_NULL, false);
    kc__w_bytes(&b, (kc__bytes){two, 2}, true);
    kc__w_bytes(&b, KC__BYTES_NULL, true);
    expect_bytes(&b, BYTES(0, 0, 0, 2, 0xde, 0xad, 0xff, 0xff, 0xff, 0xff, 0x03, 0xde, 0xad, 0x00));
    kc__rd r;
    kc__rd_init(&r, b.p, b.len);
    ck_assert(kc__bytes_eq(kc__r_bytes(&r, false), (kc__bytes){two, 2}));
    ck_assert_int_eq(kc__r_bytes(&r, false).len, -1);
    ck_assert(kc__bytes_eq(kc__r_bytes(&r, true), (kc__bytes){two, 2}));
    ck_assert_int_eq(kc__r_bytes(&r, true).len, -1);
    ck_assert_int_eq(r.err, 0);
    kc__rd_init(&r, BYTES(0xff, 0xff, 0xff, 0xfe));
    kc__r_bytes(&r, false);
    ck_assert_int_eq(r.err, KC__RD_BAD_LEN);
    kc__rd_init(&r, BYTES(0x7f, 0xff, 0xff, 0xff, 0x00));
    kc__r_bytes(&r, false);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    kc__buf_free(&b);
}
END_TEST

START_TEST(array_lengths_refuse_hostile_counts) {
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__w_array_len(&b, 3, false);
    kc__w_array_len(&b, -1, false);
    kc__w_array_len(&b, 3, true);
    kc__w_array_len(&b, -1, true);
    expect_bytes(&b, BYTES(0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0x04, 0x00));
    kc__buf_free(&b);

    kc__rd r;
    /* 2 elements of >= 4 bytes need 8 bytes: ok with 8, refused with 7 */
    kc__rd_init(&r, BYTES(0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8));
    ck_assert_int_eq(kc__r_array_len(&r, false, 4), 2);
    ck_assert_int_eq(r.err, 0);
    kc__rd_init(&r, BYTES(0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7));
    ck_assert_int_eq(kc__r_array_len(&r, false, 4), -1);
    ck_assert_int_eq(r.err, KC__RD_BAD_LEN);
    /* a billion elements in a few bytes */
    kc__rd_init(&r, BYTES(0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0));
    kc__r_array_len(&r, false, 1);
    ck_assert_int_eq(r.err, KC__RD_BAD_LEN);
    kc__rd_init(&r, BYTES(0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0));
    kc__r_array_len(&r, true, 0); /* min_elem 0 counts as 1 */
    ck_assert_int_eq(r.err, KC__RD_BAD_LEN);
    /* null, and lengths below -1 */
    kc__rd_init(&r, BYTES(0x00));
    ck_assert_int_eq(kc__r_array_len(&r, true, 1), -1);
    ck_assert_int_eq(r.err, 0);
    kc__rd_init(&r, BYTES(0xff, 0xff, 0xff, 0xfe));
    kc__r_array_len(&r, false, 1);
    ck_assert_int_eq(r.err, KC__RD_BAD_LEN);
    /* empty arrays need no bytes after the length */
    kc__rd_init(&r, BYTES(0x01));
    ck_assert_int_eq(kc__r_array_len(&r, true, 100), 0);
    ck_assert_int_eq(r.err, 0);
}
END_TEST

START_TEST(arrays_allocate_in_the_arena_and_check_nulls) {
    kc__arena a;
    kc__arena_init(&a, 0);
    kc__rd r;
    int32_t n;
    kc__rd_init(&r, BYTES(0x03, 0, 0, 0, 1, 0, 0, 0, 2));
    int32_t *items = kc__r_array(&r, &a, true, false, 4, sizeof *items, &n);
    ck_assert_int_eq(n, 2);
    ck_assert_ptr_nonnull(items);
    ck_assert_int_eq(items[0], 0); /* zeroed */
    kc__rd_init(&r, BYTES(0x00));
    ck_assert_ptr_null(kc__r_array(&r, &a, true, true, 4, 4, &n));
    ck_assert_int_eq(n, -1);
    ck_assert_int_eq(r.err, 0);
    kc__rd_init(&r, BYTES(0x00));
    ck_assert_ptr_null(kc__r_array(&r, &a, true, false, 4, 4, &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(r.err, KC__RD_BAD_VALUE);
    kc__rd_init(&r, BYTES(0x7f, 0xff, 0xff, 0xff));
    ck_assert_ptr_null(kc__r_array(&r, &a, false, true, 1, 4, &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(r.err, KC__RD_BAD_LEN);
    kc__arena_destroy(&a);
}
END_TEST

START_TEST(checked_strings_and_bytes) {
    kc__rd r;
    kc__rd_init(&r, BYTES(0x00));
    ck_assert_int_eq(kc__r_str_checked(&r, true, true).len, -1);
    ck_assert_int_eq(r.err, 0);
    kc__rd_init(&r, BYTES(0xff, 0xff));
    kc__r_str_checked(&r, false, false);
    ck_assert_int_eq(r.err, KC__RD_BAD_VALUE);
    kc__rd_init(&r, BYTES(0xff, 0xff, 0xff, 0xff));
    kc__r_bytes_checked(&r, false, false);
    ck_assert_int_eq(r.err, KC__RD_BAD_VALUE);
    /* compact strings over 32767 bytes are refused, as Java does */
    static uint8_t big[32771];
    big[0] = 0x81, big[1] = 0x80, big[2] = 0x02; /* 32769 = length 32768 + 1 */
    kc__rd_init(&r, big, 3 + 32768);
    kc__r_str_checked(&r, true, true);
    ck_assert_int_eq(r.err, KC__RD_BAD_LEN);
    big[0] = 0x80; /* 32768 = length 32767 + 1 */
    kc__rd_init(&r, big, 3 + 32767);
    ck_assert_int_eq(kc__r_str_checked(&r, true, false).len, 32767);
    ck_assert_int_eq(r.err, 0);

    kc__buf b;
    kc__buf_init(&b, 0);
    ck_assert_int_eq(kc__w_str_checked(&b, KC__STR_NULL, true, false), KC__ENC_NULL);
    ck_assert_int_eq(kc__w_str_checked(&b, (kc__str){(const char *)big, 32768}, false, false),
                     KC__ENC_TOO_LONG);
    ck_assert_int_eq(kc__w_bytes_checked(&b, KC__BYTES_NULL, true, false), KC__ENC_NULL);
    ck_assert_int_eq(kc__w_array_len_checked(&b, -1, false, false), KC__ENC_NULL);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_int_eq(kc__w_str_checked(&b, KC__STR_NULL, true, true), 0);
    ck_assert_int_eq(kc__w_bytes_checked(&b, KC__BYTES_NULL, false, true), 0);
    ck_assert_int_eq(kc__w_array_len_checked(&b, -1, true, true), 0);
    expect_bytes(&b, BYTES(0x00, 0xff, 0xff, 0xff, 0xff, 0x00));
    ck_assert_str_eq(kc__enc_strerror(KC__ENC_NULL), "null in a non-nullable field");
    kc__buf_free(&b);
}
END_TEST

START_TEST(uuids_and_doubles) {
    kc__uuid u;
    for (int i = 0; i < 16; i++) u.b[i] = (uint8_t)(0xf0 + i);
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__w_uuid(&b, &u);
    kc__w_f64(&b, 1.5);
    kc__w_f64(&b, -0.0);
    expect_bytes(&b, BYTES(0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb,
                           0xfc, 0xfd, 0xfe, 0xff, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0,
                           0, 0, 0));
    kc__rd r;
    kc__rd_init(&r, b.p, b.len);
    kc__uuid v = kc__r_uuid(&r);
    ck_assert(kc__uuid_eq(&u, &v));
    ck_assert(!kc__uuid_is_zero(&v));
    ck_assert(kc__r_f64(&r) == 1.5);
    double z = kc__r_f64(&r);
    ck_assert(z == 0.0 && signbit(z));
    ck_assert_int_eq(r.err, 0);
    /* a short uuid is zero and an error */
    kc__rd_init(&r, b.p, 15);
    v = kc__r_uuid(&r);
    ck_assert(kc__uuid_is_zero(&v));
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    kc__buf_free(&b);
}
END_TEST

START_TEST(tagged_fields_are_length_prefixed_and_skippable) {
    kc__buf b;
    kc__buf_init(&b, 0);
    size_t tags = b.len;
    size_t at = kc__w_tag_begin(&b, 1);
    kc__w_i64(&b, 5);
    kc__w_tag_end(&b, at);
    at = kc__w_tag_begin(&b, 300);
    for (int i = 0; i < 200; i++) kc__w_i8(&b, (int8_t)i); /* two-byte size */
    kc__w_tag_end(&b, at);
    kc__w_insert_uvarint(&b, tags, 2);
    ck_assert(kc__buf_ok(&b));
    ck_assert_uint_eq(b.len, 1 + (1 + 1 + 8) + (2 + 2 + 200));
    const uint8_t head[] = {0x02, 0x01, 0x08, 0, 0, 0, 0, 0, 0, 0, 5, 0xac, 0x02, 0xc8, 0x01, 0, 1};
    ck_assert(memcmp(b.p, head, sizeof head) == 0);

    kc__rd r, sub;
    kc__rd_init(&r, b.p, b.len);
    ck_assert_uint_eq(kc__r_uvarint(&r), 2);
    ck_assert_uint_eq(kc__r_tag(&r, &sub), 1);
    ck_assert(kc__r_i64(&sub) == 5);
    kc__r_tag_end(&r, &sub);
    ck_assert_uint_eq(kc__r_tag(&r, &sub), 300);
    ck_assert_uint_eq(kc__rd_left(&sub), 200);
    kc__r_i64(&sub);
    kc__r_tag_end(&r, &sub); /* partly read: the rest is skipped */
    ck_assert_int_eq(r.err, 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);

    /* reading past a tag's size fails the outer reader */
    kc__rd_init(&r, BYTES(0x01, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00));
    kc__r_uvarint(&r);
    ck_assert_uint_eq(kc__r_tag(&r, &sub), 5);
    kc__r_i32(&sub);
    kc__r_tag_end(&r, &sub);
    ck_assert_int_eq(r.err, KC__RD_SHORT);

    kc__rd_init(&r, b.p, b.len);
    kc__r_skip_tags(&r);
    ck_assert_int_eq(r.err, 0);
    ck_assert_uint_eq(kc__rd_left(&r), 0);
    kc__rd_init(&r, b.p, b.len - 1);
    kc__r_skip_tags(&r);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    /* a huge tag count in a few bytes ends at the input's end */
    kc__rd_init(&r, BYTES(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00));
    kc__r_skip_tags(&r);
    ck_assert_int_eq(r.err, KC__RD_SHORT);
    kc__buf_free(&b);
}
END_TEST

START_TEST(finish_restores_the_buffer_on_error) {
    kc__buf b;
    kc__buf_init(&b, 0);
    kc__buf_put(&b, "ab", 2);
    size_t start = b.len;
    kc__w_i32(&b, 7);
    ck_assert_int_eq(kc__w_finish(&b, start, KC__ENC_NULL), KC__ENC_NULL);
    ck_assert_uint_eq(b.len, 2);
    kc__w_i32(&b, 7);
    ck_assert_int_eq(kc__w_finish(&b, start, 0), 0);
    ck_assert_uint_eq(b.len, 6);
    b.oom = 1;
    ck_assert_int_eq(kc__w_finish(&b, start, 0), KC__ENC_NOMEM);
    ck_assert_uint_eq(b.len, 2);
    kc__buf_free(&b);
}
END_TEST

KC_TEST_MAIN("wire", fixed_width_integers_are_big_endian, short_input_is_a_sticky_error,
             unsigned_varints_at_their_boundaries, overlong_and_truncated_varints_are_refused,
             zigzag_maps_signed_to_unsigned, classic_and_compact_strings,
             bad_string_lengths_are_refused, classic_and_compact_bytes,
             array_lengths_refuse_hostile_counts, arrays_allocate_in_the_arena_and_check_nulls,
             checked_strings_and_bytes, uuids_and_doubles,
             tagged_fields_are_length_prefixed_and_skippable,
             finish_restores_the_buffer_on_error)
