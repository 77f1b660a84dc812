/* A consumer-group member for the group tests (tests/integration/
 * test_consumer_group*.sh), and a Check test of itself.
 *
 * The Makefile builds every tests/integration/test_*.c as a Check test with
 * the build's own flags (sanitizers included) and tests/run-integration runs
 * each without arguments; so this one file is both:
 *
 *   test_group_member                      (no arguments) the Check test: the
 *                                          driver below, run as a child on a
 *                                          new topic, must write, commit and
 *                                          log what the contract says.
 *   test_group_member -b BOOTSTRAP -g GROUP -o OUT -l LOG [-s STRATEGY]
 *                     [-N NAME] [-i IDLE_S] [-c COMMIT_EVERY] [-T COMMIT_MS]
 *                     [-d DELAY_US] [-X key=value]... TOPIC|^PATTERN...
 *                                          the driver.
 *
 * The driver joins GROUP with partition.assignment.strategy STRATEGY
 * (default range), enable.auto.commit=false and auto.offset.reset=earliest,
 * and subscribes to the topics / patterns. For each record it appends
 * "PARTITION OFFSET VALUE TOPIC" to OUT and flushes (the record is then
 * processed). It commits synchronously, with kc_consumer_commit(), the
 * offsets processed + 1 of the partitions it processed records of: after
 * COMMIT_EVERY records (default 1000) or COMMIT_MS of processing (default
 * 200), when poll returns no record, in the rebalance callback for the
 * partitions revoked, and before closing; a refused commit is tried again
 * (every COMMIT_MS) for the partitions still assigned. DELAY_US (default 0)
 * is slept after each record (slow processing).
 *
 * LOG gets one line per event, flushed at once, "WALL_MS NAME EVENT ARGS":
 *   START pid=P              ASSIGN|REVOKE|LOST topic:partition...
 *   COMMIT n=N | COMMIT_ERR ERRNAME: errstr (n=N)
 *   ERROR ERRNAME: message   (error events, and the error callback: then
 *                            " (fatal)" ends a fatal error's line)
 *   MEMBER member-id         CLOSING / CLOSED / EXIT reason records=N
 * The driver stops on SIGTERM/SIGINT or after IDLE_S seconds without a
 * record (default 0: never), commits what it processed, calls
 * kc_consumer_close() (which leaves the group) and exits 0. Exit 1: bad
 * arguments or the consumer could not be created. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/wait.h>

#include "itest.h"

/* ------------------------------------------------------------ driver */

static volatile sig_atomic_t drv_stop;

typedef struct {
    FILE *log;
    const char *name;
    kc_tplist_t *pending; /* per partition: last processed offset + 1 */
    long commits, commit_errs;
} drv_t;

static drv_t D;

