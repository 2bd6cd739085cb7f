package io.backbus.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs small shell scripts through the {@link ToolRunner}. */
class ToolRunnerTest {

    private final ToolRunner runner = new ToolRunner();

    @TempDir
    Path dir;

    @Test
    void returnsStdoutOfASuccessfulTool() throws Exception {
        Path tool = script("echo hello; echo noise >&2");

        assertThat(runner.output(ToolCommand.of(tool, List.of()), 1024)).isEqualTo("hello\n");
    }

    @Test
    void boundsTheStdoutItReturnsAndStillLetsTheToolFinish() throws Exception {
        Path tool = script("head -c 1000000 /dev/zero");

        assertThat(runner.output(ToolCommand.of(tool, List.of()), 10)).hasSize(10);
    }

    @Test
    void reportsANonZeroExitWithItsStatusAndStderrTailMaskingSecrets() throws Exception {
        Path tool = script("echo \"bad password $SECRET_PW\" >&2; exit 3");
        ChildEnvironment env = ChildEnvironment.inherited().with("SECRET_PW", "hunter2")
                .masking(List.of("hunter2"));

        assertThatThrownBy(() -> runner.output(ToolCommand.of(tool, List.of()).withEnvironment(env), 1024))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ToolException.Kind.FAILED);
                    assertThat(e.exitCode()).contains(3);
                    assertThat(e.stderrTail()).isEqualTo("bad password ****\n");
                    assertThat(e.getMessage()).isEqualTo(tool.getFileName() + " exited with status 3: bad password ****");
                });
    }

    @Test
    void keepsOnlyTheTailOfAFloodOfStderr() throws Exception {
        Path tool = script("head -c 100000 /dev/zero | tr '\\0' 'w' >&2; echo >&2; echo the-cause >&2; exit 1");

        assertThatThrownBy(() -> runner.output(ToolCommand.of(tool, List.of()).withStderrTail(1024), 16))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.stderrTail()).hasSizeLessThanOrEqualTo(1024).endsWith("the-cause\n");
                });
    }

    @Test
    void handsEveryStderrLineToTheConsumer() throws Exception {
        Path tool = script("echo one >&2; echo two >&2");
        List<String> lines = new ArrayList<>();

        try (RunningTool running = runner.start(ToolCommand.of(tool, List.of())
                .withStdout(ToolCommand.Stdout.DISCARD).withStderrLines(lines::add))) {
            running.finish();
        }

        assertThat(lines).containsExactly("one", "two");
    }

    @Test
    void killsTheWholeProcessTreeOnTimeout() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path tool = script("sleep 60 & echo $! > " + pidFile + "; wait");

        long started = System.nanoTime();
        assertThatThrownBy(() -> runner.output(ToolCommand.of(tool, List.of())
                .withTimeout(Duration.ofMillis(500)), 1024))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ToolException.Kind.TIMED_OUT);
                    assertThat(e.getMessage()).contains("did not finish within PT0.5S");
                });

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("the sleep child").isFalse();
    }

    @Test
    void cancelKillsTheToolAndFinishSaysSo() throws Exception {
        Path tool = script("sleep 60");

        try (RunningTool running = runner.start(ToolCommand.of(tool, List.of()))) {
            running.cancel();
            assertThatThrownBy(running::finish).isInstanceOfSatisfying(ToolException.class,
                    e -> assertThat(e.kind()).isEqualTo(ToolException.Kind.CANCELLED));
        }
    }

    @Test
    void reportsAProgramThatCannotBeStarted() {
        assertThatThrownBy(() -> runner.start(ToolCommand.of(dir.resolve("missing"), List.of())))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ToolException.Kind.NOT_STARTED);
                    assertThat(e.getMessage()).startsWith("cannot run " + dir.resolve("missing"));
                });
    }

    @Test
    void givesTheChildItsOwnEnvironment() throws Exception {
        Path tool = script("echo \"$PGHOST|$LC_ALL|$PATH\"");
        ChildEnvironment env = ChildEnvironment.inherited().dropping("PG").with("LC_ALL", "C");

        Map<String, String> applied = new HashMap<>(Map.of("PGHOST", "elsewhere", "PATH", "/bin"));
        env.applyTo(applied);

        assertThat(applied).containsEntry("PATH", "/bin").containsEntry("LC_ALL", "C").doesNotContainKey("PGHOST");
        assertThat(runner.output(ToolCommand.of(tool, List.of()).withEnvironment(env), 1024))
                .startsWith("|C|");
    }

    @Test
    void showsTheEnvironmentWithSecretValuesMasked() {
        ChildEnvironment env = ChildEnvironment.inherited().dropping("PG").with("PGPASSWORD", "hunter2")
                .masking(List.of("hunter2"));

        assertThat(ToolCommand.of(Path.of("/bin/pg_dump"), List.of("-d", "orders")).withEnvironment(env))
                .hasToString("/bin/pg_dump -d orders with [PGPASSWORD=****] without inherited PG*");
    }

    private Path script(String body) throws IOException {
        Path script = Files.createTempFile(dir, "tool", ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
