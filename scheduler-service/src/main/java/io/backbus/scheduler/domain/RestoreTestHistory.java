package io.backbus.scheduler.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A plan's restore tests.
 *
 * @param lastResult    VERIFIED or FAILED: the newest finished test's outcome; null when none finished yet
 * @param lastRtoMillis the newest finished test's measured RTO (null if it did not complete a restore)
 * @param lastTestedAt  when the newest finished test finished
 * @param tests         the newest tests, newest first, finished or not
 */
public record RestoreTestHistory(UUID planId, RestoreState lastResult, Long lastRtoMillis, Instant lastTestedAt,
        List<Restore> tests) {
}
