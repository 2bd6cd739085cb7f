package io.backbus.crypto;

import static io.backbus.crypto.CipherRoundTrips.decrypt;
import static io.backbus.crypto.CipherRoundTrips.encrypt;
import static io.backbus.crypto.CipherRoundTrips.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.crypto.tink.Aead;
import io.backbus.testsupport.KmsStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * AWS KMS as the key-encryption key, against {@link KmsStandIn}: AWS KMS cannot run here, so a local server that
 * speaks the KMS JSON protocol (Encrypt/Decrypt, real AES-GCM inside) stands in for it; the AWS SDK v2 client, its
 * request signing and serialization, and Tink's envelope encryption are the real ones.
 */
class AwsKmsKekTest {

    private static final String OBJECT_KEY = "targets/orders/2026/12/04/run/artifact.enc";

    @TempDir
    Path dir;

    private KmsStandIn standIn;
    private KmsClient sdk;
    private String arn;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        standIn = KmsStandIn.start();
        arn = standIn.createKey();
        sdk = AwsKmsKek.client(AwsKmsKek.PREFIX + arn, standIn.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        sdk.close();
        standIn.close();
    }

    @Test
    void theKeysetIsEnvelopeEncryptedByTheKmsKeyAndReadsBackThroughKms() throws IOException {
        AwsKmsKek kek = AwsKmsKek.of(AwsKmsKek.PREFIX + arn, sdk);
        KeysetStore store = KeysetStore.openOrCreate(kek, List.of(), dir.resolve("keyset.json"));
        byte[] plaintext = randomBytes(2_500_000);
        byte[] ciphertext = encrypt(new ArtifactCipher(store), plaintext, OBJECT_KEY);

        // KMS was asked to encrypt a data key (a serialized 32-byte AES-GCM key), never the keyset itself; as in Tink's
        // envelope format the keyset's associated data binds the locally encrypted part, not the KMS call
        KmsStandIn.Request encrypt = standIn.requests().get(0);
        assertThat(encrypt.operation()).isEqualTo("Encrypt");
        assertThat(encrypt.keyId()).isEqualTo(arn);
        assertThat(encrypt.plaintextBytes()).isBetween(32, 40);
        assertThat(encrypt.encryptionContext()).isEmpty();
        assertThat(Files.size(dir.resolve("keyset.json"))).isGreaterThan(encrypt.plaintextBytes() * 4L);
        assertThat(store.masterKeyFile()).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("master-key.json");
        }

