/* Consumer */
#include "kafkac_py.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    kc_consumer_t *c;
    kc_conf_t *meta_conf;
    PyConfExtra x;
    PyObject *on_assign, *on_revoke, *on_lost;
    PyObject *pending; /* Messages kept back when a callback raised in poll/consume */
    TopicCache tc;
    volatile int destroying;
    int capture;
    kc_tplist_t *captured;
    kc_message_t **batch;
    int batch_cap;
} ConsumerObject;

/* ------------------------------------------------------------ callbacks */

static void rebalance_cb(kc_consumer_t *c, int event, const kc_tplist_t *parts, void *opaque) {
    ConsumerObject *self = opaque;
    if (self->destroying) return;
    PyObject *cb = event == KC_REBALANCE_ASSIGN   ? self->on_assign
                   : event == KC_REBALANCE_REVOKE ? self->on_revoke
                   : self->on_lost                ? self->on_lost
                                                  : self->on_revoke;
    if (!cb) return; /* the library applies the change itself */
    CbGil g;
    cb_gil_acquire(&g);
    Py_INCREF(cb);
    PyObject *list = py_from_tplist(parts);
    PyObject *r = list ? PyObject_CallFunctionObjArgs(cb, (PyObject *)self, list, NULL) : NULL;
    Py_XDECREF(list);
    if (!r)
        cb_record_exception(&g, cb);
    else
        Py_DECREF(r);
    Py_DECREF(cb);
    cb_gil_release(&g);
}

static void commit_cb(kc_consumer_t *c, kc_err_t err, const kc_tplist_t *offsets, void *opaque) {
    ConsumerObject *self = opaque;
    if (self->capture && !self->captured) self->captured = kc_tplist_copy(offsets);
    if (self->destroying || !self->x.on_commit) return;
    CbGil g;
    cb_gil_acquire(&g);
    PyObject *cb = self->x.on_commit;
    if (cb) {
        Py_INCREF(cb);
        PyObject *eo = err ? kafkaerror_from_code(err, NULL) : (Py_INCREF(Py_None), Py_None);
        PyObject *list = eo ? py_from_tplist(offsets) : NULL;
        PyObject *r = list ? PyObject_CallFunctionObjArgs(cb, eo, list, NULL) : NULL;
        Py_XDECREF(eo);
        Py_XDECREF(list);
        if (!r)
            cb_record_exception(&g, cb);
        else
            Py_DECREF(r);
        Py_DECREF(cb);
    }
    cb_gil_release(&g);
}

static void error_cb(void *client, const kc_error_t *err, void *opaque) {
    ConsumerObject *self = opaque;
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
    ConsumerObject *self = opaque;
    if (self->destroying || !self->x.logger) return;
    CbGil g;
    cb_gil_acquire(&g);
    if (self->x.logger && call_logger(self->x.logger, self->x.client_id, level, fac, msg) < 0)
        cb_record_exception(&g, self->x.logger);
    cb_gil_release(&g);
}

/* ------------------------------------------------------------ type */

static PyObject *Consumer_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    return type->tp_alloc(type, 0);
}

static int Consumer_init(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    if (self->c) {
        PyErr_SetString(PyExc_RuntimeError, "Consumer already initialized");
        return -1;
    }
    PyObject *dict = NULL;
    if (!PyArg_ParseTuple(args, "|O:Consumer", &dict)) return -1;
    PyConfExtra x;
    kc_conf_t *conf = conf_from_py(dict, kwargs, ROLE_CONSUMER, &x);
    if (!conf) return -1;
    conf_extra_clear(&self->x);
    self->x = x;
    kc_conf_destroy(self->meta_conf);
    /* Metadata requests use the common keys only. */
    self->meta_conf = kc_conf_new();
    if (self->meta_conf) {
        static const char *common[] = {"bootstrap.servers", "client.id", "request.timeout.ms",
                                       "socket.connection.setup.timeout.ms",
                                       "reconnect.backoff.ms", "log_level", NULL};
        for (int i = 0; common[i]; i++) {
            char buf[1024];
            if (kc_conf_get(conf, common[i], buf, sizeof buf, NULL) == KC_ERR_NO_ERROR && *buf)
                kc_conf_set(self->meta_conf, common[i], buf, NULL, 0);
        }
    }
    kc_conf_set_opaque(conf, self);
    kc_conf_set_rebalance_cb(conf, rebalance_cb);
    kc_conf_set_offset_commit_cb(conf, commit_cb);
    if (x.error_cb) kc_conf_set_error_cb(conf, error_cb);
    if (x.logger) kc_conf_set_log_cb(conf, log_cb);
    char errstr[512] = "";
    kc_consumer_t *c;
    Py_BEGIN_ALLOW_THREADS
    c = kc_consumer_new(conf, errstr, sizeof errstr);
    Py_END_ALLOW_THREADS
    kc_conf_destroy(conf);
    if (!c) {
        raise_kafka(KC_ERR__INVALID_ARG, errstr);
        return -1;
    }
    self->c = c;
    return 0;
}

