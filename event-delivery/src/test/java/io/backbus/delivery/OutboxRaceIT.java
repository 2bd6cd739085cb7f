package io.backbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.FailureStage;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay against concurrent transactions that commit out of {@code seq} order: a row whose {@code seq} is
 * lower than one already relayed, committed while the relay is sending its batch, must still be sent. Before the
 * relay deleted exactly the rows it sent, it deleted such rows unsent ({@code seq <= last}).
 */
@SpringBootTest(classes = EventDeliveryIT.DeliveryTestApp.class)
class OutboxRaceIT {

    private static final int ROUNDS = 40;
    private static final int WRITERS = 6;

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "delivery");
    }

    @Test
    void everyEventOfTransactionsCommittingOutOfSeqOrderReachesTheTopic() throws Exception {
        Set<String> published = ConcurrentHashMap.newKeySet();
        try (TopicProbe probe = TopicProbe.open(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_FAILED)) {
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS + 1);
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    publishOutOfOrder(writers, published, round);
                }
            } finally {
                writers.shutdown();
                assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            Set<String> onTopic = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!onTopic.containsAll(published) && System.nanoTime() < deadline) {
                for (var record : probe.records(Duration.ofMillis(500))) {
                    String id = TopicProbe.header(record, CloudEventHeaders.ID);
                    if (published.contains(id)) {
                        onTopic.add(id);
                    }
                }
            }
            Set<String> lost = new HashSet<>(published);
            lost.removeAll(onTopic);
            assertThat(published).hasSize(ROUNDS * (WRITERS + 1));
            assertThat(lost).as("events committed to the outbox but never sent").isEmpty();
        }
        assertThat(jdbc.sql("select count(*) from outbox_event").query(Long.class).single())
                .as("outbox rows left behind").isZero();
    }

    /**
     * One round: {@value #WRITERS} transactions take their {@code seq} and then wait; a later transaction commits
     * first and wakes the relay; the waiting ones then commit at staggered moments while the relay is at work.
     */
    private void publishOutOfOrder(ExecutorService writers, Set<String> published, int round) throws Exception {
        CountDownLatch inserted = new CountDownLatch(WRITERS);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> held = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            held.add(writers.submit(() -> tx.executeWithoutResult(s -> {
                published.add(publish("held-" + round + "-" + writer));
                inserted.countDown();
                await(release);
                // commit somewhere inside the relay's select → send → delete window
                sleep(ThreadLocalRandom.current().nextInt(0, 15));
            })));
        }
        assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();
        published.add(tx.execute(s -> publish("overtaking-" + round)));
        release.countDown();
        for (Future<?> f : held) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    private String publish(String reason) {
        BackupFailed event = new BackupFailed(UUID.randomUUID(), "agent-1", "race", FailureStage.DUMP, reason, false,
                Instant.now());
        return outbox.publish(Topics.BACKUP_FAILED, "race", EventTypes.BACKUP_FAILED, event.runId().toString(), event)
                .toString();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("round did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
