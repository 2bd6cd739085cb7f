package io.backbus.localstack;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft combined broker+controller) run as a child JVM. The child's classpath is this JVM's
 * {@code java.class.path} unless given explicitly, so it must contain {@code org.apache.kafka:kafka_2.13}.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final ChildProcess process;
    private final int port;
    private final Path logDir;

    private KafkaBroker(ChildProcess process, int port, Path logDir) {
        this.process = process;
        this.port = port;
        this.logDir = logDir;
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
            writeServerProperties(props, dir, port, controllerPort);
        } catch (IOException e) {
            throw new LocalStackException("cannot prepare Kafka log dir " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.exists(dir.resolve("meta.properties"))) {
            format(classpath, props, logFile);
        }
        List<String> cmd = List.of(ChildProcess.javaExecutable(), "-Xmx512m", "-Xms128m", "-XX:+UseG1GC",
                "-Djava.awt.headless=true", "-cp", classpath, "kafka.Kafka", props.toString());
        ChildProcess p = ChildProcess.start("kafka", cmd, Map.of("CLASSPATH", ""), home, logFile, detached);
        KafkaBroker broker = new KafkaBroker(p, port, dir);
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

    private static void writeServerProperties(Path file, Path dir, int port, int controllerPort) throws IOException {
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
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "generated by io.backbus.localstack.KafkaBroker");
        }
    }

    private static void format(String classpath, Path props, Path logFile) {
        String clusterId = Uuid.randomUuid().toString();
        // Kafka 4.1 with static controller.quorum.voters: plain "format" (no --standalone/--initial-controllers)
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId,
                "-c", props.toString(), "--ignore-formatted"));
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
        cfg.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
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
