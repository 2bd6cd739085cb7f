package io.backbus.bench;

import io.backbus.cli.BackbusApi;
import io.backbus.cli.EmbeddedStack;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.localstack.PostgresCluster;
import io.backbus.localstack.ServiceStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import tools.jackson.databind.JsonNode;

/**
 * Restore time against the tools alone, on the same dump: one Backbus backup of the benchmark database is taken and
 * its stored artifact decrypted to a file (the zstd-compressed {@code pg_dump -Fc -Z0} the agent made). Per round,
 * interleaved: (a) {@code zstd -dc file | pg_restore -d db} (one stream, one job: what a script does), (a2)
 * {@code zstd -d} to a file then {@code pg_restore -j <jobs>}, (b) a Backbus evented restore of that backup with
 * {@code -j <jobs>}: request → uploader check pass → transfer → pg_restore → row-count verification, timed by the
 * scheduler (RTO).
 */
@Command(name = "restore-throughput", mixinStandardHelpOptions = true,
        description = "zstd -dc | pg_restore vs a Backbus evented restore (RTO) of the same dump, interleaved.")
final class RestoreThroughput extends BenchCommand.Single {

    @Option(names = "--rows", defaultValue = "4000000", description = "rows of bench_events.events (default: ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--repeat", defaultValue = "3", description = "rounds (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--jobs", defaultValue = "2", description = "pg_restore -j for (a2) and Backbus (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "per restore (default: ${DEFAULT-VALUE})")
    Duration timeout;

    private static final String DB_A = "bench_restore_a";
    private static final String DB_A2 = "bench_restore_a2";
    private static final String DB_B = "bench_restore_b";

    @Override
    void run(Bench bench) {
        bench.line("== restore-throughput: rows=%d repeat=%d jobs=%d", rows, repeat, jobs);
        bench.ensureEventsDatabase(rows);
        JsonNode plan = bench.ensurePlan("bench-throughput", Bench.EVENTS_TARGET);
        Bench.RunResult run = bench.runNowAndWait(plan.path("id").asString(), timeout, 500);
        if (!run.stored()) {
            throw new BenchException(Bench.failure(run.run()));
        }
        JsonNode backup = bench.awaitCatalogEntry(Bench.EVENTS_TARGET, run.runId(), Duration.ofSeconds(60));
        Path work = bench.stack.dataDir().resolve("bench-work");
        Path compressed = work.resolve("restore-bench.dump.zst");
        Path plain = work.resolve("restore-bench.dump");
        List<Double> a = new ArrayList<>();
        List<Double> a2 = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> bAgent = new ArrayList<>();
        try {
            Files.createDirectories(work);
            decryptStoredArtifact(bench, backup, compressed);
            bench.line("backup %s: %d bytes stored, artifact %d bytes (zstd) decrypted to %s", backup.path("backupId")
                    .asString(), backup.path("ciphertextSize").asLong(), Files.size(compressed), compressed);
            for (int round = 1; round <= repeat; round++) {
                createEmpty(bench, DB_A);
                Duration pipe = shell(bench, "zstd -dc '" + compressed + "' | " + pgRestore(bench, DB_A, 1, ""));
                a.add(pipe.toNanos() / 1e9);
                bench.line("round %d (a) zstd -dc | pg_restore: %s s", round, Bench.seconds(pipe));
                drop(bench, DB_A);

                createEmpty(bench, DB_A2);
                Files.deleteIfExists(plain);
                Duration parallel = shell(bench, "zstd -q -d '" + compressed + "' -o '" + plain + "' && "
                        + pgRestore(bench, DB_A2, jobs, "'" + plain + "'"));
                Files.deleteIfExists(plain);
                a2.add(parallel.toNanos() / 1e9);
                bench.line("round %d (a2) zstd -d to file, pg_restore -j %d: %s s", round, jobs,
                        Bench.seconds(parallel));
                drop(bench, DB_A2);

                drop(bench, DB_B);
                JsonNode restore = evented(bench, backup.path("backupId").asString());
                double rto = restore.path("rtoMillis").asLong() / 1000.0;
                double agent = restore.path("durationMillis").asLong() / 1000.0;
                b.add(rto);
                bAgent.add(agent);
                bench.line("round %d (b) backbus restore %s: rto %.3f s (agent: pull + pg_restore + verify %.3f s), "
                        + "%s", round, restore.path("id").asString(), rto, agent,
                        restore.path("verification").path("summary").asString());
                drop(bench, DB_B);
            }
        } catch (IOException e) {
            throw new BenchException("cannot use " + work + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(compressed);
                Files.deleteIfExists(plain);
            } catch (IOException ignored) {
                // bench scratch files
            }
        }
        double ma = Stats.median(a);
        double ma2 = Stats.median(a2);
        double mb = Stats.median(b);
        bench.line("median (a) zstd -dc | pg_restore: %.3f s", ma);
        bench.line("median (a2) zstd -d + pg_restore -j %d: %.3f s", jobs, ma2);
        bench.line("median (b) backbus evented restore, request -> verified (RTO): %.3f s (agent part %.3f s)", mb,
                Stats.median(bAgent));
        bench.line("restore_ratio=%.3f restore_ratio_parallel=%.3f", mb / ma, mb / ma2);
    }

    /** The stored object, downloaded and decrypted with the uploader's keyset: the artifact the agent made. */
    private static void decryptStoredArtifact(Bench bench, JsonNode backup, Path into) throws IOException {
        Path services = bench.stack.dataDir().resolve("services");
        var cipher = new ArtifactCipher(KeysetStore.openOrCreate(ServiceStack.masterKeyFile(services),
                ServiceStack.keysetFile(services)));
        String key = backup.path("objectKey").asString();
        try (InputStream object = bench.s3Client().getObject(GetObjectRequest.builder()
                .bucket(EmbeddedStack.BUCKET).key(key).build());
             InputStream plaintext = cipher.decryptingStream(object, key)) {
            Files.copy(plaintext, into, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private JsonNode evented(Bench bench, String backupId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("backupId", backupId);
        body.put("destination", Map.of("agentId", EmbeddedStack.AGENT_ID, "target", Bench.EVENTS_TARGET,
                "database", DB_B));
        body.put("clean", false);
        body.put("createDatabase", true);
        body.put("jobs", jobs);
        BackbusApi.Answer answer = bench.api.requestRestore(body);
        if (!answer.ok()) {
            throw new BenchException("restore refused: " + answer.problem());
        }
        String id = answer.body().path("id").asString();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            BackbusApi.Answer r = bench.api.restore(id);
            String state = r.ok() ? r.body().path("state").asString() : "";
            if (state.equals("VERIFIED")) {
                return r.body();
            }
            if (state.equals("FAILED")) {
                throw new BenchException("restore " + id + " FAILED at stage " + r.body().path("stage").asString()
                        + ": " + r.body().path("reason").asString());
            }
            Bench.sleep(500);
        }
        throw new BenchException("restore " + id + " did not finish within " + timeout);
    }

    /** A pg_restore command line as the demo role (password from PGPASSWORD), reading {@code file} or stdin. */
    private static String pgRestore(Bench bench, String database, int jobs, String file) {
        PostgresCluster pg = bench.postgres();
        return "'" + PostgresCluster.binDir().resolve("pg_restore") + "' --no-owner --exit-on-error -h " + pg.host()
                + " -p " + pg.port() + " -U " + EmbeddedStack.DEMO_ROLE + " -w -d " + database
                + (jobs > 1 ? " -j " + jobs : "") + (file.isEmpty() ? "" : " " + file);
    }

    private static Duration shell(Bench bench, String command) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", bench.stack.demoPassword());
        try {
            long start = System.nanoTime();
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            int exit = p.waitFor();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (exit != 0) {
                throw new BenchException("'" + command + "' exited " + exit + ": " + output.trim());
            }
            return took;
        } catch (IOException e) {
            throw new BenchException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    private static void createEmpty(Bench bench, String database) {
        drop(bench, database);
        bench.postgres().execute("postgres", "create database " + database + " owner " + EmbeddedStack.DEMO_ROLE);
    }

    private static void drop(Bench bench, String database) {
        bench.postgres().execute("postgres", "drop database if exists " + database + " with (force)");
    }
}
