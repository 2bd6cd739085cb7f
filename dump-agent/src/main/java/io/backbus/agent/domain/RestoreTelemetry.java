package io.backbus.agent.domain;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreProgress;
import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.Topics;
import io.backbus.delivery.TelemetryPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent tells about running restores: {@code RestoreProgress} every {@code interval} while a stage runs —
 * {@link RestoreStage#TRANSFER}: bytes received of {@code sizeBytes}; {@link RestoreStage#RESTORE}: archive entries
 * pg_restore processed of those {@code pg_restore --list} shows (or -1) — and a final one when the stage succeeded,
 * sent fire-and-forget from a thread of its own (ADR 0005); and the metrics {@value #TRANSFER_BYTES} and
 * {@value #DURATION} (tag {@code outcome} = {@code completed} | {@code failed}).
 */
public class RestoreTelemetry implements AutoCloseable {

    public static final String TRANSFER_BYTES = "backbus.agent.restore.transfer.bytes";
    public static final String DURATION = "backbus.agent.restore.duration";

    private static final Logger log = LoggerFactory.getLogger(RestoreTelemetry.class);

    private final TelemetryPublisher publisher;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService ticker;
    private final Counter transferBytes;
    private final Timer completed;
    private final Timer failed;

    public RestoreTelemetry(TelemetryPublisher publisher, MeterRegistry registry, Clock clock, Duration interval) {
        this.publisher = publisher;
        this.clock = clock;
        this.interval = interval;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "restore-progress");
            t.setDaemon(true);
            return t;
        });
        this.transferBytes = Counter.builder(TRANSFER_BYTES).baseUnit("bytes")
                .description("Bytes of restore artifacts received from the uploader").register(registry);
        this.completed = timer(registry, "completed");
        this.failed = timer(registry, "failed");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder(DURATION).description("Agent-side time of a restore: transfer, pg_restore, verification")
                .tag("outcome", outcome).register(registry);
    }

    /** Records how a restore of {@code nanos} ended. */
    public void finished(boolean wasCompleted, long nanos) {
        (wasCompleted ? completed : failed).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Starts following one stage of restore {@code restoreId} (of a backup of {@code target}). */
    public Stage start(UUID restoreId, String target, RestoreStage stage, long total) {
        return new Stage(restoreId, target, stage, total);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** One stage being followed; {@link #accept} adds units done. Always {@link #end} it. */
    public final class Stage implements LongConsumer {
        private final UUID restoreId;
        private final String target;
        private final RestoreStage stage;
        private final long total;
        private final AtomicLong done = new AtomicLong();
        private final ScheduledFuture<?> tick;
        private volatile boolean ended;

        private Stage(UUID restoreId, String target, RestoreStage stage, long total) {
            this.restoreId = restoreId;
            this.target = target;
            this.stage = stage;
            this.total = total;
            this.tick = ticker.scheduleAtFixedRate(() -> {
                if (!ended) {
                    publish(done.get());
                }
            }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void accept(long units) {
            done.addAndGet(units);
            if (stage == RestoreStage.TRANSFER) {
                transferBytes.increment(units);
            }
        }

        /** Units done so far. */
        public long done() {
            return done.get();
        }

        /** Stops the ticks; when the stage succeeded, sends a final progress with all units done. */
        public void end(boolean succeeded) {
            if (ended) {
                return;
            }
            ended = true;
            tick.cancel(false);
            if (succeeded) {
                // a stage that succeeded did all of its units, however many the verbose output showed
                long last = total >= 0 ? total : done.get();
                try {
                    // on the ticker's one thread, so it is sent after any progress still in flight
                    ticker.execute(() -> publish(last));
                } catch (RejectedExecutionException e) {
                    log.debug("not sending the final {} progress of restore {}: shutting down", stage, restoreId);
                }
            }
        }

        private void publish(long units) {
            long bounded = total >= 0 ? Math.min(units, total) : units;
            publisher.publish(Topics.RESTORE_PROGRESS, target, EventTypes.RESTORE_PROGRESS, restoreId.toString(),
                    new RestoreProgress(restoreId, target, stage, bounded, total, clock.instant()));
        }
    }
}
