package io.backbus.uploader.domain;

/**
 * Lets a transfer be stopped from outside: checked after every read and once more before the multipart upload is
 * completed. An upload uses it to stop as soon as its run's claim was taken over (ADR 0013).
 */
interface StreamGuard {

    /** Called after each read; cheap. Throws to stop the transfer (its upload is aborted). */
    void checkReading() throws StageFailure;

    /** Called once every byte is encrypted, just before the object is completed. Throws to abort it instead. */
    void checkBeforeCompletion() throws StageFailure;
}
