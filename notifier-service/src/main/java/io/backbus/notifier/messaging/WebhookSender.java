package io.backbus.notifier.messaging;

import io.backbus.notifier.config.NotifierProperties;
import io.backbus.notifier.domain.Alert;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** POSTs one alert to the configured webhook. */
@Component
class WebhookSender {

    static final String ALERT_ID_HEADER = "X-Backbus-Alert-Id";

    /** The result of one POST; {@code error} is safe to store and log (no URL, no secret). */
    record Result(boolean delivered, String error) {
    }

    private final HttpClient http;
    private final NotifierProperties.Webhook webhook;
    private final JsonMapper json;

    WebhookSender(HttpClient webhookHttpClient, NotifierProperties properties, JsonMapper json) {
        this.http = webhookHttpClient;
        this.webhook = properties.webhook();
        this.json = json;
    }

    boolean configured() {
        return webhook.configured();
    }

    /** Where alerts go, without the parts of the URL that may carry a token. */
    String channel() {
        return "webhook " + webhook.redactedUrl();
    }

    Result send(Alert alert) {
        byte[] body = json.writeValueAsBytes(WebhookPayload.of(alert));
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url())
                .timeout(webhook.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "backbus-notifier")
                .header(ALERT_ID_HEADER, alert.id().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (webhook.secret() != null) {
            request.header(WebhookSignature.HEADER, WebhookSignature.of(webhook.secret(), body));
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? new Result(true, null) : new Result(false, "HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new Result(false, "timed out after " + webhook.timeout());
        } catch (IOException e) {
            return new Result(false, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }

    /** The exception's kind and message, with the URL (which may carry a token) taken out. */
    private String describe(IOException e) {
        Throwable cause = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage()
                .replace(webhook.url().toString(), "<webhook>");
        return cause.getClass().getSimpleName() + message;
    }
}
