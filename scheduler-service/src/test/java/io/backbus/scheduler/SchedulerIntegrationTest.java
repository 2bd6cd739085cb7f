package io.backbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.testsupport.ApiCallers;
import io.backbus.testsupport.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the scheduler's ITs: one Spring context (same configuration in every subclass, so it is cached and
 * shared) on the real Kafka and PostgreSQL of {@link TestServers}, with the sample agent announced and the
 * catalog served by {@link CatalogStub}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class SchedulerIntegrationTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static volatile boolean sampleAgentAnnounced;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "scheduler");
        // the catalog is retention-service's; the ITs serve its read API from a stub (see CatalogStub)
        registry.add("backbus.scheduler.catalog-url", () -> CatalogStub.get().url().toString());
        registry.add("backbus.scheduler.catalog-token", ApiCallers.VIEWER::token);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    RestClient http;

    /** One HTTP exchange: status, headers and the body as JSON (null when empty). */
    record Reply(int status, HttpHeaders headers, JsonNode body) {
        String text(String field) {
            return SchedulerIntegrationTest.text(body, field);
        }
    }

    /** A field of a JSON object as text, null when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    @BeforeEach
    void connectAndAnnounceTheSampleAgent() {
        http = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, ApiCallers.ADMIN.bearer()).build();
        if (!sampleAgentAnnounced) {
            UUID id = EventMother.publish(Topics.AGENT_ANNOUNCED, EventTypes.AGENT_ANNOUNCED, EventMother.SAMPLE_AGENT,
                    EventMother.SAMPLE_AGENT, EventMother.agentAnnounced());
            awaitProcessed(id);
            sampleAgentAnnounced = true;
        }
    }

    Reply post(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json == null ? "" : json)
                .exchange((request, response) -> reply(response.getStatusCode().value(), response.getHeaders(),
                        response.getBody().readAllBytes()));
    }

    Reply get(String path) {
        return http.get().uri(path).exchange((request, response) -> reply(response.getStatusCode().value(),
                response.getHeaders(), response.getBody().readAllBytes()));
    }

    private static Reply reply(int status, HttpHeaders headers, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return new Reply(status, headers, text.isBlank() ? null : JSON.readTree(text));
    }

    /** Creates a plan through the API and returns its id. */
    UUID createPlan(String json) {
        Reply reply = post("/plans", json);
        assertThat(reply.status()).as("POST /plans %s -> %s", json, reply.body()).isEqualTo(201);
        return UUID.fromString(reply.text("id"));
    }

    /** Runs a plan now through the API and returns the run id. */
    UUID runNow(UUID planId) {
        Reply reply = post("/plans/" + planId + "/runs", null);
        assertThat(reply.status()).as("run now -> %s", reply.body()).isEqualTo(202);
        return UUID.fromString(reply.text("id"));
    }

    Reply awaitRun(UUID runId, String state) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/runs/" + runId), r -> r.status() == 200 && state.equals(r.text("state")));
    }

    /** Waits until the scheduler's consumer committed the processing of event {@code ceId}. */
    void awaitProcessed(UUID ceId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> jdbc
                .sql("select count(*) from processed_event where event_id = ?").param(ceId).query(Integer.class)
                .single() == 1);
    }

    int count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Integer.class).single();
    }
}
