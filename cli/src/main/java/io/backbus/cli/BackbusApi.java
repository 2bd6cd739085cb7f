package io.backbus.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The scheduler's, the catalog's and the uploader's REST APIs, as the CLI (and the bench module's benchmarks) use them. */
public final class BackbusApi {

    /** The JSON mapper the CLI writes and reads API bodies with. */
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI scheduler;
    private final URI retention;
    private final URI uploader;
    private final String token;

    /** Without a token: for services that do not ask for one. */
    public BackbusApi(URI scheduler, URI retention) {
        this(scheduler, retention, null);
    }

    /** Sending {@code token} (null: none) as {@code Authorization: Bearer} with every request (ADR 0011). */
    public BackbusApi(URI scheduler, URI retention, String token) {
        this(scheduler, retention, null, token);
    }

    /** With the uploader's API too ({@code /keys}), sending {@code token} (null: none) with every request. */
    public BackbusApi(URI scheduler, URI retention, URI uploader, String token) {
        this.scheduler = scheduler;
        this.retention = retention;
        this.uploader = uploader;
        this.token = token;
    }

    /** An HTTP answer: status and parsed JSON body (or null). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public String problem() {
            if (body == null) {
                return "HTTP " + status;
            }
            String detail = body.path("detail").asString("");
            String hint = status == 401 ? " (set " + ApiToken.VARIABLE + " or ~/.config/backbus/token)" : "";
            return "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail) + hint;
        }
    }

    public Answer createPlan(Map<String, ?> plan) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/plans"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(plan))));
    }

    /**
     * {@code POST /plans}, repeated every 500 ms for up to {@code wait} while the scheduler answers 400: an agent's
     * target is unknown until the agent has announced it, shortly after it starts. Returns the last answer.
     */
    public Answer createPlanOnceTargetKnown(Map<String, ?> plan, Duration wait) {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            Answer answer = createPlan(plan);
            if (answer.ok() || answer.status() != 400 || Instant.now().isAfter(deadline)) {
                return answer;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted", e);
            }
        }
    }

    public Answer runNow(String planId) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/plans/" + planId + "/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Answer run(String runId) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/runs/" + runId)).GET());
    }

    public Answer plans() {
        return send(HttpRequest.newBuilder(scheduler.resolve("/plans")).GET());
    }

    public Answer runsOfPlan(String planId) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/runs?plan=" + planId)).GET());
    }

    /** Asks the scheduler for a restore ({@code POST /restores}). */
    public Answer requestRestore(Map<String, Object> restore) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/restores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(restore))));
    }

    public Answer restore(String restoreId) {
        return send(HttpRequest.newBuilder(scheduler.resolve("/restores/" + restoreId)).GET());
    }

    public Answer backup(String backupId) {
        return send(HttpRequest.newBuilder(retention.resolve("/backups/" + backupId)).GET());
    }

    public Answer backups(String target) {
        return send(HttpRequest.newBuilder(retention.resolve("/backups?target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8))).GET());
    }

    /** Rebuilds the catalog from the bucket's manifests ({@code POST /catalog/rebuild}); may take minutes. */
    public Answer rebuildCatalog(Duration timeout) {
        return send(HttpRequest.newBuilder(retention.resolve("/catalog/rebuild")).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()), timeout);
    }

    /** The uploader's artifact keyset ({@code GET /keys}): key ids, statuses, creation times, never key material. */
    public Answer keys() {
        return send(HttpRequest.newBuilder(uploader.resolve("/keys")).header("Accept", "application/json").GET());
    }

    /** A new primary key for the uploader's keyset ({@code POST /keys/rotate}). */
    public Answer rotateKeys() {
        return send(HttpRequest.newBuilder(uploader.resolve("/keys/rotate")).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The keyset encrypted again under the uploader's configured key-encryption key ({@code POST /keys/rewrap}). */
    public Answer rewrapKeys() {
        return send(HttpRequest.newBuilder(uploader.resolve("/keys/rewrap")).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HttpRequest.Builder request) {
        return send(request, Duration.ofSeconds(30));
    }

    private Answer send(HttpRequest.Builder request, Duration timeout) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), json(response.body()));
        } catch (IOException e) {
            throw new CliException("cannot reach " + request.build().uri() + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
    }

    /** The first message in the cause chain: the JDK client's ConnectException itself has none. */
    private static String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "no connection (refused, or no such host)"
                : e.getClass().getSimpleName();
    }

    /** The body as JSON, or null when there is none or it is not JSON (a proxy's error page, say). */
    private static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }
}
