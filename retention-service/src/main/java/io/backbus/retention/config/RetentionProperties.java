package io.backbus.retention.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the retention service, under {@code backbus.retention}.
 *
 * @param listLimit the most catalog entries one listing returns
 */
@Validated
@ConfigurationProperties("backbus.retention")
public record RetentionProperties(@Min(1) @Max(10_000) Integer listLimit) {

    public RetentionProperties {
        listLimit = listLimit == null ? 500 : listLimit;
    }
}