static int Consumer_traverse(ConsumerObject *self, visitproc visit, void *arg) {
    Py_VISIT(self->on_assign);
    Py_VISIT(self->on_revoke);
    Py_VISIT(self->on_lost);
    Py_VISIT(self->pending);
    return conf_extra_traverse(&self->x, visit, arg);
}

static int Consumer_clear(ConsumerObject *self) {
    Py_CLEAR(self->on_assign);
    Py_CLEAR(self->on_revoke);
    Py_CLEAR(self->on_lost);
    Py_CLEAR(self->pending);
    conf_extra_clear(&self->x);
    return 0;
}

static void consumer_destroy_handle(ConsumerObject *self) {
    kc_consumer_t *c = self->c;
    if (!c) return;
    self->c = NULL;
    self->destroying = 1;
    CallState cs;
    cs_begin(&cs);
    kc_consumer_destroy(c);
    if (cs_end(&cs) < 0) PyErr_WriteUnraisable((PyObject *)self);
}

static void Consumer_dealloc(ConsumerObject *self) {
    PyObject_GC_UnTrack(self);
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);
    consumer_destroy_handle(self);
    PyErr_Restore(et, ev, etb);
    kc_conf_destroy(self->meta_conf);
    kc_tplist_destroy(self->captured);
    free(self->batch);
    topic_cache_clear(&self->tc);
    Consumer_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define CHECK_OPEN(self)                                              \
    do {                                                              \
        if (!(self)->c) {                                             \
            PyErr_SetString(PyExc_RuntimeError, "Consumer closed");   \
            return NULL;                                              \
        }                                                             \
    } while (0)

static int slice_ms(int64_t deadline) {
    if (deadline < 0) return 100;
    int64_t left = deadline - mono_ms();
    if (left <= 0) return 0;
    return left > 100 ? 100 : (int)left;
}

/* Keeps messages for the next poll()/consume() when a callback raised. */
static int stash(ConsumerObject *self, PyObject *msgs_list) {
    if (!msgs_list || PyList_GET_SIZE(msgs_list) == 0) return 0;
    if (!self->pending) {
        self->pending = PyList_New(0);
        if (!self->pending) return -1;
    }
    return PyList_SetSlice(self->pending, PyList_GET_SIZE(self->pending),
                           PyList_GET_SIZE(self->pending), msgs_list);
}

/* ------------------------------------------------------------ poll, consume */

static PyObject *Consumer_poll(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"timeout", NULL};
    PyObject *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:poll", kws, &tmo)) return NULL;
    CHECK_OPEN(self);
    int ms = timeout_ms_from_py(tmo, -1);
    if (ms == -2) return NULL;
    if (self->pending && PyList_GET_SIZE(self->pending) > 0) {
        PyObject *m = PyList_GET_ITEM(self->pending, 0);
        Py_INCREF(m);
        PySequence_DelItem(self->pending, 0);
        return m;
    }
    int64_t deadline = ms < 0 ? -1 : mono_ms() + ms;
    for (;;) {
        int s = slice_ms(deadline);
        CallState cs;
        cs_begin(&cs);
        kc_message_t *km = kc_consumer_poll(self->c, s);
        int rc = cs_end(&cs);
        if (km) {
            PyObject *et = NULL, *ev = NULL, *etb = NULL;
            if (rc < 0) PyErr_Fetch(&et, &ev, &etb);
            PyObject *m = message_from_kc(km, &self->tc);
            kc_message_destroy(km);
            if (rc < 0) {
                if (m) {
                    PyObject *l = PyList_New(1);
                    if (l) {
                        PyList_SET_ITEM(l, 0, m);
                        stash(self, l);
                        Py_DECREF(l);
                    } else {
                        Py_DECREF(m);
                    }
                }
                PyErr_Restore(et, ev, etb);
                return NULL;
            }
            return m;
        }
        if (rc < 0) return NULL;
        if (s == 0 || (deadline >= 0 && mono_ms() >= deadline)) Py_RETURN_NONE;
        if (PyErr_CheckSignals() < 0) return NULL;
    }
}

