package io.backbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.TopicProbe;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BackupProgress telemetry shows in the run; it never moves a run backwards and is never kept as processed. */
class RunProgressIT extends SchedulerIntegrationTest {

    private static final String PROGRESS_DLQ = Topics.deadLetter(Topics.BACKUP_PROGRESS, "scheduler-service");
    private static TopicProbe deadLetters;

    @BeforeAll
    static void openProbe() {
        deadLetters = TopicProbe.open(EventMother.bootstrap(), PROGRESS_DLQ);
    }

    @AfterAll
    static void closeProbe() {
        deadLetters.close();
    }

    @Test
    void dumpAndUploadProgressShowInTheRunAsMaxima() {
        UUID runId = runNow(createPlan(PlanMother.nightly(PlanMother.uniqueName("orders-progress"))));

        UUID dump = EventMother.publishProgress(runId, "DUMP", 268_435_456L, -1);
        EventMother.publishProgress(runId, "UPLOAD", 1_000_000L, 268_435_456L);
        // a late, smaller report (reordered or duplicated) changes nothing
        EventMother.publishProgress(runId, "UPLOAD", 500_000L, 268_435_456L);
        UUID marker = EventMother.publishProgress(runId, "DUMP", 1L, -1);

        Reply run = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/runs/" + runId), r -> r.body().get("bytesUploaded").isNumber());
        assertThat(run.body().get("bytesDumped").asLong()).isEqualTo(268_435_456L);
        assertThat(run.body().get("bytesUploaded").asLong()).isEqualTo(1_000_000L);
        assertThat(run.body().get("uploadTotalBytes").asLong()).isEqualTo(268_435_456L);
        assertThat(run.text("progressAt")).isEqualTo("2026-11-23T02:00:02.500Z");
        assertThat(run.text("state")).isEqualTo("REQUESTED");
        // telemetry is not recorded in the inbox
        assertThat(count("select count(*) from processed_event where event_id in (?, ?)", dump, marker)).isZero();

        // once the run is stored, progress no longer touches it
        EventMother.publishStored(runId);
        awaitRun(runId, "STORED");
        EventMother.publishProgress(runId, "UPLOAD", 9_999_999_999L, 268_435_456L);
        UUID laterRun = runNow(createPlan(PlanMother.nightly(PlanMother.uniqueName("orders-progress-2"))));
        EventMother.publishProgress(laterRun, "UPLOAD", 42L, 100L); // same partition (key): applied after the one above
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/runs/" + laterRun), r -> r.body().get("bytesUploaded").isNumber());
        assertThat(get("/runs/" + runId).body().get("bytesUploaded").asLong()).isEqualTo(1_000_000L);
        assertThat(get("/runs?plan=" + run.text("planId")).body().get(0).get("bytesUploaded").asLong())
                .isEqualTo(1_000_000L);
    }

    @Test
    void malformedProgressIsDeadLetteredAndTheNextOneStillApplied() {
        UUID runId = runNow(createPlan(PlanMother.nightly(PlanMother.uniqueName("orders-progress-dlq"))));
        UUID malformed = UUID.randomUUID();

        EventMother.publish(Topics.BACKUP_PROGRESS, EventTypes.BACKUP_PROGRESS, "orders", runId.toString(),
                "{\"runId\": \"" + runId + "\", \"stage\": ", malformed);
        EventMother.publishProgress(runId, "DUMP", 4096L, -1);

        ConsumerRecord<String, byte[]> dead = deadLetters.awaitRecords(
                r -> malformed.toString().equals(TopicProbe.header(r, CloudEventHeaders.ID)), 1,
                Duration.ofSeconds(30)).get(0);
        assertThat(TopicProbe.header(dead, CloudEventHeaders.DLQ_REASON)).startsWith("malformed event");
        assertThat(dead.key()).isEqualTo("orders");
        Reply run = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/runs/" + runId), r -> r.body().get("bytesDumped").isNumber());
        assertThat(run.body().get("bytesDumped").asLong()).isEqualTo(4096L);
        assertThat(run.body().get("bytesUploaded").isNull()).isTrue();
    }
}
