package kafkac

/*
#include "kcgo.h"
*/
import "C"

import (
	"context"
	"fmt"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// RebalanceCb is called inside Poll / ReadMessage / Close with an
// AssignedPartitions or RevokedPartitions event. When it returns, the
// library applies the change, unless the callback called Assign /
// IncrementalAssign (for an assignment) or Unassign / IncrementalUnassign
// (for a revocation) itself, for example to start from offsets of its own.
// The returned error is ignored (as confluent-kafka-go does).
type RebalanceCb func(*Consumer, Event) error

// Consumer reads records of subscribed (group) or assigned partitions.
// Poll, ReadMessage and ReadMessageContext must be called from one
// goroutine at a time; the other methods may be called from any goroutine,
// including from the rebalance callback.
type Consumer struct {
	handle
	c    *C.kc_consumer_t
	cl   *C.kcgo_client
	hnd  cgo.Handle
	conf *C.kc_conf_t // for GetMetadata

	mu      sync.RWMutex // C calls: R; destroy: W
	closed  bool         // destroyed
	closing int32        // Close started: Poll returns at once

	cbMu           sync.Mutex
	rebalanceCb    RebalanceCb
	assignmentLost int32
	cbPanic        interface{}

	// Poll state (under pollMu).
	pollMu   sync.Mutex // one Poll at a time; Close waits for it
	cbuf     *C.kcgo_evbuf
	bt       *C.kcgo_batch // C memory: the messages of the last C poll
	maxBatch int           // records per C poll (max.poll.records, at most pollBatchMax)
	topics   []*string     // by kcgo_msg.topic_id
	hdrs     []C.kcgo_hdr
	arena    []byte    // keys and values are copied into its free tail
	msgs     []Message // Message structs are handed out from here
	epochs   []int32

	// The records and events of the last C poll not yet returned, and
	// the offsets to store for the records returned (under bmu). See
	// "Batches" below.
	bmu       sync.Mutex
	pending   []Event // nil entries: dropped by a seek, pause or assignment change
	pendHead  int
	inC       bool        // a poll is inside the C library (pending is empty)
	inCb      int32       // the rebalance callback is running (atomic)
	pendOps   []bufOp     // assignment changes made while inC, applied to its batch
	autoStore bool        // the application's enable.auto.offset.store
	stores    []storeEnt  // offsets to store, per partition
	storeLast int         // the index last used in stores
	storeArgs storeArrays // scratch for kcgo_store_offsets
}

// NewConsumer creates a consumer. A wrong key or value in conf returns an
// Error naming the key.
func NewConsumer(conf *ConfigMap) (*Consumer, error) {
	if conf == nil {
		conf = &ConfigMap{}
	}
	kconf, gc, err := conf.newConf()
	if err != nil {
		return nil, err
	}
	defer C.kc_conf_destroy(kconf)
	c := &Consumer{}
	// Records are polled from the C library in batches and handed out one
	// by one; the binding stores each record's offset when the
	// application is given the record (see "Batches"), so the library
	// itself must not store at poll time.
	c.autoStore = confBool(kconf, "enable.auto.offset.store", true)
	c.maxBatch = confInt(kconf, "max.poll.records", pollBatchMax)
	if c.maxBatch > pollBatchMax || c.maxBatch < 1 {
		c.maxBatch = pollBatchMax
	}
	if c.autoStore {
		if err := confSet(kconf, "enable.auto.offset.store", "false"); err != nil {
			return nil, err
		}
	}
	c.setupLogs(gc, "consumer")
	c.hnd = cgo.NewHandle(c)
	c.cl = C.kcgo_client_new(C.uintptr_t(c.hnd))
	c.cbuf = C.kcgo_evbuf_new()
	c.bt = C.kcgo_batch_new(C.int(c.maxBatch))
	if c.cl == nil || c.cbuf == nil || c.bt == nil {
		c.freeC()
		return nil, NewError(ErrCritSysResource, "out of memory", false)
	}
	C.kcgo_conf_setup(kconf, c.cl, 0, 0, cbool(c.logsEnable), 1)
	var errbuf [512]C.char
	c.c = C.kc_consumer_new(kconf, &errbuf[0], C.size_t(len(errbuf)))
	if c.c == nil {
		c.freeC()
		return nil, newErrorBuf(C.KC_ERR__INVALID_ARG, errbuf[:])
	}
	c.conf = C.kc_conf_dup(kconf)
	c.name = fmt.Sprintf("consumer-%p", c)
	return c, nil
}

func (c *Consumer) freeC() {
	if c.cbuf != nil {
		C.kcgo_evbuf_free(c.cbuf)
		c.cbuf = nil
	}
	C.kcgo_batch_free(c.bt)
	c.bt = nil
	if c.cl != nil {
		C.kcgo_client_free(c.cl)
		c.cl = nil
	}
	if c.conf != nil {
		C.kc_conf_destroy(c.conf)
		c.conf = nil
	}
	c.hnd.Delete()
}

func (c *Consumer) String() string { return c.name }

// Logs returns the log channel (nil unless go.logs.channel.enable or
// go.logs.channel was set).
func (c *Consumer) Logs() chan LogEvent { return c.logs }

var errClosed = NewError(ErrState, "the consumer is closed", false)

// lock takes the read lock for a C call; false when closed.
func (c *Consumer) lock() bool {
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return false
	}
	return true
}

