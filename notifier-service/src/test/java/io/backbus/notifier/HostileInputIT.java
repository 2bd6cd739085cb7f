package io.backbus.notifier;

import static io.backbus.testsupport.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.ContractEvent;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.DatabaseFingerprint;
import io.backbus.testsupport.HostileRecords;
import io.backbus.testsupport.HostileRecords.Hostile;
import io.backbus.testsupport.ProblemAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hostile input to the notifier, against real Kafka and PostgreSQL and a local webhook receiver: every record its
 * consumers must refuse on each of its topics (BackupFailed, RestoreFailed, RestoreTestFailed) is dead-lettered
 * with its reason or is a documented no-op, the consumer goes on, no alert is stored and no webhook is called;
 * {@code GET /alerts} answers hostile parameters with a 400 problem naming {@code status} (docs/hostile-input.md).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HostileInputIT extends NotifierIntegrationTest {

    /** Its own group, from the latest offset: other ITs' records and contexts do not interfere. */
    private static final String GROUP = "notifier-hostile-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final WebhookReceiver RECEIVER = WebhookReceiver.start();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "notifier_hostile");
        registry.add("backbus.delivery.consumer-group", () -> GROUP);
        registry.add("spring.kafka.consumer.auto-offset-reset", () -> "latest");
        registry.add("backbus.delivery.retry.attempts", () -> "1");
        registry.add("backbus.delivery.retry.initial-interval", () -> "100ms");
        registry.add("backbus.notifier.webhook.url", () -> RECEIVER.url("/hooks/hostile").toString());
        registry.add("backbus.notifier.webhook.secret", () -> "hostile-it-secret");
        registry.add("backbus.notifier.delivery.poll-interval", () -> "100ms");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private final HttpClient http = HttpClient.newHttpClient();
    private final HostileRecords hostile = new HostileRecords(TestServers.get().kafkaBootstrapServers(), GROUP);

    @BeforeEach
    void listenersAssigned() {
        listeners.getListenerContainers().forEach(c -> ContainerTestUtils.waitForAssignment(c, 6));
    }

    /** The three failure topics: hostile records change nothing and call no webhook; a valid one is alerted. */
    @ParameterizedTest
    @EnumSource(names = {"BACKUP_FAILED", "RESTORE_FAILED", "RESTORE_TEST_FAILED"})
    void hostileRecordsAreRefusedAndTheConsumerGoesOn(ContractEvent contract) {
        String key = "hostile-" + contract.name().toLowerCase();
        Function<String, String> valid = reason -> HostileRecords.sample(contract, s -> {
            s.put("target", key).put("reason", reason);
            s.put(contract == ContractEvent.BACKUP_FAILED ? "runId" : "restoreId", UUID.randomUUID().toString());
            return s;
        });
        UUID first = hostile.publishValid(contract, key, valid.apply("the first failure"));
        awaitProcessed(first);
        awaitDeliveries();
        Map<String, String> before = DatabaseFingerprint.of(dataSource);
        int posts = RECEIVER.requests().size();

        List<Hostile> cases = new ArrayList<>();
        cases.add(Hostile.noOp("same ce_id, other body", first, contract.type(), valid.apply("an impostor")));
        if (contract == ContractEvent.RESTORE_FAILED) {
            cases.add(Hostile.noOp("a restore test's failure (alerted through RestoreTestFailed)", UUID.randomUUID(),
                    contract.type(), HostileRecords.sample(contract, s -> s.put("purpose", "TEST")
                            .put("target", key))));
        }
        cases.addAll(HostileRecords.malformed(contract));
        hostile.publishAndAwaitDeadLetters(contract, key, cases, WAIT);
        hostile.assertRefusedByTheBus(contract, key);

        assertThat(DatabaseFingerprint.of(dataSource)).as("no alert stored or changed").isEqualTo(before);
        assertThat(RECEIVER.requests()).as("no webhook called").hasSize(posts);
        awaitProcessed(hostile.publishValid(contract, key, valid.apply("the next failure")));
        RECEIVER.awaitRequests(posts + 1, WAIT);
    }

    // ---- REST ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "'%20OR%201%3D1--", "..%2F..%2Fetc%2Fpasswd", "%3B%20rm%20-rf%20%2F",
            "99999999999999999999999999", "%24(reboot)", "%7B%22status%22%3A1%7D", "x%00y", "PENDING%0Ainjected"})
    void aHostileStatusIs400NamingIt(String status) {
        assertProblem(send(api("/alerts?status=" + status).GET()), 400, "status");
    }

    @Test
    void anOversizedStatusIs400() {
        assertProblem(send(api("/alerts?status=" + "x".repeat(20_000)).GET()), 400, null);
        assertProblem(send(api("/alerts?status=" + "x".repeat(4_000)).GET()), 400, "status");
    }

    @Test
    void wrongMethodsAndEncodedSlashesAreProblems() {
        // no endpoint rule admits them, whatever the role (fail closed): 403 before any handler
        assertProblem(send(api("/alerts").POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .header("Content-Type", "application/json")), 403, null);
        assertProblem(send(api("/alerts").DELETE()), 403, null);
        assertProblem(send(api("/alerts/..%2F..%2Fetc%2Fpasswd").GET()), 400, "path");
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

    private void awaitDeliveries() {
        await().atMost(WAIT).until(() -> jdbc.sql("select count(*) from alert where status = 'PENDING'")
                .query(Long.class).single() == 0);
    }
}
