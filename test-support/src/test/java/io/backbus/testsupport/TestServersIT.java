package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;

import software.amazon.awssdk.core.sync.RequestBody;

class TestServersIT {

    @Test
    void serversStartOnceAndAreShared() {
        TestServers servers = TestServers.get();
        assertThat(TestServers.get()).isSameAs(servers);
        System.out.println("TestServers.get() started in " + servers.startupTime().toMillis() + " ms");
    }

    @Test
    void kafkaProduceAndConsumeWithHeaders() {
        String bootstrap = TestServers.get().kafkaBootstrapServers();
        TopicProbe.publish(bootstrap, "probe.test", "k-early", Map.of("eventType", "Early"), "before open");
        try (TopicProbe probe = TopicProbe.open(bootstrap, "probe.test")) {
            TopicProbe.publish(bootstrap, "probe.test", "k1", Map.of("eventType", "WidgetCreated"),
                    "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
            List<ConsumerRecord<String, byte[]>> got = probe.awaitRecords(
                    r -> "WidgetCreated".equals(TopicProbe.header(r, "eventType")), 1, Duration.ofSeconds(30));
            assertThat(got.get(0).key()).isEqualTo("k1");
            assertThat(TopicProbe.valueAsString(got.get(0))).isEqualTo("{\"x\":1}");
            // earliest offset: the record published before the probe opened is visible as well
            assertThat(probe.awaitKey("k-early", Duration.ofSeconds(10))).isNotNull();
        }
    }

    @Test
    void sqlOnAFreshDatabase() throws Exception {
        TestServers servers = TestServers.get();
        DatabaseInfo db = servers.newDatabase("smoke");
        DatabaseInfo other = servers.newDatabase("smoke");
        assertThat(other.name()).isNotEqualTo(db.name());
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id serial primary key, v text)");
            st.execute("INSERT INTO t(v) VALUES ('hello')");
            try (ResultSet rs = st.executeQuery("SELECT v, current_database() FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hello");
                assertThat(rs.getString(2)).isEqualTo(db.name());
            }
        }
    }

    @Test
    void s3PutAndGet() {
        TestServers servers = TestServers.get();
        servers.createBucket("smoke-bucket");
        servers.createBucket("smoke-bucket"); // idempotent
        servers.s3Client().putObject(b -> b.bucket("smoke-bucket").key("a/b.txt"), RequestBody.fromString("data"));
        assertThat(servers.s3Client().getObjectAsBytes(b -> b.bucket("smoke-bucket").key("a/b.txt")).asUtf8String())
                .isEqualTo("data");
    }

    @Test
    void springPropertiesRegistersEverything() throws Exception {
        Map<String, Supplier<Object>> props = new HashMap<>();
        DynamicPropertyRegistry registry = props::put;
        DatabaseInfo db = TestServers.springProperties(registry, "Spring-IT");
        assertThat(props.keySet()).filteredOn(k -> !k.startsWith("backbus.security."))
                .containsExactlyInAnyOrder("spring.kafka.bootstrap-servers",
                "backbus.delivery.replication-factor", "backbus.delivery.min-insync-replicas",
                "spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
                "backbus.s3.endpoint", "backbus.s3.region", "backbus.s3.access-key", "backbus.s3.secret-key",
                "backbus.s3.path-style");
        // the API callers (ApiCallers): three static tokens by their SHA-256 only, and the JWT key
        assertThat(props.keySet()).filteredOn(k -> k.startsWith("backbus.security.tokens")).hasSize(9);
        assertThat(props.get("backbus.security.tokens[2].role").get()).isEqualTo("admin");
        assertThat(props.get("backbus.security.tokens[2].sha256").get())
                .isEqualTo(ApiCallers.sha256Hex(ApiCallers.ADMIN.token())).isNotEqualTo(ApiCallers.ADMIN.token());
        assertThat(props).containsKeys("backbus.security.jwt.public-key-location", "backbus.security.jwt.issuer-uri");
        assertThat(db.name()).startsWith("spring_it_");
        assertThat(props.get("spring.datasource.url").get()).isEqualTo(db.jdbcUrl());
        assertThat(props.get("backbus.s3.endpoint").get().toString()).startsWith("http://127.0.0.1:");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), (String) props.get("spring.datasource.username")
                .get(), (String) props.get("spring.datasource.password").get())) {
            assertThat(c.isValid(2)).isTrue();
        }
    }
}
