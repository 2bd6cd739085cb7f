package io.backbus.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy in front of one upstream server (the harness's S3Mock) that passes requests through unchanged
 * until told to inject a fault into the next requests that match: answer {@code 500} or {@code 503} with an S3
 * error body, drop the connection without an answer (what a reset or a crashed load balancer looks like to the
 * client), or stall a request body after some bytes (a stuck network path mid-part). It stands in for the faults of a
 * real object store, which S3Mock never produces; each fault counts the requests it hit.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    /** What the next matching requests get. */
    public enum Fault {
        /** {@code 500 InternalError}. */
        INTERNAL_ERROR,
        /** {@code 503 SlowDown}. */
        SLOW_DOWN,
        /** The connection is closed with no response. */
        DROP_CONNECTION,
        /** The request body stops after {@code stallAfterBytes} for {@code stallFor}, then goes on. */
        STALL_BODY
    }

    private record Injection(Fault fault, Predicate<String> requestLine, AtomicInteger remaining, long stallAfterBytes,
            Duration stallFor) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "date");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final URI upstream;
    private final AtomicReference<Injection> injection = new AtomicReference<>();
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    private FaultInjectingProxy(HttpServer server, ExecutorService executor, URI upstream) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts a proxy on a free loopback port forwarding to {@code upstream} (e.g. {@code http://127.0.0.1:9090}). */
    public static FaultInjectingProxy start(URI upstream) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fault-proxy");
                t.setDaemon(true);
                return t;
            });
            FaultInjectingProxy proxy = new FaultInjectingProxy(server, executor, upstream);
            server.createContext("/", proxy::handle);
            server.setExecutor(executor);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault-injecting proxy", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: give this to the clients instead of the upstream's address. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The next {@code count} requests whose request line ({@code "PUT /bucket/key?partNumber=2&uploadId=…"}) matches
     * {@code requestLine} get {@code fault} (for {@link Fault#STALL_BODY}, use {@link #stallBodies}).
     */
    public void inject(Fault fault, int count, Predicate<String> requestLine) {
        injection.set(new Injection(fault, requestLine, new AtomicInteger(count), 0, Duration.ZERO));
        hits.set(0);
    }

    /** The next {@code count} matching requests' bodies stop for {@code stallFor} after {@code afterBytes} bytes. */
    public void stallBodies(int count, long afterBytes, Duration stallFor, Predicate<String> requestLine) {
        injection.set(new Injection(Fault.STALL_BODY, requestLine, new AtomicInteger(count), afterBytes, stallFor));
        hits.set(0);
    }

    /** Passes everything through again. */
    public void clear() {
        injection.set(null);
    }

    /** How many requests the current (or last) fault hit. */
    public int hits() {
        return hits.get();
    }

    /** How many requests the proxy has seen. */
    public int requests() {
        return requests.get();
    }

    private Injection take(String requestLine) {
        Injection current = injection.get();
        if (current == null || !current.requestLine().test(requestLine)) {
            return null;
        }
        if (current.remaining().getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return null;
        }
        hits.incrementAndGet();
        return current;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String method = exchange.getRequestMethod();
        String pathAndQuery = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        Injection fault = take(method + " " + pathAndQuery);
        try (exchange) {
            if (fault != null && fault.fault() == Fault.DROP_CONNECTION) {
                exchange.getRequestBody().readNBytes(1024);
                return; // closed without a response
            }
            if (fault != null && (fault.fault() == Fault.INTERNAL_ERROR || fault.fault() == Fault.SLOW_DOWN)) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                boolean slowDown = fault.fault() == Fault.SLOW_DOWN;
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                        + (slowDown ? "SlowDown" : "InternalError") + "</Code><Message>injected by the test's proxy"
                        + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.sendResponseHeaders(slowDown ? 503 : 500, "HEAD".equals(method) ? -1 : body.length);
                if (!"HEAD".equals(method)) {
                    exchange.getResponseBody().write(body);
                }
                return;
            }
            forward(exchange, method, pathAndQuery, fault);
        }
    }

    private void forward(HttpExchange exchange, String method, String pathAndQuery, Injection stall)
            throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        InputStream body = exchange.getRequestBody();
        if (stall != null) {
            body = new StallingStream(body, stall.stallAfterBytes(), stall.stallFor());
        }
        InputStream requestBody = body;
        HttpRequest.BodyPublisher publisher = length == null || "0".equals(length)
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> requestBody),
                        Long.parseLong(length));
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(pathAndQuery))
                .timeout(Duration.ofMinutes(5)).method(method, publisher);
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IOException e) {
            return; // upstream gone: the client sees a dropped connection, as it would without the proxy
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        // HttpServer: -1 = no body, 0 = chunked (the upstream sent no length)
        long responseLength = response.headers().firstValueAsLong("Content-Length").orElse(-2);
        try (InputStream in = response.body()) {
            if ("HEAD".equals(method) || response.statusCode() == 204 || response.statusCode() == 304) {
                response.headers().firstValue("Content-Length")
                        .ifPresent(value -> exchange.getResponseHeaders().set("Content-Length", value));
                exchange.sendResponseHeaders(response.statusCode(), -1);
                return;
            }
            exchange.sendResponseHeaders(response.statusCode(),
                    responseLength == -2 ? 0 : responseLength == 0 ? -1 : responseLength);
            if (responseLength != 0) {
                in.transferTo(exchange.getResponseBody());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Passes {@code afterBytes} through, then sleeps {@code stallFor} once, then passes the rest. */
    private static final class StallingStream extends FilterInputStream {
        private long untilStall;
        private final Duration stallFor;
        private boolean stalled;

        StallingStream(InputStream in, long afterBytes, Duration stallFor) {
            super(in);
            this.untilStall = afterBytes;
            this.stallFor = stallFor;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!stalled && untilStall <= 0) {
                stalled = true;
                try {
                    Thread.sleep(stallFor.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while stalling", e);
                }
            }
            int max = stalled ? len : (int) Math.min(len, untilStall);
            int n = super.read(b, off, max);
            if (n > 0 && !stalled) {
                untilStall -= n;
            }
            return n;
        }
    }
}
