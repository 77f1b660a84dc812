/* Configuration: typed values for the keys of conf_table.h. */
#ifndef KC_CORE_CONF_H
#define KC_CORE_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/buf.h"
#include "conf_table.h"
#include "kafkac.h"

typedef enum { KC__CT_STR, KC__CT_INT, KC__CT_BOOL, KC__CT_ENUM } kc__conf_type;
enum { KC__CS_ALL = 3, KC__CS_PRODUCER = 1, KC__CS_CONSUMER = 2 };

typedef enum kc__conf_id {
#define KC__CONF_ENUM(id, ...) KC__CONF_##id,
    KC__CONF_TABLE(KC__CONF_ENUM)
#undef KC__CONF_ENUM
    KC__CONF_COUNT
} kc__conf_id;

/* Value of a key: ints, bools (0/1) and enums (index into the value list)
 * are in `i`; strings in `s` (never NULL). */
typedef struct kc__confval {
    char *s;
    int64_t i;
    bool set; /* set explicitly by the application */
} kc__confval;

struct kc_conf {
    kc__confval v[KC__CONF_COUNT];
    /* Callbacks (kc_conf_set_*_cb) and their opaque. */
    void *opaque;
    kc_delivery_cb *delivery_cb;
    kc_error_cb *error_cb;
    kc_log_cb *log_cb;
    kc_partitioner_cb *partitioner_cb;
    kc_rebalance_cb *rebalance_cb;
    kc_offset_commit_cb *offset_commit_cb;
};

/* The scope (KC__CS_*) and name of key `id`. */
int kc__conf_scope(int id);
const char *kc__conf_name(int id);

static inline const char *kc__conf_str(const kc_conf_t *c, kc__conf_id id) { return c->v[id].s; }
static inline int64_t kc__conf_int(const kc_conf_t *c, kc__conf_id id) { return c->v[id].i; }

/* acks as the protocol value: -1 (all), 0 or 1. */
int kc__conf_acks(const kc_conf_t *c);

/* Writes the table as Markdown (docs/CONFIGURATION.md). */
void kc__conf_doc_markdown(kc__buf *out);

#endif
