package io.backbus.uploader;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for a dump agent's staging server (the agent is another service): serves artifacts by path, or fails the
 * way agents and networks do (an HTTP status, a body cut short of its Content-Length). Also serves live artifacts as
 * an agent does while it still dumps ({@link #serveLive}): chunked, no Content-Length, growing in two steps, and
 * either ending normally (dump staged) or breaking off (dump failed).
 */
final class ArtifactServer implements AutoCloseable {

    /** After {@code pauseAfter} bytes, waits for {@code resume} (null: sends everything at once). */
    private record Behaviour(byte[] body, int status, long declaredLength, int pauseAfter, CountDownLatch resume) {

        Behaviour(byte[] body, int status, long declaredLength) {
            this(body, status, declaredLength, -1, null);
        }
    }

    /**
     * A live artifact: {@code firstPart} bytes of {@code body}, then a pause ({@code resume} opens, or
     * {@code pauseMillis} pass), then the rest — or, if {@code breakOff}, the connection closes instead.
     */
    private record Live(byte[] body, int firstPart, long pauseMillis, CountDownLatch resume, boolean breakOff) {
    }

    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Behaviour> paths = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private ArtifactServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static ArtifactServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 20);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "artifact-server");
                t.setDaemon(true);
                return t;
            });
            ArtifactServer artifacts = new ArtifactServer(server, executor);
            server.createContext("/", artifacts::handle);
            server.setExecutor(executor);
            server.start();
            return artifacts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code body} at {@code path}; returns its signed-looking URL. */
    URI serve(String path, byte[] body) {
        paths.put(path, new Behaviour(body, 200, body.length));
        return url(path);
    }

    /** Answers {@code path} with {@code status} and a short text. */
    URI fail(String path, int status) {
        paths.put(path, new Behaviour("agent unavailable".getBytes(), status, -1));
        return url(path);
    }

    /** Announces {@code declaredLength} bytes but sends only {@code body}, then drops the connection. */
    URI serveCutShort(String path, byte[] body, long declaredLength) {
        paths.put(path, new Behaviour(body, 200, declaredLength));
        return url(path);
    }

    /** Sends the first {@code sent} bytes of {@code body}, then nothing more (until closed), like a hung agent. */
    URI serveStalling(String path, byte[] body, int sent) {
        paths.put(path, new Behaviour(body, 200, body.length, sent, closing));
        return url(path);
    }

    /** Sends the first {@code pauseAfter} bytes of {@code body}, then the rest once {@code resume} opens. */
    URI servePausing(String path, byte[] body, int pauseAfter, CountDownLatch resume) {
        paths.put(path, new Behaviour(body, 200, body.length, pauseAfter, resume));
        return url(path);
    }

    /**
     * Serves {@code body} as a live artifact growing while the dump runs: the first half at once, then, after
     * {@code pauseMillis}, the rest, and the chunked body ends normally.
     */
    URI serveLive(String path, byte[] body, long pauseMillis) {
        live.put(path, new Live(body, body.length / 2, pauseMillis, null, false));
        return url(path);
    }

    /** As {@link #serveLive(String, byte[], long)}, but the rest follows only once {@code resume} opens. */
    URI serveLive(String path, byte[] body, CountDownLatch resume) {
        live.put(path, new Live(body, body.length / 2, 0, resume, false));
        return url(path);
    }

    /** A live artifact whose dump fails: the first half, a pause, then the connection closes mid-body. */
    URI serveLiveBreakingOff(String path, byte[] body, long pauseMillis) {
        live.put(path, new Live(body, body.length / 2, pauseMillis, null, true));
        return url(path);
    }

    int requestsTo(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    private URI url(String path) {
        // the query imitates the agent's HMAC signature, which must never show up in events or logs
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path
                + "?expires=1763867404&sig=SECRET-SIGNATURE-0123456789abcdef");
    }

    private void handle(HttpExchange exchange) throws IOException {
        Live growing = live.get(exchange.getRequestURI().getPath());
        if (growing != null) {
            handleLive(exchange, growing);
            return;
        }
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Behaviour b = paths.get(path);
            if (b == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type",
                    b.status() == 200 ? "application/octet-stream" : "text/plain");
            long length = b.status() == 200 ? b.declaredLength() : b.body().length;
            exchange.sendResponseHeaders(b.status(), length == 0 ? -1 : length);
            OutputStream out = exchange.getResponseBody();
            byte[] body = b.body();
            int pause = b.resume() == null ? -1 : b.pauseAfter();
            int off = 0;
            while (off < body.length) {
                int end = Math.min(off + 256 * 1024, body.length);
                if (pause >= off && pause < end) {
                    end = pause;
                }
                out.write(body, off, end - off);
                off = end;
                if (off == pause) {
                    out.flush();
                    if (!awaitQuietly(b.resume()) || b.resume() == closing) {
                        return; // a stalling agent never sends the rest
                    }
                    pause = -1;
                }
            }
            out.flush();
            if (length > b.body().length) {
                // cut the connection mid-body, as a crashing agent would
                throw new IOException("cut short on purpose");
            }
            out.close();
        }
    }

    private void handleLive(HttpExchange exchange, Live b) throws IOException {
        requests.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, 0); // chunked: the size is not known while dumping
        OutputStream out = exchange.getResponseBody();
        out.write(b.body(), 0, b.firstPart());
        out.flush();
        if (b.resume() != null) {
            if (!awaitQuietly(b.resume())) {
                b.resume().countDown();
            }
        } else {
            pauseQuietly(b.pauseMillis());
        }
        if (b.breakOff()) {
            // the dump failed: the agent drops the connection without the terminating chunk (the server closes a
            // connection whose handler throws before closing the exchange)
            throw new IOException("live artifact broken off on purpose");
        }
        out.write(b.body(), b.firstPart(), b.body().length - b.firstPart());
        out.close(); // the terminating chunk: the dump is staged
        exchange.close();
    }

    /** The stand-in agent's own pace while it "dumps", not a test synchronisation. */
    private static void pauseQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
