package io.backbus.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The catalog against real Kafka and PostgreSQL: Stored events in, REST listings out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetentionServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DLQ = Topics.deadLetter(Topics.BACKUP_STORED, "retention-service");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "retention");
    }

    @LocalServerPort
    int port;

    private RestClient http;
    private final String bootstrap = TestServers.get().kafkaBootstrapServers();

    @BeforeEach
    void client() {
        http = RestClient.create("http://127.0.0.1:" + port);
    }

    @Test
    void catalogsTheStoredSampleAndListsItByTarget() {
        ObjectNode sample = StoredMother.sample();
        ContractAssertions.assertValid("schemas/backup-stored.v1.schema.json", StoredMother.json(sample));
        String runId = sample.get("runId").asString();

        publish(UUID.randomUUID(), sample);

        List<Map<String, Object>> listed = awaitListing("orders", 1);
        assertThat(listed).hasSize(1);
        Map<String, Object> backup = listed.get(0);
        assertThat(backup).containsEntry("backupId", "c0ffee00-1234-4abc-8def-0123456789ab")
                .containsEntry("runId", runId)
                .containsEntry("target", "orders")
                .containsEntry("agentId", "db-host-1")
                .containsEntry("bucket", "backbus-backups")
                .containsEntry("objectKey", sample.get("objectKey").asString())
                .containsEntry("manifestKey", sample.get("manifestKey").asString())
                .containsEntry("plaintextSha256", sample.get("plaintextSha256").asString())
                .containsEntry("encryption", "tink-streaming-aead/AES256_GCM_HKDF_1MB")
                .containsEntry("keyId", "1932402213")
                .containsEntry("storageClass", "STANDARD")
                .containsEntry("status", "AVAILABLE")
                .containsEntry("serverVersion", "15.18");
        assertThat(((Number) backup.get("plaintextSize")).longValue()).isEqualTo(1048576L);
        assertThat(((Number) backup.get("ciphertextSize")).longValue()).isEqualTo(1049110L);
        assertThat(Instant.parse((String) backup.get("storedAt"))).isEqualTo("2026-11-23T02:00:07.400Z");
        assertThat(Instant.parse((String) backup.get("dumpStartedAt"))).isEqualTo("2026-11-23T02:00:00.120Z");

        Reply one = get("/backups/c0ffee00-1234-4abc-8def-0123456789ab");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("runId").asString()).isEqualTo(runId);

        assertThat(listing(null)).extracting(b -> b.get("backupId")).contains("c0ffee00-1234-4abc-8def-0123456789ab");
        assertThat(get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void listsATargetsBackupsNewestFirst() {
        String target = "newest-first-" + UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), newer,
                Instant.parse("2026-11-24T02:00:00Z")));
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), older,
                Instant.parse("2026-11-23T02:00:00Z")));

        assertThat(awaitListing(target, 2)).extracting(b -> b.get("backupId"))
                .containsExactly(newer.toString(), older.toString());
    }

    @Test
    void anEventIdIsProcessedOnce() {
        String target = "dup-event-" + UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        publish(eventId, StoredMother.storedFor(target, UUID.randomUUID(), first, Instant.now()));
        // a redelivery of the same event id is skipped whatever its body says
        publish(eventId, StoredMother.storedFor(target, UUID.randomUUID(), UUID.randomUUID(), Instant.now()));

        awaitSentinelAfter(target);
        assertThat(listing(target)).extracting(b -> b.get("backupId")).containsOnlyOnce(first.toString())
                .hasSize(2); // the first backup and the sentinel
    }

    @Test
    void aRunIsCatalogedOnceEvenUnderANewEventId() {
        String target = "dup-run-" + UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, runId, first, Instant.now()));
        publish(UUID.randomUUID(), StoredMother.storedFor(target, runId, UUID.randomUUID(), Instant.now()));

        awaitSentinelAfter(target);
        assertThat(listing(target)).filteredOn(b -> runId.toString().equals(b.get("runId")))
                .extracting(b -> b.get("backupId")).containsExactly(first.toString());
    }

    @Test
    void deadLettersMalformedRecordsAndGoesOn() {
        String target = "malformed-" + UUID.randomUUID();
        UUID unparsable = UUID.randomUUID();
        UUID incomplete = UUID.randomUUID();
        try (TopicProbe dlq = TopicProbe.open(bootstrap, DLQ)) {
            TopicProbe.publish(bootstrap, Topics.BACKUP_STORED, target,
                    StoredMother.headers(unparsable, UUID.randomUUID().toString()), "{\"runId\": oops");
            ObjectNode noTarget = StoredMother.storedFor(target, UUID.randomUUID(), UUID.randomUUID(), Instant.now());
            noTarget.remove("target");
            publish(incomplete, target, noTarget);

            List<ConsumerRecord<String, byte[]>> dead = dlq.awaitRecords(r -> {
                String id = TopicProbe.header(r, CloudEventHeaders.ID);
                return unparsable.toString().equals(id) || incomplete.toString().equals(id);
            }, 2, WAIT);

            assertThat(dead).allSatisfy(r -> {
                assertThat(TopicProbe.header(r, CloudEventHeaders.DLQ_REASON)).startsWith("malformed event");
                assertThat(TopicProbe.header(r, CloudEventHeaders.TYPE)).isEqualTo(
                        StoredMother.headers(unparsable, "x").get(CloudEventHeaders.TYPE));
                assertThat(r.key()).isEqualTo(target);
            });
            assertThat(dead).anySatisfy(r -> assertThat(TopicProbe.header(r, CloudEventHeaders.DLQ_REASON))
                    .contains("'target'"));
            assertThat(dead).anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"runId\": oops"));
        }

        UUID next = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), next, Instant.now()));
        assertThat(awaitListing(target, 1)).extracting(b -> b.get("backupId")).containsExactly(next.toString());
    }

    @Test
    void answersAnUnknownBackupWith404ProblemDetails() {
        UUID unknown = UUID.randomUUID();
        Reply reply = get("/backups/" + unknown);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isNotNull();
        assertThat(reply.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(reply.json().get("status").asInt()).isEqualTo(404);
        assertThat(reply.json().get("detail").asString()).contains(unknown.toString());
    }

    @Test
    void answersAnIdThatIsNotAUuidWith400NamingTheParameter() {
        Reply reply = get("/backups/not-a-uuid");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isNotNull();
        assertThat(reply.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(reply.json().get("status").asInt()).isEqualTo(400);
        assertThat(reply.json().get("parameter").asString()).isEqualTo("id");
        assertThat(reply.json().get("detail").asString()).contains("'id'");
    }

    // --- helpers

    private void publish(UUID eventId, ObjectNode stored) {
        publish(eventId, stored.get("target").asString(), stored);
    }

    private void publish(UUID eventId, String key, ObjectNode stored) {
        TopicProbe.publish(bootstrap, Topics.BACKUP_STORED, key,
                StoredMother.headers(eventId, stored.get("runId").asString()), StoredMother.json(stored));
    }

    /** Publishes a valid event behind the earlier ones of this target (same key, same partition) and waits for it. */
    private void awaitSentinelAfter(String target) {
        UUID sentinel = UUID.randomUUID();
        publish(UUID.randomUUID(), StoredMother.storedFor(target, UUID.randomUUID(), sentinel,
                Instant.parse("2020-01-01T00:00:00Z")));
        await().atMost(WAIT).until(() -> get("/backups/" + sentinel).status() == 200);
    }

    private List<Map<String, Object>> awaitListing(String target, int count) {
        return await().atMost(WAIT).until(() -> listing(target), list -> list.size() >= count);
    }

    private List<Map<String, Object>> listing(String target) {
        return http.get().uri(uri -> target == null ? uri.path("/backups").build()
                        : uri.path("/backups").queryParam("target", target).build())
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

    private record Reply(int status, MediaType contentType, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
