package io.backbus.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.contracts.ServiceTopics;
import io.backbus.contracts.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker with SASL/SCRAM and ACLs ({@code allow.everyone.if.no.acl.found=false}) and each service's principal
 * granted exactly {@link BusAcls}: each can produce and consume what {@link ServiceTopics} declares, create its
 * topics, and nothing else; a principal without ACLs can neither forge a {@code RestoreRequested} nor read stored
 * backups' events.
 */
class LockedDownBusIT {

    private static final String AGENT_ID = "pg-east";
    private static final String INTRUDER = "intruder";
    private static Path home;
    private static KafkaBroker kafka;
    private static List<BusAcls.ServicePrincipal> principals;

    @BeforeAll
    static void startLockedDownBroker() throws Exception {
        home = Files.createTempDirectory("backbus-locked-bus-it");
        int[] ports = FreePorts.pick(2);
        kafka = KafkaBroker.startLockedDown(home.resolve("kafka-data"), ports[0], ports[1],
                new KafkaBroker.LockedDown("admin", "admin-secret"));
        principals = BusAcls.forAll(BusAcls.DEFAULT_PRINCIPAL_PREFIX, List.of(AGENT_ID), true);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            List<NewTopic> topics = new ArrayList<>();
            Topics.ALL.forEach(t -> topics.add(new NewTopic(t, 1, (short) 1)));
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            for (BusAcls.ServicePrincipal p : principals) {
                admin.createAcls(p.bindings()).all().get(60, TimeUnit.SECONDS);
            }
        }
        for (BusAcls.ServicePrincipal p : principals) {
            kafka.addScramUser(user(p), "pw-" + user(p));
        }
        kafka.addScramUser(INTRUDER, "pw-" + INTRUDER);
        // one record on every topic, so each consumer has something to read
        try (var producer = producer(kafka.adminProperties())) {
            for (String topic : Topics.ALL) {
                producer.send(new ProducerRecord<>(topic, "seed", "seed")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
        TempDirs.deleteRecursively(home);
    }

    @Test
    void aPrincipalWithoutAclsCannotForgeARestoreRequestedNorReadStoredBackups() {
        Map<String, Object> login = kafka.clientProperties(INTRUDER, "pw-" + INTRUDER);
        try (var producer = producer(login)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.RESTORE_REQUESTED, "orders", "{}"))
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThatThrownBy(() -> read(login, "intruder-group", Topics.BACKUP_STORED))
                .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
        // even in a group it may use, the topic itself stays closed
        assertThatThrownBy(() -> read(serviceLogin(ServiceTopics.NOTIFIER), "notifier-service", Topics.BACKUP_STORED))
                .isInstanceOf(TopicAuthorizationException.class);
        // and a topic it may read, only in its own group: it cannot move another service's offsets
        assertThatThrownBy(() -> read(serviceLogin(ServiceTopics.NOTIFIER), "scheduler-service", Topics.BACKUP_FAILED))
                .isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void onlyTheSchedulerMayProduceARestoreRequested() throws Exception {
        try (var producer = producer(serviceLogin(ServiceTopics.SCHEDULER))) {
            producer.send(new ProducerRecord<>(Topics.RESTORE_REQUESTED, "orders", "{}")).get(30, TimeUnit.SECONDS);
        }
        for (ServiceTopics other : List.of(ServiceTopics.DUMP_AGENT, ServiceTopics.UPLOADER, ServiceTopics.RETENTION,
                ServiceTopics.NOTIFIER)) {
            try (var producer = producer(serviceLogin(other))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.RESTORE_REQUESTED, "orders", "{}"))
                        .get(30, TimeUnit.SECONDS)).as(other.service())
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void everyServiceProducesAndConsumesExactlyWhatItDeclares() throws Exception {
        for (BusAcls.ServicePrincipal p : principals) {
            Map<String, Object> login = kafka.clientProperties(user(p), "pw-" + user(p));
            ServiceTopics service = p.service();
            // its dead-letter topics, created by the service itself as its KafkaAdmin does at start
            try (Admin admin = Admin.create(login)) {
                List<NewTopic> deadLetters = new ArrayList<>();
                service.consumes().forEach(t -> deadLetters.add(new NewTopic(Topics.deadLetter(t, p.consumerGroup()),
                        1, (short) 1)));
                admin.createTopics(deadLetters).all().get(30, TimeUnit.SECONDS);
            }
            try (var producer = producer(login)) {
                // through the idempotent producer, as the outbox relay sends: no IdempotentWrite on the cluster needed
                for (String topic : service.produces()) {
                    producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
                }
                for (String topic : service.consumes()) {
                    producer.send(new ProducerRecord<>(Topics.deadLetter(topic, p.consumerGroup()), "k", "dead"))
                            .get(30, TimeUnit.SECONDS);
                }
                String undeclared = Topics.ALL.stream().filter(t -> !service.produces().contains(t)).findFirst()
                        .orElseThrow();
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(undeclared, "k", "v"))
                        .get(30, TimeUnit.SECONDS)).as(p.principal() + " -> " + undeclared)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            assertThat(topicsRead(login, p.consumerGroup(), service.consumes())).as(p.principal() + " reads")
                    .containsExactlyInAnyOrderElementsOf(service.consumes());
            String unread = Topics.ALL.stream().filter(t -> !service.consumes().contains(t)).findFirst()
                    .orElseThrow();
            assertThatThrownBy(() -> read(login, p.consumerGroup(), unread))
                    .as(p.principal() + " <- " + unread)
                    .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
        }
    }

    @Test
    void everyServiceMayProvisionItsTopicsAndNoOneElseMay() throws Exception {
        for (BusAcls.ServicePrincipal p : principals) {
            try (Admin admin = Admin.create(kafka.clientProperties(user(p), "pw-" + user(p)))) {
                // KafkaAdmin at start: existing topics answer "exists", not "not authorised"
                assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(Topics.RESTORE_REQUESTED, 1,
                        (short) 1))).all().get(30, TimeUnit.SECONDS)).as(p.principal())
                        .hasCauseInstanceOf(TopicExistsException.class);
                String notConsumed = Topics.ALL.stream().filter(t -> !p.service().consumes().contains(t)).findFirst()
                        .orElseThrow();
                String dlq = Topics.deadLetter(notConsumed, p.consumerGroup());
                admin.createTopics(List.of(new NewTopic(dlq, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("backbus.not-a-contract-topic", 1,
                        (short) 1))).all().get(30, TimeUnit.SECONDS)).as(p.principal())
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
        try (Admin admin = Admin.create(kafka.clientProperties(INTRUDER, "pw-" + INTRUDER))) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(
                    Topics.deadLetter(Topics.RESTORE_REQUESTED, "intruder"), 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static String user(BusAcls.ServicePrincipal p) {
        return p.principal().substring("User:".length());
    }

    private static Map<String, Object> serviceLogin(ServiceTopics service) {
        BusAcls.ServicePrincipal p = principals.stream().filter(x -> x.service() == service).findFirst().orElseThrow();
        return kafka.clientProperties(user(p), "pw-" + user(p));
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> login) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return new KafkaProducer<>(config);
    }

    private static List<ConsumerRecord<String, String>> read(Map<String, Object> login, String group, String topic) {
        return records(login, group, List.of(topic), 1);
    }

    /** The topics of which a record arrived in one subscription of {@code group} (one group join per service). */
    private static Set<String> topicsRead(Map<String, Object> login, String group, List<String> topics) {
        return records(login, group, topics, topics.size()).stream().map(ConsumerRecord::topic)
                .collect(Collectors.toSet());
    }

    /** Polls until records of {@code topicCount} topics arrived (or 20 s); authorisation errors are thrown. */
    private static List<ConsumerRecord<String, String>> records(Map<String, Object> login, String group,
            List<String> topics, int topicCount) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (got.stream().map(ConsumerRecord::topic).distinct().count() < topicCount
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(got::add);
            }
            if (!got.isEmpty()) {
                consumer.commitSync();
            }
        }
        return got;
    }
}
