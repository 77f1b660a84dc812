"""Cluster metadata classes returned by list_topics() (as confluent_kafka's)."""
from typing import Any, Dict, List, Optional


class ClusterMetadata(object):
    """Brokers and topics of the cluster. Returned by list_topics()."""

    def __init__(self) -> None:
        self.cluster_id: Optional[str] = None
        self.controller_id = -1
        self.brokers: Dict[int, "BrokerMetadata"] = {}
        self.topics: Dict[str, "TopicMetadata"] = {}
        self.orig_broker_id = -1
        self.orig_broker_name: Optional[str] = None

    def __repr__(self) -> str:
        return "ClusterMetadata({})".format(self.cluster_id)

    def __str__(self) -> str:
        return str(self.cluster_id)


class BrokerMetadata(object):
    def __init__(self) -> None:
        self.id = -1
        self.host: Optional[str] = None
        self.port = -1
        self.rack: Optional[str] = None

    def __repr__(self) -> str:
        return "BrokerMetadata({}, {}:{})".format(self.id, self.host, self.port)

    def __str__(self) -> str:
        return "{}:{}/{}".format(self.host, self.port, self.id)


class TopicMetadata(object):
    def __init__(self) -> None:
        self.topic: Optional[str] = None
        self.partitions: Dict[int, "PartitionMetadata"] = {}
        self.error: Any = None
        self.is_internal = False

    def __repr__(self) -> str:
        if self.error is not None:
            return "TopicMetadata({}, {} partitions, {})".format(
                self.topic, len(self.partitions), self.error)
        return "TopicMetadata({}, {} partitions)".format(self.topic, len(self.partitions))

    def __str__(self) -> str:
        return str(self.topic)


class PartitionMetadata(object):
    def __init__(self) -> None:
        self.id = -1
        self.leader = -1
        self.replicas: List[int] = []
        self.isrs: List[int] = []
        self.error: Any = None

    def __repr__(self) -> str:
        if self.error is not None:
            return "PartitionMetadata({}, {})".format(self.id, self.error)
        return "PartitionMetadata({})".format(self.id)

    def __str__(self) -> str:
        return "{}".format(self.id)


class GroupMember(object):
    def __init__(self) -> None:
        self.id: Optional[str] = None
        self.client_id: Optional[str] = None
        self.client_host: Optional[str] = None
        self.metadata: Optional[bytes] = None
        self.assignment: Optional[bytes] = None


class GroupMetadata(object):
    def __init__(self) -> None:
        self.broker: Optional[BrokerMetadata] = None
        self.id: Optional[str] = None
        self.error: Any = None
        self.state: Optional[str] = None
        self.protocol_type: Optional[str] = None
        self.protocol: Optional[str] = None
        self.members: List[GroupMember] = []

    def __repr__(self) -> str:
        if self.error is not None:
            return "GroupMetadata({}, {})".format(self.id, self.error)
        return "GroupMetadata({})".format(self.id)

    def __str__(self) -> str:
        return str(self.id)


def _build_cluster_metadata(cluster_id, controller_id, brokers, topics, orig_broker):
    """Called by the C extension with plain tuples."""
    md = ClusterMetadata()
    md.cluster_id = cluster_id
    md.controller_id = controller_id
    for bid, host, port, rack in brokers:
        b = BrokerMetadata()
        b.id, b.host, b.port, b.rack = bid, host, port, rack
        md.brokers[bid] = b
        if orig_broker == "{}:{}".format(host, port):
            md.orig_broker_id = bid
    md.orig_broker_name = (
        "{}/{}".format(orig_broker, md.orig_broker_id) if orig_broker else None)
    for name, parts, err, internal in topics:
        t = TopicMetadata()
        t.topic, t.error, t.is_internal = name, err, bool(internal)
        for pid, leader, replicas, isrs, perr in parts:
            p = PartitionMetadata()
            p.id, p.leader, p.replicas, p.isrs, p.error = pid, leader, replicas, isrs, perr
            t.partitions[pid] = p
        md.topics[name] = t
    return md
