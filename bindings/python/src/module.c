/* kafkac._kafkac: module init, call state, shared helpers, metadata. */
#include "kafkac_py.h"

#include <time.h>

/* ------------------------------------------------------------ call state */

static _Thread_local CallState *tls_cs;

void cs_begin(CallState *cs) {
    cs->exc_type = cs->exc_value = cs->exc_tb = NULL;
    cs->prev = tls_cs;
    tls_cs = cs;
    cs->ts = PyEval_SaveThread();
}

int cs_end(CallState *cs) {
    PyEval_RestoreThread(cs->ts);
    cs->ts = NULL;
    tls_cs = cs->prev;
    if (cs->exc_type) {
        PyErr_Restore(cs->exc_type, cs->exc_value, cs->exc_tb);
        cs->exc_type = cs->exc_value = cs->exc_tb = NULL;
        return -1;
    }
    return 0;
}

void cb_gil_acquire(CbGil *g) {
    CallState *cs = tls_cs;
    g->cs = cs;
    if (cs && cs->ts) {
        PyEval_RestoreThread(cs->ts);
        cs->ts = NULL;
        g->mode = 1;
    } else if (PyGILState_Check()) {
        g->mode = 0; /* a C call made while holding the GIL */
    } else {
        g->gs = PyGILState_Ensure();
        g->mode = 2;
    }
}

void cb_gil_release(CbGil *g) {
    if (g->mode == 1)
        g->cs->ts = PyEval_SaveThread();
    else if (g->mode == 2)
        PyGILState_Release(g->gs);
}

void cb_record_exception(CbGil *g, PyObject *where) {
    if (g->mode == 1 && g->cs && !g->cs->exc_type) {
        PyErr_Fetch(&g->cs->exc_type, &g->cs->exc_value, &g->cs->exc_tb);
        return;
    }
    if (g->mode == 0 && g->cs && !g->cs->ts && !g->cs->exc_type && tls_cs == g->cs) {
        /* GIL held by a nested call: still belongs to the outer call. */
        PyErr_Fetch(&g->cs->exc_type, &g->cs->exc_value, &g->cs->exc_tb);
        return;
    }
    /* A second exception in the same call, or no call to return it from. */
    PyErr_WriteUnraisable(where);
}

/* ------------------------------------------------------------ helpers */

int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int timeout_ms_from_py(PyObject *o, int dflt) {
    if (!o || o == Py_None) return dflt;
    double t = PyFloat_AsDouble(o);
    if (t == -1.0 && PyErr_Occurred()) return -2;
    if (t < 0) return -1;
    double ms = t * 1000.0;
    if (ms > 2147483647.0) return -1;
    int r = (int)ms;
    if (r == 0 && t > 0) r = 1;
    return r;
}

int call_logger(PyObject *logger, const char *client_id, int level, const char *fac,
                const char *msg) {
    int pylevel;
    if (level <= 2)
        pylevel = 50; /* CRITICAL */
    else if (level == 3)
        pylevel = 40; /* ERROR */
    else if (level == 4)
        pylevel = 30; /* WARNING */
    else if (level <= 6)
        pylevel = 20; /* INFO */
    else
        pylevel = 10; /* DEBUG */
    PyObject *r = PyObject_CallMethod(logger, "log", "issss", pylevel, "%s [%s] %s", fac,
                                      client_id, msg);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

/* ------------------------------------------------------------ metadata */

static PyObject *metadata_builder;

static PyObject *err_or_none(int err) {
    if (!err) Py_RETURN_NONE;
    return kafkaerror_from_code(err, NULL);
}

static PyObject *int32_list(const kc_metadata_t *md, int t, int p, int isr) {
    int n = isr ? kc_metadata_partition_isr_count(md, t, p)
                : kc_metadata_partition_replica_count(md, t, p);
    if (n < 0) n = 0;
    PyObject *l = PyList_New(n);
    if (!l) return NULL;
    for (int i = 0; i < n; i++) {
        int32_t v = isr ? kc_metadata_partition_isr(md, t, p, i)
                        : kc_metadata_partition_replica(md, t, p, i);
        PyObject *x = PyLong_FromLong(v);
        if (!x) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, i, x);
    }
    return l;
}

