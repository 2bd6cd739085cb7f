package io.backbus.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.luben.zstd.ZstdInputStream;
import io.backbus.agent.domain.ArtifactLocations;
import io.backbus.agent.domain.BackupEvents;
import io.backbus.agent.domain.BackupKinds;
import io.backbus.agent.domain.BackupService;
import io.backbus.agent.domain.DumpCompression;
import io.backbus.agent.domain.DumpTelemetry;
import io.backbus.agent.domain.LiveDumps;
import io.backbus.agent.domain.StagedArtifact;
import io.backbus.agent.domain.TargetCatalog;
import io.backbus.agent.postgres.PgDump;
import io.backbus.agent.storage.StagedArtifactRepository;
import io.backbus.agent.storage.StagingArea;
import io.backbus.contracts.BackupRequested;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.crypto.UrlSigner;
import io.backbus.localstack.FreePorts;
import io.backbus.localstack.PostgresCluster;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.ApiAccessAssert;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent against real Kafka and the harness's PostgreSQL 15: role {@code backup_it} owns database
 * {@code agent_it_src} and {@code agent_it_big}; targets {@code good} (right password in a passfile), {@code big}
 * (megabytes of rows and a large object, for the faults mid-stream), {@code badpw} (wrong password), {@code nodb}
 * (missing database) and {@code down} (nothing listening).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN",
                "logging.level.org.apache.kafka.clients.consumer.internals.ConsumerCoordinator=WARN"})
@ExtendWith(OutputCaptureExtension.class)
class DumpAgentIT extends AgentIntegrationTest {

    private static final String AGENT_ID = "agent-it-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());
    private static final String GOOD_PASSWORD = "Good-" + randomHex();
    private static final String WRONG_PASSWORD = "Wrong-" + randomHex();
    private static final String GROUP = "dump-agent-" + AGENT_ID;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BIG_DB = "agent_it_big";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Path tmp;

    @LocalServerPort
    int port;
    @Autowired
    UrlSigner signer;
    @Autowired
    BackupService backups;
    @Autowired
    StagedArtifactRepository stagedArtifacts;

    private final RestClient http = RestClient.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestServers.springProperties(registry, "dump_agent");
        PostgresCluster pg = TestServers.get().postgres();
        pg.createRole("backup_it", GOOD_PASSWORD);
        pg.createDatabase("agent_it_src", "backup_it");
        pg.execute("agent_it_src", """
                create table if not exists widgets (id int primary key, name text not null);
                alter table widgets owner to backup_it;
                insert into widgets select g, 'widget ' || g from generate_series(1, 500) g on conflict do nothing""");
        // ~7 MB of barely compressible rows, then a large object: pg_dump writes the rows before it reads the large
        // object, so holding a lock on pg_largeobject stalls it mid-stream, deterministically
        pg.createDatabase(BIG_DB, "backup_it");
        pg.execute(BIG_DB, """
                create table if not exists readings (id int primary key, digest text not null);
                alter table readings owner to backup_it;
                insert into readings select g, md5(g::text) from generate_series(1, 150000) g on conflict do nothing;
                select lo_from_bytea(0, 'a large object') where not exists (select from pg_largeobject_metadata);
                do $$ begin execute 'alter large object ' || (select min(oid) from pg_largeobject_metadata)
                    || ' owner to backup_it'; end $$""");
        tmp = Files.createTempDirectory("dump-agent-it");
        Path goodPass = passfile(tmp, "good.pgpass", "backup_it", GOOD_PASSWORD);
        Path wrongPass = passfile(tmp, "wrong.pgpass", "backup_it", WRONG_PASSWORD);

