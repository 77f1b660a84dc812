/* TopicPartition and conversions to / from kc_tplist_t. */
#include "kafkac_py.h"

static int TP_init(TopicPartitionObject *self, PyObject *args, PyObject *kwargs) {
    static char *kws[] = {"topic", "partition", "offset", "metadata", "leader_epoch", NULL};
    PyObject *topic;
    int partition = -1;
    long long offset = KC_OFFSET_INVALID;
    PyObject *metadata = Py_None, *leader_epoch = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "U|iLOO", kws, &topic, &partition, &offset,
                                     &metadata, &leader_epoch))
        return -1;
    if (metadata != Py_None && !PyUnicode_Check(metadata)) {
        PyErr_SetString(PyExc_TypeError, "metadata must be a str or None");
        return -1;
    }
    int epoch = -1;
    if (leader_epoch != Py_None) {
        epoch = (int)PyLong_AsLong(leader_epoch);
        if (epoch == -1 && PyErr_Occurred()) return -1;
        if (epoch < 0) epoch = -1;
    }
    Py_INCREF(topic);
    Py_XSETREF(self->topic, topic);
    self->partition = partition;
    self->offset = offset;
    self->leader_epoch = epoch;
    if (metadata != Py_None) {
        Py_INCREF(metadata);
        Py_XSETREF(self->metadata, metadata);
    } else {
        Py_CLEAR(self->metadata);
    }
    Py_CLEAR(self->error);
    return 0;
}

static PyObject *TP_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    TopicPartitionObject *self = (TopicPartitionObject *)type->tp_alloc(type, 0);
    if (self) {
        self->partition = -1;
        self->offset = KC_OFFSET_INVALID;
        self->leader_epoch = -1;
    }
    return (PyObject *)self;
}

static int TP_traverse(TopicPartitionObject *self, visitproc visit, void *arg) {
    Py_VISIT(self->topic);
    Py_VISIT(self->metadata);
    Py_VISIT(self->error);
    return 0;
}

static int TP_clear(TopicPartitionObject *self) {
    Py_CLEAR(self->topic);
    Py_CLEAR(self->metadata);
    Py_CLEAR(self->error);
    return 0;
}

