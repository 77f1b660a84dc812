/* Writes kafkac's encoding of every generated message, every valid version,
 * in the three variants of the generated unit tests (the same fill values:
 * tests/unit/gen_fill.h and the generated tests/unit/gen/gen_fill_*.h), one file each:
 *
 *   OUTDIR/<ApiKey>-<Request|Response>-v<version>-<variant>.bin
 *   OUTDIR/Header-<Request|Response>-v<version>-<variant>.bin   (the headers)
 *
 * variant: filled (every field the version has set to a non-default value),
 * nulls (the same with every nullable field null), defaults (as init leaves
 * it). tests/interop/CodecInterop.java reads them with Kafka's own message
 * classes (tests/integration/test_codec_java_interop.sh runs both).
 *
 *   dump_encodings OUTDIR
 *
 * Prints "dump_encodings: N files in OUTDIR" and exits 0, or names the first
 * message that failed to encode and exits 1. OUTDIR must exist. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_fill_all.h"

_Static_assert(GEN_NALL_CODECS == sizeof gen_all_codecs / sizeof gen_all_codecs[0],
               "gen_fill_all.h: codec count");

static int write_file(const char *path, const uint8_t *p, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "dump_encodings: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t n = len ? fwrite(p, 1, len, f) : 0;
    if (fclose(f) != 0 || n != len) {
        fprintf(stderr, "dump_encodings: writing %s failed\n", path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int files = 0;
    for (size_t i = 0; i < GEN_NALL_CODECS; i++) {
        const gen_codec *g = gen_all_codecs[i];
        char key[16];
        if (g->api_key < 0) {
            snprintf(key, sizeof key, "Header");
        } else {
            snprintf(key, sizeof key, "%d", g->api_key);
        }
        for (int v = g->min; v <= g->max; v++) {
            for (int var = 0; var < GEN_NVARIANTS; var++) {
                kc__arena a;
                kc__arena_init(&a, 0);
                kc__buf b;
                kc__buf_init(&b, 0);
                void *m = gen_make(g, &a, (int16_t)v, (gen_variant)var);
                int rc = m ? g->enc(&b, (int16_t)v, m) : KC__ENC_NOMEM;
                if (rc != 0) {
                    fprintf(stderr, "dump_encodings: %s v%d (%s): encode failed: %s\n", g->name, v,
                            gen_variant_name((gen_variant)var), kc__enc_strerror(rc));
                    return 1;
                }
                char path[4096];
                int n = snprintf(path, sizeof path, "%s/%s-%s-v%d-%s.bin", dir, key,
                                 g->response ? "Response" : "Request", v,
                                 gen_variant_name((gen_variant)var));
                if (n < 0 || (size_t)n >= sizeof path) {
                    fprintf(stderr, "dump_encodings: output path too long\n");
                    return 1;
                }
                if (write_file(path, b.p, b.len) != 0) return 1;
                files++;
                kc__buf_free(&b);
                kc__arena_destroy(&a);
            }
        }
    }
    if (files != GEN_NALL_PAIRS * GEN_NVARIANTS) {
        fprintf(stderr, "dump_encodings: wrote %d files, expected %d\n", files,
                GEN_NALL_PAIRS * GEN_NVARIANTS);
        return 1;
    }
    printf("dump_encodings: %d files in %s\n", files, dir);
    return 0;
}
