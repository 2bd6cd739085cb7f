package io.backbus.notifier.messaging;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.notifier.domain.FailureAlerts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Raises an alert for every failed backup run. */
@Component
class BackupFailedListener {

    private final IdempotentConsumer consumer;
    private final FailureAlerts alerts;

    BackupFailedListener(IdempotentConsumer consumer, FailureAlerts alerts) {
        this.consumer = consumer;
        this.alerts = alerts;
    }

    @KafkaListener(topics = Topics.BACKUP_FAILED)
    void onBackupFailed(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.BACKUP_FAILED, BackupFailed.class,
                event -> alerts.raise(event.body()));
    }
}
