package io.backbus.cli;

import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Follows a restore through the scheduler API ({@code GET /restores/{id}}) until it ends, drawing a progress bar. */
final class RestoreWatcher {

    private final StateWatcher watcher;
    private final Progress progress;

    RestoreWatcher(BackbusApi api, Progress progress) {
        this.watcher = new StateWatcher("restore", api::restore, Set.of("VERIFIED", "FAILED"), RestoreWatcher::detail);
        this.progress = progress;
    }

    JsonNode await(String id, Duration timeout) {
        return watcher.await(id, progress, timeout);
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
