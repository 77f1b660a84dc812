/* End-to-end latency (S7), idle CPU (S5) and queued-record memory (S8) of
 * one client; built twice from this file: build/perf/kafkac_e2e (against
 * include/kafkac.h) and build/perf/rdkafka_e2e (-DUSE_RDKAFKA, librdkafka),
 * so that both are measured by the same code. Used by tests/perf/bench.
 *
 *   X_e2e --bootstrap-server B --topic T --mode e2e --rate R --seconds S
 *         [--record-size 100] [--acks all] [--linger-ms 0] [--warmup-seconds 1]
 *     Produces R records/s (round robin over the topic's partitions; every
 *     ~1 ms the records due by then go out together, so the rate is held on
 *     average whatever the sleep granularity) for S seconds, each value starting with its
 *     CLOCK_MONOTONIC send time; a consumer in the same process, assigned
 *     every partition from its end, takes them back (one thread each).
 *     Latency = receive time - send time, of the records after the warm-up;
 *     records_per_s in the RESULT line is the rate actually held.
 *   X_e2e ... --mode idle --rate R --seconds S --idle-seconds I
 *     The producer alone at R records/s for S s round robin over every
 *     partition, flush, then I s with the producer open and polled once a
 *     second: idle CPU % of a core = process CPU during those I s / I.
 *   X_e2e --bootstrap-server 127.0.0.1:9 --topic T --mode rss --num-records N
 *     Queues N records (value --record-size bytes) for an unreachable broker,
 *     so that all stay queued, then reports RSS growth per record minus the
 *     value.
 *     With --stop-pid PID (the broker's; bootstrap the real broker) the
 *     producer first delivers one record (metadata known, connected), then
 *     the broker is SIGSTOPped while the N records are queued, so they sit
 *     in partition batches rather than the pre-metadata queue; SIGCONT after.
 *   --set K=V (repeatable) sets a producer property last, in every mode.
 *
 * Last line: "RESULT key=value ..." (names are tests/perf/bench's columns). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifdef USE_RDKAFKA
#include <librdkafka/rdkafka.h>
#define CLIENT "librdkafka"
#else
#include <kafkac.h>
#define CLIENT "kafkac"
#endif

static const char *bootstrap, *topic, *mode = "e2e", *acks = "all";
static int rate = 1000, seconds = 5, idle_s = 60, size = 100, linger = 0, warmup_s = 1, nparts;
static long long num_records = 1000000;
static const char *extra[32]; /* --set K=V: producer properties applied last */
static int nextra;
static int stop_pid; /* --stop-pid: the broker, SIGSTOPped while records are queued (rss mode) */

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}
static long status_kb(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0) v = atol(line + n + 1);
    if (f) fclose(f);
    return v;
}
static void die(const char *what, const char *why) {
    fprintf(stderr, CLIENT "_e2e: %s: %s\n", what, why);
    exit(1);
}

/* ------------------------------------------------------------ client glue */
static volatile long long delivered, failed;
static char first_err[256];

