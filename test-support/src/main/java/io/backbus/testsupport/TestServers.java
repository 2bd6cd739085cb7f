package io.backbus.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.backbus.localstack.FreePorts;
import io.backbus.localstack.PostgresCluster;
import io.backbus.localstack.S3MockServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The real servers shared by all integration tests of one JVM: an in-process Kafka KRaft broker, a PostgreSQL
 * cluster and an S3Mock server, started lazily (in parallel) on first {@link #get()} and stopped at JVM exit.
 */
public final class TestServers {

    private static final Logger log = LoggerFactory.getLogger(TestServers.class);

    public static final String S3_REGION = "us-east-1";
    public static final String S3_ACCESS_KEY = "test";
    public static final String S3_SECRET_KEY = "test";

    private static final AtomicInteger DB_COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile TestServers instance;

    private final EmbeddedKafkaKraftBroker kafka;
    private final PostgresCluster postgres;
    private final S3MockServer s3;
    private final Path home;
    private final Duration startupTime;
    private volatile S3Client s3Client;

    private TestServers(EmbeddedKafkaKraftBroker kafka, PostgresCluster postgres, S3MockServer s3, Path home,
            Duration startupTime) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.s3 = s3;
        this.home = home;
        this.startupTime = startupTime;
    }

    /** The servers of this JVM, starting them on the first call (takes a few seconds). */
    public static TestServers get() {
        TestServers s = instance;
        if (s == null) {
            synchronized (TestServers.class) {
                s = instance;
                if (s == null) {
                    s = startAll();
                    instance = s;
                }
            }
        }
        return s;
    }

    /**
     * Registers Spring Boot properties pointing at the shared servers: Kafka bootstrap servers (and topics with one
     * replica, as there is one broker), a fresh database
     * (prefix {@code dbPrefix}) as the datasource, and the S3 mock as {@code backbus.s3.*}. Use it from a
     * {@code @DynamicPropertySource} method.
     */
    public static DatabaseInfo springProperties(DynamicPropertyRegistry registry, String dbPrefix) {
        TestServers servers = get();
        DatabaseInfo db = servers.newDatabase(dbPrefix);
        registry.add("spring.kafka.bootstrap-servers", servers::kafkaBootstrapServers);
        // one broker: the production defaults (3 replicas, min.insync 2) cannot be met
        registry.add("backbus.delivery.replication-factor", () -> "1");
        registry.add("backbus.delivery.min-insync-replicas", () -> "1");
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("backbus.s3.endpoint", () -> servers.s3Endpoint().toString());
        registry.add("backbus.s3.region", () -> S3_REGION);
        registry.add("backbus.s3.access-key", () -> S3_ACCESS_KEY);
        registry.add("backbus.s3.secret-key", () -> S3_SECRET_KEY);
        registry.add("backbus.s3.path-style", () -> "true");
        // the API callers of every service IT: a static token per role and JWTs of this JVM's key (ApiCallers)
        ApiCallers.springProperties(registry);
        return db;
    }

    /** {@code host:port} of the Kafka broker. */
    public String kafkaBootstrapServers() {
        return kafka.getBrokersAsString();
    }

    /** The embedded broker (e.g. to add topics). */
    public EmbeddedKafkaKraftBroker kafka() {
        return kafka;
    }

    public PostgresCluster postgres() {
        return postgres;
    }

    /** {@code http://127.0.0.1:PORT} of the S3 mock. */
    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** A shared S3 client for the mock: path-style, us-east-1, static credentials test/test. Do not close it. */
    public S3Client s3Client() {
        S3Client c = s3Client;
        if (c == null) {
            synchronized (this) {
                c = s3Client;
                if (c == null) {
                    c = newS3Client();
                    s3Client = c;
                }
            }
        }
        return c;
    }

    /** A new S3 client for the mock (the caller closes it). */
    public S3Client newS3Client() {
        return S3Client.builder()
                .endpointOverride(s3Endpoint())
                .region(Region.of(S3_REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3_ACCESS_KEY, S3_SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** Creates the bucket unless it exists. */
    public void createBucket(String bucket) {
        S3Client c = s3Client();
        try {
            c.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            // create below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        try {
            c.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // raced with another test: fine
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    /**
     * Creates a uniquely named database ({@code prefix_<n>_<random>}) owned by a new login role of the same name
     * with a random password.
     */
    public DatabaseInfo newDatabase(String prefix) {
        String base = (prefix == null || prefix.isBlank() ? "db" : prefix).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        if (!Character.isLetter(base.charAt(0))) {
            base = "db_" + base;
        }
        if (base.length() > 40) {
            base = base.substring(0, 40);
        }
        byte[] r = new byte[3];
        RANDOM.nextBytes(r);
        String name = base + "_" + DB_COUNTER.incrementAndGet() + "_" + HexFormat.of().formatHex(r);
        byte[] pw = new byte[12];
        RANDOM.nextBytes(pw);
        String password = HexFormat.of().formatHex(pw);
        postgres.createRole(name, password);
        postgres.createDatabase(name, name);
        return new DatabaseInfo(name, postgres.jdbcUrl(name), name, password);
    }

    /** How long {@link #get()} took to start the servers. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Temp directory holding the PostgreSQL and S3Mock data and logs. */
    public Path home() {
        return home;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static TestServers startAll() {
        long t0 = System.nanoTime();
        Path home;
        try {
            home = Files.createTempDirectory("backbus-test-servers",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create temp dir for test servers", e);
        }
        CompletableFuture<PostgresCluster> pg = CompletableFuture.supplyAsync(timed("postgres",
                () -> PostgresCluster.start(home.resolve("postgres").resolve("data"), FreePorts.pick())),
                TestServers::daemonThread);
        CompletableFuture<S3MockServer> s3 = CompletableFuture.supplyAsync(timed("s3mock",
                () -> S3MockServer.start(home.resolve("s3").resolve("store"), FreePorts.pick(), false)),
                TestServers::daemonThread);
        CompletableFuture<EmbeddedKafkaKraftBroker> kafka = CompletableFuture.supplyAsync(
                timed("kafka", TestServers::startKafka), TestServers::daemonThread);
        try {
            CompletableFuture.allOf(pg, s3, kafka).join();
        } catch (CompletionException e) {
            // stop whatever did start, then report the first failure
            stopQuietly(() -> pg.getNow(null), PostgresCluster::stop);
            stopQuietly(() -> s3.getNow(null), S3MockServer::stop);
            stopQuietly(() -> kafka.getNow(null), EmbeddedKafkaKraftBroker::destroy);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("test servers failed to start: " + cause.getMessage(), cause);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        TestServers servers = new TestServers(kafka.join(), pg.join(), s3.join(), home, took);
        Runtime.getRuntime().addShutdownHook(new Thread(servers::stopAll, "backbus-test-servers-stop"));
        log.info("test servers up in {} ms: kafka {}, postgres {}:{}, s3 {} (home {})", took.toMillis(),
                servers.kafkaBootstrapServers(), servers.postgres.host(), servers.postgres.port(),
                servers.s3Endpoint(), home);
        return servers;
    }

    private static <T> java.util.function.Supplier<T> timed(String what, java.util.function.Supplier<T> start) {
        return () -> {
            long t0 = System.nanoTime();
            T t = start.get();
            log.info("{} started in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
            return t;
        };
    }

    private static EmbeddedKafkaKraftBroker startKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "true",
                "num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "1",
                "transaction.state.log.num.partitions", "1"));
        broker.afterPropertiesSet();
        return broker;
    }

    private static void daemonThread(Runnable r) {
        Thread t = new Thread(r, "backbus-test-servers-start");
        t.setDaemon(true);
        t.start();
    }

    private void stopAll() {
        S3Client c = s3Client;
        if (c != null) {
            stopQuietly(() -> c, S3Client::close);
        }
        stopQuietly(() -> kafka, EmbeddedKafkaKraftBroker::destroy);
        stopQuietly(() -> s3, S3MockServer::stop);
        stopQuietly(() -> postgres, PostgresCluster::stop);
        deleteQuietly(home);
    }

    private static <T> void stopQuietly(java.util.function.Supplier<T> what, java.util.function.Consumer<T> stop) {
        try {
            T t = what.get();
            if (t != null) {
                stop.accept(t);
            }
        } catch (RuntimeException e) {
            log.warn("stopping test server failed: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
