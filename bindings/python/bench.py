#!/usr/bin/env python3
"""Side-by-side benchmark: kafkac vs confluent_kafka (PyPI) on the same broker.

For each client, N records of S bytes are produced (delivery callback on
every record, then flush) into a fresh 3-partition topic and consumed back
twice: with consume(num_messages=1000) batches and with a poll() loop (every
value is touched). Each phase runs in its own process; records/s and the
process's CPU seconds (user+system, all threads) are reported as the median
of R runs.

  python3 bench.py --bootstrap 127.0.0.1:9092 [--records 1000000] [--size 100]
                   [--runs 3] [--clients kafkac,confluent_kafka]

Both clients get the same explicit settings: acks=all, enable.idempotence=true,
linger.ms=5, batch.size=1000000, compression none; consumers assign the
partitions from the beginning (no group rebalance in the measurement)."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

# Run from the source tree, this directory's kafkac/ (no compiled extension)
# would shadow the installed package.
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

PRODUCER_CONF = {"acks": "all", "enable.idempotence": True, "linger.ms": 5,
                 "batch.size": 1000000, "compression.type": "none"}
PARTITIONS = 3


def worker(args):
    mod = __import__(args.client)
    t_cpu0 = time.process_time()
    if args.phase == "produce":
        errors = [0]
        delivered = [0]

        def on_delivery(err, msg):
            if err is not None:
                errors[0] += 1
            else:
                delivered[0] += 1

        conf = dict(PRODUCER_CONF, **{"bootstrap.servers": args.bootstrap,
                                     "on_delivery": on_delivery})
        p = mod.Producer(conf)
        value = b"x" * args.size
        produce, poll = p.produce, p.poll
        t0 = time.perf_counter()
        t_cpu0 = time.process_time()
        for _ in range(args.records):
            while True:
                try:
                    produce(args.topic, value)
                    break
                except BufferError:
                    poll(0.01)
            if not _ & 1023:
                poll(0)
        left = p.flush(120)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - t_cpu0
        ok = delivered[0] == args.records and not errors[0] and left == 0
        out = {"records": delivered[0], "errors": errors[0], "ok": ok}
    else:
        c = mod.Consumer({"bootstrap.servers": args.bootstrap, "group.id": "bench-" + args.topic,
                          "enable.auto.commit": False, "auto.offset.reset": "earliest"})
        c.assign([mod.TopicPartition(args.topic, i, mod.OFFSET_BEGINNING)
                  for i in range(PARTITIONS)])
        n = nbytes = 0
        t0 = time.perf_counter()
        t_cpu0 = time.process_time()
        deadline = time.time() + 300
        if args.phase == "consume":
            consume = c.consume
            while n < args.records and time.time() < deadline:
                for m in consume(num_messages=1000, timeout=1.0):
                    if m.error() is None:
                        n += 1
                        nbytes += len(m.value())
        else:
            poll = c.poll
            while n < args.records and time.time() < deadline:
                m = poll(1.0)
                if m is not None and m.error() is None:
                    n += 1
                    nbytes += len(m.value())
        wall = time.perf_counter() - t0
        cpu = time.process_time() - t_cpu0
        c.close()
        out = {"records": n, "bytes": nbytes, "ok": n == args.records}
    out.update(wall=wall, cpu=cpu, rate=out["records"] / wall if wall > 0 else 0)
    print(json.dumps(out))


def create_topic(bootstrap, name):
    from kafkac.admin import AdminClient, NewTopic
    a = AdminClient({"bootstrap.servers": bootstrap})
    a.create_topics([NewTopic(name, PARTITIONS, 1)], request_timeout=60)[name].result(120)
    for _ in range(100):
        t = a.list_topics(name, timeout=10).topics.get(name)
        if t and t.error is None and all(p.leader >= 0 for p in t.partitions.values()):
            break
        time.sleep(0.1)
    return a


def delete_topic(admin, name):
    try:
        admin.delete_topics([name], request_timeout=60)[name].result(120)
    except Exception as e:  # noqa: BLE001
        print("warning: could not delete %s: %s" % (name, e), file=sys.stderr)


def run_phase(args, client, phase, topic):
    cmd = [sys.executable, __file__, "--worker", "--client", client, "--phase", phase,
           "--topic", topic, "--bootstrap", args.bootstrap, "--records", str(args.records),
           "--size", str(args.size)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise SystemExit("%s %s failed:\n%s" % (client, phase, r.stderr[-3000:]))
    res = json.loads(r.stdout.strip().splitlines()[-1])
    if not res["ok"]:
        raise SystemExit("%s %s incomplete: %s" % (client, phase, res))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--records", type=int, default=1000000)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--clients", default="kafkac,confluent_kafka")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--client", help=argparse.SUPPRESS)
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--topic", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args)

    clients = args.clients.split(",")
    phases = ["produce", "consume", "poll"]
    results = {(c, ph): [] for c in clients for ph in phases}
    for run in range(args.runs):
        for client in clients:
            topic = "bench-%s-%s" % (client.replace("_", "-"), uuid.uuid4().hex[:8])
            admin = create_topic(args.bootstrap, topic)
            for ph in phases:
                res = run_phase(args, client, ph, topic)
                results[(client, ph)].append(res)
                print("run %d %-16s %-8s %10.0f records/s  %6.2f s  cpu %6.2f s" % (
                    run + 1, client, ph, res["rate"], res["wall"], res["cpu"]), flush=True)
            delete_topic(admin, topic)
    versions = {}
    for c in clients:
        mod = __import__(c)
        v = mod.version()
        versions[c] = "%s (library %s)" % (v if isinstance(v, str) else v[0], mod.libversion()[0])
    print()
    print("%d records of %d bytes, median of %d runs, broker %s" % (
        args.records, args.size, args.runs, args.bootstrap))
    print("%-16s %-30s %-8s %14s %12s %14s" % ("client", "version", "phase", "records/s",
                                               "cpu s", "cpu us/record"))
    for c in clients:
        for ph in phases:
            rs = results[(c, ph)]
            rate = statistics.median(r["rate"] for r in rs)
            cpu = statistics.median(r["cpu"] for r in rs)
            print("%-16s %-30s %-8s %14.0f %12.2f %14.2f" % (
                c, versions[c], ph, rate, cpu, cpu / args.records * 1e6))


if __name__ == "__main__":
    main()
