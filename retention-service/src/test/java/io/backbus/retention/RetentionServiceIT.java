package io.backbus.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.retention.domain.Backup;
import io.backbus.retention.domain.BackupCatalog;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.ApiAccessAssert;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The catalog against real Kafka and PostgreSQL: Stored and RestoreVerified events in, REST listings out; the
 * rebuild against the S3 mock.
 */
class RetentionServiceIT extends RetentionIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DLQ = Topics.deadLetter(Topics.BACKUP_STORED, "retention-service");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Only the rebuild test writes to this bucket, so its counts are exact. */
    private static final String REBUILD_BUCKET = "retention-rebuild-it";

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "retention");
        registry.add("backbus.retention.bucket", () -> REBUILD_BUCKET);
    }

    @Autowired
    BackupCatalog catalog;

    @Autowired
    MeterRegistry meters;

    private RestClient http;
    private final String bootstrap = TestServers.get().kafkaBootstrapServers();

    @BeforeEach
    void client() {
        http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", ApiCallers.OPERATOR.bearer()).build();
    }

    @Test
    void backupsAreForViewersAndHealthIsOpen() {
        URI base = URI.create("http://127.0.0.1:" + port);
        ApiAccessAssert.assertAccess(base, "GET", "/backups?target=access-" + UUID.randomUUID(), () -> null,
                ApiCallers.VIEWER, 200);
        ApiAccessAssert.assertAccess(base, "GET", "/backups/" + UUID.randomUUID(), () -> null, ApiCallers.VIEWER, 404);
        assertThat(ApiAccessAssert.call(base, "GET", "/actuator/health", null, null).status()).isEqualTo(200);
        ApiAccessAssert.assertRefused(ApiAccessAssert.call(base, "DELETE", "/backups/" + UUID.randomUUID(),
                ApiCallers.ADMIN.bearer(), null), 403, null);
    }

    @Test
    void catalogsTheStoredSampleAndListsItByTarget() {
        ObjectNode sample = StoredMother.sample();
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", StoredMother.json(sample));
        String runId = sample.get("runId").asString();

        publish(UUID.randomUUID(), sample);

        List<Map<String, Object>> listed = awaitListing("orders", 1);
        assertThat(listed).hasSize(1);
        Map<String, Object> backup = listed.get(0);
        assertThat(backup).containsEntry("backupId", "c0ffee00-1234-4abc-8def-0123456789ab")
                .containsEntry("runId", runId)
                .containsEntry("target", "orders")
                .containsEntry("agentId", "db-host-1")
                .containsEntry("bucket", "backbus-backups")
                .containsEntry("objectKey", sample.get("objectKey").asString())
                .containsEntry("manifestKey", sample.get("manifestKey").asString())
                .containsEntry("plaintextSha256", sample.get("plaintextSha256").asString())
                .containsEntry("encryption", "tink-streaming-aead/AES256_GCM_HKDF_1MB")
                .containsEntry("keyId", "1932402213")
                .containsEntry("storageClass", "STANDARD")
                .containsEntry("status", "AVAILABLE")
                .containsEntry("serverVersion", "15.18");
        assertThat(((Number) backup.get("plaintextSize")).longValue()).isEqualTo(1048576L);
        assertThat(((Number) backup.get("ciphertextSize")).longValue()).isEqualTo(1049110L);
        assertThat(Instant.parse((String) backup.get("storedAt"))).isEqualTo("2026-11-23T02:00:07.400Z");
        assertThat(Instant.parse((String) backup.get("dumpStartedAt"))).isEqualTo("2026-11-23T02:00:00.120Z");

        Reply one = get("/backups/c0ffee00-1234-4abc-8def-0123456789ab");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("runId").asString()).isEqualTo(runId);

        assertThat(listing(null)).extracting(b -> b.get("backupId")).contains("c0ffee00-1234-4abc-8def-0123456789ab");
        assertThat(get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void listsATargetsBackupsNewestFirst() {
        String target = "newest-first-" + UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), newer,
                Instant.parse("2026-11-24T02:00:00Z")));
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), older,
                Instant.parse("2026-11-23T02:00:00Z")));

        assertThat(awaitListing(target, 2)).extracting(b -> b.get("backupId"))
                .containsExactly(newer.toString(), older.toString());
    }

    @Test
    void anEventIdIsProcessedOnce() {
        String target = "dup-event-" + UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        publish(eventId, StoredMother.storedFor(target, UUID.randomUUID(), first, Instant.now()));
        // a redelivery of the same event id is skipped whatever its body says
        publish(eventId, StoredMother.storedFor(target, UUID.randomUUID(), UUID.randomUUID(), Instant.now()));

        awaitSentinelAfter(target);
        assertThat(listing(target)).extracting(b -> b.get("backupId")).containsOnlyOnce(first.toString())
                .hasSize(2); // the first backup and the sentinel
    }

    @Test
    void aRunIsCatalogedOnceEvenUnderANewEventId() {
        String target = "dup-run-" + UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, runId, first, Instant.now()));
        publish(UUID.randomUUID(), StoredMother.storedFor(target, runId, UUID.randomUUID(), Instant.now()));

        awaitSentinelAfter(target);
        assertThat(listing(target)).filteredOn(b -> runId.toString().equals(b.get("runId")))
                .extracting(b -> b.get("backupId")).containsExactly(first.toString());
    }

    @Test
    void aStoredForARunNobodyRequestedIsDeadLetteredAndNotCataloged() {
        String target = "forged-" + UUID.randomUUID();
        UUID forgedRun = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        ObjectNode forged = StoredMother.storedFor(target, forgedRun, UUID.randomUUID(), Instant.now());
        try (TopicProbe dlq = TopicProbe.open(bootstrap, DLQ)) {
            TopicProbe.publish(bootstrap, Topics.BACKUP_STORED, target,
                    StoredMother.headers(eventId, forgedRun.toString()), StoredMother.json(forged));

            ConsumerRecord<String, byte[]> dead = dlq.awaitRecords(r -> eventId.toString().equals(
                    TopicProbe.header(r, CloudEventHeaders.ID)), 1, WAIT).get(0);
            assertThat(TopicProbe.header(dead, CloudEventHeaders.DLQ_REASON))
                    .contains("Stored for run " + forgedRun).contains("which no BackupRequested asked for");
        }
        awaitSentinelAfter(target);
        assertThat(listing(target)).noneMatch(b -> forgedRun.toString().equals(b.get("runId")));
    }

    @Test
    void aStoredNamingAnotherAgentThanTheRequestIsDeadLetteredAtOnce() {
        String target = "mismatch-" + UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        ObjectNode stored = StoredMother.storedFor(target, runId, UUID.randomUUID(), Instant.now());
        requested(stored);
        stored.put("agentId", "some-other-agent");
        try (TopicProbe dlq = TopicProbe.open(bootstrap, DLQ)) {
            TopicProbe.publish(bootstrap, Topics.BACKUP_STORED, target,
                    StoredMother.headers(eventId, runId.toString()), StoredMother.json(stored));

            ConsumerRecord<String, byte[]> dead = dlq.awaitRecords(r -> eventId.toString().equals(
                    TopicProbe.header(r, CloudEventHeaders.ID)), 1, WAIT).get(0);
            assertThat(TopicProbe.header(dead, CloudEventHeaders.DLQ_REASON)).startsWith("malformed event: ")
                    .contains("names agent 'some-other-agent'");
        }
        awaitSentinelAfter(target);
        assertThat(listing(target)).noneMatch(b -> runId.toString().equals(b.get("runId")));
    }

    @Test
    void deadLettersMalformedRecordsAndGoesOn() {
        String target = "malformed-" + UUID.randomUUID();
        UUID unparsable = UUID.randomUUID();
        UUID incomplete = UUID.randomUUID();
        try (TopicProbe dlq = TopicProbe.open(bootstrap, DLQ)) {
            TopicProbe.publish(bootstrap, Topics.BACKUP_STORED, target,
                    StoredMother.headers(unparsable, UUID.randomUUID().toString()), "{\"runId\": oops");
            ObjectNode noTarget = StoredMother.storedFor(target, UUID.randomUUID(), UUID.randomUUID(), Instant.now());
            noTarget.remove("target");
            publish(incomplete, target, noTarget);

            List<ConsumerRecord<String, byte[]>> dead = dlq.awaitRecords(r -> {
                String id = TopicProbe.header(r, CloudEventHeaders.ID);
                return unparsable.toString().equals(id) || incomplete.toString().equals(id);
            }, 2, WAIT);

            assertThat(dead).allSatisfy(r -> {
                assertThat(TopicProbe.header(r, CloudEventHeaders.DLQ_REASON)).startsWith("malformed event");
                assertThat(TopicProbe.header(r, CloudEventHeaders.TYPE)).isEqualTo(
                        StoredMother.headers(unparsable, "x").get(CloudEventHeaders.TYPE));
                assertThat(r.key()).isEqualTo(target);
            });
            assertThat(dead).anySatisfy(r -> assertThat(TopicProbe.header(r, CloudEventHeaders.DLQ_REASON))
                    .isEqualTo("malformed event: Stored: $: required property 'target' not found"));
            assertThat(dead).anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"runId\": oops"));
        }

        UUID next = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), next, Instant.now()));
        assertThat(awaitListing(target, 1)).extracting(b -> b.get("backupId")).containsExactly(next.toString());
    }

    @Test
    void answersAnUnknownBackupWith404ProblemDetails() {
        UUID unknown = UUID.randomUUID();
        Reply reply = get("/backups/" + unknown);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isNotNull();
        assertThat(reply.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(reply.json().get("status").asInt()).isEqualTo(404);
        assertThat(reply.json().get("detail").asString()).contains(unknown.toString());
    }

    @Test
    void answersAnIdThatIsNotAUuidWith400NamingTheParameter() {
        Reply reply = get("/backups/not-a-uuid");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isNotNull();
        assertThat(reply.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(reply.json().get("status").asInt()).isEqualTo(400);
        assertThat(reply.json().get("parameter").asString()).isEqualTo("id");
        assertThat(reply.json().get("detail").asString()).contains("'id'");
    }

    @Test
    void rebuildsTheCatalogFromTheManifestsInTheBucketOnce() {
        TestServers.get().createBucket(REBUILD_BUCKET);
        S3Client s3 = TestServers.get().s3Client();
        String target = "rebuilt-" + UUID.randomUUID();
        List<ObjectNode> manifests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode manifest = StoredMother.manifestFor(target, UUID.randomUUID(), UUID.randomUUID(),
                    Instant.parse("2026-11-23T02:00:07.400Z").plusSeconds(60L * i));
            put(s3, REBUILD_BUCKET, manifest.get("manifestKey").asString(), StoredMother.json(manifest));
            put(s3, REBUILD_BUCKET, manifest.get("objectKey").asString(), "ciphertext");
            manifests.add(manifest);
        }
        String garbage = "targets/" + target + "/2026/11/23/" + UUID.randomUUID() + "/manifest.json";
        put(s3, REBUILD_BUCKET, garbage, "{\"kind\": oops");
        assertThat(listing(target)).isEmpty();

        Reply first = post("/catalog/rebuild");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("scanned").asInt()).isEqualTo(4);
        assertThat(first.json().get("added").asInt()).isEqualTo(3);
        assertThat(first.json().get("alreadyCataloged").asInt()).isEqualTo(0);
        assertThat(first.json().get("invalid")).hasSize(1);
        assertThat(first.json().get("invalid").get(0).get("key").asString()).isEqualTo(garbage);
        assertThat(first.json().get("invalid").get(0).get("reason").asString()).startsWith("not JSON");

        // field by field against the manifests, newest first
        List<Map<String, Object>> listed = listing(target);
        assertThat(listed).extracting(b -> b.get("runId"))
                .containsExactly(manifests.get(2).get("runId").asString(), manifests.get(1).get("runId").asString(),
                        manifests.get(0).get("runId").asString());
        for (ObjectNode m : manifests) {
            Map<String, Object> b = listed.stream().filter(x -> m.get("runId").asString().equals(x.get("runId")))
                    .findFirst().orElseThrow();
            for (String field : List.of("backupId", "runId", "target", "agentId", "bucket", "objectKey",
                    "manifestKey", "plaintextSha256", "encryption", "keyId")) {
                assertThat(b.get(field)).as(field).isEqualTo(m.get(field).asString());
            }
            assertThat(((Number) b.get("plaintextSize")).longValue()).isEqualTo(m.get("plaintextSize").asLong());
            assertThat(((Number) b.get("ciphertextSize")).longValue()).isEqualTo(m.get("ciphertextSize").asLong());
            assertThat(Instant.parse((String) b.get("storedAt"))).isEqualTo(m.get("storedAt").asString());
            assertThat(Instant.parse((String) b.get("dumpStartedAt")))
                    .isEqualTo(m.get("manifest").get("dumpStartedAt").asString());
            assertThat(b).containsEntry("serverVersion", m.get("manifest").get("serverVersion").asString())
                    .containsEntry("storageClass", "STANDARD").containsEntry("status", "AVAILABLE")
                    // manifests carry no restore-test results: a rebuilt entry is not (yet) proven
                    .containsEntry("lastVerifiedAt", null).containsEntry("lastVerifiedRtoMillis", null)
                    .containsEntry("lastVerifiedRestoreId", null);
        }

        // the whole row is the one the Stored event of the same backup gives
        ObjectNode event = manifests.get(0).deepCopy();
        event.remove("kind");
        event.remove("manifestVersion");
        String eventTarget = "evented-" + UUID.randomUUID();
        UUID eventBackup = UUID.randomUUID();
        event.put("target", eventTarget);
        event.put("backupId", eventBackup.toString());
        event.put("runId", UUID.randomUUID().toString());
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", StoredMother.json(event));
        publish(UUID.randomUUID(), event);
        awaitListing(eventTarget, 1);
        Backup fromEvent = catalog.find(eventBackup).orElseThrow();
        Backup rebuilt = catalog.find(UUID.fromString(manifests.get(0).get("backupId").asString())).orElseThrow();
        assertThat(rebuilt).usingRecursiveComparison()
                .ignoringFields("backupId", "runId", "target", "catalogedAt").isEqualTo(fromEvent);

        Reply second = post("/catalog/rebuild");

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("scanned").asInt()).isEqualTo(4);
        assertThat(second.json().get("added").asInt()).isEqualTo(0);
        assertThat(second.json().get("alreadyCataloged").asInt()).isEqualTo(3);
        assertThat(second.json().get("invalid")).hasSize(1);
        assertThat(listing(target)).hasSize(3);
    }

    // --- restore verification

    @Test
    void recordsTheVerifiedSampleOnItsBackupAndKeepsTheListingNewestFirst() {
        String target = "verified-" + UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), older,
                Instant.parse("2026-11-22T02:00:00Z")));
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), newer,
                Instant.parse("2026-11-23T02:00:00Z")));
        assertThat(awaitListing(target, 2)).allSatisfy(b -> assertThat(b)
                .containsEntry("lastVerifiedAt", null).containsEntry("lastVerifiedRtoMillis", null));

        // the older backup is the one a restore test proved (e.g. "after every N backups" tested it late)
        ObjectNode verified = RestoreVerifiedMother.forBackup(target, older);
        publishVerified(UUID.randomUUID(), verified);

        JsonNode proven = await().atMost(WAIT).until(() -> get("/backups/" + older).json(),
                b -> !b.get("lastVerifiedAt").isNull());
        assertThat(Instant.parse(proven.get("lastVerifiedAt").asString())).isEqualTo("2026-11-23T09:15:09.900Z");
        assertThat(proven.get("lastVerifiedRtoMillis").asLong()).isEqualTo(8412L);
        assertThat(proven.get("lastVerifiedRestoreId").asString()).isEqualTo("7c4e1b2a-9d3f-4a6e-8b1c-2f5d7e9a0c3b");
        assertThat(proven.get("status").asString()).isEqualTo("AVAILABLE");

        List<Map<String, Object>> listed = listing(target);
        assertThat(listed).extracting(b -> b.get("backupId")).containsExactly(newer.toString(), older.toString());
        assertThat(listed.get(0)).containsEntry("lastVerifiedAt", null);
        assertThat(listed.get(1)).containsEntry("lastVerifiedRtoMillis", 8412)
                .containsEntry("lastVerifiedRestoreId", "7c4e1b2a-9d3f-4a6e-8b1c-2f5d7e9a0c3b");
        assertThat(Instant.parse((String) listed.get(1).get("lastVerifiedAt"))).isEqualTo("2026-11-23T09:15:09.900Z");
    }

    @Test
    void aVerificationEventIdIsProcessedOnceAndALateOlderTestDoesNotOverwrite() {
        String target = "verified-dup-" + UUID.randomUUID();
        UUID backup = UUID.randomUUID();
        UUID sentinelBackup = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), backup, Instant.now()));
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), sentinelBackup, Instant.now()));
        awaitListing(target, 2);
        Instant at = Instant.parse("2026-11-24T03:00:00Z");
        UUID eventId = UUID.randomUUID();
        UUID first = UUID.randomUUID();

        publishVerified(eventId, RestoreVerifiedMother.verified(target, backup, first, at, 5000));
        // a redelivery of the same event id is skipped whatever its body says
        publishVerified(eventId, RestoreVerifiedMother.verified(target, backup, UUID.randomUUID(),
                at.plusSeconds(60), 6000));
        // an older test's result arriving late keeps the later one
        double superseded = count("superseded");
        publishVerified(UUID.randomUUID(), RestoreVerifiedMother.verified(target, backup, UUID.randomUUID(),
                at.minusSeconds(3600), 7000));
        // a sentinel behind them (same key, same partition)
        UUID sentinel = UUID.randomUUID();
        publishVerified(UUID.randomUUID(), RestoreVerifiedMother.verified(target, sentinelBackup, sentinel, at, 1));
        await().atMost(WAIT).until(() -> sentinel.toString()
                .equals(get("/backups/" + sentinelBackup).json().path("lastVerifiedRestoreId").asString(null)));

        JsonNode proven = get("/backups/" + backup).json();
        assertThat(proven.get("lastVerifiedRestoreId").asString()).isEqualTo(first.toString());
        assertThat(proven.get("lastVerifiedRtoMillis").asLong()).isEqualTo(5000L);
        assertThat(Instant.parse(proven.get("lastVerifiedAt").asString())).isEqualTo(at);
        assertThat(count("superseded")).isEqualTo(superseded + 1);
    }

    @Test
    void aVerificationOfABackupNotInTheCatalogRecordsNothingButIsCounted() {
        String target = "verified-unknown-" + UUID.randomUUID();
        UUID sentinelBackup = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), sentinelBackup, Instant.now()));
        awaitListing(target, 1);
        double unknown = count("unknown_backup");
        UUID missing = UUID.randomUUID();

        publishVerified(UUID.randomUUID(), RestoreVerifiedMother.forBackup(target, missing));
        UUID sentinel = UUID.randomUUID();
        publishVerified(UUID.randomUUID(), RestoreVerifiedMother.verified(target, sentinelBackup, sentinel,
                Instant.now(), 1));
        await().atMost(WAIT).until(() -> sentinel.toString()
                .equals(get("/backups/" + sentinelBackup).json().path("lastVerifiedRestoreId").asString(null)));

        assertThat(count("unknown_backup")).isEqualTo(unknown + 1);
        assertThat(get("/backups/" + missing).status()).isEqualTo(404);
        assertThat(listing(target)).extracting(b -> b.get("backupId")).containsExactly(sentinelBackup.toString());
    }

    // --- helpers

    private static void put(S3Client s3, String bucket, String key, String body) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    private Reply post(String path) {
        return http.post().uri(path).accept(MediaType.APPLICATION_JSON).exchange((request, response) -> new Reply(
                response.getStatusCode().value(), response.getHeaders().getContentType(),
                new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    private void publishVerified(UUID eventId, ObjectNode verified) {
        ContractAssertions.assertValid(RestoreVerifiedMother.SCHEMA, RestoreVerifiedMother.json(verified));
        publishVerified(eventId, verified.get("target").asString(), verified);
    }

    private void publishVerified(UUID eventId, String key, ObjectNode verified) {
        TopicProbe.publish(bootstrap, Topics.RESTORE_VERIFIED, key,
                RestoreVerifiedMother.headers(eventId, verified.get("restoreId").asString()),
                RestoreVerifiedMother.json(verified));
    }

    private double count(String outcome) {
        return meters.get("backbus.retention.restore.verifications").tag("outcome", outcome).counter().count();
    }

    private void publish(UUID eventId, ObjectNode stored) {
        publish(eventId, stored.get("target").asString(), stored);
    }

    private void publish(UUID eventId, String key, ObjectNode stored) {
        if (stored.has("runId") && stored.has("agentId") && stored.has("target")) {
            requested(stored);
        }
        TopicProbe.publish(bootstrap, Topics.BACKUP_STORED, key,
                StoredMother.headers(eventId, stored.get("runId").asString()), StoredMother.json(stored));
    }

    /** Publishes the BackupRequested of {@code stored}'s run, as the scheduler did before the backup. */
    private void requested(ObjectNode stored) {
        TopicProbe.publish(bootstrap, Topics.BACKUP_REQUESTED, stored.get("target").asString(),
                StoredMother.requestHeaders(stored.get("runId").asString()), StoredMother.requestFor(stored));
    }

    /** Publishes a valid event behind the earlier ones of this target (same key, same partition) and waits for it. */
    private void awaitSentinelAfter(String target) {
        UUID sentinel = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), sentinel,
                Instant.parse("2020-01-01T00:00:00Z")));
        await().atMost(WAIT).until(() -> get("/backups/" + sentinel).status() == 200);
    }

    private List<Map<String, Object>> awaitListing(String target, int count) {
        return await().atMost(WAIT).until(() -> listing(target), list -> list.size() >= count);
    }

    private List<Map<String, Object>> listing(String target) {
        return http.get().uri(uri -> target == null ? uri.path("/backups").build()
                        : uri.path("/backups").queryParam("target", target).build())
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                });
    }

    private Reply get(String path) {
        return http.get().uri(path).accept(MediaType.APPLICATION_JSON).exchange((request, response) -> new Reply(
                response.getStatusCode().value(), response.getHeaders().getContentType(),
                new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    private record Reply(int status, MediaType contentType, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
