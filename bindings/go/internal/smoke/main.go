package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/kafkac/kafkac-go/kafkac"
)

func main() {
	b := os.Getenv("KAFKAC_BOOTSTRAP")
	a, err := kafkac.NewAdminClient(&kafkac.ConfigMap{"bootstrap.servers": b})
	if err != nil {
		panic(err)
	}
	topic := fmt.Sprintf("smoke-%d", time.Now().UnixNano())
	res, err := a.CreateTopics(context.Background(), []kafkac.TopicSpecification{{Topic: topic, NumPartitions: 3, ReplicationFactor: 1}})
	fmt.Println("create", res, err)
	p, err := kafkac.NewProducer(&kafkac.ConfigMap{"bootstrap.servers": b})
	if err != nil {
		panic(err)
	}
	for i := 0; i < 10; i++ {
		err := p.Produce(&kafkac.Message{TopicPartition: kafkac.TopicPartition{Topic: &topic, Partition: kafkac.PartitionAny}, Value: []byte(fmt.Sprint(i)), Headers: []kafkac.Header{{Key: "h", Value: []byte("v")}}}, nil)
		if err != nil {
			panic(err)
		}
	}
	fmt.Println("flush", p.Flush(10000))
	for i := 0; i < 10; i++ {
		ev := <-p.Events()
		fmt.Println("ev", ev)
	}
	p.Close()
	c, err := kafkac.NewConsumer(&kafkac.ConfigMap{"bootstrap.servers": b, "group.id": topic, "auto.offset.reset": "earliest"})
	if err != nil {
		panic(err)
	}
	err = c.Subscribe(topic, func(c *kafkac.Consumer, ev kafkac.Event) error { fmt.Println("rebalance", ev); return nil })
	fmt.Println("sub", err)
	for i := 0; i < 10; i++ {
		m, err := c.ReadMessage(10 * time.Second)
		fmt.Println("msg", m, err, m.Headers)
	}
	fmt.Println(c.Commit())
	fmt.Println("close", c.Close())
	res, err = a.DeleteTopics(context.Background(), []string{topic})
	fmt.Println("delete", res, err)
	a.Close()
}
