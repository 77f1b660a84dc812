"""Legacy module path of confluent_kafka.avro. Avro (de)serialization itself is
not provided by kafkac; only the error classes are, so that code importing
them keeps working."""
from .serializer import KeySerializerError, SerializerError, ValueSerializerError  # noqa: F401

__all__ = ["SerializerError", "KeySerializerError", "ValueSerializerError"]
