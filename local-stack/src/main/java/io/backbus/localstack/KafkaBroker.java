package io.backbus.localstack;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft combined broker+controller) run as a child JVM. The child's classpath is this JVM's
 * {@code java.class.path} unless given explicitly, so it must contain {@code org.apache.kafka:kafka_2.13}.
 * By default its client listener is PLAINTEXT and open to all; {@link #startLockedDown} starts it with SASL/SCRAM and
 * ACLs instead.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    /** The SASL mechanism of a locked-down broker. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    /**
     * A locked-down client listener: SASL_PLAINTEXT with SCRAM-SHA-512, the StandardAuthorizer,
     * {@code allow.everyone.if.no.acl.found=false}; {@code adminUser} is a SCRAM user from the first start on and a
     * super user (it also authenticates the broker to itself). The controller listener stays PLAINTEXT on 127.0.0.1
     * and its anonymous principal is a super user too (the combined node's broker registers through it): fine for a
     * local test broker, not a production layout. With {@code tls} the listener is SASL_SSL with a self-signed
     * certificate for 127.0.0.1 made by {@code keytool}; clients trust {@link #trustStore()}.
     */
    public record LockedDown(String adminUser, String adminPassword, boolean tls) {

        /** SASL_PLAINTEXT. */
        public LockedDown(String adminUser, String adminPassword) {
            this(adminUser, adminPassword, false);
        }

        String protocol() {
            return tls ? "SASL_SSL" : "SASL_PLAINTEXT";
        }
    }

    /** Password of the generated key store and trust store of a TLS broker (test material, not a secret). */
    public static final String STORE_PASSWORD = "backbus-local";

    private final ChildProcess process;
    private final int port;
    private final Path logDir;
    private final LockedDown lockedDown;

    private KafkaBroker(ChildProcess process, int port, Path logDir, LockedDown lockedDown) {
        this.process = process;
        this.port = port;
        this.logDir = logDir;
        this.lockedDown = lockedDown;
    }

    /**
     * Starts a broker listening on 127.0.0.1:{@code port} (controller on {@code controllerPort}) with data in
     * {@code logDir} (formatted on first use, reused afterwards); output goes to {@code <logDir's parent>/kafka.log}.
     */
    public static KafkaBroker start(Path logDir, int port, int controllerPort) {
        return start(logDir, port, controllerPort, System.getProperty("java.class.path"), false);
    }

    /**
     * As {@link #start(Path, int, int)} with an explicit child classpath (e.g. when running from a fat jar whose
     * {@code java.class.path} cannot load {@code kafka.Kafka}); a {@code detached} broker outlives this JVM.
     */
    public static KafkaBroker start(Path logDir, int port, int controllerPort, String classpath, boolean detached) {
        return start(logDir, port, controllerPort, classpath, detached, null);
    }

    /**
     * As {@link #start(Path, int, int)} with a SASL/SCRAM listener and ACLs: clients authenticate with
     * {@link #clientProperties}, users are added with {@link #addScramUser}, ACLs through {@link #adminProperties()}.
     */
    public static KafkaBroker startLockedDown(Path logDir, int port, int controllerPort, LockedDown lockedDown) {
        return start(logDir, port, controllerPort, System.getProperty("java.class.path"), false, lockedDown);
    }

    private static KafkaBroker start(Path logDir, int port, int controllerPort, String classpath, boolean detached,
            LockedDown lockedDown) {
        Path dir = logDir.toAbsolutePath().normalize();
        Path home = dir.getParent();
        if (classpath == null || classpath.isBlank()) {
            throw new LocalStackException("no classpath for the Kafka broker JVM (java.class.path is empty)");
        }
        checkKafkaOnClasspath();
        for (int p : new int[] {port, controllerPort}) {
            if (!FreePorts.isFree(p)) {
                throw new LocalStackException("cannot start Kafka: port " + p + " is already in use");
            }
        }
        Path props = home.resolve("kafka-server.properties");
        Path logFile = home.resolve("kafka.log");
        try {
            Files.createDirectories(dir);
            if (lockedDown != null && lockedDown.tls()) {
                makeCertificate(home);
            }
            writeServerProperties(props, dir, port, controllerPort, lockedDown);
        } catch (IOException e) {
            throw new LocalStackException("cannot prepare Kafka log dir " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.exists(dir.resolve("meta.properties"))) {
            format(classpath, props, logFile, lockedDown);
        }
        List<String> cmd = List.of(ChildProcess.javaExecutable(), "-Xmx512m", "-Xms128m", "-XX:+UseG1GC",
                "-Djava.awt.headless=true", "-cp", classpath, "kafka.Kafka", props.toString());
        ChildProcess p = ChildProcess.start("kafka", cmd, Map.of("CLASSPATH", ""), home, logFile, detached);
        KafkaBroker broker = new KafkaBroker(p, port, dir, lockedDown);
        try {
            broker.awaitReady(START_TIMEOUT);
        } catch (RuntimeException e) {
            p.stop(Duration.ofSeconds(5));
            throw e;
        }
        log.info("Kafka running on {} (log dir {}, pid {})", broker.bootstrapServers(), dir, p.pid());
        return broker;
    }

    private static void checkKafkaOnClasspath() {
        try {
            Class.forName("kafka.Kafka", false, KafkaBroker.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new LocalStackException("kafka.Kafka is not on the classpath: add org.apache.kafka:kafka_2.13 "
                    + "(a dependency of local-stack) or pass an explicit classpath to KafkaBroker.start", e);
        }
    }

    private static void writeServerProperties(Path file, Path dir, int port, int controllerPort, LockedDown lockedDown)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.toString());
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("num.partitions", "3");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        if (lockedDown != null) {
            String protocol = lockedDown.protocol();
            p.setProperty("listeners", protocol + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:"
                    + controllerPort);
            p.setProperty("advertised.listeners", protocol + "://127.0.0.1:" + port);
            p.setProperty("inter.broker.listener.name", protocol);
            p.setProperty("listener.security.protocol.map", protocol + ":" + protocol + ",CONTROLLER:PLAINTEXT");
            p.setProperty("sasl.enabled.mechanisms", SCRAM_MECHANISM);
            p.setProperty("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
            p.setProperty("listener.name." + protocol.toLowerCase() + ".scram-sha-512.sasl.jaas.config",
                    jaasConfig(lockedDown.adminUser(), lockedDown.adminPassword()));
            if (lockedDown.tls()) {
                Path home = dir.getParent();
                p.setProperty("ssl.keystore.location", home.resolve("kafka-broker.p12").toString());
                p.setProperty("ssl.keystore.password", STORE_PASSWORD);
                p.setProperty("ssl.keystore.type", "PKCS12");
                // the broker's own inter-broker client checks the same certificate
                p.setProperty("ssl.truststore.location", home.resolve("kafka-truststore.p12").toString());
                p.setProperty("ssl.truststore.password", STORE_PASSWORD);
                p.setProperty("ssl.truststore.type", "PKCS12");
            }
            p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.setProperty("allow.everyone.if.no.acl.found", "false");
            p.setProperty("super.users", "User:" + lockedDown.adminUser() + ";User:ANONYMOUS");
            // a locked-down bus creates no topic behind anyone's back
            p.setProperty("auto.create.topics.enable", "false");
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "generated by io.backbus.localstack.KafkaBroker");
        }
    }

    /** A self-signed key pair for 127.0.0.1 and a trust store holding its certificate, unless they exist. */
    private static void makeCertificate(Path home) {
        Path keyStore = home.resolve("kafka-broker.p12");
        Path trustStore = home.resolve("kafka-truststore.p12");
        if (Files.exists(keyStore) && Files.exists(trustStore)) {
            return;
        }
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path cert = home.resolve("kafka-broker.pem");
        keytool(home, List.of(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "30", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore",
                keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass",
                STORE_PASSWORD));
        keytool(home, List.of(keytool, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(),
                "-storepass", STORE_PASSWORD, "-file", cert.toString()));
        keytool(home, List.of(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
    }

    private static void keytool(Path home, List<String> cmd) {
        ChildProcess p = ChildProcess.start("keytool", cmd, Map.of(), home, home.resolve("keytool.log"), false);
        try {
            if (!p.waitFor(Duration.ofSeconds(60)) || p.exitCode().orElse(-1) != 0) {
                throw p.failure("keytool " + cmd.get(1) + " failed");
            }
        } finally {
            p.stop(Duration.ofSeconds(1));
        }
    }

    private static void format(String classpath, Path props, Path logFile, LockedDown lockedDown) {
        String clusterId = Uuid.randomUuid().toString();
        // Kafka 4.1 with static controller.quorum.voters: plain "format" (no --standalone/--initial-controllers)
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId,
                "-c", props.toString(), "--ignore-formatted"));
        if (lockedDown != null) {
            // the admin's SCRAM credential must exist before the broker authenticates to itself with it
            cmd.addAll(List.of("--add-scram", SCRAM_MECHANISM + "=[name=" + lockedDown.adminUser() + ",password="
                    + lockedDown.adminPassword() + "]"));
        }
        ChildProcess p = ChildProcess.start("kafka-storage-format", cmd, Map.of("CLASSPATH", ""), props.getParent(),
                logFile, false);
        try {
            if (!p.waitFor(Duration.ofSeconds(60))) {
                throw p.failure("Kafka storage format timed out");
            }
            if (p.exitCode().orElse(-1) != 0) {
                throw p.failure("Kafka storage format failed");
            }
        } finally {
            p.stop(Duration.ofSeconds(1));
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // wait for the port first: an AdminClient created earlier logs a warning per failed connect
        while (!acceptsTcp()) {
            if (!process.isAlive()) {
                throw process.failure("Kafka broker exited during startup");
            }
            if (System.nanoTime() > deadline) {
                throw process.failure("Kafka port " + port + " not open after " + timeout.toSeconds() + " s");
            }
            ChildProcess.sleep(200);
        }
        Properties cfg = new Properties();
        cfg.putAll(adminProperties());
        cfg.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        cfg.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        cfg.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        cfg.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        String last = "";
        try (Admin admin = Admin.create(cfg)) {
            while (true) {
                if (!process.isAlive()) {
                    throw process.failure("Kafka broker exited during startup");
                }
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                            .get(4, TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalStackException("interrupted while waiting for Kafka", e);
                } catch (Exception e) {
                    last = String.valueOf(e.getMessage());
                }
                if (System.nanoTime() > deadline) {
                    throw process.failure("Kafka on " + bootstrapServers() + " not ready after " + timeout.toSeconds()
                            + " s (last: " + last + ")");
                }
                ChildProcess.sleep(250);
            }
        }
    }

    private boolean acceptsTcp() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Client settings of the broker's admin: bootstrap servers and, when locked down, its SASL login. */
    public Map<String, Object> adminProperties() {
        return lockedDown == null ? Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers())
                : clientProperties(lockedDown.adminUser(), lockedDown.adminPassword());
    }

    /**
     * Client settings logging in as SCRAM user {@code user}: bootstrap servers, security protocol, mechanism, JAAS
     * and, over TLS, the trust store.
     */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> config = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(), AdminClientConfig.SECURITY_PROTOCOL_CONFIG, lockedDown.protocol(),
                SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM, SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password)));
        if (lockedDown.tls()) {
            config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore().toString());
            config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, STORE_PASSWORD);
            config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        }
        return Map.copyOf(config);
    }

    /** The PKCS12 trust store (password {@link #STORE_PASSWORD}) holding a TLS broker's certificate. */
    public Path trustStore() {
        return logDir.getParent().resolve("kafka-truststore.p12");
    }

    /** {@code SASL_PLAINTEXT} or {@code SASL_SSL} for a locked-down broker, {@code PLAINTEXT} otherwise. */
    public String securityProtocol() {
        return lockedDown == null ? "PLAINTEXT" : lockedDown.protocol();
    }

    /** Adds (or replaces) a SCRAM-SHA-512 user of a locked-down broker. */
    public void addScramUser(String user, String password) {
        if (lockedDown == null) {
            throw new LocalStackException("broker " + bootstrapServers() + " is not locked down: no SCRAM users");
        }
        try (Admin admin = Admin.create(adminProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while adding SCRAM user " + user, e);
        } catch (Exception e) {
            throw new LocalStackException("cannot add SCRAM user " + user + ": " + e.getMessage(), e);
        }
    }

    private static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    public ChildProcess process() {
        return process;
    }

    /** SIGTERM (controlled shutdown), waits up to 15 s, then kills. */
    public void stop() {
        process.stop(STOP_GRACE);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", " + process + "]";
    }
}
