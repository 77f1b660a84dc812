#!/usr/bin/env bash
# isolation.level against transactions written by Kafka's own Java producer
# (tests/interop/TxnInterop.java, compiled here against the kafka-local jar
# cache). In one partition of a new topic: a committed transaction "c-*"
# interleaved record by record with an aborted one "a-*", a committed
# transaction "c2-*" of the producer whose transaction was aborted, an
# aborted one "a2-*" of the other, and an open transaction "o-*" left
# pending. build/examples/consumer (assigned from earliest, until EOF):
#   read_committed   exactly the c-* and c2-* records, at the offsets the
#                    Java producer got, and it reaches its end (the last
#                    stable offset) although a transaction is still open;
#   read_uncommitted every record of every transaction, in log order;
# never a control record (commit / abort markers). Once the open
# transaction is aborted, both read the same again, to the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
kl=tests/broker/kafka-local
consumer=$BUILD/examples/consumer
[ -x "$consumer" ] || { echo "$consumer missing: make examples"; exit 1; }
JAVA=${KAFKAC_JAVA:-java}
JAVAC=${KAFKAC_JAVAC:-javac}
if [ -n "${JAVA_HOME:-}" ]; then
    [ -n "${KAFKAC_JAVA:-}" ] || JAVA=$JAVA_HOME/bin/java
    [ -n "${KAFKAC_JAVAC:-}" ] || JAVAC=$JAVA_HOME/bin/javac
fi
command -v "$JAVAC" >/dev/null || { echo "javac not found: install a JDK 17+ (make deps)"; exit 1; }
tmp=$(mktemp -d)
jpid=""
cleanup() {
    exec 3>&- 2>/dev/null || true
    if [ -n "$jpid" ] && kill -0 "$jpid" 2>/dev/null; then kill "$jpid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

if ! libs=$($kl fetch 2>"$tmp/fetch.log"); then
    cat "$tmp/fetch.log"
    echo "$kl fetch failed"
    exit 1
fi
libs=$(tail -n 1 <<<"$libs")
ls "$libs"/kafka-clients-*.jar >/dev/null 2>&1 || { echo "no kafka-clients jar in $libs"; exit 1; }
classes=$BUILD/interop
src=tests/interop/TxnInterop.java
if [ ! -f "$classes/TxnInterop.class" ] || [ "$src" -nt "$classes/TxnInterop.class" ]; then
    mkdir -p "$classes"
    "$JAVAC" -nowarn -d "$classes" -cp "$libs/*" "$src"
fi

topic="kafkac-cons-txn-$$-$(date +%s)"
$kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create --topic "$topic" \
    --partitions 1 --replication-factor 1 >/dev/null

# The Java producer runs until its standard input closes (then aborts "o-*").
mkfifo "$tmp/java.in"
"$JAVA" -Xshare:auto -XX:TieredStopAtLevel=1 \
    "-Dlog4j2.configurationFile=$(dirname "$libs")/conf/tools-log4j2.properties" \
    -cp "$classes:$libs/*" TxnInterop "$KAFKAC_BOOTSTRAP" "$topic" \
    <"$tmp/java.in" >"$tmp/java.out" 2>"$tmp/java.err" &
jpid=$!
exec 3>"$tmp/java.in"
for ((s = 0; s < 120; s++)); do
    grep -qx ready "$tmp/java.out" && break
    kill -0 "$jpid" 2>/dev/null || break
    sleep 0.5
done
grep -qx ready "$tmp/java.out" || { echo "TxnInterop did not get ready:"; cat "$tmp/java.out"; tail -n 30 "$tmp/java.err"; exit 1; }
nsent=$(grep -c '^sent ' "$tmp/java.out")
[ "$nsent" -eq 33 ] || { echo "TxnInterop sent $nsent records, not 33"; cat "$tmp/java.out"; exit 1; }

# Expected lines of examples/consumer, in offset order.
grep '^sent ' "$tmp/java.out" | sort -k2,2n |
    awk -v t="$topic" '{ printf "%s [0] @%s: k-%s: %s\n", t, $2, $3, $3 }' >"$tmp/all"
grep -E ': (c|c2)-[0-9]+$' "$tmp/all" >"$tmp/committed"
[ "$(wc -l <"$tmp/committed")" -eq 15 ] || { echo "expected 15 committed records:"; cat "$tmp/all"; exit 1; }
# The interleaving really happened: committed and aborted records alternate.
head -n 2 "$tmp/all" | grep -q ': c-0$' && sed -n 2p "$tmp/all" | grep -q ': a-0$' ||
    { echo "c-0 / a-0 not first in the log:"; head -n 3 "$tmp/all"; exit 1; }

# run_consumer LEVEL OUT: reads the whole partition (until EOF) with isolation.level=LEVEL.
run_consumer() {
    local level=$1 out=$2 rc
    set +e
    timeout 60 "$consumer" -b "$KAFKAC_BOOTSTRAP" -o earliest -e -X "isolation.level=$level" \
        "$topic" >"$out" 2>"$out.err"
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
        echo "$level: examples/consumer exit $rc (124: never reached the end of the partition):"
        tail -n 5 "$out.err"
        echo "records printed:"; cat "$out"
        exit 1
    fi
}
# check LEVEL WANT GOT
check() {
    if ! diff "$2" "$3" >"$tmp/diff"; then
        echo "$1: records differ (< expected, > read by kafkac):"
        cat "$tmp/diff"
        exit 1
    fi
}

run_consumer read_committed "$tmp/rc1"
check "read_committed (transaction open)" "$tmp/committed" "$tmp/rc1"
run_consumer read_uncommitted "$tmp/ru1"
check "read_uncommitted (transaction open)" "$tmp/all" "$tmp/ru1"
echo "transaction open: read_committed 15 records (c-*, c2-*), read_uncommitted all 33, no markers"

# Abort the open transaction: nothing new for either, both reach the end.
exec 3>&-
wait "$jpid" || { echo "TxnInterop failed:"; tail -n 30 "$tmp/java.err"; exit 1; }
jpid=""
grep -qx done "$tmp/java.out" || { echo "TxnInterop did not finish"; exit 1; }
run_consumer read_committed "$tmp/rc2"
check "read_committed (after the abort)" "$tmp/committed" "$tmp/rc2"
run_consumer read_uncommitted "$tmp/ru2"
check "read_uncommitted (after the abort)" "$tmp/all" "$tmp/ru2"
# The default is read_uncommitted (docs/CONFIGURATION.md), as in the Java client.
set +e
timeout 60 "$consumer" -b "$KAFKAC_BOOTSTRAP" -o earliest -e "$topic" >"$tmp/def" 2>"$tmp/def.err"
set -e
check "default isolation.level" "$tmp/all" "$tmp/def"
$kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --delete --topic "$topic" >/dev/null 2>&1 || true
echo "read_committed / read_uncommitted: Java transactions read right (interleaved commit/abort, reused producer id, open transaction)"
