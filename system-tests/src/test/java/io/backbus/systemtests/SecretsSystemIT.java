package io.backbus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.localstack.ServiceStack;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After the backup and restore system tests (failsafe runs classes alphabetically; this one is last): no password
 * appears in any record on any {@code backbus.*} topic, dead letters included, or in any service log; nor does an
 * API token (the stack's admin token, the scheduler's catalog token), the uploader's master key, its data keys or
 * the agent's URL-signing key; and none of them is in any API response either: plans, runs, restores, backups,
 * alerts, keys, and every exposed actuator endpoint (info, health, each metric). The services refuse the API without
 * the token, and the scheduler's audit lines name the principal.
 */
class SecretsSystemIT {

    private static TestServers servers;
    private static Path workDir;
    private static ServiceStack stack;

    @BeforeAll
    static void startTheSystem() {
        TheSystem system = TheSystem.get();
        servers = system.servers;
        workDir = system.workDir;
        stack = system.stack;
    }

    /**
     * Every secret of the running system: the database passwords, both API tokens, the uploader's master key and the
     * key values of its (encrypted) keyset file, the agent's URL-signing key.
     */
    private static List<String> secrets() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(TheSystem.PASSWORD, TheSystem.WRONG_PASSWORD,
                servers.postgres().superuserPassword(), stack.apiToken(),
                Files.readString(workDir.resolve("catalog-token")).trim()));
        // the uploader's master key (the key-encryption key, ADR 0012) and the keyset never leave their files
        for (Path keyFile : List.of(ServiceStack.masterKeyFile(workDir), ServiceStack.keysetFile(workDir))) {
            Matcher values = Pattern.compile("\"(?:value|encryptedKeyset)\"\\s*:\\s*\"([^\"]{16,})\"")
                    .matcher(Files.readString(keyFile, StandardCharsets.UTF_8));
            while (values.find()) {
                secrets.add(values.group(1));
            }
        }
        Path signingKey = workDir.resolve("agent-staging").resolve(".url-signing-key");
        if (Files.exists(signingKey)) {
            secrets.add(Files.readString(signingKey, StandardCharsets.UTF_8).trim());
        }
        assertThat(secrets).hasSizeGreaterThan(6).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(8));
        return secrets;
    }

    @Test
    void noPasswordAppearsInAnyRecordOnAnyTopicOrInAnyServiceLog() throws Exception {
        List<String> secrets = secrets();
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
        // the flow tests created plans and restores as the stack's admin
        assertThat(Files.readString(workDir.resolve("logs").resolve("scheduler-service.log")))
                .contains("backbus.audit", "principal=local-admin action=plan.created",
                        "principal=local-admin action=restore.requested");
    }

    @Test
    void noSecretAppearsInAnyApiResponseAndNoneIsAnsweredWithout() throws Exception {
        List<String> secrets = secrets();
        Map<String, List<String>> reads = new LinkedHashMap<>();
        reads.put("scheduler-service", List.of("/plans", "/runs", "/actuator/info", "/actuator/health"));
        reads.put("retention-service", List.of("/backups?target=shop", "/backups?target=shop-wrong-password",
                "/actuator/info", "/actuator/health"));
        reads.put("notifier-service", List.of("/alerts", "/actuator/info", "/actuator/health"));
        reads.put("uploader-service", new ArrayList<>(List.of("/keys", "/actuator/info", "/actuator/metrics",
                "/actuator/health")));
        reads.put("dump-agent", new ArrayList<>(List.of("/actuator/info", "/actuator/metrics", "/actuator/health")));
        HttpClient http = HttpClient.newHttpClient();
        // every metric the two services with a metrics endpoint expose, with its tags' values
        for (String service : List.of("uploader-service", "dump-agent")) {
            HttpResponse<String> names = http.send(HttpRequest.newBuilder(stack.url(service)
                    .resolve("/actuator/metrics")).header("Authorization", "Bearer " + stack.apiToken()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(names.statusCode()).isEqualTo(200);
            for (var name : SystemApi.JSON.readTree(names.body()).path("names")) {
                reads.get(service).add("/actuator/metrics/" + name.asString());
            }
        }
        assertThat(reads.get("uploader-service")).hasSizeGreaterThan(20);
        for (var service : reads.entrySet()) {
            for (String path : service.getValue()) {
                URI uri = stack.url(service.getKey()).resolve(path);
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + stack.apiToken()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as("%s", uri).isEqualTo(200);
                for (String secret : secrets) {
                    assertThat(answer.body()).as("%s", uri).doesNotContain(secret);
                    assertThat(answer.headers().map().toString()).as("%s", uri).doesNotContain(secret);
                }
                if (!path.startsWith("/actuator/health") && !path.startsWith("/actuator/metrics/")) {
                    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(refused.statusCode()).as("%s without a token", uri).isEqualTo(401);
                    assertThat(refused.headers().firstValue("Content-Type")).as("%s", uri)
                            .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                }
            }
        }
    }
}
