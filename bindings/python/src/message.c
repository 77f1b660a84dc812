/* Message: a consumed record or event, or a delivery report. */
#include "kafkac_py.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ topic cache */

PyObject *topic_cache_get(TopicCache *tc, const char *name) {
    if (!name) Py_RETURN_NONE;
    for (int i = 0; i < TOPIC_CACHE_SIZE; i++)
        if (tc->name[i] && strcmp(tc->name[i], name) == 0) {
            Py_INCREF(tc->obj[i]);
            return tc->obj[i];
        }
    PyObject *o = PyUnicode_DecodeUTF8(name, (Py_ssize_t)strlen(name), "replace");
    if (!o) return NULL;
    char *copy = strdup(name);
    if (copy) {
        int i = tc->next;
        tc->next = (tc->next + 1) % TOPIC_CACHE_SIZE;
        free(tc->name[i]);
        Py_XDECREF(tc->obj[i]);
        tc->name[i] = copy;
        Py_INCREF(o);
        tc->obj[i] = o;
    }
    return o;
}

void topic_cache_clear(TopicCache *tc) {
    for (int i = 0; i < TOPIC_CACHE_SIZE; i++) {
        free(tc->name[i]);
        tc->name[i] = NULL;
        Py_CLEAR(tc->obj[i]);
    }
    tc->next = 0;
}

/* ------------------------------------------------------------ type */

MessageObject *message_alloc(void) {
    MessageObject *m = PyObject_GC_New(MessageObject, &MessageType);
    if (!m) return NULL;
    m->topic = m->value = m->key = m->headers = m->error = NULL;
    m->partition = -1;
    m->offset = -1;
    m->timestamp = 0;
    m->tstype = KC_TIMESTAMP_NOT_AVAILABLE;
    m->leader_epoch = -1;
    m->latency = -1;
    return m;
}

static PyObject *headers_from_kc(const kc_message_t *km, size_t n) {
    PyObject *l = PyList_New((Py_ssize_t)n);
    if (!l) return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *name;
        size_t nlen, vlen;
        const void *val;
        kc_err_t err = kc_message_header(km, i, &name, &nlen, &val, &vlen);
        PyObject *t;
        if (err) {
            t = Py_BuildValue("(sO)", "", Py_None);
        } else {
            PyObject *pn = PyUnicode_DecodeUTF8(name, (Py_ssize_t)nlen, "replace");
            PyObject *pv = val ? PyBytes_FromStringAndSize(val, (Py_ssize_t)vlen)
                               : (Py_INCREF(Py_None), Py_None);
            t = (pn && pv) ? PyTuple_Pack(2, pn, pv) : NULL;
            Py_XDECREF(pn);
            Py_XDECREF(pv);
        }
        if (!t) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, t);
    }
    return l;
}

PyObject *message_from_kc(const kc_message_t *km, TopicCache *tc) {
    MessageObject *m = message_alloc();
    if (!m) return NULL;
    kc_err_t err = kc_message_error(km);
    const char *topic = kc_message_topic(km);
    if (topic) {
        m->topic = topic_cache_get(tc, topic);
        if (!m->topic) goto fail;
    }
    m->partition = kc_message_partition(km);
    m->offset = kc_message_offset(km);
    if (err) {
        m->error = kafkaerror_from_code(err, kc_message_errstr(km));
        if (!m->error) goto fail;
    } else {
        size_t len;
        const void *p = kc_message_value(km, &len);
        if (p) {
            m->value = PyBytes_FromStringAndSize(p, (Py_ssize_t)len);
            if (!m->value) goto fail;
        }
        p = kc_message_key(km, &len);
        if (p) {
            m->key = PyBytes_FromStringAndSize(p, (Py_ssize_t)len);
            if (!m->key) goto fail;
        }
        m->timestamp = kc_message_timestamp(km, &m->tstype);
        m->leader_epoch = kc_message_leader_epoch(km);
        size_t nh = kc_message_header_count(km);
        if (nh) {
            m->headers = headers_from_kc(km, nh);
            if (!m->headers) goto fail;
        }
    }
    PyObject_GC_Track(m);
    return (PyObject *)m;
fail:
    PyObject_GC_Track(m);
    Py_DECREF(m);
    return NULL;
}

static int Message_traverse(MessageObject *self, visitproc visit, void *arg) {
    Py_VISIT(self->topic);
    Py_VISIT(self->value);
    Py_VISIT(self->key);
    Py_VISIT(self->headers);
    Py_VISIT(self->error);
    return 0;
}

