/* The usual produce/poll loop: sends records to a topic and reports every
 * delivery.
 *
 *   producer -b HOST:PORT -t TOPIC [-n COUNT] [-k KEY] [-p PARTITION] [-X key=value]...
 *
 * Without -n, each line of standard input becomes one record; with -n,
 * COUNT records "message-<i>" are sent. Prints one line per failed delivery
 * and a summary; exits non-zero if any record was not delivered. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kafkac.h>

static long delivered, failed;

static void on_delivery(kc_producer_t *p, const kc_delivery_t *dr, void *opaque) {
    (void)p;
    (void)opaque;
    if (kc_delivery_error(dr)) {
        failed++;
        fprintf(stderr, "producer: delivery failed: %s: %s\n", kc_err_name(kc_delivery_error(dr)),
                kc_delivery_errstr(dr));
    } else {
        delivered++;
    }
}

static void on_error(void *client, const kc_error_t *err, void *opaque) {
    (void)client;
    (void)opaque;
    fprintf(stderr, "producer: %s: %s\n", kc_error_name(err), kc_error_message(err));
}

int main(int argc, char **argv) {
    char errstr[512];
    const char *topic = NULL, *key = NULL;
    long count = -1;
    int partition = KC_PARTITION_ANY, opt;
    kc_conf_t *conf = kc_conf_new();
    while ((opt = getopt(argc, argv, "b:t:n:k:p:X:h")) != -1) {
        const char *k = NULL, *v = NULL;
        switch (opt) {
        case 'b': k = "bootstrap.servers", v = optarg; break;
        case 't': topic = optarg; break;
        case 'n': count = atol(optarg); break;
        case 'k': key = optarg; break;
        case 'p': partition = atoi(optarg); break;
        case 'X': {
            char *eq = strchr(optarg, '=');
            if (!eq) {
                fprintf(stderr, "producer: -X expects key=value, got \"%s\"\n", optarg);
                return 1;
            }
            *eq = 0;
            k = optarg, v = eq + 1;
            break;
        }
        default:
            fprintf(stderr, "usage: %s -b HOST:PORT -t TOPIC [-n COUNT] [-k KEY] [-p PARTITION] "
                            "[-X key=value]...\n", argv[0]);
            return opt == 'h' ? 0 : 1;
        }
        if (k && kc_conf_set(conf, k, v, errstr, sizeof errstr)) {
            fprintf(stderr, "producer: %s\n", errstr);
            return 1;
        }
    }
    if (!topic) {
        fprintf(stderr, "producer: -t TOPIC is required\n");
        return 1;
    }
    kc_conf_set_delivery_cb(conf, on_delivery);
    kc_conf_set_error_cb(conf, on_error);
    kc_producer_t *p = kc_producer_new(conf, errstr, sizeof errstr);
    kc_conf_destroy(conf);
    if (!p) {
        fprintf(stderr, "producer: %s\n", errstr);
        return 1;
    }
    char line[65536];
    long sent = 0;
    for (long i = 0; count < 0 || i < count; i++) {
        size_t len;
        if (count < 0) {
            if (!fgets(line, sizeof line, stdin)) break;
            len = strcspn(line, "\n");
        } else {
            len = (size_t)snprintf(line, sizeof line, "message-%ld", i);
        }
        kc_err_t err;
        /* Buffer full: serve delivery reports (which frees room) and retry.
         * (KC_PRODUCE_F_BLOCK would wait instead - but only another thread's
         * poll can free room then.) */
        while ((err = kc_produce(p, topic, partition, key, key ? strlen(key) : 0, line, len, NULL,
                                 0, 0, NULL)) == KC_ERR__QUEUE_FULL)
            kc_producer_poll(p, 100);
        if (err) {
            fprintf(stderr, "producer: produce failed: %s\n", kc_err_desc(err));
            break;
        }
        sent++;
        kc_producer_poll(p, 0);
    }
    if (kc_producer_flush(p, 30000))
        fprintf(stderr, "producer: %d records still undelivered after 30 s\n",
                kc_producer_outq_len(p));
    kc_producer_destroy(p);
    printf("producer: %ld sent, %ld delivered, %ld failed\n", sent, delivered, failed);
    return sent == delivered ? 0 : 1;
}
