package io.backbus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.localstack.ServiceStack;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After the backup and restore system tests (failsafe runs classes alphabetically; this one is last): no password
 * appears in any record on any {@code backbus.*} topic, dead letters included, or in any service log; nor does the
 * uploader's master key.
 */
class SecretsSystemIT {

    private static TestServers servers;
    private static Path workDir;

    @BeforeAll
    static void startTheSystem() {
        TheSystem system = TheSystem.get();
        servers = system.servers;
        workDir = system.workDir;
    }

    @Test
    void noPasswordAppearsInAnyRecordOnAnyTopicOrInAnyServiceLog() throws Exception {
        List<String> secrets = new java.util.ArrayList<>(List.of(TheSystem.PASSWORD, TheSystem.WRONG_PASSWORD,
                servers.postgres().superuserPassword()));
        // the uploader's master key (the key-encryption key, ADR 0012) never leaves its file
        secrets.add(Files.readString(ServiceStack.masterKeyFile(workDir), StandardCharsets.UTF_8)
                .replaceAll("(?s).*\"value\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
        List<String> topics;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.kafkaBootstrapServers()))) {
            topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith("backbus.")).sorted().toList();
        }
        assertThat(topics).contains("backbus.backup.requested", "backbus.backup.stored", "backbus.backup.failed",
                "backbus.restore.requested", "backbus.restore.artifact-ready", "backbus.restore.completed");

        List<ConsumerRecord<String, byte[]>> records;
        try (TopicProbe probe = TopicProbe.open(servers.kafkaBootstrapServers(), topics.toArray(String[]::new))) {
            records = probe.records(Duration.ofSeconds(5));
        }
        assertThat(records).as("records on backbus topics").hasSizeGreaterThanOrEqualTo(6);
        for (ConsumerRecord<String, byte[]> record : records) {
            StringBuilder text = new StringBuilder(String.valueOf(record.key()));
            text.append(new String(record.value() == null ? new byte[0] : record.value(), StandardCharsets.UTF_8));
            for (Header header : record.headers()) {
                text.append(header.key()).append(new String(header.value(), StandardCharsets.UTF_8));
            }
            for (String secret : secrets) {
                assertThat(text.toString()).as("record on %s", record.topic()).doesNotContain(secret);
            }
        }

        List<Path> logs;
        try (Stream<Path> files = Files.list(workDir.resolve("logs"))) {
            logs = files.filter(f -> f.toString().endsWith(".log")).toList();
        }
        assertThat(logs).hasSize(ServiceStack.SERVICES.size());
        for (Path log : logs) {
            String content = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(content).as("log %s", log).isNotBlank();
            for (String secret : secrets) {
                assertThat(content).as("log %s", log.getFileName()).doesNotContain(secret);
            }
        }
    }
}
