package io.backbus.uploader;

import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import tools.jackson.databind.JsonNode;
import io.backbus.testsupport.ContractAssertions;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** ArtifactReady events built from the contract sample, and artifacts to go with them. */
final class ArtifactReadyMother {

    static final String CANARY = "BACKBUS-CANARY-PLAINTEXT-MUST-NOT-REACH-S3";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The sample ArtifactReady with run, location, checksum and size replaced. */
    static String artifactReady(UUID runId, URI location, String sha256, long sizeBytes) {
        ObjectNode event = (ObjectNode) JSON.readTree(ContractAssertions.sample("artifact-ready.v1"));
        event.put("runId", runId.toString());
        event.put("location", location.toString());
        event.put("sha256", sha256);
        event.put("sizeBytes", sizeBytes);
        ContractAssertions.assertValid("schemas/artifact-ready.v1.schema.json", event.toString());
        return event.toString();
    }

    /**
     * Publishes the BackupRequested that the scheduler would have sent for {@code runId}, of the sample's agent and
     * target: the uploader stores artifacts of requested runs only.
     */
    static void requested(UUID runId) {
        JsonNode ready = JSON.readTree(ContractAssertions.sample("artifact-ready.v1"));
        ObjectNode request = (ObjectNode) JSON.readTree(ContractAssertions.sample("backup-requested.v1"));
        request.put("runId", runId.toString());
        request.put("agentId", ready.get("agentId").asString());
        request.put("target", ready.get("target").asString());
        ContractAssertions.assertValid("schemas/backup-requested.v1.schema.json", request.toString());
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_REQUESTED, target(),
                CloudEventTestHeaders.of(UUID.randomUUID(), EventTypes.BACKUP_REQUESTED, "urn:backbus:scheduler-service",
                        runId.toString()), request.toString());
    }

    static String target() {
        return JSON.readTree(ContractAssertions.sample("artifact-ready.v1")).get("target").asString();
    }

    /** CloudEvents binary-mode headers as the agent's outbox would send them. */
    static Map<String, String> headers(UUID eventId, UUID runId) {
        return CloudEventTestHeaders.of(eventId, EventTypes.ARTIFACT_READY, "urn:backbus:dump-agent", runId.toString());
    }

    /** Random bytes with the canary embedded at the start, middle and end. */
    static byte[] artifact(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        byte[] canary = CANARY.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (size >= 3 * canary.length) {
            System.arraycopy(canary, 0, bytes, 0, canary.length);
            System.arraycopy(canary, 0, bytes, size / 2, canary.length);
            System.arraycopy(canary, 0, bytes, size - canary.length, canary.length);
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ArtifactReadyMother() {
    }
}
