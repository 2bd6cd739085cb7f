package io.backbus.agent.postgres;

import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.PasswordSource;
import io.backbus.agent.tools.ChildEnvironment;
import io.backbus.agent.tools.ToolCommand;
import io.backbus.agent.tools.ToolException;
import io.backbus.agent.tools.ToolRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pg_dump's own version (asked once) and the check that it is not older than the server it is to dump, asked with
 * psql from the same bin dir in the same environment.
 */
final class PgDumpVersions {

    private static final Logger log = LoggerFactory.getLogger(PgDumpVersions.class);
    static final Duration TOOL_VERSION_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SERVER_VERSION_TIMEOUT = Duration.ofSeconds(30);

    private final Path pgDump;
    private final Path psql;
    private final String agentId;
    private final ToolRunner tools;
    private volatile String toolVersion;
    private volatile boolean psqlMissingLogged;

    PgDumpVersions(Path binDir, String agentId, ToolRunner tools) {
        this.pgDump = binDir.resolve("pg_dump");
        this.psql = binDir.resolve("psql");
        this.agentId = agentId;
        this.tools = tools;
    }

    /** {@code pg_dump --version}, e.g. {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-1)}; asked once. */
    String toolVersion() {
        String cached = toolVersion;
        if (cached != null) {
            return cached;
        }
        String version = askToolVersion();
        if (!"unknown".equals(version)) {
            toolVersion = version;
        }
        return version;
    }

    private String askToolVersion() {
        try {
            String out = tools.output(ToolCommand.of(pgDump, List.of("--version"))
                    .withTimeout(TOOL_VERSION_TIMEOUT), 1024);
            String first = out.strip().lines().findFirst().orElse("");
            return first.isEmpty() ? "unknown" : first;
        } catch (ToolException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * A reason to refuse the dump when pg_dump is older than the server. Empty when the versions fit, and also when
     * the server cannot be asked (pg_dump then reports the connection problem itself, with its own message).
     */
    Optional<String> refusal(DumpTarget target, PasswordSource.ChildCredentials credentials,
            String dumpToolVersion) {
        Optional<PgVersion> local = PgVersion.ofToolVersion(dumpToolVersion);
        if (local.isEmpty()) {
            log.warn("Cannot tell the version of {} ('{}'); not comparing it with the server's", pgDump,
                    dumpToolVersion);
            return Optional.empty();
        }
        Optional<PgVersion> server = serverVersion(target, PgEnvironment.of(credentials));
        server.ifPresent(s -> log.info("Target '{}' runs PostgreSQL {}; pg_dump is {}", target.name(), s,
                local.get()));
        return server.flatMap(s -> tooOld(local.get(), s, agentId));
    }

    /** The refusal reason when a pg_dump of version {@code local} cannot dump a server of version {@code server}. */
    static Optional<String> tooOld(PgVersion local, PgVersion server, String agentId) {
        if (!local.isOlderMajorThan(server)) {
            return Optional.empty();
        }
        return Optional.of("pg_dump " + local + " is older than the server (" + server + "): install pg_dump "
                + server.major() + " or newer on agent '" + agentId + "'");
    }

    /** {@code server_version_num} via psql. */
    private Optional<PgVersion> serverVersion(DumpTarget target, ChildEnvironment environment) {
        if (!Files.isExecutable(psql)) {
            if (!psqlMissingLogged) {
                psqlMissingLogged = true;
                log.warn("No psql next to {}: the server's version is not checked before dumping (pg_dump refuses "
                        + "a newer server itself)", pgDump);
            }
            return Optional.empty();
        }
        List<String> arguments = new ArrayList<>(List.of("-X", "-A", "-t", "-q"));
        arguments.addAll(PgDump.connectionArguments(target));
        arguments.addAll(List.of("-c", "show server_version_num"));
        try {
            // psql prints a line or a short error and exits
            String out = tools.output(ToolCommand.of(psql, arguments).withEnvironment(environment)
                    .withTimeout(SERVER_VERSION_TIMEOUT), 16 * 1024);
            Optional<PgVersion> version = PgVersion.ofServerVersionNum(out.strip());
            if (version.isEmpty()) {
                log.debug("Cannot read the version of target '{}' from psql's answer; pg_dump will tell what is "
                        + "wrong", target.name());
            }
            return version;
        } catch (ToolException e) {
            switch (e.kind()) {
                case TIMED_OUT -> log.warn("psql did not tell the server version of target '{}' within {}",
                        target.name(), SERVER_VERSION_TIMEOUT);
                case NOT_STARTED -> log.warn("{}", e.getMessage());
                default -> log.debug("Cannot ask target '{}' for its version (psql exit {}); pg_dump will tell "
                        + "what is wrong", target.name(), e.exitCode().orElse(-1));
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
