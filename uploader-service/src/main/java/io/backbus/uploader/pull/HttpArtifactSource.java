package io.backbus.uploader.pull;

import io.backbus.uploader.config.UploaderProperties;
import io.backbus.uploader.domain.ArtifactSource;
import io.backbus.uploader.domain.ArtifactSourceException;
import io.backbus.uploader.domain.StalledStreamException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Opens the bytes an agent staged: an {@code http(s)} location is streamed with {@link HttpClient} (never buffered
 * whole), a {@code file://} location is read from a shared volume. A location that answers 5xx or cannot be reached
 * is tried again a few times with a doubling pause before giving up. An http body that sends nothing for the idle
 * timeout fails with {@link StalledStreamException}.
 */
@Component
class HttpArtifactSource implements ArtifactSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpArtifactSource.class);

    private final HttpClient http;
    private final int attempts;
    private final Duration backoff;
    private final Duration responseTimeout;
    private final Duration idleTimeout;
    private final List<Path> fileRoots;
    private final AllowedSources allowedSources;
    private final ScheduledExecutorService watchdogs = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "artifact-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** From the settings: HTTP/1.1, never following redirects. */
    @Autowired
    HttpArtifactSource(UploaderProperties properties) {
        this(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.pullTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build(), properties.pullAttempts(), properties.pullBackoff(), properties.pullTimeout(),
                properties.pullIdleTimeout(), properties.fileRoots(),
                new AllowedSources(properties.allowedSources()));
        if (!properties.fileRoots().isEmpty()) {
            log.info("file:// artifact locations allowed below {}", properties.fileRoots());
        }
        if (properties.allowedSources().isEmpty()) {
            log.warn("backbus.uploader.allowed-sources is empty: artifacts are pulled from any http(s) location an "
                    + "ArtifactReady names; set it to the agents' public URLs");
        } else {
            log.info("http(s) artifact locations allowed below {}", properties.allowedSources());
        }
    }

    /**
     * @param idleTimeout how long an http body may send no byte before it fails as stalled
     * @param fileRoots   directories {@code file://} locations must lie in (after resolving links); empty refuses
     *                    every {@code file://} location
     */
    HttpArtifactSource(HttpClient http, int attempts, Duration backoff, Duration responseTimeout,
            Duration idleTimeout, List<Path> fileRoots) {
        this(http, attempts, backoff, responseTimeout, idleTimeout, fileRoots, AllowedSources.ANY);
    }

    /** @param allowedSources the http(s) base URLs locations must lie below; {@link AllowedSources#ANY}: all */
    HttpArtifactSource(HttpClient http, int attempts, Duration backoff, Duration responseTimeout,
            Duration idleTimeout, List<Path> fileRoots, AllowedSources allowedSources) {
        this.allowedSources = allowedSources;
        this.http = http;
        this.attempts = attempts;
        this.backoff = backoff;
        this.responseTimeout = responseTimeout;
        this.idleTimeout = idleTimeout;
        this.fileRoots = fileRoots.stream().map(HttpArtifactSource::realRoot).toList();
    }

    @Override
    public void close() {
        watchdogs.shutdownNow();
    }

    @Override
    public InputStream open(URI location) throws ArtifactSourceException {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(java.util.Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> openHttp(location);
            case "file" -> openFile(location);
            default -> throw new ArtifactSourceException("unsupported location scheme '" + scheme + "'", false);
        };
    }

    private InputStream openHttp(URI location) throws ArtifactSourceException {
        if (!allowedSources.permits(location)) {
            throw new ArtifactSourceException("location " + ArtifactSource.redact(location) + " refused: it is not "
                    + "below any of backbus.uploader.allowed-sources", false);
        }
        String shown = "GET " + ArtifactSource.redact(location);
        HttpRequest request = HttpRequest.newBuilder(location).GET().timeout(responseTimeout).build();
        ArtifactSourceException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                pause(backoff.multipliedBy(1L << Math.min(attempt - 2, 16)));
            }
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status == 200) {
                    return new IdleTimeoutInputStream(response.body(), idleTimeout, watchdogs);
                }
                response.body().close();
                last = new ArtifactSourceException(shown + " answered " + status, status >= 500 || status == 429);
            } catch (IOException e) {
                // JDK messages do not include the URI, but be sure the signature never leaks
                last = new ArtifactSourceException(shown + " failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + scrub(e.getMessage(), location)), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArtifactSourceException(shown + " interrupted", true);
            }
            if (!last.retryable()) {
                break;
            }
            if (attempt < attempts) {
                log.warn("{} (attempt {} of {}), trying again", last.getMessage(), attempt, attempts);
            }
        }
        throw last;
    }

    private InputStream openFile(URI location) throws ArtifactSourceException {
        Path path;
        try {
            path = Path.of(location).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw new ArtifactSourceException("invalid file location " + ArtifactSource.redact(location), false);
        }
        // deny by default: an event must never make the uploader read its own keys or any other local file
        if (fileRoots.isEmpty()) {
            throw new ArtifactSourceException("file location " + path + " refused: file:// locations are disabled "
                    + "(set backbus.uploader.file-roots to the shared staging directories)", false);
        }
        try {
            // the real path, so that a link inside a root cannot lead out of it
            Path real = path.toRealPath();
            if (fileRoots.stream().noneMatch(real::startsWith)) {
                throw new ArtifactSourceException("file location " + path + " is outside backbus.uploader.file-roots",
                        false);
            }
            return Files.newInputStream(real);
        } catch (NoSuchFileException e) {
            throw new ArtifactSourceException("file " + path + " does not exist", false);
        } catch (IOException e) {
            throw new ArtifactSourceException("cannot read file " + path + ": " + e.getMessage(), false);
        }
    }

    private static Path realRoot(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            // a root that does not exist (yet) matches nothing real below it until it does
            return root.toAbsolutePath().normalize();
        }
    }

    private static String scrub(String message, URI location) {
        String query = location.getRawQuery();
        String result = message.replace(location.toString(), ArtifactSource.redact(location));
        return query == null || query.isEmpty() ? result : result.replace(query, "<redacted>");
    }

    private static void pause(Duration d) throws ArtifactSourceException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactSourceException("interrupted while waiting to retry", true);
        }
    }
}
