package io.backbus.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Follows a restore through the scheduler API ({@code GET /restores/{id}}) until it ends, drawing a progress bar. */
final class RestoreWatcher {

    private static final Set<String> FINAL = Set.of("VERIFIED", "FAILED");

    private final BackbusApi api;
    private final Progress progress;

    RestoreWatcher(BackbusApi api, Progress progress) {
        this.api = api;
        this.progress = progress;
    }

    JsonNode await(String restoreId, Duration timeout) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            BackbusApi.Answer answer = api.restore(restoreId);
            if (!answer.ok()) {
                throw new CliException("cannot read restore " + restoreId + ": " + answer.problem());
            }
            JsonNode restore = answer.body();
            String state = restore.path("state").asString();
            Duration elapsed = Duration.between(start, Instant.now());
            if (FINAL.contains(state)) {
                progress.endBar("restore", state, elapsed);
                return restore;
            }
            progress.bar(state, elapsed, detail(restore));
            DemoCommand.sleep(150);
        }
        throw new CliException("restore " + restoreId + " did not finish within " + timeout
                + "; it goes on: follow it with GET /restores/" + restoreId);
    }

    /** What the running stage has done: bytes checked by the uploader, received by the agent, entries restored. */
    static String detail(JsonNode restore) {
        JsonNode p = restore.path("progress");
        String stage = p.path("stage").asString("");
        long done = p.path("bytes").asLong(0);
        long total = p.path("totalBytes").asLong(-1);
        String verb = switch (stage) {
            case "INTEGRITY" -> "checked";
            case "TRANSFER" -> "received";
            case "RESTORE" -> "restored";
            default -> "";
        };
        if (verb.isEmpty() || done <= 0) {
            return "";
        }
        boolean entries = stage.equals("RESTORE");
        String amount = entries ? done + " entries" : RunWatcher.human(done);
        if (total > 0) {
            return String.format("%s %s of %s (%d%%)", verb, amount, entries ? Long.toString(total)
                    : RunWatcher.human(total), Math.min(100, done * 100 / total));
        }
        return verb + " " + amount;
    }

    /** The one-line outcome of a finished restore, or a CliException naming stage and reason if it failed. */
    static String outcome(JsonNode restore) {
        String id = restore.path("id").asString();
        if (!"VERIFIED".equals(restore.path("state").asString())) {
            String touched = restore.path("destinationTouched").asBoolean(false)
                    ? " (the destination was written to)" : " (the destination was not touched)";
            throw new CliException("restore " + id + " FAILED at stage " + restore.path("stage").asString() + ": "
                    + restore.path("reason").asString() + touched);
        }
        JsonNode v = restore.path("verification");
        return String.format("restore verified: %d tables, %d rows, rto=%.2fs", v.path("tablesChecked").asInt(),
                v.path("rowsChecked").asLong(), restore.path("rtoMillis").asLong() / 1000.0);
    }
}
