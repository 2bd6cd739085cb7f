package io.backbus.agent.config;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the directory holding {@code pg_dump}. */
final class PgBinaries {

    static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private PgBinaries() {
    }

    /**
     * The configured directory (which must hold an executable {@code pg_dump}), else {@value #DEFAULT_BIN}-style
     * default, else the directory of {@code pg_dump} on the PATH.
     */
    static Path locate(Path configured) {
        return locate(configured, DEFAULT_BIN, System.getenv("PATH"));
    }

    static Path locate(Path configured, Path defaultBin, String path) {
        if (configured != null) {
            if (!Files.isExecutable(configured.resolve("pg_dump"))) {
                throw new IllegalStateException("backbus.agent.pg-bin-dir " + configured
                        + " does not contain an executable pg_dump");
            }
            return configured;
        }
        if (Files.isExecutable(defaultBin.resolve("pg_dump"))) {
            return defaultBin;
        }
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = dir.isEmpty() ? null : Path.of(dir, "pg_dump");
                if (candidate != null && Files.isExecutable(candidate)) {
                    try {
                        return candidate.toRealPath().getParent();
                    } catch (IOException e) {
                        return candidate.getParent();
                    }
                }
            }
        }
        throw new IllegalStateException("pg_dump not found in " + defaultBin + " nor on the PATH: install the "
                + "PostgreSQL client or set backbus.agent.pg-bin-dir");
    }
}
