package io.backbus.contracts;

/**
 * Kafka header names of the CloudEvents 1.0 Kafka protocol binding in binary mode. The record value is the JSON
 * event body ({@code content-type: application/json}); the record key is the partition key.
 */
public final class CloudEventHeaders {

    /** Unique event id (a UUID); consumers de-duplicate on it. */
    public static final String ID = "ce_id";
    /** Logical, versioned event type, one of {@link EventTypes}. */
    public static final String TYPE = "ce_type";
    /** The producing service instance, e.g. {@code urn:backbus:uploader-service}. */
    public static final String SOURCE = "ce_source";
    /** When the event happened, RFC 3339. */
    public static final String TIME = "ce_time";
    /** The run id the event is about (agent id for {@link AgentAnnounced}). */
    public static final String SUBJECT = "ce_subject";
    /** Always {@link #SPEC_VERSION_1_0}. */
    public static final String SPEC_VERSION = "ce_specversion";
    /** Media type of the body, always {@code application/json}. */
    public static final String CONTENT_TYPE = "content-type";
    /** The CloudEvents spec version this contract uses. */
    public static final String SPEC_VERSION_1_0 = "1.0";
    /** On a dead-lettered record: why it was dead-lettered. */
    public static final String DLQ_REASON = "backbus_dlq_reason";

    private CloudEventHeaders() {
    }
}
