package io.backbus.scheduler.web;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreStage;
import io.backbus.scheduler.domain.Restore;
import io.backbus.scheduler.domain.RestoreState;
import io.backbus.scheduler.domain.RestoreTestHistory;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /plans/{id}/restore-tests}: the outcome of the newest finished test ({@code lastResult} VERIFIED or
 * FAILED, null before the first) and the newest 50 tests, newest first.
 */
record RestoreTestsView(UUID planId, RestoreState lastResult, Long lastRtoMillis, Instant lastTestedAt,
        List<Item> history) {

    /** One restore test. */
    record Item(UUID restoreId, UUID backupId, String trigger, RestoreState state, RestoreStage stage, String reason,
            Long rtoMillis, Instant requestedAt, Instant finishedAt, RestoreDestination destination) {

        static Item of(Restore r) {
            return new Item(r.id(), r.backupId(), r.trigger().wireName(), r.state(), r.stage(), r.reason(),
                    r.rtoMillis(), r.requestedAt(), r.finishedAt(), r.destination());
        }
    }

    static RestoreTestsView of(RestoreTestHistory history) {
        return new RestoreTestsView(history.planId(), history.lastResult(), history.lastRtoMillis(),
                history.lastTestedAt(), history.tests().stream().map(Item::of).toList());
    }
}
