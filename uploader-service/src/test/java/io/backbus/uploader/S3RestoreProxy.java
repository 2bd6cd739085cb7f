package io.backbus.uploader;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for what S3Mock cannot do: S3Mock 5.2.0 has no RestoreObject API (its ObjectController has no restore
 * handler) and does not model thawing (a GLACIER object reads at once). This proxy forwards every request to S3Mock
 * unchanged, except that it answers {@code POST /<bucket>/<key>?restore} itself with 202 and records it, and from
 * then on adds {@code x-amz-restore} to HEAD responses for that key: {@code ongoing-request="true"} until the test
 * calls {@link #finishThaw}, then {@code ongoing-request="false", expiry-date="..."} as S3 does once the
 * temporary copy is readable. It can also answer GETs of a key with S3's 500 InternalError a number of times, to
 * show the uploader's in-place retries.
 */
final class S3RestoreProxy implements AutoCloseable {

    /** Headers the JDK client sets itself (or refuses), and hop-by-hop ones. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "date", "via", "warning", "from", "origin", "referer", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI upstream;
    private final Map<String, List<String>> restoreRequests = new ConcurrentHashMap<>();
    private final Set<String> thawing = ConcurrentHashMap.newKeySet();
    private final Set<String> thawed = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> failGets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();

    private S3RestoreProxy(HttpServer server, ExecutorService executor, URI upstream) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
    }

    static S3RestoreProxy start(URI upstream) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "s3-restore-proxy");
                t.setDaemon(true);
                return t;
            });
            S3RestoreProxy proxy = new S3RestoreProxy(server, executor, upstream);
            server.createContext("/", proxy::handle);
            server.setExecutor(executor);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Bodies of the RestoreObject requests received for this object (the RestoreRequest XML). */
    List<String> restoreRequests(String bucket, String key) {
        return List.copyOf(restoreRequests.getOrDefault(path(bucket, key), List.of()));
    }

    /** From now on HEAD says a thaw of this object is under way, as if someone else had requested it. */
    void thawRequestedElsewhere(String bucket, String key) {
        thawing.add(path(bucket, key));
    }

    /** From now on HEAD says the thaw of this object is done. */
    void finishThaw(String bucket, String key) {
        thawed.add(path(bucket, key));
    }

    /** The next {@code times} GETs of this object are answered 500 InternalError. */
    void failGets(String bucket, String key, int times) {
        failGets.put(path(bucket, key), new AtomicInteger(times));
    }

    /** GETs of this object received (failed ones included). */
    int gets(String bucket, String key) {
        AtomicInteger n = gets.get(path(bucket, key));
        return n == null ? 0 : n.get();
    }

    private static String path(String bucket, String key) {
        return "/" + bucket + "/" + key;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("POST") && query != null && Arrays.stream(query.split("&"))
                    .anyMatch(p -> p.equals("restore") || p.startsWith("restore="))) {
                restoreRequests.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                        .add(new String(body, StandardCharsets.UTF_8));
                thawing.add(path);
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            if (method.equals("GET")) {
                gets.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                AtomicInteger failures = failGets.get(path);
                if (failures != null && failures.getAndDecrement() > 0) {
                    byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
                            + "<Message>We encountered an internal error. Please try again.</Message></Error>")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/xml");
                    exchange.sendResponseHeaders(500, error.length);
                    exchange.getResponseBody().write(error);
                    return;
                }
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream + path
                    + (query == null ? "" : "?" + query)))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean head = method.equals("HEAD");
            Headers out = exchange.getResponseHeaders();
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("transfer-encoding") && !lower.equals("connection") && !lower.equals("date")
                        && (head || !lower.equals("content-length"))) {
                    out.put(name, values);
                }
            });
            if (head && thawing.contains(path)) {
                out.set("x-amz-restore", thawed.contains(path)
                        ? "ongoing-request=\"false\", expiry-date=\"" + DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                ZonedDateTime.now(ZoneOffset.UTC).plusDays(1)) + "\""
                        : "ongoing-request=\"true\"");
            }
            int status = response.statusCode();
            byte[] responseBody = response.body();
            if (head || status == 204 || status == 304 || responseBody.length == 0) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, responseBody.length);
                exchange.getResponseBody().write(responseBody);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
