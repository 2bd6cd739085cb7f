package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.backbus.contracts.RestoreStage;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a real HTTP server (the JDK's, standing in for the uploader's restore-artifact endpoint) into a real
 * staging directory; only a full disk is simulated, with {@code /dev/full}.
 */
class RestoreArtifactFetcherTest {

    private static final String SIG = "sig=0123456789abcdef0123456789abcdef";

    @TempDir
    Path staging;

    private HttpServer server;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final byte[] archive = randomArchive(3 * 1024 * 1024 + 17);
    private final byte[] compressed = zstd(archive);
    private final AtomicLong received = new AtomicLong();

    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                handlers.getOrDefault(exchange.getRequestURI().getPath(), e -> e.sendResponseHeaders(404, -1))
                        .handle(exchange);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void stagesADecompressedArchiveCheckingSizeAndDigestOfTheBytesReceived() throws Exception {
        serve("/a", compressed);
        Path file = staging.resolve("r.restore.dump");

        var fetched = fetcher().fetch(url("/a"), sha256(compressed), compressed.length, "zstd", file,
                received::addAndGet);

        assertThat(Files.readAllBytes(file)).isEqualTo(archive);
        assertThat(fetched).isEqualTo(new RestoreArtifactFetcher.Fetched(compressed.length, archive.length));
        assertThat(received).as("progress: bytes received").hasValue(compressed.length);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void stagesAnUncompressedArtifactAsIs() throws Exception {
        serve("/a", archive);
        Path file = staging.resolve("r.restore.dump");

        fetcher().fetch(url("/a"), sha256(archive).toUpperCase(), archive.length, "none", file, n -> { });

        assertThat(Files.readAllBytes(file)).isEqualTo(archive);
    }

    @Test
    void refusesBytesWhoseDigestDiffersFromTheAnnouncedOne() {
        serve("/a", compressed);
        String wrong = sha256(archive);

        assertTransferFailure(() -> fetcher().fetch(url("/a"), wrong, compressed.length, "zstd",
                staging.resolve("x"), n -> { }))
                .isEqualTo("the SHA-256 of the " + compressed.length + " bytes received is " + sha256(compressed)
                        + ", not " + wrong + " as announced: the artifact was altered or corrupted in transfer");
    }

    @Test
    void refusesATruncatedBody() {
        handlers.put("/a", e -> {
            e.sendResponseHeaders(200, compressed.length);
            e.getResponseBody().write(compressed, 0, 1000);
            e.getResponseBody().flush();
            e.close();
        });

        assertTransferFailure(() -> fetcher().fetch(url("/a"), sha256(compressed), compressed.length, "zstd",
                staging.resolve("x"), n -> { }))
                .satisfiesAnyOf(
                        r -> assertThat(r).startsWith("the transfer from http://127.0.0.1:" + port()
                                + "/a ended after 1000 of " + compressed.length + " bytes (truncated)"),
                        r -> assertThat(r).startsWith("the transfer from http://127.0.0.1:" + port()
                                + "/a broke after 1000 of " + compressed.length + " bytes"));
    }

    @Test
    void refusesABodyOfAnotherSizeThanAnnounced() {
        serve("/a", archive);

        assertTransferFailure(() -> fetcher().fetch(url("/a"), sha256(archive), archive.length - 1, "none",
                staging.resolve("x"), n -> { }))
                .isEqualTo("GET http://127.0.0.1:" + port() + "/a serves " + archive.length + " bytes but "
                        + (archive.length - 1) + " were announced");
    }

    @Test
    void explainsRefusedAndExpiredUrlsWithoutTheSignature() {
        handlers.put("/gone", e -> e.sendResponseHeaders(410, -1));
        handlers.put("/forbidden", e -> e.sendResponseHeaders(403, -1));

        assertTransferFailure(() -> fetcher().fetch(url("/gone"), sha256(archive), 1, "zstd", staging.resolve("x"),
                n -> { })).isEqualTo("GET http://127.0.0.1:" + port() + "/gone answered 410: the artifact URL has "
                        + "expired; request the restore again");
        assertTransferFailure(() -> fetcher().fetch(url("/forbidden"), sha256(archive), 1, "zstd",
                staging.resolve("x"), n -> { })).contains("answered 403: the uploader refused the URL (its signature, or it has expired: request the "
                        + "restore again)")
                .doesNotContain(SIG);
    }

    @Test
    void reportsAnUnreachableUploaderWithoutTheSignature() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String location = "http://127.0.0.1:" + closed + "/a?expires=1&" + SIG;

        assertTransferFailure(() -> fetcher().fetch(location, sha256(archive), 1, "zstd", staging.resolve("x"),
                n -> { })).startsWith("cannot GET http://127.0.0.1:" + closed + "/a: ").contains("Connection refused")
                .doesNotContain(SIG);
    }

