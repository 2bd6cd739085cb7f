package io.backbus.bench;

import io.backbus.cli.BackbusApi;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * A burst: N plans on the small database whose cron fires at the same minute; waits until every run of that slot
 * is STORED or FAILED and compares the wall time with N standalone {@code pg_dump -Fc -Z0}. The plans are spread
 * round-robin over {@code --targets} target names of that database (as a burst over many databases would be); with
 * {@code --targets 1} they all share one target, whose runs the agent takes strictly one after another.
 */
@Command(name = "burst", mixinStandardHelpOptions = true,
        description = "N plans firing at the same minute; stored/failed/missing and wall time vs summed pg_dump.")
final class Burst extends BenchCommand.Single {

    @Option(names = "--plans", defaultValue = "200", description = "plans firing together (default: ${DEFAULT-VALUE})")
    int plans;

    @Option(names = "--mb", defaultValue = "10", description = "size of the small database's table data in MiB (default: ${DEFAULT-VALUE})")
    int mib;

    @Option(names = "--targets", defaultValue = "8", description = "target names the plans are spread over, 1.."
            + Bench.BURST_TARGETS + " (default: ${DEFAULT-VALUE})")
    int targets;

    @Option(names = "--timeout", defaultValue = "PT60M", description = "longest wait after the slot (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--stall", defaultValue = "PT5M",
            description = "give up when no run changed state for this long (default: ${DEFAULT-VALUE})")
    Duration stall;

    @Override
    void run(Bench bench) {
        if (targets < 1 || targets > Bench.BURST_TARGETS) {
            throw new BenchException("--targets must be 1.." + Bench.BURST_TARGETS + " but is " + targets);
        }
        bench.line("== burst: plans=%d targets=%d", plans, targets);
        bench.ensureSmallDatabase(mib);
        // the agent must have announced bench-small before plans for it are accepted; reuse the latency plan for that
        bench.ensurePlan("bench-small-latency", Bench.SMALL_TARGET);

        List<Double> dumps = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Duration d = bench.pgDump(Bench.SMALL_DB, List.of("-Fc", "-Z0"));
            dumps.add(d.toNanos() / 1e9);
            bench.line("standalone pg_dump -Fc -Z0 %s #%d: %s s", Bench.SMALL_DB, i, Bench.seconds(d));
        }
        double medianDump = Stats.median(dumps);

        // the slot: the next minute boundary at least 30 s ahead, plus time to create the plans (~50 ms each)
        Instant earliest = Instant.now().plusSeconds(30).plusMillis(50L * plans);
        Instant slot = earliest.truncatedTo(ChronoUnit.MINUTES);
        if (slot.isBefore(earliest)) {
            slot = slot.plus(1, ChronoUnit.MINUTES);
        }
        ZonedDateTime at = slot.atZone(ZoneOffset.UTC);
        // minute, hour, day and month of the slot: fires at the slot, and not again before a year has passed, so
        // plans left behind do not fire (missed-slot catch-up) when a later benchmark starts the stack
        String cron = at.getMinute() + " " + at.getHour() + " " + at.getDayOfMonth() + " " + at.getMonthValue() + " *";
        String prefix = "bench-burst-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        bench.line("creating %d plans %s-NNN with cron '%s' UTC (slot %s)", plans, prefix, cron, slot);
        Map<String, String> planIds = new LinkedHashMap<>(); // id -> name
        long createStart = System.nanoTime();
        for (int i = 1; i <= plans; i++) {
            String name = String.format("%s-%03d", prefix, i);
            String target = targets == 1 ? Bench.SMALL_TARGET : Bench.burstTarget(1 + (i - 1) % targets);
            JsonNode plan = bench.createPlan(name, target, cron, "UTC");
            planIds.put(plan.path("id").asString(), name);
            if (!slot.equals(Instant.parse(plan.path("nextFireAt").asString()))) {
                throw new BenchException("plan " + name + " next fires at " + plan.path("nextFireAt").asString()
                        + ", not at the slot " + slot);
            }
        }
        bench.line("created %d plans in %.1f s", plans, (System.nanoTime() - createStart) / 1e9);
        if (!Instant.now().isBefore(slot)) {
            throw new BenchException("creating the plans took past the slot " + slot);
        }
        bench.line("waiting %.0f s for the slot %s", Duration.between(Instant.now(), slot).toMillis() / 1000.0, slot);
        Bench.sleep(Math.max(0, Duration.between(Instant.now(), slot).toMillis()));

