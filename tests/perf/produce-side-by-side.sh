#!/usr/bin/env bash
# Producer throughput side by side: kafkac (`kafkac perf produce`), librdkafka
# (build/perf/rdkafka_perf_produce) and Java's ProducerPerformance
# (kafka-producer-perf-test, through tests/broker/kafka-local), against one
# local broker, runs alternating A B C A B C, for every combination of
# acks (1; all with idempotence) and compression (none; lz4).
#
#   tests/perf/produce-side-by-side.sh        (or: make bench-produce)
#
# Prints a Markdown table of medians and writes every run to
# $OUT/produce.csv (default build/bench/produce.csv), the table to
# $OUT/produce.md and each run's output to $OUT/produce-logs/.
#
# Environment:
#   KAFKAC_BOOTSTRAP  use this running cluster instead of starting one. By
#                     default a private single-node broker is started (in
#                     KAFKAC_RUN_DIR, default ${TMPDIR:-/tmp}/kafkac-bench-produce-UID,
#                     apart from the test broker) and stopped at the end.
#   RECORDS (1000000) SIZE (100) REPEATS (3) PARTITIONS (6) LINGER_MS (5)
#   BATCH_SIZE (16384) ACKS ("1 all") COMPRESSION ("none lz4") THROUGHPUT (-1:
#   unthrottled) PAUSE (2 s between runs) SETTLE (5 s after creating a topic)
#   WARMUP (1: one unrecorded run per client first, so that the broker's JIT
#   and page cache are warm)
#   RUN_TIMEOUT (600 s per run) BUILD (build) OUT ($BUILD/bench)
#
# Client CPU is user+sys of the whole client process from /usr/bin/time, the
# same for all three. For Java it includes JVM start-up, class loading, JIT
# and GC threads: each repeat also runs Java with --num-records 1, whose CPU
# (median) is reported as Java's fixed start-up cost.
set -euo pipefail
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
RECORDS=${RECORDS:-1000000}
SIZE=${SIZE:-100}
REPEATS=${REPEATS:-3}
PARTITIONS=${PARTITIONS:-6}
LINGER_MS=${LINGER_MS:-5}
BATCH_SIZE=${BATCH_SIZE:-16384}
ACKS=${ACKS:-1 all}
COMPRESSION=${COMPRESSION:-none lz4}
THROUGHPUT=${THROUGHPUT:--1}
PAUSE=${PAUSE:-2}
SETTLE=${SETTLE:-5}
WARMUP=${WARMUP:-1}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
KL=tests/broker/kafka-local
KAFKAC=$BUILD/tools/kafkac
RDKAFKA=$BUILD/perf/rdkafka_perf_produce
LOGS=$OUT/produce-logs
CSV=$OUT/produce.csv
MD=$OUT/produce.md

say() { printf '%s\n' "$*" >&2; }
die() {
  say "produce-side-by-side: $*"
  exit 1
}

command -v /usr/bin/time >/dev/null || die "/usr/bin/time is needed (apt-get install time)"
make -s BUILD="$BUILD" "$KAFKAC" "$RDKAFKA" >&2 || die "build failed"
mkdir -p "$OUT"
rm -rf "$LOGS"
mkdir -p "$LOGS"

# ---------------------------------------------------------------- broker
STARTED=0
if [[ -n "${KAFKAC_BOOTSTRAP:-}" ]]; then
  BOOTSTRAP=$KAFKAC_BOOTSTRAP
else
  export KAFKAC_RUN_DIR=${KAFKAC_RUN_DIR:-${TMPDIR:-/tmp}/kafkac-bench-produce-$(id -u)}
  say "starting a local broker (run dir $KAFKAC_RUN_DIR)"
  BOOTSTRAP=$("$KL" up) || die "kafka-local up failed"
  STARTED=1
