/* Producer */
#include "kafkac_py.h"

#include <string.h>

typedef struct {
    PyObject_HEAD
    kc_producer_t *p;
    kc_conf_t *meta_conf; /* for list_topics(): no callbacks */
    PyConfExtra x;
    TopicCache tc;
    volatile int destroying;
} ProducerObject;

/* ------------------------------------------------------------ callbacks */

static void dr_cb(kc_producer_t *p, const kc_delivery_t *dr, void *opaque) {
    ProducerObject *self = opaque;
    PyObject *own = kc_delivery_opaque(dr); /* per-record callback: a reference we hold */
    if (!own && (!self->x.on_delivery || self->destroying)) return;
    kc_err_t err = kc_delivery_error(dr);
    CbGil g;
    cb_gil_acquire(&g);
    PyObject *cb = own ? own : self->x.on_delivery;
    if (self->destroying || !cb || (self->x.dr_only_error && !err)) goto done;
    MessageObject *m = message_alloc();
    PyObject *eo = NULL;
    if (!m) goto fail;
    m->topic = topic_cache_get(&self->tc, kc_delivery_topic(dr));
    if (!m->topic) goto fail;
    m->partition = kc_delivery_partition(dr);
    m->offset = kc_delivery_offset(dr);
    m->timestamp = kc_delivery_timestamp(dr);
    m->tstype = KC_TIMESTAMP_CREATE_TIME;
    size_t len;
    const void *v = kc_delivery_value(dr, &len);
    if (v && !(m->value = PyBytes_FromStringAndSize(v, (Py_ssize_t)len))) goto fail;
    v = kc_delivery_key(dr, &len);
    if (v && !(m->key = PyBytes_FromStringAndSize(v, (Py_ssize_t)len))) goto fail;
    if (err) {
        eo = kafkaerror_from_code(err, kc_delivery_errstr(dr));
        if (!eo) goto fail;
        Py_INCREF(eo);
        m->error = eo;
    }
    PyObject_GC_Track(m);
    PyObject *r = PyObject_CallFunctionObjArgs(cb, eo ? eo : Py_None, (PyObject *)m, NULL);
    Py_XDECREF(eo);
    Py_DECREF(m);
    if (!r)
        cb_record_exception(&g, cb);
    else
        Py_DECREF(r);
    goto done;
fail:
    if (m) {
        PyObject_GC_Track(m);
        Py_DECREF(m);
    }
    cb_record_exception(&g, cb);
done:
    Py_XDECREF(own);
    cb_gil_release(&g);
}

static void error_cb(void *client, const kc_error_t *err, void *opaque) {
    ProducerObject *self = opaque;
    if (self->destroying || !self->x.error_cb) return;
    CbGil g;
    cb_gil_acquire(&g);
    PyObject *cb = self->x.error_cb;
    if (cb) {
        PyObject *e = kafkaerror_from_kc_error(err);
        PyObject *r = e ? PyObject_CallOneArg(cb, e) : NULL;
        Py_XDECREF(e);
        if (!r)
            cb_record_exception(&g, cb);
        else
            Py_DECREF(r);
    }
    cb_gil_release(&g);
}

static void log_cb(void *client, int level, const char *fac, const char *msg, void *opaque) {
    ProducerObject *self = opaque;
    if (self->destroying || !self->x.logger) return;
    CbGil g;
    cb_gil_acquire(&g);
    if (self->x.logger && call_logger(self->x.logger, self->x.client_id, level, fac, msg) < 0)
        cb_record_exception(&g, self->x.logger);
    cb_gil_release(&g);
}

/* ------------------------------------------------------------ type */

static PyObject *Producer_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    return type->tp_alloc(type, 0);
}

