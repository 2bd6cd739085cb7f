package io.backbus.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * Latency of a small backup: sequential run-nows of one plan on a ~10 MB database, each waited to STORED. The first
 * {@code --warmup} runs after the services started are reported on their own and left out of the percentiles: they
 * pay the JVMs' class loading and JIT (≈ 4 s for the very first backup of a fresh stack), which says nothing about a
 * service that has been up for a while.
 */
@Command(name = "small-db-latency", mixinStandardHelpOptions = true,
        description = "Sequential run-nows on a small database; percentiles of requested->stored and client time.")
final class SmallDbLatency extends BenchCommand.Single {

    @Option(names = "--runs", defaultValue = "50", description = "sequential runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "runs before the measured ones, reported apart "
            + "(default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--mb", defaultValue = "10", description = "size of the table data in MiB (default: ${DEFAULT-VALUE})")
    int mib;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "per run (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    void run(Bench bench) {
        bench.line("== small-db-latency: runs=%d warmup=%d", runs, warmup);
        bench.ensureSmallDatabase(mib);
        JsonNode plan = bench.ensurePlan("bench-small-latency", Bench.SMALL_TARGET);
        for (int i = 1; i <= warmup; i++) {
            Bench.RunResult run = bench.runNowAndWait(plan.path("id").asString(), timeout);
            bench.line("warm-up run %d (not counted): %s, requested->stored %s ms", i, run.state(),
                    run.server() == null ? "-" : Long.toString(run.server().toMillis()));
        }
        List<Long> server = new ArrayList<>();
        List<Long> client = new ArrayList<>();
        int failed = 0;
        for (int i = 1; i <= runs; i++) {
            Bench.RunResult run = bench.runNowAndWait(plan.path("id").asString(), timeout);
            if (!run.stored()) {
                failed++;
                bench.line("run %d: %s", i, Bench.failure(run.run()));
                continue;
            }
            server.add(run.server().toMillis());
            client.add(run.client().toMillis());
            bench.line("run %d: requested->stored %d ms, client %d ms, %d bytes", i, run.server().toMillis(),
                    run.client().toMillis(), run.run().path("sizeBytes").asLong());
        }
        bench.line("runs stored=%d failed=%d", server.size(), failed);
        bench.line("requested->stored ms: p50=%.0f p90=%.0f p99=%.0f max=%.0f", Stats.percentile(server, 50),
                Stats.percentile(server, 90), Stats.percentile(server, 99), Stats.max(server));
        bench.line("client POST->STORED ms: p50=%.0f p90=%.0f p99=%.0f max=%.0f", Stats.percentile(client, 50),
                Stats.percentile(client, 90), Stats.percentile(client, 99), Stats.max(client));
        if (failed > 0) {
            throw new BenchException(failed + " of " + runs + " runs failed");
        }
    }
}
