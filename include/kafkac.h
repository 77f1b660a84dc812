/* kafkac: a C client library for Apache Kafka.
 *
 * This header is the whole public API. Every type is opaque and every
 * function is prefixed kc_. Ownership words used throughout:
 *   "copied"                    the library keeps its own copy; the caller's
 *                               memory may be reused as soon as the call returns.
 *   "ownership passes on success"  on success the library frees it; on error
 *                               the caller still owns it.
 *   "borrowed until X"          valid (and owned by the library) until X happens.
 *   "free with kc_x_destroy()"  the caller owns it; kc_x_destroy(NULL) is a no-op.
 *
 * Errors: functions return a kc_err_t code (KC_ERR_NO_ERROR = 0; positive
 * codes are Kafka protocol error codes; codes <= -100 are local to the
 * client) and, where a message helps, write a NUL-terminated explanation into
 * a caller-supplied errstr buffer. Constructors return NULL on failure and
 * explain why in errstr. There is no thread-local "last error".
 *
 * Thread safety: kc_conf_t is not thread-safe (configure it on one thread,
 * then hand it over). Other handles document their rules where declared.
 */
#ifndef KAFKAC_H
#define KAFKAC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(KC_BUILDING_LIB)
#define KC_EXPORT __attribute__((visibility("default")))
#else
#define KC_EXPORT
#endif

/* ------------------------------------------------------------------ */
/* Version */

/* 0xMMmmpp00: major, minor, patch. */
#define KC_VERSION 0x00010000
#define KC_VERSION_STR "0.1.0"

/* The version of the library linked at run time (same encoding). */
KC_EXPORT int kc_version(void);
/* The same as a string, e.g. "0.1.0". Static storage. */
KC_EXPORT const char *kc_version_str(void);

/* ------------------------------------------------------------------ */
/* Error codes
 *
 * KC_ERRORS(X) lists every code once as X(NAME, CODE, FLAGS, "description").
 * FLAGS: KC_ERRF_RETRIABLE when retrying the same operation may succeed.
 * Local codes (<= -100) keep librdkafka's numbers so that bindings written
 * for it (confluent_kafka) map one to one. */
#define KC_ERRF_RETRIABLE 0x1

