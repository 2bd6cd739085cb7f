package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST client shared by the CLI and the benchmarks, against a {@link ServiceStandIn} for the scheduler. */
class BackbusApiTest {

    private static final Map<String, String> PLAN = Map.of("name", "nightly", "target", "shop", "agent",
            "local-agent", "cron", "0 3 * * *", "timeZone", "UTC");

    private final ServiceStandIn scheduler = new ServiceStandIn();
    private final BackbusApi api = new BackbusApi(scheduler.url(), scheduler.url());

    @AfterEach
    void stop() {
        scheduler.close();
    }

    @Test
    void aPlanIsPostedAgainWhileTheTargetIsNotYetAnnounced() {
        scheduler.problem("POST /plans", 400, "{\"status\": 400, \"detail\": \"unknown target shop\"}")
                .answer("POST /plans", 201, "{\"id\": \"p-1\", \"name\": \"nightly\"}");

        BackbusApi.Answer answer = api.createPlanOnceTargetKnown(PLAN, Duration.ofSeconds(10));

        assertThat(answer.ok()).isTrue();
        assertThat(answer.body().path("id").asString()).isEqualTo("p-1");
        assertThat(scheduler.received()).hasSize(2);
    }

    @Test
    void theTokenGoesAsABearerWithEveryRequestAndA401HintsWhereToSetIt() {
        scheduler.answer("GET /plans", 200, "[]").problem("GET /runs/run-1", 401,
                "{\"status\": 401, \"detail\": \"authentication required\"}");
        BackbusApi withToken = new BackbusApi(scheduler.url(), scheduler.url(), "t0ken");

        assertThat(withToken.plans().ok()).isTrue();
        BackbusApi.Answer refused = withToken.run("run-1");
        api.plans();

        assertThat(scheduler.authorizations()).containsExactly("Bearer t0ken", "Bearer t0ken", "null");
        assertThat(refused.problem()).isEqualTo("HTTP 401: authentication required (set BACKBUS_TOKEN or"
                + " ~/.config/backbus/token)");
    }

    @Test
    void anyOtherRefusalIsReturnedAtOnce() {
        scheduler.problem("POST /plans", 409, "{\"status\": 409, \"detail\": \"a plan named nightly exists\"}");

        BackbusApi.Answer answer = api.createPlanOnceTargetKnown(PLAN, Duration.ofSeconds(10));

        assertThat(answer.problem()).isEqualTo("HTTP 409: a plan named nightly exists");
        assertThat(scheduler.received()).hasSize(1);
    }

    @Test
    void aTargetThatStaysUnknownIsReturnedAfterTheWait() {
        scheduler.problem("POST /plans", 400, "{\"status\": 400, \"detail\": \"unknown target shop\"}");

        BackbusApi.Answer answer = api.createPlanOnceTargetKnown(PLAN, Duration.ZERO);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.problem()).isEqualTo("HTTP 400: unknown target shop");
    }

    @Test
    void aBodyThatIsNotJsonIsKeptAsNoBody() {
        scheduler.answer("GET /runs/run-1", 502, "<html>bad gateway</html>");

        BackbusApi.Answer answer = api.run("run-1");

        assertThat(answer.body()).isNull();
        assertThat(answer.problem()).isEqualTo("HTTP 502");
    }
}
