package io.backbus.scheduler.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Which targets each agent serves, as they announce them; plans may only name announced targets. */
@Service
public class AgentRegistry {

    private static final Logger log = LoggerFactory.getLogger(AgentRegistry.class);

    private final AgentTargetStore store;
    private final Clock clock;

    public AgentRegistry(AgentTargetStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The agent's announced list replaces its previous one, unless an announcement newer than this one arrived. */
    @Transactional
    public void announced(String agentId, List<String> targets, Instant announcedAt) {
        Instant at = announcedAt != null ? announcedAt : PlanService.now(clock);
        Optional<Instant> lastSeen = store.lastSeen(agentId);
        if (lastSeen.isPresent() && at.isBefore(lastSeen.get())) {
            log.info("Ignoring announcement of agent {} from {}: a newer one from {} is known", agentId, at,
                    lastSeen.get());
            return;
        }
        store.replace(agentId, new LinkedHashSet<>(targets), at);
        log.info("Agent {} serves {}", agentId, targets);
    }
}
