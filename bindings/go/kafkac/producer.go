package kafkac

/*
#include "kcgo.h"
*/
import "C"

import (
	"encoding/binary"
	"fmt"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Producer sends records. Produce may be called from any goroutines at
// once; a background goroutine serves delivery reports and errors to
// Events() (or to the per-message delivery channel given to Produce).
type Producer struct {
	handle
	p      *C.kc_producer_t
	cl     *C.kcgo_client
	hnd    cgo.Handle
	conf   *C.kc_conf_t // for GetMetadata and NewAdminClientFromProducer
	events chan Event
	dr     bool // go.delivery.reports

	reg       drRegistry
	topics    sync.Map               // topic -> *C.char (freed at Close)
	lastTopic atomic.Pointer[cTopic] // the last topic produced to

	mu       sync.RWMutex // Produce: R; Close: W
	closed   bool
	stop     chan struct{}
	done     chan struct{}
	flushers int32         // Flush calls in progress: the poller flushes instead of polling
	progress chan struct{} // the poller dispatched a batch
	cbuf     *C.kcgo_evbuf // the poller's buffer
	scratch  []dispatchItem
}

// NewProducer creates a producer. A wrong key or value in conf returns an
// Error naming the key.
func NewProducer(conf *ConfigMap) (*Producer, error) {
	if conf == nil {
		conf = &ConfigMap{}
	}
	kconf, gc, err := conf.newConf()
	if err != nil {
		return nil, err
	}
	defer C.kc_conf_destroy(kconf)
	p := &Producer{
		dr:       gc.deliveryReports,
		events:   make(chan Event, gc.eventsChanSize),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
		progress: make(chan struct{}, 1),
	}
	p.setupLogs(gc, "producer")
	p.hnd = cgo.NewHandle(p)
	p.cl = C.kcgo_client_new(C.uintptr_t(p.hnd))
	p.cbuf = C.kcgo_evbuf_new()
	if p.cl == nil || p.cbuf == nil {
		p.freeC()
		return nil, NewError(ErrCritSysResource, "out of memory", false)
	}
	C.kcgo_conf_setup(kconf, p.cl, 1, 1, cbool(p.logsEnable), 0)
	var errbuf [512]C.char
	p.p = C.kc_producer_new(kconf, &errbuf[0], C.size_t(len(errbuf)))
	if p.p == nil {
		p.freeC()
		return nil, newErrorBuf(C.KC_ERR__INVALID_ARG, errbuf[:])
	}
	p.conf = C.kc_conf_dup(kconf)
	p.name = fmt.Sprintf("producer-%p", p)
	go p.pollLoop()
	return p, nil
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

func (p *Producer) freeC() {
	if p.cbuf != nil {
		C.kcgo_evbuf_free(p.cbuf)
		p.cbuf = nil
	}
	if p.cl != nil {
		C.kcgo_client_free(p.cl)
		p.cl = nil
	}
	if p.conf != nil {
		C.kc_conf_destroy(p.conf)
		p.conf = nil
	}
	p.hnd.Delete()
}

func (p *Producer) String() string { return p.name }

// Events returns the channel of delivery reports (*Message, with
// TopicPartition.Error set on failure) and client errors (Error).
func (p *Producer) Events() chan Event { return p.events }

// Logs returns the log channel (nil unless go.logs.channel.enable or
// go.logs.channel was set).
func (p *Producer) Logs() chan LogEvent { return p.logs }

type cTopic struct {
	name string
	cs   *C.char
}

// cTopic returns the topic as a C string, cached for the producer's life.
func (p *Producer) cTopic(t string) *C.char {
	if l := p.lastTopic.Load(); l != nil && l.name == t {
		return l.cs
	}
	var cs *C.char
	if v, ok := p.topics.Load(t); ok {
		cs = v.(*C.char)
	} else {
		cs = C.CString(t)
		if v, loaded := p.topics.LoadOrStore(t, cs); loaded {
			C.free(unsafe.Pointer(cs))
			cs = v.(*C.char)
		}
	}
	p.lastTopic.Store(&cTopic{t, cs})
	return cs
}

// bytesPtr returns C's view of b: NULL for nil, a static byte for empty.
func bytesPtr(b []byte) unsafe.Pointer {
	if b == nil {
		return nil
	}
	if len(b) == 0 {
		return unsafe.Pointer(&C.kcgo_empty[0])
	}
	return unsafe.Pointer(&b[0])
}

// encodeHeaders packs headers for kcgo_produce: per header the name length
// (with its NUL), the name and a NUL, the value length (-1: null), the value.
func encodeHeaders(hs []Header) ([]byte, error) {
	n := 0
	for _, h := range hs {
		n += 8 + len(h.Key) + 1 + len(h.Value)
	}
	b := make([]byte, 0, n)
	var tmp [4]byte
	for _, h := range hs {
		if h.Key == "" {
			return nil, NewError(ErrInvalidArg, "header with an empty key", false)
		}
		binary.LittleEndian.PutUint32(tmp[:], uint32(len(h.Key)+1))
		b = append(b, tmp[:]...)
		b = append(b, h.Key...)
		b = append(b, 0)
		vl := int32(-1)
		if h.Value != nil {
			vl = int32(len(h.Value))
		}
		binary.LittleEndian.PutUint32(tmp[:], uint32(vl))
		b = append(b, tmp[:]...)
		b = append(b, h.Value...)
	}
	return b, nil
}

// Produce queues msg for sending and returns at once. The delivery report
// (msg's fields, with TopicPartition.Partition, Offset and Error set) goes
// to deliveryChan when not nil, else to Events() (unless
// go.delivery.reports=false). Key and Value are copied before Produce
// returns; the report's Key, Value and Headers are the slices given here.
// Returns ErrQueueFull when queue.buffering.max.messages or buffer.memory
// is reached (serve Events() and retry), ErrMsgSizeTooLarge,
// ErrUnknownPartition, ErrInvalidArg.
func (p *Producer) Produce(msg *Message, deliveryChan chan Event) error {
	if msg == nil || msg.TopicPartition.Topic == nil || *msg.TopicPartition.Topic == "" {
		return NewError(ErrInvalidArg, "Produce: the message has no topic", false)
	}
	var hdrs []byte
	if len(msg.Headers) > 0 {
		var err error
		if hdrs, err = encodeHeaders(msg.Headers); err != nil {
			return err
		}
	}
	var ts int64
	if !msg.Timestamp.IsZero() {
		ts = msg.Timestamp.UnixNano() / int64(time.Millisecond)
	}
	p.mu.RLock()
	if p.closed {
		p.mu.RUnlock()
		return NewError(ErrDestroy, "Produce: the producer is closed", false)
	}
	var id uintptr
	if deliveryChan != nil || p.dr {
		id = p.reg.put(msg, deliveryChan)
	}
	var hp *C.char
	if hdrs != nil {
		hp = (*C.char)(unsafe.Pointer(&hdrs[0]))
	}
	code := C.kcgo_produce(p.p, p.cTopic(*msg.TopicPartition.Topic), C.int32_t(msg.TopicPartition.Partition),
		bytesPtr(msg.Key), C.size_t(len(msg.Key)), bytesPtr(msg.Value), C.size_t(len(msg.Value)),
		hp, C.size_t(len(hdrs)), C.int(len(msg.Headers)), C.int64_t(ts), C.uintptr_t(id))
	p.mu.RUnlock()
	if code != 0 {
		if id != 0 {
			p.reg.drop(id)
		}
		return newErrorStr(code, fmt.Sprintf("Produce to %s: %s", *msg.TopicPartition.Topic,
			ErrorCode(code).String()))
	}
	return nil
}

// Len returns the number of records not yet delivered plus the events not
// yet read from Events(): Flush waits for it to reach 0.
func (p *Producer) Len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return 0
	}
	return int(C.kc_producer_outq_len(p.p)) + int(C.kcgo_client_pending(p.cl)) + len(p.events)
}

