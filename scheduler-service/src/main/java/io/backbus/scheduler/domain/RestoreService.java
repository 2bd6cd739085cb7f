package io.backbus.scheduler.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Manual restores: checks the request, resolves the backup in the catalog (outside any transaction: no database
 * connection waits for another service), then stores the restore and its RestoreRequested in one transaction.
 */
@Service
public class RestoreService {

    private static final Logger log = LoggerFactory.getLogger(RestoreService.class);

    private final RestoreStore restores;
    private final AgentTargetStore agents;
    private final BackupCatalog catalog;
    private final RestoreEvents events;
    private final TransactionTemplate tx;
    private final Clock clock;

    public RestoreService(RestoreStore restores, AgentTargetStore agents, BackupCatalog catalog,
            RestoreEvents events, PlatformTransactionManager transactions, Clock clock) {
        this.restores = restores;
        this.agents = agents;
        this.catalog = catalog;
        this.events = events;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Requests a restore.
     *
     * @throws InvalidRestoreException       the request is invalid (nothing stored)
     * @throws NotFoundException             the catalog does not know the backup, or has none of the target
     * @throws BackupNotRestorableException  the backup is not AVAILABLE (expired)
     * @throws CatalogUnavailableException   the catalog could not be asked
     */
    public Restore request(NewRestore draft) {
        List<FieldProblem> problems = draft.problems(agents::isAnnounced);
        if (!problems.isEmpty()) {
            throw new InvalidRestoreException(problems);
        }
        CatalogBackup backup = resolve(draft);
        Instant now = PlanService.now(clock);
        Restore restore = Restore.manual(backup.ref(), backup.target(), draft.destination(), draft.options(), now);
        tx.executeWithoutResult(status -> {
            restores.insert(restore);
            events.requested(restore);
        });
        log.info("Requested restore {} of backup {} ({}) into {}/{}/{}", restore.id(), backup.backupId(),
                backup.target(), restore.destination().agentId(), restore.destination().target(),
                restore.destination().database());
        return restore;
    }

    private CatalogBackup resolve(NewRestore draft) {
        if (draft.backupId() != null) {
            UUID id = draft.backupId();
            CatalogBackup backup = catalog.find(id).orElseThrow(() -> NotFoundException.backup(id));
            if (!backup.available()) {
                throw new BackupNotRestorableException(id, backup.status());
            }
            return backup;
        }
        return catalog.newestAvailable(draft.target()).orElseThrow(() -> NotFoundException.noBackupOf(
                draft.target()));
    }

    public Restore get(UUID id) {
        return restores.find(id).orElseThrow(() -> NotFoundException.restore(id));
    }

    public RestoreProgressState progressOf(UUID id) {
        return restores.progressOf(id);
    }
}
