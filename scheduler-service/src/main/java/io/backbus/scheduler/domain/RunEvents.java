package io.backbus.scheduler.domain;

/** The events a run's changes cause; recorded in the transaction of the change. */
public interface RunEvents {

    /** Asks the plan's agent to perform the run. */
    void requested(Plan plan, Run run);

    /** Tells everyone (the notifier first) that the scheduler failed the run. */
    void failed(Run run);
}