#ifdef USE_RDKAFKA
typedef rd_kafka_t prod_t;
typedef rd_kafka_t cons_t;
typedef rd_kafka_conf_t conf_t;
static conf_t *conf_new(void) { return rd_kafka_conf_new(); }
static void set(conf_t *c, const char *k, const char *v) {
    char e[512];
    if (rd_kafka_conf_set(c, k, v, e, sizeof e) != RD_KAFKA_CONF_OK) die(k, e);
}
static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *o) {
    (void)rk, (void)o;
    if (m->err) {
        if (!failed) snprintf(first_err, sizeof first_err, "%s", rd_kafka_err2str(m->err));
        failed++;
    } else
        delivered++;
}
static prod_t *prod_new(conf_t *c) {
    char e[512];
    rd_kafka_conf_set_dr_msg_cb(c, dr_cb);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, e, sizeof e);
    if (!rk) die("producer", e);
    return rk;
}
static int produce(prod_t *p, int32_t part, const void *v, size_t len) {
    if (rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(part),
                          RD_KAFKA_V_VALUE((void *)v, len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                          RD_KAFKA_V_END))
        return -1;
    return 0;
}
static void prod_poll(prod_t *p, int ms) { rd_kafka_poll(p, ms); }
static void prod_flush(prod_t *p, int ms) { rd_kafka_flush(p, ms); }
static void prod_purge(prod_t *p) { rd_kafka_purge(p, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT); }
static void prod_destroy(prod_t *p) { rd_kafka_destroy(p); }
static cons_t *cons_new(conf_t *c) {
    char e[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, e, sizeof e);
    if (!rk) die("consumer", e);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(nparts);
    for (int i = 0; i < nparts; i++)
        rd_kafka_topic_partition_list_add(l, topic, i)->offset = RD_KAFKA_OFFSET_END;
    rd_kafka_assign(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    return rk;
}
/* One record's value (or NULL after timeout / an event); *done frees it. */
static const void *cons_poll(cons_t *c, int ms, size_t *len, void **done) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(c, ms);
    *done = m;
    if (!m) return NULL;
    if (m->err) return NULL;
    *len = m->len;
    return m->payload;
}
static void cons_msg_free(void *m) {
    if (m) rd_kafka_message_destroy(m);
}
static void cons_destroy(cons_t *c) {
    rd_kafka_consumer_close(c);
    rd_kafka_destroy(c);
}
#else
typedef kc_producer_t prod_t;
typedef kc_consumer_t cons_t;
typedef kc_conf_t conf_t;
static conf_t *conf_new(void) { return kc_conf_new(); }
static void set(conf_t *c, const char *k, const char *v) {
    char e[512];
    if (kc_conf_set(c, k, v, e, sizeof e)) die(k, e);
}
static void dr_cb(kc_producer_t *p, const kc_delivery_t *dr, void *o) {
    (void)p, (void)o;
    kc_err_t err = kc_delivery_error(dr);
    if (err) {
        if (!failed) snprintf(first_err, sizeof first_err, "%s", kc_err_desc(err));
        failed++;
    } else
        delivered++;
}
static prod_t *prod_new(conf_t *c) {
    char e[512];
    kc_conf_set_delivery_cb(c, dr_cb);
    kc_producer_t *p = kc_producer_new(c, e, sizeof e);
    if (!p) die("producer", e);
    kc_conf_destroy(c);
    return p;
}
static int produce(prod_t *p, int32_t part, const void *v, size_t len) {
    return kc_produce(p, topic, part, NULL, 0, v, len, NULL, 0, 0, NULL) ? -1 : 0;
}
static void prod_poll(prod_t *p, int ms) { kc_producer_poll(p, ms); }
static void prod_flush(prod_t *p, int ms) { kc_producer_flush(p, ms); }
static void prod_purge(prod_t *p) { kc_producer_purge(p); }
static void prod_destroy(prod_t *p) { kc_producer_destroy(p); }
static cons_t *cons_new(conf_t *c) {
    char e[512];
    kc_consumer_t *k = kc_consumer_new(c, e, sizeof e);
    if (!k) die("consumer", e);
    kc_conf_destroy(c);
    kc_tplist_t *l = kc_tplist_new(nparts);
    for (int i = 0; i < nparts; i++) kc_tplist_set_offset(l, kc_tplist_add(l, topic, i), KC_OFFSET_END);
    if (kc_consumer_assign(k, l)) die("consumer", "assign failed");
    kc_tplist_destroy(l);
    return k;
}
static const void *cons_poll(cons_t *c, int ms, size_t *len, void **done) {
    kc_message_t *m = kc_consumer_poll(c, ms);
    *done = m;
    if (!m || kc_message_error(m)) return NULL;
    return kc_message_value(m, len);
}
static void cons_msg_free(void *m) { kc_message_destroy(m); }
static void cons_destroy(cons_t *c) {
    kc_consumer_close(c);
    kc_consumer_destroy(c);
}
#endif

