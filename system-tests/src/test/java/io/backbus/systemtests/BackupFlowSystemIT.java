package io.backbus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.luben.zstd.ZstdInputStream;
import io.backbus.contracts.FailureStage;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.localstack.PostgresCluster;
import io.backbus.localstack.ServiceStack;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import io.backbus.testsupport.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import tools.jackson.databind.JsonNode;

/**
 * The walking system: the five services as separate {@code java -jar} processes against real Kafka, PostgreSQL
 * and S3 (S3Mock). A plan's run goes BackupRequested → ArtifactReady → Stored; the stored object is ciphertext that
 * decrypts to a dump {@code pg_restore} accepts; the catalog lists it; a failing target reaches the webhook; no
 * password leaks into any topic or log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupFlowSystemIT {

    private static final String AGENT = "sys-agent";
    private static final String BUCKET = "backbus-system";
    private static final String CANARY = "SYSTEM-CANARY-5b1e0d-never-in-ciphertext";
    private static final String SOURCE_DB = "sys_shop";
    private static final String ROLE = "sys_backup";
    private static final String PASSWORD = "Pw-of-sys-backup-" + Long.toHexString(System.nanoTime());
    private static final String WRONG_PASSWORD = "Wrong-pw-" + Long.toHexString(System.nanoTime());

    private static TestServers servers;
    private static WebhookReceiver webhook;
    private static ServiceStack stack;
    private static SystemApi api;
    private static Path workDir;

    @BeforeAll
    static void startTheSystem() throws IOException {
        servers = TestServers.get();
        PostgresCluster pg = servers.postgres();
        pg.createRole(ROLE, PASSWORD);
        pg.execute("postgres", "drop database if exists " + SOURCE_DB + " with (force)");
        pg.execute("postgres", "create database " + SOURCE_DB + " owner " + ROLE);
        pg.execute(SOURCE_DB, "set role " + ROLE + ";"
                + "create table customers (id int primary key, name text);"
                + "insert into customers select g, 'customer ' || g from generate_series(1, 300) g;"
                + "create table notes (id int primary key, body text);"
                + "insert into notes values (1, '" + CANARY + "');");
        webhook = WebhookReceiver.start();
        workDir = Files.createTempDirectory("backbus-system-");
        Path repoRoot = Path.of(System.getProperty("backbus.home", "..")).toAbsolutePath().normalize();
        stack = ServiceStack.start(new ServiceStack.Settings(repoRoot, workDir, servers.kafkaBootstrapServers(), pg,
                servers.s3Endpoint(), "sys_", AGENT, List.of(
                        new ServiceStack.Target("shop", pg.host(), pg.port(), SOURCE_DB, ROLE, PASSWORD),
                        new ServiceStack.Target("shop-wrong-password", pg.host(), pg.port(), SOURCE_DB, ROLE,
                                WRONG_PASSWORD)),
                BUCKET, webhook.url().toString(), false));
        api = new SystemApi(stack.url("scheduler-service"), stack.url("retention-service"));
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    @Order(1)
    void aPlanRunIsStoredEncryptedRestorableAndCataloged() throws Exception {
        JsonNode plan = api.createPlanOnceTargetIsKnown("shop-nightly", "shop", AGENT);
        String runId = api.runNow(plan.path("id").asString());

        JsonNode run = api.awaitFinalState(runId, Duration.ofMinutes(3));
        assertThat(run.path("state").asString()).as("run %s", run).isEqualTo("STORED");
        String objectKey = run.path("objectKey").asString();
        assertThat(objectKey).contains("shop");

        ResponseBytes<GetObjectResponse> object = servers.s3Client().getObjectAsBytes(
                GetObjectRequest.builder().bucket(BUCKET).key(objectKey).build());
        byte[] ciphertext = object.asByteArray();
        assertThat(ciphertext.length).isPositive();
        assertThat(indexOf(ciphertext, CANARY.getBytes(StandardCharsets.UTF_8)))
                .as("the canary from the source database must not appear in the stored object").isEqualTo(-1);

        Path dump = workDir.resolve("decrypted.dump");
        var cipher = new ArtifactCipher(KeysetStore.openOrCreate(ServiceStack.masterKeyFile(workDir),
                ServiceStack.keysetFile(workDir)));
        JsonNode manifest = SystemApi.JSON.readTree(servers.s3Client().getObjectAsBytes(GetObjectRequest.builder()
                .bucket(BUCKET).key(entry(runId).path("manifestKey").asString()).build()).asUtf8String());
        assertThat(manifest.path("objectKey").asString()).isEqualTo(objectKey);
        assertThat(manifest.path("target").asString()).isEqualTo("shop");
        assertThat(manifest.path("manifest").path("compression").asString()).isEqualTo("zstd");
        try (InputStream decrypted = cipher.decryptingStream(new java.io.ByteArrayInputStream(ciphertext), objectKey);
             InputStream in = "zstd".equals(manifest.path("manifest").path("compression").asString())
                     ? new ZstdInputStream(decrypted) : decrypted) {
            Files.copy(in, dump);
        }
        String pgRestore = PostgresCluster.binDir().resolve("pg_restore").toString();
        String listing = run(pgRestore, "--list", dump.toString());
        assertThat(listing).contains("TABLE public customers").contains("TABLE public notes");
        assertThat(run(pgRestore, "--data-only", "--table=notes", "--file=-", dump.toString()))
                .as("the decrypted dump holds the source's data").contains(CANARY);

        JsonNode entry = entry(runId);
        assertThat(entry.path("objectKey").asString()).isEqualTo(objectKey);
        assertThat(entry.path("ciphertextSize").asLong()).isEqualTo(ciphertext.length);
    }

    @Test
    @Order(2)
    void aTargetThatCannotBeDumpedFailsTheRunAndReachesTheWebhook() {
        JsonNode plan = api.createPlanOnceTargetIsKnown("shop-broken", "shop-wrong-password", AGENT);
        String runId = api.runNow(plan.path("id").asString());

        JsonNode run = api.awaitFinalState(runId, Duration.ofMinutes(2));
        assertThat(run.path("state").asString()).isEqualTo("FAILED");
        assertThat(run.path("failureStage").asString()).isEqualTo(FailureStage.DUMP.name());
        assertThat(run.path("failureReason").asString()).contains("password authentication failed");

        var alerts = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> webhook.requests().stream().map(WebhookReceiver.Request::bodyAsString)
                        .filter(body -> body.contains(runId)).toList(), found -> !found.isEmpty());
        JsonNode alert = SystemApi.JSON.readTree(alerts.get(0));
        assertThat(alert.path("target").asString()).isEqualTo("shop-wrong-password");
        assertThat(alert.path("runId").asString()).isEqualTo(runId);
        assertThat(alert.path("stage").asString()).isEqualTo("DUMP");
        assertThat(alert.path("reason").asString()).contains("password authentication failed");
        assertThat(alert.path("severity").asString()).isEqualTo("high");
    }

    @Test
    @Order(3)
    void noPasswordAppearsInAnyRecordOnAnyTopicOrInAnyServiceLog() throws Exception {
        List<String> secrets = List.of(PASSWORD, WRONG_PASSWORD, servers.postgres().superuserPassword());
        List<String> topics;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.kafkaBootstrapServers()))) {
            topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith("backbus.")).sorted().toList();
        }
        assertThat(topics).contains("backbus.backup.requested", "backbus.backup.stored", "backbus.backup.failed");

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

    /** The catalog's entry for a run, once the retention service has cataloged it. */
    private static JsonNode entry(String runId) {
        JsonNode backups = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.backups("shop"), list -> contains(list, runId));
        return find(backups, runId);
    }

    private static boolean contains(JsonNode backups, String runId) {
        return find(backups, runId) != null;
    }

    private static JsonNode find(JsonNode backups, String runId) {
        if (backups == null) {
            return null;
        }
        for (JsonNode b : backups) {
            if (runId.equals(b.path("runId").asString())) {
                return b;
            }
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", List.of(command), out).isZero();
        return out;
    }
}
