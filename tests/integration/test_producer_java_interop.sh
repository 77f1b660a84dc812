#!/usr/bin/env bash
# kafkac's producer (build/examples/producer) writes, Kafka's own Java tools
# read: for each acks value (0, 1, all) and each compression codec, records with keys (some empty, some
# null), values (empty, UTF-8, punctuation, one larger than batch.size) and
# headers (duplicate names, empty values, '=' and UTF-8) are produced to
# given partitions of a new 3-partition topic created with the Java topic
# tool. The Java console consumer must print exactly the partitions, headers,
# keys and values sent, in produce order within each partition, and the
# Java log dumper must find every batch valid (CRC), most of them compressed
# with that codec (a batch compression does not shrink goes out as "none"),
# and exactly the records sent stored (no duplicates).
# A run with the default partitioner and no headers checks NO_HEADERS and
# that each key stays in one partition (tests/integration/
# test_partitioner_java.sh checks which one).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
kl=tests/broker/kafka-local
producer=$BUILD/examples/producer
[ -x "$producer" ] || { echo "$producer missing: make examples"; exit 1; }
# The console consumer prints UTF-8 whatever the locale says.
export KAFKAC_TOOL_OPTS="${KAFKAC_TOOL_OPTS:-} -Dstdout.encoding=UTF-8 -Dfile.encoding=UTF-8"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stamp="$$-$(date +%s)"
PER=60 # records per explicit partition and codec
TAB=$'\t'

# Input lines (KEY<TAB>VALUE, or VALUE alone for a null key) for partition $1.
gen_input() {
    local p=$1 i big
    big=$(head -c 20000 /dev/zero | tr '\0' 'x')
    for ((i = 0; i < PER; i++)); do
        case $((i % 10)) in
        0) printf '%s\n' "no key $p/$i" ;;                     # null key
        1) printf '\t%s\n' "empty key $p/$i" ;;                # empty key
        2) printf '%s\t\n' "key-$p-$i" ;;                      # empty value
        3) printf '%s\t%s\n' "big-$i" "$p/$i:$big" ;;          # > batch.size
        4) printf '%s\t%s\n' "clé-$i" "väl $p/$i — ünïcödé ✓" ;; # UTF-8
        *) printf '%s\t%s\n' "key-$((i % 7))" "value $p/$i: a=b, c;d \"q\" 'q' \\ {}[]" ;;
        esac
    done
}

# What the console consumer prints for each input line of partition $1 with
# headers $2: Partition:P<TAB>HEADERS<TAB>KEY<TAB>VALUE, "null" for a null key.
expect() {
    local p=$1 hdrs=$2 line
    while IFS= read -r line; do
        if [[ $line == *"$TAB"* ]]; then
            printf 'Partition:%s\t%s\t%s\n' "$p" "$hdrs" "$line"
        else
            printf 'Partition:%s\t%s\tnull\t%s\n' "$p" "$hdrs" "$line"
        fi
    done
}

# Log dirs of the broker (it runs on this host), for the Java log dumper.
logdirs=""