#define KC_ERRORS(X) \
    /* local codes */ \
    X(_BAD_MSG, -199, 0, "Local: bad message format (corrupt or unparsable data)") \
    X(_BAD_COMPRESSION, -198, 0, "Local: invalid compressed data") \
    X(_DESTROY, -197, 0, "Local: handle is being destroyed") \
    X(_FAIL, -196, 0, "Local: failure") \
    X(_TRANSPORT, -195, KC_ERRF_RETRIABLE, "Local: broker transport failure") \
    X(_CRIT_SYS_RESOURCE, -194, 0, "Local: critical system resource failure") \
    X(_RESOLVE, -193, KC_ERRF_RETRIABLE, "Local: host resolution failure") \
    X(_MSG_TIMED_OUT, -192, 0, "Local: message timed out") \
    X(_PARTITION_EOF, -191, 0, "Broker: no more messages") \
    X(_UNKNOWN_PARTITION, -190, 0, "Local: unknown partition") \
    X(_FS, -189, 0, "Local: file or filesystem error") \
    X(_UNKNOWN_TOPIC, -188, 0, "Local: unknown topic") \
    X(_ALL_BROKERS_DOWN, -187, KC_ERRF_RETRIABLE, "Local: all broker connections are down") \
    X(_INVALID_ARG, -186, 0, "Local: invalid argument or configuration") \
    X(_TIMED_OUT, -185, KC_ERRF_RETRIABLE, "Local: timed out") \
    X(_QUEUE_FULL, -184, KC_ERRF_RETRIABLE, "Local: queue full") \
    X(_ISR_INSUFF, -183, 0, "Local: ISR count insufficient") \
    X(_NODE_UPDATE, -182, 0, "Local: broker node update") \
    X(_SSL, -181, 0, "Local: SSL error") \
    X(_WAIT_COORD, -180, KC_ERRF_RETRIABLE, "Local: waiting for coordinator") \
    X(_UNKNOWN_GROUP, -179, 0, "Local: unknown group") \
    X(_IN_PROGRESS, -178, 0, "Local: operation in progress") \
    X(_PREV_IN_PROGRESS, -177, 0, "Local: previous operation in progress") \
    X(_EXISTING_SUBSCRIPTION, -176, 0, "Local: existing subscription") \
    X(_ASSIGN_PARTITIONS, -175, 0, "Local: assign partitions") \
    X(_REVOKE_PARTITIONS, -174, 0, "Local: revoke partitions") \
    X(_CONFLICT, -173, 0, "Local: conflicting use") \
    X(_STATE, -172, 0, "Local: erroneous state") \
    X(_UNKNOWN_PROTOCOL, -171, 0, "Local: unknown protocol") \
    X(_NOT_IMPLEMENTED, -170, 0, "Local: not implemented") \
    X(_AUTHENTICATION, -169, 0, "Local: authentication failure") \
    X(_NO_OFFSET, -168, 0, "Local: no offset stored") \
    X(_OUTDATED, -167, 0, "Local: outdated") \
    X(_TIMED_OUT_QUEUE, -166, 0, "Local: timed out in queue") \
    X(_UNSUPPORTED_FEATURE, -165, 0, "Local: required feature not supported by broker") \
    X(_WAIT_CACHE, -164, 0, "Local: awaiting cache update") \
    X(_INTR, -163, 0, "Local: operation interrupted") \
    X(_KEY_SERIALIZATION, -162, 0, "Local: key serialization error") \
    X(_VALUE_SERIALIZATION, -161, 0, "Local: value serialization error") \
    X(_KEY_DESERIALIZATION, -160, 0, "Local: key deserialization error") \
    X(_VALUE_DESERIALIZATION, -159, 0, "Local: value deserialization error") \
    X(_PARTIAL, -158, 0, "Local: partial response") \
    X(_READ_ONLY, -157, 0, "Local: read-only object") \
    X(_NOENT, -156, 0, "Local: no such entry") \
    X(_UNDERFLOW, -155, 0, "Local: read underflow") \
    X(_INVALID_TYPE, -154, 0, "Local: invalid type") \
    X(_RETRY, -153, KC_ERRF_RETRIABLE, "Local: retry operation") \
    X(_PURGE_QUEUE, -152, 0, "Local: purged in queue") \
    X(_PURGE_INFLIGHT, -151, 0, "Local: purged in flight") \
    X(_FATAL, -150, 0, "Local: fatal error") \
    X(_INCONSISTENT, -149, 0, "Local: inconsistent state") \
    X(_GAPLESS_GUARANTEE, -148, 0, "Local: gap-less ordering would not be guaranteed") \
    X(_MAX_POLL_EXCEEDED, -147, 0, "Local: maximum application poll interval exceeded") \
    X(_UNKNOWN_BROKER, -146, 0, "Local: unknown broker") \
    X(_NOT_CONFIGURED, -145, 0, "Local: functionality not configured") \
    X(_FENCED, -144, 0, "Local: this instance has been fenced by a newer instance") \
    X(_APPLICATION, -143, 0, "Local: application generated error") \
    X(_ASSIGNMENT_LOST, -142, 0, "Local: group partition assignment lost") \
    X(_NOOP, -141, 0, "Local: no operation performed") \
    X(_AUTO_OFFSET_RESET, -140, 0, "Local: no offset to automatically reset to") \
    X(_LOG_TRUNCATION, -139, 0, "Local: partition log truncation detected") \
    /* Kafka protocol codes */ \
    X(UNKNOWN_SERVER_ERROR, -1, 0, "Broker: unknown server error") \
    X(NO_ERROR, 0, 0, "Success") \
    X(OFFSET_OUT_OF_RANGE, 1, 0, "Broker: offset out of range") \
    X(CORRUPT_MESSAGE, 2, KC_ERRF_RETRIABLE, "Broker: invalid message (CRC mismatch or corrupt)") \
    X(UNKNOWN_TOPIC_OR_PARTITION, 3, KC_ERRF_RETRIABLE, "Broker: unknown topic or partition") \
    X(INVALID_FETCH_SIZE, 4, 0, "Broker: invalid fetch size") \
    X(LEADER_NOT_AVAILABLE, 5, KC_ERRF_RETRIABLE, "Broker: leader not available") \
    X(NOT_LEADER_OR_FOLLOWER, 6, KC_ERRF_RETRIABLE, "Broker: not leader or follower for partition") \
    X(REQUEST_TIMED_OUT, 7, KC_ERRF_RETRIABLE, "Broker: request timed out") \
    X(BROKER_NOT_AVAILABLE, 8, 0, "Broker: broker not available") \
    X(REPLICA_NOT_AVAILABLE, 9, KC_ERRF_RETRIABLE, "Broker: replica not available") \
    X(MESSAGE_TOO_LARGE, 10, 0, "Broker: message size too large") \
    X(STALE_CONTROLLER_EPOCH, 11, 0, "Broker: stale controller epoch") \
    X(OFFSET_METADATA_TOO_LARGE, 12, 0, "Broker: offset metadata string too large") \
    X(NETWORK_EXCEPTION, 13, KC_ERRF_RETRIABLE, "Broker: server disconnected before response") \
    X(COORDINATOR_LOAD_IN_PROGRESS, 14, KC_ERRF_RETRIABLE, "Broker: coordinator load in progress") \
    X(COORDINATOR_NOT_AVAILABLE, 15, KC_ERRF_RETRIABLE, "Broker: coordinator not available") \
    X(NOT_COORDINATOR, 16, KC_ERRF_RETRIABLE, "Broker: not coordinator") \
    X(INVALID_TOPIC_EXCEPTION, 17, 0, "Broker: invalid topic") \
    X(RECORD_LIST_TOO_LARGE, 18, 0, "Broker: record batch larger than the maximum segment size") \
    X(NOT_ENOUGH_REPLICAS, 19, KC_ERRF_RETRIABLE, "Broker: not enough in-sync replicas") \
    X(NOT_ENOUGH_REPLICAS_AFTER_APPEND, 20, KC_ERRF_RETRIABLE, "Broker: message(s) written to insufficient number of in-sync replicas") \
    X(INVALID_REQUIRED_ACKS, 21, 0, "Broker: invalid required acks value") \
    X(ILLEGAL_GENERATION, 22, 0, "Broker: specified group generation id is not valid") \
    X(INCONSISTENT_GROUP_PROTOCOL, 23, 0, "Broker: inconsistent group protocol") \
    X(INVALID_GROUP_ID, 24, 0, "Broker: invalid group.id") \
    X(UNKNOWN_MEMBER_ID, 25, 0, "Broker: unknown member") \
    X(INVALID_SESSION_TIMEOUT, 26, 0, "Broker: invalid session timeout") \
    X(REBALANCE_IN_PROGRESS, 27, 0, "Broker: group rebalance in progress") \
    X(INVALID_COMMIT_OFFSET_SIZE, 28, 0, "Broker: commit offset data size is not valid") \
    X(TOPIC_AUTHORIZATION_FAILED, 29, 0, "Broker: topic authorization failed") \
    X(GROUP_AUTHORIZATION_FAILED, 30, 0, "Broker: group authorization failed") \
    X(CLUSTER_AUTHORIZATION_FAILED, 31, 0, "Broker: cluster authorization failed") \
    X(INVALID_TIMESTAMP, 32, 0, "Broker: invalid timestamp") \
    X(UNSUPPORTED_SASL_MECHANISM, 33, 0, "Broker: unsupported SASL mechanism") \
    X(ILLEGAL_SASL_STATE, 34, 0, "Broker: request not valid in current SASL state") \
    X(UNSUPPORTED_VERSION, 35, 0, "Broker: API version not supported") \
    X(TOPIC_ALREADY_EXISTS, 36, 0, "Broker: topic already exists") \
    X(INVALID_PARTITIONS, 37, 0, "Broker: invalid number of partitions") \
    X(INVALID_REPLICATION_FACTOR, 38, 0, "Broker: invalid replication factor") \
    X(INVALID_REPLICA_ASSIGNMENT, 39, 0, "Broker: invalid replica assignment") \
    X(INVALID_CONFIG, 40, 0, "Broker: configuration is invalid") \
    X(NOT_CONTROLLER, 41, KC_ERRF_RETRIABLE, "Broker: not controller for cluster") \
    X(INVALID_REQUEST, 42, 0, "Broker: invalid request") \
    X(UNSUPPORTED_FOR_MESSAGE_FORMAT, 43, 0, "Broker: message format on broker does not support request") \
    X(POLICY_VIOLATION, 44, 0, "Broker: policy violation") \
    X(OUT_OF_ORDER_SEQUENCE_NUMBER, 45, 0, "Broker: broker received an out of order sequence number") \
    X(DUPLICATE_SEQUENCE_NUMBER, 46, 0, "Broker: broker received a duplicate sequence number") \
    X(INVALID_PRODUCER_EPOCH, 47, 0, "Broker: producer attempted an operation with an old epoch") \
    X(INVALID_TXN_STATE, 48, 0, "Broker: producer attempted a transactional operation in an invalid state") \
    X(INVALID_PRODUCER_ID_MAPPING, 49, 0, "Broker: producer attempted to use a producer id which is not currently assigned to its transactional id") \
    X(INVALID_TRANSACTION_TIMEOUT, 50, 0, "Broker: transaction timeout is larger than the maximum value allowed by the broker") \
    X(CONCURRENT_TRANSACTIONS, 51, KC_ERRF_RETRIABLE, "Broker: producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing") \
    X(TRANSACTION_COORDINATOR_FENCED, 52, 0, "Broker: indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer") \
    X(TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 53, 0, "Broker: transactional id authorization failed") \
    X(SECURITY_DISABLED, 54, 0, "Broker: security features are disabled") \
    X(OPERATION_NOT_ATTEMPTED, 55, 0, "Broker: operation not attempted") \
    X(KAFKA_STORAGE_ERROR, 56, KC_ERRF_RETRIABLE, "Broker: disk error when trying to access log file on disk") \
    X(LOG_DIR_NOT_FOUND, 57, 0, "Broker: the user-specified log directory is not found in the broker config") \
    X(SASL_AUTHENTICATION_FAILED, 58, 0, "Broker: SASL authentication failed") \
    X(UNKNOWN_PRODUCER_ID, 59, 0, "Broker: unknown producer id") \
    X(REASSIGNMENT_IN_PROGRESS, 60, 0, "Broker: partition reassignment is in progress") \
    X(DELEGATION_TOKEN_AUTH_DISABLED, 61, 0, "Broker: delegation token feature is not enabled") \
    X(DELEGATION_TOKEN_NOT_FOUND, 62, 0, "Broker: delegation token is not found on server") \
    X(DELEGATION_TOKEN_OWNER_MISMATCH, 63, 0, "Broker: specified principal is not valid owner/renewer") \
    X(DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, 64, 0, "Broker: delegation token requests are not allowed on this connection") \
    X(DELEGATION_TOKEN_AUTHORIZATION_FAILED, 65, 0, "Broker: delegation token authorization failed") \
    X(DELEGATION_TOKEN_EXPIRED, 66, 0, "Broker: delegation token is expired") \
    X(INVALID_PRINCIPAL_TYPE, 67, 0, "Broker: supplied principalType is not supported") \
    X(NON_EMPTY_GROUP, 68, 0, "Broker: the group is not empty") \
    X(GROUP_ID_NOT_FOUND, 69, 0, "Broker: the group id does not exist") \
    X(FETCH_SESSION_ID_NOT_FOUND, 70, KC_ERRF_RETRIABLE, "Broker: the fetch session id was not found") \
    X(INVALID_FETCH_SESSION_EPOCH, 71, KC_ERRF_RETRIABLE, "Broker: the fetch session epoch is invalid") \
    X(LISTENER_NOT_FOUND, 72, KC_ERRF_RETRIABLE, "Broker: no matching listener") \
    X(TOPIC_DELETION_DISABLED, 73, 0, "Broker: topic deletion is disabled") \
    X(FENCED_LEADER_EPOCH, 74, KC_ERRF_RETRIABLE, "Broker: leader epoch is older than broker epoch") \
    X(UNKNOWN_LEADER_EPOCH, 75, KC_ERRF_RETRIABLE, "Broker: leader epoch is newer than broker epoch") \
    X(UNSUPPORTED_COMPRESSION_TYPE, 76, 0, "Broker: unsupported compression type") \
    X(STALE_BROKER_EPOCH, 77, 0, "Broker: broker epoch has changed") \
    X(OFFSET_NOT_AVAILABLE, 78, KC_ERRF_RETRIABLE, "Broker: leader high watermark is not caught up") \
    X(MEMBER_ID_REQUIRED, 79, 0, "Broker: group member needs a valid member id") \
    X(PREFERRED_LEADER_NOT_AVAILABLE, 80, KC_ERRF_RETRIABLE, "Broker: preferred leader was not available") \
    X(GROUP_MAX_SIZE_REACHED, 81, 0, "Broker: consumer group has reached maximum size") \
    X(FENCED_INSTANCE_ID, 82, 0, "Broker: static consumer fenced by other consumer with same group.instance.id") \
    X(ELIGIBLE_LEADERS_NOT_AVAILABLE, 83, KC_ERRF_RETRIABLE, "Broker: eligible partition leaders are not available") \
    X(ELECTION_NOT_NEEDED, 84, KC_ERRF_RETRIABLE, "Broker: leader election not needed for topic partition") \
    X(NO_REASSIGNMENT_IN_PROGRESS, 85, 0, "Broker: no partition reassignment is in progress") \
    X(GROUP_SUBSCRIBED_TO_TOPIC, 86, 0, "Broker: deleting offsets of a topic while the consumer group is subscribed to it") \
    X(INVALID_RECORD, 87, 0, "Broker: broker failed to validate record") \
    X(UNSTABLE_OFFSET_COMMIT, 88, KC_ERRF_RETRIABLE, "Broker: there are unstable offsets that need to be cleared") \
    X(THROTTLING_QUOTA_EXCEEDED, 89, KC_ERRF_RETRIABLE, "Broker: throttling quota has been exceeded") \
    X(PRODUCER_FENCED, 90, 0, "Broker: there is a newer producer with the same transactional id which fences the current one") \
    X(RESOURCE_NOT_FOUND, 91, 0, "Broker: request illegally referred to resource that does not exist") \
    X(DUPLICATE_RESOURCE, 92, 0, "Broker: request illegally referred to the same resource twice") \
    X(UNACCEPTABLE_CREDENTIAL, 93, 0, "Broker: requested credential would not meet criteria for acceptability") \
    X(INCONSISTENT_VOTER_SET, 94, 0, "Broker: indicates that either the sender or recipient of a voter-only request is not one of the expected voters") \
    X(INVALID_UPDATE_VERSION, 95, 0, "Broker: invalid update version") \
    X(FEATURE_UPDATE_FAILED, 96, 0, "Broker: unable to update finalized features due to server error") \
    X(PRINCIPAL_DESERIALIZATION_FAILURE, 97, 0, "Broker: request principal deserialization failed during forwarding") \
    X(SNAPSHOT_NOT_FOUND, 98, 0, "Broker: the requested snapshot was not found") \
    X(POSITION_OUT_OF_RANGE, 99, 0, "Broker: requested position is not greater than or equal to zero, and less than the size of the snapshot") \
    X(UNKNOWN_TOPIC_ID, 100, KC_ERRF_RETRIABLE, "Broker: this server does not host this topic id") \
    X(DUPLICATE_BROKER_REGISTRATION, 101, 0, "Broker: this broker id is already in use") \
    X(BROKER_ID_NOT_REGISTERED, 102, 0, "Broker: the given broker id was not registered") \
    X(INCONSISTENT_TOPIC_ID, 103, KC_ERRF_RETRIABLE, "Broker: the log's topic id did not match the topic id in the request") \
    X(INCONSISTENT_CLUSTER_ID, 104, 0, "Broker: the clusterId in the request does not match that found on the server") \
    X(TRANSACTIONAL_ID_NOT_FOUND, 105, 0, "Broker: the transactionalId could not be found") \
    X(FETCH_SESSION_TOPIC_ID_ERROR, 106, KC_ERRF_RETRIABLE, "Broker: the fetch session encountered inconsistent topic id usage") \
    X(INELIGIBLE_REPLICA, 107, 0, "Broker: the new ISR contains at least one ineligible replica") \
    X(NEW_LEADER_ELECTED, 108, 0, "Broker: the AlterPartition request successfully updated the partition state but the leader has changed") \
    X(OFFSET_MOVED_TO_TIERED_STORAGE, 109, 0, "Broker: the requested offset is moved to tiered storage") \
    X(FENCED_MEMBER_EPOCH, 110, 0, "Broker: the member epoch is fenced by the group coordinator") \
    X(UNRELEASED_INSTANCE_ID, 111, 0, "Broker: the instance id is still used by another member") \
    X(UNSUPPORTED_ASSIGNOR, 112, 0, "Broker: the assignor or its version range is not supported by the group") \
    X(STALE_MEMBER_EPOCH, 113, 0, "Broker: the member epoch is stale") \
    X(MISMATCHED_ENDPOINT_TYPE, 114, 0, "Broker: the request was sent to an endpoint of the wrong type") \
    X(UNSUPPORTED_ENDPOINT_TYPE, 115, 0, "Broker: this endpoint type is not supported yet") \
    X(UNKNOWN_CONTROLLER_ID, 116, 0, "Broker: this controller id is not known") \
    X(UNKNOWN_SUBSCRIPTION_ID, 117, 0, "Broker: client sent a push telemetry request with an invalid or outdated subscription id") \
    X(TELEMETRY_TOO_LARGE, 118, 0, "Broker: client sent a push telemetry request larger than the maximum size") \
    X(INVALID_REGISTRATION, 119, 0, "Broker: the controller has considered the broker registration to be invalid") \
    X(TRANSACTION_ABORTABLE, 120, 0, "Broker: the server encountered an error with the transaction; the client can abort it and continue") \
    X(INVALID_RECORD_STATE, 121, 0, "Broker: the record state is invalid") \
    X(SHARE_SESSION_NOT_FOUND, 122, KC_ERRF_RETRIABLE, "Broker: the share session was not found") \
    X(INVALID_SHARE_SESSION_EPOCH, 123, KC_ERRF_RETRIABLE, "Broker: the share session epoch is invalid") \
    X(FENCED_STATE_EPOCH, 124, 0, "Broker: the share coordinator rejected the request because the share-group state epoch did not match") \
    X(INVALID_VOTER_KEY, 125, 0, "Broker: the voter key does not match the receiving replica's key") \
    X(DUPLICATE_VOTER, 126, 0, "Broker: the voter is already part of the set of voters") \
    X(VOTER_NOT_FOUND, 127, 0, "Broker: the voter is not part of the set of voters") \
    X(INVALID_REGULAR_EXPRESSION, 128, 0, "Broker: the regular expression is not valid") \
    X(REBOOTSTRAP_REQUIRED, 129, 0, "Broker: client metadata is stale; the client should rebootstrap") \
    X(STREAMS_INVALID_TOPOLOGY, 130, 0, "Broker: the supplied topology is invalid") \
    X(STREAMS_INVALID_TOPOLOGY_EPOCH, 131, 0, "Broker: the supplied topology epoch is invalid") \
    X(STREAMS_TOPOLOGY_FENCED, 132, 0, "Broker: the supplied topology epoch is outdated") \
    X(SHARE_SESSION_LIMIT_REACHED, 133, KC_ERRF_RETRIABLE, "Broker: the limit of share sessions has been reached")

