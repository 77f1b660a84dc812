#!/usr/bin/env python3
"""kafka-python (PyPI) worker for tests/perf/bench's SB1 scenarios: the same
command line, settings and JSON result line as the worker mode of
bindings/python/bench.py (kafkac and confluent_kafka), so that the three
Python clients are measured alike, each run a process of its own.

  kafka_python_bench.py --worker --client kafka --phase produce|consume|poll \\
      --topic T --bootstrap B --records N --size S

produce: N records of S bytes (b"x" * S), a delivery callback on every
record, then flush; acks=all, idempotence on, linger 5 ms, batch size
1,000,000 bytes, no compression (bindings/python/bench.py's PRODUCER_CONF).
consume / poll: the topic's 3 partitions assigned from the beginning (no
group rebalance), records taken with poll(max_records=1000) batches
(consume) or one at a time from the iterator (poll), every value touched.
Prints {"records", "ok", "wall", "cpu", "rate", ...} as JSON, last line."""
import argparse
import json
import sys
import time

PARTITIONS = 3  # as bindings/python/bench.py


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("--client", default="kafka")
    ap.add_argument("--phase", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--records", type=int, required=True)
    ap.add_argument("--size", type=int, default=100)
    args = ap.parse_args()
    import kafka
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    if args.phase == "produce":
        p = KafkaProducer(bootstrap_servers=args.bootstrap.split(","), acks="all",
                          enable_idempotence=True, linger_ms=5, batch_size=1000000,
                          compression_type=None)
        ok_n = [0]
        err_n = [0]

        def on_ok(_md):
            ok_n[0] += 1

        def on_err(_e):
            err_n[0] += 1

        value = b"x" * args.size
        send = p.send
        t0 = time.perf_counter()
        c0 = time.process_time()
        for _ in range(args.records):
            send(args.topic, value).add_callback(on_ok).add_errback(on_err)
        p.flush(120)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
        p.close()
        out = {"records": ok_n[0], "errors": err_n[0],
               "ok": ok_n[0] == args.records and not err_n[0]}
    else:
        c = KafkaConsumer(bootstrap_servers=args.bootstrap.split(","), group_id=None,
                          enable_auto_commit=False, auto_offset_reset="earliest",
                          consumer_timeout_ms=1000)
        tps = [TopicPartition(args.topic, i) for i in range(PARTITIONS)]
        c.assign(tps)
        c.seek_to_beginning(*tps)
        n = nbytes = 0
        t0 = time.perf_counter()
        c0 = time.process_time()
        deadline = time.time() + 300
        if args.phase == "consume":
            while n < args.records and time.time() < deadline:
                for recs in c.poll(timeout_ms=1000, max_records=1000).values():
                    for m in recs:
                        n += 1
                        nbytes += len(m.value)
        else:
            while n < args.records and time.time() < deadline:
                for m in c:  # StopIteration after consumer_timeout_ms without records
                    n += 1
                    nbytes += len(m.value)
                    if n >= args.records:
                        break
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
        c.close()
        out = {"records": n, "bytes": nbytes, "ok": n == args.records}
    out.update(wall=wall, cpu=cpu, rate=out["records"] / wall if wall > 0 else 0,
               version=kafka.__version__)
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
