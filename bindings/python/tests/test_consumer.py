"""Consumer against a real broker."""
import time

import pytest

from kafkac import (OFFSET_BEGINNING, OFFSET_END, OFFSET_INVALID, Consumer, DeserializingConsumer,
                    KafkaError, KafkaException, Producer, SerializingProducer, TopicPartition)
from kafkac.error import ValueDeserializationError
from kafkac.serialization import (IntegerDeserializer, IntegerSerializer, StringDeserializer,
                                  StringSerializer)

from conftest import produce_n, unique


def consumer(bootstrap, **extra):
    conf = {"bootstrap.servers": bootstrap, "group.id": unique("g"),
            "auto.offset.reset": "earliest", "session.timeout.ms": 10000}
    conf.update(extra)
    return Consumer(conf)


def test_subscribe_poll_loop_with_eof(bootstrap, make_topic):
    topic = make_topic(2)
    produce_n(bootstrap, topic, 50)
    c = consumer(bootstrap, **{"enable.partition.eof": True})
    assigned, revoked = [], []
    c.subscribe([topic], on_assign=lambda cons, ps: assigned.extend(ps),
                on_revoke=lambda cons, ps: revoked.extend(ps))
    seen, eof = {}, set()
    deadline = time.time() + 60
    while len(eof) < 2 and time.time() < deadline:
        msg = c.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                eof.add(msg.partition())
                continue
            raise KafkaException(msg.error())
        seen[(msg.partition(), msg.offset())] = (msg.key(), msg.value())
    assert eof == {0, 1}
    assert len(seen) == 50
    assert sorted(v for _, v in seen.values()) == sorted(b"v%d" % i for i in range(50))
    assert sorted(tp.partition for tp in assigned) == [0, 1]
    assert all(isinstance(tp, TopicPartition) and tp.topic == topic for tp in assigned)
    assert c.memberid()
    assert sorted(tp.partition for tp in c.assignment()) == [0, 1]
    c.close()
    assert sorted(tp.partition for tp in revoked) == [0, 1]
    with pytest.raises(RuntimeError):
        c.poll(0)


def test_consume_batch_and_headers(bootstrap, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 300, headers=[("trace", b"abc"), ("n", None), ("s", "txt")])
    c = consumer(bootstrap)
    c.subscribe([topic])
    got = []
    deadline = time.time() + 60
    while len(got) < 300 and time.time() < deadline:
        msgs = c.consume(num_messages=1000, timeout=1.0)
        got.extend(m for m in msgs if not m.error())
    assert len(got) == 300
    assert [m.offset() for m in got] == list(range(300))
    assert got[0].headers() == [("trace", b"abc"), ("n", None), ("s", b"txt")]
    assert len(got[5]) == len(b"v5")
    assert c.consume(0) == []
    with pytest.raises(ValueError):
        c.consume(num_messages=2000000)
    c.close()


def test_commit_committed_position_seek(bootstrap, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 20)
    tp0 = TopicPartition(topic, 0)
    c = consumer(bootstrap, **{"enable.auto.commit": False})
    c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    msgs = []
    while len(msgs) < 10:
        m = c.poll(5)
        assert m is not None
        assert m.error() is None
        msgs.append(m)
    # commit(message) commits offset + 1
    res = c.commit(message=msgs[4], asynchronous=False)
    assert len(res) == 1 and res[0].offset == 5 and res[0].error is None
    assert c.committed([tp0], timeout=10)[0].offset == 5
    # commit() with no arguments commits the positions
    assert c.position([tp0])[0].offset == 10
    res = c.commit(asynchronous=False)
    assert [(r.partition, r.offset) for r in res] == [(0, 10)]
    assert c.committed([tp0], timeout=10)[0].offset == 10
    # explicit offsets, asynchronous
    commits = []
    assert c.commit(offsets=[TopicPartition(topic, 0, 7)]) is None
    deadline = time.time() + 10
    while c.committed([tp0], timeout=10)[0].offset != 7 and time.time() < deadline:
        c.poll(0.1)
    assert c.committed([tp0], timeout=10)[0].offset == 7
    # seek back and re-read
    c.seek(TopicPartition(topic, 0, 3))
    m = c.poll(10)
    assert m.offset() == 3 and m.value() == b"v3"
    assert c.position([tp0])[0].offset == 4
    # seek to the end: nothing more
    c.seek(TopicPartition(topic, 0, OFFSET_END))
    assert c.poll(1) is None
    with pytest.raises(KafkaException):
        c.seek(TopicPartition(topic, 5, 0))  # not assigned
    lo, hi = c.get_watermark_offsets(tp0, timeout=10)
    assert (lo, hi) == (0, 20)
    assert c.get_watermark_offsets(tp0, cached=True)[1] in (20, OFFSET_INVALID)
    del commits
    c.close()


