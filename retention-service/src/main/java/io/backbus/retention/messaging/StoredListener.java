package io.backbus.retention.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Stored;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.retention.domain.BackupCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Catalogs every backup the uploader stored. */
@Component
class StoredListener {

    private final IdempotentConsumer consumer;
    private final BackupCatalog catalog;

    StoredListener(IdempotentConsumer consumer, BackupCatalog catalog) {
        this.consumer = consumer;
        this.catalog = catalog;
    }

    @KafkaListener(topics = Topics.BACKUP_STORED)
    void onStored(ConsumerRecord<String, byte[]> record) {
        // an incomplete event violates its schema: dead-lettered before this handler (see IdempotentConsumer)
        consumer.handle(record, EventTypes.BACKUP_STORED, Stored.class, event -> catalog.record(event.body()));
    }
}
