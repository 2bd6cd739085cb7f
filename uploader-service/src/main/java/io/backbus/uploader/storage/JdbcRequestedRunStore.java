package io.backbus.uploader.storage;

import io.backbus.uploader.domain.RequestedRun;
import io.backbus.uploader.domain.RequestedRunStore;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code requested_run} table. */
@Repository
class JdbcRequestedRunStore implements RequestedRunStore {

    private final JdbcClient jdbc;

    JdbcRequestedRunStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(RequestedRun run) {
        jdbc.sql("""
                insert into requested_run (run_id, agent_id, target, requested_at) values (?, ?, ?, ?)
                on conflict (run_id) do nothing""")
                .params(run.runId(), run.agentId(), run.target(), Timestamp.from(run.requestedAt()))
                .update();
    }

    @Override
    public Optional<RequestedRun> find(UUID runId) {
        return jdbc.sql("select run_id, agent_id, target, requested_at from requested_run where run_id = ?")
                .param(runId)
                .query((rs, n) -> new RequestedRun(rs.getObject("run_id", UUID.class), rs.getString("agent_id"),
                        rs.getString("target"), rs.getTimestamp("requested_at").toInstant()))
                .optional();
    }
}
