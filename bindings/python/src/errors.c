/* KafkaError, KafkaException and friends. */
#include "kafkac_py.h"

#include <stdarg.h>
#include <stdio.h>

PyObject *KafkaException;
static PyObject *IllegalStateException, *ConcurrentModificationException;

typedef struct {
    PyObject_HEAD
    int code;
    PyObject *reason; /* str or NULL: the code's description */
    char fatal, retriable, txn_requires_abort;
} KafkaErrorObject;

/* confluent_kafka (librdkafka) spells these codes differently; name()
 * returns its spelling so programs see the same names. Both spellings are
 * class attributes. */
static const struct {
    int code;
    const char *name;
} ck_alias[] = {
    {-1, "UNKNOWN"},
    {2, "INVALID_MSG"},
    {3, "UNKNOWN_TOPIC_OR_PART"},
    {4, "INVALID_MSG_SIZE"},
    {6, "NOT_LEADER_FOR_PARTITION"},
    {10, "MSG_SIZE_TOO_LARGE"},
    {11, "STALE_CTRL_EPOCH"},
    {17, "TOPIC_EXCEPTION"},
};

const char *py_err_name(int code) {
    for (size_t i = 0; i < sizeof ck_alias / sizeof ck_alias[0]; i++)
        if (ck_alias[i].code == code) return ck_alias[i].name;
    return kc_err_name((kc_err_t)code);
}

PyObject *kafkaerror_new(int code, const char *reason, int fatal, int retriable, int txn_abort) {
    KafkaErrorObject *e = PyObject_New(KafkaErrorObject, &KafkaErrorType);
    if (!e) return NULL;
    e->code = code;
    e->reason = NULL;
    if (reason && *reason) {
        e->reason = PyUnicode_DecodeUTF8(reason, (Py_ssize_t)strlen(reason), "replace");
        if (!e->reason) {
            Py_DECREF(e);
            return NULL;
        }
    }
    e->fatal = (char)(fatal != 0);
    e->retriable = (char)(retriable != 0);
    e->txn_requires_abort = (char)(txn_abort != 0);
    return (PyObject *)e;
}

PyObject *kafkaerror_from_code(int code, const char *reason) {
    return kafkaerror_new(code, reason, code == KC_ERR__FATAL, kc_err_is_retriable(code), 0);
}

PyObject *kafkaerror_from_kc_error(const kc_error_t *err) {
    return kafkaerror_new(kc_error_code(err), kc_error_message(err), kc_error_is_fatal(err),
                          kc_error_is_retriable(err), kc_error_txn_requires_abort(err));
}

PyObject *raise_kafka(int code, const char *reason) {
    PyObject *e = kafkaerror_from_code(code, reason);
    if (!e) return NULL;
    PyErr_SetObject(KafkaException, e);
    Py_DECREF(e);
    return NULL;
}

PyObject *raise_kafka_fmt(int code, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return raise_kafka(code, buf);
}

/* ------------------------------------------------------------ KafkaError type */

static int KafkaError_init(KafkaErrorObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"error", "reason", "fatal", "retriable", "txn_requires_abort", NULL};
    int code;
    const char *reason = NULL;
    int fatal = 0, retriable = 0, txn = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "i|zppp", kws, &code, &reason, &fatal,
                                     &retriable, &txn))
        return -1;
    Py_CLEAR(self->reason);
    self->code = code;
    if (reason && *reason) {
        self->reason = PyUnicode_FromString(reason);
        if (!self->reason) return -1;
    }
    self->fatal = (char)fatal;
    self->retriable = (char)retriable;
    self->txn_requires_abort = (char)txn;
    return 0;
}

static PyObject *KafkaError_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    KafkaErrorObject *self = (KafkaErrorObject *)type->tp_alloc(type, 0);
    return (PyObject *)self;
}

