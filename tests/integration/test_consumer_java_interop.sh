#!/usr/bin/env bash
# The consumer against Kafka's own Java tools, both directions, byte-exact.
#
# Java writes, kafkac reads: for each compression codec (none, gzip, snappy,
# lz4, zstd) the Java console producer (parse.key, parse.headers,
# null.marker) writes records to a new 1-partition topic: null / empty /
# ASCII / UTF-8 keys, null / empty / punctuation / UTF-8 / 20 kB values, no
# headers, duplicate header names, null and empty header values. kafkac
# reads them twice: build/examples/consumer (from earliest, until EOF) must
# print exactly "topic [0] @offset: key: value" for each, in order; and
# tests/interop/consumer_dump.c (built here against $BUILD/libkafkac.a)
# must give every key, value and header (name and value) byte for byte, in
# hex, with offsets 0..n-1 and create-time timestamps.
#
# kafkac writes, Java reads: build/examples/producer (-K, -H) writes keys
# and values made of every byte value except NUL, TAB and LF (the line
# format's own), invalid UTF-8 included, null and empty keys, empty values
# and a 30 kB value, with headers (duplicate names, empty value, UTF-8);
# the Java console consumer (print.key, print.headers, print.offset,
# print.partition) must print exactly those bytes.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
kl=tests/broker/kafka-local
producer=$BUILD/examples/producer
consumer=$BUILD/examples/consumer
for x in "$producer" "$consumer"; do [ -x "$x" ] || { echo "$x missing: make examples"; exit 1; }; done
[ -f "$BUILD/libkafkac.a" ] || { echo "$BUILD/libkafkac.a missing: make"; exit 1; }
export KAFKAC_TOOL_OPTS="${KAFKAC_TOOL_OPTS:-} -Dstdout.encoding=UTF-8 -Dfile.encoding=UTF-8"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stamp="$$-$(date +%s)"
TAB=$'\t'
NUL_MARK='<NULL>'

# The byte-exact dumper, built against this build's library.
dump=$BUILD/interop/consumer_dump
src=tests/interop/consumer_dump.c
if [ ! -x "$dump" ] || [ "$src" -nt "$dump" ] || [ "$BUILD/libkafkac.a" -nt "$dump" ]; then
    mkdir -p "$BUILD/interop"
    pkglibs=$(sed -n 's/^PKG_LIBS *= *//p' Makefile.config 2>/dev/null || true)
    san=""
    case "$BUILD" in */san-*) san="-fsanitize=$(basename "$BUILD" | sed 's/^san-//; s/-/,/g') -fno-omit-frame-pointer" ;; esac
    # shellcheck disable=SC2086
    ${CC:-cc} -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror $san -Iinclude -o "$dump" "$src" \
        "$BUILD/libkafkac.a" $pkglibs -lpthread -lm
fi

hx() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
# A field as consumer_dump prints it.
hxn() { if [ "$1" = "$NUL_MARK" ]; then printf null; else hx "$1"; fi; }

