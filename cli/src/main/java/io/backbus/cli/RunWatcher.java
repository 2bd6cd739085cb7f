package io.backbus.cli;

import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Follows a run through the scheduler API until it ends, drawing a progress bar. */
final class RunWatcher {

    private final StateWatcher watcher;
    private final Progress progress;

    RunWatcher(BackbusApi api, Progress progress) {
        this.watcher = new StateWatcher("run", api::run, Set.of("STORED", "VERIFIED", "FAILED"), RunWatcher::detail);
        this.progress = progress;
    }

    JsonNode await(String id, Duration timeout) {
        return watcher.await(id, progress, timeout);
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
