package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private int post(java.net.URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("X-Backbus-Signature", "sig")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void recordsRequestsAndInjectsFailures() throws Exception {
        try (WebhookReceiver hook = WebhookReceiver.start().failNext(2)) {
            assertThat(hook.url().toString()).startsWith("http://127.0.0.1:").endsWith("/");
            assertThat(post(hook.url("/hooks/a?x=1"), "one")).isEqualTo(500);
            assertThat(post(hook.url("/hooks/a"), "two")).isEqualTo(500);
            assertThat(post(hook.url("/hooks/a"), "three")).isEqualTo(200);

            List<WebhookReceiver.Request> got = hook.awaitRequests(3, Duration.ofSeconds(5));
            assertThat(got).extracting(WebhookReceiver.Request::bodyAsString).containsExactly("one", "two", "three");
            assertThat(got).extracting(WebhookReceiver.Request::answeredStatus).containsExactly(500, 500, 200);
            assertThat(got.get(0).method()).isEqualTo("POST");
            assertThat(got.get(0).path()).isEqualTo("/hooks/a");
            assertThat(got.get(0).query()).isEqualTo("x=1");
            assertThat(got.get(0).header("x-backbus-signature")).isEqualTo("sig");
            assertThat(got.get(0).header("X-Backbus-Signature")).isEqualTo("sig");

            hook.failNext(1, 503);
            assertThat(post(hook.url(), "four")).isEqualTo(503);
            assertThat(post(hook.url(), "five")).isEqualTo(200);
        }
    }

    @Test
    void awaitTimesOutWithASummary() {
        try (WebhookReceiver hook = WebhookReceiver.start()) {
            assertThatThrownBy(() -> hook.awaitRequests(1, Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("expected 1 webhook request");
        }
    }
}
