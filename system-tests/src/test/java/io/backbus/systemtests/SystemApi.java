package io.backbus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The scheduler's and the catalog's REST APIs as the system tests drive them. */
final class SystemApi {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> FINAL = Set.of("STORED", "VERIFIED", "FAILED");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI scheduler;
    private final URI retention;
    private final String token;

    /** Sending {@code token} (the stack's admin token) as {@code Authorization: Bearer} with every request. */
    SystemApi(URI scheduler, URI retention, String token) {
        this.scheduler = scheduler;
        this.retention = retention;
        this.token = token;
    }

    /** The agent announces its targets after start; until the scheduler heard it, the plan is refused with 400. */
    JsonNode createPlanOnceTargetIsKnown(String name, String target, String agent) {
        return createPlanOnceTargetIsKnown(Map.of("name", name, "target", target, "agent", agent,
                "cron", "0 3 * * *", "timeZone", "Europe/Berlin"));
    }

    /** A plan with any fields (restore test, smoke queries), created once its target is known. */
    JsonNode createPlanOnceTargetIsKnown(Map<String, ?> plan) {
        String body = JSON.writeValueAsString(plan);
        HttpResponse<String> created = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> send(HttpRequest.newBuilder(scheduler.resolve("/plans"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))), r -> r.statusCode() != 400);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    String runNow(String planId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(scheduler.resolve("/plans/" + planId + "/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("id").asString();
    }

    JsonNode awaitFinalState(String runId, Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> JSON.readTree(send(HttpRequest.newBuilder(scheduler.resolve("/runs/" + runId)).GET()).body()),
                        run -> FINAL.contains(run.path("state").asString()));
    }

    JsonNode run(String runId) {
        return JSON.readTree(send(HttpRequest.newBuilder(scheduler.resolve("/runs/" + runId)).GET()).body());
    }

    /** {@code POST /restores}: the scheduler's answer as it is (status and body). */
    HttpResponse<String> requestRestore(Map<String, ?> restore) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/restores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(restore))));
    }

    /** A restore, once it is VERIFIED or FAILED. */
    JsonNode awaitRestore(String restoreId, Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> JSON.readTree(send(HttpRequest.newBuilder(scheduler.resolve("/restores/" + restoreId))
                        .GET()).body()), r -> Set.of("VERIFIED", "FAILED").contains(r.path("state").asString()));
    }

    /** {@code GET /plans/{id}/restore-tests}. */
    JsonNode restoreTests(String planId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(scheduler.resolve("/plans/" + planId
                + "/restore-tests")).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** {@code POST /catalog/rebuild} on the retention service. */
    JsonNode rebuildCatalog() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(retention.resolve("/catalog/rebuild"))
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    JsonNode backup(String backupId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(retention.resolve("/backups/" + backupId)).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    JsonNode backups(String target) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(retention.resolve("/backups?target=" + target)).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
