package kafkac

/*
#include "kcgo.h"
*/
import "C"

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// ConfigValue is a configuration value: string, bool, an integer type,
// float64, or (for "default.topic.config") a ConfigMap.
type ConfigValue interface{}

// ConfigMap is a client configuration: the keys of docs/CONFIGURATION.md
// ("bootstrap.servers", "group.id", "acks", ...) plus the Go client's own
// "go.*" keys:
//
//	go.delivery.reports       bool (true)  delivery reports to Events() (producer)
//	go.events.channel.size    int (1000000) Events() channel capacity (producer)
//	go.logs.channel.enable    bool (false) log lines to Logs() instead of stderr
//	go.logs.channel           chan LogEvent the channel Logs() returns
//	go.delivery.report.fields string       accepted; reports always carry the produced message
//	go.produce.channel.size   int          accepted and ignored (no ProduceChannel)
type ConfigMap map[string]ConfigValue

// SetKey sets key to value. A value inside "default.topic.config" may be
// set as "default.topic.config.<key>" is not supported: set the key itself.
func (m ConfigMap) SetKey(key string, value ConfigValue) error {
	if key == "" {
		return NewError(ErrInvalidArg, "empty configuration key", false)
	}
	m[key] = value
	return nil
}

// Set sets a "key=value" property.
func (m ConfigMap) Set(kv string) error {
	i := strings.IndexByte(kv, '=')
	if i <= 0 {
		return NewError(ErrInvalidArg, fmt.Sprintf("expected key=value, not %q", kv), false)
	}
	return m.SetKey(kv[:i], kv[i+1:])
}

// Get returns the value of key, or defval when it is not set. An error is
// returned when the value's type differs from defval's (nil defval: any).
func (m ConfigMap) Get(key string, defval ConfigValue) (ConfigValue, error) {
	v, ok := m[key]
	if !ok {
		return defval, nil
	}
	if defval != nil && reflect.TypeOf(defval) != reflect.TypeOf(v) {
		return nil, NewError(ErrInvalidArg, fmt.Sprintf("%s expects type %T, not %T", key, defval, v), false)
	}
	return v, nil
}

// Clone returns a copy of the map.
func (m ConfigMap) Clone() ConfigMap {
	n := make(ConfigMap, len(m))
	for k, v := range m {
		n[k] = v
	}
	return n
}

// goConfig holds the "go.*" settings.
type goConfig struct {
	deliveryReports bool
	eventsChanSize  int
	logsEnable      bool
	logsChan        chan LogEvent
}

func valueString(key string, v ConfigValue) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.FormatInt(int64(x), 10), nil
	case int8:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint8:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint16:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return "", NewError(ErrInvalidArg, fmt.Sprintf("%s: unsupported value type %T", key, v), false)
}

func boolValue(key string, v ConfigValue) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		b, err := strconv.ParseBool(x)
		if err == nil {
			return b, nil
		}
	}
	return false, NewError(ErrInvalidArg, fmt.Sprintf("%s: expected a bool, not %v (%T)", key, v, v), false)
}

func intValue(key string, v ConfigValue) (int, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int32:
		return int(x), nil
	case int64:
		return int(x), nil
	case string:
		n, err := strconv.Atoi(x)
		if err == nil {
			return n, nil
		}
	}
	return 0, NewError(ErrInvalidArg, fmt.Sprintf("%s: expected an int, not %v (%T)", key, v, v), false)
}

// flatten returns the key/value pairs in key order, with
// "default.topic.config" merged in (its keys are ordinary keys here).
func (m ConfigMap) flatten() ([][2]interface{}, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out [][2]interface{}
	for _, k := range keys {
		v := m[k]
		if k == "default.topic.config" {
			sub, ok := v.(ConfigMap)
			if !ok {
				return nil, NewError(ErrInvalidArg, fmt.Sprintf("%s: expected a ConfigMap, not %T", k, v), false)
			}
			inner, err := sub.flatten()
			if err != nil {
				return nil, err
			}
			out = append(out, inner...)
			continue
		}
		out = append(out, [2]interface{}{k, v})
	}
	return out, nil
}

