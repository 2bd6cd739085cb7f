package io.backbus.agent.domain;

import io.backbus.agent.config.AgentProperties;
import io.backbus.contracts.RestoreStage;
import io.backbus.streams.ByteCount;
import io.backbus.streams.EndpointFailedException;
import io.backbus.streams.InputPipeline;
import io.backbus.streams.OutputPipeline;
import io.backbus.streams.PipelineInputStream;
import io.backbus.streams.PipelineOutputStream;
import io.backbus.streams.Sha256Digest;
import io.backbus.streams.Zstd;
import java.io.IOException;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Pulls the decrypted artifact of a restore from the uploader's signed URL into a staging file, in one pass:
 * SHA-256 and size are computed over the bytes received (what the uploader announced), while a zstd artifact is
 * decompressed on the fly so that the staged file is a plain custom-format archive {@code pg_restore -j} can seek.
 * Every problem is a {@link RestoreStage#TRANSFER} failure whose reason never shows the URL's signature.
 *
 * <p>A transfer that breaks off — the uploader unreachable or answering 5xx, the connection reset, the body cut
 * short or stalled (the uploader was restarted mid-body) — is attempted again from the start, up to
 * {@code backbus.agent.restore.transfer-attempts} in all, pausing {@code transfer-backoff} (doubled each time) in
 * between; the staging file is rewritten by each attempt, and the destination is never touched before an attempt's
 * bytes are complete and match. Refusals (4xx, a wrong checksum, a full staging disk) are not attempted again.
 *
 * <p>Only {@code http(s)} locations are accepted: the uploader serves plaintext over HTTP and never keeps it at rest
 * (ADR 0006), so a {@code file://} location has no legitimate use and would let an event make the agent read any
 * local file.
 */
@Component
public class RestoreArtifactFetcher {

    static final int BUFFER_BYTES = 1024 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static final Logger log = LoggerFactory.getLogger(RestoreArtifactFetcher.class);

    private final StagingWriter writer;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int attempts;
    private final Duration backoff;

    /**
     * @param writer         opens the staging file (mode 600)
     * @param connectTimeout how long to wait for the uploader to accept the connection
     * @param readTimeout    how long the response may send nothing (headers or body) before the transfer fails
     */
    /**
     * Waits 10 s for a connection, {@code backbus.agent.restore.read-timeout} for bytes; attempts a broken transfer
     * {@code transfer-attempts} times.
     */
    @Autowired
    public RestoreArtifactFetcher(Staging staging, AgentProperties properties) {
        this(staging, CONNECT_TIMEOUT, properties.restore().readTimeout(), properties.restore().transferAttempts(),
                properties.restore().transferBackoff());
    }

    /** One attempt only. */
    public RestoreArtifactFetcher(StagingWriter writer, Duration connectTimeout, Duration readTimeout) {
        this(writer, connectTimeout, readTimeout, 1, Duration.ZERO);
    }

    /**
     * @param attempts attempts of a transfer that breaks off, at least 1
     * @param backoff  pause before the second attempt, doubled before each further one
     */
    public RestoreArtifactFetcher(StagingWriter writer, Duration connectTimeout, Duration readTimeout, int attempts,
            Duration backoff) {
        this.writer = writer;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /**
     * What was pulled.
     *
     * @param receivedBytes bytes received and checked against the announced size and SHA-256
     * @param stagedBytes   bytes of the staged (decompressed) archive
     */
    record Fetched(long receivedBytes, long stagedBytes) {
    }

    /**
     * Pulls {@code location} into {@code file}.
     *
     * @param sha256      announced hex SHA-256 of the bytes served
     * @param sizeBytes   announced number of bytes served
     * @param compression the manifest's compression: {@code zstd} (decompressed while staging) or {@code none}
     * @param received    told of every chunk received (bytes), for progress
     * @throws RestoreFailure (stage TRANSFER) when anything does not match or fails; {@code file} may then hold a
     *                        partial archive, which the caller deletes
     */
    Fetched fetch(String location, String sha256, long sizeBytes, String compression, Path file,
            LongConsumer received) throws RestoreFailure {
        boolean zstd = codec(compression);
        String expectedSha = sha256 == null ? "" : sha256.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(expectedSha).matches()) {
            throw failure("the announced sha256 is not 64 hex digits");
        }
        if (sizeBytes < 0) {
            throw failure("the announced size is negative (" + sizeBytes + ")");
        }
        URI uri = parse(location);
        String shown = redact(uri);
        Duration pause = backoff;
        for (int attempt = 1; ; attempt++) {
            AtomicLong thisAttempt = new AtomicLong();
            try {
                return fetchOnce(uri, shown, expectedSha, sizeBytes, zstd, file, n -> {
                    thisAttempt.addAndGet(n);
                    received.accept(n);
                });
            } catch (RestoreFailure f) {
                if (!f.transientTransfer() || attempt >= attempts) {
                    throw attempt == 1 ? failure(f.reason())
                            : failure(f.reason() + " (attempt " + attempt + " of " + attempts + ")");
                }
                log.warn("Transfer of the restore artifact from {} failed (attempt {} of {}), trying again in {}: {}",
                        shown, attempt, attempts, format(pause), f.reason());
                // progress starts over with the next attempt
                received.accept(-thisAttempt.get());
                sleep(pause, f);
                pause = pause.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration pause, RestoreFailure failure) throws RestoreFailure {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(failure.reason() + " (interrupted before the next attempt)");
        }
    }

    private Fetched fetchOnce(URI uri, String shown, String expectedSha, long sizeBytes, boolean zstd, Path file,
            LongConsumer received) throws RestoreFailure {
        HttpURLConnection http = open(uri, shown);
        try {
            return copy(http, shown, uri, expectedSha, sizeBytes, zstd, file, received);
        } finally {
            http.disconnect();
        }
    }

    private static boolean codec(String compression) throws RestoreFailure {
        String c = compression == null ? "" : compression.toLowerCase(Locale.ROOT);
        return switch (c) {
            case "zstd" -> true;
            case "none" -> false;
            default -> throw failure("cannot restore an artifact compressed with '" + compression
                    + "': this agent knows zstd and none");
        };
    }

    private static URI parse(String location) throws RestoreFailure {
        URI uri;
        try {
            uri = new URI(location == null ? "" : location);
        } catch (URISyntaxException e) {
            // the message would quote the URL with its signature
            throw failure("the artifact location is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw failure("the artifact location must be an http(s) URL with a host, but is " + redact(uri));
        }
        return uri;
    }

    private HttpURLConnection open(URI uri, String shown) throws RestoreFailure {
        try {
            URLConnection connection = uri.toURL().openConnection();
            HttpURLConnection http = (HttpURLConnection) connection;
            http.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            http.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            http.setInstanceFollowRedirects(false);
            http.setUseCaches(false);
            http.setRequestProperty("Accept-Encoding", "identity");
            int status = http.getResponseCode();
            if (status != 200) {
                http.disconnect();
                String reason = "GET " + shown + " answered " + status + explain(status);
                throw status >= 500 ? broken(reason) : failure(reason);
            }
            return http;
        } catch (IOException e) {
            throw broken("cannot GET " + shown + ": " + describe(e, uri));
        } catch (IllegalArgumentException e) {
            throw failure("cannot GET " + shown + ": " + describe(e, uri));
        }
    }

    private static String explain(int status) {
        return switch (status) {
            case 403 -> ": the uploader refused the URL (its signature, or it has expired: request the restore again)";
            case 404 -> ": the uploader serves no such restore artifact";
            case 410 -> ": the artifact URL has expired; request the restore again";
            default -> status >= 500 ? ": the uploader failed to serve the artifact" : "";
        };
    }

    private Fetched copy(HttpURLConnection http, String shown, URI uri, String expectedSha, long sizeBytes,
            boolean zstd, Path file, LongConsumer received) throws RestoreFailure {
        long announcedLength = http.getContentLengthLong();
        if (announcedLength >= 0 && announcedLength != sizeBytes) {
            throw failure("GET " + shown + " serves " + announcedLength + " bytes but " + sizeBytes
                    + " were announced");
        }
        InputStream body;
        try {
            body = http.getInputStream();
        } catch (IOException e) {
            throw broken("cannot GET " + shown + ": " + describe(e, uri));
        }
        // what was received is digested and counted before decompressing (the filter drains what follows the
        // last zstd frame, so the checksum covers it too)
        Sha256Digest receivedSha = new Sha256Digest();
        ByteCount receivedBytes = ByteCount.notifying(received);
        InputPipeline pipeline = InputPipeline.of(receivedSha, receivedBytes);
        if (zstd) {
            pipeline.then(Zstd.decompress());
        }
        PipelineInputStream in;
        OutputStream staging;
        try {
            in = pipeline.from(body);
        } catch (IOException e) {
            closeQuietly(body);
            throw broken("cannot GET " + shown + ": " + describe(e, uri));
        }
        try {
            staging = writer.openForWrite(file);
        } catch (IOException e) {
            closeQuietly(in);
            throw stagingFailure(e, 0, 0, sizeBytes, file);
        }
        long staged = 0;
        // closed in reverse: the staging file (synced), then the body and the decompressor's native state
        try (in; PipelineOutputStream out = OutputPipeline.of().into(staging)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                staged += n;
            }
        } catch (IOException e) {
            throw copyFailure(e, in, shown, uri, receivedBytes.bytes(), staged, sizeBytes, file);
        }
        String actualSha = receivedSha.hex();
        long count = receivedBytes.bytes();
        if (count < sizeBytes) {
            throw truncated(shown, count, sizeBytes);
        }
        if (count > sizeBytes) {
            throw failure("GET " + shown + " sent " + count + " bytes but " + sizeBytes + " were announced");
        }
        if (!actualSha.equals(expectedSha)) {
            throw failure("the SHA-256 of the " + count + " bytes received is " + actualSha + ", not "
                    + expectedSha + " as announced: the artifact was altered or corrupted in transfer");
        }
        return new Fetched(count, staged);
    }

    /**
     * Why a copy failed: the staging file, the transfer, or the bytes themselves (the decompressor's complaint).
     */
    private RestoreFailure copyFailure(IOException e, PipelineInputStream in, String shown, URI uri, long count,
            long staged, long sizeBytes, Path file) {
        Optional<EndpointFailedException> sink = EndpointFailedException.in(e)
                .filter(EndpointFailedException::isSink);
        if (sink.isPresent()) {
            return stagingFailure(sink.get().failure(), count, staged, sizeBytes, file);
        }
        Optional<EndpointFailedException> source = in.sourceFailure();
        if (source.isPresent()) {
            Exception cause = source.get().failure();
            String why = cause instanceof SocketTimeoutException ? "nothing received for " + format(readTimeout)
                    : describe(cause, uri);
            return broken("the transfer from " + shown + " broke after " + count + " of " + sizeBytes
                    + " bytes: " + why);
        }
        // the decompressor's own complaint
        if (in.sourceEnded() && count < sizeBytes) {
            return truncated(shown, count, sizeBytes);
        }
        return failure("the artifact does not decompress as zstd after " + count + " of " + sizeBytes
                + " bytes received (" + describe(e, uri) + "): the transfer is corrupt or the backup is damaged");
    }

    private static RestoreFailure stagingFailure(Exception cause, long count, long staged, long sizeBytes,
            Path file) {
        String message = String.valueOf(cause.getMessage());
        if (message.contains("No space left")) {
            return failure("staging disk full: cannot stage the artifact in " + file.getParent() + " after " + count
                    + " of " + sizeBytes + " bytes received (" + staged + " bytes staged); free space in "
                    + "backbus.agent.staging-dir or restore a smaller backup");
        }
        return failure("cannot write the artifact to the staging dir " + file.getParent() + ": " + message);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // the transfer failed already; this is cleanup
        }
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static RestoreFailure truncated(String shown, long count, long sizeBytes) {
        return broken("the transfer from " + shown + " ended after " + count + " of " + sizeBytes
                + " bytes (truncated)");
    }

    private static RestoreFailure failure(String reason) {
        return new RestoreFailure(RestoreStage.TRANSFER, reason, false);
    }

    /** The transfer broke off: worth another attempt. */
    private static RestoreFailure broken(String reason) {
        return new RestoreFailure(RestoreStage.TRANSFER, reason, false, true);
    }

    /** The location as it may be shown: without user info, query (the signature) or fragment. */
    static String redact(URI location) {
        if (location.getScheme() == null || location.getHost() == null) {
            return "<location>";
        }
        String port = location.getPort() < 0 ? "" : ":" + location.getPort();
        String path = location.getRawPath() == null ? "" : location.getRawPath();
        return location.getScheme() + "://" + location.getHost() + port + path;
    }

    /** An exception's message, never carrying the location's signature. */
    private static String describe(Throwable e, URI location) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        String result = message.replace(location.toString(), redact(location));
        String query = location.getRawQuery();
        return query == null || query.isEmpty() ? result : result.replace(query, "<redacted>");
    }
}
