package io.backbus.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for AWS KMS, which cannot run here: a JDK {@link HttpServer} on a free local port that speaks the KMS
 * JSON protocol ({@code POST /}, {@code X-Amz-Target: TrentService.Encrypt} / {@code TrentService.Decrypt},
 * {@code application/x-amz-json-1.1}) as the AWS SDK sends it, and really encrypts: AES-256-GCM under a key per
 * {@link #createKey() created key ARN}, the key ARN and the encryption context authenticated, the ARN inside the
 * ciphertext blob as KMS does. Errors come as KMS sends them ({@code __type} {@code NotFoundException},
 * {@code InvalidCiphertextException}, {@code IncorrectKeyException}, {@code DisabledException}). No signature check:
 * the SDK signs, the stand-in does not verify.
 *
 * <p>Keeps every request it answered ({@link #requests()}), so tests can see what was sent to KMS.
 */
public final class KmsStandIn implements AutoCloseable {

    /** One request: its operation ({@code Encrypt}/{@code Decrypt}), key id, context and plaintext size. */
    public record Request(String operation, String keyId, Map<String, String> encryptionContext, int plaintextBytes,
            String body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "111122223333";

    private final HttpServer server;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Boolean> disabled = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private KmsStandIn(HttpServer server) {
        this.server = server;
    }

    public static KmsStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            KmsStandIn kms = new KmsStandIn(server);
            server.createContext("/", kms::handle);
            server.start();
            return kms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint to give the SDK as its endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A new symmetric key; returns its ARN, {@code arn:aws:kms:us-east-1:111122223333:key/<uuid>}. */
    public String createKey() {
        String arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + UUID.randomUUID();
        byte[] key = new byte[32];
        random.nextBytes(key);
        keys.put(arn, new SecretKeySpec(key, "AES"));
        return arn;
    }

    /** Disables (or enables again) a key: KMS then refuses to use it with {@code DisabledException}. */
    public void setDisabled(String arn, boolean off) {
        disabled.put(arn, off);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String operation = target == null ? "" : target.replaceFirst("^TrentService\\.", "");
            try {
                ObjectNode answer = switch (operation) {
                    case "Encrypt" -> encrypt(body);
                    case "Decrypt" -> decrypt(body);
                    default -> throw new KmsError(400, "UnsupportedOperationException",
                            "the KMS stand-in answers Encrypt and Decrypt only, not " + target);
                };
                send(exchange, 200, answer);
            } catch (KmsError e) {
                ObjectNode error = JSON.createObjectNode().put("__type", e.type).put("message", e.getMessage());
                exchange.getResponseHeaders().set("x-amzn-ErrorType", e.type);
                send(exchange, e.status, error);
            } finally {
                requests.add(new Request(operation, body.path("KeyId").asString(null), context(body),
                        body.has("Plaintext") ? Base64.getDecoder().decode(body.get("Plaintext").asString()).length
                                : -1, body.toString()));
            }
        }
    }

    private ObjectNode encrypt(JsonNode body) {
        String arn = body.path("KeyId").asString("");
        SecretKey key = usableKey(arn);
        byte[] plaintext = Base64.getDecoder().decode(body.path("Plaintext").asString(""));
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, iv, aad(arn, context(body)), plaintext);
        byte[] arnBytes = arn.getBytes(StandardCharsets.UTF_8);
        ByteBuffer blob = ByteBuffer.allocate(2 + arnBytes.length + iv.length + sealed.length);
        blob.putShort((short) arnBytes.length).put(arnBytes).put(iv).put(sealed);
        return JSON.createObjectNode().put("CiphertextBlob", Base64.getEncoder().encodeToString(blob.array()))
                .put("KeyId", arn).put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    }

    private ObjectNode decrypt(JsonNode body) {
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(body.path("CiphertextBlob").asString("")));
        String arn;
        byte[] iv = new byte[12];
        byte[] sealed;
        try {
            byte[] arnBytes = new byte[blob.getShort()];
            blob.get(arnBytes).get(iv);
            arn = new String(arnBytes, StandardCharsets.UTF_8);
            sealed = new byte[blob.remaining()];
            blob.get(sealed);
        } catch (RuntimeException e) {
            throw new KmsError(400, "InvalidCiphertextException", "the ciphertext is not a KMS ciphertext blob");
        }
        String requested = body.path("KeyId").asString(null);
        if (requested != null && !requested.equals(arn)) {
            throw new KmsError(400, "IncorrectKeyException", "the ciphertext was not encrypted under " + requested);
        }
        SecretKey key = usableKey(arn);
        byte[] plaintext = gcm(Cipher.DECRYPT_MODE, key, iv, aad(arn, context(body)), sealed);
        return JSON.createObjectNode().put("Plaintext", Base64.getEncoder().encodeToString(plaintext))
                .put("KeyId", arn).put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    }

    private SecretKey usableKey(String arn) {
        SecretKey key = keys.get(arn);
        if (key == null) {
            throw new KmsError(400, "NotFoundException", "Key '" + arn + "' does not exist");
        }
        if (disabled.getOrDefault(arn, false)) {
            throw new KmsError(400, "DisabledException", arn + " is disabled.");
        }
        return key;
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] iv, byte[] aad, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new KmsError(400, "InvalidCiphertextException", "the ciphertext or its encryption context does "
                    + "not authenticate");
        }
    }

    private static Map<String, String> context(JsonNode body) {
        Map<String, String> context = new TreeMap<>();
        body.path("EncryptionContext").properties().forEach(e -> context.put(e.getKey(), e.getValue().asString()));
        return context;
    }

    private static byte[] aad(String arn, Map<String, String> context) {
        return (arn + "\n" + context).getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static final class KmsError extends RuntimeException {
        private final int status;
        private final String type;

        KmsError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }
}
