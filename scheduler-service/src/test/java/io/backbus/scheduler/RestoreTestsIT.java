package io.backbus.scheduler;

import static io.backbus.scheduler.RestoresIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.scheduler.domain.RestoreTestFirer;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TopicProbe;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Restore tests of plans: after every N backups (from Stored, no catalog call) and on a cron (newest AVAILABLE
 * backup from the catalog, served by {@link CatalogStub}); the outcome is RestoreVerified (and the run VERIFIED)
 * or RestoreTestFailed with the stage.
 */
class RestoreTestsIT extends SchedulerIntegrationTest {

    private static final CatalogStub CATALOG = CatalogStub.get();
    private static final String SMOKE_QUERIES = """
            [{"sql": "select count(*) from public.orders where status = 'paid'", "expected": "40112"}]""";
    private static TopicProbe requested;
    private static TopicProbe verified;
    private static TopicProbe testFailed;

    @Autowired
    RestoreTestFirer firer;

    @BeforeAll
    static void openProbes() {
        requested = TopicProbe.open(EventMother.bootstrap(), Topics.RESTORE_REQUESTED);
        verified = TopicProbe.open(EventMother.bootstrap(), Topics.RESTORE_VERIFIED);
        testFailed = TopicProbe.open(EventMother.bootstrap(), Topics.RESTORE_TEST_FAILED);
    }

    @AfterAll
    static void closeProbes() {
        requested.close();
        verified.close();
        testFailed.close();
    }

    @AfterEach
    void catalogUp() {
        CATALOG.mode(CatalogStub.Mode.UP);
    }

