/* The configuration table: every key the client accepts, once.
 *
 * KC__CONF_TABLE(X) lists X(ID, "name", TYPE, "default", MIN, MAX, SCOPE,
 * "enum values|separated", "doc"). TYPE is one of KC__CT_STR, KC__CT_INT,
 * KC__CT_BOOL, KC__CT_ENUM. SCOPE is KC__CS_ALL, KC__CS_PRODUCER or
 * KC__CS_CONSUMER. docs/CONFIGURATION.md is generated from this table
 * (make docs) and checked against it by tests/unit/test_conf.c.
 *
 * A key is listed here only once the client honours it. */
#ifndef KC_CORE_CONF_TABLE_H
#define KC_CORE_CONF_TABLE_H

#define KC__CONF_TABLE(X) \
    X(BOOTSTRAP_SERVERS, "bootstrap.servers", KC__CT_STR, "", 0, 0, KC__CS_ALL, "", \
      "Comma-separated host:port list of brokers to bootstrap from; the client learns the rest " \
      "of the cluster from them. Required.") \
    X(CLIENT_ID, "client.id", KC__CT_STR, "kafkac", 0, 0, KC__CS_ALL, "", \
      "Client identifier sent with every request (broker logs, quotas).") \
    X(SECURITY_PROTOCOL, "security.protocol", KC__CT_ENUM, "plaintext", 0, 0, KC__CS_ALL, \
      "plaintext", "Protocol used to talk to brokers. Only plaintext in this release.") \
    X(REQUEST_TIMEOUT_MS, "request.timeout.ms", KC__CT_INT, "30000", 1, 900000, KC__CS_ALL, "", \
      "How long to wait for a broker's response to a request before failing it.") \
    X(SOCKET_CONNECTION_SETUP_TIMEOUT_MS, "socket.connection.setup.timeout.ms", KC__CT_INT, \
      "30000", 1000, 2147483647, KC__CS_ALL, "", \
      "Maximum time to establish a broker connection (TCP connect and API version " \
      "negotiation).") \
    X(SOCKET_SEND_BUFFER_BYTES, "socket.send.buffer.bytes", KC__CT_INT, "0", 0, 100000000, \
      KC__CS_ALL, "", "Socket send buffer size (SO_SNDBUF); 0 keeps the system default.") \
    X(SOCKET_RECEIVE_BUFFER_BYTES, "socket.receive.buffer.bytes", KC__CT_INT, "0", 0, \
      100000000, KC__CS_ALL, "", \
      "Socket receive buffer size (SO_RCVBUF); 0 keeps the system default.") \
    X(SOCKET_NAGLE_DISABLE, "socket.nagle.disable", KC__CT_BOOL, "true", 0, 0, KC__CS_ALL, "", \
      "Disable Nagle's algorithm (TCP_NODELAY) on broker sockets.") \
    X(CLIENT_SOFTWARE_NAME, "client.software.name", KC__CT_STR, "kafkac", 0, 0, KC__CS_ALL, "", \
      "Client software name reported to brokers in ApiVersionsRequest (KIP-511).") \
    X(CLIENT_SOFTWARE_VERSION, "client.software.version", KC__CT_STR, KC_VERSION_STR, 0, 0, \
      KC__CS_ALL, "", "Client software version reported to brokers (KIP-511).") \
    X(RECONNECT_BACKOFF_MS, "reconnect.backoff.ms", KC__CT_INT, "50", 0, 3600000, KC__CS_ALL, "", \
      "Initial wait before reconnecting to a broker; doubles (with +-20% jitter) after each " \
      "failed attempt up to reconnect.backoff.max.ms.") \
    X(RECONNECT_BACKOFF_MAX_MS, "reconnect.backoff.max.ms", KC__CT_INT, "1000", 0, 3600000, \
      KC__CS_ALL, "", "Upper bound of the reconnect backoff.") \
    X(METADATA_MAX_AGE_MS, "metadata.max.age.ms", KC__CT_INT, "300000", 1000, 86400000, \
      KC__CS_ALL, "", "Metadata is refreshed at least this often, and on errors that say it " \
      "is stale (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, disconnects).") \
    X(LOG_LEVEL, "log_level", KC__CT_INT, "6", 0, 7, KC__CS_ALL, "", \
      "Most verbose syslog level passed to the log callback (0 emerg .. 7 debug).") \
    X(ACKS, "acks", KC__CT_ENUM, "all", 0, 0, KC__CS_PRODUCER, "all|-1|0|1", \
      "Acknowledgements the leader waits for: 0 none (no delivery guarantee, no offsets), " \
      "1 the leader's log, all (-1) every in-sync replica. Idempotence requires all.") \
    X(LINGER_MS, "linger.ms", KC__CT_INT, "5", 0, 900000, KC__CS_PRODUCER, "", \
      "How long a partition's batch waits for more records before it is sent.") \
    X(BATCH_SIZE, "batch.size", KC__CT_INT, "16384", 1, 67108864, KC__CS_PRODUCER, "", \
      "A partition's batch is sent once its records take this many bytes (uncompressed).") \
    X(COMPRESSION_TYPE, "compression.type", KC__CT_ENUM, "none", 0, 0, KC__CS_PRODUCER, \
      "none|gzip|snappy|lz4|zstd", "Per-batch compression codec.") \
    X(COMPRESSION_LEVEL, "compression.level", KC__CT_INT, "-1", -1, 22, KC__CS_PRODUCER, "", \
      "Codec level: gzip 1-9, lz4 0-12, zstd 1-22; -1 is the codec's default.") \
    X(MESSAGE_MAX_BYTES, "message.max.bytes", KC__CT_INT, "1000000", 1000, 1000000000, \
      KC__CS_PRODUCER, "", "Largest record (and batch) the producer sends; larger records are " \
      "refused by kc_produce() with MESSAGE_TOO_LARGE.") \
    X(BUFFER_MEMORY, "buffer.memory", KC__CT_INT, "33554432", 1024, 4294967296, \
      KC__CS_PRODUCER, "", "Bytes of records the producer may hold undelivered; past it " \
      "kc_produce() returns _QUEUE_FULL or blocks (KC_PRODUCE_F_BLOCK) up to max.block.ms.") \
    X(QUEUE_BUFFERING_MAX_MESSAGES, "queue.buffering.max.messages", KC__CT_INT, "100000", 1, \
      2147483647, KC__CS_PRODUCER, "", "Records the producer may hold undelivered.") \
    X(MAX_BLOCK_MS, "max.block.ms", KC__CT_INT, "60000", 0, 2147483647, KC__CS_PRODUCER, "", \
      "How long kc_produce() with KC_PRODUCE_F_BLOCK waits for buffer space.") \
    X(DELIVERY_TIMEOUT_MS, "delivery.timeout.ms", KC__CT_INT, "120000", 1, 2147483647, \
      KC__CS_PRODUCER, "", "Upper bound on the time from kc_produce() to a delivery report; " \
      "records not acknowledged by then fail with _MSG_TIMED_OUT (or the last error).") \
    X(RETRIES, "retries", KC__CT_INT, "2147483647", 0, 2147483647, KC__CS_PRODUCER, "", \
      "How often a failed batch is resent on retriable errors (bounded by delivery.timeout.ms).") \
    X(RETRY_BACKOFF_MS, "retry.backoff.ms", KC__CT_INT, "100", 1, 300000, KC__CS_PRODUCER, "", \
      "Wait before the first retry of a batch; doubles per attempt up to retry.backoff.max.ms.") \
    X(RETRY_BACKOFF_MAX_MS, "retry.backoff.max.ms", KC__CT_INT, "1000", 1, 300000, \
      KC__CS_PRODUCER, "", "Upper bound of the retry backoff.") \
    X(ENABLE_IDEMPOTENCE, "enable.idempotence", KC__CT_BOOL, "true", 0, 0, KC__CS_PRODUCER, "", \
      "Exactly-once, in-order delivery per partition: producer id, epoch and sequence numbers " \
      "(requires acks=all, max.in.flight.requests.per.connection <= 5).") \
    X(MAX_IN_FLIGHT, "max.in.flight.requests.per.connection", KC__CT_INT, "5", 1, 1000, \
      KC__CS_ALL, "", "Requests sent to one broker before their responses arrive.") \
    X(PARTITIONER, "partitioner", KC__CT_ENUM, "murmur2_random", 0, 0, KC__CS_PRODUCER, \
      "murmur2_random|murmur2|consistent|consistent_random|random|round_robin|sticky", \
      "How records without an explicit partition are placed; the default matches the Java " \
      "client (murmur2 of the key, sticky batches for null keys).") \
    X(GROUP_ID, "group.id", KC__CT_STR, "", 0, 0, KC__CS_CONSUMER, "", \
      "Consumer group name; required by kc_consumer_subscribe() and for committing offsets.") \
    X(GROUP_INSTANCE_ID, "group.instance.id", KC__CT_STR, "", 0, 0, KC__CS_CONSUMER, "", \
      "Static membership (KIP-345): a member that restarts with the same id within " \
      "session.timeout.ms gets its partitions back without a rebalance. Empty: dynamic.") \
    X(CLIENT_RACK, "client.rack", KC__CT_STR, "", 0, 0, KC__CS_ALL, "", \
      "Rack of this client, sent in Fetch requests and group subscriptions.") \
    X(SESSION_TIMEOUT_MS, "session.timeout.ms", KC__CT_INT, "45000", 1, 3600000, \
      KC__CS_CONSUMER, "", "A member that sends no heartbeat for this long is removed from " \
      "the group; also the longest kc_consumer_close() waits.") \
    X(HEARTBEAT_INTERVAL_MS, "heartbeat.interval.ms", KC__CT_INT, "3000", 1, 3600000, \
      KC__CS_CONSUMER, "", "Interval between group heartbeats.") \
    X(MAX_POLL_INTERVAL_MS, "max.poll.interval.ms", KC__CT_INT, "300000", 1, 86400000, \
      KC__CS_CONSUMER, "", "A member that does not call kc_consumer_poll() for this long " \
      "leaves the group (its partitions go to others) and gets _MAX_POLL_EXCEEDED; it rejoins " \
      "at the next poll.") \
    X(PARTITION_ASSIGNMENT_STRATEGY, "partition.assignment.strategy", KC__CT_STR, \
      "range,roundrobin", 0, 0, KC__CS_CONSUMER, "", \
      "Assignors offered to the group, in order of preference: range, roundrobin, " \
      "cooperative-sticky. With only cooperative-sticky listed the consumer rebalances " \
      "incrementally; mixed with eager ones it uses the eager protocol, as the Java client.") \
    X(ENABLE_AUTO_COMMIT, "enable.auto.commit", KC__CT_BOOL, "true", 0, 0, KC__CS_CONSUMER, \
      "", "Commit positions (offsets of records already returned by poll) in the background " \
      "every auto.commit.interval.ms, before partitions are revoked, and at close.") \
    X(ENABLE_AUTO_OFFSET_STORE, "enable.auto.offset.store", KC__CT_BOOL, "true", 0, 0, \
      KC__CS_CONSUMER, "", "Each record returned by poll becomes the offset to commit. With " \
      "false, commits (automatic, and kc_consumer_commit() with NULL) take only the offsets " \
      "given to kc_consumer_offsets_store() / kc_consumer_store_message(): store after " \
      "processing for at-least-once without committing per record.") \
    X(AUTO_COMMIT_INTERVAL_MS, "auto.commit.interval.ms", KC__CT_INT, "5000", 0, 86400000, \
      KC__CS_CONSUMER, "", "Interval of automatic commits.") \
    X(AUTO_OFFSET_RESET, "auto.offset.reset", KC__CT_ENUM, "latest", 0, 0, KC__CS_CONSUMER, \
      "latest|earliest|none|error|smallest|largest|beginning|end", \
      "Where to start when there is no committed offset or it is out of range: latest, " \
      "earliest, or none/error (an _AUTO_OFFSET_RESET event and the partition stops).") \
    X(ENABLE_PARTITION_EOF, "enable.partition.eof", KC__CT_BOOL, "false", 0, 0, \
      KC__CS_CONSUMER, "", "Return a _PARTITION_EOF event each time a partition's end is reached.") \
    X(FETCH_MIN_BYTES, "fetch.min.bytes", KC__CT_INT, "1", 0, 100000000, KC__CS_CONSUMER, "", \
      "The broker answers a fetch once it has this many bytes (or fetch.max.wait.ms passed).") \
    X(FETCH_MAX_WAIT_MS, "fetch.max.wait.ms", KC__CT_INT, "500", 0, 300000, KC__CS_CONSUMER, \
      "", "Longest time the broker holds a fetch waiting for fetch.min.bytes.") \
    X(FETCH_MAX_BYTES, "fetch.max.bytes", KC__CT_INT, "52428800", 1, 2147483647, \
      KC__CS_CONSUMER, "", "Upper bound of one fetch response (at least one batch is always " \
      "returned).") \
    X(MAX_PARTITION_FETCH_BYTES, "max.partition.fetch.bytes", KC__CT_INT, "1048576", 1, \
      1000000000, KC__CS_CONSUMER, "", "Upper bound of the data returned for one partition " \
      "per fetch (at least one batch).") \
    X(ISOLATION_LEVEL, "isolation.level", KC__CT_ENUM, "read_uncommitted", 0, 0, \
      KC__CS_CONSUMER, "read_uncommitted|read_committed", \
      "read_committed returns only records of committed transactions (up to the last stable " \
      "offset); read_uncommitted returns everything but aborted-transaction control records.") \
    X(QUEUED_MAX_MESSAGES_KBYTES, "queued.max.messages.kbytes", KC__CT_INT, "65536", 1, \
      2097151, KC__CS_CONSUMER, "", "Fetched data (KiB) held ahead of the application before " \
      "fetching pauses.") \
    X(MAX_POLL_RECORDS, "max.poll.records", KC__CT_INT, "500", 1, 2147483647, KC__CS_CONSUMER, \
      "", "Most records one kc_consumer_poll_batch() returns.") \
    X(ALLOW_AUTO_CREATE_TOPICS, "allow.auto.create.topics", KC__CT_BOOL, "true", 0, 0, \
      KC__CS_CONSUMER, "", "Let the broker create a subscribed or assigned topic that does not " \
      "exist (when its auto.create.topics.enable is on), as the Java consumer does.") \
    X(DEFAULT_API_TIMEOUT_MS, "default.api.timeout.ms", KC__CT_INT, "60000", 1, 2147483647, \
      KC__CS_CONSUMER, "", "Longest a blocking consumer call without its own timeout (a " \
      "synchronous commit) waits.")

#endif
