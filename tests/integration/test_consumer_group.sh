#!/usr/bin/env bash
# Consumer group with the range assignor, members leaving cleanly and dying,
# at-least-once delivery: three kafkac members (the test_group_member
# driver: processes each record, then commits processed + 1 synchronously)
# share a 6-partition topic that kafkac's producer fills with N unique
# values, a third before the members start and the rest while they consume.
#   1. m1 starts alone with a backlog and slow processing (0.7 ms a record);
#      m2 and m3 join: the 6 partitions are split 2/2/2, no overlap, in
#      range's contiguous pairs (from the rebalance logs), within 15 s - m1
#      polls all the time, so it must take part in the rebalance although
#      records fetched before it are still waiting (max.poll.interval.ms
#      10000 is the rebalance timeout);
#   2. m1 gets SIGTERM (kc_consumer_close: commits, leaves the group): m2 and
#      m3 take over its partitions, 3/3;
#   3. m2 is killed (-9) while records are still produced and consumed: m3
#      gets all 6 partitions once m2's session (session.timeout.ms 6000)
#      expires;
#   4. every produced value is in the union of the outputs (duplicates, from
#      processed but uncommitted records, are counted and printed), a
#      (partition, offset) always carries the same value, no partition is
#      owned by two members at once (rebalance logs in time order), no
#      error events;
#   5. the Java consumer-groups tool shows the committed offsets at the log
#      end offsets.
# A failed check is reported and the later stages still run; exit 1 if any
# check failed.
source "$(dirname "$0")/group_lib.sh"
N=${KAFKAC_GROUP_RECORDS:-60000}
FIRST=$((N / 3))
topic="kafkac-cg-range-$stamp"
group="$topic-g"
GM_TIMING=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=1000 -X max.poll.interval.ms=10000)
create_topic "$topic" 6
say "topic $topic (6 partitions); producing $FIRST of $N values"
produce_range "$topic" r 1 "$FIRST"

split_is() { # split_is COUNT MEMBER...: each member owns COUNT, together all 6, no overlap
    local want=$1 m
    shift
    for m in "$@"; do [ "$(gm_count "$m")" -eq "$want" ] || return 1; done
    [ "$(for m in "$@"; do gm_owned "$m"; done | sort -u | wc -l)" -eq 6 ]
}
processed() { [ "$(wc -l <"$tmp/$1.out" 2>/dev/null || echo 0)" -ge "$2" ]; }

# 1. m1 alone with the backlog, then m2 and m3.
gm_start m1 "$group" range -d "${KAFKAC_GROUP_SLOW_US:-700}" -T 2000 -- "$topic"
wait_until 20 "m1 owning the 6 partitions and processing" eval 'split_is 6 m1 && processed m1 100'
gm_start m2 "$group" range -- "$topic"
gm_start m3 "$group" range -- "$topic"
t_join=$(date +%s%N)
if ! (wait_until 15 "2/2/2" split_is 2 m1 m2 m3) >/dev/null; then
    soft_fail "the 3 members were not split 2/2/2 within 15 s of m2 and m3 joining" \
        "(m1 owns: $(gm_owned m1 | cut -d: -f2 | tr '\n' ' '); m2: $(gm_owned m2 | cut -d: -f2 | tr '\n' ' ');" \
        "m3: $(gm_owned m3 | cut -d: -f2 | tr '\n' ' '))"
    gm_diagnose
fi
wait_until 60 "3 members owning 2 partitions each" split_is 2 m1 m2 m3
say "split 2/2/2 $((($(date +%s%N) - t_join) / 1000000)) ms after m2 and m3 started"
pairs=""
for m in m1 m2 m3; do
    [ "$(gm_owned "$m" | cut -d: -f1 | sort -u)" = "$topic" ] || fail "$m owns another topic"
    pairs="$pairs$(gm_owned "$m" | cut -d: -f2 | tr '\n' ' ')/"
    say "$m owns: $(gm_owned "$m" | cut -d: -f2 | tr '\n' ' ')"
done
dup=$(for m in m1 m2 m3; do gm_owned "$m"; done | sort | uniq -d)
[ -z "$dup" ] || fail "partitions owned twice: $dup"
# Range: each member a contiguous pair 0-1, 2-3 or 4-5.
[ "$(tr '/' '\n' <<<"$pairs" | sed '/^$/d' | sort | tr '\n' '/')" = "0 1 /2 3 /4 5 /" ] ||
    soft_fail "not range's contiguous pairs: $pairs"

# The rest of the values, produced in steps while the members consume.
(
    for ((i = FIRST + 1; i <= N; i += 2500)); do
        e=$((i + 2499 > N ? N : i + 2499))
        values r "$i" "$e"
        sleep 0.5
    done | "$PRODUCER" -b "$KAFKAC_BOOTSTRAP" -t "$topic" >"$tmp/producer.out" 2>&1
    echo $? >"$tmp/producer.rc"
) &
prod_pid=$!
sleep 1.5

