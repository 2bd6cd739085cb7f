package io.backbus.uploader.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.uploader.domain.ArtifactSource;
import io.backbus.uploader.domain.ArtifactSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpArtifactSourceTest {

    @TempDir
    Path dir;

    @Test
    void redactionDropsSignatureUserInfoAndFragment() {
        assertThat(ArtifactSource.redact(URI.create(
                "https://agent:pw@db-host-1:8082/artifacts/run-1?expires=1&sig=abcdef#frag")))
                .isEqualTo("https://db-host-1:8082/artifacts/run-1");
    }

    @Test
    void unreachableAgentIsRetryableAndReportedWithoutItsQuery() throws IOException {
        HttpArtifactSource source = new HttpArtifactSource(HttpClient.newHttpClient(), 2, Duration.ofMillis(1),
                Duration.ofSeconds(2), Duration.ofSeconds(5), List.of());
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> source.open(URI.create("http://127.0.0.1:" + closedPort + "/a?sig=SECRET")))
                .isInstanceOfSatisfying(ArtifactSourceException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).startsWith("GET http://127.0.0.1:" + closedPort + "/a failed: ")
                            .doesNotContain("SECRET");
                });
    }

    @Test
    void fileLocationsAreConfinedToTheirRoots() throws Exception {
        Path root = Files.createDirectories(dir.resolve("staging"));
        Path inside = Files.writeString(root.resolve("a.dump"), "dump");
        Path outside = Files.writeString(dir.resolve("secret.txt"), "not yours");
        HttpArtifactSource source = new HttpArtifactSource(HttpClient.newHttpClient(), 1, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(5), List.of(root));

        try (InputStream in = source.open(inside.toUri())) {
            assertThat(in.readAllBytes()).asString().isEqualTo("dump");
        }
        assertThatThrownBy(() -> source.open(outside.toUri())).isInstanceOfSatisfying(ArtifactSourceException.class,
                e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> source.open(URI.create(root.toUri() + "../secret.txt")))
                .hasMessageContaining("outside backbus.uploader.file-roots");
        assertThatThrownBy(() -> source.open(root.resolve("missing.dump").toUri()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void withoutRootsEveryFileLocationIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("keyset.json"), "key material");
        HttpArtifactSource source = new HttpArtifactSource(HttpClient.newHttpClient(), 1, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(5), List.of());

        assertThatThrownBy(() -> source.open(file.toUri())).isInstanceOfSatisfying(ArtifactSourceException.class,
                e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("file:// locations are disabled")
                            .contains("backbus.uploader.file-roots").doesNotContain("key material");
                });
    }

    @Test
    void aLinkInsideARootCannotLeadOutOfIt() throws Exception {
        Path root = Files.createDirectories(dir.resolve("staging"));
        Path secret = Files.writeString(dir.resolve("master-key.json"), "not yours");
        Path link = Files.createSymbolicLink(root.resolve("run.dump"), secret);
        HttpArtifactSource source = new HttpArtifactSource(HttpClient.newHttpClient(), 1, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(5), List.of(root));

        assertThatThrownBy(() -> source.open(link.toUri()))
                .hasMessageContaining("outside backbus.uploader.file-roots");
    }

    @Test
    void httpLocationsOutsideTheAllowedSourcesAreRefusedBeforeAnyRequest() throws Exception {
        try (var agent = new java.net.ServerSocket(0)) {
            int port = agent.getLocalPort();
            HttpArtifactSource source = new HttpArtifactSource(HttpClient.newHttpClient(), 3, Duration.ZERO,
                    Duration.ofSeconds(1), Duration.ofSeconds(5), List.of(), new AllowedSources(List.of(
                            URI.create("http://127.0.0.1:" + port + "/artifacts/"))));

            for (String refused : List.of("http://169.254.169.254/latest/meta-data?sig=SECRET",
                    "http://127.0.0.1:" + (port == 65535 ? port - 1 : port + 1) + "/artifacts/r",
                    "https://127.0.0.1:" + port + "/artifacts/r", "http://127.0.0.1:" + port + "/actuator/env",
                    "http://127.0.0.1:" + port + "/artifacts/../actuator/env",
                    "http://user@127.0.0.1:" + port + "/artifacts/r")) {
                assertThatThrownBy(() -> source.open(URI.create(refused))).as(refused)
                        .isInstanceOfSatisfying(ArtifactSourceException.class, e -> {
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.getMessage()).contains("backbus.uploader.allowed-sources")
                                    .doesNotContain("SECRET");
                        });
            }
            agent.setSoTimeout(200);
            // nothing connected for any of them
            assertThatThrownBy(agent::accept).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void allowedSourcesMatchSchemeHostPortAndPathPrefix() {
        AllowedSources allowed = new AllowedSources(List.of(URI.create("http://Agent-1:8081"),
                URI.create("https://agent-2/backbus")));

        assertThat(allowed.permits(URI.create("http://agent-1:8081/artifacts/r?sig=x"))).isTrue();
        assertThat(allowed.permits(URI.create("https://agent-2:443/backbus/artifacts/r"))).isTrue();
        assertThat(allowed.permits(URI.create("https://agent-2/backbusx/artifacts/r"))).isFalse();
        assertThat(allowed.permits(URI.create("http://agent-1/artifacts/r"))).isFalse();
        assertThat(AllowedSources.ANY.permits(URI.create("http://anywhere/x"))).isTrue();
        assertThatThrownBy(() -> new AllowedSources(List.of(URI.create("file:///srv/staging"))))
                .hasMessageContaining("backbus.uploader.allowed-sources");
    }
}