// ------------------------------------------------------------ subscription

// Subscribe subscribes to one topic (or a "^regex"), replacing the
// current subscription. See SubscribeTopics.
func (c *Consumer) Subscribe(topic string, rebalanceCb RebalanceCb) error {
	return c.SubscribeTopics([]string{topic}, rebalanceCb)
}

// SubscribeTopics subscribes to topics (names starting with '^' are
// regular expressions), replacing the current subscription. Requires
// group.id. rebalanceCb (may be nil) sees every assignment and revocation.
func (c *Consumer) SubscribeTopics(topics []string, rebalanceCb RebalanceCb) error {
	if len(topics) == 0 {
		return NewError(ErrInvalidArg, "SubscribeTopics: no topics", false)
	}
	if !c.lock() {
		return errClosed
	}
	defer c.mu.RUnlock()
	c.cbMu.Lock()
	c.rebalanceCb = rebalanceCb
	c.cbMu.Unlock()
	names := C.CBytes(cStrings(topics))
	defer C.free(names)
	v := C.kcgo_split((*C.char)(names), C.int(len(topics)))
	if v == nil {
		return NewError(ErrCritSysResource, "out of memory", false)
	}
	defer C.free(unsafe.Pointer(v))
	var errbuf [512]C.char
	code := C.kc_consumer_subscribe(c.c, v, C.size_t(len(topics)), &errbuf[0], C.size_t(len(errbuf)))
	if code != 0 {
		return newErrorBuf(code, errbuf[:])
	}
	return nil
}

// Unsubscribe leaves the subscription (the partitions are revoked through
// the rebalance callback at the next Poll).
func (c *Consumer) Unsubscribe() error {
	if !c.lock() {
		return errClosed
	}
	defer c.mu.RUnlock()
	if code := C.kc_consumer_unsubscribe(c.c); code != 0 {
		return newError(code)
	}
	return nil
}

// Subscription returns the subscribed topics.
func (c *Consumer) Subscription() ([]string, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	var l *C.kc_tplist_t
	if code := C.kc_consumer_subscription(c.c, &l); code != 0 {
		return nil, newError(code)
	}
	defer C.kc_tplist_destroy(l)
	tps := tplistToGo(l, false)
	out := make([]string, len(tps))
	for i, tp := range tps {
		out[i] = *tp.Topic
	}
	return out, nil
}

// ------------------------------------------------------------ assignment

// withList runs f with parts as a C list; kind (0: none) is the change it
// makes to buffered records (see change).
func (c *Consumer) withList(what string, kind int, parts []TopicPartition,
	f func(l *C.kc_tplist_t) C.kc_err_t) error {
	if !c.lock() {
		return errClosed
	}
	defer c.mu.RUnlock()
	l, err := newCTplist(parts)
	if err != nil {
		return err
	}
	defer C.kc_tplist_destroy(l)
	var code C.kc_err_t
	if kind != 0 {
		code = c.change(kind, parts, func() C.kc_err_t { return f(l) })
	} else {
		code = f(l)
	}
	if code != 0 {
		return newErrorStr(code, fmt.Sprintf("%s: %s", what, ErrorCode(code)))
	}
	return nil
}

// Assign replaces the assignment. Each entry's Offset says where to start:
// an offset, OffsetBeginning, OffsetEnd, or OffsetStored / OffsetInvalid
// (the committed offset, else auto.offset.reset).
func (c *Consumer) Assign(partitions []TopicPartition) error {
	return c.withList("Assign", opAssign, partitions, func(l *C.kc_tplist_t) C.kc_err_t {
		return C.kc_consumer_assign(c.c, l)
	})
}

// Unassign removes the whole assignment.
func (c *Consumer) Unassign() error {
	if !c.lock() {
		return errClosed
	}
	defer c.mu.RUnlock()
	if code := c.change(opUnassign, nil, func() C.kc_err_t {
		return C.kc_consumer_assign(c.c, nil)
	}); code != 0 {
		return newError(code)
	}
	return nil
}

// IncrementalAssign adds partitions to the assignment.
func (c *Consumer) IncrementalAssign(partitions []TopicPartition) error {
	return c.withList("IncrementalAssign", 0, partitions, func(l *C.kc_tplist_t) C.kc_err_t {
		return C.kc_consumer_incremental_assign(c.c, l)
	})
}

// IncrementalUnassign removes partitions from the assignment.
func (c *Consumer) IncrementalUnassign(partitions []TopicPartition) error {
	return c.withList("IncrementalUnassign", opUnassign, partitions, func(l *C.kc_tplist_t) C.kc_err_t {
		return C.kc_consumer_incremental_unassign(c.c, l)
	})
}

// Assignment returns the current assignment.
func (c *Consumer) Assignment() ([]TopicPartition, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	var l *C.kc_tplist_t
	if code := C.kc_consumer_assignment(c.c, &l); code != 0 {
		return nil, newError(code)
	}
	defer C.kc_tplist_destroy(l)
	return tplistToGo(l, false), nil
}

// AssignmentLost reports, inside the rebalance callback, that the
// partitions of a RevokedPartitions event were lost (session expired,
// fenced) rather than revoked cleanly: others may own them already.
func (c *Consumer) AssignmentLost() bool { return atomic.LoadInt32(&c.assignmentLost) != 0 }

