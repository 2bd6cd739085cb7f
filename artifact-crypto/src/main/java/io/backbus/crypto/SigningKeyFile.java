package io.backbus.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A URL-signing key for {@link UrlSigner} kept in a file as hex (mode 600), generated once from 32 random bytes
 * when absent: the agent's (in its staging directory) and the uploader's (beside its keyset). Two replicas starting
 * together on a shared volume agree on one key: the file is created by a link, never replaced.
 */
public final class SigningKeyFile {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final int KEY_BYTES = 32;

    private SigningKeyFile() {
    }

    /**
     * The key in {@code file}, created first if it does not exist.
     *
     * @param property the setting that replaces the file, for the error message
     * @throws IllegalStateException naming the file (never the key) when it cannot be read, written or parsed
     */
    public static byte[] loadOrCreate(Path file, String property) {
        Path path = file.toAbsolutePath();
        try {
            if (!Files.exists(path)) {
                create(path);
            }
            if (posix()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
                if (!OWNER_RW.containsAll(perms)) {
                    log.warn("URL-signing key {} was readable by others ({}); setting mode 600", path,
                            PosixFilePermissions.toString(perms));
                    Files.setPosixFilePermissions(path, EnumSet.copyOf(OWNER_RW));
                }
            }
            byte[] key = HexFormat.of().parseHex(Files.readString(path, StandardCharsets.US_ASCII).strip());
            if (key.length < 16) {
                throw new IllegalArgumentException("too short");
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or create the URL-signing key " + path + " (set " + property
                    + " or fix the file): " + e.getClass().getSimpleName(), e);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        FileAttribute<?>[] mode = posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_RW)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", mode);
        try {
            Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
            // a link, not a rename: never replace a key another start created meanwhile (its URLs are out there)
            Files.createLink(file, tmp);
            log.info("Generated a new URL-signing key in {}", file);
        } catch (FileAlreadyExistsException raced) {
            // keep the existing key
        } catch (UnsupportedOperationException noLinks) {
            Files.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
