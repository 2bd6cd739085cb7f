package io.backbus.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import com.sun.net.httpserver.HttpServer;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.localstack.PostgresCluster;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's half of an evented restore (ADR 0006) against real Kafka and the harness's PostgreSQL 15.
 *
 * <p>The artifact is real: the agent itself dumps database {@code restore_it_src} (target {@code src}) through its
 * backup path, and the test fetches the staged, zstd-compressed archive from the ArtifactReady location, with the
 * manifest and its row counts as the agent recorded them. A JDK {@link HttpServer} in the test then serves it to
 * the agent at a signed-looking URL: it stands in for the uploader's decrypting {@code /restore-artifacts/}
 * endpoint, which lives in another service. Restores go to target {@code dest} (same server, role
 * {@code restore_it} with CREATEDB, its own database {@code restore_it_home}); {@code badpw} has a wrong password.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN",
                "logging.level.org.apache.kafka.clients.consumer.internals.ConsumerCoordinator=WARN",
                "backbus.agent.restore.smoke-query-timeout=2s",
                "logging.level.io.backbus.agent.postgres.PgRestore=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class RestoreIT extends AgentIntegrationTest {

    private static final String AGENT_ID = "restore-it-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());
    private static final String PASSWORD = "Restore-" + randomHex();
    private static final String WRONG_PASSWORD = "Wrong-" + randomHex();
    /** What the uploader's URL signature would be: allowed in events, never in logs. */
    private static final String SIG = randomHex() + randomHex();
    private static final String ROLE = "restore_it";
    private static final String SOURCE_DB = "restore_it_src";
    private static final String HOME_DB = "restore_it_home";
    private static final String PAID_SQL = "select count(*) from public.orders where status = 'paid'";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Path tmp;
    private static HttpServer uploader;
    private static final Map<String, byte[]> served = new ConcurrentHashMap<>();
    /** Restores whose next N responses the stand-in cuts short. */
    private static final Map<String, java.util.concurrent.atomic.AtomicInteger> cutShort = new ConcurrentHashMap<>();
    private static final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> requests =
            new ConcurrentHashMap<>();
    private static Artifact artifact;

    /** The agent's own dump of the source: the zstd bytes served, and its manifest. */
    private record Artifact(UUID runId, byte[] bytes, String sha256, ObjectNode manifest) {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestServers.springProperties(registry, "dump_agent_restore");
        PostgresCluster pg = TestServers.get().postgres();
        pg.createRole(ROLE, PASSWORD);
        pg.execute("postgres", "alter role " + ROLE + " createdb");
        pg.createDatabase(HOME_DB, ROLE);
        pg.createDatabase(SOURCE_DB, ROLE);
        pg.execute(SOURCE_DB, """
                set role restore_it;
                create table if not exists widgets (id int primary key, name text not null);
                insert into widgets select g, 'widget ' || g from generate_series(1, 500) g on conflict do nothing;
                create table if not exists orders (id int primary key, status text not null);
                insert into orders select g, case when g % 3 = 0 then 'paid' else 'open' end
                  from generate_series(1, 300) g on conflict do nothing;
                create index if not exists orders_status on orders (status);
                create or replace view paid_orders as select * from orders where status = 'paid';
                create schema if not exists "we.ird";
                create table if not exists "we.ird"."t.a""b" (x int);
                insert into "we.ird"."t.a""b" select 1 where not exists (select from "we.ird"."t.a""b");
                insert into "we.ird"."t.a""b" select 2 where (select count(*) from "we.ird"."t.a""b") = 1""");
        tmp = Files.createTempDirectory("restore-it");
        Path goodPass = passfile(tmp, "good.pgpass", ROLE, PASSWORD);
        Path wrongPass = passfile(tmp, "wrong.pgpass", ROLE, WRONG_PASSWORD);

        registry.add("backbus.agent.id", () -> AGENT_ID);
        registry.add("backbus.agent.staging-dir", () -> tmp.resolve("staging").toString());
        registry.add("backbus.agent.progress-interval", () -> "100ms");
        registry.add("backbus.agent.restore.transfer-attempts", () -> "3");
        registry.add("backbus.agent.restore.transfer-backoff", () -> "100ms");
        target(registry, "src", SOURCE_DB, goodPass);
        target(registry, "dest", HOME_DB, goodPass);
        target(registry, "badpw", HOME_DB, wrongPass);
    }

    private static void target(DynamicPropertyRegistry registry, String name, String database, Path passfile) {
        String prefix = "backbus.agent.targets." + name + ".";
        registry.add(prefix + "host", () -> "127.0.0.1");
        registry.add(prefix + "port", () -> TestServers.get().postgres().port());
        registry.add(prefix + "database", () -> database);
        registry.add(prefix + "user", () -> ROLE);
        registry.add(prefix + "passfile", passfile::toString);
    }

    @BeforeAll
    static void startUploaderStandIn() throws IOException {
        uploader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        uploader.createContext("/restore-artifacts/", exchange -> {
            try (exchange) {
                String id = exchange.getRequestURI().getPath().substring("/restore-artifacts/".length());
                requests.computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                byte[] body = served.get(id);
                if (body == null || !String.valueOf(exchange.getRequestURI().getQuery()).contains("sig=" + SIG)) {
                    exchange.sendResponseHeaders(body == null ? 404 : 403, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                java.util.concurrent.atomic.AtomicInteger cut = cutShort.get(id);
                if (cut != null && cut.getAndDecrement() > 0) {
                    // the uploader killed mid-body: the connection closes short of Content-Length
                    exchange.getResponseBody().write(body, 0, body.length / 2);
                    exchange.getResponseBody().flush();
                    return;
                }
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        uploader.start();
    }

    @AfterAll
    static void stopAndClean() throws IOException {
        uploader.stop(0);
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void restoresTheContractSampleIntoANewDatabaseAndVerifiesIt(CapturedOutput output) throws Exception {
        UUID restoreId = UUID.randomUUID();
        String database = "restore_it_new_" + shortHex();
        ObjectNode event = event(restoreId, database);
        setOptions(event, false, true, 2, false);
        assertThat(event.get("smokeQueries").get(0).get("sql").asString()).isEqualTo(PAID_SQL);

        try (TopicProbe progress = TopicProbe.open(bootstrap(), Topics.RESTORE_PROGRESS)) {
            JsonNode completed = completedOf(publish(event));

            assertThat(completed.get("restoreId").asString()).isEqualTo(restoreId.toString());
            assertThat(completed.get("backupId").asString()).isEqualTo(event.get("backupId").asString());
            assertThat(completed.get("planId").isNull()).isTrue();
            assertThat(completed.get("purpose").asString()).isEqualTo("MANUAL");
            assertThat(completed.get("target").asString()).isEqualTo("src");
            assertThat(completed.get("destination")).isEqualTo(event.get("destination"));
            assertThat(completed.get("destinationDropped").asBoolean()).isFalse();
            Instant startedAt = Instant.parse(completed.get("startedAt").asString());
            Instant finishedAt = Instant.parse(completed.get("finishedAt").asString());
            assertThat(finishedAt).isAfterOrEqualTo(startedAt);
            assertThat(completed.get("durationMillis").asLong()).isPositive()
                    .isLessThanOrEqualTo(Duration.between(startedAt, finishedAt).toMillis() + 1000);

            Map<String, Long> source = sourceCounts();
            assertThat(source).containsEntry("public.widgets", 500L).containsEntry("public.orders", 300L)
                    .containsEntry("we.ird.t.a\"b", 2L).hasSize(3);
            assertThat(rowCounts(artifact().manifest())).as("the agent's manifest").isEqualTo(source);
            JsonNode verification = completed.get("verification");
            assertThat(verification.get("passed").asBoolean()).isTrue();
            assertThat(verification.get("tablesChecked").asInt()).isEqualTo(3);
            assertThat(verification.get("rowsChecked").asLong()).isEqualTo(802);
            assertThat(verification.get("mismatches").values()).isEmpty();
            JsonNode smoke = verification.get("smokeResults").get(0);
            assertThat(smoke.get("sql").asString()).isEqualTo(PAID_SQL);
            assertThat(smoke.get("actual").asString()).isEqualTo("100");
            assertThat(smoke.get("passed").asBoolean()).isTrue();
            assertThat(smoke.get("error").isNull()).isTrue();
            assertThat(verification.get("summary").asString())
                    .isEqualTo("3 tables, 802 rows match the backup's snapshot; 1 smoke query passed");

            assertThat(countsIn(database)).as("the restored database, counted independently").isEqualTo(source);
            try (Connection c = TestServers.get().postgres().connect(database); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select count(*) from paid_orders")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the view works").isEqualTo(100);
            }
            assertThat(databaseComment(database)).isEqualTo("backbus: restored from backup "
                    + event.get("backupId").asString() + " by restore " + restoreId);
            assertThat(output.getAll()).as("jobs=2 reached pg_restore").containsPattern(
                    "Running \\S+/pg_restore --dbname=host='127\\.0\\.0\\.1' port='\\d+' user='restore_it' "
                            + "dbname='" + database + "' --no-password --jobs=2 --no-owner --no-privileges "
                            + "--exit-on-error --verbose \\S+/" + restoreId + "\\.restore\\.dump");

            JsonNode transfer = finalProgress(progress, restoreId, "TRANSFER");
            assertThat(transfer.get("bytes").asLong()).isEqualTo(artifact().bytes().length)
                    .isEqualTo(transfer.get("totalBytes").asLong());
            JsonNode restoring = finalProgress(progress, restoreId, "RESTORE");
            assertThat(restoring.get("totalBytes").asLong()).as("entries in the archive").isGreaterThanOrEqualTo(8);
            assertThat(restoring.get("bytes").asLong()).isEqualTo(restoring.get("totalBytes").asLong());
            progress.records(Duration.ZERO).forEach(r -> assertNoSecretIn(TopicProbe.valueAsString(r)));
        }
        assertThat(restoreFiles()).as("the staged archive is deleted").isEmpty();
        assertNoSecretIn(output.getAll());
        assertThat(output.getAll()).as("no URL signature in logs").doesNotContain(SIG);
    }

    @Test
    void refusesADestinationWithTablesWithoutCleanAndReplacesItWithClean(CapturedOutput output) throws Exception {
        String database = "restore_it_busy_" + shortHex();
        PostgresCluster pg = TestServers.get().postgres();
        pg.createDatabase(database, ROLE);
        pg.execute(database, """
                set role restore_it;
                create table widgets (id int primary key, name text not null);
                insert into widgets values (1, 'mine'), (2, 'mine'), (3, 'mine');
                create table keepme (id int);
                insert into keepme values (1), (2)""");

        UUID refused = UUID.randomUUID();
        ObjectNode withoutClean = event(refused, database);
        setOptions(withoutClean, false, true, 1, false);
        JsonNode failure = failureOf(publish(withoutClean));

        assertThat(failure.get("stage").asString()).isEqualTo("DESTINATION");
        assertThat(failure.get("reason").asString()).isEqualTo("destination database \"" + database
                + "\" on target 'dest' is not empty (2 tables); restore with clean to replace its contents");
        assertThat(failure.get("destinationTouched").asBoolean()).isFalse();
        assertThat(failure.get("destination")).isEqualTo(withoutClean.get("destination"));
        assertThat(countsIn(database)).as("untouched").isEqualTo(Map.of("public.widgets", 3L, "public.keepme", 2L));

        ObjectNode withClean = event(UUID.randomUUID(), database);
        setOptions(withClean, true, false, 2, false);
        JsonNode completed = completedOf(publish(withClean));

        assertThat(completed.get("verification").get("passed").asBoolean()).isTrue();
        Map<String, Long> expected = new TreeMap<>(sourceCounts());
        expected.put("public.keepme", 2L); // not in the archive: --clean replaces only what the archive holds
        assertThat(countsIn(database)).isEqualTo(expected);
        assertThat(databaseComment(database)).as("a database it did not create keeps its comment").isNull();
        assertNoSecretIn(output.getAll());
    }

    @Test
    void refusesAMissingDatabaseUnlessAskedToCreateIt() throws Exception {
        String database = "restore_it_missing_" + shortHex();
        ObjectNode event = event(UUID.randomUUID(), database);
        setOptions(event, false, false, 1, false);

        JsonNode failure = failureOf(publish(event));

        assertThat(failure.get("stage").asString()).isEqualTo("DESTINATION");
        assertThat(failure.get("reason").asString()).isEqualTo("destination database \"" + database
                + "\" on target 'dest' does not exist; ask to create it (createDatabase) or create it first");
        assertThat(failure.get("destinationTouched").asBoolean()).isFalse();
        assertThat(databaseExists(database)).isFalse();
    }

    @Test
    void refusesAnArtifactWhoseChecksumDiffersBeforeTheDestinationIsCreated(CapturedOutput output) throws Exception {
        UUID restoreId = UUID.randomUUID();
        String database = "restore_it_sha_" + shortHex();
        ObjectNode event = event(restoreId, database);
        setOptions(event, false, true, 2, false);
        String wrong = sha256(new byte[] {1, 2, 3});
        event.put("sha256", wrong);

        JsonNode failure = failureOf(publish(event));

        assertThat(failure.get("stage").asString()).isEqualTo("TRANSFER");
        assertThat(failure.get("reason").asString()).isEqualTo("the SHA-256 of the " + artifact().bytes().length
                + " bytes received is " + artifact().sha256() + ", not " + wrong + " as announced: the artifact was "
                + "altered or corrupted in transfer; the destination was not touched");
        assertThat(failure.get("destinationTouched").asBoolean()).isFalse();
        assertThat(databaseExists(database)).as("not created").isFalse();
        assertThat(restoreFiles()).as("staging file gone").isEmpty();
        assertThat(output.getAll()).doesNotContain(SIG);
    }

    @Test
    void aTransferCutShortByTheUploaderIsAttemptedAgainAndTheRestoreVerifies() throws Exception {
        UUID restoreId = UUID.randomUUID();
        String database = "restore_it_retry_" + shortHex();
        ObjectNode event = event(restoreId, database);
        setOptions(event, false, true, 2, false);
        cutShort.put(restoreId.toString(), new java.util.concurrent.atomic.AtomicInteger(2));

        JsonNode completed = completedOf(publish(event));

        assertThat(requests.get(restoreId.toString())).hasValue(3);
        assertThat(completed.get("verification").get("passed").asBoolean()).isTrue();
        assertThat(completed.get("verification").get("rowsChecked").asLong()).isEqualTo(802);
        assertThat(restoreFiles()).isEmpty();
    }

    @Test
    void aTransferThatBreaksEveryAttemptFailsAtTransferBeforeTheDestinationIsCreated(CapturedOutput output)
            throws Exception {
        UUID restoreId = UUID.randomUUID();
        String database = "restore_it_broken_" + shortHex();
        ObjectNode event = event(restoreId, database);
        setOptions(event, false, true, 2, false);
        cutShort.put(restoreId.toString(), new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE));

        JsonNode failure = failureOf(publish(event));

        assertThat(requests.get(restoreId.toString())).hasValue(3);
        assertThat(failure.get("stage").asString()).isEqualTo("TRANSFER");
        assertThat(failure.get("reason").asString()).contains(" of " + artifact().bytes().length + " bytes")
                .endsWith(" (attempt 3 of 3); the destination was not touched");
        assertThat(failure.get("destinationTouched").asBoolean()).isFalse();
        assertThat(databaseExists(database)).as("not created").isFalse();
        assertThat(restoreFiles()).as("staging file gone").isEmpty();
        assertThat(output.getAll()).doesNotContain(SIG);
    }

    @Test
    void completesWithAFailedVerificationWhenCountsOrSmokeQueriesDisagree() throws Exception {
        String database = "restore_it_verify_" + shortHex();
        ObjectNode event = event(UUID.randomUUID(), database);
        setOptions(event, false, true, 2, false);
        ObjectNode counts = (ObjectNode) event.get("manifest").get("tableRowCounts");
        counts.put("public.widgets", 501);
        counts.put("public.gone", 7);
        ArrayNode smoke = event.putArray("smokeQueries");
        smoke.addObject().put("sql", PAID_SQL).put("expected", "100");
        smoke.addObject().put("sql", "select name from widgets where id = 1").put("expected", "widget 2");
        smoke.addObject().put("sql", "select max(id) from widgets where id < 0").putNull("expected");
        smoke.addObject().put("sql", "select * from nope").put("expected", "1");
        smoke.addObject().put("sql", "delete from widgets returning id").put("expected", "1");
        smoke.addObject().put("sql", "select pg_sleep(30)::text").put("expected", "");

        JsonNode verification = completedOf(publish(event)).get("verification");

        assertThat(verification.get("passed").asBoolean()).isFalse();
        assertThat(verification.get("tablesChecked").asInt()).isEqualTo(3);
        assertThat(verification.get("rowsChecked").asLong()).isEqualTo(802);
        assertThat(JSON.writeValueAsString(verification.get("mismatches"))).isEqualTo(
                "[{\"table\":\"public.gone\",\"expectedRows\":7,\"actualRows\":null},"
                        + "{\"table\":\"public.widgets\",\"expectedRows\":501,\"actualRows\":500}]");
        List<JsonNode> results = List.copyOf(verification.get("smokeResults").values());
        assertThat(results).extracting(r -> r.get("passed").asBoolean())
                .containsExactly(true, false, true, false, false, false);
        assertThat(results.get(1).get("actual").asString()).isEqualTo("widget 1");
        assertThat(results.get(2).get("actual").isNull()).as("SQL NULL expects null").isTrue();
        assertThat(results.get(3).get("error").asString()).isEqualTo("relation \"nope\" does not exist");
        assertThat(results.get(4).get("error").asString())
                .isEqualTo("cannot execute DELETE in a read-only transaction");
        assertThat(results.get(5).get("error").asString()).isEqualTo("canceling statement due to statement timeout");
        assertThat(verification.get("summary").asString()).startsWith("row counts differ in public.gone (expected "
                + "7, table missing), public.widgets (expected 501, found 500); 2 other tables match; 4 of 6 smoke "
                + "queries failed: 'select name from widgets where id = 1' returned 'widget 1', expected "
                + "'widget 2', 'select * from nope' failed: relation \"nope\" does not exist, ");
        assertThat(countsIn(database).get("public.widgets")).as("smoke queries cannot write").isEqualTo(500);
    }

    @Test
    void dropsAScratchDatabaseAfterVerifyingIt() throws Exception {
        UUID restoreId = UUID.randomUUID();
        UUID planId = UUID.randomUUID();
        // quoting all the way: CREATE DATABASE, pg_restore's connection string, JDBC URL, DROP DATABASE
        String database = "rt scratch \"x\" = 'y' \\ " + shortHex();
        ObjectNode event = event(restoreId, database);
        setOptions(event, false, true, 2, true);
        event.put("purpose", "TEST");
        event.put("planId", planId.toString());

        JsonNode completed = completedOf(publish(event));

        assertThat(completed.get("destinationDropped").asBoolean()).isTrue();
        assertThat(completed.get("purpose").asString()).isEqualTo("TEST");
        assertThat(completed.get("planId").asString()).isEqualTo(planId.toString());
        assertThat(completed.get("verification").get("passed").asBoolean()).isTrue();
        assertThat(completed.get("verification").get("rowsChecked").asLong()).isEqualTo(802);
        assertThat(databaseExists(database)).as("dropped").isFalse();
    }

    @Test
    void dropsTheDatabaseItCreatedWhenPgRestoreFails(CapturedOutput output) throws Exception {
        UUID restoreId = UUID.randomUUID();
        String database = "restore_it_corrupt_" + shortHex();
        // the archive cut short (its last data block incomplete), compressed again: the transfer checks out, the
        // uploader's checksum is right, but pg_restore cannot read it to the end
        byte[] archive = unzstd(artifact().bytes());
        byte[] corrupt = zstd(java.util.Arrays.copyOf(archive, archive.length - 100));
        ObjectNode event = event(restoreId, database, corrupt);
        setOptions(event, false, true, 2, false);

        JsonNode failure = failureOf(publish(event));

        assertThat(failure.get("stage").asString()).isEqualTo("RESTORE");
        assertThat(failure.get("reason").asString()).startsWith("pg_restore failed: could not read from input file: "
                + "end of file").endsWith("; the database this restore created was dropped");
        assertThat(failure.get("destinationTouched").asBoolean()).isFalse();
        assertThat(databaseExists(database)).isFalse();
        assertThat(restoreFiles()).isEmpty();
        assertNoSecretIn(output.getAll());
    }

    @Test
    void saysAPartialRestoreIsLeftInADatabaseItDidNotCreate() throws Exception {
        String database = "restore_it_partial_" + shortHex();
        TestServers.get().postgres().createDatabase(database, ROLE);
        byte[] archive = unzstd(artifact().bytes());
        ObjectNode event = event(UUID.randomUUID(), database, zstd(java.util.Arrays.copyOf(archive,
                archive.length - 100)));
        setOptions(event, false, false, 1, false);

        JsonNode failure = failureOf(publish(event));

        assertThat(failure.get("stage").asString()).isEqualTo("RESTORE");
        assertThat(failure.get("reason").asString()).startsWith("pg_restore failed: ").endsWith("; destination \""
                + database + "\" holds a partial restore; re-run with clean to replace it");
        assertThat(failure.get("destinationTouched").asBoolean()).isTrue();
        assertThat(databaseExists(database)).isTrue();
        assertThat(countsIn(database)).as("tables were created before it failed").isNotEmpty();
    }

    @Test
    void recreatesADatabaseLeftByAnUnfinishedAttemptOfTheSameRestore() throws Exception {
        UUID restoreId = UUID.randomUUID();
        String database = "restore_it_leftover_" + shortHex();
        PostgresCluster pg = TestServers.get().postgres();
        pg.createDatabase(database, ROLE);
        pg.execute(database, "set role restore_it; create table widgets (id int); insert into widgets values (1)");
        pg.execute("postgres", "comment on database " + database + " is 'backbus: restore " + restoreId
                + " in progress'");
        ObjectNode event = event(restoreId, database);
        setOptions(event, false, true, 2, false);

        JsonNode completed = completedOf(publish(event));

        assertThat(completed.get("verification").get("passed").asBoolean()).isTrue();
        assertThat(countsIn(database)).isEqualTo(sourceCounts());
    }

    @Test
    void refusesDestinationsItCannotUseBeforePullingAnything(CapturedOutput output) throws Exception {
        ObjectNode unknown = event(UUID.randomUUID(), "restore_it_x");
        ((ObjectNode) unknown.get("destination")).put("target", "nope");
        assertThat(failureOf(publish(unknown)).get("reason").asString())
                .isEqualTo("agent '" + AGENT_ID + "' serves no target 'nope'");

        String tooLong = "ä".repeat(32);
        JsonNode longName = failureOf(publish(event(UUID.randomUUID(), tooLong)));
        assertThat(longName.get("stage").asString()).isEqualTo("DESTINATION");
        assertThat(longName.get("reason").asString()).isEqualTo("cannot restore into that database: the destination "
                + "database name is 64 bytes long; PostgreSQL identifiers hold at most 63 bytes");

        ObjectNode own = event(UUID.randomUUID(), HOME_DB);
        setOptions(own, true, true, 1, true);
        assertThat(failureOf(publish(own)).get("reason").asString()).startsWith("refusing dropAfterVerify for "
                + "destination database \"" + HOME_DB + "\" on target 'dest': it is the database target 'dest' itself "
                + "backs up");

        // a format no restorer of this agent handles (the agent's ITs know pg_dump-custom and the test-only
        // fixed-bytes-v1 of io.backbus.agent.fixedbytes)
        ObjectNode otherFormat = event(UUID.randomUUID(), "restore_it_x");
        ((ObjectNode) otherFormat.get("manifest")).put("format", "tar-v1");
        JsonNode unknownFormat = failureOf(publish(otherFormat));
        assertThat(unknownFormat.get("stage").asString()).isEqualTo("DESTINATION");
        assertThat(unknownFormat.get("reason").asString()).isEqualTo("agent '" + AGENT_ID + "' cannot restore "
                + "artifacts of format 'tar-v1' (it knows: fixed-bytes-v1, pg_dump-custom)");
        assertThat(unknownFormat.get("destinationTouched").asBoolean()).isFalse();

        ObjectNode badPassword = event(UUID.randomUUID(), "restore_it_x");
        ((ObjectNode) badPassword.get("destination")).put("target", "badpw");
        JsonNode refused = failureOf(publish(badPassword));
        assertThat(refused.get("stage").asString()).isEqualTo("DESTINATION");
        assertThat(refused.get("reason").asString()).startsWith("cannot inspect destination database "
                + "\"restore_it_x\" on target 'badpw' as user 'restore_it' at 127.0.0.1:")
                .contains("password authentication failed for user \"restore_it\"");
        assertThat(refused.get("destinationTouched").asBoolean()).isFalse();
        assertThat(output.getAll()).contains("password authentication failed");
        assertNoSecretIn(output.getAll());
    }

    @Test
    void ignoresRestoresForOtherAgents() throws Exception {
        UUID foreign = UUID.randomUUID();
        UUID marker = UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.RESTORE_COMPLETED, Topics.RESTORE_FAILED)) {
            ObjectNode other = event(foreign, "restore_it_foreign");
            ((ObjectNode) other.get("destination")).put("agentId", "some-other-agent");
            publish(other);
            // same key, so the same partition: the marker is handled after the foreign event
            publish(unknownTarget(marker));
            awaitSubject(probe, marker, WAIT);

            assertThat(probe.records(Duration.ofMillis(500)))
                    .noneMatch(r -> foreign.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)));
        }
    }

    @Test
    void handlesARedeliveredEventOnce() {
        UUID eventId = UUID.randomUUID();
        UUID restoreId = UUID.randomUUID();
        UUID marker = UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.RESTORE_FAILED)) {
            ObjectNode event = unknownTarget(restoreId);
            publish(eventId, event);
            publish(eventId, event);
            publish(unknownTarget(marker));
            awaitSubject(probe, marker, WAIT);

            assertThat(probe.records(Duration.ofMillis(500)))
                    .filteredOn(r -> restoreId.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)))
                    .hasSize(1);
        }
    }

    // -----------------------------------------------------------------------------------------------------------

    /** The contract sample, adapted: this agent, target dest, the real artifact served by the stand-in uploader. */
    private ObjectNode event(UUID restoreId, String database) throws Exception {
        return event(restoreId, database, artifact().bytes());
    }

    private ObjectNode event(UUID restoreId, String database, byte[] body) throws Exception {
        Artifact a = artifact();
        ObjectNode node = AgentEventMother.restoreArtifactReady(restoreId, AGENT_ID, "dest", database);
        node.put("backupId", UUID.randomUUID().toString());
        node.put("runId", a.runId().toString());
        node.put("target", "src");
        served.put(restoreId.toString(), body);
        long expires = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        node.put("location", "http://127.0.0.1:" + uploader.getAddress().getPort() + "/restore-artifacts/"
                + restoreId + "?expires=" + expires + "&sig=" + SIG);
        node.put("sha256", sha256(body));
        node.put("sizeBytes", body.length);
        node.put("expiresAt", Instant.ofEpochSecond(expires).toString());
        node.set("manifest", a.manifest().deepCopy());
        ((ObjectNode) node.get("smokeQueries").get(0)).put("sql", PAID_SQL).put("expected", "100");
        return node;
    }

    /** An event for this agent whose destination target it does not serve: fails at once, without a transfer. */
    private ObjectNode unknownTarget(UUID restoreId) {
        try {
            ObjectNode node = event(restoreId, "restore_it_x");
            ((ObjectNode) node.get("destination")).put("target", "nope");
            return node;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setOptions(ObjectNode event, boolean clean, boolean create, int jobs, boolean drop) {
        ((ObjectNode) event.get("options")).put("clean", clean).put("createDatabase", create).put("jobs", jobs)
                .put("dropAfterVerify", drop);
    }

    private static UUID publish(ObjectNode event) {
        return publish(UUID.randomUUID(), event);
    }

    private static UUID publish(UUID eventId, ObjectNode event) {
        String json = AgentEventMother.json(event);
        ContractAssertions.assertValid("schemas/restore-artifact-ready.v1.schema.json", json);
        UUID restoreId = UUID.fromString(event.get("restoreId").asString());
        TopicProbe.publish(bootstrap(), Topics.RESTORE_ARTIFACT_READY, event.get("target").asString(),
                AgentEventMother.headers(eventId, EventTypes.RESTORE_ARTIFACT_READY, restoreId.toString()), json);
        return restoreId;
    }

    private static JsonNode completedOf(UUID restoreId) {
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.RESTORE_COMPLETED, Topics.RESTORE_FAILED)) {
            ConsumerRecord<String, byte[]> record = awaitSubject(probe, restoreId, WAIT);
            String json = TopicProbe.valueAsString(record);
            assertThat(record.topic()).as(json).isEqualTo(Topics.RESTORE_COMPLETED);
            ContractAssertions.assertValid("schemas/restore-completed.v1.schema.json", json);
            assertEnvelope(record, EventTypes.RESTORE_COMPLETED);
            assertNoSecretIn(json);
            return JSON.readTree(json);
        }
    }

    private static JsonNode failureOf(UUID restoreId) {
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.RESTORE_COMPLETED, Topics.RESTORE_FAILED)) {
            ConsumerRecord<String, byte[]> record = awaitSubject(probe, restoreId, WAIT);
            String json = TopicProbe.valueAsString(record);
            assertThat(record.topic()).as(json).isEqualTo(Topics.RESTORE_FAILED);
            ContractAssertions.assertValid("schemas/restore-failed.v1.schema.json", json);
            assertEnvelope(record, EventTypes.RESTORE_FAILED);
            assertNoSecretIn(json);
            return JSON.readTree(json);
        }
    }

    private static void assertEnvelope(ConsumerRecord<String, byte[]> record, String type) {
        assertEnvelope(record, AGENT_ID, "src", type);
    }

    /** The progress of one stage that states it is done, after validating it. */
    private static JsonNode finalProgress(TopicProbe progress, UUID restoreId, String stage) {
        ConsumerRecord<String, byte[]> last = progress.awaitRecords(r -> {
            if (!restoreId.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT))) {
                return false;
            }
            JsonNode body = JSON.readTree(TopicProbe.valueAsString(r));
            return body.get("stage").asString().equals(stage)
                    && body.get("bytes").asLong() == body.get("totalBytes").asLong();
        }, 1, WAIT).get(0);
        String json = TopicProbe.valueAsString(last);
        ContractAssertions.assertValid("schemas/restore-progress.v1.schema.json", json);
        assertThat(last.key()).isEqualTo("src");
        assertThat(TopicProbe.header(last, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.RESTORE_PROGRESS);
        JsonNode body = JSON.readTree(json);
        assertThat(body.get("restoreId").asString()).isEqualTo(restoreId.toString());
        assertThat(body.get("target").asString()).isEqualTo("src");
        return body;
    }

    /** The agent's own dump of the source, taken once through its backup path (BackupRequested → ArtifactReady). */
    private static synchronized Artifact artifact() throws Exception {
        if (artifact == null) {
            UUID runId = UUID.randomUUID();
            try (TopicProbe ready = TopicProbe.open(bootstrap(), Topics.ARTIFACT_READY)) {
                TopicProbe.publish(bootstrap(), Topics.BACKUP_REQUESTED, "src",
                        AgentEventMother.headers(UUID.randomUUID(), EventTypes.BACKUP_REQUESTED, runId.toString()),
                        AgentEventMother.backupRequested(runId, AGENT_ID, "src"));
                JsonNode event = JSON.readTree(TopicProbe.valueAsString(awaitSubject(ready, runId, WAIT)));
                byte[] bytes = RestClient.create().get().uri(URI.create(event.get("location").asString()))
                        .retrieve().body(byte[].class);
                assertThat(sha256(bytes)).isEqualTo(event.get("sha256").asString());
                assertThat(event.get("manifest").get("compression").asString()).isEqualTo("zstd");
                artifact = new Artifact(runId, bytes, sha256(bytes), (ObjectNode) event.get("manifest"));
            }
        }
        return artifact;
    }

    private static Map<String, Long> sourceCounts() throws Exception {
        return countsIn(SOURCE_DB);
    }

    /** Exact row counts of the user tables of a database, counted as superuser. */
    private static Map<String, Long> countsIn(String database) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            List<String[]> tables = new java.util.ArrayList<>();
            try (ResultSet rs = st.executeQuery("select schemaname, tablename from pg_tables "
                    + "where schemaname not in ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] t : tables) {
                try (ResultSet rs = st.executeQuery("select count(*) from \"" + t[0].replace("\"", "\"\"") + "\".\""
                        + t[1].replace("\"", "\"\"") + "\"")) {
                    rs.next();
                    counts.put(t[0] + "." + t[1], rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static Connection connect(String database) throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", TestServers.get().postgres().superuser());
        props.setProperty("password", TestServers.get().postgres().superuserPassword());
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + TestServers.get().postgres().port() + "/" + java.net.URLEncoder.encode(database,
                        java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"), props);
    }

    private static boolean databaseExists(String database) throws Exception {
        try (Connection c = connect("postgres");
                PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String databaseComment(String database) throws Exception {
        try (Connection c = connect("postgres"); PreparedStatement ps = c.prepareStatement(
                "select shobj_description(oid, 'pg_database') from pg_database where datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static List<Path> restoreFiles() throws IOException {
        try (var files = Files.list(tmp.resolve("staging"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".restore.dump")).toList();
        }
    }

    private static Map<String, Long> rowCounts(JsonNode manifest) {
        Map<String, Long> result = new TreeMap<>();
        manifest.get("tableRowCounts").properties().forEach(e -> result.put(e.getKey(), e.getValue().asLong()));
        return result;
    }

    private static byte[] unzstd(byte[] compressed) throws IOException {
        try (var in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    private static byte[] zstd(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    private static void assertNoSecretIn(String text) {
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD);
    }

    private static String shortHex() {
        return HexFormat.of().toHexDigits(new SecureRandom().nextInt());
    }
}
