#!/usr/bin/env bash
# Consumer throughput side by side: kafkac (`kafkac perf consume`), librdkafka
# (build/perf/rdkafka_perf_consume) and Java's ConsumerPerformance
# (kafka-consumer-perf-test, through tests/broker/kafka-local), against one
# local broker. For each partition count a topic is filled once with
# RECORDS records (`kafkac perf produce`), then every client reads all of
# them, each run with a fresh consumer group, runs alternating A B C ...
# A B C ...; kafkac and librdkafka are also run with --assign (every
# partition assigned directly, no group).
#
#   tests/perf/consume-side-by-side.sh        (or: make bench-consume)
#
# Prints a Markdown table of medians (with min-max) and writes every run to
# $OUT/consume.csv (default build/bench/consume.csv), the table to
# $OUT/consume.md and each run's output to $OUT/consume-logs/.
#
# Environment:
#   KAFKAC_BOOTSTRAP  use this running cluster instead of starting one. By
#                     default a private single-node broker is started (in
#                     KAFKAC_RUN_DIR, default ${TMPDIR:-/tmp}/kafkac-bench-consume-UID,
#                     apart from the test broker; PORT forces its port) and
#                     stopped at the end.
#   RECORDS (1000000) SIZE (100) REPEATS (5) PARTITIONS ("1 6")
#   CLIENTS ("kafkac librdkafka java kafkac-assign librdkafka-assign")
#   PAUSE (2 s between runs) SETTLE (5 s after creating a topic)
#   WARMUP (1: one unrecorded run per client first, per topic)
#   RUN_TIMEOUT (300 s per run) BUILD (build) OUT ($BUILD/bench)
#
# Client CPU is user+sys of the whole client process, the same for all
# three: getrusage of the waited-for child (wait4, as /usr/bin/time, but
# with microseconds: a C client's run costs well under 0.1 s, which
# /usr/bin/time's 10 ms resolution would blur). `kafka-local tool` execs the
# JVM, so the child is the JVM. For Java it includes JVM start-up, class
# loading, JIT and GC threads: each repeat also runs Java with --messages 1,
# whose CPU (median) is reported as Java's fixed start-up cost.
set -euo pipefail
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
RECORDS=${RECORDS:-1000000}
SIZE=${SIZE:-100}
REPEATS=${REPEATS:-5}
PARTITIONS=${PARTITIONS:-1 6}
CLIENTS=${CLIENTS:-kafkac librdkafka java kafkac-assign librdkafka-assign}
PAUSE=${PAUSE:-2}
SETTLE=${SETTLE:-5}
WARMUP=${WARMUP:-1}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
KL=tests/broker/kafka-local
KAFKAC=$BUILD/tools/kafkac
RDKAFKA=$BUILD/perf/rdkafka_perf_consume
LOGS=$OUT/consume-logs
CSV=$OUT/consume.csv
MD=$OUT/consume.md

say() { printf '%s\n' "$*" >&2; }
die() {
  say "consume-side-by-side: $*"
  exit 1
}

command -v python3 >/dev/null || die "python3 is needed (for the CPU time of each run)"
make -s BUILD="$BUILD" "$KAFKAC" "$RDKAFKA" >&2 || die "build failed"
mkdir -p "$OUT"
rm -rf "$LOGS"
mkdir -p "$LOGS"

# ---------------------------------------------------------------- broker
STARTED=0
if [[ -n "${KAFKAC_BOOTSTRAP:-}" ]]; then
  BOOTSTRAP=$KAFKAC_BOOTSTRAP
else
  export KAFKAC_RUN_DIR=${KAFKAC_RUN_DIR:-${TMPDIR:-/tmp}/kafkac-bench-consume-$(id -u)}
  say "starting a local broker (run dir $KAFKAC_RUN_DIR)"
  BOOTSTRAP=$("$KL" up ${PORT:+--port "$PORT"}) || die "kafka-local up failed"
  STARTED=1
