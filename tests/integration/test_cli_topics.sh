#!/usr/bin/env bash
# `kafkac topics` against Kafka's own kafka-topics tool (4.1) on the same
# cluster:
#  - a topic created by kafkac (partitions, replication factor, --config
#    overrides) and one created by Java are described identically by both
#    tools (partitions, leaders, replicas, ISR, non-default configs), after
#    removing what kafkac cannot know (TopicId; Elr/LastKnownElr, which
#    kafkac prints as N/A) and sorting (Java's topic and config order is a
#    hash order);
#  - --list (with a regex --topic, --exclude-internal), --alter --partitions
#    (seen by Java), --delete (Java no longer lists it), --if-exists,
#    --if-not-exists, the report filters, --json (checked with Python's
#    json module);
#  - bad input: a one-line error on stderr, nothing on stdout and a non-zero
#    status for unknown flags, missing or conflicting flags, topics that do
#    not exist, invalid values and an unreachable (or silent) broker.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
B=$KAFKAC_BOOTSTRAP
kl=tests/broker/kafka-local
K=$BUILD/tools/kafkac
[ -x "$K" ] || { echo "$K missing: make tools"; exit 1; }
export LC_ALL=C
tmp=$(mktemp -d)
silent=""
stamp="$$-$(date +%s)"
P="kcli-topics-$stamp"
cleanup() {
    [ -z "$silent" ] || kill "$silent" 2>/dev/null || true
    "$K" topics --bootstrap-server "$B" --delete --topic "$P-.*" --if-exists >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
TA="$P-a" TB="$P-b" TC="$P-c"
SECONDS=0
pass=0

ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; exit 1; }
java() { $kl tool topics --bootstrap-server "$B" "$@" 2>"$tmp/java.err"; }

# A describe output made comparable: no TopicId, no Elr/LastKnownElr,
# Configs sorted by name, lines sorted.
norm() {
    python3 -c '
import re, sys
out = []
for line in sys.stdin.read().splitlines():
    line = re.sub(r"\tTopicId: [^\t]*", "", line)
    line = re.sub(r"\tElr: [^\t]*\tLastKnownElr: [^\t]*$", "", line)
    m = re.match(r"^(Topic: .*\tConfigs: )(.*)$", line)
    if m:
        items = re.split(r",(?=[a-z0-9.]+=)", m.group(2)) if m.group(2) else []
        line = m.group(1) + ",".join(sorted(items))
    out.append(line)
print("\n".join(sorted(out)))
'
}

# Runs kafkac topics with $@ and expects a failure: non-zero status, one
# line on stderr (matching $want, an ERE), nothing on stdout.
bad() {
    local want=$1 rc=0
    shift
    "$K" topics "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -ne 0 ] || fail "kafkac topics $*: exit 0, expected a failure"
    [ ! -s "$tmp/out" ] || fail "kafkac topics $*: wrote to stdout: $(head -c 300 "$tmp/out")"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "kafkac topics $*: stderr is not one line: $(cat "$tmp/err")"
    grep -Eq -- "$want" "$tmp/err" || fail "kafkac topics $*: stderr '$(cat "$tmp/err")' does not match '$want'"
    ok
}

# ---- create with kafkac, describe with both
out=$("$K" topics --bootstrap-server "$B" --create --topic "$TA" --partitions 3 --replication-factor 1 \
    --config retention.ms=123456 --config 'cleanup.policy = compact' --config max.message.bytes=2000000)
[ "$out" = "Created topic $TA." ] || fail "create: '$out'"
ok
"$K" topics --bootstrap-server "$B" --create --topic "$TA" --if-not-exists >"$tmp/out" ||
    fail "create --if-not-exists of an existing topic failed"
[ ! -s "$tmp/out" ] || fail "create --if-not-exists printed: $(cat "$tmp/out")"
ok
# Java creates the second one.
java --create --topic "$TB" --partitions 2 --config segment.ms=3600000 >/dev/null ||
    fail "Java create: $(cat "$tmp/java.err")"
# Metadata settles (leaders elected) before the describes are compared.
for _ in $(seq 50); do
    n=$("$K" topics --bootstrap-server "$B" --describe --topic "$P-.*" | grep -c $'\tLeader: [0-9]') || true
    [ "$n" -eq 5 ] && break
    sleep 0.2
done

java --describe --topic "$P-.*" >"$tmp/java.desc" || fail "Java describe: $(cat "$tmp/java.err")"
"$K" topics --bootstrap-server "$B" --describe --topic "$P-.*" >"$tmp/kc.desc"
grep -q "^Topic: $TA	TopicId: .*	PartitionCount: 3	ReplicationFactor: 1	Configs: .*retention.ms=123456" \
    "$tmp/java.desc" || fail "Java does not see $TA as created: $(cat "$tmp/java.desc")"
