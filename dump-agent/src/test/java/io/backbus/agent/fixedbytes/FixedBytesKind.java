package io.backbus.agent.fixedbytes;

import io.backbus.agent.domain.ArchiveRestorer;
import io.backbus.agent.domain.DatabaseName;
import io.backbus.agent.domain.DumpCompression;
import io.backbus.agent.domain.DumpObserver;
import io.backbus.agent.domain.DumpOutcome;
import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.PasswordSource;
import io.backbus.agent.domain.TargetDumper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;

/**
 * A test-only backup kind: a target of kind {@value #KIND} "dumps" the fixed byte string {@link #CONTENT}, and its
 * restore writes the received bytes into table {@code public.fixed_bytes} of the destination database, where the
 * restore's row-count check (from the manifest) and the test read them back. It touches only what
 * docs/architecture.md's walk "a new backup kind" names for the agent: a {@link TargetDumper} and an
 * {@link ArchiveRestorer} of one format; the uploader, bucket and catalog carry it unchanged.
 *
 * <p>Not in the agent's jar: the build packages this package as {@code dump-agent-*-fixed-bytes-kind.jar}, which
 * the system tests put on the agent's {@code loader.path}. The agent's own ITs see it on their classpath too.
 */
@Component
public class FixedBytesKind implements TargetDumper, ArchiveRestorer {

    public static final String KIND = "fixed-bytes";
    public static final String FORMAT = "fixed-bytes-v1";
    /** What every backup of the kind holds. */
    public static final String CONTENT = "backbus fixed-bytes kind: the same bytes through agent, uploader, bucket "
            + "and catalog, and back";
    static final String TABLE = "public.fixed_bytes";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public DumpCompression compression() {
        return DumpCompression.none();
    }

    @Override
    public DumpOutcome dump(DumpTarget target, Path partialFile, DumpObserver observer) {
        byte[] content = CONTENT.getBytes(StandardCharsets.UTF_8);
        Instant started = Instant.now();
        try (FileChannel out = FileChannel.open(partialFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            observer.stagingStarted(partialFile, started);
            out.write(java.nio.ByteBuffer.wrap(content));
            out.force(true);
        } catch (IOException e) {
            deleteQuietly(partialFile);
            return new DumpOutcome.Failed("cannot stage the fixed bytes: " + e.getMessage(), true);
        }
        observer.read(content.length);
        observer.staged(content.length);
        return new DumpOutcome.Dumped(sha256(content), content.length, content.length, "none", "fixed-bytes 1",
                started, Instant.now(), Map.of(TABLE, 1L));
    }

    @Override
    public long entries(Path archive) {
        return 1;
    }

    @Override
    public Optional<String> restore(DumpTarget target, DatabaseName database,
            PasswordSource.ChildCredentials credentials, int jobs, boolean clean, Path archive,
            LongConsumer entryDone) {
        try (Connection c = connect(target, database, credentials); Statement st = c.createStatement()) {
            if (clean) {
                st.execute("drop table if exists " + TABLE);
            }
            st.execute("create table " + TABLE + " (content bytea not null)");
            try (PreparedStatement insert = c.prepareStatement("insert into " + TABLE + " values (?)")) {
                insert.setBytes(1, Files.readAllBytes(archive));
                insert.executeUpdate();
            }
            entryDone.accept(1);
            return Optional.empty();
        } catch (SQLException | IOException e) {
            return Optional.of("fixed-bytes restore failed: " + e.getMessage());
        }
    }

    private static Connection connect(DumpTarget target, DatabaseName database,
            PasswordSource.ChildCredentials credentials) throws SQLException {
        DumpTarget on = new DumpTarget(target.name(), target.host(), target.port(), database.name(), target.user(),
                target.passwordSource(), target.kind());
        Properties props = new Properties();
        props.setProperty("user", target.user());
        String password = target.passwordSource().jdbcPassword(on, credentials);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + target.host() + ":" + target.port() + "/"
                + URLEncoder.encode(database.name(), StandardCharsets.UTF_8), props);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the janitor removes stale partial files
        }
    }
}
