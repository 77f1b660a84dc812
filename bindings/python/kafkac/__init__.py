"""kafkac: Python binding of the kafkac C Kafka client.

The API follows confluent_kafka's, so that programs written for it run with
only the import changed::

    from kafkac import Producer, Consumer, KafkaError, KafkaException
"""
from ._kafkac import (  # noqa: F401
    OFFSET_BEGINNING,
    OFFSET_END,
    OFFSET_INVALID,
    OFFSET_STORED,
    TIMESTAMP_CREATE_TIME,
    TIMESTAMP_LOG_APPEND_TIME,
    TIMESTAMP_NOT_AVAILABLE,
    ConcurrentModificationException,
    Consumer,
    IllegalStateException,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
    libversion,
    version,
)
from ._model import (  # noqa: F401
    ConsumerGroupState,
    ConsumerGroupTopicPartitions,
    ConsumerGroupType,
    IsolationLevel,
    Node,
    TopicCollection,
    TopicPartitionInfo,
)
from .deserializing_consumer import DeserializingConsumer  # noqa: F401
from .serializing_producer import SerializingProducer  # noqa: F401

__all__ = [
    "admin",
    "Consumer",
    "KafkaError",
    "KafkaException",
    "IllegalStateException",
    "ConcurrentModificationException",
    "libversion",
    "version",
    "Message",
    "OFFSET_BEGINNING",
    "OFFSET_END",
    "OFFSET_INVALID",
    "OFFSET_STORED",
    "Producer",
    "DeserializingConsumer",
    "SerializingProducer",
    "TIMESTAMP_CREATE_TIME",
    "TIMESTAMP_LOG_APPEND_TIME",
    "TIMESTAMP_NOT_AVAILABLE",
    "TopicPartition",
    "Node",
    "ConsumerGroupTopicPartitions",
    "ConsumerGroupState",
    "ConsumerGroupType",
    "IsolationLevel",
    "TopicCollection",
    "TopicPartitionInfo",
    "ThrottleEvent",
]

__version__ = version()[0]


class ThrottleEvent(object):
    """Details of a throttled request (throttle_cb is accepted but kafkac does
    not report throttling yet)."""

    def __init__(self, broker_name: str, broker_id: int, throttle_time: float) -> None:
        self.broker_name = broker_name
        self.broker_id = broker_id
        self.throttle_time = throttle_time

    def __str__(self) -> str:
        return "{}/{} throttled for {} ms".format(
            self.broker_name, self.broker_id, int(self.throttle_time * 1000))
