package io.backbus.uploader;

import static io.backbus.testsupport.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.ContractEvent;
import io.backbus.contracts.ServiceTopics;
import io.backbus.crypto.UrlSigner;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Hostile input to the uploader, against real Kafka, PostgreSQL and S3Mock with a stand-in agent: on each of its
 * topics (BackupRequested, ArtifactReady, ArtifactStreaming, RestoreRequested) every record it must refuse is
 * dead-lettered with its reason or is a documented no-op, the consumer goes on, and nothing is stored (no row, no
 * object, no event); a location the uploader must not read fails the run without reading it; the signed
 * restore-artifact URL refuses a bad, missing, another restore's or expired signature before anything is read
 * (docs/hostile-input.md); the admin's {@code /keys} endpoints refuse hostile requests without touching a key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HostileInputIT extends UploaderIntegrationTest {

    /** Its own group, from the latest offset: other ITs' records and contexts do not interfere. */
    private static final String GROUP = "uploader-hostile-" + UUID.randomUUID();
    private static final String BUCKET = "uploader-hostile-it";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path KEYS = tempDir("uploader-hostile-keys");
    private static final ObjectMapper TREES = new ObjectMapper();
    private static final String AGENT = "db-host-1";
    private static final String TARGET = "orders";
    private static ArtifactServer agent;
    private static TopicProbe produced;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        uploaderProperties(registry, "uploader_hostile", BUCKET, KEYS);
        registry.add("backbus.delivery.consumer-group", () -> GROUP);
        registry.add("spring.kafka.consumer.auto-offset-reset", () -> "latest");
        registry.add("backbus.delivery.retry.attempts", () -> "1");
        registry.add("backbus.delivery.retry.initial-interval", () -> "100ms");
        // hints are ignored: ArtifactStreaming is checked and recorded without a streamed upload
        registry.add("backbus.uploader.streaming", () -> "false");
        registry.add("backbus.uploader.pull-attempts", () -> "1");
    }

    @BeforeAll
    static void start() {
        agent = ArtifactServer.start();
        TestServers.get().createBucket(BUCKET);
        produced = TopicProbe.open(TestServers.get().kafkaBootstrapServers(),
                ServiceTopics.UPLOADER.produces().toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        produced.close();
        agent.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private final HttpClient http = HttpClient.newHttpClient();
    private final HostileRecords hostile = new HostileRecords(TestServers.get().kafkaBootstrapServers(), GROUP);

    @BeforeEach
    void listenersAssigned() {
        listeners.getListenerContainers().forEach(c -> ContainerTestUtils.waitForAssignment(c, 6));
    }

    @Test
    void backupRequested() {
        ContractEvent contract = ContractEvent.BACKUP_REQUESTED;
        UUID first = hostile.publishValid(contract, TARGET, request(UUID.randomUUID()));
        awaitProcessed(first);
        State before = state();

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, other body", first, contract.type(), request(UUID.randomUUID())));
        cases.addAll(HostileRecords.malformed(contract));
        hostile.publishAndAwaitDeadLetters(contract, TARGET, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, TARGET);

        assertThat(state()).isEqualTo(before);
        awaitProcessed(hostile.publishValid(contract, TARGET, request(UUID.randomUUID())));
    }

    @Test
    void artifactReady() {
        ContractEvent contract = ContractEvent.ARTIFACT_READY;
        UUID run = requested();
        UUID first = hostile.publishValid(contract, TARGET, ready(run, serve(run)));
        awaitProcessed(first);
        produced.awaitRecords(r -> isAbout(r, run) && r.topic().endsWith(".stored"), 1, WAIT);
        UUID other = requested();
        List<Hostile> forged = forged(contract);
        State before = state();

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, another requested run", first, contract.type(), ready(other,
                serve(other))));
        cases.addAll(HostileRecords.malformed(contract));
        cases.addAll(forged);
        hostile.publishAndAwaitDeadLetters(contract, TARGET, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, TARGET);

        assertThat(state()).as("no upload, object or event").isEqualTo(before);
        awaitProcessed(hostile.publishValid(contract, TARGET, ready(other, serve(other))));
    }

    @Test
    void artifactStreaming() {
        ContractEvent contract = ContractEvent.ARTIFACT_STREAMING;
        UUID first = hostile.publishValid(contract, TARGET, streaming(requested(), "http://127.0.0.1:1/live"));
        awaitProcessed(first);
        UUID other = requested();
        List<Hostile> forged = forged(contract);
        State before = state();

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, other body", first, contract.type(),
                streaming(other, "http://127.0.0.1:1/other")));
        cases.addAll(HostileRecords.malformed(contract));
        cases.addAll(forged);
        hostile.publishAndAwaitDeadLetters(contract, TARGET, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, TARGET);

        assertThat(state()).isEqualTo(before);
        awaitProcessed(hostile.publishValid(contract, TARGET, streaming(requested(), "http://127.0.0.1:1/live")));
    }

    @Test
    void restoreRequested() throws Exception {
        ContractEvent contract = ContractEvent.RESTORE_REQUESTED;
        String missing = RestoreRequestedMother.restoreOfMissingObject(BUCKET).toString();
        UUID first = hostile.publishValid(contract, TARGET, missing);
        awaitProcessed(first);
        UUID firstRestore = UUID.fromString(TREES.readTree(missing).path("restoreId").asText());
        produced.awaitRecords(r -> isAbout(r, firstRestore) && r.topic().equals("backbus.restore.failed"), 1, WAIT);
        State before = state();

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, other body", first, contract.type(),
                RestoreRequestedMother.restoreOfMissingObject(BUCKET).toString()));
        cases.addAll(HostileRecords.malformed(contract));
        hostile.publishAndAwaitDeadLetters(contract, TARGET, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, TARGET);

        assertThat(state()).isEqualTo(before);
        // a forged request for an object that is not in the bucket: answered with RestoreFailed, nothing served
        String forged = RestoreRequestedMother.restoreOfMissingObject(BUCKET).toString();
        UUID forgedRestore = UUID.fromString(TREES.readTree(forged).path("restoreId").asText());
        awaitProcessed(hostile.publishValid(contract, TARGET, forged));
        var failed = produced.awaitRecords(r -> isAbout(r, forgedRestore)
                && r.topic().equals("backbus.restore.failed"), 1, WAIT).get(0);
        assertThat(TREES.readTree(TopicProbe.valueAsString(failed)).path("stage").asText()).isNotBlank();
        assertThat(TREES.readTree(TopicProbe.valueAsString(failed)).path("destinationTouched").asBoolean()).isFalse();
    }

    /** A location the uploader may not read fails the run (BackupFailed, stage and reason) and reads nothing. */
    @Test
    void aLocationPointingAtTheUploadersOwnKeysFailsTheRunWithoutReadingIt() throws Exception {
        Path keyset = KEYS.resolve("keyset.json");
        assertThat(keyset).exists();
        UUID run = requested();
        State before = state();
        awaitProcessed(hostile.publishValid(ContractEvent.ARTIFACT_READY, TARGET, ready(run, keyset.toUri())));
        var failed = produced.awaitRecords(r -> isAbout(r, run) && r.topic().equals("backbus.backup.failed"), 1, WAIT)
                .get(0);
        var body = TREES.readTree(TopicProbe.valueAsString(failed));
        assertThat(body.path("stage").asText()).isNotBlank();
        assertThat(body.path("reason").asText()).contains("file://").doesNotContain(Files.readString(keyset));
        assertThat(objects()).isEqualTo(before.objects());
    }

    // ---- the signed restore-artifact URL ---------------------------------------------------------------------

    @Test
    void signedRestoreUrlsRefuseEveryBadSignatureBeforeReadingAnything() throws Exception {
        UrlSigner signer = new UrlSigner(HexFormat.of().parseHex(Files.readString(
                KEYS.resolve(".restore-url-signing-key")).strip()), Clock.systemUTC());
        UUID mine = UUID.randomUUID();
        UUID another = UUID.randomUUID();
        long future = Instant.now().plusSeconds(600).getEpochSecond();
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        String sig = signer.sign(mine.toString(), future);
        State before = state();

        assertProblem(send(api("/restore-artifacts/" + mine + "?expires=" + future + "&sig=" + sig).GET()), 404,
                "restoreId");
        assertProblem(send(api("/restore-artifacts/" + another + "?expires=" + future + "&sig=" + sig).GET()), 403,
                "sig");
        assertProblem(send(api("/restore-artifacts/" + mine + "?expires=" + (future + 60) + "&sig=" + sig).GET()),
                403, "sig");
        assertProblem(send(api("/restore-artifacts/" + mine + "?expires=" + future + "&sig=" + "0".repeat(64)).GET()),
                403, "sig");
        assertProblem(send(api("/restore-artifacts/" + mine + "?expires=" + future).GET()), 403, "sig");
        assertProblem(send(api("/restore-artifacts/" + mine).GET()), 403, "sig");
        assertProblem(send(api("/restore-artifacts/" + mine + "?expires=99999999999999999999999&sig=" + sig).GET()),
                403, "sig");
        assertProblem(send(api("/restore-artifacts/" + mine + "?expires=" + past + "&sig="
                + signer.sign(mine.toString(), past)).GET()), 403, "expires");
        assertThat(send(api("/restore-artifacts/" + another + "?expires=" + future + "&sig=" + sig)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(state()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "..%2F..%2Fkeys%2Fkeyset.json", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "x;rm -rf ~",
            "'%20OR%201%3D1--", "99999999999999999999"})
    void aHostileRestoreIdIsRefusedSignedOrNot(String restoreId) throws Exception {
        UrlSigner signer = new UrlSigner(HexFormat.of().parseHex(Files.readString(
                KEYS.resolve(".restore-url-signing-key")).strip()), Clock.systemUTC());
        long future = Instant.now().plusSeconds(600).getEpochSecond();
        String path = "/restore-artifacts/" + restoreId.replace(" ", "%20");
        HttpResponse<String> unsigned = send(api(path + "?expires=" + future + "&sig=" + "a".repeat(64)).GET());
        assertThat(unsigned.statusCode()).as(unsigned.body()).isIn(400, 403);
        assertProblem(unsigned, unsigned.statusCode(), null);
        // even signed for that very string, it names no restore: nothing is read
        String decoded = java.net.URLDecoder.decode(restoreId, java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> signed = send(api(path + "?expires=" + future + "&sig=" + signer.sign(decoded, future))
                .GET());
        // (Tomcat cuts a path at ';', so a signature over the whole string no longer matches: 403)
        assertThat(signed.statusCode()).as(signed.body()).isIn(400, 403, 404);
        assertProblem(signed, signed.statusCode(), null);
    }

    // ---- /keys (admin) ---------------------------------------------------------------------------------------

    /** The key endpoints take no body and no parameter: hostile ones are refused before a key is touched. */
    @Test
    void hostileKeyRequestsAreRefusedAndChangeNoKey() throws Exception {
        Path keyset = KEYS.resolve("keyset.json");
        String before = Files.readString(keyset);
        assertProblem(send(admin("/keys/rotate").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}"))),
                413, "body");
        assertProblem(send(admin("/keys/rotate?primary=%00").POST(HttpRequest.BodyPublishers.noBody())), 400,
                "primary");
        assertProblem(send(admin("/keys/rewrap?to=x%0Ay").POST(HttpRequest.BodyPublishers.noBody())), 400, "to");
        assertProblem(send(admin("/keys/..%2F..%2Fmaster-key.json").GET()), 400, "path");
        assertProblem(send(admin("/keys/x;rm%20-rf%20~").GET()), 400, "path");
        assertProblem(send(api("/keys/rotate").POST(HttpRequest.BodyPublishers.noBody())), 401, null);
        assertThat(Files.readString(keyset)).as("no key rotated or rewrapped").isEqualTo(before);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A request to the uploader's API as an admin (the signed URLs above go through {@link #api}, unauthenticated). */
    private HttpRequest.Builder admin(String pathAndQuery) {
        return api(pathAndQuery).header("Authorization", ApiCallers.ADMIN.bearer());
    }

    /** What the uploader holds: its tables, the bucket's objects, the events it sent about our target. */
    private record State(Map<String, String> tables, List<String> objects, long sent) {
    }

    private State state() {
        long sent = produced.records(Duration.ofMillis(500)).stream().filter(r ->
                "urn:backbus:uploader-service".equals(TopicProbe.header(r, CloudEventHeaders.SOURCE))).count();
        return new State(DatabaseFingerprint.of(dataSource), objects(), sent);
    }

    private List<String> objects() {
        return s3().listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                .map(o -> o.key() + ":" + o.size()).sorted().toList();
    }

    /** The hostile ArtifactReady/ArtifactStreaming every run must survive: unknown, another's, unsafe. */
    private List<Hostile> forged(ContractEvent contract) {
        String name = contract.recordType().getSimpleName();
        UUID unknown = UUID.randomUUID();
        UUID run = requested();
        boolean ready = contract == ContractEvent.ARTIFACT_READY;
        URI location = URI.create("http://127.0.0.1:1/artifacts/x");
        return List.of(
                Hostile.deadLettered("for a run nobody requested", contract.type(),
                        ready ? ready(unknown, location) : streaming(unknown, location.toString()),
                        "UnrequestedRunException: " + name + " for run " + unknown),
                Hostile.deadLettered("from another agent", contract.type(), HostileRecords.sample(contract, s -> s
                        .put("runId", run.toString()).put("agentId", "intruder").put("target", TARGET)
                        .put("location", location.toString())),
                        "malformed event: " + name + " for run " + run + " names agent 'intruder'"),
                Hostile.deadLettered("a target that climbs out of its key prefix", contract.type(),
                        HostileRecords.sample(contract, s -> s.put("runId", run.toString()).put("agentId", AGENT)
                                .put("target", "../../keys").put("location", location.toString())),
                        "malformed event: "));
    }

    /** A run requested of {@link #AGENT} for {@link #TARGET}, once the uploader recorded it. */
    private UUID requested() {
        UUID run = UUID.randomUUID();
        awaitProcessed(hostile.publishValid(ContractEvent.BACKUP_REQUESTED, TARGET, request(run)));
        return run;
    }

    private static String request(UUID run) {
        return HostileRecords.sample(ContractEvent.BACKUP_REQUESTED, s -> s.put("runId", run.toString())
                .put("agentId", AGENT).put("target", TARGET));
    }

    private static URI serve(UUID run) {
        return agent.serve("/artifacts/" + run, ArtifactReadyMother.artifact(4096 + (int) (run.getLeastSignificantBits() & 0xff)));
    }

    private static String ready(UUID run, URI location) {
        byte[] body = ArtifactReadyMother.artifact(4096 + (int) (run.getLeastSignificantBits() & 0xff));
        return HostileRecords.sample(ContractEvent.ARTIFACT_READY, s -> s.put("runId", run.toString())
                .put("agentId", AGENT).put("target", TARGET).put("location", location.toString())
                .put("sha256", ArtifactReadyMother.sha256(body)).put("sizeBytes", body.length));
    }

    private static String streaming(UUID run, String location) {
        return HostileRecords.sample(ContractEvent.ARTIFACT_STREAMING, s -> s.put("runId", run.toString())
                .put("agentId", AGENT).put("target", TARGET).put("location", location));
    }

    /** Every request of this test goes through here (the signed URLs carry their own HMAC, no credentials). */
    private HttpRequest.Builder api(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30));
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

    private void awaitProcessed(UUID eventId) {
        await().atMost(WAIT).until(() -> DatabaseFingerprint.processed(dataSource, GROUP, eventId));
    }
}
