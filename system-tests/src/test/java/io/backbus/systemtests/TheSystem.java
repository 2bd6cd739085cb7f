package io.backbus.systemtests;

import io.backbus.localstack.PostgresCluster;
import io.backbus.localstack.ServiceStack;
import io.backbus.testsupport.TestServers;
import io.backbus.testsupport.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The five services as separate {@code java -jar} processes on the harness's Kafka, PostgreSQL and S3Mock, started
 * once per test JVM and shared by the system test classes (starting them takes a minute on two cores). Stopped by a
 * shutdown hook. Failsafe runs the classes in alphabetical order, so {@link SecretsSystemIT} sees every record and
 * log line the others caused.
 */
final class TheSystem {

    static final String AGENT = "sys-agent";
    static final String BUCKET = "backbus-system";
    static final String CANARY = "SYSTEM-CANARY-5b1e0d-never-in-ciphertext";
    static final String SOURCE_DB = "sys_shop";
    static final String ROLE = "sys_backup";
    static final String PASSWORD = "Pw-of-sys-backup-" + Long.toHexString(System.nanoTime());
    /** A target of the test-only backup kind {@code fixed-bytes} (dump-agent's io.backbus.agent.fixedbytes). */
    static final String FIXED_BYTES_TARGET = "fixed";
    static final String WRONG_PASSWORD = "Wrong-pw-" + Long.toHexString(System.nanoTime());
    /** Rows of the source database per table. */
    static final long CUSTOMERS = 300;
    static final long NOTES = 1;

    private static TheSystem instance;

    final TestServers servers;
    final WebhookReceiver webhook;
    final ServiceStack stack;
    final SystemApi api;
    final Path workDir;

    private TheSystem(TestServers servers, WebhookReceiver webhook, ServiceStack stack, Path workDir) {
        this.servers = servers;
        this.webhook = webhook;
        this.stack = stack;
        this.workDir = workDir;
        this.api = new SystemApi(stack.url("scheduler-service"), stack.url("retention-service"), stack.apiToken());
    }

    static synchronized TheSystem get() {
        if (instance == null) {
            instance = start();
            TheSystem started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.stack.close();
                started.webhook.close();
            }));
        }
        return instance;
    }

    private static TheSystem start() {
        TestServers servers = TestServers.get();
        PostgresCluster pg = servers.postgres();
        pg.createRole(ROLE, PASSWORD);
        // restores create their destination, restore tests create and drop scratch databases
        pg.execute("postgres", "alter role " + ROLE + " createdb");
        pg.execute("postgres", "drop database if exists " + SOURCE_DB + " with (force)");
        pg.execute("postgres", "create database " + SOURCE_DB + " owner " + ROLE);
        pg.execute(SOURCE_DB, "set role " + ROLE + ";"
                + "create table customers (id int primary key, name text);"
                + "insert into customers select g, 'customer ' || g from generate_series(1, " + CUSTOMERS + ") g;"
                + "create table notes (id int primary key, body text);"
                + "insert into notes values (1, '" + CANARY + "');");
        WebhookReceiver webhook = WebhookReceiver.start();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("backbus-system-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path repoRoot = Path.of(System.getProperty("backbus.home", "..")).toAbsolutePath().normalize();
        ServiceStack stack = ServiceStack.start(new ServiceStack.Settings(repoRoot, workDir,
                servers.kafkaBootstrapServers(), pg, servers.s3Endpoint(), "sys_", AGENT, List.of(
                        new ServiceStack.Target("shop", pg.host(), pg.port(), SOURCE_DB, ROLE, PASSWORD),
                        new ServiceStack.Target("shop-wrong-password", pg.host(), pg.port(), SOURCE_DB, ROLE,
                                WRONG_PASSWORD),
                        new ServiceStack.Target(FIXED_BYTES_TARGET, pg.host(), pg.port(), SOURCE_DB, ROLE, PASSWORD,
                                "fixed-bytes")),
                BUCKET, webhook.url().toString(), false, List.of(fixedBytesKindJar(repoRoot))));
        return new TheSystem(servers, webhook, stack, workDir);
    }

    /** The test-only backup kind, packaged by the dump-agent build next to the agent's jar. */
    private static Path fixedBytesKindJar(Path repoRoot) {
        Path target = repoRoot.resolve("dump-agent").resolve("target");
        try (var jars = Files.newDirectoryStream(target, "dump-agent-*-fixed-bytes-kind.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no dump-agent-*-fixed-bytes-kind.jar in " + target
                + ": build the dump-agent module (package) first");
    }

    PostgresCluster postgres() {
        return servers.postgres();
    }
}
