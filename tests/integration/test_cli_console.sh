#!/usr/bin/env bash
# `kafkac console-producer` and `kafkac console-consumer` against Kafka's own
# console tools (4.1):
#  - kafkac console-producer (parse.key, parse.headers, null.marker, CRLF,
#    a last line without newline, non-UTF-8 bytes) -> the Java console
#    consumer prints exactly the headers, keys and values sent;
#  - the Java console producer -> kafkac console-consumer prints the same
#    bytes as the Java console consumer for the same --property set (all
#    print.* with the default separators, then custom separators and
#    null.literal), compared byte for byte after sorting (partitions
#    interleave differently);
#  - --max-messages, --timeout-ms (exit 0, "Processed a total of N
#    messages"), latest vs --from-beginning, --partition/--offset, --include,
#    --json (checked with Python's json module), --group (offsets committed
#    at exit, shown by the Java consumer-groups tool, resumed by the next
#    run), SIGINT (exit 0, offsets committed, group left);
#  - producer flags: a bare --compression-codec writes gzip batches (Java's
#    log dumper), --sync, --broker-list;
#  - bad input: one-line errors and a non-zero status for unknown flags,
#    missing/contradicting flags, an unreachable broker, a topic or
#    partition that does not exist, an invalid topic name, a line without
#    the key separator, a topic that never appears (or, when the broker
#    auto-creates topics, is created as by the Java producer).
# shellcheck disable=SC2015 # "A && B || fail": fail exits
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
B=$KAFKAC_BOOTSTRAP
kl=tests/broker/kafka-local
K=$BUILD/tools/kafkac
[ -x "$K" ] || { echo "$K missing: make tools"; exit 1; }
# The Java console consumer prints UTF-8 whatever the locale says.
export KAFKAC_TOOL_OPTS="${KAFKAC_TOOL_OPTS:-} -Dstdout.encoding=UTF-8 -Dfile.encoding=UTF-8"
export LC_ALL=C
tmp=$(mktemp -d)
bg=""
trap '[ -n "$bg" ] && kill $bg 2>/dev/null; rm -rf "$tmp"' EXIT
stamp="$$-$(date +%s)"
TA="cli-console-a-$stamp" TB="cli-console-b-$stamp"
TAB=$'\t'
SECONDS=0

fail() { echo "FAIL: $*"; exit 1; }
# Runs a command that must fail with status $1 and exactly one line on
# stderr matching the regex $2.
bad() {
    local want=$1 re=$2 rc=0
    shift 2
    "$@" </dev/null >"$tmp/bad.out" 2>"$tmp/bad.err" || rc=$?
    [ "$rc" -eq "$want" ] || fail "exit $rc (want $want): $* : $(cat "$tmp/bad.err")"
    [ "$(wc -l <"$tmp/bad.err")" -eq 1 ] || fail "not one line on stderr: $*: $(cat "$tmp/bad.err")"
    grep -Eq "$re" "$tmp/bad.err" || fail "stderr of $* does not match /$re/: $(cat "$tmp/bad.err")"
}
# Sum of CURRENT-OFFSET of group $1 in consumer-groups --describe output $2.
committed() { awk -v g="$1" '$1 == g && $4 ~ /^[0-9]+$/ { s += $4 } END { print s + 0 }' "$2"; }

$kl tool topics --bootstrap-server "$B" --create --topic "$TA" --partitions 3 --replication-factor 1 >/dev/null
$kl tool topics --bootstrap-server "$B" --create --topic "$TB" --partitions 3 --replication-factor 1 >/dev/null

