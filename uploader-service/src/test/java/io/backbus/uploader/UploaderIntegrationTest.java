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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Base of the uploader's ITs (see test-support's README): what they share, the harness's S3 client, key
 * directories, the settings every IT starts from, the envelope of produced events. Each IT has its own bucket and
 * keys, so its own context (closed after it: its listeners would otherwise take records from the next one's).
 */
abstract class UploaderIntegrationTest {

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

    /**
     * The harness's servers (database {@code database}) and the settings every uploader IT shares: the bucket, the
     * keys in {@code keys}, 5 MiB parts and short backoffs so that failures show quickly. Each IT adds its own.
     */
    static void uploaderProperties(DynamicPropertyRegistry registry, String database, String bucket, Path keys) {
        TestServers.springProperties(registry, database);
        registry.add("backbus.uploader.bucket", () -> bucket);
        registry.add("backbus.uploader.part-size", () -> "5MB");
        registry.add("backbus.uploader.part-backoff", () -> "50ms");
        registry.add("backbus.uploader.part-backoff-max", () -> "200ms");
        registry.add("backbus.uploader.pull-backoff", () -> "50ms");
        registry.add("backbus.uploader.master-key-file", () -> keys.resolve("master-key.json").toString());
        registry.add("backbus.uploader.keyset-file", () -> keys.resolve("keyset.json").toString());
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
