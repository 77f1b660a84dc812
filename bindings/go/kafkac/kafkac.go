// Package kafkac is a Go client for Apache Kafka over the kafkac C library,
// shaped like confluent-kafka-go (github.com/confluentinc/confluent-kafka-go/v2/kafka):
// the same ConfigMap, Producer (Produce, Events, Flush), Consumer
// (Subscribe, Poll, ReadMessage, Commit, Seek, ...), AdminClient,
// Message, TopicPartition, Offset, Error and ErrorCode names, so that code
// written for it needs little more than a changed import.
//
// Callbacks: the C library runs callbacks only inside the calls that poll
// it (kc_producer_poll, kc_consumer_poll, flush, close), and this package
// makes those calls from Go. Delivery reports, errors, logs and commit
// results are copied by small C callbacks into a buffer that the polling
// Go call reads when the C call returns; only the rebalance callback calls
// into Go, on the thread of the Go call that polls. No Go code ever runs on
// one of the library's own threads.
//
// A Producer has one background goroutine that polls the library and
// serves its Events channel (and per-message delivery channels). A
// Consumer is driven by the application's calls to Poll / ReadMessage.
package kafkac

/*
#include "kcgo.h"
*/
import "C"

import (
	"fmt"
	"strings"
	"time"
)

// LibraryVersion returns the version of the linked kafkac C library as an
// int (0xMMmmpp00) and a string ("0.1.0").
func LibraryVersion() (int, string) {
	return int(C.kc_version()), C.GoString(C.kc_version_str())
}

// Offset is a partition offset, or one of the logical offsets
// OffsetBeginning, OffsetEnd, OffsetStored and OffsetInvalid.
type Offset int64

// Logical offsets (librdkafka's numbers, as in confluent-kafka-go).
const (
	// OffsetBeginning is the partition's earliest offset.
	OffsetBeginning = Offset(C.KC_OFFSET_BEGINNING)
	// OffsetEnd is the partition's end: the next record produced.
	OffsetEnd = Offset(C.KC_OFFSET_END)
	// OffsetInvalid means no offset (also "use the committed offset" in Assign).
	OffsetInvalid = Offset(C.KC_OFFSET_INVALID)
	// OffsetStored is the group's committed offset, else auto.offset.reset.
	OffsetStored = Offset(C.KC_OFFSET_STORED)
)

// PartitionAny lets the partitioner choose the partition.
const PartitionAny = int32(C.KC_PARTITION_ANY)

func (o Offset) String() string {
	switch o {
	case OffsetBeginning:
		return "beginning"
	case OffsetEnd:
		return "end"
	case OffsetInvalid:
		return "unset"
	case OffsetStored:
		return "stored"
	default:
		return fmt.Sprintf("%d", int64(o))
	}
}

// Set parses "beginning"/"earliest", "end"/"latest", "unset"/"invalid",
// "stored" or a number into the offset.
func (o *Offset) Set(offset interface{}) error {
	n, err := NewOffset(offset)
	if err == nil {
		*o = n
	}
	return err
}

// NewOffset makes an Offset from an int, int64, Offset or string (see Set).
func NewOffset(offset interface{}) (Offset, error) {
	switch v := offset.(type) {
	case Offset:
		return v, nil
	case int:
		return Offset(v), nil
	case int64:
		return Offset(v), nil
	case string:
		switch strings.ToLower(v) {
		case "beginning", "earliest", "smallest":
			return OffsetBeginning, nil
		case "end", "latest", "largest":
			return OffsetEnd, nil
		case "unset", "invalid":
			return OffsetInvalid, nil
		case "stored":
			return OffsetStored, nil
		}
		var n int64
		if _, err := fmt.Sscanf(v, "%d", &n); err != nil {
			return OffsetInvalid, NewError(ErrInvalidArg, fmt.Sprintf("invalid offset %q", v), false)
		}
		return Offset(n), nil
	}
	return OffsetInvalid, NewError(ErrInvalidArg, fmt.Sprintf("invalid offset type %T", offset), false)
}

// TopicPartition is a topic, a partition, an offset and an error; the
// unit of assignments, commits and positions, and the place of a record.
type TopicPartition struct {
	Topic       *string
	Partition   int32
	Offset      Offset
	Metadata    *string // commit metadata
	Error       error
	LeaderEpoch *int32 // nil when unknown
}

