/* Shared declarations of the kafkac CPython extension (kafkac._kafkac). */
#ifndef KAFKAC_PY_H
#define KAFKAC_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <kafkac.h>

/* ------------------------------------------------------------------ */
/* Types and exceptions (defined in the .c files, registered by module.c) */
extern PyObject *KafkaException;
extern PyTypeObject KafkaErrorType;
extern PyTypeObject TopicPartitionType;
extern PyTypeObject MessageType;
extern PyTypeObject ProducerType;
extern PyTypeObject ConsumerType;
extern PyTypeObject AdminType;

int errors_init(PyObject *m);
int topicpartition_init(PyObject *m);
int message_init(PyObject *m);
int producer_init(PyObject *m);
int consumer_init(PyObject *m);
int admin_init(PyObject *m);

/* ------------------------------------------------------------------ */
/* Call state: every C call that may block or run callbacks releases the
 * GIL through a CallState. Callbacks (which the library runs on the
 * calling thread only) find it in a thread-local, take the GIL back for
 * the Python call and release it again. The first exception a callback
 * raises is kept here and re-raised when the C call returns. */
typedef struct CallState {
    PyThreadState *ts; /* non-NULL while the GIL is released */
    PyObject *exc_type, *exc_value, *exc_tb;
    struct CallState *prev;
} CallState;

void cs_begin(CallState *cs);
/* Takes the GIL back; -1 with the callback's exception set if one raised. */
int cs_end(CallState *cs);

/* For callbacks: acquire / release the GIL whatever state the thread is in. */
typedef struct CbGil {
    CallState *cs;
    int mode;
    PyGILState_STATE gs;
} CbGil;
void cb_gil_acquire(CbGil *g);
void cb_gil_release(CbGil *g);
/* A callback's Python call failed: keep the exception for the CallState
 * (the first one), or report it as unraisable when there is none. */
void cb_record_exception(CbGil *g, PyObject *where);

/* ------------------------------------------------------------------ */
/* Errors */
/* A new KafkaError (reason NULL: the code's description). */
PyObject *kafkaerror_new(int code, const char *reason, int fatal, int retriable, int txn_abort);
PyObject *kafkaerror_from_code(int code, const char *reason);
PyObject *kafkaerror_from_kc_error(const kc_error_t *e);
/* Sets KafkaException(KafkaError(code, reason)) and returns NULL. */
PyObject *raise_kafka(int code, const char *reason);
PyObject *raise_kafka_fmt(int code, const char *fmt, ...);
const char *py_err_name(int code);

/* ------------------------------------------------------------------ */
/* TopicPartition */
typedef struct {
    PyObject_HEAD
    PyObject *topic;    /* str */
    int partition;
    long long offset;
    int leader_epoch;   /* -1: None */
    PyObject *metadata; /* str or NULL */
    PyObject *error;    /* KafkaError or NULL */
} TopicPartitionObject;

PyObject *topicpartition_new(const char *topic, int32_t partition, int64_t offset,
                             int32_t leader_epoch, const char *metadata, int err);
/* A Python list of TopicPartition -> kc_tplist_t (NULL with an exception). */
kc_tplist_t *tplist_from_py(PyObject *seq, int with_offsets);
/* kc_tplist_t -> list of TopicPartition (errors set on entries). */
PyObject *py_from_tplist(const kc_tplist_t *l);

/* ------------------------------------------------------------------ */
/* Message */
typedef struct {
    PyObject_HEAD
    PyObject *topic;   /* str or NULL */
    PyObject *value;   /* any or NULL */
    PyObject *key;     /* any or NULL */
    PyObject *headers; /* list or NULL */
    PyObject *error;   /* KafkaError or NULL */
    int32_t partition; /* -1: None */
    int64_t offset;    /* < 0: None */
    int64_t timestamp;
    int tstype;
    int32_t leader_epoch; /* -1: None */
    double latency;       /* < 0: None */
} MessageObject;

/* Small per-client cache of topic name -> str object. */
#define TOPIC_CACHE_SIZE 8
typedef struct {
    char *name[TOPIC_CACHE_SIZE];
    PyObject *obj[TOPIC_CACHE_SIZE];
    int next;
} TopicCache;
PyObject *topic_cache_get(TopicCache *tc, const char *name); /* new reference */
void topic_cache_clear(TopicCache *tc);

MessageObject *message_alloc(void);
/* A consumed message or event as a Message (the kc message is not freed). */
PyObject *message_from_kc(const kc_message_t *m, TopicCache *tc);

/* ------------------------------------------------------------------ */
/* Configuration */
typedef struct {
    PyObject *on_delivery;
    PyObject *error_cb;
    PyObject *stats_cb;
    PyObject *throttle_cb;
    PyObject *logger;
    PyObject *on_commit;
    PyObject *oauth_cb;
    int dr_only_error;
    int request_timeout_ms;
    char client_id[128];
} PyConfExtra;

enum { ROLE_PRODUCER = 1, ROLE_CONSUMER = 2, ROLE_ADMIN = 3 };
/* Builds a kc_conf_t from a confluent_kafka-style dict (+ kwargs). The
 * Python-level keys (callbacks, logger) go to *x (new references). NULL
 * with KafkaException / TypeError set on a bad key or value. */
kc_conf_t *conf_from_py(PyObject *dict, PyObject *kwargs, int role, PyConfExtra *x);
void conf_extra_clear(PyConfExtra *x);
int conf_extra_traverse(PyConfExtra *x, visitproc visit, void *arg);

/* ------------------------------------------------------------------ */
/* Helpers */
/* Seconds (float, None, -1) -> milliseconds (-1: infinite). -2 with an
 * exception on a bad value. */
int timeout_ms_from_py(PyObject *o, int dflt);
int64_t mono_ms(void);
/* list_topics() for any client: metadata fetched with conf. */
PyObject *list_topics_impl(const kc_conf_t *conf, PyObject *topic, PyObject *timeout,
                           int dflt_timeout_ms);
PyObject *metadata_to_py(const kc_metadata_t *md);
/* Forwards a log line to a logging.Logger (GIL held). */
int call_logger(PyObject *logger, const char *client_id, int level, const char *fac,
                const char *msg);

#endif
