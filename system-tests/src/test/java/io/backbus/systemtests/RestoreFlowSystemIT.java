package io.backbus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.Topics;
import io.backbus.localstack.PostgresCluster;
import io.backbus.testsupport.TopicProbe;
import io.backbus.testsupport.WebhookReceiver;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;

/**
 * Proven restores through the five service processes: RestoreRequested → uploader (integrity check pass, decrypt)
 * → RestoreArtifactReady → agent (pg_restore, verification) → RestoreCompleted → scheduler; restore tests with RTO;
 * a corrupt object refused before the destination is touched; the catalog rebuilt from the bucket, then restored
 * from.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreFlowSystemIT {

    private static final String AGENT = TheSystem.AGENT;
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(3);

    private static TheSystem system;
    private static SystemApi api;
    /** The backup restored in the first test, restored again after the catalog rebuild. */
    private static String provenBackupId;

    @BeforeAll
    static void startTheSystem() {
        system = TheSystem.get();
        api = system.api;
    }

    @Test
    @Order(1)
    void aBackupRestoresIntoAnotherDatabaseThroughTheServicesAndIsVerified() throws SQLException {
        String backupId = storedBackupOf(api.createPlanOnceTargetIsKnown("shop-restore-source", "shop", AGENT));
        drop("sys_shop_restored");

        HttpResponse<String> accepted = api.requestRestore(restore(backupId, "sys_shop_restored", false));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/restores/"));
        String restoreId = SystemApi.JSON.readTree(accepted.body()).path("id").asString();

        JsonNode restore = api.awaitRestore(restoreId, RESTORE_TIMEOUT);
        assertThat(restore.path("state").asString()).as("restore %s", restore).isEqualTo("VERIFIED");
        JsonNode verification = restore.path("verification");
        assertThat(verification.path("passed").asBoolean()).isTrue();
        assertThat(verification.path("tablesChecked").asInt()).isEqualTo(2);
        assertThat(verification.path("rowsChecked").asLong()).isEqualTo(TheSystem.CUSTOMERS + TheSystem.NOTES);
        assertThat(verification.path("mismatches").size()).isZero();
        assertThat(restore.path("rtoMillis").asLong()).isPositive();

        // independently of the agent's own verification: the destination holds the source's rows and data
        assertThat(count("sys_shop_restored", "select count(*) from customers")).isEqualTo(TheSystem.CUSTOMERS);
        assertThat(text("sys_shop_restored", "select body from notes where id = 1")).isEqualTo(TheSystem.CANARY);
        provenBackupId = backupId;

        // the same destination again, now not empty, without clean: refused before anything is written
        String refusedId = SystemApi.JSON.readTree(api.requestRestore(restore(backupId, "sys_shop_restored", false))
                .body()).path("id").asString();
        JsonNode refused = api.awaitRestore(refusedId, RESTORE_TIMEOUT);
        assertThat(refused.path("state").asString()).isEqualTo("FAILED");
        assertThat(refused.path("stage").asString()).isEqualTo("DESTINATION");
        assertThat(refused.path("reason").asString()).contains("not empty").contains("clean");
        assertThat(refused.path("destinationTouched").asBoolean()).isFalse();
        assertThat(count("sys_shop_restored", "select count(*) from customers")).isEqualTo(TheSystem.CUSTOMERS);

        // with clean it is replaced and verified
        String cleanId = SystemApi.JSON.readTree(api.requestRestore(restore(backupId, "sys_shop_restored", true))
                .body()).path("id").asString();
        assertThat(api.awaitRestore(cleanId, RESTORE_TIMEOUT).path("state").asString()).isEqualTo("VERIFIED");

        // an unknown backup id is refused by the scheduler
        HttpResponse<String> unknown = api.requestRestore(restore("00000000-0000-4000-8000-000000000000",
                "sys_shop_unknown", false));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).contains("application/problem+json"));
    }

    @Test
    @Order(2)
    void aRestoreTestAfterEveryBackupVerifiesInAScratchDatabaseAndRecordsItsRto() throws SQLException {
        Map<String, Object> plan = plan("shop-restore-tested");
        plan.put("restoreTest", Map.of("afterEveryBackups", 1, "rtoTargetSeconds", 600));
        plan.put("smokeQueries", List.of(Map.of("sql", "select count(*) from customers",
                "expected", Long.toString(TheSystem.CUSTOMERS))));
        JsonNode created = api.createPlanOnceTargetIsKnown(plan);
        String planId = created.path("id").asString();
        String runId = api.runNow(planId);
        assertThat(api.awaitFinalState(runId, Duration.ofMinutes(3)).path("state").asString())
                .isIn("STORED", "VERIFIED");

        JsonNode tests = await().atMost(RESTORE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> api.restoreTests(planId), t -> !t.path("lastResult").isNull()
                        && !t.path("lastResult").isMissingNode());
        assertThat(tests.path("lastResult").asString()).as("restore tests %s", tests).isEqualTo("VERIFIED");
        assertThat(tests.path("lastRtoMillis").asLong()).isPositive();
        assertThat(tests.path("history").size()).isEqualTo(1);
        JsonNode test = tests.path("history").get(0);
        String scratch = test.path("destination").path("database").asString();
        assertThat(scratch).startsWith("backbus_rt_");
        assertThat(databaseExists(scratch)).as("the scratch database is dropped after the test").isFalse();

        // the run is proven restorable, the event says so, and the catalog records it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.run(runId).path("state").asString()).isEqualTo("VERIFIED"));
        try (TopicProbe probe = TopicProbe.open(system.servers.kafkaBootstrapServers(), Topics.RESTORE_VERIFIED)) {
            var verified = probe.awaitRecords(r -> TopicProbe.valueAsString(r).contains(planId), 1,
                    Duration.ofSeconds(30)).get(0);
            JsonNode event = SystemApi.JSON.readTree(TopicProbe.valueAsString(verified));
            assertThat(event.path("rtoMillis").asLong()).isEqualTo(tests.path("lastRtoMillis").asLong());
            assertThat(event.path("rtoTargetMillis").asLong()).isEqualTo(600_000);
            String backupId = event.path("backupId").asString();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api.backup(backupId).path("lastVerifiedAt").isNull()).isFalse());
        }
    }

    @Test
    @Order(3)
    void aRestoreTestSlowerThanItsRtoTargetFailsAndRaisesAHighAlert() {
        Map<String, Object> plan = plan("shop-restore-rto");
        // one millisecond: no real restore is that fast
        plan.put("restoreTest", Map.of("afterEveryBackups", 1, "rtoTargetSeconds", 0.001));
        String planId = api.createPlanOnceTargetIsKnown(plan).path("id").asString();
        api.awaitFinalState(api.runNow(planId), Duration.ofMinutes(3));

        JsonNode tests = await().atMost(RESTORE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> api.restoreTests(planId), t -> "FAILED".equals(t.path("lastResult").asString()));
        JsonNode test = tests.path("history").get(0);
        assertThat(test.path("stage").asString()).isEqualTo("RTO");
        assertThat(test.path("reason").asString()).contains("RTO");
        String restoreId = test.path("restoreId").asString();

        var alerts = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> system.webhook.requests().stream().map(WebhookReceiver.Request::bodyAsString)
                        .filter(body -> body.contains(restoreId)).toList(), found -> !found.isEmpty());
        JsonNode alert = SystemApi.JSON.readTree(alerts.get(0));
        assertThat(alert.path("severity").asString()).isEqualTo("high");
        assertThat(alert.path("stage").asString()).isEqualTo("RTO");
        assertThat(alert.path("target").asString()).isEqualTo("shop");
    }

    @Test
    @Order(4)
    void aStoredObjectWithOneFlippedByteFailsTheRestoreBeforeTheDestinationIsTouched() throws SQLException {
        String backupId = storedBackupOf(api.createPlanOnceTargetIsKnown("shop-restore-corrupt", "shop", AGENT));
        JsonNode backup = api.backup(backupId);
        String key = backup.path("objectKey").asString();
        byte[] object = system.servers.s3Client().getObjectAsBytes(b -> b.bucket(TheSystem.BUCKET).key(key))
                .asByteArray();
        object[object.length / 2] ^= 0x01;
        system.servers.s3Client().putObject(b -> b.bucket(TheSystem.BUCKET).key(key), RequestBody.fromBytes(object));
        drop("sys_shop_flipped");

        String restoreId = SystemApi.JSON.readTree(api.requestRestore(restore(backupId, "sys_shop_flipped", false))
                .body()).path("id").asString();
        JsonNode restore = api.awaitRestore(restoreId, RESTORE_TIMEOUT);

        assertThat(restore.path("state").asString()).isEqualTo("FAILED");
        assertThat(restore.path("stage").asString()).isEqualTo("INTEGRITY");
        assertThat(restore.path("reason").asString()).contains(backupId).contains("integrity");
        assertThat(restore.path("destinationTouched").asBoolean()).isFalse();
        assertThat(databaseExists("sys_shop_flipped")).as("the destination database was never created").isFalse();
    }

    @Test
    @Order(5)
    void afterTheCatalogIsLostAndRebuiltFromTheBucketListingAndRestoringWorkAsBefore() throws SQLException {
        assertThat(provenBackupId).as("set by the first test").isNotNull();
        Set<String> before = backupIds(api.backups("shop"));
        assertThat(before).contains(provenBackupId);

        // the catalog database loses every entry; the bucket still holds the artifacts and their manifests
        system.postgres().execute("sys_retention", "delete from backup");
        assertThat(api.backups("shop").size()).isZero();

        JsonNode rebuilt = api.rebuildCatalog();
        assertThat(rebuilt.path("added").asInt()).isGreaterThanOrEqualTo(before.size());
        assertThat(rebuilt.path("invalid").size()).isZero();
        assertThat(backupIds(api.backups("shop"))).isEqualTo(before);

        drop("sys_shop_after_rebuild");
        String restoreId = SystemApi.JSON.readTree(api.requestRestore(restore(provenBackupId,
                "sys_shop_after_rebuild", false)).body()).path("id").asString();
        JsonNode restore = api.awaitRestore(restoreId, RESTORE_TIMEOUT);
        assertThat(restore.path("state").asString()).as("restore %s", restore).isEqualTo("VERIFIED");
        assertThat(count("sys_shop_after_rebuild", "select count(*) from customers")).isEqualTo(TheSystem.CUSTOMERS);
    }

    /** Runs the plan now and returns the backup id of its stored run, once cataloged. */
    private static String storedBackupOf(JsonNode plan) {
        String runId = api.runNow(plan.path("id").asString());
        JsonNode run = api.awaitFinalState(runId, Duration.ofMinutes(3));
        assertThat(run.path("state").asString()).as("run %s", run).isEqualTo("STORED");
        JsonNode entry = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> find(api.backups("shop"), runId), found -> found != null);
        return entry.path("backupId").asString();
    }

    private static Map<String, Object> plan(String name) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", name);
        plan.put("target", "shop");
        plan.put("agent", AGENT);
        plan.put("cron", "0 3 * * *");
        plan.put("timeZone", "Europe/Berlin");
        return plan;
    }

    private static Map<String, Object> restore(String backupId, String database, boolean clean) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("backupId", backupId);
        body.put("destination", Map.of("agentId", AGENT, "target", "shop", "database", database));
        body.put("clean", clean);
        body.put("createDatabase", true);
        body.put("jobs", 2);
        return body;
    }

    private static JsonNode find(JsonNode backups, String runId) {
        for (JsonNode b : backups) {
            if (runId.equals(b.path("runId").asString())) {
                return b;
            }
        }
        return null;
    }

    private static Set<String> backupIds(JsonNode backups) {
        Set<String> ids = new HashSet<>();
        backups.forEach(b -> ids.add(b.path("backupId").asString()));
        return ids;
    }

    private static void drop(String database) {
        system.postgres().execute("postgres", "drop database if exists " + database + " with (force)");
    }

    private static boolean databaseExists(String database) throws SQLException {
        return !query("postgres", "select datname from pg_database where datname = '" + database + "'").isEmpty();
    }

    private static long count(String database, String sql) throws SQLException {
        return Long.parseLong(query(database, sql).get(0));
    }

    private static String text(String database, String sql) throws SQLException {
        return query(database, sql).get(0);
    }

    private static List<String> query(String database, String sql) throws SQLException {
        PostgresCluster pg = system.postgres();
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(new String(rs.getBytes(1), StandardCharsets.UTF_8));
            }
            return values;
        }
    }
}
