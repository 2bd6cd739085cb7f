package io.backbus.uploader.domain;

/**
 * What one transfer stored.
 *
 * @param plaintextSize    bytes pulled from the agent
 * @param plaintextSha256  their hex SHA-256
 * @param ciphertextSize   bytes written to the object store
 * @param ciphertextSha256 their hex SHA-256
 * @param keyId            the primary key that encrypted them
 */
record TransferResult(long plaintextSize, String plaintextSha256, long ciphertextSize, String ciphertextSha256,
        String keyId) {
}
