package io.backbus.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.testsupport.ApiCallers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auto-configuration on a real server (Tomcat, random port) with an API of three endpoint families and an open
 * signed path, callers from {@link ApiCallers}: static tokens and JWTs signed by a key generated for the test.
 */
@SpringBootTest(classes = ApiSecurityTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ApiSecurityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        ApiEndpointRules thingsApi() {
            return ApiEndpointRules.builder()
                    .open("/signed/**")
                    .require(ApiRole.VIEWER, HttpMethod.GET, "/things")
                    .require(ApiRole.OPERATOR, HttpMethod.POST, "/things/run", "/things/restore")
                    .require(ApiRole.ADMIN, HttpMethod.POST, "/things")
                    .build();
        }

        @Bean
        ThingsController thingsController() {
            return new ThingsController();
        }
    }

    @RestController
    static class ThingsController {
        @GetMapping("/things")
        List<String> list() {
            return List.of("a");
        }

        @PostMapping("/things/run")
        Map<String, String> run() {
            return Map.of("by", ApiAccess.principal());
        }

        @PostMapping("/things")
        Map<String, String> create() {
            ApiAudit.log("thing.created", "thing=a");
            return Map.of("by", ApiAccess.principal());
        }

        @PostMapping("/things/restore")
        Map<String, String> restore(@RequestBody Map<String, Object> body) {
            if (Boolean.TRUE.equals(body.get("clean"))) {
                ApiAccess.require(ApiRole.ADMIN, "a restore with clean");
            }
            ApiAudit.log("thing.restored", "clean=" + body.get("clean"));
            return Map.of("by", ApiAccess.principal());
        }

        @GetMapping("/signed/x")
        String signed() {
            return "open";
        }

        @GetMapping("/unruled")
        String unruled() {
            return "never";
        }
    }

    @DynamicPropertySource
    static void callers(DynamicPropertyRegistry registry) {
        ApiCallers.springProperties(registry);
    }

    @LocalServerPort
    int port;

    record Reply(int status, String contentType, String wwwAuthenticate, String text) {
        JsonNode json() {
            return JSON.readTree(text);
        }
    }

    private Reply call(String method, String path, String authorization, String body) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("WWW-Authenticate").orElse(null), response.body());
    }

    private static String bearer(ApiCallers caller, boolean jwt) {
        return jwt ? caller.jwtBearer() : caller.bearer();
    }

    /** Each role on each family, with a static token and with a JWT: 2xx where the hierarchy admits, else 403. */
    @ParameterizedTest(name = "{0} {1} as {2} (jwt {3}) -> {4}")
    @CsvSource({
            "GET,  /things,     VIEWER,   false, 200", "GET,  /things,     VIEWER,   true, 200",
            "GET,  /things,     OPERATOR, false, 200", "GET,  /things,     ADMIN,    true, 200",
            "POST, /things/run, VIEWER,   false, 403", "POST, /things/run, VIEWER,   true, 403",
            "POST, /things/run, OPERATOR, false, 200", "POST, /things/run, OPERATOR, true, 200",
            "POST, /things/run, ADMIN,    false, 200", "POST, /things/run, ADMIN,    true, 200",
            "POST, /things,     VIEWER,   false, 403", "POST, /things,     OPERATOR, true, 403",
            "POST, /things,     OPERATOR, false, 403", "POST, /things,     ADMIN,    false, 200",
            "POST, /things,     ADMIN,    true, 200"})
    void eachRoleOnEachFamily(String method, String path, ApiCallers caller, boolean jwt, int status)
            throws Exception {
        Reply reply = call(method, path, bearer(caller, jwt), null);
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        if (status == 403) {
            assertThat(reply.contentType()).startsWith("application/problem+json");
            JsonNode problem = reply.json();
            assertThat(problem.get("status").asInt()).isEqualTo(403);
            assertThat(problem.get("title").asString()).isEqualTo("Forbidden");
            assertThat(problem.get("requiredRole").asString()).isEqualTo(path.equals("/things") ? "admin"
                    : "operator");
            assertThat(problem.get("instance").asString()).isEqualTo(path);
        } else {
            assertThat(reply.text()).doesNotContain(caller.token());
        }
    }

    @Test
    void withoutCredentials401ProblemAndBearerChallenge() throws Exception {
        for (String path : List.of("/things", "/unruled", "/nowhere")) {
            Reply reply = call("GET", path, null, null);
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.wwwAuthenticate()).isEqualTo("Bearer");
            assertThat(reply.json().get("status").asInt()).isEqualTo(401);
            assertThat(reply.json().get("detail").asString()).contains("Authorization: Bearer");
        }
        assertThat(call("POST", "/things", null, null).status()).isEqualTo(401);
    }

    @Test
    void unknownTokensAndBadJwts401WithoutEchoingThem() throws Exception {
        String expired = ApiCallers.jwt(c -> c.subject("late").claim("roles", List.of("admin"))
                .issueTime(Date.from(Instant.now().minusSeconds(3600)))
                .expirationTime(Date.from(Instant.now().minusSeconds(600))));
        String otherIssuer = ApiCallers.jwt(c -> c.subject("x").issuer("https://evil.example")
                .claim("roles", List.of("admin")));
        String otherKey = ApiCallers.jwtOfAnotherKey(c -> c.subject("x").claim("roles", List.of("admin")));
        for (String token : List.of("not-a-configured-token", ApiCallers.ADMIN.token() + "x", expired, otherIssuer,
                otherKey)) {
            Reply reply = call("GET", "/things", "Bearer " + token, null);
            assertThat(reply.status()).as(token).isEqualTo(401);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.wwwAuthenticate()).startsWith("Bearer error=\"invalid_token\"");
            assertThat(reply.text()).doesNotContain(token);
        }
        // the hash configured is not a credential either
        assertThat(call("GET", "/things", "Bearer " + ApiCallers.sha256Hex(ApiCallers.ADMIN.token()), null)
                .status()).isEqualTo(401);
    }

    @Test
    void aJwtWithoutABackbusRoleIsAuthenticatedButMayDoNothing() throws Exception {
        String noRole = ApiCallers.jwt(c -> c.subject("someone").claim("roles", List.of("billing")));
        Reply reply = call("GET", "/things", "Bearer " + noRole, null);
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().get("requiredRole").asString()).isEqualTo("viewer");
    }

    @Test
    void signedPathsAreOpenAndUnruledOnesClosedToEveryRole() throws Exception {
        assertThat(call("GET", "/signed/x", null, null).text()).isEqualTo("open");
        Reply unruled = call("GET", "/unruled", ApiCallers.ADMIN.bearer(), null);
        assertThat(unruled.status()).isEqualTo(403);
        assertThat(unruled.contentType()).startsWith("application/problem+json");
        assertThat(unruled.json().get("detail").asString()).isEqualTo("no role may make this request");
    }

    @Test
    void theBodyDependentCheckRefusesAnOperatorsCleanRestoreAndAuditsBoth(CapturedOutput output) throws Exception {
        Reply operator = call("POST", "/things/restore", ApiCallers.OPERATOR.bearer(), "{\"clean\":true}");
        assertThat(operator.status()).isEqualTo(403);
        assertThat(operator.contentType()).startsWith("application/problem+json");
        assertThat(operator.json().get("detail").asString()).isEqualTo("a restore with clean needs the role 'admin'");
        assertThat(operator.json().get("requiredRole").asString()).isEqualTo("admin");

        assertThat(call("POST", "/things/restore", ApiCallers.OPERATOR.bearer(), "{\"clean\":false}").status())
                .isEqualTo(200);
        Reply admin = call("POST", "/things/restore", ApiCallers.ADMIN.jwtBearer(), "{\"clean\":true}");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().get("by").asString()).isEqualTo("jwt-admin");

        assertThat(output.getOut())
                .contains("backbus.audit", "principal=it-operator action=denied a restore with clean needs the role admin")
                .contains("principal=it-operator action=thing.restored clean=false")
                .contains("principal=jwt-admin action=thing.restored clean=true")
                .doesNotContain(ApiCallers.OPERATOR.token()).doesNotContain(ApiCallers.ADMIN.token());
    }

    @Test
    void thePrincipalIsTheTokensNameNeverTheToken(CapturedOutput output) throws Exception {
        Reply reply = call("POST", "/things", ApiCallers.ADMIN.bearer(), null);
        assertThat(reply.json().get("by").asString()).isEqualTo("it-admin");
        assertThat(output.getOut()).contains("principal=it-admin action=thing.created thing=a")
                .doesNotContain(ApiCallers.ADMIN.token());
    }
}
