package io.backbus.uploader;

import io.backbus.contracts.EventTypes;
import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.testsupport.ContractAssertions;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** ArtifactStreaming events built from the contract sample. */
final class ArtifactStreamingMother {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The sample ArtifactStreaming with run and live location replaced; its {@code dumpStartedAt} is the one of the
     * ArtifactReady sample's manifest, as an agent sends for the same run.
     */
    static String artifactStreaming(UUID runId, URI liveLocation) {
        ObjectNode event = (ObjectNode) JSON.readTree(ContractAssertions.sample("artifact-streaming.v1"));
        event.put("runId", runId.toString());
        event.put("location", liveLocation.toString());
        event.put("dumpStartedAt", JSON.readTree(ContractAssertions.sample("artifact-ready.v1")).get("manifest")
                .get("dumpStartedAt").asString());
        ContractAssertions.assertValid("schemas/artifact-streaming.v1.schema.json", event.toString());
        return event.toString();
    }

    /** CloudEvents binary-mode headers as the agent sends them (fire-and-forget, not through its outbox). */
    static Map<String, String> headers(UUID eventId, UUID runId) {
        return CloudEventTestHeaders.of(eventId, EventTypes.ARTIFACT_STREAMING, "urn:backbus:dump-agent",
                runId.toString());
    }

    private ArtifactStreamingMother() {
    }
}
