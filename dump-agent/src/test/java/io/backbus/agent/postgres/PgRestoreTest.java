package io.backbus.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.agent.domain.DatabaseName;
import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.PasswordSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs PgRestore against a stand-in pg_restore script, so process handling is tested without a database. */
class PgRestoreTest {

    private static final String PASSWORD = "s3cret-Pw";

    @TempDir
    Path bin;

    private final DumpTarget target = new DumpTarget("orders", "db1", 5433, "orders", "restorer",
            new PasswordSource.FromEnvironment("ORDERS_PW"));
    private final PasswordSource.ChildCredentials credentials = target.passwordSource()
            .resolve(Map.of("ORDERS_PW", PASSWORD)::get);

    @Test
    void connectsWithAQuotedConnectionStringAndGivesThePasswordOnlyThroughTheEnvironment() throws Exception {
        fakePgRestore("""
                for a in "$@"; do printf '%%s\\n' "$a"; done > "%1$s/args"
                printf '%%s' "$PGPASSWORD" > "%1$s/pgpassword"
                echo 'pg_restore: connecting to database for restore' >&2
                echo 'pg_restore: creating TABLE "public.orders"' >&2
                echo 'pg_restore: processing data for table "public.orders"' >&2
                echo 'pg_restore: creating INDEX "public.orders_idx"' >&2
                """.formatted(bin));
        AtomicLong entries = new AtomicLong();
        DatabaseName odd = new DatabaseName("it's = \\odd");

        Optional<String> failed = new PgRestore(bin).restore(target, odd, credentials, 3, true,
                Path.of("/staging/r.restore.dump"), entries::addAndGet);

        assertThat(failed).isEmpty();
        assertThat(entries).hasValue(3);
        assertThat(Files.readAllLines(bin.resolve("args"))).containsExactly(
                "--dbname=host='db1' port='5433' user='restorer' dbname='it\\'s = \\\\odd'", "--no-password",
                "--jobs=3", "--no-owner", "--no-privileges", "--exit-on-error", "--verbose", "--clean", "--if-exists",
                "/staging/r.restore.dump");
        assertThat(Files.readString(bin.resolve("args"))).doesNotContain(PASSWORD);
        assertThat(Files.readString(bin.resolve("pgpassword"))).isEqualTo(PASSWORD);
    }

    @Test
    void withoutCleanDoesNotAskToDropAnything() {
        assertThat(new PgRestore(bin).command(target, new DatabaseName("db"), 1, false, Path.of("a")))
                .doesNotContain("--clean", "--if-exists").contains("--jobs=1");
    }

    @Test
    void reportsItsErrorsButNeverTheSqlOfTheFailingCommand() throws Exception {
        fakePgRestore("""
                echo 'pg_restore: creating TABLE "public.orders"' >&2
                echo 'pg_restore: error: could not execute query: ERROR:  relation "orders" already exists' >&2
                echo "Command was: CREATE SUBSCRIPTION s CONNECTION 'password=%s'" >&2
                echo '    PUBLICATION p;' >&2
                echo 'pg_restore: error: could not execute query: ERROR:  relation "orders" already exists' >&2
                echo 'pg_restore: warning: errors ignored on restore: 1' >&2
                exit 1
                """.formatted("leaked-" + PASSWORD));

        Optional<String> failed = new PgRestore(bin).restore(target, new DatabaseName("db"), credentials, 1, false,
                Path.of("a"), n -> { });

        assertThat(failed).contains("could not execute query: ERROR:  relation \"orders\" already exists; "
                + "warning: errors ignored on restore: 1");
        assertThat(failed.get()).doesNotContain("leaked").doesNotContain("PUBLICATION");
    }

    @Test
    void keepsTheFirstErrorsOfAFlood() {
        PgRestore.Stderr stderr = new PgRestore.Stderr(n -> { });
        stderr.accept("pg_restore: error: the cause");
        for (int i = 0; i < 1000; i++) {
            stderr.accept("pg_restore: error: follow-up " + i);
        }
        stderr.accept("pg_restore: error: " + "x".repeat(5000));

        String reason = stderr.reason(1);

        assertThat(reason).startsWith("the cause; follow-up 0;").contains("follow-up 999")
                .hasSizeLessThan(PgRestore.KEPT_LINES * (PgRestore.LINE_LIMIT + 3));
        assertThat(new PgRestore.Stderr(n -> { }).reason(2))
                .isEqualTo("pg_restore exited with status 2 and no message");
    }

