package io.backbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.scheduler.domain.DuePlanFirer;
import io.backbus.scheduler.domain.Run;
import io.backbus.scheduler.domain.RunStore;
import io.backbus.scheduler.domain.StalledRunDetector;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TopicProbe;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class FiringIT extends SchedulerIntegrationTest {

    private static TopicProbe requested;
    private static TopicProbe failed;

    @Autowired
    DuePlanFirer firer;

    @Autowired
    StalledRunDetector stalledRuns;

    @Autowired
    RunStore runStore;

    @BeforeAll
    static void openProbes() {
        requested = TopicProbe.open(EventMother.bootstrap(), Topics.BACKUP_REQUESTED);
        failed = TopicProbe.open(EventMother.bootstrap(), Topics.BACKUP_FAILED);
    }

    @AfterAll
    static void closeProbes() {
        requested.close();
        failed.close();
    }

    @Test
    void aDuePlanFiresOnItsOwn() {
        UUID planId = createPlan(PlanMother.withCron(PlanMother.uniqueName("orders-every-2s"), "*/2 * * * * *"));
        try {
            JsonNode run = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get("/runs?plan=" + planId).body(), runs -> !runs.isEmpty()).get(0);

            assertThat(run.get("trigger").asString()).isEqualTo("schedule");
            assertThat(run.get("state").asString()).isEqualTo("REQUESTED");
            Instant slot = Instant.parse(run.get("scheduledFor").asString());
            assertThat(slot.getEpochSecond() % 2).isZero();
            assertThat(slot.getNano()).isZero();
            String runId = run.get("id").asString();
            ConsumerRecord<String, byte[]> record = requested.awaitRecords(
                    r -> runId.equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)), 1, Duration.ofSeconds(20))
                    .get(0);
            String json = TopicProbe.valueAsString(record);
            ContractAssertions.assertValid("schemas/backup-requested.v1.schema.json", json);
            assertThat(JSON.readTree(json).get("trigger").asString()).isEqualTo("schedule");
            assertThat(Instant.parse(JSON.readTree(json).get("scheduledFor").asString())).isEqualTo(slot);
            assertThat(record.key()).isEqualTo("orders");
            assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.BACKUP_REQUESTED);
        } finally {
            jdbc.sql("update plan set enabled = false where id = ?").param(planId).update();
        }
    }

    @Test
    void concurrentFirersFireEachDueSlotExactlyOnce() throws Exception {
        List<UUID> plans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            plans.add(createPlan(PlanMother.withCron(PlanMother.uniqueName("orders-race"), "0 0 1 1 *")));
        }
        Instant slot = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        for (UUID plan : plans) {
            jdbc.sql("update plan set next_fire_at = ? where id = ?").params(Timestamp.from(slot), plan).update();
        }

        int firers = 4;
        CyclicBarrier start = new CyclicBarrier(firers);
        ExecutorService pool = Executors.newFixedThreadPool(firers);
        try {
            List<Future<Integer>> handled = new ArrayList<>();
            for (int i = 0; i < firers; i++) {
                handled.add(pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int round = 0; round < 3; round++) {
                        n += firer.fireDuePlans();
                    }
                    return n;
                }));
            }
            for (Future<Integer> f : handled) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        for (UUID plan : plans) {
            assertThat(jdbc.sql("select trigger, scheduled_for from run where plan_id = ?").param(plan)
                    .query((rs, n) -> rs.getString("trigger") + "@" + rs.getTimestamp("scheduled_for").toInstant())
                    .list()).as("runs of plan %s", plan).containsExactly("schedule@" + slot);
            Instant next = jdbc.sql("select next_fire_at from plan where id = ?").param(plan)
                    .query(Timestamp.class).single().toInstant();
            assertThat(next).isAfter(Instant.now());
        }
        List<String> planIds = plans.stream().map(UUID::toString).toList();
        requested.awaitRecords(r -> planIds.contains(planIdOf(r)), plans.size(), Duration.ofSeconds(30));
        Map<String, Long> requestsPerPlan = requested.records(Duration.ofSeconds(2)).stream()
                .map(FiringIT::planIdOf).filter(planIds::contains)
                .collect(Collectors.groupingBy(p -> p, Collectors.counting()));
        assertThat(requestsPerPlan).hasSize(plans.size()).allSatisfy((plan, n) -> assertThat(n).isEqualTo(1L));

        // the backstop under the lock: the same slot cannot be inserted twice
        Run existing = runStore.byPlan(plans.get(0), 1).get(0);
        Run again = new Run(UUID.randomUUID(), existing.planId(), existing.target(), existing.agentId(),
                existing.scheduledFor(), existing.trigger(), existing.attempt(), existing.state(), null, null, null,
                null, null, existing.requestedAt(), null, null, null, null, existing.updatedAt());
        assertThat(runStore.insert(again)).isFalse();
    }

    @Test
    void afterADowntimeOnlyTheLatestMissedSlotFires() {
        UUID planId = createPlan(PlanMother.withCron(PlanMother.uniqueName("orders-every-minute"), "* * * * *"));
        Instant firstMissed = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
        jdbc.sql("update plan set next_fire_at = ? where id = ?").params(Timestamp.from(firstMissed), planId).update();

        firer.fireDuePlans();

        List<JsonNode> runs = get("/runs?plan=" + planId).body().valueStream().toList();
        assertThat(runs).hasSize(1);
        Instant slot = Instant.parse(runs.get(0).get("scheduledFor").asString());
        assertThat(slot).isAfter(Instant.now().minus(Duration.ofMinutes(2))).isBeforeOrEqualTo(Instant.now());
        assertThat(Instant.parse(get("/plans/" + planId).text("nextFireAt"))).isAfter(Instant.now());
        jdbc.sql("update plan set enabled = false where id = ?").param(planId).update();
    }

    @Test
    void aRunStalledPastTheTimeoutFailsAndIsAnnounced() {
        UUID planId = createPlan(PlanMother.nightly(PlanMother.uniqueName("orders-stall")));
        UUID stalled = runNow(planId);
        UUID fresh = runNow(planId);
        jdbc.sql("update run set updated_at = updated_at - interval '6 hours 1 minute' where id = ?").param(stalled)
                .update();

        stalledRuns.failStalledRuns();

        Reply run = get("/runs/" + stalled);
        assertThat(run.text("state")).isEqualTo("FAILED");
        assertThat(run.text("failureStage")).isEqualTo("SCHEDULE");
        assertThat(run.text("failureReason")).isEqualTo("run stalled in REQUESTED for more than 6h");
        assertThat(get("/runs/" + fresh).text("state")).isEqualTo("REQUESTED");

        ConsumerRecord<String, byte[]> record = failed.awaitRecords(
                r -> stalled.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)), 1,
                Duration.ofSeconds(30)).get(0);
        String json = TopicProbe.valueAsString(record);
        ContractAssertions.assertValid("schemas/backup-failed.v1.schema.json", json);
        assertThat(record.key()).isEqualTo("orders");
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.BACKUP_FAILED);
        JsonNode body = JSON.readTree(json);
        assertThat(body.get("stage").asString()).isEqualTo("SCHEDULE");
        assertThat(body.get("reason").asString()).isEqualTo("run stalled in REQUESTED for more than 6h");
    }

    private static String planIdOf(ConsumerRecord<String, byte[]> record) {
        JsonNode planId = JSON.readTree(TopicProbe.valueAsString(record)).get("planId");
        return planId == null ? null : planId.asString();
    }
}
