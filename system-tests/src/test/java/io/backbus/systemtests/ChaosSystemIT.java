package io.backbus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.localstack.FreePorts;
import io.backbus.localstack.KafkaBroker;
import io.backbus.localstack.PostgresCluster;
import io.backbus.localstack.ServiceStack;
import io.backbus.testsupport.FaultInjectingProxy;
import io.backbus.testsupport.FaultInjectingProxy.Fault;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Chaos: the five services as separate processes on their own Kafka broker (a child process, so it can be killed),
 * their own PostgreSQL cluster (so it can be crashed without touching the source database), S3Mock behind a
 * fault-injecting proxy, and a source database large enough that dumps, uploads and restores take seconds. Each case
 * kills one thing with SIGKILL at one point of a backup or a restore, starts it again, and requires that the run ends
 * {@code STORED}/{@code VERIFIED} or {@code FAILED} with a stage and a reason, and that afterwards nothing is left
 * over: no lost run, no duplicate or missing catalog row, no incomplete multipart upload, no staged file, no outbox
 * row. The table of every case is printed at the end and written to {@code target/chaos-table.md}.
 *
 * <p>Not part of the default {@code verify}: 38 cases, about 22 minutes on 2 cores. Run it with
 * {@code ./mvnw -B -Pchaos verify}; {@code .ci/run} does after the suite.
 */
class ChaosSystemIT {

    private static final String AGENT = "chaos-agent";
    private static final String BUCKET = "backbus-chaos";
    private static final String SOURCE_DB = "chaos_shop";
    private static final String ROLE = "chaos_backup";
    private static final String PASSWORD = "Pw-of-chaos-" + Long.toHexString(System.nanoTime());
    private static final long ROWS = 1_000_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(90);
    private static final Path CASES_FILE = Path.of("target", "chaos-cases.txt");
    private static final List<String> SERVICES = ServiceStack.SERVICES;

    private static TestServers servers;
    private static Path workDir;
    private static KafkaBroker kafka;
    private static int kafkaPort;
    private static int kafkaControllerPort;
    private static PostgresCluster servicesPg;
    private static FaultInjectingProxy s3Proxy;
    private static WebhookReceiver webhook;
    private static ServiceStack stack;
    private static SystemApi api;
    private static String baselineBackupId;
    private static final List<Row> TABLE = new ArrayList<>();
    private static final Map<String, String> STORED_RUNS = new LinkedHashMap<>();
    private static final List<String> ALL_RUNS = new ArrayList<>();
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One line of the table. */
    record Row(String flow, String fault, String outcome, long seconds, String leftovers, boolean passed) {
    }

    enum Stage {
        BEFORE("before its work"), DURING("during its work"), AFTER("just after its event");

        final String text;

        Stage(String text) {
            this.text = text;
        }
    }

