package kafkac

/*
#include "kcgo.h"
*/
import "C"

import (
	"time"
	"unsafe"
)

// handle is what every client has: its name and its log channel.
type handle struct {
	name       string
	logs       chan LogEvent
	logsEnable bool
	ownLogs    bool // the channel was made here (closed on Close)
}

func (h *handle) setupLogs(gc *goConfig, name string) {
	h.name = name
	h.logsEnable = gc.logsEnable || gc.logsChan != nil
	if gc.logsChan != nil {
		h.logs = gc.logsChan
	} else if h.logsEnable {
		h.logs = make(chan LogEvent, 10000)
		h.ownLogs = true
	}
}

// logEvent forwards a log line; lines are dropped when the channel is full
// rather than blocking the poll that served them.
func (h *handle) logEvent(ev *C.kcgo_ev) {
	if h.logs == nil {
		return
	}
	le := LogEvent{
		Name:      h.name,
		Tag:       goStr(ev.str2),
		Message:   goStr(ev.str),
		Level:     int(ev.level),
		Timestamp: time.Now(),
	}
	select {
	case h.logs <- le:
	default:
	}
}

func (h *handle) closeLogs() {
	if h.ownLogs && h.logs != nil {
		close(h.logs)
	}
}

func goStr(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// evs returns the events of a buffer as a Go slice over C memory, valid
// until the buffer is reset.
func evs(b *C.kcgo_evbuf) []C.kcgo_ev {
	if b.cnt == 0 {
		return nil
	}
	return unsafe.Slice(b.ev, int(b.cnt))
}

func errorFromEv(ev *C.kcgo_ev) Error {
	e := NewError(ErrorCode(ev.err), goStr(ev.str), ev.level&C.KCGO_ERRF_FATAL != 0)
	e.retriable = ev.level&C.KCGO_ERRF_RETRIABLE != 0
	e.txnRequiresAbort = ev.level&C.KCGO_ERRF_TXN_ABORT != 0
	return e
}

// ------------------------------------------------------------------ lists

// newCTplist builds a kc_tplist_t (free with kc_tplist_destroy) in one C call.
func newCTplist(parts []TopicPartition) (*C.kc_tplist_t, error) {
	n := len(parts)
	if n == 0 {
		l := C.kc_tplist_new(0)
		if l == nil {
			return nil, NewError(ErrCritSysResource, "out of memory", false)
		}
		return l, nil
	}
	var names, metas []byte
	ps := make([]int32, n)
	offs := make([]int64, n)
	epochs := make([]int32, n)
	hasMeta := make([]int32, n)
	anyMeta := false
	for i, p := range parts {
		if p.Topic == nil || *p.Topic == "" {
			return nil, NewError(ErrInvalidArg, "TopicPartition without a topic", false)
		}
		names = append(names, *p.Topic...)
		names = append(names, 0)
		ps[i] = p.Partition
		offs[i] = int64(p.Offset)
		epochs[i] = -1
		if p.LeaderEpoch != nil {
			epochs[i] = *p.LeaderEpoch
		}
		if p.Metadata != nil {
			anyMeta = true
			hasMeta[i] = 1
			metas = append(metas, *p.Metadata...)
		}
		metas = append(metas, 0)
	}
	var mp *C.char
	if anyMeta {
		mp = (*C.char)(unsafe.Pointer(&metas[0]))
	}
	l := C.kcgo_tplist_build((*C.char)(unsafe.Pointer(&names[0])), (*C.int32_t)(unsafe.Pointer(&ps[0])),
		(*C.int64_t)(unsafe.Pointer(&offs[0])), (*C.int32_t)(unsafe.Pointer(&epochs[0])), mp,
		(*C.int32_t)(unsafe.Pointer(&hasMeta[0])), C.int(n))
	if l == nil {
		return nil, NewError(ErrInvalidArg, "cannot build the partition list (empty topic name?)", false)
	}
	return l, nil
}

// tplistToGo copies a kc_tplist_t; withErrors sets each entry's Error.
func tplistToGo(l *C.kc_tplist_t, withErrors bool) []TopicPartition {
	if l == nil {
		return nil
	}
	n := int(C.kc_tplist_count(l))
	out := make([]TopicPartition, n)
	topics := map[string]*string{}
	for i := 0; i < n; i++ {
		ci := C.int(i)
		t := C.GoString(C.kc_tplist_topic(l, ci))
		tp, ok := topics[t]
		if !ok {
			tp = &t
			topics[t] = tp
		}
		out[i] = TopicPartition{
			Topic:     tp,
			Partition: int32(C.kc_tplist_partition(l, ci)),
			Offset:    Offset(C.kc_tplist_offset(l, ci)),
		}
		if e := int32(C.kc_tplist_leader_epoch(l, ci)); e >= 0 {
			out[i].LeaderEpoch = &e
		}
		if md := C.kc_tplist_metadata(l, ci); md != nil && *md != 0 {
			s := C.GoString(md)
			out[i].Metadata = &s
		}
		if withErrors {
			if code := C.kc_tplist_error(l, ci); code != 0 {
				out[i].Error = newError(code)
			}
		}
	}
	return out
}

// cStrings packs names NUL-separated for kcgo_split.
func cStrings(names []string) []byte {
	var b []byte
	for _, s := range names {
		b = append(b, s...)
		b = append(b, 0)
	}
	return b
}
