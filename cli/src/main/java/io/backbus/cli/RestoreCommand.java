package io.backbus.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code backbus restore}: asks the scheduler for an evented restore ({@code POST /restores}), follows it with a
 * progress bar and prints the verified outcome. Exit 0 only if the restore was verified.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup into a database through the agent that serves it; verify it against the "
                + "backup's row counts. The uploader checks the backup's integrity before the destination is touched.")
final class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--backup", required = true, description = "id of the backup to restore (backbus catalog, "
                + "GET /backups)")
        String backupId;

        @Option(names = "--latest", required = true, description = "restore the newest available backup of this target")
        String latestOf;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--database", required = true, description = "destination database name")
    String database;

    @Option(names = "--to-agent", description = "agent that restores (default: the agent that took the backup)")
    String agent;

    @Option(names = "--to-target", description = "a target of that agent whose server receives the restore "
            + "(default: the backup's own target)")
    String target;

    @Option(names = "--clean", description = "replace what the destination holds (else a non-empty destination is refused)")
    boolean clean;

    @Option(names = "--no-create", description = "do not create the destination database if it is missing")
    boolean noCreate;

    @Option(names = {"-j", "--jobs"}, defaultValue = "2", description = "parallel pg_restore jobs (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--scheduler-url", description = "scheduler-service base URL; default: from <data-dir>/local-stack.json")
    URI schedulerUrl;

    @Option(names = "--retention-url", description = "retention-service base URL; default: from <data-dir>/local-stack.json")
    URI retentionUrl;

    @Option(names = "--data-dir", defaultValue = "data", description = "default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "PT2H", description = "how long to wait (ISO-8601), default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Override
    public Integer call() {
        try {
            URI scheduler = schedulerUrl != null ? schedulerUrl
                    : LocalStackState.serviceUrl(dataDir, "scheduler-service", "--scheduler-url");
            URI retention = retentionUrl != null ? retentionUrl
                    : LocalStackState.serviceUrl(dataDir, "retention-service", "--retention-url");
            var api = new BackbusApi(scheduler, retention, ApiToken.resolve(dataDir).orElse(null));
            Progress progress = new Progress(spec.commandLine().getOut());
            JsonNode backup = source.backupId != null ? catalogEntry(api, source.backupId) : newest(api, source.latestOf);
            Map<String, Object> destination = new LinkedHashMap<>();
            destination.put("agentId", agent != null ? agent : backup.path("agentId").asString());
            destination.put("target", target != null ? target : backup.path("target").asString());
            destination.put("database", database);
            progress.step("restoring backup " + backup.path("backupId").asString() + " of " + backup.path("target")
                    .asString() + " (" + backup.path("storedAt").asString() + ") into " + destination.get("database")
                    + " on " + destination.get("target") + " via agent " + destination.get("agentId"));
            JsonNode restore = request(api, backup.path("backupId").asString(), destination, clean, !noCreate, jobs);
            JsonNode finished = new RestoreWatcher(api, progress).await(restore.path("id").asString(), timeout);
            String outcome = RestoreWatcher.outcome(finished);
            progress.line("    " + finished.path("verification").path("summary").asString());
            progress.line(outcome);
            return 0;
        } catch (CliException e) {
            spec.commandLine().getErr().println("backbus restore failed: " + e.getMessage());
            return 1;
        }
    }

    /** {@code POST /restores} of one backup; the scheduler's answer (202 and the restore) or a CliException. */
    static JsonNode request(BackbusApi api, String backupId, Map<String, Object> destination, boolean clean,
            boolean create, int jobs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("backupId", backupId);
        body.put("destination", destination);
        body.put("clean", clean);
        body.put("createDatabase", create);
        body.put("jobs", jobs);
        BackbusApi.Answer answer = api.requestRestore(body);
        if (!answer.ok()) {
            throw new CliException("restore refused: " + answer.problem() + errors(answer.body()));
        }
        return answer.body();
    }

    private static JsonNode catalogEntry(BackbusApi api, String backupId) {
        BackbusApi.Answer answer = api.backup(backupId);
        if (!answer.ok()) {
            throw new CliException("backup " + backupId + ": " + answer.problem());
        }
        return answer.body();
    }

    private static JsonNode newest(BackbusApi api, String target) {
        BackbusApi.Answer answer = api.backups(target);
        if (!answer.ok()) {
            throw new CliException("cannot list the backups of " + target + ": " + answer.problem());
        }
        for (JsonNode backup : answer.body()) {
            if ("AVAILABLE".equals(backup.path("status").asString())) {
                return backup;
            }
        }
        throw new CliException("the catalog holds no available backup of target " + target);
    }

    private static String errors(JsonNode problem) {
        if (problem == null || !problem.path("errors").isArray()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode error : problem.path("errors")) {
            text.append("; ").append(error.path("field").asString()).append(": ").append(error.path("message").asString());
        }
        return text.toString();
    }
}