        registry.add("backbus.agent.id", () -> AGENT_ID);
        registry.add("backbus.agent.staging-dir", () -> tmp.resolve("staging").toString());
        registry.add("backbus.agent.progress-interval", () -> "200ms");
        // announce every dump at once, however small, so the live-artifact tests see it while pg_dump is held
        registry.add("backbus.agent.streaming-threshold", () -> "0");
        target(registry, "good", pg.port(), "agent_it_src", goodPass);
        target(registry, "big", pg.port(), BIG_DB, goodPass);
        target(registry, "badpw", pg.port(), "agent_it_src", wrongPass);
        target(registry, "nodb", pg.port(), "agent_it_missing", goodPass);
        target(registry, "down", FreePorts.pick(), "agent_it_src", goodPass);
    }

    private static void target(DynamicPropertyRegistry registry, String name, int port, String database,
            Path passfile) {
        String prefix = "backbus.agent.targets." + name + ".";
        registry.add(prefix + "host", () -> "127.0.0.1");
        registry.add(prefix + "port", () -> port);
        registry.add(prefix + "database", () -> database);
        registry.add(prefix + "user", () -> "backup_it");
        registry.add(prefix + "passfile", passfile::toString);
    }

    @AfterAll
    static void removeTempFiles() throws IOException {
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void announcesItsTargetsOnStart() {
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.AGENT_ANNOUNCED)) {
            ConsumerRecord<String, byte[]> record = probe.awaitKey(AGENT_ID, WAIT);

            String json = TopicProbe.valueAsString(record);
            ContractAssertions.assertValid("schemas/agent-announced.v1.schema.json", json);
            JsonNode body = JSON.readTree(json);
            assertThat(body.get("agentId").asString()).isEqualTo(AGENT_ID);
            assertThat(body.get("targets").values()).extracting(JsonNode::asString)
                    .containsExactly("badpw", "big", "down", "good", "nodb");
            assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.AGENT_ANNOUNCED);
            assertThat(TopicProbe.header(record, CloudEventHeaders.SUBJECT)).isEqualTo(AGENT_ID);
        }
    }

    @Test
    void dumpsServesAndReleasesAnArtifact(CapturedOutput output) throws Exception {
        UUID runId = UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.ARTIFACT_READY);
                TopicProbe progress = TopicProbe.open(bootstrap(), Topics.BACKUP_PROGRESS)) {
            request(UUID.randomUUID(), runId, AGENT_ID, "good");

            ConsumerRecord<String, byte[]> record = awaitSubject(probe, runId, WAIT);
            String json = TopicProbe.valueAsString(record);
            ContractAssertions.assertValid("schemas/artifact-ready.v1.schema.json", json);
            assertEnvelope(record, AGENT_ID, "good", EventTypes.ARTIFACT_READY);
            JsonNode event = JSON.readTree(json);
            assertThat(event.get("agentId").asString()).isEqualTo(AGENT_ID);
            assertThat(event.get("target").asString()).isEqualTo("good");
            JsonNode manifest = event.get("manifest");
            assertThat(manifest.get("format").asString()).isEqualTo("pg_dump-custom");
            assertThat(manifest.get("compression").asString()).isEqualTo("zstd");
            assertThat(manifest.get("database").asString()).isEqualTo("agent_it_src");
            assertThat(manifest.get("serverVersion").asString()).startsWith("15.");
            assertThat(manifest.get("dumpToolVersion").asString()).startsWith("pg_dump (PostgreSQL) 15.");
            assertThat(json).doesNotContain(GOOD_PASSWORD);
            assertThat(rowCounts(manifest)).as("row counts in the dump's snapshot")
                    .containsExactlyEntriesOf(java.util.Map.of("public.widgets", countRows("agent_it_src", "widgets")));

            String location = event.get("location").asString();
            assertThat(location).startsWith("http://127.0.0.1:" + port + "/artifacts/" + runId + "?expires=");
            Response artifact = get(location);
            assertThat(artifact.status()).isEqualTo(200);
            assertThat(artifact.contentType()).isEqualTo("application/octet-stream");
            assertThat(artifact.contentLength()).isEqualTo(event.get("sizeBytes").asLong());
            assertThat(artifact.body()).hasSize((int) event.get("sizeBytes").asLong());
            assertThat(sha256(artifact.body())).isEqualTo(event.get("sha256").asString());
            assertThat(pgRestoreList(unzstd(artifact.body()))).contains("TABLE DATA public widgets");
            assertThat(output.getAll()).as("pg_dump and server versions compared before dumping")
                    .containsPattern("Target 'good' runs PostgreSQL 15\\.\\d+; pg_dump is 15\\.\\d+");

            JsonNode last = finalProgress(progress, runId);
            assertThat(last.get("totalBytes").asLong()).as("uncompressed size from pg_dump")
                    .isEqualTo(last.get("bytes").asLong())
                    .isEqualTo(unzstd(artifact.body()).length);

            assertThat(get(location.replace(runId.toString(), UUID.randomUUID().toString())).status())
                    .as("signature of another run").isEqualTo(403);
            String expires = location.replaceAll(".*expires=(\\d+).*", "$1");
            assertThat(get(location.replace("expires=" + expires, "expires=" + (Long.parseLong(expires) + 60)))
                    .status()).as("extended expiry").isEqualTo(403);
            assertThat(get(location.substring(0, location.length() - 1)
                    + (location.endsWith("0") ? "1" : "0")).status()).as("tampered signature").isEqualTo(403);
            assertThat(get(location.substring(0, location.indexOf("&sig="))).status()).as("no signature")
                    .isEqualTo(403);
            long past = Instant.now().minusSeconds(5).getEpochSecond();
            assertThat(get(url(runId, past)).status()).as("expired").isEqualTo(403);
            long future = Instant.now().plusSeconds(600).getEpochSecond();
            assertThat(get(url(UUID.randomUUID(), future)).status()).as("unknown run").isEqualTo(404);

            Path staged = tmp.resolve("staging").resolve(runId + ".dump.zst");
            assertThat(staged).exists();
            TopicProbe.publish(bootstrap(), Topics.BACKUP_STORED, "good",
                    AgentEventMother.headers(UUID.randomUUID(), EventTypes.BACKUP_STORED, runId.toString()),
                    AgentEventMother.stored(runId, AGENT_ID, "good"));
            await().atMost(WAIT).until(() -> !Files.exists(staged));
            assertThat(get(location).status()).as("deleted after Stored").isEqualTo(404);
        }
        assertNoPasswordIn(output.getAll());
    }

    @Test
    void aRunThatFailedAfterItsDumpHasItsStagedCopyDeleted() throws Exception {
        UUID runId = UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.ARTIFACT_READY)) {
            request(UUID.randomUUID(), runId, AGENT_ID, "good");
            String location = JSON.readTree(TopicProbe.valueAsString(awaitSubject(probe, runId, WAIT)))
                    .get("location").asString();
            Path staged = tmp.resolve("staging").resolve(runId + ".dump.zst");
            assertThat(staged).exists();

            // another agent's failed run, and this run's failure at DUMP: nothing to release here
            TopicProbe.publish(bootstrap(), Topics.BACKUP_FAILED, "good",
                    AgentEventMother.headers(UUID.randomUUID(), EventTypes.BACKUP_FAILED, runId.toString()),
                    AgentEventMother.backupFailed(runId, "another-agent", "good", "TRANSFER"));
            TopicProbe.publish(bootstrap(), Topics.BACKUP_FAILED, "good",
                    AgentEventMother.headers(UUID.randomUUID(), EventTypes.BACKUP_FAILED, runId.toString()),
                    AgentEventMother.backupFailed(runId, AGENT_ID, "good", "DUMP"));
            // the uploader gave up pulling it (say, the agent was down right after ArtifactReady)
            TopicProbe.publish(bootstrap(), Topics.BACKUP_FAILED, "good",
                    AgentEventMother.headers(UUID.randomUUID(), EventTypes.BACKUP_FAILED, runId.toString()),
                    AgentEventMother.backupFailed(runId, AGENT_ID, "good", "TRANSFER"));
            await().atMost(WAIT).until(() -> !Files.exists(staged));
            assertThat(get(location).status()).as("deleted after BackupFailed at TRANSFER").isEqualTo(404);
        }
    }

    @Test
    void janitorDeletesStagedFilesPastTheirExpiry() throws Exception {
        UUID expired = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        Path expiredFile = Files.writeString(tmp.resolve("staging").resolve(expired + ".dump"), "old");
        Path liveFile = Files.writeString(tmp.resolve("staging").resolve(live + ".dump"), "new");
        Instant now = Instant.now();
        stagedArtifacts.save(new StagedArtifact(expired, "good", expiredFile, "0".repeat(64), 3, now.minusSeconds(1),
                now.minusSeconds(3600)));
        stagedArtifacts.save(new StagedArtifact(live, "good", liveFile, "0".repeat(64), 3, now.plusSeconds(3600),
                now));

        backups.deleteExpired();

        assertThat(expiredFile).doesNotExist();
        assertThat(stagedArtifacts.findLive(expired)).isEmpty();
        assertThat(liveFile).exists();
        assertThat(stagedArtifacts.findLive(live)).isPresent();
    }

    @Test
    void artifactsAreOpenToTheirSignatureMetricsToViewers() {
        URI base = URI.create("http://127.0.0.1:" + port);
        ApiAccessAssert.assertAccess(base, "GET", "/actuator/metrics", () -> null, ApiCallers.VIEWER, 200);
        ApiAccessAssert.assertAccess(base, "GET", "/actuator/env", () -> null, ApiCallers.ADMIN, 404);
        // no credentials needed, the signature is checked: 403 from the gate, not 401
        ApiAccessAssert.Answer unsigned = ApiAccessAssert.call(base, "GET", "/artifacts/" + UUID.randomUUID()
                + "?expires=1&sig=bad", null, null);
        ApiAccessAssert.assertRefused(unsigned, 403, null);
        assertThat(unsigned.json().path("parameter").asText()).isEqualTo("sig");
        ApiAccessAssert.assertRefused(ApiAccessAssert.call(base, "GET", "/nowhere", null, null), 401, null);
    }

    @Test
    void answersHealthChecks() {
        assertThat(get("http://127.0.0.1:" + port + "/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void exposesDumpMetrics() {
        // any dump will do: this one fails, which is timed too
        failureOf(AGENT_ID, "down");

        for (String name : List.of("backbus.agent.dump.bytes", "backbus.agent.dump.staged.bytes",
                "backbus.agent.dump.duration")) {
            Response metric = get("http://127.0.0.1:" + port + "/actuator/metrics/" + name);
            assertThat(metric.status()).as(name).isEqualTo(200);
        }
        JsonNode failures = JSON.readTree(get("http://127.0.0.1:" + port
                + "/actuator/metrics/backbus.agent.dump.duration?tag=outcome:failure").body());
        assertThat(failures.get("measurements").values()).anyMatch(m -> "COUNT".equals(m.get("statistic").asString())
                && m.get("value").asDouble() >= 1);
    }

    /**
     * Row counts come from pg_dump's own snapshot: rows inserted (and committed) while pg_dump streams — it is held
     * mid-stream by a lock on pg_largeobject, after the snapshot was exported and the rows were read — are neither in
     * the archive nor in the counts, which equal the rows the archive holds.
     */
    @Test
    void countsRowsInTheSnapshotPgDumpDumpsWhileTheTableChanges() throws Exception {
        UUID runId = UUID.randomUUID();
        PostgresCluster pg = TestServers.get().postgres();
        long before = countRows(BIG_DB, "readings");
        try (TopicProbe ready = TopicProbe.open(bootstrap(), Topics.ARTIFACT_READY);
                TopicProbe progress = TopicProbe.open(bootstrap(), Topics.BACKUP_PROGRESS);
                Connection lock = pg.connect(BIG_DB)) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("lock table pg_largeobject in access exclusive mode");
            }
            request(UUID.randomUUID(), runId, AGENT_ID, "big");
            progress.awaitRecords(r -> isProgressOf(r, runId)
                    && JSON.readTree(TopicProbe.valueAsString(r)).get("bytes").asLong() > 1_000_000, 1, WAIT);

            pg.execute(BIG_DB, "insert into readings select m + g, md5(g::text) from generate_series(1, 1000) g, "
                    + "(select max(id) m from readings) x");
            lock.rollback();

            JsonNode event = JSON.readTree(TopicProbe.valueAsString(awaitSubject(ready, runId, WAIT)));
            assertThat(countRows(BIG_DB, "readings")).isEqualTo(before + 1000);
            assertThat(rowCounts(event.get("manifest"))).containsExactlyEntriesOf(
                    java.util.Map.of("public.readings", before));
            byte[] archive = unzstd(get(event.get("location").asString()).body());
            assertThat(restoredRows(archive, "readings")).as("rows in the archive").isEqualTo(before);
        }
    }

    /**
     * Fault: pg_dump dies mid-stream. A lock on pg_largeobject stalls it after it wrote megabytes of rows; once
     * progress shows bytes, its backend is terminated.
     */
    @Test
    void reportsAPgDumpThatDiesMidStreamAndLeavesNothingStaged() throws Exception {
        UUID runId = UUID.randomUUID();
        PostgresCluster pg = TestServers.get().postgres();
        try (TopicProbe failed = TopicProbe.open(bootstrap(), Topics.BACKUP_FAILED);
                TopicProbe progress = TopicProbe.open(bootstrap(), Topics.BACKUP_PROGRESS);
                Connection lock = pg.connect(BIG_DB)) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("lock table pg_largeobject in access exclusive mode");
            }
            request(UUID.randomUUID(), runId, AGENT_ID, "big");

            ConsumerRecord<String, byte[]> moving = progress.awaitRecords(r -> isProgressOf(r, runId)
                    && JSON.readTree(TopicProbe.valueAsString(r)).get("bytes").asLong() > 1_000_000, 1, WAIT).get(0);
            String json = TopicProbe.valueAsString(moving);
            ContractAssertions.assertValid("schemas/backup-progress.v1.schema.json", json);
            assertThat(moving.key()).isEqualTo("big");
            assertThat(TopicProbe.header(moving, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.BACKUP_PROGRESS);
            JsonNode body = JSON.readTree(json);
            assertThat(body.get("stage").asString()).isEqualTo("DUMP");
            assertThat(body.get("totalBytes").asLong()).isEqualTo(-1);
            assertThat(body.get("agentId").asString()).isEqualTo(AGENT_ID);
            assertThat(staged(runId)).as("the partial file while pg_dump runs")
                    .containsExactly(runId + ".dump.zst.partial");

            pg.execute("postgres", "select pg_terminate_backend(pid) from pg_stat_activity "
                    + "where application_name = 'pg_dump' and datname = '" + BIG_DB + "'");

            ConsumerRecord<String, byte[]> record = awaitSubject(failed, runId, WAIT);
            lock.rollback();
            ContractAssertions.assertValid("schemas/backup-failed.v1.schema.json", TopicProbe.valueAsString(record));
            JsonNode failure = JSON.readTree(TopicProbe.valueAsString(record));
            assertThat(failure.get("stage").asString()).isEqualTo("DUMP");
            // which of the two pg_dump reports depends on whether it was reading or waiting when its backend died
            assertThat(failure.get("reason").asString()).startsWith("pg_dump: error:")
                    .containsAnyOf("terminating connection due to administrator command",
                            "server closed the connection unexpectedly");
            assertThat(failure.get("retryable").asBoolean()).isTrue();
        }
        assertThat(staged(runId)).as("nothing of run " + runId + " left in staging").isEmpty();
        assertThat(stagedArtifacts.findLive(runId)).isEmpty();
    }

    /**
     * The artifact is served while it is dumped: pg_dump is held mid-stream (a lock on pg_largeobject, after it wrote
     * megabytes of rows), the live URL of ArtifactStreaming already delivers bytes, and once the lock goes the body
     * ends with exactly the staged artifact ArtifactReady describes.
     */
    @Test
    void streamsTheArtifactWhileItIsDumped(CapturedOutput output) throws Exception {
        UUID runId = UUID.randomUUID();
        PostgresCluster pg = TestServers.get().postgres();
        try (TopicProbe streamingProbe = TopicProbe.open(bootstrap(), Topics.ARTIFACT_STREAMING);
                TopicProbe ready = TopicProbe.open(bootstrap(), Topics.ARTIFACT_READY);
                Connection lock = pg.connect(BIG_DB)) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("lock table pg_largeobject in access exclusive mode");
            }
            request(UUID.randomUUID(), runId, AGENT_ID, "big");

            ConsumerRecord<String, byte[]> record = awaitSubject(streamingProbe, runId, WAIT);
            String json = TopicProbe.valueAsString(record);
            ContractAssertions.assertValid("schemas/artifact-streaming.v1.schema.json", json);
            assertEnvelope(record, AGENT_ID, "big", EventTypes.ARTIFACT_STREAMING);
            JsonNode streaming = JSON.readTree(json);
            assertThat(streaming.get("agentId").asString()).isEqualTo(AGENT_ID);
            assertThat(streaming.get("target").asString()).isEqualTo("big");
            String live = streaming.get("location").asString();
            assertThat(live).startsWith("http://127.0.0.1:" + port + "/artifacts/" + runId + "/live?expires=");
            assertThat(Long.parseLong(live.replaceAll(".*expires=(\\d+).*", "$1")))
                    .isEqualTo(Instant.parse(streaming.get("expiresAt").asString()).getEpochSecond());

            LiveBody body = LiveBody.open(live);
            assertThat(body.status()).isEqualTo(200);
            assertThat(body.contentLength()).as("chunked, no Content-Length").isEmpty();
            await().atMost(WAIT).until(() -> body.received() > 100_000);
            assertThat(staged(runId)).as("bytes arrive while pg_dump is still held mid-stream")
                    .containsExactly(runId + ".dump.zst.partial");
            lock.rollback();

            byte[] bytes = body.awaitEnd(WAIT);
            JsonNode event = JSON.readTree(TopicProbe.valueAsString(awaitSubject(ready, runId, WAIT)));
            assertThat(bytes).hasSize((int) event.get("sizeBytes").asLong());
            assertThat(sha256(bytes)).isEqualTo(event.get("sha256").asString());
            assertThat(Instant.parse(streaming.get("dumpStartedAt").asString()))
                    .as("the manifest's dumpStartedAt, to the nanosecond")
                    .isEqualTo(Instant.parse(event.get("manifest").get("dumpStartedAt").asString()));

            // once staged the live URL serves the staged file, chunked all the same
            Response again = get(live);
            assertThat(again.status()).isEqualTo(200);
            assertThat(sha256(again.body())).isEqualTo(event.get("sha256").asString());

            // neither URL's signature opens the other
            String staged = event.get("location").asString();
            String liveQuery = live.substring(live.indexOf('?'));
            String stagedQuery = staged.substring(staged.indexOf('?'));
            String base = "http://127.0.0.1:" + port + "/artifacts/" + runId;
            assertThat(get(base + liveQuery).status()).as("live signature on the staged URL").isEqualTo(403);
            assertThat(get(base + "/live" + stagedQuery).status()).as("staged signature on the live URL")
                    .isEqualTo(403);
            assertThat(get(live.substring(0, live.length() - 1) + (live.endsWith("0") ? "1" : "0")).status())
                    .as("tampered signature").isEqualTo(403);
            assertThat(get(live.substring(0, live.indexOf("&sig="))).status()).as("no signature").isEqualTo(403);
            long past = Instant.now().minusSeconds(5).getEpochSecond();
            assertThat(get(liveUrl(runId, past)).status()).as("expired").isEqualTo(403);
            long future = Instant.now().plusSeconds(600).getEpochSecond();
            Response unknown = get(liveUrl(UUID.randomUUID(), future));
            assertThat(unknown.status()).as("unknown run").isEqualTo(404);
            assertThat(unknown.contentType()).isEqualTo("application/problem+json");
        }
        assertThat(output.getAll()).as("no URL signature in the logs")
                .doesNotContainPattern("sig=[0-9a-f]{64}");
    }

    /**
     * A dump that fails mid-stream breaks the live body off: the reader gets an IOException, not a clean end of a
     * truncated artifact.
     */
    @Test
    void breaksTheLiveBodyOffWhenTheDumpFails(CapturedOutput output) throws Exception {
        UUID runId = UUID.randomUUID();
        PostgresCluster pg = TestServers.get().postgres();
        try (TopicProbe streamingProbe = TopicProbe.open(bootstrap(), Topics.ARTIFACT_STREAMING);
                TopicProbe failed = TopicProbe.open(bootstrap(), Topics.BACKUP_FAILED);
                Connection lock = pg.connect(BIG_DB)) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("lock table pg_largeobject in access exclusive mode");
            }
            request(UUID.randomUUID(), runId, AGENT_ID, "big");
            String live = JSON.readTree(TopicProbe.valueAsString(awaitSubject(streamingProbe, runId, WAIT)))
                    .get("location").asString();
            LiveBody body = LiveBody.open(live);
            assertThat(body.status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> body.received() > 100_000);

            pg.execute("postgres", "select pg_terminate_backend(pid) from pg_stat_activity "
                    + "where application_name = 'pg_dump' and datname = '" + BIG_DB + "'");

            awaitSubject(failed, runId, WAIT);
            lock.rollback();
            assertThat(body.awaitFailure(WAIT)).as("the body breaks off").isInstanceOf(IOException.class);
            assertThat(get(live).status()).as("nothing to serve for a failed run").isEqualTo(404);
        }
        assertThat(staged(runId)).isEmpty();
        assertThat(output.getAll()).as("no URL signature in the logs").doesNotContainPattern("sig=[0-9a-f]{64}")
                .contains("Breaking off the live artifact of run " + runId);
    }

    /** {@code backbus.agent.streaming=false}: the same dump, staged and announced, but no ArtifactStreaming. */
    @Test
    void announcesNoLiveArtifactWithStreamingOff(@Autowired TargetCatalog targets, @Autowired PgDump pgDump,
            @Autowired StagingArea staging, @Autowired ArtifactLocations locations, @Autowired BackupEvents events,
            @Autowired DumpTelemetry telemetry, @Autowired LiveDumps live,
            @Autowired PlatformTransactionManager transactions) {
        BackupService withoutStreaming = new BackupService(AGENT_ID, targets, BackupKinds.of(pgDump, null), staging,
                stagedArtifacts, locations, events, Clock.systemUTC(), Duration.ofHours(1), telemetry, live, null);
        UUID runId = UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.ARTIFACT_STREAMING, Topics.ARTIFACT_READY)) {
            new TransactionTemplate(transactions).executeWithoutResult(tx -> withoutStreaming.dump(
                    new BackupRequested(runId, UUID.randomUUID(), "plan", AGENT_ID, "good", Instant.now(),
                            Instant.now(), 1, "manual")));

            ConsumerRecord<String, byte[]> first = awaitSubject(probe, runId, WAIT);
            assertThat(first.topic()).isEqualTo(Topics.ARTIFACT_READY);
            assertThat(probe.records(Duration.ofMillis(500)))
                    .noneMatch(r -> r.topic().equals(Topics.ARTIFACT_STREAMING)
                            && runId.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)));
            assertThat(live.find(runId)).isEmpty();
        }
    }

    /**
     * Fault: the staging filesystem fills up. A real 2 MiB tmpfs (needs root and mount(2)); the dump of
     * {@code big} compresses to about 3.5 MB.
     */
    @Test
    void reportsAFullStagingFilesystemAndReclaimsTheSpace(@Autowired TargetCatalog targets,
            @Autowired ArtifactLocations locations, @Autowired BackupEvents events, @Autowired DumpTelemetry telemetry,
            @Autowired PlatformTransactionManager transactions) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiny-staging"));
        String mounted = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=700", "tmpfs", dir.toString());
        Assumptions.assumeTrue(mounted == null, () -> {
            String why = "SKIPPED reportsAFullStagingFilesystemAndReclaimsTheSpace: cannot mount a 2 MiB tmpfs at "
                    + dir + " (" + mounted + "); the /dev/full unit test in PgDumpTest still covers a full disk";
            System.out.println(why);
            return why;
        });
        try {
            StagingArea tiny = StagingArea.open(dir, ".dump.zst");
            long freeBefore = Files.getFileStore(dir).getUsableSpace();
            PgDump pgDump = new PgDump(PostgresCluster.binDir(), System::getenv, Clock.systemUTC(),
                    tiny::openForWrite, DumpCompression.zstd(1, 0), AGENT_ID);
            BackupService service = new BackupService(AGENT_ID, targets, pgDump, tiny, stagedArtifacts, locations,
                    events, Clock.systemUTC(), Duration.ofHours(1), telemetry);
            UUID runId = UUID.randomUUID();
            try (TopicProbe failed = TopicProbe.open(bootstrap(), Topics.BACKUP_FAILED)) {
                new TransactionTemplate(transactions).executeWithoutResult(tx -> service.dump(new BackupRequested(
                        runId, UUID.randomUUID(), "tiny", AGENT_ID, "big", Instant.now(), Instant.now(), 1,
                        "manual")));

                ConsumerRecord<String, byte[]> record = awaitSubject(failed, runId, WAIT);
                ContractAssertions.assertValid("schemas/backup-failed.v1.schema.json",
                        TopicProbe.valueAsString(record));
                JsonNode failure = JSON.readTree(TopicProbe.valueAsString(record));
                assertThat(failure.get("stage").asString()).isEqualTo("DUMP");
                assertThat(failure.get("reason").asString())
                        .isEqualTo("cannot write the dump to staging dir " + tiny.dir() + ": no space left on device");
                assertThat(failure.get("retryable").asBoolean()).isTrue();
            }
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(runId.toString()));
            }
            assertThat(Files.getFileStore(dir).getUsableSpace()).as("space reclaimed").isEqualTo(freeBefore);
            assertThat(stagedArtifacts.findLive(runId)).isEmpty();
        } finally {
            String unmounted = run("umount", dir.toString());
            assertThat(unmounted).as("umount " + dir).isNull();
        }
    }

    @Test
    void reportsAWrongPasswordWithPgDumpsMessageAndWithoutThePassword(CapturedOutput output) {
        JsonNode failure = failureOf(AGENT_ID, "badpw");

        assertThat(failure.get("stage").asString()).isEqualTo("DUMP");
        // the agent's own session (exporting the snapshot) connects first and reports what the server said
        assertThat(failure.get("reason").asString()).startsWith("connection to server at \"127.0.0.1\", port ")
                .contains("password authentication failed for user \"backup_it\"");
        assertThat(failure.get("retryable").asBoolean()).isFalse();
        assertThat(failure.get("agentId").asString()).isEqualTo(AGENT_ID);
        assertNoPasswordIn(failure.toString());
        assertNoPasswordIn(output.getAll());
        assertThat(output.getAll()).contains("password authentication failed");
        assertThat(tmp.resolve("staging")).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void reportsAMissingDatabase() {
        JsonNode failure = failureOf(AGENT_ID, "nodb");

        assertThat(failure.get("reason").asString()).contains("database \"agent_it_missing\" does not exist");
        assertThat(failure.get("retryable").asBoolean()).isFalse();
    }

    @Test
    void reportsAServerThatIsDownAsRetryable() {
        JsonNode failure = failureOf(AGENT_ID, "down");

        assertThat(failure.get("reason").asString()).startsWith("connection to server at \"127.0.0.1\", port ")
                .contains("Connection refused");
        assertThat(failure.get("retryable").asBoolean()).isTrue();
    }

    @Test
    void reportsAnUnknownTarget() {
        JsonNode failure = failureOf(AGENT_ID, "nope");

        assertThat(failure.get("reason").asString()).isEqualTo("unknown target 'nope' on agent '" + AGENT_ID + "'");
        assertThat(failure.get("retryable").asBoolean()).isFalse();
    }

    @Test
    void ignoresRequestsForOtherAgents() {
        UUID foreign = UUID.randomUUID();
        UUID marker = UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.ARTIFACT_READY, Topics.BACKUP_FAILED)) {
            // same key, so the same partition: the marker is handled after the foreign request
            request(UUID.randomUUID(), foreign, "some-other-agent", "good");
            request(UUID.randomUUID(), marker, AGENT_ID, "unknown-marker");
            awaitSubject(probe, marker, WAIT);

            assertThat(probe.records(Duration.ofMillis(500)))
                    .noneMatch(r -> foreign.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)));
        }
    }

    @Test
    void handlesARedeliveredEventOnce() {
        UUID eventId = UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        UUID marker = UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.BACKUP_FAILED)) {
            request(eventId, runId, AGENT_ID, "unknown-dup");
            request(eventId, runId, AGENT_ID, "unknown-dup");
            request(UUID.randomUUID(), marker, AGENT_ID, "unknown-dup");
            awaitSubject(probe, marker, WAIT);

            assertThat(probe.records(Duration.ofMillis(500)))
                    .filteredOn(r -> runId.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)))
                    .hasSize(1);
        }
    }

    @Test
    void deadLettersAMalformedRequestAndGoesOn() {
        String dlq = Topics.deadLetter(Topics.BACKUP_REQUESTED, GROUP);
        assertThat(dlq).isEqualTo("backbus.backup.requested.dump-agent-" + AGENT_ID + ".dlq");
        UUID broken = UUID.randomUUID();
        UUID incomplete = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        try (TopicProbe dead = TopicProbe.open(bootstrap(), dlq);
                TopicProbe failed = TopicProbe.open(bootstrap(), Topics.BACKUP_FAILED)) {
            TopicProbe.publish(bootstrap(), Topics.BACKUP_REQUESTED, "malformed",
                    AgentEventMother.headers(UUID.randomUUID(), EventTypes.BACKUP_REQUESTED, broken.toString()),
                    "{\"runId\": \"" + broken + "\", not json");
            String withoutTarget = AgentEventMother.backupRequested(incomplete, AGENT_ID, "x")
                    .replace("\"target\":\"x\",", "");
            TopicProbe.publish(bootstrap(), Topics.BACKUP_REQUESTED, "malformed",
                    AgentEventMother.headers(UUID.randomUUID(), EventTypes.BACKUP_REQUESTED, incomplete.toString()),
                    withoutTarget);
            request(UUID.randomUUID(), next, AGENT_ID, "malformed");

            List<ConsumerRecord<String, byte[]>> deadLettered = dead.awaitRecords(r -> true, 2, WAIT);
            assertThat(TopicProbe.header(deadLettered.get(0), CloudEventHeaders.SUBJECT)).isEqualTo(broken.toString());
            assertThat(TopicProbe.header(deadLettered.get(0), CloudEventHeaders.DLQ_REASON))
                    .startsWith("malformed event: unparsable BackupRequested body");
            assertThat(TopicProbe.header(deadLettered.get(1), CloudEventHeaders.DLQ_REASON))
                    .isEqualTo("malformed event: BackupRequested: $: required property 'target' not found");
            assertThat(JSON.readTree(TopicProbe.valueAsString(awaitSubject(failed, next, WAIT))).get("reason").asString())
                    .isEqualTo("unknown target 'malformed' on agent '" + AGENT_ID + "'");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private JsonNode failureOf(String agentId, String target) {
        UUID runId = UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.open(bootstrap(), Topics.BACKUP_FAILED)) {
            request(UUID.randomUUID(), runId, agentId, target);
            ConsumerRecord<String, byte[]> record = awaitSubject(probe, runId, WAIT);
            String json = TopicProbe.valueAsString(record);
            ContractAssertions.assertValid("schemas/backup-failed.v1.schema.json", json);
            assertThat(record.key()).isEqualTo(target);
            assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.BACKUP_FAILED);
            JsonNode failure = JSON.readTree(json);
            assertThat(failure.get("runId").asString()).isEqualTo(runId.toString());
            assertThat(failure.get("stage").asString()).isEqualTo("DUMP");
            return failure;
        }
    }

    private static boolean isProgressOf(ConsumerRecord<String, byte[]> record, UUID runId) {
        return runId.toString().equals(TopicProbe.header(record, CloudEventHeaders.SUBJECT));
    }

    /** The progress that states the total, after validating every progress event of the run. */
    private static JsonNode finalProgress(TopicProbe progress, UUID runId) {
        ConsumerRecord<String, byte[]> last = progress.awaitRecords(r -> isProgressOf(r, runId)
                && JSON.readTree(TopicProbe.valueAsString(r)).get("totalBytes").asLong() >= 0, 1, WAIT).get(0);
        String json = TopicProbe.valueAsString(last);
        ContractAssertions.assertValid("schemas/backup-progress.v1.schema.json", json);
        assertThat(last.key()).isEqualTo("good");
        assertThat(TopicProbe.header(last, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.BACKUP_PROGRESS);
        assertThat(TopicProbe.header(last, CloudEventHeaders.SOURCE)).isEqualTo("urn:backbus:dump-agent:" + AGENT_ID);
        JsonNode body = JSON.readTree(json);
        assertThat(body.get("stage").asString()).isEqualTo("DUMP");
        assertThat(body.get("agentId").asString()).isEqualTo(AGENT_ID);
        return body;
    }

    /** Names of the staging files of a run. */
    private static List<String> staged(UUID runId) throws IOException {
        try (var files = Files.list(tmp.resolve("staging"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(runId.toString())).toList();
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }

    private static byte[] unzstd(byte[] compressed) throws IOException {
        try (var in = new ZstdInputStream(new java.io.ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    private static void request(UUID eventId, UUID runId, String agentId, String target) {
        TopicProbe.publish(bootstrap(), Topics.BACKUP_REQUESTED, target,
                AgentEventMother.headers(eventId, EventTypes.BACKUP_REQUESTED, runId.toString()),
                AgentEventMother.backupRequested(runId, agentId, target));
    }

    private String url(UUID runId, long expires) {
        return "http://127.0.0.1:" + port + "/artifacts/" + runId + "?expires=" + expires + "&sig="
                + signer.sign(runId.toString(), expires);
    }

    private String liveUrl(UUID runId, long expires) {
        return "http://127.0.0.1:" + port + "/artifacts/" + runId + "/live?expires=" + expires + "&sig="
                + signer.sign(ArtifactLocations.liveResource(runId.toString()), expires);
    }

    /** A live artifact's body, read on a thread of its own while the test goes on. */
    private static final class LiveBody {
        private final HttpResponse<InputStream> response;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        private final CompletableFuture<byte[]> end = new CompletableFuture<>();

        private LiveBody(HttpResponse<InputStream> response) {
            this.response = response;
        }

        static LiveBody open(String url) throws Exception {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
            LiveBody body = new LiveBody(response);
            Thread reader = new Thread(body::read, "live-body-reader");
            reader.setDaemon(true);
            reader.start();
            return body;
        }

        private void read() {
            byte[] buffer = new byte[8192];
            try (InputStream in = response.body()) {
                for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                    synchronized (bytes) {
                        bytes.write(buffer, 0, n);
                    }
                    received.addAndGet(n);
                }
                synchronized (bytes) {
                    end.complete(bytes.toByteArray());
                }
            } catch (IOException | RuntimeException e) {
                end.completeExceptionally(e);
            }
        }

        int status() {
            return response.statusCode();
        }

        java.util.OptionalLong contentLength() {
            return response.headers().firstValueAsLong("Content-Length");
        }

        long received() {
            return received.get();
        }

        /** The whole body, once it ended normally. */
        byte[] awaitEnd(Duration wait) throws Exception {
            return end.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Why the body did not end normally; fails if it did. */
        Throwable awaitFailure(Duration wait) throws Exception {
            try {
                byte[] all = end.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("the body ended cleanly after " + all.length + " bytes");
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            }
        }
    }

    private record Response(int status, String contentType, long contentLength, byte[] body) {
    }

    /** A GET; actuator endpoints other than health with a viewer's token, artifacts (signed URLs) with none. */
    private Response get(String url) {
        boolean actuator = url.contains("/actuator/") && !url.contains("/actuator/health");
        return http.get().uri(URI.create(url)).headers(h -> {
            if (actuator) {
                h.set("Authorization", ApiCallers.VIEWER.bearer());
            }
        }).exchange((request, response) -> new Response(
                response.getStatusCode().value(), String.valueOf(response.getHeaders().getContentType()),
                response.getHeaders().getContentLength(), response.getBody().readAllBytes()));
    }

    private static String pgRestoreList(byte[] archive) throws Exception {
        Path file = Files.write(tmp.resolve(UUID.randomUUID() + ".dump"), archive);
        Process p = new ProcessBuilder(PostgresCluster.binDir().resolve("pg_restore").toString(), "--list",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("pg_restore --list: " + out).isZero();
        return out;
    }

    private static java.util.Map<String, Long> rowCounts(JsonNode manifest) {
        JsonNode counts = manifest.get("tableRowCounts");
        assertThat(counts).as("manifest.tableRowCounts").isNotNull();
        java.util.Map<String, Long> result = new java.util.TreeMap<>();
        counts.properties().forEach(e -> result.put(e.getKey(), e.getValue().asLong()));
        return result;
    }

    private static long countRows(String database, String table) throws Exception {
        try (Connection c = TestServers.get().postgres().connect(database); Statement st = c.createStatement();
                var rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The data rows of {@code table} in a custom-format archive, as pg_restore writes them out. */
    private static long restoredRows(byte[] archive, String table) throws Exception {
        Path file = Files.write(tmp.resolve(UUID.randomUUID() + ".dump"), archive);
        Process p = new ProcessBuilder(PostgresCluster.binDir().resolve("pg_restore").toString(), "--data-only",
                "--table=" + table, "--file=-", file.toString()).redirectErrorStream(true).start();
        long rows = 0;
        boolean inCopy = false;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("COPY public." + table + " ")) {
                    inCopy = true;
                } else if (inCopy && line.equals("\\.")) {
                    inCopy = false;
                } else if (inCopy) {
                    rows++;
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("pg_restore --data-only").isZero();
        return rows;
    }

    private static void assertNoPasswordIn(String text) {
        assertThat(text).doesNotContain(GOOD_PASSWORD).doesNotContain(WRONG_PASSWORD);
    }
}
