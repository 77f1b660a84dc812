// Command bench produces and consumes N records of S bytes with kafkac-go,
// franz-go and confluent-kafka-go on the same broker, each client in a
// process of its own, and prints records/s and the process's CPU seconds
// (user+sys from the child's rusage, start-up and close included), the
// median of several runs.
//
//	go run . -bootstrap 127.0.0.1:9092 [-n 1000000] [-size 100] [-runs 3] [-partitions 6]
//
// Each run creates a new topic per client: the client produces into it,
// then reads it back from the beginning in a new consumer group. The
// clients take turns within a run. Settings common to all three: acks=all
// with idempotence, linger.ms=5, batch.size=16384, no compression; the
// consumer subscribes (group join included in the time) and starts at the
// earliest offset.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"
	"github.com/kafkac/kafkac-go/kafkac"
	"github.com/twmb/franz-go/pkg/kgo"
)

var (
	bootstrap  = flag.String("bootstrap", os.Getenv("KAFKAC_BOOTSTRAP"), "bootstrap servers")
	n          = flag.Int("n", 1000000, "records")
	size       = flag.Int("size", 100, "value bytes")
	runs       = flag.Int("runs", 3, "runs (the median is reported)")
	partitions = flag.Int("partitions", 6, "partitions of each topic")
	clients    = flag.String("clients", "kafkac-go,franz-go,confluent-kafka-go", "clients to run")
	role       = flag.String("role", "", "internal: produce or consume (child process)")
	client     = flag.String("client", "", "internal: the child's client")
	topic      = flag.String("topic", "", "internal: the child's topic")
	group      = flag.String("group", "", "internal: the child's group")
	cpuProfile = flag.String("cpuprofile", "", "internal: write the child's Go CPU profile here")
)

// result is what a child prints: the measured interval is from client
// creation to the last delivery report / record.
type result struct {
	Records int64   `json:"records"`
	Seconds float64 `json:"seconds"`
	First   float64 `json:"first"` // consume: seconds to the first record (group join, first fetch)
	Errors  int64   `json:"errors"`
	Retries int64   `json:"retries"` // produce: ErrQueueFull answers (each followed by a 50 µs sleep)
}

func main() {
	flag.Parse()
	if *bootstrap == "" {
		fmt.Fprintln(os.Stderr, "bench: -bootstrap (or KAFKAC_BOOTSTRAP) is required")
		os.Exit(2)
	}
	if *role != "" {
		child()
		return
	}
	parent()
}

func child() {
	var r result
	var err error
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	switch *role + "/" + *client {
	case "produce/kafkac-go":
		r, err = produceKafkac()
	case "produce/franz-go":
		r, err = produceFranz()
	case "produce/confluent-kafka-go":
		r, err = produceConfluent()
	case "consume/kafkac-go":
		r, err = consumeKafkac()
	case "consume/franz-go":
		r, err = consumeFranz()
	case "consume/confluent-kafka-go":
		r, err = consumeConfluent()
	default:
		err = fmt.Errorf("unknown role/client %s/%s", *role, *client)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(r)
}

// ------------------------------------------------------------------ kafkac-go

func produceKafkac() (result, error) {
	start := time.Now()
	p, err := kafkac.NewProducer(&kafkac.ConfigMap{"bootstrap.servers": *bootstrap, "acks": "all",
		"enable.idempotence": true, "linger.ms": 5, "batch.size": 16384, "compression.type": "none"})
	if err != nil {
		return result{}, err
	}
	done := make(chan result, 1)
	go func() {
		var r result
		for ev := range p.Events() {
			if m, ok := ev.(*kafkac.Message); ok {
				if m.TopicPartition.Error != nil {
					r.Errors++
				}
				r.Records++
				if r.Records == int64(*n) {
					done <- r
				}
			}
		}
	}()
	val := make([]byte, *size)
	t := *topic
	var retries int64
	for i := 0; i < *n; i++ {
		m := &kafkac.Message{TopicPartition: kafkac.TopicPartition{Topic: &t, Partition: kafkac.PartitionAny}, Value: val}
		for {
			err := p.Produce(m, nil)
			if err == nil {
				break
			}
			if e, ok := err.(kafkac.Error); !ok || e.Code() != kafkac.ErrQueueFull {
				return result{}, err
			}
			retries++
			time.Sleep(50 * time.Microsecond)
		}
	}
	r := <-done
	r.Retries = retries
	r.Seconds = time.Since(start).Seconds()
	p.Close()
	return r, nil
}

func consumeKafkac() (result, error) {
	start := time.Now()
	c, err := kafkac.NewConsumer(&kafkac.ConfigMap{"bootstrap.servers": *bootstrap, "group.id": *group,
		"auto.offset.reset": "earliest"})
	if err != nil {
		return result{}, err
	}
	if err := c.Subscribe(*topic, nil); err != nil {
		return result{}, err
	}
	var r result
	var bytes int
	for r.Records < int64(*n) {
		m, err := c.ReadMessage(30 * time.Second)
		if err != nil {
			return r, fmt.Errorf("after %d records: %v", r.Records, err)
		}
		if r.Records == 0 {
			r.First = time.Since(start).Seconds()
		}
		bytes += len(m.Value)
		r.Records++
	}
	r.Seconds = time.Since(start).Seconds()
	if bytes != *n**size {
		return r, fmt.Errorf("read %d bytes", bytes)
	}
	c.Close()
	return r, nil
}

// ------------------------------------------------------------------ franz-go

func produceFranz() (result, error) {
	start := time.Now()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(*bootstrap, ",")...),
		kgo.DefaultProduceTopic(*topic), kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerLinger(5*time.Millisecond), kgo.ProducerBatchMaxBytes(16384),
		kgo.ProducerBatchCompression(kgo.NoCompression()))
	if err != nil {
		return result{}, err
	}
	done := make(chan struct{})
	var r result
	var count int64
	val := make([]byte, *size)
	ctx := context.Background()
	cb := func(_ *kgo.Record, err error) {
		// Promises run serially on one goroutine per client.
		if err != nil {
			r.Errors++
		}
		count++
		if count == int64(*n) {
			close(done)
		}
	}
	for i := 0; i < *n; i++ {
		cl.Produce(ctx, &kgo.Record{Value: val}, cb)
	}
	<-done
	r.Records = count
	r.Seconds = time.Since(start).Seconds()
	cl.Close()
	return r, nil
}