PyObject *metadata_to_py(const kc_metadata_t *md) {
    if (!metadata_builder) {
        PyObject *mod = PyImport_ImportModule("kafkac._metadata");
        if (!mod) return NULL;
        metadata_builder = PyObject_GetAttrString(mod, "_build_cluster_metadata");
        Py_DECREF(mod);
        if (!metadata_builder) return NULL;
    }
    PyObject *brokers = NULL, *topics = NULL, *r = NULL;
    int nb = kc_metadata_broker_count(md);
    brokers = PyList_New(0);
    if (!brokers) goto out;
    for (int i = 0; i < nb; i++) {
        const char *rack = kc_metadata_broker_rack(md, i);
        PyObject *b = Py_BuildValue("(isiz)", (int)kc_metadata_broker_id(md, i),
                                    kc_metadata_broker_host(md, i),
                                    kc_metadata_broker_port(md, i), rack);
        if (!b || PyList_Append(brokers, b) < 0) {
            Py_XDECREF(b);
            goto out;
        }
        Py_DECREF(b);
    }
    topics = PyList_New(0);
    if (!topics) goto out;
    int nt = kc_metadata_topic_count(md);
    for (int t = 0; t < nt; t++) {
        int np = kc_metadata_partition_count(md, t);
        if (np < 0) np = 0;
        PyObject *parts = PyList_New(np);
        if (!parts) goto out;
        for (int p = 0; p < np; p++) {
            PyObject *perr = err_or_none(kc_metadata_partition_error(md, t, p));
            PyObject *reps = perr ? int32_list(md, t, p, 0) : NULL;
            PyObject *isrs = reps ? int32_list(md, t, p, 1) : NULL;
            PyObject *pt = isrs ? Py_BuildValue("(iiNNN)", (int)kc_metadata_partition_id(md, t, p),
                                                (int)kc_metadata_partition_leader(md, t, p), reps,
                                                isrs, perr)
                                : NULL;
            if (!pt) {
                if (!isrs) {
                    Py_XDECREF(perr);
                    Py_XDECREF(reps);
                }
                Py_DECREF(parts);
                goto out;
            }
            PyList_SET_ITEM(parts, p, pt);
        }
        PyObject *terr = err_or_none(kc_metadata_topic_error(md, t));
        if (!terr) {
            Py_DECREF(parts);
            goto out;
        }
        PyObject *tt = Py_BuildValue("(sNNi)", kc_metadata_topic_name(md, t), parts, terr,
                                     kc_metadata_topic_is_internal(md, t));
        if (!tt || PyList_Append(topics, tt) < 0) {
            Py_XDECREF(tt);
            goto out;
        }
        Py_DECREF(tt);
    }
    r = PyObject_CallFunction(metadata_builder, "ziOOs", kc_metadata_cluster_id(md),
                              (int)kc_metadata_controller_id(md), brokers, topics,
                              kc_metadata_orig_broker(md) ? kc_metadata_orig_broker(md) : "");
out:
    Py_XDECREF(brokers);
    Py_XDECREF(topics);
    return r;
}

PyObject *list_topics_impl(const kc_conf_t *conf, PyObject *topic, PyObject *timeout,
                           int dflt_timeout_ms) {
    const char *tname = NULL;
    if (topic && topic != Py_None) {
        if (!PyUnicode_Check(topic)) {
            PyErr_SetString(PyExc_TypeError, "topic must be a str");
            return NULL;
        }
        tname = PyUnicode_AsUTF8(topic);
        if (!tname) return NULL;
    }
    int tmo = timeout_ms_from_py(timeout, -1);
    if (tmo == -2) return NULL;
    if (tmo < 0) tmo = dflt_timeout_ms;
    kc_metadata_t *md = NULL;
    char errstr[512] = "";
    kc_err_t err;
    CallState cs;
    cs_begin(&cs);
    err = kc_metadata_fetch(conf, tname ? &tname : NULL, tname ? 1 : 0, tmo, &md, errstr,
                            sizeof errstr);
    if (cs_end(&cs) < 0) {
        kc_metadata_destroy(md);
        return NULL;
    }
    if (err) return raise_kafka(err, errstr[0] ? errstr : NULL);
    PyObject *r = metadata_to_py(md);
    kc_metadata_destroy(md);
    return r;
}

/* ------------------------------------------------------------ module */

static PyObject *py_libversion(PyObject *self, PyObject *unused) {
    return Py_BuildValue("(si)", kc_version_str(), kc_version());
}

