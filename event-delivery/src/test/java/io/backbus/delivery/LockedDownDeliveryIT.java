package io.backbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.FailureStage;
import io.backbus.contracts.ServiceTopics;
import io.backbus.contracts.Topics;
import io.backbus.localstack.BusAcls;
import io.backbus.localstack.FreePorts;
import io.backbus.localstack.KafkaBroker;
import io.backbus.testsupport.DatabaseInfo;
import io.backbus.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery library on a locked-down broker (SASL/SCRAM-SHA-512 over TLS, ACLs, no ACL = deny), configured by
 * Spring Boot properties only (the broker's certificate trusted through an SSL bundle), its principal holding exactly the ACLs {@link BusAcls} derives for what the test app declares:
 * its KafkaAdmin provisions the topics, the outbox relay's idempotent producer sends, the listener consumes, the
 * dead-letter publisher dead-letters; a topic it did not declare is refused.
 */
@SpringBootTest(classes = EventDeliveryIT.DeliveryTestApp.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class LockedDownDeliveryIT {

    /** What {@link EventDeliveryIT.DeliveryTestApp} (group delivery-it) publishes and listens to. */
    static final ServiceTopics TEST_APP = new ServiceTopics("delivery-it", "delivery-it",
            List.of(Topics.BACKUP_FAILED), List.of(Topics.BACKUP_REQUESTED, Topics.BACKUP_FAILED));
    private static final String DLQ = Topics.deadLetter(Topics.BACKUP_FAILED, "delivery-it");

    private static Path home;
    private static KafkaBroker kafka;

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    KafkaTemplate<String, byte[]> kafkaTemplate;
    @DynamicPropertySource
    static void lockedDownBroker(DynamicPropertyRegistry registry) throws Exception {
        home = Files.createTempDirectory("backbus-locked-delivery-it");
        int[] ports = FreePorts.pick(2);
        kafka = KafkaBroker.startLockedDown(home.resolve("kafka-data"), ports[0], ports[1],
                new KafkaBroker.LockedDown("admin", "admin-secret", true));
        BusAcls.ServicePrincipal principal = BusAcls.forService(TEST_APP, BusAcls.DEFAULT_PRINCIPAL_PREFIX, "", true);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createAcls(principal.bindings()).all().get(60, TimeUnit.SECONDS);
        }
        String user = principal.principal().substring("User:".length());
        kafka.addScramUser(user, "delivery-secret");

        DatabaseInfo db = TestServers.get().newDatabase("delivery_locked");
        registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
        registry.add("spring.kafka.security.protocol", () -> "SASL_SSL");
        registry.add("spring.kafka.ssl.bundle", () -> "kafka");
        registry.add("spring.ssl.bundle.jks.kafka.truststore.location", () -> "file:" + kafka.trustStore());
        registry.add("spring.ssl.bundle.jks.kafka.truststore.password", () -> KafkaBroker.STORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.kafka.truststore.type", () -> "PKCS12");
        registry.add("spring.kafka.properties.sasl.mechanism", () -> KafkaBroker.SCRAM_MECHANISM);
        registry.add("spring.kafka.properties.sasl.jaas.config", () -> "org.apache.kafka.common.security.scram."
                + "ScramLoginModule required username=\"" + user + "\" password=\"delivery-secret\";");
        registry.add("backbus.delivery.replication-factor", () -> "1");
        registry.add("backbus.delivery.min-insync-replicas", () -> "1");
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }

    @AfterAll
    static void stopBroker(@Autowired org.springframework.context.ConfigurableApplicationContext context) {
        // the listeners and the relay stop while the broker is still there; @DirtiesContext closes the rest
        context.stop();
        if (kafka != null) {
            kafka.close();
        }
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort
        }
    }

    @Test
    void anEventGoesThroughOutboxRelayAndListenerWithOnlyTheDeclaredAcls() {
        BackupFailed event = failure("committed on a locked-down bus");
        tx.executeWithoutResult(s -> outbox.publish(Topics.BACKUP_FAILED, "orders", EventTypes.BACKUP_FAILED,
                event.runId().toString(), event));

        await().atMost(Duration.ofSeconds(30)).until(() -> seen(event.runId()) == 1);
        assertThat(jdbc.sql("select count(*) from outbox_event").query(Long.class).single()).isZero();
    }

    @Test
    void aFailingEventIsDeadLetteredByThePrincipal() {
        BackupFailed poison = failure(EventDeliveryIT.DeliveryTestApp.POISON);
        tx.executeWithoutResult(s -> outbox.publish(Topics.BACKUP_FAILED, "orders", EventTypes.BACKUP_FAILED,
                poison.runId().toString(), poison));

        List<ConsumerRecord<String, byte[]>> dead = readAsAdmin(DLQ, r -> new String(r.value())
                .contains(poison.runId().toString()));
        assertThat(dead).isNotEmpty();
    }

    @Test
    void aTopicTheAppDidNotDeclareIsRefused() {
        assertThatThrownBy(() -> kafkaTemplate.send(Topics.RESTORE_REQUESTED, "orders", new byte[] {'{', '}'})
                .get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(TopicAuthorizationException.class);
    }

    private long seen(UUID runId) {
        return jdbc.sql("select count(*) from seen_event where run_id = ?").param(runId).query(Long.class).single();
    }

    private static BackupFailed failure(String reason) {
        return new BackupFailed(UUID.randomUUID(), "agent-1", "orders", FailureStage.DUMP, reason, false,
                Instant.now());
    }

    private static List<ConsumerRecord<String, byte[]>> readAsAdmin(String topic,
            java.util.function.Predicate<ConsumerRecord<String, byte[]>> wanted) {
        Map<String, Object> config = new HashMap<>(kafka.adminProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    if (wanted.test(r)) {
                        got.add(r);
                    }
                });
            }
        }
        return got;
    }
}
