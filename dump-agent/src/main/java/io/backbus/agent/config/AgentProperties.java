package io.backbus.agent.config;

import static io.backbus.settings.DurationSetting.positive;

import io.backbus.agent.domain.DumpCompression;
import io.backbus.agent.domain.DumpTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the dump agent, under {@code backbus.agent}. Validated when bound: a missing or bad setting fails the
 * start with a message naming the property.
 *
 * @param id               this agent's id (required); also names its consumer group {@code dump-agent-<id>}
 * @param stagingDir       where dumps are staged (required; created if absent, must be writable)
 * @param publicUrl        base URL the uploader reaches this agent at; default {@code http://127.0.0.1:<port>}
 * @param urlSigningKey    HMAC key of artifact URLs; default: 32 random bytes kept in
 *                         {@code <staging-dir>/.url-signing-key}
 * @param urlTtl           how long an artifact URL (and the staged file) stays valid
 * @param pgBinDir         directory of {@code pg_dump} and {@code pg_restore}; default
 *                         {@code /usr/lib/postgresql/15/bin}, else the PATH
 * @param announceInterval how often the agent announces itself
 * @param janitorInterval  how often expired staged files are deleted
 * @param progressInterval how often a running dump publishes its progress
 * @param compression      how dumps are compressed
 * @param rowCounts        whether to count every dumped table's rows in the dump's own snapshot and state them in
 *                         the manifest ({@code tableRowCounts}); default true
 * @param streaming        whether to serve each artifact while it is dumped and announce it with
 *                         {@code ArtifactStreaming} (default true)
 * @param targets          the databases this agent can dump (and restore into), by name
 * @param restore          how restores ({@code RestoreArtifactReady}) are carried out
 */
@ConfigurationProperties("backbus.agent")
public record AgentProperties(String id, Path stagingDir, String publicUrl, String urlSigningKey, Duration urlTtl,
        Path pgBinDir, Duration announceInterval, Duration janitorInterval, Duration progressInterval,
        Compression compression, Boolean rowCounts, Boolean streaming, Map<String, Target> targets,
        Restore restore) {

    private static final String PREFIX = "backbus.agent.";
    /** Kafka topic names embed the id (dead-letter topics), so it must be a legal topic name part. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    static final int MIN_SIGNING_KEY_LENGTH = 16;

    public AgentProperties {
        if (id == null || id.isBlank()) {
            throw invalid("id", "is required");
        }
        if (!ID.matcher(id).matches()) {
            throw invalid("id", "must be 1-100 of the characters A-Z a-z 0-9 . _ - but is '" + id + "'");
        }
        if (stagingDir == null || stagingDir.toString().isBlank()) {
            throw invalid("staging-dir", "is required");
        }
        if (publicUrl != null && !publicUrl.isBlank()) {
            if (!publicUrl.matches("(?i)https?://[^/\\s]+(/\\S*)?")) {
                throw invalid("public-url", "must be an http(s) URL but is '" + publicUrl + "'");
            }
            publicUrl = publicUrl.replaceAll("/+$", "");
        } else {
            publicUrl = null;
        }
        if (urlSigningKey != null && urlSigningKey.isBlank()) {
            urlSigningKey = null;
        }
        if (urlSigningKey != null && urlSigningKey.length() < MIN_SIGNING_KEY_LENGTH) {
            // never echo the key itself
            throw invalid("url-signing-key", "must be at least " + MIN_SIGNING_KEY_LENGTH + " characters");
        }
        urlTtl = positive(PREFIX + "url-ttl", urlTtl, Duration.ofHours(6));
        announceInterval = positive(PREFIX + "announce-interval", announceInterval, Duration.ofMinutes(5));
        janitorInterval = positive(PREFIX + "janitor-interval", janitorInterval, Duration.ofMinutes(10));
        progressInterval = positive(PREFIX + "progress-interval", progressInterval, Duration.ofSeconds(1));
        compression = compression == null ? new Compression(null, null, null) : compression;
        rowCounts = rowCounts == null ? Boolean.TRUE : rowCounts;
        streaming = streaming == null ? Boolean.TRUE : streaming;
        Map<String, Target> checked = new TreeMap<>();
        if (targets != null) {
            targets.forEach((name, target) -> {
                if (target == null) {
                    throw invalid("targets." + name, "has no settings");
                }
                target.validate(PREFIX + "targets." + name + ".");
                checked.put(name, target);
            });
        }
        targets = Map.copyOf(checked);
        restore = restore == null ? new Restore(null, null, null, null, null) : restore;
    }

    /**
     * One database this agent can dump. The password is never a property: it comes from the environment variable
     * named by {@code passwordEnv}, or from a {@code .pgpass}-format {@code passfile}, or else from libpq's default
     * {@code ~/.pgpass}.
     *
     * @param host        database host
     * @param port        database port (default 5432)
     * @param database    database name
     * @param user        login role
     * @param passwordEnv name of an environment variable holding the password
     * @param passfile    path of a {@code .pgpass}-format file
     * @param kind        the backup kind that dumps it ({@code postgres}, the default, for pg_dump)
     */
    public record Target(String host, Integer port, String database, String user, String passwordEnv,
            Path passfile, String kind) {

        public Target {
            kind = kind == null || kind.isBlank() ? DumpTarget.POSTGRES : kind;
            port = port == null ? 5432 : port;
            passwordEnv = passwordEnv == null || passwordEnv.isBlank() ? null : passwordEnv;
            passfile = passfile == null || passfile.toString().isBlank() ? null : passfile;
        }

        void validate(String prefix) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException(prefix + "host is required");
            }
            if (database == null || database.isBlank()) {
                throw new IllegalArgumentException(prefix + "database is required");
            }
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException(prefix + "user is required");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(prefix + "port must be between 1 and 65535 but is " + port);
            }
            if (passwordEnv != null && passfile != null) {
                throw new IllegalArgumentException(prefix + "password-env and " + prefix
                        + "passfile are exclusive: set at most one");
            }
        }
    }

    /**
     * How dumps are compressed.
     *
     * @param codec   {@code zstd} (default): {@code pg_dump -Fc -Z0} compressed in-stream by the agent;
     *                {@code none}: plain {@code pg_dump -Fc} (pg_dump's own gzip), staged as is
     * @param level   zstd level 1-19 (default {@value #DEFAULT_LEVEL})
     * @param workers zstd worker threads 0-64, 0 = compress on the copying thread (default {@value #DEFAULT_WORKERS})
     */
    public record Compression(DumpCompression.Codec codec, Integer level, Integer workers) {

        /** Chosen from the measurement in dump-agent/README.md. */
        public static final int DEFAULT_LEVEL = 1;
        public static final int DEFAULT_WORKERS = 1;

        public Compression {
            codec = codec == null ? DumpCompression.Codec.ZSTD : codec;
            level = level == null ? DEFAULT_LEVEL : level;
            workers = workers == null ? DEFAULT_WORKERS : workers;
            if (level < DumpCompression.MIN_LEVEL || level > DumpCompression.MAX_LEVEL) {
                throw invalid("compression.level", "must be between " + DumpCompression.MIN_LEVEL + " and "
                        + DumpCompression.MAX_LEVEL + " but is " + level);
            }
            if (workers < 0 || workers > DumpCompression.MAX_WORKERS) {
                throw invalid("compression.workers", "must be between 0 and " + DumpCompression.MAX_WORKERS
                        + " but is " + workers);
            }
        }

        /** The domain's view of these settings. */
        public DumpCompression toDumpCompression() {
            return codec == DumpCompression.Codec.NONE ? DumpCompression.none()
                    : DumpCompression.zstd(level, workers);
        }
    }

    /**
     * How the agent restores a backup it is sent ({@code RestoreArtifactReady}).
     *
     * @param smokeQueryTimeout {@code statement_timeout} of each smoke query (default 60s)
     * @param maxJobs           the most parallel {@code pg_restore --jobs} the agent runs, whatever a restore asks
     *                          for (1-64, default {@value #DEFAULT_MAX_JOBS}): the database host's cores are shared
     *                          with its production load
     * @param readTimeout       how long the artifact download may receive nothing before it fails (default 2m)
     * @param transferAttempts  attempts of an artifact download that breaks off (uploader unreachable or 5xx,
     *                          connection reset, body cut short or stalled), each from the start (1-100, default 5)
     * @param transferBackoff   pause before the second attempt, doubled before each further one (0-1h, default 5s)
     */
    public record Restore(Duration smokeQueryTimeout, Integer maxJobs, Duration readTimeout, Integer transferAttempts,
            Duration transferBackoff) {

        public static final int DEFAULT_MAX_JOBS = 8;
        public static final int MAX_JOBS = 64;
        public static final int MAX_TRANSFER_ATTEMPTS = 100;

        public Restore {
            smokeQueryTimeout = positive(PREFIX + "restore.smoke-query-timeout", smokeQueryTimeout,
                    Duration.ofSeconds(60));
            if (smokeQueryTimeout.toMillis() < 1) {
                throw invalid("restore.smoke-query-timeout", "must be at least 1ms but is " + smokeQueryTimeout);
            }
            maxJobs = maxJobs == null ? DEFAULT_MAX_JOBS : maxJobs;
            if (maxJobs < 1 || maxJobs > MAX_JOBS) {
                throw invalid("restore.max-jobs", "must be between 1 and " + MAX_JOBS + " but is " + maxJobs);
            }
            readTimeout = positive(PREFIX + "restore.read-timeout", readTimeout, Duration.ofMinutes(2));
            if (readTimeout.toMillis() < 1 || readTimeout.toMillis() > Integer.MAX_VALUE) {
                throw invalid("restore.read-timeout", "must be between 1ms and 24 days but is " + readTimeout);
            }
            transferAttempts = transferAttempts == null ? 5 : transferAttempts;
            if (transferAttempts < 1 || transferAttempts > MAX_TRANSFER_ATTEMPTS) {
                throw invalid("restore.transfer-attempts", "must be between 1 and " + MAX_TRANSFER_ATTEMPTS
                        + " but is " + transferAttempts);
            }
            transferBackoff = transferBackoff == null ? Duration.ofSeconds(5) : transferBackoff;
            if (transferBackoff.isNegative() || transferBackoff.compareTo(Duration.ofHours(1)) > 0) {
                throw invalid("restore.transfer-backoff", "must be between 0s and 1h but is " + transferBackoff);
            }
        }
    }

    /** Never shows the signing key. */
    @Override
    public String toString() {
        return "AgentProperties[id=" + id + ", stagingDir=" + stagingDir + ", publicUrl=" + publicUrl
                + ", urlSigningKey=" + (urlSigningKey == null ? "(generated)" : "****") + ", urlTtl=" + urlTtl
                + ", pgBinDir=" + pgBinDir + ", announceInterval=" + announceInterval + ", janitorInterval="
                + janitorInterval + ", progressInterval=" + progressInterval + ", compression=" + compression
                + ", rowCounts=" + rowCounts + ", streaming=" + streaming + ", targets=" + targets + ", restore=" + restore + "]";
    }

    private static IllegalArgumentException invalid(String property, String problem) {
        return new IllegalArgumentException(PREFIX + property + " " + problem);
    }
}
