package io.backbus.retention;

import io.backbus.testsupport.ApiAccessAssert;
import io.backbus.testsupport.ApiCallers;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.testsupport.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service with an object store that does not answer: it starts and serves the catalog; a rebuild fails with
 * problem details instead of crashing. (A second, light context: no Kafka listeners.)
 */
class CatalogRebuildWithoutS3IT extends RetentionIntegrationTest {

    private static final String DEAD_ENDPOINT = "http://127.0.0.1:" + closedPort();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.springProperties(registry, "retention_nos3");
        registry.add("backbus.s3.endpoint", () -> DEAD_ENDPOINT);
        registry.add("spring.kafka.listener.auto-startup", () -> "false");
    }

    @Test
    void aRebuildIsForOperators() {
        // admitted, it answers 503 here (no object store): nothing is added whoever asks
        ApiAccessAssert.assertAccess(URI.create("http://127.0.0.1:" + port), "POST", "/catalog/rebuild", () -> null,
                ApiCallers.OPERATOR, 503);
    }

    @Test
    void answersARebuildWith503ProblemDetailsWhenTheObjectStoreIsUnreachable() {
        // the JDK client: it does not re-send a POST answered 503 (Apache HttpClient 5 would)
        RestClient http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .requestFactory(new JdkClientHttpRequestFactory())
                .defaultHeader("Authorization", io.backbus.testsupport.ApiCallers.OPERATOR.bearer()).build();
        assertThat(http.get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
        assertThat(http.get().uri("/backups").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);

        record Reply(int status, MediaType type, String body) {
        }
        Reply reply = http.post().uri("/catalog/rebuild").accept(MediaType.APPLICATION_JSON)
                .exchange((request, response) -> new Reply(response.getStatusCode().value(),
                        response.getHeaders().getContentType(),
                        new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.type()).isNotNull();
        assertThat(reply.type().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        JsonNode problem = JsonMapper.builder().build().readTree(reply.body());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("title").asString()).isEqualTo("Object store unreachable");
        assertThat(problem.get("detail").asString()).startsWith("Catalog rebuild failed: cannot list bucket")
                .contains(DEAD_ENDPOINT).contains("Added 0 backup(s)");
        // and the service goes on
        assertThat(http.get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
