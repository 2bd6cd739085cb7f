package io.backbus.retention.domain;

import io.backbus.contracts.RestoreVerified;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Records on the catalog when a backup was last proven restorable, from passing restore tests. Counts every
 * outcome in {@code backbus.retention.restore.verifications} tagged {@code outcome=recorded|superseded|unknown_backup}.
 *
 * <p>A RestoreVerified for a backup the catalog does not hold records nothing: it can legitimately arrive while
 * the catalog is being rebuilt from the bucket (disaster recovery), where the proof is lost anyway; it is logged
 * at WARN and counted as {@code unknown_backup}, never dropped silently, and the next passing test records it.
 */
@Service
public class RestoreVerifications {

    /** What recording one verification did. */
    public enum Outcome {
        /** The backup's verification is now this one. */
        RECORDED,
        /** The backup already holds a later verification, which stays. */
        SUPERSEDED,
        /** No such backup in the catalog; nothing recorded. */
        UNKNOWN_BACKUP
    }

    static final String METRIC = "backbus.retention.restore.verifications";
    private static final Logger log = LoggerFactory.getLogger(RestoreVerifications.class);

    private final BackupRepository backups;
    private final Counter recorded;
    private final Counter superseded;
    private final Counter unknownBackup;

    public RestoreVerifications(BackupRepository backups, MeterRegistry registry) {
        this.backups = backups;
        this.recorded = counter(registry, "recorded");
        this.superseded = counter(registry, "superseded");
        this.unknownBackup = counter(registry, "unknown_backup");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(METRIC).tag("outcome", outcome)
                .description("RestoreVerified events by what they did to the catalog").register(registry);
    }

    /** Records that the backup passed a restore test, unless it holds a later verification already. */
    public Outcome record(RestoreVerified verified) {
        Verification verification = new Verification(verified.verifiedAt(), verified.rtoMillis(),
                verified.restoreId());
        if (backups.recordVerification(verified.backupId(), verification)) {
            recorded.increment();
            log.info("Backup {} of target {} proven restorable by restore test {} at {} (RTO {} ms)",
                    verified.backupId(), verified.target(), verified.restoreId(), verified.verifiedAt(),
                    verified.rtoMillis());
            return Outcome.RECORDED;
        }
        Optional<Backup> backup = backups.findById(verified.backupId());
        if (backup.isPresent()) {
            superseded.increment();
            Verification later = backup.get().lastVerified();
            log.info("Keeping the later verification of backup {} (restore test {} at {}) over restore test {} at {}",
                    verified.backupId(), later == null ? "?" : later.restoreId(),
                    later == null ? "?" : later.verifiedAt(), verified.restoreId(), verified.verifiedAt());
            return Outcome.SUPERSEDED;
        }
        unknownBackup.increment();
        log.warn("RestoreVerified for backup {} of target {} (restore test {}, verified at {}): no such backup in the "
                + "catalog, nothing recorded. Expected only around a catalog rebuild from the bucket; the next "
                + "passing restore test records it", verified.backupId(), verified.target(), verified.restoreId(),
                verified.verifiedAt());
        return Outcome.UNKNOWN_BACKUP;
    }
}