typedef enum kc_err {
#define KC__ERR_ENUM(name, code, flags, desc) KC_ERR_##name = (code),
    KC_ERRORS(KC__ERR_ENUM)
#undef KC__ERR_ENUM
} kc_err_t;

/* "NOT_LEADER_OR_FOLLOWER", "_TIMED_OUT", ...; "UNKNOWN_ERROR_<n>" style
 * text for codes this version does not know (static storage). */
KC_EXPORT const char *kc_err_name(kc_err_t err);
/* Human-readable description (static storage). */
KC_EXPORT const char *kc_err_desc(kc_err_t err);
/* 1 when retrying the failed operation may succeed, else 0. */
KC_EXPORT int kc_err_is_retriable(kc_err_t err);

/* An error with a message naming what failed (the key, topic, broker) and
 * flags. Returned by calls that deliver errors asynchronously; free with
 * kc_error_destroy(). */
typedef struct kc_error kc_error_t;
KC_EXPORT kc_err_t kc_error_code(const kc_error_t *e);
/* Borrowed until kc_error_destroy(e). */
KC_EXPORT const char *kc_error_name(const kc_error_t *e);
KC_EXPORT const char *kc_error_message(const kc_error_t *e);
KC_EXPORT int kc_error_is_retriable(const kc_error_t *e);
KC_EXPORT int kc_error_is_fatal(const kc_error_t *e);
KC_EXPORT int kc_error_txn_requires_abort(const kc_error_t *e);
KC_EXPORT void kc_error_destroy(kc_error_t *e);

