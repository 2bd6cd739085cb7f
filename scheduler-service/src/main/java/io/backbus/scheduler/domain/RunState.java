package io.backbus.scheduler.domain;

import io.backbus.contracts.FailureStage;

/**
 * The states of a run. Moves are monotonic: {@code REQUESTED -> DUMPED -> STORED -> VERIFIED}, or to
 * {@code FAILED} from either in-flight state. Events arrive on different topics and may overtake each other, so a
 * run may jump from {@code REQUESTED} straight to {@code STORED}, and a late event never moves a run back.
 * {@code VERIFIED} means a restore test of the run's backup passed: the backup is proven restorable.
 */
public enum RunState {
    REQUESTED, DUMPED, STORED, VERIFIED, FAILED;

    /** Whether a run in this state, failed at {@code failureStage} if failed, may move to {@code next}. */
    public boolean canMoveTo(RunState next, FailureStage failureStage) {
        return switch (this) {
            case REQUESTED -> next == DUMPED || next == STORED || next == FAILED;
            case DUMPED -> next == STORED || next == FAILED;
            case STORED -> next == VERIFIED;
            case VERIFIED -> false;
            // The scheduler's own "stalled" verdict is a guess; a Stored that arrives later proves the backup
            // exists, and the run must say so. Failures reported by a stage are final.
            case FAILED -> next == STORED && failureStage == FailureStage.SCHEDULE;
        };
    }

    /** Whether the run still waits for another service. */
    public boolean inFlight() {
        return this == REQUESTED || this == DUMPED;
    }
}
