"""SerializingProducer: a Producer that serializes keys and values."""
from typing import Any, Callable, Dict, Optional

from ._kafkac import Producer as _ProducerImpl
from .error import KeySerializationError, ValueSerializationError
from .serialization import MessageField, SerializationContext


class SerializingProducer(_ProducerImpl):
    """A Producer with pluggable serializers: configuration keys
    ``key.serializer`` and ``value.serializer`` (callables taking
    (obj, SerializationContext) and returning bytes or None)."""

    def __init__(self, conf: Dict[str, Any]) -> None:
        conf_copy = dict(conf)
        self._key_serializer = conf_copy.pop("key.serializer", None)
        self._value_serializer = conf_copy.pop("value.serializer", None)
        super(SerializingProducer, self).__init__(conf_copy)

    def produce(self, topic: str, key: Any = None, value: Any = None,  # type: ignore[override]
                partition: int = -1,
                on_delivery: Optional[Callable[..., Any]] = None, timestamp: int = 0,
                headers: Any = None) -> None:
        """Serializes key and value, then produces like Producer.produce().

        Raises KeySerializationError / ValueSerializationError when a
        serializer fails, BufferError when the queue is full."""
        ctx = SerializationContext(topic, MessageField.KEY, headers)
        if self._key_serializer is not None:
            try:
                key = self._key_serializer(key, ctx)
            except Exception as se:
                raise KeySerializationError(se)
        ctx.field = MessageField.VALUE
        if self._value_serializer is not None:
            try:
                value = self._value_serializer(value, ctx)
            except Exception as se:
                raise ValueSerializationError(se)
        super(SerializingProducer, self).produce(
            topic, value, key, headers=headers, partition=partition, timestamp=timestamp,
            on_delivery=on_delivery)
