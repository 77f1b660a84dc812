/* Prints a Kafka cluster's brokers and topics with their partitions and
 * leaders.
 *
 *   metadata -b HOST:PORT[,HOST:PORT...] [-t TOPIC]... [-X key=value]...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kafkac.h>

static void usage(const char *argv0) {
    fprintf(stderr,
            "usage: %s -b HOST:PORT[,...] [-t TOPIC]... [-X key=value]... [-T timeout_ms]\n"
            "  -b  bootstrap servers\n"
            "  -t  only this topic (repeatable; default: all topics)\n"
            "  -X  any client configuration key (see docs/CONFIGURATION.md)\n"
            "  -T  timeout in milliseconds (default 10000)\n",
            argv0);
}

int main(int argc, char **argv) {
    char errstr[512];
    kc_conf_t *conf = kc_conf_new();
    const char **topics = calloc((size_t)argc, sizeof(char *));
    size_t ntopics = 0;
    int timeout_ms = 10000, opt;
    if (!conf || !topics) {
        fprintf(stderr, "metadata: out of memory\n");
        return 1;
    }
    while ((opt = getopt(argc, argv, "b:t:X:T:h")) != -1) {
        switch (opt) {
        case 'b':
            if (kc_conf_set(conf, "bootstrap.servers", optarg, errstr, sizeof errstr)) {
                fprintf(stderr, "metadata: %s\n", errstr);
                return 1;
            }
            break;
        case 't': topics[ntopics++] = optarg; break;
        case 'X': {
            char *eq = strchr(optarg, '=');
            if (!eq) {
                fprintf(stderr, "metadata: -X expects key=value, got \"%s\"\n", optarg);
                return 1;
            }
            *eq = 0;
            if (kc_conf_set(conf, optarg, eq + 1, errstr, sizeof errstr)) {
                fprintf(stderr, "metadata: %s\n", errstr);
                return 1;
            }
            break;
        }
        case 'T': timeout_ms = atoi(optarg); break;
        case 'h': usage(argv[0]); return 0;
        default: usage(argv[0]); return 1;
        }
    }

    kc_metadata_t *md;
    kc_err_t err = kc_metadata_fetch(conf, topics, ntopics, timeout_ms, &md, errstr, sizeof errstr);
    if (err) {
        fprintf(stderr, "metadata: %s (%s)\n", errstr, kc_err_name(err));
        kc_conf_destroy(conf);
        free(topics);
        return 1;
    }

    printf("Metadata from %s (cluster id %s, controller %d)\n", kc_metadata_orig_broker(md),
           kc_metadata_cluster_id(md) ? kc_metadata_cluster_id(md) : "-",
           kc_metadata_controller_id(md));
    printf("%d broker(s):\n", kc_metadata_broker_count(md));
    for (int i = 0; i < kc_metadata_broker_count(md); i++) {
        const char *rack = kc_metadata_broker_rack(md, i);
        printf("  broker %d at %s:%d%s%s\n", kc_metadata_broker_id(md, i),
               kc_metadata_broker_host(md, i), kc_metadata_broker_port(md, i),
               rack ? " rack " : "", rack ? rack : "");
    }
    printf("%d topic(s):\n", kc_metadata_topic_count(md));
    for (int t = 0; t < kc_metadata_topic_count(md); t++) {
        kc_err_t terr = kc_metadata_topic_error(md, t);
        printf("  topic \"%s\" with %d partition(s)%s%s%s\n", kc_metadata_topic_name(md, t),
               kc_metadata_partition_count(md, t),
               kc_metadata_topic_is_internal(md, t) ? " (internal)" : "",
               terr ? ": error " : "", terr ? kc_err_name(terr) : "");
        for (int p = 0; p < kc_metadata_partition_count(md, t); p++) {
            printf("    partition %d, leader %d, replicas:", kc_metadata_partition_id(md, t, p),
                   kc_metadata_partition_leader(md, t, p));
            for (int i = 0; i < kc_metadata_partition_replica_count(md, t, p); i++)
                printf("%s%d", i ? "," : " ", kc_metadata_partition_replica(md, t, p, i));
            printf(", isrs:");
            for (int i = 0; i < kc_metadata_partition_isr_count(md, t, p); i++)
                printf("%s%d", i ? "," : " ", kc_metadata_partition_isr(md, t, p, i));
            kc_err_t perr = kc_metadata_partition_error(md, t, p);
            if (perr) printf(", error %s", kc_err_name(perr));
            printf("\n");
        }
    }
    kc_metadata_destroy(md);
    kc_conf_destroy(conf);
    free(topics);
    return 0;
}
