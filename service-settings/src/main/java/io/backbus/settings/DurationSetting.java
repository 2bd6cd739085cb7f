package io.backbus.settings;

import java.time.Duration;

/**
 * Checks of a {@link Duration} setting, for the compact constructors of the services' {@code @ConfigurationProperties}
 * records: Spring Boot reports the exception's message, which names the property, as the reason binding failed.
 */
public final class DurationSetting {

    private DurationSetting() {
    }

    /**
     * {@code value}, or {@code fallback} when it is not set.
     *
     * @param property the property's full name ({@code backbus.agent.url-ttl}), for the message
     * @throws IllegalArgumentException "{@code <property>} must be positive but is {@code <value>}" for zero or less
     */
    public static Duration positive(String property, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive but is " + value);
        }
        return value;
    }
}