    @BeforeAll
    static void startTheChaosStack() throws Exception {
        servers = TestServers.get();
        workDir = Files.createTempDirectory("backbus-chaos-");
        PostgresCluster source = servers.postgres();
        source.createRole(ROLE, PASSWORD);
        source.execute("postgres", "alter role " + ROLE + " createdb");
        source.execute("postgres", "drop database if exists " + SOURCE_DB + " with (force)");
        source.execute("postgres", "create database " + SOURCE_DB + " owner " + ROLE);
        source.execute(SOURCE_DB, "set role " + ROLE + ";"
                + "create table orders (id int primary key, customer text, note text);"
                + "insert into orders select g, md5(g::text), md5((g * 7)::text) || md5(random()::text)"
                + " from generate_series(1, " + ROWS + ") g;"
                + "create table customers (id int primary key, name text);"
                + "insert into customers select g, 'customer ' || g from generate_series(1, 1000) g;");
        servers.createBucket(BUCKET);
        s3Proxy = FaultInjectingProxy.start(servers.s3Endpoint());
        int[] ports = FreePorts.pick(2);
        kafkaPort = ports[0];
        kafkaControllerPort = ports[1];
        kafka = KafkaBroker.start(workDir.resolve("kafka").resolve("data"), kafkaPort, kafkaControllerPort);
        servicesPg = PostgresCluster.start(workDir.resolve("postgres").resolve("data"), FreePorts.pick());
        webhook = WebhookReceiver.start();
        Path repoRoot = Path.of(System.getProperty("backbus.home", "..")).toAbsolutePath().normalize();
        stack = ServiceStack.start(new ServiceStack.Settings(repoRoot, workDir, kafka.bootstrapServers(), servicesPg,
                s3Proxy.endpoint(), "chaos_", AGENT, List.of(
                        new ServiceStack.Target("chaos", source.host(), source.port(), SOURCE_DB, ROLE, PASSWORD),
                        new ServiceStack.Target("chaos-wrong-password", source.host(), source.port(), SOURCE_DB, ROLE,
                                "wrong-" + PASSWORD)),
                BUCKET, webhook.url().toString(), false), overrides());
        api = new SystemApi(stack.url("scheduler-service"), stack.url("retention-service"), stack.apiToken());
        // a backup with nothing killed: the restore cases restore it
        String planId = plan("chaos-baseline", "chaos");
        String runId = api.runNow(planId);
        JsonNode run = awaitRun(runId);
        assertThat(run.path("state").asString()).as("baseline run %s", run).isEqualTo("STORED");
        STORED_RUNS.put(runId, run.path("backupId").asString());
        ALL_RUNS.add(runId);
        baselineBackupId = run.path("backupId").asString();
        System.out.printf("chaos stack up in %s; baseline backup %s, %d bytes%n", workDir, baselineBackupId,
                run.path("sizeBytes").asLong());
    }

    /**
     * Settings of the chaos stack over the embedded defaults: finer progress, so a kill can land mid-stage; a fixed
     * uploader instance name, so its restarted process takes over its own claims at once (as a container or a
     * StatefulSet pod keeps its name), and shorter leases and sweeps, so that the cases take seconds, not minutes.
     */
    private static Map<String, Map<String, Object>> overrides() {
        return Map.of(
                "dump-agent", Map.of("backbus.agent.progress-interval", "200ms",
                        "backbus.agent.restore.transfer-backoff", "2s"),
                "uploader-service", Map.of("backbus.uploader.progress-interval", "200ms",
                        "backbus.uploader.claims.instance-name", "chaos-uploader",
                        "backbus.uploader.claims.lease", "10s", "backbus.uploader.claims.sweep-interval", "10s"));
    }

    @AfterAll
    static void printTheTable() throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("| flow | fault | outcome | s | left over | pass |\n| --- | --- | --- | ---: | --- | --- |\n");
        for (Row r : TABLE) {
            out.append("| ").append(r.flow()).append(" | ").append(r.fault()).append(" | ")
                    .append(r.outcome().replace("|", "/")).append(" | ").append(r.seconds()).append(" | ")
                    .append(r.leftovers()).append(" | ").append(r.passed() ? "yes" : "**NO**").append(" |\n");
        }
        long passed = TABLE.stream().filter(Row::passed).count();
        out.append("\n").append(passed).append(" of ").append(TABLE.size()).append(" cases passed; runs requested ")
                .append(ALL_RUNS.size()).append(", stored ").append(STORED_RUNS.size()).append('\n');
        System.out.println("\n=== chaos table ===\n" + out);
        Path file = Path.of("target", "chaos-table.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        if (stack != null) {
            stack.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (servicesPg != null) {
            servicesPg.stop();
        }
        if (s3Proxy != null) {
            s3Proxy.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyServiceKilledAtEveryStageOfABackup() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String service : SERVICES) {
            for (Stage stage : Stage.values()) {
                tests.add(DynamicTest.dynamicTest("backup: " + service + " killed " + stage.text,
                        () -> record(backupCase(service, stage))));
            }
        }
        return selected(tests.stream());
    }

