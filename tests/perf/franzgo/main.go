// franzgo: the franz-go peer of `kafkac perf produce|consume`, with the same
// flags and the same summary lines as Kafka's ProducerPerformance and
// ConsumerPerformance, so that tests/perf/bench parses all clients alike.
//
//	franzgo produce --topic T --num-records N --record-size S --throughput R \
//	        --producer-props bootstrap.servers=B acks=all enable.idempotence=true \
//	        linger.ms=5 batch.size=16384 compression.type=lz4
//	franzgo consume --bootstrap-server B --topic T --messages N [--group G] [--assign]
//	franzgo e2e|idle FLAGS   (S7 / S5: tests/perf/e2e.c's flags and RESULT line)
//
// Values are random letters A-Z from a fixed-seed 4 MiB pool, as
// tools/kafkac/perf_common.c makes them (the same payload for every client).
package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

func die(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "franzgo: "+f+"\n", a...)
	os.Exit(2)
}

func cpuLine(n int64) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	u := float64(ru.Utime.Sec) + float64(ru.Utime.Usec)/1e6
	s := float64(ru.Stime.Sec) + float64(ru.Stime.Usec)/1e6
	per := 0.0
	if n > 0 {
		per = (u + s) * 1e6 / float64(n)
	}
	fmt.Printf("%.3f s client CPU (user %.3f s, sys %.3f s), %.3f us CPU per record.\n", u+s, u, s, per)
}

func pool(size int, n int64) [][]byte {
	slots := (4 << 20) / size
	if slots < 1 {
		slots = 1
	}
	if int64(slots) > n {
		slots = int(n)
	}
	buf := make([]byte, slots*size)
	x := uint64(0x9e3779b97f4a7c15)
	for i := range buf {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		buf[i] = byte('A' + (x>>32)%26)
	}
	out := make([][]byte, slots)
	for i := range out {
		out[i] = buf[i*size : (i+1)*size]
	}
	return out
}

