package io.backbus.agent.config;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the directory holding the PostgreSQL client tools the agent runs: {@code pg_dump} and {@code pg_restore}. */
public final class PgBinaries {

    static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");
    /** Every tool the agent runs; a directory qualifies only if it holds them all. */
    static final List<String> REQUIRED = List.of("pg_dump", "pg_restore");

    private PgBinaries() {
    }

    /**
     * The configured directory (which must hold an executable {@code pg_dump} and {@code pg_restore}), else
     * {@value #DEFAULT_BIN}-style default, else the directory of {@code pg_dump} on the PATH (if
     * {@code pg_restore} is there too).
     */
    public static Path locate(Path configured) {
        return locate(configured, DEFAULT_BIN, System.getenv("PATH"));
    }

    static Path locate(Path configured, Path defaultBin, String path) {
        if (configured != null) {
            for (String tool : REQUIRED) {
                if (!Files.isExecutable(configured.resolve(tool))) {
                    throw new IllegalStateException("backbus.agent.pg-bin-dir " + configured
                            + " does not contain an executable " + tool);
                }
            }
            return configured;
        }
        if (holdsAll(defaultBin)) {
            return defaultBin;
        }
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = dir.isEmpty() ? null : Path.of(dir, "pg_dump");
                if (candidate != null && Files.isExecutable(candidate)) {
                    Path resolved;
                    try {
                        resolved = candidate.toRealPath().getParent();
                    } catch (IOException e) {
                        resolved = candidate.getParent();
                    }
                    if (holdsAll(resolved)) {
                        return resolved;
                    }
                    if (holdsAll(candidate.getParent())) {
                        return candidate.getParent();
                    }
                }
            }
        }
        throw new IllegalStateException("pg_dump and pg_restore not found together in " + defaultBin
                + " nor on the PATH: install the PostgreSQL client or set backbus.agent.pg-bin-dir");
    }

    private static boolean holdsAll(Path dir) {
        return REQUIRED.stream().allMatch(tool -> Files.isExecutable(dir.resolve(tool)));
    }
}