static int Message_clear(MessageObject *self) {
    Py_CLEAR(self->topic);
    Py_CLEAR(self->value);
    Py_CLEAR(self->key);
    Py_CLEAR(self->headers);
    Py_CLEAR(self->error);
    return 0;
}

static void Message_dealloc(MessageObject *self) {
    PyObject_GC_UnTrack(self);
    Message_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Message_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    MessageObject *m = (MessageObject *)type->tp_alloc(type, 0);
    if (!m) return NULL;
    m->partition = -1;
    m->offset = -1;
    m->leader_epoch = -1;
    m->latency = -1;
    return (PyObject *)m;
}

static int Message_init(MessageObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"topic",   "partition", "offset",  "key",
                          "value",   "headers",   "error",   "timestamp",
                          "latency", "leader_epoch", NULL};
    PyObject *topic = Py_None, *partition = Py_None, *offset = Py_None, *key = Py_None,
             *value = Py_None, *headers = Py_None, *error = Py_None, *timestamp = Py_None,
             *latency = Py_None, *epoch = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OOOOOOOOOO", kws, &topic, &partition,
                                     &offset, &key, &value, &headers, &error, &timestamp,
                                     &latency, &epoch))
        return -1;
#define SETOBJ(field, v)                                  \
    do {                                                  \
        PyObject *_v = (v) == Py_None ? NULL : (v);       \
        Py_XINCREF(_v);                                   \
        Py_XSETREF(self->field, _v);                      \
    } while (0)
    SETOBJ(topic, topic);
    SETOBJ(key, key);
    SETOBJ(value, value);
    SETOBJ(headers, headers);
    SETOBJ(error, error);
#undef SETOBJ
    self->partition = partition == Py_None ? -1 : (int32_t)PyLong_AsLong(partition);
    self->offset = offset == Py_None ? -1 : PyLong_AsLongLong(offset);
    self->leader_epoch = epoch == Py_None ? -1 : (int32_t)PyLong_AsLong(epoch);
    self->latency = latency == Py_None ? -1 : PyFloat_AsDouble(latency);
    if (timestamp != Py_None) {
        if (!PyArg_ParseTuple(timestamp, "iL;timestamp must be a (type, timestamp) tuple",
                              &self->tstype, &self->timestamp))
            return -1;
    }
    return PyErr_Occurred() ? -1 : 0;
}

#define RETURN_OBJ(o)        \
    do {                     \
        if (!(o)) Py_RETURN_NONE; \
        Py_INCREF(o);        \
        return (o);          \
    } while (0)

static PyObject *Message_value(MessageObject *self, PyObject *u) { RETURN_OBJ(self->value); }
static PyObject *Message_key(MessageObject *self, PyObject *u) { RETURN_OBJ(self->key); }
static PyObject *Message_topic(MessageObject *self, PyObject *u) { RETURN_OBJ(self->topic); }
static PyObject *Message_error(MessageObject *self, PyObject *u) { RETURN_OBJ(self->error); }
static PyObject *Message_headers(MessageObject *self, PyObject *u) { RETURN_OBJ(self->headers); }

static PyObject *Message_partition(MessageObject *self, PyObject *u) {
    if (self->partition < 0) Py_RETURN_NONE;
    return PyLong_FromLong(self->partition);
}
static PyObject *Message_offset(MessageObject *self, PyObject *u) {
    if (self->offset < 0) Py_RETURN_NONE;
    return PyLong_FromLongLong(self->offset);
}
static PyObject *Message_timestamp(MessageObject *self, PyObject *u) {
    return Py_BuildValue("(iL)", self->tstype, (long long)self->timestamp);
}
static PyObject *Message_leader_epoch(MessageObject *self, PyObject *u) {
    if (self->leader_epoch < 0) Py_RETURN_NONE;
    return PyLong_FromLong(self->leader_epoch);
}
static PyObject *Message_latency(MessageObject *self, PyObject *u) {
    if (self->latency < 0) Py_RETURN_NONE;
    return PyFloat_FromDouble(self->latency);
}

