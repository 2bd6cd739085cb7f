package io.backbus.cli;

import io.backbus.localstack.ServiceStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * A real backup and restore on this machine: starts the embedded stack, creates a demo database, a plan, runs it,
 * waits for Stored, restores the backup into a new database through the evented path (RestoreRequested → uploader →
 * agent → RestoreCompleted) and compares row counts per table. The last line is the agent's verified outcome.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a real backup and restore on the embedded stack (Kafka, S3Mock, PostgreSQL, five services).")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "data", description = "where the stack keeps its data (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--keep-running", description = "leave the stack running afterwards (stop with: backbus local down)")
    boolean keepRunning;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "how long to wait for the backup (ISO-8601, default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        Progress progress = new Progress(spec.commandLine().getOut());
        Instant started = Instant.now();
        EmbeddedStack stack = null;
        String verified = null;
        try {
            stack = EmbeddedStack.start(Home.repoRoot(), dataDir, keepRunning, progress);
            ServiceStack services = stack.services();
            // the stack's generated admin token (ADR 0011)
            var api = new BackbusApi(services.url("scheduler-service"), services.url("retention-service"),
                    services.apiToken());

            progress.step("creating demo database '" + DemoDatabase.NAME + "'");
            DemoDatabase.create(stack.postgres(), EmbeddedStack.DEMO_ROLE);
            Map<String, Long> source = DemoDatabase.rowCounts(stack.postgres(), DemoDatabase.NAME);
            progress.done(describe(source));

            progress.step("creating a plan for target '" + EmbeddedStack.DEMO_TARGET + "' on agent '"
                    + EmbeddedStack.AGENT_ID + "'");
            String planName = "shop-nightly-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            JsonNode plan = createPlan(api, planName);
            progress.done("plan " + plan.path("id").asString() + " '" + planName + "', cron " + plan.path("cron").asString()
                    + " " + plan.path("timeZone").asString() + ", next " + plan.path("nextFireAt").asString());

            progress.step("running the plan now");
            BackbusApi.Answer runNow = api.runNow(plan.path("id").asString());
            if (!runNow.ok()) {
                throw new CliException("run now refused: " + runNow.problem());
            }
            String runId = runNow.body().path("id").asString();
            JsonNode run = new RunWatcher(api, progress).await(runId, timeout);
            if (!"STORED".equals(run.path("state").asString())) {
                throw new CliException("backup run " + runId + " ended " + run.path("state").asString() + " at stage "
                        + run.path("failureStage").asString() + ": " + run.path("failureReason").asString());
            }
            Duration backupTook = Duration.between(Instant.parse(run.path("requestedAt").asString()),
                    Instant.parse(run.path("storedAt").asString()));
            JsonNode backup = awaitCatalogEntry(api, runId);
            String objectKey = backup.path("objectKey").asString();
            progress.line("    stored s3://" + EmbeddedStack.BUCKET + "/" + objectKey);
            progress.line(String.format("    size %d bytes encrypted (%d bytes dump), backup took %.2f s",
                    backup.path("ciphertextSize").asLong(), backup.path("plaintextSize").asLong(),
                    backupTook.toMillis() / 1000.0));

            String restored = DemoDatabase.NAME + "_restored";
            progress.step("restoring into new database '" + restored + "' through the services (uploader checks and "
                    + "decrypts, agent runs pg_restore and verifies)");
            stack.postgres().execute("postgres", "drop database if exists " + restored + " with (force)");
            Map<String, Object> destination = new LinkedHashMap<>();
            destination.put("agentId", EmbeddedStack.AGENT_ID);
            destination.put("target", EmbeddedStack.DEMO_TARGET);
            destination.put("database", restored);
            JsonNode restore = RestoreCommand.request(api, backup.path("backupId").asString(), destination, false,
                    true, 2);
            JsonNode finished = new RestoreWatcher(api, progress).await(restore.path("id").asString(), timeout);
            String outcome = RestoreWatcher.outcome(finished);
            progress.line("    " + finished.path("verification").path("summary").asString());

            progress.step("comparing row counts per table, independently of the agent's verification");
            Map<String, Long> copy = DemoDatabase.rowCounts(stack.postgres(), restored);
            boolean same = true;
            for (var entry : source.entrySet()) {
                Long restoredRows = copy.get(entry.getKey());
                boolean match = entry.getValue().equals(restoredRows);
                same &= match;
                progress.line(String.format("    %-12s source %6d  restored %6s  %s", entry.getKey(), entry.getValue(),
                        restoredRows == null ? "-" : restoredRows.toString(), match ? "ok" : "MISMATCH"));
            }
            same &= copy.keySet().equals(source.keySet());
            if (!same) {
                throw new CliException("restored row counts differ from the source");
            }
            progress.line("");
            progress.line("backup " + runId + " stored at s3://" + EmbeddedStack.BUCKET + "/" + objectKey);
            progress.line(String.format("demo ok: object %d bytes, backup %.2f s, total %.1f s",
                    backup.path("ciphertextSize").asLong(), backupTook.toMillis() / 1000.0,
                    Duration.between(started, Instant.now()).toMillis() / 1000.0));
            verified = outcome;
            return 0;
        } catch (CliException | io.backbus.localstack.LocalStackException e) {
            var err = spec.commandLine().getErr();
            err.println("backbus demo failed: " + e.getMessage());
            if (stack != null) {
                err.println("service logs: " + stack.dataDir().resolve("services").resolve("logs"));
            }
            return 1;
        } finally {
            if (stack != null && !keepRunning) {
                progress.step("stopping the stack");
                stack.close();
                progress.done("stopped");
            } else if (stack != null) {
                progress.line("stack left running; state in " + EmbeddedStack.stateFile(stack.dataDir())
                        + "; stop with: bin/backbus local down");
            }
            if (verified != null) {
                // the demo's last line: the evented restore's verified outcome
                progress.line(verified);
            }
        }
    }

    /** The agent announces its targets shortly after start; until the scheduler has heard it, the target is unknown. */
    private static JsonNode createPlan(BackbusApi api, String name) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", name);
        plan.put("target", EmbeddedStack.DEMO_TARGET);
        plan.put("agent", EmbeddedStack.AGENT_ID);
        plan.put("cron", "0 3 * * *");
        plan.put("timeZone", "Europe/Berlin");
        BackbusApi.Answer answer = api.createPlanOnceTargetKnown(plan, Duration.ofSeconds(60));
        if (!answer.ok()) {
            throw new CliException("plan refused: " + answer.problem());
        }
        return answer.body();
    }

    private static JsonNode awaitCatalogEntry(BackbusApi api, String runId) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            BackbusApi.Answer answer = api.backups(EmbeddedStack.DEMO_TARGET);
            if (answer.ok()) {
                for (JsonNode backup : answer.body()) {
                    if (runId.equals(backup.path("runId").asString())) {
                        return backup;
                    }
                }
            }
            sleep(300);
        }
        throw new CliException("the catalog did not list the backup of run " + runId + " within 60 s");
    }

    private static String describe(Map<String, Long> counts) {
        long rows = counts.values().stream().mapToLong(Long::longValue).sum();
        return counts.size() + " tables, " + rows + " rows " + counts;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
    }
}
