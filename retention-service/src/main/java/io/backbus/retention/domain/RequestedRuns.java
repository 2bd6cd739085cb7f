package io.backbus.retention.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The runs the scheduler requested, as retention saw them: only their backups are cataloged. */
public interface RequestedRuns {

    /** Records the run; a second record of the same run changes nothing. */
    void record(UUID runId, String agentId, String target, Instant requestedAt);

    /** The agent and target the run was requested of, if it was. */
    Optional<AgentAndTarget> find(UUID runId);

    record AgentAndTarget(String agentId, String target) {
    }
}
