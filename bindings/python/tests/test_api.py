"""API surface tests that need no broker."""

import pytest

import kafkac
from kafkac import (OFFSET_BEGINNING, OFFSET_END, OFFSET_INVALID, OFFSET_STORED,
                    TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME, TIMESTAMP_NOT_AVAILABLE,
                    Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition)
from kafkac.serialization import (DoubleDeserializer, DoubleSerializer, IntegerDeserializer,
                                  IntegerSerializer, MessageField, SerializationContext,
                                  SerializationError, StringDeserializer, StringSerializer)


def test_constants():
    assert (OFFSET_BEGINNING, OFFSET_END, OFFSET_STORED, OFFSET_INVALID) == (-2, -1, -1000, -1001)
    assert (TIMESTAMP_NOT_AVAILABLE, TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME) == (0, 1, 2)


def test_error_codes_match_confluent_names():
    assert KafkaError._PARTITION_EOF == -191
    assert KafkaError._ALL_BROKERS_DOWN == -187
    assert KafkaError._TIMED_OUT == -185
    assert KafkaError._QUEUE_FULL == -184
    assert KafkaError.UNKNOWN_TOPIC_OR_PART == 3
    assert KafkaError.UNKNOWN_TOPIC_OR_PARTITION == 3
    assert KafkaError.NOT_LEADER_FOR_PARTITION == KafkaError.NOT_LEADER_OR_FOLLOWER == 6
    assert KafkaError.MSG_SIZE_TOO_LARGE == 10
    assert KafkaError.TOPIC_ALREADY_EXISTS == 36
    assert KafkaError.NO_ERROR == 0


def test_kafka_error_object():
    e = KafkaError(KafkaError._PARTITION_EOF)
    assert e.code() == -191
    assert e.name() == "_PARTITION_EOF"
    assert e.str() == "Broker: no more messages"
    assert not e.fatal() and not e.retriable()
    assert e == KafkaError._PARTITION_EOF and e == KafkaError(-191) and e != 3
    assert hash(e) == hash(KafkaError(-191))
    assert str(e) == 'KafkaError{code=_PARTITION_EOF,val=-191,str="Broker: no more messages"}'
    e2 = KafkaError(3, "custom reason", fatal=True, retriable=True)
    assert e2.name() == "UNKNOWN_TOPIC_OR_PART"
    assert e2.str() == "custom reason" and e2.fatal() and e2.retriable()
    assert str(e2).startswith("KafkaError{FATAL,code=UNKNOWN_TOPIC_OR_PART,val=3")


def test_kafka_exception():
    x = KafkaException(KafkaError(KafkaError._TIMED_OUT, "slow"))
    assert isinstance(x, Exception)
    assert x.args[0].code() == KafkaError._TIMED_OUT
    with pytest.raises(KafkaException) as ei:
        raise x
    assert ei.value.args[0].str() == "slow"


def test_topic_partition():
    tp = TopicPartition("t", 1, 5)
    assert (tp.topic, tp.partition, tp.offset, tp.leader_epoch, tp.metadata, tp.error) == \
        ("t", 1, 5, None, None, None)
    assert repr(tp) == "TopicPartition{topic=t,partition=1,offset=5,leader_epoch=None,error=None}"
    d = TopicPartition("t")
    assert (d.partition, d.offset) == (-1, OFFSET_INVALID)
    assert TopicPartition("t", 1) == TopicPartition("t", 1, 99)
    assert hash(TopicPartition("t", 1)) == hash(TopicPartition("t", 1, 99))
    assert sorted([TopicPartition("b", 0), TopicPartition("a", 2), TopicPartition("a", 1)]) == \
        [TopicPartition("a", 1), TopicPartition("a", 2), TopicPartition("b", 0)]
    tp.offset = OFFSET_BEGINNING
    tp.leader_epoch = 3
    tp.metadata = "m"
    assert (tp.offset, tp.leader_epoch, tp.metadata) == (-2, 3, "m")
    with pytest.raises(TypeError):
        TopicPartition(5)


