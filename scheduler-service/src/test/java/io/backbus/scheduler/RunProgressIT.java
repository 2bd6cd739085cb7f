package io.backbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** BackupProgress telemetry shows in the run; it never moves a run backwards and is never kept as processed. */
class RunProgressIT extends SchedulerIntegrationTest {

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
}
