package io.backbus.uploader.domain;

/**
 * Lets a transfer be stopped from outside: checked after every read and once more before the multipart upload is
 * completed. A streamed upload uses it to stop as soon as its ArtifactReady has taken the run over.
 */
interface StreamGuard {

    /** Guards nothing: a normal pull runs to its end. */
    StreamGuard NONE = new StreamGuard() {
        @Override
        public void checkReading() {
        }

        @Override
        public void checkBeforeCompletion() {
        }
    };

    /** Called after each read; cheap. Throws to stop the transfer (its upload is aborted). */
    void checkReading() throws StageFailure;

    /** Called once every byte is encrypted, just before the object is completed. Throws to abort it instead. */
    void checkBeforeCompletion() throws StageFailure;
}