fi
cleanup() {
  if ((STARTED)); then "$KL" down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

topics() { "$KL" tool topics --bootstrap-server "$BOOTSTRAP" "$@"; }

# ---------------------------------------------------------------- runs

# median of the numbers on stdin
median() {
  sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run_one CLIENT CONFIG REPEAT TOPIC NUM PROPS...: runs one client, appends a CSV row
run_one() {
  local client=$1 config=$2 rep=$3 topic=$4 num=$5
  shift 5
  local log="$LOGS/$config-$client-$rep.log" tfile="$LOGS/$config-$client-$rep.time"
  local -a cmd
  case "$client" in
    kafkac) cmd=("$KAFKAC" perf produce) ;;
    librdkafka) cmd=("$RDKAFKA") ;;
    java | java-1record) cmd=("$KL" tool producer-perf-test) ;;
  esac
  cmd+=(--topic "$topic" --num-records "$num" --record-size "$SIZE" --throughput "$THROUGHPUT"
    --producer-props "$@")
  printf '$ %s\n' "${cmd[*]}" >"$log"
  local status=0
  timeout "$RUN_TIMEOUT" /usr/bin/time -f '%U %S %e' -o "$tfile" "${cmd[@]}" >>"$log" 2>&1 || status=$?
  local user sys wall
  read -r user sys wall < <(tail -n 1 "$tfile" 2>/dev/null || echo "nan nan nan")
  # The summary: "N records sent, X records/sec (Y MB/sec), A ms avg latency,
  # M ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th."
  local summary
  summary=$(grep -E '^[0-9]+ records sent, .* 99\.9th\.$' "$log" | tail -n 1 || true)
  local rec=nan rps=nan mbs=nan avg=nan max=nan p50=nan p95=nan p99=nan p999=nan
  if [[ -n "$summary" ]]; then
    read -r rec rps mbs avg max p50 p95 p99 p999 < <(sed -E \
      's/^([0-9]+) records sent, ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\), ([0-9.]+) ms avg latency, ([0-9.]+) ms max latency, ([0-9]+) ms 50th, ([0-9]+) ms 95th, ([0-9]+) ms 99th, ([0-9]+) ms 99\.9th\.$/\1 \2 \3 \4 \5 \6 \7 \8 \9/' \
      <<<"$summary")
  fi
  if [[ -z "$summary" || "$rec" != "$num" || $status -ne 0 ]]; then
    say "  !! $client run $rep of $config: exit $status, summary: ${summary:-none} (log $log)"
    [[ $status -ne 0 ]] || status=99
  fi
  local cpu upr
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.3f", u + s}')
  upr=$(awk -v c="$cpu" -v n="$num" 'BEGIN {printf "%.3f", c * 1e6 / n}')
  say "  $(printf '%-12s' "$client") rep $rep: ${rps} rec/s, ${mbs} MB/s, CPU ${cpu} s (${upr} us/rec), p50 ${p50} ms, p99 ${p99} ms"
  [[ "$config" != warmup ]] || return 0
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' \
    "$config" "$ACKS_NOW" "$COMP_NOW" "$client" "$rep" "$num" "$rec" "$rps" "$mbs" "$avg" "$max" \
    "$p50" "$p95" "$p99" "$p999" "$user" "$sys" "$cpu" "$upr" "$wall" "$status" >>"$CSV"
}

