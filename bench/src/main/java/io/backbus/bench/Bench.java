package io.backbus.bench;

import io.backbus.cli.BackbusApi;
import io.backbus.cli.EmbeddedStack;
import io.backbus.cli.Home;
import io.backbus.localstack.PostgresCluster;
import io.backbus.repository.S3Properties;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * One started embedded stack shared by the benchmarks, with the agent targets they dump ({@value #EVENTS_TARGET}
 * and {@value #SMALL_TARGET}) and the helpers they share: pg_dump timing, plans, runs and the catalog.
 */
final class Bench implements AutoCloseable {

    static final String EVENTS_TARGET = "bench";
    static final String EVENTS_DB = "bench_events";
    static final String SMALL_TARGET = "bench-small";
    static final String SMALL_DB = "bench_small";
    /** Further target names for {@value #SMALL_DB}, so that a burst can spread over several targets. */
    static final int BURST_TARGETS = 8;
    /** Once a year: a plan left behind fires again only if a stack runs a year later (missed slots catch up). */
    static final String RARE_CRON = "0 3 1 1 *";

    private static final Set<String> FINAL = Set.of("STORED", "VERIFIED", "FAILED");

    final EmbeddedStack stack;
    final BackbusApi api;
    final PrintStream out;

    private Bench(EmbeddedStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
        this.api = new BackbusApi(stack.services().url("scheduler-service"), stack.services().url("retention-service"),
                stack.services().apiToken());
    }

    static Bench start(Path dataDir) {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put(EVENTS_TARGET, EVENTS_DB);
        targets.put(SMALL_TARGET, SMALL_DB);
        for (int i = 1; i <= BURST_TARGETS; i++) {
            targets.put(burstTarget(i), SMALL_DB);
        }
        try {
            return new Bench(EmbeddedStack.start(Home.repoRoot(), dataDir, System.out, targets), System.out);
        } catch (io.backbus.localstack.LocalStackException e) {
            // on a busy machine a service can miss local-stack's 120 s health deadline: try once more
            if (e.getMessage() == null || !e.getMessage().contains("timed out")) {
                throw e;
            }
            note("the stack did not come up (%s); trying once more",
                    e.getMessage().lines().findFirst().orElse(""));
            return new Bench(EmbeddedStack.start(Home.repoRoot(), dataDir, System.out, targets), System.out);
        }
    }

    /** The i-th (1-based) burst target: another name for the small database. */
    static String burstTarget(int i) {
        return SMALL_TARGET + "-" + i;
    }

    PostgresCluster postgres() {
        return stack.postgres();
    }

    /** A client of the stack's S3 server, with the settings the services get; the caller closes it. */
    S3Client s3Client() {
        return new S3Properties(stack.s3().endpoint(), "us-east-1", "backbus-local", "backbus-local", true)
                .clientBuilder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    void line(String format, Object... args) {
        out.println(args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
        out.flush();
    }

    // ---- PostgreSQL ----

    boolean databaseExists(String name) {
        return queryLong("postgres", "select count(*) from pg_database where datname = '" + name + "'") > 0;
    }

    /** A single number from a query, or -1 when the query fails (missing database or table). */
    long queryLong(String database, String sql) {
        try (Connection c = postgres().connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Drops and creates {@code database} owned by the demo role (so the agent's targets can dump it). */
    void recreateDatabase(String database) {
        postgres().execute("postgres", "drop database if exists " + database + " with (force)");
        postgres().execute("postgres", "create database " + database + " owner " + EmbeddedStack.DEMO_ROLE);
    }

    /** Runs SQL in {@code database} as the demo role. */
    void executeAsOwner(String database, String sql) {
        postgres().execute(database, "set role " + EmbeddedStack.DEMO_ROLE + "; " + sql);
    }

    /** The benchmark database of the pipeline issue ({@value #EVENTS_DB}, table events), created if absent. */
    void ensureEventsDatabase(long rows) {
        long have = queryLong(EVENTS_DB, "select count(*) from events");
        if (have == rows) {
            line("database %s: reused, %d rows", EVENTS_DB, have);
        } else {
            line("creating database %s with %d rows (had %s)", EVENTS_DB, rows, have < 0 ? "none" : have);
            long start = System.nanoTime();
            recreateDatabase(EVENTS_DB);
            executeAsOwner(EVENTS_DB, "create table events as select g as id, md5(random()::text) || ' ' || "
                    + "md5(random()::text) as payload,\n"
                    + "  now() - random()*interval '365 days' as ts, (random()*1e6)::numeric(12,2) as amount,\n"
                    + "  jsonb_build_object('user', 'u' || (random()*100000)::int, 'n', (random()*1000)::int,\n"
                    + "    'tag', (array['alpha','beta','gamma','delta'])[1+(random()*3)::int]) as doc\n"
                    + "from generate_series(1, " + rows + ") g;\n"
                    + "alter table events add primary key (id); create index on events(ts);");
            // set hint bits and statistics now, so the first measured dump does not pay for them
            postgres().execute(EVENTS_DB, "vacuum analyze events");
            line("    created in %.1f s", (System.nanoTime() - start) / 1e9);
        }
        line("database %s: pg_database_size=%d bytes, table events with indexes %d bytes", EVENTS_DB,
                queryLong(EVENTS_DB, "select pg_database_size('" + EVENTS_DB + "')"),
                queryLong(EVENTS_DB, "select pg_total_relation_size('events')"));
    }

    /** A table of random text rows of about {@code mib} MiB, in {@value #SMALL_DB}; kept if it has that many rows. */
    void ensureSmallDatabase(int mib) {
        long rows = Math.max(1, mib * 1024L * 1024L / 132); // ~132 bytes per (int, 96-char text) heap tuple
        if (queryLong(SMALL_DB, "select count(*) from notes") != rows) {
            line("creating database %s (%d rows of random text)", SMALL_DB, rows);
            recreateDatabase(SMALL_DB);
            executeAsOwner(SMALL_DB, "create table notes as select g as id, md5(random()::text) || md5(random()::text)"
                    + " || md5(random()::text) as body from generate_series(1, " + rows + ") g;"
                    + " alter table notes add primary key (id);");
            postgres().execute(SMALL_DB, "vacuum analyze notes");
        }
        line("database %s: pg_database_size=%d bytes (%.1f MB), table notes %d rows, %d bytes with indexes", SMALL_DB,
                queryLong(SMALL_DB, "select pg_database_size('" + SMALL_DB + "')"),
                queryLong(SMALL_DB, "select pg_database_size('" + SMALL_DB + "')") / 1e6,
                queryLong(SMALL_DB, "select count(*) from notes"),
                queryLong(SMALL_DB, "select pg_total_relation_size('notes')"));
    }

    /**
     * Runs {@code pg_dump -h -p -U <demo role> <args> <database>} from the cluster's binaries with the password in
     * PGPASSWORD only; stdout discarded unless {@code args} has {@code -f}. Returns the wall time.
     */
    Duration pgDump(String database, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(PostgresCluster.binDir().resolve("pg_dump").toString());
        cmd.addAll(List.of("-h", postgres().host(), "-p", String.valueOf(postgres().port()), "-U",
                EmbeddedStack.DEMO_ROLE, "-w"));
        cmd.addAll(args);
        cmd.add(database);
        Path errors = null;
        try {
            errors = Files.createTempFile("bench-pg_dump", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("PGPASSWORD", stack.demoPassword());
            long start = System.nanoTime();
            Process p = pb.start();
            int exit = p.waitFor();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (exit != 0) {
                throw new BenchException("pg_dump " + String.join(" ", args) + " " + database + " exited " + exit + ": "
                        + Files.readString(errors).trim());
            }
            return took;
        } catch (IOException e) {
            throw new BenchException("cannot run pg_dump: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } finally {
            if (errors != null) {
                try {
                    Files.deleteIfExists(errors);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }

    // ---- plans, runs, catalog ----

    /** The plan with this name, created (cron {@link #RARE_CRON}, UTC) if absent. */
    JsonNode ensurePlan(String name, String target) {
        BackbusApi.Answer plans = api.plans();
        if (plans.ok()) {
            for (JsonNode plan : plans.body()) {
                if (name.equals(plan.path("name").asString())) {
                    if (!target.equals(plan.path("target").asString())) {
                        throw new BenchException("plan '" + name + "' exists for target " + plan.path("target").asString());
                    }
                    return plan;
                }
            }
        }
        return createPlan(name, target, RARE_CRON, "UTC");
    }

    /** Creates a plan; retries 400 for up to 60 s because a target is unknown until the agent has announced it. */
    JsonNode createPlan(String name, String target, String cron, String timeZone) {
        Map<String, String> plan = new LinkedHashMap<>();
        plan.put("name", name);
        plan.put("target", target);
        plan.put("agent", EmbeddedStack.AGENT_ID);
        plan.put("cron", cron);
        plan.put("timeZone", timeZone);
        BackbusApi.Answer answer = api.createPlanOnceTargetKnown(plan, Duration.ofSeconds(60));
        if (!answer.ok()) {
            throw new BenchException("plan '" + name + "' refused: " + answer.problem());
        }
        return answer.body();
    }

    /** A finished run: its final view, the scheduler's requested→stored time and the client's POST→final time. */
    record RunResult(String runId, String state, JsonNode run, Duration server, Duration client) {
        boolean stored() {
            return state.equals("STORED") || state.equals("VERIFIED");
        }
    }

    /**
     * POSTs a run-now on the plan and polls the run every 50 ms until it is STORED (or VERIFIED) or FAILED. The
     * server-side time comes from the run's own timestamps; the polling only decides when we look.
     */
    RunResult runNowAndWait(String planId, Duration timeout) {
        return runNowAndWait(planId, timeout, 50);
    }

    /**
     * The same, polling every {@code pollMillis}: long runs use a slow poll so that the benchmark's own requests do
     * not take CPU from what it measures (at 50 ms the scheduler spent ~9 CPU-seconds answering a 35 s run).
     */
    RunResult runNowAndWait(String planId, Duration timeout, long pollMillis) {
        long start = System.nanoTime();
        BackbusApi.Answer answer = api.runNow(planId);
        if (!answer.ok()) {
            throw new BenchException("run now refused: " + answer.problem());
        }
        String runId = answer.body().path("id").asString();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            BackbusApi.Answer r = api.run(runId);
            if (!r.ok()) {
                throw new BenchException("cannot read run " + runId + ": " + r.problem());
            }
            String state = r.body().path("state").asString();
            if (FINAL.contains(state)) {
                Duration client = Duration.ofNanos(System.nanoTime() - start);
                JsonNode run = r.body();
                Duration server = null;
                if (!state.equals("FAILED")) {
                    server = Duration.between(Instant.parse(run.path("requestedAt").asString()),
                            Instant.parse(run.path("storedAt").asString()));
                }
                return new RunResult(runId, state, run, server, client);
            }
            sleep(pollMillis);
        }
        throw new BenchException("run " + runId + " did not finish within " + timeout);
    }

    /** The catalog entry of a run of {@code target}, waited for up to {@code timeout}. */
    JsonNode awaitCatalogEntry(String target, String runId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode entry = catalogEntry(target, runId);
            if (entry != null) {
                return entry;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new BenchException("the catalog did not list run " + runId + " of " + target + " within " + timeout);
            }
            sleep(200);
        }
    }

    /** The catalog entry of a run, or null. */
    JsonNode catalogEntry(String target, String runId) {
        BackbusApi.Answer answer = api.backups(target);
        if (answer.ok() && answer.body() != null) {
            for (JsonNode backup : answer.body()) {
                if (runId.equals(backup.path("runId").asString())) {
                    return backup;
                }
            }
        }
        return null;
    }

    static String failure(JsonNode run) {
        return "run " + run.path("id").asString() + " FAILED at stage " + run.path("failureStage").asString() + ": "
                + run.path("failureReason").asString();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    static String seconds(Duration d) {
        return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    /** A note on stderr, so that stdout ends with each benchmark's figures. */
    static void note(String format, Object... args) {
        System.out.flush();
        System.err.println(String.format(java.util.Locale.ROOT, format, args));
    }

    @Override
    public void close() {
        note("==> stopping the stack");
        stack.close();
        note("    stopped");
    }
}
