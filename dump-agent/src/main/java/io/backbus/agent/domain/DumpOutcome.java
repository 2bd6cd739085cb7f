package io.backbus.agent.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** What came of one pg_dump run. */
public sealed interface DumpOutcome {

    /**
     * The dump is complete in the partial file (closed and synced).
     *
     * @param sha256          hex SHA-256 of the bytes written to staging (what is served)
     * @param sizeBytes       bytes written to staging
     * @param dumpedBytes     bytes pg_dump produced (before the agent's compression)
     * @param serverVersion   the dumped server's version, from the archive header
     * @param dumpToolVersion {@code pg_dump --version}
     * @param startedAt       when pg_dump started
     * @param finishedAt      when it finished
     * @param tableRowCounts  exact row counts per table ({@code schema.table}) in the snapshot pg_dump dumped;
     *                        null when row counting is off
     */
    record Dumped(String sha256, long sizeBytes, long dumpedBytes, String serverVersion, String dumpToolVersion,
            Instant startedAt, Instant finishedAt, Map<String, Long> tableRowCounts) implements DumpOutcome {

        public Dumped {
            tableRowCounts = tableRowCounts == null ? null : Collections.unmodifiableMap(new TreeMap<>(tableRowCounts));
        }
    }

    /**
     * The dump failed; the partial file is gone.
     *
     * @param reason    for an operator, scrubbed of secrets
     * @param retryable whether trying again could succeed
     */
    record Failed(String reason, boolean retryable) implements DumpOutcome {
    }
}
