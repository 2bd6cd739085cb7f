package io.backbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class PlansIT extends SchedulerIntegrationTest {

    @Test
    void createsAPlanForAnAnnouncedTarget() {
        String name = PlanMother.uniqueName("orders-nightly");

        Reply created = post("/plans", PlanMother.nightly(name));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().getContentType().toString()).startsWith("application/json");
        String id = created.text("id");
        assertThat(created.headers().getLocation()).hasToString("http://localhost:" + port + "/plans/" + id);
        assertThat(created.text("name")).isEqualTo(name);
        assertThat(created.text("target")).isEqualTo("orders");
        assertThat(created.text("agent")).isEqualTo("db-host-1");
        assertThat(created.text("cron")).isEqualTo("0 2 * * *");
        assertThat(created.text("timeZone")).isEqualTo("Europe/Berlin");
        Instant nextFireAt = Instant.parse(created.text("nextFireAt"));
        assertThat(nextFireAt).isAfter(Instant.now()).isBefore(Instant.now().plusSeconds(25 * 3600));

        Reply fetched = get("/plans/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(created.body());
        Reply all = get("/plans");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().valueStream().map(p -> p.get("id").asString())).contains(id);
    }

    static Stream<Arguments> badPlans() {
        String name = "bad-plan-" + UUID.randomUUID().toString().substring(0, 8);
        return Stream.of(
                Arguments.of("invalid cron", "cron", PlanMother.json(name, "orders", "db-host-1", "0 25 * * *", "UTC")),
                Arguments.of("cron with 4 fields", "cron", PlanMother.json(name, "orders", "db-host-1", "0 2 * *", "UTC")),
                Arguments.of("unknown time zone", "timeZone",
                        PlanMother.json(name, "orders", "db-host-1", "0 2 * * *", "Europe/Atlantis")),
                Arguments.of("target never announced", "target",
                        PlanMother.json(name, "inventory", "db-host-1", "0 2 * * *", "UTC")),
                Arguments.of("agent never announced", "target",
                        PlanMother.json(name, "orders", "db-host-99", "0 2 * * *", "UTC")),
                Arguments.of("missing name", "name", PlanMother.json(null, "orders", "db-host-1", "0 2 * * *", "UTC")),
                Arguments.of("blank target", "target", PlanMother.json(name, " ", "db-host-1", "0 2 * * *", "UTC")),
                Arguments.of("missing agent", "agent", PlanMother.json(name, "orders", null, "0 2 * * *", "UTC")),
                Arguments.of("blank cron", "cron", PlanMother.json(name, "orders", "db-host-1", "", "UTC")),
                Arguments.of("missing time zone", "timeZone",
                        PlanMother.json(name, "orders", "db-host-1", "0 2 * * *", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPlans")
    void refusesABadPlanNamingTheFieldAndStoresNothing(String why, String field, String json) {
        int plansBefore = count("select count(*) from plan");

        Reply reply = post("/plans", json);

        assertProblem(reply, 400);
        assertThat(reply.text("detail")).contains(field);
        assertThat(fields(reply)).contains(field);
        assertThat(count("select count(*) from plan")).isEqualTo(plansBefore);
    }

    @Test
    void refusesADuplicateName() {
        String name = PlanMother.uniqueName("orders-dup");
        createPlan(PlanMother.nightly(name));

        Reply reply = post("/plans", PlanMother.nightly(name));

        assertProblem(reply, 400);
        assertThat(reply.text("detail")).contains("name");
        assertThat(fields(reply)).containsExactly("name");
        assertThat(count("select count(*) from plan where name = ?", name)).isEqualTo(1);
    }

    @Test
    void refusesMalformedJson() {
        int plansBefore = count("select count(*) from plan");

        assertProblem(post("/plans", "{\"name\": \"x\", "), 400);
        assertProblem(post("/plans", null), 400);
        assertThat(count("select count(*) from plan")).isEqualTo(plansBefore);
    }

    @Test
    void healthIsUp() {
        Reply health = get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
    }

    @Test
    void unknownIdsAreNotFound() {
        UUID unknown = UUID.randomUUID();

        assertProblem(get("/plans/" + unknown), 404);
        assertProblem(post("/plans/" + unknown + "/runs", null), 404);
        assertProblem(get("/runs/" + unknown), 404);
        assertProblem(get("/plans/not-a-uuid"), 400);
    }

    @Test
    void anAgentsAnnouncementReplacesItsPreviousTargets() {
        String agent = "db-host-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.now();
        awaitProcessed(EventMother.publish(Topics.AGENT_ANNOUNCED, EventTypes.AGENT_ANNOUNCED, agent, agent,
                EventMother.agentAnnounced(agent, t0, "alpha", "beta")));
        awaitProcessed(EventMother.publish(Topics.AGENT_ANNOUNCED, EventTypes.AGENT_ANNOUNCED, agent, agent,
                EventMother.agentAnnounced(agent, t0.plusSeconds(1), "beta", "gamma")));
        // an announcement that arrives late (older than the one known) changes nothing
        awaitProcessed(EventMother.publish(Topics.AGENT_ANNOUNCED, EventTypes.AGENT_ANNOUNCED, agent, agent,
                EventMother.agentAnnounced(agent, t0.minusSeconds(60), "alpha")));

        assertThat(jdbc.sql("select target from agent_target where agent_id = ? order by target").param(agent)
                .query(String.class).list()).containsExactly("beta", "gamma");
        assertProblem(post("/plans", PlanMother.json(PlanMother.uniqueName("alpha"), "alpha", agent, "0 2 * * *",
                "UTC")), 400);
        createPlan(PlanMother.json(PlanMother.uniqueName("gamma"), "gamma", agent, "0 2 * * *", "UTC"));
    }

    private static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(status);
        assertThat(reply.headers().getContentType()).hasToString("application/problem+json");
        assertThat(reply.body().get("status").asInt()).isEqualTo(status);
        assertThat(reply.text("detail")).isNotBlank();
    }

    private static List<String> fields(Reply reply) {
        JsonNode errors = reply.body().get("errors");
        assertThat(errors).as("errors in %s", reply.body()).isNotNull();
        return errors.valueStream().map(e -> {
            assertThat(e.get("message").asString()).isNotBlank();
            return e.get("field").asString();
        }).toList();
    }
}
