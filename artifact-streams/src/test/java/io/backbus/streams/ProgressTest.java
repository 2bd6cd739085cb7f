package io.backbus.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final SteppingClock clock = new SteppingClock();
    private final List<Long> reports = new ArrayList<>();

    @Test
    void reportsAtMostOncePerIntervalAsBytesPass() throws Exception {
        Progress progress = Progress.every(Duration.ofSeconds(1), clock, reports::add);
        try (OutputStream out = OutputPipeline.of(progress).into(new ByteArrayOutputStream())) {
            out.write(new byte[100]); // t=0: the first interval has not passed
            clock.advance(999);
            out.write(new byte[100]); // t=999
            clock.advance(1);
            out.write(new byte[100]); // t=1000: due
            out.write(new byte[100]); // t=1000: just reported
            clock.advance(1500);
            out.write(new byte[100]); // t=2500: due
            clock.advance(999);
            out.write(new byte[100]); // t=3499: next one due at 3500
        }

        assertThat(reports).containsExactly(300L, 500L);
    }

    @Test
    void aStalledStreamReportsNothing() throws Exception {
        Progress progress = Progress.every(Duration.ofSeconds(1), clock, reports::add);
        OutputStream out = OutputPipeline.of(progress).into(new ByteArrayOutputStream());
        out.write(new byte[10]);
        clock.advance(60_000);

        assertThat(reports).isEmpty();
    }

    @Test
    void reportsAtMostEveryMinBytes() throws Exception {
        Progress progress = Progress.everyBytes(1000, reports::add);
        try (OutputStream out = OutputPipeline.of(progress).into(new ByteArrayOutputStream())) {
            for (int i = 0; i < 25; i++) {
                out.write(new byte[100]);
            }
        }

        assertThat(reports).containsExactly(1000L, 2000L);
    }

    @Test
    void needsBothTheIntervalAndTheBytesWhenGivenBoth() throws Exception {
        Progress progress = Progress.every(1000, Duration.ofSeconds(1), clock, reports::add);
        try (OutputStream out = OutputPipeline.of(progress).into(new ByteArrayOutputStream())) {
            clock.advance(5_000);
            out.write(new byte[999]); // time passed, not enough bytes
            out.write(new byte[1]); // both: report 1000
            out.write(new byte[5000]); // bytes, but no time
            clock.advance(1_000);
            out.write(new byte[1]); // both: report 6001
        }

        assertThat(reports).containsExactly(1000L, 6001L);
    }

    @Test
    void finishedReportsTheTotalOnceAndEndsTheReports() throws Exception {
        Progress progress = Progress.every(Duration.ZERO, clock, reports::add);
        OutputStream out = OutputPipeline.of(progress).into(new ByteArrayOutputStream());
        out.write(new byte[10]);
        out.write(new byte[5]);
        progress.finished();
        progress.finished();
        out.write(new byte[1]);
        out.close();

        assertThat(reports).containsExactly(10L, 15L, 15L);
        assertThat(progress.bytes()).isEqualTo(16);
    }

    @Test
    void closingDoesNotReportTheTotal() throws Exception {
        // only the caller knows whether the transfer succeeded
        Progress progress = Progress.every(Duration.ofSeconds(1), clock, reports::add);
        try (OutputStream out = OutputPipeline.of(progress).into(new ByteArrayOutputStream())) {
            out.write(new byte[10]);
        }

        assertThat(reports).isEmpty();
    }

    /** A clock that moves only when told. */
    static final class SteppingClock extends Clock {
        private long millis = 1_000_000;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
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
