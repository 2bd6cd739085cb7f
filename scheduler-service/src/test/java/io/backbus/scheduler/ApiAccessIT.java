package io.backbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.testsupport.ApiCallers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Who may call which endpoint family of the scheduler (ADR 0011): every role, with a static token and with a JWT,
 * on reads, plan changes, run-now and the three kinds of restore; 401 without credentials, 403 without the role,
 * both problem+json; an audit line for every change, naming the principal and never the token.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiAccessIT extends SchedulerIntegrationTest {

    private static final CatalogStub CATALOG = CatalogStub.get();

    /** An endpoint family and the lowest role it admits. */
    enum Family {
        READ_PLANS("viewer"), READ_RUNS("viewer"), CREATE_PLAN("admin"), RUN_NOW("operator"),
        RESTORE_NEW_DATABASE("operator"), RESTORE_CLEAN("admin"), RESTORE_EXISTING_DATABASE("admin");

        final String lowest;

        Family(String lowest) {
            this.lowest = lowest;
        }

        boolean admits(ApiCallers caller) {
            return caller.ordinal() >= ApiCallers.valueOf(lowest.toUpperCase()).ordinal();
        }
    }

    static Stream<Arguments> everyRoleOnEveryFamily() {
        return Stream.of(Family.values()).flatMap(f -> Stream.of(ApiCallers.values())
                .flatMap(c -> Stream.of(Arguments.of(f, c, false), Arguments.of(f, c, true))));
    }

    private record Call(HttpMethod method, String path, String json, int success) {
    }

    private Call call(Family family) {
        return switch (family) {
            case READ_PLANS -> new Call(HttpMethod.GET, "/plans", null, 200);
            case READ_RUNS -> new Call(HttpMethod.GET, "/runs", null, 200);
            case CREATE_PLAN -> new Call(HttpMethod.POST, "/plans", PlanMother.nightly(PlanMother.uniqueName("auth")),
                    201);
            case RUN_NOW -> new Call(HttpMethod.POST, "/plans/" + createPlan(PlanMother.nightly(
                    PlanMother.uniqueName("auth-run"))) + "/runs", null, 202);
            case RESTORE_NEW_DATABASE -> new Call(HttpMethod.POST, "/restores", restore(false, true), 202);
            case RESTORE_CLEAN -> new Call(HttpMethod.POST, "/restores", restore(true, true), 202);
            case RESTORE_EXISTING_DATABASE -> new Call(HttpMethod.POST, "/restores", restore(false, false), 202);
        };
    }

    private static String restore(boolean clean, boolean createDatabase) {
        CatalogStub.Backup backup = CATALOG.available("orders", Instant.now().minusSeconds(60));
        return """
                {"backupId": "%s", "destination": {"agentId": "db-host-1", "target": "billing", "database": "%s"},
                 "clean": %s, "createDatabase": %s}""".formatted(backup.backupId(),
                "auth_" + UUID.randomUUID().toString().substring(0, 8), clean, createDatabase);
    }

    private Reply exchange(HttpMethod method, String path, String authorization, String json) {
        RestClient.RequestBodySpec request = RestClient.create("http://localhost:" + port).method(method).uri(path);
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (json != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(json);
        }
        return request.exchange((req, response) -> {
            String text = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            return new Reply(response.getStatusCode().value(), response.getHeaders(),
                    text.isBlank() ? null : JSON.readTree(text));
        });
    }

    @ParameterizedTest(name = "{0} as {1} (jwt {2})")
    @MethodSource("everyRoleOnEveryFamily")
    void everyRoleOnEveryFamily(Family family, ApiCallers caller, boolean jwt) {
        CATALOG.mode(CatalogStub.Mode.UP);
        Call call = call(family);
        Reply reply = exchange(call.method(), call.path(), jwt ? caller.jwtBearer() : caller.bearer(), call.json());
        if (family.admits(caller)) {
            assertThat(reply.status()).as("%s", reply.body()).isEqualTo(call.success());
        } else {
            assertProblem(reply, 403);
            // a viewer is refused a restore at the door (operator); an operator's clean one by the body check (admin)
            boolean atTheDoor = caller == ApiCallers.VIEWER && family.name().startsWith("RESTORE");
            assertThat(reply.text("requiredRole")).isEqualTo(atTheDoor ? "operator" : family.lowest);
        }
    }

    @ParameterizedTest(name = "{0} without credentials")
    @MethodSource("families")
    void everyFamilyWithoutCredentials401(Family family) {
        Call call = call(family);
        Reply reply = exchange(call.method(), call.path(), null, call.json());
        assertProblem(reply, 401);
        assertThat(reply.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        assertThat(exchange(call.method(), call.path(), "Bearer not-a-token", call.json()).status()).isEqualTo(401);
    }

    static Stream<Family> families() {
        return Stream.of(Family.values());
    }

    @Test
    void healthIsOpenInfoIsForViewersAndAnUnknownPathIsClosed() {
        assertThat(exchange(HttpMethod.GET, "/actuator/health", null, null).status()).isEqualTo(200);
        assertThat(exchange(HttpMethod.GET, "/actuator/health/liveness", null, null).status()).isNotIn(401, 403);
        assertProblem(exchange(HttpMethod.GET, "/actuator/info", null, null), 401);
        assertThat(exchange(HttpMethod.GET, "/actuator/info", ApiCallers.VIEWER.bearer(), null).status())
                .isEqualTo(200);
        assertProblem(exchange(HttpMethod.GET, "/nowhere", null, null), 401);
        assertProblem(exchange(HttpMethod.GET, "/nowhere", ApiCallers.ADMIN.bearer(), null), 403);
    }

    @Test
    void restoresRunsAndPlanChangesAreAuditedWithThePrincipalNeverTheToken(CapturedOutput output) {
        CATALOG.mode(CatalogStub.Mode.UP);
        String planName = PlanMother.uniqueName("audited");
        Reply plan = exchange(HttpMethod.POST, "/plans", ApiCallers.ADMIN.bearer(), PlanMother.nightly(planName));
        assertThat(plan.status()).isEqualTo(201);
        String planId = plan.text("id");
        Reply run = exchange(HttpMethod.POST, "/plans/" + planId + "/runs", ApiCallers.OPERATOR.jwtBearer(), null);
        assertThat(run.status()).isEqualTo(202);
        Reply restore = exchange(HttpMethod.POST, "/restores", ApiCallers.ADMIN.jwtBearer(), restore(true, true));
        assertThat(restore.status()).isEqualTo(202);
        assertProblem(exchange(HttpMethod.POST, "/restores", ApiCallers.OPERATOR.bearer(), restore(false, false)),
                403);

        assertThat(output.getOut())
                .contains("backbus.audit", "principal=it-admin action=plan.created plan=" + planId + " name="
                        + planName)
                .contains("principal=jwt-operator action=plan.run-now plan=" + planId + " run=" + run.text("id"))
                .contains("principal=jwt-admin action=restore.requested restore=" + restore.text("id"))
                .contains("clean=true createDatabase=true")
                .contains("principal=it-operator action=denied a restore into an existing database needs the role"
                        + " admin");
        for (ApiCallers caller : ApiCallers.values()) {
            assertThat(output.getOut()).doesNotContain(caller.token());
        }
    }

    private static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(status);
        assertThat(reply.headers().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(reply.body().get("status").asInt()).isEqualTo(status);
        assertThat(reply.text("detail")).isNotBlank();
    }
}
