#!/usr/bin/env bash
# The default partitioner against the Java client's: the same 200 keys
# (lengths 0 to 80 bytes - every murmur2 tail length -, ASCII, UTF-8,
# spaces, an empty key) are produced by kafkac (build/examples/producer -K)
# and by Kafka's Java console producer (parse.key=true) to two new topics
# of 6 partitions each. Read back with the Java console consumer, every key
# must be in the same partition in both topics.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
: "${KAFKAC_BOOTSTRAP:?set KAFKAC_BOOTSTRAP}"
kl=tests/broker/kafka-local
producer=$BUILD/examples/producer
[ -x "$producer" ] || { echo "$producer missing: make examples"; exit 1; }
export KAFKAC_TOOL_OPTS="${KAFKAC_TOOL_OPTS:-} -Dstdout.encoding=UTF-8 -Dfile.encoding=UTF-8 -Dstdin.encoding=UTF-8"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stamp="$$-$(date +%s)"
N=200
PARTS=6
c_topic="kafkac-part-c-$stamp"
j_topic="kafkac-part-java-$stamp"

# KEY<TAB>VALUE lines, one per key.
for ((i = 0; i < N; i++)); do
    case $((i % 8)) in
    0) key=$(head -c $((i % 81)) /dev/zero | tr '\0' 'a') ;; # i=0: the empty key
    1) key="user-$i@example.com" ;;
    2) key="ключ-$i" ;;
    3) key="$i" ;;
    4) key="order $i / region eu-west-$((i % 3))" ;;
    5) key="k$((i * 7919))" ;;
    6) key="日本語キー$i" ;;
    7) key="$(printf '%0*d' $((i % 13 + 1)) "$i")-x" ;;
    esac
    printf '%s\tvalue-%d\n' "$key" "$i"
done >"$tmp/in"
[ "$(cut -f1 "$tmp/in" | sort -u | wc -l)" -eq "$N" ] || { echo "keys are not distinct"; exit 1; }

for t in "$c_topic" "$j_topic"; do
    $kl tool topics --bootstrap-server "$KAFKAC_BOOTSTRAP" --create --topic "$t" \
        --partitions $PARTS --replication-factor 1 >/dev/null
done
out=$("$producer" -b "$KAFKAC_BOOTSTRAP" -t "$c_topic" -K <"$tmp/in" 2>&1) ||
    { echo "kafkac producer failed: $out"; exit 1; }
grep -qx "producer: $N sent, $N delivered, 0 failed" <<<"$out" || { echo "kafkac producer: $out"; exit 1; }
$kl tool console-producer --bootstrap-server "$KAFKAC_BOOTSTRAP" --topic "$j_topic" \
    --property parse.key=true <"$tmp/in" >"$tmp/jprod.out" 2>&1 ||
    { echo "Java console producer failed:"; tail -n 20 "$tmp/jprod.out"; exit 1; }

# "KEY<TAB>PARTITION<TAB>VALUE" per record, sorted.
read_back() {
    $kl tool console-consumer --bootstrap-server "$KAFKAC_BOOTSTRAP" --topic "$1" \
        --from-beginning --max-messages $N --property print.key=true \
        --property print.partition=true --timeout-ms 20000 2>"$tmp/consumer.err" |
        awk -F'\t' '{ sub(/^Partition:/, "", $1); print $2 "\t" $1 "\t" $3 }' | sort
}
read_back "$c_topic" >"$tmp/c"
read_back "$j_topic" >"$tmp/j"
for side in c j; do
    got=$(wc -l <"$tmp/$side")
    [ "$got" -eq $N ] || { echo "$side topic: read $got of $N records"; tail -n 5 "$tmp/consumer.err"; exit 1; }
    # every key read back once, with the value it was sent with
    diff <(sort "$tmp/in") <(cut -f1,3 "$tmp/$side" | sort) >/dev/null ||
        { echo "$side topic: keys/values differ from those sent"; exit 1; }
done
if ! diff "$tmp/j" "$tmp/c" >"$tmp/diff"; then
    echo "keys in different partitions (< Java producer, > kafkac):"
    head -n 40 "$tmp/diff"
    echo "$(grep -c '^<' "$tmp/diff") of $N keys differ"
    exit 1
fi
used=$(cut -f2 "$tmp/c" | sort -u | wc -l)
[ "$used" -eq $PARTS ] || { echo "only $used of $PARTS partitions used: the check is too weak"; exit 1; }
echo "partitioner: $N keys in the same partition as the Java producer's (all $PARTS partitions used)"
