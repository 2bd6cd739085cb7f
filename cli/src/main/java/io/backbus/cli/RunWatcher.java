package io.backbus.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Follows a run through the scheduler API until it ends, drawing a progress bar. */
final class RunWatcher {

    private static final Set<String> FINAL = Set.of("STORED", "VERIFIED", "FAILED");

    private final BackbusApi api;
    private final Progress progress;

    RunWatcher(BackbusApi api, Progress progress) {
        this.api = api;
        this.progress = progress;
    }

    JsonNode await(String runId, Duration timeout) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            BackbusApi.Answer answer = api.run(runId);
            if (!answer.ok()) {
                throw new CliException("cannot read run " + runId + ": " + answer.problem());
            }
            JsonNode run = answer.body();
            String state = run.path("state").asString();
            Duration elapsed = Duration.between(start, Instant.now());
            if (FINAL.contains(state)) {
                progress.endBar("run", state, elapsed);
                return run;
            }
            progress.bar(state, elapsed, detail(run));
            DemoCommand.sleep(150);
        }
        throw new CliException("run " + runId + " did not finish within " + timeout);
    }

    /** Bytes dumped, and bytes uploaded out of the artifact's size once the upload started. */
    static String detail(JsonNode run) {
        long dumped = run.path("bytesDumped").asLong(0);
        long uploaded = run.path("bytesUploaded").asLong(0);
        long total = run.path("uploadTotalBytes").asLong(0);
        if (uploaded > 0 && total > 0) {
            return String.format("dumped %s, uploaded %s of %s (%d%%)", human(dumped), human(uploaded), human(total),
                    Math.min(100, uploaded * 100 / total));
        }
        return dumped > 0 ? "dumped " + human(dumped) : "";
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }
}