def test_committed_without_commit_and_on_commit(bootstrap, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 5)
    results = []
    c = consumer(bootstrap, **{"enable.auto.commit": False,
                               "on_commit": lambda err, parts: results.append((err, parts))})
    tp0 = TopicPartition(topic, 0)
    assert c.committed([tp0], timeout=10)[0].offset == OFFSET_INVALID
    c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    assert c.poll(10).offset() == 0
    c.commit()  # async: reported through on_commit from poll()
    deadline = time.time() + 10
    while not results and time.time() < deadline:
        c.poll(0.2)
    assert results and results[0][0] is None and results[0][1][0].offset == 1
    c.close()


def test_commit_nothing_raises_no_offset(bootstrap, make_topic):
    topic = make_topic()
    c = consumer(bootstrap, **{"enable.auto.commit": False})
    c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    with pytest.raises(KafkaException) as ei:
        c.commit(asynchronous=False)
    assert ei.value.args[0].code() == KafkaError._NO_OFFSET
    c.close()


def test_pause_resume(bootstrap, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 10)
    c = consumer(bootstrap)
    tp = TopicPartition(topic, 0, OFFSET_BEGINNING)
    c.assign([tp])
    c.pause([TopicPartition(topic, 0)])
    assert c.poll(1.5) is None
    c.resume([TopicPartition(topic, 0)])
    m = c.poll(10)
    assert m is not None and m.offset() == 0
    c.close()


def test_offsets_for_times(bootstrap, make_topic):
    topic = make_topic()
    p = Producer({"bootstrap.servers": bootstrap})
    for i, ts in enumerate([1000, 2000, 3000]):
        p.produce(topic, b"x%d" % i, timestamp=ts)
    assert p.flush(30) == 0
    c = consumer(bootstrap)
    r = c.offsets_for_times([TopicPartition(topic, 0, 1500)], timeout=10)
    assert r[0].offset == 1 and r[0].error is None
    r = c.offsets_for_times([TopicPartition(topic, 0, 99999)], timeout=10)
    assert r[0].offset == -1
    c.close()


def test_incremental_assign(bootstrap, make_topic):
    topic = make_topic(2)
    produce_n(bootstrap, topic, 4, partition=1)
    c = consumer(bootstrap)
    c.incremental_assign([TopicPartition(topic, 1, OFFSET_BEGINNING)])
    assert [tp.partition for tp in c.assignment()] == [1]
    m = c.poll(10)
    assert m.partition() == 1
    c.incremental_assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    assert sorted(tp.partition for tp in c.assignment()) == [0, 1]
    c.incremental_unassign([TopicPartition(topic, 1)])
    assert [tp.partition for tp in c.assignment()] == [0]
    c.unassign()
    assert c.assignment() == []
    c.close()


