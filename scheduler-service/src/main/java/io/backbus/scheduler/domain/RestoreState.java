package io.backbus.scheduler.domain;

/**
 * The states of a restore. {@code PENDING} (a cron restore test whose backup is still to be resolved from the
 * catalog) {@code -> REQUESTED -> READY} (the uploader checked the backup and serves it) {@code -> VERIFIED}, or
 * {@code FAILED} from any unfinished state. Events arrive on different topics and may overtake each other, so a
 * restore may jump from REQUESTED straight to VERIFIED or FAILED; a finished restore never moves again.
 */
public enum RestoreState {
    PENDING, REQUESTED, READY, VERIFIED, FAILED;

    public boolean canMoveTo(RestoreState next) {
        return switch (this) {
            case PENDING -> next == REQUESTED || next == FAILED;
            case REQUESTED -> next == READY || next == VERIFIED || next == FAILED;
            case READY -> next == VERIFIED || next == FAILED;
            case VERIFIED, FAILED -> false;
        };
    }

    public boolean finished() {
        return this == VERIFIED || this == FAILED;
    }
}