# ---- 1. kafkac console-producer -> Java console consumer
{
    for i in $(seq 1 40); do
        printf 'src:kafkac,i:%d\tkey-%d\tvalue %d: a=b, c;d "q" ü ✓\n' "$i" $((i % 7)) "$i"
    done
    printf 'src:kafkac,dup:1,dup:2,empty:\t\tempty key\n'
    printf 'NULL\tNULL\tnull key, no headers\n'
    printf 'h:NULL\tk-null-value\tNULL\n'
    printf 'src:bin\tbin\t\xff\xfe\x80 raw\n'
    printf 'src:crlf\tk\tcrlf line\r\n'
    printf 'src:last\tk\tno newline at the end'
} >"$tmp/in-a"
NA=46
{
    for i in $(seq 1 40); do
        printf 'src:kafkac,i:%d\tkey-%d\tvalue %d: a=b, c;d "q" ü ✓\n' "$i" $((i % 7)) "$i"
    done
    printf 'src:kafkac,dup:1,dup:2,empty:\t\tempty key\n'
    printf 'NO_HEADERS\tnull\tnull key, no headers\n'
    printf 'h:null\tk-null-value\tnull\n'
    printf 'src:bin\tbin\t\xff\xfe\x80 raw\n'
    printf 'src:crlf\tk\tcrlf line\n'
    printf 'src:last\tk\tno newline at the end\n'
} | sort >"$tmp/want-a"
$K console-producer --bootstrap-server "$B" --topic "$TA" --property parse.key=true \
    --property parse.headers=true --property null.marker=NULL <"$tmp/in-a" ||
    fail "console-producer exit $?"
$kl tool console-consumer --bootstrap-server "$B" --topic "$TA" --from-beginning \
    --max-messages $NA --property print.key=true --property print.headers=true \
    --timeout-ms 20000 2>"$tmp/java-a.err" | sort >"$tmp/got-a" || true
cmp -s "$tmp/want-a" "$tmp/got-a" ||
    { diff "$tmp/want-a" "$tmp/got-a" | head -20; fail "Java read back other records than kafkac produced"; }
echo "kafkac console-producer -> Java console-consumer: $NA records identical ($SECONDS s)"

# ---- 2. Java console-producer -> kafkac console-consumer == Java console-consumer
{
    for i in $(seq 1 30); do printf 'j:%d,x:y\tjk-%d\tjava value %d ✓\n' "$i" $((i % 5)) "$i"; done
    printf 'NULL\tNULL\tNULL\n'
    printf ',\tkey-noheaders\tv\n'
    printf 'h:NULL\tk\tv\n'
} >"$tmp/in-b"
NB=33
$kl tool console-producer --bootstrap-server "$B" --topic "$TB" --property parse.key=true \
    --property parse.headers=true --property null.marker=NULL <"$tmp/in-b" >/dev/null
P1=(--property print.key=true --property print.partition=true --property print.offset=true
    --property print.timestamp=true --property print.headers=true)
