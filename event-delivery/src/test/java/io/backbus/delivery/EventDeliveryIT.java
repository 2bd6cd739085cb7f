package io.backbus.delivery;

import io.backbus.testsupport.CloudEventTestHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.BackupFailed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbus.contracts.BackupRequested;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.ContractEvent;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.FailureStage;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The delivery library against a real Kafka broker and PostgreSQL: outbox, idempotent inbox, retries, dead letters. */
@SpringBootTest(classes = EventDeliveryIT.DeliveryTestApp.class)
class EventDeliveryIT {

    private static final String GROUP = "delivery-it";
    private static final String DLQ = Topics.deadLetter(Topics.BACKUP_FAILED, GROUP);
    /** The contract topics but those with their own listener ({@link Topics#BACKUP_FAILED}, BACKUP_REQUESTED). */
    public static final List<String> OTHER_TOPICS = Topics.ALL.stream()
            .filter(t -> !t.equals(Topics.BACKUP_FAILED) && !t.equals(Topics.BACKUP_REQUESTED)).toList();
    private static final ObjectMapper TREES = new ObjectMapper();
    private static final String MALFORMED_KEY = "malformed-it";
    private static TopicProbe probe;
    private static TopicProbe deadLetters;

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "delivery");
    }

    @BeforeAll
    static void openProbe() {
        probe = TopicProbe.open(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_FAILED, DLQ);
        deadLetters = TopicProbe.open(TestServers.get().kafkaBootstrapServers(),
                Topics.ALL.stream().map(t -> Topics.deadLetter(t, GROUP)).toArray(String[]::new));
    }

    @AfterAll
    static void closeProbe() {
        probe.close();
        deadLetters.close();
    }

    @Test
    void anEventPublishedInACommittedTransactionIsSentAsACloudEventAndHandledOnce() {
        BackupFailed event = failure("orders", "committed");
        UUID id = tx.execute(s -> outbox.publish(Topics.BACKUP_FAILED, "orders", EventTypes.BACKUP_FAILED,
                event.runId().toString(), event));

        ConsumerRecord<String, byte[]> record = probe.awaitRecords(r -> id.toString().equals(
                TopicProbe.header(r, CloudEventHeaders.ID)), 1, Duration.ofSeconds(30)).get(0);
        assertThat(record.key()).isEqualTo("orders");
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.BACKUP_FAILED);
        assertThat(TopicProbe.header(record, CloudEventHeaders.SOURCE)).isEqualTo("urn:backbus:delivery-it");
        assertThat(TopicProbe.header(record, CloudEventHeaders.SUBJECT)).isEqualTo(event.runId().toString());
        assertThat(TopicProbe.header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(TopicProbe.header(record, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(Instant.parse(TopicProbe.header(record, CloudEventHeaders.TIME))).isBeforeOrEqualTo(Instant.now());
        assertThat(record.headers().lastHeader("__TypeId__")).as("no Java type on the wire").isNull();
        ContractAssertions.assertValid("schemas/backup-failed.v1.schema.json", TopicProbe.valueAsString(record));

        await().atMost(Duration.ofSeconds(30)).until(() -> seen(event.runId()) == 1);
    }

    @Test
    void contractTopicsAreCreatedWithTheConfiguredReplication() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestServers.get().kafkaBootstrapServers()))) {
            // topics no probe of this test touches (a probe's subscription would auto-create them first)
            var topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.BACKUP_STORED);
            var dlq = new ConfigResource(ConfigResource.Type.TOPIC, Topics.deadLetter(Topics.BACKUP_STORED,
                    "delivery-it"));
            var configs = admin.describeConfigs(java.util.List.of(topic, dlq)).all().get(30, TimeUnit.SECONDS);
            // TestServers sets 1 and 1 for its single broker; production defaults are 3 and 2 (DeliveryPropertiesTest)
            assertThat(configs.get(topic).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
            assertThat(configs.get(dlq).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
            assertThat(configs.get(topic).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).source())
                    .as("set on the topic, not inherited from the broker")
                    .isEqualTo(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }

    @Test
    void aRolledBackTransactionPublishesNothing() {
        BackupFailed event = failure("orders", "rolled back");
        tx.executeWithoutResult(s -> {
            outbox.publish(Topics.BACKUP_FAILED, "orders", EventTypes.BACKUP_FAILED, event.runId().toString(), event);
            s.setRollbackOnly();
        });
        BackupFailed marker = failure("orders", "after rollback");
        tx.execute(s -> outbox.publish(Topics.BACKUP_FAILED, "orders", EventTypes.BACKUP_FAILED,
                marker.runId().toString(), marker));

        await().atMost(Duration.ofSeconds(30)).until(() -> seen(marker.runId()) == 1);
        assertThat(seen(event.runId())).isZero();
        assertThat(jdbc.sql("select count(*) from outbox_event").query(Long.class).single()).isZero();
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        BackupFailed event = failure("orders", "no transaction");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> outbox.publish(Topics.BACKUP_FAILED, "orders",
                EventTypes.BACKUP_FAILED, event.runId().toString(), event))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSecondEventReusingAnEventIdWithAnotherBodyIsANoOp() {
        String eventId = UUID.randomUUID().toString();
        BackupFailed original = failure("billing", "original");
        BackupFailed impostor = failure("billing", "same ce_id, other body");
        String bootstrap = TestServers.get().kafkaBootstrapServers();
        TopicProbe.publish(bootstrap, Topics.BACKUP_FAILED, "billing",
                headers(eventId, EventTypes.BACKUP_FAILED, original.runId()), new EventCodec().encode(original));
        TopicProbe.publish(bootstrap, Topics.BACKUP_FAILED, "billing",
                headers(eventId, EventTypes.BACKUP_FAILED, impostor.runId()), new EventCodec().encode(impostor));
        BackupFailed marker = failure("billing", "after the impostor");
        TopicProbe.publish(bootstrap, Topics.BACKUP_FAILED, "billing",
                headers(UUID.randomUUID().toString(), EventTypes.BACKUP_FAILED, marker.runId()),
                new EventCodec().encode(marker));

        await().atMost(Duration.ofSeconds(30)).until(() -> seen(marker.runId()) == 1);
        assertThat(seen(original.runId())).isEqualTo(1);
        assertThat(seen(impostor.runId())).as("the event id decides, not the body: documented no-op").isZero();
    }

    @Test
    void aRedeliveredEventIdIsHandledOnce() {
        BackupFailed event = failure("billing", "duplicate");
        String eventId = UUID.randomUUID().toString();
        byte[] body = new EventCodec().encode(event);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_FAILED, "billing",
                headers(eventId, EventTypes.BACKUP_FAILED, event.runId()), body);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_FAILED, "billing",
                headers(eventId, EventTypes.BACKUP_FAILED, event.runId()), body);
        BackupFailed marker = failure("billing", "after duplicate");
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_FAILED, "billing",
                headers(UUID.randomUUID().toString(), EventTypes.BACKUP_FAILED, marker.runId()),
                new EventCodec().encode(marker));

        await().atMost(Duration.ofSeconds(30)).until(() -> seen(marker.runId()) == 1);
        assertThat(seen(event.runId())).isEqualTo(1);
    }

    /**
     * For every event of the contract, bodies derived from its sample and schema — not JSON, a required field of
     * the wrong type, a required field missing — and the sample under a ce_type the topic does not carry are
     * dead-lettered at once (no retries) with the reason naming what is wrong; the valid sample after them is
     * handled.
     */
    @ParameterizedTest
    @EnumSource(ContractEvent.class)
    void malformedRecordsAreDeadLetteredWithTheSchemaErrorAndTheConsumerGoesOn(ContractEvent contract)
            throws Exception {
        String name = contract.recordType().getSimpleName();
        String sample = ContractAssertions.resource(contract.sampleResource());
        JsonNode required = TREES.readTree(ContractAssertions.resource(contract.schemaResource())).get("required");
        String missingField = required.get(0).asText();
        String wrongTypeField = required.get(required.size() - 1).asText();
        ObjectNode missing = (ObjectNode) TREES.readTree(sample);
        missing.remove(missingField);
        ObjectNode wrongType = (ObjectNode) TREES.readTree(sample);
        if (wrongType.get(wrongTypeField).isTextual()) {
            wrongType.put(wrongTypeField, 42);
        } else {
            wrongType.put(wrongTypeField, "not of its type");
        }
        Map<UUID, String> expectedReasons = new LinkedHashMap<>();
        Map<UUID, String> bodies = new LinkedHashMap<>();
        String type = contract.type();
        expectedReasons.put(publish(contract, type, "{not json", bodies),
                "malformed event: unparsable " + name + " body: ");
        expectedReasons.put(publish(contract, type, wrongType.toString(), bodies),
                "malformed event: " + name + ": $." + wrongTypeField + ": ");
        expectedReasons.put(publish(contract, type, missing.toString(), bodies),
                "malformed event: " + name + ": $: required property '" + missingField + "' not found");
        expectedReasons.put(publish(contract, "backbus.unknown.v1", sample, bodies),
                "malformed event: unexpected ce_type 'backbus.unknown.v1' on " + contract.topic());
        UUID valid = publish(contract, contract.type(), sample, bodies);

        String dlq = Topics.deadLetter(contract.topic(), GROUP);
        var dead = deadLetters.awaitRecords(r -> r.topic().equals(dlq) && expectedReasons.containsKey(
                UUID.fromString(TopicProbe.header(r, CloudEventHeaders.ID))), expectedReasons.size(),
                Duration.ofSeconds(30));
        assertThat(dead).allSatisfy(r -> assertThat(TopicProbe.header(r, CloudEventHeaders.DLQ_REASON))
                .startsWith(expectedReasons.get(UUID.fromString(TopicProbe.header(r, CloudEventHeaders.ID)))));
        assertThat(dead).as("the original record is kept").allSatisfy(r -> {
            UUID id = UUID.fromString(TopicProbe.header(r, CloudEventHeaders.ID));
            assertThat(TopicProbe.header(r, CloudEventHeaders.TYPE)).isNotNull();
            assertThat(r.key()).isEqualTo(MALFORMED_KEY);
            assertThat(TopicProbe.valueAsString(r)).isEqualTo(bodies.get(id));
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> DeliveryTestApp.handled.contains(valid));
        assertThat(DeliveryTestApp.handled).doesNotContainAnyElementsOf(expectedReasons.keySet());
    }

    @Test
    void aHandlerThatKeepsFailingIsRetriedThenDeadLettered() {
        BackupFailed poison = failure("orders", DeliveryTestApp.POISON);
        String id = UUID.randomUUID().toString();
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_FAILED, "orders",
                headers(id, EventTypes.BACKUP_FAILED, poison.runId()), new EventCodec().encode(poison));

        var dead = probe.awaitRecords(r -> r.topic().equals(DLQ) && id.equals(TopicProbe.header(r,
                CloudEventHeaders.ID)), 1, Duration.ofSeconds(30));
        assertThat(TopicProbe.header(dead.get(0), CloudEventHeaders.DLQ_REASON))
                .isEqualTo("IllegalStateException: poison for the test");
        assertThat(DeliveryTestApp.poisonAttempts).as("first delivery + 2 retries").hasValue(3);
        assertThat(seen(poison.runId())).as("every attempt rolled back").isZero();
    }

    private static UUID publish(ContractEvent contract, String ceType, String body, Map<UUID, String> bodies) {
        UUID id = UUID.randomUUID();
        bodies.put(id, body);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), contract.topic(), MALFORMED_KEY,
                CloudEventTestHeaders.of(id, ceType, "urn:test", "malformed"), body.getBytes(StandardCharsets.UTF_8));
        return id;
    }

    @Test
    void aLongRunningConsumerWorksOutsideATransactionAndRecordsTheOutcomeOnce() {
        BackupRequested request = request("orders");
        String eventId = UUID.randomUUID().toString();
        byte[] body = new EventCodec().encode(request);
        String bootstrap = TestServers.get().kafkaBootstrapServers();
        for (int i = 0; i < 2; i++) {
            TopicProbe.publish(bootstrap, Topics.BACKUP_REQUESTED, "orders",
                    headers(eventId, EventTypes.BACKUP_REQUESTED, request.runId()), body);
        }
        BackupRequested marker = request("orders");
        TopicProbe.publish(bootstrap, Topics.BACKUP_REQUESTED, "orders", headers(UUID.randomUUID().toString(),
                EventTypes.BACKUP_REQUESTED, marker.runId()), new EventCodec().encode(marker));

        await().atMost(Duration.ofSeconds(30)).until(() -> longRunningSeen(marker.runId()) == 1);
        assertThat(longRunningSeen(request.runId())).as("the duplicate was skipped").isEqualTo(1);
        assertThat(jdbc.sql("select work_in_transaction from long_running_seen where run_id = ?")
                .param(request.runId()).query(Boolean.class).single()).as("work ran outside a transaction")
                .isFalse();
        assertThat(jdbc.sql("select count(*) from processed_event where event_id = ?")
                .param(UUID.fromString(eventId)).query(Long.class).single())
                .as("event id recorded with the outcome").isEqualTo(1);
    }

    private static BackupRequested request(String target) {
        return new BackupRequested(UUID.randomUUID(), UUID.randomUUID(), "nightly", "agent-1", target, Instant.now(),
                Instant.now(), 1, "schedule");
    }

    private long longRunningSeen(UUID runId) {
        return jdbc.sql("select count(*) from long_running_seen where run_id = ?").param(runId).query(Long.class)
                .single();
    }

    private long seen(UUID runId) {
        return jdbc.sql("select count(*) from seen_event where run_id = ?").param(runId).query(Long.class).single();
    }

    private static BackupFailed failure(String target, String reason) {
        return new BackupFailed(UUID.randomUUID(), "agent-1", target, FailureStage.DUMP, reason, false, Instant.now());
    }

    private static Map<String, String> headers(String id, String type, UUID subject) {
        return CloudEventTestHeaders.of(UUID.fromString(id), type, "urn:test", subject.toString());
    }

    /** A minimal service: one consumer that records what it handled. */
    @SpringBootApplication
    static class DeliveryTestApp {

        static final String POISON = "poison";
        static final java.util.concurrent.atomic.AtomicInteger poisonAttempts = new java.util.concurrent.atomic.AtomicInteger();
        static final Set<UUID> handled = ConcurrentHashMap.newKeySet();

        private final IdempotentConsumer consumer;
        private final JdbcClient jdbc;

        DeliveryTestApp(IdempotentConsumer consumer, JdbcClient jdbc) {
            this.consumer = consumer;
            this.jdbc = jdbc;
        }

        /** Every other contract topic: the handled event ids, to show the consumer goes on after a dead letter. */
        @KafkaListener(topics = "#{T(io.backbus.delivery.EventDeliveryIT).OTHER_TOPICS}")
        void onAny(ConsumerRecord<String, byte[]> record) {
            ContractEvent contract = Arrays.stream(ContractEvent.values())
                    .filter(c -> c.topic().equals(record.topic())).findFirst().orElseThrow();
            consumer.handle(record, contract.type(), contract.recordType(), event -> handled.add(event.id()));
        }

        /** A consumer with slow work (a dump, say); the work notes whether it ran inside a transaction. */
        @KafkaListener(topics = Topics.BACKUP_REQUESTED)
        void onLongRunning(ConsumerRecord<String, byte[]> record) {
            consumer.handleLongRunning(record, EventTypes.BACKUP_REQUESTED, BackupRequested.class,
                    event -> TransactionSynchronizationManager.isActualTransactionActive(),
                    (event, inTransaction) -> {
                        handled.add(event.id());
                        jdbc.sql("insert into long_running_seen (event_id, run_id, work_in_transaction) "
                                + "values (?, ?, ?)").params(event.id(), event.body().runId(), inTransaction).update();
                    });
        }

        @KafkaListener(topics = Topics.BACKUP_FAILED)
        void on(ConsumerRecord<String, byte[]> record) {
            consumer.handle(record, EventTypes.BACKUP_FAILED, BackupFailed.class, event -> {
                handled.add(event.id());
                jdbc.sql("insert into seen_event (event_id, run_id, reason) values (?, ?, ?)")
                        .params(event.id(), event.body().runId(), event.body().reason()).update();
                if (POISON.equals(event.body().reason())) {
                    poisonAttempts.incrementAndGet();
                    throw new IllegalStateException("poison for the test");
                }
            });
        }
    }
}
