#!/usr/bin/env bash
# `kafkac consumer-groups` against Kafka's own kafka-consumer-groups tool
# (4.1) on the same cluster:
#  - a 3-partition topic gets two batches of keyed records (a timestamp T
#    taken between them); group FULL reads everything, group PART the first
#    records only (build/examples/consumer -n);
#  - --list, --list --state, --describe (offsets view) and --describe --state
#    give the same groups, states, TOPIC/PARTITION/CURRENT-OFFSET/
#    LOG-END-OFFSET/LAG values and coordinator as the Java tool (parsed
#    columns, sorted: Java's row order is a hash order); the offsets table
#    header is byte-identical;
#  - --reset-offsets, one group per strategy (each first set to PART's
#    offsets with --to-current --export and --from-file --execute):
#    --to-earliest, --to-latest, --to-offset, --shift-by, --to-datetime T,
#    --by-duration, --to-current: kafkac's --dry-run plan equals the Java
#    tool's dry-run plan and the expected offsets; --execute commits it, and
#    the Java tool's --describe shows those offsets;
#  - a group with an active member (build/examples/consumer in the
#    background, waited for until Stable): --describe --members matches the
#    Java tool (consumer id, host, client id, #partitions); --reset-offsets
#    is refused with Kafka's message, --delete fails (group not empty);
#  - --delete removes groups (the Java tool no longer lists them);
#  - --json output parses (Python's json module) and carries the same values;
#  - bad input: one line on stderr and a non-zero status for an unknown
#    flag, a missing --group, a missing action, conflicting flags, a group
#    that does not exist, a topic or partition that does not exist, an
#    unreachable broker (bounded time); a reset without --dry-run/--execute
#    behaves as Kafka's: a WARN line, the plan, status 0, nothing committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
B=$KAFKAC_BOOTSTRAP
kl=tests/broker/kafka-local
K=$BUILD/tools/kafkac
CONSUMER=$BUILD/examples/consumer
PRODUCER=$BUILD/examples/producer
for x in "$K" "$CONSUMER" "$PRODUCER"; do [ -x "$x" ] || { echo "$x missing: make all"; exit 1; }; done
export LC_ALL=C
tmp=$(mktemp -d)
bg=""
stamp="$$-$(date +%s)"
P="kcli-cg-$stamp"
T="$P-t"
FULL="$P-full" PART="$P-part" ACT="$P-active"
cleanup() {
    [ -z "$bg" ] || kill "$bg" 2>/dev/null || true
    "$K" consumer-groups --bootstrap-server "$B" --delete --group "$FULL" --group "$PART" \
        --group "$ACT" >/dev/null 2>&1 || true
    for s in earliest latest offset shift datetime duration current; do
        "$K" consumer-groups --bootstrap-server "$B" --delete --group "$P-r-$s" >/dev/null 2>&1 || true
    done
    $kl tool topics --bootstrap-server "$B" --delete --topic "$T" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
SECONDS=0
pass=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; exit 1; }
cg() { "$K" consumer-groups --bootstrap-server "$B" "$@"; }
jcg() { $kl tool consumer-groups --bootstrap-server "$B" "$@" 2>"$tmp/java.err"; }

# Rows of an offsets table (GROUP TOPIC PARTITION CURRENT-OFFSET
# LOG-END-OFFSET LAG [CONSUMER-ID HOST CLIENT-ID]) for the groups of this
# test, the first $1 columns, sorted.
rows() {
    awk -v n="$1" -v p="$P-" 'index($1, p) == 1 && NF >= 9 && $3 ~ /^[0-9]+$/ {
        s = $1; for (i = 2; i <= n; i++) s = s " " $i; print s }' | sort
}
# Rows of a reset plan (GROUP TOPIC PARTITION NEW-OFFSET), sorted.
plan_rows() {
    awk -v p="$P-" 'index($1, p) == 1 && NF == 4 && $3 ~ /^[0-9]+$/ { print $1, $2, $3, $4 }' | sort
}
same() { # same NAME FILE-A FILE-B: identical, and not empty
    [ -s "$2" ] || fail "$1: no rows (kafkac side)"
    diff "$2" "$3" >"$tmp/diff" || { echo "$1 differs (< kafkac, > Java):"; cat "$tmp/diff"; fail "$1"; }
    ok
}

# ---- data: batch A, timestamp T, batch B; FULL reads all, PART 150 records.
$kl tool topics --bootstrap-server "$B" --create --topic "$T" --partitions 3 \
    --replication-factor 1 >/dev/null
