package io.backbus.scheduler;

import java.util.UUID;

/** Plan request bodies for the REST API; names are unique because all ITs share one database. */
final class PlanMother {

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A valid nightly plan for the sample agent's announced target. */
    static String nightly(String name) {
        return json(name, EventMother.SAMPLE_TARGET, EventMother.SAMPLE_AGENT, "0 2 * * *", "Europe/Berlin");
    }

    static String withCron(String name, String cron) {
        return json(name, EventMother.SAMPLE_TARGET, EventMother.SAMPLE_AGENT, cron, "UTC");
    }

    static String json(String name, String target, String agent, String cron, String timeZone) {
        return "{" + field("name", name) + "," + field("target", target) + "," + field("agent", agent) + ","
                + field("cron", cron) + "," + field("timeZone", timeZone) + "}";
    }

    /**
     * A nightly plan of the sample agent's target with restore tests: {@code restoreTest} and {@code smokeQueries}
     * are JSON (or null to leave them out).
     */
    static String withRestoreTest(String name, String restoreTest, String smokeQueries) {
        return withRestoreTest(name, EventMother.SAMPLE_TARGET, EventMother.SAMPLE_AGENT, restoreTest, smokeQueries);
    }

    static String withRestoreTest(String name, String target, String agent, String restoreTest,
            String smokeQueries) {
        String plan = json(name, target, agent, "0 2 * * *", "Europe/Berlin");
        return plan.substring(0, plan.length() - 1)
                + (restoreTest == null ? "" : ", \"restoreTest\": " + restoreTest)
                + (smokeQueries == null ? "" : ", \"smokeQueries\": " + smokeQueries) + "}";
    }

    private static String field(String name, String value) {
        return "\"" + name + "\": " + (value == null ? "null" : "\"" + value + "\"");
    }

    private PlanMother() {
    }
}
