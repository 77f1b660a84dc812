"""Producer against a real broker."""
import pytest

from kafkac import KafkaError, KafkaException, Producer, TIMESTAMP_CREATE_TIME

from conftest import unique


def test_produce_flush_delivery_callbacks(bootstrap, make_topic):
    topic = make_topic(3)
    global_reports, own_reports = [], []
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5,
                  "on_delivery": lambda err, msg: global_reports.append((err, msg))})
    for i in range(100):
        if i % 2:
            p.produce(topic, value=b"v%d" % i, key=b"k%d" % i)
        else:
            p.produce(topic, "v%d" % i, "k%d" % i,
                      callback=lambda err, msg: own_reports.append((err, msg)))
    assert len(p) > 0
    assert p.flush(30) == 0
    assert len(p) == 0
    assert len(global_reports) == 50 and len(own_reports) == 50
    offsets = set()
    for err, msg in global_reports + own_reports:
        assert err is None and msg.error() is None
        assert msg.topic() == topic and 0 <= msg.partition() < 3
        assert msg.offset() >= 0
        assert msg.timestamp()[0] == TIMESTAMP_CREATE_TIME and msg.timestamp()[1] > 0
        assert msg.value() == b"v" + msg.key()[1:]
        offsets.add((msg.partition(), msg.offset()))
    assert len(offsets) == 100


def test_explicit_partition_timestamp_and_headers(bootstrap, make_topic):
    topic = make_topic(2)
    got = []
    p = Producer({"bootstrap.servers": bootstrap})
    p.produce(topic, b"a", partition=1, timestamp=1234567890123, headers={"h1": b"x", "h2": "y"},
              on_delivery=lambda e, m: got.append(m))
    p.produce(topic, b"b", partition=1, headers=[("h", b"1"), ("h", None)],
              on_delivery=lambda e, m: got.append(m))
    assert p.flush(30) == 0
    assert [m.partition() for m in got] == [1, 1]
    assert got[0].timestamp() == (TIMESTAMP_CREATE_TIME, 1234567890123)
    assert got[1].offset() == got[0].offset() + 1


def test_poll_serves_reports(bootstrap, make_topic):
    topic = make_topic()
    got = []
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0})
    p.produce(topic, b"x", on_delivery=lambda e, m: got.append(e))
    served = 0
    for _ in range(100):
        served += p.poll(0.1)
        if got:
            break
    assert got == [None] and served >= 1


def test_unknown_partition_raises(bootstrap, make_topic):
    topic = make_topic(1)
    p = Producer({"bootstrap.servers": bootstrap})
    p.produce(topic, b"warm-up")
    assert p.flush(30) == 0
    with pytest.raises(KafkaException) as ei:
        p.produce(topic, b"x", partition=7)
    assert ei.value.args[0].code() == KafkaError._UNKNOWN_PARTITION


def test_queue_full_raises_buffer_error(bootstrap, make_topic):
    topic = make_topic()
    p = Producer({"bootstrap.servers": bootstrap, "queue.buffering.max.messages": 5,
                  "linger.ms": 1000})
    with pytest.raises(BufferError):
        for _ in range(10):
            p.produce(topic, b"x")
    assert len(p) == 5
    assert p.flush(30) == 0


def test_purge_fails_queued_records(bootstrap, make_topic):
    topic = make_topic()
    errs = []
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 60000})
    for _ in range(3):
        p.produce(topic, b"x", on_delivery=lambda e, m: errs.append(e))
    p.purge()
    p.flush(10)
    assert len(errs) == 3
    assert all(e is not None and e.code() == KafkaError._PURGE_QUEUE for e in errs)


def test_delivery_report_only_error(bootstrap, make_topic):
    topic = make_topic()
    got = []
    p = Producer({"bootstrap.servers": bootstrap, "delivery.report.only.error": True,
                  "on_delivery": lambda e, m: got.append(e)})
    p.produce(topic, b"x")
    assert p.flush(30) == 0
    assert got == []


def test_list_topics(bootstrap, make_topic):
    topic = make_topic(2)
    p = Producer({"bootstrap.servers": bootstrap})
    md = p.list_topics(timeout=10)
    assert topic in md.topics
    assert md.cluster_id and md.controller_id >= 0 and md.brokers
    b = next(iter(md.brokers.values()))
    assert b.host and b.port > 0
    t = p.list_topics(topic, timeout=10).topics[topic]
    assert t.error is None and sorted(t.partitions) == [0, 1]
    part = t.partitions[0]
    assert part.leader in md.brokers and part.replicas and part.isrs
    missing = unique("missing")
    md2 = Producer({"bootstrap.servers": bootstrap}).list_topics(missing, timeout=10)
    # Either absent or carrying an error (auto-creation may be on).
    if missing in md2.topics and md2.topics[missing].error is not None:
        assert md2.topics[missing].error.code() in (KafkaError.UNKNOWN_TOPIC_OR_PART,
                                                    KafkaError.LEADER_NOT_AVAILABLE)


def test_context_manager_flushes(bootstrap, make_topic):
    topic = make_topic()
    got = []
    with Producer({"bootstrap.servers": bootstrap, "linger.ms": 100}) as p:
        p.produce(topic, b"x", on_delivery=lambda e, m: got.append(e))
    assert got == [None]
