package io.backbus.agent.domain;

import io.backbus.contracts.AgentAnnounced;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.Outbox;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

/** Tells the scheduler which targets this agent serves (names only), at start and periodically. */
public class AgentAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(AgentAnnouncer.class);

    private final String agentId;
    private final String version;
    private final TargetCatalog targets;
    private final Outbox outbox;
    private final TransactionOperations tx;
    private final Clock clock;

    public AgentAnnouncer(String agentId, String version, TargetCatalog targets, Outbox outbox,
            TransactionOperations tx, Clock clock) {
        this.agentId = agentId;
        this.version = version;
        this.targets = targets;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    public void announce() {
        AgentAnnounced event = new AgentAnnounced(agentId, targets.names(), version, clock.instant());
        tx.executeWithoutResult(status -> outbox.publish(Topics.AGENT_ANNOUNCED, agentId, EventTypes.AGENT_ANNOUNCED,
                agentId, event));
        log.info("Announced agent '{}' {} with targets {}", agentId, version, event.targets());
    }
}