fi
cleanup() {
  if ((STARTED)); then "$KL" down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

topics() { "$KL" tool topics --bootstrap-server "$BOOTSTRAP" "$@"; }
end_offsets() { # sum of the topic's end offsets
  "$KL" tool get-offsets --bootstrap-server "$BOOTSTRAP" --topic "$1" 2>/dev/null |
    awk -F: '{s += $NF} END {print s + 0}'
}

# ---------------------------------------------------------------- runs

# median of the numbers on stdin
median() {
  sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# cpu_time FILE CMD...: runs CMD, writes "user sys wall" (seconds, from the
# child's rusage) to FILE and exits with CMD's status.
cpu_time() {
  python3 -c '
import os, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[2:])
_, status, ru = os.wait4(p.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write("%.6f %.6f %.3f\n" % (ru.ru_utime, ru.ru_stime, time.monotonic() - t0))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
' "$@"
}

# run_one CLIENT CONFIG REPEAT TOPIC NUM: runs one client, appends a CSV row
run_one() {
  local client=$1 config=$2 rep=$3 topic=$4 num=$5
  local log="$LOGS/$config-$client-$rep.log" tfile="$LOGS/$config-$client-$rep.time"
  local group="bench-consume-$run_id-$config-$client-$rep"
  local -a cmd
  case "$client" in
    kafkac) cmd=("$KAFKAC" perf consume) ;;
    kafkac-assign) cmd=("$KAFKAC" perf consume --assign) ;;
    librdkafka) cmd=("$RDKAFKA") ;;
    librdkafka-assign) cmd=("$RDKAFKA" --assign) ;;
    java | java-1record) cmd=("$KL" tool consumer-perf-test) ;;
  esac
  cmd+=(--bootstrap-server "$BOOTSTRAP" --topic "$topic" --messages "$num" --group "$group")
  printf '$ %s\n' "${cmd[*]}" >"$log"
  local status=0
  cpu_time "$tfile" timeout "$RUN_TIMEOUT" "${cmd[@]}" >>"$log" 2>&1 || status=$?
  local user sys wall
  read -r user sys wall < <(tail -n 1 "$tfile" 2>/dev/null || echo "nan nan nan")
  # Java's summary: "START, END, MB, MB.sec, N, N.sec, REBALANCE_MS, FETCH_MS,
  # FETCH_MB.sec, FETCH_N.sec" (the dates contain no commas).
  local summary
  summary=$(grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]+, [0-9]{4}-' "$log" | tail -n 1 || true)
  local mb=nan mbs=nan rec=nan rps=nan reb=nan fms=nan fmbs=nan frps=nan
  if [[ -n "$summary" ]]; then
    IFS=, read -r _ _ mb mbs rec rps reb fms fmbs frps <<<"${summary// /}"
  fi
  # Java reads whole polls, so its 1-record run may read more than one.
  local short=0
  if [[ "$client" == java-1record ]]; then [[ "$rec" -ge 1 ]] 2>/dev/null || short=1
  elif [[ "$rec" != "$num" ]]; then short=1; fi
  if [[ -z "$summary" || $short -ne 0 || $status -ne 0 ]]; then
    say "  !! $client run $rep of $config: exit $status, summary: ${summary:-none} (log $log)"
    [[ $status -ne 0 ]] || status=99
  fi
  local cpu upr
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.3f", u + s}')
  upr=$(awk -v c="$cpu" -v n="$num" 'BEGIN {printf "%.3f", c * 1e6 / n}')
  say "  $(printf '%-17s' "$client") rep $rep: ${rps} rec/s (fetch ${frps}), rebalance ${reb} ms, CPU ${cpu} s (${upr} us/rec), wall ${wall} s"
  [[ "$rep" != 0 ]] || return 0 # warm-up
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' \
    "$config" "$client" "$rep" "$num" "$rec" "$mb" "$mbs" "$rps" "$reb" "$fms" "$fmbs" "$frps" \
    "$user" "$sys" "$cpu" "$wall" "$status" >>"$CSV"
}

