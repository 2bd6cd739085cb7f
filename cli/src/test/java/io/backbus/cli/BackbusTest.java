package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ExitCode;

/** The top level of {@code backbus}: help, version, and what an unknown command or option gets. */
class BackbusTest {

    @Test
    void helpListsTheOperatorCommandsAndNoBenchmarks() {
        CommandRun run = CommandRun.of("--help");

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("Usage: backbus [-hV] [COMMAND]")
                .contains("demo", "local", "restore", "catalog", "kafka", "keys")
                .doesNotContain("bench");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        CommandRun run = CommandRun.of();

        // Backbus itself runs nothing: picocli says a subcommand is missing
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Missing required subcommand", "Usage: backbus");
    }

    @Test
    void versionIsPrinted() {
        CommandRun run = CommandRun.of("--version");

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out().strip()).isEqualTo("backbus 0.1.0");
    }

    @Test
    void benchIsNoLongerACommandOfTheCli() {
        CommandRun run = CommandRun.of("bench", "all");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unmatched arguments from index 0: 'bench', 'all'", "Usage: backbus");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandRun run = CommandRun.of("--no-such-option");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unknown option: '--no-such-option'", "Usage: backbus");
    }

    @Test
    void aMisspeltSubcommandOptionGetsTheRightOneSuggested() {
        CommandRun run = CommandRun.of("catalog", "rebuild", "--retention", "http://localhost:8084");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unknown options: '--retention', 'http://localhost:8084'",
                "Possible solutions: --retention-url");
    }

    @Test
    void groupsWithoutTheirSubcommandAreUsageErrors() {
        assertThat(CommandRun.of("catalog")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("Missing required subcommand", "rebuild");
        });
        assertThat(CommandRun.of("local")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("Missing required subcommand", "up", "down");
        });
    }

    @Test
    void subcommandHelpGoesToOut() {
        CommandRun run = CommandRun.of("restore", "--help");

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("Usage: backbus restore")
                .contains("(--backup=<backupId> | --latest=<latestOf>)", "--database=<database>");
        assertThat(run.err()).isEmpty();
    }
}
