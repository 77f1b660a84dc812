// Writes transactional records with Kafka's own Java producer, for
// tests/integration/test_consumer_read_committed.sh to read with kafkac.
//
//   java -cp <classes>:<kafka libs>/* TxnInterop BOOTSTRAP TOPIC
//
// All records go to partition 0 of TOPIC, key "k-<value>", one send (and
// batch) at a time, in this order:
//   1. producers C and A each open a transaction; c-0, a-0, c-1, a-1, ...
//      c-9, a-9 interleaved; A aborts, then C commits;
//   2. A (same producer id as the aborted transaction) commits c2-0..c2-4;
//   3. C aborts a2-0..a2-4;
//   4. producer O opens a transaction with o-0..o-2 and leaves it open.
// C writes uncompressed batches, A lz4, O gzip. Prints "sent OFFSET VALUE"
// per record, then "ready"; waits for standard input to close, then aborts
// O's transaction and prints "done".
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

public class TxnInterop {
    static String topic;

    static KafkaProducer<String, String> producer(String bootstrap, String txnId, String codec) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("transactional.id", txnId);
        p.put("compression.type", codec);
        p.put("linger.ms", "0");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        KafkaProducer<String, String> pr = new KafkaProducer<>(p);
        pr.initTransactions();
        return pr;
    }

    static void send(KafkaProducer<String, String> p, String value) throws Exception {
        RecordMetadata md = p.send(new ProducerRecord<>(topic, 0, "k-" + value, value)).get();
        System.out.println("sent " + md.offset() + " " + value);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TxnInterop BOOTSTRAP TOPIC");
            System.exit(2);
        }
        String bs = args[0];
        topic = args[1];
        KafkaProducer<String, String> c = producer(bs, topic + "-txn-c", "none");
        KafkaProducer<String, String> a = producer(bs, topic + "-txn-a", "lz4");
        c.beginTransaction();
        a.beginTransaction();
        for (int i = 0; i < 10; i++) {
            send(c, "c-" + i);
            send(a, "a-" + i);
        }
        a.abortTransaction();
        c.commitTransaction();

        a.beginTransaction();
        for (int i = 0; i < 5; i++) send(a, "c2-" + i);
        a.commitTransaction();

        c.beginTransaction();
        for (int i = 0; i < 5; i++) send(c, "a2-" + i);
        c.abortTransaction();

        KafkaProducer<String, String> o = producer(bs, topic + "-txn-o", "gzip");
        o.beginTransaction();
        for (int i = 0; i < 3; i++) send(o, "o-" + i);
        o.flush();
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
        }
        o.abortTransaction();
        o.close();
        a.close();
        c.close();
        System.out.println("done");
    }
}
