package io.backbus.notifier.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreTestFailed;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.notifier.domain.RestoreAlerts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Raises an alert for every failed restore test. */
@Component
class RestoreTestFailedListener {

    private final IdempotentConsumer consumer;
    private final RestoreAlerts alerts;

    RestoreTestFailedListener(IdempotentConsumer consumer, RestoreAlerts alerts) {
        this.consumer = consumer;
        this.alerts = alerts;
    }

    @KafkaListener(topics = Topics.RESTORE_TEST_FAILED)
    void onRestoreTestFailed(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.RESTORE_TEST_FAILED, RestoreTestFailed.class,
                event -> alerts.raise(event.body()));
    }
}
