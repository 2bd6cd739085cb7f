package io.backbus.retention.domain;

import static io.backbus.delivery.IncomingEvent.require;

import io.backbus.contracts.Stored;

/**
 * What a Stored (event or manifest) must hold to be cataloged: the catalog cannot hold a backup it could not find
 * or verify later. Shared by the Stored consumer and the catalog rebuild, so both accept the same.
 */
public final class StoredRequirements {

    /**
     * @return {@code stored}
     * @throws io.backbus.delivery.MalformedEventException naming the first missing field
     */
    public static Stored requireComplete(Stored stored) {
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

    private StoredRequirements() {
    }
}
