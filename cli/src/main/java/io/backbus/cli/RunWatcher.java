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
                progress.endBar(state, elapsed);
                return run;
            }
            long size = run.path("sizeBytes").asLong(0);
            progress.bar(state, elapsed, size > 0 ? size + " bytes dumped" : "");
            DemoCommand.sleep(150);
        }
        throw new CliException("run " + runId + " did not finish within " + timeout);
    }
}
