package io.backbus.scheduler.messaging;

import io.backbus.contracts.AgentAnnounced;
import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Stored;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.delivery.IncomingEvent;
import io.backbus.scheduler.domain.AgentRegistry;
import io.backbus.contracts.BackupStage;
import io.backbus.scheduler.domain.CatalogBackup;
import io.backbus.scheduler.domain.RunTracker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The events the scheduler hears: agents announcing their targets, and the other stages reporting a run's
 * progress. Each record is handled once per event id, in one transaction with its state change; a record missing
 * a field the scheduler needs is malformed (dead-lettered at once).
 */
@Component
class RunProgressListener {

    private final IdempotentConsumer consumer;
    private final AgentRegistry agents;
    private final RunTracker runs;

    RunProgressListener(IdempotentConsumer consumer, AgentRegistry agents, RunTracker runs) {
        this.consumer = consumer;
        this.agents = agents;
        this.runs = runs;
    }

    @KafkaListener(topics = Topics.AGENT_ANNOUNCED)
    void agentAnnounced(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.AGENT_ANNOUNCED, AgentAnnounced.class, event -> {
            AgentAnnounced body = event.body();
            agents.announced(body.agentId(), body.targets(), body.announcedAt());
        });
    }

    @KafkaListener(topics = Topics.ARTIFACT_READY)
    void artifactReady(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.ARTIFACT_READY, ArtifactReady.class, event -> {
            ArtifactReady body = event.body();
            runs.artifactReady(body.runId(), body.sizeBytes(), event.time());
        });
    }

    @KafkaListener(topics = Topics.BACKUP_STORED)
    void stored(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.BACKUP_STORED, Stored.class, event -> {
            Stored body = event.body();
            runs.stored(new CatalogBackup(body.backupId(), body.runId(), body.target(), body.agentId(),
                    body.bucket(), body.objectKey(), body.manifestKey(), body.plaintextSize(), body.ciphertextSize(),
                    body.plaintextSha256(), CatalogBackup.AVAILABLE, body.storedAt()));
        });
    }

    @KafkaListener(topics = Topics.BACKUP_FAILED)
    void failed(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.BACKUP_FAILED, BackupFailed.class, event -> {
            BackupFailed body = event.body();
            runs.failed(body.runId(), body.stage(), body.reason(), body.failedAt());
        });
    }

    /**
     * Telemetry: decoded (a malformed record is dead-lettered like any other) but not recorded in
     * {@code processed_event}; a duplicate is harmless since only maxima are kept.
     */
    @KafkaListener(topics = Topics.BACKUP_PROGRESS)
    void progress(ConsumerRecord<String, byte[]> record) {
        IncomingEvent<BackupProgress> event = consumer.decode(record, EventTypes.BACKUP_PROGRESS,
                BackupProgress.class);
        // the schema allows only the stages that move bytes (DUMP, UPLOAD)
        BackupProgress body = event.body();
        runs.progress(body.runId(), body.stage(), body.bytes(), body.totalBytes(),
                body.at());
    }
}
