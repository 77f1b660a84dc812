#!/usr/bin/env bash
# Subscribing to a topic that does not exist yet is not fatal: a kafkac
# group member (test_group_member driver) subscribes to a missing topic and
# keeps running (no fatal error, no exit); the topic is then created with 3
# partitions and kafkac's producer writes values to each partition; the
# member receives every one of them, from all 3 partitions.
#
# On a broker with auto.create.topics.enable=true (tests/broker/kafka-local)
# the member's own metadata requests create the topic with the broker's
# default partition count (kafkac asks with allow_auto_topic_creation, as
# Java's consumer does by default; librdkafka's consumer does not): the test
# says so, then grows the topic to 3 partitions instead of creating it, so
# the member must pick up the new partitions.
source "$(dirname "$0")/group_lib.sh"
topic="kafkac-cg-missing-$stamp"
group="$topic-g"
PER=100
topic_exists() { kt topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --describe --topic "$1" >/dev/null 2>&1; }

gm_start k1 "$group" range -- "$topic"
sleep 3
gm_alive k1 || fail "k1 exited while its topic did not exist"
fatal=$(grep ' ERROR .*(fatal)' "$tmp/k1.log" || true)
[ -z "$fatal" ] || fail "fatal error while the topic did not exist: $fatal"
errors_before=$(grep -c ' ERROR ' "$tmp/k1.log" || true)
if topic_exists "$topic"; then
    say "NOTE: $topic exists already: the subscription auto-created it (broker auto.create.topics.enable=true);" \
        "growing it to 3 partitions instead of creating it"
    kt topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --alter --topic "$topic" --partitions 3 >/dev/null
else
    say "$topic still missing after 3 s; creating it (3 partitions)"
    create_topic "$topic" 3
fi
for p in 0 1 2; do
    out=$(values "m$p" 1 "$PER" | "$PRODUCER" -b "$KAFKAC_BOOTSTRAP" -t "$topic" -p "$p" 2>&1) ||
        fail "producer: $out"
done
t_prod=$(date +%s%N)
got_all() { [ "$(awk '{ print $3 }' "$tmp/k1.out" 2>/dev/null | sort -u | wc -l)" -ge $((3 * PER)) ]; }
wait_until 40 "k1 receiving the $((3 * PER)) values" got_all
say "k1 received all $((3 * PER)) values $((($(date +%s%N) - t_prod) / 1000000)) ms after they were produced"
gm_stop k1
parts=$(awk '{ print $1 }' "$tmp/k1.out" | sort -nu | tr '\n' ' ')
[ "$parts" = "0 1 2 " ] || fail "records from partitions [$parts], expected 0 1 2"
for p in 0 1 2; do
    [ "$(awk -v p="$p" '$1 == p { print $3 }' "$tmp/k1.out" | sort -u)" = "$(values "m$p" 1 "$PER")" ] ||
        fail "partition $p: not exactly the values produced to it"
done
[ "$(gm_owned k1)" = "" ] || true # closed: everything revoked
grep -q " ASSIGN .*$topic:2" "$tmp/k1.log" || fail "no ASSIGN of partition 2"
say "errors logged while the topic was missing: $errors_before; in all: $(grep -c ' ERROR ' "$tmp/k1.log" || true)"
grep ' ERROR ' "$tmp/k1.log" | head -3 | sed 's/^/     /' || true
echo "missing topic: subscription survived, $((3 * PER)) values received from 3 partitions"
