"""Kafka admin client (as confluent_kafka.admin): create, describe, alter and
delete topics, partitions, configurations and consumer groups.

The methods return concurrent.futures.Future objects (a dict of them keyed
by topic / resource / group where confluent_kafka does). The blocking C
calls run on a small thread pool with the GIL released.
"""
import concurrent.futures
import functools
import warnings
from enum import Enum
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

from .._kafkac import (  # noqa: F401
    CONFIG_SOURCE_DEFAULT_CONFIG,
    CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG,
    CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG,
    CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG,
    CONFIG_SOURCE_GROUP_CONFIG,
    CONFIG_SOURCE_STATIC_BROKER_CONFIG,
    CONFIG_SOURCE_UNKNOWN_CONFIG,
    OFFSET_INVALID,
    RESOURCE_ANY,
    RESOURCE_BROKER,
    RESOURCE_GROUP,
    RESOURCE_TOPIC,
    RESOURCE_TRANSACTIONAL_ID,
    RESOURCE_UNKNOWN,
    KafkaError,
    KafkaException,
    TopicPartition,
    _AdminClientImpl,
)
from .. import _kafkac as _cimpl
from .._metadata import (  # noqa: F401
    BrokerMetadata,
    ClusterMetadata,
    GroupMember,
    GroupMetadata,
    PartitionMetadata,
    TopicMetadata,
)
from .._model import (  # noqa: F401
    ConsumerGroupState,
    ConsumerGroupTopicPartitions,
    ConsumerGroupType,
    IsolationLevel,
    Node,
    TopicCollection,
    TopicPartitionInfo,
)

__all__ = [
    "AdminClient", "NewTopic", "NewPartitions", "ConfigResource", "ConfigEntry", "ConfigSource",
    "AlterConfigOpType", "ResourceType", "ConsumerGroupListing", "ListConsumerGroupsResult",
    "ConsumerGroupDescription", "MemberDescription", "MemberAssignment", "OffsetSpec",
    "ListOffsetsResultInfo", "DeletedRecords", "TopicDescription", "DescribeClusterResult",
    "ClusterMetadata", "BrokerMetadata", "TopicMetadata", "PartitionMetadata", "GroupMetadata",
    "GroupMember", "KafkaException", "KafkaError",
]


# ------------------------------------------------------------------ topics

@functools.total_ordering
class NewTopic(object):
    """A topic to create: NewTopic(topic, num_partitions=-1, replication_factor=-1,
    replica_assignment=None, config=None). -1 takes the broker's default."""

    def __init__(self, topic: str, num_partitions: int = -1, replication_factor: int = -1,
                 replica_assignment: Optional[List[List[int]]] = None,
                 config: Optional[Dict[str, str]] = None) -> None:
        if not isinstance(topic, str):
            raise TypeError("topic must be a str")
        self.topic = topic
        self.num_partitions = int(num_partitions)
        self.replication_factor = int(replication_factor)
        self.replica_assignment = replica_assignment
        self.config = dict(config) if config else {}

    def __str__(self) -> str:
        return self.topic

    def __repr__(self) -> str:
        return "NewTopic(topic={},num_partitions={})".format(self.topic, self.num_partitions)

    def __hash__(self) -> int:
        return hash(self.topic)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NewTopic) and self.topic == other.topic

    def __lt__(self, other: "NewTopic") -> bool:
        return self.topic < other.topic


@functools.total_ordering
class NewPartitions(object):
    """Raise a topic's partition count: NewPartitions(topic, new_total_count)."""

    def __init__(self, topic: str, new_total_count: int,
                 replica_assignment: Optional[List[List[int]]] = None) -> None:
        if not isinstance(topic, str):
            raise TypeError("topic must be a str")
        self.topic = topic
        self.new_total_count = int(new_total_count)
        self.replica_assignment = replica_assignment

    def __str__(self) -> str:
        return self.topic

    def __repr__(self) -> str:
        return "NewPartitions(topic={},new_total_count={})".format(self.topic, self.new_total_count)

    def __hash__(self) -> int:
        return hash(self.topic)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NewPartitions) and self.topic == other.topic

    def __lt__(self, other: "NewPartitions") -> bool:
        return self.topic < other.topic


