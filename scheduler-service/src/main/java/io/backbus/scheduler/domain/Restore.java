package io.backbus.scheduler.domain;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreOptions;
import io.backbus.contracts.RestorePurpose;
import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.RestoreVerification;
import io.backbus.contracts.SmokeQuery;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One restore of one backup into one destination database, and how far it got. Transitions return a new restore;
 * whether one is allowed is {@link RestoreState#canMoveTo}'s call.
 *
 * @param planId             the plan of a restore test, null for a manual restore
 * @param target             the target the backup was taken of (the record key of its events)
 * @param backup             the backup; null while PENDING, or when a restore test found none to test
 * @param scheduledFor       the cron slot of a cron restore test, else null
 * @param rtoTargetMillis    the plan's RTO target when the test was requested, else null
 * @param requestedAt        when RestoreRequested was published (RTO counts from here)
 * @param updatedAt          when the restore last changed state (the stall timeout counts from here)
 * @param rtoMillis          from the request to the scheduler's receipt of RestoreCompleted
 * @param durationMillis     the agent's own duration (download, pg_restore, verification)
 * @param verification       the agent's verification, as received
 * @param destinationTouched whether anything was written to the destination database
 * @param destinationDropped whether the agent dropped the destination afterwards (scratch databases), if it said
 */
public record Restore(UUID id, RestorePurpose purpose, RestoreTrigger trigger, UUID planId, String target,
        BackupRef backup, RestoreDestination destination, RestoreOptions options, List<SmokeQuery> smokeQueries,
        Instant scheduledFor, Long rtoTargetMillis, RestoreState state, RestoreStage stage, String reason,
        Instant requestedAt, Instant updatedAt, Instant finishedAt, Long rtoMillis, Long durationMillis,
        RestoreVerification verification, boolean destinationTouched, Boolean destinationDropped) {

    /** Reasons travel in events whose schemas cap them at this length. */
    static final int MAX_REASON_LENGTH = 4000;
    /** Restore tests restore into a scratch database named this plus the first 8 hex digits of the restore id. */
    public static final String TEST_DATABASE_PREFIX = "backbus_rt_";

    public Restore {
        smokeQueries = smokeQueries == null ? List.of() : List.copyOf(smokeQueries);
    }

    /** A manual restore of {@code backup}, requested now. */
    public static Restore manual(BackupRef backup, String target, RestoreDestination destination,
            RestoreOptions options, Instant now) {
        return new Restore(UUID.randomUUID(), RestorePurpose.MANUAL, RestoreTrigger.MANUAL, null, target, backup,
                destination, options, List.of(), null, null, RestoreState.REQUESTED, null, null, now, now, null, null,
                null, null, false, null);
    }

    /**
     * A restore test of {@code plan}, into a scratch database on the plan's restore-test destination: REQUESTED
     * when {@code backup} is given, PENDING (to be resolved from the catalog) when it is null.
     */
    public static Restore test(Plan plan, RestoreTrigger trigger, BackupRef backup, Instant scheduledFor,
            Instant now) {
        RestoreTestPolicy policy = plan.restoreTest();
        UUID id = UUID.randomUUID();
        RestoreDestination destination = new RestoreDestination(policy.agentId(), policy.target(),
                TEST_DATABASE_PREFIX + id.toString().substring(0, 8));
        RestoreOptions options = new RestoreOptions(false, true, policy.effectiveJobs(), true);
        return new Restore(id, RestorePurpose.TEST, trigger, plan.id(), plan.target(), backup, destination, options,
                plan.smokeQueries(), scheduledFor, policy.rtoTargetMillis(),
                backup == null ? RestoreState.PENDING : RestoreState.REQUESTED, null, null, now, now, null, null,
                null, null, false, null);
    }

    public boolean canMoveTo(RestoreState next) {
        return state.canMoveTo(next);
    }

    public boolean isTest() {
        return purpose == RestorePurpose.TEST;
    }

    public UUID backupId() {
        return backup == null ? null : backup.backupId();
    }

    /** A PENDING restore test found its backup: requested now. */
    public Restore requested(BackupRef resolved, Instant now) {
        return new Restore(id, purpose, trigger, planId, target, resolved, destination, options, smokeQueries,
                scheduledFor, rtoTargetMillis, RestoreState.REQUESTED, stage, reason, now, now, finishedAt, rtoMillis,
                durationMillis, verification, destinationTouched, destinationDropped);
    }

    /** The uploader checked the backup and serves it to the destination agent. */
    public Restore ready(Instant now) {
        return new Restore(id, purpose, trigger, planId, target, backup, destination, options, smokeQueries,
                scheduledFor, rtoTargetMillis, RestoreState.READY, stage, reason, requestedAt, now, finishedAt,
                rtoMillis, durationMillis, verification, destinationTouched, destinationDropped);
    }

    /**
     * The agent restored and verified the backup; what the scheduler makes of it ({@code state}: VERIFIED, or
     * FAILED at VERIFY or RTO with {@code failureReason}) is the caller's verdict.
     */
    public Restore completed(RestoreState verdict, RestoreStage failureStage, String failureReason, long rto,
            long agentDuration, RestoreVerification result, boolean dropped, Instant now) {
        return new Restore(id, purpose, trigger, planId, target, backup, destination, options, smokeQueries,
                scheduledFor, rtoTargetMillis, verdict, failureStage, truncate(failureReason), requestedAt, now, now,
                rto, agentDuration, result, true, dropped);
    }

    /** A stage (or the scheduler itself) failed the restore. */
    public Restore failed(RestoreStage failureStage, String failureReason, boolean touched, Instant now) {
        return new Restore(id, purpose, trigger, planId, target, backup, destination, options, smokeQueries,
                scheduledFor, rtoTargetMillis, RestoreState.FAILED, failureStage, truncate(failureReason),
                requestedAt, now, now, rtoMillis, durationMillis, verification, touched, destinationDropped);
    }

    static String truncate(String reason) {
        if (reason == null || reason.length() <= MAX_REASON_LENGTH) {
            return reason;
        }
        return reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }
}
