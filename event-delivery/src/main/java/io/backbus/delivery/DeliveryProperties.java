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
 * @param replicationFactor  replicas of each topic this service provisions (production default 3; the embedded
 *                       single-broker stack sets 1)
 * @param minInsyncReplicas  {@code min.insync.replicas} of those topics: with {@code acks=all} a write succeeds only
 *                       once this many replicas have it (production default 2; at most the replication factor)
 */
@ConfigurationProperties("backbus.delivery")
public record DeliveryProperties(String source, String consumerGroup, Duration relayInterval, Integer relayBatch,
        Integer partitions, Retry retry, Integer replicationFactor, Integer minInsyncReplicas) {

    public DeliveryProperties {
        replicationFactor = replicationFactor == null ? 3 : replicationFactor;
        minInsyncReplicas = minInsyncReplicas == null ? Math.min(2, replicationFactor) : minInsyncReplicas;
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("backbus.delivery.replication-factor must be at least 1, was "
                    + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("backbus.delivery.min-insync-replicas must be between 1 and the "
                    + "replication factor (" + replicationFactor + "), was " + minInsyncReplicas);
        }
        relayInterval = relayInterval == null ? Duration.ofMillis(500) : relayInterval;
        relayBatch = relayBatch == null ? 200 : relayBatch;
        partitions = partitions == null ? 6 : partitions;
        retry = retry == null ? new Retry(null, null, null, null) : retry;
    }

    /** These settings with {@code source} and {@code consumerGroup} defaulted from the application's name. */
    public DeliveryProperties withDefaultsFor(String applicationName) {
        return new DeliveryProperties(source == null ? "urn:backbus:" + applicationName : source,
                consumerGroup == null ? applicationName : consumerGroup, relayInterval, relayBatch, partitions, retry,
                replicationFactor, minInsyncReplicas);
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
