package io.backbus.scheduler;

import static io.backbus.testsupport.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.ContractEvent;
import io.backbus.contracts.ServiceTopics;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.DatabaseFingerprint;
import io.backbus.testsupport.HostileRecords;
import io.backbus.testsupport.HostileRecords.Hostile;
import io.backbus.testsupport.ProblemAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hostile input to the scheduler, against real Kafka and PostgreSQL (the catalog served by {@link CatalogStub}):
 * on each of its nine topics every record it must refuse is dead-lettered with its reason or is a documented no-op
 * (an event for a run or restore it does not know, a second record reusing an event id with another body aimed at
 * a real run or restore), the consumer goes on, and no plan, run, restore or event changes; every endpoint answers
 * hostile requests with a 4xx problem naming the field, and stores nothing (docs/hostile-input.md).
 *
 * <p>Not a {@link SchedulerIntegrationTest}: it consumes in a group of its own from the latest offset, so it must
 * wait for its partitions before announcing its agent, which the base does in its own {@code @BeforeEach}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HostileInputIT {

    /** Its own group, from the latest offset: other ITs' records and contexts do not interfere. */
    private static final String GROUP = "scheduler-hostile-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String AGENT = "hostile-agent-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String TARGET = "hostile-target-" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper TREES = new ObjectMapper();
    private static TopicProbe produced;
    private static UUID runId;
    private static UUID restoreId;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "scheduler_hostile");
        registry.add("backbus.scheduler.catalog-url", () -> CatalogStub.get().url().toString());
        registry.add("backbus.scheduler.catalog-token", ApiCallers.VIEWER::token);
        registry.add("backbus.delivery.consumer-group", () -> GROUP);
        registry.add("spring.kafka.consumer.auto-offset-reset", () -> "latest");
        registry.add("backbus.delivery.retry.attempts", () -> "1");
        registry.add("backbus.delivery.retry.initial-interval", () -> "100ms");
    }

    @BeforeAll
    static void openProbe() {
        produced = TopicProbe.open(TestServers.get().kafkaBootstrapServers(),
                ServiceTopics.SCHEDULER.produces().toArray(String[]::new));
    }

    @AfterAll
    static void closeProbe() {
        produced.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private final HttpClient http = HttpClient.newHttpClient();
    private final HostileRecords hostile = new HostileRecords(TestServers.get().kafkaBootstrapServers(), GROUP);

    /** Once: the agent announced, a plan with a requested run, a requested restore. */
    @BeforeEach
    void aRunAndARestore() {
        if (runId != null) {
            return;
        }
        listeners.getListenerContainers().forEach(c -> ContainerTestUtils.waitForAssignment(c, 6));
        awaitProcessed(hostile.publishValid(ContractEvent.AGENT_ANNOUNCED, AGENT, announcement(AGENT, TARGET)));
        HttpResponse<String> plan = send(api("/plans").POST(json(plan(TARGET))).header("Content-Type",
                "application/json"));
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
        String planId = field(plan, "id");
        HttpResponse<String> run = send(api("/plans/" + planId + "/runs").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
        runId = UUID.fromString(field(run, "id"));
        CatalogStub.Backup backup = CatalogStub.get().available(TARGET, Instant.now().minusSeconds(60));
        HttpResponse<String> restore = send(api("/restores").POST(json("""
                {"backupId": "%s", "destination": {"agentId": "%s", "target": "%s", "database": "hostile_restored"}}"""
                .formatted(backup.backupId(), AGENT, TARGET))).header("Content-Type", "application/json"));
        assertThat(restore.statusCode()).as(restore.body()).isEqualTo(202);
        restoreId = UUID.fromString(field(restore, "id"));
        // the outbox sent BackupRequested and RestoreRequested
        produced.awaitRecords(r -> TARGET.equals(r.key()), 2, WAIT);
    }

    /**
     * The seven topics whose events are recorded as processed: the first event (for a run or restore the scheduler
     * does not know: a logged no-op) is processed; a record reusing its id aimed at the real run or restore, another
     * unknown one and every malformed record change nothing; an event after them is processed.
     */
    @ParameterizedTest
    @EnumSource(names = {"AGENT_ANNOUNCED", "ARTIFACT_READY", "BACKUP_STORED", "BACKUP_FAILED",
            "RESTORE_ARTIFACT_READY", "RESTORE_COMPLETED", "RESTORE_FAILED"})
    void hostileRecordsChangeNothingAndTheConsumerGoesOn(ContractEvent contract) {
        UUID first = hostile.publishValid(contract, TARGET, about(contract, UUID.randomUUID()));
        awaitProcessed(first);
        Map<String, String> before = DatabaseFingerprint.of(dataSource);
        int sent = sentSoFar();

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, another body aimed at the real run or restore", first, contract.type(),
                about(contract, null)));
        UUID forged = UUID.randomUUID();
        cases.add(Hostile.noOp(contract == ContractEvent.AGENT_ANNOUNCED ? "another agent"
                : "for a run or restore nobody requested", forged, contract.type(), about(contract, UUID.randomUUID())));
        cases.addAll(HostileRecords.malformed(contract));
        hostile.publishAndAwaitDeadLetters(contract, TARGET, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, TARGET);

        if (contract != ContractEvent.AGENT_ANNOUNCED) {
            assertThat(DatabaseFingerprint.of(dataSource)).as("no plan, run or restore changed").isEqualTo(before);
        } else {
            assertThat(DatabaseFingerprint.of(dataSource).get("agent_target"))
                    .as("the real agent's targets are not replaced").isNotEqualTo(null);
            assertThat(targetsOf(AGENT)).containsExactly(TARGET);
        }
        assertThat(sentSoFar()).as("no event sent").isEqualTo(sent);
        assertThat(state("/runs/" + runId)).isEqualTo("REQUESTED");
        assertThat(state("/restores/" + restoreId)).isEqualTo("REQUESTED");
        awaitProcessed(hostile.publishValid(contract, TARGET, about(contract, UUID.randomUUID())));
    }

    /** Telemetry is not recorded as processed (a duplicate only repeats a maximum): malformed records only. */
    @ParameterizedTest
    @EnumSource(names = {"BACKUP_PROGRESS", "RESTORE_PROGRESS"})
    void hostileTelemetryChangesNothingAndTheConsumerGoesOn(ContractEvent contract) {
        Map<String, String> before = DatabaseFingerprint.of(dataSource);
        hostile.publishAndAwaitDeadLetters(contract, TARGET, HostileRecords.malformed(contract), WAIT);
        hostile.assertRefusedByTheBus(contract, TARGET);
        assertThat(DatabaseFingerprint.of(dataSource)).as("no progress recorded").isEqualTo(before);

        hostile.publishValid(contract, TARGET, about(contract, null));
        boolean run = contract == ContractEvent.BACKUP_PROGRESS;
        await().atMost(WAIT).until(() -> {
            HttpResponse<String> view = send(api(run ? "/runs/" + runId : "/restores/" + restoreId).GET());
            var node = TREES.readTree(view.body());
            return run ? node.path("bytesDumped").asLong() == 4096 : node.path("progress").path("bytes").asLong() == 4096;
        });
    }

    // ---- REST ----------------------------------------------------------------------------------------------

    static Stream<Arguments> hostileRequests() {
        String big = "x".repeat(2 * 1024 * 1024);
        return Stream.of(
                post("/plans", "{\"name\": \"x\", ", "body"),
                post("/plans", "[1, 2]", "body"),
                post("/plans", "", "body"),
                post("/plans", "null", null),
                post("/plans", plan(TARGET).replace("\"name\": \"", "\"name\": {\"a\": \"").replace("\", \"target\"",
                        "\"}, \"target\""), "name"),
                post("/plans", plan(TARGET).replaceFirst("\"name\": \"[^\"]*\"", "\"name\": 42"), "name"),
                post("/plans", withField(plan(TARGET), "bogus", "1"), "bogus"),
                post("/plans", withField(plan(TARGET), "restoreTest", "{\"cron\": \"0 3 * * *\", \"bogus\": 1}"),
                        "restoreTest.bogus"),
                post("/plans", withField(plan(TARGET), "restoreTest",
                        "{\"cron\": \"0 3 * * *\", \"jobs\": 99999999999999999999999}"), "restoreTest.jobs"),
                post("/plans", withField(plan(TARGET), "restoreTest", "{\"cron\": \"0 3 * * *\", \"jobs\": \"4\"}"),
                        "restoreTest.jobs"),
                post("/plans", withField(plan(TARGET), "restoreTest",
                        "{\"cron\": \"0 3 * * *\", \"rtoTargetSeconds\": 1e400}"), "restoreTest.rtoTargetSeconds"),
                post("/plans", withField(plan(TARGET), "restoreTest",
                        "{\"cron\": \"0 3 * * *\", \"afterEveryBackups\": -99999999999}"),
                        "restoreTest.afterEveryBackups"),
                post("/plans", named("../../etc/passwd"), "name"),
                post("/plans", named("nightly; rm -rf / #"), "name"),
                post("/plans", named("x' OR '1'='1"), "name"),
                post("/plans", named("$(reboot)"), "name"),
                post("/plans", named("`id`"), "name"),
                post("/plans", named("--help"), "name"),
                post("/plans", named("x\\u0000y"), "name"),
                post("/plans", named("line\\ninjected"), "name"),
                post("/plans", named("x".repeat(10_000)), "name"),
                post("/plans", plan("../../etc"), "target"),
                post("/plans", plan(TARGET).replace("0 2 * * *", "0 2 * * * ; rm -rf /"), "cron"),
                post("/plans", plan(TARGET).replace("\"UTC\"", "\"../../../../etc/passwd\""), "timeZone"),
                post("/plans", withField(plan(TARGET), "smokeQueries", "\"DROP TABLE plan\""), "smokeQueries"),
                post("/plans", withField(plan(TARGET), "smokeQueries", "[{\"sql\": \"select 1\\u0000\"}]"),
                        "smokeQueries[0].sql"),
                Arguments.of("POST", "/plans", plan(TARGET).replace("}", ", \"pad\": \"" + big + "\"}"), 413,
                        "body"),
                post("/restores", "{\"backupId\": ", "body"),
                post("/restores", restore("\"" + UUID.randomUUID() + "\"", "x; DROP DATABASE prod"),
                        "destination.database"),
                post("/restores", restore("\"" + UUID.randomUUID() + "\"", "../../etc"), "destination.database"),
                post("/restores", restore("\"" + UUID.randomUUID() + "\"", "-c"), "destination.database"),
                post("/restores", restore("\"not-a-uuid\"", "db"), "backupId"),
                post("/restores", restore("\"'; DROP TABLE plan;--\"", "db"), "backupId"),
                post("/restores", restore("42", "db"), "backupId"),
                post("/restores", withField(restore("\"" + UUID.randomUUID() + "\"", "db"), "jobs",
                        "99999999999999999999"), "jobs"),
                post("/restores", withField(restore("\"" + UUID.randomUUID() + "\"", "db"), "jobs", "\"4\""), "jobs"),
                post("/restores", withField(restore("\"" + UUID.randomUUID() + "\"", "db"), "clean", "\"yes\""),
                        "clean"),
                post("/restores", withField(restore("\"" + UUID.randomUUID() + "\"", "db"), "force", "true"), "force"),
                get("/plans/not-a-uuid", "id"),
                get("/plans/1'%20OR%20'1'%3D'1", "id"),
                get("/plans/99999999999999999999999999999/restore-tests", "id"),
                get("/runs?plan=1'%20OR%201%3D1--", "plan"),
                get("/runs?plan=" + UUID.randomUUID() + "%00", "plan"),
                get("/restores/%24(reboot)", "id"),
                get("/runs/..%2F..%2Fetc%2Fpasswd", "path"),
                Arguments.of("POST", "/plans/not-a-uuid/runs", "", 400, "id"),
                // a method /plans does not have; a path no endpoint rule admits, whatever the role (fail closed)
                Arguments.of("DELETE", "/plans", "", 405, null),
                Arguments.of("GET", "/nothing-here", "", 403, null));
    }

    @ParameterizedTest(name = "{0} {1} -> {3} naming {4}")
    @MethodSource("hostileRequests")
    void hostileRequestsAre4xxProblemsNamingTheFieldAndStoreNothing(String method, String path, String body,
            int status, String field) {
        Map<String, String> before = DatabaseFingerprint.of(dataSource);
        HttpRequest.Builder request = api(path).method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : json(body));
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json");
        }
        assertProblem(send(request), status, field);
        assertThat(DatabaseFingerprint.of(dataSource)).as("nothing stored").isEqualTo(before);
    }

    @Test
    void aChunkedOversizedBodyIsRefusedToo() {
        HttpRequest.Builder request = api("/plans").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        plan(TARGET).replace("}", ", \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes())));
        Map<String, String> before = DatabaseFingerprint.of(dataSource);
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 413);
        assertProblem(response, response.statusCode(), null);
        assertThat(DatabaseFingerprint.of(dataSource)).isEqualTo(before);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Every request of this test goes through here, as an admin: what is tested is the input, not the role. */
    private HttpRequest.Builder api(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Authorization", ApiCallers.ADMIN.bearer()).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            ProblemAssertions.assertNoInsides(response.body());
            return response;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    private static Arguments post(String path, String body, String field) {
        return Arguments.of("POST", path, body, 400, field);
    }

    private static Arguments get(String path, String field) {
        return Arguments.of("GET", path, "", 400, field);
    }

    private static String plan(String target) {
        return "{\"name\": \"hostile-" + UUID.randomUUID() + "\", \"target\": \"" + target + "\", \"agent\": \"" + AGENT
                + "\", \"cron\": \"0 2 * * *\", \"timeZone\": \"UTC\"}";
    }

    private static String named(String jsonEscapedName) {
        return plan(TARGET).replaceFirst("\"name\": \"[^\"]*\"",
                java.util.regex.Matcher.quoteReplacement("\"name\": \"" + jsonEscapedName + "\""));
    }

    private static String restore(String backupIdJson, String database) {
        return "{\"backupId\": " + backupIdJson + ", \"destination\": {\"agentId\": \"" + AGENT + "\", \"target\": \""
                + TARGET + "\", \"database\": \"" + database + "\"}}";
    }

    private static String withField(String json, String name, String valueJson) {
        return json.substring(0, json.lastIndexOf('}')) + ", \"" + name + "\": " + valueJson + "}";
    }

    private static String field(HttpResponse<String> response, String name) {
        try {
            return TREES.readTree(response.body()).path(name).asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String state(String path) {
        return field(send(api(path).GET()), "state");
    }

    private List<String> targetsOf(String agent) {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "select target from agent_target where agent_id = ? order by target")) {
            ps.setString(1, agent);
            List<String> targets = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    targets.add(rs.getString(1));
                }
            }
            return targets;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int sentSoFar() {
        // the scheduler's own events (hostile records on BackupFailed and RestoreFailed are the test's)
        return (int) produced.records(Duration.ofMillis(500)).stream().filter(r -> TARGET.equals(r.key())
                && "urn:backbus:scheduler-service".equals(TopicProbe.header(r, CloudEventHeaders.SOURCE))).count();
    }

    private void awaitProcessed(UUID eventId) {
        await().atMost(WAIT).until(() -> DatabaseFingerprint.processed(dataSource, GROUP, eventId));
    }

    private static String announcement(String agent, String... targets) {
        return HostileRecords.sample(ContractEvent.AGENT_ANNOUNCED, s -> {
            s.put("agentId", agent).put("announcedAt", Instant.now().toString());
            ArrayNode list = s.putArray("targets");
            for (String t : targets) {
                list.add(t);
            }
            return s;
        });
    }

    /**
     * A valid event of {@code contract} about run or restore {@code id}, or (null) about the real run or restore;
     * for AgentAnnounced: a fresh agent, or (null) the real agent announcing another target.
     */
    private static String about(ContractEvent contract, UUID id) {
        return switch (contract) {
            case AGENT_ANNOUNCED -> id == null ? announcement(AGENT, "evil")
                    : announcement("hostile-other-" + id, "elsewhere");
            case ARTIFACT_READY, BACKUP_STORED, BACKUP_FAILED -> HostileRecords.sample(contract, s -> s
                    .put("runId", String.valueOf(id == null ? runId : id)).put("agentId", AGENT).put("target", TARGET));
            case BACKUP_PROGRESS -> HostileRecords.sample(contract, s -> s.put("runId", runId.toString())
                    .put("agentId", AGENT).put("target", TARGET).put("bytes", 4096).put("at", Instant.now().toString()));
            case RESTORE_PROGRESS -> HostileRecords.sample(contract, s -> s.put("restoreId", restoreId.toString())
                    .put("target", TARGET).put("bytes", 4096).put("totalBytes", 8192).put("at", Instant.now().toString()));
            default -> HostileRecords.sample(contract, s -> {
                ObjectNode n = s.put("restoreId", String.valueOf(id == null ? restoreId : id)).put("target", TARGET);
                return n;
            });
        };
    }
}
