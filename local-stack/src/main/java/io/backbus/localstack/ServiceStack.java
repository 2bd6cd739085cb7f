package io.backbus.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The five Backbus services started from their packaged jars as separate processes and wired to a Kafka broker, a
 * PostgreSQL cluster (one database per service) and an S3-compatible server. Used by {@code bin/backbus} and by the
 * system tests, so both run the services exactly the same way.
 */
public final class ServiceStack implements AutoCloseable {

    /** The deployables, in start order. */
    public static final List<String> SERVICES = List.of("scheduler-service", "dump-agent", "uploader-service",
            "retention-service", "notifier-service");

    /**
     * A database the agent may back up. The password goes to the agent process in an environment variable only.
     *
     * @param name     the target's name in plans and events
     * @param host     database host
     * @param port     database port
     * @param database database name
     * @param user     login role
     * @param password the role's password
     * @param kind     the agent's backup kind for it ({@code backbus.agent.targets.<name>.kind}); null: PostgreSQL
     */
    public record Target(String name, String host, int port, String database, String user, String password,
            String kind) {

        /** A PostgreSQL target (the agent's default kind). */
        public Target(String name, String host, int port, String database, String user, String password) {
            this(name, host, port, database, user, password, null);
        }

        @Override
        public String toString() {
            return "Target[" + name + " -> " + user + "@" + host + ":" + port + "/" + database + "]";
        }
    }

    /**
     * How to start the stack.
     *
     * @param repoRoot       the Backbus checkout whose {@code <service>/target/<service>-*.jar} are run
     * @param workDir        where logs, agent staging and keys live
     * @param kafkaBootstrap Kafka bootstrap servers
     * @param postgres       the cluster holding the services' databases
     * @param s3Endpoint     the S3-compatible endpoint
     * @param databasePrefix prefix of the services' database names (e.g. {@code backbus_})
     * @param agentId        the id of the one agent started
     * @param targets        the agent's targets
     * @param bucket         the backup bucket
     * @param webhookUrl     the notifier's webhook, or null
     * @param detached       whether the processes outlive this JVM
     * @param agentPlugins   jars or directories put on the agent's {@code loader.path} (further backup kinds)
     */
    public record Settings(Path repoRoot, Path workDir, String kafkaBootstrap, PostgresCluster postgres, URI s3Endpoint,
            String databasePrefix, String agentId, List<Target> targets, String bucket, String webhookUrl,
            boolean detached, List<Path> agentPlugins) {

        public Settings {
            agentPlugins = agentPlugins == null ? List.of() : List.copyOf(agentPlugins);
        }

        /** Without agent plugins. */
        public Settings(Path repoRoot, Path workDir, String kafkaBootstrap, PostgresCluster postgres, URI s3Endpoint,
                String databasePrefix, String agentId, List<Target> targets, String bucket, String webhookUrl,
                boolean detached) {
            this(repoRoot, workDir, kafkaBootstrap, postgres, s3Endpoint, databasePrefix, agentId, targets, bucket,
                    webhookUrl, detached, List.of());
        }
    }

    private final Settings settings;
    private final Map<String, ServiceProcess> services;
    private final List<String> order;
    private final Map<String, Integer> ports;
    private final Map<String, Map<String, Object>> overrides;

    private ServiceStack(Settings settings, Map<String, ServiceProcess> services, Map<String, Integer> ports,
            Map<String, Map<String, Object>> overrides) {
        this.settings = settings;
        this.services = new ConcurrentHashMap<>(services);
        this.order = List.copyOf(services.keySet());
        this.ports = Map.copyOf(ports);
        this.overrides = overrides;
    }

    /**
     * Creates the services' databases and starts the five services in parallel; returns once all are healthy. The
     * first start generates the stack's admin API token ({@link #apiTokenFile}) and the scheduler's catalog token;
     * each service is configured with their SHA-256 only.
     */
    public static ServiceStack start(Settings settings) {
        return start(settings, Map.of());
    }