grep -q "cleanup.policy=compact" "$tmp/java.desc" || fail "Java does not see cleanup.policy=compact"
if ! diff <(norm <"$tmp/java.desc") <(norm <"$tmp/kc.desc") >"$tmp/diff"; then
    echo "describe differs (< Java, > kafkac):"; cat "$tmp/diff"; fail "describe"
fi
ok
# Field layout of kafkac's own lines (as Java's, TopicId left out).
grep -q "^	Topic: $TA	Partition: 0	Leader: [0-9]*	Replicas: [0-9,]*	Isr: [0-9,]*	Elr: N/A	LastKnownElr: N/A$" \
    "$tmp/kc.desc" || fail "partition line format: $(cat "$tmp/kc.desc")"
ok

# ---- list
java --list --topic "$P-.*" >"$tmp/java.list" || fail "Java list: $(cat "$tmp/java.err")"
"$K" topics --bootstrap-server "$B" --list --topic "$P-.*" >"$tmp/kc.list"
diff "$tmp/java.list" "$tmp/kc.list" >/dev/null || fail "list differs: $(diff "$tmp/java.list" "$tmp/kc.list")"
[ "$(cat "$tmp/kc.list")" = "$TA"$'\n'"$TB" ] || fail "list: $(cat "$tmp/kc.list")"
ok
# ',' separates alternatives, as in Java's IncludeList.
[ "$("$K" topics --bootstrap-server "$B" --list --topic "$TB,$TA")" = "$TA"$'\n'"$TB" ] || fail "list with ','"
ok
"$K" topics --bootstrap-server "$B" --list >"$tmp/all"
grep -qx "$TA" "$tmp/all" || fail "--list without --topic misses $TA"
"$K" topics --bootstrap-server "$B" --list --exclude-internal >"$tmp/ext"
if grep -q '^__' "$tmp/all"; then
    ! grep -q '^__consumer_offsets$' "$tmp/ext" || fail "--exclude-internal lists __consumer_offsets"
fi
grep -qx "$TA" "$tmp/ext" || fail "--exclude-internal misses $TA"
ok

# ---- alter (kafkac), seen by Java
out=$("$K" topics --bootstrap-server "$B" --alter --topic "$TA" --partitions 5)
[ -z "$out" ] || fail "alter printed: $out"
for _ in $(seq 50); do
    [ "$("$K" topics --bootstrap-server "$B" --describe --topic "$TA" | grep -c $'\tLeader: [0-9]')" -eq 5 ] && break
    sleep 0.2
done
java --describe --topic "$TA" >"$tmp/java.desc" || fail "Java describe: $(cat "$tmp/java.err")"
grep -q "PartitionCount: 5" "$tmp/java.desc" || fail "Java does not see 5 partitions: $(cat "$tmp/java.desc")"
"$K" topics --bootstrap-server "$B" --describe --topic "$TA" >"$tmp/kc.desc"
diff <(norm <"$tmp/java.desc") <(norm <"$tmp/kc.desc") >"$tmp/diff" ||
    { cat "$tmp/diff"; fail "describe after alter differs"; }
ok
bad "The topic $TA currently has 5 partition\(s\); 2 would not be an increase" \
    --bootstrap-server "$B" --alter --topic "$TA" --partitions 2

# ---- report filters and overrides
[ -z "$("$K" topics --bootstrap-server "$B" --describe --topic "$P-.*" --under-replicated-partitions)" ] ||
    fail "--under-replicated-partitions lists partitions of healthy topics"
[ -z "$("$K" topics --bootstrap-server "$B" --describe --topic "$P-.*" --unavailable-partitions)" ] ||
    fail "--unavailable-partitions lists partitions of healthy topics"
n=$("$K" topics --bootstrap-server "$B" --describe --topic "$P-.*" --topics-with-overrides | grep -c '^Topic: ')
[ "$n" -eq 2 ] || fail "--topics-with-overrides printed $n topic lines"
[ -z "$("$K" topics --bootstrap-server "$B" --describe --topic "$P-.*" --topics-with-overrides | grep $'^\t')" ] ||
    fail "--topics-with-overrides printed partition lines"
ok

# ---- JSON
"$K" topics --bootstrap-server "$B" --describe --topic "$TA" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
(t,) = d["topics"]
assert t["name"] == sys.argv[1] and t["partition_count"] == 5 and t["replication_factor"] == 1, t
assert t["configs"]["retention.ms"] == "123456" and t["configs"]["cleanup.policy"] == "compact", t
assert [p["partition"] for p in t["partitions"]] == [0, 1, 2, 3, 4], t
assert all(p["leader"] in p["replicas"] and p["isr"] for p in t["partitions"]), t
' "$TA" || fail "--describe --json"
"$K" topics --bootstrap-server "$B" --list --topic "$P-.*" --json | python3 -c '
import json, sys
assert json.load(sys.stdin) == {"topics": sys.argv[1:]}' "$TA" "$TB" || fail "--list --json"
"$K" topics --bootstrap-server "$B" --create --topic "$TC" --partitions 1 --json | python3 -c '
import json, sys
assert json.load(sys.stdin) == {"created": [sys.argv[1]], "existing": []}' "$TC" || fail "--create --json"
ok

