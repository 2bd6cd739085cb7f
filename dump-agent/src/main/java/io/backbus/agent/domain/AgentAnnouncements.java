package io.backbus.agent.domain;

import io.backbus.contracts.AgentAnnounced;

/** Tells the scheduler which targets this agent serves; recorded in the current transaction (the outbox). */
public interface AgentAnnouncements {

    void announced(AgentAnnounced announced);
}
