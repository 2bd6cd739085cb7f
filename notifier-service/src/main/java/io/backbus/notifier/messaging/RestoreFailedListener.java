package io.backbus.notifier.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.notifier.domain.RestoreAlerts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Raises an alert for every failed manual restore; failed restore tests are alerted from RestoreTestFailed. */
@Component
class RestoreFailedListener {

    private final IdempotentConsumer consumer;
    private final RestoreAlerts alerts;

    RestoreFailedListener(IdempotentConsumer consumer, RestoreAlerts alerts) {
        this.consumer = consumer;
        this.alerts = alerts;
    }

    @KafkaListener(topics = Topics.RESTORE_FAILED)
    void onRestoreFailed(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.RESTORE_FAILED, RestoreFailed.class,
                event -> alerts.raise(event.body()));
    }
}
