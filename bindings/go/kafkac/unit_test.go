package kafkac

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/kafkac/kafkac-go/internal/generr"
)

// Tests that need no broker.

func TestGeneratedErrorsCurrent(t *testing.T) {
	h, err := os.ReadFile("../../../include/kafkac.h")
	if err != nil {
		t.Skipf("include/kafkac.h not found (package used outside the kafkac tree): %v", err)
	}
	want, err := generr.Generate(h)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("generated_errors.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("generated_errors.go is stale: run `go generate ./...` in bindings/go")
	}
}

func TestErrorCodeNames(t *testing.T) {
	// confluent-kafka-go's names and librdkafka's numbers.
	cases := []struct {
		code ErrorCode
		num  int
		name string
	}{
		{ErrPartitionEOF, -191, "_PARTITION_EOF"},
		{ErrAllBrokersDown, -187, "_ALL_BROKERS_DOWN"},
		{ErrTimedOut, -185, "_TIMED_OUT"},
		{ErrQueueFull, -184, "_QUEUE_FULL"},
		{ErrInvalidArg, -186, "_INVALID_ARG"},
		{ErrUnknownTopicOrPart, 3, "UNKNOWN_TOPIC_OR_PARTITION"},
		{ErrUnknownTopicOrPartition, 3, "UNKNOWN_TOPIC_OR_PARTITION"},
		{ErrNotLeaderForPartition, 6, "NOT_LEADER_OR_FOLLOWER"},
		{ErrMsgSizeTooLarge, 10, "MESSAGE_TOO_LARGE"},
		{ErrInvalidMsg, 2, "CORRUPT_MESSAGE"},
		{ErrUnknown, -1, "UNKNOWN_SERVER_ERROR"},
		{ErrNoError, 0, "NO_ERROR"},
		{ErrInvalidGroupID, 24, "INVALID_GROUP_ID"},
		{ErrUnknownMemberID, 25, "UNKNOWN_MEMBER_ID"},
		{ErrTopicAlreadyExists, 36, "TOPIC_ALREADY_EXISTS"},
		{ErrRebalanceInProgress, 27, "REBALANCE_IN_PROGRESS"},
		{ErrFencedInstanceID, 82, "FENCED_INSTANCE_ID"},
		{ErrUnknownTopicID, 100, "UNKNOWN_TOPIC_ID"},
		{ErrLogTruncation, -139, "_LOG_TRUNCATION"},
	}
	for _, c := range cases {
		if int(c.code) != c.num {
			t.Errorf("%s = %d, want %d", c.name, int(c.code), c.num)
		}
		if c.code.Name() != c.name {
			t.Errorf("ErrorCode(%d).Name() = %q, want %q", c.num, c.code.Name(), c.name)
		}
	}
	if s := ErrTimedOut.String(); s != "Local: timed out" {
		t.Errorf("ErrTimedOut.String() = %q", s)
	}
	if !ErrTimedOut.IsRetriable() || ErrPartitionEOF.IsRetriable() {
		t.Error("IsRetriable flags wrong")
	}
}

// Every generated entry agrees with the linked C library.
func TestErrorTableMatchesLibrary(t *testing.T) {
	if len(errorInfos) < 190 {
		t.Fatalf("only %d error codes generated", len(errorInfos))
	}
	for _, e := range errorInfos {
		if got := kcErrName(e.code); got != e.name {
			t.Errorf("code %d: kc_err_name %q, generated %q", e.code, got, e.name)
		}
		if got := kcErrDesc(e.code); got != e.desc {
			t.Errorf("code %d: kc_err_desc %q, generated %q", e.code, got, e.desc)
		}
		if got := kcErrRetriable(e.code); got != e.retriable {
			t.Errorf("code %d: kc_err_is_retriable %v, generated %v", e.code, got, e.retriable)
		}
	}
	// A code the library does not know still has a name.
	if n := ErrorCode(4242).Name(); n == "" {
		t.Error("no name for an unknown code")
	}
}

