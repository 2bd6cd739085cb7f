package io.backbus.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The embedded default KEK: a Tink AES256_GCM keyset in cleartext Tink JSON in one file, POSIX mode 600. Whoever
 * reads the file can read the keyset, so it must be backed up apart from the bucket and protected like a password.
 */
public final class LocalMasterKey implements KeyEncryptionKey {

    static {
        KeysetStore.registerTink();
    }

    private final Path file;
    private final Aead aead;

    private LocalMasterKey(Path file, Aead aead) {
        this.file = file;
        this.aead = aead;
    }

    /**
     * Opens an existing master key file.
     *
     * @throws KeyHandlingException if it does not exist or is no Tink AEAD keyset
     */
    public static LocalMasterKey open(Path file) {
        Path path = file.toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new KeyHandlingException("master key file " + path + " does not exist");
        }
        try {
            return new LocalMasterKey(path, parse(Files.readString(path, StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("master key file " + path + " is not a Tink AEAD keyset: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new KeyHandlingException("cannot read master key file " + path + ": " + e, e);
        }
    }

    /** Opens the master key file, generating it first (mode 600, directory mode 700) if it does not exist. */
    public static LocalMasterKey openOrCreate(Path file) {
        Path path = file.toAbsolutePath();
        if (Files.exists(path)) {
            return open(path);
        }
        try {
            KeysetHandle generated = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            KeysetHandle handle = KeyFiles.createOrAdopt(path,
                    TinkJsonProtoKeysetFormat.serializeKeyset(generated, InsecureSecretKeyAccess.get()), generated,
                    json -> TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
            return new LocalMasterKey(path, handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot create master key file " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KeyHandlingException("cannot write master key file " + path + ": " + e, e);
        }
    }

    private static Aead parse(String json) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get())
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    public Path file() {
        return file;
    }

    @Override
    public Aead aead() {
        return aead;
    }

    @Override
    public String description() {
        return "local master key " + file;
    }

    @Override
    public String toString() {
        return "LocalMasterKey[" + file + "]";
    }
}
