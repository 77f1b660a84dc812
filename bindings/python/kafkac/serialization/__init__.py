"""Serializers and deserializers (as confluent_kafka.serialization)."""
import struct as _struct
from enum import Enum
from typing import Any, List, Optional, Tuple, Union

from .._kafkac import KafkaException

__all__ = [
    "Deserializer",
    "IntegerDeserializer",
    "IntegerSerializer",
    "DoubleDeserializer",
    "DoubleSerializer",
    "StringDeserializer",
    "StringSerializer",
    "MessageField",
    "SerializationContext",
    "SerializationError",
    "Serializer",
]

HeadersType = Union[List[Tuple[str, Union[str, bytes, None]]], dict]


class MessageField(str, Enum):
    """Which part of a message a (de)serializer works on."""

    NONE = "none"
    KEY = "key"
    VALUE = "value"

    def __str__(self) -> str:
        return str(self.value)


class SerializationContext(object):
    """Context handed to (de)serializers: topic, field and headers."""

    def __init__(self, topic: str, field: MessageField,
                 headers: Optional[HeadersType] = None) -> None:
        self.topic = topic
        self.field = field
        self.headers = headers


class SerializationError(KafkaException):
    """Generic error from the serialization package."""


class Serializer(object):
    """Base class of serializers: converts an object to bytes."""

    __slots__: List[str] = []

    def __call__(self, obj: Any, ctx: Optional[SerializationContext] = None) -> Optional[bytes]:
        raise NotImplementedError


class Deserializer(object):
    """Base class of deserializers: converts bytes to an object."""

    __slots__: List[str] = []

    def __call__(self, value: Optional[bytes], ctx: Optional[SerializationContext] = None) -> Any:
        raise NotImplementedError


class DoubleSerializer(Serializer):
    """float -> IEEE 754 binary64, big-endian."""

    def __call__(self, obj: Optional[float],
                 ctx: Optional[SerializationContext] = None) -> Optional[bytes]:
        if obj is None:
            return None
        try:
            return _struct.pack(">d", obj)
        except _struct.error as e:
            raise SerializationError(str(e))


class DoubleDeserializer(Deserializer):
    """IEEE 754 binary64, big-endian -> float."""

    def __call__(self, value: Optional[bytes],
                 ctx: Optional[SerializationContext] = None) -> Optional[float]:
        if value is None:
            return None
        try:
            return _struct.unpack(">d", value)[0]
        except _struct.error as e:
            raise SerializationError(str(e))


class IntegerSerializer(Serializer):
    """int -> int32, big-endian."""

    def __call__(self, obj: Optional[int],
                 ctx: Optional[SerializationContext] = None) -> Optional[bytes]:
        if obj is None:
            return None
        try:
            return _struct.pack(">i", obj)
        except _struct.error as e:
            raise SerializationError(str(e))


class IntegerDeserializer(Deserializer):
    """int32, big-endian -> int."""

    def __call__(self, value: Optional[bytes],
                 ctx: Optional[SerializationContext] = None) -> Optional[int]:
        if value is None:
            return None
        try:
            return _struct.unpack(">i", value)[0]
        except _struct.error as e:
            raise SerializationError(str(e))


class StringSerializer(Serializer):
    """str -> bytes in the given codec (default utf_8)."""

    def __init__(self, codec: str = "utf_8") -> None:
        self.codec = codec

    def __call__(self, obj: Optional[str],
                 ctx: Optional[SerializationContext] = None) -> Optional[bytes]:
        if obj is None:
            return None
        try:
            return obj.encode(self.codec)
        except Exception as e:
            raise SerializationError(str(e))


class StringDeserializer(Deserializer):
    """bytes in the given codec (default utf_8) -> str."""

    def __init__(self, codec: str = "utf_8") -> None:
        self.codec = codec

    def __call__(self, value: Optional[bytes],
                 ctx: Optional[SerializationContext] = None) -> Optional[str]:
        if value is None:
            return None
        try:
            return value.decode(self.codec)
        except Exception as e:
            raise SerializationError(str(e))
