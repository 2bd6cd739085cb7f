package io.backbus.scheduler;

import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.ContractAssertions;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test events built from the contract samples (with the sample's run id replaced) and published as the other
 * services would: CloudEvents binary-mode headers, key = target.
 */
final class EventMother {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SAMPLE_RUN_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c";
    static final String SAMPLE_AGENT = "db-host-1";
    static final String SAMPLE_TARGET = "orders";
    static final String SAMPLE_BACKUP_ID = "c0ffee00-1234-4abc-8def-0123456789ab";
    static final String SAMPLE_RESTORE_ID = "7c4e1b2a-9d3f-4a6e-8b1c-2f5d7e9a0c3b";
    /** plaintextSha256 of the Stored sample. */
    static final String SAMPLE_PLAINTEXT_SHA256 = "9f2c1e7a5b3d8c6e4f0a2b1c3d5e7f9a8b6c4d2e0f1a3b5c7d9e8f6a4b2c0d1e";

    static String artifactReady(UUID runId) {
        return ContractAssertions.sample("artifact-ready.v1").replace(SAMPLE_RUN_ID, runId.toString());
    }

    static String stored(UUID runId) {
        return ContractAssertions.sample("backup-stored.v1").replace(SAMPLE_RUN_ID, runId.toString());
    }

    /** The sample Stored for {@code runId} with its backup id replaced. */
    static String stored(UUID runId, UUID backupId) {
        return stored(runId).replace(SAMPLE_BACKUP_ID, backupId.toString());
    }

    static UUID publishStored(UUID runId, UUID backupId) {
        return publish(Topics.BACKUP_STORED, EventTypes.BACKUP_STORED, SAMPLE_TARGET, runId.toString(),
                stored(runId, backupId));
    }

    /** The sample RestoreArtifactReady adapted to {@code restoreId}. */
    static String restoreArtifactReady(UUID restoreId) {
        return ContractAssertions.sample("restore-artifact-ready.v1").replace(SAMPLE_RESTORE_ID, restoreId.toString());
    }

    /**
     * The sample RestoreCompleted adapted to {@code restoreId} (of plan {@code planId} if not null, then purpose
     * TEST), passing verification or failing it with the sample's summary replaced.
     */
    static String restoreCompleted(UUID restoreId, UUID planId, boolean passed) {
        ObjectNode json = (ObjectNode) JSON.readTree(ContractAssertions.sample("restore-completed.v1"));
        json.put("restoreId", restoreId.toString());
        if (planId != null) {
            json.put("planId", planId.toString());
            json.put("purpose", "TEST");
        }
        if (!passed) {
            ObjectNode verification = (ObjectNode) json.get("verification");
            verification.put("passed", false);
            ObjectNode mismatch = verification.putArray("mismatches").addObject();
            mismatch.put("table", "public.orders");
            mismatch.put("expectedRows", 48211);
            mismatch.put("actualRows", 48200);
            verification.put("summary", VERIFY_FAILED_SUMMARY);
        }
        String text = JSON.writeValueAsString(json);
        ContractAssertions.assertValid("schemas/restore-completed.v1.schema.json", text);
        return text;
    }

    static final String VERIFY_FAILED_SUMMARY = "1 of 2 tables differ from the backup's snapshot: public.orders has "
            + "48200 rows, expected 48211";

    /** The sample RestoreFailed adapted to {@code restoreId}, with stage and touched replaced. */
    static String restoreFailed(UUID restoreId, String stage, boolean touched) {
        String json = ContractAssertions.sample("restore-failed.v1").replace(SAMPLE_RESTORE_ID, restoreId.toString())
                .replace("\"INTEGRITY\"", "\"" + stage + "\"")
                .replace("\"destinationTouched\": false", "\"destinationTouched\": " + touched);
        ContractAssertions.assertValid("schemas/restore-failed.v1.schema.json", json);
        return json;
    }

    /** The sample RestoreProgress adapted to {@code restoreId}, stage and counts replaced. */
    static String restoreProgress(UUID restoreId, String stage, long bytes, long totalBytes) {
        String json = ContractAssertions.sample("restore-progress.v1").replace(SAMPLE_RESTORE_ID, restoreId.toString())
                .replace("\"TRANSFER\"", "\"" + stage + "\"")
                .replace("\"bytes\": 524288", "\"bytes\": " + bytes)
                .replace("\"totalBytes\": 1048576", "\"totalBytes\": " + totalBytes);
        ContractAssertions.assertValid("schemas/restore-progress.v1.schema.json", json);
        return json;
    }

    static UUID publishRestore(String topic, String type, UUID restoreId, String body) {
        return publish(topic, type, SAMPLE_TARGET, restoreId.toString(), body);
    }

    static String backupFailed(UUID runId) {
        return ContractAssertions.sample("backup-failed.v1").replace(SAMPLE_RUN_ID, runId.toString());
    }

    /** The sample BackupProgress for {@code runId} with stage, bytes and total replaced. */
    static String progress(UUID runId, String stage, long bytes, long totalBytes) {
        String json = ContractAssertions.sample("backup-progress.v1").replace(SAMPLE_RUN_ID, runId.toString())
                .replace("\"DUMP\"", "\"" + stage + "\"")
                .replace("268435456", Long.toString(bytes))
                .replace("\"totalBytes\": -1", "\"totalBytes\": " + totalBytes);
        ContractAssertions.assertValid("schemas/backup-progress.v1.schema.json", json);
        return json;
    }

    static UUID publishProgress(UUID runId, String stage, long bytes, long totalBytes) {
        return publish(Topics.BACKUP_PROGRESS, EventTypes.BACKUP_PROGRESS, SAMPLE_TARGET, runId.toString(),
                progress(runId, stage, bytes, totalBytes));
    }

    static String agentAnnounced() {
        return ContractAssertions.sample("agent-announced.v1");
    }

    /** An announcement of {@code agentId} serving {@code targets}, based on the sample. */
    static String agentAnnounced(String agentId, Instant at, String... targets) {
        return """
                {"agentId": "%s", "targets": [%s], "version": "0.1.0", "announcedAt": "%s"}"""
                .formatted(agentId, String.join(", ", java.util.Arrays.stream(targets).map(t -> '"' + t + '"')
                        .toList()), at);
    }

    /** Publishes with fresh CloudEvents headers; returns the ce_id. */
    static UUID publish(String topic, String type, String key, String subject, String body) {
        UUID id = UUID.randomUUID();
        publish(topic, type, key, subject, body, id);
        return id;
    }

    static void publish(String topic, String type, String key, String subject, String body, UUID ceId) {
        TopicProbe.publish(bootstrap(), topic, key, headers(type, subject, ceId), body);
    }

    static Map<String, String> headers(String type, String subject, UUID ceId) {
        return CloudEventTestHeaders.of(ceId, type, "urn:backbus:scheduler-service-it", subject);
    }

    static UUID publishArtifactReady(UUID runId) {
        return publish(Topics.ARTIFACT_READY, EventTypes.ARTIFACT_READY, SAMPLE_TARGET, runId.toString(),
                artifactReady(runId));
    }

    static UUID publishStored(UUID runId) {
        return publish(Topics.BACKUP_STORED, EventTypes.BACKUP_STORED, SAMPLE_TARGET, runId.toString(), stored(runId));
    }

    static UUID publishBackupFailed(UUID runId) {
        return publish(Topics.BACKUP_FAILED, EventTypes.BACKUP_FAILED, SAMPLE_TARGET, runId.toString(),
                backupFailed(runId));
    }

    static String bootstrap() {
        return TestServers.get().kafkaBootstrapServers();
    }

    private EventMother() {
    }
}
