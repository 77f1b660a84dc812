package kafkac

/*
#include "kcgo.h"
*/
import "C"

import (
	"context"
	"fmt"
	"sync"
	"time"
	"unsafe"
)

// AdminClient administers the cluster: topics, partitions, configs,
// consumer groups. Its calls block up to the context's deadline (or the
// request timeout option, else request.timeout.ms) and may be made from any
// goroutines at once.
type AdminClient struct {
	a    *C.kc_admin_t
	conf *C.kc_conf_t
	name string

	mu     sync.RWMutex
	closed bool
	wg     sync.WaitGroup // C calls still running for cancelled contexts
}

// NewAdminClient creates an admin client. A wrong key or value in conf
// returns an Error naming the key.
func NewAdminClient(conf *ConfigMap) (*AdminClient, error) {
	if conf == nil {
		conf = &ConfigMap{}
	}
	kconf, _, err := conf.newConf()
	if err != nil {
		return nil, err
	}
	defer C.kc_conf_destroy(kconf)
	return newAdmin(kconf)
}

func newAdmin(src *C.kc_conf_t) (*AdminClient, error) {
	// An admin client never serves its callbacks (kc_admin has no poll):
	// with a log or error callback set, its lines would only pile up in the
	// library until destroy. Without them they go to stderr.
	kconf := C.kc_conf_dup(src)
	if kconf == nil {
		return nil, NewError(ErrCritSysResource, "out of memory", false)
	}
	defer C.kc_conf_destroy(kconf)
	C.kc_conf_set_log_cb(kconf, nil)
	C.kc_conf_set_error_cb(kconf, nil)
	C.kc_conf_set_opaque(kconf, nil)
	var errbuf [512]C.char
	a := C.kc_admin_new(kconf, &errbuf[0], C.size_t(len(errbuf)))
	if a == nil {
		return nil, newErrorBuf(C.KC_ERR__INVALID_ARG, errbuf[:])
	}
	ac := &AdminClient{a: a, conf: C.kc_conf_dup(kconf)}
	ac.name = fmt.Sprintf("admin-%p", ac)
	return ac, nil
}

// NewAdminClientFromProducer creates an admin client with p's configuration
// (kafkac admin clients have connections of their own).
func NewAdminClientFromProducer(p *Producer) (*AdminClient, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return nil, NewError(ErrDestroy, "the producer is closed", false)
	}
	return newAdmin(p.conf)
}

// NewAdminClientFromConsumer creates an admin client with c's configuration.
func NewAdminClientFromConsumer(c *Consumer) (*AdminClient, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	return newAdmin(c.conf)
}

func (a *AdminClient) String() string { return a.name }

// Close frees the admin client, after the calls still running end.
func (a *AdminClient) Close() {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	a.closed = true
	a.mu.Unlock()
	a.wg.Wait()
	C.kc_admin_destroy(a.a)
	C.kc_conf_destroy(a.conf)
	a.a, a.conf = nil, nil
}

// IsClosed reports whether Close was called.
func (a *AdminClient) IsClosed() bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.closed
}

// ------------------------------------------------------------ options

// AdminOptionOperationTimeout bounds the broker-side operation (and the call).
type AdminOptionOperationTimeout struct {
	isSet bool
	val   time.Duration
}

// AdminOptionRequestTimeout bounds the whole call.
type AdminOptionRequestTimeout struct {
	isSet bool
	val   time.Duration
}

// AdminOptionValidateOnly asks the broker to check the request only.
type AdminOptionValidateOnly struct {
	isSet bool
	val   bool
}

// SetAdminOperationTimeout sets the operation timeout.
func SetAdminOperationTimeout(t time.Duration) AdminOptionOperationTimeout {
	return AdminOptionOperationTimeout{true, t}
}

// SetAdminRequestTimeout sets the request timeout.
func SetAdminRequestTimeout(t time.Duration) AdminOptionRequestTimeout {
	return AdminOptionRequestTimeout{true, t}
}

// SetAdminValidateOnly makes CreateTopics only validate.
func SetAdminValidateOnly(validateOnly bool) AdminOptionValidateOnly {
	return AdminOptionValidateOnly{true, validateOnly}
}

type adminOptions struct {
	timeout      time.Duration // 0: none
	validateOnly bool
}

func (o AdminOptionOperationTimeout) apply(ao *adminOptions) {
	if o.isSet && o.val > 0 && (ao.timeout == 0 || o.val < ao.timeout) {
		ao.timeout = o.val
	}
}
func (o AdminOptionRequestTimeout) apply(ao *adminOptions) {
	if o.isSet && o.val > 0 && (ao.timeout == 0 || o.val < ao.timeout) {
		ao.timeout = o.val
	}
}
func (o AdminOptionValidateOnly) apply(ao *adminOptions) {
	if o.isSet {
		ao.validateOnly = o.val
	}
}

type adminOption interface{ apply(*adminOptions) }

// CreateTopicsAdminOption is an option of CreateTopics.
type CreateTopicsAdminOption interface {
	adminOption
	supportsCreateTopics()
}

// DeleteTopicsAdminOption is an option of DeleteTopics.
type DeleteTopicsAdminOption interface {
	adminOption
	supportsDeleteTopics()
}

// CreatePartitionsAdminOption is an option of CreatePartitions.
type CreatePartitionsAdminOption interface {
	adminOption
	supportsCreatePartitions()
}

// DescribeConfigsAdminOption is an option of DescribeConfigs.
type DescribeConfigsAdminOption interface {
	adminOption
	supportsDescribeConfigs()
}