static int Producer_init(ProducerObject *self, PyObject *args, PyObject *kwargs) {
    if (self->p) {
        PyErr_SetString(PyExc_RuntimeError, "Producer already initialized");
        return -1;
    }
    PyObject *dict = NULL;
    if (!PyArg_ParseTuple(args, "|O:Producer", &dict)) return -1;
    PyConfExtra x;
    kc_conf_t *conf = conf_from_py(dict, kwargs, ROLE_PRODUCER, &x);
    if (!conf) return -1;
    conf_extra_clear(&self->x);
    self->x = x;
    self->meta_conf = kc_conf_dup(conf);
    kc_conf_set_opaque(conf, self);
    kc_conf_set_delivery_cb(conf, dr_cb);
    if (x.error_cb) kc_conf_set_error_cb(conf, error_cb);
    if (x.logger) kc_conf_set_log_cb(conf, log_cb);
    char errstr[512] = "";
    kc_producer_t *p;
    Py_BEGIN_ALLOW_THREADS
    p = kc_producer_new(conf, errstr, sizeof errstr);
    Py_END_ALLOW_THREADS
    kc_conf_destroy(conf);
    if (!p) {
        raise_kafka(KC_ERR__INVALID_ARG, errstr);
        return -1;
    }
    self->p = p;
    return 0;
}

static void producer_destroy(ProducerObject *self, int run_callbacks) {
    if (!self->p) return;
    kc_producer_t *p = self->p;
    self->p = NULL;
    if (!run_callbacks) self->destroying = 1;
    CallState cs;
    cs_begin(&cs);
    kc_producer_destroy(p);
    if (cs_end(&cs) < 0) {
        if (!run_callbacks)
            PyErr_WriteUnraisable((PyObject *)self);
    }
}

static int Producer_traverse(ProducerObject *self, visitproc visit, void *arg) {
    return conf_extra_traverse(&self->x, visit, arg);
}

static int Producer_clear(ProducerObject *self) {
    conf_extra_clear(&self->x);
    return 0;
}

static void Producer_dealloc(ProducerObject *self) {
    PyObject_GC_UnTrack(self);
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);
    producer_destroy(self, 0);
    PyErr_Restore(et, ev, etb);
    kc_conf_destroy(self->meta_conf);
    self->meta_conf = NULL;
    topic_cache_clear(&self->tc);
    Producer_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define CHECK_OPEN(self)                                                    \
    do {                                                                    \
        if (!(self)->p) {                                                   \
            PyErr_SetString(PyExc_RuntimeError, "Producer has been closed"); \
            return NULL;                                                    \
        }                                                                   \
    } while (0)

/* ------------------------------------------------------------ produce */

typedef struct {
    Py_buffer view;
    int have_view;
} BufHold;

static int get_bytes(PyObject *o, const char *what, const void **p, size_t *len, BufHold *h) {
    h->have_view = 0;
    if (!o || o == Py_None) {
        *p = NULL;
        *len = 0;
        return 0;
    }
    if (PyBytes_Check(o)) {
        *p = PyBytes_AS_STRING(o);
        *len = (size_t)PyBytes_GET_SIZE(o);
        return 0;
    }
    if (PyUnicode_Check(o)) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(o, &n);
        if (!s) return -1;
        *p = s;
        *len = (size_t)n;
        return 0;
    }
    if (PyObject_CheckBuffer(o) && PyObject_GetBuffer(o, &h->view, PyBUF_SIMPLE) == 0) {
        h->have_view = 1;
        *p = h->view.buf;
        *len = (size_t)h->view.len;
        return 0;
    }
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "%s: a bytes-like object is required, not '%.100s'", what,
                 Py_TYPE(o)->tp_name);
    return -1;
}

static void release_bytes(BufHold *h) {
    if (h->have_view) PyBuffer_Release(&h->view);
    h->have_view = 0;
}

static int add_header(kc_headers_t *h, PyObject *name, PyObject *value) {
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "header names must be str, not '%.100s'",
                     Py_TYPE(name)->tp_name);
        return -1;
    }
    const char *n = PyUnicode_AsUTF8(name);
    if (!n) return -1;
    const void *v;
    size_t len;
    BufHold bh;
    if (get_bytes(value, "header value", &v, &len, &bh) < 0) return -1;
    kc_err_t err = kc_headers_add(h, n, v, len);
    release_bytes(&bh);
    if (err) {
        raise_kafka(err, "kc_headers_add failed");
        return -1;
    }
    return 0;
}