def test_cooperative_rebalance_two_members(bootstrap, make_topic):
    topic = make_topic(4)
    group = unique("coop")
    conf = {"bootstrap.servers": bootstrap, "group.id": group,
            "partition.assignment.strategy": "cooperative-sticky",
            "session.timeout.ms": 10000, "heartbeat.interval.ms": 500}
    events = {"a": [], "b": []}

    def cb(name, kind):
        return lambda cons, parts: events[name].append((kind, sorted(p.partition for p in parts)))

    a, b = Consumer(dict(conf)), Consumer(dict(conf))
    a.subscribe([topic], on_assign=cb("a", "assign"), on_revoke=cb("a", "revoke"))
    deadline = time.time() + 30
    while len(a.assignment()) < 4 and time.time() < deadline:
        a.poll(0.2)
    assert len(a.assignment()) == 4
    b.subscribe([topic], on_assign=cb("b", "assign"), on_revoke=cb("b", "revoke"))
    deadline = time.time() + 60
    while time.time() < deadline and not (len(a.assignment()) == 2 and len(b.assignment()) == 2):
        a.poll(0.1)
        b.poll(0.1)
    assert len(a.assignment()) == 2 and len(b.assignment()) == 2
    # incremental: a gave up exactly the two partitions b received
    revoked = [p for kind, ps in events["a"] if kind == "revoke" for p in ps]
    got_b = [p for kind, ps in events["b"] if kind == "assign" for p in ps]
    assert sorted(revoked) == sorted(got_b)
    b.close()
    a.close()


def test_deserializing_consumer(bootstrap, make_topic):
    topic = make_topic()
    sp = SerializingProducer({"bootstrap.servers": bootstrap,
                              "key.serializer": IntegerSerializer(),
                              "value.serializer": StringSerializer()})
    for i in range(5):
        sp.produce(topic, key=i, value="välue-%d" % i)
    sp.produce(topic, key=99, value=None)
    assert sp.flush(30) == 0
    dc = DeserializingConsumer({"bootstrap.servers": bootstrap, "group.id": unique("g"),
                                "auto.offset.reset": "earliest",
                                "key.deserializer": IntegerDeserializer(),
                                "value.deserializer": StringDeserializer()})
    dc.subscribe([topic])
    got = []
    deadline = time.time() + 60
    while len(got) < 6 and time.time() < deadline:
        m = dc.poll(1.0)
        if m is not None:
            got.append((m.key(), m.value()))
    assert got == [(i, "välue-%d" % i) for i in range(5)] + [(99, None)]
    with pytest.raises(NotImplementedError):
        dc.consume(1)
    dc.close()


def test_deserialization_error(bootstrap, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 1)  # value b"v0": not an int32
    dc = DeserializingConsumer({"bootstrap.servers": bootstrap, "group.id": unique("g"),
                                "auto.offset.reset": "earliest",
                                "value.deserializer": IntegerDeserializer()})
    dc.subscribe([topic])
    with pytest.raises(ValueDeserializationError) as ei:
        deadline = time.time() + 60
        while time.time() < deadline:
            dc.poll(1.0)
    assert ei.value.kafka_message.value() == b"v0"
    assert ei.value.code == KafkaError._VALUE_DESERIALIZATION
    dc.close()


def test_list_topics_from_consumer(bootstrap, make_topic):
    topic = make_topic()
    c = consumer(bootstrap)
    assert topic in c.list_topics(timeout=10).topics
    c.close()


def test_store_offsets_decides_what_commit_takes(bootstrap, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 10)
    tp0 = TopicPartition(topic, 0)
    c = consumer(bootstrap, **{"enable.auto.commit": False, "enable.auto.offset.store": False})
    c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    msgs = []
    while len(msgs) < 6:
        m = c.poll(5)
        assert m is not None and m.error() is None
        msgs.append(m)
    c.store_offsets(message=msgs[2])
    c.commit(asynchronous=False)
    assert c.committed([tp0], timeout=10)[0].offset == 3
    c.store_offsets(offsets=[TopicPartition(topic, 0, 5)])
    c.commit(asynchronous=False)
    assert c.committed([tp0], timeout=10)[0].offset == 5
    with pytest.raises(ValueError):
        c.store_offsets()
    c.close()
    d = consumer(bootstrap)  # automatic store on: storing is refused
    d.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    with pytest.raises(KafkaException):
        d.store_offsets(offsets=[TopicPartition(topic, 0, 1)])
    d.close()