func consumeFranz() (result, error) {
	start := time.Now()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(*bootstrap, ",")...),
		kgo.ConsumerGroup(*group), kgo.ConsumeTopics(*topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return result{}, err
	}
	var r result
	var bytes int
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	for r.Records < int64(*n) {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return r, fmt.Errorf("after %d records: %v", r.Records, err)
		}
		fs.EachError(func(t string, p int32, err error) { r.Errors++ })
		fs.EachRecord(func(rec *kgo.Record) {
			if r.Records == 0 {
				r.First = time.Since(start).Seconds()
			}
			bytes += len(rec.Value)
			r.Records++
		})
	}
	r.Seconds = time.Since(start).Seconds()
	if bytes != *n**size {
		return r, fmt.Errorf("read %d bytes", bytes)
	}
	cl.Close()
	return r, nil
}

// ------------------------------------------------------------------ confluent-kafka-go

func produceConfluent() (result, error) {
	start := time.Now()
	p, err := ckafka.NewProducer(&ckafka.ConfigMap{"bootstrap.servers": *bootstrap, "acks": "all",
		"enable.idempotence": true, "linger.ms": 5, "batch.size": 16384, "compression.type": "none"})
	if err != nil {
		return result{}, err
	}
	done := make(chan result, 1)
	go func() {
		var r result
		for ev := range p.Events() {
			if m, ok := ev.(*ckafka.Message); ok {
				if m.TopicPartition.Error != nil {
					r.Errors++
				}
				r.Records++
				if r.Records == int64(*n) {
					done <- r
				}
			}
		}
	}()
	val := make([]byte, *size)
	t := *topic
	for i := 0; i < *n; i++ {
		m := &ckafka.Message{TopicPartition: ckafka.TopicPartition{Topic: &t, Partition: ckafka.PartitionAny}, Value: val}
		for {
			err := p.Produce(m, nil)
			if err == nil {
				break
			}
			if e, ok := err.(ckafka.Error); !ok || e.Code() != ckafka.ErrQueueFull {
				return result{}, err
			}
			time.Sleep(50 * time.Microsecond)
		}
	}
	r := <-done
	r.Seconds = time.Since(start).Seconds()
	p.Close()
	return r, nil
}

func consumeConfluent() (result, error) {
	start := time.Now()
	c, err := ckafka.NewConsumer(&ckafka.ConfigMap{"bootstrap.servers": *bootstrap, "group.id": *group,
		"auto.offset.reset": "earliest"})
	if err != nil {
		return result{}, err
	}
	if err := c.Subscribe(*topic, nil); err != nil {
		return result{}, err
	}
	var r result
	var bytes int
	for r.Records < int64(*n) {
		m, err := c.ReadMessage(30 * time.Second)
		if err != nil {
			return r, fmt.Errorf("after %d records: %v", r.Records, err)
		}
		if r.Records == 0 {
			r.First = time.Since(start).Seconds()
		}
		bytes += len(m.Value)
		r.Records++
	}
	r.Seconds = time.Since(start).Seconds()
	if bytes != *n**size {
		return r, fmt.Errorf("read %d bytes", bytes)
	}
	c.Close()
	return r, nil
}