// IncrementalAlterConfigsAdminOption is an option of IncrementalAlterConfigs.
type IncrementalAlterConfigsAdminOption interface {
	adminOption
	supportsIncrementalAlterConfigs()
}

// DeleteConsumerGroupsAdminOption is an option of DeleteConsumerGroups.
type DeleteConsumerGroupsAdminOption interface {
	adminOption
	supportsDeleteConsumerGroups()
}

func (AdminOptionOperationTimeout) supportsCreateTopics()          {}
func (AdminOptionOperationTimeout) supportsDeleteTopics()          {}
func (AdminOptionOperationTimeout) supportsCreatePartitions()      {}
func (AdminOptionRequestTimeout) supportsCreateTopics()            {}
func (AdminOptionRequestTimeout) supportsDeleteTopics()            {}
func (AdminOptionRequestTimeout) supportsCreatePartitions()        {}
func (AdminOptionRequestTimeout) supportsDescribeConfigs()         {}
func (AdminOptionRequestTimeout) supportsIncrementalAlterConfigs() {}
func (AdminOptionRequestTimeout) supportsDeleteConsumerGroups()    {}
func (AdminOptionValidateOnly) supportsCreateTopics()              {}
func (AdminOptionValidateOnly) supportsCreatePartitions()          {}
func (AdminOptionValidateOnly) supportsIncrementalAlterConfigs()   {}

// timeoutMs is the C call's timeout: the options' and the context's
// deadline, whichever is sooner (-1: request.timeout.ms).
func (ao *adminOptions) timeoutMs(ctx context.Context) C.int {
	t := ao.timeout
	if d, ok := ctx.Deadline(); ok {
		left := time.Until(d)
		if left < time.Millisecond {
			left = time.Millisecond
		}
		if t == 0 || left < t {
			t = left
		}
	}
	if t == 0 {
		return -1
	}
	return C.int((t + time.Millisecond - 1) / time.Millisecond)
}

// call runs f (a blocking C call that returns a result to free) and
// returns early with ctx.Err() when ctx is done first; the C call then
// finishes in the background and its result is freed.
func (a *AdminClient) call(ctx context.Context, f func() (*C.kc_admin_result_t, C.kc_err_t, string),
	conv func(r *C.kc_admin_result_t)) error {
	if ctx == nil {
		ctx = context.Background()
	}
	a.mu.RLock()
	if a.closed {
		a.mu.RUnlock()
		return NewError(ErrDestroy, "the admin client is closed", false)
	}
	a.wg.Add(1)
	a.mu.RUnlock()
	type res struct {
		r    *C.kc_admin_result_t
		code C.kc_err_t
		str  string
	}
	if ctx.Done() == nil {
		defer a.wg.Done()
		r, code, str := f()
		if code != 0 {
			return newErrorStr(code, str)
		}
		defer C.kc_admin_result_destroy(r)
		conv(r)
		return nil
	}
	ch := make(chan res, 1)
	go func() {
		r, code, str := f()
		ch <- res{r, code, str}
	}()
	select {
	case x := <-ch:
		a.wg.Done()
		if x.code != 0 {
			return newErrorStr(x.code, x.str)
		}
		defer C.kc_admin_result_destroy(x.r)
		conv(x.r)
		return nil
	case <-ctx.Done():
		go func() {
			x := <-ch
			C.kc_admin_result_destroy(x.r)
			a.wg.Done()
		}()
		return ctx.Err()
	}
}

func errbufStr(code C.kc_err_t, buf []C.char) string {
	s := C.GoString(&buf[0])
	if s == "" {
		s = ErrorCode(code).String()
	}
	return s
}

func resultError(r *C.kc_admin_result_t, i C.int) Error {
	code := C.kc_admin_result_error(r, i)
	if code == 0 {
		return newError(0)
	}
	return newErrorStr(code, goStr(C.kc_admin_result_errstr(r, i)))
}

// ------------------------------------------------------------ topics

// TopicSpecification is a topic to create. NumPartitions and
// ReplicationFactor <= 0 take the broker's defaults.
type TopicSpecification struct {
	Topic             string
	NumPartitions     int
	ReplicationFactor int
	ReplicaAssignment [][]int32 // not supported by kafkac: must be empty
	Config            map[string]string
}

// TopicResult is the result of one topic's operation.
type TopicResult struct {
	Topic string
	Error Error
}

func (t TopicResult) String() string {
	if t.Error.code == 0 {
		return t.Topic
	}
	return fmt.Sprintf("%s (%s, %s)", t.Topic, t.Error.code, t.Error.str)
}

func topicResults(r *C.kc_admin_result_t) []TopicResult {
	n := int(C.kc_admin_result_count(r))
	out := make([]TopicResult, n)
	for i := 0; i < n; i++ {
		out[i] = TopicResult{Topic: goStr(C.kc_admin_result_name(r, C.int(i))), Error: resultError(r, C.int(i))}
	}
	return out
}