class TopicDescription(object):
    def __init__(self, name: str, topic_id: Any, is_internal: bool,
                 partitions: List[TopicPartitionInfo],
                 authorized_operations: Optional[List[Any]] = None) -> None:
        self.name = name
        self.topic_id = topic_id
        self.is_internal = is_internal
        self.partitions = partitions
        self.authorized_operations = authorized_operations


class DescribeClusterResult(object):
    def __init__(self, controller: Optional[Node], nodes: List[Node],
                 cluster_id: Optional[str] = None,
                 authorized_operations: Optional[List[Any]] = None) -> None:
        self.cluster_id = cluster_id
        self.controller = controller
        self.nodes = nodes
        self.authorized_operations = authorized_operations


# ------------------------------------------------------------------ configs

class ResourceType(Enum):
    UNKNOWN = _cimpl.RESOURCE_UNKNOWN
    ANY = _cimpl.RESOURCE_ANY
    TOPIC = _cimpl.RESOURCE_TOPIC
    GROUP = _cimpl.RESOURCE_GROUP
    BROKER = _cimpl.RESOURCE_BROKER
    TRANSACTIONAL_ID = _cimpl.RESOURCE_TRANSACTIONAL_ID

    def __lt__(self, other: object) -> Any:
        if self.__class__ != other.__class__:
            return NotImplemented
        return self.value < other.value  # type: ignore[attr-defined]


class ConfigSource(Enum):
    UNKNOWN_CONFIG = _cimpl.CONFIG_SOURCE_UNKNOWN_CONFIG
    DYNAMIC_TOPIC_CONFIG = _cimpl.CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG
    DYNAMIC_BROKER_CONFIG = _cimpl.CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG
    DYNAMIC_DEFAULT_BROKER_CONFIG = _cimpl.CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG
    STATIC_BROKER_CONFIG = _cimpl.CONFIG_SOURCE_STATIC_BROKER_CONFIG
    DEFAULT_CONFIG = _cimpl.CONFIG_SOURCE_DEFAULT_CONFIG
    GROUP_CONFIG = _cimpl.CONFIG_SOURCE_GROUP_CONFIG


class AlterConfigOpType(Enum):
    SET = _cimpl.ALTER_CONFIG_OP_TYPE_SET
    DELETE = _cimpl.ALTER_CONFIG_OP_TYPE_DELETE
    APPEND = _cimpl.ALTER_CONFIG_OP_TYPE_APPEND
    SUBTRACT = _cimpl.ALTER_CONFIG_OP_TYPE_SUBTRACT


class ConfigEntry(object):
    """A configuration property (describe_configs results, and the operations
    of incremental_alter_configs)."""

    def __init__(self, name: str, value: Optional[str],
                 source: ConfigSource = ConfigSource.UNKNOWN_CONFIG, is_read_only: bool = False,
                 is_default: bool = False, is_sensitive: bool = False, is_synonym: bool = False,
                 synonyms: Optional[Dict[str, "ConfigEntry"]] = None,
                 incremental_operation: Optional[AlterConfigOpType] = None) -> None:
        self.name = name
        self.value = value
        self.source = source
        self.is_read_only = bool(is_read_only)
        self.is_default = bool(is_default)
        self.is_sensitive = bool(is_sensitive)
        self.is_synonym = bool(is_synonym)
        self.synonyms = synonyms if synonyms is not None else {}
        self.incremental_operation = incremental_operation

    def __repr__(self) -> str:
        return "ConfigEntry(%s=\"%s\")" % (self.name, self.value)

    def __str__(self) -> str:
        return "%s=\"%s\"" % (self.name, self.value)