static void apply_extra(conf_t *c) {
    for (int i = 0; i < nextra; i++) {
        char k[256];
        const char *eq = strchr(extra[i], '=');
        if (!eq || (size_t)(eq - extra[i]) >= sizeof k) die("--set", extra[i]);
        memcpy(k, extra[i], (size_t)(eq - extra[i]));
        k[eq - extra[i]] = 0;
        set(c, k, eq + 1);
    }
}

/* ------------------------------------------------------------ e2e */
typedef struct {
    uint64_t pid_tag;
    int64_t send_ns;
    int measured;
} stamp_t;

static int64_t *lat_us;
static volatile long long nlat, cap_lat, wanted = -1, received_all;
static volatile int stop_consumer;

static void *consumer_thread(void *arg) {
    cons_t *c = arg;
    uint64_t tag = (uint64_t)getpid();
    while (!stop_consumer) {
        size_t len = 0;
        void *m;
        const void *v = cons_poll(c, 100, &len, &m);
        int64_t t = now_ns();
        if (v && len >= sizeof(stamp_t)) {
            stamp_t s;
            memcpy(&s, v, sizeof s);
            if (s.pid_tag == tag) {
                received_all++;
                if (s.measured && nlat < cap_lat) lat_us[nlat++] = (t - s.send_ns) / 1000;
            }
        }
        cons_msg_free(m);
    }
    return NULL;
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static conf_t *producer_conf(void) {
    conf_t *c = conf_new();
    char buf[32];
    set(c, "bootstrap.servers", bootstrap);
    set(c, "acks", acks);
    set(c, "enable.idempotence", strcmp(acks, "all") == 0 || strcmp(acks, "-1") == 0 ? "true" : "false");
    snprintf(buf, sizeof buf, "%d", linger);
    set(c, "linger.ms", buf);
#ifdef USE_RDKAFKA
    set(c, "batch.size", "16384"); /* Java's default, as rdkafka_perf_produce */
    set(c, "batch.num.messages", "1000000");
    set(c, "max.in.flight.requests.per.connection", "5");
#endif
    apply_extra(c);
    return c;
}

static int topic_partitions(void);

static int run_e2e(void) {
    nparts = topic_partitions();
    conf_t *cc = conf_new();
    set(cc, "bootstrap.servers", bootstrap);
    set(cc, "group.id", "e2e-unused");
    set(cc, "enable.auto.commit", "false");
    cons_t *c = cons_new(cc);
    prod_t *p = prod_new(producer_conf());
    long long total = (long long)rate * (seconds + warmup_s);
    cap_lat = total;
    lat_us = malloc(sizeof(int64_t) * (size_t)total);
    pthread_t th;
    pthread_create(&th, NULL, consumer_thread, c);
    /* Give the consumer time to resolve its end offsets (assign is async). */
    usleep(1500 * 1000);
    char *val = calloc(1, (size_t)size > sizeof(stamp_t) ? (size_t)size : sizeof(stamp_t));
    stamp_t s = {(uint64_t)getpid(), 0, 0};
    int64_t t0 = now_ns(), warm_end = t0 + (int64_t)warmup_s * 1000000000;
    long long sent = 0, measured = 0;
    double cpu0 = 0;
    while (sent < total) {
        int64_t t = now_ns();
        long long due = (long long)((double)(t - t0) * rate / 1e9) + 1;
        if (due > total) due = total;
        for (; sent < due; sent++) {
            s.send_ns = now_ns();
            s.measured = s.send_ns >= warm_end;
            if (s.measured && !measured) cpu0 = cpu_s();
            measured += s.measured;
            memcpy(val, &s, sizeof s);
            while (produce(p, (int32_t)(sent % nparts), val, (size_t)size)) prod_poll(p, 1);
        }
        prod_poll(p, 0);
        usleep(1000);
    }
    /* The rate actually held: records over the time from the first send to
     * the last (the records due every ~1 ms go out together). */
    double send_s = (double)(now_ns() - t0) / 1e9;
    prod_flush(p, 30000);
    int64_t deadline = now_ns() + 10000000000LL;
    while (received_all < sent && now_ns() < deadline) usleep(10000);
    double cpu1 = cpu_s();
    stop_consumer = 1;
    pthread_join(th, NULL);
    long long n = nlat;
    qsort(lat_us, (size_t)n, sizeof(int64_t), cmp64);
#define PCT(q) (n ? lat_us[(long long)((q) * (double)(n - 1))] : -1)
    printf("%s: %lld sent (%lld measured), %lld received back, %lld delivery errors%s%s\n", CLIENT,
           sent, measured, received_all, failed, failed ? ": " : "", first_err);
    printf("RESULT records=%lld p50_us=%lld p99_us=%lld p999_us=%lld max_us=%lld "
           "cpu_measured_us_per_record=%.3f records_per_s=%.0f\n",
           n, (long long)PCT(0.5), (long long)PCT(0.99), (long long)PCT(0.999),
           (long long)(n ? lat_us[n - 1] : -1), n ? (cpu1 - cpu0) * 1e6 / (double)n : 0.0,
           send_s > 0 ? (double)(sent - 1) / send_s : 0.0);
    fflush(stdout);
    prod_destroy(p);
    cons_destroy(c);
    return n == measured && !failed ? 0 : 1;
}

/* ------------------------------------------------------------ idle */
static int run_idle(void) {
    nparts = topic_partitions();
    prod_t *p = prod_new(producer_conf());
    char *val = calloc(1, (size_t)size);
    memset(val, 'x', (size_t)size);
    long long total = (long long)rate * seconds, sent = 0;
    int64_t t0 = now_ns();
    while (sent < total) {
        long long due = (long long)((double)(now_ns() - t0) * rate / 1e9) + 1;
        if (due > total) due = total;
        for (; sent < due; sent++)
            while (produce(p, (int32_t)(sent % nparts), val, (size_t)size)) prod_poll(p, 1);
        prod_poll(p, 0);
        usleep(1000);
    }
    prod_flush(p, 60000);
    double load_cpu = cpu_s();
    sleep(1); /* let the last responses and any lingering work settle */
    double c0 = cpu_s();
    int64_t i0 = now_ns();
    while (now_ns() - i0 < (int64_t)idle_s * 1000000000) prod_poll(p, 1000);
    double c1 = cpu_s();
    double el = (double)(now_ns() - i0) / 1e9;
    printf("%s: %lld records to %d partitions in %.1f s, %lld delivered, %lld failed%s%s; load CPU %.3f s\n",
           CLIENT, sent, nparts, (double)(i0 - t0) / 1e9, delivered, failed, failed ? ": " : "",
           first_err, load_cpu);
    printf("RESULT records=%lld idle_cpu_pct=%.3f\n", sent, (c1 - c0) * 100.0 / el);
    fflush(stdout);
    prod_destroy(p);
    return delivered == sent ? 0 : 1;
}

/* ------------------------------------------------------------ rss */
static int run_rss(void) {
    conf_t *c = conf_new();
    set(c, "bootstrap.servers", bootstrap);
    set(c, "acks", "1");
    set(c, "enable.idempotence", "false");
    set(c, "linger.ms", "5");
#ifdef USE_RDKAFKA
    set(c, "queue.buffering.max.kbytes", "2147483647");
    set(c, "queue.buffering.max.messages", "2147483647");
    set(c, "message.timeout.ms", "600000");
    set(c, "log_level", "0");
#else
    set(c, "buffer.memory", "4294967296");
    set(c, "queue.buffering.max.messages", "2147483647");
    set(c, "delivery.timeout.ms", "600000");
    set(c, "request.timeout.ms", "300000");
#endif
    apply_extra(c);
    prod_t *p = prod_new(c);
    char *val = malloc((size_t)size);
    memset(val, 'x', (size_t)size);
    if (stop_pid > 0) {
        /* Metadata and connection first, so that records go into batches;
         * then the broker stops answering and everything stays queued. */
        produce(p, 0, val, (size_t)size);
        prod_flush(p, 10000);
        if (delivered != 1) die("rss", "the first record was not delivered");
        if (kill(stop_pid, SIGSTOP)) die("rss", "cannot SIGSTOP the broker");
    }
    usleep(200 * 1000);
    long rss0 = status_kb("VmRSS:");
    for (long long i = 0; i < num_records; i++) {
        val[i % size] ^= 1;
        if (produce(p, 0, val, (size_t)size)) {
            if (stop_pid > 0) kill(stop_pid, SIGCONT);
            fprintf(stderr, CLIENT "_e2e: record %lld refused\n", i);
            printf("RESULT records=%lld\n", i);
            fflush(stdout);
            _exit(1);
        }
    }
    long rss1 = status_kb("VmRSS:"), hwm = status_kb("VmHWM:");
    double per = ((double)(rss1 - rss0) * 1024.0) / (double)num_records - size;
    printf("%s: %lld records of %d B queued; RSS %ld kB before, %ld kB after, peak %ld kB\n", CLIENT,
           num_records, size, rss0, rss1, hwm);
    printf("RESULT records=%lld rss_bytes_per_record=%.1f\n", num_records, per);
    fflush(stdout);
    if (stop_pid > 0) kill(stop_pid, SIGCONT);
    prod_purge(p);
    _exit(0); /* destroying a producer whose broker never answered may wait for timeouts */
}

/* Partition count of the topic from metadata. */
#ifdef USE_RDKAFKA
static int topic_partitions(void) {
    conf_t *c = conf_new();
    set(c, "bootstrap.servers", bootstrap);
    char e[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, e, sizeof e);
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
    const struct rd_kafka_metadata *md;
    int n = -1;
    if (rd_kafka_metadata(rk, 0, t, &md, 10000) == 0) {
        if (md->topic_cnt == 1 && !md->topics[0].err) n = md->topics[0].partition_cnt;
        rd_kafka_metadata_destroy(md);
    }
    rd_kafka_topic_destroy(t);
    rd_kafka_destroy(rk);
    if (n <= 0) die(topic, "no metadata");
    return n;
}
#else
static int topic_partitions(void) {
    conf_t *c = conf_new();
    char e[512];
    set(c, "bootstrap.servers", bootstrap);
    kc_metadata_t *md;
    const char *t[1] = {topic};
    int n = -1;
    if (kc_metadata_fetch(c, t, 1, 10000, &md, e, sizeof e) == KC_ERR_NO_ERROR) {
        for (int i = 0; i < kc_metadata_topic_count(md); i++)
            if (strcmp(kc_metadata_topic_name(md, i), topic) == 0)
                n = kc_metadata_partition_count(md, i);
        kc_metadata_destroy(md);
    }
    kc_conf_destroy(c);
    if (n <= 0) die(topic, "no metadata");
    return n;
}
#endif

int main(int argc, char **argv) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--bootstrap-server")) bootstrap = v;
        else if (!strcmp(k, "--topic")) topic = v;
        else if (!strcmp(k, "--mode")) mode = v;
        else if (!strcmp(k, "--rate")) rate = atoi(v);
        else if (!strcmp(k, "--seconds")) seconds = atoi(v);
        else if (!strcmp(k, "--idle-seconds")) idle_s = atoi(v);
        else if (!strcmp(k, "--record-size")) size = atoi(v);
        else if (!strcmp(k, "--acks")) acks = v;
        else if (!strcmp(k, "--linger-ms")) linger = atoi(v);
        else if (!strcmp(k, "--warmup-seconds")) warmup_s = atoi(v);
        else if (!strcmp(k, "--num-records")) num_records = atoll(v);
        else if (!strcmp(k, "--set") && nextra < 32) extra[nextra++] = v;
        else if (!strcmp(k, "--stop-pid")) stop_pid = atoi(v);
        else {
            fprintf(stderr, "usage: see tests/perf/e2e.c (unknown %s)\n", k);
            return 2;
        }
    }
    if (!bootstrap || !topic) die("usage", "--bootstrap-server and --topic are required");
    if (!strcmp(mode, "e2e")) {
        if (size < (int)sizeof(stamp_t)) size = (int)sizeof(stamp_t);
        return run_e2e();
    }
    if (!strcmp(mode, "idle")) return run_idle();
    if (!strcmp(mode, "rss")) return run_rss();
    die("--mode", "e2e, idle or rss");
    return 2;
}
