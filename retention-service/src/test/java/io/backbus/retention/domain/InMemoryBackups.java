package io.backbus.retention.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The repository's contract in memory, for unit tests: unique backup id and run id, newest first. */
public final class InMemoryBackups implements BackupRepository {

    private final List<Backup> rows = new ArrayList<>();

    /** Everything stored, in insertion order. */
    public List<Backup> rows() {
        return rows;
    }

    @Override
    public boolean addIfAbsent(Backup backup) {
        if (rows.stream().anyMatch(b -> b.backupId().equals(backup.backupId()) || b.runId().equals(backup.runId()))) {
            return false;
        }
        return rows.add(backup);
    }

    @Override
    public Optional<Backup> findById(UUID backupId) {
        return rows.stream().filter(b -> b.backupId().equals(backupId)).findFirst();
    }

    @Override
    public Optional<Backup> findByRunId(UUID runId) {
        return rows.stream().filter(b -> b.runId().equals(runId)).findFirst();
    }

    @Override
    public List<Backup> listNewestFirst(String target, int limit) {
        return rows.stream().filter(b -> target == null || b.target().equals(target))
                .sorted(Comparator.comparing(Backup::storedAt).reversed()).limit(limit).toList();
    }
}
