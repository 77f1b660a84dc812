"""Client errors of the serializing clients (as confluent_kafka.error)."""
from typing import Optional

from ._kafkac import KafkaError, KafkaException, Message
from .serialization import SerializationError


class _KafkaClientError(KafkaException):
    """Wraps all errors encountered by a Kafka client."""

    def __init__(self, kafka_error: KafkaError, exception: Optional[Exception] = None,
                 kafka_message: Optional[Message] = None) -> None:
        super(_KafkaClientError, self).__init__(kafka_error)
        self.exception = exception
        self.kafka_message = kafka_message

    @property
    def code(self) -> int:
        return self.args[0].code()

    @property
    def name(self) -> str:
        return self.args[0].name()


class ConsumeError(_KafkaClientError):
    """An error while consuming (kafka_message holds the message, if any)."""


class KeyDeserializationError(ConsumeError, SerializationError):
    def __init__(self, exception: Optional[Exception] = None,
                 kafka_message: Optional[Message] = None) -> None:
        super(KeyDeserializationError, self).__init__(
            KafkaError(KafkaError._KEY_DESERIALIZATION, str(exception)),
            exception=exception, kafka_message=kafka_message)


class ValueDeserializationError(ConsumeError, SerializationError):
    def __init__(self, exception: Optional[Exception] = None,
                 kafka_message: Optional[Message] = None) -> None:
        super(ValueDeserializationError, self).__init__(
            KafkaError(KafkaError._VALUE_DESERIALIZATION, str(exception)),
            exception=exception, kafka_message=kafka_message)


class ProduceError(_KafkaClientError):
    def __init__(self, kafka_error: KafkaError, exception: Optional[Exception] = None) -> None:
        super(ProduceError, self).__init__(kafka_error, exception, None)


class KeySerializationError(ProduceError, SerializationError):
    def __init__(self, exception: Optional[Exception] = None) -> None:
        super(KeySerializationError, self).__init__(
            KafkaError(KafkaError._KEY_SERIALIZATION, str(exception)), exception=exception)


class ValueSerializationError(ProduceError, SerializationError):
    def __init__(self, exception: Optional[Exception] = None) -> None:
        super(ValueSerializationError, self).__init__(
            KafkaError(KafkaError._VALUE_SERIALIZATION, str(exception)), exception=exception)
