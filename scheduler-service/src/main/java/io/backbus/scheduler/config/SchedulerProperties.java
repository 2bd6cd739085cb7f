package io.backbus.scheduler.config;

import static io.backbus.settings.DurationSetting.positive;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Settings of the scheduler, under {@code backbus.scheduler}. A missing setting takes its default; a zero or
 * negative duration, or a catalog URL that is not an absolute http(s) URL, fails the start naming it.
 *
 * @param tick                  how often due plans and due restore tests are looked for (default 1s): the
 *                              worst-case lateness of a slot
 * @param runTimeout            how long a run may stay REQUESTED or DUMPED before it is failed as stalled (default 6h)
 * @param stallCheck            how often stalled runs and restores are looked for (default 1m)
 * @param catalogUrl            base URL of the backup catalog (retention-service), default
 *                              {@code http://localhost:8084}
 * @param catalogConnectTimeout how long to wait for a connection to the catalog (default 2s)
 * @param catalogReadTimeout    how long to wait for the catalog's answer (default 10s)
 * @param restoreTimeout        how long a restore may stay PENDING, REQUESTED or READY before it is failed as
 *                              stalled (default 6h)
 * @param catalogToken          the bearer token the scheduler presents to the catalog (a retention token of role
 *                              {@code viewer}, ADR 0011); unset, it sends none (and a secured catalog answers 401)
 */
@ConfigurationProperties("backbus.scheduler")
public record SchedulerProperties(Duration tick, Duration runTimeout, Duration stallCheck, URI catalogUrl,
        Duration catalogConnectTimeout, Duration catalogReadTimeout, Duration restoreTimeout, String catalogToken) {

    public static final URI DEFAULT_CATALOG_URL = URI.create("http://localhost:8084");

    @ConstructorBinding
    public SchedulerProperties {
        tick = positive("backbus.scheduler.tick", tick, Duration.ofSeconds(1));
        runTimeout = positive("backbus.scheduler.run-timeout", runTimeout, Duration.ofHours(6));
        stallCheck = positive("backbus.scheduler.stall-check", stallCheck, Duration.ofMinutes(1));
        catalogUrl = httpUrl("backbus.scheduler.catalog-url", catalogUrl, DEFAULT_CATALOG_URL);
        catalogConnectTimeout = positive("backbus.scheduler.catalog-connect-timeout", catalogConnectTimeout,
                Duration.ofSeconds(2));
        catalogReadTimeout = positive("backbus.scheduler.catalog-read-timeout", catalogReadTimeout,
                Duration.ofSeconds(10));
        restoreTimeout = positive("backbus.scheduler.restore-timeout", restoreTimeout, Duration.ofHours(6));
        if (catalogToken != null && catalogToken.isBlank()) {
            catalogToken = null;
        }
        if (catalogToken != null && !catalogToken.matches("[\\x21-\\x7e]+")) {
            // never the value: it is a secret
            throw new IllegalArgumentException("backbus.scheduler.catalog-token must be printable ASCII without"
                    + " spaces");
        }
    }

    /** The settings without a catalog token. */
    public SchedulerProperties(Duration tick, Duration runTimeout, Duration stallCheck, URI catalogUrl,
            Duration catalogConnectTimeout, Duration catalogReadTimeout, Duration restoreTimeout) {
        this(tick, runTimeout, stallCheck, catalogUrl, catalogConnectTimeout, catalogReadTimeout, restoreTimeout,
                null);
    }

    @Override
    public String toString() {
        return "SchedulerProperties[tick=" + tick + ", runTimeout=" + runTimeout + ", stallCheck=" + stallCheck
                + ", catalogUrl=" + catalogUrl + ", catalogConnectTimeout=" + catalogConnectTimeout
                + ", catalogReadTimeout=" + catalogReadTimeout + ", restoreTimeout=" + restoreTimeout
                + ", catalogToken=" + (catalogToken == null ? "none" : "(set)") + "]";
    }

    private static URI httpUrl(String name, URI value, URI defaultValue) {
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        String scheme = value.getScheme();
        if (!value.isAbsolute() || value.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            // no value in the message: a URL may carry credentials
            throw new IllegalArgumentException(name + " must be an absolute http or https URL");
        }
        if (value.getRawUserInfo() != null) {
            throw new IllegalArgumentException(name + " must not carry credentials");
        }
        return value;
    }
}
