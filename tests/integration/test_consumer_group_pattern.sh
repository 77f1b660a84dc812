#!/usr/bin/env bash
# Pattern subscription: a kafkac group member (test_group_member driver)
# subscribes to "^PREFIX-.*" with metadata.max.age.ms=3000.
#   - records of the two matching topics PREFIX-a and PREFIX-b arrive, none
#     of a topic that does not match (PREFIX_other-a, differing only in the
#     separator);
#   - a matching topic created afterwards (PREFIX-c) is picked up within
#     metadata.max.age.ms plus a rebalance (15 s allowed): its partitions
#     are assigned and its records arrive;
#   - every value produced to the matching topics is consumed.
source "$(dirname "$0")/group_lib.sh"
pfx="kafkac-cg-pfx-$stamp"
group="$pfx-g"
PER=200
create_topic "$pfx-a" 2
create_topic "$pfx-b" 2
create_topic "${pfx}_other-a" 2
for t in a b; do produce_range "$pfx-$t" "$t" 1 "$PER"; done
produce_range "${pfx}_other-a" x 1 "$PER"
say "topics $pfx-a, $pfx-b (matching) and ${pfx}_other-a (not), $PER values each"

gm_start k1 "$group" range -X metadata.max.age.ms=3000 -- "^$pfx-.*"
count_topic() { awk -v t="$1" '$4 == t { print $3 }' "$tmp/k1.out" 2>/dev/null | sort -u | wc -l; }
wait_until 30 "the values of $pfx-a and $pfx-b" eval '[ "$(count_topic "$pfx-a")" -ge $PER ] && [ "$(count_topic "$pfx-b")" -ge $PER ]'
say "k1 consumed $pfx-a and $pfx-b; owns: $(gm_owned k1 | sort | tr '\n' ' ')"
[ "$(gm_owned k1 | sort | tr '\n' ' ')" = "$pfx-a:0 $pfx-a:1 $pfx-b:0 $pfx-b:1 " ] ||
    fail "k1 owns [$(gm_owned k1 | tr '\n' ' ')], expected the 2 partitions of $pfx-a and $pfx-b"

create_topic "$pfx-c" 2
t_create=$(date +%s%N)
produce_range "$pfx-c" c 1 "$PER"
wait_until 15 "$pfx-c picked up (metadata.max.age.ms 3000) and its $PER values" eval '[ "$(count_topic "$pfx-c")" -ge $PER ]'
say "$pfx-c picked up: all its values $((($(date +%s%N) - t_create) / 1000000)) ms after it was created"
gm_stop k1

grep -q " ASSIGN .*$pfx-c:1" "$tmp/k1.log" || fail "no ASSIGN of $pfx-c"
other=$(awk -v t="${pfx}_other-a" '$4 == t' "$tmp/k1.out" | wc -l)
[ "$other" -eq 0 ] || fail "$other record(s) of ${pfx}_other-a, which does not match"
for t in a b c; do
    [ "$(awk -v t="$pfx-$t" '$4 == t { print $3 }' "$tmp/k1.out" | sort -u)" = "$(values "$t" 1 "$PER")" ] ||
        fail "$pfx-$t: not exactly the values produced"
done
errs=$(grep -h ' ERROR \| COMMIT_ERR \| LOST' "$tmp/k1.log" || true)
[ -z "$errs" ] || fail "errors: $errs"
echo "pattern ^$pfx-.*: a, b and the later c consumed ($((3 * PER)) values), ${pfx}_other-a not"