static PyObject *py_version(PyObject *self, PyObject *unused) {
    return Py_BuildValue("(si)", KC_VERSION_STR, KC_VERSION);
}

static PyMethodDef module_methods[] = {
    {"libversion", py_libversion, METH_NOARGS,
     "libversion()\n\nThe linked kafkac C library's version as (str, int)."},
    {"version", py_version, METH_NOARGS,
     "version()\n\nThe kafkac Python module's version as (str, int)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "kafkac._kafkac",
    "Low-level CPython binding of the kafkac C client library.", -1, module_methods,
    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__kafkac(void) {
    PyObject *m = PyModule_Create(&module_def);
    if (!m) return NULL;
    if (errors_init(m) < 0 || topicpartition_init(m) < 0 || message_init(m) < 0 ||
        producer_init(m) < 0 || consumer_init(m) < 0 || admin_init(m) < 0)
        goto fail;
    struct {
        const char *name;
        long value;
    } consts[] = {
        {"OFFSET_BEGINNING", KC_OFFSET_BEGINNING},
        {"OFFSET_END", KC_OFFSET_END},
        {"OFFSET_STORED", KC_OFFSET_STORED},
        {"OFFSET_INVALID", KC_OFFSET_INVALID},
        {"TIMESTAMP_NOT_AVAILABLE", KC_TIMESTAMP_NOT_AVAILABLE},
        {"TIMESTAMP_CREATE_TIME", KC_TIMESTAMP_CREATE_TIME},
        {"TIMESTAMP_LOG_APPEND_TIME", KC_TIMESTAMP_LOG_APPEND_TIME},
        {"RESOURCE_UNKNOWN", 0},
        {"RESOURCE_ANY", 1},
        {"RESOURCE_TOPIC", KC_RESOURCE_TOPIC},
        {"RESOURCE_GROUP", KC_RESOURCE_GROUP},
        {"RESOURCE_BROKER", KC_RESOURCE_BROKER},
        {"RESOURCE_TRANSACTIONAL_ID", 5},
        {"CONFIG_SOURCE_UNKNOWN_CONFIG", KC_CONFIG_SOURCE_UNKNOWN},
        {"CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG", KC_CONFIG_SOURCE_DYNAMIC_TOPIC},
        {"CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG", KC_CONFIG_SOURCE_DYNAMIC_BROKER},
        {"CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG", KC_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER},
        {"CONFIG_SOURCE_STATIC_BROKER_CONFIG", KC_CONFIG_SOURCE_STATIC_BROKER},
        {"CONFIG_SOURCE_DEFAULT_CONFIG", KC_CONFIG_SOURCE_DEFAULT},
        {"CONFIG_SOURCE_GROUP_CONFIG", KC_CONFIG_SOURCE_GROUP},
        {"ALTER_CONFIG_OP_TYPE_SET", KC_CONFIG_SET},
        {"ALTER_CONFIG_OP_TYPE_DELETE", KC_CONFIG_DELETE},
        {"ALTER_CONFIG_OP_TYPE_APPEND", KC_CONFIG_APPEND},
        {"ALTER_CONFIG_OP_TYPE_SUBTRACT", KC_CONFIG_SUBTRACT},
        {"CONSUMER_GROUP_STATE_UNKNOWN", 0},
        {"CONSUMER_GROUP_STATE_PREPARING_REBALANCE", 1},
        {"CONSUMER_GROUP_STATE_COMPLETING_REBALANCE", 2},
        {"CONSUMER_GROUP_STATE_STABLE", 3},
        {"CONSUMER_GROUP_STATE_DEAD", 4},
        {"CONSUMER_GROUP_STATE_EMPTY", 5},
        {"CONSUMER_GROUP_TYPE_UNKNOWN", 0},
        {"CONSUMER_GROUP_TYPE_CONSUMER", 1},
        {"CONSUMER_GROUP_TYPE_CLASSIC", 2},
        {"ISOLATION_LEVEL_READ_UNCOMMITTED", 0},
        {"ISOLATION_LEVEL_READ_COMMITTED", 1},
        {"OFFSET_SPEC_MAX_TIMESTAMP", -3},
        {"OFFSET_SPEC_EARLIEST", -2},
        {"OFFSET_SPEC_LATEST", -1},
    };
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (PyModule_AddIntConstant(m, consts[i].name, consts[i].value) < 0) goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
