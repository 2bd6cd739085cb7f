package io.backbus.retention;

import static io.backbus.testsupport.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbus.contracts.ContractEvent;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.DatabaseFingerprint;
import io.backbus.testsupport.HostileRecords;
import io.backbus.testsupport.HostileRecords.Hostile;
import io.backbus.testsupport.ProblemAssertions;
import io.backbus.testsupport.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hostile input to the retention service, against real Kafka and PostgreSQL: every record its consumers must
 * refuse on each of its topics (BackupRequested, Stored, RestoreVerified) is dead-lettered with its reason or is a
 * documented no-op, the consumer goes on, and the catalog does not change; every endpoint answers hostile requests
 * with a 4xx problem naming what was wrong (see docs/hostile-input.md).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HostileInputIT extends RetentionIntegrationTest {

    /** Its own group, from the latest offset: other ITs' records and contexts do not interfere. */
    private static final String GROUP = "retention-hostile-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String AGENT = "db-host-1";

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "retention_hostile");
        registry.add("backbus.delivery.consumer-group", () -> GROUP);
        registry.add("spring.kafka.consumer.auto-offset-reset", () -> "latest");
        registry.add("backbus.delivery.retry.attempts", () -> "1");
        registry.add("backbus.delivery.retry.initial-interval", () -> "100ms");
        registry.add("backbus.retention.bucket", () -> "retention-hostile-it");
    }

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
        String key = "hostile-requested";
        UUID first = hostile.publishValid(contract, key, request(UUID.randomUUID(), key));
        awaitProcessed(first);
        Map<String, String> before = DatabaseFingerprint.of(dataSource);

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, other body", first, contract.type(), request(UUID.randomUUID(), key)));
        cases.addAll(HostileRecords.malformed(contract));
        hostile.publishAndAwaitDeadLetters(contract, key, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, key);

        assertThat(DatabaseFingerprint.of(dataSource)).as("nothing recorded").isEqualTo(before);
        awaitProcessed(hostile.publishValid(contract, key, request(UUID.randomUUID(), key)));
    }

    @Test
    void stored() {
        ContractEvent contract = ContractEvent.BACKUP_STORED;
        String key = "hostile-stored";
        UUID run = requested(key);
        UUID first = hostile.publishValid(contract, key, stored(run, UUID.randomUUID(), AGENT, key));
        awaitProcessed(first);
        Map<String, String> before = DatabaseFingerprint.of(dataSource);

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, other body", first, contract.type(),
                stored(run, UUID.randomUUID(), AGENT, key)));
        cases.addAll(HostileRecords.malformed(contract));
        UUID unknownRun = UUID.randomUUID();
        cases.add(Hostile.deadLettered("for an unknown run", contract.type(),
                stored(unknownRun, UUID.randomUUID(), AGENT, key),
                "UnrequestedRunException: Stored for run " + unknownRun + " of '" + key
                        + "', which no BackupRequested asked for"));
        cases.add(Hostile.deadLettered("from another agent", contract.type(),
                stored(run, UUID.randomUUID(), "intruder", key),
                "malformed event: Stored for run " + run + " names agent 'intruder'"));
        hostile.publishAndAwaitDeadLetters(contract, key, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, key);

        assertThat(DatabaseFingerprint.of(dataSource)).as("nothing cataloged").isEqualTo(before);
        awaitProcessed(hostile.publishValid(contract, key, stored(requested(key), UUID.randomUUID(), AGENT, key)));
    }

    @Test
    void restoreVerified() {
        ContractEvent contract = ContractEvent.RESTORE_VERIFIED;
        String key = "hostile-verified";
        UUID backup = UUID.randomUUID();
        awaitProcessed(hostile.publishValid(ContractEvent.BACKUP_STORED, key, stored(requested(key), backup, AGENT,
                key)));
        UUID first = hostile.publishValid(contract, key, verified(backup, key, "2026-11-23T09:15:09.900Z"));
        awaitProcessed(first);
        Map<String, String> before = DatabaseFingerprint.of(dataSource);

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, other body", first, contract.type(),
                verified(backup, key, "2026-11-24T09:15:09.900Z")));
        UUID forgedId = UUID.randomUUID();
        cases.add(Hostile.noOp("for a backup not in the catalog (counted unknown_backup)", forgedId, contract.type(),
                verified(UUID.randomUUID(), key, "2026-11-25T09:15:09.900Z")));
        cases.addAll(HostileRecords.malformed(contract));
        hostile.publishAndAwaitDeadLetters(contract, key, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, key);

        assertThat(DatabaseFingerprint.of(dataSource)).as("nothing recorded").isEqualTo(before);
        assertThat(DatabaseFingerprint.processed(dataSource, GROUP, forgedId)).as("the no-op is processed").isTrue();
        awaitProcessed(hostile.publishValid(contract, key, verified(backup, key, "2026-11-26T09:15:09.900Z")));
    }

    // ---- REST ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "x%20rm%20-rf%20~", "1'%20OR%20'1'%3D'1",
            "99999999999999999999999999999999999999", "%24(reboot)", "%60id%60", "..."})
    void aBackupIdThatIsNotAUuidIs400NamingIt(String id) {
        assertProblem(send(api("/backups/" + id).GET()), 400, "id");
    }

    /**
     * Tomcat refuses an encoded '/' or '\\' in the path before any servlet, Spring Security's firewall a ';', a
     * '..' segment or an encoded control character: a problem naming the path.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/backups/..%2F..%2Fetc%2Fpasswd", "/backups/x%3B%20rm%20-rf%20%2F", "/..%2F..%2Fetc",
            "/backups/..%5C..%5Cwin.ini", "/backups/x%3B%20rm%20-rf%20~", "/backups/..", "/backups/x%0Ay"})
    void anEncodedSlashInThePathIs400NamingThePath(String path) {
        assertProblem(send(api(path).GET()), 400, "path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x%00y", "orders%0AFAKE%20LOG%20LINE", "%7F"})
    void aControlCharacterInAParameterIs400NamingIt(String target) {
        assertProblem(send(api("/backups?target=" + target).GET()), 400, "target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'%20OR%201%3D1--", "..%2F..%2Fetc%2Fpasswd", "%3B%20rm%20-rf%20%2F%20%23",
            "%60reboot%60", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%F0%9F%92%A5"})
    void aHostileTargetFilterFindsNothingAndChangesNothing(String target) {
        Map<String, String> before = DatabaseFingerprint.of(dataSource);
        HttpResponse<String> response = send(api("/backups?target=" + target).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
        assertThat(DatabaseFingerprint.of(dataSource)).isEqualTo(before);
    }

    @Test
    void anOversizedQueryIsRefusedAs4xxProblem() {
        HttpResponse<String> response = send(api("/backups?target=" + "x".repeat(20_000)).GET());
        assertProblem(response, 400, null);
    }

    @Test
    void wrongMethodsAndUnknownPathsAreProblems() {
        // no endpoint rule admits them, whatever the role (fail closed): 403 before any handler
        assertProblem(send(api("/backups").DELETE()), 403, null);
        assertProblem(send(api("/backups/" + UUID.randomUUID()).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")), 403, null);
        assertProblem(send(api("/catalog/rebuild").GET()), 403, null);
        assertProblem(send(api("/nothing-here").GET()), 403, null);
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

    private void awaitProcessed(UUID eventId) {
        await().atMost(WAIT).until(() -> DatabaseFingerprint.processed(dataSource, GROUP, eventId));
    }

    /** A run requested of {@link #AGENT} for {@code target}, once retention recorded it. */
    private UUID requested(String target) {
        UUID run = UUID.randomUUID();
        awaitProcessed(hostile.publishValid(ContractEvent.BACKUP_REQUESTED, target, request(run, target)));
        return run;
    }

    private static String request(UUID run, String target) {
        return HostileRecords.sample(ContractEvent.BACKUP_REQUESTED, s -> s.put("runId", run.toString())
                .put("agentId", AGENT).put("target", target));
    }

    private static String stored(UUID run, UUID backup, String agent, String target) {
        return HostileRecords.sample(ContractEvent.BACKUP_STORED, s -> {
            ObjectNode n = s.put("runId", run.toString()).put("backupId", backup.toString()).put("agentId", agent)
                    .put("target", target);
            n.put("objectKey", "targets/" + target + "/" + run + "/artifact.enc");
            n.put("manifestKey", "targets/" + target + "/" + run + "/manifest.json");
            return n;
        });
    }

    private static String verified(UUID backup, String target, String at) {
        return HostileRecords.sample(ContractEvent.RESTORE_VERIFIED, s -> s.put("backupId", backup.toString())
                .put("target", target).put("restoreId", UUID.randomUUID().toString()).put("verifiedAt", at));
    }
}
