#!/usr/bin/env bash
# `kafkac configs` against Kafka's own kafka-configs tool (4.1) on the same
# cluster:
#  - topic configs altered by kafkac (--add-config with a bracketed list
#    value, --delete-config) are what Java describes, and configs altered by
#    Java are what kafkac describes; both tools' --describe and --describe
#    --all print the same lines once Java's synonym lists are cut to their
#    first entry (kafkac's admin API reports no synonyms: kafkac prints the
#    entry's own source, which is Java's first synonym for a dynamic
#    config; --all is compared without synonyms);
#  - a broker's dynamic config set by kafkac is seen by Java, then deleted;
#    the cluster-wide broker defaults (--entity-default) read the same;
#  - group configs (kafkac sets, Java reads) when the library's
#    KC_RESOURCE_GROUP is Kafka's value (32), skipped with a note otherwise;
#  - --json (checked with Python's json module);
#  - bad input: a one-line error on stderr, nothing on stdout and a non-zero
#    status for unknown flags, missing or conflicting flags, unsupported
#    entity types, entities that do not exist, malformed --add-config,
#    deleting a config that is not set, a value the broker refuses and an
#    unreachable broker.
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
stamp="$$-$(date +%s)"
T="kcli-configs-$stamp"
G="kcli-configs-group-$stamp"
broker=""
cleanup() {
    "$K" topics --bootstrap-server "$B" --delete --topic "$T" --if-exists >/dev/null 2>&1 || true
    [ -z "$broker" ] || "$K" configs --bootstrap-server "$B" --broker "$broker" --alter \
        --delete-config log.cleaner.backoff.ms >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
SECONDS=0
pass=0

ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; exit 1; }
java() { $kl tool configs --bootstrap-server "$B" "$@" 2>"$tmp/java.err"; }
kc() { "$K" configs --bootstrap-server "$B" "$@"; }

# Java's describe lines with each synonyms={...} cut to its first entry.
first_synonym() {
    python3 -c '
import re, sys
for line in sys.stdin.read().splitlines():
    m = re.match(r"^(  .* synonyms=\{)(.*)\}$", line)
    if m:
        line = m.group(1) + m.group(2).split(", ")[0] + "}"
    print(line)
'
}

# Compares Java's and kafkac's --describe of the same arguments. With
# --all the synonyms are left out: a default's synonym in Java is the
# broker-level name (log.retention.ms for retention.ms) or none at all.
same_describe() {
    java "$@" >"$tmp/java.out" || fail "Java configs $*: $(cat "$tmp/java.err")"
    kc "$@" >"$tmp/kc.out" || fail "kafkac configs $* failed"
    local cut=cat
    [[ " $* " != *" --all "* ]] || cut="sed -E s/[[:space:]]synonyms=\{.*\}\$//"
    if ! diff <(first_synonym <"$tmp/java.out" | $cut) <($cut <"$tmp/kc.out") >"$tmp/diff"; then
        echo "configs $* differs (< Java, first synonym only; > kafkac):"
        head -n 40 "$tmp/diff"
        fail "describe $*"
    fi
    ok
}

# Runs kafkac configs with $@ and expects a failure: non-zero status, one
# line on stderr (matching $want, an ERE), nothing on stdout.
bad() {
    local want=$1 rc=0
    shift
    "$K" configs "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -ne 0 ] || fail "kafkac configs $*: exit 0, expected a failure"
    [ ! -s "$tmp/out" ] || fail "kafkac configs $*: wrote to stdout: $(head -c 300 "$tmp/out")"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "kafkac configs $*: stderr is not one line: $(cat "$tmp/err")"
    grep -Eq -- "$want" "$tmp/err" || fail "kafkac configs $*: stderr '$(cat "$tmp/err")' does not match '$want'"
    ok
}

"$K" topics --bootstrap-server "$B" --create --topic "$T" --partitions 2 >/dev/null
broker=$("$K" topics --bootstrap-server "$B" --describe --topic "$T" | sed -nE 's/.*\tPartition: 0\tLeader: ([0-9]+).*/\1/p')
[ -n "$broker" ] || broker=$("$K" topics --bootstrap-server "$B" --describe --topic "$T" --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["topics"][0]["partitions"][0]["replicas"][0])')

