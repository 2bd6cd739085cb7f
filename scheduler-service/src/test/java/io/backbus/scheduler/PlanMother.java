package io.backbus.scheduler;

import java.util.UUID;

/** Plan request bodies for the REST API; names are unique because all ITs share one database. */
final class PlanMother {

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A valid nightly plan for the sample agent's announced target. */
    static String nightly(String name) {
        return json(name, Events.SAMPLE_TARGET, Events.SAMPLE_AGENT, "0 2 * * *", "Europe/Berlin");
    }

    static String withCron(String name, String cron) {
        return json(name, Events.SAMPLE_TARGET, Events.SAMPLE_AGENT, cron, "UTC");
    }

    static String json(String name, String target, String agent, String cron, String timeZone) {
        return "{" + field("name", name) + "," + field("target", target) + "," + field("agent", agent) + ","
                + field("cron", cron) + "," + field("timeZone", timeZone) + "}";
    }

    private static String field(String name, String value) {
        return "\"" + name + "\": " + (value == null ? "null" : "\"" + value + "\"");
    }

    private PlanMother() {
    }
}
