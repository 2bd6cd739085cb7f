package io.backbus.retention.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Stored;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.delivery.RequestedRuns;
import io.backbus.retention.domain.BackupCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Catalogs every backup the uploader stored for a run the scheduler requested of that agent and target. A Stored for
 * an unknown run is retried with the consumer's back-off (its BackupRequested may not have been consumed yet), then
 * dead-lettered; one for a run requested of another agent or target is dead-lettered at once. Neither is cataloged.
 */
@Component
class StoredListener {

    private final IdempotentConsumer consumer;
    private final BackupCatalog catalog;
    private final RequestedRuns requested;

    StoredListener(IdempotentConsumer consumer, BackupCatalog catalog, RequestedRuns requested) {
        this.consumer = consumer;
        this.catalog = catalog;
        this.requested = requested;
    }

    @KafkaListener(topics = Topics.BACKUP_STORED)
    void onStored(ConsumerRecord<String, byte[]> record) {
        // an incomplete event violates its schema: dead-lettered before this handler (see IdempotentConsumer)
        consumer.handle(record, EventTypes.BACKUP_STORED, Stored.class, event -> {
            Stored stored = event.body();
            // unrequested: retried, then dead-lettered; mismatched: dead-lettered at once
            requested.require(stored.runId(), stored.agentId(), stored.target(), "Stored");
            catalog.record(stored);
        });
    }
}
