package io.backbus.uploader.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Throttles the progress of one stream to at most one publication per interval as bytes go by, plus a final one.
 * Used by the thread that moves the bytes only; publishing is fire-and-forget telemetry (ADR 0005).
 */
final class ProgressTracker {

    private final Clock clock;
    private final long intervalMillis;
    private final LongConsumer publish;
    private long due;

    ProgressTracker(Clock clock, Duration interval, LongConsumer publish) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.publish = publish;
        this.due = clock.millis() + intervalMillis;
    }

    /** {@code bytes} were done so far; publishes if the interval has passed. */
    void read(long bytes) {
        long now = clock.millis();
        if (now >= due) {
            due = now + intervalMillis;
            publish.accept(bytes);
        }
    }

    /** The stream is done: the final count. */
    void finished(long bytes) {
        publish.accept(bytes);
    }
}
