package io.backbus.agent.postgres;

import io.backbus.agent.domain.DumpOutcome;
import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.FailureReason;
import io.backbus.agent.domain.RowCountSnapshot;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counting the rows of a {@link RowCountSnapshot} on a thread of its own while pg_dump streams the same snapshot
 * (counting before dumping was measured slower, see dump-agent/README.md).
 */
final class RowCounting {

    private static final Logger log = LoggerFactory.getLogger(RowCounting.class);

    private final DumpTarget target;
    private final RowCountSnapshot snapshot;
    private final FutureTask<Map<String, Long>> task;
    private final Thread thread;

    private RowCounting(DumpTarget target, RowCountSnapshot snapshot) {
        this.target = target;
        this.snapshot = snapshot;
        this.task = new FutureTask<>(() -> {
            long start = System.nanoTime();
            Map<String, Long> counts = snapshot.count();
            log.info("Counted the rows of {} table(s) of target '{}' in the dump's snapshot in {} ms",
                    counts.size(), target.name(), (System.nanoTime() - start) / 1_000_000);
            return counts;
        });
        this.thread = new Thread(task, "row-counts-" + target.name());
        thread.setDaemon(true);
    }

    static RowCounting start(DumpTarget target, RowCountSnapshot snapshot) {
        RowCounting counting = new RowCounting(target, snapshot);
        counting.thread.start();
        return counting;
    }

    /** Waits for the counts; the failure to report when counting failed. */
    Optional<DumpOutcome.Failed> failure(List<String> secrets) {
        try {
            task.get();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting rows of target " + target.name(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof SQLException sql ? RowCountSnapshot.describe(sql, secrets)
                    : String.valueOf(cause);
            String reason = FailureReason.scrub("cannot count the rows of target '" + target.name()
                    + "' in the dump's snapshot: " + message, secrets);
            return Optional.of(new DumpOutcome.Failed(reason, FailureReason.isRetryable(reason)));
        }
    }

    Map<String, Long> counts() {
        try {
            return task.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops counting that is still running (pg_dump failed) and waits for its thread. */
    void stop() {
        if (!task.isDone()) {
            snapshot.cancel();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
