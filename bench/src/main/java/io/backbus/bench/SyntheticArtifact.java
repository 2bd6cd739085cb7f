package io.backbus.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An incompressible artifact of a given size, generated (never stored) from a seeded SplittableRandom in 1 MiB
 * buffers, served by a JDK HttpServer on 127.0.0.1 with Content-Length. The same seed gives the same bytes, so the
 * SHA-256 computed in a first pass matches what is served.
 */
final class SyntheticArtifact implements AutoCloseable {

    private static final int BUFFER = 1 << 20;

    private final long size;
    private final long seed;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final String path;
    final AtomicLong served = new AtomicLong();
    volatile long firstByteNanos;
    volatile long lastByteNanos;
    final AtomicLong requests = new AtomicLong();

    SyntheticArtifact(long size, long seed, String path) throws IOException {
        this.size = size;
        this.seed = seed;
        this.path = path;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Hex SHA-256 of the bytes served, computed by generating them once. */
    String sha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            SplittableRandom random = new SplittableRandom(seed);
            byte[] buffer = new byte[BUFFER];
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(BUFFER, left);
                random.nextBytes(buffer);
                digest.update(buffer, 0, n);
                left -= n;
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, size);
            SplittableRandom random = new SplittableRandom(seed);
            byte[] buffer = new byte[BUFFER];
            firstByteNanos = System.nanoTime();
            try (OutputStream out = exchange.getResponseBody()) {
                for (long left = size; left > 0; ) {
                    int n = (int) Math.min(BUFFER, left);
                    random.nextBytes(buffer);
                    out.write(buffer, 0, n);
                    served.addAndGet(n);
                    left -= n;
                }
            }
            lastByteNanos = System.nanoTime();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