    @Test
    void refusesLocationsChecksumsAndCompressionsItCannotUse() {
        String sha = sha256(archive);
        assertTransferFailure(() -> fetcher().fetch("file:///etc/passwd", sha, 1, "none", staging.resolve("x"),
                n -> { })).isEqualTo("the artifact location must be an http(s) URL with a host, but is <location>");
        assertTransferFailure(() -> fetcher().fetch("http://a b/?" + SIG, sha, 1, "none", staging.resolve("x"),
                n -> { })).isEqualTo("the artifact location is not a valid URL");
        assertTransferFailure(() -> fetcher().fetch(url("/a"), "abc", 1, "none", staging.resolve("x"), n -> { }))
                .isEqualTo("the announced sha256 is not 64 hex digits");
        assertTransferFailure(() -> fetcher().fetch(url("/a"), sha, 1, "lz4", staging.resolve("x"), n -> { }))
                .isEqualTo("cannot restore an artifact compressed with 'lz4': this agent knows zstd and none");
        assertThat(staging.resolve("x")).doesNotExist();
    }

    @Test
    void reportsAnArtifactThatIsNotZstd() {
        serve("/a", archive);

        assertTransferFailure(() -> fetcher().fetch(url("/a"), sha256(archive), archive.length, "zstd",
                staging.resolve("x"), n -> { }))
                .startsWith("the artifact does not decompress as zstd after ")
                .endsWith("the transfer is corrupt or the backup is damaged");
    }

    @Test
    void reportsAFullStagingDisk() {
        serve("/a", compressed);

        // /dev/full fails every write with ENOSPC, like a full staging volume
        assertTransferFailure(() -> new RestoreArtifactFetcher(file -> new FileOutputStream("/dev/full"),
                Duration.ofSeconds(5), Duration.ofSeconds(5)).fetch(url("/a"), sha256(compressed), compressed.length,
                        "zstd", staging.resolve("x"), n -> { }))
                .startsWith("staging disk full: cannot stage the artifact in " + staging + " after ")
                .endsWith("free space in backbus.agent.staging-dir or restore a smaller backup");
    }

