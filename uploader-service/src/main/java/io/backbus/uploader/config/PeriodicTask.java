package io.backbus.uploader.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A round of work every {@code interval} (fixed delay) on a daemon thread of its own, started and stopped with the
 * application: a long round holds up neither a consumer nor the outbox relay. A failing round is logged and the
 * next one runs (S3 or the database may be back by then); stopping interrupts a running round.
 */
final class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration interval;
    private final Round round;
    private volatile ScheduledExecutorService executor;

    /** {@code name} names the thread and, in the warning of a failed round, what was tried. */
    PeriodicTask(String name, Duration interval, Round round) {
        this.name = name;
        this.interval = interval;
        this.round = round;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::runRound, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void runRound() {
        try {
            round.run();
        } catch (Exception e) {
            // never let the schedule die
            log.warn("{} failed, trying again in {}: {}", name, interval, e.toString());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService e = executor;
        executor = null;
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One round of the work; what it throws is logged. */
    @FunctionalInterface
    interface Round {
        void run() throws Exception;
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
