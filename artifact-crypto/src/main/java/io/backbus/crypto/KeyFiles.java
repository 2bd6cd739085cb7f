package io.backbus.crypto;

import com.google.crypto.tink.KeysetHandle;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Set;

/** How key files are written: owner-only from the first byte, through a temp file, never half-written. */
final class KeyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private KeyFiles() {
    }

    @FunctionalInterface
    interface KeysetParser {
        KeysetHandle parse(String json) throws GeneralSecurityException;
    }

    /**
     * Writes a new key file without ever replacing one: if another process created it meanwhile, that one wins and
     * is read back, so two replicas starting together agree on one key.
     */
    static KeysetHandle createOrAdopt(Path file, String json, KeysetHandle generated, KeysetParser parser)
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

    /**
     * Replaces {@code file} with {@code json}: written and synced to a temp file beside it, {@code check}ed (read
     * back), then renamed over it in one atomic step, so a crash leaves either the old file or the new one, never a
     * mix. With {@code keepPrevious} the old content stays as {@code <file>.previous} (a hard link to the old
     * file where links work).
     */
    static void replace(Path file, String json, boolean keepPrevious, TempCheck check)
            throws IOException, GeneralSecurityException {
        Path tmp = writeOwnerOnlyTemp(file, json);
        try {
            check.check(Files.readString(tmp, StandardCharsets.UTF_8));
            if (keepPrevious && Files.exists(file)) {
                Path previous = file.resolveSibling(file.getFileName() + ".previous");
                Files.deleteIfExists(previous);
                try {
                    Files.createLink(previous, file);
                } catch (UnsupportedOperationException e) {
                    Files.copy(file, previous, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(file.getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @FunctionalInterface
    interface TempCheck {
        void check(String writtenJson) throws GeneralSecurityException;
    }

    /** A temp file beside {@code file}, created with mode 600 from the start so no key is ever world-readable. */
    static Path writeOwnerOnlyTemp(Path file, String content) throws IOException {
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
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.write(StandardCharsets.UTF_8.encode(content));
            channel.force(true);
        }
        return tmp;
    }

    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not every platform can open a directory; the rename is atomic either way
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