    /**
     * As {@link #start(Settings)}, with properties per service (module name → property → value) set over the
     * stack's own, e.g. shorter sweep intervals for a test.
     */
    public static ServiceStack start(Settings settings, Map<String, Map<String, Object>> overrides) {
        // distinct: two separate picks can return the same port, and a service would then wait for another's health
        int[] picked = FreePorts.pick(SERVICES.size());
        ApiTokens.ensure(settings.workDir());
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            ports.put(SERVICES.get(i), picked[i]);
        }
        Map<String, CompletableFuture<ServiceProcess>> starting = new LinkedHashMap<>();
        for (String service : SERVICES) {
            settings.postgres().createDatabase(database(settings, service));
            starting.put(service, CompletableFuture.supplyAsync(
                    () -> launch(settings, service, ports, overrides.getOrDefault(service, Map.of()))));
        }
        Map<String, ServiceProcess> started = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (var entry : starting.entrySet()) {
            try {
                started.put(entry.getKey(), entry.getValue().join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            started.values().forEach(ServiceProcess::stop);
            throw failure;
        }
        return new ServiceStack(settings, started, ports, overrides);
    }

    /** The database of {@code service} on the stack's PostgreSQL, e.g. {@code backbus_scheduler}. */
    public static String database(Settings settings, String service) {
        return settings.databasePrefix() + service.replace("-service", "").replace('-', '_');
    }

    /**
     * Kills a service with SIGKILL (no graceful shutdown: what a crash, OOM kill or power loss does) and waits for
     * the process to be gone.
     */
    public void killHard(String name) {
        service(name).killHard();
    }

    /** Starts a killed or stopped service again with the same port, environment and settings. */
    public ServiceProcess startAgain(String name) {
        return startAgain(name, Map.of());
    }

    /**
     * Starts a killed or stopped service again on the same port, with {@code properties} set over the ones it had
     * (e.g. another staging directory); returns once it is healthy.
     */
    public ServiceProcess startAgain(String name, Map<String, Object> properties) {
        ServiceProcess old = service(name);
        if (old.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + old.pid() + "); kill or stop it first");
        }
        Map<String, Object> merged = new LinkedHashMap<>(overrides.getOrDefault(name, Map.of()));
        merged.putAll(properties);
        ServiceProcess again = launch(settings, name, ports, merged);
        services.put(name, again);
        return again;
    }

    private static ServiceProcess launch(Settings settings, String service, Map<String, Integer> ports,
            Map<String, Object> overrides) {
        Path logs = mkdirs(settings.workDir().resolve("logs"));
        Map<String, Object> properties = properties(settings, service, database(settings, service), ports);
        properties.putAll(overrides);
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_APPLICATION_JSON", Json.write(properties));
        if (service.equals("dump-agent")) {
            for (Target target : settings.targets()) {
                env.put(passwordVariable(target), target.password());
            }
            if (!settings.agentPlugins().isEmpty()) {
                // read by the agent jar's PropertiesLauncher (ZIP layout)
                env.put("LOADER_PATH", String.join(",", settings.agentPlugins().stream()
                        .map(path -> path.toAbsolutePath().toString()).toList()));
            }
        }
        return ServiceProcess.start(service, jar(settings.repoRoot(), service), jvmOptions(service), env,
                logs.resolve(service + ".log"), ports.get(service), settings.detached());
    }

    private static Map<String, Object> properties(Settings s, String service, String database,
            Map<String, Integer> ports) {
        int port = ports.get(service);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", port);
        p.put("spring.kafka.bootstrap-servers", s.kafkaBootstrap());
        // the embedded stack runs one broker: the production defaults (3 replicas, min.insync 2) cannot be met
        p.put("backbus.delivery.replication-factor", 1);
        p.put("backbus.delivery.min-insync-replicas", 1);
        p.put("spring.datasource.url", s.postgres().jdbcUrl(database));
        p.put("spring.datasource.username", s.postgres().superuser());
        p.put("spring.datasource.password", s.postgres().superuserPassword());
        // API authentication (ADR 0011): the stack's admin token, by its SHA-256 only
        p.put("backbus.security.tokens[0].name", "local-admin");
        p.put("backbus.security.tokens[0].sha256", ApiTokens.sha256Hex(ApiTokens.read(apiTokenFile(s.workDir()))));
        p.put("backbus.security.tokens[0].role", "admin");
        switch (service) {
            case "scheduler-service" -> {
                // restores are resolved through the retention catalog, with a viewer's token of its own
                p.put("backbus.scheduler.catalog-url", "http://127.0.0.1:" + ports.get("retention-service"));
                p.put("backbus.scheduler.catalog-token", ApiTokens.read(catalogTokenFile(s.workDir())));
            }
            case "dump-agent" -> {
                p.put("backbus.agent.id", s.agentId());
                p.put("backbus.agent.staging-dir", mkdirs(s.workDir().resolve("agent-staging")).toString());
                p.put("backbus.agent.public-url", "http://127.0.0.1:" + port);
                p.put("backbus.agent.pg-bin-dir", PostgresCluster.binDir().toString());
                Map<String, Object> targets = new LinkedHashMap<>();
                for (Target t : s.targets()) {
                    Map<String, Object> target = new LinkedHashMap<>(Map.of("host", t.host(), "port", t.port(),
                            "database", t.database(), "user", t.user(), "password-env", passwordVariable(t)));
                    if (t.kind() != null) {
                        target.put("kind", t.kind());
                    }
                    targets.put(t.name(), target);
                }
                p.put("backbus.agent.targets", targets);
            }
            case "uploader-service" -> {
                s3(p, s);
                p.put("backbus.uploader.bucket", s.bucket());
                p.put("backbus.uploader.master-key-file", masterKeyFile(s.workDir()).toString());
                p.put("backbus.uploader.keyset-file", keysetFile(s.workDir()).toString());
                // only the agent's own artifact URLs are pulled
                p.put("backbus.uploader.allowed-sources",
                        "http://127.0.0.1:" + ports.get("dump-agent") + "/artifacts/");
                // where agents pull decrypted artifacts for restores
                p.put("backbus.uploader.restore.public-url", "http://127.0.0.1:" + port);
            }
            case "retention-service" -> {
                s3(p, s);
                p.put("backbus.security.tokens[1].name", "scheduler");
                p.put("backbus.security.tokens[1].sha256",
                        ApiTokens.sha256Hex(ApiTokens.read(catalogTokenFile(s.workDir()))));
                p.put("backbus.security.tokens[1].role", "viewer");
                p.put("backbus.retention.bucket", s.bucket());
            }
            case "notifier-service" -> {
                if (s.webhookUrl() != null) {
                    p.put("backbus.notifier.webhook.url", s.webhookUrl());
                }
            }
            default -> {
            }
        }
        return p;
    }