//export kcgoRebalance
func kcgoRebalance(h C.uintptr_t, event C.int, parts *C.kc_tplist_t) {
	c, ok := cgo.Handle(h).Value().(*Consumer)
	if !ok {
		return
	}
	c.cbMu.Lock()
	cb := c.rebalanceCb
	c.cbMu.Unlock()
	if event == C.KC_REBALANCE_LOST {
		atomic.StoreInt32(&c.assignmentLost, 1)
	} else if event == C.KC_REBALANCE_ASSIGN {
		atomic.StoreInt32(&c.assignmentLost, 0)
	}
	if cb == nil {
		return
	}
	atomic.StoreInt32(&c.inCb, 1)
	defer atomic.StoreInt32(&c.inCb, 0)
	tps := tplistToGo(parts, false)
	var ev Event
	if event == C.KC_REBALANCE_ASSIGN {
		ev = AssignedPartitions{Partitions: tps}
	} else {
		ev = RevokedPartitions{Partitions: tps}
	}
	// A panic must not unwind through the C library's frames: it is kept
	// and raised again when the poll returns to Go.
	defer func() {
		if r := recover(); r != nil && c.cbPanic == nil {
			c.cbPanic = r
		}
	}()
	_ = cb(c, ev)
}

func (c *Consumer) repanic() {
	if p := c.cbPanic; p != nil {
		c.cbPanic = nil
		panic(p)
	}
}

// ------------------------------------------------------------ polling

// Batches. A C poll takes up to maxBatch records (one cgo call), which
// are turned into Go values at once (keys, values and Message structs cut
// from shared blocks); Poll hands them out one at a time from c.pending. The application-visible
// semantics stay those of one record per C poll:
//   - offsets: the C library is configured with enable.auto.offset.store
//     false, and (when the application's enable.auto.offset.store is true,
//     the default) the binding stores the offset after each record as it
//     is returned: tracked in Go, handed to the library in one call when
//     the batch is used up, before the next C poll and before Commit,
//     seeks and assignment changes. Records buffered but not returned are
//     never committed (at-least-once, as with confluent-kafka-go);
//   - Seek, Pause, Assign, Unassign and IncrementalUnassign drop the
//     buffered records of the partitions they change (a pause also moves
//     the library's position back to the first dropped record); when they
//     run while a C poll is in progress, the change is applied to that
//     poll's batch when it returns (seeking again where records had to be
//     dropped);
//   - records collected before a rebalance revokes their partition are
//     dropped inside the C poll, before the rebalance callback runs;
//   - Position reports the first record not yet returned.

// pollBatchMax caps the records taken per C poll.
const pollBatchMax = 500

// next returns the next buffered record or event (nil: none) and keeps
// the offset of a returned record for storing.
func (c *Consumer) next() Event {
	c.bmu.Lock()
	ev := c.nextLocked()
	c.bmu.Unlock()
	return ev
}

func (c *Consumer) nextLocked() Event {
	for c.pendHead < len(c.pending) {
		ev := c.pending[c.pendHead]
		c.pending[c.pendHead] = nil
		c.pendHead++
		last := c.pendHead == len(c.pending)
		if last {
			c.pending = c.pending[:0]
			c.pendHead = 0
		}
		if ev == nil {
			continue
		}
		if c.autoStore {
			if m, ok := ev.(*Message); ok && m.TopicPartition.Error == nil {
				c.track(m)
			}
			if last {
				c.flushStoresLocked()
			}
		}
		return ev
	}
	return nil
}

type storeEnt struct {
	topic *string
	tid   int32
	part  int32
	epoch int32
	off   int64
}

type storeArrays struct {
	tids, parts, epochs []C.int32_t
	offs                []C.int64_t
}

// track notes the offset after m as its partition's offset to store
// (under bmu).
func (c *Consumer) track(m *Message) {
	tp := &m.TopicPartition
	i := c.storeLast
	if i >= len(c.stores) || c.stores[i].topic != tp.Topic || c.stores[i].part != tp.Partition {
		i = -1
		for j := range c.stores {
			if c.stores[j].topic == tp.Topic && c.stores[j].part == tp.Partition {
				i = j
				break
			}
		}
		if i < 0 {
			tid := int32(-1)
			for k, t := range c.topics {
				if t == tp.Topic {
					tid = int32(k)
					break
				}
			}
			c.stores = append(c.stores, storeEnt{topic: tp.Topic, tid: tid, part: tp.Partition})
			i = len(c.stores) - 1
		}
		c.storeLast = i
	}
	e := &c.stores[i]
	e.off = int64(tp.Offset) + 1
	e.epoch = -1
	if m.LeaderEpoch != nil {
		e.epoch = *m.LeaderEpoch
	}
}

// flushStoresLocked hands the tracked offsets to the library (under bmu;
// the caller keeps the consumer open: pollMu or the read lock).
func (c *Consumer) flushStoresLocked() {
	if len(c.stores) == 0 {
		return
	}
	a := &c.storeArgs
	a.tids, a.parts, a.epochs, a.offs = a.tids[:0], a.parts[:0], a.epochs[:0], a.offs[:0]
	for _, e := range c.stores {
		if e.tid < 0 {
			continue
		}
		a.tids = append(a.tids, C.int32_t(e.tid))
		a.parts = append(a.parts, C.int32_t(e.part))
		a.epochs = append(a.epochs, C.int32_t(e.epoch))
		a.offs = append(a.offs, C.int64_t(e.off))
	}
	c.stores = c.stores[:0]
	c.storeLast = 0
	if len(a.tids) > 0 {
		C.kcgo_store_offsets(c.c, c.cl, &a.tids[0], &a.parts[0], &a.offs[0], &a.epochs[0],
			C.int(len(a.tids)))
	}
}

