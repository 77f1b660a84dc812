"""Type stubs of kafkac._kafkac, the C extension (kept in sync with src/*.c)."""
import builtins
from typing import Any, Callable, Dict, Generic, List, Optional, Tuple, Union

from typing_extensions import TypeVar

from ._metadata import ClusterMetadata

K = TypeVar("K", default=bytes)
V = TypeVar("V", default=bytes)

HeadersType = Union[List[Tuple[str, Union[str, bytes, None]]], Dict[str, Union[str, bytes, None]]]
DeliveryCallback = Callable[[Optional["KafkaError"], "Message"], None]
RebalanceCallback = Callable[["Consumer", List["TopicPartition"]], None]

OFFSET_BEGINNING: int
OFFSET_END: int
OFFSET_STORED: int
OFFSET_INVALID: int
TIMESTAMP_NOT_AVAILABLE: int
TIMESTAMP_CREATE_TIME: int
TIMESTAMP_LOG_APPEND_TIME: int
RESOURCE_UNKNOWN: int
RESOURCE_ANY: int
RESOURCE_TOPIC: int
RESOURCE_GROUP: int
RESOURCE_BROKER: int
RESOURCE_TRANSACTIONAL_ID: int
CONFIG_SOURCE_UNKNOWN_CONFIG: int
CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG: int
CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG: int
CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG: int
CONFIG_SOURCE_STATIC_BROKER_CONFIG: int
CONFIG_SOURCE_DEFAULT_CONFIG: int
CONFIG_SOURCE_GROUP_CONFIG: int
ALTER_CONFIG_OP_TYPE_SET: int
ALTER_CONFIG_OP_TYPE_DELETE: int
ALTER_CONFIG_OP_TYPE_APPEND: int
ALTER_CONFIG_OP_TYPE_SUBTRACT: int
CONSUMER_GROUP_STATE_UNKNOWN: int
CONSUMER_GROUP_STATE_PREPARING_REBALANCE: int
CONSUMER_GROUP_STATE_COMPLETING_REBALANCE: int
CONSUMER_GROUP_STATE_STABLE: int
CONSUMER_GROUP_STATE_DEAD: int
CONSUMER_GROUP_STATE_EMPTY: int
CONSUMER_GROUP_TYPE_UNKNOWN: int
CONSUMER_GROUP_TYPE_CONSUMER: int
CONSUMER_GROUP_TYPE_CLASSIC: int
ISOLATION_LEVEL_READ_UNCOMMITTED: int
ISOLATION_LEVEL_READ_COMMITTED: int
OFFSET_SPEC_MAX_TIMESTAMP: int
OFFSET_SPEC_EARLIEST: int
OFFSET_SPEC_LATEST: int

def libversion() -> Tuple[str, int]: ...
def version() -> Tuple[str, int]: ...