/* NULL with *hp NULL and no exception: no headers. */
static int headers_from_py(PyObject *o, kc_headers_t **hp) {
    *hp = NULL;
    if (!o || o == Py_None) return 0;
    kc_headers_t *h = kc_headers_new();
    if (!h) {
        PyErr_NoMemory();
        return -1;
    }
    if (PyDict_Check(o)) {
        PyObject *k, *v;
        Py_ssize_t pos = 0;
        while (PyDict_Next(o, &pos, &k, &v))
            if (add_header(h, k, v) < 0) goto fail;
    } else if (PyList_Check(o) || PyTuple_Check(o)) {
        PyObject *fast = PySequence_Fast(o, "headers");
        if (!fast) goto fail;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *t = PySequence_Fast_GET_ITEM(fast, i);
            if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 2) {
                PyErr_SetString(PyExc_TypeError,
                                "headers must be a dict or a list of (str, value) tuples");
                Py_DECREF(fast);
                goto fail;
            }
            if (add_header(h, PyTuple_GET_ITEM(t, 0), PyTuple_GET_ITEM(t, 1)) < 0) {
                Py_DECREF(fast);
                goto fail;
            }
        }
        Py_DECREF(fast);
    } else {
        PyErr_SetString(PyExc_TypeError, "headers must be a dict or a list of (str, value) tuples");
        goto fail;
    }
    *hp = h;
    return 0;
fail:
    kc_headers_destroy(h);
    return -1;
}

static PyObject *Producer_produce(ProducerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"topic",       "value",     "key",     "partition", "callback",
                          "on_delivery", "timestamp", "headers", NULL};
    const char *topic;
    PyObject *value = NULL, *key = NULL, *cb = NULL, *dcb = NULL, *headers = NULL;
    int partition = KC_PARTITION_ANY;
    long long timestamp = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|OOiOOLO:produce", kws, &topic, &value,
                                     &key, &partition, &cb, &dcb, &timestamp, &headers))
        return NULL;
    CHECK_OPEN(self);
    if (dcb == Py_None) dcb = NULL;
    if (cb == Py_None) cb = NULL;
    if (dcb) cb = dcb;
    if (cb && !PyCallable_Check(cb)) {
        PyErr_SetString(PyExc_TypeError, "on_delivery/callback must be callable");
        return NULL;
    }
    const void *v, *k;
    size_t vlen, klen;
    BufHold vh, kh;
    if (get_bytes(value, "value", &v, &vlen, &vh) < 0) return NULL;
    if (get_bytes(key, "key", &k, &klen, &kh) < 0) {
        release_bytes(&vh);
        return NULL;
    }
    kc_headers_t *h = NULL;
    if (headers && headers_from_py(headers, &h) < 0) {
        release_bytes(&vh);
        release_bytes(&kh);
        return NULL;
    }
    Py_XINCREF(cb);
    kc_err_t err = kc_produce(self->p, topic, partition, k, klen, v, vlen, h, timestamp, 0, cb);
    release_bytes(&vh);
    release_bytes(&kh);
    if (err) {
        Py_XDECREF(cb);
        kc_headers_destroy(h);
        if (err == KC_ERR__QUEUE_FULL) {
            PyErr_SetString(PyExc_BufferError, kc_err_desc(err));
            return NULL;
        }
        return raise_kafka(err, NULL);
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------ poll, flush */

static int slice_ms(int64_t deadline) {
    if (deadline < 0) return 100;
    int64_t left = deadline - mono_ms();
    if (left <= 0) return 0;
    return left > 100 ? 100 : (int)left;
}

static PyObject *Producer_poll(ProducerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"timeout", NULL};
    PyObject *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:poll", kws, &tmo)) return NULL;
    CHECK_OPEN(self);
    int ms = timeout_ms_from_py(tmo, -1);
    if (ms == -2) return NULL;
    int64_t deadline = ms < 0 ? -1 : mono_ms() + ms;
    long total = 0;
    for (;;) {
        int s = slice_ms(deadline);
        CallState cs;
        cs_begin(&cs);
        int n = kc_producer_poll(self->p, s);
        if (cs_end(&cs) < 0) return NULL;
        total += n;
        if (n > 0 || s == 0 || (deadline >= 0 && mono_ms() >= deadline)) break;
        if (PyErr_CheckSignals() < 0) return NULL;
    }
    return PyLong_FromLong(total);
}