/* ------------------------------------------------------------------ */
/* Configuration
 *
 * Keys and value syntax follow the Java client and librdkafka
 * ("bootstrap.servers", "client.id", "request.timeout.ms", ...).
 * docs/CONFIGURATION.md lists every key with its type, default and range. */
typedef struct kc_conf kc_conf_t;

/* A configuration with every key at its default. NULL only when out of
 * memory. Free with kc_conf_destroy(). */
KC_EXPORT kc_conf_t *kc_conf_new(void);
/* A deep copy; free with kc_conf_destroy(). NULL when out of memory. */
KC_EXPORT kc_conf_t *kc_conf_dup(const kc_conf_t *conf);
KC_EXPORT void kc_conf_destroy(kc_conf_t *conf);

/* Sets `name` to `value` (both copied). Returns KC_ERR_NO_ERROR, or
 * KC_ERR__NOENT for an unknown key, KC_ERR__INVALID_ARG for a value of the
 * wrong type or out of range, with the key and reason written to errstr
 * (may be NULL). A NULL value resets the key to its default. */
KC_EXPORT kc_err_t kc_conf_set(kc_conf_t *conf, const char *name, const char *value,
                               char *errstr, size_t errstr_size);

/* Writes the current value of `name` as text into buf (NUL-terminated,
 * truncated to size). Returns KC_ERR__NOENT for an unknown key. *sizep, when
 * not NULL, receives the full length needed including the NUL. */
KC_EXPORT kc_err_t kc_conf_get(const kc_conf_t *conf, const char *name, char *buf,
                               size_t size, size_t *sizep);

/* ------------------------------------------------------------------ */
/* Callbacks and events
 *
 * Callbacks are registered on the configuration before the client is
 * created. They run only on the application's thread, inside kc_*_poll(),
 * kc_producer_flush() and kc_producer_destroy() - never on an internal
 * thread. `opaque` is the value given to kc_conf_set_opaque(). */
typedef struct kc_producer kc_producer_t;
typedef struct kc_delivery kc_delivery_t;

/* Delivery report: called exactly once per record accepted by kc_produce(),
 * with success (offset) or the error that ended it - also at destroy
 * (KC_ERR__DESTROY) and after kc_producer_purge() (KC_ERR__PURGE_QUEUE). */
typedef void kc_delivery_cb(kc_producer_t *p, const kc_delivery_t *dr, void *opaque);
/* Errors that are not tied to one record (all brokers down, fatal
 * idempotence errors). `err` is borrowed until the callback returns. */
typedef void kc_error_cb(void *client, const kc_error_t *err, void *opaque);
/* Log lines at or below log_level (syslog levels, 7 = debug). `fac` is a
 * short facility ("BROKER", "METADATA", ...). Strings are borrowed until the
 * callback returns. Without a log callback lines go to stderr. */
typedef void kc_log_cb(void *client, int level, const char *fac, const char *msg, void *opaque);

KC_EXPORT void kc_conf_set_opaque(kc_conf_t *conf, void *opaque);
KC_EXPORT void kc_conf_set_delivery_cb(kc_conf_t *conf, kc_delivery_cb *cb);
KC_EXPORT void kc_conf_set_error_cb(kc_conf_t *conf, kc_error_cb *cb);
KC_EXPORT void kc_conf_set_log_cb(kc_conf_t *conf, kc_log_cb *cb);

/* Custom partitioner, replacing the `partitioner` setting for records
 * produced with KC_PARTITION_ANY: returns a partition in
 * [0, partition_cnt) for the record with this key (NULL: null key).
 * Unlike the other callbacks it runs on whichever thread places the record
 * (the kc_produce() caller, or an internal thread for records that waited
 * for their topic's metadata): it must be thread-safe and must not call the
 * producer. An out-of-range answer fails the record with
 * _UNKNOWN_PARTITION. */
typedef int32_t kc_partitioner_cb(const char *topic, const void *key, size_t key_len,
                                  int32_t partition_cnt, void *opaque);
KC_EXPORT void kc_conf_set_partitioner_cb(kc_conf_t *conf, kc_partitioner_cb *cb);

/* Delivery report accessors. Everything is borrowed until the delivery
 * callback returns. */
KC_EXPORT kc_err_t kc_delivery_error(const kc_delivery_t *dr);
/* Explanation of a failed delivery ("" on success). */
KC_EXPORT const char *kc_delivery_errstr(const kc_delivery_t *dr);
KC_EXPORT const char *kc_delivery_topic(const kc_delivery_t *dr);
KC_EXPORT int32_t kc_delivery_partition(const kc_delivery_t *dr);
/* Offset in the partition; -1 when unknown (failure, or acks=0). */
KC_EXPORT int64_t kc_delivery_offset(const kc_delivery_t *dr);
/* The record's timestamp (ms since the epoch): create time, or the broker's
 * log-append time when the topic uses it. */
KC_EXPORT int64_t kc_delivery_timestamp(const kc_delivery_t *dr);
/* The record's key and value as produced; NULL (and *lenp 0) for null. */
KC_EXPORT const void *kc_delivery_key(const kc_delivery_t *dr, size_t *lenp);
KC_EXPORT const void *kc_delivery_value(const kc_delivery_t *dr, size_t *lenp);
/* The per-record opaque given to kc_produce(). */
KC_EXPORT void *kc_delivery_opaque(const kc_delivery_t *dr);

/* ------------------------------------------------------------------ */
/* Record headers */
typedef struct kc_headers kc_headers_t;

/* An empty header list; free with kc_headers_destroy() unless ownership
 * passed to kc_produce(). NULL when out of memory. */
KC_EXPORT kc_headers_t *kc_headers_new(void);
/* Appends a header (name and value copied; value NULL is a null value).
 * Duplicate names are allowed, as in Kafka. */
KC_EXPORT kc_err_t kc_headers_add(kc_headers_t *h, const char *name, const void *value,
                                  size_t value_len);
KC_EXPORT size_t kc_headers_count(const kc_headers_t *h);
KC_EXPORT void kc_headers_destroy(kc_headers_t *h);

/* ------------------------------------------------------------------ */
/* Producer
 *
 * Thread safety: kc_produce(), kc_producer_poll(), kc_producer_flush() and
 * kc_producer_outq_len() may be called from any threads at once; callbacks
 * run on whichever thread polls. kc_producer_destroy() must be the last
 * call. */

/* Creates a producer. conf is copied (the caller keeps and frees it).
 * Returns NULL and explains why in errstr: a missing bootstrap.servers,
 * inconsistent settings (e.g. enable.idempotence=true with acks=1), or out
 * of resources. The producer starts connecting in the background. */
KC_EXPORT kc_producer_t *kc_producer_new(const kc_conf_t *conf, char *errstr, size_t errstr_size);

#define KC_PARTITION_ANY (-1)
/* kc_produce() flags. */
#define KC_PRODUCE_F_FREE 0x1  /* ownership of `value` passes on success: the library free()s it */
/* When the buffer is full, wait up to max.block.ms for space. Room is made
 * by serving delivery reports, so another thread must be polling. */
#define KC_PRODUCE_F_BLOCK 0x2

