package io.backbus.retention.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreVerified;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.retention.domain.RestoreVerifications;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Records on the catalog every backup a restore test proved restorable. */
@Component
class RestoreVerifiedListener {

    private final IdempotentConsumer consumer;
    private final RestoreVerifications verifications;

    RestoreVerifiedListener(IdempotentConsumer consumer, RestoreVerifications verifications) {
        this.consumer = consumer;
        this.verifications = verifications;
    }

    @KafkaListener(topics = Topics.RESTORE_VERIFIED)
    void onRestoreVerified(ConsumerRecord<String, byte[]> record) {
        // an event that violates its schema was dead-lettered before this handler (see IdempotentConsumer)
        consumer.handle(record, EventTypes.RESTORE_VERIFIED, RestoreVerified.class,
                event -> verifications.record(event.body()));
    }
}
