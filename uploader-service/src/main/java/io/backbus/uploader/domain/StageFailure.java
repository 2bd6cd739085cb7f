package io.backbus.uploader.domain;

import io.backbus.contracts.FailureStage;

/** A business failure of one stage, to be published as BackupFailed rather than retried by the consumer. */
final class StageFailure extends Exception {

    private final FailureStage stage;
    private final boolean retryable;

    StageFailure(FailureStage stage, String reason, boolean retryable) {
        super(reason, null, false, false);
        this.stage = stage;
        this.retryable = retryable;
    }

    FailureStage stage() {
        return stage;
    }

    String reason() {
        return getMessage();
    }

    boolean retryable() {
        return retryable;
    }
}
