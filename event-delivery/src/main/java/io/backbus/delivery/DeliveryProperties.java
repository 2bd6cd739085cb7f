package io.backbus.delivery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of event delivery, under {@code backbus.delivery}.
 *
 * @param source         CloudEvents {@code ce_source} of events this service publishes; defaults to
 *                       {@code urn:backbus:<spring.application.name>}
 * @param consumerGroup  Kafka consumer group of this service; defaults to {@code spring.application.name}
 * @param relayInterval  how often the outbox relay looks for unsent events when nobody woke it
 * @param relayBatch     the most events relayed in one transaction
 * @param partitions     partitions of the contract topics this service provisions
 * @param retry          consumer retries before dead-lettering
 */
@ConfigurationProperties("backbus.delivery")
public record DeliveryProperties(String source, String consumerGroup, Duration relayInterval, Integer relayBatch,
        Integer partitions, Retry retry) {

    public DeliveryProperties {
        relayInterval = relayInterval == null ? Duration.ofMillis(500) : relayInterval;
        relayBatch = relayBatch == null ? 200 : relayBatch;
        partitions = partitions == null ? 6 : partitions;
        retry = retry == null ? new Retry(null, null, null, null) : retry;
    }

    /** These settings with {@code source} and {@code consumerGroup} defaulted from the application's name. */
    public DeliveryProperties withDefaultsFor(String applicationName) {
        return new DeliveryProperties(source == null ? "urn:backbus:" + applicationName : source,
                consumerGroup == null ? applicationName : consumerGroup, relayInterval, relayBatch, partitions, retry);
    }

    /**
     * Bounded exponential back-off of a failing consumer, after which the record goes to its dead-letter topic.
     *
     * @param attempts        retries after the first delivery
     * @param initialInterval first back-off
     * @param multiplier      growth of each further back-off
     * @param maxInterval     cap of one back-off
     */
    public record Retry(Integer attempts, Duration initialInterval, Double multiplier, Duration maxInterval) {
        public Retry {
            attempts = attempts == null ? 4 : attempts;
            initialInterval = initialInterval == null ? Duration.ofMillis(500) : initialInterval;
            multiplier = multiplier == null ? 2.0 : multiplier;
            maxInterval = maxInterval == null ? Duration.ofSeconds(8) : maxInterval;
        }
    }
}
