package io.backbus.scheduler.storage;

import static io.backbus.scheduler.storage.Rows.timestamp;

import io.backbus.scheduler.domain.AgentTargetStore;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcAgentTargetStore implements AgentTargetStore {

    private final JdbcClient jdbc;

    JdbcAgentTargetStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void replace(String agentId, Collection<String> targets, Instant seenAt) {
        jdbc.sql("delete from agent_target where agent_id = ?").param(agentId).update();
        for (String target : targets) {
            jdbc.sql("insert into agent_target (agent_id, target, last_seen_at) values (?, ?, ?)")
                    .params(agentId, target, timestamp(seenAt))
                    .update();
        }
    }

    @Override
    public Optional<Instant> lastSeen(String agentId) {
        return jdbc.sql("select max(last_seen_at) as last_seen from agent_target where agent_id = ?")
                .param(agentId)
                .query((rs, row) -> Optional.ofNullable(Rows.instant(rs, "last_seen")))
                .single();
    }

    @Override
    public boolean isAnnounced(String agentId, String target) {
        return jdbc.sql("select exists (select 1 from agent_target where agent_id = ? and target = ?)")
                .params(agentId, target).query(Boolean.class).single();
    }
}
