package io.backbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * Backup throughput against the floor: per round, {@code pg_dump -Fc -Z0} to nowhere (a), {@code pg_dump -Fc} with
 * its default gzip to a file (b), and a Backbus backup of the same database through the services (c).
 */
@Command(name = "backup-throughput", mixinStandardHelpOptions = true,
        description = "pg_dump -Z0 (floor) vs pg_dump gzip vs a Backbus backup of the same database, interleaved.")
final class BackupThroughput extends BenchCommand.Single {

    @Option(names = "--rows", defaultValue = "4000000", description = "rows of bench_events.events (default: ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--repeat", defaultValue = "3", description = "rounds (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "per Backbus backup (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    void run(Bench bench) {
        bench.line("== backup-throughput: rows=%d repeat=%d", rows, repeat);
        bench.ensureEventsDatabase(rows);
        JsonNode plan = bench.ensurePlan("bench-throughput", Bench.EVENTS_TARGET);
        Path work = bench.stack.dataDir().resolve("bench-work");
        Path file = work.resolve("bench_events.dump");
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Long> bSize = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        List<Double> cClient = new ArrayList<>();
        List<Long> cSize = new ArrayList<>();
        List<Long> cPlain = new ArrayList<>();
        try {
            Files.createDirectories(work);
            for (int round = 1; round <= repeat; round++) {
                Duration z0 = bench.pgDump(Bench.EVENTS_DB, List.of("-Fc", "-Z0"));
                a.add(z0.toNanos() / 1e9);
                bench.line("round %d (a) pg_dump -Fc -Z0 > /dev/null: %s s", round, Bench.seconds(z0));

                Files.deleteIfExists(file);
                Duration gz = bench.pgDump(Bench.EVENTS_DB, List.of("-Fc", "-f", file.toString()));
                long gzSize = Files.size(file);
                Files.deleteIfExists(file);
                b.add(gz.toNanos() / 1e9);
                bSize.add(gzSize);
                bench.line("round %d (b) pg_dump -Fc (gzip-6) -f file: %s s, %d bytes", round, Bench.seconds(gz), gzSize);

                Bench.RunResult run = bench.runNowAndWait(plan.path("id").asString(), timeout, 500);
                if (!run.stored()) {
                    throw new BenchException(Bench.failure(run.run()));
                }
                JsonNode entry = bench.awaitCatalogEntry(Bench.EVENTS_TARGET, run.runId(), Duration.ofSeconds(60));
                long size = entry.path("ciphertextSize").asLong();
                c.add(run.server().toNanos() / 1e9);
                cClient.add(run.client().toNanos() / 1e9);
                cSize.add(size);
                cPlain.add(entry.path("plaintextSize").asLong());
                bench.line("round %d (c) backbus run %s: requested->stored %s s, client POST->STORED %s s, "
                        + "%d bytes stored (%d bytes artifact)", round, run.runId(), Bench.seconds(run.server()),
                        Bench.seconds(run.client()), size, entry.path("plaintextSize").asLong());
            }
        } catch (IOException e) {
            throw new BenchException("cannot use " + work + ": " + e.getMessage(), e);
        }
        double ma = Stats.median(a);
        double mb = Stats.median(b);
        double mc = Stats.median(c);
        double sb = Stats.median(bSize);
        double sc = Stats.median(cSize);
        bench.line("median (a) pg_dump -Z0: %.3f s", ma);
        bench.line("median (b) pg_dump gzip: %.3f s", mb);
        bench.line("median (c) backbus requested->stored: %.3f s (client POST->STORED %.3f s)", mc,
                Stats.median(cClient));
        bench.line("size (b) pg_dump gzip: %.0f bytes; size (c) backbus stored: %.0f bytes (artifact %.0f bytes)", sb,
                sc, Stats.median(cPlain));
        bench.line("ratio_floor=%.3f speedup_vs_gzip=%.3f size_ratio=%.3f", mc / ma, mb / mc, sc / sb);
    }
}
