package io.backbus.scheduler.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreArtifactReady;
import io.backbus.contracts.RestoreCompleted;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.RestoreProgress;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.delivery.IncomingEvent;
import io.backbus.scheduler.domain.RestoreTracker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The restore events the scheduler hears from the uploader and the destination agent. Each record is handled once
 * per event id, in one transaction with its state change and the events it causes; a record missing a field the
 * scheduler needs is malformed (dead-lettered at once to {@code <topic>.scheduler-service.dlq}).
 */
@Component
class RestoreListener {

    private final IdempotentConsumer consumer;
    private final RestoreTracker restores;

    RestoreListener(IdempotentConsumer consumer, RestoreTracker restores) {
        this.consumer = consumer;
        this.restores = restores;
    }

    @KafkaListener(topics = Topics.RESTORE_ARTIFACT_READY)
    void artifactReady(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.RESTORE_ARTIFACT_READY, RestoreArtifactReady.class,
                event -> restores.artifactReady(event.body().restoreId()));
    }

    @KafkaListener(topics = Topics.RESTORE_COMPLETED)
    void completed(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.RESTORE_COMPLETED, RestoreCompleted.class, event -> {
            RestoreCompleted body = event.body();
            restores.completed(body.restoreId(), body.durationMillis(), body.verification(),
                    body.destinationDropped());
        });
    }

    @KafkaListener(topics = Topics.RESTORE_FAILED)
    void failed(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.RESTORE_FAILED, RestoreFailed.class, event -> {
            RestoreFailed body = event.body();
            restores.failed(body.restoreId(), body.stage(), body.reason(), body.destinationTouched());
        });
    }

    /**
     * Telemetry: decoded (a malformed record is dead-lettered like any other) but not recorded in
     * {@code processed_event}; a duplicate is harmless since progress only moves forward.
     */
    @KafkaListener(topics = Topics.RESTORE_PROGRESS)
    void progress(ConsumerRecord<String, byte[]> record) {
        IncomingEvent<RestoreProgress> event = consumer.decode(record, EventTypes.RESTORE_PROGRESS,
                RestoreProgress.class);
        // the schema allows only the stages that move bytes (INTEGRITY, TRANSFER, RESTORE)
        RestoreProgress body = event.body();
        restores.progress(body.restoreId(), body.stage(), body.bytes(), body.totalBytes(), body.at());
    }
}
