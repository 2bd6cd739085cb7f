package io.backbus.uploader;

import static io.backbus.uploader.ArtifactReadyMother.artifact;
import static io.backbus.uploader.ArtifactReadyMother.artifactReady;
import static io.backbus.uploader.ArtifactReadyMother.headers;
import static io.backbus.uploader.ArtifactReadyMother.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import io.backbus.contracts.Topics;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.AwsKmsKek;
import io.backbus.crypto.KeyEncryptionKey;
import io.backbus.crypto.KeyHandlingException;
import io.backbus.crypto.KeysetStore;
import io.backbus.crypto.LocalMasterKey;
import io.backbus.testsupport.KmsStandIn;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.TopicProbe;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kms.KmsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /keys} on the running uploader, against real Kafka, PostgreSQL and S3Mock, with an AWS KMS key as the
 * key-encryption key. AWS KMS cannot run here: {@link KmsStandIn} stands in for it (the KMS JSON protocol, real
 * AES-GCM inside); the SDK client, Tink's envelope encryption and the uploader's wiring are the real ones.
 *
 * <p>The uploader starts on a keyset made earlier under the local master key (an embedded installation moving to
 * KMS, {@code kek.previous: local}), backs up, rewraps the keyset under KMS, rotates, backs up again; then it
 * restores both backups (check pass and download), and both decrypt with the keys read afresh from the files
 * through KMS. Every answer and log line of the test is
 * scanned for key material.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// the other uploader ITs consume in the same consumer group: only one context may run at a time
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class KeysIT extends UploaderIntegrationTest {

    private static final String BUCKET = "keys-it";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path KEYS = tempDir("keys-it-keys");
    private static final KmsStandIn KMS = KmsStandIn.start();
    private static final String KEY_URI = AwsKmsKek.PREFIX + KMS.createKey();
    /** The keyset as an embedded installation left it: one key, under the local master key. */
    private static final KeysetStore BEFORE = KeysetStore.openOrCreate(KEYS.resolve("master-key.json"),
            KEYS.resolve("keyset.json"));

    private static ArtifactServer agent;
    private static TopicProbe probe;

    @LocalServerPort
    int port;

    private final List<String> answers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        uploaderProperties(registry, "uploader_keys", BUCKET, KEYS);
        registry.add("backbus.uploader.kek.type", () -> "aws-kms");
        registry.add("backbus.uploader.kek.kms-key-uri", () -> KEY_URI);
        registry.add("backbus.uploader.kek.kms-endpoint", () -> KMS.endpoint().toString());
        registry.add("backbus.uploader.kek.kms-access-key", () -> "test");
        registry.add("backbus.uploader.kek.kms-secret-key", () -> "test");
        registry.add("backbus.uploader.kek.previous", () -> "local");
        registry.add("backbus.uploader.s3.sse", () -> "aws:kms");
    }

    @BeforeAll
    static void start() {
        agent = ArtifactServer.start();
        probe = TopicProbe.open(TestServers.get().kafkaBootstrapServers(), Topics.BACKUP_STORED, Topics.BACKUP_FAILED,
                Topics.RESTORE_ARTIFACT_READY, Topics.RESTORE_FAILED);
    }

    @AfterAll
    static void stop() {
        probe.close();
        agent.close();
        KMS.close();
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root().detachAppender(logs);
    }

    @Test
    void rewrapMovesTheKeysetUnderKmsAndRotationKeepsEveryBackupReadable() throws Exception {
        String firstKey = BEFORE.primaryKeyId();
        JsonNode listed = get("/keys");
        assertThat(listed.get("primaryKeyId").asString()).isEqualTo(firstKey);
        assertThat(listed.get("keyEncryptionKey").asString()).isEqualTo(KEY_URI);
        assertThat(listed.get("keysetEncryptedBy").asString()).startsWith("local master key ")
                .endsWith("master-key.json");
        assertThat(listed.get("rewrapPending").asBoolean()).isTrue();
        assertThat(listed.get("keys")).hasSize(1);
        JsonNode key = listed.get("keys").get(0);
        assertThat(key.get("id").asString()).isEqualTo(firstKey);
        assertThat(key.get("status").asString()).isEqualTo("ENABLED");
        assertThat(key.get("primary").asBoolean()).isTrue();
        assertThat(java.time.Instant.parse(key.get("createdAt").asString())).isBefore(java.time.Instant.now());

        Backup before = backUp();
        assertThat(before.keyId()).isEqualTo(firstKey);

        JsonNode rewrapped = post("/keys/rewrap");
        assertThat(rewrapped.get("encryptedBefore").asString()).startsWith("local master key ");
        assertThat(rewrapped.get("encryptedNow").asString()).isEqualTo(KEY_URI);
        assertThat(rewrapped.get("keyset").get("rewrapPending").asBoolean()).isFalse();
        assertThat(rewrapped.get("keyset").get("keys").findValuesAsString("id")).containsExactly(firstKey);
        // the master key file no longer opens the keyset; KMS does
        LocalMasterKey master = LocalMasterKey.open(KEYS.resolve("master-key.json"));
        assertThatThrownBy(() -> KeysetStore.openOrCreate(master, List.of(), KEYS.resolve("keyset.json")))
                .isInstanceOf(KeyHandlingException.class);

        Path beforeRotation = Files.copy(KEYS.resolve("keyset.json"), tempDir("keys-it-copy").resolve("keyset.json"));
        JsonNode rotated = post("/keys/rotate");
        String secondKey = rotated.get("primaryKeyId").asString();
        assertThat(rotated.get("previousPrimaryKeyId").asString()).isEqualTo(firstKey);
        assertThat(secondKey).isNotEqualTo(firstKey);
        JsonNode keys = get("/keys").get("keys");
        assertThat(keys.findValuesAsString("id")).containsExactly(firstKey, secondKey);
        assertThat(keys.get(0).get("primary").asBoolean()).isFalse();
        assertThat(keys.get(1).get("primary").asBoolean()).isTrue();

        Backup after = backUp();
        assertThat(after.keyId()).isEqualTo(secondKey);

        // the uploader itself restores both: its check pass decrypts each, and it serves the plaintext
        assertThat(restore(before)).isEqualTo(before.plaintext());
        assertThat(restore(after)).isEqualTo(after.plaintext());

        // whoever holds the keyset file and the KMS key (the CLI, a new replica) reads both backups too
        try (KmsClient sdk = kmsClient()) {
            KeysetStore fresh = KeysetStore.openOrCreate(AwsKmsKek.of(KEY_URI, sdk), List.of(),
                    KEYS.resolve("keyset.json"));
            ArtifactCipher cipher = new ArtifactCipher(fresh);
            assertThat(decrypt(cipher, before)).isEqualTo(before.plaintext());
            assertThat(decrypt(cipher, after)).isEqualTo(after.plaintext());
            // the new backup really is under the new key: the keyset as it was before cannot read it
            ArtifactCipher old = new ArtifactCipher(KeysetStore.openOrCreate(AwsKmsKek.of(KEY_URI, sdk), List.of(),
                    beforeRotation));
            assertThat(decrypt(old, before)).isEqualTo(before.plaintext());
            assertThatThrownBy(() -> decrypt(old, after)).isInstanceOf(IOException.class);

            assertNoKeyMaterialIn(AwsKmsKek.of(KEY_URI, sdk), before, after);
        }
        // S3 was asked for SSE-KMS on top (S3Mock keeps the algorithm of single-request objects: the manifests)
        assertThat(s3().headObject(b -> b.bucket(BUCKET).key(after.manifestKey())).serverSideEncryptionAsString())
                .isEqualTo("aws:kms");
    }

    @Test
    void whenKmsRefusesARotationFailsAsProblemJsonWithKmsReasonAndTheKeysetStaysAsItWas() throws IOException {
        String keysetBefore = Files.readString(KEYS.resolve("keyset.json"));
        JsonNode listedBefore = get("/keys");
        KMS.setDisabled(AwsKmsKek.arn(KEY_URI), true);
        try {
            ResponseEntity<String> refused = RestClient.create("http://127.0.0.1:" + port).post().uri("/keys/rotate")
                    .header("Authorization", ApiCallers.ADMIN.bearer())
                    .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                            .headers(response.getHeaders()).body(new String(response.getBody().readAllBytes(),
                                    StandardCharsets.UTF_8)));
            answers.add(refused.getBody());

            assertThat(refused.getStatusCode().value()).isEqualTo(503);
            assertThat(refused.getHeaders().getContentType()).hasToString("application/problem+json");
            JsonNode problem = JSON.readTree(refused.getBody());
            assertThat(problem.get("status").asInt()).isEqualTo(503);
            assertThat(problem.get("detail").asString()).startsWith("rotation failed; the keyset is unchanged: ")
                    .contains("AWS KMS Encrypt with " + AwsKmsKek.arn(KEY_URI) + " failed: DisabledException");
        } finally {
            KMS.setDisabled(AwsKmsKek.arn(KEY_URI), false);
        }
        assertThat(Files.readString(KEYS.resolve("keyset.json"))).isEqualTo(keysetBefore);
        assertThat(get("/keys")).isEqualTo(listedBefore);
    }

    /** A stored backup: its object, key id, manifest and the plaintext it holds. */
    private record Backup(String objectKey, String manifestKey, String keyId, byte[] plaintext, String event) {
    }

    private Backup backUp() {
        UUID runId = UUID.randomUUID();
        byte[] plaintext = artifact(6 * 1024 * 1024 + 77);
        URI location = agent.serve("/artifacts/" + runId, plaintext);
        ArtifactReadyMother.requested(runId);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.ARTIFACT_READY,
                ArtifactReadyMother.target(), headers(UUID.randomUUID(), runId),
                artifactReady(runId, location, sha256(plaintext), plaintext.length));
        ConsumerRecord<String, byte[]> record = probe.awaitRecords(r -> isAbout(r, runId), 1, WAIT).get(0);
        String json = TopicProbe.valueAsString(record);
        assertThat(record.topic()).as(json).isEqualTo(Topics.BACKUP_STORED);
        JsonNode stored = JSON.readTree(json);
        return new Backup(stored.get("objectKey").asString(), stored.get("manifestKey").asString(),
                stored.get("keyId").asString(), plaintext, json);
    }

    /** RestoreRequested for the backup → RestoreArtifactReady → the bytes its signed URL serves. */
    private byte[] restore(Backup backup) throws IOException, InterruptedException {
        ObjectNode request = RestoreRequestedMother.restoreRequested(JSON.readTree(backup.event()));
        UUID restoreId = RestoreRequestedMother.restoreId(request);
        TopicProbe.publish(TestServers.get().kafkaBootstrapServers(), Topics.RESTORE_REQUESTED,
                RestoreRequestedMother.target(), RestoreRequestedMother.headers(UUID.randomUUID(), restoreId),
                request.toString());
        ConsumerRecord<String, byte[]> record = probe.awaitRecords(r -> (r.topic().equals(
                Topics.RESTORE_ARTIFACT_READY) || r.topic().equals(Topics.RESTORE_FAILED)) && isAbout(r, restoreId), 1,
                WAIT).get(0);
        String json = TopicProbe.valueAsString(record);
        assertThat(record.topic()).as(json).isEqualTo(Topics.RESTORE_ARTIFACT_READY);
        answers.add(json);
        URI location = URI.create(JSON.readTree(json).get("location").asString());
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(location).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static byte[] decrypt(ArtifactCipher cipher, Backup backup) throws IOException {
        try (InputStream in = cipher.decryptingStream(s3().getObject(b -> b.bucket(BUCKET).key(backup.objectKey())),
                backup.objectKey())) {
            return in.readAllBytes();
        }
    }

    /**
     * No data key (raw bytes as base64, base64url, hex; their Tink JSON values) nor the master key is in any answer
     * of /keys, any Stored event or manifest, or any log line of this test.
     */
    private void assertNoKeyMaterialIn(KeyEncryptionKey kms, Backup... backups) throws IOException,
            GeneralSecurityException {
        KeysetHandle keyset = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
                Files.readString(KEYS.resolve("keyset.json")), kms.aead(),
                KeysetStore.KEYSET_ASSOCIATED_DATA.getBytes(StandardCharsets.UTF_8));
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < keyset.size(); i++) {
            byte[] raw = ((AesGcmHkdfStreamingKey) keyset.getAt(i).getKey()).getInitialKeyMaterial()
                    .toByteArray(InsecureSecretKeyAccess.get());
            secrets.add(Base64.getEncoder().encodeToString(raw));
            secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
            secrets.add(HexFormat.of().formatHex(raw));
        }
        String cleartext = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
        JSON.readTree(cleartext).findValuesAsString("value").forEach(secrets::add);
        JSON.readTree(Files.readString(KEYS.resolve("master-key.json"))).findValuesAsString("value")
                .forEach(secrets::add);
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(2 * 4 + 1);

        List<String> scanned = new ArrayList<>(answers);
        for (Backup backup : backups) {
            scanned.add(backup.event());
            scanned.add(s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(backup.manifestKey())).asUtf8String());
        }
        logs.list.forEach(e -> scanned.add(e.getFormattedMessage()));
        // the scan sees what it should: the answers and the audit lines with the key ids
        assertThat(String.join("\n", scanned)).contains("principal=it-admin action=keys.rotated", "action=keys.rewrapped",
                "\"primaryKeyId\"");
        for (String text : scanned) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private JsonNode get(String path) {
        return answer(RestClient.create("http://127.0.0.1:" + port).get().uri(path)
                .header("Authorization", ApiCallers.ADMIN.bearer()).retrieve()
                .toEntity(String.class));
    }

    private JsonNode post(String path) {
        return answer(RestClient.create("http://127.0.0.1:" + port).post().uri(path)
                .header("Authorization", ApiCallers.ADMIN.bearer()).retrieve()
                .toEntity(String.class));
    }

    private JsonNode answer(ResponseEntity<String> response) {
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        answers.add(response.getBody());
        return JSON.readTree(response.getBody());
    }

    private static KmsClient kmsClient() {
        return AwsKmsKek.client(KEY_URI, KMS.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