// Flush sends every queued record now and waits up to timeoutMs (< 0: no
// limit) until all are delivered and their reports read from the channels
// (as in confluent-kafka-go, unread Events() count). Returns the number
// still outstanding (0: done).
func (p *Producer) Flush(timeoutMs int) int {
	if timeoutMs < 0 {
		timeoutMs = 1 << 30
	}
	deadline := time.Now().Add(time.Duration(timeoutMs) * time.Millisecond)
	atomic.AddInt32(&p.flushers, 1)
	defer atomic.AddInt32(&p.flushers, -1)
	p.mu.RLock()
	if !p.closed {
		C.kc_producer_flush(p.p, 0) // wake the brokers: send what lingers
	}
	p.mu.RUnlock()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		n := p.Len()
		if n == 0 {
			return 0
		}
		remain := time.Until(deadline)
		if remain <= 0 {
			return n
		}
		if remain > 10*time.Millisecond {
			remain = 10 * time.Millisecond
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(remain)
		select {
		case <-p.progress:
		case <-t.C:
		}
	}
}

// Purge fails every record not yet sent with ErrPurgeQueue (their delivery
// reports follow). Records already sent complete normally. flags is
// accepted for compatibility (PurgeQueue is what kafkac does).
func (p *Producer) Purge(flags int) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return NewError(ErrDestroy, "Purge: the producer is closed", false)
	}
	C.kc_producer_purge(p.p)
	return nil
}