static PyObject *Consumer_consume(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"num_messages", "timeout", NULL};
    int num = 1;
    PyObject *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|iO:consume", kws, &num, &tmo)) return NULL;
    CHECK_OPEN(self);
    if (num < 0 || num > 1000000) {
        PyErr_SetString(PyExc_ValueError, "num_messages must be between 0 and 1000000 (1M)");
        return NULL;
    }
    int ms = timeout_ms_from_py(tmo, -1);
    if (ms == -2) return NULL;
    PyObject *out = PyList_New(0);
    if (!out || num == 0) return out;
    if (self->pending && PyList_GET_SIZE(self->pending) > 0) {
        Py_ssize_t take = PyList_GET_SIZE(self->pending);
        if (take > num) take = num;
        PyObject *part = PyList_GetSlice(self->pending, 0, take);
        if (!part || PyList_SetSlice(out, 0, 0, part) < 0 ||
            PyList_SetSlice(self->pending, 0, take, NULL) < 0) {
            Py_XDECREF(part);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(part);
        if (PyList_GET_SIZE(out) >= num) return out;
    }
    if (self->batch_cap < num) {
        kc_message_t **b = realloc(self->batch, sizeof(*b) * (size_t)num);
        if (!b) {
            Py_DECREF(out);
            return PyErr_NoMemory();
        }
        self->batch = b;
        self->batch_cap = num;
    }
    int64_t deadline = ms < 0 ? -1 : mono_ms() + ms;
    for (;;) {
        int want = num - (int)PyList_GET_SIZE(out);
        int s = slice_ms(deadline);
        CallState cs;
        cs_begin(&cs);
        int n = kc_consumer_poll_batch(self->c, self->batch, want, s);
        int rc = cs_end(&cs);
        PyObject *et = NULL, *ev = NULL, *etb = NULL;
        if (rc < 0) PyErr_Fetch(&et, &ev, &etb);
        int oom = 0;
        for (int i = 0; i < n; i++) {
            kc_message_t *km = self->batch[i];
            if (!oom) {
                PyObject *m = message_from_kc(km, &self->tc);
                if (!m || PyList_Append(out, m) < 0) oom = 1;
                Py_XDECREF(m);
            }
            kc_message_destroy(km);
        }
        if (rc < 0) {
            PyErr_Clear();
            stash(self, out);
            Py_DECREF(out);
            PyErr_Restore(et, ev, etb);
            return NULL;
        }
        if (oom) {
            Py_DECREF(out);
            return NULL;
        }
        if (PyList_GET_SIZE(out) >= num) break;
        if (s == 0 || (deadline >= 0 && mono_ms() >= deadline)) break;
        if (PyErr_CheckSignals() < 0) {
            PyErr_Fetch(&et, &ev, &etb);
            stash(self, out);
            Py_DECREF(out);
            PyErr_Restore(et, ev, etb);
            return NULL;
        }
    }
    return out;
}

/* ------------------------------------------------------------ subscription, assignment */

static int check_cb(PyObject **slot, PyObject *v, const char *name) {
    if (!v || v == Py_None) {
        Py_CLEAR(*slot);
        return 0;
    }
    if (!PyCallable_Check(v)) {
        PyErr_Format(PyExc_TypeError, "%s must be callable", name);
        return -1;
    }
    Py_INCREF(v);
    Py_XSETREF(*slot, v);
    return 0;
}

