package io.backbus.agent;

import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.testsupport.ContractAssertions;
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

    /** The backup-failed sample for this run and agent, failed at {@code stage}. */
    static String backupFailed(UUID runId, String agentId, String target, String stage) {
        ObjectNode node = sample("backup-failed.v1");
        node.put("runId", runId.toString());
        node.put("agentId", agentId);
        node.put("target", target);
        node.put("stage", stage);
        return JSON.writeValueAsString(node);
    }

    /**
     * The restore-artifact-ready sample for this restore, with its destination set to {@code database} on
     * {@code target} of {@code agentId}; the caller adapts location, checksum, size and manifest.
     */
    static ObjectNode restoreArtifactReady(UUID restoreId, String agentId, String target, String database) {
        ObjectNode node = sample("restore-artifact-ready.v1");
        node.put("restoreId", restoreId.toString());
        ObjectNode destination = (ObjectNode) node.get("destination");
        destination.put("agentId", agentId);
        destination.put("target", target);
        destination.put("database", database);
        return node;
    }

    static String json(ObjectNode node) {
        return JSON.writeValueAsString(node);
    }

    /** CloudEvents binary-mode headers as the scheduler's or uploader's outbox relay sets them. */
    static Map<String, String> headers(UUID eventId, String type, String subject) {
        return CloudEventTestHeaders.of(eventId, type, "urn:backbus:test", subject);
    }

    private static ObjectNode sample(String name) {
        return (ObjectNode) JSON.readTree(ContractAssertions.sample(name));
    }
}
