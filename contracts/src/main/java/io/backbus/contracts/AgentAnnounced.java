package io.backbus.contracts;

import java.time.Instant;
import java.util.List;

/**
 * An agent announces itself and the names of the targets it can back up, at start and periodically. The
 * scheduler accepts plans only for announced (agent, target) pairs.
 *
 * @param agentId     the agent
 * @param targets     names of the targets it serves (names only, never connection details or credentials)
 * @param version     the agent's version
 * @param announcedAt when
 */
public record AgentAnnounced(String agentId, List<String> targets, String version, Instant announcedAt) {
}
