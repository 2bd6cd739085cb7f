package io.backbus.agent.messaging;

import io.backbus.agent.domain.BackupService;
import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Stored;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Once the uploader stored a run this agent staged, or the run failed after its dump, the staged copy is no longer
 * needed.
 */
@Component
class BackupStoredListener {

    private final IdempotentConsumer consumer;
    private final BackupService backups;

    BackupStoredListener(IdempotentConsumer consumer, BackupService backups) {
        this.consumer = consumer;
        this.backups = backups;
    }

    @KafkaListener(id = "backup-stored", idIsGroup = false, topics = Topics.BACKUP_STORED)
    void onStored(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.BACKUP_STORED, Stored.class, event -> backups.release(event.body()));
    }

    @KafkaListener(id = "backup-failed", idIsGroup = false, topics = Topics.BACKUP_FAILED)
    void onFailed(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.BACKUP_FAILED, BackupFailed.class, event -> backups.release(event.body()));
    }
}
