#!/usr/bin/env bash
# examples/metadata shows the broker and a topic created with the Java topic
# tool (interop: the broker state written by Kafka's own tool, read by kafkac).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
topic="kafkac-example-$$-$(date +%s)"
tests/broker/kafka-local tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create \
    --topic "$topic" --partitions 3 --replication-factor 1 >/dev/null
# The broker learns the new topic from its metadata log a moment after the
# tool returns: look again for up to 10 s.
for ((i = 0; i < 50; i++)); do
    out=$("$BUILD/examples/metadata" -b "$KAFKAC_BOOTSTRAP")
    echo "$out" | grep -qF "topic \"$topic\" with 3 partition(s)" && break
    sleep 0.2
done
echo "$out" | grep -qE "^  broker [0-9]+ at 127\.0\.0\.1:[0-9]+" || { echo "no broker line in:"; echo "$out"; exit 1; }
echo "$out" | grep -qF "topic \"$topic\" with 3 partition(s)" || { echo "topic $topic missing in:"; echo "$out"; exit 1; }
for p in 0 1 2; do
    echo "$out" | grep -qE "^    partition $p, leader [0-9]+, replicas: [0-9]+, isrs: [0-9]+$" ||
        { echo "partition $p line missing:"; echo "$out"; exit 1; }
done
# Only this topic, by name.
one=$("$BUILD/examples/metadata" -b "$KAFKAC_BOOTSTRAP" -t "$topic")
[ "$(echo "$one" | grep -c '^  topic ')" = 1 ] || { echo "-t did not restrict:"; echo "$one"; exit 1; }
# A bad bootstrap list fails with a message naming the key.
if err=$("$BUILD/examples/metadata" -b "bad host:1" 2>&1); then
    echo "metadata accepted a bad bootstrap list"; exit 1
fi
echo "$err" | grep -q "bootstrap.servers" || { echo "error does not name the key: $err"; exit 1; }
echo "metadata example shows broker and Java-created topic $topic"