static PyObject *Message_set_value(MessageObject *self, PyObject *v) {
    PyObject *x = v == Py_None ? NULL : v;
    Py_XINCREF(x);
    Py_XSETREF(self->value, x);
    Py_RETURN_NONE;
}
static PyObject *Message_set_key(MessageObject *self, PyObject *v) {
    PyObject *x = v == Py_None ? NULL : v;
    Py_XINCREF(x);
    Py_XSETREF(self->key, x);
    Py_RETURN_NONE;
}
static PyObject *Message_set_headers(MessageObject *self, PyObject *v) {
    PyObject *x = v == Py_None ? NULL : v;
    Py_XINCREF(x);
    Py_XSETREF(self->headers, x);
    Py_RETURN_NONE;
}
static PyObject *Message_set_error(MessageObject *self, PyObject *v) {
    if (v != Py_None && !PyObject_TypeCheck(v, &KafkaErrorType)) {
        PyErr_SetString(PyExc_TypeError, "error must be a KafkaError or None");
        return NULL;
    }
    PyObject *x = v == Py_None ? NULL : v;
    Py_XINCREF(x);
    Py_XSETREF(self->error, x);
    Py_RETURN_NONE;
}

static Py_ssize_t Message_len(MessageObject *self) {
    if (!self->value) return 0;
    Py_ssize_t n = PyObject_Length(self->value);
    if (n < 0) {
        PyErr_Clear();
        return 0;
    }
    return n;
}

static PyObject *Message_repr(MessageObject *self) {
    return PyUnicode_FromFormat("<kafkac.Message topic=%R partition=%d offset=%lld%s>",
                                self->topic ? self->topic : Py_None, (int)self->partition,
                                (long long)self->offset, self->error ? " error" : "");
}

static PyMethodDef Message_methods[] = {
    {"value", (PyCFunction)Message_value, METH_NOARGS,
     "value()\n\nThe message value (bytes, or what set_value() set), or None."},
    {"key", (PyCFunction)Message_key, METH_NOARGS, "key()\n\nThe message key, or None."},
    {"topic", (PyCFunction)Message_topic, METH_NOARGS, "topic()\n\nThe topic name, or None."},
    {"partition", (PyCFunction)Message_partition, METH_NOARGS,
     "partition()\n\nThe partition, or None."},
    {"offset", (PyCFunction)Message_offset, METH_NOARGS, "offset()\n\nThe offset, or None."},
    {"timestamp", (PyCFunction)Message_timestamp, METH_NOARGS,
     "timestamp()\n\n(timestamp_type, milliseconds since the epoch); type is one of "
     "TIMESTAMP_NOT_AVAILABLE, TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME."},
    {"headers", (PyCFunction)Message_headers, METH_NOARGS,
     "headers()\n\nThe headers as a list of (str, bytes) tuples, or None."},
    {"error", (PyCFunction)Message_error, METH_NOARGS,
     "error()\n\nA KafkaError when the message is an event or a failed delivery, else None."},
    {"leader_epoch", (PyCFunction)Message_leader_epoch, METH_NOARGS,
     "leader_epoch()\n\nThe partition leader epoch of the record, or None."},
    {"latency", (PyCFunction)Message_latency, METH_NOARGS,
     "latency()\n\nProduce latency in seconds (not measured by kafkac: None)."},
    {"set_value", (PyCFunction)Message_set_value, METH_O, "set_value(value)"},
    {"set_key", (PyCFunction)Message_set_key, METH_O, "set_key(key)"},
    {"set_headers", (PyCFunction)Message_set_headers, METH_O, "set_headers(headers)"},
    {"set_error", (PyCFunction)Message_set_error, METH_O, "set_error(error)"},
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS, "Message[K, V] for typing."},
    {NULL, NULL, 0, NULL}};

static PySequenceMethods Message_seq = {.sq_length = (lenfunc)Message_len};

PyTypeObject MessageType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kafkac.Message",
    .tp_basicsize = sizeof(MessageObject),
    .tp_dealloc = (destructor)Message_dealloc,
    .tp_repr = (reprfunc)Message_repr,
    .tp_as_sequence = &Message_seq,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A consumed record, a consumer event (error() set) or a delivery report.",
    .tp_traverse = (traverseproc)Message_traverse,
    .tp_clear = (inquiry)Message_clear,
    .tp_methods = Message_methods,
    .tp_init = (initproc)Message_init,
    .tp_new = Message_tp_new,
};

int message_init(PyObject *m) {
    if (PyType_Ready(&MessageType) < 0) return -1;
    Py_INCREF(&MessageType);
    return PyModule_AddObject(m, "Message", (PyObject *)&MessageType);
}