/* Queues one record for `topic` (copied). partition: KC_PARTITION_ANY to let
 * the configured partitioner choose. key/value: copied into the batch the
 * record will be sent in (NULL: null key / null value). headers: ownership
 * passes on success (NULL for none). timestamp_ms: 0 for now. msg_opaque is
 * returned in the record's delivery report.
 *
 * Returns KC_ERR_NO_ERROR (a delivery report will follow), or an error and
 * no delivery report: _QUEUE_FULL (buffer.memory /
 * queue.buffering.max.messages reached), MESSAGE_TOO_LARGE (larger than
 * message.max.bytes), _UNKNOWN_PARTITION (partition does not exist),
 * _INVALID_ARG (NULL or empty topic), _FATAL (the producer hit a fatal
 * error), _DESTROY (being destroyed). */
KC_EXPORT kc_err_t kc_produce(kc_producer_t *p, const char *topic, int32_t partition,
                              const void *key, size_t key_len, const void *value,
                              size_t value_len, kc_headers_t *headers, int64_t timestamp_ms,
                              int flags, void *msg_opaque);

/* Serves queued events (delivery reports, errors, logs) through their
 * callbacks, waiting up to timeout_ms (0: no wait, -1: forever) for the
 * first. Returns the number of events served. */
KC_EXPORT int kc_producer_poll(kc_producer_t *p, int timeout_ms);

/* Sends every queued record now (ignoring linger.ms) and waits up to
 * timeout_ms until all have their delivery reports served (callbacks run
 * here). Returns KC_ERR_NO_ERROR or KC_ERR__TIMED_OUT (records still
 * outstanding). */
KC_EXPORT kc_err_t kc_producer_flush(kc_producer_t *p, int timeout_ms);

/* Records (and delivery reports) not yet served. */
KC_EXPORT int kc_producer_outq_len(kc_producer_t *p);

/* Fails every record not yet sent with KC_ERR__PURGE_QUEUE (reported on the
 * next poll). Records already in flight complete normally. */
KC_EXPORT void kc_producer_purge(kc_producer_t *p);

/* Stops the producer: records not yet delivered are failed with
 * KC_ERR__DESTROY and their delivery reports are served here, on the
 * calling thread, before it returns; in-flight requests are abandoned
 * (their records may or may not have been written). Call
 * kc_producer_flush() first to deliver everything. NULL is a no-op. */
KC_EXPORT void kc_producer_destroy(kc_producer_t *p);

/* ------------------------------------------------------------------ */
/* Topic-partition lists
 *
 * An ordered list of (topic, partition) with, per entry, an offset, a
 * leader epoch, commit metadata and an error. Used for assignments,
 * offsets to commit, positions and query results. Not thread-safe. */
typedef struct kc_tplist kc_tplist_t;

/* Logical offsets (the same numbers as librdkafka). */
#define KC_OFFSET_BEGINNING (-2) /* the partition's earliest offset */
#define KC_OFFSET_END (-1)       /* the partition's end (next produced record) */
#define KC_OFFSET_STORED (-1000) /* the group's committed offset, else auto.offset.reset */
#define KC_OFFSET_INVALID (-1001) /* no offset */

/* An empty list; free with kc_tplist_destroy(). NULL when out of memory. */
KC_EXPORT kc_tplist_t *kc_tplist_new(int size_hint);
/* A deep copy; free with kc_tplist_destroy(). NULL when out of memory. */
KC_EXPORT kc_tplist_t *kc_tplist_copy(const kc_tplist_t *l);
KC_EXPORT void kc_tplist_destroy(kc_tplist_t *l);
/* Appends (topic copied) with offset KC_OFFSET_INVALID, leader epoch -1, no
 * metadata and no error. Returns the new entry's index, or -1 when out of
 * memory or topic is NULL or empty. */
KC_EXPORT int kc_tplist_add(kc_tplist_t *l, const char *topic, int32_t partition);
KC_EXPORT int kc_tplist_count(const kc_tplist_t *l);
/* Index of (topic, partition), or -1. */
KC_EXPORT int kc_tplist_find(const kc_tplist_t *l, const char *topic, int32_t partition);
/* Accessors; an index out of range returns NULL / -1 / KC_OFFSET_INVALID /
 * KC_ERR__INVALID_ARG. Strings are borrowed until the entry is changed or
 * the list destroyed. */
KC_EXPORT const char *kc_tplist_topic(const kc_tplist_t *l, int i);
KC_EXPORT int32_t kc_tplist_partition(const kc_tplist_t *l, int i);
KC_EXPORT int64_t kc_tplist_offset(const kc_tplist_t *l, int i);
KC_EXPORT int32_t kc_tplist_leader_epoch(const kc_tplist_t *l, int i);
/* Commit metadata ("" when none). */
KC_EXPORT const char *kc_tplist_metadata(const kc_tplist_t *l, int i);
KC_EXPORT kc_err_t kc_tplist_error(const kc_tplist_t *l, int i);
KC_EXPORT void kc_tplist_set_offset(kc_tplist_t *l, int i, int64_t offset);
KC_EXPORT void kc_tplist_set_leader_epoch(kc_tplist_t *l, int i, int32_t epoch);
/* metadata copied (NULL: none). Returns _INVALID_ARG for a bad index,
 * _CRIT_SYS_RESOURCE when out of memory. */
KC_EXPORT kc_err_t kc_tplist_set_metadata(kc_tplist_t *l, int i, const char *metadata);
KC_EXPORT void kc_tplist_set_error(kc_tplist_t *l, int i, kc_err_t err);

/* ------------------------------------------------------------------ */
/* Consumer
 *
 * A consumer reads records from partitions it is assigned, either by the
 * group (kc_consumer_subscribe(): group.id required) or by the application
 * (kc_consumer_assign()). Everything happens in the background (fetching,
 * heartbeats, auto-commit); the application calls kc_consumer_poll(), which
 * returns the next record and runs the rebalance and commit callbacks.
 *
 * Thread safety: every call may be made from any thread, but records and
 * callbacks come out of one queue: poll from one thread at a time.
 * kc_consumer_destroy() must be the last call. */
typedef struct kc_consumer kc_consumer_t;
typedef struct kc_message kc_message_t;

/* Rebalance events. */
#define KC_REBALANCE_ASSIGN 1 /* partitions given to this member */
#define KC_REBALANCE_REVOKE 2 /* partitions taken away (offsets may be committed) */
#define KC_REBALANCE_LOST 3   /* partitions lost without a clean revoke (session
                                 expired, fenced): others may own them already */

/* Rebalance callback, run inside kc_consumer_poll() (and kc_consumer_close()).
 * With the eager assignors (range, roundrobin) ASSIGN carries the whole new
 * assignment and REVOKE the whole old one; with cooperative-sticky both carry
 * only the partitions that move. `partitions` is borrowed until the callback
 * returns; an ASSIGN entry's offset is KC_OFFSET_STORED.
 *
 * When the callback returns the library applies the change (incremental
 * assign or unassign of `partitions`), unless the callback called
 * kc_consumer_assign() / kc_consumer_incremental_assign() (for ASSIGN) or
 * kc_consumer_assign(NULL) / kc_consumer_incremental_unassign() (for REVOKE
 * and LOST) itself - for example to start from offsets of its own. With
 * enable.auto.commit the positions of revoked partitions are committed
 * before the callback runs. Without a callback the library applies the
 * change itself. */
typedef void kc_rebalance_cb(kc_consumer_t *c, int event, const kc_tplist_t *partitions,
                             void *opaque);
/* Offset commit result, run inside kc_consumer_poll() for every commit that
 * has a result: automatic ones and kc_consumer_commit(..., async=1). err is
 * the overall result; each entry of `offsets` (borrowed until the callback
 * returns) carries its own error. */
typedef void kc_offset_commit_cb(kc_consumer_t *c, kc_err_t err, const kc_tplist_t *offsets,
                                 void *opaque);
KC_EXPORT void kc_conf_set_rebalance_cb(kc_conf_t *conf, kc_rebalance_cb *cb);
KC_EXPORT void kc_conf_set_offset_commit_cb(kc_conf_t *conf, kc_offset_commit_cb *cb);

