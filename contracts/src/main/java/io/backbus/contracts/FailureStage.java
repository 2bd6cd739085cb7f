package io.backbus.contracts;

/** The stage of a backup run at which it failed. */
public enum FailureStage {
    /** The scheduler could not dispatch the run, or the run stalled past its timeout. */
    SCHEDULE,
    /** The agent could not dump the target (connection, authentication, pg_dump error, staging space). */
    DUMP,
    /** The uploader could not pull the staged artifact from the agent. */
    TRANSFER,
    /** Encryption or key handling failed. */
    ENCRYPT,
    /** Writing to the object store failed. */
    UPLOAD,
    /** The stored object does not match what was dumped (size or checksum). */
    VERIFY
}
