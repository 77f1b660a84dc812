#!/usr/bin/env bash
# Our generated codecs against Kafka's own: build/tools/dump_encodings writes
# kafkac's encoding of every generated message (and the request/response
# headers), every valid version, filled / nulls / defaults; CodecInterop.java
# reads each with the kafka-clients message class of that version, requires
# every byte consumed and Java's re-serialization to be identical.
# Needs only Java 17+ and the jar cache of tests/broker/kafka-local (fetched
# on first use), not the broker.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
dumper=$BUILD/tools/dump_encodings
[ -x "$dumper" ] || { echo "$dumper missing: run make $dumper (make tests builds it)"; exit 1; }
JAVA=${KAFKAC_JAVA:-java}
JAVAC=${KAFKAC_JAVAC:-javac}
if [ -n "${JAVA_HOME:-}" ]; then
    [ -n "${KAFKAC_JAVA:-}" ] || JAVA=$JAVA_HOME/bin/java
    [ -n "${KAFKAC_JAVAC:-}" ] || JAVAC=$JAVA_HOME/bin/javac
fi
command -v "$JAVAC" >/dev/null || { echo "javac not found: install a JDK 17+ (make deps)"; exit 1; }

# The kafka-local jar cache; `fetch` fills it on first use and prints the dir.
fetch_log=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$fetch_log"' EXIT
if ! libs=$(tests/broker/kafka-local fetch 2>"$fetch_log"); then
    cat "$fetch_log"
    echo "tests/broker/kafka-local fetch failed"
    exit 1
fi
libs=$(tail -n 1 <<<"$libs")
ls "$libs"/kafka-clients-*.jar >/dev/null 2>&1 || { echo "no kafka-clients jar in $libs"; exit 1; }
cp="$libs/*"

# Compile into $BUILD/interop when the source is newer than the class.
classes=$BUILD/interop
src=tests/interop/CodecInterop.java
if [ ! -f "$classes/CodecInterop.class" ] || [ "$src" -nt "$classes/CodecInterop.class" ]; then
    mkdir -p "$classes"
    "$JAVAC" -nowarn -d "$classes" -cp "$cp" "$src"
fi

out=$("$dumper" "$tmp") || { echo "$out"; exit 1; }
echo "$out" | sed "s|$tmp|(temp dir)|"
dumped=$(sed -nE 's/^dump_encodings: ([0-9]+) files.*/\1/p' <<<"$out")

set +e
res=$("$JAVA" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$classes:$cp" CodecInterop "$tmp")
rc=$?
set -e
echo "$res"
passed=$(sed -nE 's/^java-interop: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$res")
[ "$rc" -eq 0 ] || exit 1
[ -n "$passed" ] && [ "$passed" -gt 0 ] && [ "$passed" = "$dumped" ] ||
    { echo "java-interop checked ${passed:-no} encodings of $dumped dumped"; exit 1; }
