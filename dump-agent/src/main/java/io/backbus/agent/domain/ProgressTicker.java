package io.backbus.agent.domain;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that publishes the progress of the streams it follows every interval, so a slow broker never
 * slows a dump or a restore (ADR 0005), and their final progress after any tick still in flight.
 */
final class ProgressTicker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressTicker.class);

    private final ScheduledExecutorService ticker;
    private final Duration interval;

    ProgressTicker(String threadName, Duration interval) {
        this.interval = interval;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code tick} every interval until the returned handle is ended. */
    Ticking every(Runnable tick) {
        return new Ticking(tick);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** The ticks of one followed stream. */
    final class Ticking {
        private final ScheduledFuture<?> future;
        private volatile boolean ended;

        private Ticking(Runnable tick) {
            this.future = ticker.scheduleAtFixedRate(() -> {
                if (!ended) {
                    tick.run();
                }
            }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Stops the ticks; true the first time only. */
        boolean end() {
            if (ended) {
                return false;
            }
            ended = true;
            future.cancel(false);
            return true;
        }

        /** Runs {@code publish} (a final progress) on the ticker's thread, so after any tick in flight. */
        void last(Runnable publish, Object what) {
            try {
                ticker.execute(publish);
            } catch (RejectedExecutionException e) {
                log.debug("not sending the final progress of {}: shutting down", what);
            }
        }
    }
}