// Purge flags (confluent-kafka-go's names).
const (
	PurgeInFlight    = 0x1
	PurgeQueue       = 0x2
	PurgeNonBlocking = 0x4
)

// GetMetadata returns the cluster's metadata for topic (nil and allTopics:
// every topic), fetched on a connection of its own.
func (p *Producer) GetMetadata(topic *string, allTopics bool, timeoutMs int) (*Metadata, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return nil, NewError(ErrDestroy, "the producer is closed", false)
	}
	return getMetadata(p.conf, topic, allTopics, timeoutMs)
}

// IsClosed reports whether Close was called.
func (p *Producer) IsClosed() bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.closed
}

// Close stops the producer: records not yet delivered fail with
// ErrDestroy (call Flush first), their reports are offered to the channels
// without blocking, and Events() is closed.
func (p *Producer) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	close(p.stop)
	<-p.done
	b := C.kcgo_evbuf_new()
	C.kcgo_producer_destroy(p.p, b)
	if b != nil {
		p.dispatch(b, true)
		C.kcgo_evbuf_free(b)
	}
	p.p = nil
	p.topics.Range(func(k, v interface{}) bool {
		C.free(unsafe.Pointer(v.(*C.char)))
		p.topics.Delete(k)
		return true
	})
	p.freeC()
	close(p.events)
	p.closeLogs()
}

// Poll loop pacing. While reports keep coming the loop polls the C
// library without blocking and sleeps in Go between polls (pollNap), so
// that reports are taken in batches and no OS thread sits blocked in a
// cgo call: a cgo call that blocks makes the Go scheduler hand its P to
// another thread and keeps sysmon waking every 20 µs, which cost more CPU
// than the reports themselves. After pollIdle without any event it falls
// back to waiting inside the C library (100 ms at a time), which costs
// nothing while the producer is idle.
const (
	pollNap  = time.Millisecond
	pollIdle = 20 * time.Millisecond
)

func (p *Producer) pollLoop() {
	defer close(p.done)
	t := time.NewTimer(time.Hour)
	t.Stop()
	var lastEvent time.Time
	for {
		select {
		case <-p.stop:
			return
		default:
		}
		busy := time.Since(lastEvent) < pollIdle
		switch {
		case atomic.LoadInt32(&p.flushers) > 0:
			C.kcgo_producer_flush(p.p, 100, p.cbuf)
		case busy:
			C.kcgo_producer_poll(p.p, 0, p.cbuf)
		default:
			C.kcgo_producer_poll(p.p, 100, p.cbuf)
		}
		if p.cbuf.cnt > 0 {
			lastEvent = time.Now()
			p.dispatch(p.cbuf, false)
			select {
			case p.progress <- struct{}{}:
			default:
			}
			continue
		}
		if busy && atomic.LoadInt32(&p.flushers) == 0 {
			t.Reset(pollNap)
			select {
			case <-t.C:
			case <-p.stop:
				return
			}
		}
	}
}

type dispatchItem struct {
	ev Event
	ch chan Event
}

