/* _Admin: blocking admin calls (GIL released) returning plain Python data;
 * kafkac.admin.AdminClient runs them on a thread pool and wraps the
 * results in futures and confluent_kafka's result classes. */
#include "kafkac_py.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    kc_admin_t *a;
    PyConfExtra x;
} AdminObject;

static PyObject *Admin_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    return type->tp_alloc(type, 0);
}

static int Admin_init(AdminObject *self, PyObject *args, PyObject *kwargs) {
    if (self->a) {
        PyErr_SetString(PyExc_RuntimeError, "AdminClient already initialized");
        return -1;
    }
    PyObject *dict = NULL;
    if (!PyArg_ParseTuple(args, "|O:AdminClient", &dict)) return -1;
    PyConfExtra x;
    kc_conf_t *conf = conf_from_py(dict, kwargs, ROLE_ADMIN, &x);
    if (!conf) return -1;
    conf_extra_clear(&self->x);
    self->x = x;
    char errstr[512] = "";
    kc_admin_t *a;
    Py_BEGIN_ALLOW_THREADS
    a = kc_admin_new(conf, errstr, sizeof errstr);
    Py_END_ALLOW_THREADS
    kc_conf_destroy(conf);
    if (!a) {
        raise_kafka(KC_ERR__INVALID_ARG, errstr);
        return -1;
    }
    self->a = a;
    return 0;
}

static int Admin_traverse(AdminObject *self, visitproc visit, void *arg) {
    return conf_extra_traverse(&self->x, visit, arg);
}

static int Admin_clear(AdminObject *self) {
    conf_extra_clear(&self->x);
    return 0;
}

static void Admin_dealloc(AdminObject *self) {
    PyObject_GC_UnTrack(self);
    if (self->a) {
        kc_admin_t *a = self->a;
        self->a = NULL;
        Py_BEGIN_ALLOW_THREADS
        kc_admin_destroy(a);
        Py_END_ALLOW_THREADS
    }
    Admin_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define CHECK_OPEN(self)                                                 \
    do {                                                                 \
        if (!(self)->a) {                                                \
            PyErr_SetString(PyExc_RuntimeError, "AdminClient closed");   \
            return NULL;                                                 \
        }                                                                \
    } while (0)

/* ------------------------------------------------------------ helpers */

/* A list of str -> char*[] (borrowed from the str objects kept in *keep). */
static const char **str_array(PyObject *list, PyObject **keep, Py_ssize_t *np) {
    PyObject *fast = PySequence_Fast(list, "expected a list of str");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    const char **a = calloc((size_t)n + 1, sizeof *a);
    if (!a) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(s)) {
            PyErr_SetString(PyExc_TypeError, "expected a list of str");
            goto fail;
        }
        a[i] = PyUnicode_AsUTF8(s);
        if (!a[i]) goto fail;
    }
    *keep = fast;
    *np = n;
    return a;
fail:
    free(a);
    Py_DECREF(fast);
    return NULL;
}

static PyObject *str_or_none(const char *s) {
    if (!s) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

enum { ITEM_PLAIN = 0, ITEM_PARTS = 1, ITEM_CONFIGS = 2, ITEM_GROUPS = 3, ITEM_MEMBERS = 4 };

static PyObject *config_entries(const kc_admin_result_t *r, int i) {
    int n = kc_admin_result_config_count(r, i);
    if (n < 0) n = 0;
    PyObject *l = PyList_New(n);
    for (int j = 0; l && j < n; j++) {
        PyObject *t = Py_BuildValue("(NNiii)", str_or_none(kc_admin_result_config_name(r, i, j)),
                                    str_or_none(kc_admin_result_config_value(r, i, j)),
                                    kc_admin_result_config_source(r, i, j),
                                    kc_admin_result_config_is_read_only(r, i, j),
                                    kc_admin_result_config_is_sensitive(r, i, j));
        if (!t) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, j, t);
    }
    return l;
}

