package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * An agent has started a dump and serves the artifact <em>while it is written</em> at {@code location}, so the
 * uploader can encrypt and upload it in step with the dump instead of after it. A hint, sent fire-and-forget when
 * the dump starts: the run is only dumped once {@link ArtifactReady} says so, with the artifact's size and SHA-256,
 * which the uploader checks against what it streamed before it emits {@link Stored}. A consumer that ignores this
 * event loses nothing.
 *
 * @param runId         the run
 * @param agentId       the agent dumping
 * @param target        the target being dumped
 * @param location      HMAC-signed, expiring {@code http(s)} URL of the live artifact: the body grows as the dump
 *                      runs, ends when the dump is staged, and breaks off if the dump fails
 * @param dumpStartedAt when the dump started (the same instant as the manifest's {@code dumpStartedAt})
 * @param expiresAt     when {@code location} stops working
 */
public record ArtifactStreaming(UUID runId, String agentId, String target, String location, Instant dumpStartedAt,
        Instant expiresAt) {
}
