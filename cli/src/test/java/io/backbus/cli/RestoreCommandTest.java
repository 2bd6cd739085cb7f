package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ExitCode;

/**
 * {@code backbus restore}: its argument rules, and the conversation with scheduler-service and retention-service —
 * both played by one {@link ServiceStandIn}.
 */
class RestoreCommandTest {

    private static final String BACKUP_B1 = """
            {"backupId": "b-1", "runId": "run-1", "target": "shop", "agentId": "local-agent",
             "storedAt": "2026-12-01T03:00:04Z", "status": "AVAILABLE"}""";
    private static final String VERIFIED = """
            {"id": "r-1", "state": "VERIFIED", "destinationTouched": true, "rtoMillis": 1234,
             "verification": {"tablesChecked": 4, "rowsChecked": 12501,
                              "summary": "4 tables, 12501 rows as in the backup"}}""";

    private final ServiceStandIn services = new ServiceStandIn();

    @AfterEach
    void stop() {
        services.close();
    }

    private CommandRun restore(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "restore";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--scheduler-url=" + services.url();
        all[args.length + 2] = "--retention-url=" + services.url();
        all[args.length + 3] = "--timeout=PT10S";
        return CommandRun.of(all);
    }

    // ---- arguments ----

    @Test
    void aSourceIsRequired() {
        CommandRun run = restore("--database", "shop_copy");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("Error: Missing required argument (specify one of these): "
                + "(--backup=<backupId> | --latest=<latestOf>)");
        assertThat(services.received()).isEmpty();
    }

    @Test
    void backupAndLatestAreMutuallyExclusive() {
        CommandRun run = restore("--backup", "b-1", "--latest", "shop", "--database", "shop_copy");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith(
                "Error: --backup=<backupId>, --latest=<latestOf> are mutually exclusive (specify only one)");
        assertThat(services.received()).isEmpty();
    }

    @Test
    void theDestinationDatabaseIsRequired() {
        CommandRun run = restore("--backup", "b-1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Missing required option: '--database=<database>'", "Usage: backbus restore");
        assertThat(services.received()).isEmpty();
    }

