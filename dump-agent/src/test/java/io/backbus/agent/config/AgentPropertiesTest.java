package io.backbus.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.agent.domain.DumpCompression;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds {@code backbus.agent.*} exactly as Spring Boot does at start. */
class AgentPropertiesTest {

    @Test
    void bindsAFullConfigurationWithDefaults() {
        AgentProperties p = bind(valid());

        assertThat(p.id()).isEqualTo("db-host-1");
        assertThat(p.stagingDir()).isEqualTo(Path.of("/var/lib/backbus/staging"));
        assertThat(p.publicUrl()).isNull();
        assertThat(p.urlSigningKey()).isNull();
        assertThat(p.urlTtl()).isEqualTo(Duration.ofHours(6));
        assertThat(p.announceInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.janitorInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.pgBinDir()).isNull();
        assertThat(p.progressInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.compression().toDumpCompression()).isEqualTo(DumpCompression.zstd(
                AgentProperties.Compression.DEFAULT_LEVEL, AgentProperties.Compression.DEFAULT_WORKERS));
        assertThat(p.targets()).containsOnlyKeys("orders", "billing");
        assertThat(p.targets().get("orders")).isEqualTo(new AgentProperties.Target("127.0.0.1", 5432, "orders",
                "backup", "ORDERS_PW", null, "postgres"));
        assertThat(p.targets().get("billing").passfile()).isEqualTo(Path.of("/etc/backbus/pgpass"));
        assertThat(p.targets().get("billing").port()).isEqualTo(6432);
    }

    @Test
    void bindsExplicitSettings() {
        Map<String, String> m = valid();
        m.put("backbus.agent.public-url", "https://db-host-1.example:8443/");
        m.put("backbus.agent.url-ttl", "30m");
        m.put("backbus.agent.announce-interval", "1m");
        m.put("backbus.agent.pg-bin-dir", "/opt/pg/bin");

        AgentProperties p = bind(m);

        assertThat(p.publicUrl()).isEqualTo("https://db-host-1.example:8443");
        assertThat(p.urlTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.announceInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.pgBinDir()).isEqualTo(Path.of("/opt/pg/bin"));
    }

