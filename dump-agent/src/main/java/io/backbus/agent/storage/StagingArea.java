package io.backbus.agent.storage;

import io.backbus.agent.domain.Staging;
import io.backbus.crypto.SigningKeyFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging directory: {@code <runId><suffix>.partial} while pg_dump writes, {@code <runId><suffix>} once
 * complete, where the suffix names the format ({@code .dump.zst} for a zstd-compressed archive, {@code .dump});
 * {@code <restoreId>.restore.dump} while a restore pulls and restores an artifact (deleted when it ends).
 * Dumps are plaintext database contents, so the directory is owner-only and every file is created mode 600.
 */
public class StagingArea implements Staging {

    private static final Logger log = LoggerFactory.getLogger(StagingArea.class);
    private static final String PARTIAL = ".partial";
    /** Suffix of an artifact pulled for a restore: a plain custom-format archive {@code pg_restore -j} can seek. */
    static final String RESTORE_SUFFIX = ".restore.dump";
    static final String DEFAULT_SUFFIX = ".dump";
    static final String SIGNING_KEY_FILE = ".url-signing-key";
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final String suffix;

    private StagingArea(Path dir, String suffix) {
        this.dir = dir;
        this.suffix = suffix;
    }

    /** {@link #open(Path, String)} for files named {@code <runId>.dump}. */
    public static StagingArea open(Path dir) {
        return open(dir, DEFAULT_SUFFIX);
    }

    /**
     * Opens (creating it, owner-only, if absent) the staging directory and proves it writable.
     *
     * @param suffix what follows the run id in the names of staged files, e.g. {@code .dump.zst}
     * @throws IllegalStateException naming {@code backbus.agent.staging-dir} when it cannot be used
     */
    public static StagingArea open(Path dir, String suffix) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(absolute)) {
                Files.createDirectories(absolute,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path probe = Files.createTempFile(absolute, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IllegalStateException("backbus.agent.staging-dir " + absolute + " is not a writable directory: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        return new StagingArea(absolute, suffix);
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public Path partialFile(UUID runId) {
        return dir.resolve(runId + suffix + PARTIAL);
    }

    public Path artifactFile(UUID runId) {
        return dir.resolve(runId + suffix);
    }

    /**
     * Opens a partial file for pg_dump's output: mode 600, truncated if a crashed attempt left one, and synced to
     * disk on close so that a committed {@code staged_artifact} row never points at a half-written file.
     */
    @Override
    public OutputStream openForWrite(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), PosixFilePermissions.asFileAttribute(OWNER_RW));
        return new SyncingOutputStream(channel);
    }

    /** Where a restore stages the (decompressed) archive it pulled: {@code <restoreId>.restore.dump}. */
    @Override
    public Path restoreFile(UUID restoreId) {
        return dir.resolve(restoreId + RESTORE_SUFFIX);
    }

    /**
     * Deletes every restore file: called at start, before any restore can run, to reclaim what a restore killed
     * mid-way (crash, kill -9) left behind.
     *
     * @return how many files were deleted
     */
    @Override
    public int deleteRestoreLeftovers() {
        int deleted = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "*" + RESTORE_SUFFIX)) {
            for (Path p : leftovers) {
                try {
                    if (Files.deleteIfExists(p)) {
                        deleted++;
                        log.info("Deleted the restore file {} left by an earlier run of the agent", p);
                    }
                } catch (IOException e) {
                    log.warn("Cannot delete the leftover restore file {}: {}", p, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("Cannot list staging dir {}: {}", dir, e.getMessage());
        }
        return deleted;
    }

    /** Renames the run's partial file to its final name, replacing an earlier attempt's file. */
    @Override
    public Path promote(UUID runId) throws IOException {
        Path target = artifactFile(runId);
        try {
            return Files.move(partialFile(runId), target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(partialFile(runId), target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a staged file; false if it was already gone. */
    @Override
    public boolean delete(Path file) throws IOException {
        return Files.deleteIfExists(file);
    }

    /**
     * Deletes partial files (of any format) not written to since {@code before} (left by a crash mid-dump).
     */
    @Override
    public int deleteStalePartials(Instant before) {
        int deleted = 0;
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, "*" + PARTIAL)) {
            for (Path p : partials) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(before) && Files.deleteIfExists(p)) {
                        deleted++;
                        log.info("Deleted stale partial dump {}", p);
                    }
                } catch (IOException e) {
                    log.warn("Cannot delete stale partial dump {}: {}", p, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("Cannot list staging dir {}: {}", dir, e.getMessage());
        }
        return deleted;
    }

    /**
     * The URL-signing key kept in {@code <staging-dir>/.url-signing-key} (hex, mode 600), generated once from 32
     * random bytes when absent.
     */
    public byte[] loadOrCreateSigningKey() {
        return SigningKeyFile.loadOrCreate(dir.resolve(SIGNING_KEY_FILE), "backbus.agent.url-signing-key");
    }

    /** Writes straight to the channel (no buffering beyond the caller's) and forces it to disk on close. */
    private static final class SyncingOutputStream extends OutputStream {
        private final FileChannel channel;

        SyncingOutputStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        @Override
        public void close() throws IOException {
            if (!channel.isOpen()) {
                return;
            }
            try (channel) {
                channel.force(true);
            }
        }
    }
}
