package io.backbus.uploader.config;

import software.amazon.awssdk.services.kms.KmsClient;

/** The AWS KMS client of the key-encryption key, or none when no KMS key is configured; closed with the context. */
final class KmsConnection implements AutoCloseable {

    private final KmsClient client;

    KmsConnection(KmsClient client) {
        this.client = client;
    }

    KmsClient client() {
        if (client == null) {
            throw new IllegalStateException("no AWS KMS key is configured (backbus.uploader.kek.*)");
        }
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
