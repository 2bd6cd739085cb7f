package io.backbus.agent.domain;

import io.backbus.agent.config.AgentProperties;
import io.backbus.contracts.RestoreProgress;
import io.backbus.contracts.RestoreStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * What the agent tells about running restores: {@code RestoreProgress} every {@code interval} while a stage runs —
 * {@link RestoreStage#TRANSFER}: bytes received of {@code sizeBytes}; {@link RestoreStage#RESTORE}: archive entries
 * pg_restore processed of those {@code pg_restore --list} shows (or -1) — and a final one when the stage succeeded,
 * sent fire-and-forget from a thread of its own (ADR 0005); and the metrics {@value #TRANSFER_BYTES} and
 * {@value #DURATION} (tag {@code outcome} = {@code completed} | {@code failed}).
 */
@Service
public class RestoreTelemetry implements AutoCloseable {

    public static final String TRANSFER_BYTES = "backbus.agent.restore.transfer.bytes";
    public static final String DURATION = "backbus.agent.restore.duration";

    private final TelemetryEvents events;
    private final Clock clock;
    private final ProgressTicker ticker;
    private final Counter transferBytes;
    private final Timer completed;
    private final Timer failed;

    @Autowired
    public RestoreTelemetry(AgentProperties properties, TelemetryEvents events, MeterRegistry registry,
            Clock clock) {
        this(events, registry, clock, properties.progressInterval());
    }

    public RestoreTelemetry(TelemetryEvents events, MeterRegistry registry, Clock clock, Duration interval) {
        this.events = events;
        this.clock = clock;
        this.ticker = new ProgressTicker("restore-progress", interval);
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
        ticker.close();
    }

    /** One stage being followed; {@link #accept} adds units done. Always {@link #end} it. */
    public final class Stage implements LongConsumer {
        private final UUID restoreId;
        private final String target;
        private final RestoreStage stage;
        private final long total;
        private final AtomicLong done = new AtomicLong();
        private final ProgressTicker.Ticking tick;

        private Stage(UUID restoreId, String target, RestoreStage stage, long total) {
            this.restoreId = restoreId;
            this.target = target;
            this.stage = stage;
            this.total = total;
            this.tick = ticker.every(() -> publish(done.get()));
        }

        @Override
        public void accept(long units) {
            done.addAndGet(units); // negative when a broken transfer starts over
            if (stage == RestoreStage.TRANSFER && units > 0) {
                transferBytes.increment(units);
            }
        }

        /** Units done so far. */
        public long done() {
            return done.get();
        }

        /** Stops the ticks; when the stage succeeded, sends a final progress with all units done. */
        public void end(boolean succeeded) {
            if (!tick.end()) {
                return;
            }
            if (succeeded) {
                // a stage that succeeded did all of its units, however many the verbose output showed
                long last = total >= 0 ? total : done.get();
                tick.last(() -> publish(last), stage + " of restore " + restoreId);
            }
        }

        private void publish(long units) {
            long bounded = total >= 0 ? Math.min(units, total) : units;
            events.restoreProgress(new RestoreProgress(restoreId, target, stage, bounded, total, clock.instant()));
        }
    }
}