static void on_signal(int sig) {
    (void)sig;
    drv_stop = 1;
}

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void logev(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logev(const char *fmt, ...) {
    va_list ap;
    fprintf(D.log, "%lld %s ", (long long)wall_ms(), D.name);
    va_start(ap, fmt);
    vfprintf(D.log, fmt, ap);
    va_end(ap);
    fputc('\n', D.log);
    fflush(D.log);
}

static void log_list(const char *ev, const kc_tplist_t *l) {
    fprintf(D.log, "%lld %s %s", (long long)wall_ms(), D.name, ev);
    for (int i = 0; i < kc_tplist_count(l); i++)
        fprintf(D.log, " %s:%d", kc_tplist_topic(l, i), (int)kc_tplist_partition(l, i));
    fputc('\n', D.log);
    fflush(D.log);
}

/* Pending offsets without the entries of `drop` (NULL: keep all) and, when
 * `keep_only` is set, without those not in it. */
static kc_tplist_t *pending_filter(const kc_tplist_t *drop, const kc_tplist_t *keep_only) {
    kc_tplist_t *n = kc_tplist_new(8);
    for (int i = 0; i < kc_tplist_count(D.pending); i++) {
        const char *t = kc_tplist_topic(D.pending, i);
        int32_t p = kc_tplist_partition(D.pending, i);
        if (drop && kc_tplist_find(drop, t, p) >= 0) continue;
        if (keep_only && kc_tplist_find(keep_only, t, p) < 0) continue;
        int k = kc_tplist_add(n, t, p);
        kc_tplist_set_offset(n, k, kc_tplist_offset(D.pending, i));
    }
    return n;
}

/* Commits `offs` synchronously and logs the outcome. */
static kc_err_t commit_list(kc_consumer_t *c, const kc_tplist_t *offs) {
    int n = kc_tplist_count(offs);
    if (n == 0) return KC_ERR_NO_ERROR;
    kc_err_t err = kc_consumer_commit(c, offs, 0);
    if (err) {
        D.commit_errs++;
        logev("COMMIT_ERR %s: %s (n=%d)", kc_err_name(err), kc_err_desc(err), n);
    } else {
        D.commits++;
        logev("COMMIT n=%d", n);
    }
    return err;
}

/* Commits the pending offsets. A refused commit (a rebalance in progress,
 * an old generation) is tried again at the next commit for the partitions
 * still assigned, so that the last offsets processed do get committed;
 * partitions no longer assigned are dropped. */
static void commit_pending(kc_consumer_t *c) {
    if (kc_tplist_count(D.pending) == 0) return;
    kc_err_t err = commit_list(c, D.pending);
    if (err) {
        kc_tplist_t *a = NULL;
        kc_consumer_assignment(c, &a);
        kc_tplist_t *mine = pending_filter(NULL, a);
        kc_tplist_destroy(a);
        if (err == KC_ERR__ASSIGNMENT_LOST && commit_list(c, mine) == 0) {
            kc_tplist_destroy(mine);
            mine = kc_tplist_new(8);
        }
        kc_tplist_destroy(D.pending);
        D.pending = mine;
        return;
    }
    kc_tplist_destroy(D.pending);
    D.pending = kc_tplist_new(8);
}

static void drv_rebalance(kc_consumer_t *c, int event, const kc_tplist_t *parts, void *opaque) {
    (void)opaque;
    if (event == KC_REBALANCE_ASSIGN) {
        log_list("ASSIGN", parts);
        char mid[256];
        kc_consumer_memberid(c, mid, sizeof mid);
        logev("MEMBER %s", mid);
        return; /* the library assigns */
    }
    log_list(event == KC_REBALANCE_REVOKE ? "REVOKE" : "LOST", parts);
    if (event == KC_REBALANCE_REVOKE) {
        /* Processed records of the partitions that go: commit before letting go. */
        kc_tplist_t *going = pending_filter(NULL, parts);
        commit_list(c, going);
        kc_tplist_destroy(going);
    }
    kc_tplist_t *rest = pending_filter(parts, NULL);
    kc_tplist_destroy(D.pending);
    D.pending = rest;
}

static void drv_error(void *client, const kc_error_t *err, void *opaque) {
    (void)client;
    (void)opaque;
    logev("ERROR %s: %s%s", kc_error_name(err), kc_error_message(err),
          kc_error_is_fatal(err) ? " (fatal)" : "");
}

static int drv_main(int argc, char **argv) {
    char errstr[512];
    const char *boot = NULL, *group = NULL, *out_path = NULL, *log_path = NULL;
    const char *strategy = "range";
    long idle_s = 0, commit_every = 1000, commit_ms = 200, delay_us = 0;
    D.name = "member";
    char *xs[64]; /* -X key=value, split at '=' */
    int nx = 0, opt;
    while ((opt = getopt(argc, argv, "b:g:o:l:s:N:i:c:T:d:X:")) != -1) {
        switch (opt) {
        case 'b': boot = optarg; break;
        case 'g': group = optarg; break;
        case 'o': out_path = optarg; break;
        case 'l': log_path = optarg; break;
        case 's': strategy = optarg; break;
        case 'N': D.name = optarg; break;
        case 'i': idle_s = atol(optarg); break;
        case 'c': commit_every = atol(optarg); break;
        case 'T': commit_ms = atol(optarg); break;
        case 'd': delay_us = atol(optarg); break;
        case 'X':
            if (!strchr(optarg, '=') || nx == 64) {
                fprintf(stderr, "group_member: -X expects key=value (at most 64)\n");
                return 1;
            }
            xs[nx++] = optarg;
            break;
        default: return 1;
        }
    }
    if (!boot || !group || !out_path || !log_path || optind >= argc) {
        fprintf(stderr, "usage: %s -b BOOTSTRAP -g GROUP -o OUT -l LOG [-s STRATEGY] [-N NAME] "
                        "[-i IDLE_S] [-c COMMIT_EVERY] [-T COMMIT_MS] [-d DELAY_US] [-X k=v]... "
                        "TOPIC...\n",
                argv[0]);
        return 1;
    }
    FILE *out = fopen(out_path, "a");
    D.log = fopen(log_path, "a");
    if (!out || !D.log) {
        fprintf(stderr, "group_member: %s: %s\n", !out ? out_path : log_path, strerror(errno));
        return 1;
    }
    D.pending = kc_tplist_new(8);
    /* The driver's settings, then -X on top (which may override them). */
    kc_conf_t *conf = kc_conf_new();
    const char *kv[][2] = {{"bootstrap.servers", boot},
                           {"group.id", group},
                           {"partition.assignment.strategy", strategy},
                           {"enable.auto.commit", "false"},
                           {"auto.offset.reset", "earliest"},
                           {"client.id", D.name}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (kc_conf_set(conf, kv[i][0], kv[i][1], errstr, sizeof errstr)) {
            fprintf(stderr, "group_member: %s\n", errstr);
            return 1;
        }
    for (int i = 0; i < nx; i++) {
        char *eq = strchr(xs[i], '=');
        *eq = 0;
        if (kc_conf_set(conf, xs[i], eq + 1, errstr, sizeof errstr)) {
            fprintf(stderr, "group_member: %s\n", errstr);
            return 1;
        }
    }
    kc_conf_set_rebalance_cb(conf, drv_rebalance);
    kc_conf_set_error_cb(conf, drv_error);
    kc_consumer_t *c = kc_consumer_new(conf, errstr, sizeof errstr);
    kc_conf_destroy(conf);
    if (!c) {
        fprintf(stderr, "group_member: %s\n", errstr);
        logev("ERROR consumer_new: %s", errstr);
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    logev("START pid=%d strategy=%s", (int)getpid(), strategy);
    if (kc_consumer_subscribe(c, (const char *const *)&argv[optind], (size_t)(argc - optind),
                              errstr, sizeof errstr)) {
        logev("ERROR subscribe: %s", errstr);
        kc_consumer_destroy(c);
        return 1;
    }
    long records = 0, since_commit = 0;
    int64_t last_rec = mono_ms(), last_commit = mono_ms();
    const char *why = "signal";
    while (!drv_stop) {
        kc_message_t *m = kc_consumer_poll(c, 100);
        int64_t now = mono_ms();
        if (m && kc_message_error(m)) {
            if (kc_message_error(m) != KC_ERR__PARTITION_EOF)
                logev("ERROR %s: %s (%s [%d])", kc_err_name(kc_message_error(m)),
                      kc_message_errstr(m), kc_message_topic(m) ? kc_message_topic(m) : "-",
                      (int)kc_message_partition(m));
            kc_message_destroy(m);
            m = NULL;
        }
        if (m) {
            size_t vlen;
            const char *v = kc_message_value(m, &vlen);
            fprintf(out, "%d %lld %.*s %s\n", (int)kc_message_partition(m),
                    (long long)kc_message_offset(m), v ? (int)vlen : 4, v ? v : "null",
                    kc_message_topic(m));
            fflush(out);
            int k = kc_tplist_find(D.pending, kc_message_topic(m), kc_message_partition(m));
            if (k < 0) k = kc_tplist_add(D.pending, kc_message_topic(m), kc_message_partition(m));
            kc_tplist_set_offset(D.pending, k, kc_message_offset(m) + 1);
            kc_message_destroy(m);
            records++;
            since_commit++;
            last_rec = now;
            if (delay_us > 0) usleep((useconds_t)delay_us);
        }
        if (kc_tplist_count(D.pending) > 0 &&
            (since_commit >= commit_every || (since_commit > 0 && !m) ||
             now - last_commit >= commit_ms)) {
            commit_pending(c);
            since_commit = 0;
            last_commit = mono_ms(); /* a commit may take a while: count from its end */
        }
        if (idle_s > 0 && now - last_rec >= idle_s * 1000) {
            why = "idle";
            break;
        }
    }
    commit_pending(c);
    logev("CLOSING");
    kc_err_t err = kc_consumer_close(c);
    logev("CLOSED %s", err ? kc_err_name(err) : "ok");
    kc_consumer_destroy(c);
    kc_tplist_destroy(D.pending);
    logev("EXIT %s records=%ld commits=%ld commit_errors=%ld", why, records, D.commits,
          D.commit_errs);
    fclose(out);
    fclose(D.log);
    return 0;
}

/* ------------------------------------------------------------ self-test */

static char self_exe[4096];

static int64_t st_now(void) { return mono_ms(); }

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...) {
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

static void st_produce(const char *topic, int partitions, int per_partition) {
    char err[512];
    kc_conf_t *conf = itest_conf();
    kc_producer_t *p = kc_producer_new(conf, err, sizeof err);
    ck_assert_msg(p != NULL, "%s", err);
    kc_conf_destroy(conf);
    for (int part = 0; part < partitions; part++)
        for (int i = 0; i < per_partition; i++) {
            char v[64];
            int n = snprintf(v, sizeof v, "st-%d-%d", part, i);
            ck_assert_int_eq(kc_produce(p, topic, part, NULL, 0, v, (size_t)n, NULL, 0, 0, NULL),
                             0);
        }
    ck_assert_int_eq(kc_producer_flush(p, 30000), 0);
    kc_producer_destroy(p);
}

/* The driver on a 2-partition topic: every record written once with its
 * partition and offset, ASSIGN of both partitions logged, the commits
 * landed at the end offsets, a clean exit on idle. */
START_TEST(test_driver_contract) {
    char topic[128], group[160], dir[] = "/tmp/kc-gm-XXXXXX", outp[256], logp[256];
    itest_topic_name(topic, sizeof topic, "kafkac-gm-self");
    snprintf(group, sizeof group, "%s-g", topic);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(outp, sizeof outp, "%s/out", dir);
    snprintf(logp, sizeof logp, "%s/log", dir);
    const char *kl = getenv("KAFKAC_LOCAL") ? getenv("KAFKAC_LOCAL") : "tests/broker/kafka-local";
    sh("%s tool topics --bootstrap-server '%s' --create --topic '%s' --partitions 2 "
       "--replication-factor 1 >/dev/null",
       kl, itest_bootstrap(), topic);
    st_produce(topic, 2, 50);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        execl(self_exe, self_exe, "-b", itest_bootstrap(), "-g", group, "-o", outp, "-l", logp,
              "-N", "self", "-i", "3", "-c", "25", "-X", "session.timeout.ms=6000", "-X",
              "heartbeat.interval.ms=500", topic, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    int64_t deadline = st_now() + 60000;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (st_now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            ck_abort_msg("driver did not exit within 60 s");
        }
        usleep(100000);
    }
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "driver exit status %d", status);
    /* Output: 100 lines, each value once, at its partition and offset. */
    FILE *f = fopen(outp, "r");
    ck_assert_ptr_nonnull(f);
    int seen[2][50] = {{0}}, lines = 0, part;
    long long off;
    char val[64], tp[160];
    while (fscanf(f, "%d %lld %63s %159s", &part, &off, val, tp) == 4) {
        lines++;
        ck_assert_str_eq(tp, topic);
        ck_assert_msg(part == 0 || part == 1, "partition %d", part);
        ck_assert_msg(off >= 0 && off < 50, "offset %lld", off);
        char want[64];
        snprintf(want, sizeof want, "st-%d-%lld", part, off);
        ck_assert_str_eq(val, want);
        seen[part][off]++;
    }
    fclose(f);
    ck_assert_int_eq(lines, 100);
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < 50; i++) ck_assert_int_eq(seen[p][i], 1);
    /* Log: ASSIGN of both partitions, commits, no errors, clean exit. */
    f = fopen(logp, "r");
    ck_assert_ptr_nonnull(f);
    char line[1024];
    int assign_both = 0, commits = 0, errors = 0, exit_idle = 0, closed = 0;
    char a0[200], a1[200];
    snprintf(a0, sizeof a0, " %s:0", topic);
    snprintf(a1, sizeof a1, " %s:1", topic);
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, " ASSIGN ") && strstr(line, a0) && strstr(line, a1)) assign_both++;
        if (strstr(line, " COMMIT n=")) commits++;
        if (strstr(line, " ERROR ") || strstr(line, " COMMIT_ERR ")) errors++;
        if (strstr(line, " EXIT idle records=100 ")) exit_idle++;
        if (strstr(line, " CLOSED ok")) closed++;
    }
    fclose(f);
    ck_assert_int_eq(assign_both, 1);
    ck_assert_int_ge(commits, 2);
    ck_assert_int_eq(errors, 0);
    ck_assert_int_eq(exit_idle, 1);
    ck_assert_int_eq(closed, 1);
    /* The group's committed offsets are the ends (50 and 50). */
    char err[512];
    kc_conf_t *conf = itest_conf();
    ck_assert_int_eq(kc_conf_set(conf, "group.id", group, err, sizeof err), 0);
    kc_consumer_t *c = kc_consumer_new(conf, err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    kc_conf_destroy(conf);
    kc_tplist_t *l = kc_tplist_new(2);
    kc_tplist_add(l, topic, 0);
    kc_tplist_add(l, topic, 1);
    ck_assert_int_eq(kc_consumer_committed(c, l, 10000), 0);
    ck_assert_int_eq(kc_tplist_offset(l, 0), 50);
    ck_assert_int_eq(kc_tplist_offset(l, 1), 50);
    kc_tplist_destroy(l);
    kc_consumer_destroy(c);
    sh("rm -rf '%s'", dir);
}
END_TEST

int main(int argc, char **argv) {
    if (argc > 1) return drv_main(argc, argv);
    ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (n <= 0) {
        perror("readlink /proc/self/exe");
        return 1;
    }
    self_exe[n] = 0;
    const TTest *const tests[] = {test_driver_contract};
    return itest_main("group_member", tests, 1);
}
