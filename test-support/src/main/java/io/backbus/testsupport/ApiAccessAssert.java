package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * Asserts who may call one endpoint of a running service (ADR 0011): without credentials and with an unknown
 * token 401, with each role below the lowest that is admitted 403 naming that role, and with it and every higher
 * one the expected success; each refusal {@code application/problem+json}, none echoing the token. Every role is
 * tried with its static token and with a JWT ({@link ApiCallers}).
 */
public final class ApiAccessAssert {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, content type, WWW-Authenticate and body. */
    public record Answer(int status, String contentType, String challenge, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private ApiAccessAssert() {
    }

    /**
     * Asserts the access rules of {@code method path} at {@code base}.
     *
     * @param body    the request body for each attempt (JSON, or null), made afresh for each (a new plan name)
     * @param lowest  the lowest role admitted
     * @param success the status of an admitted request
     */
    public static void assertAccess(URI base, String method, String path, Supplier<String> body, ApiCallers lowest,
            int success) {
        assertRefused(call(base, method, path, null, body.get()), 401, null);
        assertRefused(call(base, method, path, "Bearer not-a-configured-token", body.get()), 401, null);
        for (ApiCallers caller : ApiCallers.values()) {
            for (String authorization : new String[] {caller.bearer(), caller.jwtBearer()}) {
                Answer answer = call(base, method, path, authorization, body.get());
                String as = method + " " + path + " as " + caller + (authorization.equals(caller.bearer())
                        ? " (static token)" : " (JWT)") + ": " + answer.body();
                if (caller.ordinal() >= lowest.ordinal()) {
                    assertThat(answer.status()).as(as).isEqualTo(success);
                } else {
                    assertThat(answer.status()).as(as).isEqualTo(403);
                    assertRefused(answer, 403, lowest.role());
                }
                assertThat(answer.body()).as(as).doesNotContain(caller.token());
            }
        }
    }

    /** Asserts {@code answer} is a {@code status} problem, naming {@code requiredRole} if not null. */
    public static void assertRefused(Answer answer, int status, String requiredRole) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        if (status == 401) {
            assertThat(answer.challenge()).startsWith("Bearer");
        }
        if (requiredRole != null) {
            assertThat(problem.path("requiredRole").asText()).isEqualTo(requiredRole);
        }
    }

    /** One request; {@code authorization} null sends none. */
    public static Answer call(URI base, String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("WWW-Authenticate").orElse(null), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