kafkac_version=$("$KAFKAC" --version | awk '{print $2}')
rdkafka_version=$(pkg-config --modversion rdkafka 2>/dev/null || dpkg-query -W -f '${Version}' librdkafka-dev 2>/dev/null || echo "?")
kafka_version=${KAFKAC_KAFKA_VERSION:-4.1.2}
java_version=$(java -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')
git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
git_dirty=$(git status --porcelain -- lib include 2>/dev/null | wc -l | tr -d ' ')

echo "config,acks,compression,client,repeat,num_records,records_sent,records_per_s,mb_per_s,avg_latency_ms,max_latency_ms,p50_ms,p95_ms,p99_ms,p999_ms,cpu_user_s,cpu_sys_s,cpu_s,cpu_us_per_record,wall_s,exit_status" >"$CSV"

say "kafkac $kafkac_version (git $git_rev, $git_dirty changed files under lib/ include/), librdkafka $rdkafka_version, Kafka $kafka_version on Java $java_version"
say "broker $BOOTSTRAP; $RECORDS records of $SIZE bytes, throughput $THROUGHPUT, $PARTITIONS partitions, linger.ms=$LINGER_MS batch.size=$BATCH_SIZE, $REPEATS repeats"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
run_id=$(date +%s)
CHECKS=()
if ((WARMUP)); then
  topic="bench-produce-warmup-$run_id"
  topics --create --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 >/dev/null ||
    die "cannot create topic $topic"
  sleep "$SETTLE"
  say "== warm-up (not recorded)"
  ACKS_NOW=1 COMP_NOW=none
  for client in kafkac librdkafka java; do
    run_one "$client" warmup 0 "$topic" "$RECORDS" bootstrap.servers="$BOOTSTRAP" acks=1 \
      enable.idempotence=false linger.ms="$LINGER_MS" batch.size="$BATCH_SIZE"
    sleep "$PAUSE"
  done
  topics --delete --topic "$topic" >/dev/null 2>&1 || true
fi
for ACKS_NOW in $ACKS; do
  for COMP_NOW in $COMPRESSION; do
    if [[ "$ACKS_NOW" == all || "$ACKS_NOW" == -1 ]]; then idem=true; else idem=false; fi
    config="acks${ACKS_NOW}-${COMP_NOW}"
    topic="bench-produce-$config-$run_id"
    topics --create --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 >/dev/null ||
      die "cannot create topic $topic"
    # A new partition's leader may refuse the first produce requests for a
    # moment (NOT_LEADER_OR_FOLLOWER) while accepting later ones: measure
    # the steady state, not that.
    sleep "$SETTLE"
    props=(bootstrap.servers="$BOOTSTRAP" acks="$ACKS_NOW" enable.idempotence="$idem"
      compression.type="$COMP_NOW" linger.ms="$LINGER_MS" batch.size="$BATCH_SIZE")
    say "== $config: ${props[*]:1}"
    for ((rep = 1; rep <= REPEATS; rep++)); do
      for client in kafkac librdkafka java; do
        run_one "$client" "$config" "$rep" "$topic" "$RECORDS" "${props[@]}"
        sleep "$PAUSE"
      done
      run_one java-1record "$config" "$rep" "$topic" 1 "${props[@]}"
    done
    # Every record must be in the topic: 3 clients x REPEATS x RECORDS + the 1-record runs.
    want=$((3 * REPEATS * RECORDS + REPEATS))
    have=$("$KL" tool get-offsets --bootstrap-server "$BOOTSTRAP" --topic "$topic" 2>/dev/null |
      awk -F: '{s += $NF} END {print s + 0}')
    if [[ "$have" == "$want" ]]; then
      CHECKS+=("$config: $have records in $topic, as expected")
    else
      CHECKS+=("$config: MISMATCH: $have records in $topic, expected $want")
    fi
    say "   ${CHECKS[-1]}"
    topics --delete --topic "$topic" >/dev/null 2>&1 || true
  done
done

# ---------------------------------------------------------------- table
col() { # col CONFIG CLIENT FIELD#: median of a column over the successful runs
  awk -F, -v c="$1" -v k="$2" -v f="$3" '$1 == c && $4 == k && $21 == 0 {print $f}' "$CSV" | median
}
nok() { awk -F, -v c="$1" -v k="$2" '$1 == c && $4 == k && $21 == 0' "$CSV" | wc -l | tr -d ' '; }
{
  echo "| acks | compression | client | records/s | MB/s | client CPU s | CPU µs/record | p50 ms | p99 ms |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
  for ACKS_NOW in $ACKS; do
    for COMP_NOW in $COMPRESSION; do
      config="acks${ACKS_NOW}-${COMP_NOW}"
      a=$ACKS_NOW
      [[ "$a" == all || "$a" == -1 ]] && a="all (idempotent)"
      for client in kafkac librdkafka java; do
        case $client in
          kafkac) name="kafkac $kafkac_version" ;;
          librdkafka) name="librdkafka $rdkafka_version" ;;
          java) name="Java $kafka_version" ;;
        esac
        n=$(nok "$config" "$client")
        ((n == REPEATS)) || name="$name ($n of $REPEATS runs ok)"
        printf '| %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %s | %s |\n' "$a" "$COMP_NOW" "$name" \
          "$(col "$config" "$client" 8)" "$(col "$config" "$client" 9)" \
          "$(col "$config" "$client" 18)" "$(col "$config" "$client" 19)" \
          "$(col "$config" "$client" 12)" "$(col "$config" "$client" 14)"
      done
    done
  done
  echo
  java_fixed=$(awk -F, '$4 == "java-1record" && $21 == 0 {print $18}' "$CSV" | median)
  echo "Medians of $REPEATS runs per cell (each column separately). Java's CPU includes JVM start-up;"
  echo "a 1-record Java run costs $(printf '%.2f' "$java_fixed") s CPU (median over all configurations)."
  for c in "${CHECKS[@]}"; do echo "Check: $c."; done
  echo "kafkac $kafkac_version (git $git_rev, $git_dirty changed files under lib/ include/), librdkafka $rdkafka_version, Kafka $kafka_version on Java $java_version; $(nproc) CPUs; load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
} >"$MD"
cat "$MD"
say "runs: $CSV; logs: $LOGS"
