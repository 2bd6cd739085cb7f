package io.backbus.notifier.domain;

import java.util.Arrays;

/**
 * What an alert is about, with its severity from the runbooks. Later: backup not executed / RPO breached
 * (critical), storage over 80 % of quota and size off its trend (medium).
 */
public enum AlertKind {
    /**
     * A stage failed a run. High whatever the stage: a run that stalled and was failed by the scheduler (stage
     * SCHEDULE, reason "stalled ...") is still a failed backup; "backup not executed" is a separate, critical kind.
     */
    BACKUP_FAILED("backup.failed", Severity.HIGH),
    /**
     * A plan's restore test failed: the restore failed, its verification failed, or it was slower than the plan's
     * RTO target. The backups of that target are not proven restorable.
     */
    RESTORE_TEST_FAILED("restore.test-failed", Severity.HIGH),
    /**
     * A restore an operator asked for failed (restore tests are reported once, as {@link #RESTORE_TEST_FAILED}).
     * Someone is waiting for that data, and the destination may hold a partial restore.
     */
    RESTORE_FAILED("restore.failed", Severity.HIGH);

    private final String wireName;
    private final Severity severity;

    AlertKind(String wireName, Severity severity) {
        this.wireName = wireName;
        this.severity = severity;
    }

    /** The name used on the wire and in the database, e.g. {@code backup.failed}. */
    public String wireName() {
        return wireName;
    }

    public Severity severity() {
        return severity;
    }

    public static AlertKind fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown alert kind " + name));
    }
}