produce() { # FROM TO
    for ((i = $1; i <= $2; i++)); do printf 'key-%d\tvalue-%d\n' "$i" "$i"; done |
        "$PRODUCER" -b "$B" -t "$T" -K >"$tmp/prod.out" 2>&1 ||
        { cat "$tmp/prod.out"; fail "producer"; }
}
produce 1 240
# log ends after batch A (what --to-datetime T must give)
cg --reset-offsets --group "$P-probe" --topic "$T" --to-latest --dry-run | plan_rows |
    awk '{ print $2, $3, $4 }' >"$tmp/ends-a"
[ "$(wc -l <"$tmp/ends-a")" -eq 3 ] || fail "log ends after batch A: $(cat "$tmp/ends-a")"
sleep 1.2
TS=$(date -u +%Y-%m-%dT%H:%M:%S.%3N)
sleep 1.2
produce 241 360
"$CONSUMER" -b "$B" -g "$FULL" -o earliest -e -q "$T" >"$tmp/full.out" 2>&1 ||
    { cat "$tmp/full.out"; fail "consumer $FULL"; }
grep -q "consumer: 360 records" "$tmp/full.out" || { cat "$tmp/full.out"; fail "$FULL did not read 360 records"; }
"$CONSUMER" -b "$B" -g "$PART" -o earliest -n 150 -q "$T" >"$tmp/part.out" 2>&1 ||
    { cat "$tmp/part.out"; fail "consumer $PART"; }
grep -q "consumer: 150 records" "$tmp/part.out" || { cat "$tmp/part.out"; fail "$PART did not read 150 records"; }
echo "data: 360 records in 3 partitions, groups $FULL (all) and $PART (150) (${SECONDS}s)"

# ---- --list, --list --state
cg --list >"$tmp/k.list"
jcg --list --state >"$tmp/j.list-state"
if ! grep -qx "$FULL" "$tmp/k.list" || ! grep -qx "$PART" "$tmp/k.list"; then
    fail "--list lacks our groups: $(cat "$tmp/k.list")"
fi
grep "^$P-" "$tmp/k.list" | sort >"$tmp/k.names"
awk -v p="$P-" 'index($1, p) == 1 { print $1 }' "$tmp/j.list-state" | sort >"$tmp/j.names"
same "--list" "$tmp/k.names" "$tmp/j.names"
cg --list --state >"$tmp/k.list-state"
head -n 1 "$tmp/k.list-state" >"$tmp/k.h"; head -n 1 "$tmp/j.list-state" >"$tmp/j.h"
same "--list --state header" "$tmp/k.h" "$tmp/j.h"
awk -v p="$P-" 'index($1, p) == 1 { print $1, $2 }' "$tmp/k.list-state" | sort >"$tmp/k.ls"
awk -v p="$P-" 'index($1, p) == 1 { print $1, $2 }' "$tmp/j.list-state" | sort >"$tmp/j.ls"
same "--list --state" "$tmp/k.ls" "$tmp/j.ls"
cg --list --state Stable,PreparingRebalance | grep -q "^$FULL " && fail "--list --state Stable shows the empty $FULL"
cg --list --state empty | grep -q "^$FULL " || fail "--list --state empty lacks $FULL"
ok

# ---- --describe (offsets view) and --describe --state of FULL and PART
cg --describe --group "$FULL" --group "$PART" >"$tmp/k.desc" 2>"$tmp/k.desc.err"
jcg --describe --group "$FULL" --group "$PART" >"$tmp/j.desc"
rows 6 <"$tmp/k.desc" >"$tmp/k.rows"; rows 6 <"$tmp/j.desc" >"$tmp/j.rows"
[ "$(wc -l <"$tmp/k.rows")" -eq 6 ] || fail "--describe: expected 6 rows: $(cat "$tmp/k.desc")"
same "--describe offsets" "$tmp/k.rows" "$tmp/j.rows"
grep '^GROUP' "$tmp/k.desc" >"$tmp/k.h"; grep '^GROUP' "$tmp/j.desc" >"$tmp/j.h"
same "--describe header" "$tmp/k.h" "$tmp/j.h"
grep -qx "Consumer group '$FULL' has no active members." "$tmp/k.desc.err" || fail "no 'no active members' line: $(cat "$tmp/k.desc.err")"
# FULL: lag 0 everywhere; PART: 150 committed in total
awk -v g="$FULL" '$1 == g && $6 != 0 { bad = 1 } END { exit bad }' "$tmp/k.rows" || fail "$FULL has lag"
[ "$(awk -v g="$PART" '$1 == g { s += $4 } END { print s }' "$tmp/k.rows")" -eq 150 ] ||
    fail "$PART: committed offsets do not add up to 150: $(cat "$tmp/k.rows")"
