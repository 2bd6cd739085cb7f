package io.backbus.uploader.domain;

import java.util.Optional;
import java.util.UUID;

/** The runs the scheduler requested, as far as this service has seen them. */
public interface RequestedRunStore {

    /** Records the run; a second record of the same run changes nothing. */
    void record(RequestedRun run);

    Optional<RequestedRun> find(UUID runId);
}
