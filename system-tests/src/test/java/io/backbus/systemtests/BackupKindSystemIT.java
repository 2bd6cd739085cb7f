package io.backbus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.localstack.ServiceStack;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docs/architecture.md's walk "a new backup kind", checked: the test-only kind {@code fixed-bytes} (a
 * {@code TargetDumper} and an {@code ArchiveRestorer} in dump-agent's test sources, put on the agent's
 * {@code loader.path}; nothing else of it exists anywhere) goes through the real pipeline — agent → uploader
 * (encrypt, upload, manifest) → bucket → retention catalog — and is restored back through uploader and agent,
 * with the restore's own verification.
 */
class BackupKindSystemIT {

    /** What every backup of the kind holds: {@code FixedBytesKind.CONTENT} in dump-agent's test sources. */
    private static final String CONTENT = "backbus fixed-bytes kind: the same bytes through agent, uploader, bucket "
            + "and catalog, and back";
    private static final String FORMAT = "fixed-bytes-v1";
    private static final String TARGET = TheSystem.FIXED_BYTES_TARGET;
    private static final String RESTORED_DB = "sys_fixed_restored";

    private static TheSystem system;
    private static SystemApi api;

    @BeforeAll
    static void startTheSystem() {
        system = TheSystem.get();
        api = system.api;
    }

    @Test
    void aTestOnlyKindIsStoredCatalogedAndRestoredThroughTheRealPipeline() throws Exception {
        JsonNode plan = api.createPlanOnceTargetIsKnown("fixed-bytes-kind", TARGET, TheSystem.AGENT);
        String runId = api.runNow(plan.path("id").asString());
        JsonNode run = api.awaitFinalState(runId, Duration.ofMinutes(3));
        assertThat(run.path("state").asString()).as("run %s", run).isEqualTo("STORED");

        // the catalog row, with the kind's format
        JsonNode entry = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> find(api.backups(TARGET), runId), found -> found != null);
        assertThat(entry.path("format").asString()).as("catalog entry %s", entry).isEqualTo(FORMAT);
        assertThat(entry.path("plaintextSize").asLong()).isEqualTo(CONTENT.getBytes(StandardCharsets.UTF_8).length);

        // the bucket: an encrypted object holding exactly the kind's bytes, and its manifest naming the format
        String objectKey = entry.path("objectKey").asString();
        byte[] ciphertext = system.servers.s3Client()
                .getObjectAsBytes(b -> b.bucket(TheSystem.BUCKET).key(objectKey)).asByteArray();
        var cipher = new ArtifactCipher(KeysetStore.openOrCreate(ServiceStack.masterKeyFile(system.workDir),
                ServiceStack.keysetFile(system.workDir)));
        try (InputStream plain = cipher.decryptingStream(new ByteArrayInputStream(ciphertext), objectKey)) {
            assertThat(new String(plain.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(CONTENT);
        }
        JsonNode manifest = SystemApi.JSON.readTree(system.servers.s3Client()
                .getObjectAsBytes(b -> b.bucket(TheSystem.BUCKET).key(entry.path("manifestKey").asString()))
                .asUtf8String());
        assertThat(manifest.path("manifest").path("format").asString()).isEqualTo(FORMAT);
        assertThat(manifest.path("target").asString()).isEqualTo(TARGET);

        // restored back: the agent picks the restorer by the manifest's format
        system.postgres().execute("postgres", "drop database if exists " + RESTORED_DB + " with (force)");
        Map<String, Object> restore = new LinkedHashMap<>();
        restore.put("backupId", entry.path("backupId").asString());
        restore.put("destination", Map.of("agentId", TheSystem.AGENT, "target", TARGET, "database", RESTORED_DB));
        restore.put("createDatabase", true);
        HttpResponse<String> accepted = api.requestRestore(restore);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode restored = api.awaitRestore(SystemApi.JSON.readTree(accepted.body()).path("id").asString(),
                Duration.ofMinutes(3));
        assertThat(restored.path("state").asString()).as("restore %s", restored).isEqualTo("VERIFIED");
        assertThat(restored.path("verification").path("tablesChecked").asInt()).isEqualTo(1);
        assertThat(restored.path("verification").path("rowsChecked").asLong()).isEqualTo(1);
        try (Connection c = system.postgres().connect(RESTORED_DB); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select content from public.fixed_bytes")) {
            assertThat(rs.next()).isTrue();
            assertThat(new String(rs.getBytes(1), StandardCharsets.UTF_8)).isEqualTo(CONTENT);
            assertThat(rs.next()).isFalse();
        }
    }

    private static JsonNode find(JsonNode backups, String runId) {
        for (JsonNode b : backups) {
            if (runId.equals(b.path("runId").asString())) {
                return b;
            }
        }
        return null;
    }
}