static void KafkaError_dealloc(KafkaErrorObject *self) {
    Py_CLEAR(self->reason);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *reason_str(KafkaErrorObject *self) {
    if (self->reason) {
        Py_INCREF(self->reason);
        return self->reason;
    }
    return PyUnicode_FromString(kc_err_desc((kc_err_t)self->code));
}

static PyObject *KafkaError_code(KafkaErrorObject *self, PyObject *unused) {
    return PyLong_FromLong(self->code);
}
static PyObject *KafkaError_name(KafkaErrorObject *self, PyObject *unused) {
    return PyUnicode_FromString(py_err_name(self->code));
}
static PyObject *KafkaError_str(KafkaErrorObject *self, PyObject *unused) {
    return reason_str(self);
}
static PyObject *KafkaError_fatal(KafkaErrorObject *self, PyObject *unused) {
    return PyBool_FromLong(self->fatal);
}
static PyObject *KafkaError_retriable(KafkaErrorObject *self, PyObject *unused) {
    return PyBool_FromLong(self->retriable);
}
static PyObject *KafkaError_txn_requires_abort(KafkaErrorObject *self, PyObject *unused) {
    return PyBool_FromLong(self->txn_requires_abort);
}

static PyObject *KafkaError_repr(KafkaErrorObject *self) {
    PyObject *r = reason_str(self);
    if (!r) return NULL;
    PyObject *s = PyUnicode_FromFormat("KafkaError{%scode=%s,val=%d,str=\"%U\"}",
                                       self->fatal ? "FATAL," : "", py_err_name(self->code),
                                       self->code, r);
    Py_DECREF(r);
    return s;
}

static Py_hash_t KafkaError_hash(KafkaErrorObject *self) {
    return self->code == -1 ? -2 : self->code;
}

static PyObject *KafkaError_richcompare(PyObject *a, PyObject *b, int op) {
    long x, y;
    if (PyObject_TypeCheck(a, &KafkaErrorType))
        x = ((KafkaErrorObject *)a)->code;
    else if (PyLong_Check(a))
        x = PyLong_AsLong(a);
    else
        Py_RETURN_NOTIMPLEMENTED;
    if (PyObject_TypeCheck(b, &KafkaErrorType))
        y = ((KafkaErrorObject *)b)->code;
    else if (PyLong_Check(b))
        y = PyLong_AsLong(b);
    else
        Py_RETURN_NOTIMPLEMENTED;
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_RICHCOMPARE(x, y, op);
}

static PyMethodDef KafkaError_methods[] = {
    {"code", (PyCFunction)KafkaError_code, METH_NOARGS, "code()\n\nThe error code (int)."},
    {"name", (PyCFunction)KafkaError_name, METH_NOARGS,
     "name()\n\nThe error code's name, e.g. \"_PARTITION_EOF\"."},
    {"str", (PyCFunction)KafkaError_str, METH_NOARGS,
     "str()\n\nA human-readable description of the error."},
    {"fatal", (PyCFunction)KafkaError_fatal, METH_NOARGS,
     "fatal()\n\nTrue when the error is fatal for the client."},
    {"retriable", (PyCFunction)KafkaError_retriable, METH_NOARGS,
     "retriable()\n\nTrue when retrying the operation may succeed."},
    {"txn_requires_abort", (PyCFunction)KafkaError_txn_requires_abort, METH_NOARGS,
     "txn_requires_abort()\n\nTrue when the current transaction must be aborted."},
    {NULL, NULL, 0, NULL}};

PyTypeObject KafkaErrorType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kafkac.KafkaError",
    .tp_basicsize = sizeof(KafkaErrorObject),
    .tp_dealloc = (destructor)KafkaError_dealloc,
    .tp_repr = (reprfunc)KafkaError_repr,
    .tp_str = (reprfunc)KafkaError_repr,
    .tp_hash = (hashfunc)KafkaError_hash,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "KafkaError(error, reason=None, fatal=False, retriable=False, "
              "txn_requires_abort=False)\n\n"
              "A Kafka error: code(), name(), str(), fatal(), retriable(). The error codes "
              "are class attributes (KafkaError._PARTITION_EOF, "
              "KafkaError.UNKNOWN_TOPIC_OR_PART, ...).",
    .tp_richcompare = KafkaError_richcompare,
    .tp_methods = KafkaError_methods,
    .tp_init = (initproc)KafkaError_init,
    .tp_new = KafkaError_tp_new,
};

int errors_init(PyObject *m) {
    if (PyType_Ready(&KafkaErrorType) < 0) return -1;
    PyObject *d = KafkaErrorType.tp_dict;
#define ADD_CODE(name, code, flags, desc)                                  \
    do {                                                                   \
        PyObject *v = PyLong_FromLong(code);                               \
        if (!v || PyDict_SetItemString(d, #name, v) < 0) {                 \
            Py_XDECREF(v);                                                 \
            return -1;                                                     \
        }                                                                  \
        Py_DECREF(v);                                                      \
    } while (0);
    KC_ERRORS(ADD_CODE)
#undef ADD_CODE
    for (size_t i = 0; i < sizeof ck_alias / sizeof ck_alias[0]; i++) {
        PyObject *v = PyLong_FromLong(ck_alias[i].code);
        if (!v || PyDict_SetItemString(d, ck_alias[i].name, v) < 0) return -1;
        Py_DECREF(v);
    }
    /* librdkafka codes the C library never produces, for completeness. */
    static const struct {
        const char *name;
        int code;
    } extra[] = {{"_INVALID_DIFFERENT_RECORD", -138}, {"_DESTROY_BROKER", -137}};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        PyObject *v = PyLong_FromLong(extra[i].code);
        if (!v || PyDict_SetItemString(d, extra[i].name, v) < 0) return -1;
        Py_DECREF(v);
    }
    PyType_Modified(&KafkaErrorType);
    Py_INCREF(&KafkaErrorType);
    if (PyModule_AddObject(m, "KafkaError", (PyObject *)&KafkaErrorType) < 0) return -1;

    KafkaException = PyErr_NewExceptionWithDoc(
        "kafkac.KafkaException",
        "Kafka exception: args[0] is a KafkaError object with the code and reason.", NULL,
        NULL);
    if (!KafkaException) return -1;
    Py_INCREF(KafkaException);
    if (PyModule_AddObject(m, "KafkaException", KafkaException) < 0) return -1;
    IllegalStateException = PyErr_NewException("kafkac.IllegalStateException",
                                               PyExc_RuntimeError, NULL);
    if (!IllegalStateException ||
        PyModule_AddObject(m, "IllegalStateException", IllegalStateException) < 0)
        return -1;
    ConcurrentModificationException = PyErr_NewException(
        "kafkac.ConcurrentModificationException", PyExc_RuntimeError, NULL);
    if (!ConcurrentModificationException ||
        PyModule_AddObject(m, "ConcurrentModificationException",
                           ConcurrentModificationException) < 0)
        return -1;
    return 0;
}
