package kafkac

/*
#include "kcgo.h"
*/
import "C"

import (
	"strconv"
	"unsafe"
)

// BrokerMetadata is a broker of the cluster.
type BrokerMetadata struct {
	ID   int32
	Host string
	Port int
}

// PartitionMetadata is a partition of a topic.
type PartitionMetadata struct {
	ID       int32
	Error    Error
	Leader   int32
	Replicas []int32
	Isrs     []int32
}

// TopicMetadata is a topic and its partitions.
type TopicMetadata struct {
	Topic      string
	Partitions []PartitionMetadata
	Error      Error
}

// Metadata is the cluster's metadata.
type Metadata struct {
	Brokers []BrokerMetadata
	Topics  map[string]TopicMetadata

	OriginatingBroker BrokerMetadata
}

func getMetadata(conf *C.kc_conf_t, topic *string, allTopics bool, timeoutMs int) (*Metadata, error) {
	var names []string
	if topic != nil {
		names = []string{*topic}
	} else if !allTopics {
		// No topic and not all: brokers only. kc_metadata_fetch has no
		// "no topics" request, so all topics are asked for and dropped.
		names = nil
	}
	var v **C.char
	if len(names) > 0 {
		cb := C.CBytes(cStrings(names))
		defer C.free(cb)
		v = C.kcgo_split((*C.char)(cb), C.int(len(names)))
		if v == nil {
			return nil, NewError(ErrCritSysResource, "out of memory", false)
		}
		defer C.free(unsafe.Pointer(v))
	}
	var md *C.kc_metadata_t
	var errbuf [512]C.char
	code := C.kc_metadata_fetch(conf, v, C.size_t(len(names)), C.int(timeoutMs), &md, &errbuf[0],
		C.size_t(len(errbuf)))
	if code != 0 {
		return nil, newErrorBuf(code, errbuf[:])
	}
	defer C.kc_metadata_destroy(md)
	return metadataToGo(md, topic != nil || allTopics), nil
}

func metadataToGo(md *C.kc_metadata_t, withTopics bool) *Metadata {
	m := &Metadata{Topics: map[string]TopicMetadata{}}
	nb := int(C.kc_metadata_broker_count(md))
	for i := 0; i < nb; i++ {
		ci := C.int(i)
		m.Brokers = append(m.Brokers, BrokerMetadata{
			ID:   int32(C.kc_metadata_broker_id(md, ci)),
			Host: C.GoString(C.kc_metadata_broker_host(md, ci)),
			Port: int(C.kc_metadata_broker_port(md, ci)),
		})
	}
	if ob := C.GoString(C.kc_metadata_orig_broker(md)); ob != "" {
		for _, b := range m.Brokers {
			if b.Host+":"+strconv.Itoa(b.Port) == ob {
				m.OriginatingBroker = b
			}
		}
		if m.OriginatingBroker.Host == "" {
			m.OriginatingBroker = BrokerMetadata{ID: -1, Host: ob}
		}
	}
	if !withTopics {
		return m
	}
	nt := int(C.kc_metadata_topic_count(md))
	for t := 0; t < nt; t++ {
		ct := C.int(t)
		tm := TopicMetadata{
			Topic: C.GoString(C.kc_metadata_topic_name(md, ct)),
			Error: newError(C.kc_metadata_topic_error(md, ct)),
		}
		np := int(C.kc_metadata_partition_count(md, ct))
		for p := 0; p < np; p++ {
			cp := C.int(p)
			pm := PartitionMetadata{
				ID:     int32(C.kc_metadata_partition_id(md, ct, cp)),
				Error:  newError(C.kc_metadata_partition_error(md, ct, cp)),
				Leader: int32(C.kc_metadata_partition_leader(md, ct, cp)),
			}
			nr := int(C.kc_metadata_partition_replica_count(md, ct, cp))
			for r := 0; r < nr; r++ {
				pm.Replicas = append(pm.Replicas, int32(C.kc_metadata_partition_replica(md, ct, cp, C.int(r))))
			}
			ni := int(C.kc_metadata_partition_isr_count(md, ct, cp))
			for r := 0; r < ni; r++ {
				pm.Isrs = append(pm.Isrs, int32(C.kc_metadata_partition_isr(md, ct, cp, C.int(r))))
			}
			tm.Partitions = append(tm.Partitions, pm)
		}
		m.Topics[tm.Topic] = tm
	}
	return m
}