// flushStores stores the offsets of the records returned so far (the
// caller holds the read lock).
func (c *Consumer) flushStores() {
	c.bmu.Lock()
	c.flushStoresLocked()
	c.bmu.Unlock()
}

// Poll returns the next record (*Message) or event (Error, PartitionEOF,
// OffsetsCommitted), waiting up to timeoutMs (-1: until one comes), or nil.
// Rebalance callbacks run inside Poll. Keys and values are copied into Go
// memory. Records are taken from the C library in batches but count as
// consumed (their offsets are stored for Commit and auto-commit) only when
// Poll returns them, as with confluent-kafka-go.
func (c *Consumer) Poll(timeoutMs int) Event {
	c.pollMu.Lock()
	defer c.pollMu.Unlock()
	return c.poll(timeoutMs)
}

// pollSlice is the longest single wait in C, so that Close is noticed.
const pollSlice = 100

// poll is Poll under pollMu. The clock is read only when the first C poll
// comes back empty (a clock read costs as much as a small record).
func (c *Consumer) poll(timeoutMs int) Event {
	if ev := c.next(); ev != nil {
		return ev
	}
	var deadline time.Time
	first := true
	for {
		if atomic.LoadInt32(&c.closing) != 0 {
			return nil
		}
		wait := pollSlice
		switch {
		case timeoutMs == 0:
			wait = 0
		case timeoutMs > 0 && first:
			if timeoutMs < wait {
				wait = timeoutMs
			}
		case timeoutMs > 0:
			left := time.Until(deadline)
			if left < 0 {
				left = 0
			}
			if ms := int((left + time.Millisecond - 1) / time.Millisecond); ms < wait {
				wait = ms
			}
		}
		if !c.lock() {
			return nil
		}
		c.pollC(wait)
		c.mu.RUnlock()
		c.repanic()
		if ev := c.next(); ev != nil {
			return ev
		}
		if timeoutMs == 0 || (timeoutMs > 0 && wait >= timeoutMs && first) {
			return nil
		}
		if first && timeoutMs > 0 {
			deadline = time.Now().Add(time.Duration(timeoutMs-wait) * time.Millisecond)
		} else if timeoutMs > 0 && !time.Now().Before(deadline) {
			return nil
		}
		first = false
	}
}

func (c *Consumer) topic(id C.int32_t) *string {
	if id < 0 {
		return nil
	}
	for int(id) >= len(c.topics) {
		c.topics = append(c.topics, nil)
	}
	if c.topics[id] == nil {
		s := C.GoString(C.kcgo_client_topic(c.cl, id))
		c.topics[id] = &s
	}
	return c.topics[id]
}

// Go memory for records is cut from blocks shared by many records, each
// small enough to come from the allocator's per-thread caches (objects
// over 32 KiB take the heap lock and a span of their own).
const (
	arenaSize = 32 << 10 // keys and values share blocks of this size...
	arenaMax  = 4 << 10  // ...when they take at most this many bytes
	msgSlab   = 64       // Message structs allocated together (13 KiB)
)

// cbytes views C memory as a byte slice (for copying out of it).
func cbytes(p unsafe.Pointer, n int) []byte {
	return unsafe.Slice((*byte)(p), n)
}

// pollC runs one C poll (the pending buffer is empty): side events, then
// the batch's records and events, go to c.pending. The caller holds the
// read lock. The C messages stay held until the next C poll.
func (c *Consumer) pollC(timeoutMs int) {
	c.bmu.Lock()
	c.flushStoresLocked()
	c.inC = true
	c.bmu.Unlock()
	n := int(C.kcgo_consumer_poll_batch(c.c, c.cl, c.bt, C.int(c.maxBatch), C.int(timeoutMs), c.cbuf))
	c.bmu.Lock()
	defer c.bmu.Unlock()
	c.inC = false
	if c.cbuf.cnt > 0 {
		c.sideEvents(c.cbuf, true)
	}
	start := len(c.pending)
	if n > 0 {
		c.buildBatch(unsafe.Slice(c.bt.info, n))
	}
	if len(c.pendOps) > 0 {
		for i := range c.pendOps {
			c.applyOpLocked(&c.pendOps[i], start, true)
			c.pendOps[i] = bufOp{}
		}
		c.pendOps = c.pendOps[:0]
	}
}

