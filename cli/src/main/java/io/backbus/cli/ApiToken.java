package io.backbus.cli;

import io.backbus.localstack.ServiceStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The API token the CLI sends as {@code Authorization: Bearer} (ADR 0011), from the first of: the environment
 * variable {@code BACKBUS_TOKEN}; the file {@code ~/.config/backbus/token}; the embedded stack's generated admin
 * token {@code <data-dir>/services/api-token}. None: requests go without, and a secured service answers 401.
 */
final class ApiToken {

    static final String VARIABLE = "BACKBUS_TOKEN";

    private ApiToken() {
    }

    /** The token for this process: its environment, its user's home, {@code dataDir}. */
    static Optional<String> resolve(Path dataDir) {
        return resolve(System.getenv(), Path.of(System.getProperty("user.home")), dataDir);
    }

    static Optional<String> resolve(Map<String, String> env, Path home, Path dataDir) {
        String variable = env.get(VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return Optional.of(variable.trim());
        }
        Optional<String> configured = read(home.resolve(".config").resolve("backbus").resolve("token"));
        if (configured.isPresent()) {
            return configured;
        }
        return dataDir == null ? Optional.empty()
                : read(ServiceStack.apiTokenFile(dataDir.toAbsolutePath().normalize().resolve("services")));
    }

    private static Optional<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            // never the content; the path tells the user what to fix
            throw new CliException("cannot read the API token file " + file + ": " + e.getMessage(), e);
        }
    }
}