static PyObject *members(const kc_admin_result_t *r, int i) {
    int n = kc_admin_result_member_count(r, i);
    if (n < 0) n = 0;
    PyObject *l = PyList_New(n);
    for (int j = 0; l && j < n; j++) {
        PyObject *t = Py_BuildValue("(NNNNN)", str_or_none(kc_admin_result_member_id(r, i, j)),
                                    str_or_none(kc_admin_result_member_instance_id(r, i, j)),
                                    str_or_none(kc_admin_result_member_client_id(r, i, j)),
                                    str_or_none(kc_admin_result_member_host(r, i, j)),
                                    py_from_tplist(kc_admin_result_member_assignment(r, i, j)));
        if (!t) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, j, t);
    }
    return l;
}

/* Items as tuples: (name, code, errstr[, extra...]). */
static PyObject *result_items(const kc_admin_result_t *r, int kind) {
    int n = kc_admin_result_count(r);
    if (n < 0) n = 0;
    PyObject *l = PyList_New(n);
    for (int i = 0; l && i < n; i++) {
        PyObject *head = Py_BuildValue("(NiN)", str_or_none(kc_admin_result_name(r, i)),
                                       (int)kc_admin_result_error(r, i),
                                       str_or_none(kc_admin_result_errstr(r, i)));
        PyObject *extra = NULL;
        if (!head) goto fail;
        switch (kind) {
        case ITEM_PARTS: {
            const kc_tplist_t *p = kc_admin_result_partitions(r, i);
            extra = p ? Py_BuildValue("(N)", py_from_tplist(p)) : Py_BuildValue("(O)", Py_None);
            break;
        }
        case ITEM_CONFIGS: extra = Py_BuildValue("(N)", config_entries(r, i)); break;
        case ITEM_GROUPS:
        case ITEM_MEMBERS:
            extra = Py_BuildValue("(NNN)", str_or_none(kc_admin_result_group_state(r, i)),
                                  str_or_none(kc_admin_result_group_protocol_type(r, i)),
                                  str_or_none(kc_admin_result_group_protocol(r, i)));
            if (extra && kind == ITEM_MEMBERS) {
                PyObject *m = Py_BuildValue("(N)", members(r, i));
                PyObject *x = m ? PySequence_Concat(extra, m) : NULL;
                Py_XDECREF(m);
                Py_DECREF(extra);
                extra = x;
            }
            break;
        default: extra = PyTuple_New(0); break;
        }
        if (!extra) {
            Py_DECREF(head);
            goto fail;
        }
        PyObject *t = PySequence_Concat(head, extra);
        Py_DECREF(head);
        Py_DECREF(extra);
        if (!t) goto fail;
        PyList_SET_ITEM(l, i, t);
    }
    return l;
fail:
    Py_XDECREF(l);
    return NULL;
}

static PyObject *finish(kc_err_t err, const char *errstr, kc_admin_result_t *r, int kind) {
    if (err) {
        kc_admin_result_destroy(r);
        return raise_kafka(err, errstr[0] ? errstr : NULL);
    }
    PyObject *out = result_items(r, kind);
    kc_admin_result_destroy(r);
    return out;
}

/* ------------------------------------------------------------ topics */

static PyObject *Admin_create_topics(AdminObject *self, PyObject *args) {
    PyObject *list;
    int validate_only = 0, tmo = -1;
    if (!PyArg_ParseTuple(args, "O|pi", &list, &validate_only, &tmo)) return NULL;
    CHECK_OPEN(self);
    PyObject *fast = PySequence_Fast(list, "expected a list of topics");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    kc_new_topic_t **nt = calloc((size_t)n + 1, sizeof *nt);
    PyObject *res = NULL;
    if (!nt) {
        PyErr_NoMemory();
        goto out;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        const char *name;
        int parts, rf;
        PyObject *cfg = Py_None;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, i), "sii|O", &name, &parts, &rf, &cfg))
            goto out;
        nt[i] = kc_new_topic_new(name, parts, (int16_t)rf);
        if (!nt[i]) {
            raise_kafka(KC_ERR__INVALID_ARG, "invalid topic name");
            goto out;
        }
        if (cfg != Py_None) {
            PyObject *k, *v;
            Py_ssize_t pos = 0;
            if (!PyDict_Check(cfg)) {
                PyErr_SetString(PyExc_TypeError, "NewTopic config must be a dict");
                goto out;
            }
            while (PyDict_Next(cfg, &pos, &k, &v)) {
                PyObject *ks = PyObject_Str(k), *vs = PyObject_Str(v);
                const char *kk = ks ? PyUnicode_AsUTF8(ks) : NULL;
                const char *vv = vs ? PyUnicode_AsUTF8(vs) : NULL;
                kc_err_t e = (kk && vv) ? kc_new_topic_set_config(nt[i], kk, vv) : KC_ERR__FAIL;
                Py_XDECREF(ks);
                Py_XDECREF(vs);
                if (PyErr_Occurred()) goto out;
                if (e) {
                    raise_kafka(e, "kc_new_topic_set_config failed");
                    goto out;
                }
            }
        }
    }
    kc_admin_result_t *r = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = kc_admin_create_topics(self->a, nt, (size_t)n, validate_only, tmo, &r, errstr,
                                 sizeof errstr);
    Py_END_ALLOW_THREADS
    res = finish(err, errstr, r, ITEM_PLAIN);