cg --describe --group "$FULL" --group "$PART" --state >"$tmp/k.state" 2>/dev/null
jcg --describe --group "$FULL" --group "$PART" --state >"$tmp/j.state"
norm_state() { grep -v '^GROUP' | awk 'NF { $1 = $1; print }' | sort; }
norm_state <"$tmp/k.state" >"$tmp/k.st"; norm_state <"$tmp/j.state" >"$tmp/j.st"
same "--describe --state" "$tmp/k.st" "$tmp/j.st"
# --json: the same values
cg --describe --group "$FULL" --group "$PART" --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
for g in d["groups"]:
    for p in g["partitions"]:
        print(g["group"], p["topic"], p["partition"], p["current_offset"], p["log_end_offset"], p["lag"])
' | sort >"$tmp/k.json-rows"
same "--describe --json" "$tmp/k.json-rows" "$tmp/j.rows"
echo "list/describe: groups, states, offsets, lag, coordinator match the Java tool (${SECONDS}s)"

# ---- --reset-offsets: one group per strategy, starting from PART's offsets
cg --reset-offsets --group "$PART" --topic "$T" --to-current --dry-run --export >"$tmp/part.csv"
[ "$(grep -c . "$tmp/part.csv")" -eq 3 ] || fail "--export: $(cat "$tmp/part.csv")"
declare -A cur leo ends_a
while read -r g _ p c e _; do
    [ "$g" = "$PART" ] && cur[$p]=$c
    [ "$g" = "$FULL" ] && leo[$p]=$e
done <"$tmp/j.rows"
while read -r _ p o; do ends_a[$p]=$o; done <"$tmp/ends-a"
STRATS=(earliest latest offset shift datetime duration current)
declare -A ARGS=(
    [earliest]="--to-earliest" [latest]="--to-latest" [offset]="--to-offset 70"
    [shift]="--shift-by -60" [datetime]="--to-datetime $TS" [duration]="--by-duration PT1H"
    [current]="--to-current")
expect() { # STRATEGY PARTITION
    local c=${cur[$2]:-${leo[$2]}}
    case $1 in
    earliest | duration) echo 0 ;;
    latest) echo "${leo[$2]}" ;;
    offset) echo $((70 < leo[$2] ? 70 : leo[$2])) ;;
    shift) echo $((c - 60 > 0 ? c - 60 : 0)) ;;
    datetime) echo "${ends_a[$2]}" ;;
    current) echo "$c" ;;
    esac
}
for s in "${STRATS[@]}"; do
    g="$P-r-$s"
    cg --reset-offsets --group "$g" --topic "$T" --from-file "$tmp/part.csv" --execute >/dev/null
    # shellcheck disable=SC2086
    cg --reset-offsets --group "$g" --topic "$T" ${ARGS[$s]} --dry-run >"$tmp/k.plan" 2>"$tmp/k.plan.err"
    # shellcheck disable=SC2086
    jcg --reset-offsets --group "$g" --topic "$T" ${ARGS[$s]} --dry-run >"$tmp/j.plan"
    plan_rows <"$tmp/k.plan" >"$tmp/k.p"; plan_rows <"$tmp/j.plan" >"$tmp/j.p"
    same "--reset-offsets ${ARGS[$s]} --dry-run" "$tmp/k.p" "$tmp/j.p"
    grep '^GROUP' "$tmp/k.plan" >"$tmp/k.h"; grep '^GROUP' "$tmp/j.plan" >"$tmp/j.h"
    same "--reset-offsets header" "$tmp/k.h" "$tmp/j.h"
    for p in 0 1 2; do
        want=$(expect "$s" "$p")
        got=$(awk -v p="$p" '$3 == p { print $4 }' "$tmp/k.p")
        [ "$got" = "$want" ] || fail "${ARGS[$s]}: partition $p planned $got, expected $want"
    done
    # shellcheck disable=SC2086
    cg --reset-offsets --group "$g" --topic "$T" ${ARGS[$s]} --execute >"$tmp/k.exec" 2>/dev/null
    plan_rows <"$tmp/k.exec" >"$tmp/k.e"
    same "--reset-offsets ${ARGS[$s]} --execute plan" "$tmp/k.e" "$tmp/k.p"
