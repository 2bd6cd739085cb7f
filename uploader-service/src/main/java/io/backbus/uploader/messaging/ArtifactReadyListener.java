package io.backbus.uploader.messaging;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.delivery.IncomingEvent;
import io.backbus.delivery.RequestedRuns;
import io.backbus.uploader.domain.ArtifactUploadService;
import io.backbus.uploader.domain.UploadOutcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * ArtifactReady → store the artifact → record the outcome. The transfer runs before, not inside, the transaction
 * of the idempotent consumer: holding a database transaction open for an hours-long upload would pin a connection
 * and block vacuum. A redelivery after a crash mid-transfer simply transfers again to the same keys.
 *
 * <p>Only an artifact of a run the scheduler requested, from the agent and for the target it was requested of, is
 * stored. An unknown run is retried with the listener's back-off (its BackupRequested may not have been consumed
 * yet), then dead-lettered; a run requested of another agent or target is dead-lettered at once.
 */
@Component
class ArtifactReadyListener {

    private static final Logger log = LoggerFactory.getLogger(ArtifactReadyListener.class);

    private final IdempotentConsumer consumer;
    private final ArtifactUploadService uploads;
    private final RequestedRuns requested;

    ArtifactReadyListener(IdempotentConsumer consumer, ArtifactUploadService uploads, RequestedRuns requested) {
        this.consumer = consumer;
        this.uploads = uploads;
        this.requested = requested;
    }

    /**
     * Uploads {@code backbus.uploader.upload-concurrency} (default 1) artifacts at once, one per consumer thread;
     * each holds at most (upload-parallelism + 1) × part-size of buffers.
     */
    @KafkaListener(topics = Topics.ARTIFACT_READY, concurrency = "${backbus.uploader.upload-concurrency:1}")
    void onArtifactReady(ConsumerRecord<String, byte[]> record) {
        IncomingEvent<ArtifactReady> event = consumer.decode(record, EventTypes.ARTIFACT_READY, ArtifactReady.class);
        ArtifactReady ready = event.body();
        PathAndUrlSafety.requireSafe(ready.target(), ready.location());
        if (consumer.alreadyProcessed(event)) {
            log.info("Skipping {} {}: already processed", event.type(), event.id());
            return;
        }
        // a mismatched run is malformed (dead-lettered at once), an unrequested one is retried first
        requested.require(ready.runId(), ready.agentId(), ready.target(), "ArtifactReady");
        UploadOutcome outcome = uploads.upload(ready);
        consumer.handle(record, EventTypes.ARTIFACT_READY, ArtifactReady.class, e -> uploads.record(outcome));
    }
}