func produce(args []string) {
	var topic string
	var num int64 = -1
	size := -1
	thr := -1.0
	props := map[string]string{}
	for i := 0; i < len(args); i++ {
		next := func() string {
			i++
			if i >= len(args) {
				die("%s needs a value", args[i-1])
			}
			return args[i]
		}
		switch args[i] {
		case "--topic":
			topic = next()
		case "--num-records":
			num, _ = strconv.ParseInt(next(), 10, 64)
		case "--record-size":
			size, _ = strconv.Atoi(next())
		case "--throughput":
			thr, _ = strconv.ParseFloat(next(), 64)
		case "--bootstrap-server":
			props["bootstrap.servers"] = next()
		case "--producer-props":
			for i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
				i++
				k, v, ok := strings.Cut(args[i], "=")
				if !ok {
					die("bad property %q", args[i])
				}
				props[k] = v
			}
		default:
			die("unknown flag %s", args[i])
		}
	}
	if topic == "" || num <= 0 || size <= 0 {
		die("--topic, --num-records and --record-size are required")
	}
	opts := []kgo.Opt{kgo.DefaultProduceTopic(topic),
		kgo.ProducerLinger(5 * time.Millisecond), kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil))}
	batch := 16384
	acks := "all"
	idem := ""
	for k, v := range props {
		switch k {
		case "bootstrap.servers":
			opts = append(opts, kgo.SeedBrokers(strings.Split(v, ",")...))
		case "acks":
			acks = v
		case "enable.idempotence":
			idem = v
		case "linger.ms":
			ms, _ := strconv.Atoi(v)
			opts = append(opts, kgo.ProducerLinger(time.Duration(ms)*time.Millisecond))
		case "batch.size":
			batch, _ = strconv.Atoi(v)
		case "max.request.size":
			b, _ := strconv.Atoi(v)
			opts = append(opts, kgo.BrokerMaxWriteBytes(int32(b)+1024))
		case "buffer.memory":
			b, _ := strconv.ParseInt(v, 10, 64)
			opts = append(opts, kgo.MaxBufferedBytes(int(b)))
		case "compression.type":
			switch v {
			case "none":
				opts = append(opts, kgo.ProducerBatchCompression(kgo.NoCompression()))
			case "gzip":
				opts = append(opts, kgo.ProducerBatchCompression(kgo.GzipCompression()))
			case "snappy":
				opts = append(opts, kgo.ProducerBatchCompression(kgo.SnappyCompression()))
			case "lz4":
				opts = append(opts, kgo.ProducerBatchCompression(kgo.Lz4Compression()))
			case "zstd":
				opts = append(opts, kgo.ProducerBatchCompression(kgo.ZstdCompression()))
			default:
				die("compression.type %s", v)
			}
		case "client.id":
			opts = append(opts, kgo.ClientID(v))
		case "max.in.flight.requests.per.connection":
			n, _ := strconv.Atoi(v)
			opts = append(opts, kgo.MaxProduceRequestsInflightPerBroker(n))
		default:
			fmt.Fprintf(os.Stderr, "franzgo: ignoring property %s=%s\n", k, v)
		}
	}
	// franz-go refuses a record larger than its batch limit (Java and the C
	// clients send such a record in a batch of its own): raise the limit.
	if batch < size+1024 {
		batch = size + 1024
	}
	opts = append(opts, kgo.ProducerBatchMaxBytes(int32(batch)))
	switch acks {
	case "all", "-1":
		opts = append(opts, kgo.RequiredAcks(kgo.AllISRAcks()))
		if idem == "false" {
			opts = append(opts, kgo.DisableIdempotentWrite())
		}
	case "1":
		opts = append(opts, kgo.RequiredAcks(kgo.LeaderAck()), kgo.DisableIdempotentWrite())
	case "0":
		opts = append(opts, kgo.RequiredAcks(kgo.NoAck()), kgo.DisableIdempotentWrite())
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		die("%v", err)
	}
	vals := pool(size, num)
	lat := make([]int32, num)
	var mu sync.Mutex
	var failed int64
	var firstErr error
	var wg sync.WaitGroup
	wg.Add(int(num))
	start := time.Now()
	var interval time.Duration
	if thr > 0 {
		interval = time.Duration(float64(time.Second) / thr)
	}
	ctx := context.Background()
	for i := int64(0); i < num; i++ {
		if interval > 0 {
			target := start.Add(time.Duration(i) * interval)
			if d := time.Until(target); d > 2*time.Millisecond {
				time.Sleep(d)
			}
		}
		sent := time.Now()
		idx := i
		cl.Produce(ctx, &kgo.Record{Value: vals[i%int64(len(vals))]}, func(r *kgo.Record, err error) {
			lat[idx] = int32(time.Since(sent).Milliseconds())
			if err != nil {
				mu.Lock()
				failed++
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
			wg.Done()
		})
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	cl.Close()
	s := append([]int32(nil), lat...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	var tot int64
	for _, v := range s {
		tot += int64(v)
	}
	pct := func(p float64) int32 { return s[int(p*float64(len(s)-1))] }
	fmt.Printf("%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.\n",
		num, float64(num)/el, float64(num)*float64(size)/el/1048576, float64(tot)/float64(num), float64(s[len(s)-1]),
		pct(.5), pct(.95), pct(.99), pct(.999))
	cpuLine(num)
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "franzgo: %d records failed: %v\n", failed, firstErr)
		os.Exit(1)
	}
}

