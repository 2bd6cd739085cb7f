package io.backbus.agent.domain;

import io.backbus.agent.config.AgentProperties;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.BackupStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * What the agent tells about running dumps: a {@code BackupProgress} (stage DUMP, bytes read from pg_dump so far,
 * total unknown) every {@code interval} while a dump runs and a final one with the total when it succeeded — sent
 * fire-and-forget as telemetry, from a thread of its own so a slow broker never slows a dump — and the metrics
 * {@value #DUMP_BYTES}, {@value #STAGED_BYTES} and {@value #DURATION} (tag {@code outcome}).
 */
@Service
public class DumpTelemetry implements AutoCloseable {

    public static final String DUMP_BYTES = "backbus.agent.dump.bytes";
    public static final String STAGED_BYTES = "backbus.agent.dump.staged.bytes";
    public static final String DURATION = "backbus.agent.dump.duration";

    private final String agentId;
    private final TelemetryEvents events;
    private final Clock clock;
    private final ProgressTicker ticker;
    private final Counter dumpBytes;
    private final Counter stagedBytes;
    private final Timer succeeded;
    private final Timer failed;

    @Autowired
    public DumpTelemetry(AgentProperties properties, TelemetryEvents events, MeterRegistry registry, Clock clock) {
        this(properties.id(), events, registry, clock, properties.progressInterval());
    }

    public DumpTelemetry(String agentId, TelemetryEvents events, MeterRegistry registry, Clock clock,
            Duration interval) {
        this.agentId = agentId;
        this.events = events;
        this.clock = clock;
        this.ticker = new ProgressTicker("dump-progress", interval);
        this.dumpBytes = Counter.builder(DUMP_BYTES).baseUnit("bytes")
                .description("Bytes pg_dump produced (uncompressed archive)").register(registry);
        this.stagedBytes = Counter.builder(STAGED_BYTES).baseUnit("bytes")
                .description("Bytes written to the staging directory (after compression)").register(registry);
        this.succeeded = timer(registry, "success");
        this.failed = timer(registry, "failure");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder(DURATION).description("Time from starting pg_dump to the dump being staged or failed")
                .tag("outcome", outcome).register(registry);
    }

    /** Starts following the dump of {@code target} for run {@code runId}. */
    public Run start(UUID runId, String target) {
        return new Run(runId, target);
    }

    @Override
    public void close() {
        ticker.close();
    }

    /** One dump being followed; the observer passed to {@link PgDump}. */
    public final class Run implements DumpObserver {
        private final UUID runId;
        private final String target;
        private final long startNanos = System.nanoTime();
        private final AtomicLong read = new AtomicLong();
        private final ProgressTicker.Ticking tick;

        private Run(UUID runId, String target) {
            this.runId = runId;
            this.target = target;
            this.tick = ticker.every(() -> publish(read.get(), -1));
        }

        @Override
        public void read(long bytes) {
            read.addAndGet(bytes);
            dumpBytes.increment(bytes);
        }

        @Override
        public void staged(long bytes) {
            stagedBytes.increment(bytes);
        }

        /** Bytes read from pg_dump so far. */
        public long bytesRead() {
            return read.get();
        }

        /** The dump is staged: records the duration and sends the final progress, total known. */
        public void succeeded() {
            if (end(succeeded)) {
                long total = read.get();
                tick.last(() -> publish(total, total), "run " + runId);
            }
        }

        /** The dump failed (BackupFailed tells why): records the duration; no final progress. */
        public void failed() {
            end(failed);
        }

        private boolean end(Timer timer) {
            if (!tick.end()) {
                return false;
            }
            timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            return true;
        }

        private void publish(long bytes, long totalBytes) {
            events.backupProgress(new BackupProgress(runId, agentId, target, BackupStage.DUMP, bytes, totalBytes,
                    clock.instant()));
        }
    }
}
