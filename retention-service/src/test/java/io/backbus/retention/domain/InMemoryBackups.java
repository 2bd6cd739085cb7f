package io.backbus.retention.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The repository's contract in memory, for unit tests: unique backup id and run id, newest first, the latest
 * verification kept.
 */
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
    public boolean recordVerification(UUID backupId, Verification v) {
        for (int i = 0; i < rows.size(); i++) {
            Backup b = rows.get(i);
            if (b.backupId().equals(backupId)) {
                if (b.lastVerified() != null && b.lastVerified().verifiedAt().isAfter(v.verifiedAt())) {
                    return false;
                }
                rows.set(i, new Backup(b.backupId(), b.runId(), b.target(), b.agentId(), b.bucket(), b.objectKey(),
                        b.manifestKey(), b.plaintextSize(), b.plaintextSha256(), b.ciphertextSize(),
                        b.ciphertextSha256(), b.encryption(), b.keyId(), b.storageClass(), b.format(), b.compression(),
                        b.databaseName(), b.serverVersion(), b.dumpStartedAt(), b.dumpFinishedAt(), b.storedAt(),
                        b.status(), b.catalogedAt(), v));
                return true;
            }
        }
        return false;
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
