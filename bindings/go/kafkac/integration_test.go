package kafkac

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Tests against a real broker: KAFKAC_BOOTSTRAP=host:port (for example
// the output of tests/broker/kafka-local up). Skipped without it.

func bootstrap(t *testing.T) string {
	t.Helper()
	b := os.Getenv("KAFKAC_BOOTSTRAP")
	if b == "" {
		t.Skip("KAFKAC_BOOTSTRAP is not set: start a broker (tests/broker/kafka-local up) and export " +
			"KAFKAC_BOOTSTRAP=host:port to run the broker tests")
	}
	return b
}

var topicSeq int64

func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano(), atomic.AddInt64(&topicSeq, 1))
}

// newTopic creates a topic and deletes it when the test ends.
func newTopic(t *testing.T, b string, partitions int) string {
	t.Helper()
	a, err := NewAdminClient(&ConfigMap{"bootstrap.servers": b})
	if err != nil {
		t.Fatal(err)
	}
	name := uniqueName("go-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := a.CreateTopics(ctx, []TopicSpecification{{Topic: name, NumPartitions: partitions, ReplicationFactor: 1}})
	if err != nil || len(res) != 1 || res[0].Error.Code() != ErrNoError {
		t.Fatalf("CreateTopics: %v %v", res, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = a.DeleteTopics(ctx, []string{name})
		a.Close()
	})
	return name
}

func newProducer(t *testing.T, b string, extra ConfigMap) *Producer {
	t.Helper()
	conf := ConfigMap{"bootstrap.servers": b}
	for k, v := range extra {
		conf[k] = v
	}
	p, err := NewProducer(&conf)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newConsumer(t *testing.T, b string, extra ConfigMap) *Consumer {
	t.Helper()
	conf := ConfigMap{"bootstrap.servers": b, "auto.offset.reset": "earliest"}
	for k, v := range extra {
		conf[k] = v
	}
	c, err := NewConsumer(&conf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// produceN produces n records (value "v<i>", key "k<i>") and waits for all
// delivery reports on a delivery channel.
func produceN(t *testing.T, p *Producer, topic string, partition int32, n int, hdrs []Header) []*Message {
	t.Helper()
	dc := make(chan Event, n)
	for i := 0; i < n; i++ {
		m := &Message{TopicPartition: TopicPartition{Topic: &topic, Partition: partition},
			Key: []byte(fmt.Sprintf("k%d", i)), Value: []byte(fmt.Sprintf("v%d", i)), Headers: hdrs, Opaque: i}
		for {
			err := p.Produce(m, dc)
			if err == nil {
				break
			}
			if err.(Error).Code() != ErrQueueFull {
				t.Fatalf("Produce: %v", err)
			}
			time.Sleep(time.Millisecond)
		}
	}
	out := make([]*Message, n)
	timeout := time.After(30 * time.Second)
	for i := 0; i < n; i++ {
		select {
		case ev := <-dc:
			m, ok := ev.(*Message)
			if !ok {
				t.Fatalf("delivery channel: %T %v", ev, ev)
			}
			if m.TopicPartition.Error != nil {
				t.Fatalf("delivery failed: %v", m.TopicPartition.Error)
			}
			out[m.Opaque.(int)] = m
		case <-timeout:
			t.Fatalf("only %d of %d delivery reports", i, n)
		}
	}
	return out
}

func TestProduceDeliveryChannel(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 3)
	p := newProducer(t, b, nil)
	defer p.Close()
	reports := produceN(t, p, topic, PartitionAny, 300, nil)
	// Per partition, offsets are 0..n-1 in produce order.
	next := map[int32]Offset{}
	for i, m := range reports {
		if *m.TopicPartition.Topic != topic || m.TopicPartition.Partition < 0 || m.TopicPartition.Partition > 2 {
			t.Fatalf("report %d: %v", i, m.TopicPartition)
		}
		if m.TopicPartition.Offset != next[m.TopicPartition.Partition] {
			t.Fatalf("report %d: offset %v, want %v", i, m.TopicPartition.Offset, next[m.TopicPartition.Partition])
		}
		next[m.TopicPartition.Partition]++
		if string(m.Value) != fmt.Sprintf("v%d", i) || string(m.Key) != fmt.Sprintf("k%d", i) {
			t.Fatalf("report %d carries %q/%q", i, m.Key, m.Value)
		}
		if m.Timestamp.IsZero() || time.Since(m.Timestamp) > time.Minute {
			t.Errorf("report %d: timestamp %v", i, m.Timestamp)
		}
	}
	// Records with the same key land in the same partition.
	if len(next) < 2 {
		t.Errorf("300 keys went to %d partition(s)", len(next))
	}
	// Nothing went to Events().
	select {
	case ev := <-p.Events():
		t.Errorf("event on Events(): %v", ev)
	default:
	}
	if p.Len() != 0 {
		t.Errorf("Len %d after every report", p.Len())
	}
}

func TestProduceEventsAndFlush(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 2)
	p := newProducer(t, b, ConfigMap{"linger.ms": 1000}) // Flush must not wait for linger
	const n = 20000
	var got, failed int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range p.Events() {
			switch e := ev.(type) {
			case *Message:
				if e.TopicPartition.Error != nil {
					atomic.AddInt64(&failed, 1)
				}
				atomic.AddInt64(&got, 1)
			case Error:
				t.Logf("error event: %v", e)
			}
		}
	}()
	start := time.Now()
	for i := 0; i < n; i++ {
		for {
			err := p.Produce(&Message{TopicPartition: TopicPartition{Topic: &topic, Partition: int32(i % 2)},
				Value: []byte("x")}, nil)
			if err == nil {
				break
			}
			if err.(Error).Code() != ErrQueueFull {
				t.Fatal(err)
			}
			time.Sleep(time.Millisecond)
		}
	}
	if left := p.Flush(30000); left != 0 {
		t.Fatalf("Flush left %d", left)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("Flush took %v", el)
	}
	if atomic.LoadInt64(&got) != n || atomic.LoadInt64(&failed) != 0 {
		t.Errorf("%d reports (%d failed), want %d", got, failed, n)
	}
	p.Close()
	<-done
	c := newConsumer(t, b, nil)
	defer c.Close()
	for part := int32(0); part < 2; part++ {
		lo, hi, err := c.QueryWatermarkOffsets(topic, part, 10000)
		if err != nil || lo != 0 || hi != n/2 {
			t.Errorf("partition %d: watermarks %d..%d %v", part, lo, hi, err)
		}
	}
}

func TestProduceErrors(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	p := newProducer(t, b, ConfigMap{"message.max.bytes": 1000})
	defer p.Close()
	big := make([]byte, 5000)
	err := p.Produce(&Message{TopicPartition: TopicPartition{Topic: &topic, Partition: PartitionAny}, Value: big}, nil)
	if err == nil || err.(Error).Code() != ErrMsgSizeTooLarge {
		t.Errorf("too large: %v", err)
	}
	// A partition the topic does not have fails (at once or in the report).
	dc := make(chan Event, 1)
	err = p.Produce(&Message{TopicPartition: TopicPartition{Topic: &topic, Partition: 7}, Value: []byte("x")}, dc)
	if err == nil {
		select {
		case ev := <-dc:
			err = ev.(*Message).TopicPartition.Error
		case <-time.After(30 * time.Second):
			t.Fatal("no report for partition 7")
		}
	}
	if err == nil || err.(Error).Code() != ErrUnknownPartition {
		t.Errorf("unknown partition: %v", err)
	}
}

func TestConsumeSubscribeHeaders(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 3)
	p := newProducer(t, b, nil)
	hdrs := []Header{{Key: "trace", Value: []byte("abc")}, {Key: "null", Value: nil},
		{Key: "empty", Value: []byte{}}, {Key: "trace", Value: []byte("dup")}}
	produceN(t, p, topic, PartitionAny, 200, hdrs)
	// A null key and an empty value survive the round trip.
	produceNullKey := func() {
		dc := make(chan Event, 1)
		if err := p.Produce(&Message{TopicPartition: TopicPartition{Topic: &topic, Partition: 0},
			Value: []byte{}, Timestamp: time.Unix(1700000000, 123e6)}, dc); err != nil {
			t.Fatal(err)
		}
		if m := (<-dc).(*Message); m.TopicPartition.Error != nil {
			t.Fatal(m.TopicPartition.Error)
		}
	}
	produceNullKey()
	p.Close()

	group := uniqueName("go-group")
	c := newConsumer(t, b, ConfigMap{"group.id": group})
	var mu sync.Mutex
	var assigned, revoked []TopicPartition
	err := c.Subscribe(topic, func(c *Consumer, ev Event) error {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case AssignedPartitions:
			assigned = append(assigned, e.Partitions...)
		case RevokedPartitions:
			revoked = append(revoked, e.Partitions...)
		default:
			t.Errorf("rebalance callback got %T", ev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if subs, err := c.Subscription(); err != nil || len(subs) != 1 || subs[0] != topic {
		t.Errorf("Subscription %v %v", subs, err)
	}
	seen := map[string]bool{}
	var nullKey *Message
	for len(seen) < 200 || nullKey == nil {
		m, err := c.ReadMessage(30 * time.Second)
		if err != nil {
			t.Fatalf("ReadMessage after %d: %v", len(seen), err)
		}
		if m.Key == nil {
			nullKey = m
			continue
		}
		if !strings.HasPrefix(string(m.Key), "k") || "v"+string(m.Key[1:]) != string(m.Value) {
			t.Fatalf("record %q=%q", m.Key, m.Value)
		}
		seen[string(m.Key)] = true
		if len(m.Headers) != 4 || m.Headers[0].Key != "trace" || string(m.Headers[0].Value) != "abc" ||
			m.Headers[1].Key != "null" || m.Headers[1].Value != nil ||
			m.Headers[2].Key != "empty" || m.Headers[2].Value == nil || len(m.Headers[2].Value) != 0 ||
			string(m.Headers[3].Value) != "dup" {
			t.Fatalf("headers %v", m.Headers)
		}
		if m.TimestampType != TimestampCreateTime || time.Since(m.Timestamp) > time.Hour {
			t.Errorf("timestamp %v %v", m.Timestamp, m.TimestampType)
		}
		if m.LeaderEpoch == nil {
			t.Errorf("no leader epoch")
		}
	}
	if nullKey.Value == nil || len(nullKey.Value) != 0 || nullKey.Timestamp.UnixNano() != time.Unix(1700000000, 123e6).UnixNano() {
		t.Errorf("null-key record: value %v, timestamp %v", nullKey.Value, nullKey.Timestamp)
	}
	mu.Lock()
	if len(assigned) != 3 {
		t.Errorf("rebalance callback saw assigned %v", assigned)
	}
	for _, tp := range assigned {
		if *tp.Topic != topic || tp.Offset != OffsetStored {
			t.Errorf("assigned %v", tp)
		}
	}
	mu.Unlock()
	if as, err := c.Assignment(); err != nil || len(as) != 3 {
		t.Errorf("Assignment %v %v", as, err)
	}
	if id, _ := c.MemberID(); id == "" {
		t.Error("no member id")
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	mu.Lock()
	if len(revoked) != 3 {
		t.Errorf("revoked at Close: %v", revoked)
	}
	mu.Unlock()
	if c.Poll(0) != nil {
		t.Error("Poll after Close")
	}
	if _, err := c.Commit(); err == nil {
		t.Error("Commit after Close")
	}
}

func TestCommitCommittedSeekPauseResume(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	p := newProducer(t, b, nil)
	produceN(t, p, topic, 0, 100, nil)
	p.Close()

	group := uniqueName("go-commit")
	c := newConsumer(t, b, ConfigMap{"group.id": group, "enable.auto.commit": false})
	defer c.Close()
	tp0 := TopicPartition{Topic: &topic, Partition: 0, Offset: OffsetBeginning}
	if err := c.Assign([]TopicPartition{tp0}); err != nil {
		t.Fatal(err)
	}
	var last *Message
	for i := 0; i < 10; i++ {
		m, err := c.ReadMessage(30 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if m.TopicPartition.Offset != Offset(i) {
			t.Fatalf("offset %v, want %d", m.TopicPartition.Offset, i)
		}
		last = m
	}
	res, err := c.CommitMessage(last)
	if err != nil || len(res) != 1 || res[0].Offset != 10 || res[0].Error != nil {
		t.Fatalf("CommitMessage %v %v", res, err)
	}
	tps := []TopicPartition{{Topic: &topic, Partition: 0}}
	cm, err := c.Committed(tps, 10000)
	if err != nil || cm[0].Offset != 10 {
		t.Fatalf("Committed %v %v", cm, err)
	}
	md := "note"
	res, err = c.CommitOffsets([]TopicPartition{{Topic: &topic, Partition: 0, Offset: 5, Metadata: &md}})
	if err != nil || res[0].Offset != 5 {
		t.Fatalf("CommitOffsets %v %v", res, err)
	}
	cm, err = c.Committed(tps, 10000)
	if err != nil || cm[0].Offset != 5 || cm[0].Metadata == nil || *cm[0].Metadata != "note" {
		t.Fatalf("Committed after CommitOffsets %v %v", cm, err)
	}
	pos, err := c.Position(tps)
	if err != nil || pos[0].Offset != 10 {
		t.Errorf("Position %v %v", pos, err)
	}
	// Commit() commits the position.
	res, err = c.Commit()
	if err != nil || len(res) != 1 || res[0].Offset != 10 {
		t.Errorf("Commit %v %v", res, err)
	}

	// Seek back.
	if err := c.Seek(TopicPartition{Topic: &topic, Partition: 0, Offset: 42}, 0); err != nil {
		t.Fatal(err)
	}
	m, err := c.ReadMessage(30 * time.Second)
	if err != nil || m.TopicPartition.Offset != 42 {
		t.Fatalf("after Seek: %v %v", m, err)
	}
	other := "not-assigned"
	if err := c.Seek(TopicPartition{Topic: &other, Partition: 0, Offset: 1}, 0); err == nil ||
		err.(Error).Code() != ErrUnknownPartition {
		t.Errorf("Seek of a partition not assigned: %v", err)
	}
	sp, err := c.SeekPartitions([]TopicPartition{{Topic: &topic, Partition: 0, Offset: 50}})
	if err != nil || sp[0].Error != nil {
		t.Fatalf("SeekPartitions %v %v", sp, err)
	}

	// Pause: nothing comes; Resume: it continues where it was.
	if err := c.Pause(tps); err != nil {
		t.Fatal(err)
	}
	if m, err := c.ReadMessage(1500 * time.Millisecond); err == nil {
		t.Fatalf("record while paused: %v", m)
	} else if err.(Error).Code() != ErrTimedOut {
		t.Fatalf("paused ReadMessage: %v", err)
	}
	if err := c.Resume(tps); err != nil {
		t.Fatal(err)
	}
	m, err = c.ReadMessage(30 * time.Second)
	if err != nil || m.TopicPartition.Offset != 50 {
		t.Fatalf("after Resume: %v %v", m, err)
	}

	// Watermarks.
	lo, hi, err := c.QueryWatermarkOffsets(topic, 0, 10000)
	if err != nil || lo != 0 || hi != 100 {
		t.Errorf("QueryWatermarkOffsets %d %d %v", lo, hi, err)
	}
	lo, hi, err = c.GetWatermarkOffsets(topic, 0)
	if err != nil || hi != 100 {
		t.Errorf("GetWatermarkOffsets %d %d %v", lo, hi, err)
	}
	// OffsetsForTimes: a timestamp in the future has no offset.
	ft, err := c.OffsetsForTimes([]TopicPartition{{Topic: &topic, Partition: 0,
		Offset: Offset(time.Now().Add(time.Hour).UnixNano() / 1e6)}}, 10000)
	if err != nil || ft[0].Offset != -1 {
		t.Errorf("OffsetsForTimes future %v %v", ft, err)
	}
	ft, err = c.OffsetsForTimes([]TopicPartition{{Topic: &topic, Partition: 0, Offset: 0}}, 10000)
	if err != nil || ft[0].Offset != 0 {
		t.Errorf("OffsetsForTimes 0 %v %v", ft, err)
	}

	// Unassign: no more records.
	if err := c.Unassign(); err != nil {
		t.Fatal(err)
	}
	if as, _ := c.Assignment(); len(as) != 0 {
		t.Errorf("assignment after Unassign: %v", as)
	}
}

// The rebalance callback may assign partitions itself, from offsets of its
// own; the library then does not apply the assignment.
func TestRebalanceCallbackAssigns(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 2)
	p := newProducer(t, b, nil)
	produceN(t, p, topic, 0, 10, nil)
	produceN(t, p, topic, 1, 10, nil)
	p.Close()
	c := newConsumer(t, b, ConfigMap{"group.id": uniqueName("go-rb"),
		"partition.assignment.strategy": "cooperative-sticky"})
	var calls int32
	err := c.SubscribeTopics([]string{topic}, func(c *Consumer, ev Event) error {
		atomic.AddInt32(&calls, 1)
		switch e := ev.(type) {
		case AssignedPartitions:
			parts := make([]TopicPartition, 0, len(e.Partitions))
			for _, tp := range e.Partitions {
				if tp.Partition == 0 {
					tp.Offset = 7 // start partition 0 at 7; leave partition 1 out
					parts = append(parts, tp)
				}
			}
			return c.IncrementalAssign(parts)
		case RevokedPartitions:
			if c.AssignmentLost() {
				t.Error("assignment lost")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for len(got) < 3 {
		m, err := c.ReadMessage(30 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d@%d", m.TopicPartition.Partition, m.TopicPartition.Offset))
	}
	if strings.Join(got, " ") != "0@7 0@8 0@9" {
		t.Errorf("records %v", got)
	}
	if m, err := c.ReadMessage(time.Second); err == nil {
		t.Errorf("record of partition 1, which the callback left out: %v", m)
	}
	as, _ := c.Assignment()
	if len(as) != 1 || as[0].Partition != 0 {
		t.Errorf("assignment %v", as)
	}
	if err := c.Close(); err != nil {
		t.Error(err)
	}
	if atomic.LoadInt32(&calls) < 2 {
		t.Errorf("%d callback calls", calls)
	}
}

// A panic in the rebalance callback comes out of Poll, not out of C.
func TestRebalanceCallbackPanic(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	c := newConsumer(t, b, ConfigMap{"group.id": uniqueName("go-panic")})
	defer c.Close()
	var once int32
	if err := c.Subscribe(topic, func(c *Consumer, ev Event) error {
		if _, ok := ev.(AssignedPartitions); ok && atomic.CompareAndSwapInt32(&once, 0, 1) {
			panic("boom")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got := func() (r interface{}) {
		defer func() { r = recover() }()
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			c.Poll(100)
		}
		return nil
	}()
	if got != "boom" {
		t.Fatalf("recovered %v", got)
	}
	// The consumer still works: the library applied the assignment.
	time.Sleep(100 * time.Millisecond)
	c.Poll(100)
	if as, _ := c.Assignment(); len(as) != 1 {
		t.Errorf("assignment after the panic: %v", as)
	}
}

func TestReadMessageTimeoutAndContext(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	c := newConsumer(t, b, ConfigMap{"group.id": uniqueName("go-timeout"), "enable.partition.eof": true})
	defer c.Close()
	if err := c.Subscribe(topic, nil); err != nil {
		t.Fatal(err)
	}
	// An empty partition: ReadMessage skips the PartitionEOF event and
	// times out; Poll shows it.
	start := time.Now()
	_, err := c.ReadMessage(2 * time.Second)
	if err == nil || err.(Error).Code() != ErrTimedOut || !err.(Error).IsTimeout() {
		t.Fatalf("ReadMessage on an empty topic: %v", err)
	}
	if el := time.Since(start); el < 1900*time.Millisecond || el > 5*time.Second {
		t.Errorf("timeout took %v", el)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = c.ReadMessageContext(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ReadMessageContext: %v", err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { time.Sleep(200 * time.Millisecond); cancel2() }()
	if _, err = c.ReadMessageContext(ctx2); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadMessageContext cancelled: %v", err)
	}
	// Seek to the beginning: the EOF event comes again, through Poll.
	if err := c.Seek(TopicPartition{Topic: &topic, Partition: 0, Offset: OffsetBeginning}, 0); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ev, ok := c.Poll(100).(PartitionEOF); ok {
			if *ev.Topic != topic || ev.Partition != 0 {
				t.Errorf("EOF %v", ev)
			}
			return
		}
	}
	t.Error("no PartitionEOF event")
}

func TestOffsetsCommittedEvent(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	p := newProducer(t, b, nil)
	produceN(t, p, topic, 0, 5, nil)
	p.Close()
	c := newConsumer(t, b, ConfigMap{"group.id": uniqueName("go-autocommit"), "auto.commit.interval.ms": 200})
	defer c.Close()
	if err := c.Subscribe(topic, nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		switch e := c.Poll(100).(type) {
		case *Message:
			n++
		case OffsetsCommitted:
			if n == 5 && e.Error == nil && len(e.Offsets) == 1 && e.Offsets[0].Offset == 5 {
				return
			}
		}
	}
	t.Errorf("no OffsetsCommitted event with offset 5 (read %d)", n)
}

func TestAdminTopicsAndConfigs(t *testing.T) {
	b := bootstrap(t)
	a, err := NewAdminClient(&ConfigMap{"bootstrap.servers": b})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	name := uniqueName("go-admin")
	specs := []TopicSpecification{{Topic: name, NumPartitions: 2, ReplicationFactor: 1,
		Config: map[string]string{"retention.ms": "3600000", "cleanup.policy": "compact"}}}
	// Validate only: nothing is created.
	res, err := a.CreateTopics(ctx, specs, SetAdminValidateOnly(true))
	if err != nil || res[0].Error.Code() != ErrNoError {
		t.Fatalf("validate-only CreateTopics %v %v", res, err)
	}
	res, err = a.CreateTopics(ctx, specs, SetAdminOperationTimeout(30*time.Second))
	if err != nil || len(res) != 1 || res[0].Topic != name || res[0].Error.Code() != ErrNoError {
		t.Fatalf("CreateTopics %v %v", res, err)
	}
	res, err = a.CreateTopics(ctx, specs)
	if err != nil || res[0].Error.Code() != ErrTopicAlreadyExists {
		t.Errorf("second CreateTopics %v %v", res, err)
	}
	// DescribeConfigs of the topic and of broker 1, and of a missing topic.
	missing := uniqueName("go-missing")
	cr, err := a.DescribeConfigs(ctx, []ConfigResource{{Type: ResourceTopic, Name: name},
		{Type: ResourceBroker, Name: "1"}, {Type: ResourceTopic, Name: missing}})
	if err != nil || len(cr) != 3 {
		t.Fatalf("DescribeConfigs %v %v", cr, err)
	}
	if cr[0].Error.Code() != ErrNoError || cr[0].Config["retention.ms"].Value != "3600000" ||
		cr[0].Config["retention.ms"].Source != ConfigSourceDynamicTopic ||
		cr[0].Config["cleanup.policy"].Value != "compact" {
		t.Errorf("topic configs: %v %v %v", cr[0], cr[0].Config["retention.ms"], cr[0].Config["cleanup.policy"])
	}
	if cr[1].Type != ResourceBroker || cr[1].Error.Code() != ErrNoError || len(cr[1].Config) < 50 {
		t.Errorf("broker configs: %v", cr[1])
	}
	if cr[2].Name != missing || cr[2].Error.Code() != ErrUnknownTopicOrPart {
		t.Errorf("missing topic: %v (%v)", cr[2], cr[2].Error.Code().Name())
	}
	// IncrementalAlterConfigs, then read it back.
	ar, err := a.IncrementalAlterConfigs(ctx, []ConfigResource{{Type: ResourceTopic, Name: name,
		Config: []ConfigEntry{{Name: "retention.ms", Value: "7200000", IncrementalOperation: AlterConfigOpTypeSet},
			{Name: "cleanup.policy", IncrementalOperation: AlterConfigOpTypeDelete}}}})
	if err != nil || ar[0].Error.Code() != ErrNoError {
		t.Fatalf("IncrementalAlterConfigs %v %v", ar, err)
	}
	// The broker applies the change from its metadata log: it may take a moment.
	for i := 0; ; i++ {
		cr, err = a.DescribeConfigs(ctx, []ConfigResource{{Type: ResourceTopic, Name: name}})
		ok := err == nil && cr[0].Config["retention.ms"].Value == "7200000" &&
			cr[0].Config["cleanup.policy"].Source == ConfigSourceDefault
		if ok {
			break
		}
		if i == 50 {
			t.Errorf("after alter: %v %v %v", cr[0].Config["retention.ms"], cr[0].Config["cleanup.policy"], err)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	// CreatePartitions.
	res, err = a.CreatePartitions(ctx, []PartitionsSpecification{{Topic: name, IncreaseTo: 4}})
	if err != nil || res[0].Error.Code() != ErrNoError {
		t.Errorf("CreatePartitions %v %v", res, err)
	}
	md, err := a.GetMetadata(&name, false, 10000)
	if err != nil || len(md.Topics[name].Partitions) != 4 || len(md.Brokers) < 1 {
		t.Errorf("metadata %v %v", md, err)
	}
	if id, err := a.ClusterID(ctx); err != nil || id == "" {
		t.Errorf("ClusterID %q %v", id, err)
	}
	if id, err := a.ControllerID(ctx); err != nil {
		t.Errorf("ControllerID %d %v", id, err)
	}
	// DeleteTopics: once fine, then unknown.
	res, err = a.DeleteTopics(ctx, []string{name})
	if err != nil || res[0].Error.Code() != ErrNoError {
		t.Fatalf("DeleteTopics %v %v", res, err)
	}
	res, err = a.DeleteTopics(ctx, []string{name})
	if err != nil || res[0].Error.Code() != ErrUnknownTopicOrPart {
		t.Errorf("second DeleteTopics %v %v", res, err)
	}
	// A context that is already done.
	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if _, err := a.CreateTopics(done, specs); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := a.DescribeConfigs(ctx, []ConfigResource{{Type: ResourceAny, Name: "x"}}); err == nil {
		t.Error("ResourceAny accepted")
	}
}

func TestAdminFromClientsAndGroups(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	p := newProducer(t, b, nil)
	produceN(t, p, topic, 0, 3, nil)
	a, err := NewAdminClientFromProducer(p)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	defer a.Close()
	group := uniqueName("go-del")
	c := newConsumer(t, b, ConfigMap{"group.id": group})
	if err := c.Subscribe(topic, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadMessage(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	md, err := c.GetMetadata(nil, true, 10000)
	if err != nil || md.Topics[topic].Topic != topic {
		t.Errorf("consumer GetMetadata: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dg, err := a.DescribeConsumerGroups(ctx, []string{group})
	if err != nil || len(dg.ConsumerGroupDescriptions) != 1 {
		t.Fatalf("DescribeConsumerGroups %v %v", dg, err)
	}
	d := dg.ConsumerGroupDescriptions[0]
	if d.GroupID != group || d.State != ConsumerGroupStateStable || d.PartitionAssignor != "range" ||
		len(d.Members) != 1 || len(d.Members[0].Assignment.TopicPartitions) != 1 || d.Error.Code() != ErrNoError {
		t.Errorf("group description %+v", d)
	}
	if _, err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	lg, err := a.ListConsumerGroups(ctx)
	found := false
	for _, g := range lg.Valid {
		if g.GroupID == group {
			found = g.State == ConsumerGroupStateEmpty && !g.IsSimpleConsumerGroup
		}
	}
	if err != nil || !found {
		t.Errorf("ListConsumerGroups: %v %v", lg, err)
	}
	lo, err := a.ListConsumerGroupOffsets(ctx, []ConsumerGroupTopicPartitions{{Group: group}})
	if err != nil || len(lo.ConsumerGroupsTopicPartitions) != 1 || len(lo.ConsumerGroupsTopicPartitions[0].Partitions) != 1 ||
		lo.ConsumerGroupsTopicPartitions[0].Partitions[0].Offset != 1 { // one record was read
		t.Errorf("ListConsumerGroupOffsets %v %v", lo, err)
	}
	ao, err := a.AlterConsumerGroupOffsets(ctx, []ConsumerGroupTopicPartitions{{Group: group,
		Partitions: []TopicPartition{{Topic: &topic, Partition: 0, Offset: 3}}}})
	if err != nil || len(ao.ConsumerGroupsTopicPartitions) != 1 || ao.ConsumerGroupsTopicPartitions[0].Partitions[0].Error != nil {
		t.Errorf("AlterConsumerGroupOffsets %v %v", ao, err)
	}
	lo, err = a.ListConsumerGroupOffsets(ctx, []ConsumerGroupTopicPartitions{{Group: group,
		Partitions: []TopicPartition{{Topic: &topic, Partition: 0}}}})
	if err != nil || lo.ConsumerGroupsTopicPartitions[0].Partitions[0].Offset != 3 {
		t.Errorf("offsets after alter %v %v", lo, err)
	}
	r, err := a.DeleteConsumerGroups(ctx, []string{group, uniqueName("go-nogroup")})
	if err != nil || len(r.ConsumerGroupResults) != 2 || r.ConsumerGroupResults[0].Error.Code() != ErrNoError ||
		r.ConsumerGroupResults[1].Error.Code() != ErrGroupIDNotFound {
		t.Errorf("DeleteConsumerGroups %v %v", r, err)
	}
}

func TestLogsChannel(t *testing.T) {
	b := bootstrap(t)
	p := newProducer(t, b, ConfigMap{"go.logs.channel.enable": true, "log_level": 7})
	if p.Logs() == nil {
		t.Fatal("no Logs() channel")
	}
	topic := newTopic(t, b, 1)
	produceN(t, p, topic, 0, 1, nil)
	select {
	case le := <-p.Logs():
		if le.Message == "" || le.Level < 0 || le.Level > 7 {
			t.Errorf("log event %v", le)
		}
	case <-time.After(10 * time.Second):
		t.Error("no log line at log_level 7")
	}
	p.Close()
}

// Many goroutines produce through one producer at once (run with -race).
func TestConcurrentProduce(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 4)
	p := newProducer(t, b, nil)
	const workers, per = 8, 2000
	var wg sync.WaitGroup
	var reports int64
	evDone := make(chan struct{})
	go func() {
		defer close(evDone)
		for ev := range p.Events() {
			if m, ok := ev.(*Message); ok && m.TopicPartition.Error == nil {
				atomic.AddInt64(&reports, 1)
			}
		}
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				m := &Message{TopicPartition: TopicPartition{Topic: &topic, Partition: PartitionAny},
					Key: []byte(fmt.Sprintf("%d-%d", w, i)), Value: []byte("x")}
				for p.Produce(m, nil) != nil {
					time.Sleep(time.Millisecond)
				}
			}
		}(w)
	}
	wg.Wait()
	if left := p.Flush(30000); left != 0 {
		t.Fatalf("Flush left %d", left)
	}
	p.Close()
	<-evDone
	if n := atomic.LoadInt64(&reports); n != workers*per {
		t.Errorf("%d reports, want %d", n, workers*per)
	}
	c := newConsumer(t, b, nil)
	defer c.Close()
	var total int64
	for part := int32(0); part < 4; part++ {
		_, hi, err := c.QueryWatermarkOffsets(topic, part, 10000)
		if err != nil {
			t.Fatal(err)
		}
		total += hi
	}
	if total != workers*per {
		t.Errorf("%d records in the topic", total)
	}
}

// Records are consumed in order per partition, with group mode and two
// consumers sharing the partitions.
func TestTwoConsumersShare(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 4)
	p := newProducer(t, b, nil)
	for part := int32(0); part < 4; part++ {
		produceN(t, p, topic, part, 50, nil)
	}
	p.Close()
	group := uniqueName("go-share")
	var mu sync.Mutex
	seen := map[int32][]Offset{}
	var wg sync.WaitGroup
	var total int64
	cs := make([]*Consumer, 2)
	for i := range cs {
		cs[i] = newConsumer(t, b, ConfigMap{"group.id": group})
		if err := cs[i].Subscribe(topic, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cs {
		wg.Add(1)
		go func(c *Consumer) {
			defer wg.Done()
			deadline := time.Now().Add(60 * time.Second)
			for atomic.LoadInt64(&total) < 200 && time.Now().Before(deadline) {
				m, err := c.ReadMessage(200 * time.Millisecond)
				if err != nil {
					continue
				}
				mu.Lock()
				seen[m.TopicPartition.Partition] = append(seen[m.TopicPartition.Partition], m.TopicPartition.Offset)
				mu.Unlock()
				atomic.AddInt64(&total, 1)
			}
		}(c)
	}
	wg.Wait()
	for _, c := range cs {
		c.Close()
	}
	for part, offs := range seen {
		sorted := sort.SliceIsSorted(offs, func(i, j int) bool { return offs[i] < offs[j] })
		if !sorted {
			t.Errorf("partition %d out of order: %v", part, offs)
		}
	}
	if total < 200 {
		t.Errorf("read %d of 200", total)
	}
}

// go.delivery.reports=false: nothing on Events(), but a delivery channel
// given to Produce still gets its report; Flush(-1) waits without limit.
func TestNoDeliveryReports(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	p := newProducer(t, b, ConfigMap{"go.delivery.reports": false})
	for i := 0; i < 100; i++ {
		if err := p.Produce(&Message{TopicPartition: TopicPartition{Topic: &topic, Partition: 0}, Value: []byte("x")}, nil); err != nil {
			t.Fatal(err)
		}
	}
	dc := make(chan Event, 1)
	msg := &Message{TopicPartition: TopicPartition{Topic: &topic, Partition: 0}, Value: []byte("last"), Opaque: "o"}
	if err := p.Produce(msg, dc); err != nil {
		t.Fatal(err)
	}
	msg.Value = []byte("changed after Produce") // the report keeps what was produced
	if left := p.Flush(-1); left != 0 {
		t.Fatalf("Flush left %d", left)
	}
	m := (<-dc).(*Message)
	if m.TopicPartition.Error != nil || m.TopicPartition.Offset != 100 || m.Opaque != "o" || string(m.Value) != "last" || m == msg {
		t.Errorf("report %v %v %v %q", m, m.TopicPartition.Error, m.Opaque, m.Value)
	}
	select {
	case ev := <-p.Events():
		t.Errorf("event with go.delivery.reports=false: %v", ev)
	default:
	}
	p.Close()
}

func TestStoreOffsetsDecidesWhatCommitTakes(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	p := newProducer(t, b, nil)
	produceN(t, p, topic, 0, 10, nil)
	p.Close()
	c := newConsumer(t, b, ConfigMap{"group.id": uniqueName("go-store"), "enable.auto.commit": false,
		"enable.auto.offset.store": false})
	defer c.Close()
	if err := c.Assign([]TopicPartition{{Topic: &topic, Partition: 0, Offset: OffsetBeginning}}); err != nil {
		t.Fatal(err)
	}
	var third *Message
	for i := 0; i < 6; i++ {
		m, err := c.ReadMessage(30 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			third = m
		}
	}
	if _, err := c.Commit(); err == nil || err.(Error).Code() != ErrNoOffset {
		t.Fatalf("Commit with nothing stored: %v", err)
	}
	if _, err := c.StoreMessage(third); err != nil {
		t.Fatal(err)
	}
	res, err := c.Commit()
	if err != nil || len(res) != 1 || res[0].Offset != 3 {
		t.Fatalf("Commit after StoreMessage %v %v", res, err)
	}
	other := "not-assigned"
	res, err = c.StoreOffsets([]TopicPartition{{Topic: &topic, Partition: 0, Offset: 5},
		{Topic: &other, Partition: 0, Offset: 1}})
	if err == nil || res[0].Error != nil || res[1].Error == nil {
		t.Fatalf("StoreOffsets with a partition not assigned: %v %v", res, err)
	}
	res, err = c.Commit()
	if err != nil || res[0].Offset != 5 {
		t.Fatalf("Commit after StoreOffsets %v %v", res, err)
	}
}

// Records are taken from the library in batches but count as consumed only
// when returned: positions, commits, seeks and pauses see the records the
// application was given, not the ones buffered behind them.
func TestBatchedRecordsCountWhenReturned(t *testing.T) {
	b := bootstrap(t)
	topic := newTopic(t, b, 1)
	p := newProducer(t, b, nil)
	produceN(t, p, topic, 0, 40, nil)
	p.Close()

	group := uniqueName("go-batch")
	c := newConsumer(t, b, ConfigMap{"group.id": group, "enable.auto.commit": false})
	tps := []TopicPartition{{Topic: &topic, Partition: 0}}
	if err := c.Assign([]TopicPartition{{Topic: &topic, Partition: 0, Offset: OffsetBeginning}}); err != nil {
		t.Fatal(err)
	}
	read := func(want Offset) {
		t.Helper()
		m, err := c.ReadMessage(30 * time.Second)
		if err != nil || m.TopicPartition.Offset != want || string(m.Value) != fmt.Sprintf("v%d", want) {
			t.Fatalf("ReadMessage: %v %v, want offset %d", m, err, want)
		}
	}
	for i := 0; i < 3; i++ {
		read(Offset(i))
	}
	if pos, err := c.Position(tps); err != nil || pos[0].Offset != 3 {
		t.Errorf("Position after 3 records: %v %v", pos, err)
	}
	if res, err := c.Commit(); err != nil || len(res) != 1 || res[0].Offset != 3 {
		t.Errorf("Commit after 3 records: %v %v", res, err)
	}
	// A pause keeps the buffered records back; the resume starts after
	// the last one returned.
	if err := c.Pause(tps); err != nil {
		t.Fatal(err)
	}
	if m, err := c.ReadMessage(time.Second); err == nil {
		t.Fatalf("record while paused: %v", m)
	}
	if err := c.Resume(tps); err != nil {
		t.Fatal(err)
	}
	read(3)
	read(4)
	// A seek drops the buffered records.
	if err := c.Seek(TopicPartition{Topic: &topic, Partition: 0, Offset: 1}, 0); err != nil {
		t.Fatal(err)
	}
	read(1)
	// So does a new assignment.
	if err := c.Assign([]TopicPartition{{Topic: &topic, Partition: 0, Offset: 30}}); err != nil {
		t.Fatal(err)
	}
	read(30)
	read(31)
	// Close commits what was returned (enable.auto.commit is off: commit
	// by hand first, as the application would).
	if res, err := c.Commit(); err != nil || res[0].Offset != 32 {
		t.Errorf("Commit after offset 31: %v %v", res, err)
	}
	c.Close()

	// With auto-commit, closing commits the offset after the last record
	// returned, not after the records buffered.
	c2 := newConsumer(t, b, ConfigMap{"group.id": group})
	if err := c2.Assign([]TopicPartition{{Topic: &topic, Partition: 0, Offset: OffsetStored}}); err != nil {
		t.Fatal(err)
	}
	for i := 32; i < 35; i++ {
		m, err := c2.ReadMessage(30 * time.Second)
		if err != nil || m.TopicPartition.Offset != Offset(i) {
			t.Fatalf("second consumer: %v %v, want offset %d", m, err, i)
		}
	}
	if _, err := c2.StoreOffsets(tps); err == nil || err.(Error).Code() != ErrInvalidArg {
		t.Errorf("StoreOffsets with enable.auto.offset.store=true: %v", err)
	}
	c2.Close()
	c3 := newConsumer(t, b, ConfigMap{"group.id": group})
	defer c3.Close()
	cm, err := c3.Committed(tps, 10000)
	if err != nil || cm[0].Offset != 35 {
		t.Errorf("committed after close: %v %v", cm, err)
	}
}
