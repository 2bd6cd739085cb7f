package io.backbus.retention.messaging;

import static io.backbus.delivery.IncomingEvent.require;

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
        consumer.handle(record, EventTypes.BACKUP_STORED, Stored.class,
                event -> catalog.record(requireComplete(event.body())));
    }

    /** The catalog cannot hold a backup it could not find or verify later: such an event is malformed. */
    static Stored requireComplete(Stored stored) {
        require(stored.runId(), "runId");
        require(stored.backupId(), "backupId");
        require(stored.agentId(), "agentId");
        require(stored.target(), "target");
        require(stored.bucket(), "bucket");
        require(stored.objectKey(), "objectKey");
        require(stored.manifestKey(), "manifestKey");
        require(stored.plaintextSha256(), "plaintextSha256");
        require(stored.ciphertextSha256(), "ciphertextSha256");
        require(stored.encryption(), "encryption");
        require(stored.keyId(), "keyId");
        require(stored.storedAt(), "storedAt");
        require(stored.manifest(), "manifest");
        require(stored.manifest().format(), "manifest.format");
        require(stored.manifest().compression(), "manifest.compression");
        require(stored.manifest().database(), "manifest.database");
        require(stored.manifest().serverVersion(), "manifest.serverVersion");
        require(stored.manifest().dumpStartedAt(), "manifest.dumpStartedAt");
        require(stored.manifest().dumpFinishedAt(), "manifest.dumpFinishedAt");
        return stored;
    }
}
