#!/usr/bin/env bash
# Consumer group with cooperative-sticky (incremental rebalancing): kafkac
# members (the test_group_member driver) join a 6-partition topic one after
# the other - m1 alone, then m2, then m3 - while kafkac's producer writes
# unique values (to every partition). From the members' rebalance logs:
#   - m1 owns 6; after m2 joins 3/3; after m3 joins 2/2/2;
#   - only moving partitions are revoked: at m2's join m1 revokes exactly
#     the 3 that go to m2, at m3's join m1 and m2 revoke exactly the 2 that
#     go to m3 (one each) - a partition that stays with a member is never
#     revoked, every partition in a member's REVOKE ends up elsewhere;
#   - ASSIGN and REVOKE carry only the partitions that move (ASSIGN never
#     repeats one the member owns), no LOST events;
#   - a moved partition is assigned to its new owner only after its old
#     owner revoked it (no two owners at once, timestamps of the logs);
#   - every value is consumed (at least once; duplicates printed), the
#     committed offsets (Java consumer-groups) are the log end offsets, no
#     error events, no refused commit other than one racing a rebalance.
# A failed check is reported and the later stages still run.
source "$(dirname "$0")/group_lib.sh"
N=${KAFKAC_COOP_RECORDS:-9000}
topic="kafkac-cg-coop-$stamp"
group="$topic-g"
create_topic "$topic" 6
produce_spread "$topic" c 1 $((N / 3)) 6
say "topic $topic (6 partitions), $((N / 3)) of $N values produced"