@functools.total_ordering
class ConfigResource(object):
    """A resource with configuration: ConfigResource(restype, name,
    set_config=None, ..., incremental_configs=None). restype is a
    ResourceType, its name as a str ('topic', 'broker', 'group') or its
    int value."""

    Type = ResourceType

    def __init__(self, restype: Union[ResourceType, str, int], name: str,
                 set_config: Optional[Dict[str, str]] = None,
                 described_configs: Optional[Dict[str, ConfigEntry]] = None,
                 error: Optional[Any] = None,
                 incremental_configs: Optional[List[ConfigEntry]] = None) -> None:
        if name is None:
            raise ValueError("Expected resource name to be a string")
        if isinstance(restype, str):
            try:
                restype = ResourceType[restype.upper()]
            except KeyError:
                raise ValueError("Unknown resource type \"%s\": should be a ConfigResource.Type"
                                 % restype)
        elif isinstance(restype, int):
            restype = ResourceType(restype)
        self.restype = restype
        self.restype_int = int(self.restype.value)
        self.name = name
        self.set_config_dict = dict(set_config) if set_config is not None else {}
        self.incremental_configs = list(incremental_configs or [])
        self.configs = described_configs
        self.error = error

    def __repr__(self) -> str:
        if self.error is not None:
            return "ConfigResource(%s,%s,%r)" % (self.restype, self.name, self.error)
        return "ConfigResource(%s,%s)" % (self.restype, self.name)

    def __hash__(self) -> int:
        return hash((self.restype, self.name))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ConfigResource):
            return NotImplemented
        if self.restype != other.restype:
            return self.restype.value < other.restype.value
        return self.name < other.name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConfigResource):
            return NotImplemented
        return self.restype == other.restype and self.name == other.name

    def __len__(self) -> int:
        return len(self.set_config_dict)

    def set_config(self, name: str, value: str, overwrite: bool = True) -> None:
        if not overwrite and name in self.set_config_dict:
            return
        self.set_config_dict[name] = value

    def add_incremental_config(self, config_entry: ConfigEntry) -> None:
        self.incremental_configs.append(config_entry)


# ------------------------------------------------------------------ groups, offsets

class ConsumerGroupListing(object):
    def __init__(self, group_id: str, is_simple_consumer_group: bool,
                 state: Optional[ConsumerGroupState] = None,
                 type: Optional[ConsumerGroupType] = None) -> None:
        self.group_id = group_id
        self.is_simple_consumer_group = is_simple_consumer_group
        self.state = state
        self.type = type


class ListConsumerGroupsResult(object):
    def __init__(self, valid: Optional[List[ConsumerGroupListing]] = None,
                 errors: Optional[List[Exception]] = None) -> None:
        self.valid = valid
        self.errors = errors


class MemberAssignment(object):
    def __init__(self, topic_partitions: Optional[List[TopicPartition]]) -> None:
        self.topic_partitions = topic_partitions or []


class MemberDescription(object):
    def __init__(self, member_id: str, client_id: str, host: str, assignment: MemberAssignment,
                 group_instance_id: Optional[str] = None,
                 target_assignment: Optional[MemberAssignment] = None) -> None:
        self.member_id = member_id
        self.client_id = client_id
        self.host = host
        self.assignment = assignment
        self.target_assignment = target_assignment
        self.group_instance_id = group_instance_id


class ConsumerGroupDescription(object):
    def __init__(self, group_id: str, is_simple_consumer_group: bool,
                 members: List[MemberDescription], partition_assignor: str,
                 state: Optional[ConsumerGroupState], coordinator: Optional[Node],
                 authorized_operations: Optional[List[Any]] = None,
                 type: ConsumerGroupType = ConsumerGroupType.UNKNOWN) -> None:
        self.group_id = group_id
        self.is_simple_consumer_group = is_simple_consumer_group
        self.members = members
        self.partition_assignor = partition_assignor
        self.state = state
        self.coordinator = coordinator
        self.authorized_operations = authorized_operations
        self.type = type


class OffsetSpec(object):
    """What list_offsets() looks for: OffsetSpec.earliest(), latest(),
    for_timestamp(ms)."""

    def __init__(self, value: int) -> None:
        self._value = value

    @classmethod
    def earliest(cls) -> "OffsetSpec":
        return cls(_cimpl.OFFSET_SPEC_EARLIEST)

    @classmethod
    def latest(cls) -> "OffsetSpec":
        return cls(_cimpl.OFFSET_SPEC_LATEST)

    @classmethod
    def max_timestamp(cls) -> "OffsetSpec":
        return cls(_cimpl.OFFSET_SPEC_MAX_TIMESTAMP)

    @classmethod
    def for_timestamp(cls, timestamp: int) -> "OffsetSpec":
        return cls(int(timestamp))

    def __repr__(self) -> str:
        return "OffsetSpec({})".format(self._value)


