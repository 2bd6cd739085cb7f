package io.backbus.retention.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Stored;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.delivery.MalformedEventException;
import io.backbus.retention.domain.BackupCatalog;
import io.backbus.retention.domain.RequestedRuns;
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
            RequestedRuns.AgentAndTarget run = requested.find(stored.runId()).orElseThrow(() ->
                    new UnrequestedRunException("Stored for run " + stored.runId() + " of '" + stored.target()
                            + "', which no BackupRequested asked for"));
            if (!run.agentId().equals(stored.agentId()) || !run.target().equals(stored.target())) {
                throw new MalformedEventException("Stored for run " + stored.runId() + " names agent '"
                        + stored.agentId() + "' and target '" + stored.target() + "', but the run was requested of "
                        + "agent '" + run.agentId() + "' for target '" + run.target() + "'");
            }
            catalog.record(stored);
        });
    }

    /** Retried, then dead-lettered: the request may still be on its way. */
    static final class UnrequestedRunException extends RuntimeException {
        UnrequestedRunException(String message) {
            super(message);
        }
    }
}
