/* The usual subscribe/poll loop: reads records from topics and prints them.
 *
 *   consumer -b HOST:PORT [-g GROUP] [-n COUNT] [-e] [-q] [-o earliest|latest]
 *            [-p PARTITION] [-X key=value]... TOPIC...
 *
 * With -g the consumer joins GROUP and subscribes (a topic starting with '^'
 * is a pattern); without it every partition of each topic is assigned
 * (-p: only PARTITION). Prints "topic [partition] @offset: key: value" per
 * record (-q: only the summary). Stops after COUNT records (-n), when every
 * partition reached its end (-e), or on Ctrl-C; then commits, leaves the
 * group and prints how many records and bytes went through. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kafkac.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

static void on_rebalance(kc_consumer_t *c, int event, const kc_tplist_t *parts, void *opaque) {
    (void)c;
    (void)opaque;
    fprintf(stderr, "consumer: %s %d partition(s)\n",
            event == KC_REBALANCE_ASSIGN ? "assigned" : event == KC_REBALANCE_REVOKE ? "revoked"
                                                                                     : "lost",
            kc_tplist_count(parts));
}

static void on_error(void *client, const kc_error_t *err, void *opaque) {
    (void)client;
    (void)opaque;
    fprintf(stderr, "consumer: %s: %s\n", kc_error_name(err), kc_error_message(err));
}

/* Assigns every partition of the topics (or only `partition`). */
static int assign_all(kc_consumer_t *c, kc_conf_t *conf, char **topics, int n, int partition,
                      int *nparts) {
    char errstr[512];
    kc_metadata_t *md;
    if (kc_metadata_fetch(conf, (const char *const *)topics, (size_t)n, 10000, &md, errstr,
                          sizeof errstr)) {
        fprintf(stderr, "consumer: %s\n", errstr);
        return -1;
    }
    kc_tplist_t *l = kc_tplist_new(16);
    for (int t = 0; t < kc_metadata_topic_count(md); t++) {
        if (kc_metadata_topic_error(md, t)) {
            fprintf(stderr, "consumer: topic %s: %s\n", kc_metadata_topic_name(md, t),
                    kc_err_desc(kc_metadata_topic_error(md, t)));
            continue;
        }
        for (int p = 0; p < kc_metadata_partition_count(md, t); p++) {
            int32_t id = kc_metadata_partition_id(md, t, p);
            if (partition >= 0 && id != partition) continue;
            int i = kc_tplist_add(l, kc_metadata_topic_name(md, t), id);
            kc_tplist_set_offset(l, i, KC_OFFSET_STORED);
        }
    }
    kc_metadata_destroy(md);
    *nparts = kc_tplist_count(l);
    kc_err_t err = *nparts ? kc_consumer_assign(c, l) : KC_ERR__UNKNOWN_PARTITION;
    kc_tplist_destroy(l);
    if (err) fprintf(stderr, "consumer: assign: %s\n", kc_err_desc(err));
    return err ? -1 : 0;
}

int main(int argc, char **argv) {
    char errstr[512];
    const char *group = NULL;
    long count = -1;
    int opt, quiet = 0, until_eof = 0, partition = -1;
    kc_conf_t *conf = kc_conf_new();
    while ((opt = getopt(argc, argv, "b:g:n:eqo:p:X:h")) != -1) {
        const char *k = NULL, *v = NULL;
        switch (opt) {
        case 'b': k = "bootstrap.servers", v = optarg; break;
        case 'g': k = "group.id", v = group = optarg; break;
        case 'n': count = atol(optarg); break;
        case 'e': until_eof = 1, k = "enable.partition.eof", v = "true"; break;
        case 'q': quiet = 1; break;
        case 'o': k = "auto.offset.reset", v = optarg; break;
        case 'p': partition = atoi(optarg); break;
        case 'X': {
            char *eq = strchr(optarg, '=');
            if (!eq) {
                fprintf(stderr, "consumer: -X expects key=value, got \"%s\"\n", optarg);
                return 1;
            }
            *eq = 0;
            k = optarg, v = eq + 1;
            break;
        }
        default:
            fprintf(stderr, "usage: %s -b HOST:PORT [-g GROUP] [-n COUNT] [-e] [-q] "
                            "[-o earliest|latest] [-p PARTITION] [-X key=value]... TOPIC...\n",
                    argv[0]);
            return opt == 'h' ? 0 : 1;
        }
        if (k && kc_conf_set(conf, k, v, errstr, sizeof errstr)) {
            fprintf(stderr, "consumer: %s\n", errstr);
            return 1;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "consumer: no topic given\n");
        return 1;
    }
    kc_conf_set_rebalance_cb(conf, on_rebalance);
    kc_conf_set_error_cb(conf, on_error);
    kc_consumer_t *c = kc_consumer_new(conf, errstr, sizeof errstr);
    if (!c) {
        fprintf(stderr, "consumer: %s\n", errstr);
        return 1;
    }
    int ntopics = argc - optind, nparts = 0;
    if (group) {
        if (kc_consumer_subscribe(c, (const char *const *)&argv[optind], (size_t)ntopics, errstr,
                                  sizeof errstr)) {
            fprintf(stderr, "consumer: %s\n", errstr);
            return 1;
        }
    } else if (assign_all(c, conf, &argv[optind], ntopics, partition, &nparts)) {
        kc_consumer_destroy(c);
        kc_conf_destroy(conf);
        return 1;
    }
    kc_conf_destroy(conf);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    long records = 0, bytes = 0, eofs = 0, errors = 0;
    while (!stop && (count < 0 || records < count)) {
        kc_message_t *m = kc_consumer_poll(c, 500);
        if (!m) continue;
        kc_err_t err = kc_message_error(m);
        if (err == KC_ERR__PARTITION_EOF) {
            /* In group mode the number of partitions is the assignment's. */
            if (group) {
                kc_tplist_t *a = NULL;
                kc_consumer_assignment(c, &a);
                nparts = kc_tplist_count(a);
                kc_tplist_destroy(a);
            }
            if (until_eof && ++eofs >= nparts) stop = 1;
        } else if (err) {
            errors++;
            fprintf(stderr, "consumer: %s: %s\n", kc_err_name(err), kc_message_errstr(m));
        } else {
            size_t klen, vlen;
            const void *key = kc_message_key(m, &klen);
            const void *val = kc_message_value(m, &vlen);
            records++;
            bytes += (long)(klen + vlen);
            if (!quiet)
                printf("%s [%d] @%lld: %.*s: %.*s\n", kc_message_topic(m),
                       kc_message_partition(m), (long long)kc_message_offset(m),
                       key ? (int)klen : 4, key ? (const char *)key : "null",
                       val ? (int)vlen : 4, val ? (const char *)val : "null");
        }
        kc_message_destroy(m);
    }
    kc_consumer_close(c);
    kc_consumer_destroy(c);
    fprintf(stderr, "consumer: %ld records, %ld bytes, %ld errors\n", records, bytes, errors);
    return errors ? 2 : 0;
}
