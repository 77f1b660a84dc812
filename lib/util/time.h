/* Clocks. Monotonic milliseconds/microseconds for deadlines and timers;
 * wall-clock milliseconds for record timestamps. */
#ifndef KC_UTIL_TIME_H
#define KC_UTIL_TIME_H

#include <stdint.h>
#include <time.h>

static inline int64_t kc__mono_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
static inline int64_t kc__mono_ms(void) { return kc__mono_us() / 1000; }
/* The same clock at tick resolution (1-4 ms), much cheaper: for
 * bookkeeping read on hot paths. */
static inline int64_t kc__mono_coarse_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
static inline int64_t kc__wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
/* Milliseconds left until deadline (>= 0). */
static inline int kc__ms_left(int64_t deadline_ms) {
    int64_t left = deadline_ms - kc__mono_ms();
    return left < 0 ? 0 : left > 0x7fffffff ? 0x7fffffff : (int)left;
}

#endif