    @Test
    void recoversAnErrorTornApartByAnotherProcesssOutput() {
        PgRestore.Stderr stderr = new PgRestore.Stderr(n -> { });
        // a worker's "pg_restore: " "error: " "<text>" pieces interleaved with the leader's verbose line
        stderr.accept("pg_restore: launching item 3359 TABLE DATA t.a\"b");
        stderr.accept("pg_restore: pg_restore: error: finished item 3358 TABLE DATA widgets");
        stderr.accept("could not read from input file: end of file");
        stderr.accept("pg_restore: creating CONSTRAINT \"public.orders orders_pkey\"");
        stderr.accept("    not an error: a stray line after a verbose one");
        stderr.accept("pg_restore: error: could not execute query: ERROR:  permission denied for schema x");
        stderr.accept("Command was: CREATE TABLE x.t (");
        stderr.accept("pg_restore: finished item 3360 TABLE DATA orders");
        stderr.accept("    secret_column text");
        stderr.accept("pg_restore: error: a worker process died unexpectedly");

        assertThat(stderr.reason(1)).isEqualTo("could not read from input file: end of file; could not execute "
                + "query: ERROR:  permission denied for schema x; a worker process died unexpectedly");
    }

    @Test
    void recoversAnErrorWhoseLevelWasFollowedByAnotherProcesssLine() {
        PgRestore.Stderr stderr = new PgRestore.Stderr(n -> { });
        stderr.accept("pg_restore: error: pg_restore: finished item 3358 TABLE DATA widgets");
        stderr.accept("could not read from input file: end of file");

        assertThat(stderr.reason(1)).isEqualTo("could not read from input file: end of file");
    }

    @Test
    void keepsTheContinuationLinesOfAServerError() {
        PgRestore.Stderr stderr = new PgRestore.Stderr(n -> { });
        stderr.accept("pg_restore: error: could not execute query: ERROR:  duplicate key value");
        stderr.accept("DETAIL:  Key (id)=(1) already exists.");

        assertThat(stderr.reason(1)).isEqualTo("could not execute query: ERROR:  duplicate key value; DETAIL:  Key "
                + "(id)=(1) already exists.");
    }

    @Test
    void scrubsAPasswordFromWhateverItPrints() throws Exception {
        fakePgRestore("echo 'pg_restore: error: FATAL: nonsense %s' >&2; exit 1\n".formatted(PASSWORD));

        Optional<String> failed = new PgRestore(bin).restore(target, new DatabaseName("db"), credentials, 1, false,
                Path.of("a"), n -> { });

        assertThat(failed).contains("FATAL: nonsense ****");
    }

    @Test
    void countsTheEntriesARestoreProcessesLeavingOutPrivileges() throws Exception {
        fakePgRestore("""
                cat <<'LIST'
                ;
                ; Archive created at 2026-11-23 02:00:00 UTC
                ;
                216; 1259 16394 TABLE public customers app
                3358; 0 16394 TABLE DATA public customers app
                3213; 2606 16400 CONSTRAINT public customers customers_pkey app
                3370; 0 0 ACL - SCHEMA public pg_database_owner
                3371; 826 16410 DEFAULT ACL public DEFAULT PRIVILEGES FOR TABLES app
                LIST
                """);

        assertThat(new PgRestore(bin).entries(Path.of("a"))).isEqualTo(3);
    }

    @Test
    void doesNotKnowTheEntriesOfAnArchiveItCannotList() throws Exception {
        fakePgRestore("echo 'pg_restore: error: input file is too short' >&2; exit 1\n");

        assertThat(new PgRestore(bin).entries(Path.of("a"))).isEqualTo(-1);
    }

    private void fakePgRestore(String body) throws Exception {
        Path script = bin.resolve("pg_restore");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
}