    @Test
    void valuesOfTheWrongTypeAreUsageErrors() {
        assertThat(restore("--backup", "b-1", "--database", "d", "--jobs", "two")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("Invalid value for option '--jobs': 'two' is not an int");
        });
        assertThat(CommandRun.of("restore", "--backup", "b-1", "--database", "d", "--scheduler-url",
                "http://bad host")).satisfies(run -> {
                    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(run.err()).contains("Invalid value for option '--scheduler-url'");
                });
        assertThat(services.received()).isEmpty();
    }

    @Test
    void withoutUrlsOrALocalStackItSaysWhatToPass(@TempDir Path dataDir) {
        CommandRun run = CommandRun.of("restore", "--backup", "b-1", "--database", "d", "--data-dir",
                dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus restore failed: no --scheduler-url and no local stack "
                + "state at " + dataDir.resolve("local-stack.json").toAbsolutePath()
                + " (start one with 'backbus local up', or pass --scheduler-url)");
    }

    @Test
    void anUnreachableServiceFailsWithOneLineAndNoStackTrace() {
        URI nowhere = ServiceStandIn.unreachableUrl();

        CommandRun run = CommandRun.of("restore", "--backup", "b-1", "--database", "d",
                "--scheduler-url", nowhere.toString(), "--retention-url", nowhere.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("backbus restore failed: cannot reach " + nowhere + "/backups/b-1: ")
                .doesNotEndWith("null");
        assertThat(run.err()).doesNotContain("Exception:", "\tat ");
    }

    // ---- against the stand-in ----

    @Test
    void restoresANamedBackupIntoItsOwnTargetAndPrintsTheVerifiedOutcome() {
        services.answer("GET /backups/b-1", 200, BACKUP_B1)
                .answer("POST /restores", 202, "{\"id\": \"r-1\", \"state\": \"REQUESTED\"}")
                .answer("GET /restores/r-1", 200, """
                        {"id": "r-1", "state": "RUNNING",
                         "progress": {"stage": "TRANSFER", "bytes": 1024, "totalBytes": 4096}}""")
                .answer("GET /restores/r-1", 200, VERIFIED);

        CommandRun run = restore("--backup", "b-1", "--database", "shop_copy");

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out().lines()).hasSize(4).satisfiesExactly(
                line -> assertThat(line).isEqualTo("==> restoring backup b-1 of shop (2026-12-01T03:00:04Z) into "
                        + "shop_copy on shop via agent local-agent"),
                line -> assertThat(line).startsWith("    restore VERIFIED after "),
                line -> assertThat(line).isEqualTo("    4 tables, 12501 rows as in the backup"),
                line -> assertThat(line).startsWith("restore verified: 4 tables, 12501 rows, rto=1"));
        assertThat(run.err()).isEmpty();
        assertThat(BackbusApi.JSON.readTree(services.bodyOf("POST /restores"))).isEqualTo(BackbusApi.JSON.readTree("""
                {"backupId": "b-1",
                 "destination": {"agentId": "local-agent", "target": "shop", "database": "shop_copy"},
                 "clean": false, "createDatabase": true, "jobs": 2}"""));
        assertThat(services.received()).filteredOn(r -> r.pathAndQuery().equals("/restores/r-1")).hasSize(2);
    }

    @Test
    void latestTakesTheNewestAvailableBackupAndTheOptionsReachTheRequest() {
        services.answer("GET /backups?target=shop", 200, """
                [{"backupId": "b-3", "target": "shop", "agentId": "local-agent", "status": "FAILED"},
                 {"backupId": "b-2", "target": "shop", "agentId": "local-agent", "status": "AVAILABLE",
                  "storedAt": "2026-12-02T03:00:05Z"},
                 {"backupId": "b-1", "target": "shop", "agentId": "local-agent", "status": "AVAILABLE"}]""")
                .answer("POST /restores", 202, "{\"id\": \"r-1\", \"state\": \"REQUESTED\"}")
                .answer("GET /restores/r-1", 200, VERIFIED);

        CommandRun run = restore("--latest", "shop", "--database", "scratch", "--to-agent", "dr-agent",
                "--to-target", "dr", "--clean", "--no-create", "-j", "4");

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("==> restoring backup b-2 of shop (2026-12-02T03:00:05Z) into scratch on dr "
                + "via agent dr-agent");
        assertThat(BackbusApi.JSON.readTree(services.bodyOf("POST /restores"))).isEqualTo(BackbusApi.JSON.readTree("""
                {"backupId": "b-2", "destination": {"agentId": "dr-agent", "target": "dr", "database": "scratch"},
                 "clean": true, "createDatabase": false, "jobs": 4}"""));
    }

    @Test
    void latestWithNoAvailableBackupFails() {
        services.answer("GET /backups?target=shop", 200, "[{\"backupId\": \"b-3\", \"status\": \"FAILED\"}]");

        CommandRun run = restore("--latest", "shop", "--database", "scratch");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .isEqualTo("backbus restore failed: the catalog holds no available backup of target shop");
        assertThat(services.received()).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void anUnknownBackupFailsWithTheCatalogsProblem() {
        services.problem("GET /backups/nope", 404, "{\"status\": 404, \"detail\": \"no backup nope\"}");

        CommandRun run = restore("--backup", "nope", "--database", "scratch");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus restore failed: backup nope: HTTP 404: no backup nope");
    }

    @Test
    void aRefusedRequestNamesEachFieldError() {
        services.answer("GET /backups/b-1", 200, BACKUP_B1)
                .problem("POST /restores", 400, """
                        {"status": 400, "detail": "invalid restore request",
                         "errors": [{"field": "destination.database", "message": "is not a valid database name"}]}""");

        CommandRun run = restore("--backup", "b-1", "--database", "shop copy");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus restore failed: restore refused: HTTP 400: invalid restore "
                + "request; destination.database: is not a valid database name");
    }

    @Test
    void aFailedRestoreNamesItsStageAndWhetherTheDestinationWasTouched() {
        services.answer("GET /backups/b-1", 200, BACKUP_B1)
                .answer("POST /restores", 202, "{\"id\": \"r-1\", \"state\": \"REQUESTED\"}")
                .answer("GET /restores/r-1", 200, """
                        {"id": "r-1", "state": "FAILED", "stage": "RESTORE", "destinationTouched": true,
                         "reason": "pg_restore exited 1"}""");

        CommandRun run = restore("--backup", "b-1", "--database", "shop_copy");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("    restore FAILED after ");
        assertThat(run.err().strip()).isEqualTo("backbus restore failed: restore r-1 FAILED at stage RESTORE: "
                + "pg_restore exited 1 (the destination was written to)");
    }

    @Test
    void aRestoreThatOutlastsTheTimeoutIsLeftToTheServices() {
        services.answer("GET /backups/b-1", 200, BACKUP_B1)
                .answer("POST /restores", 202, "{\"id\": \"r-1\", \"state\": \"REQUESTED\"}")
                .answer("GET /restores/r-1", 200, "{\"id\": \"r-1\", \"state\": \"RUNNING\"}");

        CommandRun run = CommandRun.of("restore", "--backup", "b-1", "--database", "shop_copy",
                "--scheduler-url", services.url().toString(), "--retention-url", services.url().toString(),
                "--timeout", "PT0.4S");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus restore failed: restore r-1 did not finish within PT0.4S; "
                + "it goes on in the services");
    }
}