/* Creates a consumer. conf is copied. Returns NULL and explains why in
 * errstr: a missing bootstrap.servers, an unknown
 * partition.assignment.strategy, out of resources. Producer-only keys are
 * ignored with a warning naming them (log level 4), as librdkafka does, so
 * one configuration may serve a producer and a consumer. */
KC_EXPORT kc_consumer_t *kc_consumer_new(const kc_conf_t *conf, char *errstr, size_t errstr_size);

/* Subscribes to topics (names copied), replacing any earlier subscription.
 * A name starting with '^' is a POSIX extended regular expression matched
 * against every topic in the cluster (re-checked at each metadata refresh).
 * Topics that do not exist yet are picked up once they appear. Requires
 * group.id. Returns _INVALID_ARG (errstr names the bad topic or pattern,
 * or the missing group.id), or _CONFLICT when partitions were assigned
 * manually. */
KC_EXPORT kc_err_t kc_consumer_subscribe(kc_consumer_t *c, const char *const *topics,
                                         size_t topic_cnt, char *errstr, size_t errstr_size);
/* Leaves the group's subscription (the current partitions are revoked
 * through the rebalance callback at the next poll). */
KC_EXPORT kc_err_t kc_consumer_unsubscribe(kc_consumer_t *c);
/* The current subscription as a list with partition -1 entries; free with
 * kc_tplist_destroy(). */
KC_EXPORT kc_err_t kc_consumer_subscription(kc_consumer_t *c, kc_tplist_t **topicsp);

/* Replaces the assignment with `partitions` (copied; NULL: none). Each
 * entry's offset says where to start: an offset >= 0, KC_OFFSET_BEGINNING,
 * KC_OFFSET_END, or KC_OFFSET_STORED / KC_OFFSET_INVALID (the committed
 * offset, else auto.offset.reset). */
KC_EXPORT kc_err_t kc_consumer_assign(kc_consumer_t *c, const kc_tplist_t *partitions);
/* Adds partitions to / removes them from the assignment. Adding one already
 * assigned, or removing one not assigned, is _INVALID_ARG (naming it) and
 * changes nothing. */
KC_EXPORT kc_err_t kc_consumer_incremental_assign(kc_consumer_t *c, const kc_tplist_t *partitions);
KC_EXPORT kc_err_t kc_consumer_incremental_unassign(kc_consumer_t *c,
                                                    const kc_tplist_t *partitions);
/* The current assignment (free with kc_tplist_destroy()). */
KC_EXPORT kc_err_t kc_consumer_assignment(kc_consumer_t *c, kc_tplist_t **partitionsp);

/* Returns the next record or event, waiting up to timeout_ms (0: no wait,
 * -1: forever), or NULL on timeout. Rebalance, commit, error and log
 * callbacks run here. A returned message is either a record
 * (kc_message_error() == 0) or an event with an error code:
 * _PARTITION_EOF (enable.partition.eof: reached the end of a partition),
 * a per-partition fetch error (topic and partition set), or a consumer-wide
 * error. Free with kc_message_destroy(). */
KC_EXPORT kc_message_t *kc_consumer_poll(kc_consumer_t *c, int timeout_ms);
/* Like kc_consumer_poll() for up to `max` messages (also capped by
 * max.poll.records): waits up to timeout_ms for the first, then takes what
 * is already fetched. Returns the number stored in msgs[]; each must be
 * freed with kc_message_destroy(). */
KC_EXPORT int kc_consumer_poll_batch(kc_consumer_t *c, kc_message_t **msgs, int max,
                                     int timeout_ms);

/* Commits offsets to the group coordinator: `offsets` (copied; each entry's
 * offset is the next record to read, i.e. last processed + 1), or the
 * current positions of every assigned partition when NULL. async = 0 waits
 * for the result, at most about default.api.timeout.ms (then _TIMED_OUT;
 * no callback runs meanwhile); async = 1 returns at once and reports
 * through the offset commit callback. Errors:
 * _NO_OFFSET (nothing to commit), _INVALID_ARG (no group.id),
 * _ASSIGNMENT_LOST (group-managed consumer and a partition is not assigned
 * to it any more: it was rebalanced away), or the coordinator's error. */
KC_EXPORT kc_err_t kc_consumer_commit(kc_consumer_t *c, const kc_tplist_t *offsets, int async);
/* With enable.auto.offset.store=false: stores each entry's offset (the
 * next record to read, i.e. last processed + 1) as the one the next commit
 * of that partition takes (automatic commits, and kc_consumer_commit()
 * with NULL). Entries not assigned get _UNKNOWN_PARTITION. Returns the
 * first entry error, or _INVALID_ARG when enable.auto.offset.store is
 * true. A seek or a new assignment clears the stored offset. */
KC_EXPORT kc_err_t kc_consumer_offsets_store(kc_consumer_t *c, kc_tplist_t *offsets);
/* Stores the offset after `m` (see kc_consumer_offsets_store()). */
KC_EXPORT kc_err_t kc_consumer_store_message(kc_consumer_t *c, const kc_message_t *m);
/* Commits the offset after `m` for its partition. */
KC_EXPORT kc_err_t kc_consumer_commit_message(kc_consumer_t *c, const kc_message_t *m, int async);
/* Fills each entry's offset (and metadata) with the group's committed
 * offset (KC_OFFSET_INVALID when none), waiting up to timeout_ms. */
KC_EXPORT kc_err_t kc_consumer_committed(kc_consumer_t *c, kc_tplist_t *partitions,
                                         int timeout_ms);
/* Fills each entry's offset with the position: the offset of the next
 * record poll will return (KC_OFFSET_INVALID when not known yet). Entries
 * not assigned get the error _UNKNOWN_PARTITION. */
KC_EXPORT kc_err_t kc_consumer_position(kc_consumer_t *c, kc_tplist_t *partitions);
/* Moves the position of an assigned partition to offset (>= 0 or a logical
 * offset); records fetched before are dropped. Returns _UNKNOWN_PARTITION
 * when not assigned. */
KC_EXPORT kc_err_t kc_consumer_seek(kc_consumer_t *c, const char *topic, int32_t partition,
                                    int64_t offset);
/* Stops / restarts fetching of assigned partitions (kept across
 * rebalances). Records already fetched are kept back until resume. */
KC_EXPORT kc_err_t kc_consumer_pause(kc_consumer_t *c, const kc_tplist_t *partitions);
KC_EXPORT kc_err_t kc_consumer_resume(kc_consumer_t *c, const kc_tplist_t *partitions);
/* Asks the partition's leader for its low (log start) and high (end)
 * offsets, waiting up to timeout_ms. */
KC_EXPORT kc_err_t kc_consumer_query_watermark_offsets(kc_consumer_t *c, const char *topic,
                                                       int32_t partition, int64_t *lowp,
                                                       int64_t *highp, int timeout_ms);
/* The watermarks learnt from the last fetch of an assigned partition
 * (KC_OFFSET_INVALID when none yet); does not block. */
KC_EXPORT kc_err_t kc_consumer_get_watermark_offsets(kc_consumer_t *c, const char *topic,
                                                     int32_t partition, int64_t *lowp,
                                                     int64_t *highp);
/* For each entry, whose offset holds a timestamp (ms since the epoch),
 * finds the earliest offset whose record timestamp is >= it (-1 when none:
 * past the end), waiting up to timeout_ms. */
KC_EXPORT kc_err_t kc_consumer_offsets_for_times(kc_consumer_t *c, kc_tplist_t *partitions,
                                                 int timeout_ms);
/* The member id the group coordinator gave this consumer ("" before the
 * first join). Copied into buf (NUL-terminated). */
KC_EXPORT void kc_consumer_memberid(kc_consumer_t *c, char *buf, size_t size);

/* Closes the consumer: revokes the assignment (rebalance callback runs
 * here), commits positions when enable.auto.commit is on, leaves the group
 * (unless static membership: group.instance.id) and stops fetching. Waits
 * at most session.timeout.ms. Call kc_consumer_destroy() afterwards. */
KC_EXPORT kc_err_t kc_consumer_close(kc_consumer_t *c);
/* Frees the consumer (closing it first if kc_consumer_close() was not
 * called). Messages still held by the application stay valid until they
 * are destroyed. NULL is a no-op. */
