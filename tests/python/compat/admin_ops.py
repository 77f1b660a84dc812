"""A confluent_kafka admin program: create topics (with config), create again
(error), describe and alter configs, add partitions, delete.
Usage: admin_ops.py BOOTSTRAP"""
import sys
import time
import uuid

from confluent_kafka import KafkaException
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource,
                                   NewPartitions, NewTopic, ResourceType)

bootstrap = sys.argv[1]
suffix = uuid.uuid4().hex[:8]
t1, t2 = "compat-adm-a-" + suffix, "compat-adm-b-" + suffix
label = {t1: "a", t2: "b"}
a = AdminClient({"bootstrap.servers": bootstrap})

fs = a.create_topics([NewTopic(t1, num_partitions=2, replication_factor=1,
                               config={"retention.ms": "86400000"}),
                      NewTopic(t2, num_partitions=1, replication_factor=1)],
                     operation_timeout=30)
for t, f in sorted(fs.items()):
    f.result()
    print("created", label[t])

try:
    a.create_topics([NewTopic(t1, 1, 1)], operation_timeout=30)[t1].result()
    print("created twice?!")
except KafkaException as e:
    print("create again:", e.args[0].name())


def wait_partitions(topic, n):
    for _ in range(100):
        md = a.list_topics(timeout=10)
        if topic in md.topics and len(md.topics[topic].partitions) == n:
            return md
        time.sleep(0.1)
    raise SystemExit("metadata never showed %d partitions for %s" % (n, topic))


md = wait_partitions(t1, 2)
print("a partitions", sorted(md.topics[t1].partitions))
print("brokers known", len(md.brokers) >= 1)

res = ConfigResource(ResourceType.TOPIC, t1)
cfg = a.describe_configs([res])[res].result()
print("a retention.ms", cfg["retention.ms"].value, cfg["retention.ms"].source)
print("a cleanup.policy", cfg["cleanup.policy"].value, cfg["cleanup.policy"].is_default)

alter = ConfigResource(ResourceType.TOPIC, t1)
alter.add_incremental_config(ConfigEntry("retention.ms", "3600000",
                                         incremental_operation=AlterConfigOpType.SET))
alter.add_incremental_config(ConfigEntry("cleanup.policy", "compact",
                                         incremental_operation=AlterConfigOpType.SET))
a.incremental_alter_configs([alter])[alter].result()
# The broker applies the change from the metadata log: it may answer with the
# old values for a few milliseconds.
for _ in range(100):
    cfg = a.describe_configs([res])[res].result()
    if cfg["retention.ms"].value == "3600000" and cfg["cleanup.policy"].value == "compact":
        break
    time.sleep(0.1)
print("a after alter", cfg["retention.ms"].value, cfg["cleanup.policy"].value)

a.create_partitions([NewPartitions(t2, 3)])[t2].result()
md = wait_partitions(t2, 3)
print("b partitions", sorted(md.topics[t2].partitions))

for t, f in sorted(a.delete_topics([t1, t2], operation_timeout=30).items()):
    f.result()
    print("deleted", label[t])
try:
    a.delete_topics([t1], operation_timeout=30)[t1].result()
except KafkaException as e:
    print("delete again:", e.args[0].name())
