package io.backbus.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.ApiAccessAssert;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import io.backbus.testsupport.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * BackupFailed, RestoreTestFailed and RestoreFailed in, signed webhook POSTs out, against real Kafka and PostgreSQL
 * and a local webhook receiver.
 */
class NotifierServiceIT extends NotifierIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "it-webhook-secret";
    private static final int MAX_ATTEMPTS = 4;
    private static final String DLQ = Topics.deadLetter(Topics.BACKUP_FAILED, "notifier-service");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final WebhookReceiver RECEIVER = WebhookReceiver.start();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "notifier");
        registry.add("backbus.notifier.webhook.url", () -> RECEIVER.url("/hooks/backbus").toString());
        registry.add("backbus.notifier.webhook.secret", () -> SECRET);
        registry.add("backbus.notifier.webhook.timeout", () -> "2s");
        registry.add("backbus.notifier.delivery.max-attempts", () -> MAX_ATTEMPTS);
        registry.add("backbus.notifier.delivery.initial-backoff", () -> "100ms");
        registry.add("backbus.notifier.delivery.max-backoff", () -> "1s");
        registry.add("backbus.notifier.delivery.poll-interval", () -> "100ms");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    private RestClient http;
    private final String bootstrap = TestServers.get().kafkaBootstrapServers();

    @BeforeEach
    void reset() {
        http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", ApiCallers.VIEWER.bearer()).build();
        RECEIVER.reset();
    }

    @Test
    void alertsAreForViewersAndHealthIsOpen() {
        URI base = URI.create("http://127.0.0.1:" + port);
        ApiAccessAssert.assertAccess(base, "GET", "/alerts", () -> null, ApiCallers.VIEWER, 200);
        ApiAccessAssert.assertAccess(base, "GET", "/actuator/info", () -> null, ApiCallers.VIEWER, 200);
        assertThat(ApiAccessAssert.call(base, "GET", "/actuator/health", null, null).status()).isEqualTo(200);
        ApiAccessAssert.assertRefused(ApiAccessAssert.call(base, "GET", "/nowhere", ApiCallers.ADMIN.bearer(), null),
                403, null);
    }

    @Test
    void postsASignedHighAlertForTheFailedSample() throws Exception {
        ObjectNode sample = BackupFailedMother.sample();
        ContractAssertions.assertValid(BackupFailedMother.SCHEMA, BackupFailedMother.json(sample));
        String runId = sample.get("runId").asString();

        publish(UUID.randomUUID(), sample);

        List<WebhookReceiver.Request> posts = awaitPosts(runId, 1);
        WebhookReceiver.Request post = posts.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/hooks/backbus");
        assertThat(post.header("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(post.bodyAsString());
        assertThat(body.get("kind").asString()).isEqualTo("backup.failed");
        assertThat(body.get("severity").asString()).isEqualTo("high");
        assertThat(body.get("target").asString()).isEqualTo("orders");
        assertThat(body.get("runId").asString()).isEqualTo(runId);
        assertThat(body.get("stage").asString()).isEqualTo("DUMP");
        assertThat(body.get("reason").asString()).isEqualTo(sample.get("reason").asString());
        assertThat(body.get("agentId").asString()).isEqualTo("db-host-1");
        assertThat(body.get("occurredAt").asString()).isEqualTo("2026-11-23T02:00:00.900Z");
        assertThat(post.header("X-Backbus-Alert-Id")).isEqualTo(body.get("alertId").asString());
        assertThat(post.header("X-Backbus-Signature")).isEqualTo(hmacSha256(SECRET, post.body()));

        Map<String, Object> alert = awaitAlert(runId, "DELIVERED");
        assertThat(alert).containsEntry("attempts", 1).containsEntry("severity", "high")
                .containsEntry("alertId", body.get("alertId").asString());
        assertThat(http.get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
    }

    @Test
    void retriesWithBackoffUntilTheWebhookAccepts() {
        UUID runId = UUID.randomUUID();
        RECEIVER.failNext(2);

        publish(UUID.randomUUID(), BackupFailedMother.failedFor("retried", runId));

        Map<String, Object> alert = awaitAlert(runId.toString(), "DELIVERED");
        assertThat(alert).containsEntry("attempts", 3).containsEntry("lastError", "HTTP 500");
        List<WebhookReceiver.Request> posts = awaitPosts(runId.toString(), 3);
        assertThat(posts).extracting(WebhookReceiver.Request::answeredStatus).containsExactly(500, 500, 200);
        assertThat(posts).extracting(p -> p.header("X-Backbus-Alert-Id")).containsOnly((String) alert.get("alertId"));
        // the second retry waited about twice as long as the first (100 ms, then 200 ms, ±20 %)
        assertThat(Duration.between(posts.get(1).receivedAt(), posts.get(2).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(160));
    }

    @Test
    void givesUpAfterMaxAttemptsAndKeepsTheAlert() {
        UUID runId = UUID.randomUUID();
        RECEIVER.failNext(MAX_ATTEMPTS, 503);

        publish(UUID.randomUUID(), BackupFailedMother.failedFor("given-up", runId));

        Map<String, Object> alert = awaitAlert(runId.toString(), "GAVE_UP");
        assertThat(alert).containsEntry("attempts", MAX_ATTEMPTS).containsEntry("lastError", "HTTP 503");
        assertThat(postsFor(runId.toString())).hasSize(MAX_ATTEMPTS);
        assertThat(alerts("GAVE_UP")).extracting(a -> a.get("runId")).contains(runId.toString());
    }

    @Test
    void anEventIdRaisesOneAlert() {
        String target = "dup-" + UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID redelivered = UUID.randomUUID();
        publish(eventId, BackupFailedMother.failedFor(target, first));
        publish(eventId, BackupFailedMother.failedFor(target, redelivered));
        UUID sentinel = UUID.randomUUID();
        publish(UUID.randomUUID(), BackupFailedMother.failedFor(target, sentinel));

        awaitAlert(sentinel.toString(), "DELIVERED");
        assertThat(alerts(null)).filteredOn(a -> target.equals(a.get("target"))).extracting(a -> a.get("runId"))
                .containsExactlyInAnyOrder(first.toString(), sentinel.toString());
        assertThat(postsFor(first.toString())).hasSize(1);
        assertThat(postsFor(redelivered.toString())).isEmpty();
    }

    @Test
    void deadLettersMalformedRecordsAndGoesOn() {
        String target = "malformed-" + UUID.randomUUID();
        UUID unparsable = UUID.randomUUID();
        UUID incomplete = UUID.randomUUID();
        try (TopicProbe dlq = TopicProbe.open(bootstrap, DLQ)) {
            TopicProbe.publish(bootstrap, Topics.BACKUP_FAILED, target,
                    BackupFailedMother.headers(unparsable, UUID.randomUUID().toString()), "not json at all");
            ObjectNode noReason = BackupFailedMother.failedFor(target, UUID.randomUUID());
            noReason.remove("reason");
            publish(incomplete, target, noReason);

            List<ConsumerRecord<String, byte[]>> dead = dlq.awaitRecords(r -> {
                String id = TopicProbe.header(r, CloudEventHeaders.ID);
                return unparsable.toString().equals(id) || incomplete.toString().equals(id);
            }, 2, WAIT);

            assertThat(dead).allSatisfy(r -> {
                assertThat(TopicProbe.header(r, CloudEventHeaders.DLQ_REASON)).startsWith("malformed event");
                assertThat(r.key()).isEqualTo(target);
            });
            assertThat(dead).anySatisfy(r -> assertThat(TopicProbe.header(r, CloudEventHeaders.DLQ_REASON))
                    .isEqualTo("malformed event: BackupFailed: $: required property 'reason' not found"));
            assertThat(dead).anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .isEqualTo("not json at all"));
        }

        UUID next = UUID.randomUUID();
        publish(UUID.randomUUID(), BackupFailedMother.failedFor(target, next));
        assertThat(awaitPosts(next.toString(), 1)).hasSize(1);
    }

    @Test
    void rejectsAnUnknownStatusWith400ProblemDetails() {
        Reply reply = get("/alerts?status=LOST");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isNotNull();
        assertThat(reply.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(reply.json().get("parameter").asString()).isEqualTo("status");
        assertThat(reply.json().get("detail").asString()).contains("'status'");
    }

    // --- restores

    @Test
    void postsASignedHighAlertForTheRestoreTestFailedSample() throws Exception {
        ObjectNode sample = RestoreEventsMother.testFailedSample();
        ContractAssertions.assertValid(RestoreEventsMother.TEST_FAILED_SCHEMA, RestoreEventsMother.json(sample));
        String restoreId = sample.get("restoreId").asString();

        publishTestFailed(UUID.randomUUID(), sample);

        WebhookReceiver.Request post = awaitRestorePosts(restoreId, "restore.test-failed", 1).get(0);
        JsonNode body = JSON.readTree(post.bodyAsString());
        assertThat(body.get("kind").asString()).isEqualTo("restore.test-failed");
        assertThat(body.get("severity").asString()).isEqualTo("high");
        assertThat(body.get("target").asString()).isEqualTo("orders");
        assertThat(body.get("restoreId").asString()).isEqualTo(restoreId);
        assertThat(body.get("planId").asString()).isEqualTo(sample.get("planId").asString());
        assertThat(body.get("backupId").asString()).isEqualTo(sample.get("backupId").asString());
        assertThat(body.get("stage").asString()).isEqualTo("RTO");
        assertThat(body.get("reason").asString())
                .isEqualTo("restore test took 712.4 s, over the plan's RTO target of 600 s");
        assertThat(body.get("rtoMillis").asLong()).isEqualTo(712_400L);
        assertThat(body.get("rtoTargetMillis").asLong()).isEqualTo(600_000L);
        assertThat(body.get("occurredAt").asString()).isEqualTo("2026-11-23T09:27:00Z");
        assertThat(body.get("runId").isNull()).isTrue();
        assertThat(body.has("destinationTouched")).isFalse();
        assertThat(post.header("X-Backbus-Alert-Id")).isEqualTo(body.get("alertId").asString());
        assertThat(post.header("X-Backbus-Signature")).isEqualTo(hmacSha256(SECRET, post.body()));

        Map<String, Object> alert = awaitRestoreAlert(restoreId, "restore.test-failed", "DELIVERED");
        assertThat(alert).containsEntry("alertId", body.get("alertId").asString())
                .containsEntry("severity", "high").containsEntry("stage", "RTO").containsEntry("attempts", 1)
                .containsEntry("rtoMillis", 712_400).containsEntry("rtoTargetMillis", 600_000)
                .containsEntry("dedupKey", "restore.test-failed:orders");
        assertThat(alert.get("runId")).isNull();
    }

    @Test
    void alertsAFailedManualRestoreWithRetriesButNotAFailedRestoreTest() {
        String target = "restore-" + UUID.randomUUID();
        UUID test = UUID.randomUUID();
        UUID manual = UUID.randomUUID();
        RECEIVER.failNext(1);

        // the same target, so the same partition: the manual one is consumed after the test one
        publishFailed(UUID.randomUUID(), RestoreEventsMother.failedFor(target, test, "TEST"));
        publishFailed(UUID.randomUUID(), RestoreEventsMother.failedFor(target, manual, "MANUAL"));

        Map<String, Object> alert = awaitRestoreAlert(manual.toString(), "restore.failed", "DELIVERED");
        assertThat(alert).containsEntry("severity", "high").containsEntry("stage", "INTEGRITY")
                .containsEntry("destinationTouched", false).containsEntry("attempts", 2)
                .containsEntry("lastError", "HTTP 500")
                .containsEntry("destination", Map.of("agentId", "db-host-2", "target", "orders-staging",
                        "database", "orders_restored"));
        List<WebhookReceiver.Request> posts = awaitRestorePosts(manual.toString(), "restore.failed", 2);
        assertThat(posts).extracting(WebhookReceiver.Request::answeredStatus).containsExactly(500, 200);
        JsonNode body = JSON.readTree(posts.get(1).bodyAsString());
        assertThat(body.get("target").asString()).isEqualTo(target);
        assertThat(body.get("stage").asString()).isEqualTo("INTEGRITY");
        assertThat(body.get("reason").asString()).contains("failed its integrity check");
        assertThat(body.get("destinationTouched").asBoolean(true)).isFalse();
        assertThat(body.get("destination").get("database").asString()).isEqualTo("orders_restored");
        assertThat(body.has("planId")).isFalse();

        assertThat(alerts(null)).filteredOn(a -> target.equals(a.get("target"))).extracting(a -> a.get("restoreId"))
                .containsExactly(manual.toString());
        assertThat(restorePostsFor(test.toString(), "restore.failed")).isEmpty();
    }

    @Test
    void aRestoreEventIdRaisesOneAlert() {
        String target = "dup-restore-" + UUID.randomUUID();
        UUID testEvent = UUID.randomUUID();
        UUID failedEvent = UUID.randomUUID();
        UUID firstTest = UUID.randomUUID();
        UUID firstManual = UUID.randomUUID();
        publishTestFailed(testEvent, RestoreEventsMother.testFailedFor(target, firstTest));
        publishTestFailed(testEvent, RestoreEventsMother.testFailedFor(target, UUID.randomUUID()));
        publishFailed(failedEvent, RestoreEventsMother.failedFor(target, firstManual, "MANUAL"));
        publishFailed(failedEvent, RestoreEventsMother.failedFor(target, UUID.randomUUID(), "MANUAL"));
        UUID testSentinel = UUID.randomUUID();
        UUID manualSentinel = UUID.randomUUID();
        publishTestFailed(UUID.randomUUID(), RestoreEventsMother.testFailedFor(target, testSentinel));
        publishFailed(UUID.randomUUID(), RestoreEventsMother.failedFor(target, manualSentinel, "MANUAL"));

        awaitRestoreAlert(testSentinel.toString(), "restore.test-failed", "DELIVERED");
        awaitRestoreAlert(manualSentinel.toString(), "restore.failed", "DELIVERED");
        assertThat(alerts(null)).filteredOn(a -> target.equals(a.get("target"))).extracting(a -> a.get("restoreId"))
                .containsExactlyInAnyOrder(firstTest.toString(), firstManual.toString(), testSentinel.toString(),
                        manualSentinel.toString());
        awaitRestoreAlert(firstTest.toString(), "restore.test-failed", "DELIVERED");
        awaitRestoreAlert(firstManual.toString(), "restore.failed", "DELIVERED");
        assertThat(restorePostsFor(firstTest.toString(), "restore.test-failed")).hasSize(1);
        assertThat(restorePostsFor(firstManual.toString(), "restore.failed")).hasSize(1);
    }

    // --- helpers

    private void publish(UUID eventId, ObjectNode failed) {
        ContractAssertions.assertValid(BackupFailedMother.SCHEMA, BackupFailedMother.json(failed));
        publish(eventId, failed.get("target").asString(), failed);
    }

    private void publish(UUID eventId, String key, ObjectNode failed) {
        TopicProbe.publish(bootstrap, Topics.BACKUP_FAILED, key,
                BackupFailedMother.headers(eventId, failed.get("runId").asString()), BackupFailedMother.json(failed));
    }

    private void publishTestFailed(UUID eventId, ObjectNode failed) {
        ContractAssertions.assertValid(RestoreEventsMother.TEST_FAILED_SCHEMA, RestoreEventsMother.json(failed));
        publishTestFailed(eventId, failed.get("target").asString(), failed);
    }

    private void publishTestFailed(UUID eventId, String key, ObjectNode failed) {
        TopicProbe.publish(bootstrap, Topics.RESTORE_TEST_FAILED, key,
                RestoreEventsMother.testFailedHeaders(eventId, failed.get("restoreId").asString()),
                RestoreEventsMother.json(failed));
    }

    private void publishFailed(UUID eventId, ObjectNode failed) {
        ContractAssertions.assertValid(RestoreEventsMother.FAILED_SCHEMA, RestoreEventsMother.json(failed));
        publishFailed(eventId, failed.get("target").asString(), failed);
    }

    private void publishFailed(UUID eventId, String key, ObjectNode failed) {
        TopicProbe.publish(bootstrap, Topics.RESTORE_FAILED, key,
                RestoreEventsMother.failedHeaders(eventId, failed.get("restoreId").asString()),
                RestoreEventsMother.json(failed));
    }

    private List<WebhookReceiver.Request> restorePostsFor(String restoreId, String kind) {
        return RECEIVER.requests().stream().map(r -> Map.entry(r, JSON.readTree(r.bodyAsString())))
                .filter(e -> restoreId.equals(e.getValue().path("restoreId").asString(null))
                        && kind.equals(e.getValue().path("kind").asString(null)))
                .map(Map.Entry::getKey)
                .toList();
    }

    private List<WebhookReceiver.Request> awaitRestorePosts(String restoreId, String kind, int count) {
        return await().atMost(WAIT).until(() -> restorePostsFor(restoreId, kind), posts -> posts.size() >= count);
    }

    private Map<String, Object> awaitRestoreAlert(String restoreId, String kind, String status) {
        return await().atMost(WAIT).until(() -> alerts(status).stream()
                .filter(a -> restoreId.equals(a.get("restoreId")) && kind.equals(a.get("kind"))).findFirst()
                .orElse(null), a -> a != null);
    }

    private List<WebhookReceiver.Request> postsFor(String runId) {
        return RECEIVER.requests().stream()
                .filter(r -> runId.equals(JSON.readTree(r.bodyAsString()).path("runId").asString(null)))
                .toList();
    }

    private List<WebhookReceiver.Request> awaitPosts(String runId, int count) {
        return await().atMost(WAIT).until(() -> postsFor(runId), posts -> posts.size() >= count);
    }

    private Map<String, Object> awaitAlert(String runId, String status) {
        return await().atMost(WAIT).until(() -> alerts(status).stream()
                .filter(a -> runId.equals(a.get("runId"))).findFirst().orElse(null), a -> a != null);
    }

    private List<Map<String, Object>> alerts(String status) {
        return http.get().uri(uri -> status == null ? uri.path("/alerts").build()
                        : uri.path("/alerts").queryParam("status", status).build())
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                });
    }

    private Reply get(String path) {
        return http.get().uri(path).accept(MediaType.APPLICATION_JSON).exchange((request, response) -> new Reply(
                response.getStatusCode().value(), response.getHeaders().getContentType(),
                new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    private static String hmacSha256(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private record Reply(int status, MediaType contentType, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
