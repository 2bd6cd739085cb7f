package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
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
    void streamsStdoutIntoTheStagingFileWithItsDigestAndGivesThePasswordOnlyThroughTheEnvironment() throws Exception {
        fakePgDump("""
                echo "$@" > "%1$s/args"
                printf '%%s' "$PGPASSWORD" > "%1$s/pgpassword"
                printf 'hello dump'
                """.formatted(bin));
        Path partial = staging.resolve("run.dump.partial");

        DumpOutcome outcome = pgDump(PgDumpTest::writeFile).dump(target, partial);

        assertThat(outcome).isInstanceOf(DumpOutcome.Dumped.class);
        var dumped = (DumpOutcome.Dumped) outcome;
        assertThat(Files.readString(partial)).isEqualTo("hello dump");
        assertThat(dumped.sizeBytes()).isEqualTo(10);
        assertThat(dumped.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("hello dump".getBytes(StandardCharsets.UTF_8))));
        assertThat(dumped.dumpToolVersion()).isEqualTo("pg_dump (PostgreSQL) 15.99");
        assertThat(dumped.serverVersion()).as("not a real archive").isEqualTo("unknown");
        assertThat(Files.readString(bin.resolve("args")).strip())
                .isEqualTo("-Fc -h db1 -p 5433 -U backup -d orders --no-password")
                .doesNotContain(PASSWORD);
        assertThat(Files.readString(bin.resolve("pgpassword"))).isEqualTo(PASSWORD);
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

        DumpOutcome outcome = new PgDump(bin, name -> null, Clock.systemUTC(), PgDumpTest::writeFile)
                .dump(target, staging.resolve("x.partial"));

        assertThat(outcome).isEqualTo(new DumpOutcome.Failed("no password for target 'orders': environment "
                + "variable ORDERS_PW (named by password-env) is not set", false));
        assertThat(bin.resolve("ran")).doesNotExist();
    }

    @Test
    void passesOnlyThisTargetsLibpqSettingsToTheChild() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", "/bin", "PGHOST", "elsewhere",
                "PGPASSWORD", "inherited"));

        PgDump.childEnvironment(env, Map.of("PGPASSFILE", "/etc/backbus/pgpass"));

        assertThat(env).containsEntry("PATH", "/bin").containsEntry("PGPASSFILE", "/etc/backbus/pgpass")
                .containsEntry("LC_ALL", "C").doesNotContainKeys("PGHOST", "PGPASSWORD");
    }

    private PgDump pgDump(PgDump.StagingWriter writer) {
        return new PgDump(bin, Map.of("ORDERS_PW", PASSWORD)::get, Clock.systemUTC(), writer);
    }

    private static java.io.OutputStream writeFile(Path file) throws IOException {
        return Files.newOutputStream(file);
    }

    private void fakePgDump(String body) throws IOException {
        Path script = bin.resolve("pg_dump");
        Files.writeString(script, """
                #!/bin/sh
                if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 15.99"; exit 0; fi
                """ + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
}
