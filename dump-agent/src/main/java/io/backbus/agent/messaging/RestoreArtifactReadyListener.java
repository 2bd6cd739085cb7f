package io.backbus.agent.messaging;

import io.backbus.agent.domain.RestoreService;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreArtifactReady;
import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code RestoreArtifactReady} in this agent's own consumer group ({@code dump-agent-<id>}), so every agent
 * sees every restore and acts only on those whose {@code destination.agentId} is its own (others are recorded as
 * processed and skipped).
 *
 * <p>Like a dump, the restore runs inside the listener call but in no transaction, its outcome recorded in a short
 * one (see {@link BackupRequestListener}): one restore at a time per agent, at-least-once — an attempt the agent did
 * not finish (crash) is redelivered and starts over; a database that attempt created is recognised by its comment
 * and created afresh.
 *
 * <p>A record that violates its schema (say, without the fields needed to address a result or to act) is malformed
 * and dead-lettered to {@code backbus.restore.artifact-ready.dump-agent-<id>.dlq} before it gets here, whichever
 * agent it is for; every other problem ends in {@code RestoreFailed}.
 */
@Component
class RestoreArtifactReadyListener {

    private static final Logger log = LoggerFactory.getLogger(RestoreArtifactReadyListener.class);

    private final IdempotentConsumer consumer;
    private final RestoreService restores;

    RestoreArtifactReadyListener(IdempotentConsumer consumer, RestoreService restores) {
        this.consumer = consumer;
        this.restores = restores;
    }

    @KafkaListener(id = "restore-artifact-ready", idIsGroup = false, topics = Topics.RESTORE_ARTIFACT_READY)
    void onRestoreArtifactReady(ConsumerRecord<String, byte[]> record) {
        consumer.handleLongRunning(record, EventTypes.RESTORE_ARTIFACT_READY, RestoreArtifactReady.class, event -> {
            RestoreArtifactReady ready = event.body();
            RestoreDestination destination = ready.destination();
            if (!restores.isMine(destination.agentId())) {
                log.debug("Ignoring restore {} for agent '{}'", ready.restoreId(), destination.agentId());
                return new RestoreService.Outcome.Ignored();
            }
            return restores.perform(ready);
        }, (event, outcome) -> restores.record(outcome));
    }
}
