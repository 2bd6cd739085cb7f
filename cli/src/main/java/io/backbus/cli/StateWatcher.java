package io.backbus.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Polls a run or a restore through the scheduler API until it reaches a final state, redrawing a progress bar with
 * its state and what it has done so far.
 *
 * @param what        "run" or "restore", for messages
 * @param read        reads the current view by id
 * @param finalStates the states in which it ends
 * @param detail      what the view says has been done, for the bar
 */
record StateWatcher(String what, Function<String, BackbusApi.Answer> read, Set<String> finalStates,
        Function<JsonNode, String> detail) {

    JsonNode await(String id, Progress progress, Duration timeout) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            BackbusApi.Answer answer = read.apply(id);
            if (!answer.ok()) {
                throw new CliException("cannot read " + what + " " + id + ": " + answer.problem());
            }
            JsonNode view = answer.body();
            String state = view.path("state").asString();
            Duration elapsed = Duration.between(start, Instant.now());
            if (finalStates.contains(state)) {
                progress.endBar(what, state, elapsed);
                return view;
            }
            progress.bar(state, elapsed, detail.apply(view));
            DemoCommand.sleep(150);
        }
        throw new CliException(what + " " + id + " did not finish within " + timeout + "; it goes on in the "
                + "services");
    }
}
