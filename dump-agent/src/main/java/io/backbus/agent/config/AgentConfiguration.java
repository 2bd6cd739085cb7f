package io.backbus.agent.config;

import io.backbus.agent.domain.AgentAnnouncer;
import io.backbus.agent.domain.ArtifactLocations;
import io.backbus.agent.domain.BackupService;
import io.backbus.agent.domain.DumpCompression;
import io.backbus.agent.domain.DumpStreaming;
import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.DumpTelemetry;
import io.backbus.agent.domain.LiveDumps;
import io.backbus.agent.domain.PasswordSource;
import io.backbus.agent.domain.RestoreArtifactFetcher;
import io.backbus.agent.domain.RestoreService;
import io.backbus.agent.domain.RestoreTelemetry;
import io.backbus.agent.domain.TargetCatalog;
import io.backbus.agent.postgres.PgDump;
import io.backbus.agent.postgres.PgRestore;
import io.backbus.agent.storage.StagedArtifactRepository;
import io.backbus.agent.storage.StagingArea;
import io.backbus.crypto.UrlSigner;
import io.backbus.delivery.Outbox;
import io.backbus.delivery.TelemetryPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/** Wires the agent from its validated {@link AgentProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AgentProperties.class)
class AgentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AgentConfiguration.class);
    /** How long an ended dump stays in {@link LiveDumps}; after that a finished one is served from staging. */
    static final Duration LIVE_DUMP_RETENTION = Duration.ofMinutes(5);

    @Bean
    StagingArea stagingArea(AgentProperties properties) {
        return StagingArea.open(properties.stagingDir(),
                properties.compression().toDumpCompression().codec().fileSuffix());
    }

    @Bean
    StagedArtifactRepository stagedArtifactRepository(JdbcClient jdbc) {
        return new StagedArtifactRepository(jdbc);
    }

    @Bean
    UrlSigner artifactUrlSigner(AgentProperties properties, StagingArea staging, Clock clock) {
        byte[] key = properties.urlSigningKey() != null
                ? properties.urlSigningKey().getBytes(StandardCharsets.UTF_8)
                : staging.loadOrCreateSigningKey();
        return new UrlSigner(key, clock);
    }

    @Bean
    ArtifactLocations artifactLocations(AgentProperties properties, Environment environment,
            UrlSigner signer) {
        if (properties.publicUrl() == null) {
            log.warn("backbus.agent.public-url is not set: artifact URLs point at 127.0.0.1 and work only for an "
                    + "uploader on this host");
        }
        // resolved at use: with server.port=0 the real port is known only once the web server runs
        return new ArtifactLocations(() -> properties.publicUrl() != null ? properties.publicUrl()
                : "http://127.0.0.1:" + environment.getProperty("local.server.port",
                        environment.getProperty("server.port", "8082")), signer);
    }

    @Bean
    TargetCatalog targetCatalog(AgentProperties properties) {
        List<DumpTarget> targets = properties.targets().entrySet().stream().map(e -> {
            AgentProperties.Target t = e.getValue();
            PasswordSource source;
            if (t.passwordEnv() != null) {
                source = new PasswordSource.FromEnvironment(t.passwordEnv());
                if (System.getenv(t.passwordEnv()) == null) {
                    log.warn("backbus.agent.targets.{}.password-env names {}, which is not set: dumps of '{}' will "
                            + "fail until it is", e.getKey(), t.passwordEnv(), e.getKey());
                }
            } else if (t.passfile() != null) {
                source = new PasswordSource.FromPassfile(t.passfile().toAbsolutePath());
            } else {
                source = new PasswordSource.LibpqDefault();
            }
            return new DumpTarget(e.getKey(), t.host(), t.port(), t.database(), t.user(), source);
        }).toList();
        if (targets.isEmpty()) {
            log.warn("No backbus.agent.targets configured: agent '{}' can dump nothing", properties.id());
        }
        return new TargetCatalog(targets);
    }

    @Bean
    PgDump pgDump(AgentProperties properties, StagingArea staging, Clock clock) {
        DumpCompression compression = properties.compression().toDumpCompression();
        log.info("Dumps are compressed with {}", compression.codec() == DumpCompression.Codec.NONE
                ? "pg_dump's own compression (codec none)"
                : "zstd level " + compression.level() + ", " + compression.workers() + " worker(s)");
        if (!properties.rowCounts()) {
            log.info("backbus.agent.row-counts is false: manifests carry no table row counts");
        }
        return new PgDump(PgBinaries.locate(properties.pgBinDir()), System::getenv, clock, staging::openForWrite,
                compression, properties.id(), properties.rowCounts());
    }

    @Bean
    DumpTelemetry dumpTelemetry(AgentProperties properties, TelemetryPublisher publisher, MeterRegistry registry,
            Clock clock) {
        return new DumpTelemetry(properties.id(), publisher, registry, clock, properties.progressInterval());
    }

    @Bean
    LiveDumps liveDumps(Clock clock) {
        return new LiveDumps(clock, LIVE_DUMP_RETENTION);
    }

    /**
     * Stops before the web server's graceful shutdown (a higher phase stops first): a reader following a running
     * dump breaks off at once instead of holding the shutdown until its timeout.
     */
    @Bean
    SmartLifecycle liveDumpsShutdown(LiveDumps live) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                live.close();
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    @Bean
    BackupService backupService(AgentProperties properties, TargetCatalog targets, PgDump pgDump,
            StagingArea staging, StagedArtifactRepository artifacts, ArtifactLocations locations, Outbox outbox,
            Clock clock, DumpTelemetry telemetry, LiveDumps live, DumpStreaming streaming) {
        if (!properties.streaming()) {
            log.info("backbus.agent.streaming is false: artifacts are served only once staged, no ArtifactStreaming");
        }
        return new BackupService(properties.id(), targets, pgDump, staging, artifacts, locations, outbox, clock,
                properties.urlTtl(), telemetry, live, properties.streaming() ? streaming : null);
    }

    @Bean
    DumpStreaming dumpStreaming(AgentProperties properties, LiveDumps live, ArtifactLocations locations,
            TelemetryPublisher publisher, Clock clock,
            @Value("${backbus.agent.streaming-threshold:8MB}") DataSize threshold) {
        return new DumpStreaming(properties.id(), live, locations, publisher, clock, properties.urlTtl(),
                threshold.toBytes());
    }

    @Bean
    AgentAnnouncer agentAnnouncer(AgentProperties properties, TargetCatalog targets, Outbox outbox,
            PlatformTransactionManager transactionManager, Clock clock) {
        return new AgentAnnouncer(properties.id(), AgentVersion.current(), targets, outbox,
                new TransactionTemplate(transactionManager), clock);
    }

    @Bean
    RestoreTelemetry restoreTelemetry(AgentProperties properties, TelemetryPublisher publisher,
            MeterRegistry registry, Clock clock) {
        return new RestoreTelemetry(publisher, registry, clock, properties.progressInterval());
    }

    @Bean
    RestoreService restoreService(AgentProperties properties, TargetCatalog targets, StagingArea staging,
            RestoreTelemetry telemetry, Outbox outbox, Clock clock) {
        // before any restore can run: reclaim what a restore killed mid-way left in staging
        int leftovers = staging.deleteRestoreLeftovers();
        if (leftovers > 0) {
            log.info("Deleted {} restore file(s) left in {} by an earlier run", leftovers, staging.dir());
        }
        AgentProperties.Restore restore = properties.restore();
        return new RestoreService(properties.id(), targets, staging,
                new RestoreArtifactFetcher(staging::openForWrite, Duration.ofSeconds(10), restore.readTimeout()),
                new PgRestore(PgBinaries.locate(properties.pgBinDir())), restore.smokeQueryTimeout(),
                restore.maxJobs(), telemetry, outbox, clock, System::getenv);
    }
}