static PyObject *Consumer_subscribe(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"topics", "on_assign", "on_revoke", "on_lost", NULL};
    PyObject *topics, *oa = NULL, *orv = NULL, *ol = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OOO:subscribe", kws, &topics, &oa, &orv,
                                     &ol))
        return NULL;
    CHECK_OPEN(self);
    if (!PyList_Check(topics) && !PyTuple_Check(topics)) {
        PyErr_SetString(PyExc_TypeError, "expected list of topic unicode strings");
        return NULL;
    }
    PyObject *fast = PySequence_Fast(topics, "topics");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    const char **names = calloc((size_t)n + 1, sizeof *names);
    if (!names) {
        Py_DECREF(fast);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(t)) {
            PyErr_SetString(PyExc_TypeError, "expected list of topic unicode strings");
            goto fail;
        }
        names[i] = PyUnicode_AsUTF8(t);
        if (!names[i]) goto fail;
    }
    PyObject *na = NULL, *nr = NULL, *nl = NULL;
    if (check_cb(&na, oa, "on_assign") < 0 || check_cb(&nr, orv, "on_revoke") < 0 ||
        check_cb(&nl, ol, "on_lost") < 0) {
        Py_XDECREF(na);
        Py_XDECREF(nr);
        Py_XDECREF(nl);
        goto fail;
    }
    Py_XSETREF(self->on_assign, na);
    Py_XSETREF(self->on_revoke, nr);
    Py_XSETREF(self->on_lost, nl);
    char errstr[512] = "";
    kc_err_t err = kc_consumer_subscribe(self->c, names, (size_t)n, errstr, sizeof errstr);
    free(names);
    Py_DECREF(fast);
    if (err) return raise_kafka(err, errstr);
    Py_RETURN_NONE;
fail:
    free(names);
    Py_DECREF(fast);
    return NULL;
}

static PyObject *Consumer_unsubscribe(ConsumerObject *self, PyObject *unused) {
    CHECK_OPEN(self);
    kc_err_t err = kc_consumer_unsubscribe(self->c);
    if (err) return raise_kafka(err, NULL);
    Py_RETURN_NONE;
}

typedef kc_err_t (*tplist_fn)(kc_consumer_t *, const kc_tplist_t *);

static PyObject *tplist_call(ConsumerObject *self, PyObject *parts, tplist_fn fn) {
    CHECK_OPEN(self);
    kc_tplist_t *l = tplist_from_py(parts, 1);
    if (!l) return NULL;
    kc_err_t err = fn(self->c, l);
    kc_tplist_destroy(l);
    if (err) return raise_kafka(err, NULL);
    Py_RETURN_NONE;
}

static PyObject *Consumer_assign(ConsumerObject *self, PyObject *parts) {
    return tplist_call(self, parts, kc_consumer_assign);
}
static PyObject *Consumer_incremental_assign(ConsumerObject *self, PyObject *parts) {
    return tplist_call(self, parts, kc_consumer_incremental_assign);
}
static PyObject *Consumer_incremental_unassign(ConsumerObject *self, PyObject *parts) {
    return tplist_call(self, parts, kc_consumer_incremental_unassign);
}
static PyObject *Consumer_pause(ConsumerObject *self, PyObject *parts) {
    return tplist_call(self, parts, kc_consumer_pause);
}
static PyObject *Consumer_resume(ConsumerObject *self, PyObject *parts) {
    return tplist_call(self, parts, kc_consumer_resume);
}

static PyObject *Consumer_unassign(ConsumerObject *self, PyObject *unused) {
    CHECK_OPEN(self);
    kc_err_t err = kc_consumer_assign(self->c, NULL);
    if (err) return raise_kafka(err, NULL);
    Py_RETURN_NONE;
}

static PyObject *Consumer_assignment(ConsumerObject *self, PyObject *unused) {
    CHECK_OPEN(self);
    kc_tplist_t *l = NULL;
    kc_err_t err = kc_consumer_assignment(self->c, &l);
    if (err) return raise_kafka(err, NULL);
    PyObject *r = py_from_tplist(l);
    kc_tplist_destroy(l);
    return r;
}

static PyObject *Consumer_subscription(ConsumerObject *self, PyObject *unused) {
    CHECK_OPEN(self);
    kc_tplist_t *l = NULL;
    kc_err_t err = kc_consumer_subscription(self->c, &l);
    if (err) return raise_kafka(err, NULL);
    int n = kc_tplist_count(l);
    PyObject *r = PyList_New(n);
    for (int i = 0; r && i < n; i++) {
        PyObject *s = PyUnicode_FromString(kc_tplist_topic(l, i));
        if (!s) {
            Py_CLEAR(r);
            break;
        }
        PyList_SET_ITEM(r, i, s);
    }
    kc_tplist_destroy(l);
    return r;
}