// dispatch hands the buffered events to the channels, in order, and
// empties the buffer. closing: do not block (the application may have
// stopped reading).
func (p *Producer) dispatch(b *C.kcgo_evbuf, closing bool) {
	es := evs(b)
	var items []dispatchItem
	if !closing {
		items = p.scratch[:0]
	}
	ndr := 0
	for i := range es {
		if es[i]._type == C.KCGO_EV_DR {
			ndr++
		}
	}
	if ndr > 0 {
		p.reg.mu.Lock()
	}
	for i := range es {
		ev := &es[i]
		switch ev._type {
		case C.KCGO_EV_DR:
			m, ch := p.reg.takeLocked(uintptr(ev.id))
			if m == nil {
				continue
			}
			m.TopicPartition.Partition = int32(ev.partition)
			m.TopicPartition.Offset = Offset(ev.offset)
			if ev.err != 0 {
				str := goStr(ev.str)
				if str == "" {
					str = ErrorCode(ev.err).String()
				}
				m.TopicPartition.Error = newErrorStr(C.kc_err_t(ev.err), str)
			}
			if ev.timestamp > 0 {
				m.Timestamp = time.Unix(0, int64(ev.timestamp)*int64(time.Millisecond))
				m.TimestampType = TimestampCreateTime
			}
			if ch == nil {
				ch = p.events
			}
			items = append(items, dispatchItem{m, ch})
		case C.KCGO_EV_ERROR:
			items = append(items, dispatchItem{errorFromEv(ev), p.events})
		case C.KCGO_EV_LOG:
			p.logEvent(ev)
		}
	}
	if ndr > 0 {
		p.reg.mu.Unlock()
	}
	C.kcgo_evbuf_reset(b)
	for i := range items {
		it := &items[i]
		if closing {
			select {
			case it.ch <- it.ev:
			default:
			}
		} else {
			select {
			case it.ch <- it.ev: // the common case: room in the channel
				it.ev, it.ch = nil, nil
				continue
			default:
			}
			select {
			case it.ch <- it.ev:
			case <-p.stop:
				closing = true
				select {
				case it.ch <- it.ev:
				default:
				}
			}
		}
		it.ev, it.ch = nil, nil
	}
	if ndr > 0 {
		C.kcgo_client_pending_sub(p.cl, C.int64_t(ndr))
	}
	if items != nil && cap(items) <= 65536 {
		p.scratch = items[:0]
	}
}

// drRegistry keeps the delivery report of each produced record (a copy
// of its Message, made at Produce time so that the application may reuse
// its own) under a small integer id passed to C as the record's opaque.
type drRegistry struct {
	mu    sync.Mutex
	slots []drSlot
	free  []uint32
	slab  []Message // the unused tail of the current slab
}

const drSlab = 128

type drSlot struct {
	m  *Message
	ch chan Event
}

func (r *drRegistry) put(msg *Message, ch chan Event) uintptr {
	r.mu.Lock()
	// Report messages are cut from slabs: one allocation per drSlab
	// records instead of one per record.
	if len(r.slab) == 0 {
		r.slab = make([]Message, drSlab)
	}
	m := &r.slab[0]
	r.slab = r.slab[1:]
	*m = *msg
	m.TopicPartition.Offset = OffsetInvalid
	m.TopicPartition.Error = nil
	m.TopicPartition.Metadata = nil
	m.TopicPartition.LeaderEpoch = nil
	m.LeaderEpoch = nil
	var i uint32
	if n := len(r.free); n > 0 {
		i = r.free[n-1]
		r.free = r.free[:n-1]
	} else {
		r.slots = append(r.slots, drSlot{})
		i = uint32(len(r.slots) - 1)
	}
	r.slots[i] = drSlot{m, ch}
	r.mu.Unlock()
	return uintptr(i) + 1
}

// takeLocked frees slot id and returns its message and channel.
func (r *drRegistry) takeLocked(id uintptr) (*Message, chan Event) {
	i := uint32(id - 1)
	if id == 0 || int(i) >= len(r.slots) {
		return nil, nil
	}
	s := r.slots[i]
	r.slots[i] = drSlot{}
	r.free = append(r.free, i)
	return s.m, s.ch
}

func (r *drRegistry) drop(id uintptr) {
	r.mu.Lock()
	if m, _ := r.takeLocked(id); m != nil {
		*m = Message{} // its slab may live on: keep no references
	}
	r.mu.Unlock()
}