        Map<String, JsonNode> finished = new LinkedHashMap<>(); // plan id -> final run
        Map<String, String> lastState = new LinkedHashMap<>();
        Instant deadline = slot.plus(timeout);
        Instant lastChange = Instant.now();
        while (finished.size() < plans && Instant.now().isBefore(deadline)
                && Duration.between(lastChange, Instant.now()).compareTo(stall) < 0) {
            for (String planId : planIds.keySet()) {
                if (finished.containsKey(planId)) {
                    continue;
                }
                JsonNode run = runOfSlot(bench, planId, slot);
                String state = run == null ? "MISSING" : run.path("state").asString();
                if (!state.equals(lastState.put(planId, state))) {
                    lastChange = Instant.now();
                }
                if (state.equals("STORED") || state.equals("VERIFIED") || state.equals("FAILED")) {
                    finished.put(planId, run);
                }
            }
            if (finished.size() < plans) {
                Map<String, Integer> counts = new java.util.TreeMap<>();
                lastState.values().forEach(s -> counts.merge(s, 1, Integer::sum));
                bench.line("  +%.0f s after the slot: %s", Duration.between(slot, Instant.now()).toMillis() / 1000.0,
                        counts);
                Bench.sleep(2000);
            }
        }

        int stored = 0;
        int failed = 0;
        Instant lastStored = null;
        Instant firstRequested = null;
        Instant lastRequested = null;
        for (JsonNode run : finished.values()) {
            if (run.path("state").asString().equals("FAILED")) {
                failed++;
                bench.line("  %s", Bench.failure(run));
                continue;
            }
            stored++;
            Instant storedAt = Instant.parse(run.path("storedAt").asString());
            lastStored = lastStored == null || storedAt.isAfter(lastStored) ? storedAt : lastStored;
        }
        for (String planId : planIds.keySet()) {
            JsonNode run = finished.get(planId);
            if (run != null && run.path("requestedAt").isString()) {
                Instant requested = Instant.parse(run.path("requestedAt").asString());
                firstRequested = firstRequested == null || requested.isBefore(firstRequested) ? requested : firstRequested;
                lastRequested = lastRequested == null || requested.isAfter(lastRequested) ? requested : lastRequested;
            }
        }
        int missing = plans - stored - failed;
        if (missing > 0) {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            planIds.keySet().stream().filter(id -> !finished.containsKey(id))
                    .forEach(id -> counts.merge(lastState.getOrDefault(id, "MISSING"), 1, Integer::sum));
            bench.line("not finished (last state seen): %s", counts);
        }
        double wall = lastStored == null ? Double.NaN : Duration.between(slot, lastStored).toMillis() / 1000.0;
        double summed = medianDump * plans;
        if (firstRequested != null) {
            bench.line("requested: first +%.3f s, last +%.3f s after the slot",
                    Duration.between(slot, firstRequested).toMillis() / 1000.0,
                    Duration.between(slot, lastRequested).toMillis() / 1000.0);
        }
        bench.line("runs stored=%d failed=%d missing=%d (of %d)", stored, failed, missing, plans);
        bench.line("wall time slot->last Stored: %.3f s", wall);
        bench.line("summed pg_dump time: %.3f s (median standalone pg_dump -Fc -Z0 %.3f s x %d)", summed, medianDump,
                plans);
        bench.line("burst_wall_s=%.3f summed_pg_dump_s=%.3f ratio=%.3f", wall, summed, wall / summed);
        if (missing > 0 || failed > 0) {
            throw new BenchException(failed + " runs failed and " + missing + " are missing");
        }
    }

    /** The newest attempt of the plan's run for {@code slot}, or null. */
    private static JsonNode runOfSlot(Bench bench, String planId, Instant slot) {
        BackbusApi.Answer answer = bench.api.runsOfPlan(planId);
        if (!answer.ok() || answer.body() == null) {
            return null;
        }
        JsonNode best = null;
        for (JsonNode run : answer.body()) {
            JsonNode scheduledFor = run.path("scheduledFor");
            if (scheduledFor.isString() && Instant.parse(scheduledFor.asString()).equals(slot)
                    && (best == null || run.path("attempt").asInt() > best.path("attempt").asInt())) {
                best = run;
            }
        }
        return best;
    }
}
