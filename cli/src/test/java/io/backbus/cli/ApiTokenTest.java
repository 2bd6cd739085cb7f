package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

    @TempDir
    Path dir;

    @Test
    void theEnvironmentComesFirstThenTheUsersFileThenTheEmbeddedStacksToken() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path data = dir.resolve("data");
        assertThat(ApiToken.resolve(Map.of(), home, data)).isEmpty();

        Files.createDirectories(data.resolve("services"));
        Files.writeString(data.resolve("services").resolve("api-token"), "stack-token\n");
        assertThat(ApiToken.resolve(Map.of(), home, data)).contains("stack-token");

        Path file = Files.createDirectories(home.resolve(".config").resolve("backbus")).resolve("token");
        Files.writeString(file, "  users-token \n");
        assertThat(ApiToken.resolve(Map.of(), home, data)).contains("users-token");

        assertThat(ApiToken.resolve(Map.of("BACKBUS_TOKEN", "env-token"), home, data)).contains("env-token");
        assertThat(ApiToken.resolve(Map.of("BACKBUS_TOKEN", " "), home, data)).contains("users-token");
    }
}
