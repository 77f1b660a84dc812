# Helpers for the consumer-group shell tests (tests/integration/
# test_consumer_group*.sh); sourced, not run (tests/run-integration runs
# only test_*.sh). Sourcing it cds to the repository root, checks the
# environment, makes $tmp (removed at exit, with every driver still
# running killed by its pid) and defines:
#
#   gm_start NAME GROUP STRATEGY [DRIVER-OPTIONS...] -- TOPIC...
#       starts the group-member driver (test_group_member with arguments,
#       see tests/integration/test_group_member.c) in the background:
#       output $tmp/NAME.out, event log $tmp/NAME.log, stderr $tmp/NAME.err,
#       pid $tmp/NAME.pid. Short session timeouts are the default.
#   gm_owned NAME     the member's current partitions ("topic:partition",
#                     sorted), folded from its ASSIGN / REVOKE / LOST events
#   gm_stop NAME      SIGTERM, wait for the exit (status 0 expected)
#   gm_kill NAME      SIGKILL
#   gm_alive NAME     true while the driver runs
#   wait_until SECONDS DESCRIPTION COMMAND...   polls COMMAND every 0.2 s;
#                     fails the test (exit 1) with DESCRIPTION on timeout
#   produce_range TOPIC PREFIX FROM TO   produces PREFIX-%07d values FROM..TO
#                     (null keys, spread by the partitioner) with kafkac's
#                     examples/producer; fails on any undelivered record
#   produce_spread TOPIC PREFIX FROM TO NPART   the same, value i to partition
#                     i % NPART
#   values PREFIX FROM TO               the same values, one per line
#   kt TOOL ARGS...   a Kafka Java tool (tests/broker/kafka-local tool)
#   (Processes started in the background write their pid to $tmp/NAME.pid:
#   the exit trap kills them. A Java tool started in the background must be
#   exec'd - ( exec tests/broker/kafka-local tool ... ) & - so that $! is the JVM.)
#   fail MESSAGE      prints MESSAGE and the members' logs, exits 1
#   soft_fail MESSAGE records a failure and goes on; finish exits 1 if any
#   gm_diagnose       explains members thrown out of the group while polling
#   gm_overlaps MEMBER...  partitions owned by two members at once, from the
#                     logs' ASSIGN / REVOKE / LOST / CLOSED events in time order
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
GM=$BUILD/tests/integration/test_group_member
PRODUCER=$BUILD/examples/producer
[ -x "$GM" ] || { echo "$GM missing: make tests"; exit 1; }
[ -x "$PRODUCER" ] || { echo "$PRODUCER missing: make examples"; exit 1; }
tmp=$(mktemp -d)
stamp="$$-$(date +%s)"
T0=$(date +%s%N)
GM_NAMES=()
# Group timing used by every driver unless overridden with -X.
GM_TIMING=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=1000 -X max.poll.interval.ms=30000)

