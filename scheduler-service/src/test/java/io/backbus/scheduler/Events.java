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

/**
 * Test events built from the contract samples (with the sample's run id replaced) and published as the other
 * services would: CloudEvents binary-mode headers, key = target.
 */
final class Events {

    static final String SAMPLE_RUN_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c";
    static final String SAMPLE_AGENT = "db-host-1";
    static final String SAMPLE_TARGET = "orders";

    static String artifactReady(UUID runId) {
        return ContractAssertions.sample("artifact-ready.v1").replace(SAMPLE_RUN_ID, runId.toString());
    }

    static String stored(UUID runId) {
        return ContractAssertions.sample("backup-stored.v1").replace(SAMPLE_RUN_ID, runId.toString());
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

    private Events() {
    }
}