// CreateTopics creates topics; each result carries its own Error
// (ErrNoError, ErrTopicAlreadyExists, ...).
func (a *AdminClient) CreateTopics(ctx context.Context, topics []TopicSpecification,
	options ...CreateTopicsAdminOption) ([]TopicResult, error) {
	if len(topics) == 0 {
		return nil, NewError(ErrInvalidArg, "CreateTopics: no topics", false)
	}
	var ao adminOptions
	for _, o := range options {
		o.apply(&ao)
	}
	for _, t := range topics {
		if len(t.ReplicaAssignment) > 0 {
			return nil, NewError(ErrNotImplemented, fmt.Sprintf("CreateTopics %s: ReplicaAssignment is not "+
				"supported by kafkac", t.Topic), false)
		}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	tmo := ao.timeoutMs(ctx)
	var out []TopicResult
	err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
		nts := make([]*C.kc_new_topic_t, len(topics))
		cnts := C.calloc(C.size_t(len(topics)), C.size_t(unsafe.Sizeof(uintptr(0))))
		defer C.free(cnts)
		cv := unsafe.Slice((**C.kc_new_topic_t)(cnts), len(topics))
		defer func() {
			for _, t := range nts {
				C.kc_new_topic_destroy(t)
			}
		}()
		for i, t := range topics {
			np, rf := t.NumPartitions, t.ReplicationFactor
			if np <= 0 {
				np = -1
			}
			if rf <= 0 {
				rf = -1
			}
			cn := C.CString(t.Topic)
			nts[i] = C.kc_new_topic_new(cn, C.int32_t(np), C.int16_t(rf))
			C.free(unsafe.Pointer(cn))
			if nts[i] == nil {
				return nil, C.KC_ERR__INVALID_ARG, fmt.Sprintf("CreateTopics: invalid topic name %q", t.Topic)
			}
			cv[i] = nts[i]
			for k, v := range t.Config {
				ck, cval := C.CString(k), C.CString(v)
				code := C.kc_new_topic_set_config(nts[i], ck, cval)
				C.free(unsafe.Pointer(ck))
				C.free(unsafe.Pointer(cval))
				if code != 0 {
					return nil, code, fmt.Sprintf("CreateTopics %s: config %s", t.Topic, k)
				}
			}
		}
		var r *C.kc_admin_result_t
		var errbuf [512]C.char
		code := C.kc_admin_create_topics(a.a, (**C.kc_new_topic_t)(cnts), C.size_t(len(topics)),
			cbool(ao.validateOnly), tmo, &r, &errbuf[0], C.size_t(len(errbuf)))
		return r, code, errbufStr(code, errbuf[:])
	}, func(r *C.kc_admin_result_t) { out = topicResults(r) })
	return out, err
}

// withNames passes names as a C string array to f.
func withNames(names []string, f func(v **C.char) (*C.kc_admin_result_t, C.kc_err_t, string)) (*C.kc_admin_result_t, C.kc_err_t, string) {
	b := cStrings(names)
	cb := C.CBytes(b)
	defer C.free(cb)
	v := C.kcgo_split((*C.char)(cb), C.int(len(names)))
	if v == nil {
		return nil, C.KC_ERR__CRIT_SYS_RESOURCE, "out of memory"
	}
	defer C.free(unsafe.Pointer(v))
	return f(v)
}

// DeleteTopics deletes topics; each result carries its own Error.
func (a *AdminClient) DeleteTopics(ctx context.Context, topics []string,
	options ...DeleteTopicsAdminOption) ([]TopicResult, error) {
	if len(topics) == 0 {
		return nil, NewError(ErrInvalidArg, "DeleteTopics: no topics", false)
	}
	var ao adminOptions
	for _, o := range options {
		o.apply(&ao)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	tmo := ao.timeoutMs(ctx)
	var out []TopicResult
	err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
		return withNames(topics, func(v **C.char) (*C.kc_admin_result_t, C.kc_err_t, string) {
			var r *C.kc_admin_result_t
			var errbuf [512]C.char
			code := C.kc_admin_delete_topics(a.a, v, C.size_t(len(topics)), tmo, &r, &errbuf[0],
				C.size_t(len(errbuf)))
			return r, code, errbufStr(code, errbuf[:])
		})
	}, func(r *C.kc_admin_result_t) { out = topicResults(r) })
	return out, err
}

// PartitionsSpecification raises a topic's partition count to IncreaseTo.
type PartitionsSpecification struct {
	Topic             string
	IncreaseTo        int
	ReplicaAssignment [][]int32 // not supported by kafkac: must be empty
}

// CreatePartitions raises partition counts; each result carries its own Error.
func (a *AdminClient) CreatePartitions(ctx context.Context, partitions []PartitionsSpecification,
	options ...CreatePartitionsAdminOption) ([]TopicResult, error) {
	if len(partitions) == 0 {
		return nil, NewError(ErrInvalidArg, "CreatePartitions: no topics", false)
	}
	var ao adminOptions
	for _, o := range options {
		o.apply(&ao)
	}
	names := make([]string, len(partitions))
	totals := make([]int32, len(partitions))
	for i, p := range partitions {
		if len(p.ReplicaAssignment) > 0 {
			return nil, NewError(ErrNotImplemented, "CreatePartitions: ReplicaAssignment is not supported by kafkac", false)
		}
		names[i] = p.Topic
		totals[i] = int32(p.IncreaseTo)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	tmo := ao.timeoutMs(ctx)
	var out []TopicResult
	err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
		return withNames(names, func(v **C.char) (*C.kc_admin_result_t, C.kc_err_t, string) {
			ct := C.CBytes(int32Bytes(totals))
			defer C.free(ct)
			var r *C.kc_admin_result_t
			var errbuf [512]C.char
			code := C.kc_admin_create_partitions(a.a, v, (*C.int32_t)(ct), C.size_t(len(names)), tmo, &r,
				&errbuf[0], C.size_t(len(errbuf)))
			return r, code, errbufStr(code, errbuf[:])
		})
	}, func(r *C.kc_admin_result_t) { out = topicResults(r) })
	return out, err
}

func int32Bytes(v []int32) []byte {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), len(v)*4)
}

// ------------------------------------------------------------ configs

// ResourceType is a config resource type (confluent-kafka-go's numbers).
type ResourceType int