/* ------------------------------------------------------------ offsets */

static PyObject *Consumer_commit(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"message", "offsets", "asynchronous", "async", NULL};
    PyObject *msg = NULL, *offsets = NULL, *async_o = NULL, *async2 = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OOOO:commit", kws, &msg, &offsets,
                                     &async_o, &async2))
        return NULL;
    CHECK_OPEN(self);
    if (msg == Py_None) msg = NULL;
    if (offsets == Py_None) offsets = NULL;
    if (msg && offsets) {
        PyErr_SetString(PyExc_ValueError, "message and offsets are mutually exclusive");
        return NULL;
    }
    int async = 1;
    PyObject *ao = async_o ? async_o : async2;
    if (ao) {
        async = PyObject_IsTrue(ao);
        if (async < 0) return NULL;
    }
    kc_tplist_t *l = NULL;
    if (msg) {
        if (!PyObject_TypeCheck(msg, &MessageType)) {
            PyErr_SetString(PyExc_TypeError, "expected message object");
            return NULL;
        }
        MessageObject *m = (MessageObject *)msg;
        if (!m->topic || !PyUnicode_Check(m->topic) || m->partition < 0 || m->offset < 0) {
            return raise_kafka(KC_ERR__INVALID_ARG,
                               "commit(message): the message has no topic, partition or offset");
        }
        const char *t = PyUnicode_AsUTF8(m->topic);
        if (!t) return NULL;
        l = kc_tplist_new(1);
        if (!l || kc_tplist_add(l, t, m->partition) < 0) {
            kc_tplist_destroy(l);
            return PyErr_NoMemory();
        }
        kc_tplist_set_offset(l, 0, m->offset + 1);
        if (m->leader_epoch >= 0) kc_tplist_set_leader_epoch(l, 0, m->leader_epoch);
    } else if (offsets) {
        l = tplist_from_py(offsets, 1);
        if (!l) return NULL;
    }
    kc_err_t err;
    CallState cs;
    if (async) {
        cs_begin(&cs);
        err = kc_consumer_commit(self->c, l, 1);
        int rc = cs_end(&cs);
        kc_tplist_destroy(l);
        if (rc < 0) return NULL;
        if (err) return raise_kafka(err, NULL);
        Py_RETURN_NONE;
    }
    int saved_capture = self->capture;
    kc_tplist_t *saved = self->captured;
    self->capture = 1;
    self->captured = NULL;
    cs_begin(&cs);
    err = kc_consumer_commit(self->c, l, 0);
    int rc = cs_end(&cs);
    kc_tplist_t *result = self->captured;
    self->captured = saved;
    self->capture = saved_capture;
    PyObject *r = NULL;
    if (rc < 0)
        r = NULL;
    else if (err)
        raise_kafka(err, NULL);
    else
        r = py_from_tplist(result ? result : l);
    kc_tplist_destroy(result);
    kc_tplist_destroy(l);
    return r;
}

static PyObject *Consumer_committed(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"partitions", "timeout", NULL};
    PyObject *parts, *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:committed", kws, &parts, &tmo))
        return NULL;
    CHECK_OPEN(self);
    int ms = timeout_ms_from_py(tmo, -1);
    if (ms == -2) return NULL;
    kc_tplist_t *l = tplist_from_py(parts, 0);
    if (!l) return NULL;
    CallState cs;
    cs_begin(&cs);
    kc_err_t err = kc_consumer_committed(self->c, l, ms);
    int rc = cs_end(&cs);
    PyObject *r = NULL;
    if (rc == 0) r = err ? raise_kafka(err, NULL) : py_from_tplist(l);
    kc_tplist_destroy(l);
    return r;
}

static PyObject *Consumer_position(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"partitions", NULL};
    PyObject *parts;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:position", kws, &parts)) return NULL;
    CHECK_OPEN(self);
    kc_tplist_t *l = tplist_from_py(parts, 0);
    if (!l) return NULL;
    kc_err_t err = kc_consumer_position(self->c, l);
    PyObject *r = err ? raise_kafka(err, NULL) : py_from_tplist(l);
    kc_tplist_destroy(l);
    return r;
}