class ListOffsetsResultInfo(object):
    def __init__(self, offset: int, timestamp: int, leader_epoch: Optional[int]) -> None:
        self.offset = offset
        self.timestamp = timestamp
        self.leader_epoch = leader_epoch if leader_epoch is not None and leader_epoch >= 0 else None


class DeletedRecords(object):
    def __init__(self, low_watermark: int) -> None:
        self.low_watermark = low_watermark


_GROUP_STATES = {
    "Stable": ConsumerGroupState.STABLE,
    "Empty": ConsumerGroupState.EMPTY,
    "Dead": ConsumerGroupState.DEAD,
    "PreparingRebalance": ConsumerGroupState.PREPARING_REBALANCING,
    "CompletingRebalance": ConsumerGroupState.COMPLETING_REBALANCING,
}


def _group_state(s: Optional[str]) -> ConsumerGroupState:
    return _GROUP_STATES.get(s or "", ConsumerGroupState.UNKNOWN)


def _exc(code: int, errstr: Optional[str]) -> KafkaException:
    return KafkaException(KafkaError(code, errstr or None))


def _ms(timeout: Optional[float]) -> int:
    if timeout is None or timeout < 0:
        return -1
    return max(1, int(timeout * 1000)) if timeout > 0 else 0


# ------------------------------------------------------------------ client