    /**
     * JVM options of a service: {@code BACKBUS_<SERVICE>_JAVA_OPTS} from this process's environment (e.g.
     * {@code BACKBUS_UPLOADER_SERVICE_JAVA_OPTS="-Xmx256m"}), else {@code -Xmx384m}.
     */
    static List<String> jvmOptions(String service) {
        String variable = "BACKBUS_" + service.toUpperCase(Locale.ROOT).replace('-', '_') + "_JAVA_OPTS";
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return List.of("-Xmx384m");
        }
        return List.of(value.trim().split("\\s+"));
    }

    private static void s3(Map<String, Object> p, Settings s) {
        p.put("backbus.s3.endpoint", s.s3Endpoint().toString());
        p.put("backbus.s3.region", "us-east-1");
        p.put("backbus.s3.access-key", "backbus-local");
        p.put("backbus.s3.secret-key", "backbus-local");
        p.put("backbus.s3.path-style", true);
    }

    private static String passwordVariable(Target target) {
        return "BACKBUS_TARGET_" + target.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_PASSWORD";
    }

    /**
     * The admin API token of the stack under {@code workDir} ({@code <data>/services/api-token}, mode 600): what
     * {@code bin/backbus} sends when no other token is given. Generated at the first start.
     */
    public static Path apiTokenFile(Path workDir) {
        return workDir.resolve("api-token");
    }

    /** The scheduler's token for the retention catalog (role viewer), generated beside the admin token. */
    static Path catalogTokenFile(Path workDir) {
        return workDir.resolve("catalog-token");
    }

    /** The stack's admin API token (for {@code Authorization: Bearer}). */
    public String apiToken() {
        return ApiTokens.read(apiTokenFile(settings.workDir()));
    }

    /** The master key (key-encryption key) file the uploader uses under {@code workDir}. */
    public static Path masterKeyFile(Path workDir) {
        return workDir.resolve("keys").resolve("master-key.json");
    }

    /** The encrypted data keyset file the uploader uses under {@code workDir}. */
    public static Path keysetFile(Path workDir) {
        return workDir.resolve("keys").resolve("keyset.json");
    }

    /** The packaged jar of a service in a Backbus checkout. */
    public static Path jar(Path repoRoot, String service) {
        Path target = repoRoot.resolve(service).resolve("target");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(target, service + "-*.jar")) {
                found.forEach(jars::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        jars.removeIf(j -> j.getFileName().toString().endsWith("-plain.jar")
                || j.getFileName().toString().endsWith(".original"));
        if (jars.isEmpty()) {
            throw new LocalStackException("no packaged jar of " + service + " in " + target
                    + ": build with ./mvnw -DskipTests package");
        }
        // the service's own jar, not one with a classifier (e.g. dump-agent-*-fixed-bytes-kind.jar)
        jars.sort(Comparator.comparingInt((Path j) -> j.getFileName().toString().length()));
        return jars.get(0);
    }

    /** The settings the stack was started with. */
    public Settings settings() {
        return settings;
    }

    /** A running service by module name, e.g. {@code scheduler-service}. */
    public ServiceProcess service(String name) {
        ServiceProcess p = services.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name + "; known: " + services.keySet());
        }
        return p;
    }

    /** Base URL of a service, e.g. {@code http://127.0.0.1:41234}. */
    public URI url(String name) {
        return service(name).baseUrl();
    }

    /** All services by name, in start order. */
    public Map<String, ServiceProcess> services() {
        Map<String, ServiceProcess> inOrder = new LinkedHashMap<>();
        order.forEach(name -> inOrder.put(name, services.get(name)));
        return inOrder;
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        services.values().forEach(s -> stopping.add(CompletableFuture.runAsync(s::stop)));
        stopping.forEach(CompletableFuture::join);
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Just enough JSON for SPRING_APPLICATION_JSON: nested maps, strings, numbers and booleans. */
    static final class Json {
        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            append(out, value);
            return out.toString();
        }

        private static void append(StringBuilder out, Object value) {
            if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (var e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    append(out, String.valueOf(e.getKey()));
                    out.append(':');
                    append(out, e.getValue());
                }
                out.append('}');
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                out.append('"');
                for (char c : String.valueOf(value).toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                out.append(String.format("\\u%04x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                out.append('"');
            }
        }

        private Json() {
        }
    }
}