kafkac_version=$("$KAFKAC" --version | awk '{print $2}')
rdkafka_version=$(pkg-config --modversion rdkafka 2>/dev/null || dpkg-query -W -f '${Version}' librdkafka-dev 2>/dev/null || echo "?")
kafka_version=${KAFKAC_KAFKA_VERSION:-4.1.2}
java_version=$(java -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')
git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
git_dirty=$(git status --porcelain -- lib include 2>/dev/null | wc -l | tr -d ' ')

echo "config,client,repeat,messages,records_read,mb,mb_per_s,records_per_s,rebalance_ms,fetch_ms,fetch_mb_per_s,fetch_records_per_s,cpu_user_s,cpu_sys_s,cpu_s,wall_s,exit_status" >"$CSV"

say "kafkac $kafkac_version (git $git_rev, $git_dirty changed files under lib/ include/), librdkafka $rdkafka_version, Kafka $kafka_version on Java $java_version"
say "broker $BOOTSTRAP; $RECORDS records of $SIZE bytes; partitions: $PARTITIONS; clients: $CLIENTS; $REPEATS repeats"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
run_id=$(date +%s)
CHECKS=()
for parts in $PARTITIONS; do
  config="p$parts"
  topic="bench-consume-$config-$run_id"
  topics --create --topic "$topic" --partitions "$parts" --replication-factor 1 >/dev/null ||
    die "cannot create topic $topic"
  sleep "$SETTLE"
  say "== $config: filling $topic with $RECORDS records"
  "$KAFKAC" perf produce --topic "$topic" --num-records "$RECORDS" --record-size "$SIZE" \
    --throughput -1 --producer-props bootstrap.servers="$BOOTSTRAP" acks=all linger.ms=5 \
    batch.size=16384 >"$LOGS/$config-fill.log" 2>&1 || die "filling $topic failed (see $LOGS/$config-fill.log)"
  have=$(end_offsets "$topic")
  [[ "$have" == "$RECORDS" ]] || die "$topic holds $have records, expected $RECORDS"
  CHECKS+=("$config: $have records in $topic before the runs")
  if ((WARMUP)); then
    say "   warm-up (not recorded)"
    for client in $CLIENTS; do
      run_one "$client" "$config" 0 "$topic" "$RECORDS"
      sleep "$PAUSE"
    done
  fi
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for client in $CLIENTS; do
      run_one "$client" "$config" "$rep" "$topic" "$RECORDS"
      sleep "$PAUSE"
    done
    [[ " $CLIENTS " != *" java "* ]] || run_one java-1record "$config" "$rep" "$topic" 1
  done
  topics --delete --topic "$topic" >/dev/null 2>&1 || true
done

# ---------------------------------------------------------------- table
sel() { # sel CONFIG CLIENT FIELD#: the column over the successful runs
  awk -F, -v c="$1" -v k="$2" -v f="$3" '$1 == c && $2 == k && $17 == 0 {print $f}' "$CSV"
}
med() { sel "$@" | median; }
# cell CONFIG CLIENT FIELD# FORMAT: "median (min–max)"
cell() {
  local v
  v=$(sel "$1" "$2" "$3" | sort -g)
  [[ -n "$v" ]] || { echo "-"; return; }
  local f=$4
  # shellcheck disable=SC2059 # the format is the caller's (%.0f or %.2f)
  printf "$f ($f–$f)" "$(median <<<"$v")" "$(head -n 1 <<<"$v")" "$(tail -n 1 <<<"$v")"
}
nok() { awk -F, -v c="$1" -v k="$2" '$1 == c && $2 == k && $17 == 0' "$CSV" | wc -l | tr -d ' '; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b + 0 > 0 && a == a + 0) printf "%.2f", a / b; else print "-"}'; }
name_of() {
  case $1 in
    kafkac) echo "kafkac $kafkac_version" ;;
    kafkac-assign) echo "kafkac $kafkac_version --assign" ;;
    librdkafka) echo "librdkafka $rdkafka_version" ;;
    librdkafka-assign) echo "librdkafka $rdkafka_version --assign" ;;
    java) echo "Java $kafka_version" ;;
  esac
}
{
  echo "| partitions | client | records/s | fetch records/s | rebalance ms | client CPU s | CPU µs/record | wall s |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|"
  for parts in $PARTITIONS; do
    config="p$parts"
    for client in $CLIENTS; do
      name=$(name_of "$client")
      n=$(nok "$config" "$client")
      ((n == REPEATS)) || name="$name ($n of $REPEATS runs ok)"
      upr=$(awk -v c="$(med "$config" "$client" 15)" -v n="$RECORDS" 'BEGIN {printf "%.3f", c * 1e6 / n}')
      printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$parts" "$name" \
        "$(cell "$config" "$client" 8 %.0f)" "$(cell "$config" "$client" 12 %.0f)" \
        "$(cell "$config" "$client" 9 %.0f)" "$(cell "$config" "$client" 15 %.3f)" "$upr" \
        "$(cell "$config" "$client" 16 %.2f)"
    done
  done
  echo
  echo "| partitions | ratio | records/s | fetch records/s | client CPU |"
  echo "|---:|---|---:|---:|---:|"
  for parts in $PARTITIONS; do
    config="p$parts"
    for pair in "kafkac librdkafka" "kafkac java" "kafkac-assign librdkafka-assign" "kafkac-assign kafkac"; do
      read -r a b <<<"$pair"
      [[ " $CLIENTS " == *" $a "* && " $CLIENTS " == *" $b "* ]] || continue
      printf '| %s | %s / %s | %s | %s | %s |\n' "$parts" "$a" "$b" \
        "$(ratio "$(med "$config" "$a" 8)" "$(med "$config" "$b" 8)")" \
        "$(ratio "$(med "$config" "$a" 12)" "$(med "$config" "$b" 12)")" \
        "$(ratio "$(med "$config" "$a" 15)" "$(med "$config" "$b" 15)")"
    done
  done
  echo
  echo "Medians of $REPEATS runs per cell (min–max in brackets), each column separately; ratios are of medians."
  if [[ " $CLIENTS " == *" java "* ]]; then
    java_fixed=$(awk -F, '$2 == "java-1record" && $17 == 0 {print $15}' "$CSV" | median)
    echo "Java's CPU includes JVM start-up: a 1-record Java run costs $(printf '%.2f' "$java_fixed") s CPU (median)."
  fi
  for c in "${CHECKS[@]}"; do echo "Check: $c."; done
  echo "kafkac $kafkac_version (git $git_rev, $git_dirty changed files under lib/ include/), librdkafka $rdkafka_version, Kafka $kafka_version on Java $java_version; $(nproc) CPUs; load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
} >"$MD"
cat "$MD"
say "runs: $CSV; logs: $LOGS"