    @Test
    void bindsCompressionSettings() {
        Map<String, String> m = valid();
        m.put("backbus.agent.compression.level", "7");
        m.put("backbus.agent.compression.workers", "2");
        m.put("backbus.agent.progress-interval", "250ms");

        AgentProperties p = bind(m);

        assertThat(p.compression().toDumpCompression()).isEqualTo(DumpCompression.zstd(7, 2));
        assertThat(p.progressInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(bind(with("backbus.agent.compression.codec", "none")).compression().toDumpCompression())
                .isEqualTo(DumpCompression.none());
        assertThat(bind(with("backbus.agent.compression.codec", "ZSTD")).compression().codec())
                .isEqualTo(DumpCompression.Codec.ZSTD);
    }

    @Test
    void rejectsBadCompressionSettingsNamingTheProperty() {
        assertFailure(with("backbus.agent.compression.level", "0"),
                "backbus.agent.compression.level must be between 1 and 19 but is 0");
        assertFailure(with("backbus.agent.compression.level", "22"), "backbus.agent.compression.level must be");
        assertFailure(with("backbus.agent.compression.workers", "-1"),
                "backbus.agent.compression.workers must be between 0 and 64");
        assertFailure(with("backbus.agent.progress-interval", "0s"),
                "backbus.agent.progress-interval must be positive");
        assertThatThrownBy(() -> bind(with("backbus.agent.compression.codec", "gzip")))
                .isInstanceOf(BindException.class).hasMessageContaining("backbus.agent.compression.codec");
    }

    @Test
    void failsNamingEachMissingRequiredProperty() {
        assertFailure(without("backbus.agent.id"), "backbus.agent.id is required");
        assertFailure(without("backbus.agent.staging-dir"), "backbus.agent.staging-dir is required");
        assertFailure(without("backbus.agent.targets.orders.host"), "backbus.agent.targets.orders.host is required");
        assertFailure(without("backbus.agent.targets.orders.database"),
                "backbus.agent.targets.orders.database is required");
        assertFailure(without("backbus.agent.targets.orders.user"), "backbus.agent.targets.orders.user is required");
    }

    @Test
    void rejectsBadValuesNamingTheProperty() {
        assertFailure(with("backbus.agent.id", "db host/1"), "backbus.agent.id must be");
        assertFailure(with("backbus.agent.public-url", "ftp://x"), "backbus.agent.public-url must be an http(s) URL");
        assertFailure(with("backbus.agent.url-ttl", "0s"), "backbus.agent.url-ttl must be positive");
        assertFailure(with("backbus.agent.targets.orders.passfile", "/x"),
                "backbus.agent.targets.orders.password-env and backbus.agent.targets.orders.passfile are exclusive");
        assertFailure(with("backbus.agent.targets.orders.port", "70000"),
                "backbus.agent.targets.orders.port must be between 1 and 65535");
    }

    @Test
    void rejectsAShortSigningKeyWithoutEchoingIt() {
        assertThatThrownBy(() -> bind(with("backbus.agent.url-signing-key", "short-key")))
                .rootCause().hasMessage("backbus.agent.url-signing-key must be at least 16 characters")
                .message().doesNotContain("short-key");
        assertThat(bind(with("backbus.agent.url-signing-key", "a-long-enough-signing-key")).toString())
                .doesNotContain("a-long-enough-signing-key").contains("urlSigningKey=****");
    }

    @Test
    void findsPgDumpAndPgRestoreInTheConfiguredDirectoryTheDefaultOrOnThePath(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        executable(dir.resolve("pg_dump"));
        Path nowhere = dir.resolve("nowhere");
        Path dumpOnly = java.nio.file.Files.createDirectories(dir.resolve("dump-only"));
        executable(dumpOnly.resolve("pg_dump"));
        executable(dir.resolve("pg_restore"));

        assertThat(PgBinaries.locate(dir, nowhere, null)).isEqualTo(dir);
        assertThat(PgBinaries.locate(null, dir, null)).isEqualTo(dir);
        assertThat(PgBinaries.locate(null, nowhere, "/nonexistent:" + dir)).isEqualTo(dir.toRealPath());
        assertThat(PgBinaries.locate(null, dumpOnly, dumpOnly + ":" + dir)).as("pg_restore missing beside pg_dump")
                .isEqualTo(dir.toRealPath());
        assertThatThrownBy(() -> PgBinaries.locate(nowhere, dir, null))
                .hasMessage("backbus.agent.pg-bin-dir " + nowhere + " does not contain an executable pg_dump");
        assertThatThrownBy(() -> PgBinaries.locate(dumpOnly, dir, null))
                .hasMessage("backbus.agent.pg-bin-dir " + dumpOnly + " does not contain an executable pg_restore");
        assertThatThrownBy(() -> PgBinaries.locate(null, nowhere, "/nonexistent"))
                .hasMessageStartingWith("pg_dump and pg_restore not found together in")
                .hasMessageContaining("set backbus.agent.pg-bin-dir");
        assertThatThrownBy(() -> PgBinaries.locate(null, dumpOnly, dumpOnly.toString()))
                .hasMessageContaining("set backbus.agent.pg-bin-dir");
    }

    @Test
    void bindsRestoreSettingsWithDefaults() {
        AgentProperties.Restore defaults = bind(valid()).restore();
        assertThat(defaults.smokeQueryTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.maxJobs()).isEqualTo(8);
        assertThat(defaults.readTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(defaults.transferAttempts()).isEqualTo(5);
        assertThat(defaults.transferBackoff()).isEqualTo(Duration.ofSeconds(5));

        Map<String, String> m = valid();
        m.put("backbus.agent.restore.smoke-query-timeout", "5s");
        m.put("backbus.agent.restore.max-jobs", "2");
        m.put("backbus.agent.restore.read-timeout", "30s");
        m.put("backbus.agent.restore.transfer-attempts", "3");
        m.put("backbus.agent.restore.transfer-backoff", "250ms");
        AgentProperties.Restore set = bind(m).restore();
        assertThat(set).isEqualTo(new AgentProperties.Restore(Duration.ofSeconds(5), 2, Duration.ofSeconds(30), 3,
                Duration.ofMillis(250)));
    }

    @Test
    void rejectsBadRestoreSettingsNamingTheProperty() {
        assertFailure(with("backbus.agent.restore.max-jobs", "0"),
                "backbus.agent.restore.max-jobs must be between 1 and 64 but is 0");
        assertFailure(with("backbus.agent.restore.max-jobs", "65"), "backbus.agent.restore.max-jobs must be");
        assertFailure(with("backbus.agent.restore.smoke-query-timeout", "0s"),
                "backbus.agent.restore.smoke-query-timeout must be positive");
        assertFailure(with("backbus.agent.restore.read-timeout", "-1s"),
                "backbus.agent.restore.read-timeout must be positive");
        assertFailure(with("backbus.agent.restore.transfer-attempts", "0"),
                "backbus.agent.restore.transfer-attempts must be between 1 and 100 but is 0");
        assertFailure(with("backbus.agent.restore.transfer-attempts", "101"),
                "backbus.agent.restore.transfer-attempts must be between 1 and 100");
        assertFailure(with("backbus.agent.restore.transfer-backoff", "-1s"),
                "backbus.agent.restore.transfer-backoff must be between 0s and 1h but is PT-1S");
        assertFailure(with("backbus.agent.restore.transfer-backoff", "2h"),
                "backbus.agent.restore.transfer-backoff must be between 0s and 1h");
    }

    private static void executable(Path file) throws java.io.IOException {
        java.nio.file.Files.createFile(file);
        java.nio.file.Files.setPosixFilePermissions(file,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    private static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put("backbus.agent.id", "db-host-1");
        m.put("backbus.agent.staging-dir", "/var/lib/backbus/staging");
        m.put("backbus.agent.targets.orders.host", "127.0.0.1");
        m.put("backbus.agent.targets.orders.database", "orders");
        m.put("backbus.agent.targets.orders.user", "backup");
        m.put("backbus.agent.targets.orders.password-env", "ORDERS_PW");
        m.put("backbus.agent.targets.billing.host", "10.0.0.2");
        m.put("backbus.agent.targets.billing.port", "6432");
        m.put("backbus.agent.targets.billing.database", "billing");
        m.put("backbus.agent.targets.billing.user", "backup");
        m.put("backbus.agent.targets.billing.passfile", "/etc/backbus/pgpass");
        return m;
    }

    private static Map<String, String> without(String key) {
        Map<String, String> m = valid();
        m.remove(key);
        return m;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = valid();
        m.put(key, value);
        return m;
    }

    private static void assertFailure(Map<String, String> properties, String message) {
        assertThatThrownBy(() -> bind(properties)).isInstanceOf(BindException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    private static AgentProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("backbus.agent", AgentProperties.class);
    }
}
