package io.backbus.crypto;

import static io.backbus.crypto.CipherRoundTrips.decrypt;
import static io.backbus.crypto.CipherRoundTrips.encrypt;
import static io.backbus.crypto.CipherRoundTrips.randomBytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysetStoreTest {

    private static final String OBJECT_KEY = "targets/orders/2026/11/23/run/artifact.enc";

    @TempDir
    Path dir;

    private KeysetStore store;
    private ArtifactCipher cipher;

    @BeforeEach
    void openStore() {
        store = KeysetStore.openOrCreate(dir.resolve("keys/master-key.json"), dir.resolve("keys/keyset.json"));
        cipher = new ArtifactCipher(store);
    }

    @Test
    void keyFilesAreOwnerOnlyAndTheKeysetIsEncrypted() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.masterKeyFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keysetFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keysetFile().getParent())))
                .isEqualTo("rwx------");

        store.rotate();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keysetFile())))
                .isEqualTo("rw-------");
        String keyset = Files.readString(store.keysetFile());
        assertThat(keyset).contains("encryptedKeyset").doesNotContain("\"value\"");
        String masterKey = Files.readString(store.masterKeyFile());
        assertThat(masterKey).contains("AesGcmKey");
        try (var files = Files.list(store.keysetFile().getParent())) {
            // beside the keys: when each was added, and the keyset as it was before the rotation
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("master-key.json",
                    "keyset.json", "keyset.created.properties", "keyset.json.previous");
        }
    }

    @Test
    void reopeningReadsTheSameKeys() throws IOException {
        byte[] plaintext = randomBytes(10_000);
        byte[] ciphertext = encrypt(cipher, plaintext, OBJECT_KEY);
        String masterKey = Files.readString(store.masterKeyFile());
        String keyset = Files.readString(store.keysetFile());

        KeysetStore reopened = KeysetStore.openOrCreate(store.masterKeyFile(), store.keysetFile());

        assertThat(reopened.primaryKeyId()).isEqualTo(store.primaryKeyId());
        assertThat(decrypt(new ArtifactCipher(reopened), ciphertext, OBJECT_KEY)).isEqualTo(plaintext);
        assertThat(Files.readString(store.masterKeyFile())).isEqualTo(masterKey);
        assertThat(Files.readString(store.keysetFile())).isEqualTo(keyset);
    }

    @Test
    void anotherMasterKeyCannotOpenTheKeyset() throws IOException {
        Path otherMaster = dir.resolve("other/master-key.json");
        KeysetStore.openOrCreate(otherMaster, dir.resolve("other/keyset.json"));

        assertThatThrownBy(() -> KeysetStore.openOrCreate(otherMaster, store.keysetFile()))
                .isInstanceOf(KeyHandlingException.class)
                .hasMessageContaining(store.keysetFile().toString());
    }

    @Test
    void refusesToCreateAMasterKeyForAnExistingKeyset() throws IOException {
        Files.delete(store.masterKeyFile());

        assertThatThrownBy(() -> KeysetStore.openOrCreate(store.masterKeyFile(), store.keysetFile()))
                .isInstanceOf(KeyHandlingException.class)
                .hasMessageContaining("master key file");
        assertThat(store.masterKeyFile()).doesNotExist();
    }

    @Test
    void toStringShowsNoKeyMaterial() throws IOException {
        String masterKey = Files.readString(store.masterKeyFile());
        String secret = masterKey.replaceAll("(?s).*\"value\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        assertThat(store.toString()).contains(store.primaryKeyId()).doesNotContain(secret);
    }

    @Test
    void rotationAddsANewPrimaryAndEveryOlderCiphertextStillDecrypts() throws IOException {
        byte[] before = randomBytes(3_000_000);
        byte[] beforeCiphertext = encrypt(cipher, before, OBJECT_KEY);
        String firstKey = store.primaryKeyId();

        String newKey = store.rotate();
        byte[] after = randomBytes(1_000_001);
        byte[] afterCiphertext = encrypt(cipher, after, OBJECT_KEY);

        assertThat(newKey).isNotEqualTo(firstKey).isEqualTo(store.primaryKeyId()).isEqualTo(cipher.keyId());
        assertThat(store.dataKeys()).extracting(DataKey::id, DataKey::status, DataKey::primary)
                .containsExactly(tuple(firstKey, "ENABLED", false), tuple(newKey, "ENABLED", true));
        assertThat(store.dataKeys()).allSatisfy(k -> assertThat(k.createdAt()).isNotNull());
        // a fresh process (the CLI, another replica) reads both from the files
        ArtifactCipher reopened = new ArtifactCipher(KeysetStore.openOrCreate(store.masterKeyFile(),
                store.keysetFile()));
        assertThat(decrypt(reopened, beforeCiphertext, OBJECT_KEY)).isEqualTo(before);
        assertThat(decrypt(reopened, afterCiphertext, OBJECT_KEY)).isEqualTo(after);
        // and the new ciphertext really is under the new key: the keyset before the rotation cannot read it
        KeysetStore old = KeysetStore.openOrCreate(store.masterKeyFile(),
                store.keysetFile().resolveSibling("keyset.json.previous"));
        assertThat(old.keyIds()).containsExactly(firstKey);
        assertThatThrownBy(() -> decrypt(new ArtifactCipher(old), afterCiphertext, OBJECT_KEY))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anotherProcessRotatingIsSeenAtTheNextUse() throws IOException {
        KeysetStore replica = KeysetStore.openOrCreate(store.masterKeyFile(), store.keysetFile());

        String newKey = replica.rotate();
        byte[] plaintext = randomBytes(5000);
        byte[] ciphertext = encrypt(new ArtifactCipher(replica), plaintext, OBJECT_KEY);

        assertThat(store.primaryKeyId()).isEqualTo(newKey);
        assertThat(decrypt(cipher, ciphertext, OBJECT_KEY)).isEqualTo(plaintext);
    }

    @Test
    void rewrapMovesTheKeysetUnderANewMasterKeyWithTheSameDataKeys() throws IOException {
        byte[] plaintext = randomBytes(20_000);
        byte[] ciphertext = encrypt(cipher, plaintext, OBJECT_KEY);
        List<String> ids = store.keyIds();
        LocalMasterKey oldMaster = LocalMasterKey.open(store.masterKeyFile());
        LocalMasterKey newMaster = LocalMasterKey.openOrCreate(dir.resolve("new/master-key.json"));

        KeysetStore moving = KeysetStore.openOrCreate(newMaster, List.of(oldMaster), store.keysetFile());
        assertThat(moving.rewrapPending()).isTrue();
        assertThat(moving.keysetEncryptedBy()).isEqualTo(oldMaster.description());
        assertThat(decrypt(new ArtifactCipher(moving), ciphertext, OBJECT_KEY)).isEqualTo(plaintext);

        assertThat(moving.rewrap()).isEqualTo(oldMaster.description());

        assertThat(moving.rewrapPending()).isFalse();
        assertThat(moving.keysetEncryptedBy()).isEqualTo(newMaster.description());
        KeysetStore underNew = KeysetStore.openOrCreate(newMaster, List.of(), store.keysetFile());
        assertThat(underNew.keyIds()).isEqualTo(ids);
        assertThat(decrypt(new ArtifactCipher(underNew), ciphertext, OBJECT_KEY)).isEqualTo(plaintext);
        assertThatThrownBy(() -> KeysetStore.openOrCreate(oldMaster, List.of(), store.keysetFile()))
                .isInstanceOf(KeyHandlingException.class).hasMessageContaining(oldMaster.description());
        // the file before the rewrap stays, still under the old master key, until the next change
        assertThat(KeysetStore.openOrCreate(oldMaster, List.of(),
                store.keysetFile().resolveSibling("keyset.json.previous")).keyIds()).isEqualTo(ids);
    }

    @Test
    void aKeysetNoKeyEncryptionKeyOpensNamesEveryOneTried() {
        LocalMasterKey a = LocalMasterKey.openOrCreate(dir.resolve("a/master-key.json"));
        LocalMasterKey b = LocalMasterKey.openOrCreate(dir.resolve("b/master-key.json"));

        assertThatThrownBy(() -> KeysetStore.openOrCreate(a, List.of(b), store.keysetFile()))
                .isInstanceOf(KeyHandlingException.class)
                .hasMessageContaining(store.keysetFile().toString())
                .hasMessageContaining(a.description()).hasMessageContaining(b.description());
    }

    @Test
    void aKeysetFromBeforeCreationTimesWereRecordedShowsThemUnknownUntilANewKeyIsAdded() throws IOException {
        Path created = store.keysetFile().resolveSibling("keyset.created.properties");
        assertThat(created).exists();
        Files.delete(created);

        KeysetStore reopened = KeysetStore.openOrCreate(store.masterKeyFile(), store.keysetFile());
        assertThat(reopened.dataKeys()).singleElement().satisfies(k -> assertThat(k.createdAt()).isNull());
        assertThat(created).doesNotExist();

        String newKey = reopened.rotate();
        assertThat(reopened.dataKeys()).extracting(DataKey::id, k -> k.createdAt() != null)
                .containsExactly(tuple(store.keyIds().get(0), false), tuple(newKey, true));
    }
}
