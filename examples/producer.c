/* The usual produce/poll loop: sends records to a topic and reports every
 * delivery.
 *
 *   producer -b HOST:PORT -t TOPIC [-n COUNT] [-k KEY] [-K] [-p PARTITION]
 *            [-H name=value]... [-X key=value]...
 *
 * Without -n, each line of standard input becomes one record; with -n,
 * COUNT records "message-<i>" are sent. -k gives every record the key KEY;
 * with -K each input line is KEY<TAB>VALUE instead (a line without a TAB is
 * a value with a null key). -H adds a header to every record (repeatable,
 * in order; the value may be empty). Prints one line per failed delivery
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
    int partition = KC_PARTITION_ANY, opt, key_lines = 0, nhdrs = 0;
    char *hdrs[64]; /* "name=value" arguments of -H */
    kc_conf_t *conf = kc_conf_new();
    while ((opt = getopt(argc, argv, "b:t:n:k:Kp:H:X:h")) != -1) {
        const char *k = NULL, *v = NULL;
        switch (opt) {
        case 'b': k = "bootstrap.servers", v = optarg; break;
        case 't': topic = optarg; break;
        case 'n': count = atol(optarg); break;
        case 'k': key = optarg; break;
        case 'K': key_lines = 1; break;
        case 'p': partition = atoi(optarg); break;
        case 'H':
            if (!strchr(optarg, '=') || optarg[0] == '=' || nhdrs == 64) {
                fprintf(stderr, "producer: -H expects name=value (at most 64), got \"%s\"\n",
                        optarg);
                return 1;
            }
            hdrs[nhdrs++] = optarg;
            break;
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
            fprintf(stderr, "usage: %s -b HOST:PORT -t TOPIC [-n COUNT] [-k KEY] [-K] "
                            "[-p PARTITION] [-H name=value]... [-X key=value]...\n", argv[0]);
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
        const char *value = line, *k = key;
        size_t klen = key ? strlen(key) : 0;
        if (count < 0) {
            if (!fgets(line, sizeof line, stdin)) break;
            len = strcspn(line, "\n");
            line[len] = 0;
            if (key_lines) {
                char *tab = memchr(line, '\t', len);
                k = tab ? line : NULL;
                klen = tab ? (size_t)(tab - line) : 0;
                if (tab) value = tab + 1, len -= klen + 1;
            }
        } else {
            len = (size_t)snprintf(line, sizeof line, "message-%ld", i);
        }
        /* Headers: a new list per record (kc_produce() takes it on success). */
        kc_headers_t *h = nhdrs ? kc_headers_new() : NULL;
        for (int j = 0; j < nhdrs; j++) {
            char name[256];
            size_t nlen = strcspn(hdrs[j], "=");
            snprintf(name, sizeof name, "%.*s", (int)nlen, hdrs[j]);
            const char *hv = hdrs[j] + nlen + 1;
            kc_headers_add(h, name, hv, strlen(hv));
        }
        kc_err_t err;
        /* Buffer full: serve delivery reports (which frees room) and retry.
         * (KC_PRODUCE_F_BLOCK would wait instead - but only another thread's
         * poll can free room then.) */
        while ((err = kc_produce(p, topic, partition, k, klen, value, len, h, 0, 0, NULL)) ==
               KC_ERR__QUEUE_FULL)
            kc_producer_poll(p, 100);
        if (err) {
            kc_headers_destroy(h); /* still ours when kc_produce() fails */
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