static PyObject *Consumer_seek(ConsumerObject *self, PyObject *tp) {
    CHECK_OPEN(self);
    if (!PyObject_TypeCheck(tp, &TopicPartitionType)) {
        PyErr_SetString(PyExc_TypeError, "expected a TopicPartition");
        return NULL;
    }
    TopicPartitionObject *t = (TopicPartitionObject *)tp;
    const char *topic = t->topic ? PyUnicode_AsUTF8(t->topic) : NULL;
    if (!topic) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "TopicPartition without a topic");
        return NULL;
    }
    kc_err_t err = kc_consumer_seek(self->c, topic, t->partition, t->offset);
    if (err)
        return raise_kafka_fmt(err, "Failed to seek to offset %lld: %s", (long long)t->offset,
                               kc_err_desc(err));
    Py_RETURN_NONE;
}

static PyObject *Consumer_get_watermark_offsets(ConsumerObject *self, PyObject *args,
                                                PyObject *kwargs) {
    static char *kws[] = {"partition", "timeout", "cached", NULL};
    PyObject *tp, *tmo = NULL;
    int cached = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|Op:get_watermark_offsets", kws, &tp, &tmo,
                                     &cached))
        return NULL;
    CHECK_OPEN(self);
    if (!PyObject_TypeCheck(tp, &TopicPartitionType)) {
        PyErr_SetString(PyExc_TypeError, "expected a TopicPartition");
        return NULL;
    }
    TopicPartitionObject *t = (TopicPartitionObject *)tp;
    const char *topic = t->topic ? PyUnicode_AsUTF8(t->topic) : NULL;
    if (!topic) return NULL;
    int ms = timeout_ms_from_py(tmo, -1);
    if (ms == -2) return NULL;
    int64_t lo = KC_OFFSET_INVALID, hi = KC_OFFSET_INVALID;
    kc_err_t err;
    if (cached) {
        err = kc_consumer_get_watermark_offsets(self->c, topic, t->partition, &lo, &hi);
    } else {
        CallState cs;
        cs_begin(&cs);
        err = kc_consumer_query_watermark_offsets(self->c, topic, t->partition, &lo, &hi, ms);
        if (cs_end(&cs) < 0) return NULL;
    }
    if (err)
        return raise_kafka_fmt(err, "Failed to get watermark offsets: %s", kc_err_desc(err));
    return Py_BuildValue("(LL)", (long long)lo, (long long)hi);
}

static PyObject *Consumer_offsets_for_times(ConsumerObject *self, PyObject *args,
                                            PyObject *kwargs) {
    static char *kws[] = {"partitions", "timeout", NULL};
    PyObject *parts, *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:offsets_for_times", kws, &parts, &tmo))
        return NULL;
    CHECK_OPEN(self);
    int ms = timeout_ms_from_py(tmo, -1);
    if (ms == -2) return NULL;
    kc_tplist_t *l = tplist_from_py(parts, 1);
    if (!l) return NULL;
    CallState cs;
    cs_begin(&cs);
    kc_err_t err = kc_consumer_offsets_for_times(self->c, l, ms);
    int rc = cs_end(&cs);
    PyObject *r = NULL;
    if (rc == 0) {
        /* Per-partition errors are on the entries; a whole-call failure
         * (every entry failed the same way) raises. */
        int all = kc_tplist_count(l) > 0;
        for (int i = 0; i < kc_tplist_count(l); i++)
            if (kc_tplist_error(l, i) != err) all = 0;
        r = (err && all) ? raise_kafka(err, NULL) : py_from_tplist(l);
    }
    kc_tplist_destroy(l);
    return r;
}

/* store_offsets(message=None, offsets=None): the offsets the next commit
 * takes (enable.auto.offset.store=false), as confluent_kafka. */
