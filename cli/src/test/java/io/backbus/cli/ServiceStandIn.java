package io.backbus.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the scheduler's and the retention service's REST APIs: a JDK {@link HttpServer} on a free local
 * port that answers the requests the CLI sends with canned JSON, the way those services answer, and keeps what it
 * was sent. It lets the CLI's tests run in milliseconds without Kafka, PostgreSQL or a Spring context; the real
 * services, and the CLI against them, are exercised by system-tests.
 */
final class ServiceStandIn implements AutoCloseable {

    /** A request the stand-in received. */
    record Received(String method, String pathAndQuery, String body) {
    }

    private record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    ServiceStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Answers {@code method pathAndQuery} (e.g. {@code "GET /restores/r-1"}) with this status and JSON body; answers
     * given more than once are used in turn, the last one repeated.
     */
    ServiceStandIn answer(String request, int status, String json) {
        answers.computeIfAbsent(request, r -> new ArrayDeque<>()).add(new Answer(status, "application/json", json));
        return this;
    }

    /** As {@link #answer(String, int, String)} with an RFC 9457 problem body, as the services send errors. */
    ServiceStandIn problem(String request, int status, String problemJson) {
        answers.computeIfAbsent(request, r -> new ArrayDeque<>())
                .add(new Answer(status, "application/problem+json", problemJson));
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The {@code Authorization} header of each request received (null where none), oldest first. */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The body of the one request of this kind, e.g. {@code "POST /restores"}. */
    String bodyOf(String request) {
        return received.stream().filter(r -> (r.method() + " " + r.pathAndQuery()).equals(request))
                .map(Received::body).reduce((a, b) -> {
                    throw new AssertionError("more than one " + request);
                }).orElseThrow(() -> new AssertionError("no " + request + " in " + received));
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Deque<Answer> queue = answers.get(request);
            Answer answer = queue == null || queue.isEmpty()
                    ? new Answer(404, "application/problem+json", "{\"status\":404,\"detail\":\"no stand-in for "
                            + request + "\"}")
                    : queue.size() > 1 ? queue.poll() : queue.peek();
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** A local URL nothing listens on: a port the system just handed out and that was closed again. */
    static URI unreachableUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
