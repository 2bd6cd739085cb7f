package io.backbus.contracts;

import java.time.Instant;

/**
 * What an artifact is, as recorded by the agent that dumped it.
 *
 * @param format          {@code pg_dump-custom} for {@code pg_dump -Fc}
 * @param compression     compression applied by the agent ({@code none} or {@code zstd})
 * @param database        the database name dumped
 * @param serverVersion   PostgreSQL server version, e.g. {@code 15.18}
 * @param dumpToolVersion version reported by {@code pg_dump --version}
 * @param dumpStartedAt   when the dump started
 * @param dumpFinishedAt  when the dump finished
 */
public record ArtifactManifest(String format, String compression, String database, String serverVersion,
        String dumpToolVersion, Instant dumpStartedAt, Instant dumpFinishedAt) {
}