static PyObject *Consumer_store_offsets(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"message", "offsets", NULL};
    PyObject *msg = NULL, *offsets = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:store_offsets", kws, &msg, &offsets))
        return NULL;
    CHECK_OPEN(self);
    if (msg == Py_None) msg = NULL;
    if (offsets == Py_None) offsets = NULL;
    if (!!msg == !!offsets) {
        PyErr_SetString(PyExc_ValueError, "exactly one of message and offsets is required");
        return NULL;
    }
    kc_tplist_t *l = NULL;
    if (msg) {
        if (!PyObject_TypeCheck(msg, &MessageType)) {
            PyErr_SetString(PyExc_TypeError, "expected message object");
            return NULL;
        }
        MessageObject *m = (MessageObject *)msg;
        const char *t = m->topic && PyUnicode_Check(m->topic) ? PyUnicode_AsUTF8(m->topic) : NULL;
        if (!t || m->partition < 0 || m->offset < 0)
            return raise_kafka(KC_ERR__INVALID_ARG,
                               "store_offsets(message): the message has no topic, partition or "
                               "offset");
        l = kc_tplist_new(1);
        if (!l || kc_tplist_add(l, t, m->partition) < 0) {
            kc_tplist_destroy(l);
            return PyErr_NoMemory();
        }
        kc_tplist_set_offset(l, 0, m->offset + 1);
        if (m->leader_epoch >= 0) kc_tplist_set_leader_epoch(l, 0, m->leader_epoch);
    } else {
        l = tplist_from_py(offsets, 1);
        if (!l) return NULL;
    }
    kc_err_t err = kc_consumer_offsets_store(self->c, l);
    kc_tplist_destroy(l);
    if (err)
        return raise_kafka_fmt(err, "store_offsets failed: %s%s", kc_err_desc(err),
                               err == KC_ERR__INVALID_ARG
                                   ? " (needs enable.auto.offset.store=false)"
                                   : "");
    Py_RETURN_NONE;
}

static PyObject *Consumer_consumer_group_metadata(ConsumerObject *self, PyObject *unused) {
    return raise_kafka(KC_ERR__NOT_IMPLEMENTED,
                       "consumer_group_metadata() (transactions) is not supported by kafkac yet");
}

static PyObject *Consumer_set_sasl_credentials(ConsumerObject *self, PyObject *args) {
    return raise_kafka(KC_ERR__NOT_IMPLEMENTED, "SASL is not supported by kafkac yet");
}

static PyObject *Consumer_memberid(ConsumerObject *self, PyObject *unused) {
    CHECK_OPEN(self);
    char buf[512] = "";
    kc_consumer_memberid(self->c, buf, sizeof buf);
    if (!*buf) Py_RETURN_NONE;
    return PyUnicode_FromString(buf);
}

static PyObject *Consumer_list_topics(ConsumerObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"topic", "timeout", NULL};
    PyObject *topic = NULL, *tmo = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:list_topics", kws, &topic, &tmo))
        return NULL;
    CHECK_OPEN(self);
    return list_topics_impl(self->meta_conf, topic, tmo, self->x.request_timeout_ms);
}

