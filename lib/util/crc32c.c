/* CRC-32C: SSE4.2 (three interleaved streams) or slicing-by-8.
 *
 * The hardware path follows the well-known approach of Mark Adler's crc32c.c:
 * the crc32 instruction has a latency of 3 cycles but a throughput of 1 per
 * cycle, so three independent streams over adjacent blocks run in parallel
 * and are then combined by "shifting" the earlier CRCs over the later
 * blocks' length with precomputed GF(2) zero-extension tables. */
#include "config.h"

#include "crc32c.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#if KC_HAVE_SSE42 && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define KC_CRC_HW 1
#else
#define KC_CRC_HW 0
#endif

#define POLY 0x82F63B78u /* reflected Castagnoli polynomial */

static uint32_t sw_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;
static _Atomic(kc__crc32c_fn) crc_impl;
static kc__crc32c_fn crc_hw; /* set once in crc_init */

static inline uint32_t load_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Slicing-by-8; tables must be initialised. */
static uint32_t crc_sw(uint32_t crc, const void *buf, size_t n) {
    const uint8_t *p = buf;
    uint32_t c = ~crc;
    while (n && ((uintptr_t)p & 7)) {
        c = sw_table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
        n--;
    }
    while (n >= 8) {
        uint32_t lo = c ^ load_le32(p), hi = load_le32(p + 4);
        c = sw_table[7][lo & 0xff] ^ sw_table[6][(lo >> 8) & 0xff] ^
            sw_table[5][(lo >> 16) & 0xff] ^ sw_table[4][lo >> 24] ^
            sw_table[3][hi & 0xff] ^ sw_table[2][(hi >> 8) & 0xff] ^
            sw_table[1][(hi >> 16) & 0xff] ^ sw_table[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--) c = sw_table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

static void sw_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ POLY : c >> 1;
        sw_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int k = 1; k < 8; k++)
            sw_table[k][i] = (sw_table[k - 1][i] >> 8) ^ sw_table[0][sw_table[k - 1][i] & 0xff];
}

#if KC_CRC_HW
#define LONG_BLK 8192
#define SHORT_BLK 256

static uint32_t shift_long[4][256];  /* appends LONG_BLK zero bytes */
static uint32_t shift_short[4][256]; /* appends SHORT_BLK zero bytes */

static uint32_t gf2_times(const uint32_t *mat, uint32_t vec) {
    uint32_t sum = 0;
    while (vec) {
        if (vec & 1) sum ^= *mat;
        vec >>= 1;
        mat++;
    }
    return sum;
}

static void gf2_square(uint32_t *sq, const uint32_t *mat) {
    for (int n = 0; n < 32; n++) sq[n] = gf2_times(mat, mat[n]);
}

/* Operator appending len zero bytes (len a power of two) to a raw CRC. */
static void zeros_op(uint32_t *even, size_t len) {
    uint32_t odd[32];
    odd[0] = POLY; /* one zero bit */
    uint32_t row = 1;
    for (int n = 1; n < 32; n++) {
        odd[n] = row;
        row <<= 1;
    }
    gf2_square(even, odd); /* two zero bits */
    gf2_square(odd, even); /* four zero bits */
    /* The first square below gives one zero byte; each further one doubles. */
    do {
        gf2_square(even, odd);
        len >>= 1;
        if (len == 0) return;
        gf2_square(odd, even);
        len >>= 1;
    } while (len);
    memcpy(even, odd, sizeof odd);
}

static void zeros_table(uint32_t tab[4][256], size_t len) {
    uint32_t op[32];
    zeros_op(op, len);
    for (uint32_t n = 0; n < 256; n++) {
        tab[0][n] = gf2_times(op, n);
        tab[1][n] = gf2_times(op, n << 8);
        tab[2][n] = gf2_times(op, n << 16);
        tab[3][n] = gf2_times(op, n << 24);
    }
}

static inline uint32_t crc_shift(uint32_t tab[4][256], uint32_t c) {
    return tab[0][c & 0xff] ^ tab[1][(c >> 8) & 0xff] ^ tab[2][(c >> 16) & 0xff] ^
           tab[3][c >> 24];
}

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

__attribute__((target("sse4.2"))) static uint32_t crc_hw_sse42(uint32_t crc, const void *buf,
                                                                size_t n) {
    const uint8_t *p = buf;
    uint64_t c0 = (uint32_t)~crc;

    while (n && ((uintptr_t)p & 7)) {
        c0 = _mm_crc32_u8((uint32_t)c0, *p++);
        n--;
    }
    while (n >= LONG_BLK * 3) {
        uint64_t c1 = 0, c2 = 0;
        const uint8_t *end = p + LONG_BLK;
        do {
            c0 = _mm_crc32_u64(c0, load64(p));
            c1 = _mm_crc32_u64(c1, load64(p + LONG_BLK));
            c2 = _mm_crc32_u64(c2, load64(p + 2 * LONG_BLK));
            p += 8;
        } while (p < end);
        c0 = crc_shift(shift_long, (uint32_t)c0) ^ (uint32_t)c1;
        c0 = crc_shift(shift_long, (uint32_t)c0) ^ (uint32_t)c2;
        p += 2 * LONG_BLK;
        n -= 3 * LONG_BLK;
    }
    while (n >= SHORT_BLK * 3) {
        uint64_t c1 = 0, c2 = 0;
        const uint8_t *end = p + SHORT_BLK;
        do {
            c0 = _mm_crc32_u64(c0, load64(p));
            c1 = _mm_crc32_u64(c1, load64(p + SHORT_BLK));
            c2 = _mm_crc32_u64(c2, load64(p + 2 * SHORT_BLK));
            p += 8;
        } while (p < end);
        c0 = crc_shift(shift_short, (uint32_t)c0) ^ (uint32_t)c1;
        c0 = crc_shift(shift_short, (uint32_t)c0) ^ (uint32_t)c2;
        p += 2 * SHORT_BLK;
        n -= 3 * SHORT_BLK;
    }
    while (n >= 8) {
        c0 = _mm_crc32_u64(c0, load64(p));
        p += 8;
        n -= 8;
    }
    while (n--) c0 = _mm_crc32_u8((uint32_t)c0, *p++);
    return ~(uint32_t)c0;
}
#endif /* KC_CRC_HW */

static void crc_init(void) {
    kc__crc32c_fn f = crc_sw;
    sw_init();
#if KC_CRC_HW
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2")) {
        zeros_table(shift_long, LONG_BLK);
        zeros_table(shift_short, SHORT_BLK);
        crc_hw = crc_hw_sse42;
        f = crc_hw_sse42;
    }
#endif
    atomic_store_explicit(&crc_impl, f, memory_order_release);
}

uint32_t kc__crc32c(uint32_t crc, const void *p, size_t n) {
    kc__crc32c_fn f = atomic_load_explicit(&crc_impl, memory_order_acquire);
    if (__builtin_expect(f == NULL, 0)) {
        pthread_once(&crc_once, crc_init);
        f = atomic_load_explicit(&crc_impl, memory_order_acquire);
    }
    return f(crc, p, n);
}

uint32_t kc__crc32c_sw(uint32_t crc, const void *p, size_t n) {
    pthread_once(&crc_once, crc_init);
    return crc_sw(crc, p, n);
}

kc__crc32c_fn kc__crc32c_hw_impl(void) {
    pthread_once(&crc_once, crc_init);
    return crc_hw;
}

bool kc__crc32c_hw_available(void) { return kc__crc32c_hw_impl() != NULL; }
