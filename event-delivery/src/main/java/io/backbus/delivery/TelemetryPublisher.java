package io.backbus.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends telemetry events (such as backup progress) straight to Kafka, fire-and-forget, without the outbox. Only for
 * events that record no state change: losing one must change nothing but a progress display. Everything else goes
 * through {@link Outbox}.
 */
public class TelemetryPublisher {

    private static final Logger log = LoggerFactory.getLogger(TelemetryPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;
    private final Clock clock;
    private final String source;

    public TelemetryPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec, Clock clock, String source) {
        this.kafka = kafka;
        this.codec = codec;
        this.clock = clock;
        this.source = source;
    }

    /** Sends the event now; a failure is logged, never thrown. */
    public void publish(String topic, String key, String type, String subject, Object event) {
        try {
            kafka.send(CloudEventRecords.of(topic, key, UUID.randomUUID(), type, source, Instant.now(clock), subject,
                    codec.encode(event))).whenComplete((result, failure) -> {
                        if (failure != null) {
                            log.debug("telemetry {} for {} not sent: {}", type, subject, failure.getMessage());
                        }
                    });
        } catch (RuntimeException e) {
            log.debug("telemetry {} for {} not sent: {}", type, subject, e.getMessage());
        }
    }
}