total=0
for acks in 0 1 all; do
for codec in none gzip snappy lz4 zstd; do
    topic="kafkac-interop-acks$acks-$codec-$stamp"
    $kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create --topic "$topic" \
        --partitions 3 --replication-factor 1 >/dev/null
    : >"$tmp/expected"
    hdrs="codec:$codec,dup:1,dup:2,utf8:héllo wörld,eq:a=b,empty:"
    for p in 0 1 2; do
        gen_input "$p" >"$tmp/in-$p"
        out=$("$producer" -b "$KAFKAC_BOOTSTRAP" -t "$topic" -K -p "$p" -X acks="$acks" -X compression.type="$codec" \
            -H "codec=$codec" -H dup=1 -H dup=2 -H "utf8=héllo wörld" -H "eq=a=b" -H "empty=" \
            <"$tmp/in-$p" 2>&1) || { echo "producer failed ($codec, partition $p):"; echo "$out"; exit 1; }
        grep -qx "producer: $PER sent, $PER delivered, 0 failed" <<<"$out" ||
            { echo "unexpected producer summary ($codec, partition $p): $out"; exit 1; }
        expect "$p" "$hdrs" <"$tmp/in-$p" >>"$tmp/expected"
    done
    # Default partitioner, no headers.
    ndef=44
    for ((i = 0; i < ndef; i++)); do
        if ((i % 11 == 10)); then printf 'default null %d\n' "$i"; else printf 'dk-%d\tdefault %d\n' $((i % 5)) "$i"; fi
    done >"$tmp/in-default"
    out=$("$producer" -b "$KAFKAC_BOOTSTRAP" -t "$topic" -K -X acks="$acks" -X compression.type="$codec" \
        <"$tmp/in-default" 2>&1) || { echo "producer failed ($codec, default partitioner):"; echo "$out"; exit 1; }
    n=$((3 * PER + ndef))

    $kl tool console-consumer --bootstrap-server "$KAFKAC_BOOTSTRAP" --topic "$topic" \
        --from-beginning --max-messages "$n" --property print.key=true \
        --property print.partition=true --property print.headers=true --timeout-ms 20000 \
        >"$tmp/got" 2>"$tmp/consumer.err" || true
    got=$(wc -l <"$tmp/got")
    [ "$got" -eq "$n" ] || { echo "$codec: console consumer printed $got of $n records"; tail -n 5 "$tmp/consumer.err"; exit 1; }

    # Explicit partitions: exactly what was sent, in order, per partition.
    grep -v "^Partition:[0-9]*${TAB}NO_HEADERS${TAB}" "$tmp/got" >"$tmp/got-explicit" || true
    for p in 0 1 2; do
        if ! diff <(grep "^Partition:$p$TAB" "$tmp/expected") <(grep "^Partition:$p$TAB" "$tmp/got-explicit") >"$tmp/diff"; then
            echo "$codec: partition $p differs from what was sent (< sent, > read by Java):"
            head -c 3000 "$tmp/diff"
            exit 1
        fi
    done
    # Default partitioner: the same records (order within each key kept),
    # each key in one partition.
    grep "^Partition:[0-9]*${TAB}NO_HEADERS${TAB}" "$tmp/got" >"$tmp/got-default" || true
    if ! diff <(sed -E 's/^([^\t]*)$/null\t\1/' "$tmp/in-default" | sort) \
        <(cut -f3- "$tmp/got-default" | sort) >"$tmp/diff"; then
        echo "$codec: default-partitioner records differ (< sent, > read by Java):"
        cat "$tmp/diff"
        exit 1
    fi
    for k in dk-0 dk-1 dk-2 dk-3 dk-4; do
        parts=$(awk -F'\t' -v k="$k" '$3 == k { print $1 }' "$tmp/got-default" | sort -u | wc -l)
        [ "$parts" -eq 1 ] || { echo "$codec: key $k in $parts partitions"; exit 1; }
        # within a partition, a key's records keep their produce order
        awk -F'\t' -v k="$k" '$3 == k { print $4 }' "$tmp/got-default" | sort -c -t' ' -k2,2n ||
            { echo "$codec: key $k out of order"; exit 1; }
    done

    # On disk: valid batches, all with this codec, exactly the records sent.
    if [ -z "$logdirs" ]; then
        logdirs=$($kl tool log-dirs --bootstrap-server "$KAFKAC_BOOTSTRAP" --describe \
            --topic-list "$topic" | grep -o '"logDir":"[^"]*"' | sed 's/"logDir":"//; s/"$//' | sort -u)
    fi
    files=""
    for d in $logdirs; do
        for f in "$d/$topic"-[0-9]*/*.log; do [ -e "$f" ] && files="$files${files:+,}$f"; done
    done
    [ -n "$files" ] || { echo "$codec: no log segments of $topic under: $logdirs"; exit 1; }
    $kl tool dump-log --files "$files" >"$tmp/dump"
    batches=$(grep -c '^baseOffset:' "$tmp/dump" || true)
    # A batch that compression does not make smaller goes out uncompressed
    # (as librdkafka does): "none" is allowed, another codec is not, and most
    # batches must carry the codec.
    withcodec=$(grep '^baseOffset:' "$tmp/dump" | grep -c "compresscodec: $codec " || true)
    badcodec=$(grep '^baseOffset:' "$tmp/dump" | grep -v "compresscodec: $codec " |
        grep -vc "compresscodec: none " || true)
    if [ "$withcodec" -lt $(((batches + 1) / 2)) ]; then
        echo "acks=$acks $codec: only $withcodec of $batches batches use $codec"; exit 1
    fi
    invalid=$(grep '^baseOffset:' "$tmp/dump" | grep -vc 'isvalid: true' || true)
    stored=$(grep -o ' count: [0-9]*' "$tmp/dump" | awk '{ s += $2 } END { print s + 0 }')
    if [ "$batches" -eq 0 ] || [ "$badcodec" -ne 0 ] || [ "$invalid" -ne 0 ]; then
        echo "$codec: $batches batches, $badcodec with another codec, $invalid invalid:"
        grep '^baseOffset:' "$tmp/dump" | head
        exit 1
    fi
    [ "$stored" -eq "$n" ] || { echo "$codec: the log holds $stored records, $n were sent"; exit 1; }
    echo "acks=$acks $codec: $n records, $withcodec of $batches batches $codec (CRC valid), read back byte-exact by Java"
    total=$((total + n))
done
done
echo "java interop: $total records, acks 0/1/all x 5 codecs, match"
