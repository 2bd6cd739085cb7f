package io.backbus.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data keyset that encrypts artifacts, stored on disk encrypted by a {@link KeyEncryptionKey} (KEK).
 *
 * <ul>
 *   <li>the <b>data keyset</b>: a Tink StreamingAead keyset (AES256_GCM_HKDF_1MB) serialized as Tink JSON
 *       <em>encrypted with the KEK</em> (associated data {@value #KEYSET_ASSOCIATED_DATA}), mode 600, generated on
 *       first use;</li>
 *   <li>the <b>KEK</b>: a local master key file ({@link LocalMasterKey}, the embedded default) or an AWS KMS key
 *       ({@link AwsKmsKek}), whose key never leaves KMS;</li>
 *   <li>beside the keyset, {@code <keyset>.created.properties}: when each key was added (not secret) and, after the
 *       first change, {@code <keyset-file>.previous}: the keyset as it was before the last rotation or rewrap.</li>
 * </ul>
 *
 * <p>{@link #rotate()} adds a new primary key and keeps the old ones, so every backup ever written stays
 * decryptable; {@link #rewrap()} encrypts the same keys again under the current KEK (after a move from the local
 * master key to KMS, say). A keyset still encrypted by one of the {@code previous} KEKs it was opened with works as
 * usual and says so ({@link #rewrapPending()}). Both write a temp file, read it back with the KEK, and rename it
 * over the old one atomically.
 *
 * <p>Several processes may share the files: each notices when the keyset file was replaced (another replica
 * rotated) the next time it opens a stream, and reads it again. Two processes must not rotate at the same moment
 * (last writer wins). Key material is never logged nor put in exception messages; {@link #toString()} names the file
 * and the primary key id only.
 *
 * <p>Thread-safe.
 */
public final class KeysetStore {

    /** Associated data binding the encrypted keyset to its purpose. */
    public static final String KEYSET_ASSOCIATED_DATA = "backbus-keyset";

    private static final Logger log = LoggerFactory.getLogger(KeysetStore.class);
    private static final byte[] ASSOCIATED_DATA = KEYSET_ASSOCIATED_DATA.getBytes(StandardCharsets.UTF_8);
    private static final long RELOAD_RETRY_NANOS = 30_000_000_000L;

    static {
        registerTink();
    }

    static void registerTink() {
        try {
            AeadConfig.register();
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path keysetFile;
    private final Path createdFile;
    private final KeyEncryptionKey kek;
    private final List<KeyEncryptionKey> previous;
    private final Path masterKeyFile;
    private final Clock clock;
    private volatile Keys keys;
    private volatile Loaded loaded;
    private long failedReloadAt;
    private Object failedStamp;

    private KeysetStore(Path keysetFile, KeyEncryptionKey kek, List<KeyEncryptionKey> previous, Clock clock,
            Loaded loaded) throws GeneralSecurityException {
        this.keysetFile = keysetFile;
        this.createdFile = keysetFile.resolveSibling(baseName(keysetFile) + ".created.properties");
        this.kek = kek;
        this.previous = previous;
        this.masterKeyFile = kek instanceof LocalMasterKey local ? local.file() : null;
        this.clock = clock;
        this.loaded = loaded;
        this.keys = Keys.of(loaded.handle());
    }

    /**
     * Opens the local master key and the encrypted data keyset, creating either that does not exist yet (and their
     * directories, mode 700).
     *
     * @throws KeyHandlingException when a file cannot be read or written, the keyset does not decrypt with the
     *                              master key, or the keyset exists while its master key is missing (a new master
     *                              key would make every existing backup unreadable, so that is never done)
     */
    public static KeysetStore openOrCreate(Path masterKeyFile, Path keysetFile) {
        return openOrCreate(localMasterKeyFor(masterKeyFile, keysetFile), List.of(), keysetFile);
    }

    /**
     * The local master key of {@code keysetFile}: opened, or generated if neither file exists yet.
     *
     * @throws KeyHandlingException if the keyset exists but the master key file does not
     */
    public static LocalMasterKey localMasterKeyFor(Path masterKeyFile, Path keysetFile) {
        Path master = masterKeyFile.toAbsolutePath();
        Path keyset = keysetFile.toAbsolutePath();
        if (!Files.exists(master) && Files.exists(keyset)) {
            throw new KeyHandlingException("keyset file " + keyset + " exists but its master key file " + master
                    + " is missing; refusing to create a new master key that could not decrypt it");
        }
        return LocalMasterKey.openOrCreate(master);
    }

    /**
     * Opens the data keyset encrypted by {@code kek} or, failing that, by one of {@code previous} (a KEK being moved
     * away from: the keyset then works as usual until {@link #rewrap()} encrypts it under {@code kek}); creates it,
     * encrypted by {@code kek}, if the file does not exist.
     *
     * @throws KeyHandlingException naming every KEK tried when none decrypts the keyset, or the file cannot be
     *                              read or written
     */
    public static KeysetStore openOrCreate(KeyEncryptionKey kek, List<KeyEncryptionKey> previous, Path keysetFile) {
        return openOrCreate(kek, previous, keysetFile, Clock.systemUTC());
    }

    static KeysetStore openOrCreate(KeyEncryptionKey kek, List<KeyEncryptionKey> previous, Path keysetFile,
            Clock clock) {
        Objects.requireNonNull(kek, "kek");
        Path file = keysetFile.toAbsolutePath();
        List<KeyEncryptionKey> before = List.copyOf(previous);
        try {
            Loaded loaded;
            boolean created = false;
            if (Files.exists(file)) {
                loaded = load(file, kek, before);
            } else {
                KeysetHandle generated = KeysetHandle.generateNew(
                        PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
                String json = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(generated, kek.aead(),
                        ASSOCIATED_DATA);
                KeysetHandle handle = KeyFiles.createOrAdopt(file, json, generated,
                        j -> TinkJsonProtoKeysetFormat.parseEncryptedKeyset(j, kek.aead(), ASSOCIATED_DATA));
                loaded = new Loaded(handle, kek, stamp(file));
                created = handle == generated; // not when another process created it first
            }
            KeysetStore store = new KeysetStore(file, kek, before, clock, loaded);
            if (created) {
                store.recordCreated(store.keys.primaryKeyId(), clock.instant());
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot open keyset " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KeyHandlingException("cannot read or write keyset " + file + ": " + e, e);
        }
    }

    /**
     * Adds a freshly generated key, makes it the primary (it encrypts from now on) and rewrites the keyset file,
     * encrypted by the current KEK (so a pending rewrap is done too). Older keys stay in the keyset so older
     * ciphertexts still decrypt.
     *
     * @return the new primary key id
     */
    public synchronized String rotate() {
        refreshIfChanged();
        try {
            KeysetHandle rotated = KeysetHandle.newBuilder(keys.handle())
                    .addEntry(KeysetHandle.generateEntryFromParameters(
                            PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB).withRandomId().makePrimary())
                    .build();
            write(rotated);
            String id = keys.primaryKeyId();
            recordCreated(id, clock.instant());
            log.info("Rotated keyset {}: new primary key {}, {} keys, encrypted by {}", keysetFile, id,
                    rotated.size(), kek.description());
            return id;
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot rotate keyset " + keysetFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KeyHandlingException("cannot write keyset " + keysetFile + ": " + e, e);
        }
    }

    /**
     * Encrypts the keyset again under the current KEK, keys unchanged: after the KEK setting moved (local master key
     * to KMS, one KMS key to another), or to re-encrypt under the newest backing key of a rotated KMS key.
     *
     * @return the KEK that encrypted the keyset before (the one after is {@link #keyEncryptionKey()})
     */
    public synchronized String rewrap() {
        refreshIfChanged();
        String before = loaded.wrappedBy().description();
        try {
            write(keys.handle());
            log.info("Rewrapped keyset {}: was encrypted by {}, now by {}; keys unchanged ({})", keysetFile, before,
                    kek.description(), keyIds());
            return before;
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot rewrap keyset " + keysetFile + " under " + kek.description()
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KeyHandlingException("cannot write keyset " + keysetFile + ": " + e, e);
        }
    }

    /** Id of the primary key (the one encrypting now) as an unsigned decimal, e.g. {@code 1932402213}. */
    public String primaryKeyId() {
        return keys().primaryKeyId();
    }

    /** Ids of every key in the keyset, oldest first. */
    public List<String> keyIds() {
        return dataKeys().stream().map(DataKey::id).toList();
    }

    /** Every key of the keyset, oldest first: id, status, primary, creation time. Never key material. */
    public List<DataKey> dataKeys() {
        KeysetHandle handle = keys().handle();
        Properties created = readCreated();
        List<DataKey> list = new ArrayList<>(handle.size());
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry entry = handle.getAt(i);
            String id = Integer.toUnsignedString(entry.getId());
            list.add(new DataKey(id, entry.getStatus().toString(), entry.isPrimary(),
                    parseInstant(created.getProperty(id))));
        }
        return List.copyOf(list);
    }

    /** The KEK new writes are encrypted by. */
    public KeyEncryptionKey keyEncryptionKey() {
        return kek;
    }

    /** Description of the KEK the keyset file is encrypted by now (a previous one until {@link #rewrap()}). */
    public String keysetEncryptedBy() {
        refreshIfChanged();
        return loaded.wrappedBy().description();
    }

    /** Whether the keyset file is still encrypted by a previous KEK. */
    public boolean rewrapPending() {
        refreshIfChanged();
        return loaded.wrappedBy() != kek;
    }

    /** The local master key file, or null when the KEK is not one (KMS). */
    public Path masterKeyFile() {
        return masterKeyFile;
    }

    public Path keysetFile() {
        return keysetFile;
    }

    /** The current primitive together with the id of the primary key it encrypts with. */
    Keys keys() {
        refreshIfChanged();
        return keys;
    }

    @Override
    public String toString() {
        return "KeysetStore[keyset=" + keysetFile + ", primaryKeyId=" + keys.primaryKeyId() + "]";
    }

    private void write(KeysetHandle handle) throws IOException, GeneralSecurityException {
        String json = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(handle, kek.aead(), ASSOCIATED_DATA);
        KeyFiles.replace(keysetFile, json, true, written -> {
            // read back what was written, with the KEK, before it replaces the keyset that works
            KeysetHandle back = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(written, kek.aead(), ASSOCIATED_DATA);
            if (back.size() != handle.size() || back.getPrimary().getId() != handle.getPrimary().getId()) {
                throw new GeneralSecurityException("the keyset read back differs from the one written");
            }
        });
        loaded = new Loaded(handle, kek, stamp(keysetFile));
        keys = Keys.of(handle);
    }

    /** Reads the keyset again if another process replaced the file (a rotation on another replica). */
    private void refreshIfChanged() {
        Object stamp;
        try {
            stamp = stamp(keysetFile);
        } catch (IOException e) {
            return; // keep the keys held; writing will say what is wrong
        }
        if (stamp.equals(loaded.stamp())) {
            return;
        }
        synchronized (this) {
            if (stamp.equals(loaded.stamp())) {
                return;
            }
            if (stamp.equals(failedStamp) && System.nanoTime() - failedReloadAt < RELOAD_RETRY_NANOS) {
                return;
            }
            try {
                Loaded reloaded = load(keysetFile, kek, previous);
                keys = Keys.of(reloaded.handle());
                loaded = reloaded;
                failedStamp = null;
                log.info("Keyset {} changed on disk: read it again (primary key {}, {} keys)", keysetFile,
                        keys.primaryKeyId(), reloaded.handle().size());
            } catch (IOException | GeneralSecurityException | KeyHandlingException e) {
                failedStamp = stamp;
                failedReloadAt = System.nanoTime();
                log.warn("Keyset {} changed on disk but cannot be read ({}); going on with the keys read before "
                        + "(primary key {})", keysetFile, e.getMessage(), keys.primaryKeyId());
            }
        }
    }

    private static Loaded load(Path file, KeyEncryptionKey kek, List<KeyEncryptionKey> previous)
            throws IOException, GeneralSecurityException {
        Object stamp = stamp(file);
        String json = Files.readString(file, StandardCharsets.UTF_8);
        List<String> failures = new ArrayList<>();
        List<KeyEncryptionKey> candidates = new ArrayList<>();
        candidates.add(kek);
        candidates.addAll(previous);
        for (KeyEncryptionKey candidate : candidates) {
            try {
                KeysetHandle handle = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, candidate.aead(),
                        ASSOCIATED_DATA);
                if (candidate != kek) {
                    log.warn("Keyset {} is encrypted by the previous key-encryption key {}, not by {}: rewrap it "
                            + "(POST /keys/rewrap, or 'backbus keys rewrap')", file, candidate.description(),
                            kek.description());
                }
                return new Loaded(handle, candidate, stamp);
            } catch (GeneralSecurityException e) {
                failures.add(candidate.description() + ": " + e.getMessage());
            }
        }
        throw new GeneralSecurityException("it does not decrypt with " + String.join("; nor with ", failures));
    }

    /** Identity of the file's current version: a rename of a new file changes its inode, whatever the clock. */
    private static Object stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
    }

    private synchronized void recordCreated(String keyId, Instant at) {
        Properties created = readCreated();
        created.setProperty(keyId, at.toString());
        StringWriter out = new StringWriter();
        new TreeMap<>(created).forEach((k, v) -> out.append(k.toString()).append('=').append(v.toString())
                .append('\n'));
        try {
            KeyFiles.replace(createdFile, "# when each key of " + keysetFile.getFileName()
                    + " was added (not secret)\n" + out, false, written -> { });
        } catch (IOException | GeneralSecurityException e) {
            // informational only: the keyset is what matters, and it is written
            log.warn("Cannot record the creation time of key {} in {}: {}", keyId, createdFile, e.getMessage());
        }
    }

    private Properties readCreated() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(createdFile, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            // no times recorded yet
        } catch (IOException e) {
            log.warn("Cannot read key creation times from {}: {}", createdFile, e.getMessage());
        }
        return p;
    }

    private static Instant parseInstant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** The keyset as read, which KEK decrypted it, and the file version it came from. */
    private record Loaded(KeysetHandle handle, KeyEncryptionKey wrappedBy, Object stamp) {
        @Override
        public String toString() {
            return "Loaded[" + wrappedBy.description() + "]";
        }
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
