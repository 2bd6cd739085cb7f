package io.backbus.testsupport;

import io.backbus.contracts.CloudEventHeaders;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** CloudEvents binary-mode headers as a producer's outbox relay sets them, for tests that publish raw records. */
public final class CloudEventTestHeaders {

    private CloudEventTestHeaders() {
    }

    /** All contract headers: id, type, source, time (now), subject, spec version 1.0 and JSON content type. */
    public static Map<String, String> of(UUID id, String type, String source, String subject) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.ID, id.toString());
        headers.put(CloudEventHeaders.TYPE, type);
        headers.put(CloudEventHeaders.SOURCE, source);
        headers.put(CloudEventHeaders.TIME, Instant.now().toString());
        headers.put(CloudEventHeaders.SUBJECT, subject);
        headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        headers.put(CloudEventHeaders.CONTENT_TYPE, "application/json");
        return headers;
    }
}
