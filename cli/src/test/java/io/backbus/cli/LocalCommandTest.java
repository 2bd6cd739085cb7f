package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ExitCode;

/** {@code backbus local up|down} and {@code backbus demo}, up to the point where they would start the stack. */
class LocalCommandTest {

    @Test
    void downWithoutAStateFileHasNothingToStop(@TempDir Path dataDir) {
        CommandRun run = CommandRun.of("local", "down", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus local down failed: no local stack state at "
                + dataDir.resolve("local-stack.json") + " (nothing to stop)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void upOutsideACheckoutSaysWhereToRunIt(@TempDir Path notACheckout) {
        CommandRun run = outsideACheckout(notACheckout, "local", "up", "--data-dir",
                notACheckout.resolve("data").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus local up failed: not a Backbus checkout: " + notACheckout
                + " (run bin/backbus from the checkout)");
    }

    @Test
    void demoOutsideACheckoutSaysWhereToRunIt(@TempDir Path notACheckout) {
        CommandRun run = outsideACheckout(notACheckout, "demo", "--data-dir", notACheckout.resolve("data").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus demo failed: not a Backbus checkout: " + notACheckout
                + " (run bin/backbus from the checkout)");
    }

    @Test
    void demoTimeoutMustBeAnIsoDuration() {
        CommandRun run = CommandRun.of("demo", "--timeout", "5m");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Invalid value for option '--timeout'", "Usage: backbus demo");
    }

    @Test
    void upRejectsAnUnknownOption() {
        assertThat(CommandRun.of("local", "up", "--detached")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("Unknown option: '--detached'", "Possible solutions: --detach");
        });
        assertThat(CommandRun.of("local", "up", "--quiet")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("Unknown option: '--quiet'", "Usage: backbus local up");
        });
    }

    /** Runs the command with {@code -Dbackbus.home} (as bin/backbus sets it) pointing at a directory. */
    private static CommandRun outsideACheckout(Path home, String... args) {
        String before = System.getProperty("backbus.home");
        System.setProperty("backbus.home", home.toString());
        try {
            return CommandRun.of(args);
        } finally {
            if (before == null) {
                System.clearProperty("backbus.home");
            } else {
                System.setProperty("backbus.home", before);
            }
        }
    }
}
