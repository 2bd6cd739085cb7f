package io.backbus.contracts;

import java.time.Instant;
import java.util.Map;

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
 * @param tableRowCounts  exact row count per table ({@code schema.table}), counted in the same snapshot as the
 *                        dump, so a restore can be verified against it; null when not counted
 */
public record ArtifactManifest(String format, String compression, String database, String serverVersion,
        String dumpToolVersion, Instant dumpStartedAt, Instant dumpFinishedAt, Map<String, Long> tableRowCounts) {
}
