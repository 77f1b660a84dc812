"""AdminClient against a real broker."""
import concurrent.futures
import time

import pytest

from kafkac import (OFFSET_BEGINNING, Consumer, ConsumerGroupTopicPartitions, KafkaError,
                    KafkaException, TopicCollection, TopicPartition)
from kafkac.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource,
                          ConfigSource, ConsumerGroupState, NewPartitions, NewTopic, OffsetSpec,
                          ResourceType)

from conftest import produce_n, unique


def test_create_describe_delete_topics(bootstrap, admin):
    names = [unique("adm"), unique("adm")]
    fs = admin.create_topics([NewTopic(names[0], 3, 1, config={"cleanup.policy": "compact"}),
                              NewTopic(names[1], 1, 1)], request_timeout=30)
    assert set(fs) == set(names)
    assert all(isinstance(f, concurrent.futures.Future) for f in fs.values())
    for f in fs.values():
        assert f.result(60) is None
    # creating it again fails on that topic's future
    again = admin.create_topics([NewTopic(names[1], 1, 1)])
    with pytest.raises(KafkaException) as ei:
        again[names[1]].result(60)
    assert ei.value.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS
    # describe: metadata and configs (the broker's metadata cache may lag the
    # controller by a few milliseconds after CreateTopics returns)
    deadline = time.time() + 10
    md = admin.list_topics(timeout=10)
    while not set(names) <= set(md.topics) and time.time() < deadline:
        time.sleep(0.1)
        md = admin.list_topics(timeout=10)
    assert set(names) <= set(md.topics)
    assert len(md.topics[names[0]].partitions) == 3
    desc = admin.describe_topics(TopicCollection(names))
    d0 = desc[names[0]].result(30)
    assert d0.name == names[0] and len(d0.partitions) == 3 and d0.partitions[0].leader is not None
    res = ConfigResource(ResourceType.TOPIC, names[0])
    cfg = admin.describe_configs([res])[res].result(30)
    assert cfg["cleanup.policy"].value == "compact"
    assert cfg["cleanup.policy"].source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value  # an int, as confluent
    assert cfg["retention.ms"].is_default
    # alter a config incrementally
    res2 = ConfigResource("topic", names[0])
    res2.add_incremental_config(ConfigEntry("retention.ms", "3600000",
                                            incremental_operation=AlterConfigOpType.SET))
    assert admin.incremental_alter_configs([res2])[res2].result(30) is None
    deadline = time.time() + 10  # applied by the broker from the metadata log
    cfg = admin.describe_configs([res])[res].result(30)
    while cfg["retention.ms"].value != "3600000" and time.time() < deadline:
        time.sleep(0.1)
        cfg = admin.describe_configs([res])[res].result(30)
    assert cfg["retention.ms"].value == "3600000"
    # more partitions
    fs = admin.create_partitions([NewPartitions(names[1], 4)])
    assert fs[names[1]].result(30) is None
    deadline = time.time() + 30
    while len(admin.list_topics(names[1], timeout=10).topics[names[1]].partitions) != 4:
        assert time.time() < deadline
        time.sleep(0.2)
    # delete
    fs = admin.delete_topics(names, request_timeout=30)
    for f in fs.values():
        assert f.result(60) is None
    gone = admin.delete_topics([names[0]])
    with pytest.raises(KafkaException) as ei:
        gone[names[0]].result(60)
    assert ei.value.args[0].code() == KafkaError.UNKNOWN_TOPIC_OR_PART


def test_describe_broker_configs(bootstrap, admin):
    md = admin.list_topics(timeout=10)
    bid = str(next(iter(md.brokers)))
    res = ConfigResource(ResourceType.BROKER, bid)
    cfg = admin.describe_configs([res])[res].result(30)
    assert "num.partitions" in cfg


def test_argument_errors(admin):
    with pytest.raises(TypeError):
        admin.create_topics(["not-a-NewTopic"])
    with pytest.raises(ValueError):
        admin.create_topics([])
    with pytest.raises(ValueError):
        admin.describe_consumer_groups([])
    with pytest.raises(TypeError):
        admin.list_consumer_groups(states=[ConsumerGroupState.STABLE])


def test_consumer_groups(bootstrap, admin, make_topic):
    topic = make_topic(2)
    produce_n(bootstrap, topic, 10)
    group = unique("grp")
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group,
                  "auto.offset.reset": "earliest", "client.id": "pytest-client"})
    c.subscribe([topic])
    n = 0
    deadline = time.time() + 60
    while n < 10 and time.time() < deadline:
        m = c.poll(1)
        if m is not None and not m.error():
            n += 1
    c.commit(asynchronous=False)
    listed = admin.list_consumer_groups(request_timeout=30).result(30)
    assert group in [g.group_id for g in listed.valid]
    stable = admin.list_consumer_groups(states={ConsumerGroupState.STABLE}).result(30)
    assert group in [g.group_id for g in stable.valid]
    desc = admin.describe_consumer_groups([group])[group].result(30)
    assert desc.group_id == group and desc.state == ConsumerGroupState.STABLE
    assert desc.partition_assignor == "range"
    assert len(desc.members) == 1 and desc.members[0].client_id == "pytest-client"
    assert sorted(tp.partition for tp in desc.members[0].assignment.topic_partitions) == [0, 1]
    legacy = admin.list_groups(group)
    assert legacy[0].id == group and legacy[0].state == "Stable" and len(legacy[0].members) == 1
    offs = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)])[group]
    got = offs.result(30)
    assert sum(tp.offset for tp in got.topic_partitions) == 10
    c.close()
    # With no members the group's offsets can be altered, then it can be deleted.
    alt = admin.alter_consumer_group_offsets(
        [ConsumerGroupTopicPartitions(group, [TopicPartition(topic, 0, 0)])])[group].result(30)
    assert alt.topic_partitions[0].error is None
    assert admin.delete_consumer_groups([group])[group].result(30) is None


def test_list_offsets_and_delete_records(bootstrap, admin, make_topic):
    topic = make_topic()
    produce_n(bootstrap, topic, 10)
    tp = TopicPartition(topic, 0)
    fs = admin.list_offsets({tp: OffsetSpec.latest()})
    assert fs[tp].result(30).offset == 10
    fs = admin.delete_records([TopicPartition(topic, 0, 4)])
    assert fs[tp].result(30).low_watermark == 4
    fs = admin.list_offsets({tp: OffsetSpec.earliest()})
    assert fs[tp].result(30).offset == 4
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("g")})
    c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    assert c.poll(10).offset() == 4
    c.close()


def test_describe_cluster(admin):
    r = admin.describe_cluster().result(30)
    assert r.cluster_id and r.nodes and r.controller is not None


def test_whole_call_failure_fails_every_future():
    a = AdminClient({"bootstrap.servers": "127.0.0.1:1", "log_level": 0})
    fs = a.create_topics([NewTopic(unique("x"), 1, 1)], request_timeout=1)
    with pytest.raises(KafkaException):
        list(fs.values())[0].result(30)
    a.close()
