#!/usr/bin/env bash
# Self-checking test of tests/broker/kafka-local against a real Kafka cluster:
# up/status/bootstrap/down twice, the error paths (already running, port in
# use, JVM dying at startup, Java missing or too old, Maven missing, failed
# download), topic create/list, produce/consume with the console tools, and a
# 3-node cluster.  Uses a private run dir; the jar cache is the normal one
# (KAFKAC_CACHE), so the first run downloads the jars.
# Prints "N passed, N failed" last; exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KL="$HERE/kafka-local"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-kafka-local.XXXXXX")
export KAFKAC_RUN_DIR="$WORK/run" # never touch a developer's own cluster
OTHER_RUN="$WORK/run-other"
CACHE="${KAFKAC_CACHE:-$HOME/.cache/kafkac}"

passed=0
failed=0
rc=0 # exit code of the last `run`

cleanup() {
  KAFKAC_RUN_DIR="$OTHER_RUN" "$KL" down >/dev/null 2>&1 || true
  "$KL" down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

pass() {
  passed=$((passed + 1))
  echo "ok - $*"
}
fail() {
  failed=$((failed + 1))
  echo "not ok - $*"
  if [[ -s "$WORK/err" ]]; then
    echo "  stderr of the last command (tail):"
    tail -n 40 "$WORK/err" | sed 's/^/    /'
  fi
}

# run CMD...: stdout -> $WORK/out, stderr -> $WORK/err, exit code -> $rc
run() {
  rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
}
out() { cat "$WORK/out"; }
err() { cat "$WORK/err"; }

# expect_ok NAME: last command exited 0
expect_ok() {
  if ((rc == 0)); then pass "$1"; else fail "$1 (exit $rc)"; fi
}
# expect_fail NAME CODE|any TEXT: last command failed (with CODE) and said TEXT on stderr
expect_fail() {
  local name=$1 code=$2 text=$3
  if ((rc == 0)); then
    fail "$name (exit 0, expected failure)"
  elif [[ "$code" != any && "$rc" != "$code" ]]; then
    fail "$name (exit $rc, expected $code)"
  elif ! grep -qF -- "$text" "$WORK/err"; then
    fail "$name (stderr lacks '$text')"
  else
    pass "$name"
  fi
}
# check NAME CONDITION...: evaluate a test command
check() {
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

bootstrap_re='^127\.0\.0\.1:[0-9]+(,127\.0\.0\.1:[0-9]+)*$'
is_bootstrap() { [[ "$(out)" =~ $bootstrap_re ]] && (($(out | wc -l) == 1)); }
count_servers() { tr ',' '\n' <<<"$1" | grep -c .; }

# --- cache ----------------------------------------------------------------
run "$KL" fetch
expect_ok "fetch fills the cache"
check "fetch prints the libs dir" test -f "$(out)/kafka-tools-${KAFKAC_KAFKA_VERSION:-4.1.2}.jar"
has_binding() { compgen -G "$1/log4j-slf4j-impl-*.jar" >/dev/null; }
check "the cache has the log4j SLF4J binding" has_binding "$(out)"
run "$KL" help
check "help prints usage" grep -q '^Usage: kafka-local' "$WORK/out"

# --- single node, twice ---------------------------------------------------
for round in 1 2; do
  run "$KL" up
  expect_ok "round $round: up"
  B=$(out)
  check "round $round: up prints only the bootstrap servers ($B)" is_bootstrap
  run "$KL" status
  expect_ok "round $round: status exits 0 while running"
  check "round $round: status shows the node alive" grep -q 'node 1: pid [0-9]*, .*alive' "$WORK/out"
  run "$KL" bootstrap
  check "round $round: bootstrap prints what up printed" test "$(out)" == "$B"

  if ((round == 1)); then
    run "$KL" up
    expect_fail "starting twice fails" 1 "already running at $B"
    check "starting twice says to run down first" grep -qF "run 'kafka-local down' first" "$WORK/err"

    port=${B##*:}
    run env KAFKAC_RUN_DIR="$OTHER_RUN" "$KL" up --port "$port"
    expect_fail "up --port with a port in use fails" 1 "port $port on 127.0.0.1 is already in use"
    run env KAFKAC_RUN_DIR="$OTHER_RUN" "$KL" status
    check "nothing was started for the busy port" test "$rc" == 3

    topic=kafkac-test-topic
    run "$KL" tool topics --bootstrap-server "$B" --create --topic "$topic" --partitions 1 --replication-factor 1
    expect_ok "tool topics --create"
    check "topics --create said so" grep -q "Created topic $topic" "$WORK/out"
    run "$KL" tool topics --bootstrap-server "$B" --list
    expect_ok "tool topics --list"
    check "topics --list shows the topic, nothing else on stdout" test "$(out)" == "$topic"

    printf 'one\ntwo\nthree\n' >"$WORK/messages"
    rc=0
    "$KL" tool console-producer --bootstrap-server "$B" --topic "$topic" \
      <"$WORK/messages" >"$WORK/out" 2>"$WORK/err" || rc=$?
    expect_ok "tool console-producer"
    run timeout 120 "$KL" tool console-consumer --bootstrap-server "$B" --topic "$topic" \
      --from-beginning --max-messages 3 --timeout-ms 60000
    expect_ok "tool console-consumer"
    check "console-consumer read back exactly the messages (no log noise on stdout)" \
      cmp -s "$WORK/out" "$WORK/messages"
    run "$KL" tool no-such-tool
    expect_fail "unknown tool name is an error" 1 "unknown tool 'no-such-tool'"
  fi

  run "$KL" down
  expect_ok "round $round: down"
  check "round $round: down removed the run dir" test ! -e "$KAFKAC_RUN_DIR"
  run "$KL" status
  check "round $round: status exits 3 after down" test "$rc" == 3
  run "$KL" bootstrap
  expect_fail "round $round: bootstrap fails after down" any "no cluster running"
done

run "$KL" down
expect_ok "down with nothing running exits 0"
check "down with nothing running says so" grep -q "nothing running" "$WORK/err"

# --- error paths ------------------------------------------------------------
run env KAFKAC_BROKER_OPTS=-XX:+KafkacNoSuchOption "$KL" up
expect_fail "a JVM dying at startup is reported" 1 "died during startup"
check "... with the tail of its log" grep -q "Unrecognized VM option" "$WORK/err"
run "$KL" status
check "... and leaves no node running" test "$rc" == 3
run "$KL" down
expect_ok "down cleans up after a failed up"

run env KAFKAC_JAVA="$WORK/no-java" "$KL" up
expect_fail "missing Java is reported" 1 "install OpenJDK 17"
mkdir -p "$WORK/old-java"
printf '#!/bin/sh\necho "openjdk version \\"11.0.21\\" 2023-10-17" >&2\n' >"$WORK/old-java/java"
chmod +x "$WORK/old-java/java"
run env KAFKAC_JAVA="$WORK/old-java/java" "$KL" up
expect_fail "Java older than 17 is reported" 1 "needs Java 17 or newer"
run env KAFKAC_CACHE="$WORK/empty-cache" KAFKAC_MVN="$WORK/no-mvn" "$KL" fetch
expect_fail "missing Maven is reported" 1 "Maven not found"
run env KAFKAC_CACHE="$WORK/empty-cache" KAFKAC_M2_REPO="${KAFKAC_M2_REPO:-$CACHE/m2}" \
  KAFKAC_KAFKA_VERSION=0.0.0-kafkac-no-such-version "$KL" fetch
expect_fail "a failed download is reported" 1 "with Maven failed"
check "... and leaves no libs dir behind" test ! -e "$WORK/empty-cache/kafka-0.0.0-kafkac-no-such-version/libs"

# --- three nodes ------------------------------------------------------------
run "$KL" up --nodes 3
expect_ok "up --nodes 3"
B=$(out)
check "up --nodes 3 prints 3 bootstrap servers ($B)" test "$(count_servers "$B")" == 3
run "$KL" status
check "status shows 3 of 3 alive" grep -q "running: 3 of 3" "$WORK/out"
topic=kafkac-test-rf3
run "$KL" tool topics --bootstrap-server "$B" --create --topic "$topic" --partitions 3 --replication-factor 3
expect_ok "3 nodes: create a topic with replication factor 3"
rc=0
"$KL" tool console-producer --bootstrap-server "$B" --topic "$topic" --producer-property acks=all \
  <"$WORK/messages" >"$WORK/out" 2>"$WORK/err" || rc=$?
expect_ok "3 nodes: produce with acks=all"
run timeout 120 "$KL" tool console-consumer --bootstrap-server "$B" --topic "$topic" \
  --from-beginning --max-messages 3 --timeout-ms 60000
expect_ok "3 nodes: consume"
check "3 nodes: read back the 3 messages" test "$(sort "$WORK/out" | tr '\n' ' ')" == "one three two "
run "$KL" down
expect_ok "3 nodes: down"
run "$KL" status
check "3 nodes: status exits 3 after down" test "$rc" == 3

echo "$passed passed, $failed failed"
((failed == 0))
