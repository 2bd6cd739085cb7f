package io.backbus.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The data keyset that encrypts artifacts, stored on disk encrypted by a key-encryption key (KEK).
 *
 * <p>Two files:
 * <ul>
 *   <li>the <b>master key</b> (the KEK): a Tink AEAD keyset (AES256_GCM) in cleartext Tink JSON, POSIX mode 600,
 *       generated on first use;</li>
 *   <li>the <b>data keyset</b>: a Tink StreamingAead keyset (AES256_GCM_HKDF_1MB) serialized as Tink JSON
 *       <em>encrypted with the master key</em> (associated data {@value #KEYSET_ASSOCIATED_DATA}), mode 600,
 *       generated on first use.</li>
 * </ul>
 *
 * <p>The local master key file is the embedded default only. In production the KEK would be an AWS KMS key
 * (Tink's {@code KmsEnvelopeAead} / an {@code AwsKmsClient} AEAD in place of the local one): the master key then
 * never leaves KMS and the keyset file alone is useless to whoever copies it.
 *
 * <p>{@link #rotate()} adds a new primary key and keeps the old ones, so every backup ever written stays
 * decryptable. Key material is never logged nor put in exception messages; {@link #toString()} names the files
 * and the primary key id only.
 *
 * <p>Thread-safe. Several processes must not rotate the same files concurrently (last writer wins).
 */
public final class KeysetStore {

    /** Associated data binding the encrypted keyset to its purpose. */
    public static final String KEYSET_ASSOCIATED_DATA = "backbus-keyset";

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final byte[] ASSOCIATED_DATA = KEYSET_ASSOCIATED_DATA.getBytes(StandardCharsets.UTF_8);

    static {
        try {
            AeadConfig.register();
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path masterKeyFile;
    private final Path keysetFile;
    private final Aead masterKey;
    private volatile Keys keys;

    private KeysetStore(Path masterKeyFile, Path keysetFile, Aead masterKey, KeysetHandle keyset)
            throws GeneralSecurityException {
        this.masterKeyFile = masterKeyFile;
        this.keysetFile = keysetFile;
        this.masterKey = masterKey;
        this.keys = Keys.of(keyset);
    }

    /**
     * Opens the master key and the encrypted data keyset, creating either that does not exist yet (and their
     * directories, mode 700).
     *
     * @throws KeyHandlingException when a file cannot be read or written, the keyset does not decrypt with the
     *                              master key, or the keyset exists while its master key is missing (a new master
     *                              key would make every existing backup unreadable, so that is never done)
     */
    public static KeysetStore openOrCreate(Path masterKeyFile, Path keysetFile) {
        try {
            Path master = masterKeyFile.toAbsolutePath();
            Path keyset = keysetFile.toAbsolutePath();
            if (!Files.exists(master) && Files.exists(keyset)) {
                throw new KeyHandlingException("keyset file " + keyset + " exists but its master key file " + master
                        + " is missing; refusing to create a new master key that could not decrypt it");
            }
            Aead kek = openOrCreateMasterKey(master);
            KeysetHandle handle = openOrCreateKeyset(keyset, kek);
            return new KeysetStore(master, keyset, kek, handle);
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot open keyset " + keysetFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KeyHandlingException("cannot read or write key files " + masterKeyFile + ", " + keysetFile
                    + ": " + e, e);
        }
    }

    /**
     * Adds a freshly generated key, makes it the primary (it encrypts from now on) and rewrites the keyset file.
     * Older keys stay in the keyset so older ciphertexts still decrypt.
     *
     * @return the new primary key id
     */
    public synchronized String rotate() {
        try {
            KeysetHandle current = keys.handle();
            KeysetHandle rotated = KeysetHandle.newBuilder(current)
                    .addEntry(KeysetHandle.generateEntryFromParameters(
                            PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB).withRandomId().makePrimary())
                    .build();
            writeReplacing(keysetFile, TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(rotated, masterKey,
                    ASSOCIATED_DATA));
            keys = Keys.of(rotated);
            return primaryKeyId();
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot rotate keyset " + keysetFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KeyHandlingException("cannot write keyset " + keysetFile + ": " + e, e);
        }
    }

    /** Id of the primary key (the one encrypting now) as an unsigned decimal, e.g. {@code 1932402213}. */
    public String primaryKeyId() {
        return keys.primaryKeyId();
    }

    /** Ids of every key in the keyset, oldest first. */
    public List<String> keyIds() {
        KeysetHandle handle = keys.handle();
        List<String> ids = new ArrayList<>(handle.size());
        for (int i = 0; i < handle.size(); i++) {
            ids.add(Integer.toUnsignedString(handle.getAt(i).getId()));
        }
        return List.copyOf(ids);
    }

    public Path masterKeyFile() {
        return masterKeyFile;
    }

    public Path keysetFile() {
        return keysetFile;
    }

    /** The current primitive together with the id of the primary key it encrypts with. */
    Keys keys() {
        return keys;
    }

    @Override
    public String toString() {
        return "KeysetStore[keyset=" + keysetFile + ", primaryKeyId=" + primaryKeyId() + "]";
    }

    private static Aead openOrCreateMasterKey(Path file) throws IOException, GeneralSecurityException {
        KeysetHandle handle;
        if (Files.exists(file)) {
            handle = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file, StandardCharsets.UTF_8),
                    InsecureSecretKeyAccess.get());
        } else {
            KeysetHandle generated = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            handle = createOrAdopt(file,
                    TinkJsonProtoKeysetFormat.serializeKeyset(generated, InsecureSecretKeyAccess.get()), generated,
                    json -> TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
        }
        return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    private static KeysetHandle openOrCreateKeyset(Path file, Aead kek) throws IOException, GeneralSecurityException {
        KeysetParser parser = json -> TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, kek, ASSOCIATED_DATA);
        if (Files.exists(file)) {
            return parser.parse(Files.readString(file, StandardCharsets.UTF_8));
        }
        KeysetHandle generated = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
        return createOrAdopt(file, TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(generated, kek, ASSOCIATED_DATA),
                generated, parser);
    }

    /**
     * Writes a new key file without ever replacing one: if another process created it meanwhile, that one wins and
     * is read back, so two replicas starting together agree on one key.
     */
    private static KeysetHandle createOrAdopt(Path file, String json, KeysetHandle generated, KeysetParser parser)
            throws IOException, GeneralSecurityException {
        Path tmp = writeOwnerOnlyTemp(file, json);
        try {
            // link(2) fails atomically if the name exists, unlike rename(2) which would replace it
            Files.createLink(file, tmp);
            return generated;
        } catch (FileAlreadyExistsException e) {
            return parser.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (UnsupportedOperationException e) {
            Files.move(tmp, file);
            return generated;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeReplacing(Path file, String json) throws IOException {
        Path tmp = writeOwnerOnlyTemp(file, json);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A temp file beside {@code file}, created with mode 600 from the start so no key is ever world-readable. */
    private static Path writeOwnerOnlyTemp(Path file, String json) throws IOException {
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            if (posix()) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        FileAttribute<?>[] attributes = posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes);
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        return tmp;
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @FunctionalInterface
    private interface KeysetParser {
        KeysetHandle parse(String json) throws GeneralSecurityException;
    }

    /** An immutable snapshot: rotation swaps the whole snapshot, so a primitive and its key id always agree. */
    record Keys(KeysetHandle handle, StreamingAead streamingAead, String primaryKeyId) {
        static Keys of(KeysetHandle handle) throws GeneralSecurityException {
            return new Keys(handle, handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class),
                    Integer.toUnsignedString(handle.getPrimary().getId()));
        }

        @Override
        public String toString() {
            return "Keys[primaryKeyId=" + primaryKeyId + "]";
        }
    }
}