def test_message_object():
    m = Message(topic="x", value=b"abc")
    assert (m.topic(), m.value(), m.key(), m.partition(), m.offset(), m.error()) == \
        ("x", b"abc", None, None, None, None)
    assert m.timestamp() == (0, 0) and m.headers() is None and len(m) == 3
    m.set_value("decoded")
    m.set_key(42)
    m.set_headers([("h", b"1")])
    assert (m.value(), m.key(), m.headers()) == ("decoded", 42, [("h", b"1")])
    m.set_error(KafkaError(KafkaError._FAIL))
    assert m.error().code() == KafkaError._FAIL
    assert Message[str, str] is not None  # generic alias for type hints


def test_bad_config_key_names_the_key():
    with pytest.raises(KafkaException) as ei:
        Producer({"bootstrap.servers": "127.0.0.1:1", "no.such.key": 1})
    err = ei.value.args[0]
    assert isinstance(err, KafkaError)
    assert err.code() == KafkaError._INVALID_ARG
    assert "no.such.key" in err.str()


def test_bad_config_value_names_the_key():
    with pytest.raises(KafkaException) as ei:
        Consumer({"bootstrap.servers": "127.0.0.1:1", "group.id": "g",
                  "session.timeout.ms": "soon"})
    assert "session.timeout.ms" in ei.value.args[0].str()
    with pytest.raises(KafkaException) as ei:
        Producer({"bootstrap.servers": "127.0.0.1:1", "acks": "most"})
    assert "acks" in ei.value.args[0].str()


def test_config_value_types_and_python_keys():
    import logging
    p = Producer({"bootstrap.servers": "127.0.0.1:1", "linger.ms": 5, "enable.idempotence": False,
                  "acks": 1, "error_cb": print, "stats_cb": print, "throttle_cb": print,
                  "logger": logging.getLogger("kafkac-test"), "on_delivery": print,
                  "statistics.interval.ms": 1000, "queue.buffering.max.ms": 2})
    assert len(p) == 0 and bool(p)
    p.close()
    with pytest.raises(RuntimeError):
        p.produce("t", b"x")
    with pytest.raises(TypeError):
        Producer({"bootstrap.servers": "127.0.0.1:1", "error_cb": "not callable"})


def test_consumer_ignores_producer_only_key():
    # As librdkafka: a warning naming the key is logged and the key is ignored.
    c = Consumer({"bootstrap.servers": "127.0.0.1:1", "group.id": "g", "linger.ms": 5})
    c.close()
    with pytest.raises(RuntimeError):
        c.poll(0)


def test_produce_argument_errors():
    p = Producer({"bootstrap.servers": "127.0.0.1:1"})
    with pytest.raises(TypeError):
        p.produce("t", value=123)
    with pytest.raises(TypeError):
        p.produce("t", value=b"x", headers=5)
    with pytest.raises(TypeError):
        p.produce("t", value=b"x", on_delivery="no")
    p.produce("t", value=bytearray(b"x"), key=memoryview(b"k"), headers=[("a", None), ("b", "s")])
    assert len(p) == 1
    p.purge()
    p.poll(0)
    assert p.flush(0) == 0
    p.close()


def test_serializers():
    ctx = SerializationContext("t", MessageField.VALUE)
    assert StringDeserializer()(StringSerializer()("héllo", ctx), ctx) == "héllo"
    assert IntegerDeserializer()(IntegerSerializer()(-5, ctx), ctx) == -5
    assert DoubleDeserializer()(DoubleSerializer()(2.5, ctx), ctx) == 2.5
    assert StringSerializer()(None, ctx) is None
    with pytest.raises(SerializationError):
        IntegerSerializer()(2 ** 40, ctx)
    with pytest.raises(SerializationError):
        IntegerDeserializer()(b"\x00", ctx)
    assert isinstance(SerializationError("x"), KafkaException)
    assert str(MessageField.KEY) == "key"


def test_legacy_avro_module():
    from kafkac.avro.serializer import SerializerError
    e = SerializerError("boom")
    assert str(e) == "boom" and e.message == "boom"


def test_versions():
    s, n = kafkac.libversion()
    assert isinstance(s, str) and isinstance(n, int)
    assert kafkac.version()[0] == kafkac.__version__