class KafkaError:
    BROKER_ID_NOT_REGISTERED: int
    BROKER_NOT_AVAILABLE: int
    CLUSTER_AUTHORIZATION_FAILED: int
    CONCURRENT_TRANSACTIONS: int
    COORDINATOR_LOAD_IN_PROGRESS: int
    COORDINATOR_NOT_AVAILABLE: int
    CORRUPT_MESSAGE: int
    DELEGATION_TOKEN_AUTHORIZATION_FAILED: int
    DELEGATION_TOKEN_AUTH_DISABLED: int
    DELEGATION_TOKEN_EXPIRED: int
    DELEGATION_TOKEN_NOT_FOUND: int
    DELEGATION_TOKEN_OWNER_MISMATCH: int
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED: int
    DUPLICATE_BROKER_REGISTRATION: int
    DUPLICATE_RESOURCE: int
    DUPLICATE_SEQUENCE_NUMBER: int
    DUPLICATE_VOTER: int
    ELECTION_NOT_NEEDED: int
    ELIGIBLE_LEADERS_NOT_AVAILABLE: int
    FEATURE_UPDATE_FAILED: int
    FENCED_INSTANCE_ID: int
    FENCED_LEADER_EPOCH: int
    FENCED_MEMBER_EPOCH: int
    FENCED_STATE_EPOCH: int
    FETCH_SESSION_ID_NOT_FOUND: int
    FETCH_SESSION_TOPIC_ID_ERROR: int
    GROUP_AUTHORIZATION_FAILED: int
    GROUP_ID_NOT_FOUND: int
    GROUP_MAX_SIZE_REACHED: int
    GROUP_SUBSCRIBED_TO_TOPIC: int
    ILLEGAL_GENERATION: int
    ILLEGAL_SASL_STATE: int
    INCONSISTENT_CLUSTER_ID: int
    INCONSISTENT_GROUP_PROTOCOL: int
    INCONSISTENT_TOPIC_ID: int
    INCONSISTENT_VOTER_SET: int
    INELIGIBLE_REPLICA: int
    INVALID_COMMIT_OFFSET_SIZE: int
    INVALID_CONFIG: int
    INVALID_FETCH_SESSION_EPOCH: int
    INVALID_FETCH_SIZE: int
    INVALID_GROUP_ID: int
    INVALID_MSG: int
    INVALID_MSG_SIZE: int
    INVALID_PARTITIONS: int
    INVALID_PRINCIPAL_TYPE: int
    INVALID_PRODUCER_EPOCH: int
    INVALID_PRODUCER_ID_MAPPING: int
    INVALID_RECORD: int
    INVALID_RECORD_STATE: int
    INVALID_REGISTRATION: int
    INVALID_REGULAR_EXPRESSION: int
    INVALID_REPLICATION_FACTOR: int
    INVALID_REPLICA_ASSIGNMENT: int
    INVALID_REQUEST: int
    INVALID_REQUIRED_ACKS: int
    INVALID_SESSION_TIMEOUT: int
    INVALID_SHARE_SESSION_EPOCH: int
    INVALID_TIMESTAMP: int
    INVALID_TOPIC_EXCEPTION: int
    INVALID_TRANSACTION_TIMEOUT: int
    INVALID_TXN_STATE: int
    INVALID_UPDATE_VERSION: int
    INVALID_VOTER_KEY: int
    KAFKA_STORAGE_ERROR: int
    LEADER_NOT_AVAILABLE: int
    LISTENER_NOT_FOUND: int
    LOG_DIR_NOT_FOUND: int
    MEMBER_ID_REQUIRED: int
    MESSAGE_TOO_LARGE: int
    MISMATCHED_ENDPOINT_TYPE: int
    MSG_SIZE_TOO_LARGE: int
    NETWORK_EXCEPTION: int
    NEW_LEADER_ELECTED: int
    NON_EMPTY_GROUP: int
    NOT_CONTROLLER: int
    NOT_COORDINATOR: int
    NOT_ENOUGH_REPLICAS: int
    NOT_ENOUGH_REPLICAS_AFTER_APPEND: int
    NOT_LEADER_FOR_PARTITION: int
    NOT_LEADER_OR_FOLLOWER: int
    NO_ERROR: int
    NO_REASSIGNMENT_IN_PROGRESS: int
    OFFSET_METADATA_TOO_LARGE: int
    OFFSET_MOVED_TO_TIERED_STORAGE: int
    OFFSET_NOT_AVAILABLE: int
    OFFSET_OUT_OF_RANGE: int
    OPERATION_NOT_ATTEMPTED: int
    OUT_OF_ORDER_SEQUENCE_NUMBER: int
    POLICY_VIOLATION: int
    POSITION_OUT_OF_RANGE: int
    PREFERRED_LEADER_NOT_AVAILABLE: int
    PRINCIPAL_DESERIALIZATION_FAILURE: int
    PRODUCER_FENCED: int
    REASSIGNMENT_IN_PROGRESS: int
    REBALANCE_IN_PROGRESS: int
    REBOOTSTRAP_REQUIRED: int
    RECORD_LIST_TOO_LARGE: int
    REPLICA_NOT_AVAILABLE: int
    REQUEST_TIMED_OUT: int
    RESOURCE_NOT_FOUND: int
    SASL_AUTHENTICATION_FAILED: int
    SECURITY_DISABLED: int
    SHARE_SESSION_LIMIT_REACHED: int
    SHARE_SESSION_NOT_FOUND: int
    SNAPSHOT_NOT_FOUND: int
    STALE_BROKER_EPOCH: int
    STALE_CONTROLLER_EPOCH: int
    STALE_CTRL_EPOCH: int
    STALE_MEMBER_EPOCH: int
    STREAMS_INVALID_TOPOLOGY: int
    STREAMS_INVALID_TOPOLOGY_EPOCH: int
    STREAMS_TOPOLOGY_FENCED: int
    TELEMETRY_TOO_LARGE: int
    THROTTLING_QUOTA_EXCEEDED: int
    TOPIC_ALREADY_EXISTS: int
    TOPIC_AUTHORIZATION_FAILED: int
    TOPIC_DELETION_DISABLED: int
    TOPIC_EXCEPTION: int
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED: int
    TRANSACTIONAL_ID_NOT_FOUND: int
    TRANSACTION_ABORTABLE: int
    TRANSACTION_COORDINATOR_FENCED: int
    UNACCEPTABLE_CREDENTIAL: int
    UNKNOWN: int
    UNKNOWN_CONTROLLER_ID: int
    UNKNOWN_LEADER_EPOCH: int
    UNKNOWN_MEMBER_ID: int
    UNKNOWN_PRODUCER_ID: int
    UNKNOWN_SERVER_ERROR: int
    UNKNOWN_SUBSCRIPTION_ID: int
    UNKNOWN_TOPIC_ID: int
    UNKNOWN_TOPIC_OR_PART: int
    UNKNOWN_TOPIC_OR_PARTITION: int
    UNRELEASED_INSTANCE_ID: int
    UNSTABLE_OFFSET_COMMIT: int
    UNSUPPORTED_ASSIGNOR: int
    UNSUPPORTED_COMPRESSION_TYPE: int
    UNSUPPORTED_ENDPOINT_TYPE: int
    UNSUPPORTED_FOR_MESSAGE_FORMAT: int
    UNSUPPORTED_SASL_MECHANISM: int
    UNSUPPORTED_VERSION: int
    VOTER_NOT_FOUND: int
    _ALL_BROKERS_DOWN: int
    _APPLICATION: int
    _ASSIGNMENT_LOST: int
    _ASSIGN_PARTITIONS: int
    _AUTHENTICATION: int
    _AUTO_OFFSET_RESET: int
    _BAD_COMPRESSION: int
    _BAD_MSG: int
    _CONFLICT: int
    _CRIT_SYS_RESOURCE: int
    _DESTROY: int
    _DESTROY_BROKER: int
    _EXISTING_SUBSCRIPTION: int
    _FAIL: int
    _FATAL: int
    _FENCED: int
    _FS: int
    _GAPLESS_GUARANTEE: int
    _INCONSISTENT: int
    _INTR: int
    _INVALID_ARG: int
    _INVALID_DIFFERENT_RECORD: int
    _INVALID_TYPE: int
    _IN_PROGRESS: int
    _ISR_INSUFF: int
    _KEY_DESERIALIZATION: int
    _KEY_SERIALIZATION: int
    _LOG_TRUNCATION: int
    _MAX_POLL_EXCEEDED: int
    _MSG_TIMED_OUT: int
    _NODE_UPDATE: int
    _NOENT: int
    _NOOP: int
    _NOT_CONFIGURED: int
    _NOT_IMPLEMENTED: int
    _NO_OFFSET: int
    _OUTDATED: int
    _PARTIAL: int
    _PARTITION_EOF: int
    _PREV_IN_PROGRESS: int
    _PURGE_INFLIGHT: int
    _PURGE_QUEUE: int
    _QUEUE_FULL: int
    _READ_ONLY: int
    _RESOLVE: int
    _RETRY: int
    _REVOKE_PARTITIONS: int
    _SSL: int
    _STATE: int
    _TIMED_OUT: int
    _TIMED_OUT_QUEUE: int
    _TRANSPORT: int
    _UNDERFLOW: int
    _UNKNOWN_BROKER: int
    _UNKNOWN_GROUP: int
    _UNKNOWN_PARTITION: int
    _UNKNOWN_PROTOCOL: int
    _UNKNOWN_TOPIC: int
    _UNSUPPORTED_FEATURE: int
    _VALUE_DESERIALIZATION: int
    _VALUE_SERIALIZATION: int
    _WAIT_CACHE: int
    _WAIT_COORD: int
    def __init__(self, error: int, reason: Optional[str] = None, fatal: bool = False,
                 retriable: bool = False, txn_requires_abort: bool = False) -> None: ...
    def code(self) -> int: ...
    def name(self) -> builtins.str: ...
    def str(self) -> builtins.str: ...
    def fatal(self) -> bool: ...
    def retriable(self) -> bool: ...
    def txn_requires_abort(self) -> bool: ...
    def __hash__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __lt__(self, other: Union["KafkaError", int], /) -> bool: ...
    def __le__(self, other: Union["KafkaError", int], /) -> bool: ...
    def __gt__(self, other: Union["KafkaError", int], /) -> bool: ...
    def __ge__(self, other: Union["KafkaError", int], /) -> bool: ...

