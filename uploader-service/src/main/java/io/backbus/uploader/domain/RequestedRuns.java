package io.backbus.uploader.domain;

import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Acts only on events that match what the scheduler asked for: an artifact event names a run, an agent and a target,
 * and all three must be those of a BackupRequested this service saw. A forged ArtifactReady (say, for a run nobody
 * requested, pointing at a local file) therefore stores nothing and cannot become a target's "newest backup".
 */
@Service
public class RequestedRuns {

    private final RequestedRunStore store;

    public RequestedRuns(RequestedRunStore store) {
        this.store = store;
    }

    public void record(RequestedRun run) {
        store.record(run);
    }

    /**
     * The request an artifact event belongs to.
     *
     * @throws UnrequestedRunException  when no BackupRequested for the run was seen (yet)
     * @throws MismatchedRunException   when the run was requested for another agent or target
     */
    public RequestedRun require(UUID runId, String agentId, String target, String event) {
        RequestedRun run = store.find(runId).orElseThrow(() -> new UnrequestedRunException(
                event + " for run " + runId + " of '" + target + "', which no BackupRequested asked for"));
        if (!run.agentId().equals(agentId) || !run.target().equals(target)) {
            throw new MismatchedRunException(event + " for run " + runId + " names agent '" + agentId
                    + "' and target '" + target + "', but the run was requested of agent '" + run.agentId()
                    + "' for target '" + run.target() + "'");
        }
        return run;
    }

    /** No BackupRequested was seen for the run: retried (the request may still be on its way), then dead-lettered. */
    public static final class UnrequestedRunException extends RuntimeException {
        UnrequestedRunException(String message) {
            super(message);
        }
    }

    /** The run exists, but not as the event describes it: never retried. */
    public static final class MismatchedRunException extends RuntimeException {
        MismatchedRunException(String message) {
            super(message);
        }
    }
}