        KeysetStore reopened = KeysetStore.openOrCreate(AwsKmsKek.of(AwsKmsKek.PREFIX + arn, sdk), List.of(),
                dir.resolve("keyset.json"));
        assertThat(standIn.requests()).last().extracting(KmsStandIn.Request::operation).isEqualTo("Decrypt");
        assertThat(reopened.keyIds()).isEqualTo(store.keyIds());
        assertThat(decrypt(new ArtifactCipher(reopened), ciphertext, OBJECT_KEY)).isEqualTo(plaintext);
        reopened.rewrap();
        assertNoKeyMaterialLogged(store, "Rewrapped keyset");
    }

    @Test
    void rotationUnderKmsKeepsOldBackupsReadable() throws IOException {
        KeysetStore store = KeysetStore.openOrCreate(AwsKmsKek.of(AwsKmsKek.PREFIX + arn, sdk), List.of(),
                dir.resolve("keyset.json"));
        byte[] before = randomBytes(10_000);
        byte[] beforeCiphertext = encrypt(new ArtifactCipher(store), before, OBJECT_KEY);

        String newKey = store.rotate();
        byte[] after = randomBytes(10_000);
        byte[] afterCiphertext = encrypt(new ArtifactCipher(store), after, OBJECT_KEY);

        KeysetStore reopened = KeysetStore.openOrCreate(AwsKmsKek.of(AwsKmsKek.PREFIX + arn, sdk), List.of(),
                dir.resolve("keyset.json"));
        assertThat(reopened.primaryKeyId()).isEqualTo(newKey);
        assertThat(reopened.keyIds()).hasSize(2);
        assertThat(decrypt(new ArtifactCipher(reopened), beforeCiphertext, OBJECT_KEY)).isEqualTo(before);
        assertThat(decrypt(new ArtifactCipher(reopened), afterCiphertext, OBJECT_KEY)).isEqualTo(after);
        assertNoKeyMaterialLogged(reopened, "Rotated keyset");
    }

    @Test
    void aLocalKeysetMovesUnderKmsByRewrapAndTheMasterKeyFileCanNoLongerReadIt() throws IOException {
        KeysetStore local = KeysetStore.openOrCreate(dir.resolve("master-key.json"), dir.resolve("keyset.json"));
        local.rotate();
        byte[] plaintext = randomBytes(50_000);
        byte[] ciphertext = encrypt(new ArtifactCipher(local), plaintext, OBJECT_KEY);
        LocalMasterKey master = LocalMasterKey.open(dir.resolve("master-key.json"));
        AwsKmsKek kms = AwsKmsKek.of(AwsKmsKek.PREFIX + arn, sdk);

        KeysetStore moving = KeysetStore.openOrCreate(kms, List.of(master), dir.resolve("keyset.json"));
        assertThat(moving.rewrapPending()).isTrue();
        assertThat(moving.rewrap()).isEqualTo(master.description());

        assertThat(moving.keysetEncryptedBy()).isEqualTo(AwsKmsKek.PREFIX + arn);
        KeysetStore underKms = KeysetStore.openOrCreate(kms, List.of(), dir.resolve("keyset.json"));
        assertThat(underKms.keyIds()).isEqualTo(local.keyIds());
        assertThat(decrypt(new ArtifactCipher(underKms), ciphertext, OBJECT_KEY)).isEqualTo(plaintext);
        assertThatThrownBy(() -> KeysetStore.openOrCreate(master, List.of(), dir.resolve("keyset.json")))
                .isInstanceOf(KeyHandlingException.class);
        assertNoKeyMaterialLogged(underKms, "is encrypted by the previous key-encryption key");
    }

    @Test
    void aDisabledKmsKeyFailsWithTheKeyAndKmsReasonNamed() {
        KeysetStore.openOrCreate(AwsKmsKek.of(AwsKmsKek.PREFIX + arn, sdk), List.of(), dir.resolve("keyset.json"));
        standIn.setDisabled(arn, true);

        assertThatThrownBy(() -> KeysetStore.openOrCreate(AwsKmsKek.of(AwsKmsKek.PREFIX + arn, sdk), List.of(),
                dir.resolve("keyset.json")))
                .isInstanceOf(KeyHandlingException.class)
                .hasMessageContaining(dir.resolve("keyset.json").toString())
                .hasMessageContaining("AWS KMS Decrypt with " + arn + " failed")
                .hasMessageContaining("DisabledException: " + arn + " is disabled.");
    }

    @Test
    void theSdkAeadInteroperatesWithTinksEncryptionContextAndRefusesAnotherContext() throws Exception {
        Aead raw = new AwsKmsClients(sdk).getAead(AwsKmsKek.PREFIX + arn);
        byte[] sealed = raw.encrypt("a data key".getBytes(StandardCharsets.UTF_8), "ad".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(raw.decrypt(sealed, "ad".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("a data key");
        assertThat(standIn.requests().get(0).encryptionContext()).isEqualTo(Map.of("associatedData", "6164"));
        assertThatThrownBy(() -> raw.decrypt(sealed, "other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("InvalidCiphertextException");
        assertThat(new AwsKmsClients(sdk).doesSupport("gcp-kms://projects/x")).isFalse();
    }

    @Test
    void aKeyUriThatIsNoAwsKmsArnIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> AwsKmsKek.of("aws-kms://my-key", sdk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'aws-kms://my-key'")
                .hasMessageContaining("aws-kms://arn:aws:kms:<region>:<account>:key/<key-id>");
        assertThat(AwsKmsKek.arn("aws-kms://arn:aws:kms:eu-west-1:111122223333:alias/backbus"))
                .isEqualTo("arn:aws:kms:eu-west-1:111122223333:alias/backbus");
    }

    /** Every data key and every data key KMS unwrapped, as base64 and hex: none of it may be in a log line. */
    private void assertNoKeyMaterialLogged(KeysetStore store, String expectedLine) {
        List<String> secrets = new ArrayList<>(KeyMaterial.encodings(store));
        for (KmsStandIn.Request r : standIn.requests()) {
            if (r.operation().equals("Encrypt")) {
                String plaintext = r.body().replaceAll(".*\"Plaintext\":\"([^\"]+)\".*", "$1");
                secrets.add(plaintext);
            }
        }
        assertThat(secrets).isNotEmpty();
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        // the capture works: the store's own line is there
        assertThat(lines).anyMatch(line -> line.contains(expectedLine));
        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }
}