class KafkaException(Exception):
    args: Tuple[Any, ...]

class IllegalStateException(RuntimeError): ...
class ConcurrentModificationException(RuntimeError): ...

class Message(Generic[K, V]):
    def __init__(self, topic: Optional[str] = ..., partition: Optional[int] = ...,
                 offset: Optional[int] = ..., key: Optional[Any] = ..., value: Optional[Any] = ...,
                 headers: Optional[HeadersType] = ..., error: Optional[KafkaError] = ...,
                 timestamp: Optional[Tuple[int, int]] = ..., latency: Optional[float] = ...,
                 leader_epoch: Optional[int] = ...) -> None: ...
    def topic(self) -> Optional[str]: ...
    def partition(self) -> Optional[int]: ...
    def offset(self) -> Optional[int]: ...
    def key(self) -> Any: ...
    def value(self) -> Any: ...
    def headers(self) -> Optional[List[Tuple[str, Optional[bytes]]]]: ...
    def error(self) -> Optional[KafkaError]: ...
    def timestamp(self) -> Tuple[int, int]: ...
    def latency(self) -> Optional[float]: ...
    def leader_epoch(self) -> Optional[int]: ...
    def set_headers(self, headers: Any) -> None: ...
    def set_key(self, key: Any) -> None: ...
    def set_value(self, value: Any) -> None: ...
    def set_error(self, error: Optional[KafkaError]) -> None: ...
    def __len__(self) -> int: ...

