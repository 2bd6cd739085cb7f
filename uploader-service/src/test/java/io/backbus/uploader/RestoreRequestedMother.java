package io.backbus.uploader;

import io.backbus.contracts.EventTypes;
import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.testsupport.ContractAssertions;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** RestoreRequested events built from the contract sample, pointed at a backup the uploader really stored. */
final class RestoreRequestedMother {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The sample with a fresh restore id and the backup's identity, keys, sizes and checksum from its Stored. */
    static ObjectNode restoreRequested(JsonNode stored) {
        ObjectNode event = (ObjectNode) JSON.readTree(ContractAssertions.sample("restore-requested.v1"));
        event.put("restoreId", UUID.randomUUID().toString());
        for (String field : new String[] {"backupId", "runId", "bucket", "objectKey", "manifestKey",
                "plaintextSha256"}) {
            event.put(field, stored.get(field).asString());
        }
        for (String field : new String[] {"plaintextSize", "ciphertextSize"}) {
            event.put(field, stored.get(field).asLong());
        }
        return valid(event);
    }

    /** A request for an object that is not in {@code bucket}. */
    static ObjectNode restoreOfMissingObject(String bucket) {
        ObjectNode event = (ObjectNode) JSON.readTree(ContractAssertions.sample("restore-requested.v1"));
        UUID runId = UUID.randomUUID();
        event.put("restoreId", UUID.randomUUID().toString());
        event.put("runId", runId.toString());
        event.put("bucket", bucket);
        event.put("objectKey", "targets/orders/2026/11/23/" + runId + "/artifact.enc");
        event.put("manifestKey", "targets/orders/2026/11/23/" + runId + "/manifest.json");
        return valid(event);
    }

    static UUID restoreId(JsonNode request) {
        return UUID.fromString(request.get("restoreId").asString());
    }

    static String target() {
        return JSON.readTree(ContractAssertions.sample("restore-requested.v1")).get("target").asString();
    }

    /** CloudEvents binary-mode headers as the scheduler's outbox would send them. */
    static Map<String, String> headers(UUID eventId, UUID restoreId) {
        return CloudEventTestHeaders.of(eventId, EventTypes.RESTORE_REQUESTED, "urn:backbus:scheduler-service",
                restoreId.toString());
    }

    private static ObjectNode valid(ObjectNode event) {
        ContractAssertions.assertValid("schemas/restore-requested.v1.schema.json", event.toString());
        return event;
    }

    private RestoreRequestedMother() {
    }
}
