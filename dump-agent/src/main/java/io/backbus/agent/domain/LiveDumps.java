package io.backbus.agent.domain;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dumps whose staging file is being written right now, by run, so that the live artifact endpoint can serve
 * a file while it grows. The dump path {@link #start starts} an entry when it creates the partial file and ends it
 * {@link LiveDump#done done} once the file is complete, synced and renamed (before ArtifactReady is published) or
 * {@link LiveDump#failed failed} (before BackupFailed is published). Ended entries are {@link #prune pruned} after
 * {@code retention}; {@link #close() closing} (the agent shuts down) fails every running one, so that readers abort
 * instead of waiting for a dump nobody will finish serving.
 */
public class LiveDumps implements AutoCloseable {

    /** Where a live dump is. */
    public enum State {
        /** pg_dump is still writing the staging file. */
        RUNNING,
        /** The staging file is complete and synced; {@link LiveDump#finalSize()} bytes. */
        DONE,
        /** The dump failed (or the agent stopped): the file will never be complete. */
        FAILED
    }

    private final Map<UUID, LiveDump> dumps = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration retention;
    private volatile boolean closed;

    /** @param retention how long an ended dump stays known (later, a finished run is served from its staged file) */
    public LiveDumps(Clock clock, Duration retention) {
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Registers the dump of {@code runId} writing {@code file}. An entry of an earlier attempt of the same run that
     * is still running is failed and replaced.
     */
    public LiveDump start(UUID runId, Path file) {
        prune(clock.instant());
        LiveDump dump = new LiveDump(runId, file);
        if (closed) {
            dump.end(State.FAILED, -1);
        }
        LiveDump earlier = dumps.put(runId, dump);
        if (earlier != null) {
            earlier.failed();
        }
        return dump;
    }

    /** The live (or recently ended) dump of a run. */
    public Optional<LiveDump> find(UUID runId) {
        return Optional.ofNullable(dumps.get(runId));
    }

    /** Forgets a run (its artifact was stored); a reader already serving it goes on. */
    public void remove(UUID runId) {
        dumps.remove(runId);
    }

    /**
     * Forgets the dumps that ended more than {@code retention} before {@code now}.
     *
     * @return how many were forgotten
     */
    public int prune(Instant now) {
        Instant before = now.minus(retention);
        int[] removed = {0};
        dumps.values().removeIf(d -> {
            Instant ended = d.endedAt;
            boolean old = ended != null && ended.isBefore(before);
            if (old) {
                removed[0]++;
            }
            return old;
        });
        return removed[0];
    }

    /** How many dumps are known (running or recently ended). */
    public int size() {
        return dumps.size();
    }

    /** The agent stops: every running dump is failed, so its readers break off now. */
    @Override
    public void close() {
        closed = true;
        dumps.values().forEach(LiveDump::failed);
    }

    /** One dump; its state only ever goes from RUNNING to DONE or FAILED, once. */
    public final class LiveDump {
        private final UUID runId;
        private final Path file;
        private State state = State.RUNNING;
        private long finalSize = -1;
        private volatile Instant endedAt;

        private LiveDump(UUID runId, Path file) {
            this.runId = runId;
            this.file = file;
        }

        public UUID runId() {
            return runId;
        }

        /** The partial file being written (renamed to its final name once done). */
        public Path file() {
            return file;
        }

        public synchronized State state() {
            return state;
        }

        /** Bytes of the complete file; -1 unless {@link State#DONE}. */
        public synchronized long finalSize() {
            return finalSize;
        }

        /** The file is complete and synced: {@code size} bytes. Ignored if the dump already ended. */
        public void done(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative: " + size);
            }
            end(State.DONE, size);
        }

        /** The dump failed; ignored if it already ended. */
        public void failed() {
            end(State.FAILED, -1);
        }

        private synchronized void end(State to, long size) {
            if (state != State.RUNNING) {
                return;
            }
            state = to;
            finalSize = size;
            endedAt = clock.instant();
            notifyAll();
        }

        /**
         * Waits until the dump ends or {@code millis} pass (whichever comes first; returns at once if it ended).
         *
         * @return the state then
         */
        public synchronized State awaitEnd(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (state == State.RUNNING) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
            return state;
        }
    }
}