    @Test
    void failsAStalledBodyAfterTheReadTimeout() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        handlers.put("/a", e -> {
            e.sendResponseHeaders(200, compressed.length);
            e.getResponseBody().write(compressed, 0, 100);
            e.getResponseBody().flush();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTransferFailure(() -> new RestoreArtifactFetcher(Files::newOutputStream, Duration.ofSeconds(5),
                    Duration.ofMillis(300)).fetch(url("/a"), sha256(compressed), compressed.length, "zstd",
                            staging.resolve("x"), n -> { }))
                    .isEqualTo("the transfer from http://127.0.0.1:" + port() + "/a broke after 100 of "
                            + compressed.length + " bytes: nothing received for 300ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aTransferCutShortIsAttemptedAgainFromTheStartAndTheWholeArchiveStaged() throws Exception {
        // the uploader serving the artifact is killed mid-body twice, then serves it whole
        java.util.concurrent.atomic.AtomicInteger requests = truncatingFirst("/a", 2, compressed);
        Path file = staging.resolve("r.restore.dump");

        var fetched = retrying(5).fetch(url("/a"), sha256(compressed), compressed.length, "zstd", file,
                received::addAndGet);

        assertThat(requests).hasValue(3);
        assertThat(Files.readAllBytes(file)).isEqualTo(archive);
        assertThat(fetched).isEqualTo(new RestoreArtifactFetcher.Fetched(compressed.length, archive.length));
        assertThat(received).as("progress starts over with each attempt").hasValue(compressed.length);
    }

    @Test
    void aTransferThatKeepsBreakingFailsAfterTheLastAttemptWithItsReason() {
        java.util.concurrent.atomic.AtomicInteger requests = truncatingFirst("/a", Integer.MAX_VALUE, compressed);

        assertTransferFailure(() -> retrying(3).fetch(url("/a"), sha256(compressed), compressed.length, "zstd",
                staging.resolve("x"), received::addAndGet))
                .startsWith("the transfer from http://127.0.0.1:" + port() + "/a ")
                .contains("1000 of " + compressed.length + " bytes")
                .endsWith(" (attempt 3 of 3)");
        assertThat(requests).hasValue(3);
        assertThat(received.get()).as("progress of the last attempt only").isLessThanOrEqualTo(1000);
    }

    @Test
    void anUploaderAnswering503OrUnreachableIsAttemptedAgain() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        handlers.put("/a", e -> {
            if (requests.incrementAndGet() == 1) {
                e.sendResponseHeaders(503, -1);
                return;
            }
            e.sendResponseHeaders(200, compressed.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(compressed);
            }
        });
        Path file = staging.resolve("r.restore.dump");

        retrying(2).fetch(url("/a"), sha256(compressed), compressed.length, "zstd", file, n -> { });

        assertThat(requests).hasValue(2);
        assertThat(Files.readAllBytes(file)).isEqualTo(archive);

        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closed + "/a?expires=1&" + SIG;
        assertTransferFailure(() -> retrying(2).fetch(unreachable, sha256(compressed), 1, "zstd",
                staging.resolve("y"), n -> { })).contains("Connection refused").endsWith("(attempt 2 of 2)");
    }

    @Test
    void refusalsAreNotAttemptedAgain() {
        java.util.concurrent.atomic.AtomicInteger forbidden = new java.util.concurrent.atomic.AtomicInteger();
        handlers.put("/forbidden", e -> {
            forbidden.incrementAndGet();
            e.sendResponseHeaders(403, -1);
        });
        java.util.concurrent.atomic.AtomicInteger altered = new java.util.concurrent.atomic.AtomicInteger();
        handlers.put("/altered", e -> {
            altered.incrementAndGet();
            e.sendResponseHeaders(200, compressed.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(compressed);
            }
        });

        assertTransferFailure(() -> retrying(5).fetch(url("/forbidden"), sha256(compressed), compressed.length,
                "zstd", staging.resolve("x"), n -> { })).contains("answered 403").doesNotContain("attempt");
        assertTransferFailure(() -> retrying(5).fetch(url("/altered"), sha256(archive), compressed.length, "zstd",
                staging.resolve("x"), n -> { })).contains("altered or corrupted in transfer");
        assertThat(forbidden).hasValue(1);
        assertThat(altered).hasValue(1);
    }

    /** Serves {@code body} whole, except the first {@code cut} responses, which break off after 1000 bytes. */
    private java.util.concurrent.atomic.AtomicInteger truncatingFirst(String path, int cut, byte[] body) {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        handlers.put(path, e -> {
            e.sendResponseHeaders(200, body.length);
            if (requests.incrementAndGet() <= cut) {
                e.getResponseBody().write(body, 0, 1000);
                e.getResponseBody().flush();
                e.close(); // short of Content-Length, as when the uploader is killed mid-body
                return;
            }
            try (OutputStream out = e.getResponseBody()) {
                out.write(body);
            }
        });
        return requests;
    }

    private RestoreArtifactFetcher retrying(int attempts) {
        return new RestoreArtifactFetcher(io.backbus.agent.storage.StagingArea.open(staging)::openForWrite,
                Duration.ofSeconds(5), Duration.ofSeconds(10), attempts, Duration.ofMillis(20));
    }

    // -----------------------------------------------------------------------------------------------------------

    private static org.assertj.core.api.AbstractStringAssert<?> assertTransferFailure(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(RestoreFailure.class, call);
        assertThat(thrown).as("a RestoreFailure").isNotNull();
        assertThat(thrown.stage()).isEqualTo(RestoreStage.TRANSFER);
        assertThat(thrown.destinationTouched()).isFalse();
        assertThat(thrown.reason()).doesNotContain(SIG);
        return assertThat(thrown.reason());
    }

    private RestoreArtifactFetcher fetcher() {
        // the agent's own writer: mode 600, synced on close
        return new RestoreArtifactFetcher(io.backbus.agent.storage.StagingArea.open(staging)::openForWrite,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private void serve(String path, byte[] body) {
        handlers.put(path, e -> {
            e.sendResponseHeaders(200, body.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(body);
            }
        });
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port() + path + "?expires=1763893200&" + SIG;
    }

    private static byte[] randomArchive(int size) {
        // half random, half repetitive: compressible like a dump, not trivially
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        for (int i = 0; i < size; i += 2) {
            bytes[i] = (byte) 'x';
        }
        return bytes;
    }

    private static byte[] zstd(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out)) {
            z.setChecksum(true);
            z.write(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