// buildBatch turns the C batch into Go values appended to c.pending
// (Message structs, leader epochs, keys and values are cut from shared
// blocks: a few allocations per batch, not per record).
func (c *Consumer) buildBatch(infos []C.kcgo_msg) {
	tid, topic := C.int32_t(-2), (*string)(nil)
	for i := range infos {
		o := &infos[i]
		if o.err != 0 {
			c.pending = append(c.pending, c.eventFromC(o))
			continue
		}
		if o.topic_id != tid {
			tid, topic = o.topic_id, c.topic(o.topic_id)
		}
		if len(c.msgs) == 0 {
			c.msgs = make([]Message, msgSlab)
			c.epochs = make([]int32, msgSlab)
		}
		m, e := &c.msgs[0], &c.epochs[0]
		c.msgs, c.epochs = c.msgs[1:], c.epochs[1:]
		m.TopicPartition = TopicPartition{Topic: topic, Partition: int32(o.partition),
			Offset: Offset(o.offset)}
		kl, vl := int(o.key_len), int(o.val_len)
		var buf []byte
		if n := kl + vl; n <= arenaMax {
			if len(c.arena) < n {
				c.arena = make([]byte, arenaSize)
			}
			buf, c.arena = c.arena[:n:n], c.arena[n:]
		} else {
			buf = make([]byte, n)
		}
		if o.key != nil {
			m.Key = buf[:kl:kl]
			copy(m.Key, cbytes(o.key, kl))
		}
		if o.val != nil {
			m.Value = buf[kl : kl+vl : kl+vl]
			copy(m.Value, cbytes(o.val, vl))
		}
		if o.ts_type != C.KC_TIMESTAMP_NOT_AVAILABLE {
			m.Timestamp = time.Unix(0, int64(o.ts)*int64(time.Millisecond))
			m.TimestampType = TimestampType(o.ts_type)
		}
		if o.leader_epoch >= 0 {
			*e = int32(o.leader_epoch)
			m.LeaderEpoch = e
			m.TopicPartition.LeaderEpoch = e
		}
		if o.hdr_cnt > 0 {
			m.Headers = c.headers(o.held, int(o.hdr_cnt))
		}
		c.pending = append(c.pending, m)
	}
}

func (c *Consumer) headers(m *C.kc_message_t, n int) []Header {
	if cap(c.hdrs) < n {
		c.hdrs = make([]C.kcgo_hdr, n)
	}
	hs := c.hdrs[:n]
	got := int(C.kcgo_msg_headers(m, &hs[0], C.int(n)))
	out := make([]Header, got)
	for i := 0; i < got; i++ {
		h := &hs[i]
		out[i].Key = C.GoStringN(h.name, C.int(h.name_len))
		if h.val_null == 0 {
			out[i].Value = C.GoBytes(h.val, C.int(h.val_len))
		}
	}
	return out
}

func (c *Consumer) eventFromC(o *C.kcgo_msg) Event {
	code := C.kc_err_t(o.err)
	str := goStr(o.errstr)
	if str == "" {
		str = ErrorCode(code).String()
	}
	if o.topic_id < 0 {
		return newErrorStr(code, str)
	}
	tp := TopicPartition{Topic: c.topic(o.topic_id), Partition: int32(o.partition), Offset: Offset(o.offset)}
	if code == C.KC_ERR__PARTITION_EOF {
		return PartitionEOF(tp)
	}
	tp.Error = newErrorStr(code, str)
	return &Message{TopicPartition: tp}
}

// sideEvents handles the callbacks' events: commit results become
// OffsetsCommitted events (when queue: the caller holds bmu), logs go to
// Logs().
func (c *Consumer) sideEvents(b *C.kcgo_evbuf, queue bool) []TopicPartition {
	var last []TopicPartition
	for _, ev := range evs(b) {
		ev := ev
		switch ev._type {
		case C.KCGO_EV_COMMIT:
			offs := tplistToGo(ev.tpl, true)
			last = offs
			if queue {
				oc := OffsetsCommitted{Offsets: offs}
				if ev.err != 0 {
					oc.Error = newError(C.kc_err_t(ev.err))
				}
				c.pending = append(c.pending, oc)
			}
		case C.KCGO_EV_LOG:
			c.logEvent(&ev)
		case C.KCGO_EV_ERROR:
			if queue {
				c.pending = append(c.pending, errorFromEv(&ev))
			}
		}
	}
	C.kcgo_evbuf_reset(b)
	return last
}

// ------------------------------------------------------------ buffered records and assignment changes

const (
	opSeek     = iota + 1 // parts[0]: the partition and its new offset
	opPause               // parts: paused partitions
	opAssign              // parts: the whole new assignment
	opUnassign            // parts: removed partitions (nil: all)
)

// bufOp is an assignment change, for the records buffered in c.pending.
type bufOp struct {
	kind  int
	parts []TopicPartition
}

// change runs the C call f for an assignment change under bmu, after
// storing the offsets of the records returned so far and applying the
// change to the buffered records (or, when a C poll is in progress,
// queueing it for that poll's batch). The caller holds the read lock.
func (c *Consumer) change(kind int, parts []TopicPartition, f func() C.kc_err_t) C.kc_err_t {
	c.bmu.Lock()
	defer c.bmu.Unlock()
	c.flushStoresLocked()
	op := bufOp{kind: kind, parts: parts}
	if c.inC {
		// Inside the rebalance callback nothing is buffered: the change
		// is the library's alone.
		if atomic.LoadInt32(&c.inCb) == 0 {
			op.parts = append([]TopicPartition(nil), parts...)
			c.pendOps = append(c.pendOps, op)
		}
		return f()
	}
	if kind == opPause {
		code := f()
		if code == 0 {
			c.applyOpLocked(&op, c.pendHead, false)
		}
		return code
	}
	c.applyOpLocked(&op, c.pendHead, false)
	return f()
}

func findTP(parts []TopicPartition, topic *string, part int32) int {
	for i := range parts {
		if parts[i].Partition == part && parts[i].Topic != nil && *parts[i].Topic == *topic {
			return i
		}
	}
	return -1
}

