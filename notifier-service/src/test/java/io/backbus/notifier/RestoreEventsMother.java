package io.backbus.notifier;

import io.backbus.contracts.EventTypes;
import io.backbus.testsupport.CloudEventTestHeaders;
import io.backbus.testsupport.ContractAssertions;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** RestoreTestFailed and RestoreFailed events built from the contract samples, and their CloudEvents headers. */
final class RestoreEventsMother {

    static final String TEST_FAILED_SAMPLE = "restore-test-failed.v1";
    static final String TEST_FAILED_SCHEMA = "schemas/restore-test-failed.v1.schema.json";
    static final String FAILED_SAMPLE = "restore-failed.v1";
    static final String FAILED_SCHEMA = "schemas/restore-failed.v1.schema.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The RestoreTestFailed contract sample as it is (stage RTO). */
    static ObjectNode testFailedSample() {
        return (ObjectNode) JSON.readTree(ContractAssertions.sample(TEST_FAILED_SAMPLE));
    }

    /** The RestoreTestFailed sample for another target and restore. */
    static ObjectNode testFailedFor(String target, UUID restoreId) {
        ObjectNode node = testFailedSample();
        node.put("target", target);
        node.put("restoreId", restoreId.toString());
        node.put("failedAt", Instant.now().toString());
        return node;
    }

    /** The RestoreFailed contract sample as it is (a MANUAL restore failed at INTEGRITY, destination untouched). */
    static ObjectNode failedSample() {
        return (ObjectNode) JSON.readTree(ContractAssertions.sample(FAILED_SAMPLE));
    }

    /** The RestoreFailed sample for another target, restore and purpose (a restore test has a plan). */
    static ObjectNode failedFor(String target, UUID restoreId, String purpose) {
        ObjectNode node = failedSample();
        node.put("target", target);
        node.put("restoreId", restoreId.toString());
        node.put("purpose", purpose);
        node.put("planId", purpose.equals("TEST") ? UUID.randomUUID().toString() : null);
        node.put("failedAt", Instant.now().toString());
        return node;
    }

    static String json(ObjectNode node) {
        return JSON.writeValueAsString(node);
    }

    /** CloudEvents headers the scheduler's outbox relay would put on a RestoreTestFailed record. */
    static Map<String, String> testFailedHeaders(UUID eventId, String restoreId) {
        return CloudEventTestHeaders.of(eventId, EventTypes.RESTORE_TEST_FAILED, "urn:backbus:scheduler-service",
                restoreId);
    }

    /** CloudEvents headers a failing stage (here the uploader) would put on a RestoreFailed record. */
    static Map<String, String> failedHeaders(UUID eventId, String restoreId) {
        return CloudEventTestHeaders.of(eventId, EventTypes.RESTORE_FAILED, "urn:backbus:uploader-service",
                restoreId);
    }

    private RestoreEventsMother() {
    }
}
