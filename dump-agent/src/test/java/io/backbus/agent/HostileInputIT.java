package io.backbus.agent;

import static io.backbus.testsupport.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.ContractEvent;
import io.backbus.contracts.ServiceTopics;
import io.backbus.contracts.Topics;
import io.backbus.crypto.UrlSigner;
import io.backbus.localstack.PostgresCluster;
import io.backbus.testsupport.DatabaseFingerprint;
import io.backbus.testsupport.HostileRecords;
import io.backbus.testsupport.HostileRecords.Hostile;
import io.backbus.testsupport.ProblemAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hostile input to a dump agent, against real Kafka and the harness's PostgreSQL: on each of its topics
 * (BackupRequested, Stored, RestoreArtifactReady) every record it must refuse is dead-lettered with its reason or is
 * a documented no-op (another agent's event; a second record reusing an event id with another body, aimed at this
 * agent: a dump, the deletion of its staged artifact, a restore), the consumer goes on, and nothing changes (no
 * row, no staged file, no event); its signed artifact and live URLs refuse a bad, missing, changed, another run's or
 * expired signature before anything is read (docs/hostile-input.md).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HostileInputIT extends AgentIntegrationTest {

    private static final String AGENT_ID = "agent-hostile-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String GROUP = ServiceTopics.AGENT_GROUP_PREFIX + AGENT_ID;
    private static final String TARGET = "good";
    private static final String PASSWORD = "Hostile-" + randomHex();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper TREES = new ObjectMapper();
    private static Path tmp;
    private static TopicProbe produced;
    private static UUID stagedRun;
    private static String location;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestServers.springProperties(registry, "agent_hostile");
        PostgresCluster pg = TestServers.get().postgres();
        String database = "agent_hostile_src";
        pg.createRole("backup_hostile", PASSWORD);
        pg.createDatabase(database, "backup_hostile");
        pg.execute(database, """
                create table if not exists t (id int primary key);
                alter table t owner to backup_hostile;
                insert into t select g from generate_series(1, 10) g on conflict do nothing""");
        tmp = Files.createTempDirectory("agent-hostile-it");
        Path pass = passfile(tmp, "good.pgpass", "backup_hostile", PASSWORD);
        registry.add("backbus.agent.id", () -> AGENT_ID);
        registry.add("backbus.agent.staging-dir", () -> tmp.resolve("staging").toString());
        registry.add("spring.kafka.consumer.auto-offset-reset", () -> "latest");
        registry.add("backbus.delivery.retry.attempts", () -> "1");
        registry.add("backbus.delivery.retry.initial-interval", () -> "100ms");
        String prefix = "backbus.agent.targets." + TARGET + ".";
        registry.add(prefix + "host", () -> "127.0.0.1");
        registry.add(prefix + "port", pg::port);
        registry.add(prefix + "database", () -> database);
        registry.add(prefix + "user", () -> "backup_hostile");
        registry.add(prefix + "passfile", pass::toString);
    }

    @BeforeAll
    static void openProbe() {
        produced = TopicProbe.open(bootstrap(), ServiceTopics.DUMP_AGENT.produces().toArray(String[]::new));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        produced.close();
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    UrlSigner signer;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private final HttpClient http = HttpClient.newHttpClient();
    private final HostileRecords hostile = new HostileRecords(bootstrap(), GROUP);

    /** Once: a run dumped and staged, its signed location known. */
    @BeforeEach
    void aStagedArtifact() throws Exception {
        if (stagedRun != null) {
            return;
        }
        listeners.getListenerContainers().forEach(c -> ContainerTestUtils.waitForAssignment(c, 6));
        stagedRun = UUID.randomUUID();
        awaitProcessed(hostile.publishValid(ContractEvent.BACKUP_REQUESTED, TARGET, requested(stagedRun, AGENT_ID)));
        var ready = produced.awaitRecords(r -> r.topic().equals(Topics.ARTIFACT_READY)
                && stagedRun.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)), 1, WAIT).get(0);
        location = TREES.readTree(TopicProbe.valueAsString(ready)).path("location").asText();
        assertThat(send(HttpRequest.newBuilder(URI.create(location))).statusCode()).isEqualTo(200);
    }

    /**
     * The first event (another agent's: ignored, recorded) is processed; a record reusing its id aimed at this
     * agent, another agent's event and every malformed record change nothing; an event after them is processed.
     */
    @ParameterizedTest
    @EnumSource(names = {"BACKUP_REQUESTED", "BACKUP_STORED", "RESTORE_ARTIFACT_READY"})
    void hostileRecordsChangeNothingAndTheConsumerGoesOn(ContractEvent contract) throws Exception {
        Function<String, String> about = agent -> switch (contract) {
            case BACKUP_REQUESTED -> requested(agent.equals(AGENT_ID) ? UUID.randomUUID() : UUID.randomUUID(), agent);
            case BACKUP_STORED -> HostileRecords.sample(contract, s -> s.put("runId", stagedRun.toString())
                    .put("agentId", agent).put("target", TARGET));
            default -> HostileRecords.sample(contract, s -> {
                s.put("restoreId", UUID.randomUUID().toString()).put("target", TARGET);
                ((com.fasterxml.jackson.databind.node.ObjectNode) s.get("destination")).put("agentId", agent)
                        .put("target", TARGET).put("database", "agent_hostile_src");
                s.with("options").put("clean", true).put("createDatabase", false);
                return s;
            });
        };
        UUID first = hostile.publishValid(contract, TARGET, about.apply("another-agent"));
        awaitProcessed(first);
        State before = state();

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, another body aimed at this agent", first, contract.type(),
                about.apply(AGENT_ID)));
        cases.add(Hostile.noOp("another agent's", UUID.randomUUID(), contract.type(), about.apply("other-agent")));
        cases.addAll(HostileRecords.malformed(contract));
        hostile.publishAndAwaitDeadLetters(contract, TARGET, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, TARGET);

        assertThat(state()).as("no row, staged file or event changed").isEqualTo(before);
        awaitProcessed(hostile.publishValid(contract, TARGET, about.apply("yet-another-agent")));
    }

    // ---- signed URLs ---------------------------------------------------------------------------------------

    @Test
    void signedArtifactUrlsRefuseEveryBadSignatureBeforeReadingAnything() {
        long future = Instant.now().plusSeconds(600).getEpochSecond();
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        String run = stagedRun.toString();
        String sig = signer.sign(run, future);
        String liveSig = signer.sign(run + "/live", future);
        UUID other = UUID.randomUUID();
        State before = state();

        for (String path : List.of("/artifacts/" + run, "/artifacts/" + run + "/live")) {
            boolean live = path.endsWith("/live");
            String good = live ? liveSig : sig;
            String wrong = live ? sig : liveSig;
            assertProblem(send(api(path + "?expires=" + future + "&sig=" + wrong)), 403, "sig");
            assertProblem(send(api(path.replace(run, other.toString()) + "?expires=" + future + "&sig=" + good)),
                    403, "sig");
            assertProblem(send(api(path + "?expires=" + (future + 1) + "&sig=" + good)), 403, "sig");
            assertProblem(send(api(path + "?expires=" + future + "&sig=" + "0".repeat(64))), 403, "sig");
            assertProblem(send(api(path + "?expires=" + future)), 403, "sig");
            assertProblem(send(api(path)), 403, "sig");
            assertProblem(send(api(path + "?expires=999999999999999999999999&sig=" + good)), 403, "sig");
            assertProblem(send(api(path + "?expires=" + past + "&sig="
                    + signer.sign(live ? run + "/live" : run, past))), 403, "expires");
        }
        assertThat(state()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "..%2F..%2Fstaging", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "x;rm -rf ~",
            "'%20OR%201%3D1--", "99999999999999999999", "%24(reboot)"})
    void aHostileRunIdIsRefusedSignedOrNot(String runId) {
        long future = Instant.now().plusSeconds(600).getEpochSecond();
        String path = "/artifacts/" + runId.replace(" ", "%20");
        HttpResponse<String> unsigned = send(api(path + "?expires=" + future + "&sig=" + "a".repeat(64)));
        assertThat(unsigned.statusCode()).as(unsigned.body()).isIn(400, 403, 404);
        assertProblem(unsigned, unsigned.statusCode(), null);
        // signed for that very string it names no staged artifact: nothing is read (Tomcat cuts a path at ';')
        String decoded = java.net.URLDecoder.decode(runId, java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> signed = send(api(path + "?expires=" + future + "&sig=" + signer.sign(decoded, future)));
        assertThat(signed.statusCode()).as(signed.body()).isIn(400, 403, 404);
        assertProblem(signed, signed.statusCode(), null);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** What the agent holds: its tables, its staged files, the events it sent. */
    private record State(Map<String, String> tables, List<String> staged, long sent) {
    }

    private State state() throws RuntimeException {
        long sent = produced.records(Duration.ofMillis(500)).stream().filter(r -> ("urn:backbus:dump-agent:"
                + AGENT_ID).equals(TopicProbe.header(r, CloudEventHeaders.SOURCE))
                && !r.topic().equals(Topics.AGENT_ANNOUNCED)).count();
        try (Stream<Path> files = Files.list(tmp.resolve("staging"))) {
            return new State(DatabaseFingerprint.of(dataSource),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), sent);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String requested(UUID run, String agent) {
        return HostileRecords.sample(ContractEvent.BACKUP_REQUESTED, s -> s.put("runId", run.toString())
                .put("agentId", agent).put("target", TARGET));
    }

    /** Every request of this test goes through here (the signed URLs carry their own HMAC, no credentials). */
    private HttpRequest.Builder api(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                ProblemAssertions.assertNoInsides(response.body());
            }
            return response;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitProcessed(UUID eventId) {
        await().atMost(WAIT).until(() -> DatabaseFingerprint.processed(dataSource, GROUP, eventId));
    }
}
