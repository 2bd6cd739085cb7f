package io.backbus.scheduler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.backbus.testsupport.ApiCallers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The two read endpoints of retention-service's catalog ({@code GET /backups/{id}}, {@code GET /backups?target=},
 * newest first; 404 problem+json for an unknown id; 401 without the viewer token {@link ApiCallers#VIEWER}), served from memory by a JDK {@link HttpServer}. The catalog
 * is another service with its own database: the scheduler's ITs stand in for it here, with the JSON shape of
 * retention's {@code BackupView}; the system tests run the scheduler against the real retention service.
 *
 * <p>One server per JVM, shared by every IT class (they share one Spring context). {@link #mode} switches it to
 * answer 500 or to drop connections without an answer (the catalog being down); tests restore {@link Mode#UP}.
 */
final class CatalogStub {

    /** How the stub answers. */
    enum Mode { UP, ERROR_500, NO_ANSWER }

    /**
     * A catalog entry.
     *
     * @param status AVAILABLE, or EXPIRED and the like
     */
    record Backup(UUID backupId, UUID runId, String target, String status, Instant storedAt, long plaintextSize,
            long ciphertextSize, String plaintextSha256) {

        String objectKey() {
            return "targets/" + target + "/" + runId + "/artifact.enc";
        }

        String manifestKey() {
            return "targets/" + target + "/" + runId + "/manifest.json";
        }

        String json() {
            return """
                    {"backupId": "%s", "runId": "%s", "target": "%s", "agentId": "db-host-1",
                     "bucket": "backbus-backups", "objectKey": "%s", "manifestKey": "%s", "plaintextSize": %d,
                     "ciphertextSize": %d, "plaintextSha256": "%s",
                     "encryption": "tink-streaming-aead/AES256_GCM_HKDF_1MB", "keyId": "1932402213",
                     "storageClass": "STANDARD", "status": "%s", "storedAt": "%s",
                     "dumpStartedAt": "%s", "serverVersion": "15.18"}"""
                    .formatted(backupId, runId, target, objectKey(), manifestKey(), plaintextSize, ciphertextSize,
                            plaintextSha256, status, storedAt, storedAt.minusSeconds(7));
        }
    }

    private static volatile CatalogStub instance;

    private final HttpServer server;
    private final Map<UUID, Backup> backups = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.UP;

    private CatalogStub(HttpServer server) {
        this.server = server;
    }

    static CatalogStub get() {
        CatalogStub stub = instance;
        if (stub == null) {
            synchronized (CatalogStub.class) {
                stub = instance;
                if (stub == null) {
                    stub = start();
                    instance = stub;
                }
            }
        }
        return stub;
    }

    private static CatalogStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "catalog-stub");
                t.setDaemon(true);
                return t;
            }));
            CatalogStub stub = new CatalogStub(server);
            server.createContext("/backups", stub::handle);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the catalog stub", e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void mode(Mode newMode) {
        mode = newMode;
    }

    /** Adds (or replaces) a catalog entry. */
    Backup put(Backup backup) {
        backups.put(backup.backupId(), backup);
        return backup;
    }

    /** A new AVAILABLE entry of {@code target} stored at {@code storedAt}, with its own checksum and sizes. */
    Backup available(String target, Instant storedAt) {
        return put(entry(target, "AVAILABLE", storedAt));
    }

    static Backup entry(String target, String status, Instant storedAt) {
        UUID backupId = UUID.randomUUID();
        String sha = (backupId.toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""));
        long size = 1_000_000 + (backupId.getLeastSignificantBits() & 0xffff);
        return new Backup(backupId, UUID.randomUUID(), target, status, storedAt, size, size + 28_672, sha);
    }

    /** The request paths (with query) seen so far, oldest first. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            switch (mode) {
                case NO_ANSWER -> {
                    return; // closing the exchange without a response: the client sees the connection end
                }
                case ERROR_500 -> {
                    respond(exchange, 500, "application/problem+json",
                            "{\"status\": 500, \"title\": \"Internal Server Error\"}");
                    return;
                }
                case UP -> {
                    // like the real catalog (ADR 0011): the scheduler must present its catalog token
                    if (!ApiCallers.VIEWER.bearer().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                        respond(exchange, 401, "application/problem+json", "{\"status\": 401}");
                        return;
                    }
                    answer(exchange, uri);
                }
            }
        }
    }

    private void answer(HttpExchange exchange, URI uri) throws IOException {
        String path = uri.getRawPath();
        if (!"GET".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "application/problem+json", "{\"status\": 405}");
        } else if (path.equals("/backups")) {
            String target = query(uri).get("target");
            String body = backups.values().stream()
                    .filter(b -> target == null || b.target().equals(target))
                    .sorted(Comparator.comparing(Backup::storedAt).reversed())
                    .map(Backup::json)
                    .collect(Collectors.joining(",", "[", "]"));
            respond(exchange, 200, "application/json", body);
        } else {
            Backup backup = null;
            try {
                backup = backups.get(UUID.fromString(path.substring("/backups/".length())));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                // not a backup id: not found
            }
            if (backup == null) {
                respond(exchange, 404, "application/problem+json", """
                        {"type": "about:blank", "title": "Backup not found", "status": 404,
                         "detail": "No backup in the catalog"}""");
            } else {
                respond(exchange, 200, "application/json", backup.json());
            }
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new ConcurrentHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
