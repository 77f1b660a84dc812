"""DeserializingConsumer: a Consumer that deserializes keys and values."""
from typing import Any, Dict, List, Optional

from ._kafkac import Consumer as _ConsumerImpl
from ._kafkac import Message
from .error import ConsumeError, KeyDeserializationError, ValueDeserializationError
from .serialization import MessageField, SerializationContext


class DeserializingConsumer(_ConsumerImpl):
    """A Consumer with pluggable deserializers: configuration keys
    ``key.deserializer`` and ``value.deserializer`` (callables taking
    (bytes, SerializationContext)). poll() raises ConsumeError for events
    (msg.error()) instead of returning them."""

    def __init__(self, conf: Dict[str, Any]) -> None:
        conf_copy = dict(conf)
        self._key_deserializer = conf_copy.pop("key.deserializer", None)
        self._value_deserializer = conf_copy.pop("value.deserializer", None)
        super(DeserializingConsumer, self).__init__(conf_copy)

    def poll(self, timeout: Optional[float] = -1) -> Optional[Message]:
        msg = super(DeserializingConsumer, self).poll(timeout)
        if msg is None:
            return None
        error = msg.error()
        if error is not None:
            raise ConsumeError(error, kafka_message=msg)
        ctx = SerializationContext(msg.topic() or "", MessageField.VALUE, msg.headers())  # type: ignore[arg-type]
        value = msg.value()
        if self._value_deserializer is not None:
            try:
                value = self._value_deserializer(value, ctx)
            except Exception as se:
                raise ValueDeserializationError(exception=se, kafka_message=msg)
        key = msg.key()
        ctx.field = MessageField.KEY
        if self._key_deserializer is not None:
            try:
                key = self._key_deserializer(key, ctx)
            except Exception as se:
                raise KeyDeserializationError(exception=se, kafka_message=msg)
        msg.set_key(key)
        msg.set_value(value)
        return msg

    def consume(self, num_messages: int = 1, timeout: Optional[float] = -1) -> List[Message]:
        """Not implemented (as in confluent_kafka): use poll()."""
        raise NotImplementedError
