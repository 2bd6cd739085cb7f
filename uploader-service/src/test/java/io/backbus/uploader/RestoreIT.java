package io.backbus.uploader;

import static io.backbus.uploader.ArtifactReadyMother.artifact;
import static io.backbus.uploader.ArtifactReadyMother.artifactReady;
import static io.backbus.uploader.ArtifactReadyMother.sha256;
import static io.backbus.uploader.RestoreRequestedMother.restoreId;
import static io.backbus.uploader.RestoreRequestedMother.restoreOfMissingObject;
import static io.backbus.uploader.RestoreRequestedMother.restoreRequested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreRequested;
import io.backbus.contracts.Topics;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.crypto.UrlSigner;
import io.backbus.delivery.EventCodec;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import io.backbus.uploader.domain.PendingThaw;
import io.backbus.uploader.domain.RestoreThawStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.StorageClass;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The uploader's half of a restore against real Kafka, PostgreSQL and S3Mock: backups are stored by the real backup
 * path of this service, then restored. The uploader's S3 endpoint is {@link S3RestoreProxy}, which forwards
 * everything to S3Mock and adds the cold-tier thawing S3Mock does not have.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
// UploaderServiceIT's context consumes in the same consumer group: only one of them may be running at a time
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RestoreIT extends UploaderIntegrationTest {

    private static final String BUCKET = "restore-it";
    private static final String GROUP = "uploader-service";
    private static final String DLQ = Topics.deadLetter(Topics.RESTORE_REQUESTED, GROUP);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration THAW_TIMEOUT = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INTEGRITY_REASON = " failed its integrity check: the ciphertext does not "
            + "authenticate (the object is corrupt or was encrypted with a key this uploader does not hold); "
            + "nothing was written to the destination";

    private static final Path KEYS = tempDir("restore-it-keys");
    private static final S3RestoreProxy S3_PROXY = S3RestoreProxy.start(TestServers.get().s3Endpoint());
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static ArtifactServer agent;
    private static TopicProbe probe;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RestoreThawStore thaws;

    @Autowired
    EventCodec codec;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        uploaderProperties(registry, "uploader_restore", BUCKET, KEYS);
        registry.add("backbus.s3.endpoint", () -> S3_PROXY.endpoint().toString());
        registry.add("backbus.uploader.progress-interval", () -> "100ms");
        registry.add("backbus.uploader.restore.thaw-poll-interval", () -> "300ms");
        registry.add("backbus.uploader.restore.thaw-timeout", () -> THAW_TIMEOUT.toSeconds() + "s");
    }

    @BeforeAll
    static void start() {
        agent = ArtifactServer.start();
        probe = TopicProbe.open(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_STORED,
                Topics.BACKUP_FAILED, Topics.RESTORE_ARTIFACT_READY, Topics.RESTORE_FAILED, Topics.RESTORE_PROGRESS,
                DLQ);
    }

    @AfterAll
    static void stop() {
        probe.close();
        agent.close();
        S3_PROXY.close();
    }

    @Test
    void contractSampleOfAStoredBackupIsCheckedAndServedDecryptedBehindItsSignedUrl(CapturedOutput output)
            throws Exception {
        byte[] plaintext = artifact(3 * 1024 * 1024 + 4321);
        JsonNode stored = storeBackup(plaintext);
        ObjectNode request = restoreRequested(stored);
        UUID restoreId = restoreId(request);

        publish(request);

        JsonNode ready = awaitReady(restoreId);
        assertThat(ready.get("restoreId").asString()).isEqualTo(restoreId.toString());
        for (String field : List.of("backupId", "runId", "planId", "purpose", "target", "destination", "options",
                "smokeQueries")) {
            assertThat(ready.get(field)).as(field).isEqualTo(request.get(field));
        }
        assertThat(ready.get("sha256").asString()).isEqualTo(sha256(plaintext));
        assertThat(ready.get("sizeBytes").asLong()).isEqualTo(plaintext.length);
        assertThat(ready.get("manifest")).isEqualTo(stored.get("manifest"));
        Instant expiresAt = Instant.parse(ready.get("expiresAt").asString());
        assertThat(expiresAt).isBetween(Instant.now().plus(Duration.ofHours(6)).minusSeconds(120),
                Instant.now().plus(Duration.ofHours(6)).plusSeconds(1));
        String location = ready.get("location").asString();
        String base = "http://127.0.0.1:" + port + "/restore-artifacts/" + restoreId;
        assertThat(location).matches(java.util.regex.Pattern.quote(base) + "\\?expires="
                + expiresAt.getEpochSecond() + "&sig=[0-9a-f]{64}");
        assertThat(jdbc.sql("select sha256, size_bytes, object_key from restore_artifact where restore_id = ?")
                .param(restoreId).query((rs, n) -> rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3))
                .single()).isEqualTo(sha256(plaintext) + "|" + plaintext.length + "|"
                        + stored.get("objectKey").asString());

        // the check pass reported its progress over the ciphertext, the last report with every byte
        long ciphertextSize = stored.get("ciphertextSize").asLong();
        probe.awaitRecords(r -> isProgressOf(r, restoreId)
                && JSON.readTree(TopicProbe.valueAsString(r)).get("bytes").asLong() == ciphertextSize, 1, WAIT);
        for (ConsumerRecord<String, byte[]> r : probe.records(Duration.ofMillis(100)).stream()
                .filter(r -> isProgressOf(r, restoreId)).toList()) {
            String json = TopicProbe.valueAsString(r);
            ContractAssertions.assertValid("schemas/restore-progress.v1.schema.json", json);
            assertCloudEvent(r, RestoreRequestedMother.target(), EventTypes.RESTORE_PROGRESS, restoreId);
            JsonNode p = JSON.readTree(json);
            assertThat(p.get("stage").asString()).isEqualTo("INTEGRITY");
            assertThat(p.get("totalBytes").asLong()).isEqualTo(ciphertextSize);
            assertThat(p.get("bytes").asLong()).isBetween(0L, ciphertextSize);
        }

        // whoever holds the URL gets exactly the original artifact
        HttpResponse<byte[]> download = get(location);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(plaintext.length);
        assertThat(sha256(download.body())).isEqualTo(sha256(plaintext));
        assertThat(download.body()).isEqualTo(plaintext);
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(location))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(plaintext.length);
        assertThat(head.headers().firstValue("X-Checksum-SHA256")).hasValue(sha256(plaintext));

        // a tampered signature is refused
        String sig = location.substring(location.indexOf("&sig=") + 5);
        String tampered = location.substring(0, location.length() - 1) + (location.endsWith("0") ? "1" : "0");
        HttpResponse<byte[]> forbidden = get(tampered);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertProblem(forbidden, "signature");

        // a correctly signed URL that expired is gone; the key was generated beside the keyset, owner-only
        Path keyFile = KEYS.resolve(".restore-url-signing-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        UrlSigner signer = new UrlSigner(HexFormat.of().parseHex(Files.readString(keyFile).strip()),
                Clock.systemUTC());
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        HttpResponse<byte[]> expired = get(base + "?expires=" + past + "&sig=" + signer.sign(restoreId.toString(),
                past));
        assertThat(expired.statusCode()).isEqualTo(403);
        assertProblem(expired, "expired");

        // a correctly signed URL of a restore this uploader does not serve
        UUID unknown = UUID.randomUUID();
        long future = Instant.now().plusSeconds(600).getEpochSecond();
        HttpResponse<byte[]> notFound = get("http://127.0.0.1:" + port + "/restore-artifacts/" + unknown
                + "?expires=" + future + "&sig=" + signer.sign(unknown.toString(), future));
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertProblem(notFound, unknown.toString());

        assertThat(output.getAll()).doesNotContain(sig);
    }

    @Test
    void oneFlippedByteInTheStoredObjectFailsTheIntegrityCheckAndNothingIsServed() {
        byte[] plaintext = artifact(2 * 1024 * 1024 + 77);
        JsonNode stored = storeBackup(plaintext);
        String key = stored.get("objectKey").asString();
        byte[] object = s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        object[object.length / 2] ^= 0x01;
        s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(object));
        ObjectNode request = restoreRequested(stored);
        UUID restoreId = restoreId(request);

        publish(request);

        JsonNode failed = awaitFailed(restoreId);
        assertThat(failed.get("stage").asString()).isEqualTo("INTEGRITY");
        assertThat(failed.get("reason").asString()).isEqualTo("backup " + stored.get("backupId").asString()
                + INTEGRITY_REASON);
        assertThat(failed.get("destinationTouched").asBoolean()).isFalse();
        assertThat(failed.get("destination")).isEqualTo(request.get("destination"));
        assertNoArtifactReady(restoreId);
    }

    @Test
    void objectEncryptedWithAKeyThisUploaderDoesNotHoldFailsTheIntegrityCheck() throws IOException {
        byte[] plaintext = artifact(1024 * 1024 + 3);
        UUID runId = UUID.randomUUID();
        String prefix = "targets/orders/2026/11/23/" + runId + "/";
        // a backup written by another uploader, with its own keyset, and a manifest that matches it exactly
        Path otherKeys = Files.createTempDirectory("restore-it-other-keys");
        ArtifactCipher other = new ArtifactCipher(KeysetStore.openOrCreate(otherKeys.resolve("master-key.json"),
                otherKeys.resolve("keyset.json")));
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream();
        try (OutputStream encrypting = other.encryptingStream(ciphertext, prefix + "artifact.enc")) {
            encrypting.write(plaintext);
        }
        byte[] object = ciphertext.toByteArray();
        s3().putObject(b -> b.bucket(BUCKET).key(prefix + "artifact.enc"), RequestBody.fromBytes(object));
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("kind", "backbus.artifact-manifest").put("manifestVersion", 1)
                .put("runId", runId.toString()).put("backupId", UUID.randomUUID().toString())
                .put("agentId", "db-host-1").put("target", "orders").put("bucket", BUCKET)
                .put("objectKey", prefix + "artifact.enc").put("manifestKey", prefix + "manifest.json")
                .put("plaintextSize", plaintext.length).put("plaintextSha256", sha256(plaintext))
                .put("ciphertextSize", object.length).put("ciphertextSha256", sha256(object))
                .put("encryption", ArtifactCipher.SCHEME).put("keyId", "12345").put("storedAt", Instant.now()
                        .toString())
                .set("manifest", JSON.readTree(ContractAssertions.sample("artifact-ready.v1")).get("manifest"));
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", manifest.toString());
        s3().putObject(b -> b.bucket(BUCKET).key(prefix + "manifest.json"), RequestBody.fromString(
                manifest.toString()));
        ObjectNode request = restoreRequested(manifest);

        publish(request);

        JsonNode failed = awaitFailed(restoreId(request));
        assertThat(failed.get("stage").asString()).isEqualTo("INTEGRITY");
        assertThat(failed.get("reason").asString()).isEqualTo("backup " + manifest.get("backupId").asString()
                + INTEGRITY_REASON);
        assertNoArtifactReady(restoreId(request));
    }

    @Test
    void manifestDisagreeingWithTheCatalogFailsNamingTheField() {
        JsonNode stored = storeBackup(artifact(200_000));
        String manifestKey = stored.get("manifestKey").asString();
        ObjectNode manifest = (ObjectNode) JSON.readTree(s3().getObjectAsBytes(b -> b.bucket(BUCKET)
                .key(manifestKey)).asUtf8String());
        String otherSha = sha256("another artifact".getBytes(StandardCharsets.UTF_8));
        manifest.put("plaintextSha256", otherSha);
        s3().putObject(b -> b.bucket(BUCKET).key(manifestKey), RequestBody.fromString(manifest.toString()));
        ObjectNode request = restoreRequested(stored);

        publish(request);

        JsonNode failed = awaitFailed(restoreId(request));
        assertThat(failed.get("stage").asString()).isEqualTo("INTEGRITY");
        assertThat(failed.get("reason").asString()).isEqualTo("manifest " + manifestKey
                + " disagrees with the catalog: plaintextSha256 is " + otherSha + ", catalog says "
                + stored.get("plaintextSha256").asString());
        assertNoArtifactReady(restoreId(request));
    }

    @Test
    void unreadableManifestFailsTheIntegrityCheckAndAMissingOneFailsTheFetch() {
        JsonNode unreadable = storeBackup(artifact(100_000));
        String unreadableKey = unreadable.get("manifestKey").asString();
        s3().putObject(b -> b.bucket(BUCKET).key(unreadableKey), RequestBody.fromString("{\"kind\": "));
        JsonNode missing = storeBackup(artifact(100_001));
        String missingKey = missing.get("manifestKey").asString();
        s3().deleteObject(b -> b.bucket(BUCKET).key(missingKey));
        ObjectNode first = restoreRequested(unreadable);
        ObjectNode second = restoreRequested(missing);

        publish(first);
        publish(second);

        JsonNode failed = awaitFailed(restoreId(first));
        assertThat(failed.get("stage").asString()).isEqualTo("INTEGRITY");
        assertThat(failed.get("reason").asString()).startsWith("manifest " + unreadableKey
                + " is not a readable backbus manifest: ");
        JsonNode fetch = awaitFailed(restoreId(second));
        assertThat(fetch.get("stage").asString()).isEqualTo("FETCH");
        assertThat(fetch.get("reason").asString()).isEqualTo("backup " + missing.get("backupId").asString()
                + ": manifest " + missingKey + " is not in bucket " + BUCKET + " (expired or deleted)");
    }

    @Test
    void missingObjectFailsTheFetch() {
        ObjectNode request = restoreOfMissingObject(BUCKET);

        publish(request);

        JsonNode failed = awaitFailed(restoreId(request));
        assertThat(failed.get("stage").asString()).isEqualTo("FETCH");
        assertThat(failed.get("reason").asString()).isEqualTo("backup " + request.get("backupId").asString()
                + ": object " + request.get("objectKey").asString() + " is not in bucket " + BUCKET
                + " (expired or deleted)");
        assertThat(failed.get("destinationTouched").asBoolean()).isFalse();
    }

    @Test
    void glacierObjectIsThawedWithRestoreObjectWithoutHoldingTheConsumerThenRestored() {
        byte[] plaintext = artifact(1024 * 1024 + 99);
        JsonNode stored = storeBackup(plaintext);
        String key = stored.get("objectKey").asString();
        moveToGlacier(key);
        ObjectNode request = restoreRequested(stored);
        UUID restoreId = restoreId(request);

        publish(request);

        // RestoreObject went out with the configured days and tier; the restore waits in the database
        await().atMost(WAIT).until(() -> !S3_PROXY.restoreRequests(BUCKET, key).isEmpty());
        assertThat(S3_PROXY.restoreRequests(BUCKET, key).get(0)).contains("<Days>1</Days>")
                .contains("<Tier>Standard</Tier>");
        await().atMost(WAIT).until(() -> pendingThaws(restoreId) == 1);
        // meanwhile the consumer is free: a later restore is answered while this one waits
        ObjectNode later = restoreOfMissingObject(BUCKET);
        publish(later);
        awaitFailed(restoreId(later));
        // and the poller keeps checking the pending thaw, without asking S3 again
        await().atMost(WAIT).until(() -> thawChecks(restoreId) >= 2);
        assertThat(outcomes(restoreId)).isEmpty();

        S3_PROXY.finishThaw(BUCKET, key);

        JsonNode ready = awaitReady(restoreId);
        assertThat(ready.get("sha256").asString()).isEqualTo(sha256(plaintext));
        assertThat(get(ready.get("location").asString()).body()).isEqualTo(plaintext);
        assertThat(pendingThaws(restoreId)).isZero();
        // checks while the thaw was under way did not ask again
        assertThat(S3_PROXY.restoreRequests(BUCKET, key)).hasSize(1);
    }

    @Test
    void thawAlreadyUnderWayIsWaitedForWithoutRequestingAnother() {
        byte[] plaintext = artifact(70_000);
        JsonNode stored = storeBackup(plaintext);
        String key = stored.get("objectKey").asString();
        moveToGlacier(key);
        S3_PROXY.thawRequestedElsewhere(BUCKET, key);
        ObjectNode request = restoreRequested(stored);
        UUID restoreId = restoreId(request);

        publish(request);

        await().atMost(WAIT).until(() -> thawChecks(restoreId) >= 1);
        S3_PROXY.finishThaw(BUCKET, key);
        assertThat(awaitReady(restoreId).get("sizeBytes").asLong()).isEqualTo(plaintext.length);
        assertThat(S3_PROXY.restoreRequests(BUCKET, key)).isEmpty();
    }

    @Test
    void transientS3ErrorsAreRetriedInPlaceAndPersistentOnesFailTheFetchWithTheS3Code() {
        JsonNode recovers = storeBackup(artifact(30_000));
        JsonNode keepsFailing = storeBackup(artifact(30_001));
        String recoversKey = recovers.get("manifestKey").asString();
        String failingKey = keepsFailing.get("manifestKey").asString();
        S3_PROXY.failGets(BUCKET, recoversKey, 2);
        S3_PROXY.failGets(BUCKET, failingKey, 1000);
        ObjectNode first = restoreRequested(recovers);
        ObjectNode second = restoreRequested(keepsFailing);

        publish(first);
        publish(second);

        awaitReady(restoreId(first));
        assertThat(S3_PROXY.gets(BUCKET, recoversKey)).isEqualTo(3);
        JsonNode failed = awaitFailed(restoreId(second));
        assertThat(failed.get("stage").asString()).isEqualTo("FETCH");
        assertThat(failed.get("reason").asString()).isEqualTo("backup " + keepsFailing.get("backupId").asString()
                + ": GetObject " + failingKey + " failed: InternalError: We encountered an internal error. Please "
                + "try again. (after 4 attempts)");
        // 4 attempts of ours, each with the SDK's one quick retry
        assertThat(S3_PROXY.gets(BUCKET, failingKey)).isEqualTo(8);
    }

    @Test
    void thawThatDoesNotFinishInTimeFailsTheFetch() {
        JsonNode stored = storeBackup(artifact(50_000));
        String key = stored.get("objectKey").asString();
        moveToGlacier(key);
        ObjectNode request = restoreRequested(stored);
        UUID restoreId = restoreId(request);

        publish(request);

        JsonNode failed = awaitFailed(restoreId, WAIT.plus(THAW_TIMEOUT));
        assertThat(failed.get("stage").asString()).isEqualTo("FETCH");
        assertThat(failed.get("reason").asString()).isEqualTo("backup " + stored.get("backupId").asString()
                + ": cold-tier thaw of " + key + " did not finish within " + THAW_TIMEOUT.toSeconds()
                + "s (backbus.uploader.restore.thaw-timeout)");
        assertThat(S3_PROXY.restoreRequests(BUCKET, key)).hasSize(1);
        assertThat(pendingThaws(restoreId)).isZero();
    }

    @Test
    void aClaimedThawIsLeftToItsHolderUntilItsLeaseRunsOutAndOnlyTheCurrentHolderFinishesIt() {
        RestoreRequested request = codec.decode(restoreOfMissingObject(BUCKET).toString()
                .getBytes(StandardCharsets.UTF_8), RestoreRequested.class);
        // due long after anything the running poller would pick up, as seen by two replicas
        Instant due = Instant.parse("2100-01-01T00:00:00Z");
        Duration lease = Duration.ofHours(1);
        assertThat(thaws.insertIfAbsent(request, due, due, due.plus(Duration.ofHours(48)))).isTrue();
        assertThat(thaws.insertIfAbsent(request, due, due, due.plus(Duration.ofHours(48)))).isFalse();

        PendingThaw first = thaws.claimDue(due, due.plus(lease)).orElseThrow();
        Optional<PendingThaw> whileLeased = thaws.claimDue(due.plus(Duration.ofMinutes(59)), due.plus(lease));
        PendingThaw takeover = thaws.claimDue(due.plus(lease), due.plus(lease).plus(lease)).orElseThrow();

        assertThat(first.request()).isEqualTo(request);
        assertThat(first.deadline()).isEqualTo(due.plus(Duration.ofHours(48)));
        assertThat(whileLeased).isEmpty();
        assertThat(takeover.request().restoreId()).isEqualTo(request.restoreId());
        assertThat(thaws.reschedule(first, due)).isFalse();
        assertThat(thaws.finish(first)).isFalse();
        assertThat(thaws.finish(takeover)).isTrue();
        assertThat(pendingThaws(request.restoreId())).isZero();
    }

    @Test
    void decryptionFailingMidDownloadCutsTheResponseShort(CapturedOutput output) throws Exception {
        byte[] plaintext = artifact(3 * 1024 * 1024 + 500);
        JsonNode stored = storeBackup(plaintext);
        ObjectNode request = restoreRequested(stored);
        UUID restoreId = restoreId(request);
        publish(request);
        String location = awaitReady(restoreId).get("location").asString();
        // after the check pass, the object is damaged in its last segment
        String key = stored.get("objectKey").asString();
        byte[] object = s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        object[object.length - 100] ^= 0x01;
        s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(object));

        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(plaintext.length);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        assertThatThrownBy(() -> {
            try (InputStream body = response.body()) {
                body.transferTo(received);
            }
        }).isInstanceOf(IOException.class);
        // only authenticated plaintext went out, then the connection was cut: a short body, nothing appended
        assertThat(received.size()).isGreaterThan(0).isLessThan(plaintext.length);
        assertThat(received.toByteArray()).isEqualTo(java.util.Arrays.copyOf(plaintext, received.size()));
        String sig = location.substring(location.indexOf("&sig=") + 5);
        await().atMost(WAIT).until(() -> output.getAll().contains("restore " + restoreId + ": serving backup "));
        assertThat(output.getAll()).contains("does not authenticate").doesNotContain(sig);
    }

    @Test
    void duplicateEventIdIsProcessedOnce() {
        JsonNode stored = storeBackup(artifact(10_000));
        ObjectNode request = restoreRequested(stored);
        UUID restoreId = restoreId(request);
        UUID eventId = UUID.randomUUID();

        publish(eventId, request);
        awaitReady(restoreId);
        publish(eventId, request);
        // same key, same partition: once the next request is answered, the duplicate was handled before it
        ObjectNode next = restoreOfMissingObject(BUCKET);
        publish(next);
        awaitFailed(restoreId(next));

        assertThat(outcomes(restoreId)).hasSize(1);
        assertThat(jdbc.sql("select count(*) from processed_event where event_id = ?").param(eventId)
                .query(Long.class).single()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Runs the real backup path: ArtifactReady from a stand-in agent → Stored. */
    private JsonNode storeBackup(byte[] plaintext) {
        UUID runId = UUID.randomUUID();
        URI location = agent.serve("/artifacts/" + runId, plaintext);
        ArtifactReadyMother.requested(runId);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.ARTIFACT_READY,
                ArtifactReadyMother.target(), ArtifactReadyMother.headers(UUID.randomUUID(), runId),
                artifactReady(runId, location, sha256(plaintext), plaintext.length));
        ConsumerRecord<String, byte[]> record = probe.awaitRecords(r -> (r.topic().equals(Topics.BACKUP_STORED)
                || r.topic().equals(Topics.BACKUP_FAILED)) && isAbout(r, runId), 1, WAIT).get(0);
        assertThat(record.topic()).as(TopicProbe.valueAsString(record)).isEqualTo(Topics.BACKUP_STORED);
        return JSON.readTree(TopicProbe.valueAsString(record));
    }

    private static void moveToGlacier(String key) {
        s3().copyObject(b -> b.sourceBucket(BUCKET).sourceKey(key).destinationBucket(BUCKET).destinationKey(key)
                .storageClass(StorageClass.GLACIER));
        assertThat(s3().headObject(b -> b.bucket(BUCKET).key(key)).storageClass()).isEqualTo(StorageClass.GLACIER);
    }

    private static void publish(ObjectNode request) {
        publish(UUID.randomUUID(), request);
    }

    private static void publish(UUID eventId, ObjectNode request) {
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.RESTORE_REQUESTED,
                RestoreRequestedMother.target(), RestoreRequestedMother.headers(eventId, restoreId(request)),
                request.toString());
    }

    private static JsonNode awaitReady(UUID restoreId) {
        ConsumerRecord<String, byte[]> record = awaitOutcome(restoreId, WAIT);
        String json = TopicProbe.valueAsString(record);
        assertThat(record.topic()).as(json).isEqualTo(Topics.RESTORE_ARTIFACT_READY);
        assertCloudEvent(record, RestoreRequestedMother.target(), EventTypes.RESTORE_ARTIFACT_READY, restoreId);
        ContractAssertions.assertValid("schemas/restore-artifact-ready.v1.schema.json", json);
        return JSON.readTree(json);
    }

    private static JsonNode awaitFailed(UUID restoreId) {
        return awaitFailed(restoreId, WAIT);
    }

    private static JsonNode awaitFailed(UUID restoreId, Duration timeout) {
        ConsumerRecord<String, byte[]> record = awaitOutcome(restoreId, timeout);
        String json = TopicProbe.valueAsString(record);
        assertThat(record.topic()).as(json).isEqualTo(Topics.RESTORE_FAILED);
        assertCloudEvent(record, RestoreRequestedMother.target(), EventTypes.RESTORE_FAILED, restoreId);
        ContractAssertions.assertValid("schemas/restore-failed.v1.schema.json", json);
        JsonNode failed = JSON.readTree(json);
        assertThat(failed.get("destinationTouched").asBoolean()).isFalse();
        return failed;
    }

    private static ConsumerRecord<String, byte[]> awaitOutcome(UUID restoreId, Duration timeout) {
        return probe.awaitRecords(r -> isOutcome(r) && isAbout(r, restoreId), 1, timeout).get(0);
    }

    private static List<ConsumerRecord<String, byte[]>> outcomes(UUID restoreId) {
        return probe.records(Duration.ofMillis(200)).stream().filter(r -> isOutcome(r) && isAbout(r, restoreId))
                .toList();
    }

    private void assertNoArtifactReady(UUID restoreId) {
        assertThat(outcomes(restoreId)).extracting(ConsumerRecord::topic).containsExactly(Topics.RESTORE_FAILED);
        assertThat(jdbc.sql("select count(*) from restore_artifact where restore_id = ?").param(restoreId)
                .query(Long.class).single()).isZero();
    }

    private long pendingThaws(UUID restoreId) {
        return jdbc.sql("select count(*) from restore_thaw where restore_id = ?").param(restoreId)
                .query(Long.class).single();
    }

    private long thawChecks(UUID restoreId) {
        return jdbc.sql("select coalesce(max(checks), 0) from restore_thaw where restore_id = ?").param(restoreId)
                .query(Long.class).single();
    }

    private static boolean isOutcome(ConsumerRecord<String, byte[]> r) {
        return r.topic().equals(Topics.RESTORE_ARTIFACT_READY) || r.topic().equals(Topics.RESTORE_FAILED);
    }

    private static boolean isProgressOf(ConsumerRecord<String, byte[]> r, UUID restoreId) {
        return r.topic().equals(Topics.RESTORE_PROGRESS) && isAbout(r, restoreId);
    }

    private static void assertProblem(HttpResponse<byte[]> response, String detailContains) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.get("detail").asString()).contains(detailContains);
    }

    private static HttpResponse<byte[]> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
