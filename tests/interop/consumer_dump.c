/* consumer_dump: reads every partition of a topic with a kafkac consumer
 * (manual assignment) and prints each record byte-exact, as hex, for the
 * interop scripts to compare with what a Java client wrote:
 *
 *   consumer_dump -b HOST:PORT -t TOPIC [-n COUNT] [-e] [-T TIMEOUT_MS]
 *                 [-X key=value]...
 *
 * One line per record, in the order polled:
 *   P<TAB>OFFSET<TAB>KEY<TAB>VALUE<TAB>HEADERS<TAB>TSTYPE
 * KEY and VALUE are lowercase hex ("" for empty) or "null"; HEADERS is
 * "-" (none) or name=value pairs joined by ',' with name and value in hex
 * (value "null" for a null value); TSTYPE is create / append / none.
 * Starts at the beginning of each partition (KC_OFFSET_BEGINNING). Stops
 * after COUNT records (-n), once every partition reported its end (-e;
 * enables enable.partition.eof), or after TIMEOUT_MS (default 30000: exit
 * 3). Any event other than a partition EOF is printed to stderr as
 * "event: NAME: text" and makes the exit status 2. Built and run by
 * tests/integration/test_consumer_java_interop.sh and
 * test_consumer_read_committed.sh (not by the Makefile). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kafkac.h>

static long long mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void hex(const void *p, size_t len) {
    for (size_t i = 0; i < len; i++) printf("%02x", ((const unsigned char *)p)[i]);
}

static void bytes(const void *p, size_t len) {
    if (!p)
        fputs("null", stdout);
    else
        hex(p, len);
}

int main(int argc, char **argv) {
    char errstr[512];
    const char *topic = NULL;
    long count = -1;
    long long timeout = 30000;
    int opt, until_eof = 0;
    kc_conf_t *conf = kc_conf_new();
    while ((opt = getopt(argc, argv, "b:t:n:eT:X:")) != -1) {
        const char *k = NULL, *v = NULL;
        switch (opt) {
        case 'b': k = "bootstrap.servers", v = optarg; break;
        case 't': topic = optarg; break;
        case 'n': count = atol(optarg); break;
        case 'e': until_eof = 1, k = "enable.partition.eof", v = "true"; break;
        case 'T': timeout = atoll(optarg); break;
        case 'X': {
            char *eq = strchr(optarg, '=');
            if (!eq) {
                fprintf(stderr, "consumer_dump: -X expects key=value\n");
                return 1;
            }
            *eq = 0;
            k = optarg, v = eq + 1;
            break;
        }
        default:
            fprintf(stderr, "usage: consumer_dump -b HOST:PORT -t TOPIC [-n COUNT] [-e] "
                            "[-T TIMEOUT_MS] [-X key=value]...\n");
            return 1;
        }
        if (k && kc_conf_set(conf, k, v, errstr, sizeof errstr)) {
            fprintf(stderr, "consumer_dump: %s\n", errstr);
            return 1;
        }
    }
    if (!topic) {
        fprintf(stderr, "consumer_dump: -t TOPIC is required\n");
        return 1;
    }
    kc_metadata_t *md = NULL;
    if (kc_metadata_fetch(conf, &topic, 1, 10000, &md, errstr, sizeof errstr) ||
        kc_metadata_topic_error(md, 0)) {
        fprintf(stderr, "consumer_dump: metadata of %s: %s\n", topic,
                md ? kc_err_desc(kc_metadata_topic_error(md, 0)) : errstr);
        return 1;
    }
    int nparts = kc_metadata_partition_count(md, 0);
    kc_tplist_t *l = kc_tplist_new(nparts);
    for (int p = 0; p < nparts; p++)
        kc_tplist_set_offset(l, kc_tplist_add(l, topic, kc_metadata_partition_id(md, 0, p)),
                             KC_OFFSET_BEGINNING);
    kc_metadata_destroy(md);
    kc_consumer_t *c = kc_consumer_new(conf, errstr, sizeof errstr);
    kc_conf_destroy(conf);
    if (!c) {
        fprintf(stderr, "consumer_dump: %s\n", errstr);
        return 1;
    }
    if (kc_consumer_assign(c, l)) {
        fprintf(stderr, "consumer_dump: assign failed\n");
        return 1;
    }
    kc_tplist_destroy(l);
    long records = 0;
    int eofs = 0, errors = 0;
    long long end = mono_ms() + timeout;
#define DONE() ((count >= 0 && records >= count) || (until_eof && eofs >= nparts))
    while (!DONE() && mono_ms() < end) {
        kc_message_t *m = kc_consumer_poll(c, 100);
        if (!m) continue;
        kc_err_t err = kc_message_error(m);
        if (err == KC_ERR__PARTITION_EOF) {
            eofs++;
        } else if (err) {
            errors++;
            fprintf(stderr, "event: %s: %s\n", kc_err_name(err), kc_message_errstr(m));
        } else {
            size_t len;
            const void *p;
            records++;
            printf("%d\t%lld\t", (int)kc_message_partition(m), (long long)kc_message_offset(m));
            p = kc_message_key(m, &len);
            bytes(p, len);
            putchar('\t');
            p = kc_message_value(m, &len);
            bytes(p, len);
            putchar('\t');
            size_t nh = kc_message_header_count(m);
            if (!nh) putchar('-');
            for (size_t i = 0; i < nh; i++) {
                const char *name;
                size_t nlen, vlen;
                const void *v;
                if (kc_message_header(m, i, &name, &nlen, &v, &vlen)) {
                    fprintf(stderr, "consumer_dump: header %zu unreadable\n", i);
                    return 1;
                }
                if (i) putchar(',');
                hex(name, nlen);
                putchar('=');
                bytes(v, vlen);
            }
            int type;
            kc_message_timestamp(m, &type);
            printf("\t%s\n", type == KC_TIMESTAMP_CREATE_TIME ? "create"
                             : type == KC_TIMESTAMP_LOG_APPEND_TIME ? "append" : "none");
        }
        kc_message_destroy(m);
    }
    int timed_out = !DONE();
    fflush(stdout);
    kc_consumer_destroy(c);
    fprintf(stderr, "consumer_dump: %ld records, %d EOF events, %d errors%s\n", records, eofs,
            errors, timed_out ? ", timed out" : "");
    return errors ? 2 : timed_out ? 3 : 0;
}
