package io.backbus.agent.messaging;

import io.backbus.agent.domain.AgentAnnouncements;
import io.backbus.contracts.AgentAnnounced;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.Outbox;
import org.springframework.stereotype.Component;

/** Records the announcement in the outbox of the current transaction: key and subject = agent id. */
@Component
class OutboxAgentAnnouncements implements AgentAnnouncements {

    private final Outbox outbox;

    OutboxAgentAnnouncements(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void announced(AgentAnnounced announced) {
        outbox.publish(Topics.AGENT_ANNOUNCED, announced.agentId(), EventTypes.AGENT_ANNOUNCED, announced.agentId(),
                announced);
    }
}
