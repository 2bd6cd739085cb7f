package io.backbus.uploader.domain;

import java.time.Instant;
import java.util.UUID;

/** A run the scheduler requested: which agent dumps which target. */
public record RequestedRun(UUID runId, String agentId, String target, Instant requestedAt) {
}
