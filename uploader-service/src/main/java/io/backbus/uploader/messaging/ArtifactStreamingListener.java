package io.backbus.uploader.messaging;

import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.delivery.IncomingEvent;
import io.backbus.delivery.RequestedRuns;
import io.backbus.uploader.domain.StreamedUploads;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * ArtifactStreaming → upload the artifact while the agent still dumps it. Its own listener container, so a stream
 * (as long as the dump) runs on another consumer thread than the ArtifactReady that later checks it. The stream runs
 * before the idempotent consumer's transaction, which only marks the event processed: the outcome is in
 * {@code streamed_upload}, and nothing is published.
 */
@Component
class ArtifactStreamingListener {

    private static final Logger log = LoggerFactory.getLogger(ArtifactStreamingListener.class);

    private final IdempotentConsumer consumer;
    private final StreamedUploads streams;
    private final RequestedRuns requested;

    ArtifactStreamingListener(IdempotentConsumer consumer, StreamedUploads streams, RequestedRuns requested) {
        this.consumer = consumer;
        this.streams = streams;
        this.requested = requested;
    }

    /** As many streams at once as uploads ({@code backbus.uploader.upload-concurrency}), each with its buffers. */
    @KafkaListener(topics = Topics.ARTIFACT_STREAMING, concurrency = "${backbus.uploader.upload-concurrency:1}")
    void onArtifactStreaming(ConsumerRecord<String, byte[]> record) {
        IncomingEvent<ArtifactStreaming> event = consumer.decode(record, EventTypes.ARTIFACT_STREAMING,
                ArtifactStreaming.class);
        ArtifactStreaming hint = event.body();
        PathAndUrlSafety.requireSafe(hint.target(), hint.location());
        if (consumer.alreadyProcessed(event)) {
            log.info("Skipping {} {}: already processed", event.type(), event.id());
            return;
        }
        // as for ArtifactReady: an unknown run is retried, then dead-lettered; another agent's or target's at once
        // a mismatched run is malformed (dead-lettered at once), an unrequested one is retried first
        requested.require(hint.runId(), hint.agentId(), hint.target(), "ArtifactStreaming");
        streams.stream(hint);
        consumer.handle(record, EventTypes.ARTIFACT_STREAMING, ArtifactStreaming.class, e -> {
        });
    }
}