# ---- delete (kafkac), Java no longer lists them
out=$("$K" topics --bootstrap-server "$B" --delete --topic "$TA")
[ -z "$out" ] || fail "delete printed: $out"
"$K" topics --bootstrap-server "$B" --delete --topic "$TC" --json | python3 -c '
import json, sys
assert json.load(sys.stdin) == {"deleted": [sys.argv[1]]}' "$TC" || fail "--delete --json"
for _ in $(seq 50); do
    "$K" topics --bootstrap-server "$B" --list --topic "$TA|$TC" | grep -q . || break
    sleep 0.2
done
java --list --topic "$P-.*" >"$tmp/java.list" || fail "Java list: $(cat "$tmp/java.err")"
[ "$(cat "$tmp/java.list")" = "$TB" ] || fail "Java lists after delete: $(cat "$tmp/java.list")"
ok
"$K" topics --bootstrap-server "$B" --delete --topic "$TA" --if-exists || fail "delete --if-exists of a missing topic"
"$K" topics --bootstrap-server "$B" --describe --topic "$TA" --if-exists || fail "describe --if-exists of a missing topic"
"$K" topics --bootstrap-server "$B" --alter --topic "$TA" --partitions 9 --if-exists || fail "alter --if-exists"
ok

# ---- bad input
bad "is not a recognized option" --bootstrap-server "$B" --list --no-such-flag
bad "--bootstrap-server must be specified" --list
bad 'Missing required argument "\[topic\]"' --bootstrap-server "$B" --create
bad 'Missing required argument "\[partitions\]"' --bootstrap-server "$B" --alter --topic "$TB"
bad "exactly one action" --bootstrap-server "$B" --create --delete --topic "$TB"
bad "exactly one action" --bootstrap-server "$B"
bad "Topic '$TA' does not exist as expected" --bootstrap-server "$B" --describe --topic "$TA"
bad "Topic '$TA' does not exist as expected" --bootstrap-server "$B" --delete --topic "$TA"
bad "Topic '$TA' does not exist as expected" --bootstrap-server "$B" --alter --topic "$TA" --partitions 4
bad "Topic '$TB' already exists" --bootstrap-server "$B" --create --topic "$TB"
bad "The partitions must be greater than 0" --bootstrap-server "$B" --create --topic "$TC" --partitions 0
bad "replication factor must be between 1 and 32767" --bootstrap-server "$B" --create --topic "$TC" --replication-factor 0
bad "Cannot parse argument 'x' of option partitions" --bootstrap-server "$B" --create --topic "$TC" --partitions x
bad 'format "key=val"' --bootstrap-server "$B" --create --topic "$TC" --config retention.ms
bad "Unknown topic config name: no.such.config" --bootstrap-server "$B" --create --topic "$TC" --config no.such.config=1
bad "Topic name is invalid" --bootstrap-server "$B" --create --topic "bad/name"
bad 'Option "\[if-not-exists\]" can.t be used with option "\[describe\]"' --bootstrap-server "$B" --describe --topic "$TB" --if-not-exists
bad 'Option "\[replication-factor\]" can.t be used with option "\[alter\]"' --bootstrap-server "$B" --alter --topic "$TB" --partitions 3 --replication-factor 1
bad "invalid regular expression" --bootstrap-server "$B" --describe --topic "[x"
bad "unexpected argument 'stray'" --bootstrap-server "$B" --list stray
bad "--topic-id is not supported" --bootstrap-server "$B" --describe --topic-id AAAAAAAAAAAAAAAAAAAAAA
bad "cannot reach the brokers at 127.0.0.1:1 " --bootstrap-server 127.0.0.1:1 --list
# A listener that never answers: bounded by --timeout.
python3 -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8); print(s.getsockname()[1], flush=True); time.sleep(60)' >"$tmp/port" &
silent=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
start=$SECONDS
bad "cannot reach the brokers at 127.0.0.1:$(cat "$tmp/port") within 1500 ms" \
    --bootstrap-server "127.0.0.1:$(cat "$tmp/port")" --describe --timeout 1500
[ $((SECONDS - start)) -le 4 ] || fail "--timeout 1500 against a silent broker took $((SECONDS - start)) s"

"$K" topics --bootstrap-server "$B" --delete --topic "$TB" >/dev/null || fail "delete $TB"
echo "cli topics: $pass checks passed against Kafka's kafka-topics in ${SECONDS}s"
