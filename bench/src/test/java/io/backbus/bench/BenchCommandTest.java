package io.backbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;

/** The command line of the benchmarks (bench/&lt;name&gt;), short of starting a stack. */
class BenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new BenchCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void usageNamesTheFiveBenchmarksAndAll() {
        assertThat(run("--help")).isEqualTo(ExitCode.OK);

        assertThat(out.toString()).startsWith("Usage: backbus bench [-hV] [COMMAND]")
                .contains("backup-throughput", "small-db-latency", "burst", "uploader-rss", "restore-throughput",
                        "all");
    }

    @Test
    void allNamesEachOfTheFive() {
        CommandLine bench = new CommandLine(new BenchCommand());
        CommandLine all = bench.getSubcommands().get("all");

        assertThat(bench.getSubcommands()).containsOnlyKeys("backup-throughput", "small-db-latency", "burst",
                "uploader-rss", "restore-throughput", "all");
        assertThat(all.getCommandSpec().usageMessage().description()).singleElement().asString()
                .contains("backup-throughput", "small-db-latency", "burst", "uploader-rss", "restore-throughput");
    }

    @Test
    void eachBenchmarkKeepsItsOptions() {
        assertThat(run("all", "--help")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).startsWith("Usage: backbus bench all [-hV] [--data-dir=<dataDir>]")
                .contains("--rows=<rows>", "--repeat=<repeat>", "--runs=<runs>", "--plans=<plans>", "--gib=<gib>",
                        "default: data/bench");
    }

    @Test
    void anUnknownBenchmarkIsAUsageError() {
        assertThat(run("throughput")).isEqualTo(ExitCode.USAGE);

        assertThat(err.toString()).contains("Unmatched argument at index 0: 'throughput'");
    }
}
