package io.backbus.localstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Backbus Spring Boot service run from its fat jar as a child JVM; started once
 * {@code /actuator/health} answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(300); // five JVMs starting at once on 2 busy cores can take minutes
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final ChildProcess process;
    private final int httpPort;

    private ServiceProcess(String name, ChildProcess process, int httpPort) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * Runs {@code java -Xmx384m -jar jar} with {@code env} (plus {@code SERVER_PORT=httpPort}), output to
     * {@code logFile}, and waits up to 300 s for {@code http://127.0.0.1:httpPort/actuator/health} to answer 200.
     */
    public static ServiceProcess start(String name, Path jar, Map<String, String> env, Path logFile, int httpPort,
            boolean detached) {
        return start(name, jar, List.of("-Xmx384m"), env, logFile, httpPort, detached);
    }

    /** As {@link #start(String, Path, Map, Path, int, boolean)}, with the given JVM options instead of {@code -Xmx384m}. */
    public static ServiceProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> env,
            Path logFile, int httpPort, boolean detached) {
        if (!Files.isRegularFile(jar)) {
            throw new LocalStackException("service jar for " + name + " not found: " + jar.toAbsolutePath()
                    + " (build it with ./mvnw package)");
        }
        if (!FreePorts.isFree(httpPort)) {
            throw new LocalStackException("cannot start " + name + ": port " + httpPort + " is already in use");
        }
        Map<String, String> fullEnv = new HashMap<>(env == null ? Map.of() : env);
        fullEnv.put("SERVER_PORT", String.valueOf(httpPort));
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(ChildProcess.javaExecutable());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Djava.awt.headless=true", "-jar", jar.toAbsolutePath().toString()));
        Path workDir = logFile.toAbsolutePath().getParent();
        ChildProcess p = ChildProcess.start(name, cmd, fullEnv, workDir, logFile, detached);
        try {
            ChildProcess.awaitHttp(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"), HEALTH_TIMEOUT, p,
                    status -> status == 200);
        } catch (RuntimeException e) {
            p.stop(Duration.ofSeconds(5));
            throw e;
        }
        log.info("{} up on http://127.0.0.1:{} (pid {})", name, httpPort, p.pid());
        return new ServiceProcess(name, p, httpPort);
    }

    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int port() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return process.logFile();
    }

    public ChildProcess process() {
        return process;
    }

    /** SIGKILL at once, no graceful shutdown; returns once the process is gone. */
    public void killHard() {
        process.kill();
        log.info("{} killed (pid {})", name, process.pid());
    }

    /** SIGTERM (graceful Spring shutdown), up to 20 s, then kill. */
    public void stop() {
        process.stop(STOP_GRACE);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ServiceProcess[" + name + ", " + baseUrl() + ", " + process + "]";
    }
}