// applyOpLocked drops the buffered records from index from on that op
// makes stale. reseek: the records came from a C poll that ran at the
// same time as the change, before or after it: where records had to be
// dropped, the change's starting offset is applied again. A pause moves
// the library's position back to the first dropped record in any case.
func (c *Consumer) applyOpLocked(op *bufOp, from int, reseek bool) {
	type seek struct {
		topic *string
		part  int32
		off   Offset
	}
	var seeks []seek
	seen := func(topic *string, part int32) bool {
		for _, s := range seeks {
			if s.part == part && *s.topic == *topic {
				return true
			}
		}
		return false
	}
	for i := from; i < len(c.pending); i++ {
		m, ok := c.pending[i].(*Message)
		if !ok || m.TopicPartition.Error != nil || m.TopicPartition.Topic == nil {
			continue
		}
		tp := &m.TopicPartition
		k := findTP(op.parts, tp.Topic, tp.Partition)
		switch op.kind {
		case opSeek, opPause:
			if k < 0 {
				continue
			}
			if !seen(tp.Topic, tp.Partition) && (op.kind == opPause || reseek) {
				off := tp.Offset
				if op.kind == opSeek {
					off = op.parts[k].Offset
				}
				seeks = append(seeks, seek{tp.Topic, tp.Partition, off})
			}
		case opAssign:
			if k >= 0 && reseek && !seen(tp.Topic, tp.Partition) {
				off := op.parts[k].Offset
				if off == OffsetInvalid {
					off = OffsetStored
				}
				seeks = append(seeks, seek{tp.Topic, tp.Partition, off})
			}
		case opUnassign:
			if op.parts != nil && k < 0 {
				continue
			}
		}
		c.pending[i] = nil
	}
	for _, s := range seeks {
		ct := C.CString(*s.topic)
		C.kc_consumer_seek(c.c, ct, C.int32_t(s.part), C.int64_t(s.off))
		C.free(unsafe.Pointer(ct))
	}
}

// ReadMessage polls until a record arrives or timeout passes (negative:
// no limit). Returns the record, or an Error: the timeout (ErrTimedOut), a
// consumer error, or a partition's fetch error (then with the *Message
// that carries its TopicPartition). Other events are skipped.
func (c *Consumer) ReadMessage(timeout time.Duration) (*Message, error) {
	ms := -1
	if timeout >= 0 {
		ms = int((timeout + time.Millisecond - 1) / time.Millisecond)
	}
	var deadline time.Time
	c.pollMu.Lock()
	defer c.pollMu.Unlock()
	for {
		if ev := c.poll(ms); ev != nil {
			switch e := ev.(type) {
			case *Message:
				if e.TopicPartition.Error != nil {
					return e, e.TopicPartition.Error
				}
				return e, nil
			case Error:
				return nil, e
			}
			// Another event: keep polling for the rest of the time.
			if ms > 0 {
				if deadline.IsZero() {
					deadline = time.Now().Add(time.Duration(ms) * time.Millisecond)
				}
				left := time.Until(deadline)
				if left <= 0 {
					return nil, NewError(ErrTimedOut, "", false)
				}
				ms = int((left + time.Millisecond - 1) / time.Millisecond)
			}
			continue
		}
		if atomic.LoadInt32(&c.closing) != 0 {
			return nil, errClosed
		}
		if ms >= 0 {
			return nil, NewError(ErrTimedOut, "", false)
		}
	}
}

// ReadMessageContext is ReadMessage bounded by a context instead of a
// timeout: it returns ctx.Err() when ctx is done first.
func (c *Consumer) ReadMessageContext(ctx context.Context) (*Message, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ms := 100
		if d, ok := ctx.Deadline(); ok {
			left := time.Until(d)
			if left <= 0 {
				ms = 0
			} else if l := int((left + time.Millisecond - 1) / time.Millisecond); l < ms {
				ms = l
			}
		}
		c.pollMu.Lock()
		ev := c.poll(ms)
		c.pollMu.Unlock()
		if ev != nil {
			switch e := ev.(type) {
			case *Message:
				if e.TopicPartition.Error != nil {
					return e, e.TopicPartition.Error
				}
				return e, nil
			case Error:
				return nil, e
			}
			continue
		}
		if atomic.LoadInt32(&c.closing) != 0 {
			return nil, errClosed
		}
		if ms == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return nil, context.DeadlineExceeded
		}
	}
}

// ------------------------------------------------------------ offsets

func (c *Consumer) commit(l *C.kc_tplist_t) ([]TopicPartition, error) {
	b := C.kcgo_evbuf_new()
	if b == nil {
		return nil, NewError(ErrCritSysResource, "out of memory", false)
	}
	defer C.kcgo_evbuf_free(b)
	code := C.kcgo_consumer_commit(c.c, l, 0, b)
	res := c.sideEvents(b, false)
	if code != 0 {
		return res, newErrorStr(code, "commit: "+ErrorCode(code).String())
	}
	return res, nil
}

// Commit commits the positions of every assigned partition (the offset
// after the last record returned) and waits for the result.
func (c *Consumer) Commit() ([]TopicPartition, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	c.flushStores()
	return c.commit(nil)
}

