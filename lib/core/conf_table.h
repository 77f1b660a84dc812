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
      KC__CS_ALL, "", "Client software version reported to brokers (KIP-511).")

#endif
