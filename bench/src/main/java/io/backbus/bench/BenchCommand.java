package io.backbus.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backbus bench <name>} (run by the {@code bench/<name>} scripts): the benchmarks of the streaming,
 * bounded-memory backup pipeline. Each starts the embedded stack (data under {@code ./data/bench}), prints its
 * figures as plain lines and stops the stack; {@code bench all} starts it once and runs the five in sequence.
 */
// named "backbus bench" so that usage and messages read as they did when this was a subcommand of bin/backbus
@Command(name = "backbus bench", mixinStandardHelpOptions = true,
        description = "Benchmarks on the embedded stack: backup-throughput, small-db-latency, burst, uploader-rss, "
                + "restore-throughput, all.",
        subcommands = {BackupThroughput.class, SmallDbLatency.class, Burst.class, UploaderRss.class,
                RestoreThroughput.class, BenchCommand.All.class})
public final class BenchCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    /** A benchmark runnable alone (its own stack) or as part of {@code all}. */
    abstract static class Single implements Callable<Integer> {

        @Option(names = "--data-dir", defaultValue = "data/bench", description = "where the stack keeps its data (default: ${DEFAULT-VALUE})")
        Path dataDir;

        abstract void run(Bench bench);

        @Override
        public Integer call() {
            return runAll(dataDir, List.of(this));
        }
    }

    /** Starts the stack once, runs each benchmark (going on after a failure) and stops the stack. */
    static int runAll(Path dataDir, List<Single> benchmarks) {
        long started = System.nanoTime();
        Bench bench;
        try {
            bench = Bench.start(dataDir);
        } catch (RuntimeException e) {
            System.err.println("backbus bench: cannot start the stack: " + e.getMessage());
            return 1;
        }
        List<String> failed = new ArrayList<>();
        try {
            bench.line("stack up in %.1f s", (System.nanoTime() - started) / 1e9);
            for (Single benchmark : benchmarks) {
                String name = benchmark.getClass().getAnnotation(Command.class).name();
                long start = System.nanoTime();
                try {
                    benchmark.run(bench);
                    Bench.note("== %s done in %.1f s", name, (System.nanoTime() - start) / 1e9);
                } catch (RuntimeException e) {
                    failed.add(name);
                    System.out.flush();
                    System.err.println("backbus bench " + name + " failed: " + e.getMessage());
                    System.err.println("service logs: " + bench.stack.dataDir().resolve("services").resolve("logs"));
                    if (!(e instanceof BenchException)) {
                        e.printStackTrace();
                    }
                }
            }
        } finally {
            bench.close();
        }
        if (benchmarks.size() > 1) {
            System.out.println(failed.isEmpty() ? "bench all: every benchmark ran" : "bench all: failed " + failed);
        }
        return failed.isEmpty() ? 0 : 1;
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "Start the stack once and run backup-throughput, small-db-latency, burst, uploader-rss and "
                    + "restore-throughput.")
    static final class All implements Callable<Integer> {

        @Option(names = "--data-dir", defaultValue = "data/bench", description = "default: ${DEFAULT-VALUE}")
        Path dataDir;

        @Option(names = "--rows", defaultValue = "4000000", description = "backup-throughput rows (default: ${DEFAULT-VALUE})")
        long rows;

        @Option(names = "--repeat", defaultValue = "3", description = "backup-throughput rounds (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--runs", defaultValue = "50", description = "small-db-latency runs (default: ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--plans", defaultValue = "200", description = "burst plans (default: ${DEFAULT-VALUE})")
        int plans;

        @Option(names = "--gib", defaultValue = "5", description = "uploader-rss artifact GiB (default: ${DEFAULT-VALUE})")
        double gib;

        @Override
        public Integer call() {
            var throughput = new BackupThroughput();
            throughput.rows = rows;
            throughput.repeat = repeat;
            throughput.timeout = java.time.Duration.ofMinutes(30);
            var latency = new SmallDbLatency();
            latency.runs = runs;
            latency.mib = 10;
            latency.warmup = 1;
            latency.timeout = java.time.Duration.ofMinutes(5);
            var burst = new Burst();
            burst.plans = plans;
            burst.targets = 8;
            burst.mib = 10;
            burst.timeout = java.time.Duration.ofMinutes(60);
            burst.stall = java.time.Duration.ofMinutes(5);
            var rss = new UploaderRss();
            rss.gib = gib;
            rss.timeout = java.time.Duration.ofMinutes(60);
            var restore = new RestoreThroughput();
            restore.rows = rows;
            restore.repeat = repeat;
            restore.jobs = 2;
            restore.timeout = java.time.Duration.ofMinutes(30);
            return runAll(dataDir, List.of(throughput, latency, burst, rss, restore));
        }
    }
}
