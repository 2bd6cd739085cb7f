package io.backbus.notifier.messaging;

import static io.backbus.delivery.IncomingEvent.require;

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
                event -> alerts.raise(requireComplete(event.body())));
    }

    /** An alert an operator cannot act on (no target, no reason) is worse than a dead letter someone replays. */
    static BackupFailed requireComplete(BackupFailed failed) {
        require(failed.runId(), "runId");
        require(failed.target(), "target");
        require(failed.stage(), "stage");
        require(failed.reason(), "reason");
        require(failed.failedAt(), "failedAt");
        return failed;
    }
}
