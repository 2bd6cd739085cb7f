package io.backbus.scheduler.domain;

/**
 * The events a restore's changes cause; recorded in the transaction of the change. Key = the target the backup
 * was taken of (the plan's target for restore tests), subject = the restore id.
 */
public interface RestoreEvents {

    /** Asks the uploader (then the destination agent) to perform the restore. */
    void requested(Restore restore);

    /** Tells everyone that the scheduler failed a restore it had requested (it stalled). */
    void failed(Restore restore);

    /** A plan's restore test passed within its RTO target. */
    void verified(Restore restore);

    /** A plan's restore test failed: at a stage, at verification, over the RTO target, or it never started. */
    void testFailed(Restore restore);
}