// ------------------------------------------------------------------ parent

type sample struct {
	rate, cpu, wall, first, fetchRate float64
}

func runChild(role, cl, topic, group string) (sample, error) {
	cmd := exec.Command(os.Args[0], "-bootstrap", *bootstrap, "-n", fmt.Sprint(*n), "-size", fmt.Sprint(*size),
		"-role", role, "-client", cl, "-topic", topic, "-group", group)
	cmd.Stderr = os.Stderr
	start := time.Now()
	out, err := cmd.Output()
	wall := time.Since(start).Seconds()
	if err != nil {
		return sample{}, fmt.Errorf("%s %s: %v", role, cl, err)
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return sample{}, fmt.Errorf("%s %s: output %q: %v", role, cl, out, err)
	}
	if r.Records != int64(*n) || r.Errors != 0 {
		return sample{}, fmt.Errorf("%s %s: %d records, %d errors", role, cl, r.Records, r.Errors)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	s := sample{rate: float64(r.Records) / r.Seconds, cpu: cpu, wall: wall, first: r.First}
	if r.First > 0 && r.Seconds > r.First {
		s.fetchRate = float64(r.Records-1) / (r.Seconds - r.First)
	}
	return s, nil
}

func median(xs []float64) (med, lo, hi float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 0 {
		med = (s[m-1] + s[m]) / 2
	} else {
		med = s[m]
	}
	return med, s[0], s[len(s)-1]
}

func parent() {
	a, err := kafkac.NewAdminClient(&kafkac.ConfigMap{"bootstrap.servers": *bootstrap})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	defer a.Close()
	names := strings.Split(*clients, ",")
	type key struct{ client, role string }
	samples := map[key][]sample{}
	var topics []string
	for run := 0; run < *runs; run++ {
		// Rotate the order so that no client always goes first.
		order := append(names[run%len(names):], names[:run%len(names)]...)
		for _, cl := range order {
			t := fmt.Sprintf("bench-%s-%d-%d", cl, time.Now().UnixNano(), run)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			res, err := a.CreateTopics(ctx, []kafkac.TopicSpecification{{Topic: t, NumPartitions: *partitions, ReplicationFactor: 1}})
			cancel()
			if err != nil || res[0].Error.Code() != kafkac.ErrNoError {
				fmt.Fprintln(os.Stderr, "bench: create topic:", res, err)
				os.Exit(1)
			}
			topics = append(topics, t)
			time.Sleep(500 * time.Millisecond) // leaders settle
			for _, role := range []string{"produce", "consume"} {
				s, err := runChild(role, cl, t, t+"-g")
				if err != nil {
					fmt.Fprintln(os.Stderr, "bench:", err)
					os.Exit(1)
				}
				fmt.Fprintf(os.Stderr, "run %d %-18s %-7s %10.0f records/s %6.2f s CPU %6.2f s wall %6.3f s to first record\n",
					run+1, cl, role, s.rate, s.cpu, s.wall, s.first)
				samples[key{cl, role}] = append(samples[key{cl, role}], s)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	_, _ = a.DeleteTopics(ctx, topics)
	cancel()

	kv, ks := kafkac.LibraryVersion()
	_ = kv
	fmt.Printf("\n%d records of %d bytes, %d partitions, %d runs (median, [min-max]); kafkac %s\n\n",
		*n, *size, *partitions, *runs, ks)
	fmt.Println("| client | role | records/s | process CPU s | CPU µs/record | wall s | s to first record | records/s after the first |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|")
	for _, role := range []string{"produce", "consume"} {
		for _, cl := range names {
			ss := samples[key{cl, role}]
			var rates, cpus, walls, firsts, frates []float64
			for _, s := range ss {
				rates = append(rates, s.rate)
				cpus = append(cpus, s.cpu)
				walls = append(walls, s.wall)
				firsts = append(firsts, s.first)
				frates = append(frates, s.fetchRate)
			}
			r, rlo, rhi := median(rates)
			c, clo, chi := median(cpus)
			w, _, _ := median(walls)
			f, _, _ := median(firsts)
			fr, _, _ := median(frates)
			first, after := "-", "-"
			if role == "consume" {
				first, after = fmt.Sprintf("%.3f", f), fmt.Sprintf("%.0f", fr)
			}
			fmt.Printf("| %s | %s | %.0f [%.0f-%.0f] | %.2f [%.2f-%.2f] | %.2f | %.2f | %s | %s |\n",
				cl, role, r, rlo, rhi, c, clo, chi, c*1e6/float64(*n), w, first, after)
		}
	}
}
