package io.backbus.uploader.domain;

import io.backbus.contracts.RestoreStage;

/**
 * A restore cannot go on: published as RestoreFailed. {@code transientFailure} marks S3 trouble that outlasted the
 * in-place retries (5xx, throttling, no answer), which a pending thaw may simply try again at its next check.
 */
final class RestoreFailure extends Exception {

    private final RestoreStage stage;
    private final boolean transientFailure;

    RestoreFailure(RestoreStage stage, String reason) {
        this(stage, reason, false);
    }

    RestoreFailure(RestoreStage stage, String reason, boolean transientFailure) {
        super(reason, null, false, false);
        this.stage = stage;
        this.transientFailure = transientFailure;
    }

    RestoreStage stage() {
        return stage;
    }

    String reason() {
        return getMessage();
    }

    boolean transientFailure() {
        return transientFailure;
    }
}