// CommitMessage commits the offset after m for its partition.
func (c *Consumer) CommitMessage(m *Message) ([]TopicPartition, error) {
	if m == nil || m.TopicPartition.Topic == nil {
		return nil, NewError(ErrInvalidArg, "CommitMessage: no message", false)
	}
	if m.TopicPartition.Error != nil {
		return nil, NewError(ErrInvalidArg, "CommitMessage: the message is an error event", false)
	}
	tp := m.TopicPartition
	tp.Offset++
	tp.Error = nil
	return c.CommitOffsets([]TopicPartition{tp})
}

// CommitOffsets commits the given offsets (each the next record to read).
func (c *Consumer) CommitOffsets(offsets []TopicPartition) ([]TopicPartition, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	l, err := newCTplist(offsets)
	if err != nil {
		return nil, err
	}
	defer C.kc_tplist_destroy(l)
	return c.commit(l)
}

// StoreOffsets stores each partition's offset (the next record to read)
// as the one the next commit takes: automatic commits and Commit(). It
// needs enable.auto.offset.store=false (ErrInvalidArg otherwise); the
// returned partitions carry per-partition errors (ErrUnknownPartition when
// not assigned).
func (c *Consumer) StoreOffsets(offsets []TopicPartition) ([]TopicPartition, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	if c.autoStore {
		return nil, newErrorStr(C.KC_ERR__INVALID_ARG, "StoreOffsets: enable.auto.offset.store is true")
	}
	l, err := newCTplist(offsets)
	if err != nil {
		return nil, err
	}
	defer C.kc_tplist_destroy(l)
	code := C.kc_consumer_offsets_store(c.c, l)
	res := tplistToGo(l, true)
	if code != 0 {
		return res, newErrorStr(code, "StoreOffsets: "+ErrorCode(code).String())
	}
	return res, nil
}

// StoreMessage stores the offset after m (see StoreOffsets).
func (c *Consumer) StoreMessage(m *Message) ([]TopicPartition, error) {
	if m == nil || m.TopicPartition.Topic == nil {
		return nil, newErrorStr(C.KC_ERR__INVALID_ARG, "StoreMessage: no message")
	}
	tp := m.TopicPartition
	tp.Offset++
	return c.StoreOffsets([]TopicPartition{tp})
}

// Committed returns the group's committed offsets of partitions
// (OffsetInvalid where none), waiting up to timeoutMs.
func (c *Consumer) Committed(partitions []TopicPartition, timeoutMs int) ([]TopicPartition, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	l, err := newCTplist(partitions)
	if err != nil {
		return nil, err
	}
	defer C.kc_tplist_destroy(l)
	b := C.kcgo_evbuf_new()
	defer C.kcgo_evbuf_free(b)
	code := C.kcgo_consumer_committed(c.c, l, C.int(timeoutMs), b)
	c.sideEvents(b, false)
	if code != 0 {
		return nil, newErrorStr(code, "Committed: "+ErrorCode(code).String())
	}
	return tplistToGo(l, true), nil
}

// Position returns the position of each partition: the offset of the
// next record Poll will return (OffsetInvalid when not known yet);
// partitions not assigned get the error ErrUnknownPartition.
func (c *Consumer) Position(partitions []TopicPartition) ([]TopicPartition, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	l, err := newCTplist(partitions)
	if err != nil {
		return nil, err
	}
	defer C.kc_tplist_destroy(l)
	if code := C.kc_consumer_position(c.c, l); code != 0 {
		return nil, newError(code)
	}
	res := tplistToGo(l, true)
	// The library's position is past the buffered records: report the
	// first one not yet returned.
	done := make([]bool, len(res))
	c.bmu.Lock()
	for i := c.pendHead; i < len(c.pending); i++ {
		m, ok := c.pending[i].(*Message)
		if !ok || m.TopicPartition.Error != nil || m.TopicPartition.Topic == nil {
			continue
		}
		k := findTP(res, m.TopicPartition.Topic, m.TopicPartition.Partition)
		if k < 0 || done[k] || res[k].Error != nil {
			continue
		}
		done[k] = true
		res[k].Offset = m.TopicPartition.Offset
		res[k].LeaderEpoch = m.LeaderEpoch
	}
	c.bmu.Unlock()
	return res, nil
}

// Seek moves an assigned partition's position to partition.Offset (an
// offset or OffsetBeginning / OffsetEnd); records fetched before are
// dropped. The timeout is ignored (the seek does not wait), as in
// confluent-kafka-go v2.
func (c *Consumer) Seek(partition TopicPartition, ignoredTimeoutMs int) error {
	if partition.Topic == nil {
		return NewError(ErrInvalidArg, "Seek: no topic", false)
	}
	if !c.lock() {
		return errClosed
	}
	defer c.mu.RUnlock()
	ct := C.CString(*partition.Topic)
	defer C.free(unsafe.Pointer(ct))
	if code := c.change(opSeek, []TopicPartition{partition}, func() C.kc_err_t {
		return C.kc_consumer_seek(c.c, ct, C.int32_t(partition.Partition), C.int64_t(partition.Offset))
	}); code != 0 {
		return newErrorStr(code, fmt.Sprintf("Seek %s [%d]: %s", *partition.Topic, partition.Partition,
			ErrorCode(code)))
	}
	return nil
}

