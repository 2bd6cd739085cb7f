package io.backbus.cli;

import io.backbus.localstack.ChildProcess;
import io.backbus.repository.S3Properties;
import io.backbus.localstack.FreePorts;
import io.backbus.localstack.KafkaBroker;
import io.backbus.localstack.PostgresCluster;
import io.backbus.localstack.S3MockServer;
import io.backbus.localstack.ServiceStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded default: a Kafka broker (KRaft, child process), S3Mock with its data under {@code <data>/s3}, a
 * private PostgreSQL cluster under {@code <data>/postgres}, and the five services as separate processes.
 */
public final class EmbeddedStack implements AutoCloseable {

    public static final String AGENT_ID = "local-agent";
    public static final String BUCKET = "backbus-backups";
    static final String DEMO_TARGET = "shop";
    public static final String DEMO_ROLE = "backbus_demo";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dataDir;
    private final KafkaBroker kafka;
    private final S3MockServer s3;
    private final PostgresCluster postgres;
    private final ServiceStack services;
    private final String demoPassword;

    private EmbeddedStack(Path dataDir, KafkaBroker kafka, S3MockServer s3, PostgresCluster postgres,
            ServiceStack services, String demoPassword) {
        this.dataDir = dataDir;
        this.kafka = kafka;
        this.s3 = s3;
        this.postgres = postgres;
        this.services = services;
        this.demoPassword = demoPassword;
    }

    static EmbeddedStack start(Path repoRoot, Path dataDir, boolean detached, Progress progress) {
        return start(repoRoot, dataDir, detached, progress, Map.of());
    }

    /**
     * As the demo's stack (not detached), with extra agent targets (target name → database) dumped as
     * {@link #DEMO_ROLE}; the databases need not exist yet. Used by {@code backbus bench}.
     */
    public static EmbeddedStack start(Path repoRoot, Path dataDir, java.io.PrintStream out,
            Map<String, String> extraTargets) {
        return start(repoRoot, dataDir, false, new Progress(out), extraTargets);
    }

    private static EmbeddedStack start(Path repoRoot, Path dataDir, boolean detached, Progress progress,
            Map<String, String> extraTargets) {
        Path data = dataDir.toAbsolutePath().normalize();
        mkdirs(data);
        if (Files.exists(stateFile(data))) {
            JsonNode state = JSON.readTree(stateFile(data).toFile());
            long pid = state.path("services").path("scheduler-service").path("pid").asLong(-1);
            if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new CliException("a local stack is already running from " + data
                        + " (see " + stateFile(data) + "); stop it with: bin/backbus local down");
            }
        }
        progress.step("starting Kafka, S3Mock and PostgreSQL under " + data);
        var kafkaStart = CompletableFuture.supplyAsync(() -> KafkaBroker.start(data.resolve("kafka"),
                FreePorts.pick(), FreePorts.pick(), System.getProperty("java.class.path"), detached));
        var s3Start = CompletableFuture.supplyAsync(() -> S3MockServer.start(data.resolve("s3"), FreePorts.pick(),
                true, detached, BUCKET));
        var pgStart = CompletableFuture.supplyAsync(() -> PostgresCluster.start(data.resolve("postgres"),
                FreePorts.pick()));
        KafkaBroker kafka = kafkaStart.join();
        S3MockServer s3 = s3Start.join();
        PostgresCluster postgres = pgStart.join();
        progress.done("Kafka " + kafka.bootstrapServers() + ", S3 " + s3.endpoint() + ", PostgreSQL "
                + postgres.host() + ":" + postgres.port());