KC_EXPORT void kc_consumer_destroy(kc_consumer_t *c);

/* ------------------------------------------------------------------ */
/* Messages (records and events returned by kc_consumer_poll())
 *
 * Everything returned is borrowed until kc_message_destroy(m). Keys, values
 * and headers point into the fetched data: nothing is copied. A message
 * stays valid after its consumer is destroyed. */
#define KC_TIMESTAMP_NOT_AVAILABLE 0
#define KC_TIMESTAMP_CREATE_TIME 1
#define KC_TIMESTAMP_LOG_APPEND_TIME 2

/* 0 for a record; otherwise the event's error code. */
KC_EXPORT kc_err_t kc_message_error(const kc_message_t *m);
/* The event's explanation ("" for records). */
KC_EXPORT const char *kc_message_errstr(const kc_message_t *m);
/* NULL for consumer-wide events. */
KC_EXPORT const char *kc_message_topic(const kc_message_t *m);
KC_EXPORT int32_t kc_message_partition(const kc_message_t *m);
/* The record's offset (an event: the offset it concerns, or -1). */
KC_EXPORT int64_t kc_message_offset(const kc_message_t *m);
/* NULL (and *lenp 0) for a null key / value. lenp may be NULL. */
KC_EXPORT const void *kc_message_key(const kc_message_t *m, size_t *lenp);
KC_EXPORT const void *kc_message_value(const kc_message_t *m, size_t *lenp);
/* Milliseconds since the epoch; *typep (may be NULL) gets KC_TIMESTAMP_*. */
KC_EXPORT int64_t kc_message_timestamp(const kc_message_t *m, int *typep);
/* The partition leader epoch of the record's batch (-1 when unknown). */
KC_EXPORT int32_t kc_message_leader_epoch(const kc_message_t *m);
KC_EXPORT size_t kc_message_header_count(const kc_message_t *m);
/* Header i: name (namep, *name_lenp bytes, not NUL-terminated) and value
 * (NULL for a null value). Returns _NOENT when i is out of range,
 * _CRIT_SYS_RESOURCE when out of memory. */
KC_EXPORT kc_err_t kc_message_header(const kc_message_t *m, size_t i, const char **namep,
                                     size_t *name_lenp, const void **valuep, size_t *value_lenp);
/* NULL is a no-op. May be called from any thread. */
KC_EXPORT void kc_message_destroy(kc_message_t *m);

/* ------------------------------------------------------------------ */
/* Admin client
 *
 * Cluster administration: topics, partitions, configs, consumer groups and
 * their offsets, records. Every operation blocks the calling thread up to
 * timeout_ms (-1: request.timeout.ms) and returns KC_ERR_NO_ERROR with a
 * result in *resultp (free with kc_admin_result_destroy()) that carries one
 * item per topic / resource / group, each with its own error - or returns
 * an error for the whole call (_TIMED_OUT, _INVALID_ARG, the broker's
 * error) with errstr explaining it and *resultp NULL. Calls may be made
 * from any threads at once. The log and error callbacks run inside these
 * calls (and kc_admin_destroy()), on the calling thread, with the
 * kc_admin_t as `client`. */
typedef struct kc_admin kc_admin_t;
typedef struct kc_admin_result kc_admin_result_t;
typedef struct kc_new_topic kc_new_topic_t;
typedef struct kc_metadata kc_metadata_t; /* see "Cluster metadata" below */

/* Creates an admin client (conf copied). NULL with errstr on failure. */
KC_EXPORT kc_admin_t *kc_admin_new(const kc_conf_t *conf, char *errstr, size_t errstr_size);
/* NULL is a no-op. */
KC_EXPORT void kc_admin_destroy(kc_admin_t *a);

/* A topic to create: name (copied), partitions and replication factor (-1:
 * the broker's default). NULL when out of memory or name is empty. Free
 * with kc_new_topic_destroy(). */
KC_EXPORT kc_new_topic_t *kc_new_topic_new(const char *name, int32_t partitions,
                                           int16_t replication_factor);
/* Adds a topic config (copied). */
KC_EXPORT kc_err_t kc_new_topic_set_config(kc_new_topic_t *t, const char *name, const char *value);
KC_EXPORT void kc_new_topic_destroy(kc_new_topic_t *t);

/* Items: one per topic, in request order. validate_only checks without
 * creating. */
KC_EXPORT kc_err_t kc_admin_create_topics(kc_admin_t *a, kc_new_topic_t *const *topics, size_t n,
                                          int validate_only, int timeout_ms,
                                          kc_admin_result_t **resultp, char *errstr,
                                          size_t errstr_size);
KC_EXPORT kc_err_t kc_admin_delete_topics(kc_admin_t *a, const char *const *topics, size_t n,
                                          int timeout_ms, kc_admin_result_t **resultp,
                                          char *errstr, size_t errstr_size);
/* Raises each topic's partition count to totals[i]. */
KC_EXPORT kc_err_t kc_admin_create_partitions(kc_admin_t *a, const char *const *topics,
                                              const int32_t *totals, size_t n, int timeout_ms,
                                              kc_admin_result_t **resultp, char *errstr,
                                              size_t errstr_size);
/* Topics and brokers: the cluster's metadata for `topics` (NULL, 0: all),
 * as kc_metadata_fetch() returns it. */
KC_EXPORT kc_err_t kc_admin_describe_topics(kc_admin_t *a, const char *const *topics, size_t n,
                                            int timeout_ms, kc_metadata_t **mdp, char *errstr,
                                            size_t errstr_size);

/* Config resources and sources (Kafka's numbers). */
#define KC_RESOURCE_TOPIC 2
#define KC_RESOURCE_GROUP 32
#define KC_RESOURCE_BROKER 4
#define KC_CONFIG_SOURCE_UNKNOWN 0
#define KC_CONFIG_SOURCE_DYNAMIC_TOPIC 1
#define KC_CONFIG_SOURCE_DYNAMIC_BROKER 2
#define KC_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER 3
#define KC_CONFIG_SOURCE_STATIC_BROKER 4
#define KC_CONFIG_SOURCE_DEFAULT 5
#define KC_CONFIG_SOURCE_DYNAMIC_BROKER_LOGGER 6
#define KC_CONFIG_SOURCE_CLIENT_METRICS 7
#define KC_CONFIG_SOURCE_GROUP 8
/* Incremental config operations. */
#define KC_CONFIG_SET 0
#define KC_CONFIG_DELETE 1
#define KC_CONFIG_APPEND 2
#define KC_CONFIG_SUBTRACT 3

/* Items: one per resource name, with its config entries. */
KC_EXPORT kc_err_t kc_admin_describe_configs(kc_admin_t *a, int resource_type,
                                             const char *const *names, size_t n, int timeout_ms,
                                             kc_admin_result_t **resultp, char *errstr,
                                             size_t errstr_size);
/* Applies n operations (ops[i] KC_CONFIG_*, keys[i], values[i]; values may
 * be NULL for DELETE) to one resource. One item. */
KC_EXPORT kc_err_t kc_admin_incremental_alter_configs(kc_admin_t *a, int resource_type,
                                                      const char *name, const int *ops,
                                                      const char *const *keys,
                                                      const char *const *values, size_t n,
                                                      int timeout_ms, kc_admin_result_t **resultp,
                                                      char *errstr, size_t errstr_size);

/* Consumer groups. list: one item per group of every broker (name, state,
 * protocol type). describe: one item per group with state, protocol and
 * members (and their assignments). offsets: one item (the group) whose
 * partitions carry the committed offsets (parts NULL: every partition with
 * a commit). alter offsets: commits `offsets` for a group without active
 * members; per-partition errors in the item's partitions. delete: one item
 * per group. */
KC_EXPORT kc_err_t kc_admin_list_groups(kc_admin_t *a, int timeout_ms, kc_admin_result_t **resultp,
                                        char *errstr, size_t errstr_size);
KC_EXPORT kc_err_t kc_admin_describe_groups(kc_admin_t *a, const char *const *groups, size_t n,
                                            int timeout_ms, kc_admin_result_t **resultp,
                                            char *errstr, size_t errstr_size);
