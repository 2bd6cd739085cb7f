package io.backbus.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny HTTP server on a free 127.0.0.1 port that records every request and answers 200, or 500 for the next
 * {@link #failNext(int) N} requests; stands in for a webhook endpoint.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request; header names are lower-case. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
            Instant receivedAt, int answeredStatus) {

        public String bodyAsString() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** First value of the header (case-insensitive), or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 500;
    private volatile int successStatus = 200;

    private WebhookReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a receiver on a free port of 127.0.0.1. */
    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "webhook-receiver");
                t.setDaemon(true);
                return t;
            });
            WebhookReceiver receiver = new WebhookReceiver(server, executor);
            server.createContext("/", receiver::handle);
            server.setExecutor(executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start webhook receiver", e);
        }
    }

    /** Answers the next {@code n} requests with HTTP 500 (then the success status again). */
    public WebhookReceiver failNext(int n) {
        return failNext(n, 500);
    }

    /** Answers the next {@code n} requests with {@code status} (e.g. 503, 429). */
    public WebhookReceiver failNext(int n, int status) {
        failureStatus = status;
        failuresLeft.set(n);
        return this;
    }

    /** Status for non-failing requests (default 200). */
    public WebhookReceiver successStatus(int status) {
        successStatus = status;
        return this;
    }

    /** Base URL, {@code http://127.0.0.1:PORT/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** URL of a path on this receiver, e.g. {@code url("/hooks/backup")}. */
    public URI url(String path) {
        return url().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Snapshot of all requests received so far. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits until at least {@code n} requests arrived; returns all received so far. */
    public synchronized List<Request> awaitRequests(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.size() < n) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                throw new AssertionError("expected " + n + " webhook request(s) within " + timeout + " but got "
                        + requests.size() + ": " + requests.stream().map(r -> r.method() + " " + r.path()).toList());
            }
            try {
                wait(leftMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return List.copyOf(requests);
    }

    /** Forgets recorded requests and pending failures. */
    public synchronized void reset() {
        requests.clear();
        failuresLeft.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            int status = failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? failureStatus : successStatus;
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                    Map.copyOf(headers), body, Instant.now(), status);
            synchronized (this) {
                requests.add(request);
                notifyAll();
            }
            byte[] answer = (status < 400 ? "ok" : "failure injected by WebhookReceiver")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }
}
