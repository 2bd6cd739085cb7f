package io.backbus.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import io.backbus.agent.domain.DumpCompression;
import io.backbus.agent.domain.DumpObserver;
import io.backbus.agent.domain.DumpOutcome;
import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.FailureReason;
import io.backbus.agent.domain.PasswordSource;
import io.backbus.agent.domain.StagingWriter;
import java.io.ByteArrayInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs PgDump against a stand-in pg_dump script, so process handling is tested without a database. */
class PgDumpTest {

    private static final String PASSWORD = "s3cret-Pw";

    @TempDir
    Path bin;
    @TempDir
    Path staging;

    private final DumpTarget target = new DumpTarget("orders", "db1", 5433, "orders", "backup",
            new PasswordSource.FromEnvironment("ORDERS_PW"));

    @Test
    void compressesStdoutWithZstdIntoTheStagingFileWithItsDigestAndGivesThePasswordOnlyThroughTheEnvironment()
            throws Exception {
        fakePgDump("""
                echo "$@" > "%1$s/args"
                printf '%%s' "$PGPASSWORD" > "%1$s/pgpassword"
                printf 'hello dump'
                """.formatted(bin));
        Path partial = staging.resolve("run.dump.zst.partial");
        Counting observer = new Counting();

        DumpOutcome outcome = pgDump(PgDumpTest::writeFile).dump(target, partial, observer);

        assertThat(outcome).isInstanceOf(DumpOutcome.Dumped.class);
        var dumped = (DumpOutcome.Dumped) outcome;
        byte[] staged = Files.readAllBytes(partial);
        assertThat(unzstd(staged)).isEqualTo("hello dump".getBytes(StandardCharsets.UTF_8));
        assertThat(dumped.sizeBytes()).as("size of the compressed bytes served").isEqualTo(staged.length);
        assertThat(dumped.sha256()).as("digest of the compressed bytes served").isEqualTo(sha256(staged));
        assertThat(dumped.dumpedBytes()).isEqualTo(10);
        assertThat(observer.read).isEqualTo(10);
        assertThat(observer.staged).isEqualTo(staged.length);
        assertThat(observer.stagingFile).as("told once the staging file exists").isEqualTo(partial);
        assertThat(observer.stagedWhenStarted).as("before any byte was staged").isZero();
        assertThat(observer.dumpStartedAt).as("the instant the manifest states").isSameAs(dumped.startedAt());
        assertThat(dumped.dumpToolVersion()).isEqualTo("pg_dump (PostgreSQL) 15.99");
        assertThat(dumped.serverVersion()).as("not a real archive").isEqualTo("unknown");
        assertThat(Files.readString(bin.resolve("args")).strip())
                .isEqualTo("-Fc -Z0 -h db1 -p 5433 -U backup -d orders --no-password")
                .doesNotContain(PASSWORD);
        assertThat(Files.readString(bin.resolve("pgpassword"))).isEqualTo(PASSWORD);
    }