# ---- topic: kafkac alters (sets, then deletes), Java describes
out=$(kc --entity-type topics --entity-name "$T" --alter \
    --add-config 'retention.ms=86400000, cleanup.policy=[compact,delete],max.message.bytes = 2000000,segment.ms=7200000') ||
    fail "alter failed"
[ "$out" = "Completed updating config for topic $T." ] || fail "alter: '$out'"
out=$(kc --entity-type topics --entity-name "$T" --alter --delete-config 'segment.ms, retention.ms' \
    --add-config flush.ms=1000) || fail "delete-config failed"
[ "$out" = "Completed updating config for topic $T." ] || fail "delete-config: '$out'"
ok
same_describe --entity-type topics --entity-name "$T" --describe
[ "$(head -n 1 "$tmp/kc.out")" = "Dynamic configs for topic $T are:" ] || fail "header: $(head -n 1 "$tmp/kc.out")"
[ "$(tail -n +2 "$tmp/kc.out")" = "  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete}
  flush.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:flush.ms=1000}
  max.message.bytes=2000000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:max.message.bytes=2000000}" ] ||
    fail "after set and delete: $(cat "$tmp/kc.out")"
ok

# ---- topic: Java alters, kafkac describes
java --entity-type topics --entity-name "$T" --alter --add-config segment.ms=3600000 \
    --delete-config max.message.bytes >/dev/null || fail "Java alter: $(cat "$tmp/java.err")"
kc --topic "$T" --describe >"$tmp/kc.out"
grep -qx "  segment.ms=3600000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:segment.ms=3600000}" "$tmp/kc.out" ||
    fail "kafkac does not see Java's segment.ms: $(cat "$tmp/kc.out")"
! grep -q "max.message.bytes" "$tmp/kc.out" || fail "kafkac still sees max.message.bytes"
ok
same_describe --entity-type topics --entity-name "$T" --describe --all
[ "$(grep -c '^  ' "$tmp/kc.out")" -gt 20 ] || fail "--all lists few configs: $(cat "$tmp/kc.out")"
grep -qx "  segment.ms=3600000 sensitive=false" <(sed -E 's/ synonyms=.*//' "$tmp/kc.out") || fail "--all misses segment.ms"
kc --topic "$T" --alter --delete-config segment.ms >/dev/null
ok

# ---- broker: kafkac sets a dynamic config, Java sees it; defaults read the same
out=$(kc --entity-type brokers --entity-name "$broker" --alter --add-config log.cleaner.backoff.ms=15001)
[ "$out" = "Completed updating config for broker $broker." ] || fail "broker alter: '$out'"
same_describe --entity-type brokers --entity-name "$broker" --describe
grep -qx "  log.cleaner.backoff.ms=15001 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.cleaner.backoff.ms=15001}" \
    "$tmp/kc.out" || fail "broker config: $(cat "$tmp/kc.out")"
kc --broker "$broker" --alter --delete-config log.cleaner.backoff.ms >/dev/null
! kc --broker "$broker" --describe | grep -q log.cleaner.backoff.ms || fail "broker config not deleted"
ok
same_describe --entity-type brokers --entity-default --describe
[ "$(head -n 1 "$tmp/kc.out")" = "Default configs for brokers in the cluster are:" ] || fail "default header"
ok

# ---- groups (need Kafka's resource type 32 in the library)
if grep -qE '^#define KC_RESOURCE_GROUP 32\b' include/kafkac.h; then
    out=$(kc --entity-type groups --entity-name "$G" --alter --add-config consumer.session.timeout.ms=50000)
    [ "$out" = "Completed updating config for group $G." ] || fail "group alter: '$out'"
    same_describe --entity-type groups --entity-name "$G" --describe
    grep -q "consumer.session.timeout.ms=50000" "$tmp/kc.out" || fail "group config: $(cat "$tmp/kc.out")"
    kc --group "$G" --alter --delete-config consumer.session.timeout.ms >/dev/null
else
    echo "note: group configs skipped: include/kafkac.h defines KC_RESOURCE_GROUP as" \
        "$(sed -nE 's/^#define KC_RESOURCE_GROUP ([0-9]+).*/\1/p' include/kafkac.h), Kafka's GROUP is 32"
