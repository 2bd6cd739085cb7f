package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LiveDumpsTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-23T02:00:00Z"));
    private final LiveDumps live = new LiveDumps(clock, Duration.ofMinutes(5));

    @Test
    void aDumpRunsUntilItIsDoneWithItsSizeAndThenStaysDone() {
        UUID runId = UUID.randomUUID();
        LiveDumps.LiveDump dump = live.start(runId, Path.of("/staging/x.partial"));

        assertThat(live.find(runId)).containsSame(dump);
        assertThat(dump.state()).isEqualTo(LiveDumps.State.RUNNING);
        assertThat(dump.finalSize()).isEqualTo(-1);
        assertThat(dump.file()).isEqualTo(Path.of("/staging/x.partial"));

        dump.done(1234);
        dump.failed();

        assertThat(dump.state()).as("the first end wins").isEqualTo(LiveDumps.State.DONE);
        assertThat(dump.finalSize()).isEqualTo(1234);
    }

    @Test
    void aFailedDumpStaysFailed() {
        LiveDumps.LiveDump dump = live.start(UUID.randomUUID(), Path.of("f"));

        dump.failed();
        dump.done(10);

        assertThat(dump.state()).isEqualTo(LiveDumps.State.FAILED);
        assertThat(dump.finalSize()).isEqualTo(-1);
    }

    @Test
    void awaitEndWakesWhenTheDumpEndsAndReturnsAtOnceAfterwards() throws Exception {
        LiveDumps.LiveDump dump = live.start(UUID.randomUUID(), Path.of("f"));
        assertThat(dump.awaitEnd(1)).as("times out while running").isEqualTo(LiveDumps.State.RUNNING);

        CompletableFuture<LiveDumps.State> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return dump.awaitEnd(60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        dump.done(5);

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(waiting.get()).isEqualTo(LiveDumps.State.DONE);
        assertThat(dump.awaitEnd(60_000)).isEqualTo(LiveDumps.State.DONE);
    }

    @Test
    void aNewAttemptOfTheSameRunFailsAndReplacesTheRunningOne() {
        UUID runId = UUID.randomUUID();
        LiveDumps.LiveDump first = live.start(runId, Path.of("f"));

        LiveDumps.LiveDump second = live.start(runId, Path.of("f"));

        assertThat(first.state()).isEqualTo(LiveDumps.State.FAILED);
        assertThat(second.state()).isEqualTo(LiveDumps.State.RUNNING);
        assertThat(live.find(runId)).containsSame(second);
    }

    @Test
    void forgetsEndedDumpsAfterTheRetentionButNeverARunningOne() {
        LiveDumps.LiveDump running = live.start(UUID.randomUUID(), Path.of("a"));
        LiveDumps.LiveDump done = live.start(UUID.randomUUID(), Path.of("b"));
        done.done(1);
        clock.advance(Duration.ofMinutes(4));
        LiveDumps.LiveDump failedLater = live.start(UUID.randomUUID(), Path.of("c"));
        failedLater.failed();

        assertThat(live.prune(clock.instant())).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(live.prune(clock.instant())).isEqualTo(1);

        assertThat(live.find(done.runId())).isEmpty();
        assertThat(live.find(failedLater.runId())).isPresent();
        assertThat(live.find(running.runId())).isPresent();
        clock.advance(Duration.ofHours(24));
        live.start(UUID.randomUUID(), Path.of("d"));
        assertThat(live.find(failedLater.runId())).as("pruned when the next dump starts").isEmpty();
        assertThat(live.find(running.runId())).isPresent();
        assertThat(live.size()).isEqualTo(2);
    }

    @Test
    void removingARunForgetsIt() {
        UUID runId = UUID.randomUUID();
        live.start(runId, Path.of("f")).done(3);

        live.remove(runId);

        assertThat(live.find(runId)).isEmpty();
    }

    @Test
    void closingFailsEveryRunningDumpAndEveryLaterOne() {
        LiveDumps.LiveDump running = live.start(UUID.randomUUID(), Path.of("a"));
        LiveDumps.LiveDump done = live.start(UUID.randomUUID(), Path.of("b"));
        done.done(7);

        live.close();

        assertThat(running.state()).isEqualTo(LiveDumps.State.FAILED);
        assertThat(done.state()).isEqualTo(LiveDumps.State.DONE);
        assertThat(live.start(UUID.randomUUID(), Path.of("c")).state()).isEqualTo(LiveDumps.State.FAILED);
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