func TestErrorType(t *testing.T) {
	e := NewError(ErrTimedOut, "waited too long", false)
	var err error = e
	var ke Error
	if !errors.As(err, &ke) || ke.Code() != ErrTimedOut {
		t.Fatal("errors.As failed")
	}
	if !ke.IsRetriable() || !ke.IsTimeout() || ke.IsFatal() || ke.TxnRequiresAbort() {
		t.Error("flags")
	}
	if e.Error() != "waited too long" || e.String() != "waited too long" {
		t.Errorf("message %q", e.Error())
	}
	if NewError(ErrQueueFull, "", false).Error() != "Local: queue full" {
		t.Error("default message")
	}
	if !errors.Is(err, NewError(ErrTimedOut, "", false)) || errors.Is(err, NewError(ErrFail, "", false)) {
		t.Error("errors.Is by code")
	}
}

func TestBadConfigNamesKey(t *testing.T) {
	cases := []struct {
		conf ConfigMap
		key  string
		code ErrorCode
	}{
		{ConfigMap{"bootstrap.servers": "127.0.0.1:1", "no.such.key": "x"}, "no.such.key", ErrNoent},
		{ConfigMap{"bootstrap.servers": "127.0.0.1:1", "acks": "7"}, "acks", ErrInvalidArg},
		{ConfigMap{"bootstrap.servers": "127.0.0.1:1", "linger.ms": -5}, "linger.ms", ErrInvalidArg},
		{ConfigMap{"bootstrap.servers": "127.0.0.1:1", "enable.idempotence": "maybe"}, "enable.idempotence", ErrInvalidArg},
		{ConfigMap{"bootstrap.servers": "127.0.0.1:1", "go.no.such": true}, "go.no.such", ErrNoent},
		{ConfigMap{"bootstrap.servers": "127.0.0.1:1", "go.delivery.reports": "sometimes"}, "go.delivery.reports", ErrInvalidArg},
		{ConfigMap{"bootstrap.servers": "127.0.0.1:1", "client.id": []int{1}}, "client.id", ErrInvalidArg},
	}
	for _, c := range cases {
		conf := c.conf
		_, err := NewProducer(&conf)
		if err == nil {
			t.Errorf("%v: no error", c.conf)
			continue
		}
		ke, ok := err.(Error)
		if !ok {
			t.Errorf("%v: error %T, not kafkac.Error", c.conf, err)
			continue
		}
		if !strings.Contains(ke.Error(), c.key) {
			t.Errorf("error %q does not name %q", ke.Error(), c.key)
		}
		if ke.Code() != c.code {
			t.Errorf("%s: code %s (%d), want %s", c.key, ke.Code().Name(), ke.Code(), c.code.Name())
		}
	}
	// The consumer and admin client check the same way.
	_, err := NewConsumer(&ConfigMap{"bootstrap.servers": "127.0.0.1:1", "group.id": "g",
		"auto.offset.reset": "sideways"})
	if err == nil || !strings.Contains(err.Error(), "auto.offset.reset") {
		t.Errorf("consumer: %v", err)
	}
	_, err = NewAdminClient(&ConfigMap{"bootstrap.servers": "127.0.0.1:1", "request.timeout.ms": "soon"})
	if err == nil || !strings.Contains(err.Error(), "request.timeout.ms") {
		t.Errorf("admin: %v", err)
	}
	// A missing bootstrap.servers is refused at creation.
	if _, err := NewProducer(&ConfigMap{}); err == nil {
		t.Error("producer without bootstrap.servers")
	}
}

