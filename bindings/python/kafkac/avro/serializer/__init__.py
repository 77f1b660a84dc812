"""Errors of the legacy confluent_kafka.avro.serializer module."""


class SerializerError(Exception):
    """Generic error from the serializer package."""

    def __init__(self, message: str) -> None:
        super(SerializerError, self).__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return "{klass}(error={error})".format(klass=self.__class__.__name__, error=self.message)

    def __str__(self) -> str:
        return self.message


class KeySerializerError(SerializerError):
    pass


class ValueSerializerError(SerializerError):
    pass
