package io.backbus.uploader;

import static io.backbus.uploader.ArtifactReadyMother.artifact;
import static io.backbus.uploader.ArtifactReadyMother.artifactReady;
import static io.backbus.uploader.ArtifactReadyMother.sha256;
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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An uploader killed mid-upload (ADR 0013), against real Kafka, PostgreSQL and S3Mock. A dead owner is simulated as
 * what {@code kill -9} leaves behind: its claim row (another instance's name, a lease that ran out) and its open
 * multipart upload with a part in it. {@link ArtifactServer} stands in for the dump agent, another service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// the other ITs' contexts consume in the same consumer group: only one of them may be running at a time
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CrashRecoveryIT extends UploaderIntegrationTest {

    private static final String BUCKET = "uploader-crash-recovery-it";
    private static final String ME = "uploader-crash-it";
    private static final String DEAD = "uploader-killed-4711";
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Path KEYS = tempDir("uploader-crash-it-keys");
    private static ArtifactServer agent;
    private static TopicProbe probe;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        uploaderProperties(registry, "uploader", BUCKET, KEYS);
        // the default 10 minutes: the takeovers below must not come from waiting it out
        registry.add("backbus.uploader.streaming-wait", () -> "10m");
        registry.add("backbus.uploader.claims.lease", LEASE::toString);
        registry.add("backbus.uploader.claims.instance-name", () -> ME);
        registry.add("backbus.uploader.claims.sweep-interval", () -> "1s");
    }

    @BeforeAll
    static void start() {
        agent = ArtifactServer.start();
        probe = TopicProbe.open(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_STORED, Topics.BACKUP_FAILED);
    }

    @AfterAll
    static void stop() {
        probe.close();
        agent.close();
    }

    @Test
    void aDeadOwnersExpiredClaimIsTakenOverAtOnceAndItsMultipartUploadAborted() throws IOException {
        UUID runId = UUID.randomUUID();
        String key = prefix(runId) + "artifact.enc";
        writeClaim(runId, "STREAMING", key, DEAD, Instant.now().minus(LEASE.multipliedBy(2)));
        String orphan = openUploadWithAPart(key);
        byte[] plaintext = artifact(6 * 1024 * 1024 + 3);
        String stagedPath = "/artifacts/" + runId;
        long started = System.nanoTime();

        publishReady(runId, artifactReady(runId, agent.serve(stagedPath, plaintext), sha256(plaintext),
                plaintext.length));

        JsonNode stored = awaitStored(runId);
        // no waiting out streaming-wait (10 min) nor even the lease: the claim had run out already
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertStoredIs(runId, stored, plaintext);
        assertThat(agent.requestsTo(stagedPath)).isEqualTo(1);
        assertThat(openUploadIds(prefix(runId))).doesNotContain(orphan).isEmpty();
        assertThat(claimOwner(runId)).isEqualTo(ME);
    }

    @Test
    void aLiveClaimOfAnotherInstanceIsNotTakenUntilItsLeaseRunsOut() throws IOException {
        UUID runId = UUID.randomUUID();
        String key = prefix(runId) + "artifact.enc";
        writeClaim(runId, "STREAMING", key, "uploader-alive", Instant.now().plus(Duration.ofHours(1)));
        String livePart = openUploadWithAPart(key);
        byte[] plaintext = artifact(300_000);
        String stagedPath = "/artifacts/" + runId;

        publishReady(runId, artifactReady(runId, agent.serve(stagedPath, plaintext), sha256(plaintext),
                plaintext.length));

        // the live owner keeps the run and its upload, across several sweeps, and nothing is pulled meanwhile
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> agent.requestsTo(stagedPath) == 0 && outcomes(runId).isEmpty());
        assertThat(claimOwner(runId)).isEqualTo("uploader-alive");
        assertThat(claimState(runId)).isEqualTo("STREAMING");
        assertThat(openUploadIds(prefix(runId))).containsExactly(livePart);

        // the owner dies: its lease is not renewed any more and runs out
        jdbc.sql("update streamed_upload set lease_until = ? where run_id = ?")
                .params(Timestamp.from(Instant.now().minusSeconds(1)), runId).update();

        assertStoredIs(runId, awaitStored(runId), plaintext);
        assertThat(openUploadIds(prefix(runId))).isEmpty();
    }

    @Test
    void aClaimInThisInstancesOwnNameFromBeforeARestartIsTakenOverAtOnce() throws IOException {
        UUID runId = UUID.randomUUID();
        String key = prefix(runId) + "artifact.enc";
        // same instance-name, lease still running: the restarted process knows it is not working on the run
        writeClaim(runId, "PULLING", key, ME, Instant.now().plus(Duration.ofHours(1)));
        openUploadWithAPart(key);
        byte[] plaintext = artifact(200_000);

        publishReady(runId, artifactReady(runId, agent.serve("/artifacts/" + runId, plaintext), sha256(plaintext),
                plaintext.length));

        assertStoredIs(runId, awaitStored(runId), plaintext);
        assertThat(openUploadIds(prefix(runId))).isEmpty();
    }

    @Test
    void theSweepAbortsAnAbandonedUploadButNotOneUnderALiveClaimNorOneWhoseKeyHoldsAnObject() {
        UUID abandonedRun = UUID.randomUUID();
        UUID liveRun = UUID.randomUUID();
        UUID storedRun = UUID.randomUUID();
        String abandoned = openUploadWithAPart(prefix(abandonedRun) + "artifact.enc");
        String liveKey = prefix(liveRun) + "artifact.enc";
        writeClaim(liveRun, "PULLING", liveKey, "uploader-alive", Instant.now().plus(Duration.ofHours(1)));
        String live = openUploadWithAPart(liveKey);
        // S3Mock deletes a key's complete object when an upload of that key is aborted (S3 does not): such an
        // upload is skipped, so that the sweep can never delete a stored backup
        String storedKey = prefix(storedRun) + "artifact.enc";
        s3().putObject(b -> b.bucket(BUCKET).key(storedKey), RequestBody.fromString("a stored backup"));
        String besideAnObject = openUploadWithAPart(storedKey);

        // older than twice the lease and no live claim: aborted at the next sweep
        await().atMost(Duration.ofSeconds(30)).until(() -> openUploadIds(prefix(abandonedRun)).isEmpty());
        assertThat(openUploadIds(prefix(abandonedRun))).doesNotContain(abandoned);
        // a few sweeps later the other two are still there, and so is the object
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> openUploadIds(prefix(liveRun)).equals(List.of(live))
                        && openUploadIds(prefix(storedRun)).equals(List.of(besideAnObject)));
        assertThat(s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(storedKey)).asUtf8String())
                .isEqualTo("a stored backup");

        s3().abortMultipartUpload(b -> b.bucket(BUCKET).key(liveKey).uploadId(live));
    }

    /** What {@code kill -9} of an uploader mid-upload leaves in its database: the claim it held. */
    private void writeClaim(UUID runId, String state, String key, String owner, Instant leaseUntil) {
        jdbc.sql("""
                insert into streamed_upload (run_id, state, artifact_key, owner, lease_until, updated_at)
                values (?, ?, ?, ?, ?, ?)""")
                .params(runId, state, key, owner, Timestamp.from(leaseUntil),
                        Timestamp.from(Instant.now().minusSeconds(60)))
                .update();
    }

    /** ... and in the bucket: a multipart upload with a part stored, never completed nor aborted. */
    private static String openUploadWithAPart(String key) {
        String uploadId = s3().createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        s3().uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(artifact(64 * 1024)));
        return uploadId;
    }

    private static List<String> openUploadIds(String prefix) {
        return s3().listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads().stream()
                .map(u -> u.uploadId()).toList();
    }

    private String claimOwner(UUID runId) {
        return jdbc.sql("select owner from streamed_upload where run_id = ?").param(runId).query(String.class)
                .single();
    }

    private String claimState(UUID runId) {
        return jdbc.sql("select state from streamed_upload where run_id = ?").param(runId).query(String.class)
                .single();
    }

    /** Stored names the run's keys and checksums; the object decrypts to the artifact. */
    private static void assertStoredIs(UUID runId, JsonNode stored, byte[] plaintext) throws IOException {
        String key = prefix(runId) + "artifact.enc";
        assertThat(stored.get("objectKey").asString()).isEqualTo(key);
        assertThat(stored.get("plaintextSha256").asString()).isEqualTo(sha256(plaintext));
        byte[] object = s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        assertThat(object.length).isEqualTo(stored.get("ciphertextSize").asLong());
        assertThat(sha256(object)).isEqualTo(stored.get("ciphertextSha256").asString());
        KeysetStore keys = KeysetStore.openOrCreate(KEYS.resolve("master-key.json"), KEYS.resolve("keyset.json"));
        try (InputStream decrypted = new ArtifactCipher(keys).decryptingStream(
                s3().getObject(b -> b.bucket(BUCKET).key(key)), key)) {
            assertThat(decrypted.readAllBytes()).isEqualTo(plaintext);
        }
    }

    private static JsonNode awaitStored(UUID runId) {
        ConsumerRecord<String, byte[]> record = probe.awaitRecords(r -> isOutcome(r) && isAbout(r, runId), 1, WAIT)
                .get(0);
        String json = TopicProbe.valueAsString(record);
        assertThat(record.topic()).as(json).isEqualTo(Topics.BACKUP_STORED);
        assertCloudEvent(record, ArtifactReadyMother.target(), EventTypes.BACKUP_STORED, runId);
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", json);
        return JSON.readTree(json);
    }

    private static List<ConsumerRecord<String, byte[]>> outcomes(UUID runId) {
        return probe.records(Duration.ofMillis(100)).stream().filter(r -> isOutcome(r) && isAbout(r, runId))
                .toList();
    }

    private static boolean isOutcome(ConsumerRecord<String, byte[]> r) {
        return r.topic().equals(Topics.BACKUP_STORED) || r.topic().equals(Topics.BACKUP_FAILED);
    }

    private static String prefix(UUID runId) {
        return "targets/orders/2026/11/23/" + runId + "/";
    }

    private static void publishReady(UUID runId, String event) {
        ArtifactReadyMother.requested(runId);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.ARTIFACT_READY,
                ArtifactReadyMother.target(), ArtifactReadyMother.headers(UUID.randomUUID(), runId), event);
    }
}
