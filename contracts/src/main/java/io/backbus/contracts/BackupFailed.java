package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A stage failed a run. {@code reason} is meant for an operator: the failing tool's own message where there is
 * one, never a secret.
 *
 * @param runId     the run
 * @param agentId   the agent of the run, if known
 * @param target    the target of the run
 * @param stage     where it failed
 * @param reason    why, in words an operator can act on
 * @param retryable whether retrying the same run could succeed (false for e.g. a wrong password)
 * @param failedAt  when it failed
 */
public record BackupFailed(UUID runId, String agentId, String target, FailureStage stage, String reason,
        boolean retryable, Instant failedAt) {
}
