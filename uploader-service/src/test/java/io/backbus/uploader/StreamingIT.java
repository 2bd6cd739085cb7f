package io.backbus.uploader;

import static io.backbus.uploader.ArtifactReadyMother.artifact;
import static io.backbus.uploader.ArtifactReadyMother.artifactReady;
import static io.backbus.uploader.ArtifactReadyMother.sha256;
import static io.backbus.uploader.ArtifactStreamingMother.artifactStreaming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploads while the agent still dumps (ArtifactStreaming, then ArtifactReady), against real Kafka, PostgreSQL and
 * S3Mock. {@link ArtifactServer} stands in for the dump agent, which is another service: it serves the live artifact
 * (chunked, growing, ending or breaking off) and the staged one, and counts the pulls of each.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// the other ITs' contexts consume in the same consumer group: only one of them may be running at a time
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class StreamingIT extends UploaderIntegrationTest {

    private static final String BUCKET = "uploader-streaming-it";
    private static final String GROUP = "uploader-service";
    private static final String DLQ = Topics.deadLetter(Topics.ARTIFACT_STREAMING, GROUP);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MIB = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Path KEYS = tempDir("uploader-streaming-it-keys");
    private static ArtifactServer agent;
    private static TopicProbe probe;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        uploaderProperties(registry, "uploader", BUCKET, KEYS);
        registry.add("backbus.uploader.upload-parallelism", () -> "2");
        registry.add("backbus.uploader.pull-idle-timeout", () -> "10s");
        registry.add("backbus.uploader.progress-interval", () -> "200ms");
        registry.add("backbus.uploader.streaming-wait", () -> "30s");
    }

    @BeforeAll
    static void start() {
        agent = ArtifactServer.start();
        probe = TopicProbe.open(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_STORED, Topics.BACKUP_FAILED,
                Topics.BACKUP_PROGRESS, DLQ);
    }

    @AfterAll
    static void stop() {
        probe.close();
        agent.close();
    }

    @Test
    void artifactUploadedWhileDumpedIsStoredOnItsArtifactReadyWithoutASecondPull() throws IOException {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(12 * MIB + 77); // three parts of 5 MiB
        String livePath = "/artifacts/" + runId + "/live";
        String stagedPath = "/artifacts/" + runId;
        URI live = agent.serveLive(livePath, plaintext, 1_000);
        URI staged = agent.serve(stagedPath, plaintext);

        publishStreaming(UUID.randomUUID(), runId, artifactStreaming(runId, live));
        await().atMost(WAIT).until(() -> "UPLOADED".equals(state(runId)));

        // progress went out while streaming, with no total (the size is not known while dumping)
        List<ConsumerRecord<String, byte[]>> progress = probe.awaitRecords(r -> isProgressOf(r, runId)
                && JSON.readTree(TopicProbe.valueAsString(r)).get("bytes").asLong() == plaintext.length, 1, WAIT);
        String progressJson = TopicProbe.valueAsString(progress.get(0));
        ContractAssertions.assertValid("schemas/backup-progress.v1.schema.json", progressJson);
        assertCloudEvent(progress.get(0), ArtifactReadyMother.target(), EventTypes.BACKUP_PROGRESS, runId);
        assertThat(JSON.readTree(progressJson).get("totalBytes").asLong()).isEqualTo(-1);
        assertThat(JSON.readTree(progressJson).get("stage").asString()).isEqualTo("UPLOAD");
        // nothing is announced before ArtifactReady confirms the bytes
        assertThat(outcomes(runId)).isEmpty();

        publishReady(runId, artifactReady(runId, staged, sha256(plaintext), plaintext.length));

        JsonNode stored = awaitStored(runId);
        assertStoredIs(runId, stored, plaintext);
        assertThat(agent.requestsTo(livePath)).isEqualTo(1);
        assertThat(agent.requestsTo(stagedPath)).isZero();
        assertThat(jdbc.sql("select count(*) from upload where run_id = ?").param(runId).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void artifactReadyArrivingWhileTheStreamStillRunsWaitsForItThenStoresWithOnePull() throws IOException {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(11 * MIB + 5);
        String livePath = "/artifacts/" + runId + "/live";
        String stagedPath = "/artifacts/" + runId;
        CountDownLatch dumpDone = new CountDownLatch(1);
        URI live = agent.serveLive(livePath, plaintext, dumpDone);
        URI staged = agent.serve(stagedPath, plaintext);

        publishStreaming(UUID.randomUUID(), runId, artifactStreaming(runId, live));
        await().atMost(WAIT).until(() -> "STREAMING".equals(state(runId)) && agent.requestsTo(livePath) == 1);
        publishReady(runId, artifactReady(runId, staged, sha256(plaintext), plaintext.length));

        // the ArtifactReady waits for the stream instead of pulling: nothing is stored while the body is unfinished
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> outcomes(runId).isEmpty() && agent.requestsTo(stagedPath) == 0);
        assertThat(state(runId)).isEqualTo("STREAMING");
        dumpDone.countDown();

        JsonNode stored = awaitStored(runId);
        assertStoredIs(runId, stored, plaintext);
        assertThat(agent.requestsTo(livePath)).isEqualTo(1);
        assertThat(agent.requestsTo(stagedPath)).isZero();
    }

    @Test
    void liveBodyBreakingOffAbortsTheStreamSilentlyAndArtifactReadyPullsTheStagedArtifact() throws IOException {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(12 * MIB + 3); // the first half fills a part: a multipart upload is under way
        String livePath = "/artifacts/" + runId + "/live";
        String stagedPath = "/artifacts/" + runId;
        URI live = agent.serveLiveBreakingOff(livePath, plaintext, 500);
        URI staged = agent.serve(stagedPath, plaintext);

        publishStreaming(UUID.randomUUID(), runId, artifactStreaming(runId, live));
        await().atMost(WAIT).until(() -> "FAILED".equals(state(runId)));
        // the multipart upload was aborted: nothing of the run is in the bucket, visible or not
        assertThat(s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix(runId))).contents()).isEmpty();
        assertThat(s3().listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix(runId))).uploads()).isEmpty();

        // the agent reports its failed dump itself; if ArtifactReady still comes, the normal pull stores it
        publishReady(runId, artifactReady(runId, staged, sha256(plaintext), plaintext.length));
        JsonNode stored = awaitStored(runId);
        assertStoredIs(runId, stored, plaintext);
        assertThat(agent.requestsTo(livePath)).isEqualTo(1);
        assertThat(agent.requestsTo(stagedPath)).isEqualTo(1);
        // the streaming path published no BackupFailed: the run's only outcome is Stored
        assertThat(outcomes(runId)).extracting(ConsumerRecord::topic).containsExactly(Topics.BACKUP_STORED);
    }

    @Test
    void streamedBytesDifferingFromArtifactReadyAreReplacedByTheNormalPull() throws IOException {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(7 * MIB);
        byte[] streamedBytes = plaintext.clone();
        streamedBytes[3 * MIB] ^= 0x5a;
        String livePath = "/artifacts/" + runId + "/live";
        String stagedPath = "/artifacts/" + runId;
        URI live = agent.serveLive(livePath, streamedBytes, 200);
        URI staged = agent.serve(stagedPath, plaintext);

        publishStreaming(UUID.randomUUID(), runId, artifactStreaming(runId, live));
        await().atMost(WAIT).until(() -> "UPLOADED".equals(state(runId)));
        publishReady(runId, artifactReady(runId, staged, sha256(plaintext), plaintext.length));

        JsonNode stored = awaitStored(runId);
        assertThat(stored.get("plaintextSha256").asString()).isEqualTo(sha256(plaintext))
                .isNotEqualTo(sha256(streamedBytes));
        assertStoredIs(runId, stored, plaintext);
        assertThat(agent.requestsTo(stagedPath)).isEqualTo(1);
        // the normal pull took the discarded stream's row over as its own claim (ADR 0013)
        assertThat(state(runId)).isEqualTo("PULLING");
    }

    @Test
    void duplicateArtifactStreamingIsProcessedOnceAndAHintForAClaimedRunIsIgnored() throws IOException {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(300_000);
        String livePath = "/artifacts/" + runId + "/live";
        URI live = agent.serveLive(livePath, plaintext, 100);
        UUID eventId = UUID.randomUUID();
        String event = artifactStreaming(runId, live);

        publishStreaming(eventId, runId, event);
        await().atMost(WAIT).until(() -> "UPLOADED".equals(state(runId)));
        publishStreaming(eventId, runId, event);
        // the agent sent the hint again under a new id: the run is claimed already
        UUID againId = UUID.randomUUID();
        publishStreaming(againId, runId, event);
        // same key, same partition: once the last one is processed, the duplicate was handled before it
        await().atMost(WAIT).until(() -> processed(againId) == 1);

        assertThat(processed(eventId)).isEqualTo(1);
        assertThat(agent.requestsTo(livePath)).isEqualTo(1);
        assertThat(state(runId)).isEqualTo("UPLOADED");

        publishReady(runId, artifactReady(runId, agent.serve("/artifacts/" + runId, plaintext), sha256(plaintext),
                plaintext.length));
        assertStoredIs(runId, awaitStored(runId), plaintext);
        assertThat(agent.requestsTo("/artifacts/" + runId)).isZero();
    }

    @Test
    void hintArrivingAfterItsRunWasPulledIsIgnored() {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(200_000);
        String livePath = "/artifacts/" + runId + "/live";
        URI live = agent.serveLive(livePath, plaintext, 0);
        publishReady(runId, artifactReady(runId, agent.serve("/artifacts/" + runId, plaintext), sha256(plaintext),
                plaintext.length));
        awaitStored(runId);

        UUID eventId = UUID.randomUUID();
        publishStreaming(eventId, runId, artifactStreaming(runId, live));
        await().atMost(WAIT).until(() -> processed(eventId) == 1);

        assertThat(agent.requestsTo(livePath)).isZero();
        assertThat(state(runId)).isEqualTo("PULLING");
    }

    /** Stored is valid, names the run's keys and the artifact's checksums; the object decrypts to the artifact. */
    private void assertStoredIs(UUID runId, JsonNode stored, byte[] plaintext) throws IOException {
        String prefix = prefix(runId);
        assertThat(stored.get("objectKey").asString()).isEqualTo(prefix + "artifact.enc");
        assertThat(stored.get("manifestKey").asString()).isEqualTo(prefix + "manifest.json");
        assertThat(stored.get("plaintextSize").asLong()).isEqualTo(plaintext.length);
        assertThat(stored.get("plaintextSha256").asString()).isEqualTo(sha256(plaintext));
        byte[] object = s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "artifact.enc")).asByteArray();
        assertThat(object.length).isEqualTo(stored.get("ciphertextSize").asLong());
        assertThat(sha256(object)).isEqualTo(stored.get("ciphertextSha256").asString());
        KeysetStore keys = KeysetStore.openOrCreate(KEYS.resolve("master-key.json"), KEYS.resolve("keyset.json"));
        try (InputStream decrypted = new ArtifactCipher(keys).decryptingStream(
                s3().getObject(b -> b.bucket(BUCKET).key(prefix + "artifact.enc")), prefix + "artifact.enc")) {
            assertThat(decrypted.readAllBytes()).isEqualTo(plaintext);
        }
        String manifest = s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "manifest.json")).asUtf8String();
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", manifest);
        assertThat(JSON.readTree(manifest).get("ciphertextSha256")).isEqualTo(stored.get("ciphertextSha256"));
        assertThat(manifest).doesNotContain("sig=").doesNotContain("SECRET-SIGNATURE");
        assertThat(s3().listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()).isEmpty();
    }

    private static JsonNode awaitStored(UUID runId) {
        ConsumerRecord<String, byte[]> record = probe.awaitRecords(r -> isOutcome(r) && isAbout(r, runId), 1, WAIT)
                .get(0);
        String json = TopicProbe.valueAsString(record);
        assertThat(record.topic()).as(json).isEqualTo(Topics.BACKUP_STORED);
        assertCloudEvent(record, ArtifactReadyMother.target(), EventTypes.BACKUP_STORED, runId);
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", json);
        assertThat(json).doesNotContain("SECRET-SIGNATURE").doesNotContain("sig=");
        return JSON.readTree(json);
    }

    /** Stored and BackupFailed about the run seen so far. */
    private static List<ConsumerRecord<String, byte[]>> outcomes(UUID runId) {
        return probe.records(Duration.ofMillis(100)).stream().filter(r -> isOutcome(r) && isAbout(r, runId))
                .toList();
    }

    private static boolean isOutcome(ConsumerRecord<String, byte[]> r) {
        return r.topic().equals(Topics.BACKUP_STORED) || r.topic().equals(Topics.BACKUP_FAILED);
    }

    private static boolean isProgressOf(ConsumerRecord<String, byte[]> record, UUID runId) {
        return record.topic().equals(Topics.BACKUP_PROGRESS) && isAbout(record, runId);
    }

    private String state(UUID runId) {
        return jdbc.sql("select state from streamed_upload where run_id = ?").param(runId).query(String.class)
                .optional().orElse(null);
    }

    private long processed(UUID eventId) {
        return jdbc.sql("select count(*) from processed_event where event_id = ?").param(eventId)
                .query(Long.class).single();
    }

    private static String prefix(UUID runId) {
        return "targets/orders/2026/11/23/" + runId + "/";
    }

    private static void publishStreaming(UUID eventId, UUID runId, String event) {
        ArtifactReadyMother.requested(runId);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.ARTIFACT_STREAMING,
                ArtifactReadyMother.target(), ArtifactStreamingMother.headers(eventId, runId), event);
    }

    private static void publishReady(UUID runId, String event) {
        ArtifactReadyMother.requested(runId);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.ARTIFACT_READY,
                ArtifactReadyMother.target(), ArtifactReadyMother.headers(UUID.randomUUID(), runId), event);
    }
}