func consume(args []string) {
	var boot, topic, group string
	var num int64 = -1
	assign := false
	for i := 0; i < len(args); i++ {
		next := func() string {
			i++
			if i >= len(args) {
				die("%s needs a value", args[i-1])
			}
			return args[i]
		}
		switch args[i] {
		case "--bootstrap-server":
			boot = next()
		case "--topic":
			topic = next()
		case "--messages":
			num, _ = strconv.ParseInt(next(), 10, 64)
		case "--group":
			group = next()
		case "--assign":
			assign = true
		default:
			die("unknown flag %s", args[i])
		}
	}
	if boot == "" || topic == "" || num <= 0 {
		die("--bootstrap-server, --topic and --messages are required")
	}
	if group == "" {
		group = fmt.Sprintf("perf-consumer-%d", os.Getpid())
	}
	start := time.Now()
	var assigned time.Time
	var amu sync.Mutex
	opts := []kgo.Opt{kgo.SeedBrokers(strings.Split(boot, ",")...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}
	if assign {
		opts = append(opts, kgo.ConsumeTopics(topic))
		assigned = start
	} else {
		opts = append(opts, kgo.ConsumeTopics(topic), kgo.ConsumerGroup(group),
			kgo.OnPartitionsAssigned(func(context.Context, *kgo.Client, map[string][]int32) {
				amu.Lock()
				if assigned.IsZero() {
					assigned = time.Now()
				}
				amu.Unlock()
			}))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		die("%v", err)
	}
	var n, bytes int64
	ctx := context.Background()
	for n < num {
		fs := cl.PollRecords(ctx, 10000)
		fs.EachError(func(t string, p int32, err error) { fmt.Fprintf(os.Stderr, "franzgo: %s[%d]: %v\n", t, p, err) })
		fs.EachRecord(func(r *kgo.Record) {
			n++
			bytes += int64(len(r.Key) + len(r.Value))
		})
	}
	end := time.Now()
	cl.Close()
	amu.Lock()
	if assigned.IsZero() {
		assigned = start
	}
	amu.Unlock()
	el := end.Sub(start).Seconds()
	fel := end.Sub(assigned).Seconds()
	mb := float64(bytes) / 1048576
	ts := func(t time.Time) string {
		return t.Format("2006-01-02 15:04:05") + fmt.Sprintf(":%03d", t.Nanosecond()/1e6)
	}
	fmt.Println("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec")
	fmt.Printf("%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f\n", ts(start), ts(end),
		mb, mb/el, n, float64(n)/el, assigned.Sub(start).Milliseconds(), end.Sub(assigned).Milliseconds(),
		mb/fel, float64(n)/fel)
	cpuLine(n)
}

func cpuSec() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec) + float64(ru.Utime.Usec)/1e6 + float64(ru.Stime.Sec) + float64(ru.Stime.Usec)/1e6
}