const (
	ResourceUnknown = ResourceType(0)
	ResourceAny     = ResourceType(1)
	ResourceTopic   = ResourceType(2)
	ResourceGroup   = ResourceType(3)
	ResourceBroker  = ResourceType(4)
)

func (t ResourceType) String() string {
	switch t {
	case ResourceAny:
		return "ANY"
	case ResourceTopic:
		return "TOPIC"
	case ResourceGroup:
		return "GROUP"
	case ResourceBroker:
		return "BROKER"
	}
	return "UNKNOWN"
}

// ResourceTypeFromString parses "topic", "group", "broker", "any".
func ResourceTypeFromString(s string) (ResourceType, error) {
	switch s {
	case "TOPIC", "topic", "Topic":
		return ResourceTopic, nil
	case "GROUP", "group", "Group":
		return ResourceGroup, nil
	case "BROKER", "broker", "Broker":
		return ResourceBroker, nil
	case "ANY", "any", "Any":
		return ResourceAny, nil
	}
	return ResourceUnknown, NewError(ErrInvalidArg, fmt.Sprintf("unknown resource type %q", s), false)
}

func (t ResourceType) kc() (C.int, bool) {
	switch t {
	case ResourceTopic:
		return C.KC_RESOURCE_TOPIC, true
	case ResourceGroup:
		return C.KC_RESOURCE_GROUP, true
	case ResourceBroker:
		return C.KC_RESOURCE_BROKER, true
	}
	return 0, false
}

// ConfigSource is where a config value comes from (Kafka's numbers).
type ConfigSource int

const (
	ConfigSourceUnknown              = ConfigSource(C.KC_CONFIG_SOURCE_UNKNOWN)
	ConfigSourceDynamicTopic         = ConfigSource(C.KC_CONFIG_SOURCE_DYNAMIC_TOPIC)
	ConfigSourceDynamicBroker        = ConfigSource(C.KC_CONFIG_SOURCE_DYNAMIC_BROKER)
	ConfigSourceDynamicDefaultBroker = ConfigSource(C.KC_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER)
	ConfigSourceStaticBroker         = ConfigSource(C.KC_CONFIG_SOURCE_STATIC_BROKER)
	ConfigSourceDefault              = ConfigSource(C.KC_CONFIG_SOURCE_DEFAULT)
	ConfigSourceDynamicBrokerLogger  = ConfigSource(C.KC_CONFIG_SOURCE_DYNAMIC_BROKER_LOGGER)
	ConfigSourceClientMetrics        = ConfigSource(C.KC_CONFIG_SOURCE_CLIENT_METRICS)
	ConfigSourceGroup                = ConfigSource(C.KC_CONFIG_SOURCE_GROUP)
)

func (s ConfigSource) String() string {
	switch s {
	case ConfigSourceDynamicTopic:
		return "DYNAMIC_TOPIC_CONFIG"
	case ConfigSourceDynamicBroker:
		return "DYNAMIC_BROKER_CONFIG"
	case ConfigSourceDynamicDefaultBroker:
		return "DYNAMIC_DEFAULT_BROKER_CONFIG"
	case ConfigSourceStaticBroker:
		return "STATIC_BROKER_CONFIG"
	case ConfigSourceDefault:
		return "DEFAULT_CONFIG"
	case ConfigSourceDynamicBrokerLogger:
		return "DYNAMIC_BROKER_LOGGER_CONFIG"
	case ConfigSourceClientMetrics:
		return "CLIENT_METRICS_CONFIG"
	case ConfigSourceGroup:
		return "GROUP_CONFIG"
	}
	return "UNKNOWN_CONFIG"
}

// AlterOperation is the (non-incremental) alter operation; only Set exists.
type AlterOperation int

// AlterOperationSet sets a value.
const AlterOperationSet = AlterOperation(0)

// AlterConfigOpType is an incremental alter operation.
type AlterConfigOpType int

const (
	AlterConfigOpTypeSet      = AlterConfigOpType(C.KC_CONFIG_SET)
	AlterConfigOpTypeDelete   = AlterConfigOpType(C.KC_CONFIG_DELETE)
	AlterConfigOpTypeAppend   = AlterConfigOpType(C.KC_CONFIG_APPEND)
	AlterConfigOpTypeSubtract = AlterConfigOpType(C.KC_CONFIG_SUBTRACT)
)

func (o AlterConfigOpType) String() string {
	switch o {
	case AlterConfigOpTypeSet:
		return "SET"
	case AlterConfigOpTypeDelete:
		return "DELETE"
	case AlterConfigOpTypeAppend:
		return "APPEND"
	case AlterConfigOpTypeSubtract:
		return "SUBTRACT"
	}
	return "UNKNOWN"
}

// ConfigEntry is a config to set (or, for IncrementalAlterConfigs, to
// change with IncrementalOperation).
type ConfigEntry struct {
	Name                 string
	Value                string
	Operation            AlterOperation
	IncrementalOperation AlterConfigOpType
}

// StringMapToConfigEntries converts a map to ConfigEntry values.
func StringMapToConfigEntries(m map[string]string, op AlterOperation) []ConfigEntry {
	out := make([]ConfigEntry, 0, len(m))
	for k, v := range m {
		out = append(out, ConfigEntry{Name: k, Value: v, Operation: op})
	}
	return out
}

// StringMapToIncrementalConfigEntries converts maps of values and
// operations to ConfigEntry values.
func StringMapToIncrementalConfigEntries(m map[string]string, ops map[string]AlterConfigOpType) []ConfigEntry {
	out := make([]ConfigEntry, 0, len(m))
	for k, v := range m {
		out = append(out, ConfigEntry{Name: k, Value: v, IncrementalOperation: ops[k]})
	}
	return out
}