# shellcheck disable=SC2034 # used through "declare -n"
P2=(--property print.key=true --property print.partition=true --property print.offset=true
    --property print.timestamp=true --property print.headers=true --property print.epoch=true
    --property print.delivery=true --property "key.separator= :: " --property "line.separator=;;
" --property "headers.separator=|" --property "null.literal=<nil>")
n=0
for props in P1 P2; do
    n=$((n + 1))
    declare -n pr=$props
    $kl tool console-consumer --bootstrap-server "$B" --topic "$TB" --from-beginning \
        --max-messages $NB "${pr[@]}" --timeout-ms 20000 2>/dev/null | sort >"$tmp/java-b$n" || true
    [ "$(grep -c . "$tmp/java-b$n")" -eq $NB ] || fail "Java console consumer printed $(wc -l <"$tmp/java-b$n") of $NB"
    $K console-consumer --bootstrap-server "$B" --topic "$TB" --from-beginning \
        --max-messages $NB "${pr[@]}" 2>"$tmp/kc-b$n.err" | sort >"$tmp/kc-b$n" ||
        fail "kafkac console-consumer exit $?"
    cmp -s "$tmp/java-b$n" "$tmp/kc-b$n" ||
        { diff "$tmp/java-b$n" "$tmp/kc-b$n" | head -20; fail "kafkac prints other bytes than Java ($props)"; }
    grep -qx "Processed a total of $NB messages" "$tmp/kc-b$n.err" || fail "no total: $(cat "$tmp/kc-b$n.err")"
done
echo "Java console-producer -> kafkac console-consumer: same bytes as Java's consumer, 2 property sets ($SECONDS s)"

# ---- 3. --max-messages, --timeout-ms, --partition/--offset, --include, --json
$K console-consumer --bootstrap-server "$B" --topic "$TB" --from-beginning --max-messages 7 \
    >"$tmp/max" 2>"$tmp/max.err"
[ "$(wc -l <"$tmp/max")" -eq 7 ] && grep -qx 'Processed a total of 7 messages' "$tmp/max.err" ||
    fail "--max-messages 7: $(wc -l <"$tmp/max") lines, $(cat "$tmp/max.err")"
t0=$SECONDS
$K console-consumer --bootstrap-server "$B" --topic "$TB" --from-beginning --timeout-ms 3000 \
    >"$tmp/to" 2>"$tmp/to.err" || fail "--timeout-ms: exit $?"
[ "$(wc -l <"$tmp/to")" -eq $NB ] && grep -qx "Processed a total of $NB messages" "$tmp/to.err" ||
    fail "--timeout-ms: $(wc -l <"$tmp/to") lines, $(cat "$tmp/to.err")"
[ $((SECONDS - t0)) -le 15 ] || fail "--timeout-ms 3000 took $((SECONDS - t0)) s"
# partition 1 from offset 2: what Java printed for Partition:1 with Offset >= 2
awk -F'\t' '$2 == "Partition:1" && substr($3, 8) + 0 >= 2' "$tmp/java-b1" >"$tmp/want-p"
$K console-consumer --bootstrap-server "$B" --topic "$TB" --partition 1 --offset 2 "${P1[@]}" \
    --timeout-ms 1500 2>/dev/null | sort >"$tmp/got-p"
cmp -s "$tmp/want-p" "$tmp/got-p" || fail "--partition 1 --offset 2: $(diff "$tmp/want-p" "$tmp/got-p")"
for o in "--offset earliest" --from-beginning; do
    # shellcheck disable=SC2086
    got=$($K console-consumer --bootstrap-server "$B" --topic "$TB" --partition 1 $o \
        --timeout-ms 1500 2>/dev/null | wc -l)
    [ "$got" -eq "$(grep -c "${TAB}Partition:1${TAB}" "$tmp/java-b1")" ] || fail "--partition 1 $o: $got records"
done
$K console-consumer --bootstrap-server "$B" --topic "$TB" --partition 1 --timeout-ms 1000 \
    >"$tmp/latest" 2>"$tmp/latest.err"
[ ! -s "$tmp/latest" ] && grep -qx 'Processed a total of 0 messages' "$tmp/latest.err" ||
    fail "--partition without --offset must start at the end: $(cat "$tmp/latest" "$tmp/latest.err")"
got=$($K console-consumer --bootstrap-server "$B" --include "cli-console-(a|b)-$stamp" \
    --from-beginning --max-messages $((NA + NB)) --timeout-ms 20000 2>/dev/null | wc -l)
[ "$got" -eq $((NA + NB)) ] || fail "--include: $got records, want $((NA + NB))"
$K console-consumer --bootstrap-server "$B" --topic "$TA" --from-beginning --max-messages $NA \
    --json >"$tmp/json" 2>/dev/null
python3 - "$tmp/json" "$TA" <<'EOF' || fail "--json output"
import base64, json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(recs) == 46, len(recs)
for r in recs:
    assert r["topic"] == sys.argv[2] and r["timestamp_type"] == "CreateTime", r
    assert isinstance(r["partition"], int) and isinstance(r["offset"], int) and r["timestamp"] > 0, r
bykey = {r["key"]: r for r in recs}
b = bykey["bin"]
assert b["value_encoding"] == "base64" and base64.b64decode(b["value"]) == b"\xff\xfe\x80 raw", b
assert bykey["k-null-value"]["value"] is None and bykey["k-null-value"]["headers"] == [{"key": "h", "value": None}]
assert bykey[None]["headers"] == [] and bykey[None]["value"] == "null key, no headers"
e = bykey[""]
assert e["headers"] == [{"key": "src", "value": "kafkac"}, {"key": "dup", "value": "1"},
                        {"key": "dup", "value": "2"}, {"key": "empty", "value": ""}], e
assert any(r["value"] == 'value 3: a=b, c;d "q" ü ✓' for r in recs)
EOF
echo "--max-messages, --timeout-ms, --partition/--offset, --include, --json ($SECONDS s)"

# ---- 4. latest (default) vs --from-beginning
$K console-consumer --bootstrap-server "$B" --topic "$TB" --max-messages 1 --timeout-ms 20000 \
    >"$tmp/new" 2>"$tmp/new.err" &
bg=$!
i=0
while kill -0 $bg 2>/dev/null && [ $i -lt 60 ]; do
    i=$((i + 1))
    echo "marker-$i" | $K console-producer --bootstrap-server "$B" --topic "$TB" --timeout 0
    sleep 0.3
done
wait $bg || fail "latest consumer exit $?"
bg=""
grep -qx 'marker-[0-9]*' "$tmp/new" && [ "$(wc -l <"$tmp/new")" -eq 1 ] ||
    fail "without --from-beginning the consumer must print only new records: $(head -3 "$tmp/new")"
echo "latest: old records skipped, new ones printed after $i marker(s) ($SECONDS s)"

# ---- 5. --group: commits at exit, the next run resumes; SIGINT
NB2=$((NB + i))
G1="cli-console-g1-$stamp" G2="cli-console-g2-$stamp"
$K console-consumer --bootstrap-server "$B" --topic "$TB" --group "$G1" --from-beginning \
    --max-messages 10 >"$tmp/g1a" 2>/dev/null || fail "--group run 1 exit $?"
: >"$tmp/g2"
$K console-consumer --bootstrap-server "$B" --topic "$TB" --group "$G2" --from-beginning \
    >"$tmp/g2" 2>"$tmp/g2.err" &
bg=$!
for _ in $(seq 1 100); do [ "$(wc -l <"$tmp/g2")" -ge $NB2 ] && break; sleep 0.2; done
kill -INT $bg
rc=0
wait $bg || rc=$?
bg=""
[ $rc -eq 0 ] || fail "SIGINT: exit $rc"
grep -qx "Processed a total of $NB2 messages" "$tmp/g2.err" || fail "SIGINT: $(cat "$tmp/g2.err")"
$kl tool consumer-groups --bootstrap-server "$B" --describe --group "$G1" --group "$G2" \
    >"$tmp/groups" 2>&1 || { cat "$tmp/groups"; fail "consumer-groups --describe"; }
[ "$(committed "$G1" "$tmp/groups")" -eq 10 ] || { cat "$tmp/groups"; fail "group $G1: want 10 committed"; }
[ "$(committed "$G2" "$tmp/groups")" -eq $NB2 ] || { cat "$tmp/groups"; fail "group $G2: want $NB2 committed"; }
[ "$(grep -c 'has no active members' "$tmp/groups")" -eq 2 ] || { cat "$tmp/groups"; fail "members left behind"; }
$K console-consumer --bootstrap-server "$B" --topic "$TB" --group "$G1" --max-messages $((NB2 - 10)) \
    --timeout-ms 20000 >"$tmp/g1b" 2>/dev/null
sort "$tmp/g1a" "$tmp/g1b" | cmp -s - <(sort "$tmp/g2") ||
    fail "--group: the second run did not resume at the committed offsets ($(wc -l <"$tmp/g1b") records)"
echo "--group: offsets committed at exit and on SIGINT, group left, resumed ($SECONDS s)"

# ---- 6. producer flags: a bare --compression-codec is gzip (as Java), --sync, --broker-list
printf 'compressible compressible compressible %s\n' $(seq 1 200) |
    $K console-producer --broker-list "$B" --topic "$TA" --compression-codec --request-required-acks 1 ||
    fail "--compression-codec: exit $?"
printf 'sync-1\nsync-2\n' | $K console-producer --bootstrap-server "$B" --topic "$TA" --sync ||
    fail "--sync: exit $?"
$K console-consumer --bootstrap-server "$B" --topic "$TA" --from-beginning --max-messages $((NA + 202)) \
    --timeout-ms 20000 2>/dev/null >"$tmp/c"
[ "$(grep -c '^compressible' "$tmp/c")" -eq 200 ] && [ "$(grep -c '^sync-[12]$' "$tmp/c")" -eq 2 ] ||
    fail "compressed / sync records not read back"
logdirs=$($kl tool log-dirs --bootstrap-server "$B" --describe --topic-list "$TA" |
    grep -o '"logDir":"[^"]*"' | sed 's/"logDir":"//; s/"$//' | sort -u)
files=""
for d in $logdirs; do
    for f in "$d/$TA"-[0-9]*/*.log; do [ -e "$f" ] && files="$files${files:+,}$f"; done
done
[ -n "$files" ] || fail "no log segments of $TA under: $logdirs"
# A slow machine (sanitizer builds) may split the 200 records into several
# batches: every one of them must be gzip, and together they hold 200.
gz=$($kl tool dump-log --files "$files" 2>/dev/null | grep '^baseOffset:' |
    grep 'compresscodec: gzip' | sed -nE 's/.*count: ([0-9]+).*/\1/p' | awk '{ n += $1 } END { print n + 0 }')
[ "$gz" -ge 200 ] || fail "only $gz records in gzip batches in $TA (want the 200 compressible ones)"
echo "producer: bare --compression-codec wrote gzip, --sync, --broker-list ($SECONDS s)"

# ---- 7. bad input
for cmd in console-producer console-consumer; do
    bad 2 'unknown option --nope' "$K" $cmd --bootstrap-server "$B" --topic "$TA" --nope
    bad 2 'missing required argument --bootstrap-server' "$K" $cmd --topic "$TA"
    bad 2 'option --topic requires a value' "$K" $cmd --bootstrap-server "$B" --topic
    bad 1 'cannot reach the brokers at 127.0.0.1:1' "$K" $cmd --bootstrap-server 127.0.0.1:1 --topic "$TA"
done
bad 2 'missing required argument --topic' "$K" console-producer --bootstrap-server "$B"
bad 2 'exactly one of --include/--topic' "$K" console-consumer --bootstrap-server "$B"
bad 2 'partition is required when offset' "$K" console-consumer --bootstrap-server "$B" --topic "$TA" --offset 3
bad 2 'topic is required when partition' "$K" console-consumer --bootstrap-server "$B" --include x --partition 0
bad 2 'from-beginning and offset' "$K" console-consumer --bootstrap-server "$B" --topic "$TA" --partition 0 --offset 1 --from-beginning
bad 2 'group and partition' "$K" console-consumer --bootstrap-server "$B" --topic "$TA" --partition 0 --group g
bad 2 "offset value 'x' is incorrect" "$K" console-consumer --bootstrap-server "$B" --topic "$TA" --partition 0 --offset x
bad 2 'do not match' "$K" console-consumer --bootstrap-server "$B" --topic "$TA" --group a --consumer-property group.id=b
bad 1 "topic nope-$stamp does not exist" "$K" console-consumer --bootstrap-server "$B" --topic "nope-$stamp"
bad 1 "partition 9 of topic $TA does not exist" "$K" console-consumer --bootstrap-server "$B" --topic "$TA" --partition 9
bad 2 'linger.ms' "$K" console-producer --bootstrap-server "$B" --topic "$TA" --producer-property linger.ms=-5
bad 2 'headers.delimiter and headers.separator' "$K" console-producer --bootstrap-server "$B" --topic "$TA" --property headers.separator=$'\t'
rc=0
echo x | "$K" console-producer --bootstrap-server "$B" --topic 'bad/topic' 2>"$tmp/e" || rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && grep -q 'topic bad/topic: .*invalid topic' "$tmp/e" ||
    fail "invalid topic name: exit $rc: $(cat "$tmp/e")"
rc=0
printf 'k1\tv1\nno separator\nk3\tv3\n' | "$K" console-producer --bootstrap-server "$B" --topic "$TA" \
    --property parse.key=true 2>"$tmp/e" || rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && grep -q "No key separator found on line number 2: 'no separator'" "$tmp/e" ||
    fail "line without key separator: exit $rc: $(cat "$tmp/e")"
# A topic that does not exist: created by the broker (auto.create.topics.enable,
# the Java producer's behaviour too) or reported by name after --max-block-ms.
rc=0
printf 'a\nb\n' | "$K" console-producer --bootstrap-server "$B" --topic "auto-$stamp" --max-block-ms 3000 \
    2>"$tmp/e" || rc=$?
if [ $rc -eq 0 ]; then
    got=$($K console-consumer --bootstrap-server "$B" --topic "auto-$stamp" --from-beginning --max-messages 2 \
        --timeout-ms 20000 2>/dev/null | tr '\n' ' ')
    [ "$got" = "a b " ] || fail "auto-created topic holds '$got'"
    echo "unknown topic: auto-created by the broker"
else
    [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] &&
        grep -q "topic auto-$stamp not present in metadata after 3000 ms" "$tmp/e" ||
        fail "unknown topic: exit $rc: $(cat "$tmp/e")"
    echo "unknown topic: reported after --max-block-ms"
fi
echo "bad input: one-line errors ($SECONDS s)"
echo "console tools: kafkac and Java agree; $SECONDS s"