owned_ids() { gm_owned "$1" | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//'; }
counts_are() { # counts_are "M:COUNT"...: and together all 6, no overlap
    local a names=()
    for a in "$@"; do
        [ "$(gm_count "${a%%:*}")" -eq "${a#*:}" ] || return 1
        names+=("${a%%:*}")
    done
    [ "$(for a in "${names[@]}"; do gm_owned "$a"; done | sort -u | wc -l)" -eq 6 ]
}
# Partitions in REVOKE events of member $1 logged at or after wall ms $2.
revoked_since() {
    awk -v t="$2" '$3 == "REVOKE" && $1 >= t { for (i = 4; i <= NF; i++) print $i }' "$tmp/$1.log" |
        cut -d: -f2 | sort -n | tr '\n' ' ' | sed 's/ $//'
}
now_ms() { date +%s%3N; }

gm_start m1 "$group" cooperative-sticky -- "$topic"
wait_until 20 "m1 owning 6 partitions" counts_are m1:6
say "m1 owns: $(owned_ids m1)"

t2=$(now_ms)
gm_start m2 "$group" cooperative-sticky -- "$topic"
wait_until 30 "3/3 after m2 joined" counts_are m1:3 m2:3
say "after m2 joined: m1 owns $(owned_ids m1), m2 owns $(owned_ids m2)"
[ "$(revoked_since m1 "$t2")" = "$(owned_ids m2)" ] ||
    soft_fail "m2's join: m1 revoked [$(revoked_since m1 "$t2")], but m2 got [$(owned_ids m2)]"
for p in $(revoked_since m1 "$t2"); do
    [[ " $(owned_ids m1) " != *" $p "* ]] || soft_fail "m2's join: m1 revoked $p although it keeps it"
done
[ -z "$(revoked_since m2 "$t2")" ] || soft_fail "m2's join: m2 revoked [$(revoked_since m2 "$t2")]"
produce_spread "$topic" c $((N / 3 + 1)) $((2 * N / 3)) 6

m1_mid=$(owned_ids m1) m2_mid=$(owned_ids m2)
t3=$(now_ms)
gm_start m3 "$group" cooperative-sticky -- "$topic"
wait_until 30 "2/2/2 after m3 joined" counts_are m1:2 m2:2 m3:2
say "after m3 joined: m1 owns $(owned_ids m1), m2 owns $(owned_ids m2), m3 owns $(owned_ids m3)"
r1=$(revoked_since m1 "$t3") r2=$(revoked_since m2 "$t3")
say "revoked at m3's join: m1 [$r1], m2 [$r2]"
moved=$(echo "$r1 $r2" | tr ' ' '\n' | sed '/^$/d' | sort -n | tr '\n' ' ' | sed 's/ $//')
[ "$moved" = "$(owned_ids m3)" ] ||
    soft_fail "m3's join: revoked [$moved] but m3 got [$(owned_ids m3)] (only the moved partitions may be revoked)"
[ "$(wc -w <<<"$r1")" -eq 1 ] && [ "$(wc -w <<<"$r2")" -eq 1 ] ||
    soft_fail "m3's join: m1 revoked [$r1], m2 revoked [$r2]: expected one each (3/3 -> 2/2/2)"
for p in $(owned_ids m1); do
    [[ " $m1_mid " == *" $p "* ]] || soft_fail "m1 got partition $p at m3's join (it should only give)"
done
for p in $(owned_ids m2); do
    [[ " $m2_mid " == *" $p "* ]] || soft_fail "m2 got partition $p at m3's join (it should only give)"
done
produce_spread "$topic" c $((2 * N / 3 + 1)) "$N" 6
consumed_all() { [ "$(consumed_unique m1 m2 m3)" -ge "$N" ]; }
wait_until 30 "all $N values consumed" consumed_all
sleep 0.5
final="$tmp/final"
for m in m1 m2 m3; do gm_owned "$m" | sed "s/^/$m /"; done >"$final"
for m in m3 m2 m1; do gm_stop "$m"; done

# Every partition in a member's REVOKE events ends up with another member.
for m in m1 m2 m3; do
    for tp in $(awk '$3 == "REVOKE" && prev != "CLOSING" { for (i = 4; i <= NF; i++) print $i } { prev = $3 }' "$tmp/$m.log"); do
        owner=$(awk -v tp="$tp" '$2 == tp { print $1 }' "$final")
        [ "$owner" != "$m" ] || soft_fail "$m revoked ${tp#*:} although it ends up owning it"
    done
done
# ASSIGN carries only partitions the member does not own yet; no LOST.
for m in m1 m2 m3; do
    bad=$(awk '$3 == "ASSIGN" { for (i = 4; i <= NF; i++) { if ($i in own) print $i; own[$i] = 1 } }
               $3 == "REVOKE" { for (i = 4; i <= NF; i++) delete own[$i] }' "$tmp/$m.log")
    [ -z "$bad" ] || soft_fail "$m: ASSIGN repeated partitions it owned: $bad"
    ! grep -q ' LOST' "$tmp/$m.log" || soft_fail "$m: LOST event: $(grep ' LOST' "$tmp/$m.log")"
    say "$m events: $(awk '$3 ~ /^(ASSIGN|REVOKE|LOST)$/ { s = $3; for (i = 4; i <= NF; i++) { split($i, a, ":"); s = s " " a[2] }; printf "%s; ", s }' "$tmp/$m.log")"
done
ov=$(gm_overlaps m1 m2 m3)
[ -z "$ov" ] || soft_fail "a partition had two owners at once: $(head -3 <<<"$ov" | tr '\n' ';')"
# A commit racing a rebalance may be refused (REBALANCE_IN_PROGRESS, or
# ILLEGAL_GENERATION when it was sent behind the member's own JoinGroup);
# the driver commits again afterwards. Other refusals and errors fail.
grep -h ' COMMIT_ERR \(REBALANCE_IN_PROGRESS\|ILLEGAL_GENERATION\):' "$tmp"/m[123].log |
    sed 's/^/     note: refused during a rebalance: /' || true
errs=$(grep -h ' ERROR \| COMMIT_ERR ' "$tmp"/m[123].log |
    grep -v ' COMMIT_ERR \(REBALANCE_IN_PROGRESS\|ILLEGAL_GENERATION\):' || true)
[ -z "$errs" ] || soft_fail "errors: $errs"

values c 1 "$N" >"$tmp/expected"
cat "$tmp"/m[123].out | awk '{ print $3 }' | sort >"$tmp/got"
sort -u "$tmp/got" >"$tmp/got-u"
missing=$(comm -23 "$tmp/expected" "$tmp/got-u" | wc -l)
dups=$(($(wc -l <"$tmp/got") - $(wc -l <"$tmp/got-u")))
say "consumed $(wc -l <"$tmp/got") records for $N values: $dups duplicate(s), $missing missing"
[ "$missing" -eq 0 ] || soft_fail "$missing value(s) never consumed"
java_group_offsets "$group" "$topic" >"$tmp/offsets"
awk '$2 != $3 { bad = 1 } { sum += $3; n++ } END { exit bad || n != 6 || sum != want }' want="$N" "$tmp/offsets" ||
    soft_fail "committed offsets (Java consumer-groups) are not the log end offsets: $(tr '\n' ';' <"$tmp/offsets")"
finish
echo "cooperative-sticky: 6 -> 3/3 -> 2/2/2, only moved partitions revoked, $N values ($dups duplicates)"
