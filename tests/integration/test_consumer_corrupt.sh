#!/usr/bin/env bash
# Corrupt data on the broker's disk reaches the consumer as a _BAD_MSG
# event, never as records. Three batches are written by kafkac
# (build/examples/producer, one run each) to a new 1-partition topic:
# "good-*" at offsets 0..19, "victim-*" at 20..39, "after-*" at 40..59. One
# byte inside the records area of the victim batch is flipped in the
# partition's .log segment (found with the Java log-dirs and dump-log
# tools; the broker serves fetches from the file, so no restart is needed,
# and the Java dump must then call that batch invalid). build/examples/
# consumer, assigned from earliest, must print exactly the 20 good records,
# then a _BAD_MSG error naming the partition and offset 20, and no victim
# (nor later) record. The corrupt topic is deleted afterwards and a fresh
# topic is written and read, to show the broker is still fine.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
kl=tests/broker/kafka-local
producer=$BUILD/examples/producer
consumer=$BUILD/examples/consumer
for x in "$producer" "$consumer"; do [ -x "$x" ] || { echo "$x missing: make examples"; exit 1; }; done
tmp=$(mktemp -d)
stamp="$$-$(date +%s)"
topic="kafkac-corrupt-$stamp"
cleanup() {
    $kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --delete --topic "$topic" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

$kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create --topic "$topic" \
    --partitions 1 --replication-factor 1 >/dev/null
for part in good victim after; do
    for ((i = 0; i < 20; i++)); do printf '%s-key-%d\t%s-value-%d %s\n' "$part" "$i" "$part" "$i" "$(printf 'x%.0s' $(seq 1 $((i + 5))))"; done >"$tmp/in-$part"
    out=$("$producer" -b "$KAFKAC_BOOTSTRAP" -t "$topic" -p 0 -K <"$tmp/in-$part" 2>&1) ||
        { echo "producer failed ($part): $out"; exit 1; }
    grep -qx "producer: 20 sent, 20 delivered, 0 failed" <<<"$out" || { echo "producer ($part): $out"; exit 1; }
done

# The segment file of partition 0.
logdirs=$($kl tool log-dirs --bootstrap-server "$KAFKAC_BOOTSTRAP" --describe --topic-list "$topic" |
    grep -o '"logDir":"[^"]*"' | sed 's/"logDir":"//; s/"$//' | sort -u)
seg=""
for d in $logdirs; do
    for f in "$d/$topic-0"/*.log; do [ -e "$f" ] && seg=$f; done
done
[ -n "$seg" ] || { echo "no segment of $topic-0 under: $logdirs"; exit 1; }
$kl tool dump-log --files "$seg" >"$tmp/dump-before"
# "baseOffset: 20 lastOffset: 39 count: 20 ... position: P ... size: S ..."
line=$(grep -E '^baseOffset: 20 ' "$tmp/dump-before") ||
    { echo "no batch starting at offset 20:"; grep '^baseOffset:' "$tmp/dump-before"; exit 1; }
pos=$(sed -nE 's/.* position: ([0-9]+) .*/\1/p' <<<"$line")
size=$(sed -nE 's/.* size: ([0-9]+) .*/\1/p' <<<"$line")
[ -n "$pos" ] && [ -n "$size" ] && [ "$size" -gt 100 ] || { echo "cannot parse: $line"; exit 1; }
grep -q 'isvalid: true' <<<"$line" || { echo "batch at 20 invalid before corruption: $line"; exit 1; }
# The records start after the 61-byte batch header: flip a byte in the middle of them.
at=$((pos + 61 + (size - 61) / 2))
old=$(od -An -tu1 -j "$at" -N1 "$seg" | tr -d ' ')
new=$(((old ^ 0x5a) & 0xff))
printf "$(printf '\\%03o' "$new")" | dd of="$seg" bs=1 seek="$at" count=1 conv=notrunc status=none
[ "$(od -An -tu1 -j "$at" -N1 "$seg" | tr -d ' ')" = "$new" ] || { echo "byte at $at not changed"; exit 1; }
$kl tool dump-log --files "$seg" >"$tmp/dump-after" 2>&1 || true
grep -E '^baseOffset: 20 ' "$tmp/dump-after" | grep -q 'isvalid: false' ||
    { echo "the Java dumper still finds batch 20 valid:"; grep -E '^baseOffset:' "$tmp/dump-after"; exit 1; }
echo "flipped byte $at of $(basename "$seg") (batch at offset 20: position $pos, $size bytes): $old -> $new"

# Consume: stops at the corrupt batch (no EOF ever comes), so end it with SIGTERM.
set +e
timeout --preserve-status -s TERM 20 "$consumer" -b "$KAFKAC_BOOTSTRAP" -o earliest -e -X log_level=3 "$topic" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
# Expected: every good record, in order, then nothing.
for ((i = 0; i < 20; i++)); do
    printf '%s [0] @%d: %s\n' "$topic" "$i" "$(sed -n "$((i + 1))p" "$tmp/in-good" | sed 's/\t/: /')"
done >"$tmp/expected"
if ! diff "$tmp/expected" "$tmp/out" >"$tmp/diff"; then
    echo "records printed differ from the 20 good ones (< expected, > printed):"
    head -c 3000 "$tmp/diff"
    echo "stderr:"; tail -n 20 "$tmp/err"
    exit 1
fi
if grep -qE 'victim|after' "$tmp/out"; then echo "a corrupt or later record was printed"; exit 1; fi
bad=$(grep -E '^consumer: _BAD_MSG: ' "$tmp/err" || true)
[ -n "$bad" ] || { echo "no _BAD_MSG error (exit $rc); stderr:"; cat "$tmp/err"; exit 1; }
[ "$(wc -l <<<"$bad")" -eq 1 ] || { echo "more than one _BAD_MSG:"; echo "$bad"; exit 1; }
grep -qF "$topic [0]" <<<"$bad" || { echo "_BAD_MSG does not name $topic [0]: $bad"; exit 1; }
grep -qE '(offset|@) ?20([^0-9]|$)' <<<"$bad" || { echo "_BAD_MSG does not name offset 20: $bad"; exit 1; }
grep -qE '^consumer: 20 records, [0-9]+ bytes, 1 errors$' "$tmp/err" ||
    { echo "unexpected summary (exit $rc):"; tail -n 3 "$tmp/err"; exit 1; }
[ "$rc" -eq 2 ] || { echo "consumer exit status $rc, expected 2 (errors)"; exit 1; }
echo "corrupt batch: 20 good records, then: $bad"

# The broker is still fine: a fresh topic is written and read back.
topic2="kafkac-corrupt-after-$stamp"
out=$("$producer" -b "$KAFKAC_BOOTSTRAP" -t "$topic2" -n 10 2>&1) || { echo "producer: $out"; exit 1; }
n=$(timeout 30 "$consumer" -b "$KAFKAC_BOOTSTRAP" -o earliest -e "$topic2" 2>/dev/null | grep -c ': message-' || true)
$kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --delete --topic "$topic2" >/dev/null 2>&1 || true
[ "$n" -eq 10 ] || { echo "broker after the corruption: read $n of 10 records from $topic2"; exit 1; }
echo "broker still serves other topics"
