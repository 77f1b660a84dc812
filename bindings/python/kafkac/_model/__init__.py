"""Shared model classes (as confluent_kafka._model)."""
from enum import Enum
from typing import Any, List, Optional

from .. import _kafkac as cimpl


class Node:
    """A broker: id, host, port, rack."""

    def __init__(self, id: int, host: Optional[str], port: int, rack: Optional[str] = None) -> None:
        self.id = id
        self.id_string = str(id)
        self.host = host
        self.port = port
        self.rack = rack

    def __str__(self) -> str:
        return f"({self.id}) {self.host}:{self.port} {f'(Rack - {self.rack})' if self.rack else ''}"


class ConsumerGroupTopicPartitions:
    """A group and its topic partitions (group offsets requests and results)."""

    def __init__(self, group_id: str, topic_partitions: Optional[List[Any]] = None) -> None:
        self.group_id = group_id
        self.topic_partitions = topic_partitions


class ConsumerGroupState(Enum):
    UNKNOWN = cimpl.CONSUMER_GROUP_STATE_UNKNOWN
    UNKOWN = UNKNOWN
    PREPARING_REBALANCING = cimpl.CONSUMER_GROUP_STATE_PREPARING_REBALANCE
    COMPLETING_REBALANCING = cimpl.CONSUMER_GROUP_STATE_COMPLETING_REBALANCE
    STABLE = cimpl.CONSUMER_GROUP_STATE_STABLE
    DEAD = cimpl.CONSUMER_GROUP_STATE_DEAD
    EMPTY = cimpl.CONSUMER_GROUP_STATE_EMPTY

    def __lt__(self, other: object) -> Any:
        if self.__class__ != other.__class__:
            return NotImplemented
        return self.value < other.value  # type: ignore[attr-defined]


class ConsumerGroupType(Enum):
    UNKNOWN = cimpl.CONSUMER_GROUP_TYPE_UNKNOWN
    CONSUMER = cimpl.CONSUMER_GROUP_TYPE_CONSUMER
    CLASSIC = cimpl.CONSUMER_GROUP_TYPE_CLASSIC

    def __lt__(self, other: object) -> Any:
        if self.__class__ != other.__class__:
            return NotImplemented
        return self.value < other.value  # type: ignore[attr-defined]


class TopicCollection:
    """A list of topic names (describe_topics)."""

    def __init__(self, topic_names: List[str]) -> None:
        self.topic_names = topic_names


class TopicPartitionInfo:
    """A partition of a TopicDescription."""

    def __init__(self, id: int, leader: Optional[Node], replicas: List[Node],
                 isr: List[Node]) -> None:
        self.id = id
        self.leader = leader
        self.replicas = replicas
        self.isr = isr


class IsolationLevel(Enum):
    READ_UNCOMMITTED = cimpl.ISOLATION_LEVEL_READ_UNCOMMITTED
    READ_COMMITTED = cimpl.ISOLATION_LEVEL_READ_COMMITTED

    def __lt__(self, other: object) -> Any:
        if self.__class__ != other.__class__:
            return NotImplemented
        return self.value < other.value  # type: ignore[attr-defined]
