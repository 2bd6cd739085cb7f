package io.backbus.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import software.amazon.awssdk.services.s3.S3Client;

/** What the uploader's ITs share: the harness's S3 client, key directories, the envelope of produced events. */
final class UploaderItSupport {

    private UploaderItSupport() {
    }

    static S3Client s3() {
        return TestServers.get().s3Client();
    }

    /** A fresh directory for a master key and keyset. */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the record's {@code ce_subject} is {@code id} (a run or a restore). */
    static boolean isAbout(ConsumerRecord<String, byte[]> record, UUID id) {
        return id.toString().equals(TopicProbe.header(record, CloudEventHeaders.SUBJECT));
    }

    /** The uploader's CloudEvents envelope: key, type, subject, source, spec version and a UUID id. */
    static void assertCloudEvent(ConsumerRecord<String, byte[]> record, String key, String type, UUID subject) {
        assertThat(record.key()).isEqualTo(key);
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(type);
        assertThat(TopicProbe.header(record, CloudEventHeaders.SUBJECT)).isEqualTo(subject.toString());
        assertThat(TopicProbe.header(record, CloudEventHeaders.SOURCE)).isEqualTo("urn:backbus:uploader-service");
        assertThat(TopicProbe.header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(UUID.fromString(TopicProbe.header(record, CloudEventHeaders.ID))).isNotNull();
    }
}
