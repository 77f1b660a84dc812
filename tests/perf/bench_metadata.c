/* Side-by-side: time from nothing to cluster metadata (connect, ApiVersions,
 * Metadata for all topics, close), kafkac's kc_metadata_fetch() versus
 * librdkafka (rd_kafka_new + rd_kafka_metadata + rd_kafka_destroy), against
 * the same broker, alternating A B A B.
 *
 *   bench_metadata BOOTSTRAP [rounds] [iterations]
 * Prints per-round medians and the median over rounds, wall and CPU time. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <kafkac.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double cpu_us(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec +
           ru.ru_stime.tv_usec;
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmpd);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int one_kafkac(const char *bootstrap) {
    char err[512];
    kc_conf_t *conf = kc_conf_new();
    kc_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err);
    kc_metadata_t *md;
    kc_err_t e = kc_metadata_fetch(conf, NULL, 0, 10000, &md, err, sizeof err);
    kc_conf_destroy(conf);
    if (e) {
        fprintf(stderr, "kafkac: %s\n", err);
        return -1;
    }
    int n = kc_metadata_topic_count(md);
    kc_metadata_destroy(md);
    return n;
}

static int one_librdkafka(const char *bootstrap) {
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err);
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
        fprintf(stderr, "librdkafka: %s\n", err);
        return -1;
    }
    const struct rd_kafka_metadata *md;
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 1, NULL, &md, 10000);
    int n = -1;
    if (!e) {
        n = md->topic_cnt;
        rd_kafka_metadata_destroy(md);
    } else {
        fprintf(stderr, "librdkafka: %s\n", rd_kafka_err2str(e));
    }
    rd_kafka_destroy(rk);
    return n;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s BOOTSTRAP [rounds] [iterations]\n", argv[0]);
        return 2;
    }
    const char *bootstrap = argv[1];
    int rounds = argc > 2 ? atoi(argv[2]) : 5, iters = argc > 3 ? atoi(argv[3]) : 40;
    int (*fns[2])(const char *) = {one_kafkac, one_librdkafka};
    const char *names[2] = {"kafkac", "librdkafka"};
    double wall[2][64], cpu[2][64];
    double *lat = malloc(sizeof(double) * (size_t)iters);
    if (rounds > 64) rounds = 64;
    printf("client,round,median_wall_us,cpu_us_per_op\n");
    for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < 2; c++) {
            double c0 = cpu_us();
            for (int i = 0; i < iters; i++) {
                double t0 = now_us();
                if (fns[c](bootstrap) < 0) return 1;
                lat[i] = now_us() - t0;
            }
            cpu[c][r] = (cpu_us() - c0) / iters;
            wall[c][r] = median(lat, iters);
            printf("%s,%d,%.0f,%.0f\n", c ? "librdkafka" : "kafkac", r, wall[c][r], cpu[c][r]);
        }
    }
    double mw[2], mc[2];
    for (int c = 0; c < 2; c++) {
        double w[64], u[64];
        memcpy(w, wall[c], sizeof(double) * (size_t)rounds);
        memcpy(u, cpu[c], sizeof(double) * (size_t)rounds);
        mw[c] = median(w, rounds);
        mc[c] = median(u, rounds);
        printf("# %s: median wall %.0f us, CPU %.0f us per metadata fetch (%s %s)\n", names[c],
               mw[c], mc[c], c ? "librdkafka" : "kafkac",
               c ? rd_kafka_version_str() : kc_version_str());
    }
    printf("# ratio kafkac/librdkafka: wall %.2f, CPU %.2f\n", mw[0] / mw[1], mc[0] / mc[1]);
    free(lat);
    return 0;
}