    @TestFactory
    Stream<DynamicTest> everyServiceKilledAtEveryStageOfARestore() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String service : SERVICES) {
            for (Stage stage : Stage.values()) {
                tests.add(DynamicTest.dynamicTest("restore: " + service + " killed " + stage.text,
                        () -> record(restoreCase(service, stage))));
            }
        }
        return selected(tests.stream());
    }

    @TestFactory
    Stream<DynamicTest> brokerObjectStoreDatabaseAndDisk() {
        return selected(Stream.of(
                DynamicTest.dynamicTest("Kafka broker killed mid-dump", () -> record(kafkaKilled(true))),
                DynamicTest.dynamicTest("Kafka broker killed mid-upload", () -> record(kafkaKilled(false))),
                DynamicTest.dynamicTest("S3 answers 500 to parts", () -> record(s3Fault(Fault.INTERNAL_ERROR))),
                DynamicTest.dynamicTest("S3 answers 503 SlowDown to parts", () -> record(s3Fault(Fault.SLOW_DOWN))),
                DynamicTest.dynamicTest("S3 resets connections", () -> record(s3Fault(Fault.DROP_CONNECTION))),
                DynamicTest.dynamicTest("S3 stalls mid-part", () -> record(s3Fault(Fault.STALL_BODY))),
                DynamicTest.dynamicTest("services' PostgreSQL crashed mid-run", () -> record(postgresCrashed())),
                DynamicTest.dynamicTest("staging disk full during a dump and a restore", () -> record(diskFull()))));
    }

    /** {@code -Dchaos.cases=<regex>}: only the cases whose name matches (to work on one case). */
    private static Stream<DynamicTest> selected(Stream<DynamicTest> cases) {
        String only = System.getProperty("chaos.cases", "");
        return only.isBlank() ? cases : cases.filter(t -> t.getDisplayName().matches(only));
    }

    private static void record(Row row) {
        synchronized (TABLE) {
            TABLE.add(row);
        }
        String line = String.format("chaos case: %s | %s | %s | %d s | %s%n", row.flow(), row.fault(), row.outcome(),
                row.seconds(), row.leftovers());
        System.out.print(line);
        try {
            // as it goes: failsafe shows a test's output only when the class is done
            Files.createDirectories(CASES_FILE.getParent());
            Files.writeString(CASES_FILE, line, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(row.passed()).as("%s, %s: %s; left over: %s", row.flow(), row.fault(), row.outcome(),
                row.leftovers()).isTrue();
    }

    // ---- backups ------------------------------------------------------------------------------------------------

    private static Row backupCase(String service, Stage stage) {
        boolean notifier = service.equals("notifier-service");
        String target = notifier ? "chaos-wrong-password" : "chaos";
        String planId = plan("chaos-" + SEQ.incrementAndGet(), target);
        String fault = service + " killed " + stage.text;
        boolean killFirst = stage == Stage.BEFORE && !service.equals("scheduler-service");
        long killedAt;
        String runId;
        if (killFirst) {
            killedAt = System.nanoTime();
            stack.killHard(service);
            runId = api.runNow(planId);
            ALL_RUNS.add(runId);
            awaitRunState(runId, switch (service) {
                case "dump-agent" -> run -> waited(killedAt, Duration.ofSeconds(5)) && is(run, "REQUESTED");
                case "uploader-service" -> run -> is(run, "DUMPED");
                case "retention-service" -> run -> is(run, "STORED");
                default -> run -> is(run, "FAILED");
            });
        } else {
            runId = api.runNow(planId);
            ALL_RUNS.add(runId);
            if (!(service.equals("scheduler-service") && stage == Stage.AFTER)) {
                awaitRunState(runId, killPoint(service, stage, runId));
            }
            killedAt = System.nanoTime();
            stack.killHard(service);
        }
        stack.startAgain(service);
        JsonNode run = followRetries(planId, awaitRun(runId));
        long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();
        String state = run.path("state").asString();
        String outcome = state + (run.path("attempt").asInt() > 1 ? " (attempt " + run.path("attempt").asInt() + ")"
                : "") + (state.equals("FAILED") ? " at " + run.path("failureStage").asString() + ": "
                + abbreviate(run.path("failureReason").asString()) : "");
        boolean expected = notifier
                ? state.equals("FAILED") && run.path("failureStage").asString().equals("DUMP") && awaitAlert(runId)
                : state.equals("STORED") || failedWithReason(run);
        if (state.equals("STORED")) {
            STORED_RUNS.put(run.path("id").asString(), run.path("backupId").asString());
        }
        if (notifier) {
            // a restarted consumer rejoins its group only once the killed member's session has timed out
            outcome += awaitAlert(runId) ? "; alert delivered" : "; NO alert within 2 min";
        }
        String leftovers = leftovers();
        return new Row("backup", fault, outcome, seconds, leftovers, expected && leftovers.equals("none"));
    }

    private static Predicate<JsonNode> killPoint(String service, Stage stage, String runId) {
        return switch (service + "/" + stage) {
            case "scheduler-service/BEFORE" -> run -> is(run, "DUMPED");
            case "scheduler-service/DURING", "dump-agent/DURING" ->
                run -> is(run, "REQUESTED") && run.path("bytesDumped").asLong() > 0;
            case "dump-agent/AFTER" -> run -> is(run, "DUMPED") || is(run, "STORED");
            case "uploader-service/DURING" -> run -> !is(run, "STORED") && run.path("bytesUploaded").asLong() > 0;
            case "uploader-service/AFTER", "retention-service/DURING" -> run -> is(run, "STORED");
            case "retention-service/AFTER" -> run -> is(run, "STORED") && catalogRows(runId) == 1;
            case "notifier-service/DURING" -> run -> is(run, "FAILED");
            case "notifier-service/AFTER" -> run -> is(run, "FAILED") && alerted(runId);
            default -> throw new IllegalArgumentException(service + "/" + stage);
        };
    }

    // ---- restores -----------------------------------------------------------------------------------------------

    private static Row restoreCase(String service, Stage stage) {
        String database = "chaos_restored_" + SEQ.incrementAndGet();
        String fault = service + " killed " + stage.text;
        boolean killFirst = stage == Stage.BEFORE
                && Set.of("uploader-service", "dump-agent", "notifier-service").contains(service);
        long killedAt;
        String restoreId;
        if (killFirst) {
            killedAt = System.nanoTime();
            stack.killHard(service);
            restoreId = requestRestore(database);
            awaitRestoreState(restoreId, switch (service) {
                case "uploader-service" -> r -> waited(killedAt, Duration.ofSeconds(5)) && is(r, "REQUESTED");
                case "dump-agent" -> r -> is(r, "READY");
                default -> r -> is(r, "VERIFIED");
            });
        } else {
            restoreId = requestRestore(database);
            boolean rightAfterRequest = stage == Stage.AFTER && service.equals("scheduler-service")
                    || stage == Stage.BEFORE && service.equals("retention-service");
            if (!rightAfterRequest) {
                awaitRestoreState(restoreId, switch (service + "/" + stage) {
                    case "scheduler-service/BEFORE", "uploader-service/AFTER", "retention-service/DURING",
                            "notifier-service/DURING" -> r -> is(r, "READY");
                    case "scheduler-service/DURING", "dump-agent/DURING" ->
                        r -> "RESTORE".equals(r.path("progress").path("stage").asString());
                    // its check pass (decrypting the whole backup), or serving the artifact to the agent
                    case "uploader-service/DURING" -> r -> is(r, "REQUESTED") && r.path("progress").path("bytes")
                            .asLong() > 0 || is(r, "READY") && "TRANSFER".equals(r.path("progress").path("stage")
                            .asString()) && r.path("progress").path("bytes").asLong() < r.path("progress")
                            .path("totalBytes").asLong();
                    case "dump-agent/AFTER", "retention-service/AFTER", "notifier-service/AFTER" ->
                        r -> is(r, "VERIFIED");
                    default -> throw new IllegalArgumentException(service + "/" + stage);
                });
            }
            killedAt = System.nanoTime();
            stack.killHard(service);
        }
        stack.startAgain(service);
        JsonNode restore = awaitRestore(restoreId);
        long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();
        String state = restore.path("state").asString();
        String outcome = state + (state.equals("FAILED") ? " at " + restore.path("stage").asString() + ": "
                + abbreviate(restore.path("reason").asString()) : "");
        boolean expected = state.equals("VERIFIED") && restoredRows(database) == ROWS
                || state.equals("FAILED") && !restore.path("stage").asString().isEmpty()
                        && !restore.path("reason").asString().isEmpty();
        if (state.equals("VERIFIED")) {
            outcome += ", " + restoredRows(database) + " rows";
        }
        String leftovers = leftovers();
        return new Row("restore", fault, outcome, seconds, leftovers, expected && leftovers.equals("none"));
    }

    // ---- broker, object store, database, disk -------------------------------------------------------------------

    private static Row kafkaKilled(boolean midDump) {
        String planId = plan("chaos-" + SEQ.incrementAndGet(), "chaos");
        String runId = api.runNow(planId);
        ALL_RUNS.add(runId);
        awaitRunState(runId, midDump ? run -> is(run, "REQUESTED") && run.path("bytesDumped").asLong() > 0
                : run -> !is(run, "STORED") && run.path("bytesUploaded").asLong() > 0);
        long killedAt = System.nanoTime();
        kafka.process().kill();
        sleep(Duration.ofSeconds(5));
        kafka = KafkaBroker.start(workDir.resolve("kafka").resolve("data"), kafkaPort, kafkaControllerPort);
        return backupRow(midDump ? "Kafka broker killed mid-dump, back after 5 s"
                : "Kafka broker killed mid-upload, back after 5 s", planId, runId, killedAt);
    }

    private static Row s3Fault(Fault fault) {
        String planId = plan("chaos-" + SEQ.incrementAndGet(), "chaos");
        Predicate<String> parts = line -> line.startsWith("PUT ") && line.contains("partNumber=");
        String what;
        switch (fault) {
            case STALL_BODY -> {
                s3Proxy.stallBodies(1, 1024 * 1024, Duration.ofSeconds(45), parts);
                what = "S3 stalls one part for 45 s after 1 MiB";
            }
            case DROP_CONNECTION -> {
                s3Proxy.inject(fault, 2, parts);
                what = "S3 drops the connection of 2 part uploads";
            }
            default -> {
                s3Proxy.inject(fault, 2, parts);
                what = "S3 answers " + (fault == Fault.SLOW_DOWN ? "503 SlowDown" : "500 InternalError")
                        + " to 2 part uploads";
            }
        }
        long started = System.nanoTime();
        String runId = api.runNow(planId);
        ALL_RUNS.add(runId);
        try {
            Row row = backupRow(what, planId, runId, started);
            return new Row(row.flow(), row.fault() + " (hit " + s3Proxy.hits() + ")", row.outcome(), row.seconds(),
                    row.leftovers(), row.passed() && s3Proxy.hits() > 0);
        } finally {
            s3Proxy.clear();
        }
    }

    private static Row postgresCrashed() {
        String planId = plan("chaos-" + SEQ.incrementAndGet(), "chaos");
        String runId = api.runNow(planId);
        ALL_RUNS.add(runId);
        awaitRunState(runId, run -> is(run, "REQUESTED") && run.path("bytesDumped").asLong() > 0);
        long crashedAt = System.nanoTime();
        servicesPg.restart(Duration.ofSeconds(3));
        return backupRow("the services' PostgreSQL crashed mid-dump (immediate stop, back after 3 s)", planId, runId,
                crashedAt);
    }

    /** A tmpfs of 8 MiB as the agent's staging directory: the dump and the restore both run out of space. */
    private static Row diskFull() throws Exception {
        Path small = Files.createDirectories(workDir.resolve("small-staging"));
        exec("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString());
        long started = System.nanoTime();
        try {
            stack.killHard("dump-agent");
            stack.startAgain("dump-agent", Map.of("backbus.agent.staging-dir", small.toString()));
            String planId = plan("chaos-" + SEQ.incrementAndGet(), "chaos");
            String runId = api.runNow(planId);
            ALL_RUNS.add(runId);
            JsonNode run = awaitRun(runId);
            String database = "chaos_restored_" + SEQ.incrementAndGet();
            JsonNode restore = awaitRestore(requestRestore(database));
            long left = countFiles(small);
            String outcome = "backup " + run.path("state").asString() + " at " + run.path("failureStage").asString()
                    + ": " + abbreviate(run.path("failureReason").asString()) + "; restore "
                    + restore.path("state").asString() + " at " + restore.path("stage").asString() + ": "
                    + abbreviate(restore.path("reason").asString()) + "; files on the full disk afterwards: " + left;
            boolean expected = failedWithReason(run) && run.path("failureStage").asString().equals("DUMP")
                    && restore.path("state").asString().equals("FAILED")
                    && restore.path("stage").asString().equals("TRANSFER")
                    && !restore.path("destinationTouched").asBoolean() && left == 0;
            stack.killHard("dump-agent");
            stack.startAgain("dump-agent");
            String leftovers = leftovers();
            return new Row("backup + restore", "staging disk full (8 MiB tmpfs)", outcome,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds(), leftovers,
                    expected && leftovers.equals("none"));
        } finally {
            if (!stack.service("dump-agent").isAlive()) {
                stack.startAgain("dump-agent");
            }
            exec("umount", "-l", small.toString());
        }
    }

    private static Row backupRow(String fault, String planId, String runId, long since) {
        JsonNode run = followRetries(planId, awaitRun(runId));
        long seconds = Duration.ofNanos(System.nanoTime() - since).toSeconds();
        String state = run.path("state").asString();
        if (state.equals("STORED")) {
            STORED_RUNS.put(run.path("id").asString(), run.path("backupId").asString());
        }
        String outcome = state + (run.path("attempt").asInt() > 1 ? " (attempt " + run.path("attempt").asInt() + ")"
                : "") + (state.equals("FAILED") ? " at " + run.path("failureStage").asString() + ": "
                + abbreviate(run.path("failureReason").asString()) : "");
        String leftovers = leftovers();
        return new Row("backup", fault, outcome, seconds, leftovers,
                (state.equals("STORED") || failedWithReason(run)) && leftovers.equals("none"));
    }

    // ---- what must be left over: nothing ------------------------------------------------------------------------

    /**
     * Waits up to 90 seconds for the system to be quiet and says what is left over: outbox rows in any service's
     * database, staged files of the agent, incomplete multipart uploads in the bucket, catalog rows that do not match
     * the stored runs one to one. {@code none} when all are zero.
     */
    private static String leftovers() {
        long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
        String last;
        do {
            List<String> found = new ArrayList<>();
            long outbox = SERVICES.stream().mapToLong(ChaosSystemIT::outboxRows).sum();
            if (outbox > 0) {
                found.add(outbox + " outbox rows");
            }
            long staged = countFiles(workDir.resolve("agent-staging"));
            if (staged > 0) {
                found.add(staged + " staged files");
            }
            int uploads = servers.s3Client().listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
            if (uploads > 0) {
                found.add(uploads + " incomplete multipart uploads");
            }
            long catalog = catalogRows(null);
            long mismatched = STORED_RUNS.keySet().stream().filter(run -> catalogRows(run) != 1).count();
            if (catalog != STORED_RUNS.size() || mismatched > 0) {
                found.add("catalog rows " + catalog + " for " + STORED_RUNS.size() + " stored runs (" + mismatched
                        + " not exactly once)");
            }
            last = found.isEmpty() ? "none" : String.join(", ", found);
            if (found.isEmpty()) {
                return last;
            }
            sleep(Duration.ofSeconds(1));
        } while (System.nanoTime() < deadline);
        return last;
    }

    private static long outboxRows(String service) {
        return count(ServiceStack.database(stack.settings(), service), "select count(*) from outbox_event");
    }

    /** Catalog rows of a run, or of all runs when {@code runId} is null. */
    private static long catalogRows(String runId) {
        String database = ServiceStack.database(stack.settings(), "retention-service");
        return count(database, runId == null ? "select count(*) from backup"
                : "select count(*) from backup where run_id = '" + runId + "'");
    }

    private static long count(String database, String sql) {
        try (Connection c = servicesPg.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            // during a crash of the services' PostgreSQL: not yet known, which never counts as "none"
            return Long.MAX_VALUE / 4;
        }
    }

    private static long restoredRows(String database) {
        try (Connection c = servers.postgres().connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from orders")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static long countFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            // not the agent's own URL-signing key, which lives in the staging directory by default
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(".url-signing-key")).count();
        } catch (IOException | UncheckedIOException e) {
            return 0; // a file vanished while walking: count again on the next round
        }
    }

    // ---- the API, tolerant of a killed scheduler ----------------------------------------------------------------

    private static String plan(String name, String target) {
        return api.createPlanOnceTargetIsKnown(name, target, AGENT).path("id").asString();
    }

    private static String requestRestore(String database) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("backupId", baselineBackupId);
        body.put("destination", Map.of("agentId", AGENT, "target", "chaos", "database", database));
        body.put("createDatabase", true);
        body.put("jobs", 2);
        HttpResponse<String> accepted = api.requestRestore(body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return SystemApi.JSON.readTree(accepted.body()).path("id").asString();
    }

    private static JsonNode awaitRun(String runId) {
        return poll("/runs/" + runId, run -> Set.of("STORED", "VERIFIED", "FAILED").contains(run.path("state")
                .asString()), RUN_TIMEOUT);
    }

    private static JsonNode awaitRestore(String restoreId) {
        return poll("/restores/" + restoreId, r -> Set.of("VERIFIED", "FAILED").contains(r.path("state").asString()),
                RUN_TIMEOUT);
    }

    private static void awaitRunState(String runId, Predicate<JsonNode> point) {
        awaitPoint("run " + runId, "/runs/" + runId, Set.of("STORED", "FAILED"), point);
    }

    private static void awaitRestoreState(String restoreId, Predicate<JsonNode> point) {
        awaitPoint("restore " + restoreId, "/restores/" + restoreId, Set.of("VERIFIED", "FAILED"), point);
    }

    /**
     * Polls until {@code point} holds. A point may lie after the final state (an alert for a failed run, the catalog
     * row of a stored one): a run that ended without reaching it within 60 s more means the case cannot be made as
     * described, and fails.
     */
    private static void awaitPoint(String what, String path, Set<String> finalStates, Predicate<JsonNode> point) {
        long[] endedAt = {0};
        poll(path, view -> {
            if (point.test(view)) {
                return true;
            }
            if (finalStates.contains(view.path("state").asString())) {
                if (endedAt[0] == 0) {
                    endedAt[0] = System.nanoTime();
                } else if (System.nanoTime() - endedAt[0] > Duration.ofSeconds(60).toNanos()) {
                    throw new AssertionError(what + " ended before the kill point was seen: " + view);
                }
            }
            return false;
        }, Duration.ofMinutes(3));
    }

    /** If the run failed and the scheduler retried it, the newest retry of the plan. */
    private static JsonNode followRetries(String planId, JsonNode run) {
        if (!is(run, "FAILED")) {
            return run;
        }
        JsonNode runs = poll("/runs?plan=" + planId, all -> true, Duration.ofSeconds(30));
        JsonNode newest = runs.path(0);
        if (newest.isMissingNode() || newest.path("id").asString().equals(run.path("id").asString())) {
            return run;
        }
        ALL_RUNS.add(newest.path("id").asString());
        return followRetries(planId, awaitRun(newest.path("id").asString()));
    }

    private static JsonNode poll(String path, Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                URI scheduler = stack.url("scheduler-service");
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(scheduler.resolve(path))
                        .header("Authorization", "Bearer " + stack.apiToken()).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200) {
                    JsonNode view = SystemApi.JSON.readTree(response.body());
                    if (done.test(view)) {
                        return view;
                    }
                }
            } catch (IOException e) {
                last = e.toString(); // the scheduler is down or restarting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s polling " + path + "; last: "
                + abbreviate(last));
    }

    private static boolean awaitAlert(String runId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (alerted(runId)) {
                return true;
            }
            sleep(Duration.ofMillis(250));
        }
        return false;
    }

    private static boolean alerted(String runId) {
        return webhook.requests().stream().anyMatch(r -> r.bodyAsString().contains(runId));
    }

    private static boolean failedWithReason(JsonNode run) {
        return is(run, "FAILED") && !run.path("failureStage").asString().isEmpty()
                && !run.path("failureReason").asString().isEmpty();
    }

    private static boolean is(JsonNode view, String state) {
        return state.equals(view.path("state").asString());
    }

    private static boolean waited(long since, Duration duration) {
        return System.nanoTime() - since > duration.toNanos();
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() <= 110 ? one : one.substring(0, 107) + "...";
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output
                    + " (the disk-full case mounts a tmpfs and needs root)");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
