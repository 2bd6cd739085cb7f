package io.backbus.uploader;

import static io.backbus.uploader.ArtifactReadyMother.CANARY;
import static io.backbus.uploader.ArtifactReadyMother.artifact;
import static io.backbus.uploader.ArtifactReadyMother.artifactReady;
import static io.backbus.uploader.ArtifactReadyMother.headers;
import static io.backbus.uploader.ArtifactReadyMother.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.ApiAccessAssert;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The uploader against real Kafka, PostgreSQL and S3Mock, fed by a stand-in agent serving artifacts over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// RestoreIT's context consumes in the same consumer group: only one of them may be running at a time
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class UploaderServiceIT extends UploaderIntegrationTest {

    private static final String BUCKET = "uploader-it";
    private static final String GROUP = "uploader-service";
    private static final String DLQ = Topics.deadLetter(Topics.ARTIFACT_READY, GROUP);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Path KEYS = tempDir("uploader-it-keys");
    /** A volume shared with an agent: the only place file:// locations may point into. */
    private static final Path SHARED_STAGING = tempDir("uploader-it-shared-staging");
    private static ArtifactServer agent;
    private static TopicProbe probe;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        uploaderProperties(registry, "uploader", BUCKET, KEYS);
        registry.add("backbus.uploader.file-roots", SHARED_STAGING::toString);
        registry.add("backbus.uploader.upload-parallelism", () -> "3");
        registry.add("backbus.uploader.pull-idle-timeout", () -> "3s");
        registry.add("backbus.uploader.progress-interval", () -> "200ms");
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
    void storesALargeArtifactInParallelPartsEncryptedWithItsManifestAndPublishesStored() throws IOException {
        UUID runId = UUID.randomUUID();
        // 12 parts of 5 MiB, 3 at a time
        byte[] plaintext = artifact(60 * 1024 * 1024 + 4321);
        URI location = agent.serve("/artifacts/" + runId, plaintext);

        publish(runId, artifactReady(runId, location, sha256(plaintext), plaintext.length));

        ConsumerRecord<String, byte[]> record = awaitOutcome(runId);
        assertThat(record.topic()).as(TopicProbe.valueAsString(record)).isEqualTo(Topics.BACKUP_STORED);
        assertCloudEvent(record, ArtifactReadyMother.target(), EventTypes.BACKUP_STORED, runId);
        String json = TopicProbe.valueAsString(record);
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", json);
        JsonNode stored = JSON.readTree(json);
        String prefix = "targets/orders/2026/11/23/" + runId + "/";
        assertThat(stored.get("bucket").asString()).isEqualTo(BUCKET);
        assertThat(stored.get("objectKey").asString()).isEqualTo(prefix + "artifact.enc");
        assertThat(stored.get("manifestKey").asString()).isEqualTo(prefix + "manifest.json");
        assertThat(stored.get("plaintextSize").asLong()).isEqualTo(plaintext.length);
        assertThat(stored.get("plaintextSha256").asString()).isEqualTo(sha256(plaintext));
        assertThat(stored.get("encryption").asString()).isEqualTo("tink-streaming-aead/AES256_GCM_HKDF_1MB");
        assertThat(stored.get("manifest").get("serverVersion").asString()).isEqualTo("15.18");

        // the object is ciphertext: the canary is gone, size and checksum are as announced
        byte[] object = s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "artifact.enc")).asByteArray();
        assertThat(object.length).isEqualTo(stored.get("ciphertextSize").asLong());
        assertThat(sha256(object)).isEqualTo(stored.get("ciphertextSha256").asString());
        assertThat(new String(object, StandardCharsets.ISO_8859_1)).doesNotContain(CANARY);
        assertThat(new String(plaintext, StandardCharsets.ISO_8859_1)).contains(CANARY);

        // whoever holds the key files (the CLI, a restore) decrypts it to exactly the original bytes
        KeysetStore keys = KeysetStore.openOrCreate(KEYS.resolve("master-key.json"), KEYS.resolve("keyset.json"));
        assertThat(stored.get("keyId").asString()).isEqualTo(keys.primaryKeyId());
        try (InputStream decrypted = new ArtifactCipher(keys).decryptingStream(
                s3().getObject(b -> b.bucket(BUCKET).key(prefix + "artifact.enc")), prefix + "artifact.enc")) {
            assertThat(decrypted.readAllBytes()).isEqualTo(plaintext);
        }

        // the manifest beside it repeats the event, so a catalog can be rebuilt from the bucket
        String manifest = s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "manifest.json")).asUtf8String();
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", manifest);
        JsonNode manifestJson = JSON.readTree(manifest);
        assertThat(manifestJson.get("kind").asString()).isEqualTo("backbus.artifact-manifest");
        for (String field : List.of("runId", "backupId", "agentId", "target", "bucket", "objectKey", "plaintextSize",
                "plaintextSha256", "ciphertextSize", "ciphertextSha256", "encryption", "keyId", "storedAt",
                "manifest")) {
            assertThat(manifestJson.get(field)).as(field).isEqualTo(stored.get(field));
        }
        assertThat(manifest).doesNotContain("sig=").doesNotContain("SECRET-SIGNATURE");

        assertThat(jdbc.sql("select object_key, ciphertext_size, key_id from upload where run_id = ?").param(runId)
                .query((rs, n) -> rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3)).single())
                .isEqualTo(prefix + "artifact.enc|" + object.length + "|" + keys.primaryKeyId());
        assertNoMultipartUploadsLeft(prefix);

        // progress went out while uploading, the last one with every byte
        List<ConsumerRecord<String, byte[]>> progress = probe.awaitRecords(r -> isProgressOf(r, runId)
                && JSON.readTree(TopicProbe.valueAsString(r)).get("bytes").asLong() == plaintext.length, 1, WAIT);
        List<ConsumerRecord<String, byte[]>> all = probe.records(Duration.ofMillis(100)).stream()
                .filter(r -> isProgressOf(r, runId)).toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(2);
        for (ConsumerRecord<String, byte[]> r : all) {
            String progressJson = TopicProbe.valueAsString(r);
            ContractAssertions.assertValid("schemas/backup-progress.v1.schema.json", progressJson);
            assertCloudEvent(r, ArtifactReadyMother.target(), EventTypes.BACKUP_PROGRESS, runId);
            JsonNode p = JSON.readTree(progressJson);
            assertThat(p.get("stage").asString()).isEqualTo("UPLOAD");
            assertThat(p.get("totalBytes").asLong()).isEqualTo(plaintext.length);
            assertThat(p.get("bytes").asLong()).isBetween(0L, (long) plaintext.length);
        }
        assertThat(progress).isNotEmpty();

        // and the meters counted it
        RestClient actuator = RestClient.builder().baseUrl("http://127.0.0.1:" + port + "/actuator/metrics/")
                .defaultHeader("Authorization", ApiCallers.VIEWER.bearer()).build();
        assertThat(JSON.readTree(actuator.get().uri("backbus.uploader.bytes.read").retrieve().body(String.class))
                .get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(plaintext.length);
        assertThat(JSON.readTree(actuator.get().uri("backbus.uploader.bytes.uploaded").retrieve()
                .body(String.class)).get("measurements").get(0).get("value").asDouble())
                .isGreaterThanOrEqualTo(object.length);
        assertThat(actuator.get().uri("backbus.uploader.upload.duration?tag=outcome:stored").retrieve()
                .body(String.class)).contains("\"COUNT\"");
    }

    @Test
    void uploadAbortedFromOutsideMidwayFailsTheUploadAndLeavesNothing() throws Exception {
        UUID runId = UUID.randomUUID();
        String prefix = "targets/orders/2026/11/23/" + runId + "/";
        byte[] plaintext = artifact(25 * 1024 * 1024);
        CountDownLatch resume = new CountDownLatch(1);
        URI location = agent.servePausing("/artifacts/" + runId, plaintext, 12 * 1024 * 1024, resume);

        publish(runId, artifactReady(runId, location, sha256(plaintext), plaintext.length));
        // two parts are full: the multipart upload exists; an operator (or a lifecycle rule) aborts it
        await().atMost(WAIT).until(() -> !s3().listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()
                .isEmpty());
        s3().listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads().forEach(u -> s3()
                .abortMultipartUpload(b -> b.bucket(BUCKET).key(u.key()).uploadId(u.uploadId())));
        resume.countDown();

        JsonNode failed = awaitFailed(runId);
        assertThat(failed.get("stage").asString()).isEqualTo("UPLOAD");
        assertThat(failed.get("retryable").asBoolean()).isFalse();
        assertThat(failed.get("reason").asString()).contains("UploadPart").contains("NoSuchUpload");
        assertNoObjects(runId);
    }

    @Test
    void stalledArtifactStreamFailsTheTransferRetryable() {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(8 * 1024 * 1024);
        URI location = agent.serveStalling("/artifacts/" + runId, plaintext, 6 * 1024 * 1024);

        publish(runId, artifactReady(runId, location, sha256(plaintext), plaintext.length));

        JsonNode failed = awaitFailed(runId);
        assertThat(failed.get("stage").asString()).isEqualTo("TRANSFER");
        assertThat(failed.get("retryable").asBoolean()).isTrue();
        assertThat(failed.get("reason").asString()).startsWith("artifact stream stalled for 3s after "
                + 6 * 1024 * 1024 + " of " + plaintext.length + " bytes from http://127.0.0.1:");
        assertNoObjects(runId);
    }

    @Test
    void wrongChecksumFailsTheTransferAndLeavesNothingInTheBucket() {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(7 * 1024 * 1024); // more than one part: a multipart upload was under way
        URI location = agent.serve("/artifacts/" + runId, plaintext);
        String wrongSha = sha256("something else".getBytes(StandardCharsets.UTF_8));

        publish(runId, artifactReady(runId, location, wrongSha, plaintext.length));

        JsonNode failed = awaitFailed(runId);
        assertThat(failed.get("stage").asString()).isEqualTo("TRANSFER");
        assertThat(failed.get("retryable").asBoolean()).isFalse();
        assertThat(failed.get("reason").asString())
                .startsWith("checksum mismatch: expected sha256 " + wrongSha + " got " + sha256(plaintext));
        assertNoObjects(runId);
    }

    @Test
    void agentAnswering503IsRetriedInPlaceThenFailsRetryableWithoutLeakingTheSignature() {
        UUID runId = UUID.randomUUID();
        String path = "/artifacts/" + runId;
        URI location = agent.fail(path, 503);

        publish(runId, artifactReady(runId, location, sha256(new byte[0]), 1024));

        JsonNode failed = awaitFailed(runId);
        assertThat(failed.get("stage").asString()).isEqualTo("TRANSFER");
        assertThat(failed.get("retryable").asBoolean()).isTrue();
        assertThat(failed.get("reason").asString())
                .isEqualTo("GET http://127.0.0.1:" + location.getPort() + path + " answered 503");
        assertThat(agent.requestsTo(path)).isEqualTo(3);
        assertNoObjects(runId);
    }

    @Test
    void agentAnswering404FailsAtOnceAndNotRetryable() {
        UUID runId = UUID.randomUUID();
        String path = "/artifacts/" + runId;
        URI location = agent.fail(path, 404);

        publish(runId, artifactReady(runId, location, sha256(new byte[0]), 1024));

        JsonNode failed = awaitFailed(runId);
        assertThat(failed.get("retryable").asBoolean()).isFalse();
        assertThat(failed.get("reason").asString()).endsWith(path + " answered 404");
        assertThat(agent.requestsTo(path)).isEqualTo(1);
    }

    @Test
    void bodyCutShortOfItsContentLengthFailsTheTransfer() {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(6 * 1024 * 1024);
        byte[] sent = java.util.Arrays.copyOf(plaintext, 5 * 1024 * 1024 + 17);
        URI location = agent.serveCutShort("/artifacts/" + runId, sent, plaintext.length);

        publish(runId, artifactReady(runId, location, sha256(plaintext), plaintext.length));

        JsonNode failed = awaitFailed(runId);
        assertThat(failed.get("stage").asString()).isEqualTo("TRANSFER");
        assertThat(failed.get("retryable").asBoolean()).isTrue();
        assertThat(failed.get("reason").asString()).startsWith("truncated: expected " + plaintext.length + " bytes");
        assertNoObjects(runId);
    }

    @Test
    void fewerBytesThanAnnouncedInTheEventFailsAsTruncated() {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(6 * 1024 * 1024);
        byte[] served = java.util.Arrays.copyOf(plaintext, 6 * 1024 * 1024 - 1000);
        URI location = agent.serve("/artifacts/" + runId, served);

        publish(runId, artifactReady(runId, location, sha256(plaintext), plaintext.length));

        JsonNode failed = awaitFailed(runId);
        assertThat(failed.get("stage").asString()).isEqualTo("TRANSFER");
        assertThat(failed.get("retryable").asBoolean()).isFalse();
        assertThat(failed.get("reason").asString())
                .startsWith("truncated: expected " + plaintext.length + " bytes, got " + served.length);
        assertNoObjects(runId);
    }

    @Test
    void duplicateEventIdIsProcessedOnce() {
        UUID runId = UUID.randomUUID();
        String path = "/artifacts/" + runId;
        byte[] plaintext = artifact(4096);
        URI location = agent.serve(path, plaintext);
        UUID eventId = UUID.randomUUID();
        String event = artifactReady(runId, location, sha256(plaintext), plaintext.length);

        publish(eventId, runId, event);
        awaitOutcome(runId);
        publish(eventId, runId, event);
        // same key, same partition: once the next event is handled, the duplicate was handled before it
        UUID nextRun = UUID.randomUUID();
        byte[] next = artifact(2048);
        publish(nextRun, artifactReady(nextRun, agent.serve("/artifacts/" + nextRun, next), sha256(next),
                next.length));
        awaitOutcome(nextRun);

        assertThat(probe.records(Duration.ofMillis(200)).stream()
                .filter(r -> !r.topic().equals(Topics.BACKUP_PROGRESS) && isAbout(r, runId)).count())
                .isEqualTo(1);
        assertThat(agent.requestsTo(path)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from upload where run_id = ?").param(runId).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void eventMissingARequiredFieldIsDeadLettered() {
        UUID runId = UUID.randomUUID();
        String event = artifactReady(runId, URI.create("http://127.0.0.1:1/x"), sha256(new byte[0]), 0)
                .replace("\"location\"", "\"lost\"");
        publish(runId, event);

        ConsumerRecord<String, byte[]> dead = probe.awaitRecords(r -> r.topic().equals(DLQ) && isAbout(r, runId), 1,
                WAIT).get(0);
        assertThat(TopicProbe.header(dead, CloudEventHeaders.DLQ_REASON))
                .isEqualTo("malformed event: ArtifactReady: $: required property 'location' not found");
    }

    @Test
    void fileLocationOnASharedVolumeIsStored() throws IOException {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(300_000);
        Path staged = Files.write(SHARED_STAGING.resolve("staged-" + runId), plaintext);

        publish(runId, artifactReady(runId, staged.toUri(), sha256(plaintext), plaintext.length));

        ConsumerRecord<String, byte[]> record = awaitOutcome(runId);
        assertThat(record.topic()).as(TopicProbe.valueAsString(record)).isEqualTo(Topics.BACKUP_STORED);
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", TopicProbe.valueAsString(record));
    }

    @Test
    void aForgedFileLocationNamingTheUploadersOwnKeysetIsRefusedAndNothingIsStored() throws IOException {
        UUID runId = UUID.randomUUID();
        Path keyset = KEYS.resolve("keyset.json");
        byte[] content = Files.readAllBytes(keyset);

        publish(runId, artifactReady(runId, keyset.toUri(), sha256(content), content.length));

        ConsumerRecord<String, byte[]> record = awaitOutcome(runId);
        assertThat(record.topic()).isEqualTo(Topics.BACKUP_FAILED);
        assertThat(TopicProbe.valueAsString(record)).contains("outside backbus.uploader.file-roots")
                .doesNotContain(new String(content, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(s3().listObjectsV2(b -> b.bucket(BUCKET)).contents())
                .noneMatch(o -> o.key().contains(runId.toString()));
    }

    @Test
    void anArtifactReadyForARunNobodyRequestedIsDeadLetteredAndNothingIsStored() {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(1000);
        URI location = agent.serve("/artifacts/" + runId, plaintext);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.ARTIFACT_READY,
                ArtifactReadyMother.target(), headers(UUID.randomUUID(), runId),
                artifactReady(runId, location, sha256(plaintext), plaintext.length));

        ConsumerRecord<String, byte[]> dead = probe.awaitRecords(r -> r.topic().equals(DLQ) && isAbout(r, runId), 1,
                WAIT).get(0);
        assertThat(TopicProbe.header(dead, CloudEventHeaders.DLQ_REASON))
                .contains("ArtifactReady for run " + runId).contains("which no BackupRequested asked for");
        assertThat(agent.requestsTo("/artifacts/" + runId)).as("nothing pulled").isZero();
        assertThat(jdbc.sql("select count(*) from upload where run_id = ?").param(runId).query(Long.class).single())
                .isZero();
        assertThat(s3().listObjectsV2(b -> b.bucket(BUCKET)).contents())
                .noneMatch(o -> o.key().contains(runId.toString()));
    }

    @Test
    void anArtifactReadyNamingAnotherTargetThanTheRequestIsDeadLetteredAtOnce() {
        UUID runId = UUID.randomUUID();
        ArtifactReadyMother.requested(runId);
        byte[] plaintext = artifact(1000);
        URI location = agent.serve("/artifacts/" + runId, plaintext);
        String forged = artifactReady(runId, location, sha256(plaintext), plaintext.length)
                .replace("\"target\":\"" + ArtifactReadyMother.target() + "\"", "\"target\":\"billing\"");
        assertThat(forged).contains("\"target\":\"billing\"");
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.ARTIFACT_READY, "billing",
                headers(UUID.randomUUID(), runId), forged);

        ConsumerRecord<String, byte[]> dead = probe.awaitRecords(r -> r.topic().equals(DLQ) && isAbout(r, runId), 1,
                WAIT).get(0);
        assertThat(TopicProbe.header(dead, CloudEventHeaders.DLQ_REASON)).startsWith("malformed event: ")
                .contains("target 'billing'").contains("requested of agent");
        assertThat(agent.requestsTo("/artifacts/" + runId)).as("nothing pulled").isZero();
    }

    @Test
    void restoreArtifactsAreOpenToTheirSignatureMetricsToViewersKeysToAdmins() {
        URI base = URI.create("http://127.0.0.1:" + port);
        ApiAccessAssert.assertAccess(base, "GET", "/actuator/metrics", () -> null, ApiCallers.VIEWER, 200);
        // the key endpoints are the admin's (ADR 0011, 0012); listing changes nothing
        ApiAccessAssert.assertAccess(base, "GET", "/keys", () -> null, ApiCallers.ADMIN, 200);
        ApiAccessAssert.Answer unsigned = ApiAccessAssert.call(base, "GET", "/restore-artifacts/" + UUID.randomUUID()
                + "?expires=1&sig=bad", null, null);
        ApiAccessAssert.assertRefused(unsigned, 403, null);
        assertThat(unsigned.json().path("parameter").asText()).isEqualTo("sig");
        assertThat(ApiAccessAssert.call(base, "GET", "/actuator/health/readiness", null, null).status())
                .isEqualTo(200);
    }

    @Test
    void healthIsUp() {
        String health = RestClient.create("http://127.0.0.1:" + port).get().uri("/actuator/health").retrieve()
                .body(String.class);
        assertThat(health).contains("\"UP\"");
    }

    private static void publish(UUID runId, String event) {
        publish(UUID.randomUUID(), runId, event);
    }

    private static void publish(UUID eventId, UUID runId, String event) {
        ArtifactReadyMother.requested(runId);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.ARTIFACT_READY,
                ArtifactReadyMother.target(), headers(eventId, runId), event);
    }

    private static ConsumerRecord<String, byte[]> awaitOutcome(UUID runId) {
        return probe.awaitRecords(r -> !r.topic().equals(DLQ) && !r.topic().equals(Topics.BACKUP_PROGRESS)
                && isAbout(r, runId), 1, WAIT).get(0);
    }

    private static JsonNode awaitFailed(UUID runId) {
        ConsumerRecord<String, byte[]> record = awaitOutcome(runId);
        String json = TopicProbe.valueAsString(record);
        assertThat(record.topic()).as(json).isEqualTo(Topics.BACKUP_FAILED);
        assertCloudEvent(record, ArtifactReadyMother.target(), EventTypes.BACKUP_FAILED, runId);
        ContractAssertions.assertValid("schemas/backup-failed.v1.schema.json", json);
        assertThat(json).doesNotContain("SECRET-SIGNATURE").doesNotContain("sig=");
        return JSON.readTree(json);
    }

    private static boolean isProgressOf(ConsumerRecord<String, byte[]> record, UUID runId) {
        return record.topic().equals(Topics.BACKUP_PROGRESS) && isAbout(record, runId);
    }

    private static void assertNoObjects(UUID runId) {
        String prefix = "targets/orders/2026/11/23/" + runId + "/";
        assertThat(s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents()).isEmpty();
        assertThatThrownBy(() -> s3().headObject(b -> b.bucket(BUCKET).key(prefix + "artifact.enc")))
                .isInstanceOf(NoSuchKeyException.class);
        assertNoMultipartUploadsLeft(prefix);
    }

    private static void assertNoMultipartUploadsLeft(String prefix) {
        assertThat(s3().listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()).isEmpty();
    }
}
