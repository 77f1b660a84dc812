"""Fixtures for the kafkac Python tests.

Tests marked with the `broker` fixture need a Kafka broker: set
KAFKAC_BOOTSTRAP=host:port (tests/broker/kafka-local up prints it); without it
they are skipped with that reason."""
import os
import uuid

import pytest

import kafkac
from kafkac.admin import AdminClient, NewTopic


@pytest.fixture(scope="session")
def bootstrap():
    b = os.environ.get("KAFKAC_BOOTSTRAP")
    if not b:
        pytest.skip("KAFKAC_BOOTSTRAP is not set (start a broker: "
                    "tests/broker/kafka-local up, and export its bootstrap address)")
    return b


@pytest.fixture(scope="session")
def admin(bootstrap):
    a = AdminClient({"bootstrap.servers": bootstrap})
    yield a
    a.close()


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


@pytest.fixture
def make_topic(admin):
    """make_topic(partitions=1) -> a new topic's name (deleted afterwards)."""
    created = []

    def make(partitions=1, **config):
        name = unique("pytest")
        # Tests write explicit timestamps from years ago: with the broker's
        # default 7-day retention, its periodic retention check may delete
        # those records (and roll the active segment) mid-test.
        config.setdefault("retention.ms", "-1")
        fs = admin.create_topics([NewTopic(name, partitions, 1, config=config)],
                                 request_timeout=30)
        fs[name].result(60)
        created.append(name)
        # Wait until the topic's metadata shows every partition with a leader.
        for _ in range(100):
            md = admin.list_topics(name, timeout=10)
            t = md.topics.get(name)
            if t and t.error is None and len(t.partitions) == partitions and \
                    all(p.leader >= 0 for p in t.partitions.values()):
                break
        return name

    yield make
    if created:
        for f in admin.delete_topics(created, request_timeout=30).values():
            try:
                f.result(60)
            except kafkac.KafkaException:
                pass


def produce_n(bootstrap, topic, n, partition=-1, key_fmt="k%d", value_fmt="v%d", headers=None):
    p = kafkac.Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    errors = []
    for i in range(n):
        p.produce(topic, value=(value_fmt % i).encode(), key=(key_fmt % i).encode(),
                  partition=partition, headers=headers,
                  on_delivery=lambda err, msg: err and errors.append(err))
    assert p.flush(30) == 0
    assert not errors, errors
    return p