class AdminClient(_AdminClientImpl):
    """AdminClient(conf): Kafka admin operations. The methods return futures
    (see the module doc); list_topics() and list_groups() are synchronous."""

    def __init__(self, conf: Dict[str, Any], **kwargs: Any) -> None:
        super(AdminClient, self).__init__(conf, **kwargs)
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=4, thread_name_prefix="kafkac-admin")

    # -- plumbing

    @staticmethod
    def _future() -> concurrent.futures.Future:
        f: concurrent.futures.Future = concurrent.futures.Future()
        if not f.set_running_or_notify_cancel():
            raise RuntimeError("Future was cancelled prematurely")
        return f

    def _run(self, keys: Iterable[Any], call: Callable[[], Any],
             deliver: Callable[[Any, Dict[Any, concurrent.futures.Future]], None]
             ) -> Dict[Any, concurrent.futures.Future]:
        futmap = {k: self._future() for k in keys}

        def work() -> None:
            try:
                deliver(call(), futmap)
            except BaseException as e:  # whole-call failure: every future gets it
                for f in futmap.values():
                    if not f.done():
                        f.set_exception(e)
                return
            for k, f in futmap.items():
                if not f.done():
                    f.set_exception(_exc(KafkaError._FAIL, "no result for %s" % (k,)))

        self._pool.submit(work)
        return futmap

    @staticmethod
    def _deliver_none(items: List[Any], futmap: Dict[Any, concurrent.futures.Future]) -> None:
        for item in items:
            name, code, errstr = item[0], item[1], item[2]
            f = futmap.get(name)
            if f is None or f.done():
                continue
            if code:
                f.set_exception(_exc(code, errstr))
            else:
                f.set_result(None)

    @staticmethod
    def _check_list(items: Any, cls: Any, what: str) -> None:
        if not isinstance(items, list):
            raise TypeError("Expected list of {}".format(what))
        if len(items) == 0:
            raise ValueError("Expected non-empty list of {}".format(what))
        if cls is not None:
            for x in items:
                if not isinstance(x, cls):
                    raise TypeError("Expected list of {}, got {}".format(what, type(x).__name__))

    # -- topics

    def create_topics(self, new_topics: List[NewTopic], operation_timeout: float = 0,
                      request_timeout: Optional[float] = None,
                      validate_only: bool = False) -> Dict[str, concurrent.futures.Future]:
        """Creates topics. Returns {topic: future}; result() is None."""
        self._check_list(new_topics, NewTopic, "NewTopic objects")
        names = [t.topic for t in new_topics]
        if len(set(names)) != len(names):
            raise ValueError("duplicate topics in the request")
        for t in new_topics:
            if t.replica_assignment:
                raise KafkaException(KafkaError(KafkaError._NOT_IMPLEMENTED,
                                                "replica_assignment is not supported by kafkac"))
        req = [(t.topic, t.num_partitions, t.replication_factor,
                {str(k): str(v) for k, v in t.config.items()}) for t in new_topics]
        return self._run(names, lambda: self._create_topics(req, bool(validate_only),
                                                            _ms(request_timeout)),
                         self._deliver_none)

    def delete_topics(self, topics: List[str], operation_timeout: float = 0,
                      request_timeout: Optional[float] = None
                      ) -> Dict[str, concurrent.futures.Future]:
        """Deletes topics. Returns {topic: future}; result() is None."""
        self._check_list(topics, str, "topic names")
        return self._run(topics, lambda: self._delete_topics(list(topics), _ms(request_timeout)),
                         self._deliver_none)

    def create_partitions(self, new_partitions: List[NewPartitions],
                          operation_timeout: float = 0, request_timeout: Optional[float] = None,
                          validate_only: bool = False) -> Dict[str, concurrent.futures.Future]:
        """Raises partition counts. Returns {topic: future}; result() is None."""
        self._check_list(new_partitions, NewPartitions, "NewPartitions objects")
        if validate_only:
            raise KafkaException(KafkaError(KafkaError._NOT_IMPLEMENTED,
                                            "validate_only is not supported for create_partitions"))
        req = [(p.topic, p.new_total_count) for p in new_partitions]
        return self._run([p.topic for p in new_partitions],
                         lambda: self._create_partitions(req, _ms(request_timeout)),
                         self._deliver_none)

    def list_topics(self, topic: Optional[str] = None, timeout: float = -1) -> ClusterMetadata:
        """Cluster metadata (synchronous)."""
        return self._describe_topics([topic] if topic else None, _ms(timeout))

    def cluster_id(self, timeout: float = -1) -> Optional[str]:
        return self.list_topics(timeout=timeout).cluster_id

    def describe_topics(self, topics: TopicCollection, request_timeout: Optional[float] = None,
                        include_authorized_operations: bool = False
                        ) -> Dict[str, concurrent.futures.Future]:
        """Describes topics: {topic: future of TopicDescription}."""
        if not isinstance(topics, TopicCollection):
            raise TypeError("Expected input to be instance of TopicCollection")
        names = list(topics.topic_names)

        def deliver(md: ClusterMetadata, futmap: Dict[Any, concurrent.futures.Future]) -> None:
            nodes = {b.id: Node(b.id, b.host, b.port, b.rack) for b in md.brokers.values()}
            for name, f in futmap.items():
                t = md.topics.get(name)
                if t is None:
                    f.set_exception(_exc(KafkaError.UNKNOWN_TOPIC_OR_PART, None))
                elif t.error is not None:
                    f.set_exception(KafkaException(t.error))
                else:
                    parts = [TopicPartitionInfo(p.id, nodes.get(p.leader),
                                                [nodes[r] for r in p.replicas if r in nodes],
                                                [nodes[r] for r in p.isrs if r in nodes])
                             for p in sorted(t.partitions.values(), key=lambda p: p.id)]
                    f.set_result(TopicDescription(name, None, t.is_internal, parts, None))

        return self._run(names, lambda: self._describe_topics(names, _ms(request_timeout)),
                         deliver)

    def describe_cluster(self, request_timeout: Optional[float] = None,
                         include_authorized_operations: bool = False
                         ) -> concurrent.futures.Future:
        """Describes the cluster: a future of DescribeClusterResult."""
        def deliver(md: ClusterMetadata, futmap: Dict[Any, concurrent.futures.Future]) -> None:
            nodes = [Node(b.id, b.host, b.port, b.rack) for b in md.brokers.values()]
            ctrl = next((n for n in nodes if n.id == md.controller_id), None)
            futmap[None].set_result(DescribeClusterResult(ctrl, nodes, md.cluster_id, None))

        return self._run([None], lambda: self._describe_topics([], _ms(request_timeout)),
                         deliver)[None]

    # -- configs

    def describe_configs(self, resources: List[ConfigResource],
                         request_timeout: Optional[float] = None, broker: int = -1
                         ) -> Dict[ConfigResource, concurrent.futures.Future]:
        """Describes configurations: {resource: future of {name: ConfigEntry}}."""
        self._check_list(resources, ConfigResource, "ConfigResource objects")
        tmo = _ms(request_timeout)
        by_type: Dict[int, List[ConfigResource]] = {}
        for r in resources:
            by_type.setdefault(r.restype_int, []).append(r)

        def call() -> List[Any]:
            out = []
            for restype, rs in by_type.items():
                for item in self._describe_configs(restype, [r.name for r in rs], tmo):
                    out.append((restype, item))
            return out

        def deliver(items: List[Any], futmap: Dict[Any, concurrent.futures.Future]) -> None:
            for restype, (name, code, errstr, entries) in items:
                f = futmap.get(ConfigResource(restype, name))
                if f is None or f.done():
                    continue
                if code:
                    f.set_exception(_exc(code, errstr))
                    continue
                configs = {}
                for cname, value, source, ro, sensitive in entries:
                    # source is the int value, as confluent_kafka returns it
                    # (compare with ConfigSource.X.value).
                    configs[cname] = ConfigEntry(
                        cname, value, source=source, is_read_only=bool(ro),
                        is_default=source == ConfigSource.DEFAULT_CONFIG.value,
                        is_sensitive=bool(sensitive))
                f.set_result(configs)

        return self._run(resources, call, deliver)

    def incremental_alter_configs(self, resources: List[ConfigResource],
                                  request_timeout: Optional[float] = None,
                                  validate_only: bool = False, broker: int = -1
                                  ) -> Dict[ConfigResource, concurrent.futures.Future]:
        """Applies each resource's incremental_configs (ConfigEntry with
        incremental_operation). {resource: future}; result() is None."""
        self._check_list(resources, ConfigResource, "ConfigResource objects")
        if validate_only:
            raise KafkaException(KafkaError(KafkaError._NOT_IMPLEMENTED,
                                            "validate_only is not supported by kafkac"))
        reqs = []
        for r in resources:
            ops = []
            for e in r.incremental_configs:
                if not isinstance(e, ConfigEntry) or e.incremental_operation is None:
                    raise ValueError("incremental_configs must be ConfigEntry objects with an "
                                     "incremental_operation")
                op = e.incremental_operation
                opv = op.value if isinstance(op, AlterConfigOpType) else int(op)
                ops.append((opv, e.name, None if e.value is None else str(e.value)))
            if not ops:
                raise ValueError("ConfigResource %r has no incremental_configs" % (r,))
            reqs.append((r, ops))
        return self._alter(reqs, _ms(request_timeout))

    def alter_configs(self, resources: List[ConfigResource],
                      request_timeout: Optional[float] = None, validate_only: bool = False,
                      broker: int = -1) -> Dict[ConfigResource, concurrent.futures.Future]:
        """Deprecated. kafkac applies set_config as incremental SET operations:
        unlike confluent_kafka, keys left out are NOT reverted to defaults."""
        warnings.warn("alter_configs has been deprecated. Use incremental_alter_configs instead.",
                      category=DeprecationWarning, stacklevel=2)
        self._check_list(resources, ConfigResource, "ConfigResource objects")
        if validate_only:
            raise KafkaException(KafkaError(KafkaError._NOT_IMPLEMENTED,
                                            "validate_only is not supported by kafkac"))
        reqs = [(r, [(AlterConfigOpType.SET.value, k, str(v))
                     for k, v in r.set_config_dict.items()]) for r in resources]
        return self._alter(reqs, _ms(request_timeout))

    def _alter(self, reqs: List[Any], tmo: int) -> Dict[ConfigResource, concurrent.futures.Future]:
        def call() -> List[Any]:
            out: List[Any] = []
            for r, ops in reqs:
                try:
                    out.append((r, self._incremental_alter_configs(r.restype_int, r.name, ops, tmo)))
                except KafkaException as e:
                    out.append((r, e))
            return out

        def deliver(items: List[Any], futmap: Dict[Any, concurrent.futures.Future]) -> None:
            for r, res in items:
                f = futmap[r]
                if isinstance(res, BaseException):
                    f.set_exception(res)
                elif res and res[0][1]:
                    f.set_exception(_exc(res[0][1], res[0][2]))
                else:
                    f.set_result(None)

        return self._run([r for r, _ in reqs], call, deliver)

    # -- groups

    def list_groups(self, group: Optional[str] = None, timeout: float = -1) -> List[GroupMetadata]:
        """Deprecated synchronous group listing (GroupMetadata objects);
        with group, that group only, with its members."""
        tmo = _ms(timeout)
        out = []
        if group is not None:
            items = self._describe_groups([group], tmo)
        else:
            items = self._list_groups(tmo)
        for item in items:
            g = GroupMetadata()
            g.id, g.state, g.protocol_type, g.protocol = item[0], item[3], item[4], item[5]
            g.error = KafkaError(item[1], item[2] or None) if item[1] else None
            if len(item) > 6:
                for mid, _inst, client_id, host, _assign in item[6]:
                    m = GroupMember()
                    m.id, m.client_id, m.client_host = mid, client_id, host
                    g.members.append(m)
            out.append(g)
        return out

    def list_consumer_groups(self, request_timeout: Optional[float] = None,
                             states: Optional[set] = None, types: Optional[set] = None
                             ) -> concurrent.futures.Future:
        """Lists groups: a future of ListConsumerGroupsResult."""
        if states is not None:
            if not isinstance(states, set):
                raise TypeError("'states' must be a set")
            for s in states:
                if not isinstance(s, ConsumerGroupState):
                    raise TypeError("All elements of states must be of type ConsumerGroupState")
        if types is not None:
            if not isinstance(types, set):
                raise TypeError("'types' must be a set")
            for t in types:
                if not isinstance(t, ConsumerGroupType):
                    raise TypeError("All elements of types must be of type ConsumerGroupType")

        def deliver(items: List[Any], futmap: Dict[Any, concurrent.futures.Future]) -> None:
            valid: List[ConsumerGroupListing] = []
            errors: List[Exception] = []
            for name, code, errstr, state, ptype, _proto in items:
                if code:
                    errors.append(_exc(code, errstr))
                    continue
                st = _group_state(state)
                if states and st not in states:
                    continue
                if types and ConsumerGroupType.UNKNOWN not in types:
                    continue
                valid.append(ConsumerGroupListing(name, not ptype, st,
                                                  ConsumerGroupType.UNKNOWN))
            futmap[None].set_result(ListConsumerGroupsResult(valid, errors))

        return self._run([None], lambda: self._list_groups(_ms(request_timeout)), deliver)[None]

    def describe_consumer_groups(self, group_ids: List[str],
                                 include_authorized_operations: bool = False,
                                 request_timeout: Optional[float] = None
                                 ) -> Dict[str, concurrent.futures.Future]:
        """Describes groups: {group: future of ConsumerGroupDescription}."""
        if not isinstance(group_ids, list):
            raise TypeError("Expected input to be list of group ids to be described")
        if len(group_ids) == 0:
            raise ValueError("Expected at least one group to be described")

        def deliver(items: List[Any], futmap: Dict[Any, concurrent.futures.Future]) -> None:
            for name, code, errstr, state, ptype, proto, members in items:
                f = futmap.get(name)
                if f is None or f.done():
                    continue
                if code:
                    f.set_exception(_exc(code, errstr))
                    continue
                mds = [MemberDescription(mid, client_id, host, MemberAssignment(assign), inst)
                       for mid, inst, client_id, host, assign in members]
                f.set_result(ConsumerGroupDescription(
                    name, not ptype, mds, proto or "", _group_state(state), None, None,
                    ConsumerGroupType.UNKNOWN))

        return self._run(group_ids, lambda: self._describe_groups(list(group_ids),
                                                                  _ms(request_timeout)),
                         deliver)

    def delete_consumer_groups(self, group_ids: List[str],
                               request_timeout: Optional[float] = None
                               ) -> Dict[str, concurrent.futures.Future]:
        """Deletes groups: {group: future}; result() is None."""
        if not isinstance(group_ids, list):
            raise TypeError("Expected input to be list of group ids to be deleted")
        if len(group_ids) == 0:
            raise ValueError("Expected at least one group to be deleted")
        return self._run(group_ids, lambda: self._delete_groups(list(group_ids),
                                                                _ms(request_timeout)),
                         self._deliver_none)

    def _group_offsets(self, requests: List[ConsumerGroupTopicPartitions],
                       fn: Callable[..., Any], need_parts: bool,
                       request_timeout: Optional[float]) -> Dict[str, concurrent.futures.Future]:
        if not isinstance(requests, list):
            raise TypeError("request must be a list")
        if len(requests) != 1:
            raise ValueError("Currently we support a single group only")
        req = requests[0]
        if not isinstance(req, ConsumerGroupTopicPartitions):
            raise TypeError("Expected list of 'ConsumerGroupTopicPartitions'")
        if need_parts and not req.topic_partitions:
            raise ValueError("topic_partitions are required")
        parts = req.topic_partitions if req.topic_partitions else None
        group = req.group_id

        def deliver(items: List[Any], futmap: Dict[Any, concurrent.futures.Future]) -> None:
            f = futmap[group]
            if not items:
                f.set_result(ConsumerGroupTopicPartitions(group, []))
                return
            _name, code, errstr, tps = items[0]
            if code:
                f.set_exception(_exc(code, errstr))
            else:
                f.set_result(ConsumerGroupTopicPartitions(group, tps or []))

        return self._run([group], lambda: fn(group, parts, _ms(request_timeout)), deliver)

    def list_consumer_group_offsets(self, list_consumer_group_offsets_request:
                                    List[ConsumerGroupTopicPartitions],
                                    require_stable: bool = False,
                                    request_timeout: Optional[float] = None
                                    ) -> Dict[str, concurrent.futures.Future]:
        """A group's committed offsets: {group: future of ConsumerGroupTopicPartitions}."""
        return self._group_offsets(list_consumer_group_offsets_request, self._list_group_offsets,
                                   False, request_timeout)

    def alter_consumer_group_offsets(self, alter_consumer_group_offsets_request:
                                     List[ConsumerGroupTopicPartitions],
                                     request_timeout: Optional[float] = None
                                     ) -> Dict[str, concurrent.futures.Future]:
        """Commits offsets for a group without active members."""
        return self._group_offsets(alter_consumer_group_offsets_request,
                                   self._alter_group_offsets, True, request_timeout)

    # -- records

    def list_offsets(self, topic_partition_offsets: Dict[TopicPartition, OffsetSpec],
                     isolation_level: Optional[IsolationLevel] = None,
                     request_timeout: Optional[float] = None
                     ) -> Dict[TopicPartition, concurrent.futures.Future]:
        """{TopicPartition: future of ListOffsetsResultInfo}."""
        if not isinstance(topic_partition_offsets, dict):
            raise TypeError("Expected topic_partition_offsets to be a dict")
        tps = []
        for tp, spec in topic_partition_offsets.items():
            if not isinstance(tp, TopicPartition) or not isinstance(spec, OffsetSpec):
                raise TypeError("Expected a dict of TopicPartition: OffsetSpec")
            tps.append(TopicPartition(tp.topic, tp.partition, spec._value))
        return self._records(tps, self._list_offsets, request_timeout,
                             lambda p: ListOffsetsResultInfo(p.offset, -1, p.leader_epoch))

    def delete_records(self, topic_partition_offsets: List[TopicPartition],
                       request_timeout: Optional[float] = None, operation_timeout: float = 0
                       ) -> Dict[TopicPartition, concurrent.futures.Future]:
        """Deletes records before each offset: {TopicPartition: future of DeletedRecords}."""
        self._check_list(topic_partition_offsets, TopicPartition, "TopicPartition objects")
        return self._records(topic_partition_offsets, self._delete_records, request_timeout,
                             lambda p: DeletedRecords(p.offset))

    def _records(self, tps: List[TopicPartition], fn: Callable[..., Any],
                 request_timeout: Optional[float], make: Callable[[TopicPartition], Any]
                 ) -> Dict[TopicPartition, concurrent.futures.Future]:
        keys = [TopicPartition(t.topic, t.partition) for t in tps]

        def deliver(items: List[Any], futmap: Dict[Any, concurrent.futures.Future]) -> None:
            for _name, code, errstr, parts in items:
                for p in parts or []:
                    f = futmap.get(TopicPartition(p.topic, p.partition))
                    if f is None or f.done():
                        continue
                    if p.error is not None:
                        f.set_exception(KafkaException(p.error))
                    elif code:
                        f.set_exception(_exc(code, errstr))
                    else:
                        f.set_result(make(p))

        return self._run(keys, lambda: fn(list(tps), _ms(request_timeout)), deliver)

    # -- misc

    def poll(self, timeout: float = -1) -> int:
        """Nothing to serve: kafkac's admin calls complete on their own."""
        return 0

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._close()