out:
    if (nt)
        for (Py_ssize_t i = 0; i < n; i++) kc_new_topic_destroy(nt[i]);
    free(nt);
    Py_DECREF(fast);
    return res;
}

typedef kc_err_t (*names_fn)(kc_admin_t *, const char *const *, size_t, int, kc_admin_result_t **,
                             char *, size_t);

static PyObject *names_call(AdminObject *self, PyObject *args, names_fn fn, int kind) {
    PyObject *list;
    int tmo = -1;
    if (!PyArg_ParseTuple(args, "O|i", &list, &tmo)) return NULL;
    CHECK_OPEN(self);
    PyObject *keep;
    Py_ssize_t n;
    const char **names = str_array(list, &keep, &n);
    if (!names) return NULL;
    kc_admin_result_t *r = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = fn(self->a, names, (size_t)n, tmo, &r, errstr, sizeof errstr);
    Py_END_ALLOW_THREADS
    free(names);
    Py_DECREF(keep);
    return finish(err, errstr, r, kind);
}

static PyObject *Admin_delete_topics(AdminObject *self, PyObject *args) {
    return names_call(self, args, kc_admin_delete_topics, ITEM_PLAIN);
}
static PyObject *Admin_describe_groups(AdminObject *self, PyObject *args) {
    return names_call(self, args, kc_admin_describe_groups, ITEM_MEMBERS);
}
static PyObject *Admin_delete_groups(AdminObject *self, PyObject *args) {
    return names_call(self, args, kc_admin_delete_groups, ITEM_PLAIN);
}

static PyObject *Admin_create_partitions(AdminObject *self, PyObject *args) {
    PyObject *list;
    int tmo = -1;
    if (!PyArg_ParseTuple(args, "O|i", &list, &tmo)) return NULL;
    CHECK_OPEN(self);
    PyObject *fast = PySequence_Fast(list, "expected a list of (topic, total)");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    const char **names = calloc((size_t)n + 1, sizeof *names);
    int32_t *totals = calloc((size_t)n + 1, sizeof *totals);
    PyObject *res = NULL;
    if (!names || !totals) {
        PyErr_NoMemory();
        goto out;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int total;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, i), "si", &names[i], &total)) goto out;
        totals[i] = total;
    }
    kc_admin_result_t *r = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = kc_admin_create_partitions(self->a, names, totals, (size_t)n, tmo, &r, errstr,
                                     sizeof errstr);
    Py_END_ALLOW_THREADS
    res = finish(err, errstr, r, ITEM_PLAIN);
out:
    free(names);
    free(totals);
    Py_DECREF(fast);
    return res;
}

static PyObject *Admin_describe_topics(AdminObject *self, PyObject *args) {
    PyObject *list = Py_None;
    int tmo = -1;
    if (!PyArg_ParseTuple(args, "|Oi", &list, &tmo)) return NULL;
    CHECK_OPEN(self);
    PyObject *keep = NULL;
    Py_ssize_t n = 0;
    const char **names = NULL;
    if (list != Py_None) {
        names = str_array(list, &keep, &n);
        if (!names) return NULL;
    }
    kc_metadata_t *md = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = kc_admin_describe_topics(self->a, n ? names : NULL, (size_t)n, tmo, &md, errstr,
                                   sizeof errstr);
    Py_END_ALLOW_THREADS
    free(names);
    Py_XDECREF(keep);
    if (err) {
        kc_metadata_destroy(md);
        return raise_kafka(err, errstr[0] ? errstr : NULL);
    }
    PyObject *r = metadata_to_py(md);
    kc_metadata_destroy(md);
    return r;
}