func (p TopicPartition) String() string {
	topic := "<null>"
	if p.Topic != nil {
		topic = *p.Topic
	}
	if p.Error != nil {
		return fmt.Sprintf("%s[%d]@%s(%s)", topic, p.Partition, p.Offset, p.Error)
	}
	return fmt.Sprintf("%s[%d]@%s", topic, p.Partition, p.Offset)
}

// TopicPartitions is a sortable list of TopicPartition.
type TopicPartitions []TopicPartition

func (tps TopicPartitions) Len() int { return len(tps) }
func (tps TopicPartitions) Less(i, j int) bool {
	a, b := "", ""
	if tps[i].Topic != nil {
		a = *tps[i].Topic
	}
	if tps[j].Topic != nil {
		b = *tps[j].Topic
	}
	if a != b {
		return a < b
	}
	return tps[i].Partition < tps[j].Partition
}
func (tps TopicPartitions) Swap(i, j int) { tps[i], tps[j] = tps[j], tps[i] }

// TimestampType says what a record's timestamp is.
type TimestampType int

const (
	// TimestampNotAvailable means the record has no timestamp.
	TimestampNotAvailable = TimestampType(C.KC_TIMESTAMP_NOT_AVAILABLE)
	// TimestampCreateTime is the producer's time.
	TimestampCreateTime = TimestampType(C.KC_TIMESTAMP_CREATE_TIME)
	// TimestampLogAppendTime is the broker's time.
	TimestampLogAppendTime = TimestampType(C.KC_TIMESTAMP_LOG_APPEND_TIME)
)

func (t TimestampType) String() string {
	switch t {
	case TimestampCreateTime:
		return "CreateTime"
	case TimestampLogAppendTime:
		return "LogAppendTime"
	default:
		return "NotAvailable"
	}
}

// Header is a record header. A nil Value is a null value.
type Header struct {
	Key   string
	Value []byte
}

func (h Header) String() string {
	if h.Value == nil {
		return fmt.Sprintf("%s=nil", h.Key)
	}
	return fmt.Sprintf("%s=%q", h.Key, h.Value)
}

// Message is a record: produced (Produce), delivered (delivery reports) or
// consumed (Poll, ReadMessage).
type Message struct {
	TopicPartition TopicPartition
	Value          []byte
	Key            []byte
	Timestamp      time.Time
	TimestampType  TimestampType
	Opaque         interface{}
	Headers        []Header
	LeaderEpoch    *int32 // nil when unknown
}

func (m *Message) String() string {
	return fmt.Sprintf("%s: %d-byte key, %d-byte value", m.TopicPartition, len(m.Key), len(m.Value))
}

// Event is what Poll and the Events channel deliver: *Message, Error,
// AssignedPartitions, RevokedPartitions, PartitionEOF, OffsetsCommitted.
type Event interface {
	String() string
}

// AssignedPartitions is the rebalance event giving partitions to this
// consumer.
type AssignedPartitions struct {
	Partitions []TopicPartition
}

func (e AssignedPartitions) String() string {
	return fmt.Sprintf("AssignedPartitions: %v", e.Partitions)
}

// RevokedPartitions is the rebalance event taking partitions away (also
// when they were lost: see Consumer.AssignmentLost).
type RevokedPartitions struct {
	Partitions []TopicPartition
}

func (e RevokedPartitions) String() string {
	return fmt.Sprintf("RevokedPartitions: %v", e.Partitions)
}

// PartitionEOF is the event for reaching the end of a partition
// (enable.partition.eof=true).
type PartitionEOF TopicPartition

func (p PartitionEOF) String() string {
	return fmt.Sprintf("EOF at %s", TopicPartition(p))
}

// OffsetsCommitted is the result of an automatic or asynchronous commit.
type OffsetsCommitted struct {
	Error   error
	Offsets []TopicPartition
}

func (o OffsetsCommitted) String() string {
	return fmt.Sprintf("OffsetsCommitted (%v, %v)", o.Error, o.Offsets)
}

// LogEvent is a log line of the C library (go.logs.channel.enable=true).
type LogEvent struct {
	Name      string // the client
	Tag       string // facility: "BROKER", "METADATA", ...
	Message   string
	Level     int // syslog level: 7 debug .. 0 emergency
	Timestamp time.Time
}

func (l LogEvent) String() string {
	return fmt.Sprintf("[%v][%s][%s][%d] %s", l.Timestamp.Format(time.RFC3339Nano), l.Name, l.Tag,
		l.Level, l.Message)
}
