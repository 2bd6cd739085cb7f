package io.backbus.crypto;

import java.time.Instant;

/**
 * What may be told about one key of the data keyset: never its material.
 *
 * @param id        the key id, unsigned decimal, as recorded with each backup ({@code keyId})
 * @param status    Tink's status: {@code ENABLED} (decrypts, and encrypts if primary), {@code DISABLED},
 *                  {@code DESTROYED}
 * @param primary   whether new artifacts are encrypted with it
 * @param createdAt when it was added; null for a key created before creation times were recorded
 */
public record DataKey(String id, String status, boolean primary, Instant createdAt) {
}
