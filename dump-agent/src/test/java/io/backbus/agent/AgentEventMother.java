package io.backbus.agent;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.testsupport.ContractAssertions;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Incoming events for the agent, made from the contract samples. */
final class AgentEventMother {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AgentEventMother() {
    }

    /** The backup-requested sample for this run, agent and target. */
    static String backupRequested(UUID runId, String agentId, String target) {
        ObjectNode node = sample("backup-requested.v1");
        node.put("runId", runId.toString());
        node.put("agentId", agentId);
        node.put("target", target);
        return JSON.writeValueAsString(node);
    }

    /** The backup-stored sample for this run and agent. */
    static String stored(UUID runId, String agentId, String target) {
        ObjectNode node = sample("backup-stored.v1");
        node.put("runId", runId.toString());
        node.put("agentId", agentId);
        node.put("target", target);
        return JSON.writeValueAsString(node);
    }

    /** CloudEvents binary-mode headers as the scheduler's or uploader's outbox relay sets them. */
    static Map<String, String> headers(UUID eventId, String type, String subject) {
        return Map.of(CloudEventHeaders.ID, eventId.toString(),
                CloudEventHeaders.TYPE, type,
                CloudEventHeaders.SOURCE, "urn:backbus:test",
                CloudEventHeaders.TIME, Instant.now().toString(),
                CloudEventHeaders.SUBJECT, subject,
                CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0,
                CloudEventHeaders.CONTENT_TYPE, "application/json");
    }

    private static ObjectNode sample(String name) {
        return (ObjectNode) JSON.readTree(ContractAssertions.sample(name));
    }
}
