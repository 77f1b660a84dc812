/* confluent_kafka-style configuration dicts -> kc_conf_t. */
#include "kafkac_py.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* librdkafka spellings of keys that kafkac has under the Java client's
 * name. Values pass through unchanged. */
static const struct {
    const char *from, *to;
} aliases[] = {
    {"metadata.broker.list", "bootstrap.servers"},
    {"queue.buffering.max.ms", "linger.ms"},
    {"compression.codec", "compression.type"},
    {"message.timeout.ms", "delivery.timeout.ms"},
    {"request.required.acks", "acks"},
    {"topic.metadata.refresh.interval.ms", "metadata.max.age.ms"},
    {"fetch.wait.max.ms", "fetch.max.wait.ms"},
    {"fetch.message.max.bytes", "max.partition.fetch.bytes"},
    {"message.send.max.retries", "retries"},
    {"max.in.flight", "max.in.flight.requests.per.connection"},
    {"log.level", "log_level"},
};

/* Keys accepted and ignored (they only tune librdkafka internals or turn
 * on what kafkac does anyway). */
static const char *ignored[] = {
    "api.version.request", "statistics.interval.ms", "socket.keepalive.enable",
    "broker.address.family", "log.connection.close", "topic.metadata.refresh.sparse",
    "log.thread.name", "enable.random.seed", NULL};

void conf_extra_clear(PyConfExtra *x) {
    Py_CLEAR(x->on_delivery);
    Py_CLEAR(x->error_cb);
    Py_CLEAR(x->stats_cb);
    Py_CLEAR(x->throttle_cb);
    Py_CLEAR(x->logger);
    Py_CLEAR(x->on_commit);
    Py_CLEAR(x->oauth_cb);
}

int conf_extra_traverse(PyConfExtra *x, visitproc visit, void *arg) {
    Py_VISIT(x->on_delivery);
    Py_VISIT(x->error_cb);
    Py_VISIT(x->stats_cb);
    Py_VISIT(x->throttle_cb);
    Py_VISIT(x->logger);
    Py_VISIT(x->on_commit);
    Py_VISIT(x->oauth_cb);
    return 0;
}

static int set_callable(PyObject **slot, const char *key, PyObject *v, int allow_none) {
    if (v == Py_None && allow_none) {
        Py_CLEAR(*slot);
        return 0;
    }
    if (!PyCallable_Check(v)) {
        PyErr_Format(PyExc_TypeError, "expected %s property value to be callable", key);
        return -1;
    }
    Py_INCREF(v);
    Py_XSETREF(*slot, v);
    return 0;
}

/* Value to text: str as is, bool as true/false, numbers via str(). */
static PyObject *value_text(PyObject *v) {
    if (PyUnicode_Check(v)) {
        Py_INCREF(v);
        return v;
    }
    if (PyBool_Check(v)) return PyUnicode_FromString(v == Py_True ? "true" : "false");
    if (v == Py_None) return NULL;
    return PyObject_Str(v);
}

static int conf_set(kc_conf_t *conf, const char *key, const char *value, PyConfExtra *x) {
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(key, aliases[i].from) == 0) {
            key = aliases[i].to;
            break;
        }
    for (int i = 0; ignored[i]; i++)
        if (strcmp(key, ignored[i]) == 0) return 0;
    char buf[64];
    if (strcmp(key, "queue.buffering.max.kbytes") == 0) {
        char *end;
        long long kb = strtoll(value, &end, 10);
        if (*end || kb <= 0) {
            raise_kafka_fmt(KC_ERR__INVALID_ARG, "queue.buffering.max.kbytes: invalid value \"%s\"",
                            value);
            return -1;
        }
        snprintf(buf, sizeof buf, "%lld", kb * 1024);
        key = "buffer.memory";
        value = buf;
    } else if (strcmp(key, "debug") == 0) {
        key = "log_level";
        value = *value ? "7" : "6";
    } else if (strcmp(key, "delivery.report.only.error") == 0) {
        x->dr_only_error = strcmp(value, "true") == 0 || strcmp(value, "1") == 0;
        return 0;
    }
    char errstr[512] = "";
    kc_err_t err = kc_conf_set(conf, key, value, errstr, sizeof errstr);
    if (err) {
        /* confluent_kafka reports configuration errors as _INVALID_ARG. */
        raise_kafka(KC_ERR__INVALID_ARG, errstr[0] ? errstr : key);
        return -1;
    }
    if (strcmp(key, "client.id") == 0) snprintf(x->client_id, sizeof x->client_id, "%s", value);
    if (strcmp(key, "request.timeout.ms") == 0) x->request_timeout_ms = atoi(value);
    return 0;
}

