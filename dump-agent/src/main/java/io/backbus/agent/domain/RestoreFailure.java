package io.backbus.agent.domain;

import io.backbus.contracts.RestoreStage;

/**
 * A restore cannot go on: becomes a {@code RestoreFailed} with this stage and reason. A business outcome, not a bug,
 * so it carries no stack trace. The reason is for an operator and never holds a secret.
 */
final class RestoreFailure extends Exception {

    private final RestoreStage stage;
    private final boolean destinationTouched;

    RestoreFailure(RestoreStage stage, String reason, boolean destinationTouched) {
        super(reason, null, false, false);
        this.stage = stage;
        this.destinationTouched = destinationTouched;
    }

    RestoreStage stage() {
        return stage;
    }

    String reason() {
        return getMessage();
    }

    boolean destinationTouched() {
        return destinationTouched;
    }
}
