package io.backbus.agent.domain;

import io.backbus.agent.config.AgentProperties;
import io.backbus.agent.config.AgentVersion;
import io.backbus.contracts.AgentAnnounced;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/** Tells the scheduler which targets this agent serves (names only), at start and periodically. */
@Service
public class AgentAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(AgentAnnouncer.class);

    private final String agentId;
    private final String version;
    private final TargetCatalog targets;
    private final AgentAnnouncements announcements;
    private final TransactionOperations tx;
    private final Clock clock;

    @Autowired
    public AgentAnnouncer(AgentProperties properties, TargetCatalog targets, AgentAnnouncements announcements,
            PlatformTransactionManager transactionManager, Clock clock) {
        this(properties.id(), AgentVersion.current(), targets, announcements,
                new TransactionTemplate(transactionManager), clock);
    }

    public AgentAnnouncer(String agentId, String version, TargetCatalog targets, AgentAnnouncements announcements,
            TransactionOperations tx, Clock clock) {
        this.agentId = agentId;
        this.version = version;
        this.targets = targets;
        this.announcements = announcements;
        this.tx = tx;
        this.clock = clock;
    }

    public void announce() {
        AgentAnnounced event = new AgentAnnounced(agentId, targets.names(), version, clock.instant());
        tx.executeWithoutResult(status -> announcements.announced(event));
        log.info("Announced agent '{}' {} with targets {}", agentId, version, event.targets());
    }
}
