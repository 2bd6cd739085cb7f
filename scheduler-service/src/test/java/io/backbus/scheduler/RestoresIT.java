package io.backbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.scheduler.domain.StalledRestoreDetector;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Manual restores: {@code POST /restores} resolves the backup in the catalog (served by {@link CatalogStub}: the
 * catalog is retention-service's) and publishes RestoreRequested; the uploader's and agent's events move the
 * restore through its states.
 */
class RestoresIT extends SchedulerIntegrationTest {

    private static final CatalogStub CATALOG = CatalogStub.get();
    private static TopicProbe requested;
    private static TopicProbe failed;

    @Autowired
    StalledRestoreDetector stalledRestores;

    @BeforeAll
    static void openProbes() {
        requested = TopicProbe.open(EventMother.bootstrap(), Topics.RESTORE_REQUESTED);
        failed = TopicProbe.open(EventMother.bootstrap(), Topics.RESTORE_FAILED);
    }

    @AfterAll
    static void closeProbes() {
        requested.close();
        failed.close();
    }

    @AfterEach
    void catalogUp() {
        CATALOG.mode(CatalogStub.Mode.UP);
    }

    @Test
    void requestsARestoreOfACatalogedBackupWithTheCatalogsChecksums() {
        CatalogStub.Backup backup = CATALOG.available("orders", Instant.now().minusSeconds(3600));
        String database = uniqueDatabase("orders_restored");

        Reply accepted = post("/restores", """
                {"backupId": "%s", "target": null,
                 "destination": {"agentId": "db-host-1", "target": "billing", "database": "%s"},
                 "clean": false, "createDatabase": true, "jobs": 4}""".formatted(backup.backupId(), database));

        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        String restoreId = accepted.text("id");
        assertThat(accepted.headers().getLocation()).hasToString("http://localhost:" + port + "/restores/" + restoreId);
        assertThat(accepted.text("state")).isEqualTo("REQUESTED");
        assertThat(accepted.text("purpose")).isEqualTo("MANUAL");
        assertThat(accepted.text("trigger")).isEqualTo("manual");
        assertThat(accepted.text("planId")).isNull();
        assertThat(accepted.text("backupId")).isEqualTo(backup.backupId().toString());
        assertThat(accepted.text("runId")).isEqualTo(backup.runId().toString());
        assertThat(accepted.text("target")).isEqualTo("orders");
        assertThat(accepted.text("objectKey")).isEqualTo(backup.objectKey());
        assertThat(accepted.body().get("destination")).isEqualTo(JSON.readTree("""
                {"agentId": "db-host-1", "target": "billing", "database": "%s"}""".formatted(database)));
        assertThat(accepted.body().get("options")).isEqualTo(JSON.readTree("""
                {"clean": false, "createDatabase": true, "jobs": 4, "dropAfterVerify": false}"""));
        assertThat(accepted.body().get("destinationTouched").asBoolean()).isFalse();
        assertThat(accepted.body().get("progress").get("stage").isNull()).isTrue();
        assertThat(accepted.text("requestedAt")).isNotNull();
        assertThat(accepted.text("finishedAt")).isNull();

        ConsumerRecord<String, byte[]> record = awaitRecord(requested, restoreId);
        String json = TopicProbe.valueAsString(record);
        ContractAssertions.assertValid("schemas/restore-requested.v1.schema.json", json);
        assertThat(record.key()).isEqualTo("orders");
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.RESTORE_REQUESTED);
        assertThat(TopicProbe.header(record, CloudEventHeaders.SOURCE)).isEqualTo("urn:backbus:scheduler-service");
        JsonNode event = JSON.readTree(json);
        assertThat(event.get("backupId").asString()).isEqualTo(backup.backupId().toString());
        assertThat(event.get("runId").asString()).isEqualTo(backup.runId().toString());
        assertThat(event.get("planId").isNull()).isTrue();
        assertThat(event.get("purpose").asString()).isEqualTo("MANUAL");
        assertThat(event.get("target").asString()).isEqualTo("orders");
        assertThat(event.get("bucket").asString()).isEqualTo("backbus-backups");
        assertThat(event.get("objectKey").asString()).isEqualTo(backup.objectKey());
        assertThat(event.get("manifestKey").asString()).isEqualTo(backup.manifestKey());
        assertThat(event.get("plaintextSha256").asString()).isEqualTo(backup.plaintextSha256());
        assertThat(event.get("plaintextSize").asLong()).isEqualTo(backup.plaintextSize());
        assertThat(event.get("ciphertextSize").asLong()).isEqualTo(backup.ciphertextSize());
        assertThat(event.get("destination")).isEqualTo(accepted.body().get("destination"));
        assertThat(event.get("options")).isEqualTo(accepted.body().get("options"));
        assertThat(event.get("smokeQueries").isEmpty()).isTrue();
        assertThat(Instant.parse(event.get("requestedAt").asString()))
                .isEqualTo(Instant.parse(accepted.text("requestedAt")));

        Reply fetched = get("/restores/" + restoreId);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(accepted.body());
    }

    @Test
    void withoutABackupIdTheNewestAvailableBackupOfTheTargetIsRestored() {
        String target = "inventory-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        CATALOG.available(target, now.minusSeconds(3 * 3600));
        CatalogStub.Backup newestAvailable = CATALOG.available(target, now.minusSeconds(2 * 3600));
        CATALOG.put(CatalogStub.entry(target, "EXPIRED", now.minusSeconds(3600)));

        Reply accepted = post("/restores", restore(null, target, uniqueDatabase("inventory"), ""));

        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        assertThat(accepted.text("backupId")).isEqualTo(newestAvailable.backupId().toString());
        assertThat(accepted.body().get("options")).isEqualTo(JSON.readTree("""
                {"clean": false, "createDatabase": true, "jobs": 1, "dropAfterVerify": false}"""));
        ConsumerRecord<String, byte[]> record = awaitRecord(requested, accepted.text("id"));
        ContractAssertions.assertValid("schemas/restore-requested.v1.schema.json", TopicProbe.valueAsString(record));
        assertThat(record.key()).isEqualTo(target);
        JsonNode event = JSON.readTree(TopicProbe.valueAsString(record));
        assertThat(event.get("backupId").asString()).isEqualTo(newestAvailable.backupId().toString());
        assertThat(event.get("plaintextSha256").asString()).isEqualTo(newestAvailable.plaintextSha256());
        assertThat(CATALOG.requests()).contains("/backups?target=" + target);
    }

    static Stream<Arguments> badRestores() {
        String backup = UUID.randomUUID().toString();
        String db = "bad_" + UUID.randomUUID().toString().substring(0, 8);
        return Stream.of(
                // (an unknown field is refused first, so these bodies hold only known ones)
                Arguments.of("missing destination", "destination", db, """
                        {"backupId": "%s", "jobs": 1}""".formatted(backup)),
                Arguments.of("missing database", "destination.database", db, """
                        {"backupId": "%s", "destination": {"agentId": "db-host-1", "target": "billing"}}"""
                        .formatted(backup)),
                Arguments.of("database name over 63 bytes", "destination.database", db,
                        restore(backup, null, db + "_" + "d".repeat(60), "")),
                Arguments.of("NUL in the database name", "destination.database", db,
                        restore(backup, null, db + "\\u0000x", "")),
                Arguments.of("destination never announced", "destination.target", db, """
                        {"backupId": "%s",
                         "destination": {"agentId": "db-host-1", "target": "inventory", "database": "%s"}}"""
                        .formatted(backup, db)),
                Arguments.of("neither backupId nor target", "backupId", db, restore(null, null, db, "")),
                Arguments.of("both backupId and target", "backupId", db, restore(backup, "orders", db, "")),
                Arguments.of("too many jobs", "jobs", db, restore(backup, null, db, ", \"jobs\": 17")),
                Arguments.of("backupId not a UUID", "backupId", db, restore("not-a-uuid", null, db, "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRestores")
    void refusesABadRestoreNamingTheFieldAndStoresAndPublishesNothing(String why, String field, String database,
            String json) {
        int restoresBefore = count("select count(*) from restores");
        int catalogRequestsBefore = CATALOG.requests().size();

        Reply reply = post("/restores", json);

        assertProblem(reply, 400);
        assertThat(reply.text("detail")).contains(field);
        assertThat(reply.body().get("errors").valueStream().map(e -> e.get("field").asString())).contains(field);
        assertThat(count("select count(*) from restores")).isEqualTo(restoresBefore);
        assertThat(CATALOG.requests()).hasSize(catalogRequestsBefore); // refused before asking the catalog
        assertNothingRequestedInto(List.of(database));
    }

    @Test
    void backupsTheCatalogCannotRestoreAreRefusedWithTheirStatus() {
        String target = "ledger-" + UUID.randomUUID().toString().substring(0, 8);
        CatalogStub.Backup expired = CATALOG.put(CatalogStub.entry(target, "EXPIRED", Instant.now()));
        UUID unknown = UUID.randomUUID();
        List<String> databases = new ArrayList<>();
        int restoresBefore = count("select count(*) from restores");

        Reply notFound = post("/restores", restore(unknown.toString(), null, database(databases), ""));
        assertProblem(notFound, 404);
        assertThat(notFound.text("detail")).contains(unknown.toString());

        Reply gone = post("/restores", restore(expired.backupId().toString(), null, database(databases), ""));
        assertProblem(gone, 409);
        assertThat(gone.text("detail")).contains(expired.backupId().toString(), "EXPIRED");
        assertThat(gone.text("backupStatus")).isEqualTo("EXPIRED");

        Reply noneAvailable = post("/restores", restore(null, target, database(databases), ""));
        assertProblem(noneAvailable, 404);
        assertThat(noneAvailable.text("detail")).contains("no AVAILABLE backup of target '" + target + "'");

        Reply noBackups = post("/restores", restore(null, "never-backed-up", database(databases), ""));
        assertProblem(noBackups, 404);

        assertThat(count("select count(*) from restores")).isEqualTo(restoresBefore);
        assertNothingRequestedInto(databases);
    }

    @Test
    void anUnreachableOrFailingCatalogIs503AndNothingIsRequested() {
        CatalogStub.Backup backup = CATALOG.available("orders", Instant.now());
        List<String> databases = new ArrayList<>();
        int restoresBefore = count("select count(*) from restores");

        CATALOG.mode(CatalogStub.Mode.NO_ANSWER);
        Reply down = post("/restores", restore(backup.backupId().toString(), null, database(databases), ""));
        Reply downLatest = post("/restores", restore(null, "orders", database(databases), ""));
        CATALOG.mode(CatalogStub.Mode.ERROR_500);
        Reply failing = post("/restores", restore(backup.backupId().toString(), null, database(databases), ""));
        CATALOG.mode(CatalogStub.Mode.UP);

        assertProblem(down, 503);
        assertThat(down.text("detail")).contains("catalog", "could not be reached")
                .doesNotContain(CATALOG.url().toString());
        assertProblem(downLatest, 503);
        assertProblem(failing, 503);
        assertThat(failing.text("detail")).contains("HTTP 500");
        assertThat(count("select count(*) from restores")).isEqualTo(restoresBefore);
        assertNothingRequestedInto(databases);
    }

    @Test
    void theUploadersAndAgentsEventsMoveARestoreToVerified() {
        UUID restoreId = requestRestore();

        awaitProcessed(EventMother.publishRestore(Topics.RESTORE_ARTIFACT_READY, EventTypes.RESTORE_ARTIFACT_READY,
                restoreId, EventMother.restoreArtifactReady(restoreId)));
        assertThat(get("/restores/" + restoreId).text("state")).isEqualTo("READY");

        UUID integrity = EventMother.publishRestore(Topics.RESTORE_PROGRESS, EventTypes.RESTORE_PROGRESS, restoreId,
                EventMother.restoreProgress(restoreId, "INTEGRITY", 1_049_663, 1_049_663));
        EventMother.publishRestore(Topics.RESTORE_PROGRESS, EventTypes.RESTORE_PROGRESS, restoreId,
                EventMother.restoreProgress(restoreId, "TRANSFER", 524_288, 1_048_576));
        // a late report of the earlier stage changes nothing
        EventMother.publishRestore(Topics.RESTORE_PROGRESS, EventTypes.RESTORE_PROGRESS, restoreId,
                EventMother.restoreProgress(restoreId, "INTEGRITY", 2_000_000, 1_049_663));
        Reply progressing = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/restores/" + restoreId),
                        r -> "TRANSFER".equals(text(r.body().get("progress"), "stage")));
        JsonNode progress = progressing.body().get("progress");
        assertThat(progress.get("bytes").asLong()).isEqualTo(524_288L);
        assertThat(progress.get("totalBytes").asLong()).isEqualTo(1_048_576L);
        assertThat(progress.get("at").asString()).isEqualTo("2026-11-23T09:15:03Z");
        assertThat(count("select count(*) from processed_event where event_id = ?", integrity)).isZero();

        EventMother.publishRestore(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, restoreId,
                EventMother.restoreCompleted(restoreId, null, true));
        Reply verified = awaitRestore(restoreId, "VERIFIED");
        assertThat(verified.body().get("rtoMillis").asLong()).isNotNegative();
        assertThat(verified.body().get("durationMillis").asLong()).isEqualTo(7300L);
        assertThat(verified.text("finishedAt")).isNotNull();
        assertThat(verified.text("stage")).isNull();
        assertThat(verified.body().get("destinationTouched").asBoolean()).isTrue();
        assertThat(verified.body().get("destinationDropped").asBoolean()).isFalse();
        assertThat(verified.body().get("verification")).isEqualTo(
                JSON.readTree(ContractAssertions.sample("restore-completed.v1")).get("verification"));

        // a late, redelivered RestoreArtifactReady never moves a finished restore back
        awaitProcessed(EventMother.publishRestore(Topics.RESTORE_ARTIFACT_READY, EventTypes.RESTORE_ARTIFACT_READY,
                restoreId, EventMother.restoreArtifactReady(restoreId)));
        assertThat(get("/restores/" + restoreId).text("state")).isEqualTo("VERIFIED");
    }

    @Test
    void restoreFailedFailsTheRestoreWithStageReasonAndWhetherTheDestinationWasTouched() {
        UUID integrity = requestRestore();
        UUID partial = requestRestore();

        EventMother.publishRestore(Topics.RESTORE_FAILED, EventTypes.RESTORE_FAILED, integrity,
                EventMother.restoreFailed(integrity, "INTEGRITY", false));
        EventMother.publishRestore(Topics.RESTORE_FAILED, EventTypes.RESTORE_FAILED, partial,
                EventMother.restoreFailed(partial, "RESTORE", true));

        Reply failedIntegrity = awaitRestore(integrity, "FAILED");
        assertThat(failedIntegrity.text("stage")).isEqualTo("INTEGRITY");
        assertThat(failedIntegrity.text("reason")).startsWith("backup b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d failed its"
                + " integrity check");
        assertThat(failedIntegrity.body().get("destinationTouched").asBoolean()).isFalse();
        assertThat(failedIntegrity.text("finishedAt")).isNotNull();
        Reply failedRestore = awaitRestore(partial, "FAILED");
        assertThat(failedRestore.text("stage")).isEqualTo("RESTORE");
        assertThat(failedRestore.body().get("destinationTouched").asBoolean()).isTrue();

        // a RestoreCompleted after the failure (reordered) changes nothing
        awaitProcessed(EventMother.publishRestore(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, integrity,
                EventMother.restoreCompleted(integrity, null, true)));
        assertThat(get("/restores/" + integrity).text("state")).isEqualTo("FAILED");
    }

    @Test
    void aManualRestoreWhoseVerificationFailedFailsAtVerify() {
        UUID restoreId = requestRestore();

        EventMother.publishRestore(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, restoreId,
                EventMother.restoreCompleted(restoreId, null, false));

        Reply failedVerify = awaitRestore(restoreId, "FAILED");
        assertThat(failedVerify.text("stage")).isEqualTo("VERIFY");
        assertThat(failedVerify.text("reason")).isEqualTo(EventMother.VERIFY_FAILED_SUMMARY);
        assertThat(failedVerify.body().get("verification").get("passed").asBoolean()).isFalse();
        assertThat(failedVerify.body().get("rtoMillis").isNumber()).isTrue();
    }

    @Test
    void anEventIdIsProcessedOnce() {
        UUID first = requestRestore();
        UUID other = requestRestore();
        UUID marker = requestRestore();
        UUID ceId = UUID.randomUUID();

        EventMother.publish(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, "orders", first.toString(),
                EventMother.restoreCompleted(first, null, true), ceId);
        awaitRestore(first, "VERIFIED");
        // the same event id again; its body names another restore so that processing it twice would show
        EventMother.publish(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, "orders", other.toString(),
                EventMother.restoreCompleted(other, null, true), ceId);
        // a later event on the same partition: once it is applied, the duplicate before it was consumed
        EventMother.publishRestore(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, marker,
                EventMother.restoreCompleted(marker, null, true));
        awaitRestore(marker, "VERIFIED");

        assertThat(get("/restores/" + other).text("state")).isEqualTo("REQUESTED");
        assertThat(count("select count(*) from processed_event where event_id = ?", ceId)).isEqualTo(1);
    }

    @Test
    void anEventForAnUnknownRestoreIsSkipped() {
        UUID unknown = UUID.randomUUID();

        awaitProcessed(EventMother.publishRestore(Topics.RESTORE_FAILED, EventTypes.RESTORE_FAILED, unknown,
                EventMother.restoreFailed(unknown, "FETCH", false)));

        assertThat(count("select count(*) from restores where id = ?", unknown)).isZero();
    }

    @Test
    void aRestoreStalledPastTheTimeoutFailsAtRequestAndIsAnnounced() {
        UUID stalled = requestRestore();
        UUID stalledReady = requestRestore();
        UUID fresh = requestRestore();
        awaitProcessed(EventMother.publishRestore(Topics.RESTORE_ARTIFACT_READY, EventTypes.RESTORE_ARTIFACT_READY,
                stalledReady, EventMother.restoreArtifactReady(stalledReady)));
        jdbc.sql("update restores set updated_at = updated_at - interval '6 hours 1 minute' where id in (?, ?)")
                .params(stalled, stalledReady).update();

        stalledRestores.failStalledRestores();

        Reply failedRestore = get("/restores/" + stalled);
        assertThat(failedRestore.text("state")).isEqualTo("FAILED");
        assertThat(failedRestore.text("stage")).isEqualTo("REQUEST");
        assertThat(failedRestore.text("reason")).startsWith("stalled in REQUESTED for more than 6h");
        assertThat(failedRestore.body().get("destinationTouched").asBoolean()).isFalse();
        Reply failedReady = get("/restores/" + stalledReady);
        assertThat(failedReady.text("reason")).startsWith("stalled in READY for more than 6h")
                .contains("partial restore");
        assertThat(failedReady.body().get("destinationTouched").asBoolean()).isTrue();
        assertThat(get("/restores/" + fresh).text("state")).isEqualTo("REQUESTED");

        ConsumerRecord<String, byte[]> record = awaitRecord(failed, stalled.toString());
        String json = TopicProbe.valueAsString(record);
        ContractAssertions.assertValid("schemas/restore-failed.v1.schema.json", json);
        assertThat(record.key()).isEqualTo("orders");
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.RESTORE_FAILED);
        JsonNode body = JSON.readTree(json);
        assertThat(body.get("stage").asString()).isEqualTo("REQUEST");
        assertThat(body.get("reason").asString()).isEqualTo(failedRestore.text("reason"));
        assertThat(body.get("purpose").asString()).isEqualTo("MANUAL");
    }

    @Test
    void unknownRestoresAreNotFound() {
        assertProblem(get("/restores/" + UUID.randomUUID()), 404);
        assertProblem(get("/restores/not-a-uuid"), 400);
    }

    /** Requests a manual restore of a fresh cataloged backup of {@code orders} and returns its id. */
    private UUID requestRestore() {
        CatalogStub.Backup backup = CATALOG.available("orders", Instant.now());
        Reply reply = post("/restores", restore(backup.backupId().toString(), null, uniqueDatabase("orders"), ""));
        assertThat(reply.status()).as("POST /restores -> %s", reply.body()).isEqualTo(202);
        return UUID.fromString(reply.text("id"));
    }

    private Reply awaitRestore(UUID restoreId, String state) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/restores/" + restoreId), r -> r.status() == 200 && state.equals(r.text("state")));
    }

    /**
     * Proves no RestoreRequested went out for these destination databases: requests a good restore and, once its
     * RestoreRequested (relayed after anything committed before it) is seen, finds none for them.
     */
    private void assertNothingRequestedInto(List<String> databases) {
        UUID marker = requestRestore();
        awaitRecord(requested, marker.toString());
        List<String> requestedInto = requested.records(Duration.ofMillis(500)).stream()
                .map(r -> JSON.readTree(TopicProbe.valueAsString(r)).get("destination").get("database").asString())
                .toList();
        assertThat(requestedInto).doesNotContainAnyElementsOf(databases);
        assertThat(count("select count(*) from restores where destination_database = any (?)",
                (Object) databases.toArray(String[]::new))).isZero();
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(TopicProbe probe, String subject) {
        return probe.awaitRecords(r -> subject.equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)), 1,
                Duration.ofSeconds(30)).get(0);
    }

    static String restore(String backupId, String target, String database, String more) {
        return """
                {"backupId": %s, "target": %s,
                 "destination": {"agentId": "db-host-1", "target": "billing", "database": "%s"}%s}"""
                .formatted(quoted(backupId), quoted(target), database, more);
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private static String uniqueDatabase(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String database(List<String> databases) {
        String database = uniqueDatabase("refused");
        databases.add(database);
        return database;
    }

    static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(status);
        assertThat(reply.headers().getContentType()).hasToString("application/problem+json");
        assertThat(reply.body().get("status").asInt()).isEqualTo(status);
        assertThat(reply.text("detail")).isNotBlank();
    }
}
