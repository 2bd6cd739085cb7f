package io.backbus.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads Kafka topics from the earliest offset (own unique consumer group) so tests can assert on the records
 * that were published; every record seen stays available to later {@link #awaitRecords} calls.
 */
public final class TopicProbe implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    private TopicProbe(KafkaConsumer<String, byte[]> consumer, List<String> topics) {
        this.consumer = consumer;
        this.topics = topics;
    }

    /** Subscribes to {@code topics} from the earliest offset with a unique group id. */
    public static TopicProbe open(String bootstrapServers, String... topics) {
        if (topics == null || topics.length == 0) {
            throw new IllegalArgumentException("at least one topic");
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "topic-probe-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        List<String> list = List.of(topics);
        c.subscribe(list);
        return new TopicProbe(c, list);
    }

    /**
     * Polls until {@code count} records (seen so far or arriving) match, returning the first {@code count} of them
     * in arrival order; fails with a summary of what was seen after {@code timeout}.
     */
    public synchronized List<ConsumerRecord<String, byte[]>> awaitRecords(
            Predicate<ConsumerRecord<String, byte[]>> match, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<String, byte[]>> hits = seen.stream().filter(match).limit(count).toList();
            if (hits.size() >= count) {
                return hits;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " matching record(s) on " + topics + " within "
                        + timeout + " but found " + hits.size() + "; all " + seen.size() + " record(s) seen:"
                        + System.lineSeparator() + describe(seen));
            }
            consumer.poll(Duration.ofMillis(Math.min(250, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)))))
                    .forEach(seen::add);
        }
    }

    /** Waits for one record with this key. */
    public ConsumerRecord<String, byte[]> awaitKey(String key, Duration timeout) {
        return awaitRecords(r -> key.equals(r.key()), 1, timeout).get(0);
    }

    /** Polls briefly and returns a snapshot of all records seen so far. */
    public synchronized List<ConsumerRecord<String, byte[]>> records(Duration pollFor) {
        long deadline = System.nanoTime() + pollFor.toNanos();
        do {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        } while (System.nanoTime() < deadline);
        return List.copyOf(seen);
    }

    /** The last value of header {@code name} as UTF-8, or null if absent. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The record value as UTF-8 (null for a tombstone). */
    public static String valueAsString(ConsumerRecord<?, byte[]> record) {
        return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    }

    /** Publishes one raw record (acks=all, waits for the broker), e.g. to inject malformed events. */
    public static RecordMetadata publish(String bootstrapServers, String topic, String key,
            Map<String, String> headers, byte[] value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            ProducerRecord<String, byte[]> rec = new ProducerRecord<>(topic, key, value);
            if (headers != null) {
                headers.forEach((k, v) -> rec.headers().add(k, v == null ? null : v.getBytes(StandardCharsets.UTF_8)));
            }
            return producer.send(rec).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing to " + topic + " failed: " + e.getMessage(), e);
        }
    }

    /** {@link #publish(String, String, String, Map, byte[])} with a UTF-8 string value. */
    public static RecordMetadata publish(String bootstrapServers, String topic, String key,
            Map<String, String> headers, String value) {
        return publish(bootstrapServers, topic, key, headers,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    private static String describe(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().limit(50).map(r -> "  " + r.topic() + "-" + r.partition() + "@" + r.offset()
                + " key=" + r.key() + " headers=" + Arrays.stream(r.headers().toArray())
                        .map(h -> h.key() + "=" + (h.value() == null ? null : new String(h.value(),
                                StandardCharsets.UTF_8)))
                        .collect(Collectors.joining(",", "{", "}"))
                + " value=" + abbreviate(valueAsString(r)))
                .collect(Collectors.joining(System.lineSeparator()));
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
