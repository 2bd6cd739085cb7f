package io.backbus.agent.messaging;

import io.backbus.agent.domain.BackupService;
import io.backbus.contracts.BackupRequested;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes backup requests in this agent's own consumer group ({@code dump-agent-<id>}), so every agent sees every
 * request and acts on its own.
 *
 * <p>The dump runs inside the listener call but in no transaction ({@link IdempotentConsumer#handleLongRunning}):
 * no database connection is held for its length; the staged row, the event id and ArtifactReady or BackupFailed are
 * recorded in one short transaction once it ended. Delivery is at-least-once, so a request redelivered after a
 * crash mid-dump simply dumps again (the partial file is truncated, the staged row upserted); one request at a time
 * per agent is what a database host should bear anyway; and {@code max.poll.interval.ms} is raised to 2 h so a long
 * dump does not get the consumer evicted. A dump that may outlast that needs an asynchronous hand-off with its own
 * run table — a later issue.
 */
@Component
class BackupRequestListener {

    private final IdempotentConsumer consumer;
    private final BackupService backups;

    BackupRequestListener(IdempotentConsumer consumer, BackupService backups) {
        this.consumer = consumer;
        this.backups = backups;
    }

    /**
     * Dumps {@code backbus.agent.dump-concurrency} (default 1) requests at once, one per consumer thread. A target's
     * requests share its key, so its partition, so one thread: they still run one after another, in order.
     */
    @KafkaListener(id = "backup-requests", idIsGroup = false, topics = Topics.BACKUP_REQUESTED,
            concurrency = "${backbus.agent.dump-concurrency:1}")
    void onBackupRequested(ConsumerRecord<String, byte[]> record) {
        consumer.handleLongRunning(record, EventTypes.BACKUP_REQUESTED, BackupRequested.class,
                event -> backups.perform(event.body()), (event, outcome) -> backups.record(outcome));
    }
}