    @Test
    void withCodecNoneStagesPgDumpsOwnOutputAsIs() throws Exception {
        fakePgDump("""
                echo "$@" > "%1$s/args"
                printf 'hello dump'
                """.formatted(bin));
        Path partial = staging.resolve("run.dump.partial");

        var dumped = (DumpOutcome.Dumped) new PgDump(bin, Map.of("ORDERS_PW", PASSWORD)::get, Clock.systemUTC(),
                PgDumpTest::writeFile, DumpCompression.none(), "agent-1").dump(target, partial);

        assertThat(Files.readString(partial)).isEqualTo("hello dump");
        assertThat(dumped.sizeBytes()).isEqualTo(10).isEqualTo(dumped.dumpedBytes());
        assertThat(dumped.sha256()).isEqualTo(sha256("hello dump".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(bin.resolve("args")).strip())
                .isEqualTo("-Fc -h db1 -p 5433 -U backup -d orders --no-password");
    }

    @Test
    void copiesMegabytesOfStdoutWhilePgDumpFloodsStderrWithoutDeadlocking() throws Exception {
        // 8 x (512 KiB stdout + 256 KiB stderr): both pipes (64 KiB) would fill if either were not drained
        fakePgDump("""
                i=0
                while [ $i -lt 8 ]; do
                  head -c 524288 /dev/urandom
                  head -c 262144 /dev/zero | tr '\\0' 'e' >&2
                  i=$((i+1))
                done
                """);
        Path partial = staging.resolve("big.dump.zst.partial");
        Counting observer = new Counting();

        var dumped = (DumpOutcome.Dumped) pgDump(PgDumpTest::writeFile).dump(target, partial, observer);

        assertThat(dumped.dumpedBytes()).isEqualTo(8 * 524288L).isEqualTo(observer.read);
        assertThat(unzstd(Files.readAllBytes(partial))).hasSize(8 * 524288);
        assertThat(dumped.sizeBytes()).isEqualTo(Files.size(partial)).isEqualTo(observer.staged);
    }

    @Test
    void refusesToDumpWithAPgDumpOlderThanTheServer() throws Exception {
        fakePgDump("touch \"%s/ran\"\n".formatted(bin));
        fakeTool("psql", """
                echo "$@" > "%1$s/psql-args"
                printf '%%s' "$PGPASSWORD" > "%1$s/psql-pgpassword"
                echo 160002
                """.formatted(bin));

        DumpOutcome outcome = pgDump(PgDumpTest::writeFile).dump(target, staging.resolve("x.partial"));

        assertThat(outcome).isEqualTo(new DumpOutcome.Failed("pg_dump 15.99 is older than the server (16.2): "
                + "install pg_dump 16 or newer on agent 'agent-1'", false));
        assertThat(bin.resolve("ran")).as("no dump attempted").doesNotExist();
        assertThat(Files.readString(bin.resolve("psql-args")).strip())
                .isEqualTo("-X -A -t -q -h db1 -p 5433 -U backup -d orders --no-password -c show server_version_num");
        assertThat(Files.readString(bin.resolve("psql-pgpassword"))).isEqualTo(PASSWORD);
    }

    @Test
    void dumpsAServerOfTheSameOrAnOlderMajorVersion() throws Exception {
        fakePgDump("printf 'ok'\n");
        for (String server : List.of("150002", "150099", "140010", "90624")) {
            fakeTool("psql", "echo " + server + "\n");

            assertThat(pgDump(PgDumpTest::writeFile).dump(target, staging.resolve("x.partial")))
                    .as("server " + server).isInstanceOf(DumpOutcome.Dumped.class);
        }
    }

    @Test
    void leavesItToPgDumpToReportAServerThatCannotBeAsked() throws Exception {
        fakePgDump("""
                echo 'pg_dump: error: connection to server at "db1", port 5433 failed: Connection refused' >&2
                exit 1
                """);
        fakeTool("psql", """
                echo 'psql: error: connection to server at "db1", port 5433 failed: Connection refused' >&2
                exit 2
                """);

        var failed = (DumpOutcome.Failed) pgDump(PgDumpTest::writeFile).dump(target, staging.resolve("x.partial"));

        assertThat(failed.reason()).startsWith("pg_dump: error: connection to server at");
        assertThat(failed.retryable()).isTrue();
    }

    @Test
    void asksPgDumpForItsVersionOnce() throws Exception {
        fakePgDump("printf 'ok'\n");
        Files.writeString(bin.resolve("pg_dump"), Files.readString(bin.resolve("pg_dump")).replace(
                "then echo", "then echo x >> \"" + bin + "/version-asked\"; echo"));
        PgDump pgDump = pgDump(PgDumpTest::writeFile);

        pgDump.dump(target, staging.resolve("a.partial"));
        pgDump.dump(target, staging.resolve("b.partial"));

        assertThat(pgDump.toolVersion()).isEqualTo("pg_dump (PostgreSQL) 15.99");
        assertThat(Files.readAllLines(bin.resolve("version-asked"))).hasSize(1);
    }

    @Test
    void reportsPgDumpsStderrScrubbedAndDeletesThePartialFile() throws Exception {
        fakePgDump("""
                printf 'partial bytes'
                echo 'pg_dump: error: connection to server at "db1", port 5433 failed: FATAL:  password authentication failed for user "backup" (%s)' >&2
                exit 1
                """.formatted(PASSWORD));
        Path partial = staging.resolve("run.dump.partial");

        DumpOutcome outcome = pgDump(PgDumpTest::writeFile).dump(target, partial);

        assertThat(outcome).isEqualTo(new DumpOutcome.Failed("pg_dump: error: connection to server at \"db1\", "
                + "port 5433 failed: FATAL:  password authentication failed for user \"backup\" (****)", false));
        assertThat(partial).doesNotExist();
    }

    @Test
    void keepsOnlyTheTailOfAFloodOfStderr() throws Exception {
        fakePgDump("""
                head -c 100000 /dev/zero | tr '\\0' 'w' >&2
                echo >&2
                echo 'pg_dump: error: connection to server at "db1", port 5433 failed: Connection refused' >&2
                exit 1
                """);

        var failed = (DumpOutcome.Failed) pgDump(PgDumpTest::writeFile).dump(target, staging.resolve("x.partial"));

        assertThat(failed.reason()).hasSizeLessThanOrEqualTo(FailureReason.MAX_LENGTH);
        assertThat(failed.retryable()).isTrue();
    }

    @Test
    void reportsAFullStagingDiskNamingTheDirectoryAndDeletesThePartialFile() throws Exception {
        fakePgDump("head -c 1000000 /dev/zero\n");
        Path partial = Files.createFile(staging.resolve("run.dump.partial"));

        // /dev/full fails every write with ENOSPC, like a full staging volume
        DumpOutcome outcome = pgDump(file -> new FileOutputStream("/dev/full")).dump(target, partial);

        assertThat(outcome).isInstanceOf(DumpOutcome.Failed.class);
        var failed = (DumpOutcome.Failed) outcome;
        assertThat(failed.reason()).isEqualTo("cannot write the dump to staging dir " + staging
                + ": no space left on device");
        assertThat(failed.retryable()).isTrue();
        assertThat(partial).doesNotExist();
    }

    @Test
    void failsWithoutRunningPgDumpWhenThePasswordVariableIsUnset() throws Exception {
        fakePgDump("touch \"%s/ran\"\n".formatted(bin));

        DumpOutcome outcome = new PgDump(bin, name -> null, Clock.systemUTC(), PgDumpTest::writeFile,
                DumpCompression.zstd(3, 0), "agent-1").dump(target, staging.resolve("x.partial"));

        assertThat(outcome).isEqualTo(new DumpOutcome.Failed("no password for target 'orders': environment "
                + "variable ORDERS_PW (named by password-env) is not set", false));
        assertThat(bin.resolve("ran")).doesNotExist();
    }

    @Test
    void passesOnlyThisTargetsLibpqSettingsToTheChild() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", "/bin", "PGHOST", "elsewhere",
                "PGPASSWORD", "inherited"));

        PgEnvironment.of(new PasswordSource.ChildCredentials(Map.of("PGPASSFILE", "/etc/backbus/pgpass"), List.of()))
                .applyTo(env);

        assertThat(env).containsEntry("PATH", "/bin").containsEntry("PGPASSFILE", "/etc/backbus/pgpass")
                .containsEntry("LC_ALL", "C").doesNotContainKeys("PGHOST", "PGPASSWORD");
    }

    @Test
    void handsAnExportedSnapshotToPgDumpOnItsCommandLine() {
        assertThat(pgDump(PgDumpTest::writeFile).command(target, "00000003-0000001B-1"))
                .endsWith("--no-password", "--snapshot=00000003-0000001B-1");
        assertThat(pgDump(PgDumpTest::writeFile).command(target)).noneMatch(a -> a.startsWith("--snapshot"));
    }

    private PgDump pgDump(StagingWriter writer) {
        return new PgDump(bin, Map.of("ORDERS_PW", PASSWORD)::get, Clock.systemUTC(), writer,
                DumpCompression.zstd(3, 0), "agent-1");
    }

    /** Counts what PgDump reports. */
    private static final class Counting implements DumpObserver {
        long read;
        long staged;
        Path stagingFile;
        Instant dumpStartedAt;
        long stagedWhenStarted = -1;

        @Override
        public void stagingStarted(Path file, Instant startedAt) {
            assertThat(stagingFile).as("called once").isNull();
            assertThat(file).exists();
            stagingFile = file;
            dumpStartedAt = startedAt;
            stagedWhenStarted = staged;
        }

        @Override
        public void read(long bytes) {
            read += bytes;
        }

        @Override
        public void staged(long bytes) {
            staged += bytes;
        }
    }

    private static byte[] unzstd(byte[] compressed) throws IOException {
        try (var in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static java.io.OutputStream writeFile(Path file) throws IOException {
        return Files.newOutputStream(file);
    }

    private void fakePgDump(String body) throws IOException {
        fakeTool("pg_dump", """
                if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 15.99"; exit 0; fi
                """ + body);
    }

    private void fakeTool(String name, String body) throws IOException {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
}
