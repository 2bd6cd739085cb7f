package io.backbus.uploader.messaging;

import io.backbus.contracts.BackupRequested;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.delivery.RequestedRuns;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** BackupRequested → remember the run, so that only its agent's artifact for its target is stored. */
@Component
class BackupRequestedListener {

    private final IdempotentConsumer consumer;
    private final RequestedRuns runs;

    BackupRequestedListener(IdempotentConsumer consumer, RequestedRuns runs) {
        this.consumer = consumer;
        this.runs = runs;
    }

    @KafkaListener(topics = Topics.BACKUP_REQUESTED)
    void onBackupRequested(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.BACKUP_REQUESTED, BackupRequested.class,
                event -> runs.record(event.body()));
    }
}
