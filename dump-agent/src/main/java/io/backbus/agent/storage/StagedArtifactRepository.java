package io.backbus.agent.storage;

import io.backbus.agent.domain.StagedArtifact;
import io.backbus.agent.domain.StagedArtifacts;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code staged_artifact} table: which staged files exist and until when they are served. */
@Repository
public class StagedArtifactRepository implements StagedArtifacts {

    private final JdbcClient jdbc;

    public StagedArtifactRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a staged artifact; a later attempt of the same run replaces the earlier one. */
    @Override
    public void save(StagedArtifact a) {
        jdbc.sql("""
                insert into staged_artifact (run_id, target, path, sha256, size_bytes, expires_at, created_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (run_id) do update set target = excluded.target, path = excluded.path,
                    sha256 = excluded.sha256, size_bytes = excluded.size_bytes, expires_at = excluded.expires_at,
                    created_at = excluded.created_at, deleted_at = null""")
                .params(a.runId(), a.target(), a.path().toString(), a.sha256(), a.sizeBytes(),
                        Timestamp.from(a.expiresAt()), Timestamp.from(a.createdAt()))
                .update();
    }

    /** The run's artifact unless it was deleted. */
    @Override
    public Optional<StagedArtifact> findLive(UUID runId) {
        return jdbc.sql("select * from staged_artifact where run_id = ? and deleted_at is null")
                .param(runId).query(StagedArtifactRepository::map).optional();
    }

    /** Live artifacts whose URL expired before {@code now}. */
    @Override
    public List<StagedArtifact> findExpired(Instant now, int limit) {
        return jdbc.sql("""
                select * from staged_artifact where deleted_at is null and expires_at <= ?
                order by expires_at limit ?""")
                .params(Timestamp.from(now), limit).query(StagedArtifactRepository::map).list();
    }

    /** Marks the run's artifact deleted; false if it was unknown or already deleted. */
    @Override
    public boolean markDeleted(UUID runId, Instant when) {
        return jdbc.sql("update staged_artifact set deleted_at = ? where run_id = ? and deleted_at is null")
                .params(Timestamp.from(when), runId).update() > 0;
    }

    private static StagedArtifact map(ResultSet rs, int row) throws SQLException {
        return new StagedArtifact(rs.getObject("run_id", UUID.class), rs.getString("target"),
                Path.of(rs.getString("path")), rs.getString("sha256"), rs.getLong("size_bytes"),
                rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("created_at").toInstant());
    }
}
