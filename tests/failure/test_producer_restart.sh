#!/usr/bin/env bash
# Idempotent producer across a broker crash: 1,000,000 records are produced
# (acks=all, idempotence on) while the broker is killed with SIGKILL and
# started again. Reading the topic back with Kafka's Java console consumer,
# every record must be there exactly once, and in produce order within each
# partition. Prints the counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
N=${KAFKAC_RESTART_RECORDS:-1000000}
kl=tests/broker/kafka-local
topic="kafkac-restart-$$-$(date +%s)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create --topic "$topic" \
    --partitions 3 --replication-factor 1 >/dev/null

"$BUILD/examples/producer" -b "$KAFKAC_BOOTSTRAP" -t "$topic" -n "$N" \
    -X enable.idempotence=true -X acks=all -X linger.ms=5 -X delivery.timeout.ms=300000 \
    >"$out/producer.out" 2>"$out/producer.err" &
ppid=$!
sleep 0.4
node=$($kl status | sed -nE 's/^node ([0-9]+):.*alive.*/\1/p' | head -n 1)
$kl kill "$node"
sleep 1
$kl restart "$node"
if ! wait "$ppid"; then
    echo "producer failed:"; tail -n 20 "$out/producer.err" "$out/producer.out"; exit 1
fi
cat "$out/producer.out"
grep -q "^producer: $N sent, $N delivered, 0 failed" "$out/producer.out"

$kl tool console-consumer --bootstrap-server "$KAFKAC_BOOTSTRAP" --topic "$topic" \
    --from-beginning --max-messages "$N" --timeout-ms 60000 \
    --property print.partition=true >"$out/read" 2>"$out/consumer.err" || true
# Lines: "Partition:P<TAB>message-I"
awk -v n="$N" '
  { sub(/^Partition:/, ""); split($0, f, "\t"); p = f[1]; sub(/^message-/, "", f[2]); i = f[2] + 0
    if (seen[i]++) dup++
    if (p in last && i <= last[p]) order++
    last[p] = i; count++ }
  END {
    missing = 0; for (k = 0; k < n; k++) if (!(k in seen)) missing++
    printf "restart: %d records read, %d distinct, %d duplicates, %d missing, %d out of order\n",
           count, count - dup, dup, missing, order
    exit (count == n && dup == 0 && missing == 0 && order == 0) ? 0 : 1 }' "$out/read"