// newConf builds a kc_conf_t from the map (the caller destroys it) and the
// go.* settings. A bad key or value returns an Error naming the key.
func (m ConfigMap) newConf() (*C.kc_conf_t, *goConfig, error) {
	gc := &goConfig{deliveryReports: true, eventsChanSize: 1000000}
	kvs, err := m.flatten()
	if err != nil {
		return nil, nil, err
	}
	conf := C.kc_conf_new()
	if conf == nil {
		return nil, nil, NewError(ErrCritSysResource, "out of memory", false)
	}
	var errbuf [512]C.char
	for _, kv := range kvs {
		k, v := kv[0].(string), kv[1]
		if strings.HasPrefix(k, "go.") {
			if err := gc.set(k, v); err != nil {
				C.kc_conf_destroy(conf)
				return nil, nil, err
			}
			continue
		}
		s, err := valueString(k, v)
		if err != nil {
			C.kc_conf_destroy(conf)
			return nil, nil, err
		}
		ck, cv := C.CString(k), C.CString(s)
		errbuf[0] = 0
		code := C.kc_conf_set(conf, ck, cv, &errbuf[0], C.size_t(len(errbuf)))
		C.free(unsafe.Pointer(ck))
		C.free(unsafe.Pointer(cv))
		if code != 0 {
			C.kc_conf_destroy(conf)
			msg := C.GoString(&errbuf[0])
			if !strings.Contains(msg, k) {
				msg = fmt.Sprintf("%s: %s", k, msg)
			}
			return nil, nil, newErrorStr(code, msg)
		}
	}
	return conf, gc, nil
}

func (gc *goConfig) set(k string, v ConfigValue) error {
	var err error
	switch k {
	case "go.delivery.reports":
		gc.deliveryReports, err = boolValue(k, v)
	case "go.events.channel.size":
		gc.eventsChanSize, err = intValue(k, v)
		if err == nil && gc.eventsChanSize < 0 {
			err = NewError(ErrInvalidArg, fmt.Sprintf("%s: must be >= 0", k), false)
		}
	case "go.logs.channel.enable":
		gc.logsEnable, err = boolValue(k, v)
	case "go.logs.channel":
		ch, ok := v.(chan LogEvent)
		if !ok {
			return NewError(ErrInvalidArg, fmt.Sprintf("%s: expected a chan kafkac.LogEvent, not %T", k, v), false)
		}
		gc.logsChan = ch
	case "go.delivery.report.fields", "go.produce.channel.size":
		// Accepted for compatibility: delivery reports always return the
		// produced *Message's fields, and there is no ProduceChannel.
	case "go.application.rebalance.enable", "go.events.channel.enable":
		on, e := boolValue(k, v)
		if e != nil {
			return e
		}
		if on {
			return NewError(ErrNotImplemented, fmt.Sprintf("%s: not supported by kafkac-go "+
				"(use a RebalanceCb with Subscribe, and Poll)", k), false)
		}
	default:
		return NewError(ErrNoent, fmt.Sprintf("%s: unknown configuration property", k), false)
	}
	return err
}

// confGet returns the value of key in conf as text ("" when unknown).
func confGet(conf *C.kc_conf_t, key string) string {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	var buf [64]C.char
	if C.kc_conf_get(conf, ck, &buf[0], C.size_t(len(buf)), nil) != 0 {
		return ""
	}
	return C.GoString(&buf[0])
}

func confBool(conf *C.kc_conf_t, key string, def bool) bool {
	switch confGet(conf, key) {
	case "true":
		return true
	case "false":
		return false
	}
	return def
}

func confInt(conf *C.kc_conf_t, key string, def int) int {
	n, err := strconv.Atoi(confGet(conf, key))
	if err != nil {
		return def
	}
	return n
}

func confSet(conf *C.kc_conf_t, key, value string) error {
	ck, cv := C.CString(key), C.CString(value)
	defer C.free(unsafe.Pointer(ck))
	defer C.free(unsafe.Pointer(cv))
	var errbuf [256]C.char
	if code := C.kc_conf_set(conf, ck, cv, &errbuf[0], C.size_t(len(errbuf))); code != 0 {
		return newErrorBuf(code, errbuf[:])
	}
	return nil
}