/* ------------------------------------------------------------ configs */

static PyObject *Admin_describe_configs(AdminObject *self, PyObject *args) {
    int restype, tmo = -1;
    PyObject *list;
    if (!PyArg_ParseTuple(args, "iO|i", &restype, &list, &tmo)) return NULL;
    CHECK_OPEN(self);
    PyObject *keep;
    Py_ssize_t n;
    const char **names = str_array(list, &keep, &n);
    if (!names) return NULL;
    kc_admin_result_t *r = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = kc_admin_describe_configs(self->a, restype, names, (size_t)n, tmo, &r, errstr,
                                    sizeof errstr);
    Py_END_ALLOW_THREADS
    free(names);
    Py_DECREF(keep);
    return finish(err, errstr, r, ITEM_CONFIGS);
}

static PyObject *Admin_incremental_alter_configs(AdminObject *self, PyObject *args) {
    int restype, tmo = -1;
    const char *name;
    PyObject *list;
    if (!PyArg_ParseTuple(args, "isO|i", &restype, &name, &list, &tmo)) return NULL;
    CHECK_OPEN(self);
    PyObject *fast = PySequence_Fast(list, "expected a list of (op, key, value)");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    int *ops = calloc((size_t)n + 1, sizeof *ops);
    const char **keys = calloc((size_t)n + 1, sizeof *keys);
    const char **values = calloc((size_t)n + 1, sizeof *values);
    PyObject *res = NULL;
    if (!ops || !keys || !values) {
        PyErr_NoMemory();
        goto out;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, i), "isz", &ops[i], &keys[i],
                              &values[i]))
            goto out;
    kc_admin_result_t *r = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = kc_admin_incremental_alter_configs(self->a, restype, name, ops, keys, values,
                                             (size_t)n, tmo, &r, errstr, sizeof errstr);
    Py_END_ALLOW_THREADS
    res = finish(err, errstr, r, ITEM_PLAIN);
out:
    free(ops);
    free(keys);
    free(values);
    Py_DECREF(fast);
    return res;
}

/* ------------------------------------------------------------ groups, offsets */

static PyObject *Admin_list_groups(AdminObject *self, PyObject *args) {
    int tmo = -1;
    if (!PyArg_ParseTuple(args, "|i", &tmo)) return NULL;
    CHECK_OPEN(self);
    kc_admin_result_t *r = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = kc_admin_list_groups(self->a, tmo, &r, errstr, sizeof errstr);
    Py_END_ALLOW_THREADS
    return finish(err, errstr, r, ITEM_GROUPS);
}

typedef kc_err_t (*group_parts_fn)(kc_admin_t *, const char *, const kc_tplist_t *, int,
                                   kc_admin_result_t **, char *, size_t);

static PyObject *group_parts_call(AdminObject *self, PyObject *args, group_parts_fn fn) {
    const char *group;
    PyObject *parts = Py_None;
    int tmo = -1;
    if (!PyArg_ParseTuple(args, "s|Oi", &group, &parts, &tmo)) return NULL;
    CHECK_OPEN(self);
    kc_tplist_t *l = NULL;
    if (parts != Py_None && !(l = tplist_from_py(parts, 1))) return NULL;
    kc_admin_result_t *r = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = fn(self->a, group, l, tmo, &r, errstr, sizeof errstr);
    Py_END_ALLOW_THREADS
    kc_tplist_destroy(l);
    return finish(err, errstr, r, ITEM_PARTS);
}

static PyObject *Admin_list_group_offsets(AdminObject *self, PyObject *args) {
    return group_parts_call(self, args, kc_admin_list_group_offsets);
}
static PyObject *Admin_alter_group_offsets(AdminObject *self, PyObject *args) {
    return group_parts_call(self, args, kc_admin_alter_group_offsets);
}

typedef kc_err_t (*parts_fn)(kc_admin_t *, const kc_tplist_t *, int, kc_admin_result_t **,
                             char *, size_t);