static PyObject *Producer_flush(ProducerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"timeout", NULL};
    PyObject *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:flush", kws, &tmo)) return NULL;
    CHECK_OPEN(self);
    int ms = timeout_ms_from_py(tmo, -1);
    if (ms == -2) return NULL;
    int64_t deadline = ms < 0 ? -1 : mono_ms() + ms;
    for (;;) {
        int s = slice_ms(deadline);
        CallState cs;
        cs_begin(&cs);
        kc_err_t err = kc_producer_flush(self->p, s);
        if (err && s == 0) kc_producer_poll(self->p, 0);
        if (cs_end(&cs) < 0) return NULL;
        if (!err || s == 0) break;
        if (PyErr_CheckSignals() < 0) return NULL;
    }
    return PyLong_FromLong(kc_producer_outq_len(self->p));
}

static PyObject *Producer_purge(ProducerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"in_queue", "in_flight", "blocking", NULL};
    int in_queue = 1, in_flight = 1, blocking = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|ppp:purge", kws, &in_queue, &in_flight,
                                     &blocking))
        return NULL;
    CHECK_OPEN(self);
    if (in_queue) {
        Py_BEGIN_ALLOW_THREADS
        kc_producer_purge(self->p);
        Py_END_ALLOW_THREADS
    }
    Py_RETURN_NONE;
}

static PyObject *Producer_list_topics(ProducerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"topic", "timeout", NULL};
    PyObject *topic = NULL, *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:list_topics", kws, &topic, &tmo))
        return NULL;
    CHECK_OPEN(self);
    return list_topics_impl(self->meta_conf, topic, tmo, self->x.request_timeout_ms);
}

static PyObject *Producer_close(ProducerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"timeout", NULL};
    PyObject *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:close", kws, &tmo)) return NULL;
    if (!self->p) Py_RETURN_TRUE;
    kc_producer_t *p = self->p;
    self->p = NULL;
    CallState cs;
    cs_begin(&cs);
    kc_producer_destroy(p);
    if (cs_end(&cs) < 0) return NULL;
    Py_RETURN_TRUE;
}

static PyObject *Producer_enter(ProducerObject *self, PyObject *unused) {
    Py_INCREF(self);
    return (PyObject *)self;
}

