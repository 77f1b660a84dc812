/* CRC-32C (Castagnoli), as used by Kafka record batches (magic 2).
 *
 * Standard convention (reflected polynomial 0x82F63B78, initial value and
 * final XOR 0xFFFFFFFF folded into the call), so:
 *   kc__crc32c(0, "123456789", 9) == 0xE3069283
 * and calls chain: the CRC of a||b is kc__crc32c(kc__crc32c(0, a, na), b, nb).
 *
 * kc__crc32c() picks its implementation once, at first use (thread-safe):
 * the SSE4.2 crc32 instruction, three streams interleaved, when the build
 * has it (KC_HAVE_SSE42) and the CPU supports it; otherwise a portable
 * slicing-by-8 table implementation.
 *
 * Thread: all functions may be called from any thread. */
#ifndef KC_UTIL_CRC32C_H
#define KC_UTIL_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint32_t kc__crc32c(uint32_t crc, const void *p, size_t n);

/* The portable implementation, always available (tests, benchmarks). */
uint32_t kc__crc32c_sw(uint32_t crc, const void *p, size_t n);

/* True when kc__crc32c() uses the hardware instruction. */
bool kc__crc32c_hw_available(void);

/* The hardware implementation, or NULL when it is not available on this
 * build or CPU (tests, benchmarks). */
typedef uint32_t (*kc__crc32c_fn)(uint32_t crc, const void *p, size_t n);
kc__crc32c_fn kc__crc32c_hw_impl(void);

#endif