    @Test
    void aPlanShowsItsRestoreTestsWithTheDefaultsFilledIn() {
        Reply created = post("/plans", PlanMother.withRestoreTest(PlanMother.uniqueName("orders-rt"), """
                {"cron": "0 4 * * 0", "afterEveryBackups": 7, "rtoTargetSeconds": 600, "jobs": 4}""",
                SMOKE_QUERIES));

        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.body().get("restoreTest")).isEqualTo(JSON.readTree("""
                {"cron": "0 4 * * 0", "afterEveryBackups": 7, "agentId": "db-host-1", "target": "orders",
                 "rtoTargetSeconds": 600.0, "jobs": 4}"""));
        assertThat(created.body().get("smokeQueries")).isEqualTo(JSON.readTree(SMOKE_QUERIES));
        Instant nextTest = Instant.parse(created.text("nextRestoreTestAt"));
        assertThat(nextTest).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofDays(8)));
        assertThat(nextTest.atZone(ZoneId.of("Europe/Berlin")).getDayOfWeek())
                .isEqualTo(DayOfWeek.SUNDAY);
        assertThat(created.body().get("backupsSinceRestoreTest").asInt()).isZero();
        String id = created.text("id");
        assertThat(get("/plans/" + id).body()).isEqualTo(created.body());
        assertThat(get("/plans").body().valueStream().filter(p -> p.get("id").asString().equals(id)))
                .containsExactly(created.body());

        Reply tests = get("/plans/" + id + "/restore-tests");
        assertThat(tests.status()).isEqualTo(200);
        assertThat(tests.body()).isEqualTo(JSON.readTree("""
                {"planId": "%s", "lastResult": null, "lastRtoMillis": null, "lastTestedAt": null, "history": []}"""
                .formatted(id)));

        Reply plain = post("/plans", PlanMother.nightly(PlanMother.uniqueName("orders-no-rt")));
        assertThat(plain.body().get("restoreTest").isNull()).isTrue();
        assertThat(plain.body().get("smokeQueries").isEmpty()).isTrue();
        assertThat(plain.body().get("nextRestoreTestAt").isNull()).isTrue();
        assertProblem(get("/plans/" + UUID.randomUUID() + "/restore-tests"), 404);
    }

    static Stream<Arguments> badRestoreTests() {
        return Stream.of(
                Arguments.of("invalid cron", "restoreTest.cron", "{\"cron\": \"0 25 * * *\"}", null),
                Arguments.of("neither cron nor count", "restoreTest", "{\"jobs\": 2}", null),
                Arguments.of("count below 1", "restoreTest.afterEveryBackups", "{\"afterEveryBackups\": 0}", null),
                Arguments.of("count not a number", "restoreTest.afterEveryBackups",
                        "{\"afterEveryBackups\": \"two\"}", null),
                Arguments.of("RTO target not positive", "restoreTest.rtoTargetSeconds",
                        "{\"afterEveryBackups\": 1, \"rtoTargetSeconds\": 0}", null),
                Arguments.of("too many jobs", "restoreTest.jobs", "{\"afterEveryBackups\": 1, \"jobs\": 17}", null),
                Arguments.of("destination never announced", "restoreTest.target",
                        "{\"afterEveryBackups\": 1, \"target\": \"inventory\"}", null),
                Arguments.of("blank smoke query", "smokeQueries[0].sql", "{\"afterEveryBackups\": 1}",
                        "[{\"sql\": \" \", \"expected\": \"1\"}]"),
                Arguments.of("smoke query over 4000 characters", "smokeQueries[1].sql", "{\"afterEveryBackups\": 1}",
                        "[{\"sql\": \"select 1\", \"expected\": \"1\"}, {\"sql\": \"" + "x".repeat(4001)
                                + "\", \"expected\": null}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRestoreTests")
    void refusesABadRestoreTestNamingTheFieldAndStoresNothing(String why, String field, String restoreTest,
            String smokeQueries) {
        int plansBefore = count("select count(*) from plan");

        Reply reply = post("/plans", PlanMother.withRestoreTest(PlanMother.uniqueName("bad-rt"), restoreTest,
                smokeQueries));

        assertProblem(reply, 400);
        assertThat(reply.text("detail")).contains(field);
        assertThat(reply.body().get("errors").valueStream().map(e -> e.get("field").asString())).contains(field);
        assertThat(count("select count(*) from plan")).isEqualTo(plansBefore);
    }

    @Test
    void afterEveryTwoBackupsTheSecondIsTestedAndAPassingTestVerifiesItsRun() {
        UUID planId = createPlan(PlanMother.withRestoreTest(PlanMother.uniqueName("orders-rt-2"),
                "{\"afterEveryBackups\": 2}", SMOKE_QUERIES));
        UUID firstRun = runNow(planId);
        UUID secondRun = runNow(planId);
        UUID firstBackup = UUID.randomUUID();
        UUID secondBackup = UUID.randomUUID();
        int catalogRequests = CATALOG.requests().size();

        awaitProcessed(EventMother.publishStored(firstRun, firstBackup));
        assertThat(get("/plans/" + planId).body().get("backupsSinceRestoreTest").asInt()).isEqualTo(1);
        assertThat(get("/plans/" + planId + "/restore-tests").body().get("history").isEmpty()).isTrue();

        awaitProcessed(EventMother.publishStored(secondRun, secondBackup));
        assertThat(get("/plans/" + planId).body().get("backupsSinceRestoreTest").asInt()).isZero();
        JsonNode test = single(get("/plans/" + planId + "/restore-tests").body().get("history"));
        String restoreId = test.get("restoreId").asString();
        assertThat(test.get("backupId").asString()).isEqualTo(secondBackup.toString());
        assertThat(test.get("state").asString()).isEqualTo("REQUESTED");
        assertThat(test.get("trigger").asString()).isEqualTo("after-backups");

        ConsumerRecord<String, byte[]> record = awaitRecord(requested, restoreId);
        String json = TopicProbe.valueAsString(record);
        ContractAssertions.assertValid("schemas/restore-requested.v1.schema.json", json);
        assertThat(record.key()).isEqualTo("orders");
        JsonNode event = JSON.readTree(json);
        assertThat(event.get("purpose").asString()).isEqualTo("TEST");
        assertThat(event.get("planId").asString()).isEqualTo(planId.toString());
        assertThat(event.get("backupId").asString()).isEqualTo(secondBackup.toString());
        assertThat(event.get("runId").asString()).isEqualTo(secondRun.toString());
        assertThat(event.get("target").asString()).isEqualTo("orders");
        assertThat(event.get("bucket").asString()).isEqualTo("backbus-backups");
        assertThat(event.get("objectKey").asString())
                .isEqualTo("targets/orders/2026/11/23/" + secondRun + "/artifact.enc");
        assertThat(event.get("manifestKey").asString())
                .isEqualTo("targets/orders/2026/11/23/" + secondRun + "/manifest.json");
        assertThat(event.get("plaintextSha256").asString()).isEqualTo(EventMother.SAMPLE_PLAINTEXT_SHA256);
        assertThat(event.get("plaintextSize").asLong()).isEqualTo(1_048_576L);
        assertThat(event.get("ciphertextSize").asLong()).isEqualTo(1_049_110L);
        assertThat(event.get("destination")).isEqualTo(JSON.readTree("""
                {"agentId": "db-host-1", "target": "orders", "database": "backbus_rt_%s"}"""
                .formatted(restoreId.substring(0, 8))));
        assertThat(event.get("options")).isEqualTo(JSON.readTree("""
                {"clean": false, "createDatabase": true, "jobs": 2, "dropAfterVerify": true}"""));
        assertThat(event.get("smokeQueries")).isEqualTo(JSON.readTree(SMOKE_QUERIES));
        assertThat(CATALOG.requests()).as("Stored carries the backup: no catalog call").hasSize(catalogRequests);

        EventMother.publishRestore(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, UUID.fromString(restoreId),
                EventMother.restoreCompleted(UUID.fromString(restoreId), planId, true));

        ConsumerRecord<String, byte[]> passed = awaitRecord(verified, restoreId);
        String verifiedJson = TopicProbe.valueAsString(passed);
        ContractAssertions.assertValid("schemas/restore-verified.v1.schema.json", verifiedJson);
        assertThat(passed.key()).isEqualTo("orders");
        assertThat(TopicProbe.header(passed, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.RESTORE_VERIFIED);
        JsonNode proof = JSON.readTree(verifiedJson);
        assertThat(proof.get("planId").asString()).isEqualTo(planId.toString());
        assertThat(proof.get("backupId").asString()).isEqualTo(secondBackup.toString());
        assertThat(proof.get("destination")).isEqualTo(event.get("destination"));
        assertThat(proof.get("rtoMillis").asLong()).isNotNegative();
        assertThat(proof.get("rtoTargetMillis").isNull()).isTrue();
        assertThat(proof.get("tablesChecked").asInt()).isEqualTo(2);
        assertThat(proof.get("rowsChecked").asLong()).isEqualTo(49_411L);

        Reply run = awaitRun(secondRun, "VERIFIED");
        assertThat(run.text("verifiedAt")).isNotNull();
        assertThat(get("/runs/" + firstRun).text("state")).isEqualTo("STORED");
        Reply tests = get("/plans/" + planId + "/restore-tests");
        assertThat(tests.text("lastResult")).isEqualTo("VERIFIED");
        assertThat(tests.body().get("lastRtoMillis").asLong()).isEqualTo(proof.get("rtoMillis").asLong());
        assertThat(Instant.parse(tests.text("lastTestedAt"))).isEqualTo(Instant.parse(proof.get("verifiedAt")
                .asString()));
        JsonNode done = single(tests.body().get("history"));
        assertThat(done.get("state").asString()).isEqualTo("VERIFIED");
        assertThat(done.get("rtoMillis").asLong()).isEqualTo(proof.get("rtoMillis").asLong());
        assertThat(done.get("destination")).isEqualTo(event.get("destination"));
        Reply restore = get("/restores/" + restoreId);
        assertThat(restore.text("purpose")).isEqualTo("TEST");
        assertThat(restore.text("planId")).isEqualTo(planId.toString());
        // exactly one outcome: no RestoreTestFailed for this test (both would have been relayed together)
        assertThat(testFailed.records(Duration.ofMillis(500)))
                .noneMatch(r -> restoreId.equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)));
    }

    @Test
    void aTestSlowerThanThePlansRtoTargetFailsAtRto() {
        UUID planId = createPlan(PlanMother.withRestoreTest(PlanMother.uniqueName("orders-rt-rto"),
                "{\"afterEveryBackups\": 1, \"rtoTargetSeconds\": 0.001}", null));
        UUID runId = runNow(planId);
        awaitProcessed(EventMother.publishStored(runId, UUID.randomUUID()));
        UUID restoreId = onlyTestOf(planId);

        EventMother.publishRestore(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, restoreId,
                EventMother.restoreCompleted(restoreId, planId, true));

        JsonNode failure = awaitTestFailed(restoreId, planId);
        assertThat(failure.get("stage").asString()).isEqualTo("RTO");
        assertThat(failure.get("rtoTargetMillis").asLong()).isEqualTo(1L);
        long rto = failure.get("rtoMillis").asLong();
        assertThat(rto).isGreaterThan(1L);
        assertThat(failure.get("reason").asString())
                .matches("restore test took \\d+(\\.\\d+)? s, over the plan's RTO target of 0\\.001 s");
        assertThat(get("/runs/" + runId).text("state")).isEqualTo("STORED");
        Reply tests = get("/plans/" + planId + "/restore-tests");
        assertThat(tests.text("lastResult")).isEqualTo("FAILED");
        assertThat(tests.body().get("lastRtoMillis").asLong()).isEqualTo(rto);
        assertThat(tests.body().get("history").get(0).get("stage").asString()).isEqualTo("RTO");
        assertThat(verified.records(Duration.ofMillis(300)))
                .noneMatch(r -> restoreId.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)));
    }

    @Test
    void aTestWhoseVerificationFailedOrWhoseRestoreFailedFailsAtThatStage() {
        UUID planId = createPlan(PlanMother.withRestoreTest(PlanMother.uniqueName("orders-rt-fail"),
                "{\"afterEveryBackups\": 1, \"rtoTargetSeconds\": 3600}", null));
        UUID verifyRun = runNow(planId);
        awaitProcessed(EventMother.publishStored(verifyRun, UUID.randomUUID()));
        UUID verifyTest = onlyTestOf(planId);
        UUID restoreRun = runNow(planId);
        awaitProcessed(EventMother.publishStored(restoreRun, UUID.randomUUID()));
        UUID restoreTest = await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.sql(
                "select id from restores where plan_id = ? and id <> ?").params(planId, verifyTest)
                .query(UUID.class).optional(), Optional::isPresent).get();

        EventMother.publishRestore(Topics.RESTORE_COMPLETED, EventTypes.RESTORE_COMPLETED, verifyTest,
                EventMother.restoreCompleted(verifyTest, planId, false));
        EventMother.publishRestore(Topics.RESTORE_FAILED, EventTypes.RESTORE_FAILED, restoreTest,
                EventMother.restoreFailed(restoreTest, "DESTINATION", false));

        JsonNode verifyFailure = awaitTestFailed(verifyTest, planId);
        assertThat(verifyFailure.get("stage").asString()).isEqualTo("VERIFY");
        assertThat(verifyFailure.get("reason").asString()).isEqualTo(EventMother.VERIFY_FAILED_SUMMARY);
        assertThat(verifyFailure.get("rtoMillis").isNumber()).isTrue();
        assertThat(verifyFailure.get("rtoTargetMillis").asLong()).isEqualTo(3_600_000L);
        JsonNode restoreFailure = awaitTestFailed(restoreTest, planId);
        assertThat(restoreFailure.get("stage").asString()).isEqualTo("DESTINATION");
        assertThat(restoreFailure.get("reason").asString()).contains("failed its integrity check");
        assertThat(restoreFailure.get("rtoMillis").isNull()).isTrue();
        assertThat(get("/runs/" + verifyRun).text("state")).isEqualTo("STORED");
        assertThat(get("/runs/" + restoreRun).text("state")).isEqualTo("STORED");
        assertThat(get("/plans/" + planId + "/restore-tests").text("lastResult")).isEqualTo("FAILED");
    }

    @Test
    void aCronTestWithNothingInTheCatalogFailsAtRequest() {
        String target = announceFreshTarget();
        UUID planId = createPlan(PlanMother.withRestoreTest(PlanMother.uniqueName("empty-rt"), target, agentOf(target),
                "{\"cron\": \"0 0 1 1 *\"}", null));

        makeRestoreTestDue(planId); // nobody calls the firer here: the scheduler's own tick fires the slot

        JsonNode failure = awaitTestFailedOfPlan(planId);
        assertThat(failure.get("stage").asString()).isEqualTo("REQUEST");
        assertThat(failure.get("reason").asString())
                .contains("the catalog has no AVAILABLE backup of target '" + target + "'");
        assertThat(failure.get("backupId").isNull()).isTrue();
        assertThat(failure.get("rtoMillis").isNull()).isTrue();
        assertThat(failure.get("target").asString()).isEqualTo(target);
        Reply tests = get("/plans/" + planId + "/restore-tests");
        assertThat(tests.text("lastResult")).isEqualTo("FAILED");
        JsonNode test = single(tests.body().get("history"));
        assertThat(test.get("stage").asString()).isEqualTo("REQUEST");
        assertThat(test.get("trigger").asString()).isEqualTo("cron");
        assertThat(test.get("destination").get("database").asString()).startsWith("backbus_rt_");
        assertThat(Instant.parse(get("/plans/" + planId).text("nextRestoreTestAt"))).isAfter(Instant.now());
        assertThat(CATALOG.requests()).contains("/backups?target=" + target);
    }

    @Test
    void aCronTestWhileTheCatalogIsDownFailsAtRequest() {
        String target = announceFreshTarget();
        CATALOG.available(target, Instant.now());
        UUID planId = createPlan(PlanMother.withRestoreTest(PlanMother.uniqueName("down-rt"), target, agentOf(target),
                "{\"cron\": \"0 0 1 1 *\"}", null));
        CATALOG.mode(CatalogStub.Mode.NO_ANSWER);
        makeRestoreTestDue(planId);

        firer.fireDueRestoreTests();

        JsonNode failure = awaitTestFailedOfPlan(planId);
        assertThat(failure.get("stage").asString()).isEqualTo("REQUEST");
        assertThat(failure.get("reason").asString()).contains("could not ask the catalog", target)
                .doesNotContain(CATALOG.url().toString());
    }

    @Test
    void aCronSlotTestsTheNewestAvailableBackupExactlyOnceWhateverTheNumberOfFirers() throws Exception {
        String target = announceFreshTarget();
        CATALOG.available(target, Instant.now().minusSeconds(7200));
        CatalogStub.Backup newest = CATALOG.available(target, Instant.now().minusSeconds(3600));
        CATALOG.put(CatalogStub.entry(target, "EXPIRED", Instant.now()));
        UUID planId = createPlan(PlanMother.withRestoreTest(PlanMother.uniqueName("cron-rt"), target, agentOf(target),
                "{\"cron\": \"0 0 1 1 *\", \"jobs\": 3}", SMOKE_QUERIES));
        Instant slot = makeRestoreTestDue(planId);

        int firers = 4;
        CyclicBarrier start = new CyclicBarrier(firers);
        ExecutorService pool = Executors.newFixedThreadPool(firers);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < firers; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return firer.fireDueRestoreTests() + firer.fireDueRestoreTests();
                }));
            }
            for (Future<Integer> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(jdbc.sql("select scheduled_for from restores where plan_id = ?").param(planId)
                .query(Timestamp.class).list()).extracting(Timestamp::toInstant).containsExactly(slot);
        ConsumerRecord<String, byte[]> record = requested.awaitRecords(r -> planId.toString().equals(
                text(JSON.readTree(TopicProbe.valueAsString(r)), "planId")), 1, Duration.ofSeconds(30)).get(0);
        String json = TopicProbe.valueAsString(record);
        ContractAssertions.assertValid("schemas/restore-requested.v1.schema.json", json);
        assertThat(record.key()).isEqualTo(target);
        JsonNode event = JSON.readTree(json);
        assertThat(event.get("purpose").asString()).isEqualTo("TEST");
        assertThat(event.get("backupId").asString()).isEqualTo(newest.backupId().toString());
        assertThat(event.get("plaintextSha256").asString()).isEqualTo(newest.plaintextSha256());
        assertThat(event.get("plaintextSize").asLong()).isEqualTo(newest.plaintextSize());
        assertThat(event.get("ciphertextSize").asLong()).isEqualTo(newest.ciphertextSize());
        assertThat(event.get("options").get("jobs").asInt()).isEqualTo(3);
        assertThat(event.get("options").get("dropAfterVerify").asBoolean()).isTrue();
        assertThat(event.get("destination").get("database").asString())
                .isEqualTo("backbus_rt_" + TopicProbe.header(record, CloudEventHeaders.SUBJECT).substring(0, 8));
        assertThat(event.get("smokeQueries")).isEqualTo(JSON.readTree(SMOKE_QUERIES));
        assertThat(requested.records(Duration.ofMillis(500)).stream().filter(r -> planId.toString()
                .equals(text(JSON.readTree(TopicProbe.valueAsString(r)), "planId")))).hasSize(1);
        assertThat(Instant.parse(get("/plans/" + planId).text("nextRestoreTestAt"))).isAfter(Instant.now());
    }

    @Test
    void aTestWhoseDestinationIsNoLongerAnnouncedFailsAtRequest() {
        String target = announceFreshTarget();
        String agent = agentOf(target);
        UUID planId = createPlan(PlanMother.withRestoreTest(PlanMother.uniqueName("gone-rt"), target, agent,
                "{\"afterEveryBackups\": 1}", null));
        UUID runId = runNow(planId);
        // the agent stops serving the target after the plan was made
        awaitProcessed(EventMother.publish(Topics.AGENT_ANNOUNCED, EventTypes.AGENT_ANNOUNCED, agent, agent,
                EventMother.agentAnnounced(agent, Instant.now(), "something-else")));

        awaitProcessed(EventMother.publishStored(runId, UUID.randomUUID()));

        JsonNode failure = awaitTestFailedOfPlan(planId);
        assertThat(failure.get("stage").asString()).isEqualTo("REQUEST");
        assertThat(failure.get("reason").asString()).contains(agent, target, "does not announce");
        assertThat(failure.get("backupId").isNull()).isFalse();
        assertThat(get("/plans/" + planId + "/restore-tests").text("lastResult")).isEqualTo("FAILED");
        assertThat(requested.records(Duration.ofMillis(300))).noneMatch(r -> planId.toString()
                .equals(text(JSON.readTree(TopicProbe.valueAsString(r)), "planId")));
    }

    /** Announces a fresh agent serving one fresh target, and returns the target. */
    private String announceFreshTarget() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String agent = "rt-host-" + suffix;
        awaitProcessed(EventMother.publish(Topics.AGENT_ANNOUNCED, EventTypes.AGENT_ANNOUNCED, agent, agent,
                EventMother.agentAnnounced(agent, Instant.now(), "rt-" + suffix)));
        return "rt-" + suffix;
    }

    private static String agentOf(String freshTarget) {
        return "rt-host-" + freshTarget.substring("rt-".length());
    }

    /** Moves the plan's next restore-test slot to a second ago, as the clock reaching it would; returns the slot. */
    private Instant makeRestoreTestDue(UUID planId) {
        Instant slot = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        jdbc.sql("update plan set next_restore_test_at = ? where id = ?").params(Timestamp.from(slot), planId)
                .update();
        return slot;
    }

    private UUID onlyTestOf(UUID planId) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.sql("select id from restores where plan_id = ?")
                .param(planId).query(UUID.class).optional(), Optional::isPresent).get();
    }

    private static JsonNode awaitTestFailed(UUID restoreId, UUID planId) {
        ConsumerRecord<String, byte[]> record = awaitRecord(testFailed, restoreId.toString());
        return checkedTestFailure(record, planId);
    }

    private static JsonNode awaitTestFailedOfPlan(UUID planId) {
        ConsumerRecord<String, byte[]> record = testFailed.awaitRecords(r -> planId.toString().equals(
                text(JSON.readTree(TopicProbe.valueAsString(r)), "planId")), 1, Duration.ofSeconds(30)).get(0);
        return checkedTestFailure(record, planId);
    }

    private static JsonNode checkedTestFailure(ConsumerRecord<String, byte[]> record, UUID planId) {
        String json = TopicProbe.valueAsString(record);
        ContractAssertions.assertValid("schemas/restore-test-failed.v1.schema.json", json);
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.RESTORE_TEST_FAILED);
        JsonNode body = JSON.readTree(json);
        assertThat(body.get("planId").asString()).isEqualTo(planId.toString());
        assertThat(record.key()).isEqualTo(body.get("target").asString());
        assertThat(TopicProbe.header(record, CloudEventHeaders.SUBJECT)).isEqualTo(body.get("restoreId").asString());
        return body;
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(TopicProbe probe, String subject) {
        return probe.awaitRecords(r -> subject.equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)), 1,
                Duration.ofSeconds(30)).get(0);
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array.size()).as("%s", array).isEqualTo(1);
        return array.get(0);
    }
}
