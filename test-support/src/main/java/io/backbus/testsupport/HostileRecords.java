package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.ContractEvent;
import io.backbus.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Hostile records for a service's consumer of one contract topic, and the check of what it does with them: each is
 * dead-lettered to {@code <topic>.<group>.dlq} with the expected reason (or, for a {@linkplain Hostile#noOp() no-op},
 * not), in the order published. The service's test adds its own cases (a forged event for an unknown run, a
 * duplicate {@code ce_id} with another body) to the ones every consumer must refuse, {@link #malformed}.
 */
public final class HostileRecords {

    /** A record body the broker accepts with its default {@code message.max.bytes} (1 MiB) and room for headers. */
    public static final int NEAR_BUS_LIMIT_BYTES = 1_000_000;
    /** The "10 MB payload": beyond what the bus takes. */
    public static final int TEN_MB = 10 * 1024 * 1024;

    private static final ObjectMapper TREES = new ObjectMapper();

    /**
     * One hostile record.
     *
     * @param label  what it is, for the test's messages
     * @param reason the start of the dead-letter reason it must get; null if it must be an idempotent no-op
     */
    public record Hostile(String label, UUID id, String ceType, byte[] body, String reason) {

        /** Dead-lettered with a reason starting {@code reason}. */
        public static Hostile deadLettered(String label, String ceType, String body, String reason) {
            return new Hostile(label, UUID.randomUUID(), ceType, body.getBytes(StandardCharsets.UTF_8), reason);
        }

        /** A no-op: not dead-lettered, nothing changed (e.g. an event id processed before, with another body). */
        public static Hostile noOp(String label, UUID id, String ceType, String body) {
            return new Hostile(label, id, ceType, body.getBytes(StandardCharsets.UTF_8), null);
        }

        public boolean noOp() {
            return reason == null;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final String bootstrap;
    private final String group;

    /** For the consumer group {@code group} (its dead letters are {@code <topic>.<group>.dlq}). */
    public HostileRecords(String bootstrap, String group) {
        this.bootstrap = bootstrap;
        this.group = group;
    }

    /**
     * What every consumer of {@code contract}'s topic must dead-letter at once, derived from its sample and schema:
     * bytes that are not JSON, an empty body, a JSON array, a required field of the wrong type, a required field
     * missing, a number beyond any {@code long}, the sample under an unknown {@code ce_type}, a body of nearly 1 MB
     * that is not valid, and a record without {@code ce_id}.
     */
    public static List<Hostile> malformed(ContractEvent contract) {
        String name = contract.recordType().getSimpleName();
        String type = contract.type();
        ObjectNode sample = sample(contract);
        JsonNode required = schema(contract).get("required");
        String missingField = required.get(0).asText();
        String wrongTypeField = required.get(required.size() - 1).asText();
        ObjectNode missing = sample.deepCopy();
        missing.remove(missingField);
        ObjectNode wrongType = sample.deepCopy();
        if (wrongType.get(wrongTypeField).isTextual()) {
            wrongType.put(wrongTypeField, 42);
        } else {
            wrongType.put(wrongTypeField, "not of its type");
        }
        String numberField = firstNumberField(sample);
        String huge = numberField == null ? null
                : sample.toString().replaceFirst("\"" + numberField + "\"\\s*:\\s*-?[0-9.eE+-]+",
                        "\"" + numberField + "\":123456789012345678901234567890");
        List<Hostile> cases = new ArrayList<>();
        String malformed = "malformed event: ";
        cases.add(Hostile.deadLettered("not JSON", type, "\u0000\u00ffnot json{", malformed + "unparsable " + name));
        cases.add(new Hostile("empty body", UUID.randomUUID(), type, new byte[0], malformed + "empty event body"));
        cases.add(Hostile.deadLettered("a JSON array", type, "[" + sample + "]", malformed + name + ": $: "));
        cases.add(Hostile.deadLettered("wrong type of " + wrongTypeField, type, wrongType.toString(),
                malformed + name + ": $." + wrongTypeField + ": "));
        cases.add(Hostile.deadLettered("missing " + missingField, type, missing.toString(),
                malformed + name + ": $: required property '" + missingField + "' not found"));
        if (huge != null) {
            cases.add(Hostile.deadLettered("huge number in " + numberField, type, huge, malformed));
        }
        cases.add(Hostile.deadLettered("unknown ce_type", "backbus.unknown.v1", sample.toString(),
                malformed + "unexpected ce_type 'backbus.unknown.v1' on " + contract.topic()));
        cases.add(Hostile.deadLettered("nearly 1 MB, not valid", type,
                "{\"padding\":\"" + "x".repeat(NEAR_BUS_LIMIT_BYTES - 20) + "\"}", malformed + name + ": "));
        cases.add(Hostile.deadLettered("without ce_id", type, sample.toString(), malformed + "ce_id is missing"));
        return cases;
    }

    /** The contract's sample body as a tree, to derive valid and forged events from. */
    public static ObjectNode sample(ContractEvent contract) {
        try {
            return (ObjectNode) TREES.readTree(ContractAssertions.resource(contract.sampleResource()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the sample of " + contract, e);
        }
    }

    /** The sample with changes, e.g. {@code s -> s.put("runId", id)}. */
    public static String sample(ContractEvent contract, UnaryOperator<ObjectNode> change) {
        return change.apply(sample(contract)).toString();
    }

    /**
     * Publishes {@code cases} in order under {@code key} (so to one partition, in order) and waits until every
     * one that is not a no-op is on the dead-letter topic with its reason. When this returns, the consumer has
     * dealt with all of them, no-ops included, as they came before the last dead letter.
     *
     * @return the dead letters, by label
     */
    public Map<String, ConsumerRecord<String, byte[]>> publishAndAwaitDeadLetters(ContractEvent contract, String key,
            List<Hostile> cases, Duration timeout) {
        if (cases.isEmpty() || cases.get(cases.size() - 1).noOp()) {
            throw new IllegalArgumentException("the last case must be dead-lettered, to know the others were seen");
        }
        String dlq = Topics.deadLetter(contract.topic(), group);
        Map<String, Hostile> byId = new LinkedHashMap<>();
        try (TopicProbe deadLetters = TopicProbe.open(bootstrap, dlq)) {
            for (Hostile hostile : cases) {
                publish(contract.topic(), key, hostile);
                byId.put(hostile.id().toString(), hostile);
            }
            long expected = cases.stream().filter(h -> !h.noOp()).count();
            List<ConsumerRecord<String, byte[]>> dead = deadLetters.awaitRecords(r -> byId.containsKey(
                    idOf(r)), (int) expected, timeout);
            Map<String, ConsumerRecord<String, byte[]>> byLabel = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> record : dead) {
                Hostile hostile = byId.get(idOf(record));
                assertThat(hostile.noOp()).as("%s must not be dead-lettered", hostile.label()).isFalse();
                assertThat(TopicProbe.header(record, CloudEventHeaders.DLQ_REASON))
                        .as("dead-letter reason of %s", hostile.label()).startsWith(hostile.reason());
                assertThat(record.key()).as("key of %s", hostile.label()).isEqualTo(key);
                assertThat(record.value()).as("body of %s, kept as it was", hostile.label())
                        .isEqualTo(hostile.body());
                byLabel.put(hostile.label(), record);
            }
            return byLabel;
        }
    }

    /** Publishes a valid event of {@code contract} (a fresh event id) and returns its id. */
    public UUID publishValid(ContractEvent contract, String key, String body) {
        UUID id = UUID.randomUUID();
        publish(contract.topic(), key, new Hostile("valid", id, contract.type(), body.getBytes(StandardCharsets.UTF_8),
                null));
        return id;
    }

    /** Publishes one record of {@code contract} with event id {@code id}. */
    public void publish(ContractEvent contract, String key, UUID id, String body) {
        publish(contract.topic(), key, new Hostile("event", id, contract.type(), body.getBytes(StandardCharsets.UTF_8),
                null));
    }

    /**
     * A 10 MB body never reaches a consumer: the broker refuses it ({@code message.max.bytes}, 1 MiB by default),
     * even from a producer that would send it.
     */
    public void assertRefusedByTheBus(ContractEvent contract, String key) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TEN_MB + 1024 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * TEN_MB);
        p.put(ProducerConfig.RETRIES_CONFIG, 0);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        byte[] body = ("{\"padding\":\"" + "x".repeat(TEN_MB) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(contract.topic(), key, body);
            CloudEventTestHeaders.of(UUID.randomUUID(), contract.type(), "urn:test:hostile", key)
                    .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> producer.send(record).get(30, TimeUnit.SECONDS))
                    .as("a 10 MB record on %s", contract.topic())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RecordTooLargeException.class);
        }
    }

    private void publish(String topic, String key, Hostile hostile) {
        Map<String, String> headers = CloudEventTestHeaders.of(hostile.id(), hostile.ceType(), "urn:test:hostile",
                key);
        if (hostile.label().equals("without ce_id")) {
            headers.remove(CloudEventHeaders.ID);
            // the dead letter is found by this header instead
            headers.put(HOSTILE_ID, hostile.id().toString());
        }
        TopicProbe.publish(bootstrap, topic, key, headers, hostile.body());
    }

    /** Header carrying the case's id on a record that has no {@code ce_id}. */
    private static final String HOSTILE_ID = "x-hostile-id";

    private static String idOf(ConsumerRecord<String, byte[]> record) {
        String id = TopicProbe.header(record, CloudEventHeaders.ID);
        return id != null ? id : TopicProbe.header(record, HOSTILE_ID);
    }

    private static JsonNode schema(ContractEvent contract) {
        try {
            return TREES.readTree(ContractAssertions.resource(contract.schemaResource()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the schema of " + contract, e);
        }
    }

    private static String firstNumberField(ObjectNode sample) {
        for (Iterator<Map.Entry<String, JsonNode>> it = sample.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isIntegralNumber()) {
                return field.getKey();
            }
        }
        return null;
    }
}