// ConfigResource is a resource whose configs are described or altered.
type ConfigResource struct {
	Type   ResourceType
	Name   string
	Config []ConfigEntry
}

func (c ConfigResource) String() string { return fmt.Sprintf("Resource(%s, %s)", c.Type, c.Name) }

// ConfigEntryResult is a described config entry.
type ConfigEntryResult struct {
	Name        string
	Value       string
	Source      ConfigSource
	IsReadOnly  bool
	IsSensitive bool
	IsSynonym   bool
	Synonyms    map[string]ConfigEntryResult // not filled by kafkac
}

func (c ConfigEntryResult) String() string { return fmt.Sprintf("%s=%q", c.Name, c.Value) }

// ConfigResourceResult is the result of one resource.
type ConfigResourceResult struct {
	Type   ResourceType
	Name   string
	Error  Error
	Config map[string]ConfigEntryResult
}

func (c ConfigResourceResult) String() string {
	if c.Error.Code() != ErrNoError {
		return fmt.Sprintf("ResourceResult(%s, %s, %q)", c.Type, c.Name, c.Error)
	}
	return fmt.Sprintf("ResourceResult(%s, %s, %d configs)", c.Type, c.Name, len(c.Config))
}

// DescribeConfigs describes resources (their whole configs; Config of the
// request entries is ignored). Results come in request order, each with
// its own Error.
func (a *AdminClient) DescribeConfigs(ctx context.Context, resources []ConfigResource,
	options ...DescribeConfigsAdminOption) ([]ConfigResourceResult, error) {
	if len(resources) == 0 {
		return nil, NewError(ErrInvalidArg, "DescribeConfigs: no resources", false)
	}
	var ao adminOptions
	for _, o := range options {
		o.apply(&ao)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	out := make([]ConfigResourceResult, len(resources))
	// The C call takes one resource type: one call per type present.
	byType := map[ResourceType][]int{}
	var order []ResourceType
	for i, r := range resources {
		if _, ok := r.Type.kc(); !ok {
			return nil, NewError(ErrInvalidArg, fmt.Sprintf("DescribeConfigs %s: unsupported resource type %s",
				r.Name, r.Type), false)
		}
		if _, ok := byType[r.Type]; !ok {
			order = append(order, r.Type)
		}
		byType[r.Type] = append(byType[r.Type], i)
	}
	for _, t := range order {
		idx := byType[t]
		names := make([]string, len(idx))
		for j, i := range idx {
			names[j] = resources[i].Name
		}
		kt, _ := t.kc()
		tmo := ao.timeoutMs(ctx)
		err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
			return withNames(names, func(v **C.char) (*C.kc_admin_result_t, C.kc_err_t, string) {
				var r *C.kc_admin_result_t
				var errbuf [512]C.char
				code := C.kc_admin_describe_configs(a.a, kt, v, C.size_t(len(names)), tmo, &r, &errbuf[0],
					C.size_t(len(errbuf)))
				return r, code, errbufStr(code, errbuf[:])
			})
		}, func(r *C.kc_admin_result_t) {
			n := int(C.kc_admin_result_count(r))
			for j := 0; j < n && j < len(idx); j++ {
				cj := C.int(j)
				res := ConfigResourceResult{Type: t, Name: goStr(C.kc_admin_result_name(r, cj)),
					Error: resultError(r, cj), Config: map[string]ConfigEntryResult{}}
				nc := int(C.kc_admin_result_config_count(r, cj))
				for k := 0; k < nc; k++ {
					ck := C.int(k)
					e := ConfigEntryResult{
						Name:        goStr(C.kc_admin_result_config_name(r, cj, ck)),
						Value:       goStr(C.kc_admin_result_config_value(r, cj, ck)),
						Source:      ConfigSource(C.kc_admin_result_config_source(r, cj, ck)),
						IsReadOnly:  C.kc_admin_result_config_is_read_only(r, cj, ck) != 0,
						IsSensitive: C.kc_admin_result_config_is_sensitive(r, cj, ck) != 0,
					}
					res.Config[e.Name] = e
				}
				out[idx[j]] = res
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// IncrementalAlterConfigs changes configs of resources entry by entry
// (ConfigEntry.IncrementalOperation). One result per resource.
func (a *AdminClient) IncrementalAlterConfigs(ctx context.Context, resources []ConfigResource,
	options ...IncrementalAlterConfigsAdminOption) ([]ConfigResourceResult, error) {
	if len(resources) == 0 {
		return nil, NewError(ErrInvalidArg, "IncrementalAlterConfigs: no resources", false)
	}
	var ao adminOptions
	for _, o := range options {
		o.apply(&ao)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	out := make([]ConfigResourceResult, len(resources))
	for i, res := range resources {
		kt, ok := res.Type.kc()
		if !ok {
			return nil, NewError(ErrInvalidArg, fmt.Sprintf("IncrementalAlterConfigs %s: unsupported resource type %s",
				res.Name, res.Type), false)
		}
		tmo := ao.timeoutMs(ctx)
		res := res
		err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
			n := len(res.Config)
			ops := make([]int32, n+1)
			var keys, vals []string
			nullVal := make([]bool, n)
			for j, e := range res.Config {
				ops[j] = int32(e.IncrementalOperation)
				keys = append(keys, e.Name)
				vals = append(vals, e.Value)
				nullVal[j] = e.IncrementalOperation == AlterConfigOpTypeDelete && e.Value == ""
			}
			cname := C.CString(res.Name)
			defer C.free(unsafe.Pointer(cname))
			kb, vb := C.CBytes(cStrings(append(keys, ""))), C.CBytes(cStrings(append(vals, "")))
			defer C.free(kb)
			defer C.free(vb)
			kv := C.kcgo_split((*C.char)(kb), C.int(n))
			vv := C.kcgo_split((*C.char)(vb), C.int(n))
			defer C.free(unsafe.Pointer(kv))
			defer C.free(unsafe.Pointer(vv))
			if kv == nil || vv == nil {
				return nil, C.KC_ERR__CRIT_SYS_RESOURCE, "out of memory"
			}
			vs := unsafe.Slice(vv, n+1)
			for j := 0; j < n; j++ {
				if nullVal[j] {
					vs[j] = nil
				}
			}
			cops := C.CBytes(int32Bytes(ops))
			defer C.free(cops)
			var r *C.kc_admin_result_t
			var errbuf [512]C.char
			code := C.kc_admin_incremental_alter_configs(a.a, kt, cname, (*C.int)(cops), kv, vv, C.size_t(n),
				tmo, &r, &errbuf[0], C.size_t(len(errbuf)))
			return r, code, errbufStr(code, errbuf[:])
		}, func(r *C.kc_admin_result_t) {
			out[i] = ConfigResourceResult{Type: res.Type, Name: res.Name}
			if C.kc_admin_result_count(r) > 0 {
				out[i].Error = resultError(r, 0)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ------------------------------------------------------------ groups

// GroupResult is the result of one group's operation.
type GroupResult struct {
	Group string
	Error Error
}

// DeleteConsumerGroupsResult is DeleteConsumerGroups' result.
type DeleteConsumerGroupsResult struct {
	ConsumerGroupResults []GroupResult
}

// DeleteConsumerGroups deletes groups without active members.
func (a *AdminClient) DeleteConsumerGroups(ctx context.Context, groups []string,
	options ...DeleteConsumerGroupsAdminOption) (DeleteConsumerGroupsResult, error) {
	var res DeleteConsumerGroupsResult
	if len(groups) == 0 {
		return res, NewError(ErrInvalidArg, "DeleteConsumerGroups: no groups", false)
	}
	var ao adminOptions
	for _, o := range options {
		o.apply(&ao)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	tmo := ao.timeoutMs(ctx)
	err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
		return withNames(groups, func(v **C.char) (*C.kc_admin_result_t, C.kc_err_t, string) {
			var r *C.kc_admin_result_t
			var errbuf [512]C.char
			code := C.kc_admin_delete_groups(a.a, v, C.size_t(len(groups)), tmo, &r, &errbuf[0],
				C.size_t(len(errbuf)))
			return r, code, errbufStr(code, errbuf[:])
		})
	}, func(r *C.kc_admin_result_t) {
		for _, t := range topicResults(r) {
			res.ConsumerGroupResults = append(res.ConsumerGroupResults, GroupResult{Group: t.Topic, Error: t.Error})
		}
	})
	return res, err
}

// ------------------------------------------------------------ cluster

// GetMetadata returns the cluster's metadata (see Consumer.GetMetadata).
func (a *AdminClient) GetMetadata(topic *string, allTopics bool, timeoutMs int) (*Metadata, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.closed {
		return nil, NewError(ErrDestroy, "the admin client is closed", false)
	}
	return getMetadata(a.conf, topic, allTopics, timeoutMs)
}

func (a *AdminClient) clusterMetadata(ctx context.Context) (*C.kc_metadata_t, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.closed {
		return nil, NewError(ErrDestroy, "the admin client is closed", false)
	}
	var ao adminOptions
	if ctx == nil {
		ctx = context.Background()
	}
	var md *C.kc_metadata_t
	var errbuf [512]C.char
	tmo := ao.timeoutMs(ctx)
	if tmo < 0 {
		tmo = 30000
	}
	code := C.kc_metadata_fetch(a.conf, nil, 0, tmo, &md, &errbuf[0], C.size_t(len(errbuf)))
	if code != 0 {
		return nil, newErrorBuf(code, errbuf[:])
	}
	return md, nil
}

// ClusterID returns the cluster id.
func (a *AdminClient) ClusterID(ctx context.Context) (string, error) {
	md, err := a.clusterMetadata(ctx)
	if err != nil {
		return "", err
	}
	defer C.kc_metadata_destroy(md)
	return goStr(C.kc_metadata_cluster_id(md)), nil
}

// ControllerID returns the controller's broker id.
func (a *AdminClient) ControllerID(ctx context.Context) (int32, error) {
	md, err := a.clusterMetadata(ctx)
	if err != nil {
		return -1, err
	}
	defer C.kc_metadata_destroy(md)
	return int32(C.kc_metadata_controller_id(md)), nil
}

// ConsumerGroupState is a group's state.
type ConsumerGroupState int

const (
	ConsumerGroupStateUnknown             = ConsumerGroupState(0)
	ConsumerGroupStatePreparingRebalance  = ConsumerGroupState(1)
	ConsumerGroupStateCompletingRebalance = ConsumerGroupState(2)
	ConsumerGroupStateStable              = ConsumerGroupState(3)
	ConsumerGroupStateDead                = ConsumerGroupState(4)
	ConsumerGroupStateEmpty               = ConsumerGroupState(5)
)

var groupStates = []string{"Unknown", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead", "Empty"}

func (s ConsumerGroupState) String() string {
	if s >= 0 && int(s) < len(groupStates) {
		return groupStates[s]
	}
	return "Unknown"
}

// ConsumerGroupStateFromString parses a state name ("Stable", ...).
func ConsumerGroupStateFromString(s string) (ConsumerGroupState, error) {
	for i, n := range groupStates {
		if n == s {
			return ConsumerGroupState(i), nil
		}
	}
	return ConsumerGroupStateUnknown, NewError(ErrInvalidArg, fmt.Sprintf("unknown group state %q", s), false)
}

// ConsumerGroupListing is one group of ListConsumerGroups.
type ConsumerGroupListing struct {
	GroupID               string
	IsSimpleConsumerGroup bool // the group has no protocol type (offsets only)
	State                 ConsumerGroupState
}

// ListConsumerGroupsResult is ListConsumerGroups' result.
type ListConsumerGroupsResult struct {
	Valid  []ConsumerGroupListing
	Errors []error
}

// ListConsumerGroupsAdminOption is an option of ListConsumerGroups.
type ListConsumerGroupsAdminOption interface {
	adminOption
	supportsListConsumerGroups()
}

// DescribeConsumerGroupsAdminOption is an option of DescribeConsumerGroups.
type DescribeConsumerGroupsAdminOption interface {
	adminOption
	supportsDescribeConsumerGroups()
}

// ListConsumerGroupOffsetsAdminOption is an option of ListConsumerGroupOffsets.
type ListConsumerGroupOffsetsAdminOption interface {
	adminOption
	supportsListConsumerGroupOffsets()
}

// AlterConsumerGroupOffsetsAdminOption is an option of AlterConsumerGroupOffsets.
type AlterConsumerGroupOffsetsAdminOption interface {
	adminOption
	supportsAlterConsumerGroupOffsets()
}

func (AdminOptionRequestTimeout) supportsListConsumerGroups()        {}
func (AdminOptionRequestTimeout) supportsDescribeConsumerGroups()    {}
func (AdminOptionRequestTimeout) supportsListConsumerGroupOffsets()  {}
func (AdminOptionRequestTimeout) supportsAlterConsumerGroupOffsets() {}

func adminOpts[T adminOption](options []T) adminOptions {
	var ao adminOptions
	for _, o := range options {
		o.apply(&ao)
	}
	return ao
}

// ListConsumerGroups lists the groups of every broker.
func (a *AdminClient) ListConsumerGroups(ctx context.Context,
	options ...ListConsumerGroupsAdminOption) (*ListConsumerGroupsResult, error) {
	ao := adminOpts(options)
	if ctx == nil {
		ctx = context.Background()
	}
	tmo := ao.timeoutMs(ctx)
	res := &ListConsumerGroupsResult{}
	err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
		var r *C.kc_admin_result_t
		var errbuf [512]C.char
		code := C.kc_admin_list_groups(a.a, tmo, &r, &errbuf[0], C.size_t(len(errbuf)))
		return r, code, errbufStr(code, errbuf[:])
	}, func(r *C.kc_admin_result_t) {
		n := int(C.kc_admin_result_count(r))
		for i := 0; i < n; i++ {
			ci := C.int(i)
			if e := resultError(r, ci); e.Code() != ErrNoError {
				res.Errors = append(res.Errors, e)
				continue
			}
			st, _ := ConsumerGroupStateFromString(goStr(C.kc_admin_result_group_state(r, ci)))
			res.Valid = append(res.Valid, ConsumerGroupListing{
				GroupID:               goStr(C.kc_admin_result_name(r, ci)),
				IsSimpleConsumerGroup: goStr(C.kc_admin_result_group_protocol_type(r, ci)) == "",
				State:                 st,
			})
		}
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// MemberAssignment is a member's assigned partitions.
type MemberAssignment struct {
	TopicPartitions []TopicPartition
}

// MemberDescription is a member of a group.
type MemberDescription struct {
	ClientID        string
	GroupInstanceID string // "" for a dynamic member
	ConsumerID      string
	Host            string
	Assignment      MemberAssignment
}

// ConsumerGroupDescription describes a group.
type ConsumerGroupDescription struct {
	GroupID               string
	Error                 Error
	IsSimpleConsumerGroup bool
	PartitionAssignor     string
	State                 ConsumerGroupState
	Members               []MemberDescription
}

// DescribeConsumerGroupsResult is DescribeConsumerGroups' result.
type DescribeConsumerGroupsResult struct {
	ConsumerGroupDescriptions []ConsumerGroupDescription
}

// DescribeConsumerGroups describes groups: state, assignor, members and
// their assignments.
func (a *AdminClient) DescribeConsumerGroups(ctx context.Context, groups []string,
	options ...DescribeConsumerGroupsAdminOption) (DescribeConsumerGroupsResult, error) {
	var res DescribeConsumerGroupsResult
	if len(groups) == 0 {
		return res, NewError(ErrInvalidArg, "DescribeConsumerGroups: no groups", false)
	}
	ao := adminOpts(options)
	if ctx == nil {
		ctx = context.Background()
	}
	tmo := ao.timeoutMs(ctx)
	err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
		return withNames(groups, func(v **C.char) (*C.kc_admin_result_t, C.kc_err_t, string) {
			var r *C.kc_admin_result_t
			var errbuf [512]C.char
			code := C.kc_admin_describe_groups(a.a, v, C.size_t(len(groups)), tmo, &r, &errbuf[0],
				C.size_t(len(errbuf)))
			return r, code, errbufStr(code, errbuf[:])
		})
	}, func(r *C.kc_admin_result_t) {
		n := int(C.kc_admin_result_count(r))
		for i := 0; i < n; i++ {
			ci := C.int(i)
			st, _ := ConsumerGroupStateFromString(goStr(C.kc_admin_result_group_state(r, ci)))
			d := ConsumerGroupDescription{
				GroupID:               goStr(C.kc_admin_result_name(r, ci)),
				Error:                 resultError(r, ci),
				IsSimpleConsumerGroup: goStr(C.kc_admin_result_group_protocol_type(r, ci)) == "",
				PartitionAssignor:     goStr(C.kc_admin_result_group_protocol(r, ci)),
				State:                 st,
			}
			nm := int(C.kc_admin_result_member_count(r, ci))
			for j := 0; j < nm; j++ {
				cj := C.int(j)
				d.Members = append(d.Members, MemberDescription{
					ClientID:        goStr(C.kc_admin_result_member_client_id(r, ci, cj)),
					GroupInstanceID: goStr(C.kc_admin_result_member_instance_id(r, ci, cj)),
					ConsumerID:      goStr(C.kc_admin_result_member_id(r, ci, cj)),
					Host:            goStr(C.kc_admin_result_member_host(r, ci, cj)),
					Assignment: MemberAssignment{TopicPartitions: tplistToGo(
						C.kc_admin_result_member_assignment(r, ci, cj), false)},
				})
			}
			res.ConsumerGroupDescriptions = append(res.ConsumerGroupDescriptions, d)
		}
	})
	return res, err
}

// ConsumerGroupTopicPartitions is a group and partitions of it.
type ConsumerGroupTopicPartitions struct {
	Group      string
	Partitions []TopicPartition
}

// ListConsumerGroupOffsetsResult is ListConsumerGroupOffsets' result.
type ListConsumerGroupOffsetsResult struct {
	ConsumerGroupsTopicPartitions []ConsumerGroupTopicPartitions
}

// AlterConsumerGroupOffsetsResult is AlterConsumerGroupOffsets' result.
type AlterConsumerGroupOffsetsResult struct {
	ConsumerGroupsTopicPartitions []ConsumerGroupTopicPartitions
}

func (a *AdminClient) groupOffsets(ctx context.Context, what string, gps []ConsumerGroupTopicPartitions,
	ao adminOptions, alter bool) ([]ConsumerGroupTopicPartitions, error) {
	if len(gps) != 1 {
		return nil, NewError(ErrInvalidArg, what+": exactly one group is supported", false)
	}
	g := gps[0]
	if ctx == nil {
		ctx = context.Background()
	}
	for _, p := range g.Partitions {
		if p.Topic == nil || *p.Topic == "" {
			return nil, NewError(ErrInvalidArg, what+": a partition without a topic", false)
		}
	}
	tmo := ao.timeoutMs(ctx)
	var out []ConsumerGroupTopicPartitions
	err := a.call(ctx, func() (*C.kc_admin_result_t, C.kc_err_t, string) {
		var l *C.kc_tplist_t
		if len(g.Partitions) > 0 || alter {
			var err error
			if l, err = newCTplist(g.Partitions); err != nil {
				return nil, C.KC_ERR__CRIT_SYS_RESOURCE, err.Error()
			}
			defer C.kc_tplist_destroy(l)
		}
		cg := C.CString(g.Group)
		defer C.free(unsafe.Pointer(cg))
		var r *C.kc_admin_result_t
		var errbuf [512]C.char
		var code C.kc_err_t
		if alter {
			code = C.kc_admin_alter_group_offsets(a.a, cg, l, tmo, &r, &errbuf[0], C.size_t(len(errbuf)))
		} else {
			code = C.kc_admin_list_group_offsets(a.a, cg, l, tmo, &r, &errbuf[0], C.size_t(len(errbuf)))
		}
		return r, code, errbufStr(code, errbuf[:])
	}, func(r *C.kc_admin_result_t) {
		n := int(C.kc_admin_result_count(r))
		for i := 0; i < n; i++ {
			ci := C.int(i)
			tps := tplistToGo(C.kc_admin_result_partitions(r, ci), true)
			if e := resultError(r, ci); e.Code() != ErrNoError {
				for k := range tps {
					if tps[k].Error == nil {
						tps[k].Error = e
					}
				}
			}
			out = append(out, ConsumerGroupTopicPartitions{Group: goStr(C.kc_admin_result_name(r, ci)), Partitions: tps})
		}
	})
	return out, err
}

// ListConsumerGroupOffsets returns a group's committed offsets (of every
// partition with a commit when Partitions is empty). One group per call.
func (a *AdminClient) ListConsumerGroupOffsets(ctx context.Context, groupsPartitions []ConsumerGroupTopicPartitions,
	options ...ListConsumerGroupOffsetsAdminOption) (ListConsumerGroupOffsetsResult, error) {
	out, err := a.groupOffsets(ctx, "ListConsumerGroupOffsets", groupsPartitions, adminOpts(options), false)
	return ListConsumerGroupOffsetsResult{ConsumerGroupsTopicPartitions: out}, err
}

// AlterConsumerGroupOffsets commits offsets for a group without active
// members; each partition carries its own error. One group per call.
func (a *AdminClient) AlterConsumerGroupOffsets(ctx context.Context, groupsPartitions []ConsumerGroupTopicPartitions,
	options ...AlterConsumerGroupOffsetsAdminOption) (AlterConsumerGroupOffsetsResult, error) {
	out, err := a.groupOffsets(ctx, "AlterConsumerGroupOffsets", groupsPartitions, adminOpts(options), true)
	return AlterConsumerGroupOffsetsResult{ConsumerGroupsTopicPartitions: out}, err
}