static void TP_dealloc(TopicPartitionObject *self) {
    PyObject_GC_UnTrack(self);
    TP_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *TP_repr(TopicPartitionObject *self) {
    PyObject *err = self->error ? PyObject_Repr(self->error) : PyUnicode_FromString("None");
    if (!err) return NULL;
    PyObject *epoch = self->leader_epoch >= 0 ? PyUnicode_FromFormat("%d", self->leader_epoch)
                                              : PyUnicode_FromString("None");
    if (!epoch) {
        Py_DECREF(err);
        return NULL;
    }
    PyObject *r = PyUnicode_FromFormat(
        "TopicPartition{topic=%S,partition=%d,offset=%lld,leader_epoch=%U,error=%U}",
        self->topic ? self->topic : Py_None, self->partition, self->offset, epoch, err);
    Py_DECREF(err);
    Py_DECREF(epoch);
    return r;
}

static Py_hash_t TP_hash(TopicPartitionObject *self) {
    PyObject *t = Py_BuildValue("(Oi)", self->topic ? self->topic : Py_None, self->partition);
    if (!t) return -1;
    Py_hash_t h = PyObject_Hash(t);
    Py_DECREF(t);
    return h;
}

static PyObject *TP_richcompare(PyObject *a, PyObject *b, int op) {
    if (!PyObject_TypeCheck(a, &TopicPartitionType) || !PyObject_TypeCheck(b, &TopicPartitionType))
        Py_RETURN_NOTIMPLEMENTED;
    TopicPartitionObject *x = (TopicPartitionObject *)a, *y = (TopicPartitionObject *)b;
    PyObject *ta = x->topic ? x->topic : Py_None, *tb = y->topic ? y->topic : Py_None;
    int eq = PyObject_RichCompareBool(ta, tb, Py_EQ);
    if (eq < 0) return NULL;
    if (!eq) {
        if (op == Py_EQ) Py_RETURN_FALSE;
        if (op == Py_NE) Py_RETURN_TRUE;
        return PyObject_RichCompare(ta, tb, op);
    }
    Py_RETURN_RICHCOMPARE(x->partition, y->partition, op);
}

static PyObject *TP_get_leader_epoch(TopicPartitionObject *self, void *c) {
    if (self->leader_epoch < 0) Py_RETURN_NONE;
    return PyLong_FromLong(self->leader_epoch);
}

static int TP_set_leader_epoch(TopicPartitionObject *self, PyObject *v, void *c) {
    if (!v || v == Py_None) {
        self->leader_epoch = -1;
        return 0;
    }
    long e = PyLong_AsLong(v);
    if (e == -1 && PyErr_Occurred()) return -1;
    self->leader_epoch = e < 0 ? -1 : (int)e;
    return 0;
}

static PyObject *TP_get_obj(TopicPartitionObject *self, void *c) {
    PyObject *o = *(PyObject **)((char *)self + (size_t)c);
    if (!o) Py_RETURN_NONE;
    Py_INCREF(o);
    return o;
}

static int TP_set_obj(TopicPartitionObject *self, PyObject *v, void *c) {
    PyObject **slot = (PyObject **)((char *)self + (size_t)c);
    if (v == Py_None) v = NULL;
    if (v && (size_t)c == offsetof(TopicPartitionObject, topic) && !PyUnicode_Check(v)) {
        PyErr_SetString(PyExc_TypeError, "topic must be a str");
        return -1;
    }
    Py_XINCREF(v);
    Py_XSETREF(*slot, v);
    return 0;
}

static PyMemberDef TP_members[] = {
    {"partition", T_INT, offsetof(TopicPartitionObject, partition), 0, "Partition number."},
    {"offset", T_LONGLONG, offsetof(TopicPartitionObject, offset), 0,
     "Offset (or logical offset OFFSET_*)."},
    {NULL, 0, 0, 0, NULL}};

static PyGetSetDef TP_getset[] = {
    {"topic", (getter)TP_get_obj, (setter)TP_set_obj, "Topic name.",
     (void *)offsetof(TopicPartitionObject, topic)},
    {"metadata", (getter)TP_get_obj, (setter)TP_set_obj, "Commit metadata (str) or None.",
     (void *)offsetof(TopicPartitionObject, metadata)},
    {"error", (getter)TP_get_obj, (setter)TP_set_obj, "KafkaError or None.",
     (void *)offsetof(TopicPartitionObject, error)},
    {"leader_epoch", (getter)TP_get_leader_epoch, (setter)TP_set_leader_epoch,
     "Leader epoch or None.", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

PyTypeObject TopicPartitionType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kafkac.TopicPartition",
    .tp_basicsize = sizeof(TopicPartitionObject),
    .tp_dealloc = (destructor)TP_dealloc,
    .tp_repr = (reprfunc)TP_repr,
    .tp_hash = (hashfunc)TP_hash,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "TopicPartition(topic, partition=-1, offset=OFFSET_INVALID, metadata=None, "
              "leader_epoch=None)\n\nA topic partition with an offset and, in results, an "
              "error.",
    .tp_traverse = (traverseproc)TP_traverse,
    .tp_clear = (inquiry)TP_clear,
    .tp_richcompare = TP_richcompare,
    .tp_members = TP_members,
    .tp_getset = TP_getset,
    .tp_init = (initproc)TP_init,
    .tp_new = TP_new,
};

PyObject *topicpartition_new(const char *topic, int32_t partition, int64_t offset,
                             int32_t leader_epoch, const char *metadata, int err) {
    TopicPartitionObject *tp = PyObject_GC_New(TopicPartitionObject, &TopicPartitionType);
    if (!tp) return NULL;
    tp->topic = tp->metadata = tp->error = NULL;
    tp->partition = partition;
    tp->offset = offset;
    tp->leader_epoch = leader_epoch < 0 ? -1 : leader_epoch;
    tp->topic = PyUnicode_FromString(topic ? topic : "");
    if (!tp->topic) goto fail;
    if (metadata && *metadata) {
        tp->metadata = PyUnicode_FromString(metadata);
        if (!tp->metadata) goto fail;
    }
    if (err) {
        tp->error = kafkaerror_from_code(err, NULL);
        if (!tp->error) goto fail;
    }
    PyObject_GC_Track(tp);
    return (PyObject *)tp;
fail:
    PyObject_GC_Track(tp);
    Py_DECREF(tp);
    return NULL;
}

kc_tplist_t *tplist_from_py(PyObject *seq, int with_offsets) {
    PyObject *fast = PySequence_Fast(seq, "expected a list of TopicPartition");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    kc_tplist_t *l = kc_tplist_new((int)n);
    if (!l) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyObject_TypeCheck(o, &TopicPartitionType)) {
            PyErr_Format(PyExc_TypeError, "expected a list of TopicPartition, got %.100s",
                         Py_TYPE(o)->tp_name);
            goto fail;
        }
        TopicPartitionObject *tp = (TopicPartitionObject *)o;
        const char *topic = tp->topic ? PyUnicode_AsUTF8(tp->topic) : NULL;
        if (!topic || !*topic) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "TopicPartition without a topic");
            goto fail;
        }
        int idx = kc_tplist_add(l, topic, tp->partition);
        if (idx < 0) {
            PyErr_NoMemory();
            goto fail;
        }
        if (with_offsets) {
            kc_tplist_set_offset(l, idx, tp->offset);
            if (tp->leader_epoch >= 0) kc_tplist_set_leader_epoch(l, idx, tp->leader_epoch);
            if (tp->metadata) {
                const char *md = PyUnicode_AsUTF8(tp->metadata);
                if (!md) goto fail;
                kc_tplist_set_metadata(l, idx, md);
            }
        }
    }
    Py_DECREF(fast);
    return l;
fail:
    Py_DECREF(fast);
    kc_tplist_destroy(l);
    return NULL;
}

PyObject *py_from_tplist(const kc_tplist_t *l) {
    int n = l ? kc_tplist_count(l) : 0;
    PyObject *r = PyList_New(n);
    if (!r) return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *tp = topicpartition_new(kc_tplist_topic(l, i), kc_tplist_partition(l, i),
                                          kc_tplist_offset(l, i), kc_tplist_leader_epoch(l, i),
                                          kc_tplist_metadata(l, i), kc_tplist_error(l, i));
        if (!tp) {
            Py_DECREF(r);
            return NULL;
        }
        PyList_SET_ITEM(r, i, tp);
    }
    return r;
}

int topicpartition_init(PyObject *m) {
    if (PyType_Ready(&TopicPartitionType) < 0) return -1;
    Py_INCREF(&TopicPartitionType);
    return PyModule_AddObject(m, "TopicPartition", (PyObject *)&TopicPartitionType);
}
