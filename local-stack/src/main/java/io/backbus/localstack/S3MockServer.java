package io.backbus.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adobe S3Mock (an S3-compatible HTTP server) run as a child JVM from its exec jar, serving plain HTTP on
 * 127.0.0.1.
 */
public final class S3MockServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3MockServer.class);
    private static final String S3MOCK_VERSION = "5.2.0";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ChildProcess process;
    private final int httpPort;
    private final Path storeRoot;

    private S3MockServer(ChildProcess process, int httpPort, Path storeRoot) {
        this.process = process;
        this.httpPort = httpPort;
        this.storeRoot = storeRoot;
    }

    /**
     * Starts S3Mock storing objects under {@code storeRoot} (kept after exit when {@code retainFiles}) with the
     * given buckets pre-created; output goes to {@code <storeRoot's parent>/s3mock.log}. Stopped on JVM exit.
     */
    public static S3MockServer start(Path storeRoot, int httpPort, boolean retainFiles, String... initialBuckets) {
        return start(storeRoot, httpPort, retainFiles, false, initialBuckets);
    }

    /** As {@link #start(Path, int, boolean, String...)}; a {@code detached} server outlives this JVM. */
    public static S3MockServer start(Path storeRoot, int httpPort, boolean retainFiles, boolean detached,
            String... initialBuckets) {
        Path root = storeRoot.toAbsolutePath().normalize();
        Path jar = locateJar();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new LocalStackException("cannot create S3Mock store root " + root + ": " + e.getMessage(), e);
        }
        if (!FreePorts.isFree(httpPort)) {
            throw new LocalStackException("cannot start S3Mock: port " + httpPort + " is already in use");
        }
        int httpsPort = FreePorts.pick();
        while (httpsPort == httpPort) {
            httpsPort = FreePorts.pick();
        }
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx512m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-jar", jar.toString(),
                "--http.port=" + httpPort,
                "--server.port=" + httpsPort,
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.retain-files-on-exit=" + retainFiles,
                "--com.adobe.testing.s3mock.max-payload-size=128MB",
                "--spring.main.banner-mode=off"));
        if (initialBuckets != null && initialBuckets.length > 0) {
            cmd.add("--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", initialBuckets));
        }
        Path logFile = root.getParent().resolve("s3mock.log");
        ChildProcess p = ChildProcess.start("s3mock", cmd, Map.of(), root.getParent(), logFile, detached);
        try {
            ChildProcess.awaitHttp(URI.create("http://127.0.0.1:" + httpPort + "/"), START_TIMEOUT, p,
                    status -> true);
        } catch (RuntimeException e) {
            p.stop(Duration.ofSeconds(5));
            throw e;
        }
        log.info("S3Mock running on http://127.0.0.1:{} (store {}, pid {})", httpPort, root, p.pid());
        return new S3MockServer(p, httpPort, root);
    }

    /**
     * Finds the S3Mock exec jar: system property {@code backbus.s3mock.jar}, env {@code BACKBUS_S3MOCK_JAR},
     * {@code <backbus.servers.dir | $BACKBUS_SERVERS_DIR>/s3mock-exec.jar}, then the local Maven repository.
     */
    public static Path locateJar() {
        Map<String, Path> candidates = new LinkedHashMap<>();
        String prop = System.getProperty("backbus.s3mock.jar");
        if (prop != null && !prop.isBlank()) {
            candidates.put("system property backbus.s3mock.jar", Path.of(prop));
        }
        String env = System.getenv("BACKBUS_S3MOCK_JAR");
        if (env != null && !env.isBlank()) {
            candidates.put("env BACKBUS_S3MOCK_JAR", Path.of(env));
        }
        String serversDir = System.getProperty("backbus.servers.dir");
        if (serversDir != null && !serversDir.isBlank()) {
            candidates.put("system property backbus.servers.dir", Path.of(serversDir, "s3mock-exec.jar"));
        }
        String serversEnv = System.getenv("BACKBUS_SERVERS_DIR");
        if (serversEnv != null && !serversEnv.isBlank()) {
            candidates.put("env BACKBUS_SERVERS_DIR", Path.of(serversEnv, "s3mock-exec.jar"));
        }
        candidates.put("local Maven repository", Path.of(System.getProperty("user.home"), ".m2", "repository",
                "com", "adobe", "testing", "s3mock", S3MOCK_VERSION, "s3mock-" + S3MOCK_VERSION + "-exec.jar"));
        for (Path p : candidates.values()) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        StringBuilder msg = new StringBuilder("S3Mock exec jar not found. Looked at:");
        candidates.forEach((where, p) -> msg.append(System.lineSeparator()).append("  ").append(where).append(": ")
                .append(p));
        if (prop == null) {
            msg.append(System.lineSeparator()).append("  (system property backbus.s3mock.jar: unset)");
        }
        if (env == null) {
            msg.append(System.lineSeparator()).append("  (env BACKBUS_S3MOCK_JAR: unset)");
        }
        if (serversDir == null && serversEnv == null) {
            msg.append(System.lineSeparator())
                    .append("  (system property backbus.servers.dir and env BACKBUS_SERVERS_DIR: unset)");
        }
        msg.append(System.lineSeparator()).append("Build the project (./mvnw -pl local-stack install) to download it.");
        throw new LocalStackException(msg.toString());
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int port() {
        return httpPort;
    }

    public Path storeRoot() {
        return storeRoot;
    }

    public ChildProcess process() {
        return process;
    }

    public void stop() {
        process.stop(Duration.ofSeconds(15));
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "S3MockServer[" + endpoint() + ", " + process + "]";
    }
}
