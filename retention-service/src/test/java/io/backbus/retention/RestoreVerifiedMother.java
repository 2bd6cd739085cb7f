package io.backbus.retention;

import io.backbus.contracts.EventTypes;
import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.testsupport.ContractAssertions;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** RestoreVerified events built from the contract sample, and their CloudEvents headers. */
final class RestoreVerifiedMother {

    static final String SAMPLE = "restore-verified.v1";
    static final String SCHEMA = "schemas/restore-verified.v1.schema.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The contract sample as it is. */
    static ObjectNode sample() {
        return (ObjectNode) JSON.readTree(ContractAssertions.sample(SAMPLE));
    }

    /** The sample adapted to a cataloged backup: its target and backup id, otherwise unchanged. */
    static ObjectNode forBackup(String target, UUID backupId) {
        ObjectNode node = sample();
        node.put("target", target);
        node.put("backupId", backupId.toString());
        return node;
    }

    /** The sample for a backup, restore test, time and measured RTO. */
    static ObjectNode verified(String target, UUID backupId, UUID restoreId, Instant verifiedAt, long rtoMillis) {
        ObjectNode node = forBackup(target, backupId);
        node.put("restoreId", restoreId.toString());
        node.put("verifiedAt", verifiedAt.toString());
        node.put("rtoMillis", rtoMillis);
        return node;
    }

    static String json(ObjectNode node) {
        return JSON.writeValueAsString(node);
    }

    /** CloudEvents binary-mode headers the scheduler's outbox relay would put on a RestoreVerified record. */
    static Map<String, String> headers(UUID eventId, String restoreId) {
        return CloudEventTestHeaders.of(eventId, EventTypes.RESTORE_VERIFIED, "urn:backbus:scheduler-service",
                restoreId);
    }

    private RestoreVerifiedMother() {
    }
}
