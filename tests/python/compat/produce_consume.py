"""A confluent_kafka program: produce with delivery reports, consume in a group
until every partition's end, commit, check committed offsets and watermarks.
Usage: produce_consume.py BOOTSTRAP"""
import sys
import time
import uuid

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

bootstrap = sys.argv[1]
topic = "compat-pc-" + uuid.uuid4().hex[:8]
admin = AdminClient({"bootstrap.servers": bootstrap})
admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)],
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


wait_for_topic(topic, 3)

delivered = []
failed = []


def delivery_report(err, msg):
    if err is not None:
        failed.append(err)
    else:
        delivered.append((msg.topic(), msg.partition(), msg.offset()))


p = Producer({"bootstrap.servers": bootstrap, "client.id": "compat", "linger.ms": 10,
              "acks": "all"})
for i in range(1000):
    while True:
        try:
            p.produce(topic, key="key-%d" % (i % 10), value="value-%d" % i,
                      headers=[("seq", str(i).encode())], on_delivery=delivery_report)
            break
        except BufferError:
            p.poll(0.1)
    p.poll(0)
remaining = p.flush(30)
print("produced", len(delivered), "failed", len(failed), "remaining", remaining)
print("offsets unique", len(set(delivered)) == 1000)

c = Consumer({"bootstrap.servers": bootstrap, "group.id": "compat-" + topic,
              "auto.offset.reset": "earliest", "enable.partition.eof": True,
              "enable.auto.commit": False})
assigned = []


def on_assign(consumer, partitions):
    assigned.extend(tp.partition for tp in partitions)


c.subscribe([topic], on_assign=on_assign)
eof = set()
values = []
keys_by_partition = {}
while len(eof) < 3:
    msg = c.poll(1.0)
    if msg is None:
        continue
    if msg.error():
        if msg.error().code() == KafkaError._PARTITION_EOF:
            eof.add(msg.partition())
            continue
        raise KafkaException(msg.error())
    eof.discard(msg.partition())
    values.append(msg.value().decode())
    keys_by_partition.setdefault(msg.partition(), set()).add(msg.key().decode())
    seq = dict(msg.headers())["seq"]
    assert int(seq) == int(msg.value().decode().split("-")[1]), (seq, msg.value())
print("consumed", len(values), "unique", len(set(values)))
print("assigned partitions", sorted(assigned))
print("each key in one partition", sum(len(k) for k in keys_by_partition.values()) == 10)
committed = c.commit(asynchronous=False)
print("commit returned", sorted((tp.partition, tp.error) for tp in committed) ==
      [(0, None), (1, None), (2, None)])
tps = c.committed([TopicPartition(topic, i) for i in range(3)], timeout=10)
print("committed sum", sum(tp.offset for tp in tps))
lo, hi = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
print("watermarks ok", lo == 0 and hi == [tp.offset for tp in tps if tp.partition == 0][0])
c.close()
admin.delete_topics([topic], operation_timeout=30)[topic].result()
print("done")
