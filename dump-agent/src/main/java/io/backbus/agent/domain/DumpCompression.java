package io.backbus.agent.domain;

import io.backbus.streams.OutputFilter;
import io.backbus.streams.Zstd;
import java.util.List;

/**
 * How the agent compresses a dump. {@link Codec#ZSTD}: pg_dump writes an uncompressed custom-format archive
 * ({@code -Fc -Z0}) and the agent compresses its stdout in-stream with zstd (level {@code level}, {@code workers}
 * background threads, 0 = compress on the copying thread), staging {@code <runId>.dump.zst}.
 * {@link Codec#NONE}: plain {@code pg_dump -Fc} (pg_dump's own per-table gzip), staged as is as
 * {@code <runId>.dump}.
 *
 * @param codec   the codec
 * @param level   zstd level, 1-19 (ignored for NONE)
 * @param workers zstd worker threads, 0-64 (ignored for NONE)
 */
public record DumpCompression(Codec codec, int level, int workers) {

    public static final int MIN_LEVEL = 1;
    public static final int MAX_LEVEL = 19;
    public static final int MAX_WORKERS = 64;

    /** Compression of the staged artifact. */
    public enum Codec {
        /** pg_dump -Fc -Z0, compressed by the agent with zstd. */
        ZSTD("zstd", ".dump.zst"),
        /** pg_dump -Fc with pg_dump's own compression, staged as is. */
        NONE("none", ".dump");

        private final String manifestName;
        private final String fileSuffix;

        Codec(String manifestName, String fileSuffix) {
            this.manifestName = manifestName;
            this.fileSuffix = fileSuffix;
        }

        /** What {@code ArtifactManifest.compression} says. */
        public String manifestName() {
            return manifestName;
        }

        /** Suffix of the staged file after the run id. */
        public String fileSuffix() {
            return fileSuffix;
        }
    }

    public DumpCompression {
        if (codec == null) {
            throw new IllegalArgumentException("codec is required");
        }
        if (level < MIN_LEVEL || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level must be between " + MIN_LEVEL + " and " + MAX_LEVEL
                    + " but is " + level);
        }
        if (workers < 0 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be between 0 and " + MAX_WORKERS + " but is " + workers);
        }
    }

    public static DumpCompression zstd(int level, int workers) {
        return new DumpCompression(Codec.ZSTD, level, workers);
    }

    public static DumpCompression none() {
        return new DumpCompression(Codec.NONE, MIN_LEVEL, 0);
    }

    /** pg_dump's format (and compression) arguments. */
    public List<String> pgDumpFormatArguments() {
        return codec == Codec.ZSTD ? List.of("-Fc", "-Z0") : List.of("-Fc");
    }

    /** The staging sink's filter: a zstd frame (with content checksum), or nothing for pg_dump's own format. */
    public OutputFilter filter() {
        return codec == Codec.NONE ? downstream -> downstream : Zstd.compress(level, workers);
    }
}