gm_cleanup() { # kills what is still running: every $tmp/*.pid, then background jobs
    local f pid
    for f in "$tmp"/*.pid; do
        pid=$(cat "$f" 2>/dev/null || true)
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    done
    for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap gm_cleanup EXIT

elapsed() { echo "$((($(date +%s%N) - T0) / 1000000))ms"; }
say() { echo "[$(elapsed)] $*"; }
kt() { tests/broker/kafka-local tool "$@"; }

fail() {
    local n
    echo "FAIL: $*"
    [ -s "$tmp/failures" ] && { echo "earlier failures:"; sed 's/^/  - /' "$tmp/failures"; }
    gm_diagnose
    for n in "${GM_NAMES[@]}"; do
        echo "--- $n log (last 25 lines)"
        tail -n 25 "$tmp/$n.log" 2>/dev/null || true
        if [ -s "$tmp/$n.err" ]; then
            echo "--- $n stderr (last 10 lines)"
            tail -n 10 "$tmp/$n.err"
        fi
    done
    exit 1
}

soft_fail() {
    echo "FAIL: $*"
    echo "$*" >>"$tmp/failures"
}

# Members whose commits were refused as from an unknown member
# (UNKNOWN_MEMBER_ID: the coordinator removed them) while no REVOKE / LOST
# had reached them since their last ASSIGN: the group went on without them
# although they kept polling.
gm_diagnose() {
    local n
    for n in "${GM_NAMES[@]}"; do
        [ -e "$tmp/$n.log" ] || continue
        awk -v n="$n" '
            function report(how) {
                printf "     diagnosis: the group went on without %s: %d of its commits refused as " \
                       "UNKNOWN_MEMBER_ID over %.1f s while it kept processing and polling; %s\n", \
                       n, cnt, (last - first) / 1000, how
            }
            $3 == "ASSIGN" { told = 0 }
            $3 == "REVOKE" || $3 == "LOST" {
                if (!told && first)
                    report(sprintf("its rebalance callback (%s) ran only %.1f s after the first refusal",
                                   $3, ($1 - first) / 1000))
                told = 1; first = 0; cnt = 0 }
            $3 == "COMMIT_ERR" && $4 == "UNKNOWN_MEMBER_ID:" && !told { if (!first) first = $1; last = $1; cnt++ }
            END { if (first && !told) report("no rebalance callback (REVOKE / LOST) had run by then") }
        ' "$tmp/$n.log"
    done
}

gm_overlaps() {
    local n files=()
    for n in "$@"; do files+=("$tmp/$n.log"); done
    sort -s -n -k1,1 "${files[@]}" | awk '
        $3 == "ASSIGN" { for (i = 4; i <= NF; i++) {
            if (($i in owner) && owner[$i] != $2)
                printf "%s assigned to %s at %s while %s still owned it\n", $i, $2, $1, owner[$i]
            owner[$i] = $2 } }
        $3 == "REVOKE" || $3 == "LOST" { for (i = 4; i <= NF; i++) if (owner[$i] == $2) delete owner[$i] }
        $3 == "CLOSED" || $3 == "KILLED" { for (k in owner) if (owner[k] == $2) delete owner[k] }'
}

finish() {
    if [ -s "$tmp/failures" ]; then
        echo "FAILED ($(wc -l <"$tmp/failures") check(s)):"
        sed 's/^/  - /' "$tmp/failures"
        exit 1
    fi
}

gm_start() {
    local name=$1 group=$2 strategy=$3
    shift 3
    local opts=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    # KAFKAC_GM_DEBUG=1: the library's debug log in $tmp/NAME.err (with KEEP_TMP=1)
    [ -n "${KAFKAC_GM_DEBUG:-}" ] && opts=(-X log_level=7 "${opts[@]}")
    "$GM" -b "$KAFKAC_BOOTSTRAP" -g "$group" -s "$strategy" -N "$name" \
        -o "$tmp/$name.out" -l "$tmp/$name.log" "${GM_TIMING[@]}" "${opts[@]}" "$@" \
        2>"$tmp/$name.err" &
    echo $! >"$tmp/$name.pid"
    GM_NAMES+=("$name")
}

gm_pid() { cat "$tmp/$1.pid"; }
gm_alive() { kill -0 "$(gm_pid "$1")" 2>/dev/null; }

gm_owned() {
    [ -e "$tmp/$1.log" ] || return 0
    awk '$3 == "ASSIGN" { for (i = 4; i <= NF; i++) own[$i] = 1 }
         $3 == "REVOKE" || $3 == "LOST" { for (i = 4; i <= NF; i++) delete own[$i] }
         END { for (k in own) print k }' "$tmp/$1.log" | sort -t: -k2,2n
}

gm_count() { gm_owned "$1" | wc -l; }

gm_stop() {
    local pid rc=0
    pid=$(gm_pid "$1")
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    [ "$rc" -eq 0 ] || fail "$1 exited with status $rc after SIGTERM"
}

gm_kill() { # also logs KILLED in the member's log, for gm_overlaps
    local pid
    pid=$(gm_pid "$1")
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$(date +%s%3N) $1 KILLED" >>"$tmp/$1.log"
}

wait_until() {
    local secs=$1 what=$2
    shift 2
    local end=$(($(date +%s) + secs))
    until "$@"; do
        [ "$(date +%s)" -lt "$end" ] || fail "timed out after ${secs}s waiting for: $what"
        sleep 0.2
    done
}

values() { awk -v p="$1" -v a="$2" -v b="$3" 'BEGIN { for (i = a; i <= b; i++) printf "%s-%07d\n", p, i }'; }

produce_range() {
    local topic=$1 prefix=$2 from=$3 to=$4 out n=$(($4 - $3 + 1))
    out=$(values "$prefix" "$from" "$to" | "$PRODUCER" -b "$KAFKAC_BOOTSTRAP" -t "$topic" 2>&1) ||
        fail "producer failed: $out"
    grep -qx "producer: $n sent, $n delivered, 0 failed" <<<"$out" || fail "producer: $out"
}

# produce_spread TOPIC PREFIX FROM TO NPART: the same values, value i to
# partition i % NPART explicitly (every partition gets its share).
produce_spread() {
    local topic=$1 prefix=$2 from=$3 to=$4 np=$5 p out
    for ((p = 0; p < np; p++)); do
        out=$(values "$prefix" "$from" "$to" | awk -v p="$p" -v np="$np" -v a="$from" '(a + NR - 1) % np == p' |
            "$PRODUCER" -b "$KAFKAC_BOOTSTRAP" -t "$topic" -p "$p" 2>&1) || fail "producer: $out"
        grep -q ", 0 failed" <<<"$out" || fail "producer: $out"
    done
}

create_topic() {
    kt topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create --topic "$1" --partitions "$2" \
        --replication-factor 1 >/dev/null
}

# Distinct values consumed so far by the members named.
consumed_unique() {
    local n files=()
    for n in "$@"; do files+=("$tmp/$n.out"); done
    cat "${files[@]}" 2>/dev/null | awk '{ print $3 }' | sort -u | wc -l
}

# Committed offsets of GROUP on TOPIC by the Java tool: "partition current end" lines.
java_group_offsets() {
    kt consumer-groups --bootstrap-server "$KAFKAC_BOOTSTRAP" --describe --group "$1" 2>&1 |
        awk -v t="$2" '$2 == t { print $3, $4, $5 }' | sort -n
}
