package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * The scheduler asks the agent {@code agentId} to back up {@code target}, either because the plan's cron slot
 * {@code scheduledFor} came due or because someone asked to run it now.
 *
 * @param runId        the run this request starts; also the CloudEvents subject
 * @param planId       the plan the run belongs to
 * @param planName     the plan's human name
 * @param agentId      the agent that must perform the dump; other agents ignore the event
 * @param target       the target's name as configured on that agent (never its credentials)
 * @param scheduledFor the cron slot, or the time of the manual request
 * @param requestedAt  when the request was issued
 * @param attempt      1 for the first attempt, incremented on retries
 * @param trigger      {@code schedule}, {@code manual} or {@code retry}
 */
public record BackupRequested(UUID runId, UUID planId, String planName, String agentId, String target,
        Instant scheduledFor, Instant requestedAt, int attempt, String trigger) {
}
