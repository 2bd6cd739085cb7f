package io.backbus.uploader.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreRequested;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.delivery.IncomingEvent;
import io.backbus.uploader.domain.RestoreOutcome;
import io.backbus.uploader.domain.RestoreService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * RestoreRequested → check the backup (or start thawing it) → record the outcome. As with ArtifactReady, the S3
 * work (a check pass reads the whole object) runs before the idempotent consumer's transaction, not inside it; a
 * cold-tier thaw is only recorded here and carried on by the thaw poller, so no consumer thread waits for it.
 */
@Component
class RestoreRequestedListener {

    private static final Logger log = LoggerFactory.getLogger(RestoreRequestedListener.class);

    private final IdempotentConsumer consumer;
    private final RestoreService restores;

    RestoreRequestedListener(IdempotentConsumer consumer, RestoreService restores) {
        this.consumer = consumer;
        this.restores = restores;
    }

    @KafkaListener(topics = Topics.RESTORE_REQUESTED)
    void onRestoreRequested(ConsumerRecord<String, byte[]> record) {
        IncomingEvent<RestoreRequested> event = consumer.decode(record, EventTypes.RESTORE_REQUESTED,
                RestoreRequested.class);
        RestoreRequested request = event.body(); // its schema says all the uploader needs to act or answer
        if (consumer.alreadyProcessed(event)) {
            log.info("Skipping {} {}: already processed", event.type(), event.id());
            return;
        }
        RestoreOutcome outcome = restores.start(request);
        consumer.handle(record, EventTypes.RESTORE_REQUESTED, RestoreRequested.class, e -> restores.record(outcome));
    }
}
