package io.backbus.agent.config;

import io.backbus.agent.domain.ArchiveRestorer;
import io.backbus.agent.domain.ArtifactLocations;
import io.backbus.agent.domain.BackupKinds;
import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.LiveDumps;
import io.backbus.agent.domain.PasswordSource;
import io.backbus.agent.domain.TargetCatalog;
import io.backbus.agent.domain.TargetDumper;
import io.backbus.agent.storage.StagingArea;
import io.backbus.crypto.UrlSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The agent's values made from its validated {@link AgentProperties}: the staging directory, the URL signer and
 * the locations it signs, the target catalog, the registry of live dumps. Services and adapters are beans of their
 * own ({@code @Service}, {@code @Component}, {@code @Repository}) and take their settings from the properties.
 */
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
    BackupKinds backupKinds(List<TargetDumper> dumpers, List<ArchiveRestorer> restorers) {
        return new BackupKinds(dumpers, restorers);
    }

    /** The configured targets; a target of a kind no dumper handles stops the start with the setting's name. */
    @Bean
    TargetCatalog targetCatalog(AgentProperties properties, BackupKinds kinds) {
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
            if (kinds.dumper(t.kind()).isEmpty()) {
                throw new IllegalArgumentException("backbus.agent.targets." + e.getKey() + ".kind is '" + t.kind()
                        + "', which this agent cannot dump (it knows: " + kinds.kinds() + ")");
            }
            return new DumpTarget(e.getKey(), t.host(), t.port(), t.database(), t.user(), source, t.kind());
        }).toList();
        if (targets.isEmpty()) {
            log.warn("No backbus.agent.targets configured: agent '{}' can dump nothing", properties.id());
        }
        return new TargetCatalog(targets);
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
}
