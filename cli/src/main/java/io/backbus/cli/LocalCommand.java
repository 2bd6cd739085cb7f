package io.backbus.cli;

import io.backbus.localstack.ServiceStack;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backbus local up|down}: the embedded stack for local work. */
@Command(name = "local", mixinStandardHelpOptions = true, description = "Run the embedded stack locally.",
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class})
final class LocalCommand {

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start Kafka, S3Mock, PostgreSQL and the five services; writes <data-dir>/local-stack.json.")
    static final class Up implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", defaultValue = "data", description = "default: ${DEFAULT-VALUE}")
        Path dataDir;

        @Option(names = "--detach", description = "return once everything is up and leave it running")
        boolean detach;

        @Override
        public Integer call() throws InterruptedException {
            Progress progress = new Progress(spec.commandLine().getOut());
            EmbeddedStack stack;
            try {
                stack = EmbeddedStack.start(Home.repoRoot(), dataDir, detach, progress);
            } catch (CliException | io.backbus.localstack.LocalStackException e) {
                spec.commandLine().getErr().println("backbus local up failed: " + e.getMessage());
                return 1;
            }
            stack.services().services().forEach((name, p) -> progress.line("    " + name + " " + p.baseUrl()));
            progress.line("state: " + EmbeddedStack.stateFile(stack.dataDir()));
            // the path only, never the token (ADR 0011); bin/backbus reads it from there
            progress.line("admin API token: " + ServiceStack.apiTokenFile(stack.dataDir().resolve("services")));
            if (detach) {
                progress.line("stop with: bin/backbus local down");
                return 0;
            }
            progress.line("press Ctrl-C to stop");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop a stack started with 'local up --detach'.")
    static final class Down implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", defaultValue = "data", description = "default: ${DEFAULT-VALUE}")
        Path dataDir;

        @Override
        public Integer call() {
            try {
                EmbeddedStack.stopDetached(dataDir, new Progress(spec.commandLine().getOut()));
                return 0;
            } catch (CliException e) {
                spec.commandLine().getErr().println("backbus local down failed: " + e.getMessage());
                return 1;
            }
        }
    }
}
