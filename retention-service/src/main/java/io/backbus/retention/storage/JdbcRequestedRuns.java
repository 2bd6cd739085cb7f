package io.backbus.retention.storage;

import io.backbus.retention.domain.RequestedRuns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code requested_run} table. */
@Repository
class JdbcRequestedRuns implements RequestedRuns {

    private final JdbcClient jdbc;

    JdbcRequestedRuns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(UUID runId, String agentId, String target, Instant requestedAt) {
        jdbc.sql("""
                insert into requested_run (run_id, agent_id, target, requested_at) values (?, ?, ?, ?)
                on conflict (run_id) do nothing""")
                .params(runId, agentId, target, Timestamp.from(requestedAt)).update();
    }

    @Override
    public Optional<AgentAndTarget> find(UUID runId) {
        return jdbc.sql("select agent_id, target from requested_run where run_id = ?").param(runId)
                .query((rs, n) -> new AgentAndTarget(rs.getString("agent_id"), rs.getString("target"))).optional();
    }
}
