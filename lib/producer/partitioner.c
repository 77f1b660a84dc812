/* The producer's built-in partitioners (see partitioner.h). */
#include "producer/partitioner.h"

#include <string.h>

static const char *const part_names[KC__PART__COUNT] = {
    [KC__PART_MURMUR2_RANDOM] = "murmur2_random",
    [KC__PART_MURMUR2] = "murmur2",
    [KC__PART_CONSISTENT] = "consistent",
    [KC__PART_CONSISTENT_RANDOM] = "consistent_random",
    [KC__PART_RANDOM] = "random",
    [KC__PART_ROUND_ROBIN] = "round_robin",
    [KC__PART_STICKY] = "sticky",
};

int kc__partitioner_parse(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < KC__PART__COUNT; i++)
        if (!strcmp(name, part_names[i])) return i;
    return -1;
}

const char *kc__partitioner_name(int id) {
    return id >= 0 && id < KC__PART__COUNT ? part_names[id] : NULL;
}

/* ------------------------------------------------------------------ */
/* Hashes */

int32_t kc__murmur2(const void *key, size_t len) {
    /* Java's ints wrap; uint32_t arithmetic gives the same bits, and Java's
     * >>> is the unsigned shift. The length is an int in Java: keys are
     * shorter than 2 GiB there, and the low 32 bits are what gets mixed. */
    const uint8_t *p = key;
    const uint32_t m = 0x5bd1e995;
    uint32_t h = 0x9747b28cu ^ (uint32_t)len;
    size_t n4 = len / 4;
    for (size_t i = 0; i < n4; i++, p += 4) {
        uint32_t k = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24;
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    switch (len & 3) {
    case 3: h ^= (uint32_t)p[2] << 16; /* fall through */
    case 2: h ^= (uint32_t)p[1] << 8;  /* fall through */
    case 1:
        h ^= p[0];
        h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return (int32_t)h; /* two's complement, as Java's int */
}

int32_t kc__murmur2_partition(const void *key, size_t len, int32_t npartitions) {
    if (npartitions < 1) return -1;
    /* Utils.toPositive(h) is h & 0x7fffffff, not abs(). */
    return (int32_t)(((uint32_t)kc__murmur2(key, len) & 0x7fffffffu) % (uint32_t)npartitions);
}

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320), one table lookup a byte: keys are
 * short, and this is not the record batch CRC (that is CRC-32C). */
static const uint32_t crc32_tab[256] = {
    0x00000000, 0x77073096, 0xee0e612c, 0x990951ba, 0x076dc419, 0x706af48f,
    0xe963a535, 0x9e6495a3, 0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
    0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91, 0x1db71064, 0x6ab020f2,
    0xf3b97148, 0x84be41de, 0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
    0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec, 0x14015c4f, 0x63066cd9,
    0xfa0f3d63, 0x8d080df5, 0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
    0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b, 0x35b5a8fa, 0x42b2986c,
    0xdbbbc9d6, 0xacbcf940, 0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
    0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116, 0x21b4f4b5, 0x56b3c423,
    0xcfba9599, 0xb8bda50f, 0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
    0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d, 0x76dc4190, 0x01db7106,
    0x98d220bc, 0xefd5102a, 0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
    0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818, 0x7f6a0dbb, 0x086d3d2d,
    0x91646c97, 0xe6635c01, 0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
    0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457, 0x65b0d9c6, 0x12b7e950,
    0x8bbeb8ea, 0xfcb9887c, 0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
    0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2, 0x4adfa541, 0x3dd895d7,
    0xa4d1c46d, 0xd3d6f4fb, 0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
    0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9, 0x5005713c, 0x270241aa,
    0xbe0b1010, 0xc90c2086, 0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
    0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4, 0x59b33d17, 0x2eb40d81,
    0xb7bd5c3b, 0xc0ba6cad, 0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
    0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683, 0xe3630b12, 0x94643b84,
    0x0d6d6a3e, 0x7a6a5aa8, 0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
    0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe, 0xf762575d, 0x806567cb,
    0x196c3671, 0x6e6b06e7, 0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
    0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5, 0xd6d6a3e8, 0xa1d1937e,
    0x38d8c2c4, 0x4fdff252, 0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
    0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60, 0xdf60efc3, 0xa867df55,
    0x316e8eef, 0x4669be79, 0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
    0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f, 0xc5ba3bbe, 0xb2bd0b28,
    0x2bb45a92, 0x5cb36a04, 0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
    0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a, 0x9c0906a9, 0xeb0e363f,
    0x72076785, 0x05005713, 0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
    0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21, 0x86d3d2d4, 0xf1d4e242,
    0x68ddb3f8, 0x1fda836e, 0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
    0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c, 0x8f659eff, 0xf862ae69,
    0x616bffd3, 0x166ccf45, 0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
    0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db, 0xaed16a4a, 0xd9d65adc,
    0x40df0b66, 0x37d83bf0, 0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
    0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6, 0xbad03605, 0xcdd70693,
    0x54de5729, 0x23d967bf, 0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
    0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d,
};

uint32_t kc__crc32(uint32_t crc, const void *p, size_t n) {
    const uint8_t *b = p;
    crc = ~crc;
    while (n--) crc = crc32_tab[(crc ^ *b++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int32_t kc__consistent_partition(const void *key, size_t len, int32_t npartitions) {
    if (npartitions < 1) return -1;
    return (int32_t)(kc__crc32(0, key, len) % (uint32_t)npartitions);
}

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64 (any seed, 0 included, gives a full-period
 * sequence of well-mixed outputs). */

static uint64_t rng_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, bound), bound > 0, without modulo bias. */
static uint64_t rng_below(uint64_t *state, uint64_t bound) {
    uint64_t min = -bound % bound; /* 2^64 mod bound: draws below it are dropped */
    for (;;) {
        uint64_t r = rng_next(state);
        if (r >= min) return r % bound;
    }
}

/* ------------------------------------------------------------------ */
/* Candidate sets: the partitions with a leader when any has one (else all),
 * less `skip` when that leaves at least one. */

typedef struct {
    const bool *avail; /* NULL: every partition is a candidate */
    int32_t skip;      /* excluded partition, or -1 */
    int32_t count;     /* number of candidates */
} cands;

static bool cand_has(const cands *c, int32_t i) {
    return (!c->avail || c->avail[i]) && i != c->skip;
}

static cands cands_make(int32_t n, const bool *avail, int32_t skip) {
    cands c = {avail, -1, n};
    if (avail) {
        c.count = 0;
        for (int32_t i = 0; i < n; i++) c.count += avail[i];
        if (c.count == 0) {
            c.avail = NULL; /* nothing has a leader: any partition will do */
            c.count = n;
        }
    }
    if (skip >= 0 && skip < n && c.count > 1 && (!c.avail || c.avail[skip])) {
        c.skip = skip;
        c.count--;
    }
    return c;
}

/* The k-th candidate (k < c->count). */
static int32_t cand_nth(const cands *c, int32_t n, int32_t k) {
    for (int32_t i = 0; i < n; i++)
        if (cand_has(c, i) && k-- == 0) return i;
    return n - 1; /* not reached */
}

static uint64_t clamp_queue(int64_t q) {
    return q < 0 ? 0 : q > (int64_t)UINT32_MAX ? UINT32_MAX : (uint64_t)q;
}

/* A new sticky partition other than `cur` (when possible). */
static int32_t sticky_next(kc__sticky *s, int32_t n, const int64_t *queued,
                           const bool *avail, int32_t cur) {
    cands c = cands_make(n, avail, cur); /* cur only when it is all there is */
    if (!queued) return cand_nth(&c, n, (int32_t)rng_below(&s->rng, (uint64_t)c.count));

    /* Weights max + 1 - queue: the longest queue gets 1, an empty one max + 1
     * (BuiltInPartitioner.updatePartitionLoadStats). With queues clamped to
     * 2^32 - 1 and at most 2^31 candidates, the total fits 64 bits. */
    uint64_t max = 0, total = 0;
    for (int32_t i = 0; i < n; i++)
        if (cand_has(&c, i) && clamp_queue(queued[i]) > max) max = clamp_queue(queued[i]);
    for (int32_t i = 0; i < n; i++)
        if (cand_has(&c, i)) total += max + 1 - clamp_queue(queued[i]);
    uint64_t r = rng_below(&s->rng, total);
    for (int32_t i = 0; i < n; i++) {
        if (!cand_has(&c, i)) continue;
        uint64_t w = max + 1 - clamp_queue(queued[i]);
        if (r < w) return i;
        r -= w;
    }
    return cand_nth(&c, n, c.count - 1); /* not reached */
}

void kc__sticky_init(kc__sticky *s, uint64_t seed) {
    s->current = -1;
    s->produced_bytes = 0;
    s->rng = seed;
    s->switches = 0;
}

int32_t kc__sticky_partition(kc__sticky *s, int32_t npartitions, size_t record_size,
                             int64_t batch_size, const int64_t *queued_bytes,
                             const bool *available) {
    if (npartitions < 1) return -1;
    if (batch_size < 1) batch_size = 1;
    int32_t cur = s->current;
    bool keep = cur >= 0 && cur < npartitions && s->produced_bytes < batch_size;
    if (keep && available && !available[cur]) {
        /* Lost its leader: leave it if some other partition has one. */
        for (int32_t i = 0; i < npartitions && keep; i++) keep = !available[i];
    }
    if (!keep) {
        s->current = sticky_next(s, npartitions, queued_bytes, available, cur);
        s->produced_bytes = 0;
        s->switches++;
    }
    /* Saturating: a record larger than INT64_MAX is not real, but stay defined. */
    uint64_t add = record_size > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : (uint64_t)record_size;
    s->produced_bytes = (uint64_t)(INT64_MAX - s->produced_bytes) < add
                            ? INT64_MAX
                            : s->produced_bytes + (int64_t)add;
    return s->current;
}

/* ------------------------------------------------------------------ */

void kc__part_state_init(kc__part_state *st, uint64_t seed) {
    uint64_t g = seed;
    kc__sticky_init(&st->sticky, rng_next(&g));
    st->rng = rng_next(&g);
    st->rr_next = 0;
}

/* Uniform among the partitions with a leader (all when none has one). */
static int32_t random_partition(kc__part_state *st, int32_t n, const bool *avail) {
    /* A few plain draws first: with most partitions available one of them
     * hits, in O(1); conditioned on hitting each is uniform over the
     * available set, as is the exact pass below, so the mixture is too. */
    for (int tries = 0; tries < 8; tries++) {
        int32_t p = (int32_t)rng_below(&st->rng, (uint64_t)n);
        if (!avail || avail[p]) return p;
    }
    cands c = cands_make(n, avail, -1);
    return cand_nth(&c, n, (int32_t)rng_below(&st->rng, (uint64_t)c.count));
}

/* The next partition at or after rr_next (cyclically) with a leader, or just
 * the next one when none has a leader. */
static int32_t round_robin_partition(kc__part_state *st, int32_t n, const bool *avail) {
    int32_t p = (int32_t)(st->rr_next % (uint32_t)n);
    if (avail) {
        int32_t i = 0;
        while (i < n && !avail[(p + i) % n]) i++;
        if (i < n) p = (p + i) % n;
    }
    st->rr_next = (uint32_t)(p + 1 == n ? 0 : p + 1);
    return p;
}

int32_t kc__partition(int id, kc__part_state *st, const void *key, size_t keylen,
                      int32_t npartitions, size_t record_size, int64_t batch_size,
                      const int64_t *queued_bytes, const bool *available) {
    if (npartitions < 1) return -1;
    if (!key) keylen = 0;
    switch (id) {
    case KC__PART_MURMUR2_RANDOM:
        if (key) return kc__murmur2_partition(key, keylen, npartitions);
        break;
    case KC__PART_MURMUR2:
        return kc__murmur2_partition(key, keylen, npartitions);
    case KC__PART_CONSISTENT:
        return kc__consistent_partition(key, keylen, npartitions);
    case KC__PART_CONSISTENT_RANDOM:
        if (keylen > 0) return kc__consistent_partition(key, keylen, npartitions);
        break;
    case KC__PART_RANDOM:
        return random_partition(st, npartitions, available);
    case KC__PART_ROUND_ROBIN:
        return round_robin_partition(st, npartitions, available);
    case KC__PART_STICKY:
        break;
    default:
        return -1;
    }
    return kc__sticky_partition(&st->sticky, npartitions, record_size, batch_size, queued_bytes,
                                available);
}
