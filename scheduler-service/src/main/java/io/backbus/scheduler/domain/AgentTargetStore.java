package io.backbus.scheduler.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** The targets each agent announced. */
public interface AgentTargetStore {

    /** Replaces the agent's targets with {@code targets}, seen at {@code seenAt}. */
    void replace(String agentId, Collection<String> targets, Instant seenAt);

    /** When the agent was last heard of, if ever. */
    Optional<Instant> lastSeen(String agentId);

    boolean isAnnounced(String agentId, String target);
}