class TopicPartition:
    topic: str
    partition: int
    offset: int
    leader_epoch: Optional[int]
    metadata: Optional[str]
    error: Optional[KafkaError]
    def __init__(self, topic: str, partition: int = -1, offset: int = -1001,
                 metadata: Optional[str] = None, leader_epoch: Optional[int] = None) -> None: ...
    def __hash__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __lt__(self, other: "TopicPartition", /) -> bool: ...
    def __le__(self, other: "TopicPartition", /) -> bool: ...
    def __gt__(self, other: "TopicPartition", /) -> bool: ...
    def __ge__(self, other: "TopicPartition", /) -> bool: ...

class Producer:
    def __init__(self, config: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None: ...
    def produce(self, topic: str, value: Optional[Union[str, bytes]] = None,
                key: Optional[Union[str, bytes]] = None, partition: int = -1,
                callback: Optional[DeliveryCallback] = None,
                on_delivery: Optional[DeliveryCallback] = None, timestamp: int = 0,
                headers: Optional[HeadersType] = None) -> None: ...
    def poll(self, timeout: Optional[float] = -1) -> int: ...
    def flush(self, timeout: Optional[float] = -1) -> int: ...
    def purge(self, in_queue: bool = True, in_flight: bool = True, blocking: bool = True) -> None: ...
    def list_topics(self, topic: Optional[str] = None, timeout: float = -1) -> ClusterMetadata: ...
    def close(self, timeout: float = -1) -> bool: ...
    def init_transactions(self, timeout: float = -1) -> None: ...
    def begin_transaction(self) -> None: ...
    def commit_transaction(self, timeout: float = -1) -> None: ...
    def abort_transaction(self, timeout: float = -1) -> None: ...
    def send_offsets_to_transaction(self, positions: List[TopicPartition], group_metadata: Any,
                                    timeout: float = -1) -> None: ...
    def set_sasl_credentials(self, username: str, password: str) -> None: ...
    def __len__(self) -> int: ...
    def __bool__(self) -> bool: ...
    def __enter__(self) -> "Producer": ...
    def __exit__(self, exc_type: Any, exc_value: Any, exc_traceback: Any) -> None: ...

class Consumer:
    def __init__(self, config: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None: ...
    def subscribe(self, topics: List[str], on_assign: Optional[RebalanceCallback] = None,
                  on_revoke: Optional[RebalanceCallback] = None,
                  on_lost: Optional[RebalanceCallback] = None) -> None: ...
    def unsubscribe(self) -> None: ...
    def poll(self, timeout: Optional[float] = -1) -> Optional[Message]: ...
    def consume(self, num_messages: int = 1, timeout: Optional[float] = -1) -> List[Message]: ...
    def assign(self, partitions: List[TopicPartition]) -> None: ...
    def unassign(self) -> None: ...
    def incremental_assign(self, partitions: List[TopicPartition]) -> None: ...
    def incremental_unassign(self, partitions: List[TopicPartition]) -> None: ...
    def assignment(self) -> List[TopicPartition]: ...
    def subscription(self) -> List[str]: ...
    def commit(self, message: Optional[Message] = None,
               offsets: Optional[List[TopicPartition]] = None,
               asynchronous: bool = True) -> Optional[List[TopicPartition]]: ...
    def committed(self, partitions: List[TopicPartition],
                  timeout: Optional[float] = -1) -> List[TopicPartition]: ...
    def position(self, partitions: List[TopicPartition]) -> List[TopicPartition]: ...
    def seek(self, partition: TopicPartition) -> None: ...
    def pause(self, partitions: List[TopicPartition]) -> None: ...
    def resume(self, partitions: List[TopicPartition]) -> None: ...
    def get_watermark_offsets(self, partition: TopicPartition, timeout: Optional[float] = None,
                              cached: bool = False) -> Tuple[int, int]: ...
    def offsets_for_times(self, partitions: List[TopicPartition],
                          timeout: Optional[float] = None) -> List[TopicPartition]: ...
    def store_offsets(self, message: Optional[Message] = None,
                      offsets: Optional[List[TopicPartition]] = None) -> None: ...
    def consumer_group_metadata(self) -> Any: ...
    def set_sasl_credentials(self, username: str, password: str) -> None: ...
    def memberid(self) -> Optional[str]: ...
    def list_topics(self, topic: Optional[str] = None, timeout: float = -1) -> ClusterMetadata: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Consumer": ...
    def __exit__(self, exc_type: Any, exc_value: Any, exc_traceback: Any) -> None: ...

class _AdminClientImpl:
    def __init__(self, config: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None: ...
    def _create_topics(self, topics: List[Tuple[str, int, int, Dict[str, str]]],
                       validate_only: bool = False, timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _delete_topics(self, topics: List[str], timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _create_partitions(self, req: List[Tuple[str, int]],
                           timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _describe_topics(self, topics: Optional[List[str]] = None,
                         timeout_ms: int = -1) -> ClusterMetadata: ...
    def _describe_configs(self, restype: int, names: List[str],
                          timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _incremental_alter_configs(self, restype: int, name: str,
                                   ops: List[Tuple[int, str, Optional[str]]],
                                   timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _list_groups(self, timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _describe_groups(self, groups: List[str], timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _delete_groups(self, groups: List[str], timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _list_group_offsets(self, group: str, parts: Optional[List[TopicPartition]] = None,
                            timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _alter_group_offsets(self, group: str, parts: Optional[List[TopicPartition]] = None,
                             timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _list_offsets(self, parts: List[TopicPartition],
                      timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _delete_records(self, parts: List[TopicPartition],
                        timeout_ms: int = -1) -> List[Tuple[Any, ...]]: ...
    def _close(self) -> None: ...