static int apply_item(kc_conf_t *conf, PyObject *k, PyObject *v, int role, PyConfExtra *x,
                      int from_kwargs);

static int apply_dict(kc_conf_t *conf, PyObject *d, int role, PyConfExtra *x, int from_kwargs) {
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(d, &pos, &k, &v))
        if (apply_item(conf, k, v, role, x, from_kwargs) < 0) return -1;
    return 0;
}

static int apply_item(kc_conf_t *conf, PyObject *k, PyObject *v, int role, PyConfExtra *x,
                      int from_kwargs) {
    if (!PyUnicode_Check(k)) {
        PyErr_SetString(PyExc_TypeError, "configuration keys must be str");
        return -1;
    }
    const char *key = PyUnicode_AsUTF8(k);
    if (!key) return -1;
    char kbuf[256];
    if (from_kwargs && strchr(key, '_') && strcmp(key, "on_delivery") && strcmp(key, "error_cb") &&
        strcmp(key, "stats_cb") && strcmp(key, "throttle_cb") && strcmp(key, "on_commit") &&
        strcmp(key, "oauth_cb") && strcmp(key, "log_level") && strcmp(key, "logger")) {
        /* Producer(bootstrap_servers=...) */
        snprintf(kbuf, sizeof kbuf, "%s", key);
        for (char *p = kbuf; *p; p++)
            if (*p == '_') *p = '.';
        key = kbuf;
    }
    if (strcmp(key, "on_delivery") == 0 || strcmp(key, "delivery.report.callback") == 0 ||
        strcmp(key, "dr_cb") == 0 || strcmp(key, "dr_msg_cb") == 0) {
        if (role != ROLE_PRODUCER) return 0; /* confluent ignores it elsewhere */
        return set_callable(&x->on_delivery, key, v, 1);
    }
    if (strcmp(key, "error_cb") == 0) return set_callable(&x->error_cb, key, v, 1);
    if (strcmp(key, "stats_cb") == 0) return set_callable(&x->stats_cb, key, v, 1);
    if (strcmp(key, "throttle_cb") == 0) return set_callable(&x->throttle_cb, key, v, 1);
    if (strcmp(key, "oauth_cb") == 0) return set_callable(&x->oauth_cb, key, v, 1);
    if (strcmp(key, "on_commit") == 0) {
        if (role != ROLE_CONSUMER) return 0;
        return set_callable(&x->on_commit, key, v, 1);
    }
    if (strcmp(key, "logger") == 0) {
        if (v == Py_None) {
            Py_CLEAR(x->logger);
            return 0;
        }
        if (!PyObject_HasAttrString(v, "log")) {
            PyErr_SetString(PyExc_TypeError, "logger must be a logging.Logger (have a log() method)");
            return -1;
        }
        Py_INCREF(v);
        Py_XSETREF(x->logger, v);
        return 0;
    }
    if (strcmp(key, "default.topic.config") == 0) {
        if (!PyDict_Check(v)) {
            PyErr_SetString(PyExc_TypeError, "default.topic.config must be a dict");
            return -1;
        }
        return apply_dict(conf, v, role, x, 0);
    }
    if (PyCallable_Check(v) && !PyUnicode_Check(v)) {
        raise_kafka_fmt(KC_ERR__INVALID_ARG, "%s: a callable is not a valid value for this key",
                        key);
        return -1;
    }
    PyObject *t = value_text(v);
    if (!t) {
        if (PyErr_Occurred()) return -1;
        return conf_set(conf, key, NULL, x) < 0 ? -1 : 0;
    }
    const char *value = PyUnicode_AsUTF8(t);
    int r = value ? conf_set(conf, key, value, x) : -1;
    Py_DECREF(t);
    return r;
}

kc_conf_t *conf_from_py(PyObject *dict, PyObject *kwargs, int role, PyConfExtra *x) {
    memset(x, 0, sizeof *x);
    x->request_timeout_ms = 30000;
    snprintf(x->client_id, sizeof x->client_id, "kafkac");
    if (dict && dict != Py_None && !PyDict_Check(dict)) {
        PyErr_SetString(PyExc_TypeError, "expected configuration dict");
        return NULL;
    }
    kc_conf_t *conf = kc_conf_new();
    if (!conf) {
        PyErr_NoMemory();
        return NULL;
    }
    if ((dict && dict != Py_None && apply_dict(conf, dict, role, x, 0) < 0) ||
        (kwargs && apply_dict(conf, kwargs, role, x, 1) < 0)) {
        kc_conf_destroy(conf);
        conf_extra_clear(x);
        return NULL;
    }
    return conf;
}
