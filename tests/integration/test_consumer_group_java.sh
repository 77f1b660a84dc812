#!/usr/bin/env bash
# kafkac and Java consumers in one group (classic protocol, range assignor)
# on a 6-partition topic filled by kafkac's producer:
#   round 1: the Java console consumer j1 starts first (group leader: Java's
#            RangeAssignor assigns from kafkac's subscription), the kafkac
#            driver k1 joins: 3/3, disjoint (kafkac's rebalance log, the Java
#            consumer-groups tool, and the partitions of the records each
#            prints afterwards);
#   j1 stops (SIGTERM): k1 owns all 6;
#   round 2: a second Java consumer j2 joins the kafkac leader (kafkac's
#            range assignment, read by Java): 3/3 again, disjoint;
#   no errors from either side (kafkac events, Java stderr), and together
#   they consumed every value (at least once; duplicates printed).
# A failed check is reported and the later stages still run.
source "$(dirname "$0")/group_lib.sh"
N=${KAFKAC_JAVA_GROUP_RECORDS:-6000}
topic="kafkac-cg-java-$stamp"
group="$topic-g"
create_topic "$topic" 6
produce_range "$topic" j 1 $((N / 3))
say "topic $topic (6 partitions), $((N / 3)) of $N values produced"

java_start() { # java_start NAME: the Java console consumer in the group
    # exec: $! is the JVM itself, which SIGTERM must reach
    (exec tests/broker/kafka-local tool console-consumer --bootstrap-server "$KAFKAC_BOOTSTRAP" --topic "$topic" --group "$group" \
        --consumer-property partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor \
        --consumer-property auto.offset.reset=earliest --consumer-property client.id="$1" \
        --consumer-property session.timeout.ms=6000 --consumer-property heartbeat.interval.ms=1000 \
        --property print.partition=true --property print.offset=true \
        >"$tmp/$1.out" 2>"$tmp/$1.err") &
    echo $! >"$tmp/$1.pid"
}
java_stop() {
    local pid rc=0
    pid=$(cat "$tmp/$1.pid")
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    # 143: the JVM's exit status after SIGTERM (shutdown hooks ran)
    [ "$rc" -eq 0 ] || [ "$rc" -eq 143 ] || soft_fail "$1 exited with status $rc"
}
# "P P P" of a Java member per the consumer-groups tool (client id $1).
java_assigned() {
    kt consumer-groups --bootstrap-server "$KAFKAC_BOOTSTRAP" --describe --group "$group" \
        --members --verbose 2>/dev/null |
        awk -v c="$1" -v t="$topic" '$4 == c { for (i = 5; i <= NF; i++) if (index($i, t ":") == 1) print substr($i, length(t) + 2) }' |
        tr ',' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//'
}
owned_ids() { gm_owned "$1" | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//'; }
java_parts_from() { # partitions of the records Java member $1 printed after line $2
    tail -n +"$(($2 + 1))" "$tmp/$1.out" | sed -n 's/^Partition:\([0-9]*\)\t.*/\1/p' | sort -nu | tr '\n' ' ' | sed 's/ $//'
}
complement() { local p out=""; for p in 0 1 2 3 4 5; do [[ " $1 " == *" $p "* ]] || out="$out $p"; done; echo "${out# }"; }
split_3_3() { # split_3_3 JAVA: k1 owns 3, JAVA the other 3 (Java tool)
    local k
    k=$(owned_ids k1)
    [ "$(wc -w <<<"$k")" -eq 3 ] || return 1
    [ "$(java_assigned "$1")" = "$(complement "$k")" ]
}
round_checks() { # round_checks JAVA FROM TO: produced after the split, each side reads only its own
    local j=$1 jl kl k jp kp
    k=$(owned_ids k1)
    jl=$(wc -l <"$tmp/$j.out") kl=$(wc -l <"$tmp/k1.out")
    produce_spread "$topic" j "$2" "$3" 6
    kparts() { tail -n +"$((kl + 1))" "$tmp/k1.out" | awk '{ print $1 }' | sort -nu | tr '\n' ' ' | sed 's/ $//'; }
    (wait_until 20 "$j and k1 reading the new records of their partitions" \
        eval '[ "$(java_parts_from "$j" "$jl")" = "$(complement "$k")" ] && [ "$(kparts)" = "$k" ]') >/dev/null || true
    jp=$(java_parts_from "$j" "$jl") kp=$(kparts)
    say "$j: k1 owns [$k] and read new records of [$kp]; $j read new records of [$jp]"
    [ "$jp" = "$(complement "$k")" ] && [ "$kp" = "$k" ] ||
        soft_fail "after the split k1 (owning [$k]) read new records of [$kp], $j of [$jp]:" \
            "each side must read all of its own partitions and none of the other's"
}
# Round 1: Java first (leader), kafkac joins.
java_start j1
wait_until 40 "j1 consuming" eval '[ -s "$tmp/j1.out" ]'
[ "$(java_assigned j1)" = "0 1 2 3 4 5" ] || soft_fail "j1 alone owns [$(java_assigned j1)], not 0-5"
say "j1 (Java) owns 0-5"
gm_start k1 "$group" range -- "$topic"
wait_until 40 "k1 and j1 splitting 3/3" split_3_3 j1
say "round 1 (Java leader): k1 owns [$(owned_ids k1)], j1 owns [$(java_assigned j1)]"
round_checks j1 $((N / 3 + 1)) $((N / 2))

java_stop j1
wait_until 30 "k1 owning all 6 after j1 left" eval '[ "$(owned_ids k1)" = "0 1 2 3 4 5" ]'
say "j1 left: k1 owns 0-5"

# Round 2: kafkac is the leader, Java joins.
java_start j2
wait_until 40 "k1 and j2 splitting 3/3" split_3_3 j2
say "round 2 (kafkac leader): k1 owns [$(owned_ids k1)], j2 owns [$(java_assigned j2)]"
round_checks j2 $((N / 2 + 1)) "$N"

java_values() { sed -n 's/^Partition:[0-9]*\tOffset:[0-9]*\t//p' "$tmp/j1.out" "$tmp/j2.out"; }
all_values() { { java_values; awk '{ print $3 }' "$tmp/k1.out"; } | sort -u | wc -l; }
wait_until 30 "all $N values consumed by k1, j1, j2" eval '[ "$(all_values)" -ge "$N" ]'
java_stop j2
gm_stop k1

for j in j1 j2; do
    bad=$(grep -E 'ERROR|Exception' "$tmp/$j.err" | head -5 || true)
    [ -z "$bad" ] || soft_fail "$j stderr: $bad"
done
errs=$(grep -h ' ERROR \| COMMIT_ERR \| LOST' "$tmp/k1.log" || true)
[ -z "$errs" ] || soft_fail "k1: $errs"
values j 1 "$N" >"$tmp/expected"
{ java_values; awk '{ print $3 }' "$tmp/k1.out"; } | sort >"$tmp/got"
sort -u "$tmp/got" >"$tmp/got-u"
missing=$(comm -23 "$tmp/expected" "$tmp/got-u" | wc -l)
dups=$(($(wc -l <"$tmp/got") - $(wc -l <"$tmp/got-u")))
say "records: k1 $(wc -l <"$tmp/k1.out"), Java (j1+j2) $(java_values | wc -l) for $N values: $dups duplicate(s), $missing missing"
[ "$missing" -eq 0 ] || soft_fail "$missing value(s) never consumed"
finish
echo "java interop: Java and kafkac leaders, 3/3 both ways, $N values ($dups duplicates)"