// latency: the S7 (mode e2e) and S5 (mode idle) runs of tests/perf/e2e.c,
// with the same flags and RESULT line.
func latency(mode string, args []string) {
	var boot, topic string
	acks := "all"
	rate, secs, idle, size, linger, warm := 1000, 5, 60, 100, 0, 1
	for i := 0; i+1 < len(args); i += 2 {
		v := args[i+1]
		n, _ := strconv.Atoi(v)
		switch args[i] {
		case "--bootstrap-server":
			boot = v
		case "--topic":
			topic = v
		case "--acks":
			acks = v
		case "--rate":
			rate = n
		case "--seconds":
			secs = n
		case "--idle-seconds":
			idle = n
		case "--record-size":
			size = n
		case "--linger-ms":
			linger = n
		case "--warmup-seconds":
			warm = n
		case "--mode":
		default:
			die("unknown flag %s", args[i])
		}
	}
	if size < 24 {
		size = 24
	}
	popts := []kgo.Opt{kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.DefaultProduceTopic(topic),
		kgo.RecordPartitioner(kgo.RoundRobinPartitioner()), kgo.ProducerBatchMaxBytes(16384),
		// Always set: franz-go's own default linger is 10 ms, not 0.
		kgo.ProducerLinger(time.Duration(linger) * time.Millisecond)}
	if acks == "all" || acks == "-1" {
		popts = append(popts, kgo.RequiredAcks(kgo.AllISRAcks()))
	} else {
		popts = append(popts, kgo.RequiredAcks(kgo.LeaderAck()), kgo.DisableIdempotentWrite())
	}
	p, err := kgo.NewClient(popts...)
	if err != nil {
		die("%v", err)
	}
	base := time.Now()
	tag := uint64(os.Getpid())
	var lat []int64
	var received int64
	var stop, done chan struct{}
	var c *kgo.Client
	if mode == "e2e" {
		c, err = kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.ConsumeTopics(topic),
			kgo.ConsumeResetOffset(kgo.NewOffset().AtEnd()))
		if err != nil {
			die("%v", err)
		}
		lat = make([]int64, 0, rate*(secs+warm))
		stop, done = make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				fs := c.PollFetches(ctx)
				cancel()
				now := time.Since(base).Nanoseconds()
				fs.EachRecord(func(r *kgo.Record) {
					v := r.Value
					if len(v) < 24 || binary.LittleEndian.Uint64(v) != tag {
						return
					}
					atomic.AddInt64(&received, 1)
					if binary.LittleEndian.Uint64(v[16:]) == 1 {
						lat = append(lat, (now-int64(binary.LittleEndian.Uint64(v[8:])))/1000)
					}
				})
			}
		}()
		time.Sleep(1500 * time.Millisecond)
		p.ForceMetadataRefresh()
	}
	total := int64(rate * (secs + warm))
	if mode == "idle" {
		total = int64(rate * secs)
		warm = 0
	}
	var sent, measured, failed int64
	var cpu0 float64
	t0 := time.Since(base).Nanoseconds()
	warmEnd := t0 + int64(warm)*1e9
	for sent < total {
		due := int64(float64(time.Since(base).Nanoseconds()-t0)*float64(rate)/1e9) + 1
		if due > total {
			due = total
		}
		for ; sent < due; sent++ {
			v := make([]byte, size)
			ns := time.Since(base).Nanoseconds()
			binary.LittleEndian.PutUint64(v, tag)
			binary.LittleEndian.PutUint64(v[8:], uint64(ns))
			if ns >= warmEnd && mode == "e2e" {
				if measured == 0 {
					cpu0 = cpuSec()
				}
				measured++
				binary.LittleEndian.PutUint64(v[16:], 1)
			}
			p.Produce(context.Background(), &kgo.Record{Value: v}, func(_ *kgo.Record, err error) {
				if err != nil {
					atomic.AddInt64(&failed, 1)
				}
			})
		}
		time.Sleep(time.Millisecond)
	}
	// The rate actually held (the records due every ~1 ms go out together).
	sendS := float64(time.Since(base).Nanoseconds()-t0) / 1e9
	p.Flush(context.Background())
	if mode == "idle" {
		time.Sleep(time.Second)
		c0, i0 := cpuSec(), time.Now()
		time.Sleep(time.Duration(idle) * time.Second)
		c1 := cpuSec()
		fmt.Printf("franz-go: %d records, %d failed\n", sent, failed)
		fmt.Printf("RESULT records=%d idle_cpu_pct=%.3f\n", sent, (c1-c0)*100/time.Since(i0).Seconds())
		p.Close()
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for atomic.LoadInt64(&received) < sent && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cpu1 := cpuSec()
	close(stop)
	<-done
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	n := len(lat)
	pct := func(q float64) int64 {
		if n == 0 {
			return -1
		}
		return lat[int(q*float64(n-1))]
	}
	per := 0.0
	if n > 0 {
		per = (cpu1 - cpu0) * 1e6 / float64(n)
	}
	fmt.Printf("franz-go: %d sent (%d measured), %d received back, %d delivery errors\n", sent, measured, received, failed)
	fmt.Printf("RESULT records=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d cpu_measured_us_per_record=%.3f records_per_s=%.0f\n",
		n, pct(.5), pct(.99), pct(.999), pct(1), per, float64(sent-1)/sendS)
	p.Close()
	c.Close()
	if int64(n) != measured || failed > 0 {
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) < 2 {
		die("usage: franzgo produce|consume FLAGS")
	}
	switch os.Args[1] {
	case "produce":
		produce(os.Args[2:])
	case "consume":
		consume(os.Args[2:])
	case "e2e", "idle":
		latency(os.Args[1], os.Args[2:])
	default:
		die("unknown mode %s", os.Args[1])
	}
}