# 2. m1 closes.
say "SIGTERM m1 (close: commit, leave)"
gm_stop m1
grep -q " CLOSED ok" "$tmp/m1.log" || soft_fail "m1 did not close cleanly"
wait_until 20 "m2 and m3 owning 3 partitions each after m1 left" split_is 3 m2 m3
say "after m1 left: m2 owns $(gm_owned m2 | cut -d: -f2 | tr '\n' ' '), m3 owns $(gm_owned m3 | cut -d: -f2 | tr '\n' ' ')"

# 3. m2 dies.
kill -0 "$prod_pid" 2>/dev/null && producing=yes || producing=no
say "kill -9 m2 (still producing: $producing; consumed so far: $(consumed_unique m1 m2 m3) of $N)"
gm_kill m2
t_kill=$(date +%s%N)
wait_until 40 "m3 owning all 6 partitions after m2 was killed" split_is 6 m3
say "m3 owns all 6 partitions $((($(date +%s%N) - t_kill) / 1000000)) ms after the kill (session.timeout.ms 6000)"

wait "$prod_pid" || true
[ "$(cat "$tmp/producer.rc")" = 0 ] || fail "producer: $(cat "$tmp/producer.out")"
grep -qx "producer: $((N - FIRST)) sent, $((N - FIRST)) delivered, 0 failed" "$tmp/producer.out" ||
    fail "producer: $(cat "$tmp/producer.out")"
consumed_all() { [ "$(consumed_unique m1 m2 m3)" -ge "$N" ]; }
wait_until 60 "all $N values consumed" consumed_all
sleep 0.5 # m3's last commit
say "SIGTERM m3"
gm_stop m3

# 4. At least once: every value, nothing else; duplicates counted.
values r 1 "$N" >"$tmp/expected"
cat "$tmp"/m[123].out >"$tmp/all"
awk '{ print $3 }' "$tmp/all" | sort >"$tmp/got"
sort -u "$tmp/got" >"$tmp/got-u"
missing=$(comm -23 "$tmp/expected" "$tmp/got-u" | wc -l)
extra=$(comm -13 "$tmp/expected" "$tmp/got-u" | wc -l)
total=$(wc -l <"$tmp/got")
dups=$((total - $(wc -l <"$tmp/got-u")))
for m in m1 m2 m3; do
    say "$m: $(wc -l <"$tmp/$m.out") records, $(grep -c ' COMMIT n=' "$tmp/$m.log" || true) commits," \
        "$(grep -c ' COMMIT_ERR ' "$tmp/$m.log" || true) refused," \
        "$(grep -cE ' (ASSIGN|REVOKE|LOST)( |$)' "$tmp/$m.log" || true) rebalance events"
done
say "consumed $total records for $N values: $dups duplicate(s), $missing missing, $extra unexpected"
[ "$missing" -eq 0 ] || soft_fail "$missing value(s) never consumed, e.g. $(comm -23 "$tmp/expected" "$tmp/got-u" | head -3 | tr '\n' ' ')"
[ "$extra" -eq 0 ] || soft_fail "$extra unexpected value(s)"
bad=$(awk '{ k = $1 " " $2; if (k in v && v[k] != $3) print k; v[k] = $3 }' "$tmp/all" | head -3)
[ -z "$bad" ] || soft_fail "the same partition/offset with different values: $bad"
ov=$(gm_overlaps m1 m2 m3)
[ -z "$ov" ] || soft_fail "a partition had two owners at once: $(head -3 <<<"$ov" | tr '\n' ';')"
errs=$(grep -h ' ERROR ' "$tmp"/m[123].log || true)
[ -z "$errs" ] || soft_fail "error events: $errs"
grep -h ' COMMIT_ERR ' "$tmp"/m[123].log | awk '{ $1 = ""; print }' | sort | uniq -c | sed 's/^/     refused commits: /' || true

# 5. The group's committed offsets (Java tool) are the log end offsets.
java_group_offsets "$group" "$topic" >"$tmp/offsets"
if [ "$(wc -l <"$tmp/offsets")" -ne 6 ]; then
    soft_fail "consumer-groups --describe: not 6 partitions: $(cat "$tmp/offsets")"
elif ! awk '$2 != $3 { bad = 1 } { sum += $3 } END { exit bad || sum != n }' n="$N" "$tmp/offsets"; then
    soft_fail "committed offsets differ from the log end offsets (or the ends do not add up to $N):" \
        "$(tr '\n' ';' <"$tmp/offsets")"
else
    say "committed offsets = log end offsets on all 6 partitions (sum $N), per Java consumer-groups"
fi
finish
echo "range group: 2/2/2, close -> 3/3, kill -9 -> 6/6, $N values at least once ($dups duplicates)"