        String demoPassword = secret(data, "demo-role-password");
        postgres.createRole(DEMO_ROLE, demoPassword);
        // restores may create their destination database, and restore tests create and drop scratch databases
        postgres.execute("postgres", "alter role " + DEMO_ROLE + " createdb");
        var target = new ServiceStack.Target(DEMO_TARGET, postgres.host(), postgres.port(), DemoDatabase.NAME,
                DEMO_ROLE, demoPassword);
        List<ServiceStack.Target> targets = new java.util.ArrayList<>(List.of(target));
        extraTargets.forEach((name, database) -> targets.add(new ServiceStack.Target(name, postgres.host(),
                postgres.port(), database, DEMO_ROLE, demoPassword)));
        progress.step("starting the five services as separate processes");
        ServiceStack services;
        try {
            services = ServiceStack.start(new ServiceStack.Settings(repoRoot, data.resolve("services"),
                    kafka.bootstrapServers(), postgres, s3.endpoint(), "backbus_", AGENT_ID, targets, BUCKET,
                    null, detached));
        } catch (RuntimeException e) {
            // else PostgreSQL (pg_ctl, not a child process) outlives us and the next start finds it on another port
            CompletableFuture.allOf(CompletableFuture.runAsync(kafka::stop), CompletableFuture.runAsync(s3::stop),
                    CompletableFuture.runAsync(postgres::stop)).join();
            throw e;
        }
        progress.done(String.join(", ", services.services().keySet()));
        var stack = new EmbeddedStack(data, kafka, s3, postgres, services, demoPassword);
        stack.writeState();
        return stack;
    }

    /** A client of the stack's S3 server, with the settings the services get; the caller closes it. */
    public S3Client s3Client() {
        return new S3Properties(s3.endpoint(), "us-east-1", "backbus-local", "backbus-local", true).clientBuilder()
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public PostgresCluster postgres() {
        return postgres;
    }

    public ServiceStack services() {
        return services;
    }

    public S3MockServer s3() {
        return s3;
    }

    public String demoPassword() {
        return demoPassword;
    }

    public Path dataDir() {
        return dataDir;
    }

    static Path stateFile(Path dataDir) {
        return dataDir.resolve("local-stack.json");
    }

    private void writeState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("dataDir", dataDir.toString());
        state.put("kafka", Map.of("bootstrapServers", kafka.bootstrapServers(), "pid", kafka.process().pid()));
        state.put("s3", Map.of("endpoint", s3.endpoint().toString(), "bucket", BUCKET, "pid", s3.process().pid()));
        state.put("postgres", Map.of("host", postgres.host(), "port", postgres.port(), "user", postgres.superuser(),
                "dataDir", postgres.dataDir().toString()));
        Map<String, Object> svc = new LinkedHashMap<>();
        services.services().forEach((name, p) -> svc.put(name, Map.of("url", p.baseUrl().toString(), "pid", p.pid(),
                "log", p.logFile().toString())));
        state.put("services", svc);
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(stateFile(dataDir).toFile(), state);
        } catch (RuntimeException e) {
            throw new CliException("cannot write " + stateFile(dataDir) + ": " + e.getMessage(), e);
        }
    }

    /** Stops a stack started with {@code --detach}, from its state file. */
    static void stopDetached(Path dataDir, Progress progress) {
        Path data = dataDir.toAbsolutePath().normalize();
        Path file = stateFile(data);
        if (!Files.exists(file)) {
            throw new CliException("no local stack state at " + file + " (nothing to stop)");
        }
        JsonNode state = JSON.readTree(file.toFile());
        Duration grace = Duration.ofSeconds(20);
        state.path("services").properties().forEach(e -> {
            progress.step("stopping " + e.getKey());
            ChildProcess.stopPid(e.getValue().path("pid").asLong(), grace);
            progress.done("stopped");
        });
        progress.step("stopping Kafka and S3Mock");
        ChildProcess.stopPid(state.path("kafka").path("pid").asLong(), grace);
        ChildProcess.stopPid(state.path("s3").path("pid").asLong(), grace);
        progress.done("stopped");
        progress.step("stopping PostgreSQL");
        // adopting the running cluster (same data dir and port) gives us a handle to stop it
        PostgresCluster.start(Path.of(state.path("postgres").path("dataDir").asString()),
                state.path("postgres").path("port").asInt()).stop();
        progress.done("stopped");
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        services.close();
        CompletableFuture.allOf(CompletableFuture.runAsync(kafka::stop), CompletableFuture.runAsync(s3::stop),
                CompletableFuture.runAsync(postgres::stop)).join();
        try {
            Files.deleteIfExists(stateFile(dataDir));
        } catch (IOException ignored) {
            // a stale state file is detected on the next start
        }
    }

    /** A generated secret kept (mode 600) in {@code <data>/secrets.properties} so restarts reuse it. */
    private static String secret(Path data, String name) {
        Path file = data.resolve("secrets.properties");
        Properties secrets = new Properties();
        try {
            if (Files.exists(file)) {
                try (var in = Files.newInputStream(file)) {
                    secrets.load(in);
                }
            }
            String value = secrets.getProperty(name);
            if (value == null) {
                byte[] random = new byte[18];
                new SecureRandom().nextBytes(random);
                value = HexFormat.of().formatHex(random);
                secrets.setProperty(name, value);
                if (!Files.exists(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                try (var out = Files.newOutputStream(file)) {
                    secrets.store(out, "generated by bin/backbus; keep private");
                }
            }
            return value;
        } catch (IOException e) {
            throw new CliException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
