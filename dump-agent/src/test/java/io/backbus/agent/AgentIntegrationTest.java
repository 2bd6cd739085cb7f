package io.backbus.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.CloudEventHeaders;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Base of the agent's ITs (see test-support's README): what they share, the harness's broker, secrets,
 * {@code .pgpass} files, waiting on events. Each IT declares its own targets, so each has its own context.
 */
abstract class AgentIntegrationTest {

    static String bootstrap() {
        return TestServers.get().kafkaBootstrapServers();
    }

    /** 18 random hex characters, for passwords and signatures no test may find in a log. */
    static String randomHex() {
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code .pgpass} file (mode 600) in {@code dir} giving {@code role} this password on any server. */
    static Path passfile(Path dir, String name, String role, String password) throws IOException {
        Path file = Files.createFile(dir.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "*:*:*:" + role + ":" + password + "\n");
        return file;
    }

    /** The agent's CloudEvents envelope: record key, {@code ce_type}, and {@code ce_source} naming the agent. */
    static void assertEnvelope(ConsumerRecord<String, byte[]> record, String agentId, String key, String type) {
        assertThat(record.key()).isEqualTo(key);
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo(type);
        assertThat(TopicProbe.header(record, CloudEventHeaders.SOURCE)).isEqualTo("urn:backbus:dump-agent:" + agentId);
    }

    /** The first record whose {@code ce_subject} is {@code subject}. */
    static ConsumerRecord<String, byte[]> awaitSubject(TopicProbe probe, UUID subject, Duration wait) {
        return probe.awaitRecords(r -> subject.toString().equals(TopicProbe.header(r, CloudEventHeaders.SUBJECT)), 1,
                wait).get(0);
    }
}
