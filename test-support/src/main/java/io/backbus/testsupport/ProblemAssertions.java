package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;

/**
 * Checks of an error response to hostile input: a 4xx, {@code application/problem+json}, a {@code detail} that
 * names what was wrong, and nothing of the server's insides (no stack trace, no exception class, no SQL).
 */
public final class ProblemAssertions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemAssertions() {
    }

    /**
     * Asserts the response is problem+json with {@code status} whose body names {@code field} (in {@code detail},
     * or a {@code parameter}/{@code errors[].field} property), and returns the problem.
     */
    public static JsonNode assertProblem(HttpResponse<String> response, int status, String field) {
        String body = response.body();
        assertThat(response.statusCode()).as("status of %s, body %s", response.request().uri(), body)
                .isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as("content type, body %s", body)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertNoInsides(body);
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        assertThat(problem.path("status").asInt()).as("status in %s", body).isEqualTo(status);
        assertThat(problem.path("detail").asText()).as("detail of %s", body).isNotBlank();
        if (field != null) {
            StringBuilder named = new StringBuilder(problem.path("detail").asText()).append(' ')
                    .append(problem.path("parameter").asText());
            problem.path("errors").forEach(e -> named.append(' ').append(e.path("field").asText()));
            assertThat(named.toString()).as("the problem names '%s': %s", field, body).contains(field);
        }
        return problem;
    }

    /** No stack trace, exception class name or SQL state in a response body. */
    public static void assertNoInsides(String body) {
        assertThat(body).as("no stack trace")
                .doesNotContain("\tat ").doesNotContain("at io.backbus").doesNotContain("at org.springframework")
                .doesNotContainIgnoringCase("exception").doesNotContain("\"trace\"")
                .doesNotContain("SQLState").doesNotContain("org.postgresql");
    }
}
