package io.backbus.retention;

import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.testsupport.ContractAssertions;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Stored events built from the contract sample, and their CloudEvents headers. */
final class StoredMother {

    static final String SAMPLE = "backup-stored.v1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The contract sample as it is. */
    static ObjectNode sample() {
        return (ObjectNode) JSON.readTree(ContractAssertions.sample(SAMPLE));
    }

    /** The sample for another target, run and backup, stored at {@code storedAt}. */
    static ObjectNode storedFor(String target, UUID runId, UUID backupId, Instant storedAt) {
        ObjectNode node = sample();
        node.put("target", target);
        node.put("runId", runId.toString());
        node.put("backupId", backupId.toString());
        node.put("storedAt", storedAt.toString());
        node.put("objectKey", "targets/" + target + "/" + runId + "/dump.pgc.enc");
        node.put("manifestKey", "targets/" + target + "/" + runId + "/manifest.json");
        return node;
    }

    /**
     * The BackupRequested the scheduler sent for {@code stored}'s run (same run, agent and target): retention
     * catalogs backups of requested runs only.
     */
    static String requestFor(ObjectNode stored) {
        ObjectNode request = (ObjectNode) JSON.readTree(ContractAssertions.sample("backup-requested.v1"));
        request.put("runId", stored.get("runId").asString());
        request.put("agentId", stored.get("agentId").asString());
        request.put("target", stored.get("target").asString());
        ContractAssertions.assertValid("schemas/backup-requested.v1.schema.json", request.toString());
        return request.toString();
    }

    static Map<String, String> requestHeaders(String runId) {
        return CloudEventTestHeaders.of(UUID.randomUUID(), EventTypes.BACKUP_REQUESTED, "urn:backbus:scheduler-service",
                runId);
    }

    /**
     * The {@code manifest.json} the uploader writes for such a backup: the Stored event's fields, at the keys of
     * its layout ({@code targets/<target>/<yyyy>/<MM>/<dd>/<runId>/}), plus kind and version.
     */
    static ObjectNode manifestFor(String target, UUID runId, UUID backupId, Instant storedAt) {
        ObjectNode node = storedFor(target, runId, backupId, storedAt);
        String prefix = "targets/" + target + "/2026/11/23/" + runId + "/";
        node.put("objectKey", prefix + "artifact.enc");
        node.put("manifestKey", prefix + "manifest.json");
        node.put("kind", "backbus.artifact-manifest");
        node.put("manifestVersion", 1);
        return node;
    }

    static String json(ObjectNode node) {
        return JSON.writeValueAsString(node);
    }

    /** CloudEvents binary-mode headers the uploader's outbox relay would put on a Stored record. */
    static Map<String, String> headers(UUID eventId, String runId) {
        return CloudEventTestHeaders.of(eventId, EventTypes.BACKUP_STORED, "urn:backbus:uploader-service", runId);
    }

    private StoredMother() {
    }
}