// SeekPartitions seeks each partition; each result carries its own error.
func (c *Consumer) SeekPartitions(partitions []TopicPartition) ([]TopicPartition, error) {
	out := make([]TopicPartition, len(partitions))
	for i, p := range partitions {
		out[i] = p
		out[i].Error = nil
		if err := c.Seek(p, 0); err != nil {
			if err == errClosed {
				return nil, err
			}
			out[i].Error = err
		}
	}
	return out, nil
}

// Pause stops fetching the partitions (kept across rebalances).
func (c *Consumer) Pause(partitions []TopicPartition) error {
	return c.withList("Pause", opPause, partitions, func(l *C.kc_tplist_t) C.kc_err_t {
		return C.kc_consumer_pause(c.c, l)
	})
}

// Resume restarts fetching paused partitions.
func (c *Consumer) Resume(partitions []TopicPartition) error {
	return c.withList("Resume", 0, partitions, func(l *C.kc_tplist_t) C.kc_err_t {
		return C.kc_consumer_resume(c.c, l)
	})
}

// GetWatermarkOffsets returns the low and high watermarks learnt from the
// last fetch of an assigned partition (OffsetInvalid when none yet),
// without asking the broker.
func (c *Consumer) GetWatermarkOffsets(topic string, partition int32) (low, high int64, err error) {
	if !c.lock() {
		return 0, 0, errClosed
	}
	defer c.mu.RUnlock()
	ct := C.CString(topic)
	defer C.free(unsafe.Pointer(ct))
	var lo, hi C.int64_t
	if code := C.kc_consumer_get_watermark_offsets(c.c, ct, C.int32_t(partition), &lo, &hi); code != 0 {
		return 0, 0, newError(code)
	}
	return int64(lo), int64(hi), nil
}

// QueryWatermarkOffsets asks the partition's leader for its low and high
// watermarks, waiting up to timeoutMs.
func (c *Consumer) QueryWatermarkOffsets(topic string, partition int32, timeoutMs int) (low, high int64, err error) {
	if !c.lock() {
		return 0, 0, errClosed
	}
	defer c.mu.RUnlock()
	ct := C.CString(topic)
	defer C.free(unsafe.Pointer(ct))
	var lo, hi C.int64_t
	if code := C.kc_consumer_query_watermark_offsets(c.c, ct, C.int32_t(partition), &lo, &hi,
		C.int(timeoutMs)); code != 0 {
		return 0, 0, newErrorStr(code, fmt.Sprintf("QueryWatermarkOffsets %s [%d]: %s", topic, partition,
			ErrorCode(code)))
	}
	return int64(lo), int64(hi), nil
}

// OffsetsForTimes finds, for each entry whose Offset holds a timestamp
// (ms since the epoch), the earliest offset whose timestamp is >= it.
func (c *Consumer) OffsetsForTimes(times []TopicPartition, timeoutMs int) ([]TopicPartition, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	l, err := newCTplist(times)
	if err != nil {
		return nil, err
	}
	defer C.kc_tplist_destroy(l)
	if code := C.kc_consumer_offsets_for_times(c.c, l, C.int(timeoutMs)); code != 0 {
		return nil, newError(code)
	}
	return tplistToGo(l, true), nil
}

// MemberID returns the member id the group coordinator gave this consumer
// ("" before the first join).
func (c *Consumer) MemberID() (string, error) {
	if !c.lock() {
		return "", errClosed
	}
	defer c.mu.RUnlock()
	var buf [256]C.char
	C.kc_consumer_memberid(c.c, &buf[0], C.size_t(len(buf)))
	return C.GoString(&buf[0]), nil
}

// GetMetadata returns the cluster's metadata for topic (nil and allTopics:
// every topic), fetched on a connection of its own.
func (c *Consumer) GetMetadata(topic *string, allTopics bool, timeoutMs int) (*Metadata, error) {
	if !c.lock() {
		return nil, errClosed
	}
	defer c.mu.RUnlock()
	return getMetadata(c.conf, topic, allTopics, timeoutMs)
}

// IsClosed reports whether Close was called.
func (c *Consumer) IsClosed() bool { return atomic.LoadInt32(&c.closing) != 0 }

// Close revokes the assignment (the rebalance callback runs here), commits
// positions when enable.auto.commit is on, leaves the group and frees the
// consumer. Poll returns nil from now on.
func (c *Consumer) Close() error {
	if !atomic.CompareAndSwapInt32(&c.closing, 0, 1) {
		return errClosed
	}
	c.pollMu.Lock() // wait for a Poll in progress (it returns within 100 ms)
	defer c.pollMu.Unlock()
	c.bmu.Lock()
	c.flushStoresLocked() // what was returned counts for the commit at close
	for i := range c.pending {
		c.pending[i] = nil
	}
	c.pending, c.pendHead = nil, 0
	c.bmu.Unlock()
	C.kcgo_batch_release(c.bt)
	b := C.kcgo_evbuf_new()
	code := C.kcgo_consumer_close(c.c, b)
	c.sideEvents(b, false)
	c.mu.Lock()
	c.closed = true
	C.kcgo_consumer_destroy(c.c, b)
	c.sideEvents(b, false)
	c.c = nil
	c.mu.Unlock()
	C.kcgo_evbuf_free(b)
	c.freeC()
	c.arena, c.msgs, c.epochs = nil, nil, nil
	c.closeLogs()
	c.repanic()
	if code != 0 {
		return newError(code)
	}
	return nil
}