static PyObject *Producer_exit(ProducerObject *self, PyObject *args) {
    if (self->p) {
        PyObject *r = PyObject_CallMethod((PyObject *)self, "flush", NULL);
        if (!r) return NULL;
        Py_DECREF(r);
        r = PyObject_CallMethod((PyObject *)self, "close", NULL);
        if (!r) return NULL;
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}

static PyObject *not_supported(ProducerObject *self, PyObject *args, PyObject *kwargs) {
    return raise_kafka(KC_ERR__NOT_IMPLEMENTED,
                       "transactions are not supported by kafkac yet");
}

static PyObject *Producer_set_sasl_credentials(ProducerObject *self, PyObject *args) {
    return raise_kafka(KC_ERR__NOT_IMPLEMENTED, "SASL is not supported by kafkac yet");
}

static Py_ssize_t Producer_len(ProducerObject *self) {
    return self->p ? kc_producer_outq_len(self->p) : 0;
}

static int Producer_bool(ProducerObject *self) { return 1; }

static PyMethodDef Producer_methods[] = {
    {"produce", (PyCFunction)(void (*)(void))Producer_produce, METH_VARARGS | METH_KEYWORDS,
     "produce(topic, value=None, key=None, partition=-1, on_delivery=None, timestamp=0, "
     "headers=None)\n\nQueues a record. Raises BufferError when the queue is full (call "
     "poll() and retry) and KafkaException on other errors. on_delivery(err, msg) is called "
     "from poll() / flush()."},
    {"poll", (PyCFunction)(void (*)(void))Producer_poll, METH_VARARGS | METH_KEYWORDS,
     "poll(timeout=None)\n\nServes delivery reports and other callbacks, waiting up to "
     "timeout seconds (None: forever) for the first. Returns the number of events served."},
    {"flush", (PyCFunction)(void (*)(void))Producer_flush, METH_VARARGS | METH_KEYWORDS,
     "flush(timeout=None)\n\nWaits until every queued record is delivered (callbacks run "
     "here). Returns the number of records still queued (0 unless the timeout expired)."},
    {"purge", (PyCFunction)(void (*)(void))Producer_purge, METH_VARARGS | METH_KEYWORDS,
     "purge(in_queue=True, in_flight=True, blocking=True)\n\nFails the records not yet sent "
     "with _PURGE_QUEUE (reported by the next poll()). Records in flight complete normally."},
    {"list_topics", (PyCFunction)(void (*)(void))Producer_list_topics,
     METH_VARARGS | METH_KEYWORDS,
     "list_topics(topic=None, timeout=-1)\n\nCluster metadata as a ClusterMetadata object."},
    {"close", (PyCFunction)(void (*)(void))Producer_close, METH_VARARGS | METH_KEYWORDS,
     "close()\n\nDestroys the producer: undelivered records fail with _DESTROY (their "
     "delivery callbacks run here). Call flush() first."},
    {"init_transactions", (PyCFunction)(void (*)(void))not_supported,
     METH_VARARGS | METH_KEYWORDS, "Not supported yet: raises KafkaException(_NOT_IMPLEMENTED)."},
    {"begin_transaction", (PyCFunction)(void (*)(void))not_supported,
     METH_VARARGS | METH_KEYWORDS, "Not supported yet."},
    {"commit_transaction", (PyCFunction)(void (*)(void))not_supported,
     METH_VARARGS | METH_KEYWORDS, "Not supported yet."},
    {"abort_transaction", (PyCFunction)(void (*)(void))not_supported,
     METH_VARARGS | METH_KEYWORDS, "Not supported yet."},
    {"send_offsets_to_transaction", (PyCFunction)(void (*)(void))not_supported,
     METH_VARARGS | METH_KEYWORDS, "Not supported yet."},
    {"set_sasl_credentials", (PyCFunction)Producer_set_sasl_credentials, METH_VARARGS,
     "Not supported yet."},
    {"__enter__", (PyCFunction)Producer_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)Producer_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}};

static PySequenceMethods Producer_seq = {.sq_length = (lenfunc)Producer_len};
static PyNumberMethods Producer_num = {.nb_bool = (inquiry)Producer_bool};

PyTypeObject ProducerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kafkac.Producer",
    .tp_basicsize = sizeof(ProducerObject),
    .tp_dealloc = (destructor)Producer_dealloc,
    .tp_as_number = &Producer_num,
    .tp_as_sequence = &Producer_seq,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Producer(config)\n\nAsynchronous Kafka producer. config is a dict of "
              "configuration keys (docs/CONFIGURATION.md) plus on_delivery, error_cb, logger, "
              "stats_cb, throttle_cb.",
    .tp_traverse = (traverseproc)Producer_traverse,
    .tp_clear = (inquiry)Producer_clear,
    .tp_methods = Producer_methods,
    .tp_init = (initproc)Producer_init,
    .tp_new = Producer_new,
};

int producer_init(PyObject *m) {
    if (PyType_Ready(&ProducerType) < 0) return -1;
    Py_INCREF(&ProducerType);
    return PyModule_AddObject(m, "Producer", (PyObject *)&ProducerType);
}
