package io.backbus.notifier.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the notifier, under {@code backbus.notifier}. A bad value fails the start with a message naming the
 * property.
 *
 * @param webhook  the generic webhook alerts are POSTed to
 * @param delivery retries of a failing delivery
 */
@ConfigurationProperties("backbus.notifier")
public record NotifierProperties(Webhook webhook, Delivery delivery) {

    public NotifierProperties {
        webhook = webhook == null ? new Webhook(null, null, null) : webhook;
        delivery = delivery == null ? new Delivery(null, null, null, null) : delivery;
    }

    /**
     * @param url     where alerts are POSTed; when absent, alerts are kept PENDING and delivered once one is set
     * @param secret  when set, each POST carries {@code X-Backbus-Signature: sha256=<hex HMAC-SHA256 of the body>}
     * @param timeout connect and response timeout of one POST
     */
    public record Webhook(URI url, String secret, Duration timeout) {

        public Webhook {
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            if (url != null) {
                String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                    throw new IllegalArgumentException("backbus.notifier.webhook.url must be an absolute http(s) URL");
                }
            }
            if (secret != null && secret.isBlank()) {
                secret = null;
            }
            requirePositive(timeout, "backbus.notifier.webhook.timeout");
        }

        public boolean configured() {
            return url != null;
        }

        /** The URL without path or query, which may carry a token: safe to log. */
        public String redactedUrl() {
            return url == null ? "(none)" : url.getScheme() + "://" + url.getAuthority() + "/…";
        }

        @Override
        public String toString() {
            return "Webhook[url=" + redactedUrl() + ", secret=" + (secret == null ? "(none)" : "(set)") + ", timeout="
                    + timeout + "]";
        }
    }

    /**
     * @param maxAttempts    POSTs of one alert before it is given up
     * @param initialBackoff wait after the first failed POST; doubles after each further failure
     * @param maxBackoff     cap of one wait
     * @param pollInterval   how often due alerts are looked for
     */
    public record Delivery(Integer maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration pollInterval) {

        public Delivery {
            maxAttempts = maxAttempts == null ? 8 : maxAttempts;
            initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
            maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
            pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("backbus.notifier.delivery.max-attempts must be at least 1");
            }
            requirePositive(initialBackoff, "backbus.notifier.delivery.initial-backoff");
            requirePositive(maxBackoff, "backbus.notifier.delivery.max-backoff");
            requirePositive(pollInterval, "backbus.notifier.delivery.poll-interval");
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "backbus.notifier.delivery.max-backoff must not be shorter than initial-backoff");
            }
        }
    }

    private static void requirePositive(Duration value, String property) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive");
        }
    }
}
