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
import io.backbus.testsupport.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * decrypts to a dump {@code pg_restore} accepts; the catalog lists it; a failing target reaches the webhook.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupFlowSystemIT {

    private static final String AGENT = TheSystem.AGENT;
    private static final String BUCKET = TheSystem.BUCKET;
    private static final String CANARY = TheSystem.CANARY;

    private static TestServers servers;
    private static WebhookReceiver webhook;
    private static SystemApi api;
    private static Path workDir;

    @BeforeAll
    static void startTheSystem() {
        TheSystem system = TheSystem.get();
        servers = system.servers;
        webhook = system.webhook;
        api = system.api;
        workDir = system.workDir;
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
