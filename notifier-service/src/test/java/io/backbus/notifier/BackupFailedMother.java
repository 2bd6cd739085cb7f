package io.backbus.notifier;

import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.testsupport.ContractAssertions;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** BackupFailed events built from the contract sample, and their CloudEvents headers. */
final class BackupFailedMother {

    static final String SAMPLE = "backup-failed.v1";
    static final String SCHEMA = "schemas/backup-failed.v1.schema.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The contract sample as it is. */
    static ObjectNode sample() {
        return (ObjectNode) JSON.readTree(ContractAssertions.sample(SAMPLE));
    }

    /** The sample for another target and run. */
    static ObjectNode failedFor(String target, UUID runId) {
        ObjectNode node = sample();
        node.put("target", target);
        node.put("runId", runId.toString());
        node.put("failedAt", Instant.now().toString());
        return node;
    }

    static String json(ObjectNode node) {
        return JSON.writeValueAsString(node);
    }

    /** CloudEvents binary-mode headers a producer's outbox relay would put on a BackupFailed record. */
    static Map<String, String> headers(UUID eventId, String runId) {
        return CloudEventTestHeaders.of(eventId, EventTypes.BACKUP_FAILED, "urn:backbus:dump-agent", runId);
    }

    private BackupFailedMother() {
    }
}