done
jargs=()
for s in "${STRATS[@]}"; do jargs+=(--group "$P-r-$s"); done
jcg --describe "${jargs[@]}" >"$tmp/j.after"
rows 4 <"$tmp/j.after" >"$tmp/j.after-rows"
for s in "${STRATS[@]}"; do
    for p in 0 1 2; do
        want=$(expect "$s" "$p")
        got=$(awk -v g="$P-r-$s" -v p="$p" '$1 == g && $3 == p { print $4 }' "$tmp/j.after-rows")
        [ "$got" = "$want" ] || fail "after ${ARGS[$s]} --execute the Java tool shows $got for partition $p, expected $want"
    done
done
ok
echo "reset-offsets: ${#STRATS[@]} strategies, dry-run = Java's plan, executed, seen by Java (${SECONDS}s)"

# A reset without --dry-run/--execute is Kafka's dry run: WARN, plan, status 0.
g="$P-r-earliest"
cg --reset-offsets --group "$g" --topic "$T" --to-latest >"$tmp/k.plan" 2>"$tmp/k.plan.err" ||
    fail "reset without --dry-run/--execute: status $?"
grep -q "^WARN: No action will be performed as the --execute option is missing" "$tmp/k.plan.err" ||
    fail "no WARN line: $(cat "$tmp/k.plan.err")"
[ "$(plan_rows <"$tmp/k.plan" | wc -l)" -eq 3 ] || fail "no plan printed"
cg --describe --group "$g" --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert all(p["current_offset"] == 0 for p in d["groups"][0]["partitions"]), d
' || fail "a reset without --execute changed offsets"
ok

# ---- an active group
# Commits every 100 ms, so both tools see its offsets when they describe.
"$CONSUMER" -b "$B" -g "$ACT" -q -X auto.commit.interval.ms=100 "$T" >"$tmp/act.out" 2>&1 &
bg=$!
state=""
for ((i = 0; i < 150; i++)); do
    state=$(cg --describe --group "$ACT" --state --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["groups"][0]["state"])' 2>/dev/null || true)
    [ "$state" = Stable ] && break
    sleep 0.2
done
[ "$state" = Stable ] || { cat "$tmp/act.out"; fail "$ACT not Stable after 30 s (state '$state')"; }
sleep 1 # its first commit (start offsets are resolved, then committed within 100 ms)
cg --describe --group "$ACT" --members >"$tmp/k.members"
jcg --describe --group "$ACT" --members >"$tmp/j.members"
grep "^$ACT " "$tmp/k.members" | awk '{ print $1, $2, $3, $4, $5 }' >"$tmp/k.m"
grep "^$ACT " "$tmp/j.members" | awk '{ print $1, $2, $3, $4, $5 }' >"$tmp/j.m"
same "--describe --members (active)" "$tmp/k.m" "$tmp/j.m"
cg --describe --group "$ACT" >"$tmp/k.desc"
jcg --describe --group "$ACT" >"$tmp/j.desc"
rows 9 <"$tmp/k.desc" >"$tmp/k.rows"; rows 9 <"$tmp/j.desc" >"$tmp/j.rows"
same "--describe (active member columns)" "$tmp/k.rows" "$tmp/j.rows"
if cg --reset-offsets --group "$ACT" --topic "$T" --to-earliest --execute >"$tmp/k.out" 2>"$tmp/k.err"; then
    fail "reset of an active group succeeded"
fi
[ "$(cat "$tmp/k.err")" = "kafkac consumer-groups: Assignments can only be reset if the group '$ACT' is inactive, but the current state is Stable." ] ||
    fail "reset of an active group: $(cat "$tmp/k.err")"
[ ! -s "$tmp/k.out" ] || fail "reset of an active group printed: $(cat "$tmp/k.out")"
if cg --delete --group "$ACT" >"$tmp/k.out" 2>"$tmp/k.err"; then fail "delete of an active group succeeded"; fi
grep -qx "kafkac consumer-groups: Group '$ACT' could not be deleted due to: The group is not empty." "$tmp/k.err" ||
    fail "delete of an active group: $(cat "$tmp/k.err")"