KC_EXPORT kc_err_t kc_admin_list_group_offsets(kc_admin_t *a, const char *group,
                                               const kc_tplist_t *parts, int timeout_ms,
                                               kc_admin_result_t **resultp, char *errstr,
                                               size_t errstr_size);
KC_EXPORT kc_err_t kc_admin_alter_group_offsets(kc_admin_t *a, const char *group,
                                                const kc_tplist_t *offsets, int timeout_ms,
                                                kc_admin_result_t **resultp, char *errstr,
                                                size_t errstr_size);
KC_EXPORT kc_err_t kc_admin_delete_groups(kc_admin_t *a, const char *const *groups, size_t n,
                                          int timeout_ms, kc_admin_result_t **resultp,
                                          char *errstr, size_t errstr_size);

/* Records. list offsets: each entry's offset is KC_OFFSET_BEGINNING,
 * KC_OFFSET_END or a timestamp; one item whose partitions carry the
 * offsets found (-1: none) and errors. delete records: deletes everything
 * before each entry's offset (KC_OFFSET_END: everything); one item whose
 * partitions carry the new low watermarks. */
KC_EXPORT kc_err_t kc_admin_list_offsets(kc_admin_t *a, const kc_tplist_t *parts, int timeout_ms,
                                         kc_admin_result_t **resultp, char *errstr,
                                         size_t errstr_size);
KC_EXPORT kc_err_t kc_admin_delete_records(kc_admin_t *a, const kc_tplist_t *before,
                                           int timeout_ms, kc_admin_result_t **resultp,
                                           char *errstr, size_t errstr_size);

/* Result accessors. Everything is borrowed until kc_admin_result_destroy();
 * indexes out of range give NULL / -1 / 0 / KC_ERR__INVALID_ARG. */
KC_EXPORT int kc_admin_result_count(const kc_admin_result_t *r);
/* The topic, resource or group name. */
KC_EXPORT const char *kc_admin_result_name(const kc_admin_result_t *r, int i);
KC_EXPORT kc_err_t kc_admin_result_error(const kc_admin_result_t *r, int i);
/* The broker's message, or the error's description ("" on success). */
KC_EXPORT const char *kc_admin_result_errstr(const kc_admin_result_t *r, int i);
/* Config entries of item i (describe_configs), sorted by name. */
KC_EXPORT int kc_admin_result_config_count(const kc_admin_result_t *r, int i);
KC_EXPORT const char *kc_admin_result_config_name(const kc_admin_result_t *r, int i, int j);
/* NULL for a null (or sensitive) value. */
KC_EXPORT const char *kc_admin_result_config_value(const kc_admin_result_t *r, int i, int j);
KC_EXPORT int kc_admin_result_config_source(const kc_admin_result_t *r, int i, int j);
KC_EXPORT int kc_admin_result_config_is_read_only(const kc_admin_result_t *r, int i, int j);
KC_EXPORT int kc_admin_result_config_is_sensitive(const kc_admin_result_t *r, int i, int j);
/* Partitions of item i (offsets, low watermarks), NULL when none. */
KC_EXPORT const kc_tplist_t *kc_admin_result_partitions(const kc_admin_result_t *r, int i);
/* Groups: state ("Stable", "Empty", ...), protocol type ("consumer"), the
 * chosen protocol (assignor); "" when unknown. */
KC_EXPORT const char *kc_admin_result_group_state(const kc_admin_result_t *r, int i);
KC_EXPORT const char *kc_admin_result_group_protocol_type(const kc_admin_result_t *r, int i);
KC_EXPORT const char *kc_admin_result_group_protocol(const kc_admin_result_t *r, int i);
/* Members of group i (describe_groups). */
KC_EXPORT int kc_admin_result_member_count(const kc_admin_result_t *r, int i);
KC_EXPORT const char *kc_admin_result_member_id(const kc_admin_result_t *r, int i, int j);
/* NULL for a dynamic member. */
KC_EXPORT const char *kc_admin_result_member_instance_id(const kc_admin_result_t *r, int i, int j);
KC_EXPORT const char *kc_admin_result_member_client_id(const kc_admin_result_t *r, int i, int j);
KC_EXPORT const char *kc_admin_result_member_host(const kc_admin_result_t *r, int i, int j);
/* The member's assigned partitions (consumer protocol), NULL when none. */
KC_EXPORT const kc_tplist_t *kc_admin_result_member_assignment(const kc_admin_result_t *r, int i,
                                                               int j);
KC_EXPORT void kc_admin_result_destroy(kc_admin_result_t *r);

/* ------------------------------------------------------------------ */
/* Cluster metadata */
typedef struct kc_metadata kc_metadata_t;

/* Connects to the brokers of `bootstrap.servers` in `conf` (in order, until
 * one answers), negotiates API versions and asks for metadata of `topics`
 * (topic_cnt names; topics == NULL and topic_cnt == 0 asks for all topics).
 * Blocks up to timeout_ms (-1: request.timeout.ms). On success stores a new metadata object in *mdp
 * (free with kc_metadata_destroy()) and returns KC_ERR_NO_ERROR; otherwise
 * returns the error and explains it in errstr (which broker, what failed).
 * conf is borrowed for the call. Topics that do not exist appear in the
 * result with their error (UNKNOWN_TOPIC_OR_PARTITION). */
KC_EXPORT kc_err_t kc_metadata_fetch(const kc_conf_t *conf, const char *const *topics,
                                     size_t topic_cnt, int timeout_ms, kc_metadata_t **mdp,
                                     char *errstr, size_t errstr_size);
KC_EXPORT void kc_metadata_destroy(kc_metadata_t *md);

/* All strings returned below are borrowed until kc_metadata_destroy(md).
 * Index arguments out of range return NULL / -1. */
KC_EXPORT const char *kc_metadata_cluster_id(const kc_metadata_t *md);
KC_EXPORT int32_t kc_metadata_controller_id(const kc_metadata_t *md);
/* The broker that answered, as "host:port". */
KC_EXPORT const char *kc_metadata_orig_broker(const kc_metadata_t *md);

KC_EXPORT int kc_metadata_broker_count(const kc_metadata_t *md);
KC_EXPORT int32_t kc_metadata_broker_id(const kc_metadata_t *md, int i);
KC_EXPORT const char *kc_metadata_broker_host(const kc_metadata_t *md, int i);
KC_EXPORT int kc_metadata_broker_port(const kc_metadata_t *md, int i);
/* NULL when the broker has no rack. */
KC_EXPORT const char *kc_metadata_broker_rack(const kc_metadata_t *md, int i);

/* Topics in name order. */
KC_EXPORT int kc_metadata_topic_count(const kc_metadata_t *md);
KC_EXPORT const char *kc_metadata_topic_name(const kc_metadata_t *md, int t);
KC_EXPORT kc_err_t kc_metadata_topic_error(const kc_metadata_t *md, int t);
KC_EXPORT int kc_metadata_topic_is_internal(const kc_metadata_t *md, int t);
/* Partitions of topic t in partition-id order. */
KC_EXPORT int kc_metadata_partition_count(const kc_metadata_t *md, int t);
KC_EXPORT int32_t kc_metadata_partition_id(const kc_metadata_t *md, int t, int p);
KC_EXPORT kc_err_t kc_metadata_partition_error(const kc_metadata_t *md, int t, int p);
/* -1 when the partition has no leader. */
KC_EXPORT int32_t kc_metadata_partition_leader(const kc_metadata_t *md, int t, int p);
KC_EXPORT int32_t kc_metadata_partition_leader_epoch(const kc_metadata_t *md, int t, int p);
KC_EXPORT int kc_metadata_partition_replica_count(const kc_metadata_t *md, int t, int p);
KC_EXPORT int32_t kc_metadata_partition_replica(const kc_metadata_t *md, int t, int p, int i);
KC_EXPORT int kc_metadata_partition_isr_count(const kc_metadata_t *md, int t, int p);
KC_EXPORT int32_t kc_metadata_partition_isr(const kc_metadata_t *md, int t, int p, int i);

#ifdef __cplusplus
}
#endif
#endif /* KAFKAC_H */
