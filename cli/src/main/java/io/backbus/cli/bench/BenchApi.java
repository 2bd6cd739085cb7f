package io.backbus.cli.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The scheduler's and the catalog's REST APIs as the benchmarks use them. */
final class BenchApi {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI scheduler;
    private final URI retention;

    BenchApi(URI scheduler, URI retention) {
        this.scheduler = scheduler;
        this.retention = retention;
    }

    /** An HTTP answer: status and parsed JSON body (or null). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String problem() {
            return "HTTP " + status + (body == null ? "" : ": " + body);
        }
    }

    Answer createPlan(Map<String, String> plan) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/plans"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(plan))));
    }

    Answer plans() {
        return send(HttpRequest.newBuilder(scheduler.resolve("/plans")).GET());
    }

    Answer runNow(String planId) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/plans/" + planId + "/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    Answer run(String runId) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/runs/" + runId)).GET());
    }

    Answer runsOfPlan(String planId) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/runs?plan=" + planId)).GET());
    }

    Answer backups(String target) {
        return send(HttpRequest.newBuilder(retention.resolve("/backups?target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8))).GET());
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw new BenchException("cannot reach " + request.build().uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
