package io.backbus.contracts;

/** The stage of a restore at which it failed. */
public enum RestoreStage {
    /** The scheduler could not start it: no backup to restore, or the restore stalled past its timeout. */
    REQUEST,
    /** The uploader could not read the backup: object or manifest missing (expired, deleted), S3 errors, cold tier. */
    FETCH,
    /**
     * The backup failed its integrity check before anything was written to the destination: a ciphertext that does
     * not authenticate (corrupt object, wrong key), a plaintext checksum or size that differs from the catalog, or a
     * manifest that disagrees with the catalog or the object.
     */
    INTEGRITY,
    /** The agent could not receive the decrypted artifact (broken transfer, checksum mismatch, staging disk full). */
    TRANSFER,
    /**
     * The destination database was refused or unreachable before the restore began: not empty without clean, does
     * not exist without create, connection or authentication failed, unknown target.
     */
    DESTINATION,
    /** {@code pg_restore} failed; the destination may hold a partial restore ({@code destinationTouched}). */
    RESTORE,
    /** The restore finished but verification failed (row counts or smoke queries). */
    VERIFY,
    /** A restore test verified but took longer than the plan's RTO target. */
    RTO
}
