package io.backbus.agent.domain;

import io.backbus.contracts.RestoreStage;

/**
 * A restore cannot go on: becomes a {@code RestoreFailed} with this stage and reason. A business outcome, not a bug,
 * so it carries no stack trace. The reason is for an operator and never holds a secret.
 */
final class RestoreFailure extends Exception {

    private final RestoreStage stage;
    private final boolean destinationTouched;
    private final boolean transientTransfer;

    RestoreFailure(RestoreStage stage, String reason, boolean destinationTouched) {
        this(stage, reason, destinationTouched, false);
    }

    /**
     * @param transientTransfer the artifact's transfer broke off (connection refused or reset, body cut short, the
     *                          uploader answered 5xx): another attempt may succeed
     */
    RestoreFailure(RestoreStage stage, String reason, boolean destinationTouched, boolean transientTransfer) {
        super(reason, null, false, false);
        this.stage = stage;
        this.destinationTouched = destinationTouched;
        this.transientTransfer = transientTransfer;
    }

    /** Whether the artifact's transfer broke off in a way another attempt may not. */
    boolean transientTransfer() {
        return transientTransfer;
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