fi

# ---- JSON
kc --entity-type topics --entity-name "$T" --describe --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["entity_type"] == "topics", d
(e,) = d["entities"]
assert e["name"] == sys.argv[1] and e["default"] is False, e
assert e["configs"] == [{"name": "cleanup.policy", "value": "compact,delete",
    "source": "DYNAMIC_TOPIC_CONFIG", "sensitive": False, "read_only": False},
    {"name": "flush.ms", "value": "1000", "source": "DYNAMIC_TOPIC_CONFIG", "sensitive": False,
    "read_only": False}], e
' "$T" || fail "--describe --json"
kc --entity-type topics --entity-name "$T" --alter --add-config retention.ms=1000 --json | python3 -c '
import json, sys
assert json.load(sys.stdin) == {"entity_type": "topics", "entity_name": sys.argv[1],
    "set": {"retention.ms": "1000"}, "deleted": []}' "$T" || fail "--alter --json"
ok

# ---- bad input
bad "is not a recognized option" --entity-type topics --entity-name "$T" --describe --bogus
bad "--bootstrap-server must be specified" --entity-type topics --entity-name "$T" --describe
bad "At least one entity type must be specified" --bootstrap-server "$B" --entity-name "$T" --describe
bad "exactly one action: --describe, --alter" --bootstrap-server "$B" --entity-type topics --entity-name "$T"
bad "exactly one action: --describe, --alter" --bootstrap-server "$B" --entity-type topics --entity-name "$T" --describe --alter
bad 'Option "\[describe\]" can.t be used with option "\[add-config\]"' --bootstrap-server "$B" --topic "$T" --describe --add-config a=1
bad "The topic 'no-such-$stamp' doesn't exist and doesn't have dynamic config" --bootstrap-server "$B" --entity-type topics --entity-name "no-such-$stamp" --describe
bad "The topic 'no-such-$stamp' doesn't exist" --bootstrap-server "$B" --entity-type topics --entity-name "no-such-$stamp" --alter --add-config retention.ms=1
bad "The broker '98765' doesn't exist" --bootstrap-server "$B" --entity-type brokers --entity-name 98765 --describe
bad "entity type 'clients' is not supported" --bootstrap-server "$B" --entity-type clients --entity-name c --describe
bad "entity type 'users' is not supported" --bootstrap-server "$B" --user u --describe
bad "Invalid entity type foo" --bootstrap-server "$B" --entity-type foo --entity-name x --describe
bad "--entity-default must not be specified with --describe of topics" --bootstrap-server "$B" --entity-type topics --entity-default --describe
bad "must be a valid integer broker id, but it is: x" --bootstrap-server "$B" --entity-type brokers --entity-name x --describe
bad "An entity name must be specified with --alter of topics" --bootstrap-server "$B" --entity-type topics --alter --add-config a=1
bad "At least one of --add-config, --add-config-file, or --delete-config" --bootstrap-server "$B" --topic "$T" --alter
bad 'all configs to be added must be in the format "key=val"' --bootstrap-server "$B" --topic "$T" --alter --add-config retention.ms
bad "Invalid character found for config key: a b" --bootstrap-server "$B" --topic "$T" --alter --add-config 'a b=1'
bad "Invalid config\(s\): segment.ms" --bootstrap-server "$B" --topic "$T" --alter --delete-config segment.ms
bad "Unknown topic config name: no.such" --bootstrap-server "$B" --topic "$T" --alter --add-config no.such=1
bad "Invalid value abc for configuration retention.ms" --bootstrap-server "$B" --topic "$T" --alter --add-config retention.ms=abc
bad "Duplicate entity type\(s\) specified: topics" --bootstrap-server "$B" --entity-type topics --topic "$T" --describe
bad "should not be used in conjunction with specific entity flags" --bootstrap-server "$B" --entity-name x --topic "$T" --describe
bad "cannot reach the brokers at 127.0.0.1:1 " --bootstrap-server 127.0.0.1:1 --topic "$T" --describe

"$K" topics --bootstrap-server "$B" --delete --topic "$T" >/dev/null || fail "delete $T"
echo "cli configs: $pass checks passed against Kafka's kafka-configs in ${SECONDS}s"