static PyObject *Consumer_close(ConsumerObject *self, PyObject *unused) {
    if (!self->c) Py_RETURN_NONE;
    CallState cs;
    cs_begin(&cs);
    kc_consumer_close(self->c);
    int rc = cs_end(&cs);
    PyObject *et = NULL, *ev = NULL, *etb = NULL;
    if (rc < 0) PyErr_Fetch(&et, &ev, &etb);
    consumer_destroy_handle(self);
    Py_CLEAR(self->pending);
    if (rc < 0) {
        PyErr_Restore(et, ev, etb);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *Consumer_enter(ConsumerObject *self, PyObject *unused) {
    Py_INCREF(self);
    return (PyObject *)self;
}

static PyObject *Consumer_exit(ConsumerObject *self, PyObject *args) {
    PyObject *r = Consumer_close(self, NULL);
    if (!r) return NULL;
    Py_DECREF(r);
    Py_RETURN_NONE;
}

#define M(name, fn, flags, doc) {name, (PyCFunction)(void (*)(void))fn, flags, doc}
static PyMethodDef Consumer_methods[] = {
    M("subscribe", Consumer_subscribe, METH_VARARGS | METH_KEYWORDS,
      "subscribe(topics, on_assign=None, on_revoke=None, on_lost=None)\n\nSubscribes to "
      "topics (names starting with ^ are regular expressions). The callbacks get "
      "(consumer, [TopicPartition]) and run inside poll()/consume()/close()."),
    M("unsubscribe", Consumer_unsubscribe, METH_NOARGS, "unsubscribe()"),
    M("poll", Consumer_poll, METH_VARARGS | METH_KEYWORDS,
      "poll(timeout=None)\n\nThe next Message (a record, or an event with error() set), or "
      "None after timeout seconds (None: wait forever)."),
    M("consume", Consumer_consume, METH_VARARGS | METH_KEYWORDS,
      "consume(num_messages=1, timeout=-1)\n\nUp to num_messages Messages, waiting up to "
      "timeout seconds for them."),
    M("assign", Consumer_assign, METH_O, "assign(partitions)"),
    M("unassign", Consumer_unassign, METH_NOARGS, "unassign()"),
    M("incremental_assign", Consumer_incremental_assign, METH_O,
      "incremental_assign(partitions)"),
    M("incremental_unassign", Consumer_incremental_unassign, METH_O,
      "incremental_unassign(partitions)"),
    M("assignment", Consumer_assignment, METH_NOARGS,
      "assignment()\n\nThe current assignment as a list of TopicPartition."),
    M("subscription", Consumer_subscription, METH_NOARGS,
      "subscription()\n\nThe subscribed topic names."),
    M("commit", Consumer_commit, METH_VARARGS | METH_KEYWORDS,
      "commit(message=None, offsets=None, asynchronous=True)\n\nCommits the offset after "
      "message, the given offsets, or the current positions. Synchronous commits return the "
      "committed TopicPartitions (each with its error); asynchronous ones return None and "
      "report through on_commit."),
    M("committed", Consumer_committed, METH_VARARGS | METH_KEYWORDS,
      "committed(partitions, timeout=None)\n\nThe group's committed offsets."),
    M("position", Consumer_position, METH_VARARGS | METH_KEYWORDS,
      "position(partitions)\n\nThe offset of the next record poll() returns per partition."),
    M("seek", Consumer_seek, METH_O, "seek(partition)\n\nMoves an assigned partition's position."),
    M("pause", Consumer_pause, METH_O, "pause(partitions)"),
    M("resume", Consumer_resume, METH_O, "resume(partitions)"),
    M("get_watermark_offsets", Consumer_get_watermark_offsets, METH_VARARGS | METH_KEYWORDS,
      "get_watermark_offsets(partition, timeout=None, cached=False)\n\n(low, high) offsets."),
    M("offsets_for_times", Consumer_offsets_for_times, METH_VARARGS | METH_KEYWORDS,
      "offsets_for_times(partitions, timeout=None)\n\nEach partition's offset holds a "
      "timestamp (ms); returns the earliest offsets whose timestamps are >= it."),
    M("store_offsets", Consumer_store_offsets, METH_VARARGS | METH_KEYWORDS,
      "Not supported: raises KafkaException(_NOT_IMPLEMENTED)."),
    M("consumer_group_metadata", Consumer_consumer_group_metadata, METH_NOARGS,
      "Not supported yet."),
    M("set_sasl_credentials", Consumer_set_sasl_credentials, METH_VARARGS, "Not supported yet."),
    M("memberid", Consumer_memberid, METH_NOARGS,
      "memberid()\n\nThe group member id, or None before joining."),
    M("list_topics", Consumer_list_topics, METH_VARARGS | METH_KEYWORDS,
      "list_topics(topic=None, timeout=-1)\n\nCluster metadata as a ClusterMetadata object."),
    M("close", Consumer_close, METH_NOARGS,
      "close()\n\nRevokes the assignment (on_revoke runs here), commits when "
      "enable.auto.commit is on, leaves the group and frees the consumer."),
    M("__enter__", Consumer_enter, METH_NOARGS, NULL),
    M("__exit__", Consumer_exit, METH_VARARGS, NULL),
    {NULL, NULL, 0, NULL}};
#undef M

PyTypeObject ConsumerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kafkac.Consumer",
    .tp_basicsize = sizeof(ConsumerObject),
    .tp_dealloc = (destructor)Consumer_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Consumer(config)\n\nKafka consumer (group or manual assignment). config is a "
              "dict of configuration keys plus on_commit, error_cb, logger, stats_cb.",
    .tp_traverse = (traverseproc)Consumer_traverse,
    .tp_clear = (inquiry)Consumer_clear,
    .tp_methods = Consumer_methods,
    .tp_init = (initproc)Consumer_init,
    .tp_new = Consumer_new,
};

int consumer_init(PyObject *m) {
    if (PyType_Ready(&ConsumerType) < 0) return -1;
    Py_INCREF(&ConsumerType);
    return PyModule_AddObject(m, "Consumer", (PyObject *)&ConsumerType);
}
