package io.backbus.delivery;

import io.backbus.contracts.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Builds Kafka records in the CloudEvents binary mode of the contract. */
final class CloudEventRecords {

    private CloudEventRecords() {
    }

    static ProducerRecord<String, byte[]> of(String topic, String key, UUID id, String type, String source,
            Instant time, String subject, byte[] payload) {
        var record = new ProducerRecord<String, byte[]>(topic, key, payload);
        header(record, CloudEventHeaders.ID, id.toString());
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, source);
        header(record, CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT.format(time));
        header(record, CloudEventHeaders.SUBJECT, subject);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(record, CloudEventHeaders.CONTENT_TYPE, "application/json");
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
}
