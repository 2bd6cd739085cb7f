package io.backbus.streams;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Reports the running byte total of a stream, throttled, on the thread that moves the bytes: a report is due when
 * at least {@code minInterval} has passed since the last report (or since the stream started) <em>and</em> at least
 * {@code minBytes} passed since the last report; it is made as the next bytes pass, so a stalled stream reports
 * nothing. {@link #finished()} makes the final report with the total — call it when the transfer as a whole
 * succeeded (only the caller knows: the checksum may still have to match); a failed stream gets no final report.
 *
 * <p>The report should be cheap and must not block (fire-and-forget telemetry, ADR 0005). To report on a schedule
 * of its own thread instead (also while nothing passes), read a {@link ByteCount} from that thread.
 *
 * <p>Used by the thread that moves the bytes only, {@link #finished()} included.
 */
public final class Progress extends ObservingFilter {

    private final long minBytes;
    private final long minIntervalMillis;
    private final Clock clock;
    private final LongConsumer report;
    private long bytes;
    private long reported;
    private long due;
    private boolean finished;

    private Progress(long minBytes, Duration minInterval, Clock clock, LongConsumer report) {
        if (minBytes < 0) {
            throw new IllegalArgumentException("minBytes must not be negative but is " + minBytes);
        }
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("minInterval must not be negative but is " + minInterval);
        }
        this.minBytes = minBytes;
        this.minIntervalMillis = minInterval.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.report = Objects.requireNonNull(report, "report");
    }

    /**
     * Reports at most every {@code minInterval} and every {@code minBytes} bytes, plus the final report.
     *
     * @param minBytes    bytes that must pass between two reports (0: no such limit)
     * @param minInterval time that must pass between two reports, measured on {@code clock} (zero: no such limit)
     * @param report      gets the total bytes so far
     */
    public static Progress every(long minBytes, Duration minInterval, Clock clock, LongConsumer report) {
        return new Progress(minBytes, minInterval, clock, report);
    }

    /** Reports at most every {@code minInterval} (on {@code clock}), plus the final report. */
    public static Progress every(Duration minInterval, Clock clock, LongConsumer report) {
        return new Progress(0, minInterval, clock, report);
    }

    /** Reports at most every {@code minBytes} bytes, plus the final report. */
    public static Progress everyBytes(long minBytes, LongConsumer report) {
        return new Progress(minBytes, Duration.ZERO, Clock.systemUTC(), report);
    }

    @Override
    void started() {
        due = clock.millis() + minIntervalMillis;
    }

    @Override
    void passed(byte[] b, int off, int len) {
        bytes += len;
        if (finished || bytes - reported < minBytes) {
            return;
        }
        long now = clock.millis();
        if (now >= due) {
            due = now + minIntervalMillis;
            reported = bytes;
            report.accept(bytes);
        }
    }

    /** Makes the final report with the total, once; no reports follow it. */
    public void finished() {
        if (!finished) {
            finished = true;
            reported = bytes;
            report.accept(bytes);
        }
    }

    /** Bytes passed so far. */
    public long bytes() {
        return bytes;
    }
}
