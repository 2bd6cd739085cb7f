package io.backbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RunLifecycleIT extends SchedulerIntegrationTest {

    private static final String STORED_DLQ = Topics.deadLetter(Topics.BACKUP_STORED, "scheduler-service");
    private static TopicProbe requested;
    private static TopicProbe deadLetters;

    @BeforeAll
    static void openProbes() {
        requested = TopicProbe.open(EventMother.bootstrap(), Topics.BACKUP_REQUESTED);
        deadLetters = TopicProbe.open(EventMother.bootstrap(), STORED_DLQ);
    }

    @AfterAll
    static void closeProbes() {
        requested.close();
        deadLetters.close();
    }

    @Test
    void runNowRequestsABackupAndFollowsTheRunToStored() {
        UUID planId = createPlan(PlanMother.nightly(PlanMother.uniqueName("orders-now")));

        Reply accepted = post("/plans/" + planId + "/runs", null);

        assertThat(accepted.status()).isEqualTo(202);
        UUID runId = UUID.fromString(accepted.text("id"));
        assertThat(accepted.headers().getLocation()).hasToString("http://localhost:" + port + "/runs/" + runId);
        assertThat(accepted.text("state")).isEqualTo("REQUESTED");
        assertThat(accepted.text("trigger")).isEqualTo("manual");
        assertThat(accepted.text("planId")).isEqualTo(planId.toString());
        assertThat(accepted.body().get("attempt").asInt()).isEqualTo(1);

        ConsumerRecord<String, byte[]> record = awaitRequested(runId);
        String json = TopicProbe.valueAsString(record);
        ContractAssertions.assertValid("schemas/backup-requested.v1.schema.json", json);
        assertThat(record.key()).isEqualTo("orders");
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.BACKUP_REQUESTED);
        assertThat(UUID.fromString(TopicProbe.header(record, CloudEventHeaders.ID))).isNotNull();
        assertThat(TopicProbe.header(record, CloudEventHeaders.SOURCE)).isEqualTo("urn:backbus:scheduler-service");
        assertThat(TopicProbe.header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(TopicProbe.header(record, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        JsonNode body = JSON.readTree(json);
        assertThat(body.get("planId").asString()).isEqualTo(planId.toString());
        assertThat(body.get("agentId").asString()).isEqualTo("db-host-1");
        assertThat(body.get("target").asString()).isEqualTo("orders");
        assertThat(body.get("trigger").asString()).isEqualTo("manual");
        assertThat(Instant.parse(body.get("scheduledFor").asString()))
                .isEqualTo(Instant.parse(accepted.text("scheduledFor")));

        EventMother.publishArtifactReady(runId);
        Reply dumped = awaitRun(runId, "DUMPED");
        assertThat(dumped.body().get("sizeBytes").asLong()).isEqualTo(1_048_576L);
        assertThat(dumped.text("dumpedAt")).isNotNull();

        EventMother.publishStored(runId);
        Reply stored = awaitRun(runId, "STORED");
        assertThat(stored.text("objectKey")).isEqualTo("targets/orders/2026/11/23/" + runId + "/artifact.enc");
        assertThat(stored.text("backupId")).isEqualTo("c0ffee00-1234-4abc-8def-0123456789ab");
        assertThat(stored.body().get("sizeBytes").asLong()).isEqualTo(1_049_110L);
        assertThat(stored.text("storedAt")).isEqualTo("2026-11-23T02:00:07.400Z");

        // a late ArtifactReady (say, redelivered by the agent) does not move the run back
        awaitProcessed(EventMother.publishArtifactReady(runId));
        Reply still = get("/runs/" + runId);
        assertThat(still.text("state")).isEqualTo("STORED");
        assertThat(still.body().get("sizeBytes").asLong()).isEqualTo(1_049_110L);

        Reply runs = get("/runs?plan=" + planId);
        assertThat(runs.status()).isEqualTo(200);
        assertThat(runs.body().valueStream().map(r -> r.get("id").asString())).containsExactly(runId.toString());
    }

    @Test
    void backupFailedFailsTheRunWithStageAndReason() {
        UUID planId = createPlan(PlanMother.nightly(PlanMother.uniqueName("orders-fail")));
        UUID first = runNow(planId);
        UUID second = runNow(planId);

        EventMother.publishBackupFailed(second);

        Reply failed = awaitRun(second, "FAILED");
        assertThat(failed.text("failureStage")).isEqualTo("DUMP");
        assertThat(failed.text("failureReason")).startsWith("pg_dump: error: connection to server");
        assertThat(failed.text("failedAt")).isEqualTo("2026-11-23T02:00:00.900Z");
        assertThat(get("/runs/" + first).text("state")).isEqualTo("REQUESTED");
        assertThat(get("/runs?plan=" + planId).body().valueStream().map(r -> r.get("id").asString()))
                .containsExactly(second.toString(), first.toString()); // newest first
    }

    @Test
    void anEventIdIsProcessedOnce() {
        UUID planId = createPlan(PlanMother.nightly(PlanMother.uniqueName("orders-dup-event")));
        UUID storedRun = runNow(planId);
        UUID otherRun = runNow(planId);
        UUID markerRun = runNow(planId);
        UUID ceId = UUID.randomUUID();

        EventMother.publish(Topics.BACKUP_STORED, EventTypes.BACKUP_STORED, "orders", storedRun.toString(),
                EventMother.stored(storedRun), ceId);
        awaitRun(storedRun, "STORED");
        // the same event id again; its body names another run so that processing it twice would show
        EventMother.publish(Topics.BACKUP_STORED, EventTypes.BACKUP_STORED, "orders", otherRun.toString(),
                EventMother.stored(otherRun), ceId);
        // a later event on the same partition: once it is applied, the duplicate before it was consumed
        EventMother.publishStored(markerRun);
        awaitRun(markerRun, "STORED");

        assertThat(get("/runs/" + otherRun).text("state")).isEqualTo("REQUESTED");
        assertThat(count("select count(*) from processed_event where event_id = ?", ceId)).isEqualTo(1);
    }

    @Test
    void anEventForAnUnknownRunIsSkipped() {
        UUID unknownRun = UUID.randomUUID();

        UUID ceId = EventMother.publishStored(unknownRun);

        awaitProcessed(ceId);
        assertThat(count("select count(*) from run where id = ?", unknownRun)).isZero();
    }

    @Test
    void malformedRecordsAreDeadLetteredAndTheConsumerGoesOn() {
        UUID planId = createPlan(PlanMother.nightly(PlanMother.uniqueName("orders-dlq")));
        UUID runId = runNow(planId);
        UUID unparsable = UUID.randomUUID();
        UUID withoutRunId = UUID.randomUUID();

        EventMother.publish(Topics.BACKUP_STORED, EventTypes.BACKUP_STORED, "orders", runId.toString(),
                "{\"runId\": \"" + runId + "\", \"objectKey\": ", unparsable);
        EventMother.publish(Topics.BACKUP_STORED, EventTypes.BACKUP_STORED, "orders", runId.toString(),
                EventMother.stored(runId).replace("\"runId\": \"" + runId + "\",", ""), withoutRunId);
        EventMother.publishStored(runId);

        for (UUID ceId : new UUID[] {unparsable, withoutRunId}) {
            ConsumerRecord<String, byte[]> dead = deadLetters.awaitRecords(
                    r -> ceId.toString().equals(TopicProbe.header(r, CloudEventHeaders.ID)), 1,
                    Duration.ofSeconds(30)).get(0);
            assertThat(TopicProbe.header(dead, CloudEventHeaders.DLQ_REASON)).startsWith("malformed event");
            assertThat(TopicProbe.header(dead, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.BACKUP_STORED);
            assertThat(dead.key()).isEqualTo("orders");
        }
        assertThat(TopicProbe.header(deadLetters.awaitRecords(
                r -> withoutRunId.toString().equals(TopicProbe.header(r, CloudEventHeaders.ID)), 1,
                Duration.ofSeconds(1)).get(0), CloudEventHeaders.DLQ_REASON))
                .isEqualTo("malformed event: Stored: $: required property 'runId' not found");
        awaitRun(runId, "STORED");
    }

    private static ConsumerRecord<String, byte[]> awaitRequested(UUID runId) {
        return requested.awaitRecords(r -> runId.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)),
                1, Duration.ofSeconds(30)).get(0);
    }
}
