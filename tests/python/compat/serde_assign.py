"""A confluent_kafka program: SerializingProducer / DeserializingConsumer with
the built-in serializers, manual assignment, seek, position, pause/resume,
consume() batches and offsets_for_times.
Usage: serde_assign.py BOOTSTRAP"""
import sys
import time
import uuid

from confluent_kafka import (OFFSET_BEGINNING, Consumer, DeserializingConsumer,
                             SerializingProducer, TopicPartition)
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka.serialization import (IntegerDeserializer, IntegerSerializer,
                                           StringDeserializer, StringSerializer)

bootstrap = sys.argv[1]
topic = "compat-serde-" + uuid.uuid4().hex[:8]
admin = AdminClient({"bootstrap.servers": bootstrap})
# The records carry 2020 timestamps: without retention.ms=-1 the broker's
# periodic retention check may delete them while the program runs.
admin.create_topics([NewTopic(topic, 1, 1, config={"retention.ms": "-1"})],
                    operation_timeout=30)[topic].result()


def wait_for_topic(name, partitions):
    """A new topic reaches the brokers' metadata a moment after CreateTopics."""
    for _ in range(100):
        t = admin.list_topics(name, timeout=10).topics.get(name)
        if t is not None and t.error is None and len(t.partitions) == partitions and \
                all(p.leader >= 0 for p in t.partitions.values()):
            return
        time.sleep(0.1)
    raise SystemExit("topic " + name + " never became available")


wait_for_topic(topic, 1)

base_ts = 1600000000000
sp = SerializingProducer({"bootstrap.servers": bootstrap,
                          "key.serializer": StringSerializer("utf_8"),
                          "value.serializer": IntegerSerializer()})
for i in range(20):
    sp.produce(topic, key="k%02d" % i, value=i * i, partition=0, timestamp=base_ts + i * 1000)
print("flush", sp.flush(30))

dc = DeserializingConsumer({"bootstrap.servers": bootstrap, "group.id": "g-" + topic,
                            "enable.auto.commit": False,
                            "key.deserializer": StringDeserializer("utf_8"),
                            "value.deserializer": IntegerDeserializer()})
tp = TopicPartition(topic, 0, OFFSET_BEGINNING)
dc.assign([tp])


def read(consumer, n):
    out = []
    while len(out) < n:
        msg = consumer.poll(10)
        if msg is None:
            raise SystemExit("timed out")
        out.append((msg.key(), msg.value(), msg.offset(), msg.timestamp()[1] - base_ts))
    return out


print("first", read(dc, 3))
print("position", [p.offset for p in dc.position([TopicPartition(topic, 0)])])
dc.seek(TopicPartition(topic, 0, 15))
print("after seek", read(dc, 2))
dc.pause([TopicPartition(topic, 0)])
print("paused poll", dc.poll(1.0))
dc.resume([TopicPartition(topic, 0)])
print("resumed", read(dc, 1))
dc.close()

c = Consumer({"bootstrap.servers": bootstrap, "group.id": "g2-" + topic})
c.assign([TopicPartition(topic, 0, 0)])
msgs = []
while len(msgs) < 20:
    msgs.extend(m for m in c.consume(num_messages=100, timeout=1.0) if m.error() is None)
ints = IntegerDeserializer()
print("batch", len(msgs), sum(ints(m.value(), None) for m in msgs))
found = c.offsets_for_times([TopicPartition(topic, 0, base_ts + 5500)], timeout=10)
print("offsets_for_times", [(f.partition, f.offset) for f in found])
c.close()
admin.delete_topics([topic], operation_timeout=30)[topic].result()
print("done")