# ------------------------------------------------------------------ Java -> kafkac
N=70
big=$(head -c 20000 /dev/zero | tr '\0' 'z')
: >"$tmp/a.in"
: >"$tmp/a.hex"
: >"$tmp/a.txt"
for ((i = 0; i < N; i++)); do
    case $((i % 6)) in
    0) h=$NUL_MARK ;;
    1) h="a:1" ;;
    2) h="dup:1,dup:2,dup:3" ;;
    3) h="n:$NUL_MARK,e:" ;;
    4) h="utf:héllo wörld ✓,eq:a=b" ;;
    5) h="x-$i:value-$i" ;;
    esac
    case $((i % 5)) in
    0) k=$NUL_MARK ;;
    1) k="" ;;
    2) k="key-$i" ;;
    3) k="clé-$((i % 7)) ünïcödé" ;;
    4) k="key with spaces, commas: and colons $i" ;;
    esac
    case $((i % 7)) in
    0) v=$NUL_MARK ;;
    1) v="" ;;
    2) v="value $i: a=b, c;d \"q\" 'q' \\ {}[] <>&|" ;;
    3) v="väl $i — ünïcödé ✓ 日本語" ;;
    4) v="$i:$big" ;;
    *) v="plain-$i" ;;
    esac
    printf '%s\t%s\t%s\n' "$h" "$k" "$v" >>"$tmp/a.in"
    # consumer_dump: P OFFSET KEY VALUE HEADERS TSTYPE
    if [ "$h" = "$NUL_MARK" ]; then
        hh=-
    else
        hh=""
        IFS=, read -r -a pairs <<<"$h"
        for pr in "${pairs[@]}"; do
            hh="$hh${hh:+,}$(hx "${pr%%:*}")=$(hxn "${pr#*:}")"
        done
    fi
    printf '0\t%d\t%s\t%s\t%s\tcreate\n' "$i" "$(hxn "$k")" "$(hxn "$v")" "$hh" >>"$tmp/a.hex"
    # examples/consumer: "topic [0] @offset: key: value", null as "null"
    kk=$k vv=$v
    [ "$k" = "$NUL_MARK" ] && kk=null
    [ "$v" = "$NUL_MARK" ] && vv=null
    printf 'TOPIC [0] @%d: %s: %s\n' "$i" "$kk" "$vv" >>"$tmp/a.txt"
done

for codec in none gzip snappy lz4 zstd; do
    topic="kafkac-cons-interop-java-$codec-$stamp"
    $kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create --topic "$topic" \
        --partitions 1 --replication-factor 1 >/dev/null
    # Small batches: several per topic.
    $kl tool console-producer --bootstrap-server "$KAFKAC_BOOTSTRAP" --topic "$topic" \
        --compression-codec "$codec" --batch-size 4096 \
        --property parse.key=true --property parse.headers=true \
        --property "null.marker=$NUL_MARK" <"$tmp/a.in" 2>"$tmp/jp.err" ||
        { echo "$codec: Java console producer failed:"; tail -n 20 "$tmp/jp.err"; exit 1; }

    # examples/consumer: the text of every record, in order.
    set +e
    timeout 60 "$consumer" -b "$KAFKAC_BOOTSTRAP" -o earliest -e "$topic" >"$tmp/got.txt" 2>"$tmp/c.err"
    rc=$?
    set -e
    sed "s/^TOPIC /$topic /" "$tmp/a.txt" >"$tmp/want.txt"
    if [ "$rc" -ne 0 ] || ! cmp -s "$tmp/want.txt" "$tmp/got.txt"; then
        echo "$codec: examples/consumer (exit $rc) printed other records than the Java producer sent (< sent, > printed):"
        diff "$tmp/want.txt" "$tmp/got.txt" | cut -c1-300 | head -n 20
        tail -n 5 "$tmp/c.err"
        exit 1
    fi
    grep -qE "^consumer: $N records, [0-9]+ bytes, 0 errors$" "$tmp/c.err" ||
        { echo "$codec: examples/consumer summary:"; tail -n 3 "$tmp/c.err"; exit 1; }

    # consumer_dump: every byte of keys, values and headers.
    set +e
    "$dump" -b "$KAFKAC_BOOTSTRAP" -t "$topic" -e -T 30000 >"$tmp/got.hex" 2>"$tmp/d.err"
    rc=$?
    set -e
    if [ "$rc" -ne 0 ] || ! cmp -s "$tmp/a.hex" "$tmp/got.hex"; then
        echo "$codec: consumer_dump (exit $rc) differs from what the Java producer sent (< sent, > read):"
        diff "$tmp/a.hex" "$tmp/got.hex" | cut -c1-300 | head -n 20
        cat "$tmp/d.err"
        exit 1
    fi
    # The Java producer did compress (and several batches were written).
    logdirs=$($kl tool log-dirs --bootstrap-server "$KAFKAC_BOOTSTRAP" --describe --topic-list "$topic" |
        grep -o '"logDir":"[^"]*"' | sed 's/"logDir":"//; s/"$//' | sort -u)
    files=""
    for d in $logdirs; do for f in "$d/$topic"-0/*.log; do [ -e "$f" ] && files="$files${files:+,}$f"; done; done
    [ -n "$files" ] || { echo "$codec: no segment of $topic under $logdirs"; exit 1; }
    batches=$($kl tool dump-log --files "$files" | grep '^baseOffset:' || true)
    nb=$(grep -c . <<<"$batches" || true)
    nc=$(grep -c "compresscodec: $codec " <<<"$batches" || true)
    [ "$nb" -ge 2 ] && [ "$nc" -eq "$nb" ] || { echo "$codec: $nb batches, $nc with $codec:"; echo "$batches" | head; exit 1; }
    echo "Java -> kafkac, $codec: $N records in $nb batches read back byte-exact (examples/consumer and consumer_dump)"
done

# ------------------------------------------------------------------ kafkac -> Java
# A value of bytes i.. (no NUL, TAB, LF), as printf escapes.
bytes_esc() {
    local i=$1 n=$2 j b e s=""
    for ((j = 0; j < n; j++)); do
        b=$(((i * 31 + j * 7) % 255 + 1))
        case $b in 9) b=128 ;; 10) b=254 ;; esac
        printf -v e '\\%03o' "$b"
        s+=$e
    done
    printf '%s' "$s"
}
M=120
: >"$tmp/b.in"
for ((i = 0; i < M; i++)); do
    v=$(bytes_esc "$i" $((i % 60)))
    case $((i % 4)) in
    0) printf "%b\n" "$v" ;;                                # null key (no TAB)
    1) printf "\t%b\n" "$v" ;;                              # empty key
    2) printf "%b\t%b\n" "$(bytes_esc $((i + 100)) 12)" "$v" ;; # binary key
    3) printf "key-%d\t\n" "$i" ;;                          # empty value
    esac
done >"$tmp/b.in"
printf 'big\t%s\n' "$(head -c 30000 /dev/zero | tr '\0' '\377')" >>"$tmp/b.in"
M=$((M + 1))
hdrs='h1:héllo,e:,h1:x=y'
# What the console consumer prints: Partition:0 TAB Offset:i TAB headers TAB key TAB value.
# (Bytes, not characters: in a UTF-8 locale bash's read takes a lead byte
# and the LF after it for one character.)
(
    export LC_ALL=C
    i=0
    while IFS= read -r line; do
        if [[ $line == *"$TAB"* ]]; then
            printf 'Partition:0\tOffset:%d\t%s\t%s\n' "$i" "$hdrs" "$line"
        else
            printf 'Partition:0\tOffset:%d\t%s\tnull\t%s\n' "$i" "$hdrs" "$line"
        fi
        i=$((i + 1))
    done <"$tmp/b.in" >"$tmp/b.want"
)
[ "$(grep -c '' "$tmp/b.want")" -eq "$M" ] || { echo "expected output has $(grep -c '' "$tmp/b.want") lines, not $M"; exit 1; }

for codec in none zstd; do
    topic="kafkac-cons-interop-kafkac-$codec-$stamp"
    $kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create --topic "$topic" \
        --partitions 1 --replication-factor 1 >/dev/null
    out=$(LC_ALL=C "$producer" -b "$KAFKAC_BOOTSTRAP" -t "$topic" -K -X compression.type=$codec \
        -X batch.size=8192 -H 'h1=héllo' -H 'e=' -H 'h1=x=y' <"$tmp/b.in" 2>&1) ||
        { echo "producer failed: $out"; exit 1; }
    grep -qx "producer: $M sent, $M delivered, 0 failed" <<<"$out" || { echo "producer: $out"; exit 1; }
    $kl tool console-consumer --bootstrap-server "$KAFKAC_BOOTSTRAP" --topic "$topic" \
        --from-beginning --max-messages "$M" --timeout-ms 20000 \
        --property print.key=true --property print.headers=true --property print.offset=true \
        --property print.partition=true >"$tmp/b.got" 2>"$tmp/jc.err" || true
    if ! cmp -s "$tmp/b.want" "$tmp/b.got"; then
        echo "$codec: the Java console consumer printed other bytes than kafkac sent:"
        cmp "$tmp/b.want" "$tmp/b.got" || true
        diff <(od -c "$tmp/b.want") <(od -c "$tmp/b.got") | head -n 20
        tail -n 5 "$tmp/jc.err"
        exit 1
    fi
    echo "kafkac -> Java, $codec: $M records (binary keys and values, headers) read byte-exact by the Java console consumer"
done
echo "consumer java interop: match"
