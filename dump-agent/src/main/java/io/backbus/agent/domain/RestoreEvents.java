package io.backbus.agent.domain;

import io.backbus.contracts.RestoreCompleted;
import io.backbus.contracts.RestoreFailed;

/** The events a restore's outcome causes; recorded in the caller's transaction (the outbox). */
public interface RestoreEvents {

    void completed(RestoreCompleted completed);

    void failed(RestoreFailed failed);
}