func TestConfigMap(t *testing.T) {
	m := ConfigMap{}
	if err := m.SetKey("acks", "all"); err != nil {
		t.Fatal(err)
	}
	if err := m.Set("linger.ms=10"); err != nil {
		t.Fatal(err)
	}
	if err := m.Set("nonsense"); err == nil {
		t.Error("Set without =")
	}
	if v, err := m.Get("linger.ms", ""); err != nil || v != "10" {
		t.Errorf("Get %v %v", v, err)
	}
	if _, err := m.Get("linger.ms", 0); err == nil {
		t.Error("Get with a different type")
	}
	if v, _ := m.Get("missing", 5); v != 5 {
		t.Error("default")
	}
	c := m.Clone()
	c["acks"] = "1"
	if m["acks"] != "all" {
		t.Error("Clone shares")
	}
	// Values of several Go types and default.topic.config are accepted.
	p, err := NewProducer(&ConfigMap{"bootstrap.servers": "127.0.0.1:1", "linger.ms": 7, "batch.size": int64(20000),
		"enable.idempotence": false, "acks": 1, "go.delivery.reports": false,
		"default.topic.config": ConfigMap{"compression.type": "lz4"}})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
}

func TestOffset(t *testing.T) {
	for _, c := range []struct {
		in   interface{}
		want Offset
	}{{"beginning", OffsetBeginning}, {"earliest", OffsetBeginning}, {"end", OffsetEnd}, {"latest", OffsetEnd},
		{"stored", OffsetStored}, {"unset", OffsetInvalid}, {"42", Offset(42)}, {17, Offset(17)},
		{int64(9), Offset(9)}} {
		o, err := NewOffset(c.in)
		if err != nil || o != c.want {
			t.Errorf("NewOffset(%v) = %v, %v", c.in, o, err)
		}
	}
	if _, err := NewOffset("soon"); err == nil {
		t.Error("bad offset")
	}
	if OffsetBeginning != -2 || OffsetEnd != -1 || OffsetStored != -1000 || OffsetInvalid != -1001 || PartitionAny != -1 {
		t.Error("logical offsets differ from librdkafka's")
	}
	if OffsetBeginning.String() != "beginning" || Offset(5).String() != "5" {
		t.Error("Offset.String")
	}
}

func TestProducerWithoutBroker(t *testing.T) {
	// Nothing listens on port 1: records wait, Flush times out, Close
	// fails them with ErrDestroy and closes Events().
	p, err := NewProducer(&ConfigMap{"bootstrap.servers": "127.0.0.1:1", "log_level": 0})
	if err != nil {
		t.Fatal(err)
	}
	topic := "t"
	dc := make(chan Event, 10)
	if err := p.Produce(&Message{TopicPartition: TopicPartition{Topic: &topic, Partition: PartitionAny},
		Value: []byte("x"), Opaque: 7}, dc); err != nil {
		t.Fatal(err)
	}
	if err := p.Produce(&Message{Value: []byte("x")}, nil); err == nil ||
		err.(Error).Code() != ErrInvalidArg {
		t.Errorf("Produce without a topic: %v", err)
	}
	if n := p.Len(); n < 1 {
		t.Errorf("Len %d", n)
	}
	if n := p.Flush(200); n < 1 { // the record, and error events (all brokers down) if any
		t.Errorf("Flush left %d", n)
	}
	p.Close()
	select {
	case ev := <-dc:
		m := ev.(*Message)
		if m.TopicPartition.Error == nil || m.TopicPartition.Error.(Error).Code() != ErrDestroy || m.Opaque != 7 {
			t.Errorf("report %v %v %v", m, m.TopicPartition.Error, m.Opaque)
		}
	default:
		t.Error("no ErrDestroy report at Close")
	}
	for ev := range p.Events() { // closed by Close
		if _, ok := ev.(Error); !ok {
			t.Errorf("unexpected event %v", ev)
		}
	}
	if err := p.Produce(&Message{TopicPartition: TopicPartition{Topic: &topic}}, nil); err == nil {
		t.Error("Produce after Close")
	}
	p.Close() // twice is fine
}