static PyObject *parts_call(AdminObject *self, PyObject *args, parts_fn fn) {
    PyObject *parts;
    int tmo = -1;
    if (!PyArg_ParseTuple(args, "O|i", &parts, &tmo)) return NULL;
    CHECK_OPEN(self);
    kc_tplist_t *l = tplist_from_py(parts, 1);
    if (!l) return NULL;
    kc_admin_result_t *r = NULL;
    char errstr[512] = "";
    kc_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = fn(self->a, l, tmo, &r, errstr, sizeof errstr);
    Py_END_ALLOW_THREADS
    kc_tplist_destroy(l);
    return finish(err, errstr, r, ITEM_PARTS);
}

static PyObject *Admin_list_offsets(AdminObject *self, PyObject *args) {
    return parts_call(self, args, kc_admin_list_offsets);
}
static PyObject *Admin_delete_records(AdminObject *self, PyObject *args) {
    return parts_call(self, args, kc_admin_delete_records);
}

static PyObject *Admin_close(AdminObject *self, PyObject *unused) {
    if (self->a) {
        kc_admin_t *a = self->a;
        self->a = NULL;
        Py_BEGIN_ALLOW_THREADS
        kc_admin_destroy(a);
        Py_END_ALLOW_THREADS
    }
    Py_RETURN_NONE;
}

static PyMethodDef Admin_methods[] = {
    {"_create_topics", (PyCFunction)Admin_create_topics, METH_VARARGS,
     "_create_topics([(name, partitions, rf, config)], validate_only, timeout_ms)"},
    {"_delete_topics", (PyCFunction)Admin_delete_topics, METH_VARARGS,
     "_delete_topics([name], timeout_ms)"},
    {"_create_partitions", (PyCFunction)Admin_create_partitions, METH_VARARGS,
     "_create_partitions([(name, total)], timeout_ms)"},
    {"_describe_topics", (PyCFunction)Admin_describe_topics, METH_VARARGS,
     "_describe_topics([name] or None, timeout_ms) -> ClusterMetadata"},
    {"_describe_configs", (PyCFunction)Admin_describe_configs, METH_VARARGS,
     "_describe_configs(restype, [name], timeout_ms)"},
    {"_incremental_alter_configs", (PyCFunction)Admin_incremental_alter_configs, METH_VARARGS,
     "_incremental_alter_configs(restype, name, [(op, key, value)], timeout_ms)"},
    {"_list_groups", (PyCFunction)Admin_list_groups, METH_VARARGS, "_list_groups(timeout_ms)"},
    {"_describe_groups", (PyCFunction)Admin_describe_groups, METH_VARARGS,
     "_describe_groups([group], timeout_ms)"},
    {"_delete_groups", (PyCFunction)Admin_delete_groups, METH_VARARGS,
     "_delete_groups([group], timeout_ms)"},
    {"_list_group_offsets", (PyCFunction)Admin_list_group_offsets, METH_VARARGS,
     "_list_group_offsets(group, [TopicPartition] or None, timeout_ms)"},
    {"_alter_group_offsets", (PyCFunction)Admin_alter_group_offsets, METH_VARARGS,
     "_alter_group_offsets(group, [TopicPartition], timeout_ms)"},
    {"_list_offsets", (PyCFunction)Admin_list_offsets, METH_VARARGS,
     "_list_offsets([TopicPartition], timeout_ms)"},
    {"_delete_records", (PyCFunction)Admin_delete_records, METH_VARARGS,
     "_delete_records([TopicPartition], timeout_ms)"},
    {"_close", (PyCFunction)Admin_close, METH_NOARGS, "_close()"},
    {NULL, NULL, 0, NULL}};

PyTypeObject AdminType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kafkac._kafkac._AdminClientImpl",
    .tp_basicsize = sizeof(AdminObject),
    .tp_dealloc = (destructor)Admin_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Low-level admin client: blocking calls; see kafkac.admin.AdminClient.",
    .tp_traverse = (traverseproc)Admin_traverse,
    .tp_clear = (inquiry)Admin_clear,
    .tp_methods = Admin_methods,
    .tp_init = (initproc)Admin_init,
    .tp_new = Admin_new,
};

int admin_init(PyObject *m) {
    if (PyType_Ready(&AdminType) < 0) return -1;
    Py_INCREF(&AdminType);
    return PyModule_AddObject(m, "_AdminClientImpl", (PyObject *)&AdminType);
}