kill "$bg"
wait "$bg" || true
bg=""
ok
echo "active group: members match Java, reset refused, delete refused (${SECONDS}s)"

# ---- --delete
out=$(cg --delete --group "$FULL" --group "$ACT")
[ "$out" = "Deletion of requested consumer groups ('$FULL', '$ACT') was successful." ] || fail "--delete: $out"
jcg --list >"$tmp/j.list"
grep -qx "$FULL" "$tmp/j.list" && fail "the Java tool still lists $FULL"
grep -qx "$ACT" "$tmp/j.list" && fail "the Java tool still lists $ACT"
grep -qx "$PART" "$tmp/j.list" || fail "the Java tool lost $PART"
ok
echo "delete: groups gone from the Java tool's --list (${SECONDS}s)"

# ---- bad input: one line on stderr, nothing on stdout, status != 0
bad() { # WANT-STATUS STDERR-PATTERN ARGS...
    local want=$1 pat=$2 rc=0
    shift 2
    "$K" consumer-groups "$@" >"$tmp/bad.out" 2>"$tmp/bad.err" || rc=$?
    [ "$rc" -eq "$want" ] || fail "$*: status $rc, expected $want ($(cat "$tmp/bad.err"))"
    [ "$(wc -l <"$tmp/bad.err")" -eq 1 ] || fail "$*: stderr is not one line: $(cat "$tmp/bad.err")"
    grep -q -- "$pat" "$tmp/bad.err" || fail "$*: stderr '$(cat "$tmp/bad.err")' lacks '$pat'"
    [ ! -s "$tmp/bad.out" ] || fail "$*: stdout: $(cat "$tmp/bad.out")"
    ok
}
bad 2 "bogus is not a recognized option" --bootstrap-server "$B" --list --bogus
bad 2 "Option \[describe\] takes one of these options" --bootstrap-server "$B" --describe
bad 2 "Option \[reset-offsets\] takes one of these options" --bootstrap-server "$B" --reset-offsets --topic "$T" --to-earliest --dry-run
bad 2 "Command must include exactly one action" --bootstrap-server "$B"
bad 2 "Command must include exactly one action" --bootstrap-server "$B" --list --describe --group "$PART"
bad 2 "only accepts one of \[execute\] and \[dry-run\]" --bootstrap-server "$B" --reset-offsets --group "$PART" --all-topics --to-earliest --dry-run --execute
bad 2 "requires one of the following scenarios" --bootstrap-server "$B" --reset-offsets --group "$PART" --all-topics --dry-run
bad 2 "can't be used with option" --bootstrap-server "$B" --reset-offsets --group "$PART" --all-topics --to-earliest --to-latest --dry-run
bad 2 "One of the reset scopes should be defined" --bootstrap-server "$B" --reset-offsets --group "$PART" --to-earliest --dry-run
bad 2 "Cannot parse argument 'x' of option to-offset" --bootstrap-server "$B" --reset-offsets --group "$PART" --all-topics --to-offset x --dry-run
bad 2 "Error parsing timestamp" --bootstrap-server "$B" --reset-offsets --group "$PART" --all-topics --to-datetime 2024-13-01T00:00:00.000 --dry-run
bad 2 "Invalid state list 'bogus'" --bootstrap-server "$B" --list --state bogus
bad 2 "missing required argument --bootstrap-server" --list
bad 1 "Consumer group '$P-nosuch' does not exist." --bootstrap-server "$B" --describe --group "$P-nosuch"
bad 1 "The partitions \"$T-7\" do not exist" --bootstrap-server "$B" --reset-offsets --group "$PART" --topic "$T:7" --to-earliest --dry-run
bad 1 "topic '$P-nosuch'" --bootstrap-server "$B" --reset-offsets --group "$PART" --topic "$P-nosuch" --to-earliest --dry-run
bad 1 "Group '$P-nosuch' could not be deleted due to: The group id does not exist." --bootstrap-server "$B" --delete --group "$P-nosuch"
start=$SECONDS
bad 1 "cannot reach the brokers at 127.0.0.1:1" --bootstrap-server 127.0.0.1:1 --list
[ $((SECONDS - start)) -le 15 ] || fail "unreachable broker: $((SECONDS - start)) s"
"$K" consumer-groups --help | grep -q -- "--reset-offsets" || fail "--help"
ok
echo "bad input: one-line errors, non-zero status (${SECONDS}s)"
echo "kafkac consumer-groups: $pass checks passed in ${SECONDS}s"
