package io.backbus.delivery;

import io.backbus.contracts.BackupRequested;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The runs the scheduler requested, as one service saw them (its {@code requested_run} table, created by the
 * service's own migration): an event about a run is acted on only if it names the agent and target of a
 * {@code BackupRequested} this service saw. A forged {@code ArtifactReady} or {@code Stored} for a run nobody
 * requested therefore stores or catalogs nothing and cannot become a target's newest backup.
 */
public class RequestedRuns {

    /** A run the scheduler requested: which agent dumps which target. */
    public record RequestedRun(UUID runId, String agentId, String target, Instant requestedAt) {
    }

    private final JdbcClient jdbc;

    public RequestedRuns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the request; a second record of the same run changes nothing. */
    public void record(BackupRequested request) {
        jdbc.sql("""
                insert into requested_run (run_id, agent_id, target, requested_at) values (?, ?, ?, ?)
                on conflict (run_id) do nothing""")
                .params(request.runId(), request.agentId(), request.target(), Timestamp.from(request.requestedAt()))
                .update();
    }

    public Optional<RequestedRun> find(UUID runId) {
        return jdbc.sql("select run_id, agent_id, target, requested_at from requested_run where run_id = ?")
                .param(runId)
                .query((rs, n) -> new RequestedRun(rs.getObject("run_id", UUID.class), rs.getString("agent_id"),
                        rs.getString("target"), rs.getTimestamp("requested_at").toInstant()))
                .optional();
    }

    /**
     * The request an event about a run belongs to.
     *
     * @param event the event's name, for the message (e.g. {@code ArtifactReady})
     * @throws UnrequestedRunException when no BackupRequested for the run was seen (yet)
     * @throws MismatchedRunException  when the run was requested of another agent or for another target
     */
    public RequestedRun require(UUID runId, String agentId, String target, String event) {
        RequestedRun run = find(runId).orElseThrow(() -> new UnrequestedRunException(
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

    /** The run exists, but not as the event describes it: malformed, dead-lettered at once, never retried. */
    public static final class MismatchedRunException extends MalformedEventException {
        MismatchedRunException(String message) {
            super(message);
        }
    }
}
