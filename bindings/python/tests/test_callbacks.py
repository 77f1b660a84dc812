"""Callbacks: exceptions propagate, Ctrl-C interrupts, logger and error_cb."""
import logging
import os
import subprocess
import sys
import textwrap
import time

import pytest

from kafkac import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

from conftest import produce_n, unique


class Boom(Exception):
    pass


def test_delivery_callback_exception_propagates_from_flush(bootstrap, make_topic):
    topic = make_topic()
    calls = []

    def cb(err, msg):
        calls.append(msg.offset())
        if len(calls) == 1:
            raise Boom("from the delivery callback")

    p = Producer({"bootstrap.servers": bootstrap})
    for _ in range(5):
        p.produce(topic, b"x", on_delivery=cb)
    with pytest.raises(Boom):
        p.flush(30)
    # Nothing is lost: the remaining reports are still delivered.
    assert p.flush(30) == 0
    assert len(calls) == 5


def test_delivery_callback_exception_propagates_from_poll(bootstrap, make_topic):
    topic = make_topic()

    def cb(err, msg):
        raise Boom("poll")

    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0})
    p.produce(topic, b"x", on_delivery=cb)
    with pytest.raises(Boom):
        for _ in range(100):
            p.poll(0.1)
    assert len(p) == 0


def test_rebalance_callback_exception_propagates_and_keeps_messages(bootstrap, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 3)

    def on_assign(c, parts):
        raise Boom("on_assign")

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("g"),
                  "auto.offset.reset": "earliest"})
    c.subscribe([topic], on_assign=on_assign)
    with pytest.raises(Boom):
        deadline = time.time() + 60
        while time.time() < deadline:
            c.poll(0.5)
    # The assignment was still applied and no message was lost.
    got = []
    deadline = time.time() + 60
    while len(got) < 3 and time.time() < deadline:
        m = c.poll(1)
        if m is not None and not m.error():
            got.append(m.offset())
    assert got == [0, 1, 2]
    c.close()


def test_on_assign_can_assign_offsets(bootstrap, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 10)

    def on_assign(c, parts):
        for p in parts:
            p.offset = 7
        c.assign(parts)

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("g"),
                  "auto.offset.reset": "earliest"})
    c.subscribe([topic], on_assign=on_assign)
    m = None
    deadline = time.time() + 60
    while m is None and time.time() < deadline:
        m = c.poll(1)
    assert m.offset() == 7
    c.close()


def test_logger_receives_lines(bootstrap, make_topic):
    topic = make_topic()
    records = []

    class H(logging.Handler):
        def emit(self, record):
            records.append((record.levelno, record.getMessage()))

    log = logging.getLogger(unique("kafkac-log"))
    log.addHandler(H())
    log.setLevel(logging.DEBUG)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("g"), "logger": log,
                  "log_level": 7})
    c.subscribe([topic])
    deadline = time.time() + 60
    while not c.assignment() and time.time() < deadline:
        c.poll(0.2)
    c.close()
    assert records, "the logger got no lines"
    # "FAC [client.id] message", syslog 7 -> logging.DEBUG
    assert any(level == logging.DEBUG and "[kafkac]" in msg for level, msg in records), records


def test_error_cb_all_brokers_down():
    errors = []
    p = Producer({"bootstrap.servers": "127.0.0.1:1", "error_cb": errors.append,
                  "reconnect.backoff.max.ms": 100, "log_level": 0})
    deadline = time.time() + 20
    while not errors and time.time() < deadline:
        p.poll(0.2)
    p.close()
    assert errors, "error_cb was not called"
    assert all(e.code() < 0 for e in errors)


def test_error_cb_exception_propagates():
    def cb(err):
        raise Boom("error_cb")

    p = Producer({"bootstrap.servers": "127.0.0.1:1", "error_cb": cb,
                  "reconnect.backoff.max.ms": 100, "log_level": 0})
    with pytest.raises(Boom):
        deadline = time.time() + 20
        while time.time() < deadline:
            p.poll(0.2)
    p.close()


@pytest.mark.parametrize("what", ["consumer.poll", "producer.flush", "consumer.consume"])
def test_ctrl_c_interrupts_blocking_calls(bootstrap, make_topic, what):
    topic = make_topic()
    prog = textwrap.dedent("""
        import os, signal, sys, threading, time
        from kafkac import Consumer, Producer, TopicPartition, OFFSET_END
        b, topic, what = sys.argv[1:4]
        # A runner started in the background (nohup, `cmd &`) passes SIGINT
        # down ignored, and Python then installs no handler: restore it.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if what == "producer.flush":
            h = Producer({"bootstrap.servers": "127.0.0.1:1", "log_level": 0,
                          "delivery.timeout.ms": 600000})
            h.produce(topic, b"x")
            call = lambda: h.flush(60)
        else:
            h = Consumer({"bootstrap.servers": b, "group.id": "ctrlc"})
            h.assign([TopicPartition(topic, 0, OFFSET_END)])
            call = (lambda: h.poll(60)) if what == "consumer.poll" else (lambda: h.consume(10, 60))
        threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t0 = time.time()
        try:
            call()
            print("not interrupted")
        except KeyboardInterrupt:
            print("interrupted after %.1f s" % (time.time() - t0))
        sys.stdout.flush()
        os._exit(0)
    """)
    r = subprocess.run([sys.executable, "-c", prog, bootstrap, topic, what],
                       capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert r.stdout.startswith("interrupted after"), (r.stdout, r.stderr)
    assert float(r.stdout.split()[2]) < 3.0


def test_consumer_poll_releases_gil(bootstrap, make_topic):
    """Another Python thread keeps running while poll() blocks."""
    import threading
    topic = make_topic()
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("g")})
    c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    ticks = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=spin)
    t.start()
    c.poll(1.0)
    stop.set()
    t.join()
    c.close()
    assert len(ticks) > 100
